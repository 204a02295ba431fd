"""The update-rule panel: an optimizer's equations typeset once as math, and under each the numbers of the
step shown, swapped every frame from glyphs typeset once."""

from __future__ import annotations

import string
from collections.abc import Sequence
from typing import Any, ClassVar

import manim as mn
import numpy as np

from ..core.inside import Equation, UpdateTerms
from .text import GlyphLine, fit_width, formula_mobject

__all__ = ["NumbersLine", "UpdatePanel", "numbers_text"]

# Typst words of a "with numbers" line and the plain glyphs a NumbersLine shows for them.
_PLAIN = ((" dot ", "·"), (" times ", "×"), ("sqrt", "√"), ("infinity", "∞"))


def numbers_text(equation: Equation, terms: UpdateTerms, digits: int = 3) -> str:
    """The right-hand side of ``equation``'s "with numbers" line as plain text, e.g. ``= 0.9·(-3.79) + 0.1·3.78
    = -3.03``: the symbol it defines is typeset just above it, so the line starts at the first ``=``."""
    text = "= " + equation.filled(terms, digits).split(" = ", 1)[1]
    for typst, plain in _PLAIN:
        text = text.replace(typst, plain)
    return text


# The glyphs a numbers line needs beyond GlyphLine's. manim typesets a Text on a canvas as wide as the frame in
# pixels, so a long alphabet wraps onto a second line on a small frame: they are typeset a few at a time.
_EXTRA = "=·×√∞()^/," + string.ascii_lowercase + "N"
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
        self._merged = mn.VMobject(fill_color=color, fill_opacity=1.0, stroke_width=0)
        super().__init__(text, font_size, color)
        self.add(self._merged)

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
        return outlines


class UpdatePanel(mn.VGroup):
    """Each equation's template (typeset once) and under it, right-aligned so the results form a column,
    its numbers line. ``texts`` holds every step's lines (one per equation) so each line is built at its
    widest and the panel never grows while playing. ``static`` is the part to add before moving things,
    ``lines`` the part to update with :meth:`show`."""

    def __init__(
        self, equations: Sequence[Equation], texts: Sequence[Sequence[str]], font_size: float, **colors: Any
    ) -> None:
        super().__init__()
        templates = [formula_mobject(e.template, e.template, font_size, colors["color"]) for e in equations]
        widest = [max((step[i] for step in texts), key=len) for i in range(len(equations))]
        self.lines = [NumbersLine(w, font_size * 0.8, colors["number_color"]) for w in widest]
        for template, line in zip(templates, self.lines, strict=True):
            self.add(mn.VGroup(template, line).arrange(mn.DOWN, aligned_edge=mn.RIGHT, buff=0.12))
        self.arrange(mn.DOWN, aligned_edge=mn.LEFT, buff=0.3)
        for row in self:
            row[1].align_to(self, mn.RIGHT)
            # A template narrower than its numbers starts at the panel's left, as the others do.
            row[0].align_to(self, mn.LEFT)
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
