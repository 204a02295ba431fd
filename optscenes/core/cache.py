"""A disk cache of runs, so re-rendering an unchanged scene neither imports torch nor runs it again.

A run is cached only when every setting has a stable text form (numbers, strings, booleans, lists and
dicts of them): a lambda or an optimizer class has no such form, so runs using one are never cached.
The key covers the formula, every run setting, and the versions of optscenes, torch, numpy and sympy:
any change misses. An entry is written atomically and checked when read (format, shapes, a checksum
of the numbers); a damaged one is removed with one line of warning and the run is made again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

import numpy as np

from .files import atomic_write, versions
from .provenance import jsonable
from .trajectory import Trajectory

__all__ = ["cache_key", "load", "store"]

_FORMAT = 2
log = logging.getLogger("optscenes")


def _stable(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _stable(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return all(_stable(v) for v in value)
    return value is None or isinstance(value, bool | int | float | str)


def cache_key(formula: str, settings: dict[str, Any]) -> str | None:
    """The key of a run, or ``None`` when a setting cannot be written down reliably."""
    if not _stable(settings):
        return None
    known = versions()
    text = json.dumps(
        {
            "format": _FORMAT,
            "formula": formula,
            "settings": settings,
            "versions": [known[p] for p in ("optscenes", "torch", "numpy", "sympy")],
        },
        sort_keys=True,
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def load(directory: Path, key: str) -> Trajectory | None:
    """The cached run for ``key``, or ``None`` when there is none. A damaged entry (truncated, empty, not
    ours, numbers that do not match their checksum) is removed, with one line of warning."""
    path = Path(directory) / f"{key}.npz"
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            arrays = {name: data[name] for name in data.files if name != "meta"}
        if meta.get("format") != _FORMAT:
            raise ValueError(f"format {meta.get('format')!r}")
        state = {name.removeprefix("state."): a for name, a in arrays.items() if name.startswith("state.")}
        trajectory = Trajectory(
            params=arrays["params"], losses=arrays["losses"], grads=arrays["grads"], lr=arrays["lr"], state=state,
            optimizer=meta["optimizer"], hyperparameters=meta["hyperparameters"], variables=tuple(meta["variables"]),
            function=meta["function"], dtype=meta["dtype"], status=meta["status"], stopped_at=meta["stopped_at"],
            requested_steps=meta["requested_steps"], scheduler=meta["scheduler"], settings=meta["settings"],
        )  # fmt: skip
        if trajectory.digest() != meta["digest"]:
            raise ValueError("checksum")
    except Exception as error:  # noqa: BLE001 - whatever is wrong with the file, the run is made again
        log.warning("optscenes: removed a damaged run-cache entry %s (%s); making the run again.", path, type(error).__name__)
        path.unlink(missing_ok=True)
        return None
    return trajectory


def store(directory: Path, key: str, trajectory: Trajectory) -> None:
    """Write ``trajectory`` under ``key``, atomically."""
    meta = {
        "format": _FORMAT,
        "digest": trajectory.digest(),
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
    with atomic_write(Path(directory) / f"{key}.npz", "wb") as handle:
        arrays: dict[str, np.ndarray] = {
            "meta": np.array(json.dumps(meta)), "params": trajectory.params, "losses": trajectory.losses,
            "grads": trajectory.grads, "lr": trajectory.lr, **{f"state.{k}": v for k, v in trajectory.state.items()},
        }  # fmt: skip
        np.savez(handle, **arrays)  # type: ignore[arg-type]
