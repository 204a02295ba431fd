"""The seed as the blog post made it, ten times longer, and with the inside view, all without the start and end holds, so
frame counts match the naive scene and matplotlib (51 frames; 501 to check cost is linear in steps).

    manim -ql --format gif benchmarks/long_scene.py AdamDescent        # 51 frames at 15 fps
    manim -ql --format gif benchmarks/long_scene.py AdamDescent500     # 501 frames at 15 fps
    manim -qh benchmarks/long_scene.py AdamInside                      # 204 frames at 60 fps, all overlays

The seed's scene class is loaded from ``scenes/adam.py`` by path (``scenes/`` is not a package), so
any change to the seed is benchmarked here too; only the holds and ``steps`` differ.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path


def _ready_scenes(name: str):
    """The module ``scenes/<name>.py``, loaded by path."""
    spec = importlib.util.spec_from_file_location(f"optscenes_bench_{name}", Path(__file__).resolve().parent.parent / "scenes" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_seed = _ready_scenes("adam")
_inside = _ready_scenes("inside")


class AdamDescent(_seed.AdamDescent):
    start_hold = 0
    end_hold = 0


class AdamDescent500(AdamDescent):
    steps = 500


class AdamInside(_inside.AdamInside):
    """The seed's run with everything the inside view draws: the update-rule panel and its numbers, the
    tangent, the arrows of -lr * grad, of -lr * moment and of the step taken."""

    start_hold = 0
    end_hold = 0


__all__ = ["AdamDescent", "AdamDescent500", "AdamInside"]
