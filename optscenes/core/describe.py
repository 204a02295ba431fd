"""Runs and numbers in words, as the picture shows them: labels that name what differs between runs,
the subtitle of what they share, and numbers readable from 1e-8 to 1e8 in a few characters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .errors import SettingError
from .settings import PER_RUN

__all__ = ["describe_common", "distinct_settings", "format_value", "label_runs"]


def distinct_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """The settings runs of one scene can differ in (:data:`~optscenes.core.settings.PER_RUN`), with the
    optimizer's own settings spread out by name (a run's label names ``momentum``, not ``optimizer_kwargs``)."""
    shown = {k: v for k, v in settings.items() if k in PER_RUN and k != "optimizer_kwargs"}
    shown.update(settings.get("optimizer_kwargs", {}))
    return shown


# Flags an optimizer is given, by the word a lecturer uses for them; a flag left False is not shown.
_FLAG_WORDS = {"nesterov": "Nesterov", "amsgrad": "AMSGrad", "centered": "centered", "maximize": "maximize"}


def _name(value: Any) -> str:
    """A schedule or optimizer by name: a class or function by its own, phases and chains by their parts."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "phases" in value:
        return " then ".join(_name(p) for p in value["phases"])
    if isinstance(value, list | tuple) and value and isinstance(value[-1], dict):
        return _name(value[0])  # a (name, settings) pair
    if isinstance(value, list | tuple):
        return " + ".join(_name(p) for p in value)
    function = getattr(value, "func", getattr(value, "__func__", value))  # partials and methods
    return str(getattr(function, "__name__", type(value).__name__))


def _schedule(settings: dict[str, Any]) -> str:
    """The schedule with its settings: ``StepLR (step_size 10, gamma 0.5)``."""
    own = settings.get("scheduler_kwargs") or {}
    details = ", ".join(f"{k} {_shown(v)}" for k, v in own.items())
    return _name(settings["scheduler"]) + (f" ({details})" if details else "")


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int | np.integer):
        return str(value)
    if isinstance(value, list | tuple):
        return "(" + ", ".join(_shown(v) for v in value) + ")"
    return _name(value)


def _traits(settings: dict[str, Any], optimizer_name: str) -> dict[str, str]:
    """A run's settings as short texts, in the order a person reads them."""
    traits = {"optimizer": optimizer_name}
    if settings.get("lr") is not None:
        traits["lr"] = _shown(settings["lr"])
    if settings.get("scheduler") is not None:
        traits["scheduler"] = _schedule(settings)
    for key, value in settings.items():
        if key in ("optimizer", "lr", "start", "scheduler", "scheduler_kwargs"):
            continue
        if isinstance(value, bool | np.bool_):
            if value:  # a flag: its word alone ("Nesterov"), under a key marked as a flag
                traits[f"+{key}"] = _FLAG_WORDS.get(key, key)
            continue
        traits[key] = _shown(value)
    if settings.get("start") is not None:
        start = settings["start"]
        traits["start"] = _shown(start if not isinstance(start, list | tuple) or len(start) > 1 else start[0])
    return traits


def label_runs(settings: Sequence[dict[str, Any]], optimizer_names: Sequence[str]) -> list[str]:
    """Name each run by the optimizer and by what differs between the runs.

    >>> label_runs([{"optimizer": "sgd", "lr": 0.01}, {"optimizer": "sgd", "lr": 0.01, "momentum": 0.9}],
    ...            ["SGD", "SGD"])
    ['SGD', 'SGD momentum=0.9']
    """
    traits = [_traits(s, name) for s, name in zip(settings, optimizer_names, strict=True)]
    keys = list(dict.fromkeys(k for t in traits for k in t))
    differing = [k for k in keys if k != "optimizer" and len({t.get(k) for t in traits}) > 1]
    labels = []
    for t in traits:
        parts = [t["optimizer"]] + [_part(k, t[k], "=") for k in differing if k in t and k != "start"]
        if "start" in differing:
            parts.append(f"from {t['start']}")
        labels.append(" ".join(parts))
    if len(set(labels)) < len(labels):
        raise SettingError("Two runs of the comparison are the same; give them different settings or labels.")
    return labels


def describe_common(settings: Sequence[dict[str, Any]], optimizer_names: Sequence[str]) -> str:
    """What all runs share, for the subtitle: ``Adam, start x = 0``."""
    traits = [_traits(s, name) for s, name in zip(settings, optimizer_names, strict=True)]
    shared = {k: v for k, v in traits[0].items() if all(t.get(k) == v for t in traits[1:])}
    parts = []
    if "optimizer" in shared:
        parts.append(shared.pop("optimizer"))
    start = shared.pop("start", None)
    parts += [_part(k, v, " = ") for k, v in shared.items()]
    if start is not None:
        parts.append(f"start {start}")
    return ",  ".join(parts)


def _part(key: str, text: str, joiner: str) -> str:
    """``lr = 0.1``; a flag by its word alone; a schedule by its name and settings."""
    return text if key.startswith("+") or key == "scheduler" else f"{key}{joiner}{text}"


def format_value(value: float, digits: int = 3) -> str:
    """A number readable from 1e-8 to 1e8 in at most about eight characters: 0.0123, 12.3, 1.23e-05."""
    if value == 0 or not np.isfinite(value):
        return "0" if value == 0 else "-"
    magnitude = abs(value)
    if 1e-3 <= magnitude < 1e5:
        return f"{value:.{digits}g}"
    return f"{value:.{digits - 1}e}"
