"""Rendered files: frame counts by the step-to-frame contract, pixel sizes, the dot where the iterates are."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SCENES, find_colour, load_scene_module, read_frames, scene_to_pixel

DOT = "#F7D96F"  # manim's YELLOW, OptimizerScene.dot_color

adam = load_scene_module(SCENES / "adam.py")


def dot_error(scene, frame: np.ndarray, step: int) -> float:
    """Distance in pixels between the dot found by colour and where step ``step`` belongs."""
    trajectory = scene.trajectory()
    x = trajectory.params[step, 0]
    # Where the iterate is on the axes, from the function itself rather than from the scene's dot.
    expected = scene_to_pixel(scene, scene.axes.c2p(x, scene.objective().value(x)), frame.shape)
    found = find_colour(frame, DOT)
    assert found is not None, f"no dot in the frame of step {step}"
    return float(np.hypot(found[0] - expected[0], found[1] - expected[1]))


class SeedWithoutHolds(adam.AdamDescent):
    """The blog post's animation exactly: 51 frames, no holds."""

    start_hold = 0
    end_hold = 0


def test_seed_gif_has_one_frame_per_step_and_the_dot_on_every_iterate(render_scene):
    scene, path = render_scene(SeedWithoutHolds, "gif", 400, 300, 15)
    frames = read_frames(path)
    assert path.suffix == ".gif"
    assert len(frames) == 51  # the start and 50 steps, one frame each at 15 fps
    assert frames[0].shape == (300, 400, 3)
    errors = [dot_error(scene, frames[k], k) for k in range(51)]
    assert max(errors) < 2.5, errors
    # The dot moves: step 1 is far from the start (Adam's first step is lr = 0.25 in x).
    assert np.hypot(*np.subtract(find_colour(frames[0], DOT), find_colour(frames[1], DOT))) > 30


def test_by_default_the_start_and_the_end_are_held(render_scene):
    scene, path = render_scene(adam.AdamDescent, "gif", 400, 300, 15)
    frames = read_frames(path)
    start, end = round(0.5 * 15), round(1.0 * 15)
    assert (scene.plan.start_frames, scene.plan.hold_frames) == (start, end)
    assert len(frames) == start + 51 + end
    for k in range(start):
        assert dot_error(scene, frames[k], 0) < 2.5
    for k in range(51):
        assert dot_error(scene, frames[start + k], k) < 2.5
    for frame in frames[start + 51 :]:
        np.testing.assert_array_equal(frame, frames[start + 50])


def test_mp4_at_16_9_has_the_same_frames(render_scene):
    scene, path = render_scene(SeedWithoutHolds, "mp4", 320, 180, 15)
    frames = read_frames(path)
    assert path.suffix == ".mp4"
    assert len(frames) == 51
    assert frames[0].shape == (180, 320, 3)
    assert dot_error(scene, frames[0], 0) < 2.5
    assert dot_error(scene, frames[-1], 50) < 2.5


class HeldDescent(adam.AdamDescent):
    steps = 12
    seconds_per_step = 1 / 15  # set, so this short run is not slowed
    start_hold = 0
    end_hold = 1.0


