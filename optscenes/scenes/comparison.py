"""What every comparison of several runs shares: the runs, their labels, the counter, header and table."""

from __future__ import annotations

from typing import Any

import manim as mn
import numpy as np

from ..core.describe import describe_common, distinct_settings, format_value, label_runs
from ..core.errors import SettingError
from ..core.settings import RUN_SETTINGS, Run
from ..core.trajectory import Trajectory
from ..core.views import loss_axis
from ..visuals.inset import LossInset, legible_font_size
from ..visuals.marks import StepCounter
from ..visuals.runs import RunMarks
from ..visuals.table import RunTable
from ..visuals.text import SMALL_TEXT, Label
from .base import MARGIN, ReplayScene

__all__ = ["ComparisonScene"]

#: A box in scene units: left, right, bottom, top.
Box = tuple[float, float, float, float]


class ComparisonScene(ReplayScene):
    """Several runs replayed on one step clock, with a table that is legend and readout in one.

    Set ``runs`` to a list of :class:`~optscenes.Run`; settings a run leaves unset are the scene's own.
    Runs are named by what differs between them (``Adam lr=0.25``) unless a run has a ``label``. The
    scene types :class:`~optscenes.RaceScene`, :class:`~optscenes.ContourScene` and
    :class:`~optscenes.SurfaceScene` draw them on a curve, a map and a surface.
    """


    def run_list(self) -> list[Run]:
        """``runs``, or the scene's own settings as the one run when ``runs`` is empty."""
        return list(self.settings.runs) or [Run()]

    def run_settings_list(self) -> list[dict[str, Any]]:
        """The keyword arguments of ``optimize`` for each run."""
        if len(self.run_list()) > len(self.run_colors()):
            raise SettingError(
                f"{type(self).__name__} has {len(self.run_list())} runs; at most {len(self.run_colors())} have colours."
            )
        scene = {name: self.settings[name] for name in RUN_SETTINGS}
        return [run.settings(scene) for run in self.run_list()]

    def run_colors(self) -> list[mn.ManimColor]:
        """The colour of each run, in order: ``colors``, or the theme's palette."""
        chosen = self.settings.colors if self.settings.colors is not None else self.style.runs
        return [mn.ManimColor(c) for c in chosen]

    def trajectories(self) -> list[Trajectory]:
        """Every run, in the order of ``runs``."""
        if "_trajectories" not in vars(self):
            self._trajectories = [self.trajectory_for(settings) for settings in self.run_settings_list()]
        return self._trajectories

    def shown_settings_list(self) -> list[dict[str, Any]]:
        """Each run's settings as the picture names them: those runs can differ in, with the learning rate
        the optimizer was built with (its default when ``lr`` was left unset)."""
        shown = []
        for settings, trajectory in zip(self.run_settings_list(), self.trajectories(), strict=True):
            entry = distinct_settings(settings)
            entry["lr"] = trajectory.hyperparameters.get("lr", entry.get("lr"))
            shown.append(entry)
        return shown

    def labels(self) -> list[str]:
        """Each run's name: its ``label``, or what tells it apart from the others."""
        automatic = label_runs(self.shown_settings_list(), [t.optimizer for t in self.trajectories()])
        return [run.label or auto for run, auto in zip(self.run_list(), automatic, strict=True)]

    def recorded_trajectories(self) -> list[tuple[str, Trajectory]]:
        """Every run with its label, for the provenance record."""
        return list(zip(self.labels(), self.trajectories(), strict=True))

    @property
    def small_text(self) -> float:
        """The font size of the table, the inset, tick numbers and notes: the smallest text."""
        return self.text_size * SMALL_TEXT

    def build_texts(self) -> tuple[float, float, float]:
        """The header and step counter at the top and the table of runs along the bottom.

        Returns the left, right and top of the space left between them (its bottom is the table's top).
        """
        trajectories = self.trajectories()
        width, height = self.frame_size
        self.counter = StepCounter(self.plan.steps, font_size=self.text_size * 0.9, color=self.foreground)
        self.header = self.build_header(describe_common(self.shown_settings_list(), [t.optimizer for t in trajectories]))
        top = self.place_header(self.header, corner=self.counter) - 0.3
        left, right, bottom = -width / 2 + MARGIN, width / 2 - MARGIN, -height / 2 + MARGIN
        self.table = self.build_table(right - left)
        self.table.align_to(np.array([left, bottom, 0.0]), mn.DL)
        return left, right, top

    def build_table(self, room: float) -> RunTable:
        """The table at the size of the smallest text, no wider than ``room``: each column as wide as its
        widest value, and the last columns left out (with a warning) while it would not fit; shrunk only
        when the names alone are too wide."""
        notes = [None if note is None else note[0] for note in self.run_notes()]
        rows = [t.row(k) for t in self.trajectories() for k in range(t.steps + 1)]
        columns = list(self.settings.columns)
        # The widest value: the most characters, and on a tie the most digits (narrower glyphs are - . e).
        widest = [max((format_value(row[c]) for row in rows), key=lambda v: (len(v), sum(map(str.isdigit, v)))) for c in columns]
        while True:
            table = RunTable(
                self.labels(), self.run_colors()[: len(self.trajectories())], columns, font_size=self.small_text,
                text_color=self.foreground, heading_color=self.style.secondary_text, notes=notes, widest=widest,
            )  # fmt: skip
            if table.width <= room or len(columns) == 1:
                break
            columns, widest = columns[:-1], widest[:-1]
        left_out = [c for c in self.settings.columns if c not in columns]
        if left_out:
            mn.logger.warning(
                f"optscenes: the table of {type(self).__name__} has no room for {', '.join(left_out)} at this size; "
                "a wider frame or shorter run labels make room."
            )
        return table.scale_to_fit_width(room) if table.width > room else table

    def construct(self) -> None:
        """The table along the bottom, the plot and the loss inset where ``regions`` puts them; a run that ends
        early (diverged or converged) holds its last position, ringed, and says so in its row."""
        trajectories = self.trajectories()
        colors = self.run_colors()[: len(trajectories)]
        self.plan = self.frame_plan()
        plot_region, inset_box = self.regions(*self.build_texts())
        plot = self.build_plot(plot_region)
        self.inset = None if inset_box is None else self.build_inset(inset_box)

        self.add(self.header, plot)
        points, exit_rows = zip(*(self.run_points(t) for t in trajectories), strict=True)
        radius = self.settings.dot_radius * self.size_factor
        self.marks = RunMarks(
            points, exit_rows, colors, radius, outline=self.style.background, label_size=self.small_text,
            path_width=3.5, path_opacity=0.85, fade_after=self.settings.fade_after,
        )  # fmt: skip
        if self.settings.show_starts:
            self.add(self.marks.start_rings([self.style.start] * len(colors), radius * 1.25))
        moving = mn.VGroup(self.marks, self.counter, self.table, *([] if self.inset is None else [self.inset]))

        def show_step(step: int) -> None:
            rows = self.show_runs(step, self.marks)
            if self.inset is not None:
                self.inset.show_until(rows)

        self.add(moving)
        self.replay(moving, show_step)

    def regions(self, left: float, right: float, top: float) -> tuple[Box, Box | None]:
        """Where the plot and the loss inset go in the space ``build_texts`` leaves (``left``, ``right``, ``top``;
        its bottom is the table's top): each a box (left, right, bottom, top); ``None`` for the inset: there
        is none. Here the plot takes the left of the band between header and table, the inset the middle of
        the rest."""
        bottom = self.table.get_top()[1] + 0.35
        split = left + (right - left) * 0.64
        middle, half = (bottom + top) / 2, (top - bottom) * 0.31
        return (left, split - 0.3, bottom, top), (split + 0.65, right - 0.25, middle - half, middle + half)

    def build_inset(self, box: Box) -> LossInset:
        """The loss inset, sized to ``box`` (left, right, bottom, top) and put in it; its last step's number
        may stick out of the box on the right, but never past the frame's margin."""
        left, right, bottom, top = box
        trajectories = self.trajectories()
        colors = self.run_colors()[: len(trajectories)]
        size = (right - left, top - bottom)
        inset = LossInset([t.losses for t in trajectories], self.plan.steps, colors, size, self.small_text, self.style)
        inset.move_to([(left + right) / 2, (bottom + top) / 2, 0])
        overflow = inset.get_right()[0] - (self.frame_size[0] / 2 - MARGIN)
        if overflow > 0:
            inset.shift(overflow * mn.LEFT)
        return inset

    def inset_at_right(self, left: float, right: float, top: float, gap: float) -> tuple[Box, Box]:
        """The plot box and, right of it, the loss inset as narrow as it reads, in the band between the header
        (below ``top``) and the table (``gap`` above it); the inset's height is most of the band's."""
        bottom = self.table.get_top()[1] + gap
        width, height = self.least_inset_size()
        inset_right = right - 0.25 * self.size_factor  # its last step's number sticks out on the right
        middle, half = (bottom + top) / 2, min(max(height, (top - bottom) * 0.62), top - bottom) / 2
        inset = (inset_right - width, inset_right, middle - half, middle + half)
        return (left, inset[0] - gap, bottom, top), inset

    def least_inset_size(self) -> tuple[float, float]:
        """Width and height of the smallest loss inset that still reads: its title at full size (the inset
        would shrink it to fit), room for numbers and lines, and for three ticks (about nine digits tall)."""
        font_size = legible_font_size(self.small_text)
        title = Label(loss_axis([t.losses for t in self.trajectories()]).title, font_size=font_size)
        return max(title.width, 2.6 * self.size_factor), 9 * Label("0", font_size=font_size).height

    def run_notes(self) -> list[tuple[str, int] | None]:
        """Each run's note in the table and the step from which it shows: what ended it early (diverged,
        converged), or else that it left the view (without diverging: an escape is not a failure), or ``None``."""
        if "_notes" not in vars(self):
            notes: list[tuple[str, int] | None] = []
            for trajectory, exit_row in zip(self.trajectories(), self.exit_rows(), strict=True):
                if trajectory.status != "finished":
                    notes.append((f"{trajectory.status} at {trajectory.stopped_at}", trajectory.stopped_at))
                else:
                    notes.append(None if exit_row is None else (f"left the view at step {exit_row}", exit_row))
            self._notes = notes
        return self._notes

    def exit_rows(self) -> list[int | None]:
        """The row at which each run leaves the view (``None``: it stays), for scene types whose view is known
        before the plot is drawn; others say nothing."""
        return [None] * len(self.trajectories())

    def build_plot(self, region: tuple[float, float, float, float]) -> mn.Mobject:
        """The static picture the runs move over, filling ``region`` (left, right, bottom, top); sets
        ``axes`` and the view (``x_view``, ``y_view``)."""
        raise NotImplementedError

    def run_points(self, trajectory: Trajectory) -> tuple[np.ndarray, int | None]:
        """Scene points of a run's iterates on the plot, cut where it leaves the view, and that row."""
        raise NotImplementedError

    def show_runs(self, step: int, marks: RunMarks, rings: bool = True) -> list[int]:
        """Every run at clock step ``step``: its marks and table row, and, once it has ended, its note (and
        ring, with ``rings``). A run that ended earlier holds its last row. Returns the row shown of each."""
        self.counter.set_step(step)
        trajectories = self.trajectories()
        rows = [min(step, t.steps) for t in trajectories]
        ended = [t.stopped_at is not None and step >= t.stopped_at for t in trajectories]
        marks.show(rows, ended if rings else None)
        notes = self.run_notes()
        for index, (t, row) in enumerate(zip(trajectories, rows, strict=True)):
            values = t.row(row)
            self.table.set_row(index, [values[c] for c in self.table.columns])
            self.table.show_note(index, notes[index] is not None and step >= notes[index][1])
        return rows
