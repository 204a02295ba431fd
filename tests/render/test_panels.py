"""layout = "panels": each run in its own panel with its own view, on one clock (issue 15, small multiples).

References are independent of the scene's own geometry: iterates from SGD's closed form on x^2
(x_k = (1 - 2 lr)^k x_0), each panel's frame box found on the pixels, dots found on the pixels.
"""

from __future__ import annotations

import manim as mn
import numpy as np
import pytest
from conftest import SCENES, load_scene_module, read_frames, scene_to_pixel
from scipy import ndimage

from optscenes import ContourScene, RaceScene, Run
from optscenes.core.errors import SettingError
from optscenes.core.objective import Objective
from optscenes.core.views import view_1d
from optscenes.visuals.marks import StepCounter
from optscenes.visuals.theme import OKABE_ITO

compare = load_scene_module(SCENES / "compare.py")
RATES = (0.1, 0.5, 0.9, 1.05)
SIZE = (854, 480)


def still(render_scene, scene_class, step, size=SIZE, **settings):
    class Still(scene_class):
        still_step = step

    for name, value in settings.items():
        setattr(Still, name, value)
    scene, path = render_scene(Still, "png", *size, 15, save_last_frame=True)
    return scene, read_frames(path)[0]


def frame_box(frame, scene, axes):
    """The panel's frame box in pixels (left, right, top, bottom), as the centres of its four edge lines:
    the outermost rows and columns, near the axes, that grey pixels cross almost end to end."""
    (left, top), (right, bottom) = (
        scene_to_pixel(scene, axes.get_corner(c), frame.shape) for c in ([-1, 1, 0], [1, -1, 0])
    )
    top, bottom, left, right = int(top) - 3, int(bottom) + 4, int(left) - 3, int(right) + 4
    crop = frame[top:bottom, left:right].astype(float)
    grey = (np.ptp(crop, axis=2) < 12) * crop.mean(axis=2)  # the frame is grey, the runs are not
    lit = grey > 60

    def edges(coverage, sums):
        strong = np.nonzero(coverage > 0.85 * coverage.max())[0]
        ends = []
        for index in (strong[0], strong[-1]):
            rows = np.arange(max(index - 1, 0), min(index + 2, len(sums)))
            ends.append(float(np.average(rows, weights=sums[rows])))
        return ends

    row_top, row_bottom = edges(lit.mean(axis=1), grey.sum(axis=1))
    col_left, col_right = edges(lit.mean(axis=0), grey.sum(axis=0))
    return col_left + left, col_right + left, row_top + top, row_bottom + top


def dot_centre(frame, colour, box):
    """Centre (column, row) of the filled dot of ``colour`` inside ``box``: its pixels, eroded so that the
    run's own thin path (same colour) falls away."""
    left, right, top, bottom = (int(v) for v in box)
    target = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)
    crop = frame[top - 8 : bottom + 9, left - 8 : right + 9].astype(float)
    mask = ndimage.binary_erosion(np.abs(crop - target).max(axis=2) < 40, iterations=3)
    rows, cols = np.nonzero(mask)
    assert len(rows), colour
    return float(cols.mean()) + left - 8, float(rows.mean()) + top - 8


def counter_alone(render_scene, scene, step):
    """A frame with only a step counter like ``scene``'s, at its place, showing ``step``."""
    like = scene.counter

    class Alone(mn.Scene):
        def construct(self):
            counter = StepCounter(scene.plan.steps, font_size=like.label.font_size, color=like.label.color)
            self.add(counter.move_to(like.get_center()).set_step(step))

    _, path = render_scene(Alone, "png", *SIZE, 15, save_last_frame=True)
    return read_frames(path)[0]


def closed_form(lr, step):
    """SGD on x^2 from 1: x_{k+1} = x_k - lr * 2 x_k."""
    return (1 - 2 * lr) ** step


def to_pixels(box, view, x):
    left, right, top, bottom = box
    x_view, y_view = view
    column = left + (x - x_view.low) / (x_view.high - x_view.low) * (right - left)
    row = bottom - (x**2 - y_view.low) / (y_view.high - y_view.low) * (bottom - top)
    return column, row


@pytest.mark.parametrize("step", [4, 9])
def test_each_panels_dot_is_its_runs_iterate_in_that_panels_own_view_on_one_clock(render_scene, step):
    scene, frame = still(render_scene, compare.SweepPanels, step)
    assert len(scene.panels) == 4
    # One clock: the counter's pixels are those of a counter set to this step, drawn alone in its place.
    (left, top), (right, bottom) = (
        scene_to_pixel(scene, scene.counter.get_corner(c), frame.shape) for c in ([-1, 1, 0], [1, -1, 0])
    )
    counter = np.s_[int(top) - 2 : int(bottom) + 3, int(left) - 2 : int(right) + 3]
    np.testing.assert_array_equal(frame[counter], counter_alone(render_scene, scene, step)[counter])
    assert not np.array_equal(frame[counter], counter_alone(render_scene, scene, step + 1)[counter])
    for panel, trajectory, lr, colour in zip(scene.panels, scene.trajectories(), RATES, OKABE_ITO, strict=False):
        # Each panel's view is the one the single-run scene would give its run alone.
        view = view_1d(Objective("x^2"), [trajectory])
        assert (panel.view[0], panel.view[1]) == view
        box = frame_box(frame, scene, panel.axes)
        expected = to_pixels(box, view, closed_form(lr, step))
        found = dot_centre(frame, colour, box)
        error = np.hypot(found[0] - expected[0], found[1] - expected[1])
        assert error <= 2.0, (lr, step, found, expected, error)


