"""Inside the optimizer: a run with the optimizer's update rule and its numbers at every step, and the step's
arrows at the dot; on the graph of a function of x (:class:`InsideScene`) or on a map of a function of x and
y (:class:`InsideMapScene`)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import manim as mn
import numpy as np

from ..core.inside import (
    BEATS,
    ExplainPlan,
    Overlay,
    beat_of,
    legible_scale,
    overlay_vectors,
    update_rule,
    update_terms,
)
from ..core.trajectory import Trajectory
from ..visuals.axes import curve_plot
from ..visuals.panel import NumbersLine, UpdatePanel, numbers_text
from ..visuals.text import Label, fit_width
from .base import MARGIN, ReplayScene
from .comparison import Box
from .contour import ContourScene
from .single import OptimizerScene

__all__ = ["InsideMapScene", "InsideScene"]

_DIGITS = 3
# The panel's digits in pixels: a share of the frame's height, and never under a floor that small frames need.
_DIGIT_SHARE, _DIGIT_FLOOR = 0.027, 10.8
# The least share a map's panels may shrink to where that saves them a line (1/40: issue #14).
_DIGIT_LEAST = 0.025
# The plot keeps at least this share of the frame's width; the panel takes what it needs of the rest.
_MIN_PLOT_SHARE = 0.3
# The panels' row of a map takes at most this share of the height under the header.
_MAX_ROW_SHARE = 0.5
# The legend and table's column beside the map takes at most this share of the width.
_MAX_SIDE_SHARE = 0.45
# The gap between the runs' panels, in font sizes.
_COLUMN_GAP = 0.03
# How long each beat of an explained step lasts.
_BEAT_SECONDS = 1.0


def panel_font_size(scene: ReplayScene) -> float:
    """The panel's font size: its digits ``_DIGIT_SHARE`` of the frame's height in pixels, at least
    ``_DIGIT_FLOOR`` pixels (a share alone gives 8.1 at 400x300, too small to read)."""
    pixels = max(_DIGIT_SHARE * mn.config.pixel_height, _DIGIT_FLOOR)
    units = pixels * scene.frame_size[1] / mn.config.pixel_height
    return NumbersLine.font_size_for_digit_height(units)


def _rule_texts(trajectory: Trajectory) -> tuple[list, list[list[str]]]:
    """A run's update equations, and every step's numbers lines of each, one per coordinate (from the
    recorded state)."""
    equations = update_rule(trajectory.optimizer, trajectory.hyperparameters)
    terms = [update_terms(trajectory, k) for k in range(trajectory.steps)]
    return equations, [
        [numbers_text(e, t, _DIGITS, i) for e in equations for i in range(trajectory.dim)] for t in terms
    ]


def _in_beats(equations: Sequence, texts: Sequence[str], beats: int) -> list[str]:
    """A step's numbers lines with those of beats not yet reached blank (``texts`` equation by equation)."""
    per_equation = len(texts) // len(equations)
    return [text if beat_of(equations[i // per_equation]) < beats else "" for i, text in enumerate(texts)]


def _legend(
    rows: Sequence[tuple[str, mn.ManimColor]], font_size: float, columns: int, text_color: mn.ManimColor
) -> mn.VGroup:
    """What each mark is, in a grid of ``columns`` columns: each row's mark drawn as on the plot, in its
    colour (an arrow, or a line for a row starting with "—"), and its words in ``text_color`` (a run colour
    is too dim for small text)."""
    size = font_size / 48
    labels = []
    for text, color in rows:
        sample = _Arrow(color, font_size * 0.12, 0.25 * size)
        sample.put(mn.ORIGIN, mn.RIGHT * 0.55 * size) if text[0] == "→" else sample.put_line(mn.RIGHT * 0.55 * size)
        labels.append(
            mn.VGroup(sample, Label(text[2:], font_size=font_size, color=text_color)).arrange(mn.RIGHT, buff=0.12)
        )
    return mn.VGroup(*labels).arrange_in_grid(cols=columns, buff=(0.4, 0.12), col_alignments="l" * columns)


def _explained_replay(
    scene: ReplayScene, moving: mn.Mobject, show: Callable[[int, int], None], show_step: Callable[[int], None]
) -> None:
    """The replay with ``explain_steps``: see :class:`~optscenes.core.inside.ExplainPlan` for its frames.
    ``show(step, beats)`` draws a step with its first ``beats`` beats; ``show_step`` draws a whole step."""
    explained = scene.settings.explain_steps
    if not explained or scene.settings.still_step is not None:
        ReplayScene.replay(scene, moving, show_step)
        return
    plan = ExplainPlan(scene.plan, explained, max(1, round(_BEAT_SECONDS * scene.plan.frame_rate)))
    if plan.plan.start_frames:
        show(0, 0)
        scene.wait((plan.plan.start_frames + 0.5) / plan.frame_rate)
    scene.play(_BeatReplay(moving, plan, show))
    if plan.plan.hold_frames:
        scene.wait((plan.plan.hold_frames + 0.5) / plan.frame_rate)


class _BeatReplay(mn.Animation):
    """Frame ``i`` shows ``plan.moment_at(i)``; timed as :class:`~optscenes.visuals.replay.TrajectoryReplay`."""

    def __init__(self, group: mn.Mobject, plan: ExplainPlan, show: Callable[[int, int], None]) -> None:
        self.plan, self.show, self._span = plan, show, plan.replay_frames - 0.5
        super().__init__(group, run_time=self._span / plan.frame_rate, rate_func=mn.linear)

    def begin(self) -> None:
        self.interpolate(0)

    def interpolate_mobject(self, alpha: float) -> None:
        self.show(*self.plan.moment_at(round(alpha * self._span)))


class InsideScene(OptimizerScene):
    """A dot walks an optimizer's real iterates while a panel shows its update rule with that step's numbers.

    What step ``k`` shows (``still_step = k`` included): the dot at ``x_k`` and the step it is about to take,
    ``update_terms(trajectory, k)``, the step from row ``k`` to row ``k + 1``: the panel's numbers, the
    tangent line at the dot (its slope the recorded gradient), and from the dot the arrows of
    ``-lr * grad``, of the step taken ``x_(k+1) - x_k`` and, for optimizers with a momentum or first moment,
    of ``-lr * moment``, each a little lower. The last row has no step after it: the panel keeps the step
    that led there and the arrows are hidden. With ``explain_steps = k`` the first k steps play in beats
    (see :class:`~optscenes.core.inside.ExplainPlan`).
    """

    _explains = True

    def build_static(self, *corners: mn.Mobject | None) -> mn.VGroup:
        """The header, the panel's equations on the right at a legible size, and the plot in what is left.

        ``corners`` are :meth:`OptimizerScene.build_static`'s, which places the header and them; the plot it
        builds across the whole width is replaced.
        """
        super().build_static(*corners)
        width, height = self.frame_size
        top = min(m.get_bottom()[1] for m in (self.header, *corners) if m is not None) - 0.25
        right, bottom = width / 2 - MARGIN, -height / 2 + MARGIN
        font = panel_font_size(self)
        self.overlay = [overlay_vectors(self.trajectory(), k) for k in range(self.trajectory().steps)]
        # The arrows in run colours the dot and path do not use; the tangent, a construction line, in grey.
        self._colors = [mn.ManimColor(c) for c in (*(self.style.runs[i] for i in (6, 2, 4)), self.style.secondary_text)]
        self.panel = self._build_panel(font)
        if self.panel.height > top - bottom:
            self.panel = self._build_panel(font, inline=True)
        # The panel's column, as wide as the panel needs, as far as the plot's share allows; the legend
        # under the plot, which takes the rest.
        column = right - min(self.panel.width, right + width / 2 - width * _MIN_PLOT_SHARE)
        self.panel.fit(column, right, bottom, top)
        left, split = -width / 2 + MARGIN, column - 0.3
        legend = self._build_legend(font * 0.8, split - left).align_to(np.array([left, bottom, 0.0]), mn.DL)
        self.x_view, self.y_view = self.view()
        self.axes, self.graph = curve_plot(
            lambda x: float(self.objective().numpy(x)), (self.x_view, self.y_view),
            (left, split, legend.get_top()[1] + 0.2, top), self.text_size * 0.65, self.style,
            self.color("curve_color", self.style.curve),
        )  # fmt: skip
        return mn.VGroup(self.header, self.axes, self.graph, self.panel.static, legend)

    def _shown_step(self, step: int) -> int:
        """The step (row ``k`` to ``k + 1``) the picture of row ``step`` explains; see the class docstring."""
        return min(step, self.trajectory().steps - 1)

    def _build_panel(self, font_size: float, inline: bool = False) -> UpdatePanel:
        self.equations, self._texts = _rule_texts(self.trajectory())
        return UpdatePanel(
            self.equations,
            self._texts,
            font_size,
            inline,
            color=self.foreground,
            number_color=self.style.secondary_text,
        )

    def _build_legend(self, font_size: float, width: float) -> mn.VGroup:
        """What the tangent and the arrows are, in their colours, in two columns if ``width`` allows; the
        moment's arrow says it is scaled by lr."""
        rows = [("— tangent", self._colors[3]), ("→ −lr·grad", self._colors[0]), ("→ step taken", self._colors[1])]
        if self.overlay[0].moment is not None:
            name = "b (velocity)" if self.trajectory().optimizer == "SGD" else "m (first moment)"
            rows.append((f"→ −lr·{name}", self._colors[2]))
        text_color = self.foreground
        legend = _legend(rows, font_size, 2, text_color)
        return legend if legend.width <= width else fit_width(_legend(rows, font_size, 1, text_color), width)

    def replay(
        self, moving: mn.Mobject, show_step: Callable[[int], None], show_time: Callable[[float], None] | None = None
    ) -> None:
        """The replay, with the panel's numbers, the tangent and the arrows updated with the dot."""
        width, tip = 3.0 * self.size_factor, 0.15 * self.size_factor
        count = 3 if self.overlay[0].moment is not None else 2
        self.arrows = mn.VGroup(*(_Arrow(color, width, tip) for color in self._colors[:count]))
        self.tangent = mn.Line(mn.ORIGIN, mn.RIGHT, color=self._colors[3], stroke_width=width * 0.8)
        moving.add_to_back(self.arrows, self.tangent)
        moving.add(*self.panel.lines)

        def show(step: int, beats: int) -> None:
            show_step(step)
            k = self._shown_step(step)
            self.panel.show(_in_beats(self.equations, self._texts[k], beats))
            self._place_marks(k, beats if step == k else 0)

        _explained_replay(self, moving, show, lambda step: show(step, len(BEATS)))

    def _place_marks(self, k: int, beats: int) -> None:
        """The tangent and ``-lr * grad`` (beat 1), ``-lr * moment`` (beat 2) and the step taken (beat 3), each
        arrow a little under the last and cut at the plot's edge (Adam's ``-lr * grad`` often reaches beyond:
        its steps are not it)."""
        overlay = self.overlay[k]
        x, y = float(overlay.point[0]), overlay.value
        start = self.axes.c2p(x, y)
        units = (self.axes.x_axis.get_unit_size(), self.axes.y_axis.get_unit_size())
        self.tangent.put_start_and_end_on(
            *(self.axes.c2p(*end) for end in overlay.tangent(1.6 * self.size_factor, units))
        )
        self.tangent.set_stroke(opacity=1.0 if beats else 0.0)
        below = mn.DOWN * self.settings.dot_radius * self.size_factor * 2.5
        arrows = overlay.position_arrows
        vectors = [(arrows["-lr*grad"], 1), (arrows["step"], 3), (arrows.get("-lr*moment"), 2)]
        for row, (arrow, (vector, beat)) in enumerate(zip(self.arrows, vectors, strict=False)):
            end = self.axes.c2p(float(np.clip(x + float(vector[0]), self.x_view.low, self.x_view.high)), y)
            arrow.put(start + row * below, (end if beats >= beat else start) + row * below)


class InsideMapScene(ContourScene):
    """A run on a map of a function of x and y, with the step's arrows at the dot and its update rule.

    At step ``k`` (row ``k`` to ``k + 1``) each run's dot carries the arrows of the negative gradient and, for
    optimizers with one, of the negative momentum or first moment (both in gradient units, so both scaled
    by one round factor chosen for the run and stated in the legend, e.g. "−∇f × 0.05"), and of the step
    taken (a true displacement). The arrows are drawn over the dots: a short arrow would hide under its dot.

    The scene lays itself out: along the bottom, each run's update rule with its numbers (vectors one
    coordinate a line, x above y) under the run's name and colour, side by side (one above the other where
    the frame is too narrow for that, as 4:3 frames are), digits 1/40 of the frame's height or more; above
    them the map, and beside it the legend and the table (f only: the panels show x and y). There is no loss
    inset. ``explain_steps`` works as in :class:`InsideScene`.
    """

    _explains = True

    function = "0.5*x^2 + 10*y^2"
    start = (3.0, 1.0)
    columns = ("f",)

    def regions(self, left: float, right: float, top: float) -> tuple[Box, None]:
        """The panels' row along the bottom, the legend and table's column on the right above it, the map in
        the rest; no loss inset."""
        font = panel_font_size(self)
        count = len(self.trajectories())
        self.equations, self._texts = [None] * count, [None] * count
        # Each template left of its lines (half as tall), but above them in the widest panels while the row
        # is wider than the frame, even shrunk to digits of 1/40 of the frame's height (issue #14's floor).
        room = (right - left) * _DIGIT_SHARE / _DIGIT_LEAST
        column = functools.cache(lambda index, beside: self._run_column(index, font, beside))
        beside = [True] * count

        def width() -> float:
            return sum(column(i, b).width for i, b in enumerate(beside)) + _COLUMN_GAP * font * (count - 1)

        for index in sorted(range(count), key=lambda i: -column(i, True).width):
            if width() <= room:
                break
            beside[index] = False
        if width() <= room:
            direction, edge, gap = mn.RIGHT, mn.UP, _COLUMN_GAP * font
        else:
            # Too narrow for them side by side (4:3 frames are taller): one above the other.
            beside = [column(i, True).width <= room for i in range(count)]
            direction, edge, gap = mn.DOWN, mn.LEFT, _COLUMN_GAP * font / 2
        columns = [column(i, b) for i, b in enumerate(beside)]
        row = mn.VGroup(*columns).arrange(direction, buff=gap, aligned_edge=edge)
        self.titles, self.panels = [c[0] for c in columns], [c[1] for c in columns]
        bottom = -self.frame_size[1] / 2 + MARGIN
        # Shrunk only on frames too small for it at a legible size (test_inside_panel measures its digits).
        fit_width(row, right - left)
        if row.height > _MAX_ROW_SHARE * (top - bottom):
            row.scale_to_fit_height(_MAX_ROW_SHARE * (top - bottom))
        row.align_to(np.array([left, bottom, 0.0]), mn.DL)
        above = row.get_top()[1] + 0.35
        # The legend's width depends on the arrows' scale, known once the map has its view: this one is
        # as wide as a typical scale makes it; the real one is fitted to its place. Legend and table go in a
        # column beside the map, or side by side under it where that leaves a larger map (on 4:3 frames). The
        # column leaves the map most of the width even on small frames, where the table and legend shrink.
        self._legend_font = font
        legend = self._build_legend(0.05)
        column = min(max(self.table.width, legend.width), _MAX_SIDE_SHARE * (right - left))
        fit_width(self.table, column)
        beside = (left, right - column - 0.4, above, top)
        under = (left, right, above + max(legend.height, self.table.height) + 0.3, top)
        room_under = legend.width + self.table.width + 0.6 <= right - left
        self.legend_under = room_under and self._map_area(under) > self._map_area(beside)
        self.side = (left, right, above, top) if self.legend_under else (right - column, right, above, top)
        return under if self.legend_under else beside, None

    def _map_area(self, box: Box) -> float:
        """About the map's area in ``box``, less the room of its numbers and names: at equal scale a view of
        a given shape fills only one side of a box of another shape."""
        left, right, bottom, top = box
        width, height = max(right - left - 1.3 * self.size_factor, 0.0), max(top - bottom - 0.5 * self.size_factor, 0.0)
        x_range, y_range = self.settings.x_range, self.settings.y_range
        if self.settings.equal_scale and x_range is not None and y_range is not None:
            aspect = (x_range[1] - x_range[0]) / (y_range[1] - y_range[0])
            width, height = min(width, height * aspect), min(height, width / aspect)
        return width * height

    def _run_column(self, index: int, font: float, beside: bool) -> mn.VGroup:
        """Run ``index``'s panel (``beside`` as in :class:`UpdatePanel`) under its title: its colour's dot and
        its name."""
        equations, texts = _rule_texts(self.trajectories()[index])
        self.equations[index], self._texts[index] = equations, texts
        panel = UpdatePanel(
            equations, texts, font, beside=beside, color=self.foreground, number_color=self.style.secondary_text
        )
        radius = font / 48 * 0.17
        name = Label(self.labels()[index], font_size=font, color=self.foreground)
        title = mn.VGroup(mn.Dot(radius=radius, color=self.run_colors()[index]), name)
        title.arrange(mn.RIGHT, buff=radius * 2.5).next_to(panel, mn.UP, buff=font / 48 * 0.3, aligned_edge=mn.LEFT)
        return mn.VGroup(title, panel)

    def _build_legend(self, scale: float) -> mn.VGroup:
        """What each arrow is, in its colour, with the scale of the gradient-unit arrows."""
        colors = self._arrow_colors(None)
        rows = [(f"→ −∇f × {scale:g}", colors[0])]
        moments = {t.optimizer for t in self.trajectories() if overlay_vectors(t, 0).moment is not None}
        for name in sorted(moments):
            symbol = "b (velocity)" if name == "SGD" else f"m ({name}'s first moment)"
            rows.append((f"→ −{symbol} × {scale:g}", colors[2]))
        rows.append(("→ step taken", colors[1]))
        self.legend_texts = [text for text, _ in rows]
        return _legend(rows, self._legend_font, 1, mn.ManimColor(self.style.secondary_text))

    def replay(
        self, moving: mn.Mobject, show_step: Callable[[int], None], show_time: Callable[[float], None] | None = None
    ) -> None:
        """The plain replay with the arrows and panels; the legend and table beside the map."""
        trajectories = self.trajectories()
        self.overlays = [[overlay_vectors(t, k) for k in range(t.steps)] for t in trajectories]
        view = np.array([self.x_view.high - self.x_view.low, self.y_view.high - self.y_view.low])
        # One scale for every run's gradient-unit arrows, so their lengths compare.
        self.scale = legible_scale(
            [v for overlays in self.overlays for o in overlays for v in o.gradient_arrows.values()], view, 0.2
        )
        legend = self.legend = self._build_legend(self.scale)
        if self.legend_under:
            self._place_under(legend)
        else:
            self._place_beside(legend)
        self.add(legend, *self.titles, *(panel.static for panel in self.panels))
        width, tip = 3.0 * self.size_factor, 0.14 * self.size_factor
        self.arrows = [mn.VGroup(*(_Arrow(c, width, tip) for c in self._arrow_colors(o[0]))) for o in self.overlays]
        moving.add(*self.arrows, *(line for panel in self.panels for line in panel.lines))

        def show(step: int, beats: int) -> None:
            show_step(step)
            for index, trajectory in enumerate(trajectories):
                k = min(step, trajectory.steps - 1)
                self.panels[index].show(_in_beats(self.equations[index], self._texts[index][k], beats))
                self._place_arrows(index, k, beats if step == k else 0)

        _explained_replay(self, moving, show, lambda step: show(step, len(BEATS)))

    def _place_beside(self, legend: mn.Mobject) -> None:
        """The legend at the map's top, the table at its bottom, in the column right of the map; where the
        map is too short for them, at the column's top and bottom, and shrunk only if that is too short."""
        side_left, side_right, bottom, top = self.side
        fit_width(legend, side_right - side_left)
        map_bottom = self.axes.c2p(self.x_view.low, self.y_view.low)[1]
        map_top = self.axes.c2p(self.x_view.high, self.y_view.high)[1]
        if legend.height + self.table.height + 0.2 > map_top - map_bottom:
            map_bottom, map_top = bottom, top
        room = map_top - map_bottom - 0.2
        if legend.height + self.table.height > room:
            shrink = room / (legend.height + self.table.height)
            legend.scale(shrink)
            self.table.scale(shrink)
        legend.align_to(np.array([side_left, map_top, 0.0]), mn.UL)
        self.table.align_to(np.array([side_left, map_bottom, 0.0]), mn.DL)

    def _place_under(self, legend: mn.Mobject) -> None:
        """The legend at the left and the table at the right of the strip between the map and the panels."""
        left, right, bottom, _ = self.side
        fit_width(legend, right - left - self.table.width - 0.6)
        legend.align_to(np.array([left, bottom, 0.0]), mn.DL)
        self.table.align_to(np.array([right, bottom, 0.0]), mn.DR)

    def _arrow_colors(self, overlay: Overlay | None) -> list[mn.ManimColor]:
        """The colours of ``-grad``, the step and, if ``overlay`` has a moment (or is None), ``-moment``."""
        colors = [mn.ManimColor(self.style.runs[i]) for i in (6, 2, 4)]
        return colors if overlay is None or overlay.moment is not None else colors[:2]

    def _place_arrows(self, index: int, k: int, beats: int) -> None:
        """Run ``index``'s arrows at step ``k``: ``-grad`` (beat 1), ``-moment`` (beat 2), both times the run's
        scale, and the step taken (beat 3), from the dot."""
        overlay = self.overlays[index][k]
        start = self.axes.c2p(*overlay.point[:2])
        vectors = [(overlay.gradient * -self.scale, 1), (overlay.step, 3)]
        if overlay.moment is not None:
            vectors.append((overlay.moment * -self.scale, 2))
        for arrow, (vector, beat) in zip(self.arrows[index], vectors, strict=True):
            end = self.axes.c2p(*(overlay.point[:2] + vector[:2]))
            arrow.put(start, end if beats >= beat else start)


class _Arrow(mn.VGroup):
    """An arrow moved every frame without being built again (building an ``mn.Arrow`` takes about 13 ms): a
    shaft, and a tip that shrinks on short arrows; nothing for an arrow too short to see."""

    def __init__(self, color: mn.ManimColor, width: float, tip: float) -> None:
        self._tip_length = tip
        self.shaft = mn.Line(mn.ORIGIN, mn.RIGHT, color=color, stroke_width=width)
        self.tip = mn.Polygon(
            mn.ORIGIN, [-tip, tip * 0.5, 0], [-tip, -tip * 0.5, 0], fill_color=color, fill_opacity=1, stroke_width=0
        )
        self._tip_points = self.tip.points.copy()
        super().__init__(self.shaft, self.tip)

    def put(self, start: np.ndarray, end: np.ndarray) -> None:
        delta = np.asarray(end, dtype=float) - np.asarray(start, dtype=float)
        length = float(np.hypot(delta[0], delta[1]))
        if length < 1e-3:
            self.shaft.clear_points()
            self.tip.clear_points()
            return
        size = min(1.0, length / (2 * self._tip_length))
        cos, sin = delta[0] / length, delta[1] / length
        turn = np.array([[cos, sin, 0.0], [-sin, cos, 0.0], [0.0, 0.0, 1.0]])  # row vectors: rotate by the angle
        self.tip.points = (self._tip_points * size) @ turn + end
        self.shaft.set_points_as_corners([start, end - delta / length * size * self._tip_length])

    def put_line(self, end: np.ndarray) -> None:
        """A plain line from the origin to ``end``, no tip (the tangent's sample in a legend)."""
        self.tip.clear_points()
        self.shaft.set_points_as_corners([mn.ORIGIN, end])

    def get_start(self) -> np.ndarray:
        return self.shaft.get_start()

    def get_end(self) -> np.ndarray:
        """The tip's point."""
        return self.tip.points[0].copy()
