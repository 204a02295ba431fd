"""Loss against step beside the picture, drawn in lockstep with the replay."""

from __future__ import annotations

import manim as mn
import numpy as np

from ..core.formula import superscript
from ..core.views import AxisRange, loss_axis
from .axes import frame_axes
from .marks import StepPath
from .text import Label
from .theme import Theme

__all__ = ["LossInset"]


class LossInset(mn.VGroup):
    """Loss against step, one line per run, drawn up to the step shown; log scale when losses span decades."""

    def __init__(
        self,
        losses: list[np.ndarray],
        steps: int,
        colors: list[mn.ParsableManimColor],
        size: tuple[float, float],
        font_size: float,
        theme: Theme,
    ) -> None:
        super().__init__()
        y, self.log = loss_axis(losses)
        values = [np.log10(loss) if self.log else loss for loss in losses]
        x = AxisRange(0, steps, steps)
        self.axes = mn.Axes(
            x_range=x.as_manim(), y_range=y.as_manim(), x_length=size[0], y_length=size[1], tips=False,
            axis_config={"stroke_opacity": 0},
        )  # fmt: skip
        self.add(self.axes, frame_axes(self.axes, x, y, font_size, theme, numbers=(True, not self.log), zero_line=not self.log))
        if self.log:
            for exponent in np.arange(y.low, y.high + 0.5 * y.step, y.step):
                label = Label(f"10{superscript(str(int(exponent)))}", font_size=font_size, color=theme.tick_text)
                self.add(label.next_to(self.axes.c2p(0, exponent), mn.LEFT, buff=0.1))
        title = Label("log loss" if self.log else "loss", font_size=font_size, color=theme.secondary_text)
        self.add(title.next_to(self, mn.UP, buff=0.15).align_to(self, mn.LEFT))
        step_name = Label("step", font_size=font_size, color=theme.secondary_text)
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

