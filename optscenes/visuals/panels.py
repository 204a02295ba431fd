"""Small multiples: one panel per run, each with its own axes and view, laid out in a grid.

A sweep whose runs live at different scales (SGD on x^2 at lr 0.1 and at lr 1.05) cannot share one
view without squashing some of them; each panel frames its own run instead.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import manim as mn

from ..core.views import AxisRange
from .axes import curve_plot
from .text import Label
from .theme import Theme

__all__ = ["RunPanel", "panel_cells"]

Region = tuple[float, float, float, float]


def panel_cells(count: int, region: Region, gap: float, max_columns: int = 4, min_aspect: float = 0.8) -> list[Region]:
    """``count`` cells (left, right, bottom, top) filling ``region`` in reading order: one row when there
    are at most ``max_columns`` and each cell is at least ``min_aspect`` times as wide as it is tall (a
    narrower panel squeezes its x axis), else two rows."""
    left, right, bottom, top = region
    width, height = right - left, top - bottom
    one_row = count <= max_columns and (width - gap * (count - 1)) / count >= min_aspect * height
    rows = 1 if one_row or count == 1 else 2
    columns = math.ceil(count / rows)
    cell_width = (width - gap * (columns - 1)) / columns
    cell_height = (height - gap * (rows - 1)) / rows
    cells = []
    for index in range(count):
        row, column = divmod(index, columns)
        cell_left = left + column * (cell_width + gap)
        cell_top = top - row * (cell_height + gap)
        cells.append((cell_left, cell_left + cell_width, cell_top - cell_height, cell_top))
    return cells


class RunPanel(mn.VGroup):
    """One run's panel: its caption (the run's label, in its colour) on top, its own framed plot of the
    curve in its own view, and, with ``status_line``, a line under the plot for its status words, shown
    with :meth:`show_status`.

    The status line's room is kept from the start, so the plot does not move when words appear; panels
    whose runs have nothing to say leave it out and give the plot the room.
    """

    def __init__(
        self,
        caption: str,
        color: mn.ParsableManimColor,
        function: Callable[[float], float],
        view: tuple[AxisRange, AxisRange],
        cell: Region,
        font_size: float,
        theme: Theme,
        curve_color: mn.ParsableManimColor,
        status_line: bool = True,
    ) -> None:
        left, right, bottom, top = cell
        self.caption = Label(caption, font_size=font_size, color=color)
        if self.caption.width > right - left:
            self.caption.scale_to_fit_width(right - left)
        self.caption.align_to([left, top, 0], mn.UL)
        # The status line's room: words with a tall letter and letters that hang below the baseline.
        line = Label("diverged at step", font_size=font_size).height + 0.16 if status_line else 0.0
        plot_top = self.caption.get_bottom()[1] - 0.12
        self.view = view
        self.axes, self.graph = curve_plot(
            function, view, (left, right, bottom + line, plot_top), font_size, theme, curve_color
        )
        self.font_size = font_size
        self.status_top = self.axes.get_bottom()[1] - 0.08
        self.status_left = left
        self.status_width = right - left
        self.status_slot = mn.VGroup()
        super().__init__(self.caption, self.axes, self.graph, self.status_slot)

    @property
    def plot_height(self) -> float:
        """The height of the plot's data rectangle (its frame box), without numbers and names."""
        x_view, y_view = self.view
        return float(self.axes.c2p(x_view.low, y_view.high)[1] - self.axes.c2p(x_view.low, y_view.low)[1])

    def status_label(self, text: str, color: mn.ParsableManimColor) -> Label:
        """``text`` as this panel's status words, under its plot, fitted to its width."""
        label = Label(text, font_size=self.font_size, color=color)
        if label.width > self.status_width:
            label.scale_to_fit_width(self.status_width)
        return label.align_to([self.status_left, self.status_top, 0], mn.UL)

    def show_status(self, label: mn.Mobject | None) -> None:
        """Show ``label`` (made by :meth:`status_label`) under the plot, or nothing."""
        self.status_slot.submobjects = [label] if label is not None else []
