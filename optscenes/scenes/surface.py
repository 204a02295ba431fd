"""Two-variable functions as a 3D surface, the runs riding it, the camera turning slowly.

Renders with manim's default Cairo renderer. Cairo projects and depth-sorts every face in Python on
each frame the camera moves, so the surface is kept coarse (``surface_resolution``, 16 by default:
a 5-second turning replay renders at 480p in about 10 s on 2 cores); with ``camera_rotation = 0``
the surface is drawn once. Dots and paths are drawn after the surface, so a dot is never hidden at
the moment it is shown.
"""

from __future__ import annotations

import manim as mn
import numpy as np

from ..core.errors import OptscenesError
from ..core.landscape import Landscape
from ..core.views import view_2d
from ..visuals.runs import RunMarks
from .comparison import ComparisonScene

__all__ = ["SurfaceScene"]


class SurfaceScene(ComparisonScene, mn.ThreeDScene):
    """The function of x and y as a surface with each run's dot and path on it, the camera placed by
    ``phi`` (tilt from vertical, degrees) and ``theta`` (turn, degrees) and turning ``camera_rotation``
    degrees over the replay (0 keeps it still). The table is as in every comparison; a run that ends
    early says so in its row (rings would turn with the camera)."""

    _kind = "surface"
    _variables = 2
    function = "saddle"
    start = (1.5, 0.01)
    columns = ("x", "y", "f", "|grad|")

    def construct(self) -> None:
        if mn.config.renderer != mn.RendererType.CAIRO:
            raise OptscenesError(
                f"{type(self).__name__} renders with manim's Cairo renderer; remove --renderer={mn.config.renderer.value}."
            )
        settings = self.settings
        trajectories = self.trajectories()
        colors = self.run_colors()[: len(trajectories)]
        self.plan = self.frame_plan()
        width, height = self.frame_size
        self.build_texts()
        self.add_fixed_in_frame_mobjects(self.header, self.counter, self.table)
        # Notes join the table only when a run ends: register them with the camera now, unshown.
        self.renderer.camera.add_fixed_in_frame_mobjects(*(n for n in self.table.notes if n is not None))

        objective = self.objective()
        x_view, y_view = view_2d(objective, trajectories, settings.x_range, settings.y_range)
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

        resolution = settings.surface_resolution
        self.surface = mn.Surface(
            lift, u_range=[x_view.low, x_view.high], v_range=[y_view.low, y_view.high],
            resolution=(resolution, resolution), fill_opacity=0.8, stroke_width=0.4,
            checkerboard_colors=list(settings.surface_colors or self.style.surface), stroke_color=self.style.surface_stroke,
        )  # fmt: skip
        # Heights are clipped to the box, so a run never leaves it.
        points = [
            np.array([self.axes.c2p(x, y, float(np.clip(f, z_low, z_high))) for (x, y), f in zip(t.params, t.losses, strict=True)])
            for t in trajectories
        ]
        radius = settings.dot_radius * self.size_factor
        self.marks = RunMarks(
            points, [None] * len(points), colors, radius, outline=self.style.background, path_width=3.5, path_opacity=1.0
        )
        self.set_camera_orientation(phi=settings.phi * mn.DEGREES, theta=settings.theta * mn.DEGREES)
        self.add(self.axes, self.surface)
        # Cairo depth-sorts only 3D-shaded mobjects (the surface's faces, a Dot3D) and draws the rest after
        # them: flat dots and paths in the foreground are never hidden behind the surface.
        self.add_foreground_mobjects(*self.marks.paths, *self.marks.dots)
        self.add_fixed_orientation_mobjects(*self.marks.dots)  # round from any angle

        def show_step(step: int) -> None:
            self.show_runs(step, self.marks, rings=False)

        def show_time(progress: float) -> None:
            self.set_camera_orientation(theta=(settings.theta + settings.camera_rotation * progress) * mn.DEGREES)

        self._show = (show_step, show_time)
        moving = mn.Group(*self.marks.paths, *self.marks.dots, self.counter, self.table)
        if settings.camera_rotation:
            moving.add(self.axes, self.surface)  # a turning camera redraws everything each frame
        self.replay(moving, show_step, show_time if settings.camera_rotation else None)

    def pose(self, frame: int) -> None:
        """Put the camera, dots and paths where they are in frame ``frame`` of the replay."""
        show_step, show_time = self._show
        if self.settings.camera_rotation:
            show_time(frame / max(self.plan.replay_frames - 1, 1))
        show_step(self.plan.step_at(frame))
        self.renderer.camera.reset_rotation_matrix()  # projections now use this frame's camera
