"""Dense paths: segments older than fade_after steps are drawn thin (in their full colour, so they keep
their contrast), the newest ones and the dot at full strength, measured on pixels."""

from __future__ import annotations

import numpy as np
from conftest import find_colour, read_frames, scene_to_pixel

from optscenes import OptimizerScene
from optscenes.visuals.theme import DARK


class Zigzag(OptimizerScene):
    """SGD at lr 0.95 on x^2 from 1: x = 1, -0.9, 0.81, ...: the chords pile up into a wedge."""

    function = "x^2"
    optimizer = "sgd"
    lr = 0.95
    start = 1.0
    steps = 20
    x_range = (-1.2, 1.2)
    y_range = (-0.1, 1.1)
    theme = "dark"
    still_step = 20


def around_middle(scene, frame: np.ndarray, row: int, half: int = 2) -> np.ndarray:
    """The brightest channel of the pixels around the middle of the segment from iterate ``row`` to ``row + 1``."""
    t = scene.trajectory()
    middle = (
        scene.axes.c2p(t.params[row, 0], t.losses[row]) + scene.axes.c2p(t.params[row + 1, 0], t.losses[row + 1])
    ) / 2
    column, line = scene_to_pixel(scene, middle, frame.shape)
    patch = frame[int(line) - half : int(line) + half + 1, int(column) - half : int(column) + half + 1]
    return patch.max(axis=2).astype(float)


def strength_at_middle(scene, frame: np.ndarray, row: int) -> float:
    """The brightest channel around the middle of a segment: its colour's strength."""
    return float(around_middle(scene, frame, row).max())


def ink_at_middle(scene, frame: np.ndarray, row: int) -> float:
    """The light of the pixels around the middle of a segment (on black): how wide it is drawn."""
    return float(around_middle(scene, frame, row, half=6).sum())


def render(render_scene, **settings):
    scene, path = render_scene(type("Still", (Zigzag,), settings), "png", 854, 480, 15)
    return scene, read_frames(path)[-1]


def test_old_segments_fade_and_the_newest_and_the_dot_do_not(render_scene):
    scene, frame = render(render_scene)
    plain_scene, plain = render(render_scene, fade_after=None)
    assert scene.settings.fade_after == 8
    # The oldest segment: thinner than drawn without fading, in the same colour (its contrast kept).
    assert ink_at_middle(scene, frame, 0) < 0.6 * ink_at_middle(plain_scene, plain, 0)
    assert strength_at_middle(scene, frame, 0) > 0.7 * strength_at_middle(plain_scene, plain, 0)
    # The newest segment as without fading.
    assert abs(ink_at_middle(scene, frame, 19) - ink_at_middle(plain_scene, plain, 19)) < 0.05 * ink_at_middle(scene, frame, 19)
    t = scene.trajectory()
    dot = scene_to_pixel(scene, scene.axes.c2p(t.params[20, 0], t.losses[20]), frame.shape)
    found = find_colour(frame, DARK.dot, tolerance=30)
    assert found is not None and np.hypot(found[0] - dot[0], found[1] - dot[1]) < 2


def test_no_fade_draws_every_segment_alike(render_scene):
    scene, frame = render(render_scene, fade_after=None)
    old, newest = strength_at_middle(scene, frame, 0), strength_at_middle(scene, frame, 19)
    assert abs(old - newest) < 0.1 * newest
