"""The step-to-frame contract: the seed's exact frames, short runs slowed until they can be watched, a pace
the user sets kept."""

from __future__ import annotations

import pytest

from optscenes.core.optimization import optimize
from optscenes.core.settings import SETTINGS
from optscenes.core.timing import frame_plan

SEED = "(6*x-2)^2*sin(12*x-4)"


@pytest.mark.parametrize(("fps", "frames"), [(15, 51), (30, 102), (60, 204)])
def test_the_seed_keeps_its_exact_frames_with_the_holds_off(fps, frames):
    plan = frame_plan(50, fps, SETTINGS["seconds_per_step"].default, 0.0, 0.0)
    assert plan.total_frames == frames
    assert [plan.step_at(i) for i in range(frames)] == [i * 51 // frames for i in range(frames)]


def test_the_default_holds_around_the_seed():
    plan = frame_plan(50, 15, None, SETTINGS["end_hold"].default, SETTINGS["start_hold"].default)
    assert (plan.start_frames, plan.replay_frames, plan.hold_frames) == (8, 51, 15)


def test_a_run_that_diverges_early_is_slowed_until_it_can_be_watched():
    run = optimize(SEED, "sgd", start=0.0, lr=0.02, steps=50)  # TooLargeStep
    assert run.status == "diverged" and run.steps == 8
    plan = frame_plan(run.steps, 15, None, 1.0, 0.5)
    shown = [plan.step_at(i) for i in range(plan.replay_frames)]
    # Every iterate for the same whole frames, in order: 9 iterates x 5 frames = 3 s (it was 9 frames, 0.6 s).
    assert shown == [step for step in range(9) for _ in range(5)]
    assert plan.seconds == pytest.approx((8 + 45 + 15) / 15) and plan.seconds >= 4


@pytest.mark.parametrize("steps", [1, 2, 7, 21, 44, 45, 46, 49])
def test_slowed_no_more_than_needed(steps):
    plan = frame_plan(steps, 15, None)
    assert plan.replay_frames >= 45  # at least 3 s at 15 fps
    assert (plan.frames_per_step - 1) * (steps + 1) < 45  # one frame less a step would be under 3 s


def test_a_pace_the_user_sets_is_kept():
    assert frame_plan(8, 15, 1 / 15).replay_frames == 9
    assert frame_plan(8, 60, 0.05).frames_per_step == 3


def test_show_every_is_slowed_on_the_steps_it_shows():
    plan = frame_plan(45, 15, None, show_every=10)  # shows 0, 10, 20, 30, 40, 45
    assert plan.frames_per_step == 8 and plan.replay_frames == 48
    assert [plan.step_at(i * 8) for i in range(6)] == [0, 10, 20, 30, 40, 45]
