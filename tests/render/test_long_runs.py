"""Long runs: show_every shows every k-th step (and the last) with the real step on the counter, and a
replay that would run past a minute says so once. Short runs: slowed until they can be watched."""

from __future__ import annotations

import logging

import numpy as np
from conftest import SCENES, find_colour, load_scene_module, read_frames, scene_to_pixel

adam = load_scene_module(SCENES / "adam.py")
divergence = load_scene_module(SCENES / "divergence.py")
DOT = "#F7D96F"


class Thinned(adam.AdamDescent):
    steps = 45
    show_every = 10
    seconds_per_step = 1 / 15  # set, so not slowed: one frame a shown step
    start_hold = 0
    end_hold = 0


def test_show_every_shows_every_kth_step_and_the_last(render_scene):
    scene, path = render_scene(Thinned, "mp4", 320, 180, 15)
    frames = read_frames(path)
    shown = [0, 10, 20, 30, 40, 45]
    assert len(frames) == len(shown)
    trajectory = scene.trajectory()
    for frame, step in zip(frames, shown, strict=True):
        x = trajectory.params[step, 0]
        expected = scene_to_pixel(scene, scene.axes.c2p(x, scene.objective().value(x)), frame.shape)
        found = find_colour(frame, DOT)
        assert found is not None and np.hypot(found[0] - expected[0], found[1] - expected[1]) < 2.5, step
    assert scene.counter.step == 45  # the counter shows the real step


class Long(adam.AdamDescent):
    steps = 1000
    still_step = None


def test_a_replay_past_a_minute_warns_once_with_the_show_every_that_fits(render_scene, caplog):
    scene = Long()
    with caplog.at_level(logging.WARNING, logger="manim"):
        plan = scene.plan_for(1000)
    assert plan.seconds > 60
    (record,) = [r for r in caplog.records if "show_every" in r.getMessage()]
    every = int(record.getMessage().split("show_every = ")[1].split()[0])
    thinned = type("Thinned", (Long,), {"show_every": every})().plan_for(1000)
    assert thinned.seconds <= 60 < type("Less", (Long,), {"show_every": every - 1})().plan_for(1000).seconds


def test_a_short_run_is_slowed_to_be_watched(render_scene):
    """TooLargeStep diverges at step 9: its 9 iterates once went by in 9 frames (0.6 s); each now lasts 5."""
    scene, path = render_scene(divergence.TooLargeStep, "mp4", 160, 90, 15)
    assert scene.trajectory().steps == 8
    assert len(read_frames(path)) == 8 + 9 * 5 + 15  # start hold, replay, end hold
