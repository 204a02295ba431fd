"""Two-variable functions as a 3D surface, the runs riding it, the camera turning slowly.

Renders with manim's default Cairo renderer. Cairo projects and depth-sorts every face in Python on
each frame the camera moves, so the surface is kept coarse (``surface_resolution``, 16 by default:
a 5-second turning replay renders at 480p in about 10 s on 2 cores); with ``camera_rotation = 0``
the surface is drawn once. Dots and paths are drawn after the surface, so a dot is never hidden at
the moment it is shown.
"""

from __future__ import annotations

from typing import Any, ClassVar

import manim as mn
import numpy as np

from .errors import OptscenesError
from .landscape import Landscape, view_2d
from .objective import Objective
from .race import RaceScene
from .visuals import StepPath

__all__ = ["SurfaceScene"]


class SurfaceScene(RaceScene, mn.ThreeDScene):
    """The function of x and y as a surface with each run's dot and path on it.

    Class attributes as in :class:`~optscenes.contour.ContourScene`, plus the camera: ``phi`` (tilt
    from vertical, degrees), ``theta`` (turn, degrees) and ``camera_rotation`` (degrees the camera
    turns over the replay; 0 keeps it still).
    """

    function: ClassVar[str] = "saddle"
    start: ClassVar[Any] = (1.5, 0.01)
    columns: ClassVar[tuple[str, ...]] = ("x", "y", "f", "|grad|")
    phi: ClassVar[float] = 62.0
    theta: ClassVar[float] = -50.0
    camera_rotation: ClassVar[float] = 40.0
    surface_resolution: ClassVar[int] = 16
    surface_colors: ClassVar[list[str]] = ["#5a6472", "#434b57"]  # greys: the runs' colours stand out on them

    def objective(self) -> Objective:
        if not hasattr(self, "_objective"):
            objective = Objective(self.function)
            if objective.dim != 2:
                raise OptscenesError(f"{type(self).__name__} draws functions of x and y; {self.function!r} uses one.")
            self._objective = objective
        return self._objective

    def construct(self) -> None:
        if mn.config.renderer != mn.RendererType.CAIRO:
            raise OptscenesError(
                f"{type(self).__name__} renders with manim's Cairo renderer; remove --renderer={mn.config.renderer.value}."
            )
        trajectories = self.trajectories()
        colors = self.colors[: len(trajectories)]
        self.plan = self.frame_plan()
        width, height = self.frame_size
        self.build_texts(trajectories, colors)
        self.add_fixed_in_frame_mobjects(self.header, self.counter, self.table)
        # Notes join the table only when a run ends: register them with the camera now, unshown.
        self.renderer.camera.add_fixed_in_frame_mobjects(*(n for n in self.table.notes if n is not None))

        objective = self.objective()
        x_view, y_view = view_2d(objective, trajectories, self.x_range, self.y_range)
        z_low, z_high = Landscape.sample(objective, x_view, y_view, 60).height_range(trajectories)
        self.x_view, self.y_view = x_view, y_view
        size = min(width, height) * 0.68
        self.axes = mn.ThreeDAxes(
            x_range=x_view.as_manim(), y_range=y_view.as_manim(), z_range=[z_low, z_high, (z_high - z_low) / 4],
            x_length=size, y_length=size, z_length=size * 0.55, axis_config={"stroke_width": 1.5},
        )  # fmt: skip
        self.axes.shift(mn.DOWN * 0.35 * self.size_factor)

        def lift(x: float, y: float) -> np.ndarray:
            z = float(np.clip(objective.numpy(x, y), z_low, z_high))
            return self.axes.c2p(x, y, z)

        self.surface = mn.Surface(
            lift, u_range=[x_view.low, x_view.high], v_range=[y_view.low, y_view.high],
            resolution=(self.surface_resolution, self.surface_resolution), fill_opacity=0.8, stroke_width=0.4,
            checkerboard_colors=self.surface_colors, stroke_color=mn.GRAY_D,
        )  # fmt: skip
        points = [
            np.array([self.axes.c2p(x, y, float(np.clip(f, z_low, z_high))) for (x, y), f in zip(t.params, t.losses, strict=True)])
            for t in trajectories
        ]
        radius = self.dot_radius * self.size_factor
        self.paths = [StepPath(p, stroke_color=c, stroke_width=3.5) for p, c in zip(points, colors, strict=True)]
        self.dots = [mn.Dot(p[0], radius=radius, color=c) for p, c in zip(points, colors, strict=True)]
        self.set_camera_orientation(phi=self.phi * mn.DEGREES, theta=self.theta * mn.DEGREES)
        self.add(self.axes, self.surface)
        # Cairo depth-sorts only 3D-shaded mobjects (the surface's faces, a Dot3D) and draws the rest after
        # them: flat dots and paths in the foreground are never hidden behind the surface.
        self.add_foreground_mobjects(*self.paths, *self.dots)
        self.add_fixed_orientation_mobjects(*self.dots)  # round from any angle

        self.ring_slots = []  # the table's notes say which run ended; rings would turn with the camera
        self.exit_rows = [None] * len(trajectories)  # heights are clipped to the box: a run never leaves it

        def show_step(step: int) -> None:
            self.show_runs(step, points)

        def show_time(progress: float) -> None:
            self.set_camera_orientation(theta=(self.theta + self.camera_rotation * progress) * mn.DEGREES)

        self._show = (show_step, show_time)
        moving = mn.Group(*self.paths, *self.dots, self.counter, self.table)
        if self.camera_rotation:
            moving.add(self.axes, self.surface)  # a turning camera redraws everything each frame
        self.replay(moving, show_step, trajectories, show_time if self.camera_rotation else None)

    def pose(self, frame: int) -> None:
        """Put the camera, dots and paths where they are in frame ``frame`` of the replay."""
        show_step, show_time = self._show
        if self.camera_rotation:
            show_time(frame / max(self.plan.replay_frames - 1, 1))
        show_step(self.plan.step_at(frame))
        self.renderer.camera.reset_rotation_matrix()  # projections now use this frame's camera
