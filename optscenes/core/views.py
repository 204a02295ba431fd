"""What to show: axis ranges with round ticks, the window around the runs, the loss plot's axis.

Pure numpy, no manim: the scenes ask these functions and draw what they say.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from .formula import superscript
from .objective import Objective
from .trajectory import Trajectory

__all__ = [
    "AxisRange",
    "LossAxis",
    "axis_range",
    "clip_to_view",
    "equal_scale_size",
    "framed_params",
    "framed_rows",
    "loss_axis",
    "view_1d",
    "view_2d",
]

_NICE = (1.0, 2.0, 2.5, 5.0)


#: At most this many ticks on an axis: more numbers than that cannot be read from the back of a hall.
MOST_TICKS = 7


@dataclass(frozen=True)
class AxisRange:
    """An axis from ``low`` to ``high`` with ticks at the multiples of ``step`` between them (manim's
    ``x_range`` triple; the ends need not be ticks)."""

    low: float
    high: float
    step: float

    def as_manim(self) -> list[float]:
        """``[low, high, step]``, as manim's ``x_range``."""
        return [self.low, self.high, self.step]

    def ticks(self) -> np.ndarray:
        """The multiples of ``step`` from ``low`` to ``high``."""
        first = math.ceil(self.low / self.step - 1e-9)
        last = math.floor(self.high / self.step + 1e-9)
        # + 0.0 turns -0.0 into 0.0, which would otherwise be labelled "-0.0".
        return np.round(self.step * np.arange(first, last + 1), 10) + 0.0

    @property
    def decimals(self) -> int:
        """Decimal places the tick labels need: 0 for a step of 5, 1 for 2.5 or 0.2, 2 for 0.25."""
        exponent = Decimal(repr(self.step)).normalize().as_tuple().exponent
        return max(0, -int(exponent))


def axis_range(low: float, high: float, pad: float = 0.06, ticks: tuple[int, int] = (3, 6)) -> AxisRange:
    """The tightest range that holds ``[low, high]`` with a margin, with round ticks inside it.

    Among steps 1, 2, 2.5, 5 times a power of ten, picks the one with between ``ticks[0]`` and
    ``ticks[1]`` intervals between its first and last tick (never more than ``MOST_TICKS`` ticks; fewer
    than ``ticks[0]`` only if no step gives that many) whose range, rounded outwards to half steps, is
    narrowest; on a tie, the one whose labels need fewer decimals. The ends are not ticks, so an axis
    is not stretched to the next round number.
    """
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"axis_range needs finite bounds, not {low}, {high}")
    if high < low:
        low, high = high, low
    span = high - low
    if span <= 1e-12 * max(1.0, abs(low), abs(high)):
        span = max(abs(low) * 0.2, 1.0)
        low, high = low - span / 2, high + span / 2
    low, high = low - pad * span, high + pad * span
    fewest, most = min(ticks[0], MOST_TICKS - 1), min(ticks[1], MOST_TICKS - 1)
    candidates = []
    exponent = math.floor(math.log10(high - low)) - 2
    for power in range(exponent, exponent + 4):
        for nice in _NICE:
            step = float(f"{nice * 10.0**power:.12g}")
            half = step / 2
            lo = _clean(math.floor(low / half + 1e-9) * half, half)
            hi = _clean(math.ceil(high / half - 1e-9) * half, half)
            axis = AxisRange(lo, hi, step)
            intervals = len(axis.ticks()) - 1
            if 1 <= intervals <= most:
                # Too few intervals only when no step gives enough (a span just over a round number can miss both).
                candidates.append((intervals < fewest, hi - lo, axis.decimals, axis))
    return min(candidates, key=lambda c: c[:3])[3]


def _clean(value: float, step: float) -> float:
    """Round away float noise such as 0.30000000000000004 so tick labels read 0.3."""
    digits = max(0, -math.floor(math.log10(step)) + 2)
    return round(value, digits) + 0.0


