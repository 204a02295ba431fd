"""What moves: the path so far and the step counter. What is drawn for a step is a function of that step
only, never of earlier frames, so manim's cache and re-renders give the same pictures."""

from __future__ import annotations

import manim as mn
import numpy as np

from .text import GlyphLine, Label

__all__ = ["StepCounter", "StepPath"]


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

