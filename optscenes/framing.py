"""What to show and when: the view window around a trajectory and the step-to-frame contract.

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

__all__ = ["AxisRange", "FramePlan", "axis_range", "frame_plan", "framed_params", "framed_rows", "loss_axis", "view_1d"]

_NICE = (1.0, 2.0, 2.5, 5.0)


@dataclass(frozen=True)
class AxisRange:
    """An axis from ``low`` to ``high`` with ticks every ``step`` (manim's ``x_range`` triple)."""

    low: float
    high: float
    step: float

    def as_manim(self) -> list[float]:
        return [self.low, self.high, self.step]

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
    x = _given(x_range) or axis_range(float(framed.min()), float(framed.max()))
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


def framed_params(trajectories: Sequence[Trajectory]) -> np.ndarray:
    """The points a view is made for, stacked: each run's ``framed_rows``, and when some runs did not
    diverge, theirs alone (a diverging run then leaves the view instead of squashing the others)."""
    kept = [t for t in trajectories if t.status != "diverged"] or list(trajectories)
    return np.concatenate([t.params[framed_rows(t)] for t in kept])


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


@dataclass(frozen=True)
class FramePlan:
    """How a replay of ``steps`` optimizer steps maps to video frames.

    Every step lasts ``frames_per_step`` frames; the start (step 0) is shown like a step; the
    last step is then held for ``hold_frames`` more frames. Frame ``i`` of the replay shows
    step ``min(i // frames_per_step, steps)``.
    """

    steps: int
    frames_per_step: int
    hold_frames: int
    frame_rate: float

    @property
    def replay_frames(self) -> int:
        return (self.steps + 1) * self.frames_per_step

    @property
    def total_frames(self) -> int:
        return self.replay_frames + self.hold_frames

    def step_at(self, frame: int) -> int:
        return min(max(frame, 0) // self.frames_per_step, self.steps)


def frame_plan(steps: int, frame_rate: float, seconds_per_step: float, hold_seconds: float = 0.0) -> FramePlan:
    """The contract: a step is ``round(seconds_per_step * frame_rate)`` whole frames, at least one."""
    frames_per_step = max(1, round(seconds_per_step * frame_rate))
    hold_frames = max(0, round(hold_seconds * frame_rate))
    return FramePlan(steps, frames_per_step, hold_frames, frame_rate)
