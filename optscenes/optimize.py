"""Run a real ``torch.optim`` optimizer on an objective and record every iterate."""

from __future__ import annotations

import difflib
import inspect
import math
import warnings
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


def optimizer_class(spec: str | type[torch.optim.Optimizer]) -> type[torch.optim.Optimizer]:
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


def _build(cls: type, first: Any, kwargs: dict[str, Any], what: str = "setting") -> Any:
    """``cls(first, **kwargs)``, turning unknown keywords and refusals into one sentence each."""
    parameters = inspect.signature(cls.__init__).parameters
    accepted = [p for p in list(parameters)[2:] if parameters[p].kind is not inspect.Parameter.VAR_KEYWORD]
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    unknown = [k for k in kwargs if k not in accepted]
    if unknown and not takes_any:
        close = difflib.get_close_matches(unknown[0], accepted, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise OptimizerError(f"{cls.__name__} has no {what} {unknown[0]!r}{hint}; it accepts {', '.join(accepted)}.")
    try:
        return cls(first, **kwargs)
    except (TypeError, ValueError, RuntimeError) as error:
        raise OptimizerError(f"{cls.__name__} refused its settings: {error}.") from None


def _make_optimizer(spec: Any, param: torch.Tensor, lr: float | None, kwargs: dict[str, Any]) -> torch.optim.Optimizer:
    import torch

    if callable(spec) and not isinstance(spec, type | str):
        # A factory, e.g. functools.partial(ThirdPartyOptimizer, lr=0.1), called with the parameter list.
        try:
            opt = spec([param], **({"lr": lr} if lr is not None else {}), **kwargs)
        except (TypeError, ValueError, RuntimeError) as error:
            raise OptimizerError(f"The optimizer factory {spec!r} failed: {error}.") from None
        if not isinstance(opt, torch.optim.Optimizer):
            raise OptimizerError(f"The optimizer factory {spec!r} returned {type(opt).__name__}, not an Optimizer.")
        return opt
    settings = dict(kwargs)
    if lr is not None:
        settings["lr"] = lr
    return _build(optimizer_class(spec), [param], settings)


def optimize(
    objective: Objective | str,
    optimizer: Any = "adam",
    start: float | Sequence[float] = 0.0,
    steps: int = 50,
    lr: float | None = None,
    *,
    dtype: Any = None,
    scheduler: Any = None,
    scheduler_kwargs: dict[str, Any] | None = None,
    tol: float | None = None,
    escape: float = 1e6,
    **optimizer_kwargs: Any,
) -> Trajectory:
    """Minimise ``objective`` with a ``torch.optim`` optimizer and record every iterate.

    Each step is what a training loop does: evaluate the loss at the current point, ``zero_grad``,
    ``backward``, ``step`` (and the scheduler's ``step``). The row after each step gets its own loss and
    gradient, so every row is taken at its own point. LBFGS is given a closure; one of its rows is one
    call of ``step``, which may evaluate the function several times (``max_iter``).

    Parameters
    ----------
    objective
        An :class:`Objective` or a formula for one.
    optimizer
        A ``torch.optim`` class name, case-insensitive (``"adam"``, ``"AdamW"``, ``"sgd"``); an
        ``Optimizer`` subclass (third-party ones too); or a factory called as ``factory([param], lr=...)``.
    start
        The start point: a number in 1D, a pair ``(x, y)`` in 2D.
    steps
        Number of optimizer steps, from 1 to 100000.
    lr
        The learning rate; ``None`` keeps the optimizer's default.
    dtype
        ``"float32"`` (torch's default, as in the seed) or ``"float64"``.
    scheduler, scheduler_kwargs
        A ``torch.optim.lr_scheduler`` name or class with its settings, a factory ``f(optimizer)``, or a
        list of ``(name, settings)`` applied together. ``OneCycleLR`` defaults to ``max_lr=lr`` over all
        steps, ``CosineAnnealingLR`` to ``T_max=steps``; ``ReduceLROnPlateau`` is fed each step's loss.
    tol
        Stop early, with status ``"converged"``, once a step moves the point by at most ``tol``.
    escape
        A point farther than ``escape * (1 + |start|)`` from the start counts as diverged.
    **optimizer_kwargs
        Passed to the optimizer (``betas``, ``momentum``, ``nesterov``, ...).

    Returns
    -------
    Trajectory
        Rows ``0..k``. If a loss, gradient or point becomes non-finite or escapes at step ``k + 1``, the
        run ends at row ``k`` with ``status="diverged"`` and ``stopped_at=k + 1``.

    Examples
    --------
    >>> t = optimize("(6*x-2)^2*sin(12*x-4)", "adam", start=0.0, steps=50, lr=0.25)
    >>> t.params.shape, t.steps, t.status
    ((51, 1), 50, 'finished')
    """
    import torch

    from .schedule import make_schedule

    objective = objective if isinstance(objective, Objective) else Objective(objective)
    _check_settings(steps, lr)
    if tol is not None and not (isinstance(tol, int | float) and tol >= 0):  # NaN fails the comparison
        raise OptimizerError(f"tol must be a non-negative number, not {tol!r}.")
    if not (isinstance(escape, int | float) and escape > 0):
        raise OptimizerError(f"escape must be a positive number, not {escape!r}.")
    torch_dtype = _dtype(dtype)
    point = _start(start, objective.dim, objective.variables)

    param = torch.tensor(point, dtype=torch_dtype, requires_grad=True)
    opt = _make_optimizer(optimizer, param, lr, optimizer_kwargs)
    hyper = {key: value for key, value in opt.param_groups[0].items() if key != "params"}
    schedule = make_schedule(scheduler, opt, scheduler_kwargs, steps)
    needs_closure = isinstance(opt, torch.optim.LBFGS)
    radius = escape * (1.0 + float(np.linalg.norm(point)))

    def closure() -> torch.Tensor:
        opt.zero_grad()
        loss = objective.torch(param)
        loss.backward()
        return loss

    rows = _Rows(objective.dim)
    loss = closure()
    rows.add(param, loss, float(opt.param_groups[0]["lr"]), opt.state.get(param, {}))
    if not rows.finite(-1):
        where = ", ".join(f"{v}={p:g}" for v, p in zip(objective.variables, point, strict=True))
        raise OptimizerError(f"{objective.formula!r} or its gradient is undefined at the start {where}.")
    status, stopped_at = "finished", None
    for k in range(steps):
        used_lr = float(opt.param_groups[0]["lr"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # schedulers warn about call order we get right
            opt.step(closure) if needs_closure else opt.step()
            if schedule is not None:
                schedule.step(float(loss.detach()))
        previous = rows.params[-1]
        loss = closure()
        rows.add(param, loss, used_lr, opt.state.get(param, {}))
        if not rows.finite(-1) or np.linalg.norm(rows.params[-1] - point) > radius:
            rows.drop_last()
            status, stopped_at = "diverged", k + 1
            break
        if tol is not None and np.linalg.norm(rows.params[-1] - previous) <= tol:
            status, stopped_at = "converged", k + 1
            break

    return Trajectory(
        params=np.array(rows.params),
        losses=np.array(rows.losses),
        grads=np.array(rows.grads),
        lr=np.array(rows.lr),
        optimizer=type(opt).__name__,
        hyperparameters=hyper,
        variables=objective.variables,
        function=objective.formula,
        dtype=str(torch_dtype).removeprefix("torch."),
        state=rows.state_arrays(),
        status=status,
        stopped_at=stopped_at,
        requested_steps=steps,
        scheduler=None if schedule is None else schedule.name,
        settings={
            "optimizer": optimizer if isinstance(optimizer, str) else repr(optimizer),
            "lr": lr, "start": point.tolist(), "steps": steps, "dtype": dtype, "tol": tol, "escape": escape,
            "optimizer_kwargs": dict(optimizer_kwargs),
            "scheduler": scheduler if isinstance(scheduler, str | list | tuple | None) else repr(scheduler),
            "scheduler_kwargs": dict(scheduler_kwargs or {}),
        },  # fmt: skip
    )


class _Rows:
    """Rows of a run as they come, with the optimizer's per-parameter state under torch's names."""

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self.params: list[np.ndarray] = []
        self.losses: list[float] = []
        self.grads: list[np.ndarray] = []
        self.lr: list[float] = []
        self.states: list[dict[str, np.ndarray]] = []

    def add(self, param: torch.Tensor, loss: torch.Tensor, lr: float, state: dict[str, Any]) -> None:
        self.params.append(param.detach().numpy().astype(float))
        self.losses.append(float(loss.detach()))
        grad = param.grad
        self.grads.append(np.full(self.dim, np.nan) if grad is None else grad.detach().numpy().astype(float))
        self.lr.append(lr)
        self.states.append(_state_snapshot(state, self.dim))

    def finite(self, row: int) -> bool:
        return bool(
            math.isfinite(self.losses[row]) and np.all(np.isfinite(self.params[row])) and np.all(np.isfinite(self.grads[row]))
        )

    def drop_last(self) -> None:
        for column in (self.params, self.losses, self.grads, self.lr, self.states):
            column.pop()

    def state_arrays(self) -> dict[str, np.ndarray]:
        """One array per state name over the rows; NaN where the optimizer had no such entry yet."""
        names = list(dict.fromkeys(name for snapshot in self.states for name in snapshot))
        arrays = {}
        for name in names:
            shape = next(s[name].shape for s in self.states if name in s)
            column = np.full((len(self.states), *shape), np.nan)
            for row, snapshot in enumerate(self.states):
                if name in snapshot and snapshot[name].shape == shape:
                    column[row] = snapshot[name]
            arrays[name] = column
        return arrays


def _state_snapshot(state: dict[str, Any], dim: int) -> dict[str, np.ndarray]:
    """Numbers and tensors of the parameter's size or scalar; lists (LBFGS history) are left out."""
    import torch

    snapshot = {}
    for name, value in state.items():
        if isinstance(value, torch.Tensor) and value.numel() in (1, dim):
            # A copy: .double() of a float64 tensor is the tensor itself, which the next step updates in place.
            array = value.detach().cpu().double().numpy().copy()
            snapshot[name] = array.reshape(dim) if value.numel() == dim and value.dim() > 0 else array.reshape(())
        elif isinstance(value, int | float) and not isinstance(value, bool):
            snapshot[name] = np.asarray(float(value))
    return snapshot
