"""Honest edges: a run that leaves the view is marked where it left, pointing the way it went; no ring or
dot where a run never was; "diverged" only for a run that diverged."""

from __future__ import annotations

import numpy as np
from conftest import SCENES, find_colour, load_scene_module, read_frames, scene_to_pixel

from optscenes import OptimizerScene
from optscenes.visuals.theme import DARK

compare = load_scene_module(SCENES / "compare.py")
divergence = load_scene_module(SCENES / "divergence.py")


class Overshoot(OptimizerScene):
    """SGD at lr 1.5 on x^2 doubles its distance every step (1, -2, 4, ...): it leaves the view at step 2
    and is still finite at step 12, so it left the view, it did not diverge."""

    function = "x^2"
    optimizer = "sgd"
    lr = 1.5
    start = 1.0
    steps = 12
    x_range = (-3.0, 3.0)
    y_range = (-1.0, 9.0)


def crossing(before: np.ndarray, after: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Where the segment from ``before`` (inside the box) to ``after`` (outside) meets the box's edge."""
    fractions = []
    for axis in range(2):
        delta = after[axis] - before[axis]
        for bound in (low[axis], high[axis]):
            if delta != 0 and 0 <= (bound - before[axis]) / delta <= 1:
                fractions.append((bound - before[axis]) / delta)
    return before + (after - before) * min(fractions)


def still(render_scene, base, step, **settings):
    scene_class = type(f"{base.__name__}At{step}", (base,), {"still_step": step, **settings})
    scene, path = render_scene(scene_class, "png", 854, 480, 15)
    return scene, read_frames(path)[-1]


def test_a_run_that_leaves_the_view_is_marked_where_it_left_pointing_the_way_it_went(render_scene):
    scene, frame = still(render_scene, Overshoot, 12)
    t = scene.trajectory()
    points = np.column_stack([t.params[:, 0], t.losses])
    low, high = np.array([-3.0, -1.0]), np.array([3.0, 9.0])
    outside = np.nonzero(np.any((points < low) | (points > high), axis=1))[0]
    row = int(outside[0])  # x: 1, -2, 4: row 2 is the first outside (4 > 3, 16 > 9)
    assert row == 2 and t.status == "finished"
    edge = crossing(points[row - 1], points[row], low, high)
    head, label = scene.marks.edge_slots[0].submobjects[0]
    tip_scene = scene.axes.c2p(*edge)
    assert np.linalg.norm(head.get_center()[:2] - tip_scene[:2]) < 2 * scene.marks.dots[0].radius
    # The arrowhead points along the run's last segment in view.
    way = tip_scene - scene.axes.c2p(*points[row - 1])
    vertices = head.get_vertices()
    pointing = vertices[np.argmax(vertices @ way)] - vertices.mean(axis=0)  # from the centroid to the tip
    cosine = float(way[:2] @ pointing[:2] / np.linalg.norm(way[:2]) / np.linalg.norm(pointing[:2]))
    assert cosine > 0.99
    assert label.original_text == f"step {row}"
    # On the pixels: the path's colour at the edge crossing, no dot anywhere.
    column, line = scene_to_pixel(scene, tip_scene, frame.shape)
    box = frame[int(line) - 6 : int(line) + 7, int(column) - 6 : int(column) + 7]
    assert find_colour(box, DARK.path, tolerance=40) is not None
    assert find_colour(frame, DARK.dot, tolerance=30) is None
    (words,) = scene.status_slot.submobjects
    assert words.original_text == "left the view at step 2"


def test_diverged_is_said_only_of_a_run_that_diverged(render_scene):
    scene, _ = still(render_scene, divergence.TooLargeStep, 100)
    t = scene.trajectory()
    assert t.status == "diverged"
    (words,) = scene.status_slot.submobjects
    assert words.original_text == f"diverged at step {t.stopped_at}"


def test_no_ring_where_a_run_never_was(render_scene):
    scene, frame = still(render_scene, compare.LearningRateSweep, 50)
    for index, t in enumerate(scene.trajectories()):
        rings = scene.marks.ring_slots[index].submobjects
        exit_row = scene.marks.exit_rows[index]
        if exit_row is not None:
            assert rings == [], f"run {index} is ringed though it left the view at step {exit_row}"
            assert scene.marks.edge_slots[index].submobjects  # marked at the edge instead
            assert scene.marks.dots[index].get_fill_opacity() == 0
        for ring in rings:
            visited = [scene.axes.c2p(x, f) for x, f in zip(t.params[:, 0], t.losses, strict=True)]
            assert min(np.linalg.norm(ring.get_center() - v) for v in visited) < 1e-6
    assert any(row is not None for row in scene.marks.exit_rows)  # the sweep has a run that leaves
