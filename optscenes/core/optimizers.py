"""``torch.optim`` optimizers by name or class, built with their settings checked by name first."""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

from .errors import OptimizerError

if TYPE_CHECKING:
    import torch

__all__ = [
    "OptimizerSpec", "build_checked", "make_optimizer", "optimizer_class", "optimizer_names", "reason", "step_failure",
]  # fmt: skip

#: What names an optimizer: a ``torch.optim`` class name (any case), an ``Optimizer`` subclass, or a
#: factory called as ``factory([param], lr=..., **settings)``.
OptimizerSpec: TypeAlias = "str | type[torch.optim.Optimizer] | Callable[..., torch.optim.Optimizer]"

# Optimizers torch ships that cannot run on one dense parameter, and why.
_REFUSED = {
    "SparseAdam": "SparseAdam only accepts sparse gradients, and the gradient of a formula is dense",
    "Muon": "Muon only optimizes 2-D weight matrices, and a formula's parameter is a vector",
}


def optimizer_names() -> list[str]:
    """Names of the ``torch.optim`` optimizers that ``optimize`` accepts, as torch spells them."""
    import torch

    return sorted(
        name
        for name, obj in vars(torch.optim).items()
        if isinstance(obj, type) and issubclass(obj, torch.optim.Optimizer)
        and obj is not torch.optim.Optimizer and name not in _REFUSED
    )  # fmt: skip


def optimizer_class(spec: str | type) -> type[torch.optim.Optimizer]:
    """The optimizer class for a name (case-insensitive: ``"adam"``, ``"AdamW"``) or a class.

    Raises
    ------
    OptimizerError
        For an unknown name (with the closest valid names) or a class that is not an optimizer.
    """
    import torch

    if isinstance(spec, type):
        if spec.__name__ in _REFUSED and spec.__module__.startswith("torch.optim"):
            raise OptimizerError(f"{spec.__name__} cannot be used here: {_REFUSED[spec.__name__]}.")
        if issubclass(spec, torch.optim.Optimizer):
            return spec
        raise OptimizerError(f"{spec.__name__} is not a torch.optim.Optimizer subclass.")
    if not isinstance(spec, str):
        raise OptimizerError(f"An optimizer is a name such as 'adam' or an Optimizer class, not {spec!r}.")
    key = spec.strip().lower()
    for name, reason in _REFUSED.items():
        if key == name.lower():
            raise OptimizerError(f"{name} cannot be used here: {reason}.")
    names = optimizer_names()
    by_key = {name.lower(): name for name in names}
    if key in by_key:
        cls: type[torch.optim.Optimizer] = getattr(torch.optim, by_key[key])
        return cls
    close = difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(by_key[c] for c in close)}?" if close else f"known: {', '.join(names)}."
    raise OptimizerError(f"Unknown optimizer {spec!r}; {hint}")


