"""Several runs on one curve, on one step clock: a race, a learning-rate sweep, basins of attraction."""

from __future__ import annotations

import manim as mn
import numpy as np

from ..core.trajectory import Trajectory
from ..core.views import view_1d
from ..visuals.axes import curve_plot, iterate_points
from .comparison import ComparisonScene

__all__ = ["RaceScene"]


class RaceScene(ComparisonScene):
    """Several runs on the graph of a function of x: one dot and path per run, a table that is legend and
    readout, and a loss-against-step inset (see :class:`~optscenes.scenes.comparison.ComparisonScene`).
    """

    _kind = "race"

    def build_plot(self, region: tuple[float, float, float, float]) -> mn.Mobject:
        """The static picture the runs move over, in ``region``: axes, the curve, the known minima."""
        self.x_view, self.y_view = view_1d(self.objective(), self.trajectories(), self.settings.x_range, self.settings.y_range)
        self.axes, self.graph = curve_plot(
            lambda x: float(self.objective().numpy(x)), (self.x_view, self.y_view), region, self.text_size * 0.65,
            self.style, self.color("curve_color", self.style.comparison_curve),
        )  # fmt: skip
        markers = mn.VGroup()
        named = self.objective().named
        known = [point[0] for point in named.minima] if named is not None and self.settings.show_minima else []
        for x in dict.fromkeys([*known, *self.settings.minima]):
            point = self.axes.c2p(x, self.objective().value(x))
            marker = mn.Triangle(color=self.style.marker, fill_opacity=1).scale(0.07 * self.size_factor).rotate(mn.PI)
            markers.add(marker.next_to(point, mn.UP, buff=0.08))
        return mn.VGroup(self.axes, self.graph, markers)

    def run_points(self, trajectory: Trajectory) -> tuple[np.ndarray, int | None]:
        """Scene points of a run's iterates on the plot, cut where it leaves the view."""
        return iterate_points(self.axes, trajectory.params[:, 0], trajectory.losses, (self.x_view, self.y_view))
