"""The picture of every scene type at four sizes in both themes, checked on pixels (issue 14): everything
inside the frame, no text over other text or across a plot's frame, digits tall enough to read from the
back row, and text and marks that stand out from what is behind them.

Each scene type is rendered in this process once per size and theme, as a still of its last step. What the
checks need is read from the scene right after: the frame, and, in pixels, the bounding box of each text
(the mobjects' boxes in scene units, converted with the camera's frame), of each digit it draws, of each
plot (a 2D plot's data box, each face of a surface), and where each run's dot and path are drawn (projected
as the 3D camera draws them). Glyph heights and colours are measured on the rendered pixels only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import manim as mn
import numpy as np
import pytest
from conftest import SCENES, load_scene_module, read_frames, render_in_process, scene_to_pixel
from scipy import ndimage
from test_themes import contrast, hex_rgb

from optscenes.visuals.runs import RunMarks
from optscenes.visuals.text import GlyphLine
from optscenes.visuals.theme import THEMES

#: One scene of each type: a single run, a race, a map, a surface, and the update-rule panel.
SCENE_TYPES = {
    "single": (SCENES / "adam.py", "AdamDescent"),
    "race": (SCENES / "compare.py", "LearningRateSweep"),
    "map": (SCENES / "rosenbrock.py", "RosenbrockValley"),
    "surface": (SCENES / "saddle.py", "SaddleEscape"),
    "inside": (SCENES / "inside.py", "AdamInside"),
}
SIZES = ((854, 480), (1920, 1080), (400, 300), (1024, 768))
#: The smallest digit height in pixels by frame height: 1/40 of the frame (27 px at 1080p, 12 at 480p,
#: 19 at 768 rounded to whole pixels), and 10 px for the seed's 400x300 GIF.
MIN_DIGIT = {1080: 27, 768: 19, 480: 12, 300: 10}
#: WCAG contrast: text against the page, and a run's dot and path against the page and what lies under them.
TEXT_CONTRAST, MARK_CONTRAST = 4.5, 3.0
#: A path's old segments, drawn thinner on purpose (fade_after) so that a dense path does not fill a wedge:
#: anti-aliasing blends a thin line with what is under it, so they may read weaker, but never vanish.
TRAIL_CONTRAST = 2.0
#: The band along the frame's edge that must stay empty, in pixels.
EDGE = 2
#: Boxes closer than this (pixels, both ways) do not count as overlapping: rounding, not collision.
TOUCH = 0.5

Box = tuple[float, float, float, float]  # left, top, right, bottom in pixels


@dataclass
class Still:
    """A rendered frame and, in its pixels, what the checks look at."""

    name: str
    frame: np.ndarray
    page: np.ndarray
    texts: list[tuple[str, Box]] = field(default_factory=list)
    run_labels: list[tuple[str, Box]] = field(default_factory=list)
    digits: list[tuple[str, Box]] = field(default_factory=list)
    plots: list[Box] = field(default_factory=list)
    # Each run's dot: its centre, radius and colour.
    dots: list[tuple[int, tuple[float, float], float, np.ndarray]] = field(default_factory=list)
    # Each drawn part of a run's path (the path; a trail it draws faded): its segments' ends, its colour.
    paths: list[tuple[int, str, np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=list)


#: Left out to save time (the module takes minutes on a busy 2-core machine): the surface at 1024x768, its
#: slowest still after 1080p (Cairo shades the 3D faces in Python); 4:3 frames are checked at 400x300.
SKIPPED = {("surface", (1024, 768))}
#: The slide theme is the dark one with other mark colours and a halo behind text: checked at the size it is
#: most often pasted at and at the smallest, where a halo could fill in small glyphs (test_transparent.py
#: checks it on black and white slides).
SLIDE_SIZES = ((854, 480), (400, 300))
CASES = [
    pytest.param((kind, size, theme), id=f"{kind}-{size[0]}x{size[1]}-{theme}")
    for kind in SCENE_TYPES
    for size in SIZES
    for theme in THEMES
    if (kind, size) not in SKIPPED and (theme != "slide" or size in SLIDE_SIZES)
]


@pytest.fixture(scope="module", params=CASES)
def still(request, tmp_path_factory) -> Still:
    """One scene type at one size in one theme, rendered once for every check."""
    kind, (width, height), theme = request.param
    path, name = SCENE_TYPES[kind]
    base = getattr(load_scene_module(path), name)
    scene_class = type(f"{name}{theme.title()}", (base,), {"theme": theme, "still_step": base.steps})
    scene, image = render_in_process(scene_class, tmp_path_factory.mktemp(kind), "png", width, height, 15)
    return measure(scene, read_frames(image)[-1], f"{name} {width}x{height} {theme}")


# --- reading the scene ---------------------------------------------------------------------------------


def to_pixels(scene: mn.Scene, mobject: mn.Mobject, points: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Pixel (column, row) of ``mobject``'s ``points`` (n, 3) where the camera draws them: the 3D camera
    projects what is not fixed in the frame, as manim does before drawing."""
    points = np.asarray(points, dtype=float).reshape(-1, 3)
    drawn = scene.renderer.camera.transform_points_pre_display(mobject, points)
    return np.column_stack(scene_to_pixel(scene, drawn.T, shape))


