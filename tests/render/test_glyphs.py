"""Text read from the back row, measured on rendered pixels: every digit and capital a scene draws (tick
numbers, table, counter, subtitle, status words, axis names) is at least 1/40 of the frame's height
(27 px at 1080p, 12 px at 480p) and 10 px in the seed's 400x300 GIF; and the bigger text still fits.

A glyph's height is the span of rows holding text-coloured pixels inside its box (the mobject only says
where to look): the picture decides, the font size in the code does not.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SCENES, load_scene_module, read_frames, scene_to_pixel

from optscenes.visuals.text import GlyphLine

compare = load_scene_module(SCENES / "compare.py")
divergence = load_scene_module(SCENES / "divergence.py")


class LongSubtitle(divergence.TooLargeStep):
    """Diverges, so the status words show, under a subtitle too long to share its line at 400x300."""

    optimizer_kwargs = {"momentum": 0.9, "nesterov": True}  # noqa: RUF012 - a scene setting

#: (width, height), the least glyph height in pixels there, and the theme (the seed's size in both).
SIZES = [
    ((854, 480), 12, "dark"),
    ((1920, 1080), 27, "dark"),
    ((400, 300), 10, "dark"),
    ((400, 300), 10, "light"),
    ((1024, 768), 19, "dark"),
]
IDS = [f"{w}x{h}-{theme}" for (w, h), _, theme in SIZES]


def hex_rgb(colour) -> np.ndarray:
    text = colour.to_hex() if hasattr(colour, "to_hex") else str(colour)
    return np.array([int(text[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)


def render_still(render_scene, base, size, theme, step):
    scene_class = type(f"{base.__name__}Still", (base,), {"still_step": step, "theme": theme})
    scene, path = render_scene(scene_class, "png", *size, 15)
    return scene, read_frames(path)[-1]


def characters(mobject) -> list[tuple[str, object]]:
    """Each drawn character of a text with its glyph mobject."""
    if isinstance(mobject, GlyphLine):
        return [(char, slot) for char, slot in zip(mobject.text, mobject._slots, strict=False)]
    chars = [c for c in mobject.original_text if not c.isspace()]
    return list(zip(chars, mobject.submobjects, strict=False))


def glyph_height(scene, glyph, frame: np.ndarray, ink: np.ndarray, page: np.ndarray) -> int:
    """Rows from the first to the last holding pixels at least half-way from the page to ``ink``, between
    the glyph box's columns (so neighbours stay out) and a pixel above and below it."""
    left, top = scene_to_pixel(scene, glyph.get_corner([-1, 1, 0]), frame.shape)
    right, bottom = scene_to_pixel(scene, glyph.get_corner([1, -1, 0]), frame.shape)
    crop = frame[max(int(top) - 1, 0) : int(bottom) + 3, max(int(np.ceil(left)), 0) : int(right) + 1].astype(float)
    toward = ink - page
    rows = np.nonzero(((crop - page) @ toward / (toward @ toward) >= 0.5).any(axis=1))[0]
    return int(rows[-1] - rows[0] + 1) if len(rows) else 0


def measured(scene, frame, texts, colour) -> list[tuple[str, int]]:
    """Height of every digit and capital of ``texts`` (and the ascender of ``f``), as (character, pixels)."""
    page = hex_rgb(scene.style.background)
    ink = hex_rgb(colour)
    heights = []
    for text in texts:
        for char, glyph in characters(text):
            if char.isdigit() or char.isupper() or char == "f":
                heights.append((char, glyph_height(scene, glyph, frame, ink, page)))
    return heights


def fits(scene, parts: dict) -> None:
    """Every part inside the frame and no two overlapping (boxes in scene units)."""
    width, height = scene.frame_size
    boxes = {name: (part.get_corner([-1, -1, 0])[:2], part.get_corner([1, 1, 0])[:2]) for name, part in parts.items()}
    for name, (low, high) in boxes.items():
        assert low[0] >= -width / 2 and low[1] >= -height / 2, f"{name} leaves the frame at the bottom left"
        assert high[0] <= width / 2 and high[1] <= height / 2, f"{name} leaves the frame at the top right"
    names = list(boxes)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            (la, ha), (lb, hb) = boxes[a], boxes[b]
            apart = (ha < lb).any() or (hb < la).any()
            assert apart, f"{a} overlaps {b}"


def tick_numbers(axes):
    """The tick numbers of a plot made by ``curve_plot``: its last part holds the frame, whose last
    part holds the x and y numbers."""
    frame = axes.submobjects[-1][0]
    return [*frame[-1][0], *frame[-1][1]]


@pytest.mark.parametrize(("size", "least", "theme"), SIZES, ids=IDS)
def test_a_single_runs_text_is_tall_enough_and_fits(render_scene, size, least, theme):
    scene, frame = render_still(render_scene, LongSubtitle, size, theme, 500)
    style = scene.style
    status = scene.status_slot.submobjects
    assert status, "the diverged run's status words are not shown"
    heights = (
        measured(scene, frame, tick_numbers(scene.axes), style.tick_text)
        + measured(scene, frame, [scene.axes.submobjects[-1][1][1]], style.tick_text)  # the name f(x)
        + measured(scene, frame, [scene.counter.number, scene.counter.total], scene.foreground)
        + measured(scene, frame, [scene.header[1]], style.secondary_text)
        + measured(scene, frame, status, style.diverged)
    )
    assert len(heights) > 20
    worst = min(heights, key=lambda h: h[1])
    assert worst[1] >= least, f"{worst[0]!r} is {worst[1]} px high at {size}; at least {least} px needed"
    fits(scene, {"title": scene.header[0], "subtitle": scene.header[1], "counter": scene.counter,
                 "status": status[0], "plot": scene.axes})  # fmt: skip


@pytest.mark.parametrize(("size", "least", "theme"), SIZES, ids=IDS)
def test_a_races_text_is_tall_enough_and_fits(render_scene, size, least, theme):
    scene, frame = render_still(render_scene, compare.OptimizerRace, size, theme, 30)
    style = scene.style
    cells = [cell for row in scene.table.values for cell in row]
    heights = (
        measured(scene, frame, tick_numbers(scene.axes), style.tick_text)
        + measured(scene, frame, cells, scene.foreground)
        + measured(scene, frame, [scene.counter.number, scene.counter.total], scene.foreground)
    )
    assert len(heights) > 40
    worst = min(heights, key=lambda h: h[1])
    assert worst[1] >= least, f"{worst[0]!r} is {worst[1]} px high at {size}; at least {least} px needed"
    fits(scene, {"title": scene.header[0], "subtitle": scene.header[1], "counter": scene.counter,
                 "plot": scene.axes, "inset": scene.inset, "table": scene.table})  # fmt: skip
