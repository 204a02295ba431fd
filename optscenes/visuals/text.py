"""Text that reads well on a projector: labels on a shared baseline, numbers that change every frame
without being typeset again, and the formula title."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ClassVar

import manim as mn
import numpy as np

__all__ = [
    "FONT",
    "SMALL_TEXT",
    "GlyphLine",
    "Label",
    "add_halo",
    "baseline_of",
    "fit_width",
    "formula_mobject",
    "halo_stroke",
    "put_on_baseline",
    "text_halo",
]

FONT = "DejaVu Sans"

#: The smallest text (tick numbers, axis names, the table, notes) as a fraction of the title's size: its
#: digits are then 1/36 of the frame's height, above the 1/40 (27 px at 1080p) a back row can read.
SMALL_TEXT = 0.72

# Typst's math at a given font_size is smaller than a Label's text; this makes their letters equally tall.
_TYPST_SCALE = 1.2

# The halo (colour, width) of the texts built now: set by text_halo while a scene renders; none otherwise.
_HALO: ContextVar[tuple[mn.ManimColor, float]] = ContextVar("halo", default=(mn.ManimColor(mn.BLACK), 0.0))


@contextmanager
def text_halo(color: mn.ParsableManimColor, width: float) -> Iterator[None]:
    """Outline every text built in the block (a Label, a GlyphLine, a formula) with a background stroke of
    ``color`` and ``width``. A scene renders inside it: texts built anywhere in its picture, those shown at
    once and those kept aside and swapped in at a later step, all get its theme's halo."""
    token = _HALO.set((mn.ManimColor(color), width))
    try:
        yield
    finally:
        _HALO.reset(token)


def halo_stroke() -> dict[str, Any]:
    """The keyword arguments that give a ``VMobject`` built now the halo of the texts built now (see
    :func:`text_halo`): for text drawn from glyph outlines into paths of its own, as :class:`GlyphLine` does."""
    return _background_stroke(*_HALO.get())


def _background_stroke(color: mn.ParsableManimColor, width: float) -> dict[str, Any]:
    return {"background_stroke_color": mn.ManimColor(color), "background_stroke_width": width}


class Label(mn.Text):
    """Text in a sans-serif face that reads well on a projector (Pango's default here is a serif)."""

    def __init__(self, text: str, **kwargs: Any) -> None:
        kwargs.setdefault("font", FONT)
        super().__init__(text, **kwargs)
        add_halo(self, *_HALO.get())


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
        # The outline behind the glyphs (text_halo, set_halo): given to each slot once, as it is made.
        self._halo = halo_stroke()
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
            slot = mn.VMobject(fill_color=self._color, fill_opacity=1.0, stroke_width=0, **self._halo)
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

    def set_halo(self, color: mn.ParsableManimColor, width: float) -> GlyphLine:
        """Outline the glyphs, those shown now and those of later texts, with a background stroke."""
        self._halo = _background_stroke(color, width)
        # Every part, empty slots too: a slot emptied now may show a glyph later.
        for part in self.get_family()[1:]:
            if part not in (self._anchor, self._unit):
                part.set_stroke(color, width, background=True, family=False)
        return self

    def move_baseline_to(self, point: np.ndarray) -> GlyphLine:
        """Put the right end of the baseline at ``point``."""
        return self.shift(np.asarray(point, dtype=float) - self.baseline_end)

    @property
    def baseline_end(self) -> np.ndarray:
        """The right end of the baseline, where the text ends."""
        return self._anchor.get_center().copy()



def formula_mobject(typst: str, plain: str, font_size: float, color: mn.ParsableManimColor) -> mn.Mobject:
    """The formula typeset as math by Typst (no TeX needed), or as plain Unicode text where the ``typst``
    package is missing or refuses the markup.

    ``typst`` is Typst math markup (see :func:`optscenes.core.typst.typst_math`), ``plain`` the same
    formula as Unicode text.
    """
    if importlib.util.find_spec("typst") is not None:
        try:
            return add_halo(mn.MathTypst(typst, font_size=font_size * _TYPST_SCALE, color=color), *_HALO.get())
        except Exception:  # noqa: BLE001 - typst raises its own error types; any failure shows the text
            mn.logger.warning("Typst failed to typeset the formula %r; showing it as plain text.", typst)
    return Label(plain, font_size=font_size, color=color)


def fit_width(mobject: mn.Mobject, width: float) -> mn.Mobject:
    """Shrink (never grow) ``mobject`` to at most ``width``."""
    if mobject.width > width:
        mobject.scale_to_fit_width(width)
    return mobject


#: What add_halo outlines as a whole: text typeset by Pango, Typst or TeX.
_TYPESET = (mn.Text, mn.MarkupText, mn.Typst, mn.SingleStringMathTex)


def add_halo(mobject: mn.Mobject, color: mn.ParsableManimColor, width: float) -> mn.Mobject:
    """Outline every text in ``mobject`` (itself, or any text it holds) with a background stroke of ``color``
    and ``width``, drawn under the glyphs' fill: light text in a dark halo reads on a page of any colour.
    Only texts are touched (curves and dots keep their own strokes); a :class:`GlyphLine` also outlines the
    glyphs of the texts it shows later. A width of 0 changes nothing."""
    if width <= 0:
        return mobject
    if isinstance(mobject, GlyphLine):
        mobject.set_halo(color, width)
    elif isinstance(mobject, _TYPESET):
        mobject.set_stroke(color, width, background=True)
    else:
        for part in mobject.submobjects:
            add_halo(part, color, width)
    return mobject
