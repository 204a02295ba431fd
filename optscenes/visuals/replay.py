"""The replay: one manim animation whose frame ``i`` shows the step the frame plan gives it."""

from __future__ import annotations

from collections.abc import Callable

import manim as mn

from ..core.timing import FramePlan

__all__ = ["TrajectoryReplay"]


class TrajectoryReplay(mn.Animation):
    """Shows step ``plan.step_at(i)`` at frame ``i``: one animation for the whole run (or for ``frames``, a part
    of it).

    The run time is ``(frames - 1/2) / frame_rate`` so manim's frame clock (``arange(0, run_time,
    1/fps)``) yields exactly ``frames`` frames, frame ``i`` at ``alpha = i / (frames - 1/2)``.
    """

    def __init__(
        self,
        group: mn.Mobject,
        plan: FramePlan,
        show_step: Callable[[int], None],
        digest: str = "",
        show_time: Callable[[float], None] | None = None,
        frames: range | None = None,
    ) -> None:
        # manim's cache hashes this object's attributes: the run's digest makes any change of run a miss.
        self.trajectory_digest = digest
        self.plan = plan
        self.show_step = show_step
        self.show_time = show_time  # for what moves smoothly, e.g. a camera: called with the replay's 0..1
        #: The replay's frames this animation plays: all of them, or a part (a slide deck plays it in parts).
        self.frames = range(plan.replay_frames) if frames is None else frames
        self._span = len(self.frames) - 0.5
        self._shown: int | None = None
        #: What the current frame shows, when a step alone fixes it (``None``: it changes every frame): a
        #: frame that shows the same as the frame before can be a copy of it.
        self.picture: int | None = None
        super().__init__(group, run_time=self._span / plan.frame_rate, rate_func=mn.linear)

    def begin(self) -> None:
        # No starting copy is needed: every frame is drawn from the trajectory alone.
        self.interpolate(0)

    def interpolate_mobject(self, alpha: float) -> None:
        frame = self.frames.start + round(alpha * self._span)
        if self.show_time is not None:
            self.show_time(frame / max(self.plan.replay_frames - 1, 1))
        step = self.plan.step_at(frame)
        # The frames of one step (four at 60 fps at the default pace) show one picture: set it once.
        if step != self._shown:
            self.show_step(step)
            self._shown = step
        self.picture = step if self.show_time is None else None

