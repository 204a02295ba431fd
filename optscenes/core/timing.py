"""When to show what: the step-to-frame contract of a replay."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FramePlan", "frame_plan"]


@dataclass(frozen=True)
class FramePlan:
    """How a replay of ``steps`` optimizer steps maps to video frames.

    The start (step 0) is first held for ``start_frames`` frames; then every step, the start included,
    lasts ``frames_per_step`` frames; the last step is then held for ``hold_frames`` more frames. Frame
    ``i`` of the replay (after the start hold) shows step ``min(i // frames_per_step, steps)``.
    """

    steps: int
    frames_per_step: int
    hold_frames: int
    frame_rate: float
    start_frames: int = 0

    @property
    def replay_frames(self) -> int:
        return (self.steps + 1) * self.frames_per_step

    @property
    def total_frames(self) -> int:
        return self.start_frames + self.replay_frames + self.hold_frames

    def step_at(self, frame: int) -> int:
        return min(max(frame, 0) // self.frames_per_step, self.steps)


def frame_plan(
    steps: int, frame_rate: float, seconds_per_step: float, hold_seconds: float = 0.0, start_seconds: float = 0.0
) -> FramePlan:
    """The contract: a step is ``round(seconds_per_step * frame_rate)`` whole frames, at least one; the
    holds are whole frames too."""
    frames_per_step = max(1, round(seconds_per_step * frame_rate))
    hold_frames = max(0, round(hold_seconds * frame_rate))
    start_frames = max(0, round(start_seconds * frame_rate))
    return FramePlan(steps, frames_per_step, hold_frames, frame_rate, start_frames)
