"""When to show what: the step-to-frame contract of a replay."""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["DEFAULT_SECONDS_PER_STEP", "SHORTEST_REPLAY", "FramePlan", "frame_plan"]

#: The pace when ``seconds_per_step`` is not given: the seed's GIF, one step a frame at 15 fps.
DEFAULT_SECONDS_PER_STEP = 1 / 15
#: At the default pace a replay (holds aside) lasts at least this many seconds, so a short run can be
#: watched (a run that diverges at step 21 would otherwise be over in 1.5 s); the seed's 50 steps (3.4 s)
#: are not slowed.
SHORTEST_REPLAY = 3.0


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
    seconds_per_step: float | None,
    hold_seconds: float = 0.0,
    start_seconds: float = 0.0,
    show_every: int = 1,
) -> FramePlan:
    """The contract: a shown step is ``round(seconds_per_step * frame_rate)`` whole frames, at least one;
    the holds are whole frames too. ``seconds_per_step = None`` is the default pace
    (:data:`DEFAULT_SECONDS_PER_STEP`), slowed for a short replay: each shown step then lasts the fewest
    whole frames that make the replay last at least :data:`SHORTEST_REPLAY` seconds. A pace the user
    gives is kept as it is.

    >>> plan = frame_plan(2000, 15, 1 / 15, show_every=20)
    >>> plan.replay_frames, plan.step_at(0), plan.step_at(1), plan.step_at(100)
    (101, 0, 20, 2000)
    >>> frame_plan(21, 15, None).frames_per_step, frame_plan(50, 15, None).frames_per_step
    (3, 1)
    """
    if seconds_per_step is None:
        shown = -(-steps // show_every) + 1
        slowed = math.ceil(SHORTEST_REPLAY * frame_rate / shown - 1e-9)
        frames_per_step = max(1, round(DEFAULT_SECONDS_PER_STEP * frame_rate), slowed)
    else:
        frames_per_step = max(1, round(seconds_per_step * frame_rate))
    hold_frames = max(0, round(hold_seconds * frame_rate))
    start_frames = max(0, round(start_seconds * frame_rate))
    return FramePlan(steps, frames_per_step, hold_frames, frame_rate, start_frames, show_every)
