"""optscenes: manim scenes that replay a real torch.optim run over the plotted function.

Three layers, one import::

    optscenes.core      the math: formulas, the objective, runs of torch.optim, schedules, the trajectory,
                        the settings table, test functions, views, frame timing, cache and provenance.
                        Never imports manim.
    optscenes.visuals   manim mobjects that draw a trajectory, and the replay animation.
    optscenes.scenes    the scene classes, assembled from the two.

Every public name below loads on first use, so ``import optscenes`` imports neither torch nor manim.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .core.catalogue import CATALOGUE, TestFunction
    from .core.errors import ObjectiveError, OptimizerError, OptscenesError, SettingError
    from .core.objective import Objective
    from .core.optimization import optimize
    from .core.optimizers import optimizer_class, optimizer_names
    from .core.settings import SETTINGS, Run
    from .core.trajectory import Trajectory
    from .scenes.contour import ContourScene
    from .scenes.inside import InsideMapScene, InsideScene
    from .scenes.race import RaceScene
    from .scenes.single import OptimizerOverview, OptimizerScene
    from .scenes.surface import SurfaceScene

__version__ = "0.1.0"

# Each public name, and the module that defines it.
_WHERE = {
    "CATALOGUE": ".core.catalogue",
    "TestFunction": ".core.catalogue",
    "ObjectiveError": ".core.errors",
    "OptimizerError": ".core.errors",
    "OptscenesError": ".core.errors",
    "SettingError": ".core.errors",
    "Objective": ".core.objective",
    "optimize": ".core.optimization",
    "optimizer_class": ".core.optimizers",
    "optimizer_names": ".core.optimizers",
    "SETTINGS": ".core.settings",
    "Run": ".core.settings",
    "Trajectory": ".core.trajectory",
    "ContourScene": ".scenes.contour",
    "InsideMapScene": ".scenes.inside",
    "InsideScene": ".scenes.inside",
    "RaceScene": ".scenes.race",
    "OptimizerOverview": ".scenes.single",
    "OptimizerScene": ".scenes.single",
    "SurfaceScene": ".scenes.surface",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    # The scenes import manim (about a second) and runs import torch: load them only for who uses them.
    if name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'optscenes' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*__all__, "__version__", "core", "scenes", "visuals"])
