"""Every colour a scene draws with, in one object."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

__all__ = ["DARK", "LIGHT", "OKABE_ITO", "SLIDE", "THEMES", "Theme", "theme_named"]

#: Okabe and Ito's colour-blind-safe palette, without its black.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")


@dataclass(frozen=True)
class Theme:
    """The colours of a picture, as ``#RRGGBB``.

    Attributes
    ----------
    background, text, secondary_text, tick_text
        The page, titles and numbers, subtitles and headings, tick numbers.
    frame, zero_line
        The plot's box and ticks; the faint line at y = 0.
    curve, comparison_curve
        The function's graph under one run, and under several (muted, so the runs stand out).
    dot, path
        One run's dot and path.
    runs
        One colour per run of a comparison.
    marker
        Known minima.
    start
        The ring at a comparison's start points: neutral, so it is not read as one run's mark.
    diverged, converged
        Status words.
    contour, heatmap
        Contour lines; the colour ramp from low to high values of the heatmap and of the surface.
    surface, surface_stroke
        The surface's checkerboard colours and its mesh lines.
    halo, halo_width
        An outline drawn behind every text (manim's background stroke) and its width in manim's stroke units
        for a frame 8 units high; width 0 draws none. It keeps light text readable on a light page.
    """

    background: str
    text: str
    secondary_text: str
    tick_text: str
    frame: str
    zero_line: str
    curve: str
    comparison_curve: str
    dot: str
    path: str
    runs: tuple[str, ...]
    marker: str
    start: str
    diverged: str
    converged: str
    contour: str
    heatmap: tuple[tuple[float, float, float], ...]
    surface: tuple[str, ...]
    surface_stroke: str
    halo: str = "#000000"
    halo_width: float = 0.0


#: Light text on black, manim's own look.
DARK = Theme(
    background="#000000",
    text="#FFFFFF",
    secondary_text="#BBBBBB",
    tick_text="#DDDDDD",
    frame="#BBBBBB",
    zero_line="#888888",
    curve="#58C4DD",
    comparison_curve="#888888",
    dot="#F7D96F",
    path="#FF862F",
    runs=OKABE_ITO,
    marker="#FFFFFF",
    start="#BBBBBB",
    diverged="#FC6255",
    converged="#83C167",
    contour="#FFFFFF",
    # Near-black to dark indigo: every colour of the run palette, its darkest (#0072B2) included, keeps 3:1
    # against the lightest value (luminance 0.016 at most); the contour lines carry the shape. Also the surface's.
    heatmap=((0.01, 0.02, 0.05), (0.03, 0.06, 0.13), (0.06, 0.09, 0.20), (0.11, 0.10, 0.25), (0.17, 0.10, 0.25)),
    surface=("#5a6472", "#434b57"),
    surface_stroke="#444444",
)


#: Dark text on white, for bright projectors and slide decks. Every mark keeps at least 3:1 against the
#: background and the heatmap, every text 4.5:1 (Okabe and Ito's hues, darkened where they were too light).
LIGHT = Theme(
    background="#FFFFFF",
    text="#1A1A1A",
    secondary_text="#4D4D4D",
    tick_text="#333333",
    frame="#666666",
    zero_line="#AAAAAA",
    curve="#0072B2",
    comparison_curve="#8A8A8A",
    dot="#C2185B",
    path="#B35C00",
    runs=("#B35C00", "#0072B2", "#00796B", "#C2185B", "#7A4FB5", "#1A1A1A", "#8C6D00"),
    marker="#1A1A1A",
    start="#555555",
    diverged="#C62828",
    converged="#2E7D32",
    contour="#555555",
    # Pale blue-grey: low values white, high values a little darker, so dark marks stand out everywhere.
    heatmap=((1.0, 1.0, 1.0), (0.96, 0.97, 0.99), (0.92, 0.94, 0.97), (0.88, 0.91, 0.95), (0.84, 0.87, 0.93)),
    surface=("#D6DCE5", "#C2CAD6"),
    surface_stroke="#9AA3AE",
)

#: For transparent renders (-t) pasted on slides of any colour: white text in a black halo (white on a
#: black slide, outlined on a white one), and marks in mid-tones that keep 3:1 against black, white and the
#: heatmap (luminance 0.15 to 0.26: 4.0:1 or more against black, 3.4:1 or more against white). The map keeps
#: the dark theme's opaque heatmap, a dark panel on either slide, with its white contour lines.
SLIDE = dataclasses.replace(
    DARK,
    secondary_text="#D9D9D9",
    tick_text="#EEEEEE",
    frame="#8A8A8A",
    zero_line="#8A8A8A",
    curve="#2F8FD8",
    comparison_curve="#8A8A8A",
    dot="#DB4C8E",
    path="#C77800",
    runs=("#C77800", "#2F8FD8", "#2E9E5B", "#DB4C8E", "#9467BD", "#D55E00", "#0072B2"),
    marker="#8A8A8A",
    start="#8A8A8A",
    diverged="#E03C31",
    converged="#3A9E3A",
    halo="#000000",
    halo_width=4.0,
)

#: The themes the ``theme`` setting names.
THEMES = {"dark": DARK, "light": LIGHT, "slide": SLIDE}


def theme_named(value: object, background: str, transparent: bool = False) -> Theme:
    """The theme a ``theme`` setting names: a :class:`Theme`, ``"dark"``, ``"light"``, ``"slide"``, or
    ``None``, which is ``"slide"`` for a ``transparent`` render (-t: the page is whatever slide it lands on)
    and else follows manim's background colour (``--background_color``): light for a light one, else dark;
    a theme chosen by that colour keeps it as its background."""
    if isinstance(value, Theme):
        return value
    if isinstance(value, str):
        return THEMES[value]
    if transparent:
        return SLIDE
    red, green, blue = (int(background.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
    chosen = LIGHT if 0.2126 * red + 0.7152 * green + 0.0722 * blue > 0.5 else DARK
    return dataclasses.replace(chosen, background=background)
