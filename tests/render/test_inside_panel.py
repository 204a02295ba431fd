"""The inside-the-optimizer scene, as stills of step k: the panel's numbers against torch's recorded state, the
arrows against the recorded iterate and gradient, in scene units and on pixels, and the panel inside the frame.

A still of step k shows the dot at ``x_k`` and the step it is about to take (row k to row k + 1), so the panel
holds ``update_terms(trajectory, k)``; the last row (k = steps) has no step after it and keeps step k - 1.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SCENES, find_colour, load_scene_module, scene_to_pixel
from PIL import Image

from optscenes.core.inside import update_rule, update_terms
from optscenes.visuals.panel import NumbersLine

inside = load_scene_module(SCENES / "inside.py")


def still(render_scene, step: int, width: int = 854, height: int = 480):
    scene_class = type("AdamStill", (inside.AdamInside,), {"still_step": step})
    scene, path = render_scene(scene_class, fmt="png", width=width, height=height)
    with Image.open(path) as image:
        return scene, np.asarray(image.convert("RGB"))


def plain(typst_number: str) -> str:
    """A number as the panel writes it: Typst's ``times`` as ``×``."""
    return typst_number.replace(" times ", "×")


@pytest.mark.parametrize(("step", "explained"), [(10, 10), (50, 49)])
def test_panel_numbers_are_the_recorded_step(render_scene, step, explained):
    scene, _ = still(render_scene, step)
    trajectory = scene.trajectory()
    lines = [line.text for line in scene.panel.lines]
    terms = update_terms(trajectory, explained)
    equations = update_rule(trajectory.optimizer, trajectory.hyperparameters)
    for equation, line in zip(equations, lines, strict=True):
        # Every number of the step's line, in order (the defined symbol is the template's, above the line).
        position = 0
        for number in equation.numbers(terms, 3):
            found = line.find(plain(number.text), position)
            assert found >= 0, (equation.defines, number, line)
            position = found + len(plain(number.text))
    # The results, against torch's own state after the step and the recorded next iterate.
    recorded = {
        "m": trajectory.state["exp_avg"][explained + 1, 0],
        "v": trajectory.state["exp_avg_sq"][explained + 1, 0],
        "x": trajectory.params[explained + 1, 0],
    }
    for equation, line in zip(equations, lines, strict=True):
        if equation.defines in recorded:
            assert line.endswith(f"= {float(recorded[equation.defines]):.3g}"), (equation.defines, line)


@pytest.mark.parametrize(("step", "clipped"), [(49, False), (10, True)])
def test_gradient_arrow_starts_at_the_dot_and_ends_at_minus_lr_grad(render_scene, step, clipped):
    scene, frame = still(render_scene, step)
    trajectory = scene.trajectory()
    x, value, grad, lr = (float(a) for a in (trajectory.params[step, 0], trajectory.losses[step],
                                              trajectory.grads[step, 0], trajectory.lr[step + 1]))  # fmt: skip
    target = x - lr * grad
    assert (scene.x_view.low <= target <= scene.x_view.high) is not clipped
    expected_end = scene.axes.c2p(float(np.clip(target, scene.x_view.low, scene.x_view.high)), value)
    gradient_arrow, step_arrow = scene.arrows
    dot = scene_to_pixel(scene, scene.dot.get_center(), frame.shape)
    np.testing.assert_allclose(scene_to_pixel(scene, gradient_arrow.get_start(), frame.shape), dot, atol=0.5)
    np.testing.assert_allclose(gradient_arrow.get_end(), expected_end, atol=1e-6)
    # On the picture: the arrow's colour along the dot's row reaches the end's pixel, on the side it points to.
    column, row = scene_to_pixel(scene, expected_end, frame.shape)
    band = frame[round(row) - 2 : round(row) + 3]
    colour = scene.style.runs[6]
    columns = np.nonzero(
        (np.abs(band.astype(float) - [int(colour[i : i + 2], 16) for i in (1, 3, 5)]).max(axis=2) < 40).any(axis=0)
    )[0]
    farthest = columns.max() if target > x else columns.min()
    assert abs(farthest - column) <= 3, (farthest, column)
    # The step taken: from under the dot to under x_(k+1).
    np.testing.assert_allclose(
        step_arrow.get_end()[0], scene.axes.c2p(trajectory.params[step + 1, 0], value)[0], atol=1e-6
    )
    np.testing.assert_allclose(step_arrow.get_start()[0], scene.dot.get_center()[0], atol=1e-6)
    assert find_colour(frame, scene.style.runs[2]) is not None


@pytest.mark.parametrize(("width", "height"), [(854, 480), (1920, 1080), (400, 300), (1024, 768)])
def test_panel_inside_the_frame_and_beside_the_plot(render_scene, monkeypatch, width, height):
    # Glyphs are typeset once per process, at the first frame size: typeset them at this one.
    monkeypatch.setattr(NumbersLine, "_outlines_at_reference", {})
    scene, _ = still(render_scene, 50, width, height)
    frame_width, frame_height = scene.frame_size
    panel = scene.panel
    assert -frame_width / 2 <= panel.get_left()[0] and panel.get_right()[0] <= frame_width / 2
    assert -frame_height / 2 <= panel.get_bottom()[1] and panel.get_top()[1] <= frame_height / 2
    assert panel.get_left()[0] > scene.axes.get_right()[0]
    assert panel.get_top()[1] < scene.header.get_bottom()[1]
    # Every glyph of a numbers line stands on its line: only the descent of "(" goes below the baseline, no
    # glyph wrapped a line lower (as the glyphs of a long Text do on a small frame).
    for line in panel.lines:
        baseline = line.baseline_end[1]
        assert line.get_bottom()[1] > baseline - 0.4 * (line.get_top()[1] - baseline), line.text
