"""Each run's marks on the picture: its path so far, its dot, and a ring where it ended early."""

from __future__ import annotations

from collections.abc import Sequence

import manim as mn
import numpy as np

from .marks import StepPath
from .text import Label

__all__ = ["RunMarks"]


class RunMarks(mn.VGroup):
    """The path and dot of each run, given its iterates as scene points, and what step ``k`` shows of them.

    ``exit_rows[i]`` is the first row at which run ``i`` is outside the view (its points from there on sit
    on the view's edge, where the path crossed it); from that row on its dot is hidden and an arrowhead at
    that edge points the way the run went, with the step. A run marked in ``ends`` gets a ring at its last
    point once it has ended, unless that point is off the view: a ring only where the run really was. Path segments more
    than ``fade_after`` steps old are drawn faint (see :class:`~optscenes.visuals.marks.StepPath`).
    """

    def __init__(
        self,
        points: Sequence[np.ndarray],
        exit_rows: Sequence[int | None],
        colors: Sequence[mn.ParsableManimColor],
        radius: float,
        *,
        dot_colors: Sequence[mn.ParsableManimColor] | None = None,
        outline: mn.ParsableManimColor | None = None,
        label_size: float = 16.0,
        path_width: float = 3.0,
        path_opacity: float = 0.7,
        ring_width: float = 3.0,
        fade_after: int | None = None,
    ) -> None:
        self.iterates = [np.asarray(p, dtype=float) for p in points]
        self.exit_rows = list(exit_rows)
        dot_colors = list(dot_colors or colors)
        self.paths = [
            StepPath(p, fade_after=fade_after, stroke_color=c, stroke_width=path_width, stroke_opacity=path_opacity)
            for p, c in zip(self.iterates, colors, strict=True)
        ]
        # Equal dots, each outlined in the page's colour so one over another still shows as two.
        self.dots = [
            mn.Dot(p[0], radius=radius, color=c, stroke_color=outline, stroke_width=1.5 if outline is not None else 0)
            for p, c in zip(self.iterates, dot_colors, strict=True)
        ]
        self.rings = [
            mn.Circle(radius=radius * 1.9, color=c, stroke_width=ring_width).move_to(p[-1])
            for p, c in zip(self.iterates, colors, strict=True)
        ]
        self.edges = [
            _edge_mark(p, row, c, radius, label_size) if row else None
            for p, row, c in zip(self.iterates, self.exit_rows, colors, strict=True)
        ]
        self.ring_slots = [mn.VGroup() for _ in self.iterates]
        self.edge_slots = [mn.VGroup() for _ in self.iterates]
        super().__init__(*self.paths, *self.ring_slots, *self.edge_slots, *self.dots)

    def show(self, rows: Sequence[int], ended: Sequence[bool] | None = None) -> None:  # type: ignore[override]
        """Run ``i`` at row ``rows[i]``; ringed where ``ended[i]`` (and its last point is in view)."""
        for index, row in enumerate(rows):
            self.paths[index].show_until(row)
            exit_row = self.exit_rows[index]
            gone = exit_row is not None and row >= exit_row
            self.dots[index].move_to(self.iterates[index][row]).set_opacity(0.0 if gone else 1.0)
            ringed = ended is not None and ended[index] and not gone
            self.ring_slots[index].submobjects = [self.rings[index]] if ringed else []
            edge = self.edges[index]
            self.edge_slots[index].submobjects = [edge] if gone and edge is not None else []

    def start_rings(self, colors: Sequence[mn.ParsableManimColor], radius: float) -> mn.VGroup:
        """A ring around each run's start point (drawn once, under everything that moves)."""
        return mn.VGroup(
            *(
                mn.Circle(radius=radius, color=c, stroke_width=2).move_to(p[0])
                for p, c in zip(self.iterates, colors, strict=True)
            )
        )


def _edge_mark(
    points: np.ndarray, row: int, color: mn.ParsableManimColor, radius: float, label_size: float
) -> mn.VGroup:
    """An arrowhead on the view's edge where the run left it (``points[row]``), pointing the way it went,
    and the step at which it was first outside, on the inner side of the arrowhead."""
    tip = points[row]
    direction = tip - points[row - 1]
    length = float(np.linalg.norm(direction[:2]))
    unit = direction / length if length > 1e-9 else np.array([1.0, 0.0, 0.0])
    head = mn.Triangle(color=color, fill_opacity=1, stroke_width=0).scale(radius * 1.3)
    head.rotate(float(np.arctan2(unit[1], unit[0])) - mn.PI / 2)  # a Triangle points up
    head.move_to(tip - unit * radius * 0.9)
    label = Label(f"step {row}", font_size=label_size, color=color)
    label.move_to(head.get_center() - unit * (radius * 1.6 + max(label.width, label.height) / 2))
    return mn.VGroup(head, label)
