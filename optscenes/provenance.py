"""What a render was made from: a JSON sidecar with the settings and versions, and a CSV of the iterates."""

from __future__ import annotations

import json
import math
import os
import platform
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from .trajectory import Trajectory

__all__ = ["jsonable", "provenance", "write_sidecars"]


def jsonable(value: Any) -> Any:
    """``value`` as plain JSON: arrays become lists, NaN and infinities ``null``, code its repr."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return jsonable(value.tolist())
    if isinstance(value, np.generic):
        return jsonable(value.item())
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, type):
        return f"{value.__module__}.{value.__qualname__}"
    return repr(value)


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def provenance(trajectory: Trajectory, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Everything needed to make the run again, and the run itself."""
    return jsonable(
        {
            "function": trajectory.function,
            "variables": trajectory.variables,
            "settings": trajectory.settings,
            "optimizer": trajectory.optimizer,
            "hyperparameters": trajectory.hyperparameters,
            "scheduler": trajectory.scheduler,
            "dtype": trajectory.dtype,
            "status": trajectory.status,
            "stopped_at": trajectory.stopped_at,
            "requested_steps": trajectory.requested_steps,
            "versions": {
                "optscenes": _version("optscenes"),
                "torch": _version("torch"),
                "manim": _version("manim"),
                "sympy": _version("sympy"),
                "numpy": _version("numpy"),
                "python": platform.python_version(),
            },
            **(extra or {}),
            "trajectory": {**trajectory.columns(), "state": trajectory.state},
        }
    )


def write_sidecars(media: Path, trajectory: Trajectory, extra: dict[str, Any] | None = None) -> tuple[Path, Path]:
    """Write ``<media>.json`` and ``<media>.csv`` beside a rendered file, both or neither.

    If either cannot be written, both are removed and so is ``media``: no render is left without
    the record of what it shows.
    """
    media = Path(media)
    json_path, csv_path = media.with_suffix(".json"), media.with_suffix(".csv")
    try:
        text = json.dumps(provenance(trajectory, extra), indent=1, allow_nan=False)
        fd, tmp = tempfile.mkstemp(dir=media.parent, prefix=f".{json_path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(text + "\n")
            trajectory.to_csv(csv_path)
            os.replace(tmp, json_path)
        finally:
            Path(tmp).unlink(missing_ok=True)
    except BaseException:
        for path in (json_path, csv_path, media):
            path.unlink(missing_ok=True)
        raise
    return json_path, csv_path
