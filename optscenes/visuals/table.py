"""The table of runs: legend and live readout in one."""

from __future__ import annotations

import manim as mn
import numpy as np

from ..core.describe import format_value
from .text import GlyphLine, Label, put_on_baseline

__all__ = ["RunTable"]


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
        text_color: mn.ParsableManimColor,
        heading_color: mn.ParsableManimColor,
        notes: list[str | None] | None = None,
        widest: list[str] | None = None,
    ) -> None:
        """``notes``: per row, a text (e.g. ``diverged at 9``) kept in a last column, shown on demand
        with ``show_note``; the table's width includes it, so it is never pushed out of the frame.
        ``widest``: per column, the widest value it will show (default: the widest ``format_value`` writes),
        so a column is no wider than its numbers need."""
        super().__init__()
        self.columns = list(columns)
        line = font_size / 48 * 0.78  # row pitch in scene units
        gap = font_size / 48 * 0.45
        self.names = [Label(text, font_size=font_size, color=text_color) for text in labels]
        name_width = max(n.width for n in self.names)
        self.values: list[list[GlyphLine]] = []
        self.status_slots: list[mn.VGroup] = []
        cells = [GlyphLine(text, font_size=font_size, color=text_color) for text in widest or ["-8.88e-88"] * len(columns)]
        heads = [Label(name, font_size=font_size, color=heading_color) for name in columns]
        swatch_radius = font_size / 48 * 0.17
        name_left = 2 * swatch_radius + gap * 0.6
        widths = [max(cell.width, head.width) for cell, head in zip(cells, heads, strict=True)]
        rights = list(name_left + name_width + np.cumsum([width + gap for width in widths]))
        self.status_left = rights[-1] + gap if rights else name_left + name_width + gap
        for head, right in zip(heads, rights, strict=True):
            put_on_baseline(head, 0.0).set_x(right - head.width / 2)
        self.add(mn.VGroup(*heads))
        for row, (name, color) in enumerate(zip(self.names, colors, strict=True)):
            baseline = -(row + 1) * line
            swatch = mn.Dot([swatch_radius, baseline + swatch_radius * 1.1, 0], radius=swatch_radius, color=color)
            put_on_baseline(name.align_to([name_left, 0, 0], mn.LEFT), baseline)
            row_cells = []
            for cell, right in zip(cells, rights, strict=True):
                value = cell.copy()
                value.set_text("0")
                value.move_baseline_to(np.array([right, baseline, 0.0]))
                row_cells.append(value)
            slot = mn.VGroup()
            self.values.append(row_cells)
            self.status_slots.append(slot)
            self.add(swatch, name, *row_cells, slot)
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

