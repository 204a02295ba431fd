"""What to show: axis ranges with round ticks, the window around the runs, the loss plot's axis.

Pure numpy, no manim: the scenes ask these functions and draw what they say.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from .objective import Objective
from .trajectory import Trajectory

__all__ = ["AxisRange", "axis_range", "clip_to_view", "framed_params", "framed_rows", "loss_axis", "view_1d", "view_2d"]

_NICE = (1.0, 2.0, 2.5, 5.0)


@dataclass(frozen=True)
class AxisRange:
    """An axis from ``low`` to ``high`` with ticks every ``step`` (manim's ``x_range`` triple)."""

    low: float
    high: float
    step: float

    def as_manim(self) -> list[float]:
        """``[low, high, step]``, as manim's ``x_range``."""
        return [self.low, self.high, self.step]

    def ticks(self) -> np.ndarray:
        """The tick values from ``low`` to ``high``."""
        count = round((self.high - self.low) / self.step)
        return np.round(self.low + self.step * np.arange(count + 1), 10)

    @property
    def decimals(self) -> int:
        """Decimal places the tick labels need: 0 for a step of 5, 1 for 2.5 or 0.2, 2 for 0.25."""
        exponent = Decimal(repr(self.step)).normalize().as_tuple().exponent
        return max(0, -int(exponent))


def axis_range(low: float, high: float, pad: float = 0.06, ticks: tuple[int, int] = (4, 10)) -> AxisRange:
    """The tightest range with round tick marks that holds ``[low, high]`` with a margin.

    Among steps 1, 2, 2.5, 5 times a power of ten, picks the one whose snapped range has between
    ``ticks[0]`` and ``ticks[1]`` intervals and wastes the least space.
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
    best: AxisRange | None = None
    exponent = math.floor(math.log10(high - low)) - 2
    for power in range(exponent, exponent + 4):
        for nice in _NICE:
            step = nice * 10.0**power
            lo = math.floor(low / step + 1e-9) * step
            hi = math.ceil(high / step - 1e-9) * step
            intervals = round((hi - lo) / step)
            if ticks[0] <= intervals <= ticks[1] and (best is None or hi - lo < best.high - best.low):
                best = AxisRange(_clean(lo, step), _clean(hi, step), step)
    assert best is not None, (low, high)
    return best


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


def loss_axis(losses: Sequence[np.ndarray]) -> tuple[AxisRange, bool]:
    """The axis of a loss-against-step plot, and whether it is log10: when the losses are positive and
    span more than two decades. A loss that is never negative gets no room below 0."""
    finite = np.concatenate([loss[np.isfinite(loss)] for loss in losses])
    log = bool(finite.size and finite.min() > 0 and finite.max() / finite.min() > 100)
    values = np.log10(finite) if log else finite
    low, high = float(values.min()), float(values.max())
    if log:
        low, high = math.floor(low), math.ceil(high)
        return AxisRange(low, high, max(1.0, float(math.ceil((high - low) / 4)))), True
    axis = axis_range(low, high, ticks=(2, 5))
    if low >= 0 > axis.low:
        axis = AxisRange(0.0, axis.high, axis.step)
    return axis, False


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
) -> tuple[AxisRange, AxisRange]:
    """The window: a named function's own, widened to hold every framed iterate, or the iterates' box."""
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
    return ranges[0], ranges[1]


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
