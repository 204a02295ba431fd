"""Transparent renders (-t) read on a black slide and on a white one (issue 14): with the theme unset, the seed,
a race (whose notes and edge labels are swapped in at later steps) and a map are rendered as PNG stills with
an alpha channel, pasted over pure black and over pure white as a slide program pastes a PNG, and checked on
those pixels with the picture test's own checks: every text (digits included) at least 4.5:1 against the
slide, each dot and path at least 3:1 against the slide and what lies under it.

manim writes its transparent PNGs with premultiplied colours (a half-covered pixel of white text is stored
as grey with alpha 128), while a slide program reads them as straight alpha, as the PNG format says: pasted
the same way here, text edges darken slightly on either slide, as they will in the lecture.
"""

from __future__ import annotations

import dataclasses

import manim as mn
import numpy as np
import pytest
import test_picture as picture
from conftest import SCENES, load_scene_module, render_in_process
from PIL import Image

from optscenes.visuals.text import GlyphLine, Label, add_halo
from optscenes.visuals.theme import LIGHT, SLIDE

SEED = (SCENES / "adam.py", "AdamDescent")
MAP = (SCENES / "rosenbrock.py", "RosenbrockValley")
RACE = (SCENES / "compare.py", "LearningRateSweep")
SLIDES = {"black": np.zeros(3), "white": np.full(3, 255.0)}


def paste(rgba: np.ndarray, slide: np.ndarray) -> np.ndarray:
    """``rgba`` (height, width, 4, uint8) over a slide of one colour, read as straight alpha."""
    alpha = rgba[..., 3:].astype(float) / 255
    return (rgba[..., :3] * alpha + slide * (1 - alpha)).round().astype(np.uint8)


@pytest.fixture(scope="module", params=[SEED, RACE, MAP], ids=["seed", "race", "map"])
def transparent(request, tmp_path_factory):
    """A scene with no theme set rendered with -t as a still of its last step at 854x480: the scene, and
    its PNG as RGBA pixels."""
    path, name = request.param
    base = getattr(load_scene_module(path), name)
    scene_class = type(f"{name}Transparent", (base,), {"still_step": base.steps})
    media = tmp_path_factory.mktemp(name)
    scene, image = render_in_process(scene_class, media, "png", 854, 480, 15, background_opacity=0.0)
    with Image.open(image) as png:
        assert png.mode == "RGBA"
        return scene, np.asarray(png)


@pytest.mark.parametrize("slide", SLIDES)
def test_a_transparent_render_reads_on_black_and_on_white_slides(transparent, slide):
    scene, rgba = transparent
    assert scene.style is SLIDE
    assert rgba[2, 2, 3] == 0  # the page is the slide's
    page = SLIDES[slide]
    frame = paste(rgba, page)
    # What lies where is read from the scene; the colours only from the pasted pixels.
    still = dataclasses.replace(picture.measure(scene, frame, f"{type(scene).__name__} on {slide}"), page=page)
    assert len(still.digits) >= 10
    picture.test_text_has_contrast(still)
    picture.test_dots_and_paths_have_contrast(still)


def test_every_text_and_every_digit_slot_carries_the_halo(transparent):
    """Also the GlyphLine slots empty now (a later step's longer number is drawn in them) and the formula;
    texts built after the render have none."""
    scene, _ = transparent
    assert Label("after").get_stroke_width(background=True) == 0
    texts = [text for text, _ in picture.text_units(scene.mobjects)]
    assert any(isinstance(text, GlyphLine) for text in texts) and any(isinstance(text, mn.Typst) for text in texts)
    for text in texts:
        parts = text._slots if isinstance(text, GlyphLine) else text.family_members_with_points()
        assert parts and all(part.get_stroke_width(background=True) > 0 for part in parts), picture.describe(text)


@pytest.mark.parametrize(("shown", "later"), [("0", "-1.5e+03"), ("88", "8")])
def test_a_glyph_line_outlines_the_glyphs_of_later_texts(shown, later):
    """Slots made after the halo (a longer text) and slots empty when it was given (a shorter text) get it."""
    line = GlyphLine("88", font_size=20)
    line.set_text(shown)
    add_halo(line, "#000000", 4.0)
    line.set_text(later).set_text("-8.88e-88")
    assert [slot.get_stroke_width(background=True) for slot in line._slots] == [4.0] * 9
    assert line._anchor.get_stroke_width(background=True) == 0


def test_an_explicit_theme_wins_over_transparency(tmp_path):
    seed = getattr(load_scene_module(SEED[0]), SEED[1])
    light = type("LightSeed", (seed,), {"theme": "light"})
    with mn.tempconfig({"background_opacity": 0.0, "media_dir": str(tmp_path)}):
        assert light().style is LIGHT
        assert seed().style is SLIDE
    with mn.tempconfig({"media_dir": str(tmp_path)}):
        assert seed().style.text == "#FFFFFF" and seed().style.halo_width == 0
