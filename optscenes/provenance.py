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


def _runs_csv(path: Path, runs: list[tuple[str, Trajectory]]) -> None:
    """Several runs in one table: ``run,label,step,x,...``; written to a temporary file first."""
    import csv

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", newline="") as handle:
            writer = csv.writer(handle)
            for index, (label, trajectory) in enumerate(runs):
                table = trajectory.columns()
                if index == 0:
                    writer.writerow(["run", "label", *table])
                for row in zip(*table.values(), strict=True):
                    writer.writerow([index, label, int(row[0]), *(repr(float(v)) for v in row[1:])])
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def write_sidecars(
    media: Path, runs: Trajectory | list[tuple[str, Trajectory]], extra: dict[str, Any] | None = None
) -> tuple[Path, Path]:
    """Write ``<media>.json`` and ``<media>.csv`` beside a rendered file, both or neither.

    ``runs`` is one trajectory, or ``(label, trajectory)`` pairs for a comparison (then the JSON has a
    ``runs`` list and the CSV ``run`` and ``label`` columns). If either file cannot be written, both
    are removed and so is ``media``: no render is left without the record of what it shows.
    """
    media = Path(media)
    json_path, csv_path = media.with_suffix(".json"), media.with_suffix(".csv")
    try:
        if isinstance(runs, Trajectory):
            record = provenance(runs, extra)
        else:
            record = jsonable({**(extra or {}), "runs": [{"label": label, **provenance(t)} for label, t in runs]})
        text = json.dumps(record, indent=1, allow_nan=False)
        fd, tmp = tempfile.mkstemp(dir=media.parent, prefix=f".{json_path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(text + "\n")
            if isinstance(runs, Trajectory):
                runs.to_csv(csv_path)
            else:
                _runs_csv(csv_path, runs)
            os.replace(tmp, json_path)
        finally:
            Path(tmp).unlink(missing_ok=True)
    except BaseException:
        for path in (json_path, csv_path, media):
            path.unlink(missing_ok=True)
        raise
    return json_path, csv_path