def box_of(scene: mn.Scene, mobject: mn.Mobject, shape: tuple[int, ...]) -> Box:
    """The pixel box of everything ``mobject`` draws."""
    pixels = np.vstack([to_pixels(scene, m, m.points, shape) for m in mobject.family_members_with_points()])
    (left, top), (right, bottom) = pixels.min(axis=0), pixels.max(axis=0)
    return float(left), float(top), float(right), float(bottom)


def visible(mobject: mn.Mobject) -> bool:
    """Drawn at all: some part has points and a fill or stroke that is not fully transparent."""
    return any(
        len(m.points)
        and (np.any(m.get_fill_opacities() > 0) or (m.get_stroke_width() > 0 and np.any(m.get_stroke_opacities() > 0)))
        for m in mobject.family_members_with_points()
        if isinstance(m, mn.VMobject)
    )


def text_units(mobjects: list[mn.Mobject], in_marks: bool = False):
    """Every visible text (a ``Text``, a ``GlyphLine`` of numbers, a typeset formula), outermost only, and
    whether it belongs to a run's marks (drawn inside the plot on purpose)."""
    for mobject in mobjects:
        if isinstance(mobject, mn.Text | GlyphLine | mn.Typst | mn.SingleStringMathTex):
            if visible(mobject):
                yield mobject, in_marks
        else:
            yield from text_units(mobject.submobjects, in_marks or isinstance(mobject, RunMarks))


def describe(text: mn.Mobject) -> str:
    if isinstance(text, mn.Text):
        return text.original_text
    if isinstance(text, GlyphLine):
        return text.text
    return type(text).__name__


def glyphs(text: mn.Mobject) -> list[tuple[str, mn.VMobject]]:
    """Each character a text draws with its outline (formulas are typeset as a whole and give none)."""
    if isinstance(text, mn.Text):
        return list(zip([c for c in text.original_text if not c.isspace()], text.submobjects, strict=False))
    if isinstance(text, GlyphLine):
        if not any(len(slot.points) for slot in text._slots):
            # A NumbersLine draws its glyphs merged into one path: lay them out again, unmerged, on a copy.
            text = text.copy()
            shown, text.text = text.text, None
            GlyphLine.set_text(text, shown)
        return list(zip(text.text, text._slots, strict=False))
    return []


