"""What an optimizer did, step by step, as plain numpy arrays."""

from __future__ import annotations

import csv
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .files import atomic_write

__all__ = ["Trajectory"]


@dataclass(frozen=True, eq=False)
class Trajectory:
    """Iterates of one optimizer run over steps ``0..N``; row 0 is the start.

    Every row is self-consistent: ``losses[k]`` and ``grads[k]`` are taken at ``params[k]``.
    ``lr[k]`` is the learning rate of the step that produced row ``k`` (``lr[0]`` is the one the
    first step will use).

    Attributes
    ----------
    params : ndarray, shape (N+1, dim)
    losses : ndarray, shape (N+1,)
    grads : ndarray, shape (N+1, dim)
    lr : ndarray, shape (N+1,)
    optimizer : str
        The torch class name, e.g. ``"Adam"``.
    hyperparameters : dict
        The optimizer's ``param_groups[0]`` settings after construction (lr, betas, eps, ...).
    variables : tuple of str
        Names of the coordinates of ``params``, e.g. ``("x",)``.
    function : str
        The objective's formula.
    dtype : str
        The torch dtype the run used, e.g. ``"float32"``.
    state : dict of str to ndarray
        The optimizer's state for the parameter after each row's step, under torch's names
        (``exp_avg``, ``exp_avg_sq``, ``momentum_buffer``, ``square_avg``, ``sum``, ``step``, ...), each
        of shape ``(N+1, dim)`` or ``(N+1,)``; NaN where the optimizer had no such entry yet.
    status : str
        ``"finished"`` (all requested steps), ``"converged"`` (stopped by ``tol``) or ``"diverged"``.
    stopped_at : int or None
        The step at which the run converged, or at which it diverged (that step's row is not kept).
    requested_steps : int
        The steps asked for; ``steps`` is how many the rows hold.
    scheduler : str or None
        The learning-rate scheduler's class name, if any.
    settings : dict
        The arguments ``optimize`` was called with (optimizer, lr, start, steps, kwargs, schedule, ...).
    """

    params: np.ndarray
    losses: np.ndarray
    grads: np.ndarray
    lr: np.ndarray
    optimizer: str
    hyperparameters: dict[str, Any] = field(default_factory=dict)
    variables: tuple[str, ...] = ("x",)
    function: str = ""
    dtype: str = "float32"
    state: dict[str, np.ndarray] = field(default_factory=dict)
    status: str = "finished"
    stopped_at: int | None = None
    requested_steps: int | None = None
    scheduler: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n = len(self.losses)
        shapes = {"params": self.params.shape, "grads": self.grads.shape, "lr": self.lr.shape}
        expected = {"params": (n, self.dim), "grads": (n, self.dim), "lr": (n,)}
        if shapes != expected:
            raise ValueError(f"Trajectory arrays disagree: {shapes}, expected {expected}.")
        if self.status not in ("finished", "converged", "diverged"):
            raise ValueError(f"unknown status {self.status!r}")
        if self.requested_steps is None:
            object.__setattr__(self, "requested_steps", self.steps)
        for array in (self.params, self.losses, self.grads, self.lr, *self.state.values()):
            array.setflags(write=False)

    @property
    def dim(self) -> int:
        """Number of variables."""
        return len(self.variables)

    @property
    def steps(self) -> int:
        """Number of optimizer steps N (the rows are N + 1)."""
        return len(self.losses) - 1

    def __len__(self) -> int:
        return len(self.losses)

    def __repr__(self) -> str:
        end = ", ".join(f"{v}={p:.6g}" for v, p in zip(self.variables, self.params[-1], strict=True))
        return f"<Trajectory {self.optimizer} on {self.function!r}: {self.status} after {self.steps} steps, at {end}>"

    def row(self, k: int) -> dict[str, float]:
        """Row ``k`` by name: each coordinate (``x``, ``y``), ``f``, ``grad`` (the first component),
        ``|grad|`` (the gradient's norm) and ``lr``."""
        values = {name: float(self.params[k, i]) for i, name in enumerate(self.variables)}
        values.update(f=float(self.losses[k]), grad=float(self.grads[k, 0]), lr=float(self.lr[k]))
        values["|grad|"] = float(np.linalg.norm(self.grads[k]))
        return values

    def digest(self) -> str:
        """A SHA-256 of the numbers and names: equal digests, equal runs."""
        h = hashlib.sha256()
        for array in (self.params, self.losses, self.grads, self.lr, *(self.state[k] for k in sorted(self.state))):
            h.update(np.ascontiguousarray(array, dtype=np.float64).tobytes())
        h.update(repr(sorted(self.state)).encode())
        h.update(repr((self.optimizer, self.variables, self.function, self.dtype, self.status, self.stopped_at)).encode())
        return h.hexdigest()

    def columns(self) -> dict[str, np.ndarray]:
        """The table ``to_csv`` writes: step, one column per variable, loss, gradient(s), lr."""
        table: dict[str, np.ndarray] = {"step": np.arange(len(self))}
        for i, name in enumerate(self.variables):
            table[name] = self.params[:, i]
        table["loss"] = self.losses
        for i, name in enumerate(self.variables):
            table["grad" if self.dim == 1 else f"grad_{name}"] = self.grads[:, i]
        table["lr"] = self.lr
        return table

    def csv_rows(self) -> Iterator[list[int | str]]:
        """The rows of :meth:`columns` as ``to_csv`` writes them (the header is ``list(columns())``)."""
        table = self.columns()
        for row in zip(*table.values(), strict=True):
            # repr of a Python float is the shortest text that reads back to the same number.
            yield [int(row[0]), *(repr(float(v)) for v in row[1:])]

    def to_csv(self, path: str | os.PathLike[str]) -> Path:
        """Write ``step,x,loss,grad,lr`` (``x,y`` and ``grad_x,grad_y`` in 2D); atomic: all or nothing."""
        path = Path(path)
        with atomic_write(path, newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(self.columns())
            writer.writerows(self.csv_rows())
        return path
