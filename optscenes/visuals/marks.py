"""What moves: the path so far and the step counter. What is drawn for a step is a function of that step
only, never of earlier frames, so manim's cache and re-renders give the same pictures."""

from __future__ import annotations

import itertools

import manim as mn
import numpy as np

from .text import GlyphLine, Label

__all__ = ["StepCounter", "StepPath", "key_step_labels"]


#: The width of a path's faded segments at least, in pixels.
THINNEST = 1.3
# manim's Cairo camera draws a stroke_width of 1 this many scene units wide.
_UNITS_PER_STROKE_WIDTH = 0.01


class StepPath(mn.VMobject):
    """Straight segments through the first ``k + 1`` iterates (no smoothing: overshoot stays visible).

    With ``fade_after = n``, the segments more than ``n`` steps older than the newest are drawn at
    ``faded`` times the path's width (in ``self.faded``), so a run that swings back and forth leaves a
    trail, not a solid wedge; the newest ``n`` keep it. Thinner, not paler: a faded segment keeps the
    path's colour and so its contrast against what is behind it (the darkest run colours keep only a
    little over 3:1 against the dark page at full strength). With ``y_band = (low, high)`` the path is cut
    where it leaves that band and goes on where it comes back (a clipped loss line); ``exits`` says where
    it left. Points are scene points; NaN ones are left out.
    """

    def __init__(
        self,
        points: np.ndarray,
        *,
        fade_after: int | None = None,
        faded: float = 0.35,
        y_band: tuple[float, float] | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)
        self.iterate_points = np.asarray(points, dtype=float)
        self.fade_after = fade_after
        self.segments = [
            _cut(a, b, y_band) for a, b in zip(self.iterate_points[:-1], self.iterate_points[1:], strict=True)
        ]
        # An invisible point that moves with the path, so the iterates follow when a group holding the
        # path is moved (manim moves points, never calls our methods).
        self._origin = mn.VectorizedPoint(mn.ORIGIN)
        # Faded segments never thinner than THINNEST pixels (small frames): an anti-aliased hairline blends
        # into what is under it.
        stroke_per_pixel = 1 / (mn.config.pixel_width / mn.config.frame_width) / _UNITS_PER_STROKE_WIDTH
        width = self.get_stroke_width()
        self.faded = mn.VMobject(
            stroke_color=self.get_stroke_color(), stroke_width=min(width, max(width * faded, THINNEST * stroke_per_pixel)),
            stroke_opacity=self.get_stroke_opacity(),
        )  # fmt: skip
        # Drawn over the newest segments where they cross, but in their colour: blending changes nothing.
        self.add(self._origin, self.faded)
        self.show_until(0)

    @property
    def exits(self) -> list[tuple[int, np.ndarray, float]]:
        """Where the path leaves its band: the segment's index (the step it ends at, less one), the point
        on the band's edge, and +1 for out at the top or -1 at the bottom."""
        return [(k, cut[1], float(np.sign(b[1] - a[1]))) for k, (cut, a, b) in
                enumerate(zip(self.segments, self.iterate_points[:-1], self.iterate_points[1:], strict=True))
                if cut is not None and cut[2]]  # fmt: skip

    def show_until(self, step: int) -> StepPath:
        """The segments up to iterate ``step``; those more than ``fade_after`` steps old faded."""
        offset = self._origin.get_center()
        newest = 0 if self.fade_after is None else max(0, step - self.fade_after)
        _draw(self.faded, self.segments[:newest], offset)
        _draw(self, self.segments[newest:step], offset)
        if not self.has_points():
            # Nothing shown yet: one degenerate segment at the newest point keeps a valid VMobject.
            corner = self.iterate_points[step] + offset
            self.set_points_as_corners(np.array([corner, corner]))
        return self


def _cut(a: np.ndarray, b: np.ndarray, band: tuple[float, float] | None) -> tuple[np.ndarray, np.ndarray, bool] | None:
    """The part of segment ``a``-``b`` inside the band of y values (``None`` if none) and whether it ends
    where the segment leaves the band."""
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        return None
    if band is None:
        return a, b, False
    low, high = band
    dy = b[1] - a[1]
    if dy == 0:
        return (a, b, False) if low <= a[1] <= high else None
    enter, leave = sorted(((low - a[1]) / dy, (high - a[1]) / dy))
    start, end = max(enter, 0.0), min(leave, 1.0)
    if start > end:
        return None
    return a + start * (b - a), a + end * (b - a), end < 1.0


