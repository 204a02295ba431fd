"""A function of x and y on a grid: its colour scale, contour levels and contour lines.

numpy and contourpy only (contourpy is matplotlib's contouring engine); the scenes draw what this says.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np

from .objective import Objective
from .trajectory import Trajectory
from .views import AxisRange

__all__ = ["Landscape"]



@dataclass(frozen=True)
class Landscape:
    """Values of a two-variable function on a regular grid over ``x`` and ``y``."""

    x: np.ndarray  # (nx,)
    y: np.ndarray  # (ny,)
    z: np.ndarray  # (ny, nx), NaN where undefined

    @classmethod
    def sample(cls, objective: Objective, x_range: AxisRange, y_range: AxisRange, size: int = 240) -> Landscape:
        x = np.linspace(x_range.low, x_range.high, size)
        y = np.linspace(y_range.low, y_range.high, size)
        grid_x, grid_y = np.meshgrid(x, y)
        return cls(x, y, objective.numpy(grid_x, grid_y))

    @property
    def spans_decades(self) -> bool:
        """Whether the values above the minimum span more than two decades (Rosenbrock's, Beale's do)."""
        above = self._above()
        positive = above[above > 0]
        return bool(positive.size and np.percentile(positive, 99) / max(np.percentile(positive, 5), 1e-300) > 100)

    def _above(self) -> np.ndarray:
        finite = self.z[np.isfinite(self.z)]
        return self.z - (finite.min() if finite.size else 0.0)

    def scale(self, values: np.ndarray) -> np.ndarray:
        """Values mapped to [0, 1] for colour: log-like (log1p of the height above the minimum over a
        small scale) when they span decades, linear otherwise; the top 1% is clipped."""
        above = self._above()
        finite = above[np.isfinite(above)]
        base = self.z[np.isfinite(self.z)].min()
        v = np.asarray(values, dtype=float) - base
        if self.spans_decades:
            unit = max(np.percentile(finite[finite > 0], 2), 1e-12)
            v, top = np.log1p(np.maximum(v, 0) / unit), np.log1p(np.percentile(finite, 99) / unit)
        else:
            top = np.percentile(finite, 99)
        return np.clip(v / max(top, 1e-300), 0.0, 1.0)

    def levels(self, count: int = 12) -> np.ndarray:
        """Contour levels evenly spaced in the colour scale, so lines crowd where colour changes."""
        above = self._above()
        finite = above[np.isfinite(above)]
        base = self.z[np.isfinite(self.z)].min()
        steps = np.linspace(0, 1, count + 2)[1:-1]
        if self.spans_decades:
            unit = max(np.percentile(finite[finite > 0], 2), 1e-12)
            top = np.log1p(np.percentile(finite, 99) / unit)
            return base + unit * np.expm1(steps * top)
        return base + steps * np.percentile(finite, 99)

    def rgba(self, ramp: Sequence[Sequence[float]]) -> np.ndarray:
        """The heatmap as an image, top row first (largest y), uint8 RGBA, coloured along ``ramp`` (RGB
        triples in [0, 1], low values first); undefined points transparent."""
        t = self.scale(self.z)
        colours = np.asarray(ramp, dtype=float)
        positions = np.linspace(0, 1, len(colours))
        rgb = np.stack([np.interp(np.nan_to_num(t), positions, colours[:, c]) for c in range(3)], axis=-1)
        alpha = np.where(np.isfinite(self.z), 1.0, 0.0)[..., None]
        return (np.concatenate([rgb, alpha], axis=-1)[::-1] * 255).round().astype(np.uint8)

    def height_range(self, trajectories: Sequence[Trajectory]) -> tuple[float, float]:
        """Heights to draw a surface between: the bulk of the values (1st to 99th percentile), reaching
        down to the lowest loss of any run so that no iterate is cut off below."""
        finite = self.z[np.isfinite(self.z)]
        low, high = np.percentile(finite, [1, 99])
        return float(min(low, *(t.losses.min() for t in trajectories))), float(high)

    def contour_lines(self, levels: Sequence[float]) -> list[tuple[float, list[np.ndarray]]]:
        """For each level, its lines as (n, 2) arrays of (x, y) in the function's coordinates."""
        import contourpy

        generator = contourpy.contour_generator(
            self.x, self.y, np.ma.masked_invalid(self.z), line_type=contourpy.LineType.Separate
        )
        lines = [cast(list[np.ndarray], generator.lines(level)) for level in levels]
        return [(float(level), [line for line in found if len(line) > 1]) for level, found in zip(levels, lines, strict=True)]
