"""Several runs on one function: what each is, what tells them apart, and running them all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import OptimizerError

__all__ = ["Run", "describe_common", "distinct_settings", "label_runs"]


@dataclass(frozen=True)
class Run:
    """One optimizer run of a comparison: the optimizer with its settings, schedule and start.

    Unset fields (``None``) take the scene's own value, so a learning-rate sweep only names ``lr``.
    """

    optimizer: Any = None
    lr: float | None = None
    start: Any = None
    optimizer_kwargs: dict[str, Any] = field(default_factory=dict)
    scheduler: Any = None
    scheduler_kwargs: dict[str, Any] = field(default_factory=dict)
    label: str | None = None

    def settings(self, defaults: dict[str, Any]) -> dict[str, Any]:
        """The keyword arguments of ``optimize`` for this run, unset fields taken from ``defaults``."""
        chosen = {
            "optimizer": self.optimizer if self.optimizer is not None else defaults.get("optimizer", "adam"),
            "lr": self.lr if self.lr is not None else defaults.get("lr"),
            "start": self.start if self.start is not None else defaults.get("start", 0.0),
            "scheduler": self.scheduler if self.scheduler is not None else defaults.get("scheduler"),
            "scheduler_kwargs": (self.scheduler_kwargs or defaults.get("scheduler_kwargs")) or None,
        }
        return {**chosen, **defaults.get("optimizer_kwargs", {}), **self.optimizer_kwargs}


def distinct_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """The settings runs of one scene can differ in (the scene fixes steps, dtype, tol and escape)."""
    return {k: v for k, v in settings.items() if k not in ("steps", "dtype", "tol", "escape")}


def _name(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, type):
        return value.__name__
    return repr(value)


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return "(" + ", ".join(_shown(v) for v in value) + ")"
    return _name(value)


def _traits(settings: dict[str, Any], optimizer_name: str) -> dict[str, str]:
    """A run's settings as short texts, in the order a person reads them."""
    traits = {"optimizer": optimizer_name}
    if settings.get("lr") is not None:
        traits["lr"] = _shown(settings["lr"])
    if settings.get("scheduler") is not None:
        traits["scheduler"] = _name(settings["scheduler"])
    for key, value in settings.items():
        if key not in ("optimizer", "lr", "start", "scheduler", "scheduler_kwargs"):
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
        parts = [t["optimizer"]] + [f"{k}={t[k]}" for k in differing if k in t and k != "start"]
        if "start" in differing:
            parts.append(f"from {t['start']}")
        labels.append(" ".join(parts))
    if len(set(labels)) < len(labels):
        raise OptimizerError("Two runs of the comparison are the same; give them different settings or labels.")
    return labels


def describe_common(settings: Sequence[dict[str, Any]], optimizer_names: Sequence[str]) -> str:
    """What all runs share, for the subtitle: ``Adam, start x = 0``."""
    traits = [_traits(s, name) for s, name in zip(settings, optimizer_names, strict=True)]
    shared = {k: v for k, v in traits[0].items() if all(t.get(k) == v for t in traits[1:])}
    parts = []
    if "optimizer" in shared:
        parts.append(shared.pop("optimizer"))
    start = shared.pop("start", None)
    parts += [f"{k} = {v}" for k, v in shared.items()]
    if start is not None:
        parts.append(f"start {start}")
    return ",  ".join(parts)