def _draw(path: mn.VMobject, segments: list[tuple[np.ndarray, np.ndarray, bool] | None], offset: np.ndarray) -> None:
    """Set ``path``'s points to ``segments``, joined where one ends where the next starts."""
    shown = [(a + offset, b + offset) for a, b, _ in (s for s in segments if s is not None)]
    path.clear_points()
    if not shown:
        return
    joined = all(np.array_equal(b, a) for (_, b), (a, _) in itertools.pairwise(shown))
    if joined:  # the usual case, and the fast one
        path.set_points_as_corners(np.array([shown[0][0], *(b for _, b in shown)]))
        return
    for a, b in shown:
        if not path.has_points() or not np.allclose(path.get_last_point(), a):
            path.start_new_path(a)
        path.add_line_to(b)


class StepCounter(mn.VGroup):
    """``step k / N`` in a fixed place; only the number ``k`` changes, right-aligned in its slot."""

    def __init__(self, steps: int, font_size: float = 30, color: mn.ParsableManimColor = mn.WHITE) -> None:
        label = Label("step", font_size=font_size, color=color)
        self.number = GlyphLine("8" * len(str(steps)), font_size=font_size, color=color)
        baseline = label[0].get_bottom()[1]  # "s" sits on the baseline; "p" hangs below it
        self.number.move_baseline_to(np.array([label.get_right()[0] + 0.2 + self.number.width, baseline, 0.0]))
        total = Label(f"/ {steps}", font_size=font_size, color=color)
        total.next_to(self.number, mn.RIGHT, buff=0.2)
        total.shift((baseline - total[-1].get_bottom()[1]) * mn.UP)  # digits on one baseline
        super().__init__(label, self.number, total)
        self.label, self.total = label, total
        self.step = -1
        self.set_step(0)

    def set_step(self, step: int) -> StepCounter:
        if step != self.step:
            self.step = step
            self.number.set_text(str(step))
        return self


def key_step_labels(
    points: np.ndarray,
    font_size: float,
    color: mn.ParsableManimColor,
    radius: float,
    box: tuple[np.ndarray, np.ndarray],
    most: int = 5,
) -> mn.VGroup:
    """The step numbers of a few key iterates beside their dots: the start, the end, and well-spaced
    steps between (halves, then quarters, then eighths), each placed on the first side of its dot where it
    stays inside ``box`` (its lower-left and upper-right corners) and covers no other label and no other
    iterate; a step with no such side is left unnumbered."""
    last = len(points) - 1
    fractions = (0.5, 0.25, 0.75, 0.125, 0.375, 0.625, 0.875)
    candidates = list(dict.fromkeys([0, last, *(round(last * f) for f in fractions)]))
    placed: list[mn.VMobject] = []
    for step in candidates:
        if len(placed) == most:
            break
        label = _free_place(Label(str(step), font_size=font_size, color=color), points, step, radius, placed, box)
        if label is not None:
            placed.append(label)
    return mn.VGroup(*placed)


def _free_place(
    label: mn.VMobject,
    points: np.ndarray,
    step: int,
    radius: float,
    placed: list[mn.VMobject],
    box: tuple[np.ndarray, np.ndarray],
) -> mn.VMobject | None:
    """``label`` beside iterate ``step``, on the first side where it overlaps nothing; ``None`` if none."""
    others = np.delete(points, step, axis=0)
    for side in (mn.UR, mn.UL, mn.DR, mn.DL, mn.UP, mn.DOWN, mn.RIGHT, mn.LEFT):
        label.next_to(points[step], side, buff=radius * 1.2)
        low, high = label.get_corner(mn.DL)[:2] - radius, label.get_corner(mn.UR)[:2] + radius
        covers = np.any(np.all((others[:, :2] >= low) & (others[:, :2] <= high), axis=1))
        inside = np.all(label.get_corner(mn.DL)[:2] >= box[0][:2]) and np.all(label.get_corner(mn.UR)[:2] <= box[1][:2])
        if inside and not covers and not any(_overlap(label, other) for other in placed):
            return label
    return None


def _overlap(a: mn.Mobject, b: mn.Mobject) -> bool:
    return bool(
        np.all(a.get_corner(mn.DL)[:2] < b.get_corner(mn.UR)[:2])
        and np.all(b.get_corner(mn.DL)[:2] < a.get_corner(mn.UR)[:2])
    )
