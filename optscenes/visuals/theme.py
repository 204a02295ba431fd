"""Every colour a scene draws with, in one object."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DARK", "OKABE_ITO", "Theme"]

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
    diverged, converged
        Status words.
    contour, heatmap
        Contour lines; the heatmap's colour ramp from low to high values.
    surface, surface_stroke
        The surface's checkerboard colours and its mesh lines.
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
    diverged: str
    converged: str
    contour: str
    heatmap: tuple[tuple[float, float, float], ...]
    surface: tuple[str, ...]
    surface_stroke: str


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
    diverged="#FC6255",
    converged="#83C167",
    contour="#FFFFFF",
    # Dark blue-grey: low values dark, so light contour lines and the runs' bright colours stand out.
    heatmap=((0.04, 0.07, 0.13), (0.09, 0.17, 0.28), (0.17, 0.29, 0.42), (0.29, 0.41, 0.52), (0.45, 0.53, 0.60)),
    surface=("#5a6472", "#434b57"),
    surface_stroke="#444444",
)
