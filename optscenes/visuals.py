"""Mobjects that draw a trajectory: the path so far, the step counter, the replay animation.

Everything here takes a :class:`~optscenes.Trajectory` and shows it; nothing recomputes it.
What is drawn for a step is a function of that step only, never of earlier frames, so manim's
cache and re-renders give the same pictures.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from typing import Any

import manim as mn
import numpy as np

from .framing import FramePlan

__all__ = ["GlyphLine", "Label", "StepCounter", "StepPath", "TrajectoryReplay", "formula_mobject"]



FONT = "DejaVu Sans"


class Label(mn.Text):
    """Text in a sans-serif face that reads well on a projector (Pango's default here is a serif)."""

    def __init__(self, text: str, **kwargs: Any) -> None:
        kwargs.setdefault("font", FONT)
        super().__init__(text, **kwargs)


class StepPath(mn.VMobject):
    """Straight segments through the first ``k + 1`` iterates (no smoothing: overshoot stays visible)."""

    def __init__(self, points: np.ndarray, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.iterate_points = np.asarray(points, dtype=float)
        self.show_until(0)

    def show_until(self, step: int) -> StepPath:
        corners = self.iterate_points[: step + 1]
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

    Glyphs are typeset once (about 25 ms) and copied; digits sit in equal cells, so a value's width
    only changes with its number of characters, and its right edge never moves.
    """

    ALPHABET = "0123456789.-+e"

    def __init__(self, text: str, font_size: float, color: mn.ParsableManimColor = mn.WHITE) -> None:
        super().__init__()
        # Typeset after a "0" so every glyph keeps its height above the baseline ("-" floats, "." sits).
        reference = Label("0" + self.ALPHABET, font_size=font_size, color=color)
        baseline = reference[0].get_bottom()[1]
        self._glyphs = {c: reference[i + 1] for i, c in enumerate(self.ALPHABET)}
        self._raise = {c: g.get_bottom()[1] - baseline for c, g in self._glyphs.items()}
        self._cell = max(self._glyphs[d].width for d in "0123456789") * 1.12
        self._gap = self._cell * 0.12
        # The right end of the baseline, kept as an invisible point among the glyphs so that it moves
        # with them however the line or a group holding it is moved (manim shifts points, not objects).
        self._anchor = mn.VectorizedPoint(mn.ORIGIN)
        self.text = ""
        self.set_text(text)

    def set_text(self, text: str) -> GlyphLine:
        if text == self.text:
            return self
        unknown = set(text) - set(self.ALPHABET)
        if unknown:
            raise ValueError(f"GlyphLine cannot show {''.join(sorted(unknown))!r}")
        glyphs, cursor = [], 0.0
        for char in text:
            glyph = self._glyphs[char].copy()
            width = self._cell if char.isdigit() else glyph.width + 2 * self._gap
            glyph.move_to([cursor + width / 2, 0, 0]).align_to([0, self._raise[char], 0], mn.DOWN)
            glyphs.append(glyph)
            cursor += width
        offset = self.baseline_end - np.array([cursor, 0.0, 0.0])
        for glyph in glyphs:
            glyph.shift(offset)
        for old in self.submobjects[:-1]:
            # During a play manim draws the family it listed when the play began; empty the glyphs
            # being replaced so they vanish instead of staying under the new ones.
            old.clear_points()
        self.submobjects = [*glyphs, self._anchor]
        self.text = text
        return self

    def move_baseline_to(self, point: np.ndarray) -> GlyphLine:
        """Put the right end of the baseline at ``point``."""
        return self.shift(np.asarray(point, dtype=float) - self.baseline_end)

    @property
    def baseline_end(self) -> np.ndarray:
        """The right end of the baseline, where the text ends."""
        return self._anchor.get_center().copy()


def format_value(value: float, digits: int = 3) -> str:
    """A number readable from 1e-8 to 1e8 in at most about eight characters: 0.0123, 12.3, 1.23e-05."""
    if value == 0 or not np.isfinite(value):
        return "0" if value == 0 else "-"
    magnitude = abs(value)
    if 1e-3 <= magnitude < 1e5:
        return f"{value:.{digits}g}"
    return f"{value:.{digits - 1}e}"


class TrajectoryReplay(mn.Animation):
    """Shows step ``plan.step_at(i)`` at frame ``i``: one animation for the whole run.

    The run time is ``(frames - 1/2) / frame_rate`` so manim's frame clock (``arange(0, run_time,
    1/fps)``) yields exactly ``frames`` frames, frame ``i`` at ``alpha = i / (frames - 1/2)``.
    """

    def __init__(self, group: mn.Mobject, plan: FramePlan, show_step: Callable[[int], None], digest: str = "") -> None:
        # manim's cache hashes this object's attributes: the run's digest makes any change of run a miss.
        self.trajectory_digest = digest
        self.plan = plan
        self.show_step = show_step
        self._span = plan.replay_frames - 0.5
        super().__init__(group, run_time=self._span / plan.frame_rate, rate_func=mn.linear)

    def begin(self) -> None:
        # No starting copy is needed: every frame is drawn from the trajectory alone.
        self.interpolate(0)

    def interpolate_mobject(self, alpha: float) -> None:
        self.show_step(self.plan.step_at(round(alpha * self._span)))


def formula_mobject(latex: str, plain: str, font_size: float, color: mn.ParsableManimColor) -> mn.Mobject:
    """The formula typeset by LaTeX where a working TeX is installed, else as plain Unicode text."""
    if shutil.which("latex") and shutil.which("dvisvgm"):
        try:
            return mn.MathTex(latex, font_size=font_size * 1.15, color=color)
        except Exception:  # noqa: BLE001 - a broken TeX install must not stop the render
            mn.logger.warning("LaTeX failed to typeset the formula; showing it as plain text.")
    return Label(plain, font_size=font_size, color=color)


def fit_width(mobject: mn.Mobject, width: float) -> mn.Mobject:
    """Shrink (never grow) ``mobject`` to at most ``width``."""
    if mobject.width > width:
        mobject.scale_to_fit_width(width)
    return mobject


def iterate_points(axes: mn.Axes, params: np.ndarray, losses: np.ndarray, box: tuple[float, float]) -> np.ndarray:
    """Scene coordinates of the iterates ``(x_k, f(x_k))`` on ``axes``.

    A point outside ``box`` (half-width, half-height; larger than the frame) is pulled back along the
    segment from the previous point to the box's edge: a diverging run leaves the view in the right
    direction without handing Cairo coordinates such as 1e30.
    """
    points = np.array([axes.c2p(float(x), float(y)) for x, y in zip(params, losses, strict=True)])
    limit = np.array([box[0], box[1], 1.0])
    for k in range(1, len(points)):
        outside = np.abs(points[k]) > limit
        if outside.any():
            previous = points[k - 1]
            delta = points[k] - previous
            with np.errstate(divide="ignore", invalid="ignore"):
                scales = np.where(outside, (np.sign(delta) * limit - previous) / delta, np.inf)
            points[k] = previous + delta * float(np.clip(np.nanmin(scales), 0.0, 1.0))
    return points


def dots(points: Sequence[np.ndarray], color: mn.ParsableManimColor, radius: float) -> mn.VGroup:
    """A dot at each point."""
    return mn.VGroup(*(mn.Dot(p, radius=radius, color=color) for p in points))
