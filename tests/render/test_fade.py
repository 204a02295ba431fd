"""Dense paths: segments older than fade_after steps are drawn thin (in their full colour, so they keep
their contrast), the newest ones and the dot at full strength, measured on pixels."""

from __future__ import annotations

import numpy as np
from conftest import find_colour, read_frames, scene_to_pixel

from optscenes import OptimizerScene, RaceScene, Run
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


def segment_points(scene, row: int, axes=None, trajectory=None) -> tuple[np.ndarray, np.ndarray]:
    """The scene points of iterates ``row`` and ``row + 1`` of ``trajectory`` on ``axes`` (the scene's own
    run and axes by default), from the run's numbers."""
    axes = axes if axes is not None else scene.axes
    t = trajectory if trajectory is not None else scene.trajectory()
    return tuple(axes.c2p(t.params[k, 0], t.losses[k]) for k in (row, row + 1))


def around_middle(scene, frame: np.ndarray, segment: tuple[np.ndarray, np.ndarray], half: int = 2) -> np.ndarray:
    """The brightest channel of the pixels around the middle of ``segment`` (two scene points)."""
    column, line = scene_to_pixel(scene, (segment[0] + segment[1]) / 2, frame.shape)
    patch = frame[int(line) - half : int(line) + half + 1, int(column) - half : int(column) + half + 1]
    return patch.max(axis=2).astype(float)


def strength_at_middle(scene, frame: np.ndarray, row: int, **run) -> float:
    """The brightest channel around the middle of a segment: its colour's strength."""
    return float(around_middle(scene, frame, segment_points(scene, row, **run)).max())


def ink_at_middle(scene, frame: np.ndarray, row: int, **run) -> float:
    """The light of the pixels around the middle of a segment (on black): how wide it is drawn."""
    return float(around_middle(scene, frame, segment_points(scene, row, **run), half=6).sum())


def render(render_scene, scene_class=Zigzag, **settings):
    """A still of ``scene_class`` with ``settings``, read before the next render writes the same file."""
    scene, path = render_scene(type("Still", (scene_class,), settings), "png", 854, 480, 15)
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


class PanelZigzag(RaceScene):
    """The zigzag of SGD at lr 0.95 on x^2 in a panel of its own (layout = "panels"), beside a calm run."""

    function = "x^2"
    optimizer = "sgd"
    start = 1.0
    steps = 20
    runs = (Run(lr=0.95), Run(lr=0.1))
    layout = "panels"
    theme = "dark"
    still_step = 20


def test_old_segments_fade_in_panels_too(render_scene):
    """Each panel's path fades like the single run's: the oldest segment thinner than drawn without fading and
    in its colour, the newest as without fading."""
    scene, faded = render(render_scene, PanelZigzag)
    plain_scene, plain = render(render_scene, PanelZigzag, fade_after=None)
    assert scene.settings.fade_after == 8
    run = {"axes": scene.panels[0].axes, "trajectory": scene.trajectories()[0]}
    plain_run = {"axes": plain_scene.panels[0].axes, "trajectory": plain_scene.trajectories()[0]}
    # (A panel draws its path thinner than the single-run scene: the floor a faded line keeps weighs more.)
    assert ink_at_middle(scene, faded, 0, **run) < 0.75 * ink_at_middle(plain_scene, plain, 0, **plain_run)
    assert strength_at_middle(scene, faded, 0, **run) > 0.7 * strength_at_middle(plain_scene, plain, 0, **plain_run)
    newest, plain_newest = ink_at_middle(scene, faded, 19, **run), ink_at_middle(plain_scene, plain, 19, **plain_run)
    assert abs(newest - plain_newest) < 0.05 * newest
