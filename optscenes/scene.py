"""Scenes that replay a real optimizer run: subclass, set class attributes, render with manim."""

from __future__ import annotations

import atexit
import dataclasses
import gc
import os
import platform
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import manim as mn
import numpy as np

from . import cache
from .errors import OptscenesError
from .framing import FramePlan, frame_plan, view_1d
from .objective import Objective
from .optimize import optimize
from .provenance import write_sidecars
from .runs import describe_common, distinct_settings
from .trajectory import Trajectory
from .visuals import (
    GlyphLine,
    Label,
    StepCounter,
    StepPath,
    TrajectoryReplay,
    dots,
    fit_width,
    format_value,
    formula_mobject,
    frame_axes,
    iterate_points,
)

__all__ = ["FORRESTER", "OptimizerOverview", "OptimizerScene"]

#: The seed's function (Forrester et al., 2008), minimum near x = 0.757.
FORRESTER = "(6*x-2)^2*sin(12*x-4)"

_MARGIN = 0.35


class OptimizerScene(mn.Scene):
    """A dot walks an optimizer's real iterates over the graph of the function.

    Set class attributes in a subclass; everything else is derived:

    >>> class MyDescent(OptimizerScene):
    ...     function = "x^4 - 3*x^2 + x"
    ...     optimizer = "sgd"
    ...     lr = 0.02
    ...     optimizer_kwargs = {"momentum": 0.9}
    ...     start = 2.0
    ...     steps = 60

    Frames: every step, the start included, lasts ``round(seconds_per_step * frame_rate)`` frames
    (at least one), then the last step is held for ``round(end_hold * frame_rate)`` frames.
    """

    function: ClassVar[str] = FORRESTER
    optimizer: ClassVar[Any] = "adam"
    lr: ClassVar[float | None] = None
    start: ClassVar[Any] = 0.0
    steps: ClassVar[int] = 50
    optimizer_kwargs: ClassVar[dict[str, Any]] = {}
    dtype: ClassVar[str | None] = None
    scheduler: ClassVar[Any] = None  # e.g. "CosineAnnealingLR"; the lr is then shown live
    scheduler_kwargs: ClassVar[dict[str, Any]] = {}
    tol: ClassVar[float | None] = None  # stop as "converged" once a step moves less than this
    escape: ClassVar[float] = 1e6  # farther than escape * (1 + |start|) from the start counts as diverged

    x_range: ClassVar[tuple[float, ...] | None] = None
    y_range: ClassVar[tuple[float, ...] | None] = None
    title: ClassVar[str | None] = None  # None: "f(x) = <the formula>"
    seconds_per_step: ClassVar[float] = 1 / 15
    end_hold: ClassVar[float] = 0.0
    still_step: ClassVar[int | None] = None  # show this one step as a still (render with -s) instead of the replay

    curve_color: ClassVar[mn.ParsableManimColor] = mn.BLUE
    dot_color: ClassVar[mn.ParsableManimColor] = mn.YELLOW
    path_color: ClassVar[mn.ParsableManimColor] = mn.ORANGE
    text_color: ClassVar[mn.ParsableManimColor] = mn.WHITE
    dot_radius: ClassVar[float] = 0.11
    cache_trajectory: ClassVar[bool] = True  # keep runs in <media_dir>/optscenes-cache (off with --disable_caching)
    write_provenance: ClassVar[bool] = True  # <video>.json (settings, versions, run) and <video>.csv beside it
    font_size: ClassVar[float] = 30  # at 480 pixels high and more; smaller frames get larger text

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._print_instead_of_preview = False
        presentation = self.session_spec.presentation
        if presentation.open_after_render and not _viewer_available():
            # manim would run a missing xdg-open and end in a traceback after the file is written.
            self._print_instead_of_preview = True
            self.session_spec = dataclasses.replace(
                self.session_spec, presentation=dataclasses.replace(presentation, open_after_render=False)
            )

    # --- the math, asked once ---------------------------------------------------------------

    def objective(self) -> Objective:
        """The function, parsed from ``function``."""
        if not hasattr(self, "_objective"):
            self._objective = Objective(self.function)
            if self._objective.dim != 1:
                raise OptscenesError(
                    f"{type(self).__name__} draws functions of x alone; {self.function!r} uses "
                    f"{', '.join(self._objective.variables)}."
                )
        return self._objective

    def run_settings(self) -> dict[str, Any]:
        """The keyword arguments of ``optimize`` for this scene's run."""
        return {
            "optimizer": self.optimizer, "start": self.start, "steps": self.steps, "lr": self.lr,
            "dtype": self.dtype, "scheduler": self.scheduler, "scheduler_kwargs": self.scheduler_kwargs or None,
            "tol": self.tol, "escape": self.escape, **self.optimizer_kwargs,
        }  # fmt: skip

    def run(self, settings: dict[str, Any]) -> Trajectory:
        """``optimize(objective, **settings)``, from the run cache when nothing about it changed."""
        use_cache = self.cache_trajectory and not mn.config.disable_caching
        key = cache.cache_key(self.function, settings) if use_cache else None
        directory = mn.config.get_dir("media_dir") / "optscenes-cache"
        trajectory = cache.load(directory, key) if key else None
        if trajectory is None:
            trajectory = optimize(self.objective(), **settings)
            if key:
                cache.store(directory, key, trajectory)
        return trajectory

    def trajectory(self) -> Trajectory:
        """The optimizer run this scene replays."""
        if not hasattr(self, "_trajectory"):
            self._trajectory = self.run(self.run_settings())
        return self._trajectory

    def recorded_runs(self) -> Trajectory | list[tuple[str, Trajectory]]:
        """What the provenance record holds: this scene's run."""
        return self.trajectory()

    @staticmethod
    def shown_settings(settings: dict[str, Any], trajectory: Trajectory) -> dict[str, Any]:
        """A run's settings as the picture names them: those a run can differ in, with the learning rate
        the optimizer was built with (its default when ``lr`` was left unset)."""
        shown = distinct_settings(settings)
        shown["lr"] = trajectory.hyperparameters.get("lr", shown.get("lr"))
        return shown

    def frame_plan(self) -> FramePlan:
        """Which step each frame shows, from ``seconds_per_step``, ``end_hold`` and the frame rate."""
        return frame_plan(self.trajectory().steps, mn.config.frame_rate, self.seconds_per_step, self.end_hold)

    # --- the picture ------------------------------------------------------------------------

    @property
    def frame_size(self) -> tuple[float, float]:
        """Width and height of what the camera sees, in scene units (4:3 frames are taller than 8)."""
        return self.camera.frame_width, self.camera.frame_height

    @property
    def size_factor(self) -> float:
        """How much to grow text and dots: with the frame's height in units (4:3 frames are taller), and a
        little more for small frames such as the seed's 300-pixel GIF, so they stay legible."""
        small_frame_boost = min(max((480 / mn.config.pixel_height) ** 0.5, 1.0), 1.15)
        return self.frame_size[1] / 8 * small_frame_boost

    @property
    def text_size(self) -> float:
        """``font_size`` times ``size_factor``."""
        return self.font_size * self.size_factor

    def build_header(self, subtitle_text: str) -> mn.VGroup:
        """The formula as the title, and under it ``subtitle_text`` (the optimizer and its settings)."""
        objective = self.objective()
        color = self.text_color
        if self.title is not None:
            title = Label(self.title, font_size=self.text_size, color=color)
        else:
            f = f"f({', '.join(objective.variables)}) = "
            title = formula_mobject(f + objective.latex, f + objective.pretty, self.text_size, color)
        subtitle = Label(subtitle_text, font_size=self.text_size * 0.8, color=mn.GRAY_B)
        return mn.VGroup(title, subtitle).arrange(mn.DOWN, aligned_edge=mn.LEFT, buff=0.15)

    def build_axes(self, trajectories: Trajectory | list[Trajectory], region: tuple[float, float, float, float]) -> mn.Axes:
        """Axes, tick numbers included, filling ``region`` (left, right, bottom, top), showing every iterate."""
        x_range, y_range = view_1d(self.objective(), trajectories, self.x_range, self.y_range)
        left, right, bottom, top = region
        axes = mn.Axes(
            x_range=x_range.as_manim(),
            y_range=y_range.as_manim(),
            x_length=right - left - 0.8,
            y_length=top - bottom - 0.4,
            tips=False,
            axis_config={"stroke_opacity": 0},  # a framed box instead: see frame_axes
        )
        axes.add(frame_axes(axes, x_range, y_range, self.text_size * 0.65))
        # Tick numbers stick out of the axes' own box: shrink the whole, labels included, to fit.
        scale = min((right - left) / axes.width, (top - bottom) / axes.height, 1.0)
        axes.scale(scale).move_to([(left + right) / 2, (top + bottom) / 2, 0])
        self.x_view, self.y_view = x_range, y_range
        return axes

    def place_header(
        self, header: mn.VGroup, corner: mn.Mobject | None = None, top_corner: mn.Mobject | None = None
    ) -> float:
        """Put the header top left, ``corner`` right on its second line and ``top_corner`` right on its first.

        Returns the height below which the rest of the picture goes.
        """
        width, height = self.frame_size
        title, subtitle = header
        fit_width(title, width - 2 * _MARGIN - (top_corner.width + 0.6 if top_corner is not None else 0))
        fit_width(subtitle, width - 2 * _MARGIN - (corner.width + 0.6 if corner is not None else 0))
        # Placed from the camera's frame: manim's to_edge() assumes config's 16:9 frame, not -r 400,300's.
        right_edge = np.array([width / 2 - _MARGIN, 0.0, 0.0])
        header.arrange(mn.DOWN, aligned_edge=mn.LEFT, buff=0.15)
        header.align_to(np.array([-width / 2 + _MARGIN, height / 2 - _MARGIN, 0.0]), mn.UL)
        if corner is not None:
            corner.align_to(right_edge, mn.RIGHT).align_to(subtitle, mn.DOWN)
        if top_corner is not None:
            top_corner.align_to(right_edge, mn.RIGHT).align_to(title, mn.DOWN)
        return min(header.get_bottom()[1], *(c.get_bottom()[1] for c in (corner, top_corner) if c is not None))

    def build_graph(self, color: mn.ParsableManimColor) -> mn.VMobject:
        """The function's graph across the whole x view, straight pieces fine enough to look smooth."""
        low, high = self.x_view.low, self.x_view.high
        return self.axes.plot(
            lambda x: float(self.objective().numpy(x)),
            x_range=[low, high, (high - low) / 400],
            color=color,
            stroke_width=4,
            use_smoothing=False,
        )

    def build_static(
        self, trajectory: Trajectory, corner: mn.Mobject | None = None, top_corner: mn.Mobject | None = None
    ) -> mn.VGroup:
        """Everything that does not move: header, axes, graph; see ``place_header`` for the corners."""
        width, height = self.frame_size
        shown = {k: v for k, v in self.shown_settings(self.run_settings(), trajectory).items() if k != "start"}
        self.header = self.build_header(describe_common([shown], [trajectory.optimizer]))
        top = self.place_header(self.header, corner, top_corner) - 0.25
        region = (-width / 2 + _MARGIN, width / 2 - _MARGIN, -height / 2 + _MARGIN, top)
        self.axes = self.build_axes(trajectory, region)
        self.graph = self.build_graph(self.curve_color)
        return mn.VGroup(self.header, self.axes, self.graph)

    def construct(self) -> None:
        trajectory = self.trajectory()
        self.plan = self.frame_plan()
        self.counter = StepCounter(trajectory.requested_steps, font_size=self.text_size * 0.9, color=self.text_color)
        self.lr_readout = self.build_lr_readout(trajectory)
        self.add(self.build_static(trajectory, corner=self.counter, top_corner=self.lr_readout))

        points, exit_row = iterate_points(self.axes, trajectory.params[:, 0], trajectory.losses, (self.x_view, self.y_view))
        self.path = StepPath(points, stroke_color=self.path_color, stroke_width=3, stroke_opacity=0.85)
        self.dot = mn.Dot(points[0], radius=self.dot_radius * self.size_factor, color=self.dot_color)
        status = self.build_status(trajectory)
        status_slot = mn.VGroup()
        moving = mn.VGroup(self.path, self.dot, self.counter, status_slot)
        if self.lr_readout is not None:
            moving.add(self.lr_readout)

        def show_step(step: int) -> None:
            self.path.show_until(step)
            self.dot.move_to(points[step]).set_opacity(0.0 if exit_row is not None and step >= exit_row else 1.0)
            self.counter.set_step(step)
            if self.lr_readout is not None:
                self.lr_readout[1].set_text(format_value(trajectory.lr[step]))
            # "diverged at step k" appears with the last good iterate.
            status_slot.submobjects = [status] if status is not None and step == trajectory.steps else []

        self.add(moving)
        self.replay(moving, show_step, [trajectory])

    def replay(
        self,
        moving: mn.Mobject,
        show_step: Callable[[int], None],
        trajectories: list[Trajectory],
        show_time: Callable[[float], None] | None = None,
    ) -> None:
        """Play ``show_step`` over the frame plan as one animation, then hold; or, with ``still_step``,
        show that one step as a still."""
        plan = self.plan
        if self.still_step is not None:
            show_step(min(max(int(self.still_step), 0), plan.steps))
            return
        digest = "".join(t.digest() for t in trajectories)
        self.play(TrajectoryReplay(moving, plan, show_step, digest, show_time))
        if plan.hold_frames:
            # A still frame is repeated int(duration * fps) times: aim between frames.
            self.wait((plan.hold_frames + 0.5) / plan.frame_rate)

    def build_lr_readout(self, trajectory: Trajectory) -> mn.VGroup | None:
        """``lr 0.0123``, updated every step, when a schedule changes the learning rate."""
        if trajectory.scheduler is None:
            return None
        size = self.text_size * 0.8
        label = Label("lr", font_size=size, color=mn.GRAY_B)
        widest = max((format_value(v) for v in trajectory.lr), key=len)
        value = GlyphLine(widest, font_size=size, color=self.text_color)
        value.move_baseline_to(label.get_corner(mn.DR) + mn.RIGHT * (0.25 + value.width))
        value.set_text(format_value(trajectory.lr[0]))
        return mn.VGroup(label, value)

    def build_status(self, trajectory: Trajectory) -> mn.Mobject | None:
        """What ended the run early, in words, below the counter; ``None`` for a run that finished."""
        if trajectory.status == "finished":
            return None
        color = mn.RED if trajectory.status == "diverged" else mn.GREEN
        label = Label(f"{trajectory.status} at step {trajectory.stopped_at}", font_size=self.text_size * 0.9, color=color)
        label.add_background_rectangle(color=mn.config.background_color, opacity=0.8, buff=0.1)
        return label.next_to(self.counter, mn.DOWN, buff=0.3).align_to(self.counter, mn.RIGHT)

    # --- the command line -------------------------------------------------------------------

    def render(self, preview: bool = False) -> bool:
        if _called_by_manim_cli():
            # The process ends after rendering; a last garbage collection over torch's and manim's
            # objects only delays that end (0.3-0.4 s here). Frozen objects are skipped by it.
            atexit.register(gc.freeze)
        try:
            rerun = super().render(preview)
        except OptscenesError as error:
            if _called_by_manim_cli():
                # One sentence for the lecturer instead of a screenful of frames.
                print(f"optscenes: {error}", file=sys.stderr)
                raise SystemExit(1) from None
            raise
        path = getattr(self.renderer.file_writer, "final_file_path", None)
        if self.write_provenance and path is not None and Path(path).is_file() and hasattr(self, "plan"):
            extra = {"scene": type(self).__name__, "frames": dataclasses.asdict(self.plan)}
            write_sidecars(Path(path), self.recorded_runs(), extra)
        if self._print_instead_of_preview:
            print(f"No program to preview it here (-p needs a desktop viewer); the file is {path}")
        return rerun


class OptimizerOverview(OptimizerScene):
    """The whole run at once, as a still: every iterate as a point on the curve (render with ``-s``)."""

    def construct(self) -> None:
        trajectory = self.trajectory()
        label = Label(f"all {trajectory.steps + 1} iterates", font_size=self.text_size, color=self.text_color)
        self.add(self.build_static(trajectory, corner=label), label)
        points, _ = iterate_points(self.axes, trajectory.params[:, 0], trajectory.losses, (self.x_view, self.y_view))
        self.add(StepPath(points, stroke_color=self.path_color, stroke_width=2, stroke_opacity=0.4).show_until(len(points) - 1))
        self.add(dots(points, self.dot_color, self.dot_radius * self.size_factor * 0.8).set_opacity(0.75))


def _viewer_available() -> bool:
    command = mn.config.preview_command or {"Linux": "xdg-open", "Darwin": "open"}.get(platform.system())
    if platform.system() == "Windows":
        return True
    if command is None or shutil.which(command) is None:
        return False
    if platform.system() == "Linux" and not mn.config.preview_command:
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def _called_by_manim_cli() -> bool:
    return os.path.basename(sys.argv[0]) in ("manim", "manimce") or sys.argv[0].endswith(("manim/__main__.py",))

