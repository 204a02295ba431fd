"""A map at equal scale: one unit of x is as many pixels as one unit of y, measured on a circle's contour."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SCENES, load_scene_module, read_frames, scene_to_pixel
from scipy import ndimage

from optscenes import ContourScene


class Circles(ContourScene):
    """x^2 + y^2 over a square window: its contour lines are circles, and a wide frame would stretch them."""

    function = "x^2 + y^2"
    start = (1.5, 1.0)
    x_range = (-2.0, 2.0)
    y_range = (-2.0, 2.0)
    optimizer = "sgd"
    lr = 0.1
    steps = 5
    still_step = 0
    contour_levels = 6
    contour_color = "#FF00FF"  # magenta: no run, heatmap or text has it
    show_starts = False


def ring_shapes(scene, frame: np.ndarray) -> list[tuple[int, int]]:
    """Width and height in pixels of each contour line drawn whole inside the map (not touching its edge)."""
    (left, top), (right, bottom) = (
        scene_to_pixel(scene, scene.axes.c2p(x, y), frame.shape)
        for x, y in ((scene.x_view.low, scene.y_view.high), (scene.x_view.high, scene.y_view.low))
    )
    plot = frame[int(top) + 2 : int(bottom) - 1, int(left) + 2 : int(right) - 1].astype(int)
    red, green, blue = plot[..., 0], plot[..., 1], plot[..., 2]
    magenta = (red - green > 30) & (blue - green > 30)
    labels, _ = ndimage.label(magenta, structure=np.ones((3, 3)))
    shapes = []
    for found in ndimage.find_objects(labels):
        rows, cols = found
        if rows.start > 0 and cols.start > 0 and rows.stop < plot.shape[0] and cols.stop < plot.shape[1]:
            shapes.append((cols.stop - cols.start, rows.stop - rows.start))
    return shapes


def test_a_circle_on_the_map_is_round(render_scene):
    scene, path = render_scene(Circles, "png", 854, 480, 15, save_last_frame=True)
    frame = read_frames(path)[0]
    shapes = [s for s in ring_shapes(scene, frame) if min(s) > 60]  # whole circles big enough to measure to 3%
    assert shapes, "no whole contour circle found"
    width, height = max(shapes, key=lambda s: s[0] * s[1])
    assert abs(width / height - 1) < 0.03, (width, height)


rosenbrock = load_scene_module(SCENES / "rosenbrock.py")
himmelblau = load_scene_module(SCENES / "himmelblau.py")


def heatmap_box(frame: np.ndarray) -> tuple[int, int, int, int]:
    """Left, right, top and bottom pixel of the heatmap on the black page: the largest patch of lit pixels
    (the heatmap is never black; its frame, contour lines and runs lie on it and the numbers stand apart)."""
    lit = frame.astype(int).max(axis=2) > 4
    labels, count = ndimage.label(lit, structure=np.ones((3, 3)))
    sizes = ndimage.sum(lit, labels, range(1, count + 1))
    rows, cols = ndimage.find_objects(labels)[int(np.argmax(sizes))]
    patch = lit[rows, cols]
    assert patch.mean() > 0.97, patch.mean()  # a filled rectangle, not a ring of text
    return cols.start, cols.stop - 1, rows.start, rows.stop - 1


@pytest.mark.parametrize("scene_class", [rosenbrock.RosenbrockValley, himmelblau.FourMinima], ids=lambda c: c.__name__)
def test_the_map_covers_more_than_a_third_of_the_frame_and_the_table_keeps_its_columns(render_scene, scene_class):
    """Issue 15: maps covered 21-26% of the frame; at 16:9 they take 35% or more, text at its size."""

    class Still(scene_class):
        theme = "dark"
        still_step = 30

    scene, path = render_scene(Still, "png", 854, 480, 15, save_last_frame=True)
    frame = read_frames(path)[0]
    left, right, top, bottom = heatmap_box(frame)
    share = (right - left + 1) * (bottom - top + 1) / (frame.shape[0] * frame.shape[1])
    assert share >= 0.35, (share, left, right, top, bottom)
    # The patch measured is the map: its corners are those of the axes' view, to the frame's line.
    (x0, y0), (x1, y1) = (
        scene_to_pixel(scene, scene.axes.c2p(x, y), frame.shape)
        for x, y in ((scene.x_view.low, scene.y_view.high), (scene.x_view.high, scene.y_view.low))
    )
    assert max(abs(left - x0), abs(right - x1), abs(top - y0), abs(bottom - y1)) <= 2.5
    assert scene.table.columns == ["x", "y", "f", "|grad|", "lr"]