@pytest.mark.parametrize(("fps", "per_step", "hold"), [(15, 1, 15), (30, 2, 30), (24, 2, 24), (60, 4, 60)])
def test_every_step_lasts_whole_frames_then_the_hold(render_scene, fps, per_step, hold):
    scene, path = render_scene(HeldDescent, "mp4", 320, 240, fps)
    frames = read_frames(path)
    plan = scene.plan
    assert (plan.frames_per_step, plan.hold_frames) == (per_step, hold)
    assert len(frames) == 13 * per_step + hold
    for index in range(0, len(frames), max(1, per_step // 2)):
        step = min(index // per_step, 12)
        assert dot_error(scene, frames[index], step) < 2.5, (index, step)


def test_a_step_that_lasts_several_frames_is_drawn_and_converted_once(render_scene, monkeypatch):
    """At 60 fps each of the 13 steps lasts 4 frames: the later three are copies of the first (the frames
    themselves are checked above), so the moving marks are drawn 13 times in the replay, not 52, and each
    picture is converted for the encoder once (tests/render/test_writer.py checks what that writes)."""
    from manim.camera.camera import Camera

    from optscenes.visuals.writer import SegmentEncoder

    draws, conversions = [], []
    capture, convert = Camera.capture_mobjects, SegmentEncoder.converted

    def counted(camera, *args, **kwargs):
        draws.append(1)
        return capture(camera, *args, **kwargs)

    monkeypatch.setattr(Camera, "capture_mobjects", counted)
    monkeypatch.setattr(SegmentEncoder, "converted", lambda self, pixels: conversions.append(1) or convert(self, pixels))
    _, path = render_scene(HeldDescent, "mp4", 320, 240, 60)
    assert len(read_frames(path)) == 13 * 4 + 60
    # The replay's 13 steps, plus the backgrounds of its play and of the hold (one each).
    assert len(draws) <= 13 + 3
    # The replay's 13 pictures and the hold's one (written once, shown 60 times).
    assert len(conversions) == 13 + 1
    assert b"sliced_threads=0" in path.read_bytes()  # the scene's segments were written by SegmentWriter


def test_overview_still_shows_every_iterate(render_scene, tmp_path):
    scene, path = render_scene(adam.AdamOverview, "png", 400, 300, 15, save_last_frame=True)
    (frame,) = read_frames(path)
    trajectory = scene.trajectory()
    for x, loss in zip(trajectory.params[:, 0], trajectory.losses, strict=True):
        column, row = (round(v) for v in scene_to_pixel(scene, scene.axes.c2p(x, loss), frame.shape))
        patch = frame[row - 1 : row + 2, column - 1 : column + 2]
        assert find_colour(patch, DOT, tolerance=70) is not None, (x, loss)


def test_a_4_3_frame_keeps_everything_inside(render_scene):
    scene, _ = render_scene(adam.AdamDescent, "gif", 400, 300, 15)
    width, height = scene.frame_size
    for mobject in (scene.header, scene.axes, scene.counter, scene.graph):
        left, bottom = mobject.get_corner(np.array([-1, -1, 0]))[:2]
        right, top = mobject.get_corner(np.array([1, 1, 0]))[:2]
        assert -width / 2 <= left and right <= width / 2 and -height / 2 <= bottom and top <= height / 2
    assert scene.counter.get_left()[0] > scene.header[1].get_right()[0]  # counter and subtitle don't overlap
    assert scene.header.get_bottom()[1] > scene.axes.get_top()[1]
    # The header uses the top of the 4:3 frame, not the top of manim's default 16:9 one.
    assert scene.header.get_top()[1] > height / 2 - 0.5
    assert scene.axes.get_bottom()[1] < -height / 2 + 0.5


def test_the_title_is_typst_math_and_falls_back_to_text_when_typst_is_missing_or_broken(monkeypatch):
    import manim as mn

    from optscenes.visuals import text as visuals

    typeset = visuals.formula_mobject("f(x) = x^2", "f(x) = x²", 30, mn.WHITE)
    assert isinstance(typeset, mn.MathTypst) and typeset.typst_code == "$ f(x) = x^2 $"

    monkeypatch.setattr(visuals.importlib.util, "find_spec", lambda name: None)
    plain = visuals.formula_mobject("f(x) = x^2", "f(x) = x²", 30, mn.WHITE)
    assert isinstance(plain, mn.Text) and plain.original_text == "f(x) = x²"

    def broken(*args, **kwargs):
        raise RuntimeError("unknown variable: xy")  # what typst raises for markup it cannot read

    monkeypatch.undo()
    monkeypatch.setattr(visuals.mn, "MathTypst", broken)
    fallback = visuals.formula_mobject("f(x) = x^2", "f(x) = x²", 30, mn.WHITE)
    assert isinstance(fallback, mn.Text) and fallback.original_text == "f(x) = x²"