def test_the_converging_runs_iterates_stay_10_px_apart_where_their_x_differ_by_a_tenth_of_the_view(render_scene):
    """The issue's rule: on one shared view the lr = 1.05 run squashed the three others onto one pixel."""
    scene, frame = still(render_scene, compare.SweepPanels, 30)
    for panel, lr in zip(scene.panels[:3], RATES[:3], strict=True):
        box = frame_box(frame, scene, panel.axes)
        xs = np.array([closed_form(lr, k) for k in range(31)])
        pixels = np.array([to_pixels(box, panel.view, x) for x in xs])
        tenth = (panel.view[0].high - panel.view[0].low) / 10
        far = np.abs(xs[:, None] - xs[None, :]) >= tenth
        distance = np.hypot(*(pixels[:, None, :] - pixels[None, :, :]).transpose(2, 0, 1))
        assert far.any(), lr  # a view shared with lr = 1.05 (+-20) leaves no such pair: they share a pixel
        assert distance[far].min() >= 10, (lr, distance[far].min())


@pytest.mark.parametrize(
    ("runs", "size", "rows", "table"),
    [(3, SIZE, 1, True), (4, SIZE, 2, False), (4, (400, 300), 2, False), (4, (1024, 768), 2, False)],
)
def test_layout_keeps_the_table_when_there_is_room_and_nothing_overlaps(render_scene, runs, size, rows, table):
    """Three runs fit in one row with the table below; four take two rows and leave no room for it."""

    class Sweep(compare.SweepPanels):
        pass

    Sweep.runs = [Run(lr=lr) for lr in ((0.1, 0.9, 1.05) if runs == 3 else RATES)]
    scene, _ = still(render_scene, Sweep, 30, size)
    tops = {round(float(p.get_top()[1]), 6) for p in scene.panels}
    assert len(tops) == rows and scene.table_shown is table
    parts = [scene.header, scene.counter, *scene.panels] + ([scene.table] if table else [])
    width, height = scene.frame_size
    boxes = [(m.get_left()[0], m.get_right()[0], m.get_bottom()[1], m.get_top()[1]) for m in parts]
    for index, (l1, r1, b1, t1) in enumerate(boxes):
        assert -width / 2 <= l1 and r1 <= width / 2 and -height / 2 <= b1 and t1 <= height / 2, index
        for l2, r2, b2, t2 in boxes[index + 1 :]:
            assert r1 <= l2 or r2 <= l1 or t1 <= b2 or t2 <= b1, index
    # Each caption is its run's row in the table.
    assert [p.caption.original_text for p in scene.panels] == [n.original_text for n in scene.table.names]


def test_each_panel_says_how_its_run_ended_in_its_own_words(render_scene):
    """SGD at lr 2 on x^2 triples |x| each step: it leaves its panel's view, then diverges past escape
    (|x| > 1e6 * (1 + 1): 3^14 is the first power past 2e6); lr 0.1 converges once a step is below tol."""

    class Ends(compare.SweepPanels):
        runs = (Run(lr=0.1), Run(lr=2.0))
        tol = 1e-3

    converge = next(k for k in range(1, 100) if 0.2 * 0.8 ** (k - 1) <= 1e-3)
    scene, frame = still(render_scene, Ends, 30)
    steady, wild = scene.panels
    assert [m.original_text for m in steady.status_slot] == [f"converged at step {converge}"]
    assert [m.original_text for m in wild.status_slot] == ["diverged at step 14"]
    # Before it diverges, the wild run has left its view and its panel says when.
    exit_row = scene.marks.exit_rows[1]
    assert exit_row is not None and exit_row < 14
    scene, frame = still(render_scene, Ends, exit_row)
    assert [m.original_text for m in scene.panels[1].status_slot] == [f"left the view at step {exit_row}"]
    assert len(scene.panels[0].status_slot) == 0
    # The words are drawn under the panel's plot, in the theme's colour for them.
    words = scene.panels[1].status_slot[0]
    (left, top), (right, bottom) = (
        scene_to_pixel(scene, words.get_corner(c), frame.shape) for c in ([-1, 1, 0], [1, -1, 0])
    )
    assert top > scene_to_pixel(scene, scene.panels[1].axes.get_bottom(), frame.shape)[1]
    assert words.get_bottom()[1] > scene.table.get_top()[1]  # and above the table, which stays for two runs
    patch = frame[int(top) : int(bottom) + 1, int(left) : int(right) + 1].astype(float)
    assert (np.abs(patch - 0xBB).max(axis=2) < 30).sum() > 20


def test_a_bad_layout_is_one_sentence_with_the_closest_names(render_scene):
    class Typo(RaceScene):
        layout = "panel"

    with pytest.raises(SettingError) as caught:
        render_scene(Typo, "png", 160, 90, 5, save_last_frame=True)
    assert str(caught.value) == "layout has no choice 'panel' (did you mean panels?); the choices are overlay, panels."

    class OnAMap(ContourScene):
        layout = "panels"

    with pytest.raises(SettingError) as caught:
        render_scene(OnAMap, "png", 160, 90, 5, save_last_frame=True)
    assert str(caught.value) == "OnAMap has no setting 'layout': it belongs to RaceScene."
