"""Axes drawn as a framed box with numbers on its bottom and left edges, and iterates placed on them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise

import manim as mn
import numpy as np

from ..core.views import AxisRange, clip_to_view
from .text import GlyphLine, Label
from .theme import Theme

__all__ = ["axis_titles", "curve_plot", "dots", "frame_axes", "iterate_points", "tick_labels"]


def tick_labels(
    axes: mn.Axes,
    x_range: AxisRange,
    y_range: AxisRange,
    font_size: float,
    color: mn.ParsableManimColor,
    edges: bool = False,
) -> mn.VGroup:
    """Numbers at the axes' ticks, from shared glyphs (manim's own cost a deep copy per character):
    a group of the x axis's and one of the y axis's.

    They go along the axes where they cross, or along the bottom and left edges with ``edges``
    (for a map, whose axes frame it). Where neighbours would touch, only every second (third, ...)
    number is kept: text is never shrunk to fit.
    """
    crossing = not edges and x_range.low <= 0 <= x_range.high and y_range.low <= 0 <= y_range.high
    zero_x = 0.0 if not edges and x_range.low <= 0 <= x_range.high else x_range.low
    zero_y = 0.0 if not edges and y_range.low <= 0 <= y_range.high else y_range.low
    x_labels, y_labels = mn.VGroup(), mn.VGroup()
    for x in x_range.ticks():
        if not (x == 0 and crossing):  # the origin's "0" would sit on both axes
            label = GlyphLine(f"{x:.{x_range.decimals}f}", font_size, color)
            x_labels.add(label.next_to(axes.c2p(x, zero_y), mn.DOWN, buff=0.22 * font_size / 20))
    for y in y_range.ticks():
        if not (y == 0 and crossing):
            label = GlyphLine(f"{y:.{y_range.decimals}f}", font_size, color)
            y_labels.add(label.next_to(axes.c2p(zero_x, y), mn.LEFT, buff=0.22 * font_size / 20))
    gap = 0.3 * font_size / 20  # about half a digit's width
    return mn.VGroup(_thinned(x_labels, 0, gap), _thinned(y_labels, 1, gap))


def _thinned(labels: mn.VGroup, axis: int, gap: float) -> mn.VGroup:
    """Every ``n``-th of ``labels`` (in order along ``axis``) for the smallest ``n`` that leaves ``gap``
    between neighbours."""
    unit = (mn.RIGHT, mn.UP)[axis]
    for every in range(1, len(labels) + 1):
        kept = labels.submobjects[::every]
        spaces = (
            after.get_critical_point(-unit)[axis] - before.get_critical_point(unit)[axis]
            for before, after in pairwise(kept)
        )
        if all(space >= gap for space in spaces):
            return mn.VGroup(*kept)
    return mn.VGroup()


def frame_axes(
    axes: mn.Axes,
    x_range: AxisRange,
    y_range: AxisRange,
    font_size: float,
    theme: Theme,
    numbers: tuple[bool, bool] = (True, True),
    zero_line: bool = True,
) -> mn.VGroup:
    """A box around ``axes``' data rectangle with ticks and numbers on its bottom and left edges; the
    numbers are its last part.

    Numbers along the edges stay clear of the curve, which axes through the middle of the picture
    run across; a faint line marks y = 0 when it is in view. Build ``axes`` with invisible axis lines.
    """
    low, high = axes.c2p(x_range.low, y_range.low), axes.c2p(x_range.high, y_range.high)
    box = mn.Rectangle(width=high[0] - low[0], height=high[1] - low[1], stroke_color=theme.frame, stroke_width=1.5)
    parts = mn.VGroup(box.move_to((low + high) / 2))
    tick = 0.06 * font_size / 20
    for x in x_range.ticks():
        point = axes.c2p(x, y_range.low)
        parts.add(mn.Line(point, point + mn.UP * tick, stroke_color=theme.frame, stroke_width=1.5))
    for y in y_range.ticks():
        point = axes.c2p(x_range.low, y)
        parts.add(mn.Line(point, point + mn.RIGHT * tick, stroke_color=theme.frame, stroke_width=1.5))
    if zero_line and y_range.low < 0 < y_range.high:
        parts.add(mn.Line(axes.c2p(x_range.low, 0), axes.c2p(x_range.high, 0), stroke_color=theme.zero_line, stroke_width=1))
    x_labels, y_labels = tick_labels(axes, x_range, y_range, font_size, theme.tick_text, edges=True)
    parts.add(mn.VGroup(*(group for group, shown in ((x_labels, numbers[0]), (y_labels, numbers[1])) if shown)))
    return parts


def axis_titles(frame: mn.VGroup, names: tuple[str, str], font_size: float, color: mn.ParsableManimColor) -> mn.VGroup:
    """The axes' names, as on the maps: the x axis's under its numbers and the y axis's left of them, each
    halfway along ``frame`` (made by :func:`frame_axes`)."""
    box, numbers = frame[0], frame[-1]
    x_name = Label(names[0], font_size=font_size, color=color).next_to(numbers, mn.DOWN, buff=0.1 * font_size / 20)
    y_name = Label(names[1], font_size=font_size, color=color).next_to(numbers, mn.LEFT, buff=0.16 * font_size / 20)
    return mn.VGroup(x_name.set_x(box.get_center()[0]), y_name.set_y(box.get_center()[1]))


def curve_plot(
    function: Callable[[float], float],
    view: tuple[AxisRange, AxisRange],
    region: tuple[float, float, float, float],
    font_size: float,
    theme: Theme,
    curve_color: mn.ParsableManimColor,
) -> tuple[mn.Axes, mn.VMobject]:
    """Axes framed as a box with numbers and the names ``x`` and ``f(x)``, filling ``region`` (left, right,
    bottom, top), and the graph of ``function`` across the whole x view in straight pieces fine enough
    to look smooth. The box gives up the room the text needs; the text keeps ``font_size``."""
    left, right, bottom, top = region
    axes = _framed_axes(view, (right - left, top - bottom), font_size, theme)
    # What the numbers and names add around the box hardly depends on its size: measure it, then fit.
    box = axes.submobjects[-1][0][0]
    extra = (axes.width - box.width, axes.height - box.height)
    axes = _framed_axes(view, (right - left - extra[0], top - bottom - extra[1]), font_size, theme)
    axes.shift(np.array([left - axes.get_left()[0], bottom - axes.get_bottom()[1], 0.0]))
    low, high = view[0].low, view[0].high
    graph = axes.plot(function, x_range=[low, high, (high - low) / 400], color=curve_color, stroke_width=4, use_smoothing=False)
    return axes, graph


def _framed_axes(view: tuple[AxisRange, AxisRange], box: tuple[float, float], font_size: float, theme: Theme) -> mn.Axes:
    """Axes whose data rectangle is ``box`` (width, height), holding their frame, numbers and names."""
    axes = mn.Axes(
        x_range=view[0].as_manim(), y_range=view[1].as_manim(), x_length=box[0], y_length=box[1], tips=False,
        axis_config={"stroke_opacity": 0},  # a framed box instead: see frame_axes
    )  # fmt: skip
    frame = frame_axes(axes, *view, font_size, theme)
    axes.add(mn.VGroup(frame, axis_titles(frame, ("x", "f(x)"), font_size, theme.tick_text)))
    return axes


def iterate_points(
    axes: mn.Axes, xs: np.ndarray, ys: np.ndarray, view: tuple[AxisRange, AxisRange]
) -> tuple[np.ndarray, int | None]:
    """Scene points of the iterates ``(x_k, y_k)`` on ``axes``, cut where the run leaves ``view`` (see
    :func:`~optscenes.core.views.clip_to_view`); also the first row outside it, or ``None``."""
    clipped, exit_row = clip_to_view(np.column_stack([xs, ys]), *view)
    return np.array([axes.c2p(float(x), float(y)) for x, y in clipped]), exit_row


def dots(points: Sequence[np.ndarray], color: mn.ParsableManimColor, radius: float) -> mn.VGroup:
    """A dot at each point."""
    return mn.VGroup(*(mn.Dot(p, radius=radius, color=color) for p in points))
