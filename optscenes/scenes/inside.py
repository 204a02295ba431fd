"""Inside the optimizer: one run on the graph of a function of x, with the optimizer's update rule and its
numbers at every step beside the plot, and the step's arrows at the dot."""

from __future__ import annotations

from collections.abc import Callable

import manim as mn
import numpy as np

from ..core.inside import overlay_vectors, update_rule, update_terms
from ..visuals.axes import curve_plot
from ..visuals.panel import UpdatePanel, numbers_text
from ..visuals.text import Label
from .base import MARGIN
from .single import OptimizerScene

__all__ = ["InsideScene"]

# The plot's share of the frame's width; the panel takes the rest.
_PLOT_SHARE = 0.6
_DIGITS = 3


class InsideScene(OptimizerScene):
    """A dot walks an optimizer's real iterates while a panel shows its update rule with that step's numbers.

    What step ``k`` shows (``still_step = k`` included): the dot at ``x_k`` and the step it is about to take,
    ``update_terms(trajectory, k)``, the step from row ``k`` to row ``k + 1``: the panel's numbers, the arrow
    of ``-lr * grad`` at the dot's height and under it the arrow of the step taken, ``x_(k+1) - x_k``. The
    last row has no step after it: the panel keeps the step that led there and the arrows are hidden.
    """

    def build_static(self, corner: mn.Mobject | None = None, top_corner: mn.Mobject | None = None) -> mn.VGroup:
        """The header, the plot on the left and the panel's equations on the right."""
        width, height = self.frame_size
        self.header = self.build_header(self.subtitle())
        top = self.place_header(self.header, corner, top_corner) - 0.25
        split = -width / 2 + width * _PLOT_SHARE
        self.x_view, self.y_view = self.view()
        self.axes, self.graph = curve_plot(
            lambda x: float(self.objective().numpy(x)), (self.x_view, self.y_view),
            (-width / 2 + MARGIN, split, -height / 2 + MARGIN, top), self.text_size * 0.65, self.style,
            self.color("curve_color", self.style.curve),
        )  # fmt: skip
        self._colors = (mn.ManimColor(self.style.runs[6]), mn.ManimColor(self.style.runs[2]))
        legend = self._build_legend()
        legend.align_to(np.array([split + 0.4, -height / 2 + MARGIN, 0.0]), mn.DL)
        self.panel = self._build_panel().fit(split + 0.4, width / 2 - MARGIN, legend.get_top()[1] + 0.3, top)
        return mn.VGroup(self.header, self.axes, self.graph, self.panel.static, legend)

    def _shown_step(self, step: int) -> int:
        """The step (row ``k`` to ``k + 1``) the picture of row ``step`` explains; see the class docstring."""
        return min(step, self.trajectory().steps - 1)

    def _build_panel(self) -> UpdatePanel:
        trajectory = self.trajectory()
        equations = update_rule(trajectory.optimizer, trajectory.hyperparameters)
        terms = [update_terms(trajectory, k) for k in range(trajectory.steps)]
        self._texts = [[numbers_text(e, t, _DIGITS) for e in equations] for t in terms]
        return UpdatePanel(
            equations, self._texts, self.text_size * 0.6, color=self.foreground, number_color=self.style.secondary_text
        )

    def _build_legend(self) -> mn.VGroup:
        """What the two arrows are, in their colours."""
        size = self.text_size * 0.55
        rows = [
            Label(text, font_size=size, color=color)
            for text, color in zip(("→ -lr·grad", "→ step taken"), self._colors)
        ]
        return mn.VGroup(*rows).arrange(mn.RIGHT, buff=0.5)

    def replay(
        self, moving: mn.Mobject, show_step: Callable[[int], None], show_time: Callable[[float], None] | None = None
    ) -> None:
        """The plain replay, with the panel's numbers and the arrows updated with the dot."""
        width, tip = 3.0 * self.size_factor, 0.15 * self.size_factor
        self.arrows = mn.VGroup(*(_FlatArrow(color, width, tip) for color in self._colors))
        moving.add_to_back(self.arrows)
        moving.add(*self.panel.lines)

        def show_inside(step: int) -> None:
            show_step(step)
            k = self._shown_step(step)
            self.panel.show(self._texts[k])
            self._place_arrows(k, shown=step == k)

        super().replay(moving, show_inside, show_time)

    def _place_arrows(self, k: int, shown: bool) -> None:
        """The arrows of ``-lr * grad`` (at the dot's height) and of the step taken (just under it), each cut
        at the plot's edge when it reaches beyond (Adam's ``-lr * grad`` often does: its steps are not it)."""
        overlay = overlay_vectors(self.trajectory(), k)
        x, y = float(overlay.point[0]), overlay.value
        start = self.axes.c2p(x, y)
        below = mn.DOWN * self.settings.dot_radius * self.size_factor * 2.5
        for arrow, vector, offset in zip(self.arrows, (overlay.position_arrows["-lr*grad"], overlay.step), (0, 1)):
            end = self.axes.c2p(float(np.clip(x + float(vector[0]), self.x_view.low, self.x_view.high)), y)
            arrow.put(start + offset * below, (end if shown else start) + offset * below)


class _FlatArrow(mn.VGroup):
    """A horizontal arrow moved every frame without being built again (building an ``mn.Arrow`` takes
    about 13 ms): a shaft, and a tip that shrinks on short arrows; nothing for a step too short to see."""

    def __init__(self, color: mn.ManimColor, width: float, tip: float) -> None:
        self._tip_length = tip
        self.shaft = mn.Line(mn.ORIGIN, mn.RIGHT, color=color, stroke_width=width)
        self.tip = mn.Polygon(
            mn.ORIGIN, [-tip, tip * 0.5, 0], [-tip, -tip * 0.5, 0], fill_color=color, fill_opacity=1, stroke_width=0
        )
        self._tip_points = self.tip.points.copy()
        super().__init__(self.shaft, self.tip)

    def put(self, start: np.ndarray, end: np.ndarray) -> None:
        length = float(end[0] - start[0])
        if abs(length) < 1e-3:
            self.shaft.clear_points()
            self.tip.clear_points()
            return
        sign, size = np.sign(length), min(1.0, abs(length) / (2 * self._tip_length))
        self.tip.points = self._tip_points * [sign * size, size, 1] + end
        self.shaft.set_points_as_corners([start, end - [sign * size * self._tip_length, 0, 0]])

    def get_start(self) -> np.ndarray:
        return self.shaft.get_start()

    def get_end(self) -> np.ndarray:
        """The tip's point."""
        return self.tip.points[0].copy()