def measure(scene: mn.Scene, frame: np.ndarray, name: str) -> Still:
    """What the checks need from a rendered scene, in pixels."""
    shape = frame.shape
    still = Still(name, frame, hex_rgb(scene.style.background))
    for text, in_marks in text_units([*scene.mobjects, *scene.foreground_mobjects]):
        entry = (describe(text), box_of(scene, text, shape))
        (still.run_labels if in_marks else still.texts).append(entry)
        for char, glyph in glyphs(text):
            if char.isdigit() and len(glyph.points):
                still.digits.append((f"{char!r} in {describe(text)!r}", box_of(scene, glyph, shape)))
    for mobject in scene.get_mobject_family_members():
        if isinstance(mobject, mn.Axes) and not isinstance(mobject, mn.ThreeDAxes):
            corners = [
                mobject.c2p(mobject.x_range[0], mobject.y_range[0]),
                mobject.c2p(mobject.x_range[1], mobject.y_range[1]),
            ]
            pixels = to_pixels(scene, mobject, np.array(corners), shape)
            still.plots.append((*pixels.min(axis=0), *pixels.max(axis=0)))
        elif isinstance(mobject, mn.Surface):
            # Each face as drawn: a box around the whole surface would also hold the page beside its curves.
            still.plots += [box_of(scene, face, shape) for face in mobject.family_members_with_points()]
    scale = shape[0] / scene.camera.frame_height  # pixels per scene unit
    for run, (dot, path) in enumerate(zip(scene.marks.dots, scene.marks.paths, strict=True)):
        if visible(dot):
            centre = to_pixels(scene, dot, dot.get_center(), shape)[0]
            still.dots.append(
                (run, (float(centre[0]), float(centre[1])), dot.radius * scale, hex_rgb(dot.get_fill_color().to_hex()))
            )
        for part in path.family_members_with_points():
            if isinstance(part, mn.VMobject) and len(part.points) >= 4 and visible(part):
                ends = (
                    to_pixels(scene, part, part.get_start_anchors(), shape),
                    to_pixels(scene, part, part.get_end_anchors(), shape),
                )
                name = "path" if part is path else "faded trail"
                still.paths.append((run, name, *ends, hex_rgb(part.get_stroke_color().to_hex())))
    return still


# --- measuring pixels ----------------------------------------------------------------------------------


def crop(frame: np.ndarray, box: Box, pad: int = 0) -> np.ndarray:
    left, top, right, bottom = box
    rows = slice(max(int(np.floor(top)) - pad, 0), min(int(np.ceil(bottom)) + 1 + pad, frame.shape[0]))
    cols = slice(max(int(np.floor(left)) - pad, 0), min(int(np.ceil(right)) + 1 + pad, frame.shape[1]))
    return frame[rows, cols]


def ink(pixels: np.ndarray, page: np.ndarray) -> np.ndarray:
    """How far each pixel is from the page colour (largest channel difference, 0-255)."""
    return np.abs(pixels.astype(float) - page).max(axis=-1)


def glyph_height(frame: np.ndarray, box: Box, page: np.ndarray) -> int:
    """Rows spanned by the connected components of ink around a glyph's box that lie mostly inside it (a
    glyph anti-aliased into pieces counts whole; a neighbour reaching into the margin does not). A pixel is
    ink when it is at least half as far from the page as the glyph's strongest pixel."""
    distance = ink(crop(frame, box, pad=1), page)
    if distance.max() < 30:
        return 0
    components, count = ndimage.label(distance >= distance.max() / 2, structure=np.ones((3, 3)))
    inner = np.zeros(components.shape, dtype=bool)
    inner[1:-1, 1:-1] = True
    own = [k for k in range(1, count + 1) if inner[components == k].mean() >= 0.5]
    rows = np.nonzero(np.isin(components, own).any(axis=1))[0]
    return int(rows[-1] - rows[0] + 1) if len(rows) else 0


