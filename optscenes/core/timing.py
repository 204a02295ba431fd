"""When to show what: the step-to-frame contract of a replay."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FramePlan", "frame_plan"]


@dataclass(frozen=True)
class FramePlan:
    """How a replay of ``steps`` optimizer steps maps to video frames.

    The start (step 0) is first held for ``start_frames`` frames; then every shown step, the start
    included, lasts ``frames_per_step`` frames; the last step is then held for ``hold_frames`` more
    frames. The steps shown are 0, ``show_every``, 2 ``show_every``, ... and the last one: frame ``i`` of
    the replay (after the start hold) shows step ``min((i // frames_per_step) * show_every, steps)``.
    """

    steps: int
    frames_per_step: int
    hold_frames: int
    frame_rate: float
    start_frames: int = 0
    show_every: int = 1

    @property
    def shown_steps(self) -> int:
        """How many steps after the start are shown (the last step always is)."""
        return -(-self.steps // self.show_every)

    @property
    def replay_frames(self) -> int:
        return (self.shown_steps + 1) * self.frames_per_step

    @property
    def total_frames(self) -> int:
        return self.start_frames + self.replay_frames + self.hold_frames

    @property
    def seconds(self) -> float:
        """How long the whole replay lasts, holds included."""
        return self.total_frames / self.frame_rate

    def step_at(self, frame: int) -> int:
        return min(max(frame, 0) // self.frames_per_step * self.show_every, self.steps)


def frame_plan(
    steps: int,
    frame_rate: float,
    seconds_per_step: float,
    hold_seconds: float = 0.0,
    start_seconds: float = 0.0,
    show_every: int = 1,
) -> FramePlan:
    """The contract: a shown step is ``round(seconds_per_step * frame_rate)`` whole frames, at least one;
    the holds are whole frames too.

    >>> plan = frame_plan(2000, 15, 1 / 15, show_every=20)
    >>> plan.replay_frames, plan.step_at(0), plan.step_at(1), plan.step_at(100)
    (101, 0, 20, 2000)
    """
    frames_per_step = max(1, round(seconds_per_step * frame_rate))
    hold_frames = max(0, round(hold_seconds * frame_rate))
    start_frames = max(0, round(start_seconds * frame_rate))
    return FramePlan(steps, frames_per_step, hold_frames, frame_rate, start_frames, show_every)
