"""Each run's marks on the picture: its path so far, its dot, and a ring where it ended early."""

from __future__ import annotations

from collections.abc import Sequence

import manim as mn
import numpy as np

from .marks import StepPath

__all__ = ["RunMarks"]


class RunMarks(mn.VGroup):
    """The path and dot of each run, given its iterates as scene points, and what step ``k`` shows of them.

    ``exit_rows[i]`` is the first row at which run ``i`` is outside the view (its points from there on sit
    on the view's edge); its dot is hidden from that row on. A run marked in ``ends`` gets a ring at its
    last point once it has ended.
    """

    def __init__(
        self,
        points: Sequence[np.ndarray],
        exit_rows: Sequence[int | None],
        colors: Sequence[mn.ParsableManimColor],
        radius: float,
        *,
        dot_colors: Sequence[mn.ParsableManimColor] | None = None,
        dot_scales: Sequence[float] | None = None,
        path_width: float = 3.0,
        path_opacity: float = 0.7,
        ring_width: float = 3.0,
    ) -> None:
        self.iterates = [np.asarray(p, dtype=float) for p in points]
        self.exit_rows = list(exit_rows)
        dot_colors = list(dot_colors or colors)
        dot_scales = list(dot_scales or [1.0] * len(self.iterates))
        self.paths = [
            StepPath(p, stroke_color=c, stroke_width=path_width, stroke_opacity=path_opacity)
            for p, c in zip(self.iterates, colors, strict=True)
        ]
        self.dots = [
            mn.Dot(p[0], radius=radius * k, color=c) for p, c, k in zip(self.iterates, dot_colors, dot_scales, strict=True)
        ]
        self.rings = [
            mn.Circle(radius=radius * 1.9, color=c, stroke_width=ring_width).move_to(p[-1])
            for p, c in zip(self.iterates, colors, strict=True)
        ]
        self.ring_slots = [mn.VGroup() for _ in self.iterates]
        super().__init__(*self.paths, *self.ring_slots, *self.dots)

    def show(self, rows: Sequence[int], ended: Sequence[bool] | None = None) -> None:
        """Run ``i`` at row ``rows[i]``; ringed where ``ended[i]``."""
        for index, row in enumerate(rows):
            self.paths[index].show_until(row)
            exit_row = self.exit_rows[index]
            gone = exit_row is not None and row >= exit_row
            self.dots[index].move_to(self.iterates[index][row]).set_opacity(0.0 if gone else 1.0)
            ringed = ended is not None and ended[index]
            self.ring_slots[index].submobjects = [self.rings[index]] if ringed else []

    def start_rings(self, colors: Sequence[mn.ParsableManimColor], radius: float) -> mn.VGroup:
        """A ring around each run's start point (drawn once, under everything that moves)."""
        return mn.VGroup(
            *(mn.Circle(radius=radius, color=c, stroke_width=2).move_to(p[0]) for p, c in zip(self.iterates, colors, strict=True))
        )
