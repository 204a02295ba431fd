"""What a render was made from: a JSON sidecar with the settings and versions, and a CSV of the iterates."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from .files import atomic_write, versions
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


def provenance(trajectory: Trajectory, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Everything needed to make the run again, and the run itself."""
    record: dict[str, Any] = jsonable(
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
            "versions": versions(),
            **(extra or {}),
            "trajectory": {**trajectory.columns(), "state": trajectory.state},
        }
    )
    return record


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
        with atomic_write(json_path) as handle:
            handle.write(text + "\n")
            if isinstance(runs, Trajectory):
                runs.to_csv(csv_path)
            else:
                _runs_csv(csv_path, runs)
    except BaseException:
        for path in (json_path, csv_path, media):
            path.unlink(missing_ok=True)
        raise
    return json_path, csv_path


def _runs_csv(path: Path, runs: list[tuple[str, Trajectory]]) -> None:
    """Several runs in one table: ``run,label,step,x,...``."""
    with atomic_write(path, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["run", "label", *runs[0][1].columns()])
        for index, (label, trajectory) in enumerate(runs):
            writer.writerows([index, label, *row] for row in trajectory.csv_rows())