def view_1d(
    objective: Objective,
    trajectories: Trajectory | Sequence[Trajectory],
    x_range: Sequence[float] | None = None,
    y_range: Sequence[float] | None = None,
    samples: int = 600,
) -> tuple[AxisRange, AxisRange]:
    """Axis ranges that show every iterate of every run and the curve between and around them.

    Ranges given by the user are kept; a pair ``(low, high)`` gets round ticks added.
    """
    runs = [trajectories] if isinstance(trajectories, Trajectory) else list(trajectories)
    framed = framed_params(runs)[:, 0]
    low, high = float(framed.min()), float(framed.max())
    named = objective.named
    if named is not None:
        # A catalogue function's own window stays in view: its global minimum is the point of the lesson.
        low, high = min(low, named.x_range[0]), max(high, named.x_range[1])
    x = _given(x_range) or axis_range(low, high)
    if y_range is not None:
        return x, _given(y_range)  # type: ignore[return-value]
    grid = np.linspace(x.low, x.high, samples)
    values = objective.numpy(grid)
    values = values[np.isfinite(values)]
    all_x = np.concatenate([run.params[:, 0] for run in runs])
    all_losses = np.concatenate([run.losses for run in runs])
    losses = all_losses[(all_x >= x.low) & (all_x <= x.high) & np.isfinite(all_losses)]
    if values.size:
        # Poles (1/x near 0) would squash the picture: keep the curve's bulk plus every iterate.
        lo, hi = np.percentile(values, [1, 99]) if _has_spike(values) else (values.min(), values.max())
    else:
        lo, hi = losses.min(), losses.max()
    lo, hi = min(lo, losses.min(initial=lo)), max(hi, losses.max(initial=hi))
    return x, axis_range(float(lo), float(hi))


def framed_rows(trajectory: Trajectory, jump: float = 8.0) -> slice:
    """The rows worth framing: all of them, unless the run diverged.

    A diverging run ends in an explosion; framing it would squash the steps that explain it. Its view
    stops before the first row (from row 2 on) that lies ``jump`` times farther from the start than any
    of the first three steps, so the dot is seen leaving the view.
    """
    if trajectory.status != "diverged":
        return slice(None)
    distance = np.linalg.norm(trajectory.params - trajectory.params[0], axis=1)
    for row in range(2, len(distance)):
        if distance[row] > jump * max(distance[1 : min(row, 4)].max(), 1e-12):
            return slice(0, row)
    return slice(None)


def framed_params(trajectories: Sequence[Trajectory], outlier: float = 5.0) -> np.ndarray:
    """The points a view is made for, stacked: each run's ``framed_rows``; when some runs did not
    diverge, theirs alone (a diverging run then leaves the view instead of squashing the others).

    A run that blows up without diverging (SGD at lr 1.05 on x^2 grows 1.1 times a step) would squash
    the others all the same: a run that goes more than ``outlier`` times as far from its start as the
    others do (the median of all but the farthest) is framed only a little farther (1.5 times) than the
    farthest of the rest goes; it leaves the view, marked. Every start stays in view.
    """
    kept = [t for t in trajectories if t.status != "diverged"] or list(trajectories)
    rows = [t.params[framed_rows(t)] for t in kept]
    reach = [float(np.linalg.norm(r - r[0], axis=1).max()) for r in rows]
    typical = float(np.median(sorted(reach)[:-1])) if len(rows) > 1 else 0.0
    if typical > 0:
        limit = 1.5 * max(far for far in reach if far <= outlier * typical)
        rows = [
            r if far <= outlier * typical else r[np.linalg.norm(r - r[0], axis=1) <= limit]
            for r, far in zip(rows, reach, strict=True)
        ]
    return np.concatenate([*rows, *(t.params[:1] for t in trajectories)])


#: A run leaves a loss plot when leaving it out shrinks the others' span of losses this many times: it
#: would flatten them into a quarter of the height (on a log scale, whose decades already squeeze a
#: blow-up, half the height).
FLATTEN = 4.0


@dataclass(frozen=True)
class LossAxis:
    """The y axis of a loss-against-step plot, in plotted units: the loss, or its log10 when ``log``.

    ``clipped`` are the runs that leave the axis (drawn up to its edge and marked there); on a log axis
    an exact zero is drawn at ``floor``.
    """

    axis: AxisRange
    log: bool = False
    clipped: tuple[int, ...] = ()
    floor: float | None = None

    def values(self, loss: np.ndarray) -> np.ndarray:
        """``loss`` in plotted units; on a log axis a zero sits at ``floor`` and NaN stays NaN."""
        return _plotted(np.asarray(loss, dtype=float), self.log, self.floor)

    @property
    def title(self) -> str:
        """``loss``, and in brackets what the reader must know to read it: log scale, clipped runs, the floor."""
        notes = ["log"] if self.log else []
        if self.clipped:
            notes.append("clipped")
        if self.floor is not None:
            notes.append(f"0 at 10{superscript(str(round(math.log10(self.floor))))}")
        return f"loss ({', '.join(notes)})" if notes else "loss"