def text_contrast(frame: np.ndarray, box: Box, page: np.ndarray) -> float:
    """Contrast against the page of the strongest tenth of the pixels a text draws (its glyphs' cores,
    not their anti-aliased edges)."""
    pixels = crop(frame, box).reshape(-1, 3).astype(float)
    drawn = pixels[ink(pixels, page) > 30]
    if len(drawn) == 0:
        return 1.0
    return float(np.sort(contrast(drawn, page))[int(len(drawn) * 0.9)])


def surroundings(
    frame: np.ndarray, centre: tuple[float, float], radius: float, marks: np.ndarray, page: np.ndarray
) -> np.ndarray:
    """What lies under a mark at ``centre``: the median colour on a ring of ``radius`` pixels around it,
    leaving out pixels near any run's colour (``marks``); the page where other runs cover most of it."""
    angles = np.linspace(0, 2 * np.pi, 48, endpoint=False)
    cols = np.clip(np.round(centre[0] + radius * np.cos(angles)).astype(int), 0, frame.shape[1] - 1)
    rows = np.clip(np.round(centre[1] + radius * np.sin(angles)).astype(int), 0, frame.shape[0] - 1)
    ring = frame[rows, cols].astype(float)
    clear = ring[np.all([ink(ring, colour) > 60 for colour in marks], axis=0)]
    return np.median(clear, axis=0) if len(clear) >= len(ring) // 4 else page


def mark_contrast(
    frame: np.ndarray, centre: tuple[float, float], reach: int, colour: np.ndarray, under: np.ndarray, page: np.ndarray
) -> float:
    """The rendered colour of a mark at ``centre`` (the pixel within ``reach`` pixels nearest to the mark's
    own ``colour``: its core, not a neighbour drawn over it) against the page and against what lies under
    it, whichever is lower."""
    col, row = int(np.rint(centre[0])), int(np.rint(centre[1]))
    patch = (
        frame[max(row - reach, 0) : row + reach + 1, max(col - reach, 0) : col + reach + 1].reshape(-1, 3).astype(float)
    )
    drawn = patch[np.argmin(ink(patch, colour))]
    return float(min(contrast(drawn, page), contrast(drawn, under)))


def overlap(a: Box, b: Box) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > TOUCH and min(a[3], b[3]) - max(a[1], b[1]) > TOUCH