def build_checked(cls: type, first: Any, kwargs: dict[str, Any], hints: dict[str, str] | None = None) -> Any:
    """``cls(first, **kwargs)`` for an optimizer or scheduler class, with an unknown keyword named in one
    sentence (with the closest accepted one, or the one ``hints`` maps it to) and torch's refusal too."""
    parameters = inspect.signature(cls).parameters  # without self
    accepted = [p for p in list(parameters)[1:] if parameters[p].kind is not inspect.Parameter.VAR_KEYWORD]
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    unknown = [k for k in kwargs if k not in accepted]
    if unknown and not takes_any:
        close = [hints[unknown[0]]] if hints and unknown[0] in hints else difflib.get_close_matches(unknown[0], accepted, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise OptimizerError(f"{cls.__name__} has no setting {unknown[0]!r}{hint}; it accepts {', '.join(accepted)}.")
    _refuse_text(cls, parameters, kwargs)
    try:
        return cls(first, **kwargs)
    except Exception as error:  # noqa: BLE001 - torch checks with asserts and indexing too (betas=(0.9,))
        culprit = _culprit(lambda settings: cls(first, **settings), kwargs)
        setting = _setting(cls, culprit, kwargs)
        raise OptimizerError(f"{cls.__name__} refused its settings{setting}: {reason(error)}.") from None


def step_failure(opt: torch.optim.Optimizer, step: int, error: Exception, kwargs: dict[str, Any]) -> OptimizerError:
    """The sentence for an optimizer whose ``step`` raised ``error`` at step ``step``: with the setting
    without which one step succeeds (on a plain quadratic) when there is one, such as ``capturable=True``."""
    cls = type(opt)
    start = opt.param_groups[0]["params"][0].detach()

    def one_step(settings: dict[str, Any]) -> None:
        scratch = start.clone().requires_grad_(True)
        trial = cls([scratch], **settings)

        def closure() -> torch.Tensor:
            trial.zero_grad()
            loss = (scratch**2).sum()
            loss.backward()
            return loss

        trial.step(closure)  # type: ignore[arg-type]  # a loss tensor, as torch's docs do

    setting = _setting(cls, _culprit(one_step, kwargs), kwargs)
    return OptimizerError(f"{cls.__name__} failed at step {step}{setting}: {reason(error)}.")


def reason(error: BaseException) -> str:
    """What an error says, on one line and without its final full stop; its type when it says nothing."""
    return " ".join(str(error).split()).rstrip(".") or type(error).__name__


def _culprit(attempt: Callable[[dict[str, Any]], Any], kwargs: dict[str, Any]) -> str | None:
    """The first setting without which ``attempt`` succeeds, when it fails with all of them."""
    if _succeeds(attempt, kwargs):
        return None  # the failure needs more than one step, or more than the settings: no one to blame
    return next((name for name in kwargs if _succeeds(attempt, {k: v for k, v in kwargs.items() if k != name})), None)


def _succeeds(attempt: Callable[[dict[str, Any]], Any], settings: dict[str, Any]) -> bool:
    try:
        attempt(settings)
    except Exception:  # noqa: BLE001 - any failure counts
        return False
    return True


def _setting(cls: type, name: str | None, kwargs: dict[str, Any]) -> str:
    """The setting to blame, with the class's default for it when it has one: `` (betas=(0.9,), default
    (0.9, 0.999))``; nothing without one."""
    if name is None:
        return ""
    default = getattr(inspect.signature(cls).parameters.get(name), "default", inspect.Parameter.empty)
    return f" ({name}={kwargs[name]!r}" + (f", default {default!r})" if default is not inspect.Parameter.empty else ")")


def _refuse_text(cls: type, parameters: Any, kwargs: dict[str, Any]) -> None:
    """Text is never a number or a flag here, as in the settings: torch would compare it (``momentum="0.9"``)
    or take any text as true (``amsgrad="False"``)."""
    for name, value in kwargs.items():
        text = next((v for v in (value if isinstance(value, tuple | list) else (value,)) if isinstance(v, str)), None)
        default = parameters[name].default if name in parameters else None
        numbers = default if isinstance(default, tuple) else (default,)
        if text is None or default is None or default is inspect.Parameter.empty:
            continue
        if isinstance(default, bool):
            raise OptimizerError(f"{cls.__name__}'s {name} must be True or False, not the text {text!r}.")
        if all(isinstance(d, int | float) and not isinstance(d, bool) for d in numbers):
            raise OptimizerError(f"{cls.__name__}'s {name} must be a number, not the text {text!r}.")


def make_optimizer(
    spec: OptimizerSpec, param: torch.Tensor, lr: float | None, kwargs: dict[str, Any], hints: dict[str, str] | None = None
) -> torch.optim.Optimizer:
    """The optimizer ``spec`` names, built on ``[param]`` with ``lr`` (when given) and ``kwargs``."""
    import torch

    if callable(spec) and not isinstance(spec, type | str):
        # A factory, e.g. functools.partial(ThirdPartyOptimizer, lr=0.1), called with the parameter list.
        factory: Callable[..., Any] = spec
        try:
            opt = factory([param], **({"lr": lr} if lr is not None else {}), **kwargs)
        except Exception as error:  # noqa: BLE001 - whatever a factory raises, said in one sentence
            raise OptimizerError(f"The optimizer factory {spec!r} failed: {reason(error)}.") from None
        if not isinstance(opt, torch.optim.Optimizer):
            raise OptimizerError(f"The optimizer factory {spec!r} returned {type(opt).__name__}, not an Optimizer.")
        return opt
    settings = dict(kwargs)
    if lr is not None:
        settings["lr"] = lr
    built: torch.optim.Optimizer = build_checked(optimizer_class(spec), [param], settings, hints)
    return built
