"""Axes drawn as a framed box with numbers on its bottom and left edges, and iterates placed on them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import manim as mn
import numpy as np

from ..core.views import AxisRange, clip_to_view
from .text import GlyphLine
from .theme import Theme

__all__ = ["curve_plot", "dots", "frame_axes", "iterate_points", "tick_labels"]


def tick_labels(
    axes: mn.Axes,
    x_range: AxisRange,
    y_range: AxisRange,
    font_size: float,
    color: mn.ParsableManimColor,
    edges: bool = False,
) -> mn.VGroup:
    """Numbers at the axes' ticks, from shared glyphs (manim's own cost a deep copy per character).

    They go along the axes where they cross, or along the bottom and left edges with ``edges``
    (for a map, whose axes frame it).
    """
    labels = mn.VGroup()
    ticks = [(v, None) for v in x_range.ticks()] + [(None, v) for v in y_range.ticks()]
    crossing = not edges and x_range.low <= 0 <= x_range.high and y_range.low <= 0 <= y_range.high
    zero_x = 0.0 if not edges and x_range.low <= 0 <= x_range.high else x_range.low
    zero_y = 0.0 if not edges and y_range.low <= 0 <= y_range.high else y_range.low
    for x, y in ticks:
        value = x if x is not None else y
        if value == 0 and crossing:
            continue  # the origin's "0" would sit on both axes
        decimals = (x_range if x is not None else y_range).decimals
        label = GlyphLine(f"{value:.{decimals}f}", font_size, color)
        if x is not None:
            label.next_to(axes.c2p(x, zero_y), mn.DOWN, buff=0.22)
        else:
            label.next_to(axes.c2p(zero_x, y), mn.LEFT, buff=0.22)
        labels.add(label)
    return labels


def frame_axes(
    axes: mn.Axes,
    x_range: AxisRange,
    y_range: AxisRange,
    font_size: float,
    theme: Theme,
    numbers: tuple[bool, bool] = (True, True),
    zero_line: bool = True,
) -> mn.VGroup:
    """A box around ``axes``' data rectangle with ticks and numbers on its bottom and left edges.

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
    labels = tick_labels(axes, x_range, y_range, font_size, theme.tick_text, edges=True)
    shown_x, shown_y = len(x_range.ticks()), len(y_range.ticks())
    keep = [numbers[0]] * shown_x + [numbers[1]] * shown_y
    parts.add(mn.VGroup(*(label for label, kept in zip(labels, keep, strict=True) if kept)))
    return parts



def curve_plot(
    function: Callable[[float], float],
    view: tuple[AxisRange, AxisRange],
    region: tuple[float, float, float, float],
    font_size: float,
    theme: Theme,
    curve_color: mn.ParsableManimColor,
) -> tuple[mn.Axes, mn.VMobject]:
    """Axes framed as a box with numbers, filling ``region`` (left, right, bottom, top), and the graph of
    ``function`` across the whole x view in straight pieces fine enough to look smooth."""
    x_view, y_view = view
    left, right, bottom, top = region
    axes = mn.Axes(
        x_range=x_view.as_manim(),
        y_range=y_view.as_manim(),
        x_length=right - left - 0.8,
        y_length=top - bottom - 0.4,
        tips=False,
        axis_config={"stroke_opacity": 0},  # a framed box instead: see frame_axes
    )
    axes.add(frame_axes(axes, x_view, y_view, font_size, theme))
    # Tick numbers stick out of the axes' own box: shrink the whole, labels included, to fit.
    scale = min((right - left) / axes.width, (top - bottom) / axes.height, 1.0)
    axes.scale(scale).move_to([(left + right) / 2, (top + bottom) / 2, 0])
    low, high = x_view.low, x_view.high
    graph = axes.plot(function, x_range=[low, high, (high - low) / 400], color=curve_color, stroke_width=4, use_smoothing=False)
    return axes, graph


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
