"""The seed as the blog post made it, and ten times longer, both without the start and end holds, so
frame counts match the naive scene and matplotlib (51 frames; 501 to check cost is linear in steps).

    manim -ql --format gif benchmarks/long_scene.py AdamDescent        # 51 frames at 15 fps
    manim -ql --format gif benchmarks/long_scene.py AdamDescent500     # 501 frames at 15 fps

The seed's scene class is loaded from ``scenes/adam.py`` by path (``scenes/`` is not a package), so
any change to the seed is benchmarked here too; only the holds and ``steps`` differ.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

_SEED = Path(__file__).resolve().parent.parent / "scenes" / "adam.py"
_spec = importlib.util.spec_from_file_location("optscenes_bench_seed_adam", _SEED)
assert _spec is not None and _spec.loader is not None
_seed = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_seed)


class AdamDescent(_seed.AdamDescent):
    start_hold = 0
    end_hold = 0


class AdamDescent500(AdamDescent):
    steps = 500


__all__ = ["AdamDescent", "AdamDescent500"]
