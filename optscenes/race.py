"""Several runs on one curve, on one step clock: a race, a learning-rate sweep, basins of attraction."""

from __future__ import annotations

from typing import Any, ClassVar

import manim as mn
import numpy as np

from .errors import OptscenesError
from .framing import FramePlan, frame_plan
from .runs import Run, describe_common, label_runs
from .scene import _MARGIN, OptimizerScene
from .trajectory import Trajectory
from .visuals import LossInset, RunTable, StepCounter, StepPath, iterate_points

__all__ = ["OKABE_ITO", "RaceScene"]

#: Okabe and Ito's colour-blind-safe palette, without its black.
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"]


class RaceScene(OptimizerScene):
    """Several runs replayed together: one dot and path per run, a table that is legend and readout, and
    a loss-against-step inset.

    Set ``runs`` to a list of :class:`Run`; fields a run leaves unset come from the scene's own
    ``optimizer``, ``lr``, ``start``, ``optimizer_kwargs`` and schedule. Runs are named by what differs
    between them (``Adam lr=0.25``) unless a run has a ``label``. A run that ends early (diverged or
    converged) holds its last position, ringed, and says so in its row.
    """

    runs: ClassVar[list[Run]] = []
    colors: ClassVar[list[str]] = OKABE_ITO
    curve_color: ClassVar[mn.ParsableManimColor] = mn.GRAY_C
    minima: ClassVar[list[float]] = []  # x of known minima, marked on the curve
    show_starts: ClassVar[bool] = True
    end_hold: ClassVar[float] = 1.0  # a comparison needs a look at where every run ended
    columns: ClassVar[tuple[str, ...]] = ("x", "f", "grad", "lr")  # any of x, y, f, grad, |grad|, lr

    def run_list(self) -> list[Run]:
        """``runs``, or the scene's own settings as the one run when ``runs`` is empty."""
        return list(self.runs) or [Run()]

    def run_settings_list(self) -> list[dict[str, Any]]:
        if len(self.run_list()) > len(self.colors):
            raise OptscenesError(f"{type(self).__name__} has {len(self.runs)} runs; at most {len(self.colors)} have colours.")
        defaults = {
            "optimizer": self.optimizer, "lr": self.lr, "start": self.start, "scheduler": self.scheduler,
            "scheduler_kwargs": self.scheduler_kwargs, "optimizer_kwargs": self.optimizer_kwargs,
        }  # fmt: skip
        common = {"steps": self.steps, "dtype": self.dtype, "tol": self.tol, "escape": self.escape}
        return [{**run.settings(defaults), **common} for run in self.run_list()]

    def trajectories(self) -> list[Trajectory]:
        """Every run, in the order of ``runs``."""
        if not hasattr(self, "_trajectories"):
            self._trajectories = [self.run(settings) for settings in self.run_settings_list()]
        return self._trajectories

    def trajectory(self) -> Trajectory:
        return self.trajectories()[0]

    def shown_settings_list(self) -> list[dict[str, Any]]:
        """Each run's settings as the picture names them (see ``shown_settings``)."""
        return [self.shown_settings(s, t) for s, t in zip(self.run_settings_list(), self.trajectories(), strict=True)]

    def labels(self) -> list[str]:
        settings = self.shown_settings_list()
        names = [t.optimizer for t in self.trajectories()]
        automatic = label_runs(settings, names)
        return [run.label or auto for run, auto in zip(self.run_list(), automatic, strict=True)]

    def frame_plan(self) -> FramePlan:
        steps = max(t.requested_steps for t in self.trajectories())
        return frame_plan(steps, mn.config.frame_rate, self.seconds_per_step, self.end_hold)

    def build_texts(self, trajectories: list[Trajectory], colors: list[str]) -> tuple[float, float, float]:
        """The header and step counter at the top and the table of runs along the bottom.

        Returns the left, right and top of the space left between them (its bottom is the table's top).
        """
        width, height = self.frame_size
        self.counter = StepCounter(self.plan.steps, font_size=self.text_size * 0.9, color=self.text_color)
        self.header = self.build_header(describe_common(self.shown_settings_list(), [t.optimizer for t in trajectories]))
        top = self.place_header(self.header, corner=self.counter) - 0.3
        notes = [None if t.status == "finished" else f"{t.status} at {t.stopped_at}" for t in trajectories]
        self.table = RunTable(
            self.labels(), colors, list(self.columns), font_size=self.small_text, text_color=self.text_color, notes=notes
        )
        left, right, bottom = -width / 2 + _MARGIN, width / 2 - _MARGIN, -height / 2 + _MARGIN
        if self.table.width > right - left:
            self.table.scale_to_fit_width(right - left)
        self.table.align_to(np.array([left, bottom, 0.0]), mn.DL)
        return left, right, top

    @property
    def small_text(self) -> float:
        """The font size of the table and the inset."""
        return self.text_size * 0.68

    def construct(self) -> None:
        trajectories = self.trajectories()
        colors = self.colors[: len(trajectories)]
        plan = self.plan = self.frame_plan()
        small = self.small_text
        # The table (legend and readout) spans the bottom; the curve takes the left, the inset the right.
        left, right, top = self.build_texts(trajectories, colors)
        plot_bottom = self.table.get_top()[1] + 0.35
        split = left + (right - left) * 0.64
        plot = self.build_plot(trajectories, (left, split - 0.3, plot_bottom, top))
        inset_size = (right - split - 0.9, (top - plot_bottom) * 0.62)
        self.inset = LossInset([t.losses for t in trajectories], plan.steps, colors, inset_size, small * 0.85)
        self.inset.move_to([(split + right) / 2 + 0.2, (top + plot_bottom) / 2, 0])
        overflow = self.inset.get_right()[0] - right  # its last step's number sticks out on the right
        if overflow > 0:
            self.inset.shift(overflow * mn.LEFT)

        self.add(self.header, plot)

        points, self.exit_rows = zip(*(self.run_points(t) for t in trajectories), strict=True)
        radius = self.dot_radius * self.size_factor
        if self.show_starts:
            self.add(*(mn.Circle(radius=radius * 1.25, color=c, stroke_width=2).move_to(p[0]) for p, c in zip(points, colors, strict=True)))
        self.paths = [StepPath(p, stroke_color=c, stroke_width=3, stroke_opacity=0.7) for p, c in zip(points, colors, strict=True)]
        # Each run's dot a little smaller than the one before: runs that meet show as concentric rings.
        shrink = [1.0 - 0.5 * i / max(len(points) - 1, 1) for i in range(len(points))]
        self.dots = [mn.Dot(p[0], radius=radius * k, color=c) for p, c, k in zip(points, colors, shrink, strict=True)]
        self.rings = [mn.Circle(radius=radius * 1.9, color=c, stroke_width=3).move_to(p[-1]) for p, c in zip(points, colors, strict=True)]
        self.ring_slots = [mn.VGroup() for _ in trajectories]
        moving = mn.VGroup(*self.paths, *self.ring_slots, *self.dots, self.counter, self.table, self.inset)

        def show_step(step: int) -> None:
            self.inset.show_until(self.show_runs(step, points))

        self.add(moving)
        self.replay(moving, show_step, trajectories)

    def show_runs(self, step: int, points: list[np.ndarray]) -> list[int]:
        """Every run at clock step ``step``: its path, dot and table row, and, once it has ended, its ring
        and note. A run that ended earlier holds its last row. Returns the row shown of each run."""
        self.counter.set_step(step)
        rows = [min(step, t.steps) for t in self.trajectories()]
        for index, (t, row) in enumerate(zip(self.trajectories(), rows, strict=True)):
            self.paths[index].show_until(row)
            exit_row = self.exit_rows[index]
            self.dots[index].move_to(points[index][row]).set_opacity(0.0 if exit_row is not None and row >= exit_row else 1.0)
            values = t.row(row)
            self.table.set_row(index, [values[c] for c in self.columns])
            ended = t.stopped_at is not None and step >= t.stopped_at
            if self.ring_slots:
                self.ring_slots[index].submobjects = [self.rings[index]] if ended else []
            self.table.show_note(index, ended)
        return rows

    def build_plot(self, trajectories: list[Trajectory], region: tuple[float, float, float, float]) -> mn.Mobject:
        """The static picture the runs move over, in ``region``: axes, the curve, the known minima."""
        self.axes = self.build_axes(trajectories, region)
        self.graph = self.build_graph(self.curve_color)
        markers = mn.VGroup()
        for x in self.minima:
            point = self.axes.c2p(x, self.objective().value(x))
            marker = mn.Triangle(color=mn.WHITE, fill_opacity=1).scale(0.07 * self.size_factor).rotate(mn.PI)
            markers.add(marker.next_to(point, mn.UP, buff=0.08))
        return mn.VGroup(self.axes, self.graph, markers)

    def run_points(self, trajectory: Trajectory) -> tuple[np.ndarray, int | None]:
        """Scene points of a run's iterates on the plot, cut where it leaves the view (see ``iterate_points``)."""
        return iterate_points(self.axes, trajectory.params[:, 0], trajectory.losses, (self.x_view, self.y_view))

    def recorded_runs(self) -> list[tuple[str, Trajectory]]:
        """Every run with its label, for the provenance record."""
        return list(zip(self.labels(), self.trajectories(), strict=True))
