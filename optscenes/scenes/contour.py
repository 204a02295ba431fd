"""Two-variable functions as a contour map: heatmap, contour lines, and the runs walking over them."""

from __future__ import annotations

import manim as mn
import numpy as np

from ..core.landscape import Landscape
from ..core.trajectory import Trajectory
from ..core.views import equal_scale_size, view_2d
from ..visuals.axes import frame_axes, iterate_points
from ..visuals.text import Label
from .comparison import ComparisonScene

__all__ = ["ContourScene"]


class ContourScene(ComparisonScene):
    """A function of x and y as a heatmap under contour lines, with one or more runs on it.

    ``function`` may be a catalogue name (``"rosenbrock"``): its view window and known minima are
    then used. ``start`` is a pair. The table, inset and runs are as in every comparison (left ``runs``
    empty, the scene's own settings are the run).
    """

    _kind = "map"
    _variables = 2
    function = "rosenbrock"
    start = (-1.5, 2.0)
    columns = ("x", "y", "f", "|grad|", "lr")

    def build_plot(self, region: tuple[float, float, float, float]) -> mn.Mobject:
        objective = self.objective()
        left, right, bottom, top = region
        label_size = self.small_text
        # Room for the tick numbers, the y name left of them and the x name right of them.
        margin_x, margin_y, margin_right = 1.5 * self.size_factor, 0.66 * self.size_factor, 0.54 * self.size_factor
        box = (right - left - margin_x - margin_right, top - bottom - margin_y)
        equal = self.settings.equal_scale
        x_view, y_view = view_2d(
            objective, self.trajectories(), self.settings.x_range, self.settings.y_range, box if equal else None
        )
        self.x_view, self.y_view = x_view, y_view
        width, height = equal_scale_size(x_view, y_view, box) if equal else box
        self.axes = mn.Axes(
            x_range=x_view.as_manim(), y_range=y_view.as_manim(), x_length=width, y_length=height, tips=False,
            axis_config={"stroke_opacity": 0},  # the map's frame replaces axes through its middle
        )  # fmt: skip
        # Round ticks may leave a sliver of the box over: the map sits in its middle.
        corner = np.array([left + margin_x + (box[0] - width) / 2, bottom + margin_y + (box[1] - height) / 2, 0])
        self.axes.shift(corner - self.axes.c2p(x_view.low, y_view.low))
        # Drawn once whatever its size: grid_size only costs the first frame.
        landscape = Landscape.sample(objective, x_view, y_view, self.settings.grid_size)
        corner_low, corner_high = self.axes.c2p(x_view.low, y_view.low), self.axes.c2p(x_view.high, y_view.high)
        heatmap = mn.ImageMobject(landscape.rgba(self.style.heatmap))
        heatmap.stretch_to_fit_width(corner_high[0] - corner_low[0])
        heatmap.stretch_to_fit_height(corner_high[1] - corner_low[1])
        heatmap.move_to((corner_low + corner_high) / 2)
        lines = mn.VGroup()
        contour_color = self.color("contour_color", self.style.contour)
        for _, pieces in landscape.contour_lines(landscape.levels(self.settings.contour_levels)):
            for piece in pieces:
                line = mn.VMobject(stroke_color=contour_color, stroke_width=1.2, stroke_opacity=0.45)
                lines.add(line.set_points_as_corners(np.asarray(self.axes.c2p(piece[:, 0], piece[:, 1])).T))
        self.landscape, self.contours = landscape, lines
        frame = frame_axes(self.axes, x_view, y_view, label_size, self.style, zero_line=False)
        labels = frame[-1]
        # Axis names beside the tick numbers: x at the end of its row (no line of its own under the map, which
        # would take height from it), y halfway up left of its column; clear of the header and the inset.
        names = mn.VGroup(
            Label("x", font_size=label_size * 1.1, color=self.style.tick_text).next_to(labels, mn.RIGHT, buff=0.15),
            Label("y", font_size=label_size * 1.1, color=self.style.tick_text).next_to(labels, mn.LEFT, buff=0.12),
        )
        names[0].set_y(labels[0].get_center()[1])
        names[1].set_y(frame[0].get_center()[1])
        markers = mn.VGroup()
        if self.settings.show_minima and objective.named is not None:
            for point in objective.named.minima:
                if x_view.low <= point[0] <= x_view.high and y_view.low <= point[1] <= y_view.high:
                    cross = mn.Cross(scale_factor=0.09 * self.size_factor, stroke_color=self.style.marker, stroke_width=3)
                    markers.add(cross.move_to(self.axes.c2p(*point)))
        self.markers = markers
        return mn.Group(heatmap, lines, frame, names, markers)

    def run_points(self, trajectory: Trajectory) -> tuple[np.ndarray, int | None]:
        return iterate_points(self.axes, trajectory.params[:, 0], trajectory.params[:, 1], (self.x_view, self.y_view))
