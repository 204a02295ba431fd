"""Themes on rendered pixels: the page is the theme's, text and marks keep their contrast against it, and
a light manim background picks the light theme."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SCENES, find_colour, load_scene_module, read_frames, scene_to_pixel

import optscenes
from optscenes.visuals.theme import DARK, LIGHT

adam = load_scene_module(SCENES / "adam.py")
compare = load_scene_module(SCENES / "compare.py")
rosenbrock = load_scene_module(SCENES / "rosenbrock.py")


def luminance(rgb: np.ndarray) -> np.ndarray:
    """WCAG relative luminance of sRGB pixels (..., 3) in 0..255."""
    c = np.asarray(rgb, dtype=float) / 255
    c = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return c @ np.array([0.2126, 0.7152, 0.0722])


def contrast(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    la, lb = luminance(a), luminance(b)
    return (np.maximum(la, lb) + 0.05) / (np.minimum(la, lb) + 0.05)


def hex_rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)


def region(scene, mobject, frame: np.ndarray) -> np.ndarray:
    """The pixels of ``frame`` under ``mobject``'s bounding box."""
    left, top = scene_to_pixel(scene, mobject.get_corner([-1, 1, 0]), frame.shape)
    right, bottom = scene_to_pixel(scene, mobject.get_corner([1, -1, 0]), frame.shape)
    return frame[int(top) : int(bottom) + 1, int(left) : int(right) + 1]


def text_contrast(scene, mobject, frame: np.ndarray, background: np.ndarray) -> float:
    """Contrast against the page of the strongest tenth of the pixels a text draws (its glyphs' cores,
    not their anti-aliased edges)."""
    pixels = region(scene, mobject, frame).reshape(-1, 3).astype(float)
    drawn = pixels[np.abs(pixels - background).max(axis=1) > 30]
    assert len(drawn) > 20, "the text drew nothing"
    ratios = np.sort(contrast(drawn, background))
    return float(ratios[int(len(ratios) * 0.9)])


def render_still(render_scene, base, theme, step, **settings):
    scene_class = type(f"{base.__name__}{theme.title()}", (base,), {"theme": theme, "still_step": step, **settings})
    scene, path = render_scene(scene_class, "png", 854, 480, 15)
    return scene, read_frames(path)[-1]


@pytest.mark.parametrize(("name", "theme"), [("dark", DARK), ("light", LIGHT)])
def test_a_single_run_takes_every_colour_from_its_theme(render_scene, name, theme):
    scene, frame = render_still(render_scene, adam.AdamDescent, name, 30)
    page = hex_rgb(theme.background)
    assert np.array_equal(frame[2, 2], page) and np.array_equal(frame[-3, -3], page)
    title, subtitle = scene.header
    assert text_contrast(scene, title, frame, page) >= 4.5
    assert text_contrast(scene, subtitle, frame, page) >= 4.5
    assert text_contrast(scene, scene.counter, frame, page) >= 4.5
    # The dot, in the theme's colour, where step 30 is.
    x = scene.trajectory().params[30, 0]
    expected = scene_to_pixel(scene, scene.axes.c2p(x, scene.objective().value(x)), frame.shape)
    found = find_colour(frame, theme.dot, tolerance=30)
    assert found is not None and np.hypot(found[0] - expected[0], found[1] - expected[1]) < 2.5
    for mark in (theme.dot, theme.path, theme.curve):
        assert contrast(hex_rgb(mark), page) >= 3.0


@pytest.mark.parametrize(("name", "theme"), [("dark", DARK), ("light", LIGHT)])
def test_a_race_in_either_theme_reads(render_scene, name, theme):
    scene, frame = render_still(render_scene, compare.OptimizerRace, name, 40)
    page = hex_rgb(theme.background)
    assert np.array_equal(frame[2, 2], page)
    title, _ = scene.header
    assert text_contrast(scene, title, frame, page) >= 4.5
    assert text_contrast(scene, scene.table, frame, page) >= 4.5
    for colour in scene.run_colors()[: len(scene.trajectories())]:
        assert contrast(hex_rgb(colour.to_hex()), page) >= 3.0


def test_a_light_manim_background_picks_the_light_theme(render_scene):
    scene_class = type("WhiteSeed", (adam.AdamDescent,), {"still_step": 10})
    scene, path = render_scene(scene_class, "png", 427, 240, 15, background_color="#FAFAFA")
    frame = read_frames(path)[-1]
    assert scene.style.text == LIGHT.text
    assert np.array_equal(frame[2, 2], hex_rgb("#FAFAFA"))
    assert text_contrast(scene, scene.header[0], frame, hex_rgb("#FAFAFA")) >= 4.5


def test_a_map_in_the_light_theme_has_a_pale_heatmap_under_dark_marks(render_scene):
    scene, frame = render_still(render_scene, rosenbrock.RosenbrockValley, "light", 60)
    page = hex_rgb(LIGHT.background)
    title, _ = scene.header
    assert text_contrast(scene, title, frame, page) >= 4.5
    plot = region(scene, scene.axes, frame).reshape(-1, 3).astype(float)
    assert luminance(np.median(plot, axis=0)) > 0.6  # a pale map, not the dark theme's
    for colour in scene.run_colors()[: len(scene.trajectories())]:
        worst = min(contrast(hex_rgb(colour.to_hex()), np.array(c) * 255) for c in LIGHT.heatmap)
        assert worst >= 3.0


def test_the_settings_table_takes_exactly_the_themes_the_picture_has():
    """The core checks theme names without importing the picture: the two lists must not drift apart."""
    from optscenes.core import settings
    from optscenes.core.settings import SETTINGS
    from optscenes.visuals.theme import THEMES

    assert set(settings._THEMES) == set(THEMES)
    for name in THEMES:
        assert SETTINGS["theme"](name.upper()) == name
    with pytest.raises(optscenes.SettingError, match="theme must be 'dark', 'light', 'slide' or a Theme"):
        SETTINGS["theme"]("sepia")
    assert SETTINGS["theme"](LIGHT) is LIGHT
