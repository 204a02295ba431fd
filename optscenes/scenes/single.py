"""One run on the graph of a function of x: the dot walks the optimizer's iterates."""

from __future__ import annotations

from typing import Any

import manim as mn
import numpy as np

from ..core.describe import describe_common, distinct_settings, format_value
from ..core.settings import RUN_SETTINGS
from ..core.timing import FramePlan
from ..core.trajectory import Trajectory
from ..core.views import AxisRange, clip_to_view, view_1d
from ..visuals.axes import curve_plot, dots, iterate_points
from ..visuals.marks import StepCounter, StepPath, key_step_labels
from ..visuals.runs import RunMarks
from ..visuals.text import SMALL_TEXT, GlyphLine, Label
from .base import MARGIN, ReplayScene

__all__ = ["OptimizerOverview", "OptimizerScene"]


class OptimizerScene(ReplayScene):
    """A dot walks an optimizer's real iterates over the graph of the function.

    Set class attributes in a subclass; everything else is derived:

    >>> class MyDescent(OptimizerScene):
    ...     function = "x^4 - 3*x^2 + x"
    ...     optimizer = "sgd"
    ...     lr = 0.02
    ...     optimizer_kwargs = {"momentum": 0.9}
    ...     start = 2.0
    ...     steps = 60

    Frames: the start is held for ``round(start_hold * frame_rate)`` frames; then every step, the start
    included, lasts ``round(seconds_per_step * frame_rate)`` frames (at least one; left unset, 1/15 s,
    slowed so that the replay lasts at least 3 s: see :func:`~optscenes.core.timing.frame_plan`); then
    the last step is held for ``round(end_hold * frame_rate)`` frames.
    """

    _kind = "single"

    def run_settings(self) -> dict[str, Any]:
        """The keyword arguments of ``optimize`` for this scene's run."""
        return {name: self.settings[name] for name in RUN_SETTINGS}

    def trajectory(self) -> Trajectory:
        """The optimizer run this scene replays."""
        if "_trajectory" not in vars(self):
            self._trajectory = self.trajectory_for(self.run_settings())
        return self._trajectory

    def trajectories(self) -> list[Trajectory]:
        return [self.trajectory()]

    def recorded_trajectories(self) -> Trajectory:
        return self.trajectory()

    def frame_plan(self) -> FramePlan:
        """As in every scene, but over the steps the run took: a run that ended early ends the replay."""
        return self.plan_for(self.trajectory().steps)

    def subtitle(self) -> str:
        """The optimizer and its settings, with the learning rate it was built with (its default when
        ``lr`` is unset); the start is on the picture."""
        trajectory = self.trajectory()
        shown = distinct_settings(self.run_settings())
        shown["lr"] = trajectory.hyperparameters.get("lr", shown.get("lr"))
        shown.pop("start")
        return describe_common([shown], [trajectory.optimizer])

    def view(self) -> tuple[AxisRange, AxisRange]:
        """The x and y axes: ``x_range`` and ``y_range``, or what shows the run and the curve around it."""
        if "_view" not in vars(self):
            self._view = view_1d(self.objective(), [self.trajectory()], self.settings.x_range, self.settings.y_range)
        return self._view

    def build_static(
        self, corner: mn.VMobject, top_corner: mn.Mobject | None = None, status: mn.VGroup | None = None
    ) -> mn.VGroup:
        """Everything that does not move: header, axes, graph; see ``place_header`` for the corners.

        ``status``, words shown during the replay in one place, goes left of ``corner``. The subtitle is
        never shrunk to make room for them: what does not fit right of it (the status, or both) goes on
        a line of its own at the right under the header.
        """
        width, height = self.frame_size
        self.header = self.build_header(self.subtitle())
        room = width - 2 * MARGIN - self.header[1].width - 0.6
        if status is not None:
            for label in status:
                label.next_to(corner, mn.LEFT, buff=0.4)
        whole = mn.VGroup(corner) if status is None else mn.VGroup(status, corner)
        beside: mn.VMobject
        below: mn.VMobject | None
        if whole.width <= room:
            beside, below = whole, None
        elif corner.width <= room:
            beside, below = corner, status
        else:
            beside, below = mn.VectorizedPoint(), whole  # an empty corner: place_header needs one to measure
        top = self.place_header(self.header, beside, top_corner)
        if below is not None:
            below.align_to(np.array([width / 2 - MARGIN, top - 0.12, 0.0]), mn.UR)
            top = below.get_bottom()[1]
        region = (-width / 2 + MARGIN, width / 2 - MARGIN, -height / 2 + MARGIN, top - 0.25)
        self.x_view, self.y_view = self.view()
        self.axes, self.graph = curve_plot(
            lambda x: float(self.objective().numpy(x)), (self.x_view, self.y_view), region, self.text_size * SMALL_TEXT,
            self.style, self.color("curve_color", self.style.curve),
        )  # fmt: skip
        return mn.VGroup(self.header, self.axes, self.graph)

    def construct(self) -> None:
        trajectory = self.trajectory()
        self.plan = self.frame_plan()
        self.counter = StepCounter(trajectory.requested_steps, font_size=self.text_size * 0.9, color=self.foreground)
        self.lr_readout = self.build_lr_readout()
        # The status words go near the counter, outside the plot; their room is kept from the start.
        left_view, ended = self.build_status()
        status_room = mn.VGroup(*(label for label in (left_view, ended) if label is not None))
        self.add(self.build_static(self.counter, self.lr_readout, status_room if len(status_room) else None))

        points, exit_row = iterate_points(self.axes, trajectory.params[:, 0], trajectory.losses, (self.x_view, self.y_view))
        self.marks = RunMarks(
            [points], [exit_row], [self.color("path_color", self.style.path)], self.settings.dot_radius * self.size_factor,
            dot_colors=[self.color("dot_color", self.style.dot)], outline=self.style.background,
            label_size=self.text_size * SMALL_TEXT, path_width=4.0, path_opacity=0.9, fade_after=self.settings.fade_after,
        )  # fmt: skip
        self.path, self.dot = self.marks.paths[0], self.marks.dots[0]
        status_slot = self.status_slot = mn.VGroup()
        moving = mn.VGroup(self.marks, self.counter, status_slot)
        if self.lr_readout is not None:
            moving.add(self.lr_readout)

        def show_step(step: int) -> None:
            self.marks.show([step])
            self.counter.set_step(step)
            if self.lr_readout is not None:
                self.lr_readout[1].set_text(format_value(trajectory.lr[step]))
            # "diverged at step k" appears with the last good iterate; "left the view" when the dot does.
            if ended is not None and step == trajectory.steps:
                status_slot.submobjects = [ended]
            elif left_view is not None and exit_row is not None and step >= exit_row:
                status_slot.submobjects = [left_view]
            else:
                status_slot.submobjects = []

        self.add(moving)
        self.replay(moving, show_step)

    def build_lr_readout(self) -> mn.VGroup | None:
        """``lr 0.0123``, updated every step, when a schedule changes the learning rate."""
        trajectory = self.trajectory()
        if trajectory.scheduler is None:
            return None
        size = self.text_size * 0.8
        label = Label("lr", font_size=size, color=self.style.secondary_text)
        widest = max((format_value(v) for v in trajectory.lr), key=len)
        value = GlyphLine(widest, font_size=size, color=self.foreground)
        value.move_baseline_to(label.get_corner(mn.DR) + mn.RIGHT * (0.25 + value.width))
        value.set_text(format_value(trajectory.lr[0]))
        return mn.VGroup(label, value)

    def build_status(self) -> tuple[mn.Mobject | None, mn.Mobject | None]:
        """In words: that the run left the view (``None`` if it never does), and what ended it early,
        ``diverged`` (non-finite, or beyond ``escape``) or ``converged`` (``None`` for a run that finished)."""
        trajectory = self.trajectory()
        size = self.text_size * 0.8
        _, exit_row = clip_to_view(np.column_stack([trajectory.params[:, 0], trajectory.losses]), *self.view())
        left_view = None
        if exit_row is not None:
            left_view = Label(f"left the view at step {exit_row}", font_size=size, color=self.style.secondary_text)
        if trajectory.status == "finished":
            return left_view, None
        color = self.style.diverged if trajectory.status == "diverged" else self.style.converged
        return left_view, Label(f"{trajectory.status} at step {trajectory.stopped_at}", font_size=size, color=color)


class OptimizerOverview(OptimizerScene):
    """The whole run at once, as a still: every iterate as a point on the curve (render with ``-s``)."""

    def construct(self) -> None:
        trajectory = self.trajectory()
        label = Label(f"all {trajectory.steps + 1} iterates", font_size=self.text_size, color=self.foreground)
        self.add(self.build_static(corner=label), label)
        points, _ = iterate_points(self.axes, trajectory.params[:, 0], trajectory.losses, (self.x_view, self.y_view))
        path = StepPath(points, stroke_color=self.color("path_color", self.style.path), stroke_width=2, stroke_opacity=0.4)
        self.add(path.show_until(len(points) - 1))
        radius = self.settings.dot_radius * self.size_factor * 0.8
        self.add(dots(points, self.color("dot_color", self.style.dot), radius).set_opacity(0.75))
        box = (self.axes.c2p(self.x_view.low, self.y_view.low), self.axes.c2p(self.x_view.high, self.y_view.high))
        self.add(key_step_labels(points, self.text_size * SMALL_TEXT, self.style.secondary_text, radius, box))
