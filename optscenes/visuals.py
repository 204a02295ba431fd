"""Mobjects that draw a trajectory: the path so far, the step counter, the replay animation.

Everything here takes a :class:`~optscenes.Trajectory` and shows it; nothing recomputes it.
What is drawn for a step is a function of that step only, never of earlier frames, so manim's
cache and re-renders give the same pictures.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import manim as mn
import numpy as np

from .framing import AxisRange, FramePlan, loss_axis

__all__ = ["GlyphLine", "Label", "LossInset", "RunTable", "StepCounter", "StepPath", "TrajectoryReplay", "formula_mobject"]



FONT = "DejaVu Sans"


class Label(mn.Text):
    """Text in a sans-serif face that reads well on a projector (Pango's default here is a serif)."""

    def __init__(self, text: str, **kwargs: Any) -> None:
        kwargs.setdefault("font", FONT)
        super().__init__(text, **kwargs)


def baseline_of(label: mn.Text) -> float:
    """The y of a label's baseline: the bottom of its first glyph that does not hang below it, or, for
    a label such as ``y`` made only of such glyphs, its top less the height of an ``x``."""
    glyphs = [c for c in label.original_text if not c.isspace()]
    for glyph, char in zip(label.submobjects, glyphs, strict=False):
        if char not in "gjpqy,;()[]{}/|_":
            return float(glyph.get_bottom()[1])
    return float(label.get_top()[1]) - Label("x", font_size=label.font_size).height


def put_on_baseline(label: mn.Text, y: float) -> mn.Text:
    """Shift ``label`` so that its baseline is at ``y``."""
    return label.shift((y - baseline_of(label)) * mn.UP)


class StepPath(mn.VMobject):
    """Straight segments through the first ``k + 1`` iterates (no smoothing: overshoot stays visible)."""

    def __init__(self, points: np.ndarray, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.iterate_points = np.asarray(points, dtype=float)
        # An invisible point that moves with the path, so the iterates follow when a group holding the
        # path is moved (manim moves points, never calls our methods).
        self._origin = mn.VectorizedPoint(mn.ORIGIN)
        self.add(self._origin)
        self.show_until(0)

    def show_until(self, step: int) -> StepPath:
        corners = self.iterate_points[: step + 1] + self._origin.get_center()
        if len(corners) < 2:
            # A single point still needs a path of one degenerate segment to stay a valid VMobject.
            corners = np.repeat(corners[:1], 2, axis=0)
        self.set_points_as_corners(corners)
        return self


class StepCounter(mn.VGroup):
    """``step k / N`` in a fixed place; only the number ``k`` changes, right-aligned in its slot."""

    def __init__(self, steps: int, font_size: float = 30, color: mn.ParsableManimColor = mn.WHITE) -> None:
        label = Label("step", font_size=font_size, color=color)
        self.number = GlyphLine("8" * len(str(steps)), font_size=font_size, color=color)
        baseline = label[0].get_bottom()[1]  # "s" sits on the baseline; "p" hangs below it
        self.number.move_baseline_to(np.array([label.get_right()[0] + 0.2 + self.number.width, baseline, 0.0]))
        total = Label(f"/ {steps}", font_size=font_size, color=color)
        total.next_to(self.number, mn.RIGHT, buff=0.2)
        total.shift((baseline - total[-1].get_bottom()[1]) * mn.UP)  # digits on one baseline
        super().__init__(label, self.number, total)
        self.label, self.total = label, total
        self.step = -1
        self.set_step(0)

    def set_step(self, step: int) -> StepCounter:
        if step != self.step:
            self.step = step
            self.number.set_text(str(step))
        return self


class GlyphLine(mn.VGroup):
    """A short line of numbers that changes every frame, right-aligned, without building a ``Text`` each time.

    Glyphs are typeset once per process (about 25 ms); showing a text only copies their outlines into a fixed set
    of slots, so nothing is created or deep-copied per frame. Digits sit in equal cells: a value's
    width only changes with its number of characters, and its right edge never moves.
    """

    ALPHABET = "0123456789.-+e"

    # Outlines at one size, typeset once per process (the only slow part); other sizes scale them.
    _REFERENCE_SIZE = 48.0
    _outlines_at_reference: ClassVar[dict[str, tuple[np.ndarray, float]]] = {}

    def __init__(self, text: str, font_size: float, color: mn.ParsableManimColor = mn.WHITE) -> None:
        super().__init__()
        if not self._outlines_at_reference:
            GlyphLine._outlines_at_reference = self._typeset(self._REFERENCE_SIZE)
        scale = font_size / self._REFERENCE_SIZE
        self._outlines = {c: (points * scale, advance * scale) for c, (points, advance) in self._outlines_at_reference.items()}
        self._color = mn.ManimColor(color)
        # The right end of the baseline, kept as an invisible point among the glyphs so that it moves
        # with them however the line or a group holding it is moved (manim shifts points, not objects).
        self._anchor = mn.VectorizedPoint(mn.ORIGIN)
        # A second point one unit out of the picture (along z, so it never widens the line's box): its
        # distance to the anchor is how much the line has been scaled since, so new text comes out at
        # the size the line has now.
        self._unit = mn.VectorizedPoint(mn.OUT)
        self._slots: list[mn.VMobject] = []
        self.text = None
        self.add(self._anchor, self._unit)
        self.set_text(text)

    @classmethod
    def _typeset(cls, font_size: float) -> dict[str, tuple[np.ndarray, float]]:
        """Each glyph's outline with its cell's left end on the baseline at the origin, and its advance."""
        # Typeset after a "0" so every glyph keeps its height above the baseline ("-" floats, "." sits).
        reference = Label("0" + cls.ALPHABET, font_size=font_size)
        baseline = reference[0].get_bottom()[1]
        cell = max(reference[i + 1].width for i in range(10)) * 1.12
        gap = cell * 0.12
        outlines = {}
        for i, char in enumerate(cls.ALPHABET):
            glyph = reference[i + 1]
            advance = cell if char.isdigit() else glyph.width + 2 * gap
            left = glyph.get_left()[0] - (advance - glyph.width) / 2
            outlines[char] = (glyph.points - np.array([left, baseline, 0.0]), advance)
        return outlines

    def set_text(self, text: str) -> GlyphLine:
        if text == self.text:
            return self
        unknown = set(text) - set(self.ALPHABET)
        if unknown:
            raise ValueError(f"GlyphLine cannot show {''.join(sorted(unknown))!r}")
        while len(self._slots) < len(text):
            slot = mn.VMobject(fill_color=self._color, fill_opacity=1.0, stroke_width=0)
            self._slots.append(slot)
            self.add(slot)
        end = self.baseline_end
        scale = float(np.linalg.norm(self._unit.get_center() - end))
        cursor = end[0] - scale * sum(self._outlines[c][1] for c in text)
        for slot, char in zip(self._slots, text, strict=False):
            outline, advance = self._outlines[char]
            slot.points = outline * scale + np.array([cursor, end[1], 0.0])
            cursor += advance * scale
        for slot in self._slots[len(text) :]:
            slot.clear_points()
        self.text = text
        return self

    def move_baseline_to(self, point: np.ndarray) -> GlyphLine:
        """Put the right end of the baseline at ``point``."""
        return self.shift(np.asarray(point, dtype=float) - self.baseline_end)

    @property
    def baseline_end(self) -> np.ndarray:
        """The right end of the baseline, where the text ends."""
        return self._anchor.get_center().copy()


def tick_labels(
    axes: mn.Axes,
    x_range: AxisRange,
    y_range: AxisRange,
    font_size: float,
    color: mn.ParsableManimColor,
    edges: bool = False,
) -> mn.VGroup:
    """Numbers at the axes' ticks, from shared glyphs (manim's own cost a deep copy per character).

    They go along the axes where they cross, or along the bottom and left edges with ``edges``
    (for a map, whose axes frame it).
    """
    labels = mn.VGroup()
    ticks = [(v, None) for v in _ticks(x_range)] + [(None, v) for v in _ticks(y_range)]
    crossing = not edges and x_range.low <= 0 <= x_range.high and y_range.low <= 0 <= y_range.high
    zero_x = 0.0 if not edges and x_range.low <= 0 <= x_range.high else x_range.low
    zero_y = 0.0 if not edges and y_range.low <= 0 <= y_range.high else y_range.low
    for x, y in ticks:
        value = x if x is not None else y
        if value == 0 and crossing:
            continue  # the origin's "0" would sit on both axes
        decimals = (x_range if x is not None else y_range).decimals
        label = GlyphLine(f"{value:.{decimals}f}", font_size, color)
        if x is not None:
            label.next_to(axes.c2p(x, zero_y), mn.DOWN, buff=0.22)
        else:
            label.next_to(axes.c2p(zero_x, y), mn.LEFT, buff=0.22)
        labels.add(label)
    return labels


def frame_axes(
    axes: mn.Axes,
    x_range: AxisRange,
    y_range: AxisRange,
    font_size: float,
    numbers: tuple[bool, bool] = (True, True),
    zero_line: bool = True,
) -> mn.VGroup:
    """A box around ``axes``' data rectangle with ticks and numbers on its bottom and left edges.

    Numbers along the edges stay clear of the curve, which axes through the middle of the picture
    run across; a faint line marks y = 0 when it is in view. Build ``axes`` with invisible axis lines.
    """
    low, high = axes.c2p(x_range.low, y_range.low), axes.c2p(x_range.high, y_range.high)
    box = mn.Rectangle(width=high[0] - low[0], height=high[1] - low[1], stroke_color=mn.GRAY_B, stroke_width=1.5)
    parts = mn.VGroup(box.move_to((low + high) / 2))
    tick = 0.06 * font_size / 20
    for x in _ticks(x_range):
        point = axes.c2p(x, y_range.low)
        parts.add(mn.Line(point, point + mn.UP * tick, stroke_color=mn.GRAY_B, stroke_width=1.5))
    for y in _ticks(y_range):
        point = axes.c2p(x_range.low, y)
        parts.add(mn.Line(point, point + mn.RIGHT * tick, stroke_color=mn.GRAY_B, stroke_width=1.5))
    if zero_line and y_range.low < 0 < y_range.high:
        parts.add(mn.Line(axes.c2p(x_range.low, 0), axes.c2p(x_range.high, 0), stroke_color=mn.GRAY_C, stroke_width=1))
    labels = tick_labels(axes, x_range, y_range, font_size, mn.GRAY_A, edges=True)
    shown_x, shown_y = len(_ticks(x_range)), len(_ticks(y_range))
    keep = [numbers[0]] * shown_x + [numbers[1]] * shown_y
    parts.add(mn.VGroup(*(label for label, kept in zip(labels, keep, strict=True) if kept)))
    return parts


def _ticks(axis: AxisRange) -> np.ndarray:
    count = round((axis.high - axis.low) / axis.step)
    return np.round(axis.low + axis.step * np.arange(count + 1), 10)


def format_value(value: float, digits: int = 3) -> str:
    """A number readable from 1e-8 to 1e8 in at most about eight characters: 0.0123, 12.3, 1.23e-05."""
    if value == 0 or not np.isfinite(value):
        return "0" if value == 0 else "-"
    magnitude = abs(value)
    if 1e-3 <= magnitude < 1e5:
        return f"{value:.{digits}g}"
    return f"{value:.{digits - 1}e}"


class RunTable(mn.VGroup):
    """One row per run: a swatch in the run's colour, its name, and live numbers in fixed columns.

    This is the legend and the readout in one: every number is right-aligned in a column as wide as
    the widest value ``format_value`` can write, so nothing shifts from frame to frame.
    """

    def __init__(
        self,
        labels: list[str],
        colors: list[mn.ParsableManimColor],
        columns: list[str],
        font_size: float,
        text_color: mn.ParsableManimColor = mn.WHITE,
        notes: list[str | None] | None = None,
    ) -> None:
        """``notes``: per row, a text (e.g. ``diverged at 9``) kept in a last column, shown on demand
        with ``show_note``; the table's width includes it, so it is never pushed out of the frame."""
        super().__init__()
        line = font_size / 48 * 0.78  # row pitch in scene units
        gap = font_size / 48 * 0.45
        self.names = [Label(text, font_size=font_size, color=text_color) for text in labels]
        name_width = max(n.width for n in self.names)
        self.values: list[list[GlyphLine]] = []
        self.status_slots: list[mn.VGroup] = []
        cell = GlyphLine("-8.88e-88", font_size=font_size, color=text_color)
        cell_width = cell.width
        swatch_radius = font_size / 48 * 0.17
        name_left = 2 * swatch_radius + gap * 0.6
        rights = [name_left + name_width + gap + (i + 1) * cell_width + i * gap for i in range(len(columns))]
        self.status_left = rights[-1] + gap if rights else name_left + name_width + gap
        heads = mn.VGroup()
        for name, right in zip(columns, rights, strict=True):
            head = Label(name, font_size=font_size, color=mn.GRAY_B)
            heads.add(put_on_baseline(head.move_to([right - head.width / 2, 0, 0]), 0.0))
        self.add(heads)
        for row, (name, color) in enumerate(zip(self.names, colors, strict=True)):
            baseline = -(row + 1) * line
            swatch = mn.Dot([swatch_radius, baseline + swatch_radius * 1.1, 0], radius=swatch_radius, color=color)
            put_on_baseline(name.align_to([name_left, 0, 0], mn.LEFT), baseline)
            cells = []
            for right in rights:
                value = cell.copy()
                value.set_text("0")
                value.move_baseline_to(np.array([right, baseline, 0.0]))
                cells.append(value)
            slot = mn.VGroup()
            self.values.append(cells)
            self.status_slots.append(slot)
            self.add(swatch, name, *cells, slot)
        self.notes: list[mn.Mobject | None] = []
        for row, (text, color) in enumerate(zip(notes or [None] * len(labels), colors, strict=True)):
            note = None
            if text is not None:
                note = put_on_baseline(Label(text, font_size=font_size, color=color), -(row + 1) * line)
                note.align_to([self.status_left, 0, 0], mn.LEFT)
                # Invisible until shown, but part of the table's box from the start.
                self.status_slots[row].add(note.copy().set_opacity(0))
            self.notes.append(note)

    def set_row(self, row: int, values: list[float]) -> None:
        for cell, value in zip(self.values[row], values, strict=True):
            cell.set_text(format_value(value))

    def show_note(self, row: int, shown: bool) -> None:
        """Show or hide ``row``'s note (its place in the layout stays either way)."""
        note, slot = self.notes[row], self.status_slots[row]
        if note is not None:
            target = slot.submobjects[0]
            # The note may have moved and scaled with the table since it was made: follow the placeholder.
            note.match_height(target).move_to(target)
            slot.submobjects = [target, note] if shown else [target]


class LossInset(mn.VGroup):
    """Loss against step, one line per run, drawn up to the step shown; log scale when losses span decades."""

    def __init__(
        self,
        losses: list[np.ndarray],
        steps: int,
        colors: list[mn.ParsableManimColor],
        size: tuple[float, float],
        font_size: float,
    ) -> None:
        super().__init__()
        y, self.log = loss_axis(losses)
        values = [np.log10(loss) if self.log else loss for loss in losses]
        x = AxisRange(0, steps, steps)
        self.axes = mn.Axes(
            x_range=x.as_manim(), y_range=y.as_manim(), x_length=size[0], y_length=size[1], tips=False,
            axis_config={"stroke_opacity": 0},
        )  # fmt: skip
        self.add(self.axes, frame_axes(self.axes, x, y, font_size, numbers=(True, not self.log), zero_line=not self.log))
        if self.log:
            for exponent in np.arange(y.low, y.high + 0.5 * y.step, y.step):
                label = Label(f"10{_superscript(int(exponent))}", font_size=font_size, color=mn.GRAY_A)
                self.add(label.next_to(self.axes.c2p(0, exponent), mn.LEFT, buff=0.1))
        title = Label("log loss" if self.log else "loss", font_size=font_size, color=mn.GRAY_B)
        self.add(title.next_to(self, mn.UP, buff=0.15).align_to(self, mn.LEFT))
        step_name = Label("step", font_size=font_size, color=mn.GRAY_B)
        self.add(step_name.next_to(self.axes.c2p(steps / 2, y.low), mn.DOWN, buff=0.15))
        self.lines = []
        for value, color in zip(values, colors, strict=True):
            points = np.array([self.axes.c2p(k, v) for k, v in enumerate(value)])
            line = StepPath(points, stroke_color=color, stroke_width=2.5)
            self.lines.append(line)
            self.add(line)
        self.y_range = y

    def show_until(self, row_of_run: list[int]) -> None:
        for line, row in zip(self.lines, row_of_run, strict=True):
            line.show_until(row)


def _superscript(number: int) -> str:
    return str(number).translate(str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻"))


class TrajectoryReplay(mn.Animation):
    """Shows step ``plan.step_at(i)`` at frame ``i``: one animation for the whole run.

    The run time is ``(frames - 1/2) / frame_rate`` so manim's frame clock (``arange(0, run_time,
    1/fps)``) yields exactly ``frames`` frames, frame ``i`` at ``alpha = i / (frames - 1/2)``.
    """

    def __init__(
        self,
        group: mn.Mobject,
        plan: FramePlan,
        show_step: Callable[[int], None],
        digest: str = "",
        show_time: Callable[[float], None] | None = None,
    ) -> None:
        # manim's cache hashes this object's attributes: the run's digest makes any change of run a miss.
        self.trajectory_digest = digest
        self.plan = plan
        self.show_step = show_step
        self.show_time = show_time  # for what moves smoothly, e.g. a camera: called with the replay's 0..1
        self._span = plan.replay_frames - 0.5
        super().__init__(group, run_time=self._span / plan.frame_rate, rate_func=mn.linear)

    def begin(self) -> None:
        # No starting copy is needed: every frame is drawn from the trajectory alone.
        self.interpolate(0)

    def interpolate_mobject(self, alpha: float) -> None:
        frame = round(alpha * self._span)
        if self.show_time is not None:
            self.show_time(frame / max(self.plan.replay_frames - 1, 1))
        self.show_step(self.plan.step_at(frame))


def formula_mobject(latex: str, plain: str, font_size: float, color: mn.ParsableManimColor) -> mn.Mobject:
    """The formula typeset by LaTeX where a working TeX is installed, else as plain Unicode text."""
    if shutil.which("latex") and shutil.which("dvisvgm"):
        try:
            return mn.MathTex(latex, font_size=font_size * 1.15, color=color)
        except Exception:
            mn.logger.warning("LaTeX failed to typeset the formula; showing it as plain text.")
    return Label(plain, font_size=font_size, color=color)


def fit_width(mobject: mn.Mobject, width: float) -> mn.Mobject:
    """Shrink (never grow) ``mobject`` to at most ``width``."""
    if mobject.width > width:
        mobject.scale_to_fit_width(width)
    return mobject


def iterate_points(
    axes: mn.Axes, xs: np.ndarray, ys: np.ndarray, view: tuple[AxisRange, AxisRange]
) -> tuple[np.ndarray, int | None]:
    """Scene points of the iterates ``(x_k, y_k)`` on ``axes``, cut where the run leaves ``view``.

    Returns the points and the first row outside the view (``None`` if the run stays in). From that
    row on, every point is where the run crossed the view's edge: the path ends there, pointing the
    way the run went, instead of running across titles and tables (or handing Cairo 1e30).
    """
    points = np.array([axes.c2p(float(x), float(y)) for x, y in zip(xs, ys, strict=True)])
    low = np.array(axes.c2p(view[0].low, view[1].low))
    high = np.array(axes.c2p(view[0].high, view[1].high))
    tolerance = 1e-9 * max(float(np.abs(high - low).max()), 1.0)
    outside = np.any((points[:, :2] < low[:2] - tolerance) | (points[:, :2] > high[:2] + tolerance), axis=1)
    if not outside.any():
        return points, None
    exit_row = int(np.argmax(outside))
    edge = np.clip(points[exit_row], low, high)
    if exit_row > 0:
        start, delta = points[exit_row - 1], points[exit_row] - points[exit_row - 1]
        with np.errstate(divide="ignore", invalid="ignore"):
            limits = np.where(delta[:2] > 0, (high[:2] - start[:2]) / delta[:2], (low[:2] - start[:2]) / delta[:2])
        fraction = float(np.clip(np.nanmin(np.where(np.isfinite(limits), limits, np.inf)), 0.0, 1.0))
        edge = start + delta * fraction
    points[exit_row:] = edge
    return points, exit_row


def dots(points: Sequence[np.ndarray], color: mn.ParsableManimColor, radius: float) -> mn.VGroup:
    """A dot at each point."""
    return mn.VGroup(*(mn.Dot(p, radius=radius, color=color) for p in points))
