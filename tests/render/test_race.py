"""Comparison scenes: one dot per run where its iterates are, labels, the loss inset, the readout."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SCENES, find_colour, load_scene_module, read_frames, scene_to_pixel

from optscenes import RaceScene
from optscenes.visuals.theme import OKABE_ITO
from optscenes import Run
from optscenes.core.describe import label_runs
from optscenes.core.describe import format_value

compare = load_scene_module(SCENES / "compare.py")


class ThreeStarts(RaceScene):
    """Runs that stay apart for the first steps, no start rings, so each colour is one dot."""

    optimizer = "sgd"
    lr = 0.002
    optimizer_kwargs = {"momentum": 0.5}
    steps = 12
    show_starts = False
    seconds_per_step = 1 / 15  # set, so this short run is not slowed: one frame a step
    start_hold = 0.0  # a PNG-sequence render writes a held frame once; keep one file per step
    end_hold = 0.0
    runs = [Run(start=0.0), Run(start=0.5), Run(start=0.95)]


def inside(box, point):
    (left, top), (right, bottom) = box
    return left <= point[0] <= right and top <= point[1] <= bottom


def pixel_box(scene, mobject, shape):
    return scene_to_pixel(scene, mobject.get_corner([-1, 1, 0]), shape), scene_to_pixel(
        scene, mobject.get_corner([1, -1, 0]), shape
    )


def test_one_dot_per_run_on_its_iterates(render_scene):
    scene, path = render_scene(ThreeStarts, "mp4", 640, 360, 15)
    frames = read_frames(path)
    assert len(frames) == scene.plan.total_frames == 13
    trajectories = scene.trajectories()
    for k in (0, 3, 6, 12):
        frame = frames[k]
        (left, top), (right, bottom) = pixel_box(scene, scene.axes, frame.shape)
        plot = frame[int(top) : int(bottom), int(left) : int(right)]  # the table repeats the colours
        for run, (trajectory, colour) in enumerate(zip(trajectories, OKABE_ITO, strict=False)):
            x = trajectory.params[k, 0]
            expected = scene_to_pixel(scene, scene.axes.c2p(x, scene.objective().value(x)), frame.shape)
            found = find_colour(plot, colour, tolerance=45, solid=2)  # the dot's disc, not its path
            assert found is not None, (k, run)
            error = np.hypot(found[0] + int(left) - expected[0], found[1] + int(top) - expected[1])
            assert error < 1.5, (k, run, error)


def test_labels_name_what_differs():
    assert label_runs(
        [{"optimizer": "sgd", "lr": 0.005}, {"optimizer": "sgd", "lr": 0.002, "momentum": 0.9},
         {"optimizer": "rmsprop", "lr": 0.02}, {"optimizer": "adam", "lr": 0.25}],
        ["SGD", "SGD", "RMSprop", "Adam"],
    ) == ["SGD lr=0.005", "SGD lr=0.002 momentum=0.9", "RMSprop lr=0.02", "Adam lr=0.25"]  # fmt: skip
    assert label_runs([{"optimizer": "adam", "lr": 0.1, "start": s} for s in (0.0, 0.5)], ["Adam", "Adam"]) == [
        "Adam from 0",
        "Adam from 0.5",
    ]


def test_the_table_names_the_runs_and_the_inset_ends_at_the_last_losses(render_scene):
    scene, path = render_scene(compare.LearningRateSweep, "mp4", 1280, 720, 15)
    assert [name.original_text for name in scene.table.names] == ["Adam lr=0.05", "Adam lr=0.25", "Adam lr=0.5", "Adam lr=2"]
    last_frame = read_frames(path)[-1]
    ends = []
    for run, (line, trajectory) in enumerate(zip(scene.inset.lines, scene.trajectories(), strict=True)):
        if run in scene.inset.loss_axis.clipped:
            continue  # lr = 2 ends above the inset, its line cut at the edge (tests/render/test_inset.py)
        loss = trajectory.losses[-1]
        end = scene.inset.axes.c2p(trajectory.steps, scene.inset.loss_axis.values(np.array([loss]))[0])
        np.testing.assert_allclose(line.points[-1][:2], end[:2], atol=1e-6)
        ends.append(scene_to_pixel(scene, end, last_frame.shape))
    for run, ((column, row), colour) in enumerate(zip(ends, OKABE_ITO, strict=False)):
        if any(np.hypot(column - c, row - r) < 4 for c, r in ends[run + 1 :]):
            continue  # a later run's line is drawn over this one's end
        patch = last_frame[round(row) - 3 : round(row) + 4, round(column) - 4 : round(column) + 3]
        assert find_colour(patch, colour, tolerance=75) is not None, run
    # lr = 2 jumps out of the view (x_range -0.1 to 1.1) and wanders there without diverging; its row says so.
    wanderer = scene.trajectories()[3]
    outside = np.nonzero((wanderer.params[:, 0] < -0.1) | (wanderer.params[:, 0] > 1.1))[0]
    assert wanderer.status == "finished" and outside[0] == 1
    assert scene.table.notes[3].original_text == "left the view at step 1"


@pytest.mark.parametrize("step", [0, 7, 12])
def test_the_readout_of_a_frame_equals_a_still_of_that_step(render_scene, tmp_path, step):
    """Frame k of the replay, as a PNG, against a separate still render of step k: same counter and table."""
    scene, path = render_scene(ThreeStarts, "png_sequence", 640, 360, 15)
    frames = sorted(path.glob("*.png")) if path.is_dir() else sorted(path.parent.glob("*.png"))
    assert len(frames) == scene.plan.total_frames == 13
    video_frame = read_frames(frames[step])[0]

    class Still(ThreeStarts):
        still_step = step

    still_scene, still_path = render_scene(Still, "png", 640, 360, 15, save_last_frame=True)
    still = read_frames(still_path)[0]
    for mobject in (scene.counter, scene.table):
        (left, top), (right, bottom) = pixel_box(scene, mobject, video_frame.shape)
        region = np.s_[int(top) - 2 : int(bottom) + 3, int(left) - 2 : int(right) + 3]
        np.testing.assert_array_equal(video_frame[region], still[region])
    # And the still is not the same picture as another step's frame.
    other = read_frames(frames[(step + 5) % 13])[0]
    (left, top), (right, bottom) = pixel_box(scene, scene.table, video_frame.shape)
    assert not np.array_equal(other[int(top) : int(bottom), int(left) : int(right)], still[int(top) : int(bottom), int(left) : int(right)])
    assert [g.text for g in still_scene.table.values[0]] == [
        format_value(v) for v in (still_scene.trajectories()[0].params[step, 0], still_scene.trajectories()[0].losses[step],
                                  still_scene.trajectories()[0].grads[step, 0], still_scene.trajectories()[0].lr[step])
    ]  # fmt: skip


@pytest.mark.parametrize("scene_class", [compare.OptimizerRace, compare.LearningRateSweep, compare.StartPoints])
@pytest.mark.parametrize("size", [(854, 480), (1920, 1080), (400, 300), (1024, 768)])
def test_layout_fits_and_nothing_overlaps(render_scene, scene_class, size):
    class StillAtEnd(scene_class):
        still_step = 50

    scene, _ = render_scene(StillAtEnd, "png", *size, 15, save_last_frame=True)
    width, height = scene.frame_size
    parts = {"header": scene.header, "counter": scene.counter, "plot": scene.axes, "inset": scene.inset, "table": scene.table}
    boxes = {}
    for name, mobject in parts.items():
        (left, bottom), (right, top) = mobject.get_corner([-1, -1, 0])[:2], mobject.get_corner([1, 1, 0])[:2]
        assert -width / 2 <= left and right <= width / 2 and -height / 2 <= bottom and top <= height / 2, name
        boxes[name] = (left, right, bottom, top)
    names = list(boxes)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            (l1, r1, b1, t1), (l2, r2, b2, t2) = boxes[a], boxes[b]
            assert r1 <= l2 or r2 <= l1 or t1 <= b2 or t2 <= b1, (a, b)
    # Text stays legible: table rows at least 10 pixels tall on screen.
    row_height = scene.table.names[0].height / height * size[1]
    assert row_height >= 7, row_height


def test_format_value_is_short_from_1e_minus_8_to_1e8():
    for value in [1e-8, -3.2e-7, 0.000999, 0.0123, 0.25, 1.0, 12.345, -999.9, 12345.6, 1e8, -2.5e8, 0.0]:
        text = format_value(value)
        assert len(text) <= 9, text
        assert abs(float(text) - value) <= abs(value) * 0.01, (value, text)


def test_a_single_runs_subtitle_names_its_settings_not_its_start(render_scene):
    from optscenes import OptimizerScene

    class Momentum(OptimizerScene):
        optimizer = "sgd"
        lr = None  # the subtitle names the default the optimizer was built with
        optimizer_kwargs = {"momentum": 0.9}
        steps = 2

    scene, _ = render_scene(Momentum, "png", 160, 90, 5, save_last_frame=True)
    assert scene.header[1].original_text == "SGD,  lr = 0.001,  momentum = 0.9"


def test_a_run_that_leaves_the_view_ends_at_its_edge(render_scene):
    """lr = 2 flies out of the view at step 1 and diverges at 5: its path stops on the plot's edge
    (it ran across the title and the table before) and its dot is no longer drawn."""
    scene, path = render_scene(compare.LearningRateSweep, "mp4", 640, 360, 15)
    low = scene.axes.c2p(scene.x_view.low, scene.y_view.low)
    high = scene.axes.c2p(scene.x_view.high, scene.y_view.high)
    wild = scene.marks.paths[3].points[:, :2]
    assert np.all((wild >= low[:2] - 1e-6) & (wild <= high[:2] + 1e-6))
    assert scene.marks.exit_rows[3] is not None and scene.marks.exit_rows[3] <= scene.trajectories()[3].steps
    assert scene.marks.dots[3].get_fill_opacity() == 0.0 and scene.marks.dots[1].get_fill_opacity() == 1.0
    assert all(row is None for row in scene.marks.exit_rows[:3])  # the view is made for the others
    # The header band, title and subtitle, which the run's path used to cross, has none of its colour.
    frame = read_frames(path)[-1]
    (_, header_bottom) = scene_to_pixel(scene, scene.header.get_bottom(), frame.shape)
    (counter_left, _) = scene_to_pixel(scene, scene.counter.get_left(), frame.shape)
    assert find_colour(frame[: int(header_bottom), : int(counter_left)], OKABE_ITO[3], tolerance=60) is None
