"""Several runs on one curve, on one step clock: a race, a learning-rate sweep, basins of attraction."""

from __future__ import annotations

import manim as mn
import numpy as np

from ..core.trajectory import Trajectory
from ..core.views import AxisRange, clip_to_view, view_1d
from ..visuals.axes import curve_plot, iterate_points
from ..visuals.panels import RunPanel, panel_cells
from ..visuals.runs import RunMarks
from .base import MARGIN
from .comparison import ComparisonScene

__all__ = ["RaceScene"]


class RaceScene(ComparisonScene):
    """Several runs on the graph of a function of x: one dot and path per run, a table that is legend and
    readout, and a loss-against-step inset (see :class:`~optscenes.scenes.comparison.ComparisonScene`).

    With ``layout = "panels"`` each run gets a panel of its own with its own view (for sweeps whose runs
    live at different scales), all on one step clock; the table stays when there is room for it, and
    the panels take the inset's place.
    """

    _kind = "race"

    def build_plot(self, region: tuple[float, float, float, float]) -> mn.Mobject:
        """The static picture the runs move over, in ``region``: axes, the curve, the known minima."""
        self.x_view, self.y_view = self.views()[0]
        self.axes, self.graph = curve_plot(
            lambda x: float(self.objective().numpy(x)), (self.x_view, self.y_view), region, self.small_text,
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

    def views(self) -> list[tuple[AxisRange, AxisRange]]:
        """The x and y views: one for all runs, or with ``layout = "panels"`` one per run."""
        if "_views" not in vars(self):
            objective, trajectories = self.objective(), self.trajectories()
            x_range, y_range = self.settings.x_range, self.settings.y_range
            if self.settings.layout == "panels":
                self._views = [view_1d(objective, [t], x_range, y_range) for t in trajectories]
            else:
                self._views = [view_1d(objective, trajectories, x_range, y_range)]
        return self._views

    def exit_rows(self) -> list[int | None]:
        views = self.views()
        if len(views) == 1:
            views = views * len(self.trajectories())
        return [
            clip_to_view(np.column_stack([t.params[:, 0], t.losses]), *view)[1]
            for t, view in zip(self.trajectories(), views, strict=True)
        ]

    def run_points(self, trajectory: Trajectory) -> tuple[np.ndarray, int | None]:
        """Scene points of a run's iterates on the plot, cut where it leaves the view."""
        return iterate_points(self.axes, trajectory.params[:, 0], trajectory.losses, (self.x_view, self.y_view))

    def construct(self) -> None:
        """The runs overlaid on one plot, or each in its own panel (``layout``)."""
        if self.settings.layout == "panels":
            self.construct_panels()
        else:
            super().construct()

    def construct_panels(self) -> None:
        """A grid of panels between the header and the table, one per run, each framed for its run alone;
        one counter drives every panel. The table is dropped when keeping it would leave panels too short
        to read (a panel's frame box under a fifth of the frame's height)."""
        trajectories = self.trajectories()
        colors = self.run_colors()[: len(trajectories)]
        self.plan = self.frame_plan()
        left, right, top = self.build_texts()
        views = self.views()
        # Room for status words under the plots only when some run will have words to show.
        status_line = any(note is not None for note in self.run_notes())
        self.panels = self.build_panels((left, right, self.table.get_top()[1] + 0.3, top), views, status_line)
        self.table_shown = min(p.plot_height for p in self.panels) >= self.frame_size[1] / 5
        if not self.table_shown:
            self.panels = self.build_panels((left, right, -self.frame_size[1] / 2 + MARGIN, top), views, status_line)
        self.add(self.header, *self.panels)
        placed = [self.panel_points(p, t) for p, t in zip(self.panels, trajectories, strict=True)]
        points, exit_rows = zip(*placed, strict=True)
        radius = self.settings.dot_radius * self.size_factor
        self.marks = RunMarks(
            points, exit_rows, colors, radius, outline=self.style.background, label_size=self.small_text * 0.85,
            path_width=3.5, path_opacity=0.85, fade_after=self.settings.fade_after,
        )  # fmt: skip
        if self.settings.show_starts:
            self.add(self.marks.start_rings([self.style.start] * len(colors), radius * 1.25))
        statuses = [self.status_words(*run) for run in zip(self.panels, trajectories, exit_rows, strict=True)]
        moving = mn.VGroup(self.marks, self.counter, *(p.status_slot for p in self.panels))
        if self.table_shown:
            moving.add(self.table)

        def show_step(step: int) -> None:
            rows = self.show_runs(step, self.marks)
            shown = zip(self.panels, statuses, trajectories, rows, exit_rows, strict=True)
            for panel, (left_view, ended), t, row, exit_row in shown:
                # The end (converged, diverged) once reached; before it, that the dot left the view.
                if ended is not None and step >= t.stopped_at:
                    panel.show_status(ended)
                elif left_view is not None and row >= exit_row:
                    panel.show_status(left_view)
                else:
                    panel.show_status(None)

        self.add(moving)
        self.replay(moving, show_step)

    def build_panels(
        self, region: tuple[float, float, float, float], views: list[tuple[AxisRange, AxisRange]], status_line: bool
    ) -> list[RunPanel]:
        """A panel per run in ``region``, each with its own view (``views``: the one the single-run scene
        would give that run), with a line for status words under each plot when ``status_line``."""
        curve = self.color("curve_color", self.style.comparison_curve)
        cells = panel_cells(len(views), region, gap=0.3 * self.size_factor)
        runs = zip(self.labels(), self.run_colors(), views, cells, strict=False)
        return [
            RunPanel(label, color, self.curve_function, view, cell, self.small_text, self.style, curve, status_line)
            for label, color, view, cell in runs
        ]

    def curve_function(self, x: float) -> float:
        """The function's value at ``x``, as the curve is drawn."""
        return float(self.objective().numpy(x))

    def panel_points(self, panel: RunPanel, trajectory: Trajectory) -> tuple[np.ndarray, int | None]:
        """Scene points of a run's iterates in its own panel, cut where it leaves that panel's view."""
        return iterate_points(panel.axes, trajectory.params[:, 0], trajectory.losses, panel.view)

    def status_words(
        self, panel: RunPanel, trajectory: Trajectory, exit_row: int | None
    ) -> tuple[mn.Mobject | None, mn.Mobject | None]:
        """A panel's words: that its run left the view (``None`` if it stays), and what ended it early,
        ``diverged`` or ``converged`` (``None`` for a run that took every step)."""
        left_view = None
        if exit_row is not None:
            left_view = panel.status_label(f"left the view at step {exit_row}", self.style.secondary_text)
        if trajectory.status == "finished":
            return left_view, None
        color = self.style.diverged if trajectory.status == "diverged" else self.style.converged
        return left_view, panel.status_label(f"{trajectory.status} at step {trajectory.stopped_at}", color)
