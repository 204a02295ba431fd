"""optscenes: manim scenes that replay a real torch.optim run over the plotted function.

The math (``Objective``, ``optimize``, ``Trajectory``) imports neither manim nor torch until it is
used; the scene classes are loaded on first access so ``import optscenes`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import ObjectiveError, OptimizerError, OptscenesError
from .objective import Objective
from .optimize import optimize, optimizer_class, optimizer_names
from .trajectory import Trajectory

if TYPE_CHECKING:
    from .scene import OptimizerScene

__all__ = [
    "Objective",
    "ObjectiveError",
    "OptimizerError",
    "OptimizerScene",
    "OptscenesError",
    "Trajectory",
    "optimize",
    "optimizer_class",
    "optimizer_names",
]

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # Scenes import manim (about a second); load them only for those who render.
    if name == "OptimizerScene":
        from .scene import OptimizerScene

        return OptimizerScene
    raise AttributeError(f"module 'optscenes' has no attribute {name!r}")
