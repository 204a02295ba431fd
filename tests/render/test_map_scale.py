"""A map at equal scale: one unit of x is as many pixels as one unit of y, measured on a circle's contour."""

from __future__ import annotations

import numpy as np
from conftest import read_frames, scene_to_pixel
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
