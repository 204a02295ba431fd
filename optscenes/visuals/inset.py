"""Loss against step beside the picture, drawn in lockstep with the replay."""

from __future__ import annotations

import functools

import manim as mn
import numpy as np

from ..core.views import AxisRange, loss_axis
from .axes import frame_axes
from .marks import StepPath
from .text import GlyphLine, Label, fit_width
from .theme import Theme

__all__ = ["LossInset", "legible_font_size"]


class LossInset(mn.VGroup):
    """Loss against step, one line per run, drawn up to the step shown, the whole inset (numbers and
    title included) inside ``size``. The axis is :func:`~optscenes.core.views.loss_axis`'s: a run that
    would flatten the others is clipped: its line ends where it first leaves the box, with a cap; the title
    says so."""

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
        font_size = legible_font_size(font_size)
        digit = _digit_height(font_size)
        buff = digit * 0.3  # between the numbers, the title and the box
        box_height = size[1] - 2 * (digit + 2 * buff) - digit * 0.5
        most = int(np.clip(box_height // (2.2 * digit), 1, 5))  # a number's height and more between two
        self.loss_axis = loss_axis(losses, ticks=(min(2, most), most))
        y = self.y_range = self.loss_axis.axis
        self.log = self.loss_axis.log
        numbers = self.powers = _power_labels(y, font_size, theme) if self.log else None
        widest = max((n.width for n in numbers), default=0.0) if numbers else _widest_number(y, font_size)
        width = size[0] - widest - 2 * buff
        self.axes = mn.Axes(
            x_range=AxisRange(0, steps, steps).as_manim(), y_range=y.as_manim(), x_length=width, y_length=box_height,
            tips=False, axis_config={"stroke_opacity": 0},
        )  # fmt: skip
        x = AxisRange(0, steps, steps)
        self.add(
            self.axes,
            frame_axes(self.axes, x, y, font_size, theme, numbers=(True, not self.log), zero_line=not self.log),
        )
        for exponent, number in zip(y.ticks(), numbers or [], strict=False):
            self.add(number.next_to(self.axes.c2p(0, exponent), mn.LEFT, buff=2 * buff))
        title = fit_width(Label(self.loss_axis.title, font_size=font_size, color=theme.secondary_text), size[0])
        self.add(title.next_to(self, mn.UP, buff=buff).align_to(self, mn.LEFT))  # above the top number too
        step_name = Label("step", font_size=font_size, color=theme.secondary_text)
        self.add(step_name.next_to(self.axes.c2p(steps / 2, y.low), mn.DOWN, buff=2 * buff))
        self.lines, self.caps = [], []
        for loss, color in zip(losses, colors, strict=True):
            line, caps = self._line(loss, color, digit)
            self.lines.append(line)
            self.caps.append(caps)
            self.add(line, *(slot for _, slot in caps))
        self.show_until([0] * len(losses))

    def _line(
        self, loss: np.ndarray, color: mn.ParsableManimColor, digit: float
    ) -> tuple[StepPath, list[tuple[int, mn.VGroup]]]:
        """A run's loss line up to where it first leaves the box, and a cap there (with the step at which it
        shows): a clipped run that swings in and out would otherwise fence the inset with lines and caps."""
        y = self.loss_axis.axis
        span = y.high - y.low
        # Far outside but finite, so that the line's direction there is kept and the box cuts it.
        values = np.clip(self.loss_axis.values(loss), y.low - 1e3 * span, y.high + 1e3 * span)
        points = np.array([self.axes.c2p(k, v) if np.isfinite(v) else [np.nan] * 3 for k, v in enumerate(values)])
        band = (self.axes.c2p(0, y.low)[1], self.axes.c2p(0, y.high)[1])
        line = StepPath(points, y_band=band, stroke_color=color, stroke_width=2.5)
        caps = []
        for segment, point, way in line.exits[:1]:
            line.segments[segment + 1 :] = [None] * (len(line.segments) - segment - 1)
            cap = mn.Triangle(color=color, fill_opacity=1, stroke_width=0).scale(digit * 0.45)
            # Inside the box, its tip on the edge the line leaves through: clear of the numbers and title.
            cap.rotate(0 if way > 0 else mn.PI).move_to(point - way * mn.UP * cap.height / 2)
            caps.append((segment + 1, mn.VGroup(cap)))
        return line, caps

    def show_until(self, row_of_run: list[int]) -> None:
        for line, caps, row in zip(self.lines, self.caps, row_of_run, strict=True):
            line.show_until(row)
            for shown_from, slot in caps:
                slot.set_opacity(1.0 if row >= shown_from else 0.0)


def legible_font_size(font_size: float) -> float:
    """``font_size``, raised where needed so that digits are at least 1/40 of the frame's height in pixels
    (27 px at 1080p) and at least 10 px (small GIFs), measured on the rendered glyphs."""
    pixels_per_unit = mn.config.pixel_width / mn.config.frame_width
    needed = max(mn.config.pixel_height / 40, 10.0) * 1.08  # a margin for anti-aliased edges
    return max(font_size, needed / pixels_per_unit / _digit_height(1.0))


@functools.cache
def _digit_height_per_point() -> float:
    return float(Label("0", font_size=48.0).height) / 48.0


def _digit_height(font_size: float) -> float:
    """How tall a digit is at ``font_size``, in scene units."""
    return _digit_height_per_point() * font_size


def _widest_number(y: AxisRange, font_size: float) -> float:
    return max(GlyphLine(f"{v:.{y.decimals}f}", font_size).width for v in y.ticks())


def _power_labels(y: AxisRange, font_size: float, theme: Theme) -> list[mn.VGroup]:
    """``10`` with its exponent raised beside it for each tick of a log axis, the exponent's digits as
    tall as the other numbers' (a smaller exponent would be unreadable from the back of a hall)."""
    labels = []
    for exponent in y.ticks():
        base = Label("10", font_size=font_size * 1.2, color=theme.tick_text)
        power = Label(f"{int(exponent)}".replace("-", "\u2212"), font_size=font_size, color=theme.tick_text)
        power.next_to(base, mn.RIGHT, buff=0.05 * base.height).align_to(base, mn.DOWN)
        power.shift(mn.UP * base.height * 0.55)
        labels.append(mn.VGroup(base, power))
    return labels
