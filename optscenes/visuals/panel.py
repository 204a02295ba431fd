"""The update-rule panel: an optimizer's equations typeset once as math, and under each the numbers of the
step shown, swapped every frame from glyphs typeset once."""

from __future__ import annotations

import string
from collections.abc import Sequence
from typing import Any, ClassVar

import manim as mn
import numpy as np

from ..core.inside import Equation, UpdateTerms, plain_math
from .text import GlyphLine, fit_width, formula_mobject, halo_stroke

__all__ = ["NumbersLine", "UpdatePanel", "numbers_text"]


def numbers_text(equation: Equation, terms: UpdateTerms, digits: int = 3, coordinate: int | None = None) -> str:
    """The right-hand side of ``equation``'s "with numbers" line as plain text (:func:`plain_math`), e.g.
    ``= 0.9·(−3.79) + 0.1·3.78 = −3.03``: the symbol it defines is typeset just above it, so the line starts
    at the first ``=``."""
    return "= " + plain_math(equation.filled(terms, digits, coordinate).split(" = ", 1)[1])


# The glyphs a numbers line needs beyond GlyphLine's. manim typesets a Text on a canvas as wide as the frame in
# pixels, so a long alphabet wraps onto a second line on a small frame: they are typeset a few at a time.
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻"
_EXTRA = "=·−√∞()/," + _SUPERSCRIPTS + string.ascii_lowercase + "N"
_CHUNK = 8


class NumbersLine(GlyphLine):
    """A GlyphLine that also shows the operators, spaces and words of a "with numbers" line."""

    ALPHABET = GlyphLine.ALPHABET + _EXTRA + " "
    _outlines_at_reference: ClassVar[dict[str, tuple[np.ndarray, float]]] = {}

    def __init__(self, text: str, font_size: float, color: mn.ParsableManimColor = mn.WHITE) -> None:
        # Filled here, on this class: GlyphLine would fill its own cache, which lacks these glyphs.
        if not NumbersLine._outlines_at_reference:
            NumbersLine._outlines_at_reference = self._typeset(self._REFERENCE_SIZE)
        # All glyphs drawn as one path: the camera pays per mobject drawn (about 0.4 ms each), and a line
        # has dozens of glyphs. The slots GlyphLine fills are emptied into it (empty ones are not drawn).
        self._merged = mn.VMobject(fill_color=color, fill_opacity=1.0, stroke_width=0, **halo_stroke())
        super().__init__(text, font_size, color)
        self.add(self._merged)

    @classmethod
    def font_size_for_digit_height(cls, height: float) -> float:
        """The font size at which a digit is ``height`` tall (in scene units)."""
        if not cls._outlines_at_reference:
            cls._outlines_at_reference = cls._typeset(cls._REFERENCE_SIZE)
        zero = cls._outlines_at_reference["0"][0]
        return cls._REFERENCE_SIZE * height / float(np.ptp(zero[:, 1]))

    def set_text(self, text: str) -> NumbersLine:
        if text != self.text:
            super().set_text(text)
            self._merge()
        return self

    def _merge(self) -> None:
        filled = [slot.points for slot in self._slots if len(slot.points)]
        self._merged.points = np.concatenate(filled) if filled else np.zeros((0, 3))
        for slot in self._slots:
            slot.clear_points()

    @classmethod
    def _typeset(cls, font_size: float) -> dict[str, tuple[np.ndarray, float]]:
        outlines = {}
        for i in range(0, len(_EXTRA), _CHUNK):
            chunk = type("_Chunk", (GlyphLine,), {"ALPHABET": GlyphLine.ALPHABET + _EXTRA[i : i + _CHUNK]})
            outlines.update(chunk._typeset(font_size))
        outlines[" "] = (np.zeros((0, 3)), outlines["0"][1] * 0.45)
        # An exponent is a whole digit raised (the font's superscript digits are 60 % high: below what a back
        # row reads), with its own width and the gap other glyphs have (GlyphLine's: 12 % of a digit's cell).
        gap = outlines["0"][1] * 0.12
        raised = np.array([0.0, 0.4 * float(np.ptp(outlines["0"][0][:, 1])), 0.0])
        for char, base in zip(_SUPERSCRIPTS, "0123456789-", strict=True):
            points = outlines[base][0]
            low, high = points[:, 0].min(), points[:, 0].max()
            outlines[char] = (points - np.array([low - gap, 0.0, 0.0]) + raised, high - low + 2 * gap)
        return outlines


class UpdatePanel(mn.VGroup):
    """Each equation's template (typeset once) and under it, right-aligned so the results form a column,
    its numbers line (its digits ``font_size`` as a NumbersLine sizes them), or lines: one per coordinate of a
    2D run, x above y. With ``beside`` each template is left of its lines instead (half the height of a 2D
    run's panel, for layouts short of height). ``texts`` holds every step's lines (equation by equation) so
    each line is built at its widest and the panel never grows while playing. ``static`` is the part to add
    before moving things, ``lines`` the part to update with :meth:`show`."""

    def __init__(
        self,
        equations: Sequence[Equation],
        texts: Sequence[Sequence[str]],
        font_size: float,
        inline: bool = False,
        beside: bool = False,
        **colors: Any,
    ) -> None:
        super().__init__()
        # Templates a little larger than their numbers: Typst's subscripts are small. ``inline`` writes
        # fractions with a slash, one line high, for frames too short for stacked ones.
        typst = [e.template.replace(" / ", " slash ") if inline else e.template for e in equations]
        templates = [formula_mobject(t, t, font_size * 1.15, colors["color"]) for t in typst]
        widest = [max((step[i] for step in texts), key=len) for i in range(len(texts[0]))]
        self.lines = [NumbersLine(w, font_size, colors["number_color"]) for w in widest]
        per_equation = len(self.lines) // len(equations)
        for i, template in enumerate(templates):
            lines = mn.VGroup(*self.lines[i * per_equation : (i + 1) * per_equation])
            lines.arrange(mn.DOWN, aligned_edge=mn.RIGHT, buff=font_size * 0.004)
            row = mn.VGroup(template, lines)
            if beside:
                self.add(row.arrange(mn.RIGHT, buff=font_size * 0.01))
            else:
                self.add(row.arrange(mn.DOWN, aligned_edge=mn.RIGHT, buff=font_size * 0.004))
        self.arrange(mn.DOWN, aligned_edge=mn.LEFT, buff=font_size * 0.009)
        for template, lines in self:
            lines.align_to(self, mn.RIGHT)
            # A template narrower than its numbers (or than the others, beside them) starts at the panel's left.
            template.align_to(self, mn.LEFT)
        self.static = mn.VGroup(*templates)

    def fit(self, left: float, right: float, bottom: float, top: float) -> UpdatePanel:
        """Shrink (never grow) into the box and put the panel at its top left."""
        fit_width(self, right - left)
        if self.height > top - bottom:
            self.scale_to_fit_height(top - bottom)
        return self.align_to(np.array([left, top, 0.0]), mn.UL)

    def show(self, texts: Sequence[str]) -> None:
        """One step's numbers lines, in the order of the equations."""
        for line, text in zip(self.lines, texts, strict=True):
            line.set_text(text)
