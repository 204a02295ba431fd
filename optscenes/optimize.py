"""Run a real ``torch.optim`` optimizer on an objective and record every iterate."""

from __future__ import annotations

import difflib
import inspect
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import OptimizerError
from .objective import Objective
from .trajectory import Trajectory

if TYPE_CHECKING:
    import torch

__all__ = ["MAX_STEPS", "optimize", "optimizer_class", "optimizer_names"]

MAX_STEPS = 100_000

# Optimizers torch ships that cannot run on one dense parameter, and why.
_REFUSED = {
    "SparseAdam": "SparseAdam only accepts sparse gradients, and the gradient of a formula is dense",
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


def optimizer_class(spec: str | type[torch.optim.Optimizer]) -> type[torch.optim.Optimizer]:
    """The optimizer class for a name (case-insensitive: ``"adam"``, ``"AdamW"``) or a class.

    Raises
    ------
    OptimizerError
        For an unknown name (with the closest valid names) or a class that is not an optimizer.
    """
    import torch

    if isinstance(spec, type):
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
        return getattr(torch.optim, by_key[key])
    close = difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(by_key[c] for c in close)}?" if close else f"known: {', '.join(names)}."
    raise OptimizerError(f"Unknown optimizer {spec!r}; {hint}")


def _dtype(spec: Any) -> torch.dtype:
    import torch

    if spec is None:
        return torch.get_default_dtype()
    if isinstance(spec, torch.dtype):
        return spec
    allowed = {"float32": torch.float32, "float64": torch.float64, "float": torch.float32, "double": torch.float64}
    if isinstance(spec, str) and spec.removeprefix("torch.") in allowed:
        return allowed[spec.removeprefix("torch.")]
    raise OptimizerError(f"dtype must be 'float32' or 'float64', not {spec!r}.")


def _start(start: float | Sequence[float], dim: int, variables: Sequence[str]) -> np.ndarray:
    point = np.atleast_1d(np.asarray(start, dtype=float))
    if point.shape != (dim,):
        raise OptimizerError(
            f"The start must give {dim} coordinate(s) ({', '.join(variables)}), not {point.size}: {start!r}."
        )
    if not np.all(np.isfinite(point)):
        raise OptimizerError(f"The start {start!r} is not a finite point.")
    return point


def _check_settings(steps: int, lr: float | None) -> None:
    if isinstance(steps, bool) or not isinstance(steps, int | np.integer) or not 1 <= steps <= MAX_STEPS:
        raise OptimizerError(f"steps must be a whole number from 1 to {MAX_STEPS}, not {steps!r}.")
    if lr is not None and (
        isinstance(lr, bool) or not isinstance(lr, int | float) or not math.isfinite(lr) or lr <= 0
    ):
        raise OptimizerError(f"lr must be a positive finite number, not {lr!r}.")


def _construct(cls: type[torch.optim.Optimizer], param: torch.Tensor, lr: float | None, kwargs: dict[str, Any]) -> torch.optim.Optimizer:
    settings = dict(kwargs)
    if lr is not None:
        settings["lr"] = lr
    accepted = [p for p in inspect.signature(cls.__init__).parameters if p not in ("self", "params")]
    unknown = [k for k in settings if k not in accepted]
    takes_any = any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in inspect.signature(cls.__init__).parameters.values()
    )
    if unknown and not takes_any:
        close = difflib.get_close_matches(unknown[0], accepted, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise OptimizerError(
            f"{cls.__name__} has no setting {unknown[0]!r}{hint}; it accepts {', '.join(accepted)}."
        )
    try:
        return cls([param], **settings)
    except (TypeError, ValueError) as error:
        raise OptimizerError(f"{cls.__name__} refused its settings: {error}.") from None


def optimize(
    objective: Objective | str,
    optimizer: str | type[torch.optim.Optimizer] = "adam",
    start: float | Sequence[float] = 0.0,
    steps: int = 50,
    lr: float | None = None,
    *,
    dtype: Any = None,
    **optimizer_kwargs: Any,
) -> Trajectory:
    """Minimise ``objective`` with a ``torch.optim`` optimizer and record every iterate.

    Each step is what a training loop does: evaluate the loss at the current point, ``zero_grad``,
    ``backward``, ``step``. The row after the last step gets its own loss and gradient, so every row
    is taken at its own point.

    Parameters
    ----------
    objective
        An :class:`Objective` or a formula for one.
    optimizer
        A ``torch.optim`` class name, case-insensitive (``"adam"``, ``"AdamW"``, ``"sgd"``), or an
        ``Optimizer`` subclass.
    start
        The start point: a number in 1D, a pair ``(x, y)`` in 2D.
    steps
        Number of optimizer steps, from 1 to 100000.
    lr
        The learning rate; ``None`` keeps the optimizer's default.
    dtype
        ``"float32"`` (torch's default, as in the seed) or ``"float64"``.
    **optimizer_kwargs
        Passed to the optimizer (``betas``, ``momentum``, ``nesterov``, ...).

    Examples
    --------
    >>> t = optimize("(6*x-2)^2*sin(12*x-4)", "adam", start=0.0, steps=50, lr=0.25)
    >>> t.params.shape, t.steps
    ((51, 1), 50)
    """
    import torch

    objective = objective if isinstance(objective, Objective) else Objective(objective)
    _check_settings(steps, lr)
    cls = optimizer_class(optimizer)
    torch_dtype = _dtype(dtype)
    point = _start(start, objective.dim, objective.variables)

    param = torch.tensor(point, dtype=torch_dtype, requires_grad=True)
    opt = _construct(cls, param, lr, optimizer_kwargs)
    needs_closure = isinstance(opt, torch.optim.LBFGS)

    def closure() -> torch.Tensor:
        opt.zero_grad()
        loss = objective.torch(param)
        loss.backward()
        return loss

    params = np.empty((steps + 1, objective.dim))
    grads = np.empty((steps + 1, objective.dim))
    losses = np.empty(steps + 1)
    lrs = np.empty(steps + 1)
    lrs[0] = float(opt.param_groups[0]["lr"])
    for k in range(steps + 1):
        loss = closure()
        params[k] = param.detach().numpy()
        losses[k] = float(loss.detach())
        grads[k] = param.grad.detach().numpy()
        if k == 0 and not (math.isfinite(losses[0]) and np.all(np.isfinite(grads[0]))):
            where = ", ".join(f"{v}={p:g}" for v, p in zip(objective.variables, point, strict=True))
            raise OptimizerError(f"{objective.formula!r} or its gradient is undefined at the start {where}.")
        if k < steps:
            lrs[k + 1] = float(opt.param_groups[0]["lr"])
            if needs_closure:
                opt.step(closure)
            else:
                opt.step()

    hyper = {key: value for key, value in opt.param_groups[0].items() if key != "params"}
    return Trajectory(
        params=params,
        losses=losses,
        grads=grads,
        lr=lrs,
        optimizer=cls.__name__,
        hyperparameters=hyper,
        variables=objective.variables,
        function=objective.formula,
        dtype=str(torch_dtype).removeprefix("torch."),
    )