def inside(inner: Box, outer: Box) -> bool:
    return inner[0] >= outer[0] and inner[1] >= outer[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def fmt(box: Box) -> str:
    return "(" + ", ".join(f"{v:.0f}" for v in box) + ")"


# --- the checks ----------------------------------------------------------------------------------------


def test_everything_is_inside_the_frame(still):
    """Nothing is drawn within EDGE pixels of the frame's edge: nothing is cut by it."""
    band = np.ones(still.frame.shape[:2], dtype=bool)
    band[EDGE:-EDGE, EDGE:-EDGE] = False
    rows, cols = np.nonzero(band & (ink(still.frame, still.page) > 8))
    assert len(rows) == 0, (
        f"{still.name}: {len(rows)} drawn pixels within {EDGE} px of the edge, e.g. (col, row) "
        f"{sorted(set(zip(cols.tolist(), rows.tolist())))[:6]}"
    )


def test_no_text_overlaps_text_or_crosses_a_plot(still):
    """No two texts' boxes overlap; no text's box meets a plot's box, except a run's own labels, which sit
    wholly inside the plot."""
    problems = [
        f"{a!r} {fmt(box_a)} overlaps {b!r} {fmt(box_b)}"
        for i, (a, box_a) in enumerate(still.texts + still.run_labels)
        for b, box_b in (still.texts + still.run_labels)[i + 1 :]
        if overlap(box_a, box_b)
    ]
    problems += [
        f"{t!r} {fmt(box)} meets the plot {fmt(plot)}"
        for t, box in still.texts
        for plot in still.plots
        if overlap(box, plot)
    ]
    problems += [
        f"run label {t!r} {fmt(box)} crosses the plot's frame {fmt(plot)}"
        for t, box in still.run_labels
        for plot in still.plots
        if overlap(box, plot) and not inside(box, plot)
    ]
    assert still.texts and still.plots
    assert not problems, f"{still.name}: " + "; ".join(problems)


def test_digits_are_tall_enough(still):
    """Every digit of every text (numbers and labels; not the typeset formulas) is at least MIN_DIGIT
    pixels tall on the rendered frame."""
    if "Inside" in still.name and still.frame.shape[0] < 480:
        pytest.skip("the inside view is made for 480 rows and more; at 400x300 its panel shrinks to 9 px (README)")
    least = MIN_DIGIT[still.frame.shape[0]]
    heights = [(glyph_height(still.frame, box, still.page), what) for what, box in still.digits]
    assert heights, f"{still.name}: no digits found"
    short = sorted(h for h in heights if h[0] < least)
    assert not short, (
        f"{still.name}: {len(short)} of {len(heights)} digits under {least} px (tallest digit "
        f"{max(heights)[0]} px); e.g. " + ", ".join(f"{what} {h} px" for h, what in short[:8])
    )


def test_text_has_contrast(still):
    """Every text against the page, from its rendered pixels: at least 4.5:1."""
    ratios = [(text_contrast(still.frame, box, still.page), t) for t, box in still.texts + still.run_labels]
    low = sorted(r for r in ratios if r[0] < TEXT_CONTRAST)
    assert not low, f"{still.name}: " + ", ".join(f"{t!r} {r:.2f}:1" for r, t in low)


def path_samples(
    starts: np.ndarray, ends: np.ndarray, shape: tuple[int, ...], dots: np.ndarray, clear: float
) -> np.ndarray:
    """Points a quarter, half and three quarters along each segment of a path that are in the frame and
    at least ``clear`` pixels from every dot centre (a dot covers the path under it)."""
    points = np.vstack([starts + t * (ends - starts) for t in (0.25, 0.5, 0.75)])
    in_frame = np.all((points >= 1) & (points <= np.array([shape[1], shape[0]]) - 2), axis=1)
    far = np.all(np.hypot(*(points[:, None, :] - dots[None, :, :]).transpose(2, 0, 1)) > clear, axis=1)
    return points[in_frame & far]


def test_dots_and_paths_have_contrast(still):
    """Each run's dot (at its centre) and each drawn part of its path (the median over points along it, clear
    of the dots; a trail drawn faded is measured on its own) against the page and what lies around them: at
    least 3:1, and the faded trail at least 2:1."""
    frame, page, height = still.frame, still.page, still.frame.shape[0]
    marks = [colour for *_, colour in still.dots + still.paths]
    problems = []
    for run, centre, radius, colour in still.dots:
        under = surroundings(frame, centre, max(2.5 * radius, 4.0), marks, page)
        ratio = mark_contrast(frame, centre, max(int(radius / 2), 1), colour, under, page)
        if ratio < MARK_CONTRAST:
            problems.append(f"run {run}'s dot {ratio:.2f}:1")
    assert still.dots, f"{still.name}: no dot drawn"
    centres = np.array([centre for _, centre, _, _ in still.dots])
    clear = 1.5 * max(radius for _, _, radius, _ in still.dots) + 2
    measured = set()
    for run, part, starts, ends, colour in still.paths:
        ratios = [
            mark_contrast(
                frame, tuple(p), 1, colour, surroundings(frame, tuple(p), max(height / 100, 4.0), marks, page), page
            )
            for p in path_samples(starts, ends, frame.shape, centres, clear)
        ]
        if ratios:
            measured.add(run)
        if ratios and np.median(ratios) < (MARK_CONTRAST if part == "path" else TRAIL_CONTRAST):
            problems.append(f"run {run}'s {part} {np.median(ratios):.2f}:1 (median of {len(ratios)} points)")
    problems += [f"run {run}'s path is nowhere clear of the dots" for run in {r for r, *_ in still.paths} - measured]
    assert not problems, f"{still.name}: " + ", ".join(problems)