def loss_axis(losses: Sequence[np.ndarray], ticks: tuple[int, int] = (2, 5)) -> LossAxis:
    """The axis of a plot of each run's loss against step, with ``ticks[0]`` to ``ticks[1]`` intervals.

    Log10 when the losses are never negative and the positive ones span more than two decades, else
    linear. A run that would flatten the others (see :data:`FLATTEN`; at most half the runs, the farthest
    first) is left out of the axis and clipped at its edge; on a log scale only its rise counts, and the
    axis still reaches the lowest loss of all (getting better is never cut off). The scale is then chosen
    again for what the axis holds. A loss that is never negative gets no room below 0.
    """
    finite = [np.asarray(loss, dtype=float)[np.isfinite(loss)] for loss in losses]
    log, floor = _log_scale(np.concatenate(finite))
    kept = _kept([_plotted(f, log, floor) for f in finite], log)
    held = [finite[i] for i in kept] + ([f[[np.argmin(f)]] for f in finite if f.size] if log else [])
    log, floor = _log_scale(np.concatenate(held))
    values = np.concatenate([_plotted(h, log, floor) for h in held])
    low, high = float(values.min()), float(values.max())
    if log:
        low, high = math.floor(low), math.ceil(high)
        axis = AxisRange(low, high, max(1.0, float(math.ceil((high - low) / ticks[1]))))
    else:
        axis = axis_range(low, high, ticks=ticks)
        if low >= 0 > axis.low:
            axis = AxisRange(0.0, axis.high, axis.step)
    outside = [np.any((v < axis.low) | (v > axis.high)) for v in (_plotted(f, log, floor) for f in finite)]
    return LossAxis(axis, log, tuple(i for i, out in enumerate(outside) if out), floor)


def _log_scale(finite: np.ndarray) -> tuple[bool, float | None]:
    """Whether losses want a log axis (never negative, the positive ones spanning more than two decades),
    and where an exact zero goes on it: the decade below the smallest positive loss's."""
    positive = finite[finite > 0]
    if not positive.size or finite.min() < 0 or positive.max() / positive.min() <= 100:
        return False, None
    floor = 10.0 ** (math.floor(math.log10(positive.min())) - 1) if (finite == 0).any() else None
    return True, floor


def _plotted(loss: np.ndarray, log: bool, floor: float | None) -> np.ndarray:
    if not log:
        return loss
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log10(np.where(loss == 0, floor or 0.0, loss))  # no floor: a zero is -inf, below the axis


def _kept(values: list[np.ndarray], log: bool) -> list[int]:
    """The runs an axis is made for: all but those (at most half) whose leaving out shrinks the height
    the others need :data:`FLATTEN` times (half that on a log scale, where the height is measured from the
    lowest loss of all runs), the one that shrinks it most first."""
    bottom = min(float(v.min()) for v in values if v.size) if log else None
    flatten = FLATTEN / 2 if log else FLATTEN
    kept = list(range(len(values)))
    while len(values) - len(kept) < len(values) // 2:
        height = _height([values[i] for i in kept], bottom)
        without = {i: _height([values[j] for j in kept if j != i], bottom) for i in kept}
        farthest = min(without, key=lambda i: without[i])
        if not 0 < without[farthest] * flatten < height:
            break
        kept.remove(farthest)
    return kept


def _height(values: list[np.ndarray], bottom: float | None) -> float:
    """From ``bottom`` (or the lowest of ``values``) up to the highest of ``values``."""
    joined = np.concatenate(values)
    joined = joined[np.isfinite(joined)]
    if not joined.size:
        return 0.0
    return float(joined.max() - (joined.min() if bottom is None else bottom))


def _has_spike(values: np.ndarray) -> bool:
    q1, q99 = np.percentile(values, [1, 99])
    spread = max(q99 - q1, 1e-12)
    return bool(values.max() - q99 > 10 * spread or q1 - values.min() > 10 * spread)


def _given(spec: Sequence[float] | None) -> AxisRange | None:
    if spec is None:
        return None
    values = [float(v) for v in spec]
    if len(values) == 3:
        return AxisRange(*values)
    if len(values) == 2:
        nice = axis_range(values[0], values[1], pad=0.0)
        return AxisRange(values[0], values[1], nice.step)
    raise ValueError(f"a range is (low, high) or (low, high, step), not {spec!r}")


