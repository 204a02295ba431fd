"""Learning-rate schedules from ``torch.optim.lr_scheduler``, by name, class, factory or chain."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

from .errors import OptimizerError
from .optimizers import build_checked, reason

if TYPE_CHECKING:
    import torch
    from torch.optim.lr_scheduler import LRScheduler

__all__ = ["Schedule", "SchedulerSpec", "make_schedule", "scheduler_class", "scheduler_names"]

# Schedulers that wrap other schedulers: built from a list, not by name.
_COMPOSITE = ("ChainedScheduler", "SequentialLR")


def scheduler_names() -> list[str]:
    """Names of the schedulers ``optimize(scheduler=...)`` accepts, as torch spells them."""
    from torch.optim import lr_scheduler

    return sorted(
        name
        for name, obj in vars(lr_scheduler).items()
        if isinstance(obj, type) and not name.startswith("_") and name not in ("LRScheduler", *_COMPOSITE)
        and (issubclass(obj, lr_scheduler.LRScheduler) or obj is lr_scheduler.ReduceLROnPlateau)
    )  # fmt: skip


def scheduler_class(spec: str | type) -> type:
    """The scheduler class for a name (case-insensitive: ``"cosineannealinglr"``, ``"StepLR"``) or a class."""
    from torch.optim import lr_scheduler

    if isinstance(spec, type):
        if not (issubclass(spec, lr_scheduler.LRScheduler) or issubclass(spec, lr_scheduler.ReduceLROnPlateau)):
            raise OptimizerError(f"{spec.__name__} is not a torch.optim.lr_scheduler scheduler.")
        return spec
    names = scheduler_names()
    by_key = {name.lower(): name for name in names}
    key = str(spec).strip().lower()
    if key in by_key:
        return getattr(lr_scheduler, by_key[key])
    if key in (c.lower() for c in _COMPOSITE):
        raise OptimizerError(f"Give {spec} as a list of schedules, e.g. [('StepLR', {{...}}), ('ExponentialLR', {{...}})].")
    close = difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(by_key[c] for c in close)}?" if close else f"known: {', '.join(names)}."
    raise OptimizerError(f"Unknown scheduler {spec!r}; {hint}")


def _defaults(cls: type, kwargs: dict[str, Any], steps: int, lr: float) -> dict[str, Any]:
    """Fill the settings a replay makes obvious: a one-cycle or cosine schedule over the whole run."""
    settings = dict(kwargs)
    if cls.__name__ == "OneCycleLR":
        settings.setdefault("max_lr", lr)
        if "epochs" not in settings:
            # Step k uses the schedule at position k - 1, so the last step gets its final, lowest rate.
            settings.setdefault("total_steps", steps)
    elif cls.__name__ == "CosineAnnealingLR":
        settings.setdefault("T_max", steps)
    return settings


class Schedule:
    """A scheduler stepped once per optimizer step; ``ReduceLROnPlateau`` is fed the step's loss."""

    def __init__(self, scheduler: Any, name: str) -> None:
        from torch.optim import lr_scheduler

        self.scheduler = scheduler
        self.name = name
        self._wants_loss = isinstance(scheduler, lr_scheduler.ReduceLROnPlateau)

    def step(self, loss: float) -> None:
        try:
            if self._wants_loss:
                self.scheduler.step(loss)
            else:
                self.scheduler.step()
        except Exception as error:  # noqa: BLE001 - torch's or a user's schedule: one sentence either way
            raise OptimizerError(f"The {self.name} schedule failed: {reason(error)}.") from None


#: What names a schedule: a ``torch.optim.lr_scheduler`` class name or class, a factory
#: ``f(optimizer, **settings)``, or a list of names, classes and ``(name, {settings})`` pairs applied together.
SchedulerSpec: TypeAlias = (
    "str | type[LRScheduler] | Callable[..., LRScheduler] | list[SchedulePart] | tuple[SchedulePart, ...]"
    " | Mapping[str, Any] | None"
)
SchedulePart: TypeAlias = "str | type[LRScheduler] | tuple[str | type[LRScheduler], dict[str, Any]]"


