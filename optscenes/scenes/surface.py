"""Two-variable functions as a 3D surface, the runs riding it, the camera turning slowly.

Renders with manim's default Cairo renderer. Cairo projects and depth-sorts every face in Python on
each frame the camera moves, so the surface is kept coarse (``surface_resolution``, 16 by default:
a 5-second turning replay renders at 480p in about 10 s on 2 cores); with ``camera_rotation = 0``
the surface is drawn once. Dots and paths are drawn after the surface, so a dot is never hidden at
the moment it is shown.
"""

from __future__ import annotations

from typing import cast

import manim as mn
import numpy as np

from ..core.errors import OptscenesError
from ..core.landscape import Landscape
from ..core.views import AxisRange, clip_to_view, equal_scale_size, view_2d
from ..visuals.runs import RunMarks
from ..visuals.text import Label
from .comparison import Box, ComparisonScene

__all__ = ["SurfaceScene"]


class SurfaceScene(ComparisonScene, mn.ThreeDScene):
    """The function of x and y as a surface with each run's dot and path on it, the camera placed by
    ``phi`` (tilt from vertical, degrees) and ``theta`` (turn, degrees) and turning ``camera_rotation``
    degrees over the replay (0 keeps it still), scaled to stay between header and table, left of the loss
    inset, at every angle. The surface is coloured by height. The table and the inset are as in every
    comparison; a run that ends early, or leaves the view, says so in its row (rings would turn with the
    camera)."""

    _kind = "surface"
    _variables = 2
    function = "saddle"
    start = (1.5, 0.01)
    columns = ("x", "y", "f", "|grad|")  # the map's less lr: at 480p a note such as "left the view" needs its room

    def construct(self) -> None:
        if mn.config.renderer != mn.RendererType.CAIRO:
            raise OptscenesError(
                f"{type(self).__name__} renders with manim's Cairo renderer; remove --renderer={mn.config.renderer.value}."
            )
        settings = self.settings
        trajectories = self.trajectories()
        colors = self.run_colors()[: len(trajectories)]
        self.plan = self.frame_plan()
        plot_box, inset_box = self.regions(*self.build_texts())
        self.inset = self.build_inset(inset_box)
        self.add_fixed_in_frame_mobjects(self.header, self.counter, self.table, self.inset)
        # Notes join the table only when a run ends: register them with the camera now, unshown.
        self.three_d_camera.add_fixed_in_frame_mobjects(*(n for n in self.table.notes if n is not None))

        clipped = [clip_to_view(t.params, *self.view()) for t in trajectories]
        self.build_surface(clipped)
        self.set_camera_orientation(phi=settings.phi * mn.DEGREES, theta=settings.theta * mn.DEGREES)
        self.fit_in(plot_box)
        lift = np.vectorize(self.height, otypes=[float])
        points = [np.asarray(self.axes.c2p(xy[:, 0], xy[:, 1], lift(xy[:, 0], xy[:, 1]))).T for xy, _ in clipped]
        radius = settings.dot_radius * self.size_factor
        self.marks = RunMarks(
            points, [row for _, row in clipped], colors, radius, outline=self.style.background,
            label_size=self.small_text, path_width=3.5, path_opacity=1.0,
            fade_after=settings.fade_after,
        )  # fmt: skip
        # Unshaded, the faces keep the ramp's colours, so runs keep their contrast against them.
        self.three_d_camera.should_apply_shading = False
        self.add(self.axes, self.surface, self.axis_names)
        # Cairo depth-sorts only 3D-shaded mobjects (the surface's faces, a Dot3D) and draws the rest after
        # them: flat dots, paths and edge arrowheads in the foreground are never hidden behind the surface.
        self.add_foreground_mobjects(*self.marks.paths, *self.marks.edge_slots, *self.marks.dots)
        # Round dots and upright words from any angle.
        self.add_fixed_orientation_mobjects(*self.marks.dots, *self.axis_names)
        for edge in self.marks.edges:
            if edge is not None:
                edge.remove(edge[1])  # the step is in the table's note; a flat label would turn with the camera

        def show_step(step: int) -> None:
            self.inset.show_until(self.show_runs(step, self.marks, rings=False))

        def show_time(progress: float) -> None:
            self.set_camera_orientation(theta=self.theta_at(progress))

        self._show = (show_step, show_time)
        moving = mn.Group(*self.marks.paths, *self.marks.edge_slots, *self.marks.dots, self.counter, self.table, self.inset)
        if settings.camera_rotation:
            moving.add(self.axes, self.surface, self.axis_names)  # a turning camera redraws everything each frame
        self.replay(moving, show_step, show_time if settings.camera_rotation else None)

    @property
    def three_d_camera(self) -> mn.ThreeDCamera:
        """The renderer's camera: a ThreeDCamera under Cairo, the only renderer ``construct`` accepts."""
        return cast(mn.ThreeDCamera, self.renderer.camera)

    def regions(self, left: float, right: float, top: float) -> tuple[Box, Box]:
        """The loss inset at the right of the band between header and table, as narrow as it reads; the surface
        keeps the frame's middle (the camera turns about it) and the width on both sides that leaves."""
        return self.inset_at_right(left, right, top, 0.3)

    def view(self) -> tuple[AxisRange, AxisRange]:
        """The x and y ranges of the surface, as a map of the same runs would show them (without widening)."""
        if "_view" not in vars(self):
            self._view = view_2d(self.objective(), self.trajectories(), self.settings.x_range, self.settings.y_range)
        return self._view

    def exit_rows(self) -> list[int | None]:
        """Where each run leaves the surface's view (the momentum run escaping the saddle is the lesson)."""
        return [clip_to_view(trajectory.params, *self.view())[1] for trajectory in self.trajectories()]

    def height(self, x: float, y: float) -> float:
        """The surface's height at (x, y): the function's value, clipped to the drawn box."""
        return float(np.clip(self.objective().numpy(x, y), *self.z_view))

    def build_surface(self, clipped: list[tuple[np.ndarray, int | None]]) -> None:
        """The axes (``axes``) sized to the view, at equal x and y scale unless ``equal_scale`` is off, the
        surface coloured by height with the theme's colour ramp, and the axis names (``axis_names``)."""
        objective, settings = self.objective(), self.settings
        x_view, y_view = self.x_view, self.y_view = self.view()
        landscape = Landscape.sample(objective, x_view, y_view, 60)
        low, high = np.percentile(landscape.z[np.isfinite(landscape.z)], [1, 99])
        # Reach down to the lowest loss a run has while in view, so no shown iterate is cut off below.
        in_view = [t.losses[:row] for t, (_, row) in zip(self.trajectories(), clipped, strict=True)]
        low = min(float(low), *(float(np.nanmin(losses)) for losses in in_view if len(losses)))
        self.z_view = (low, float(high))
        width, depth = equal_scale_size(x_view, y_view, (1.0, 1.0)) if settings.equal_scale else (1.0, 1.0)
        self.axes = mn.ThreeDAxes(
            x_range=x_view.as_manim(), y_range=y_view.as_manim(), z_range=[low, high, (high - low) / 4],
            x_length=4 * width, y_length=4 * depth, z_length=2.2,  # fit_in scales it to the frame
            axis_config={"stroke_width": 1.5, "color": self.style.frame},
        )  # fmt: skip
        resolution = settings.surface_resolution
        self.surface = mn.Surface(
            lambda x, y: self.axes.c2p(x, y, self.height(x, y)), u_range=(x_view.low, x_view.high),
            v_range=(y_view.low, y_view.high), resolution=(resolution, resolution), fill_opacity=0.85,
            # Mesh lines as the map's contour lines: on the dark ramp they carry the shape.
            stroke_width=0.6, stroke_color=self.style.contour, stroke_opacity=0.4,
        )  # fmt: skip
        ramp = [mn.ManimColor(c) for c in settings.surface_colors] if settings.surface_colors else None
        ramp = ramp or [mn.ManimColor.from_rgb(c) for c in self.style.heatmap]
        self.surface.set_fill_by_value(axes=self.axes, colorscale=list(zip(ramp, np.linspace(low, high, len(ramp)))))
        self.axis_names = mn.VGroup(*(Label(n, font_size=self.small_text, color=self.style.tick_text) for n in "xyf"))
        self.place_axis_names()

    def place_axis_names(self) -> None:
        """Each axis's name just beyond its arrow tip."""
        for name, axis, direction in zip(self.axis_names, self.axes.get_axes(), (mn.RIGHT, mn.UP, mn.OUT), strict=True):
            name.move_to(axis.get_end() + direction * 0.3 * self.size_factor)

    def theta_at(self, progress: float) -> float:
        """The camera's turn, in radians, ``progress`` (0 to 1) of the way through the replay."""
        return (self.settings.theta + self.settings.camera_rotation * progress) * mn.DEGREES

    def fit_in(self, box: tuple[float, float, float, float]) -> None:
        """Scale the 3D part and move it along the vertical so that, from every angle the camera takes in the
        replay, it stays within ``box`` (left, right, bottom, top): nothing drawn through the header or table."""
        camera = self.three_d_camera
        left, right, bottom, top = box
        half_width = min(right, -left)  # the turn is about the frame's middle: fit the farther side
        content = mn.Group(self.axes, self.surface)
        for _ in range(3):  # perspective makes the fit a little non-linear: settle it in a few rounds
            extent = self.projected_extent(camera)
            scale = min(half_width / max(-extent[0], extent[1]), (top - bottom) / (extent[3] - extent[2]))
            content.scale(scale * 0.98, about_point=mn.ORIGIN)
            self.place_axis_names()
            extent = self.projected_extent(camera)
            lift = ((top + bottom) - (extent[3] + extent[2])) / 2 / max(np.sin(self.settings.phi * mn.DEGREES), 0.1)
            content.shift(lift * mn.OUT)
            self.place_axis_names()
        self.set_camera_orientation(theta=self.theta_at(0.0))
        camera.reset_rotation_matrix()

    def projected_extent(self, camera: mn.ThreeDCamera) -> tuple[float, float, float, float]:
        """Left, right, bottom and top on screen of the axes, the surface and the axis names over the turns
        of the replay."""
        points = np.vstack([m.get_all_points() for m in (self.axes, self.surface, self.axis_names)])
        turns = np.linspace(0.0, 1.0, 9) if self.settings.camera_rotation else [0.0]
        seen = []
        for progress in turns:
            self.set_camera_orientation(theta=self.theta_at(progress))
            camera.reset_rotation_matrix()
            seen.append(camera.project_points(points)[:, :2])
        low, high = np.vstack(seen).min(axis=0), np.vstack(seen).max(axis=0)
        return float(low[0]), float(high[0]), float(low[1]), float(high[1])

    def pose(self, frame: int) -> None:
        """Put the camera, dots and paths where they are in frame ``frame`` of the replay."""
        show_step, show_time = self._show
        if self.settings.camera_rotation:
            show_time(frame / max(self.plan.replay_frames - 1, 1))
        show_step(self.plan.step_at(frame))
        self.three_d_camera.reset_rotation_matrix()  # projections now use this frame's camera
