"""The loss inset on pixels: a run that blows up does not flatten the others, and its numbers, log
exponents included, are as tall as the back row needs."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SCENES, find_colour, load_scene_module, read_frames, scene_to_pixel

from optscenes import RaceScene, Run

compare = load_scene_module(SCENES / "compare.py")


class Decades(RaceScene):
    """SGD on x^2 from 1: the loss falls by (1 - 2 lr)^2 a step, 1e-6 to 1e-24 after 30 steps: a log inset."""

    function = "x^2"
    optimizer = "sgd"
    start = 1.0
    steps = 30
    runs = (Run(lr=0.1), Run(lr=0.2), Run(lr=0.3))
    dtype = "float64"


def still(render_scene, base, size, step=10**5, theme="dark"):
    scene_class = type(f"{base.__name__}Still", (base,), {"still_step": step, "theme": theme})
    scene, path = render_scene(scene_class, "png", *size, 15)
    return scene, read_frames(path)[-1]


def pixel_box(scene, mobject, shape) -> tuple[slice, slice]:
    """The rows and columns of the frame a mobject covers."""
    left, top = scene_to_pixel(scene, mobject.get_corner(np.array([-1, 1, 0])), shape)
    right, bottom = scene_to_pixel(scene, mobject.get_corner(np.array([1, -1, 0])), shape)
    return slice(int(np.floor(top)), int(np.ceil(bottom)) + 1), slice(int(np.floor(left)), int(np.ceil(right)) + 1)


def text_mask(frame: np.ndarray, theme) -> np.ndarray:
    """Pixels nearer the tick numbers' colour than the page's: inked by a number."""
    ink, page = (
        np.array([int(c[i : i + 2], 16) for i in (1, 3, 5)], float) for c in (theme.tick_text, theme.background)
    )
    pixels = frame.astype(float)
    return np.abs(pixels - ink).sum(axis=2) < np.abs(pixels - page).sum(axis=2)


def inked_height(mask: np.ndarray) -> int:
    """How many rows from the first inked row to the last: the height of the glyphs in ``mask`` (counted
    as a whole: a thin stroke anti-aliased away at 300 px would split a glyph into pieces)."""
    inked = np.nonzero(mask.any(axis=1))[0]
    return int(inked.max() - inked.min() + 1) if inked.size else 0


def test_a_diverging_run_leaves_the_others_at_least_half_the_inset(render_scene):
    scene, frame = still(render_scene, compare.LearningRateSweep, (854, 480))
    axes, colors = scene.inset.axes, [c.to_hex() for c in scene.run_colors()]
    low, high = axes.c2p(0, scene.inset.y_range.low), axes.c2p(scene.plan.steps, scene.inset.y_range.high)
    (column0, row0), (column1, row1) = scene_to_pixel(scene, low, frame.shape), scene_to_pixel(scene, high, frame.shape)
    box = frame[int(row1) + 2 : int(row0) - 1, int(column0) + 2 : int(column1) - 1]
    rows = np.concatenate([np.nonzero(_near(box, c))[0] for c in colors[:3]])
    assert rows.max() - rows.min() >= 0.5 * box.shape[0]
    # The diverging run is in the inset only near its first steps, and capped where it leaves.
    wild_columns = np.nonzero(_near(box, colors[3]))[1]
    assert wild_columns.size and wild_columns.max() < box.shape[1] * 6 / scene.plan.steps
    assert scene.inset.loss_axis.clipped == (3,) and any(cap for _, cap in scene.inset.caps[3])
    top_band = box[:6, : int(box.shape[1] * 6 / scene.plan.steps)]
    assert find_colour(top_band, colors[3], tolerance=60) is not None
    title = [m for m in scene.inset.submobjects if getattr(m, "original_text", "").startswith("loss")]
    assert [m.original_text for m in title] == ["loss (clipped)"]


def _near(pixels: np.ndarray, colour: str, tolerance: float = 50) -> np.ndarray:
    target = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)
    return np.abs(pixels.astype(float) - target).max(axis=2) < tolerance


@pytest.mark.parametrize(
    ("size", "least", "font_size"),
    [((1920, 1080), 27, 30), ((854, 480), 12, 30), ((400, 300), 10, 30), ((854, 480), 12, 12)],
)
def test_inset_numbers_and_log_exponents_are_tall_enough(render_scene, size, least, font_size):
    """At every size, and even when the lecturer makes every text small (font_size = 12)."""
    scene, frame = still(render_scene, type("Sized", (Decades,), {"font_size": font_size}), size)
    inset = scene.inset
    assert inset.log and inset.powers
    mask = text_mask(frame, scene.style)
    # The step numbers under the box's two ends ("0" and "30"; the word "step" between them is left out).
    rows, _ = pixel_box(scene, inset, frame.shape)
    for step in (0, scene.plan.steps):
        column, box_bottom = scene_to_pixel(scene, inset.axes.c2p(step, inset.y_range.low), frame.shape)
        around = slice(int(column - 0.9 * least), int(column + 0.9 * least))
        assert inked_height(mask[int(box_bottom + 0.3 * least) : rows.stop + 3, around]) >= least, (
            step
        )  # below the box's line
    # Each exponent: its own glyphs, not the 10 it raises.
    for power in inset.powers:
        rows, columns = pixel_box(scene, power[1], frame.shape)
        assert inked_height(mask[rows, columns.start + 1 : columns.stop]) >= least, power[1].original_text
    assert len(inset.powers) <= 7
