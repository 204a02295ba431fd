"""Run a real ``torch.optim`` optimizer on an objective and record every iterate."""

from __future__ import annotations

import inspect
import math
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import OptimizerError, OptscenesError
from .objective import Objective
from .optimizers import OptimizerSpec, make_optimizer, step_failure
from .schedules import make_schedule
from .settings import RUN_SETTINGS, SETTINGS, closest_names, run_settings
from .trajectory import Trajectory

if TYPE_CHECKING:
    import torch

__all__ = ["optimize"]

_UNSET: Any = object()


def optimize(objective: Objective | str, optimizer: OptimizerSpec = _UNSET, /, **settings: Any) -> Trajectory:
    """Minimise ``objective`` with a ``torch.optim`` optimizer and record every iterate.

    Each step is what a training loop does: evaluate the loss at the current point, ``zero_grad``,
    ``backward``, ``step`` (and the scheduler's ``step``). The row after each step gets its own loss and
    gradient, so every row is taken at its own point. LBFGS is given a closure; one of its rows is one
    call of ``step``, which may evaluate the function several times (``max_iter``).

    Parameters
    ----------
    objective
        An :class:`Objective` or a formula for one.
    optimizer, **settings
        The run settings of :data:`optscenes.core.settings.SETTINGS` (listed below); keywords that are not
        run settings are the optimizer's own (``momentum=0.9``), as in ``optimizer_kwargs``.

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

    if optimizer is not _UNSET:
        if "optimizer" in settings:
            raise OptimizerError("optimize() got the optimizer twice: positionally and as optimizer=.")
        settings["optimizer"] = optimizer
    loose = {name: settings.pop(name) for name in list(settings) if name not in RUN_SETTINGS}
    run = run_settings(settings)
    overlap = set(loose) & set(run["optimizer_kwargs"])
    if overlap:
        raise OptimizerError(f"optimize() got {sorted(overlap)[0]!r} twice: as a keyword and in optimizer_kwargs.")
    run["optimizer_kwargs"].update(loose)
    objective = objective if isinstance(objective, Objective) else Objective(objective)
    torch_dtype = torch.float64 if run["dtype"] == "float64" else torch.float32 if run["dtype"] else torch.get_default_dtype()
    point = _start_point(run["start"], objective)

    param = torch.tensor(point, dtype=torch_dtype, requires_grad=True)
    hints = {name: close[0] for name in run["optimizer_kwargs"] if (close := closest_names(name, RUN_SETTINGS))}
    opt = make_optimizer(run["optimizer"], param, run["lr"], run["optimizer_kwargs"], hints)
    hyper = {key: value for key, value in opt.param_groups[0].items() if key != "params"}
    schedule = make_schedule(run["scheduler"], opt, run["scheduler_kwargs"], run["steps"])
    needs_closure = isinstance(opt, torch.optim.LBFGS)
    radius = run["escape"] * (1.0 + float(np.linalg.norm(point)))
    tol = run["tol"]

    def closure() -> torch.Tensor:
        opt.zero_grad()
        loss = objective.torch(param)
        loss.backward()
        return loss

    rows = _Rows(objective.dim)
    loss = closure()
    rows.add(param, loss, float(opt.param_groups[0]["lr"]), opt.state.get(param, {}))
    if not rows.finite(-1):
        raise _start_problem(objective, point, rows.losses[-1], torch_dtype)
    # The settings the optimizer was built with, to name the one a failing step is due to (a factory's are its own).
    given = {**run["optimizer_kwargs"], "lr": run["lr"]} if isinstance(run["optimizer"], str | type) else {}
    status, stopped_at = "finished", None
    for k in range(run["steps"]):
        used_lr = float(opt.param_groups[0]["lr"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # schedulers warn about call order we get right
            try:
                # torch types the closure as returning float; LBFGS is given the loss tensor, as its docs do.
                opt.step(closure) if needs_closure else opt.step()  # type: ignore[arg-type]
            except OptscenesError:
                raise
            except Exception as error:  # noqa: BLE001 - torch's or a user's optimizer: one sentence either way
                raise step_failure(opt, k + 1, error, {n: v for n, v in given.items() if v is not None}) from None
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
        requested_steps=run["steps"],
        scheduler=None if schedule is None else schedule.name,
        settings=run,
    )


def _start_problem(objective: Objective, point: np.ndarray, loss: float, dtype: torch.dtype) -> OptimizerError:
    """Why a run cannot start: the value overflows (in float64, or only in this run's float32), or the
    formula or its gradient is undefined there (``log(x)`` at -1, ``1/x`` at 0)."""
    where = ", ".join(f"{v}={p:g}" for v, p in zip(objective.variables, point, strict=True))
    if objective.overflows(list(point)):
        return OptimizerError(f"{objective.formula!r} overflows at the start {where}: its value is beyond 1.8e308.")
    value = objective.value(list(point))
    if not math.isfinite(loss) and math.isfinite(value):
        return OptimizerError(
            f"{objective.formula!r} overflows {str(dtype).removeprefix('torch.')} at the start {where} "
            f"(its value is {value:.3g}); use dtype='float64'."
        )
    return OptimizerError(f"{objective.formula!r} or its gradient is undefined at the start {where}.")


def _start_point(start: float | tuple[float, ...], objective: Objective) -> np.ndarray:
    point = np.atleast_1d(np.asarray(start, dtype=float))
    if point.shape != (objective.dim,):
        raise OptimizerError(
            f"The start must give {objective.dim} coordinate(s) ({', '.join(objective.variables)}), not {point.size}: {start!r}."
        )
    return point


def _signature() -> inspect.Signature:
    """``optimize``'s signature as the settings table makes it."""
    kind = inspect.Parameter
    parameters = [
        kind("objective", kind.POSITIONAL_ONLY),
        kind("optimizer", kind.POSITIONAL_OR_KEYWORD, default=SETTINGS["optimizer"].default),
        *(kind(name, kind.KEYWORD_ONLY, default=SETTINGS[name].default) for name in RUN_SETTINGS if name != "optimizer"),
        kind("optimizer_settings", kind.VAR_KEYWORD),
    ]
    return inspect.Signature(parameters, return_annotation="Trajectory")


optimize.__signature__ = _signature()  # type: ignore[attr-defined]
if optimize.__doc__:
    optimize.__doc__ += "\n    Run settings\n    ------------\n" + "".join(
        f"    {name} : {SETTINGS[name].takes}, default {SETTINGS[name].default!r}\n        {SETTINGS[name].doc}\n"
        for name in RUN_SETTINGS
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