def view_2d(
    objective: Objective,
    trajectories: Sequence[Trajectory],
    x_range: Sequence[float] | None = None,
    y_range: Sequence[float] | None = None,
    box: tuple[float, float] | None = None,
) -> tuple[AxisRange, AxisRange]:
    """The window: a named function's own, widened to hold every framed iterate, or the iterates' box.

    With ``box`` (the plot's width and height), an axis the user did not give is widened until the
    window has the box's shape, so that drawn at equal scale (``equal_scale_size``) it fills the box.
    """
    points = framed_params(trajectories)
    low, high = points.min(axis=0), points.max(axis=0)
    named = objective.named
    ranges = []
    for axis, given, window in ((0, x_range, named.x_range if named else None), (1, y_range, named.y_range if named else None)):
        if given is not None:
            values = [float(v) for v in given]
            ranges.append(AxisRange(*values) if len(values) == 3 else axis_range(values[0], values[1], pad=0.0))
            continue
        lo, hi = low[axis], high[axis]
        if window is not None:
            lo, hi = min(lo, window[0]), max(hi, window[1])
        else:
            pad = max(0.15 * (hi - lo), 0.5)
            lo, hi = lo - pad, hi + pad
        ranges.append(axis_range(lo, hi, pad=0.0 if window else 0.02, ticks=(4, 8)))
    if box is None:
        return ranges[0], ranges[1]
    return _shaped(ranges[0], ranges[1], box, (x_range is None, y_range is None))


def _span(view: AxisRange) -> float:
    return view.high - view.low


def _shaped(
    x_view: AxisRange, y_view: AxisRange, box: tuple[float, float], free: tuple[bool, bool]
) -> tuple[AxisRange, AxisRange]:
    """The views with the ``free`` axis that is too short for ``box``'s shape widened about its centre, as
    far as round ticks allow without passing the box's shape: the other axis, the window the runs need,
    keeps the box's full length, and round ticks leave at most a sliver of the widened one empty."""
    views = [x_view, y_view]
    # Units per box unit each axis needs; the one needing fewer is widened towards the other's.
    density = [_span(x_view) / box[0], _span(y_view) / box[1]]
    short = int(density[0] > density[1])
    if not free[short] or density[short] >= density[1 - short]:
        return x_view, y_view
    view, wanted = views[short], density[1 - short] * box[short]
    centre = (view.low + view.high) / 2
    for reach in np.linspace(wanted, _span(view), 41):  # snapping rounds outwards: try narrower until it fits
        widened = axis_range(centre - reach / 2, centre + reach / 2, pad=0.0, ticks=(4, 8))
        if _span(widened) <= wanted * (1 + 1e-9):
            views[short] = widened
            break
    return views[0], views[1]


def equal_scale_size(x_view: AxisRange, y_view: AxisRange, box: tuple[float, float]) -> tuple[float, float]:
    """Width and height of the largest plot of the views that fits in ``box`` with one unit of x as long
    as one unit of y (a circle stays a circle; 0.5x^2 + 10y^2 shows its true 4.5:1 ellipses)."""
    scale = min(box[0] / _span(x_view), box[1] / _span(y_view))
    return _span(x_view) * scale, _span(y_view) * scale


def clip_to_view(points: np.ndarray, x_view: AxisRange, y_view: AxisRange) -> tuple[np.ndarray, int | None]:
    """Points ``(n, 2)`` cut where they leave the view: a copy in which, from the first row outside the view
    on, every point is where the segment into that row crossed the view's edge; and that row (``None`` if
    every point is inside). A path through them ends at the edge, pointing the way the run went, instead
    of running across titles and tables."""
    points = np.array(points, dtype=float)
    low, high = np.array([x_view.low, y_view.low]), np.array([x_view.high, y_view.high])
    tolerance = 1e-9 * max(float(np.abs(high - low).max()), 1.0)
    outside = np.any((points < low - tolerance) | (points > high + tolerance), axis=1)
    if not outside.any():
        return points, None
    exit_row = int(np.argmax(outside))
    edge = np.clip(points[exit_row], low, high)
    if exit_row > 0:
        start, delta = points[exit_row - 1], points[exit_row] - points[exit_row - 1]
        with np.errstate(divide="ignore", invalid="ignore"):
            limits = np.where(delta > 0, (high - start) / delta, (low - start) / delta)
        fraction = float(np.clip(np.nanmin(np.where(np.isfinite(limits), limits, np.inf)), 0.0, 1.0))
        edge = start + delta * fraction
    points[exit_row:] = edge
    return points, exit_row
