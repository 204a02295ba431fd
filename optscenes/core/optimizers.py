"""``torch.optim`` optimizers by name or class, built with their settings checked by name first."""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

from .errors import OptimizerError

if TYPE_CHECKING:
    import torch

__all__ = ["OptimizerSpec", "build_checked", "make_optimizer", "optimizer_class", "optimizer_names"]

#: What names an optimizer: a ``torch.optim`` class name (any case), an ``Optimizer`` subclass, or a
#: factory called as ``factory([param], lr=..., **settings)``.
OptimizerSpec: TypeAlias = "str | type[torch.optim.Optimizer] | Callable[..., torch.optim.Optimizer]"

# Optimizers torch ships that cannot run on one dense parameter, and why.
_REFUSED = {
    "SparseAdam": "SparseAdam only accepts sparse gradients, and the gradient of a formula is dense",
    "Muon": "Muon only optimizes 2-D weight matrices, and a formula's parameter is a vector",
}


def optimizer_names() -> list[str]:
    """Names of the ``torch.optim`` optimizers that ``optimize`` accepts, as torch spells them."""
    import torch

    return sorted(
        name
        for name, obj in vars(torch.optim).items()
        if isinstance(obj, type) and issubclass(obj, torch.optim.Optimizer)
        and obj is not torch.optim.Optimizer and name not in _REFUSED
    )  # fmt: skip


def optimizer_class(spec: str | type) -> type[torch.optim.Optimizer]:
    """The optimizer class for a name (case-insensitive: ``"adam"``, ``"AdamW"``) or a class.

    Raises
    ------
    OptimizerError
        For an unknown name (with the closest valid names) or a class that is not an optimizer.
    """
    import torch

    if isinstance(spec, type):
        if spec.__name__ in _REFUSED and spec.__module__.startswith("torch.optim"):
            raise OptimizerError(f"{spec.__name__} cannot be used here: {_REFUSED[spec.__name__]}.")
        if issubclass(spec, torch.optim.Optimizer):
            return spec
        raise OptimizerError(f"{spec.__name__} is not a torch.optim.Optimizer subclass.")
    if not isinstance(spec, str):
        raise OptimizerError(f"An optimizer is a name such as 'adam' or an Optimizer class, not {spec!r}.")
    key = spec.strip().lower()
    for name, reason in _REFUSED.items():
        if key == name.lower():
            raise OptimizerError(f"{name} cannot be used here: {reason}.")
    names = optimizer_names()
    by_key = {name.lower(): name for name in names}
    if key in by_key:
        cls: type[torch.optim.Optimizer] = getattr(torch.optim, by_key[key])
        return cls
    close = difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(by_key[c] for c in close)}?" if close else f"known: {', '.join(names)}."
    raise OptimizerError(f"Unknown optimizer {spec!r}; {hint}")


def build_checked(cls: type, first: Any, kwargs: dict[str, Any], hints: dict[str, str] | None = None) -> Any:
    """``cls(first, **kwargs)`` for an optimizer or scheduler class, with an unknown keyword named in one
    sentence (with the closest accepted one, or the one ``hints`` maps it to) and torch's refusal too."""
    parameters = inspect.signature(cls).parameters  # without self
    accepted = [p for p in list(parameters)[1:] if parameters[p].kind is not inspect.Parameter.VAR_KEYWORD]
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    unknown = [k for k in kwargs if k not in accepted]
    if unknown and not takes_any:
        close = [hints[unknown[0]]] if hints and unknown[0] in hints else difflib.get_close_matches(unknown[0], accepted, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise OptimizerError(f"{cls.__name__} has no setting {unknown[0]!r}{hint}; it accepts {', '.join(accepted)}.")
    try:
        return cls(first, **kwargs)
    except (TypeError, ValueError, RuntimeError) as error:
        raise OptimizerError(f"{cls.__name__} refused its settings: {error}.") from None


def make_optimizer(
    spec: OptimizerSpec, param: torch.Tensor, lr: float | None, kwargs: dict[str, Any], hints: dict[str, str] | None = None
) -> torch.optim.Optimizer:
    """The optimizer ``spec`` names, built on ``[param]`` with ``lr`` (when given) and ``kwargs``."""
    import torch

    if callable(spec) and not isinstance(spec, type | str):
        # A factory, e.g. functools.partial(ThirdPartyOptimizer, lr=0.1), called with the parameter list.
        factory: Callable[..., Any] = spec
        try:
            opt = factory([param], **({"lr": lr} if lr is not None else {}), **kwargs)
        except (TypeError, ValueError, RuntimeError) as error:
            raise OptimizerError(f"The optimizer factory {spec!r} failed: {error}.") from None
        if not isinstance(opt, torch.optim.Optimizer):
            raise OptimizerError(f"The optimizer factory {spec!r} returned {type(opt).__name__}, not an Optimizer.")
        return opt
    settings = dict(kwargs)
    if lr is not None:
        settings["lr"] = lr
    built: torch.optim.Optimizer = build_checked(optimizer_class(spec), [param], settings, hints)
    return built