def _phases(
    phases: Sequence[Any], milestones: Sequence[int], optimizer: torch.optim.Optimizer, steps: int, lr: float
) -> Schedule:
    """Schedules one after another (``SequentialLR``), each phase's defaults from its own length."""
    from torch.optim import lr_scheduler

    if len(milestones) != len(phases) - 1 or list(milestones) != sorted(set(milestones)) or not (
        0 < milestones[0] and milestones[-1] < steps
    ):
        raise OptimizerError(
            f"{len(phases)} phases need {len(phases) - 1} milestones, rising, between 1 and steps - 1 "
            f"({steps - 1}), not {list(milestones)}."
        )
    bounds = [0, *milestones, steps]
    parts = []
    for (name, settings), begin, end in zip(_pairs(phases), bounds[:-1], bounds[1:], strict=True):
        cls = scheduler_class(name)
        if cls is lr_scheduler.ReduceLROnPlateau:
            raise OptimizerError("ReduceLROnPlateau cannot be a phase: it needs the loss; use it alone.")
        parts.append(build_checked(cls, optimizer, _defaults(cls, settings, end - begin, lr)))
    sequential = lr_scheduler.SequentialLR(optimizer, parts, list(milestones))
    return Schedule(sequential, " then ".join(type(p).__name__ for p in parts))


def _pairs(items: Sequence[Any]) -> list[tuple[Any, dict[str, Any]]]:
    """``(name or class, settings)`` for each schedule of a list: a bare name has no settings."""
    return [(item, {}) if isinstance(item, str | type) else (item[0], dict(item[1])) for item in items]


def make_schedule(
    spec: SchedulerSpec,
    optimizer: torch.optim.Optimizer,
    kwargs: dict[str, Any] | None,
    steps: int,
) -> Schedule | None:
    """Build the schedule ``spec`` names for ``optimizer``.

    ``spec`` is a name or class with ``kwargs``; a factory ``f(optimizer) -> scheduler``; a list of
    ``(name, kwargs)`` pairs applied *together* every step, their factors multiplied (torch's
    ``ChainedScheduler``); or ``{"phases": [...], "milestones": [...]}``, schedules one *after* another,
    the next starting at each milestone step (torch's ``SequentialLR``: warm-up, then cosine). A phase's
    length-dependent settings (``T_max``, ``total_iters``) default to its own length.
    """
    from torch.optim import lr_scheduler

    if spec is None:
        if kwargs:
            raise OptimizerError("scheduler_kwargs were given without a scheduler.")
        return None
    lr = float(optimizer.param_groups[0]["lr"])
    if isinstance(spec, Mapping):
        if kwargs:
            raise OptimizerError("Phases take their settings in the list: {'phases': [(name, {settings}), ...], ...}.")
        return _phases(spec["phases"], spec["milestones"], optimizer, steps, lr)
    if isinstance(spec, list | tuple):
        if kwargs:
            raise OptimizerError("A chain of schedules takes its settings in the list: [(name, {settings}), ...].")
        parts = []
        for name, settings in _pairs(spec):
            cls = scheduler_class(name)
            if cls is lr_scheduler.ReduceLROnPlateau:
                raise OptimizerError("ReduceLROnPlateau cannot be chained: it needs the loss; use it alone.")
            parts.append(build_checked(cls, optimizer, _defaults(cls, settings, steps, lr)))
        chained = lr_scheduler.ChainedScheduler(parts, optimizer=optimizer)
        return Schedule(chained, " + ".join(type(p).__name__ for p in parts))
    if callable(spec) and not isinstance(spec, type):
        try:
            scheduler = spec(optimizer, **(kwargs or {}))
        except Exception as error:  # noqa: BLE001 - whatever a factory raises, said in one sentence
            raise OptimizerError(f"The scheduler factory {spec!r} failed: {reason(error)}.") from None
        if not callable(getattr(scheduler, "step", None)):
            raise OptimizerError(f"The scheduler factory {spec!r} returned {type(scheduler).__name__}, not a scheduler.")
        return Schedule(scheduler, type(scheduler).__name__)
    cls = scheduler_class(spec)
    return Schedule(build_checked(cls, optimizer, _defaults(cls, kwargs or {}, steps, lr)), cls.__name__)
