"""A disk cache of runs, so re-rendering an unchanged scene neither imports torch nor runs it again.

A run is cached only when every setting has a stable text form (numbers, strings, booleans, lists and
dicts of them): a lambda or an optimizer class has no such form, so runs using one are never cached.
The key covers the formula, every setting, and the versions of optscenes, torch and numpy: any change
misses.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from .trajectory import Trajectory

__all__ = ["cache_key", "load", "store"]

_FORMAT = 1


def _stable(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _stable(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return all(_stable(v) for v in value)
    return value is None or isinstance(value, bool | int | float | str)


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "none"


def cache_key(formula: str, settings: dict[str, Any]) -> str | None:
    """The key of a run, or ``None`` when a setting cannot be written down reliably."""
    if not _stable(settings):
        return None
    text = json.dumps(
        {
            "format": _FORMAT,
            "formula": formula,
            "settings": settings,
            "versions": [_version(p) for p in ("optscenes", "torch", "numpy", "sympy")],
        },
        sort_keys=True,
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def load(directory: Path, key: str) -> Trajectory | None:
    """The cached run for ``key``, or ``None`` (missing or unreadable files count as a miss)."""
    path = Path(directory) / f"{key}.npz"
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            arrays = {name: data[name] for name in data.files if name != "meta"}
    except (OSError, ValueError, KeyError):
        return None
    state = {name.removeprefix("state."): a for name, a in arrays.items() if name.startswith("state.")}
    return Trajectory(
        params=arrays["params"], losses=arrays["losses"], grads=arrays["grads"], lr=arrays["lr"], state=state,
        optimizer=meta["optimizer"], hyperparameters=meta["hyperparameters"], variables=tuple(meta["variables"]),
        function=meta["function"], dtype=meta["dtype"], status=meta["status"], stopped_at=meta["stopped_at"],
        requested_steps=meta["requested_steps"], scheduler=meta["scheduler"], settings=meta["settings"],
    )  # fmt: skip


def store(directory: Path, key: str, trajectory: Trajectory) -> None:
    """Write ``trajectory`` under ``key``, atomically; a run whose metadata is not plain data is skipped."""
    from .provenance import jsonable

    meta = {
        "optimizer": trajectory.optimizer,
        "hyperparameters": jsonable(trajectory.hyperparameters),
        "variables": list(trajectory.variables),
        "function": trajectory.function,
        "dtype": trajectory.dtype,
        "status": trajectory.status,
        "stopped_at": trajectory.stopped_at,
        "requested_steps": trajectory.requested_steps,
        "scheduler": trajectory.scheduler,
        "settings": jsonable(trajectory.settings),
    }
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{key}.", suffix=".npz")
    try:
        with os.fdopen(fd, "wb") as handle:
            np.savez(
                handle, meta=np.array(json.dumps(meta)), params=trajectory.params, losses=trajectory.losses,
                grads=trajectory.grads, lr=trajectory.lr, **{f"state.{k}": v for k, v in trajectory.state.items()},
            )  # fmt: skip
        os.replace(tmp, directory / f"{key}.npz")
    finally:
        Path(tmp).unlink(missing_ok=True)
