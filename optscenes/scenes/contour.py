"""Two-variable functions as a contour map: heatmap, contour lines, and the runs walking over them."""

from __future__ import annotations

import manim as mn
import numpy as np

from ..core.landscape import Landscape
from ..core.trajectory import Trajectory
from ..core.views import equal_scale_size, view_2d
from ..visuals.axes import frame_axes, iterate_points
from ..visuals.text import Label
from .comparison import Box, ComparisonScene

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

    def build_texts(self) -> tuple[float, float, float]:
        """As in every comparison, but with the subtitle on the title's line when both fit there beside the
        step counter: the map gains a line's height."""
        left, right, top = super().build_texts()
        title, subtitle = self.header
        gap = 0.6 * self.size_factor
        if title.width + subtitle.width + self.counter.width + 2 * gap <= right - left:
            subtitle.next_to(title, mn.RIGHT, buff=gap).align_to(title, mn.DOWN)
            self.counter.align_to(title, mn.DOWN)
            top = min(self.header.get_bottom()[1], self.counter.get_bottom()[1]) - 0.25 * self.size_factor
        return left, right, top

    def regions(self, left: float, right: float, top: float) -> tuple[Box, Box]:
        """The larger map of two layouts: the inset right of the map, both above the table; or the map across
        the whole width and the inset in the corner right of the table, when the table leaves it room there.
        The map's box holds its numbers and names too (see ``build_plot``)."""
        gap = 0.25 * self.size_factor
        layouts = [self.inset_at_right(left, right, top, gap)]
        inset_left, inset_right = layouts[0][1][:2]
        corner_left = self.table.get_right()[0] + 2 * gap  # twice the gap: the table's numbers end flush right
        if inset_right - corner_left >= inset_right - inset_left:
            bottom = self.table.get_bottom()[1]
            inset_top = bottom + max(self.least_inset_size()[1], self.table.height)
            layouts.append(((left, right, inset_top + gap, top), (corner_left, inset_right, bottom, inset_top)))
        return max(layouts, key=lambda layout: self._map_area(layout[0]))

    def _map_area(self, box: Box) -> float:
        """About how much of ``box`` the heatmap fills: less the room its numbers and names usually take."""
        left, right, bottom, top = box
        return max(right - left - 1.3 * self.size_factor, 0.0) * max(top - bottom - 0.5 * self.size_factor, 0.0)

    def build_plot(self, region: Box) -> mn.Mobject:
        """The heatmap, contour lines, framed numbers, axis names and known minima inside ``region``: the
        heatmap as large as the room its numbers and names leave, measured on them."""
        objective = self.objective()
        # A first guess at the room for the numbers (left, right, below), then what they take: a new view has
        # new numbers, so a third round keeps the larger room where they grew.
        margins = (1.5 * self.size_factor, 0.54 * self.size_factor, 0.66 * self.size_factor)
        frame, names = self.frame_map(region, margins)
        first = self._room_taken(frame, names)
        frame, names = self.frame_map(region, first)
        second = self._room_taken(frame, names)
        if any(b > a for a, b in zip(first, second, strict=True)):
            frame, names = self.frame_map(region, tuple(map(max, first, second)))
        x_view, y_view = self.x_view, self.y_view
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

    def frame_map(self, region: Box, margins: tuple[float, float, float]) -> tuple[mn.VGroup, mn.VGroup]:
        """The view and ``axes`` for a heatmap filling ``region`` less ``margins`` (left, right, below) at equal
        scale unless ``equal_scale`` is off, and its frame with numbers, and the axis names."""
        left, right, bottom, top = region
        box = (right - left - margins[0] - margins[1], top - bottom - margins[2])
        equal = self.settings.equal_scale
        x_view, y_view = view_2d(
            self.objective(), self.trajectories(), self.settings.x_range, self.settings.y_range, box if equal else None
        )
        self.x_view, self.y_view = x_view, y_view
        width, height = equal_scale_size(x_view, y_view, box) if equal else box
        self.axes = mn.Axes(
            x_range=x_view.as_manim(), y_range=y_view.as_manim(), x_length=width, y_length=height, tips=False,
            axis_config={"stroke_opacity": 0},  # the map's frame replaces axes through its middle
        )  # fmt: skip
        # Round ticks may leave a sliver of the box over: the map sits in its middle.
        corner = np.array([left + margins[0] + (box[0] - width) / 2, bottom + margins[2] + (box[1] - height) / 2, 0])
        self.axes.shift(corner - self.axes.c2p(x_view.low, y_view.low))
        label_size = self.small_text
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
        return frame, names

    def _room_taken(self, frame: mn.VGroup, names: mn.VGroup) -> tuple[float, float, float]:
        """How far the numbers and names reach past the heatmap on its left, right and below, and a hair."""
        low = self.axes.c2p(self.x_view.low, self.y_view.low)
        high = self.axes.c2p(self.x_view.high, self.y_view.high)
        around = mn.VGroup(frame, names)
        hair = 0.02 * self.size_factor
        return (
            low[0] - around.get_left()[0] + hair, around.get_right()[0] - high[0] + hair,
            low[1] - around.get_bottom()[1] + hair,
        )  # fmt: skip
