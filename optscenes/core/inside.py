"""Inside the optimizer: the terms of each update rule at one step, computed from the recorded run.

A :class:`Trajectory` keeps torch's own per-parameter state after every step. This module reads it back
as the quantities of the optimizer's update rule (Adam's ``m``, ``v``, bias corrections, ``m_hat``,
``v_hat``, the per-coordinate step size ...), so a picture can show *why* the step went where it went,
and every number it shows is torch's, not a re-implementation's.

Indexing. The step from row ``k`` to row ``k + 1`` is torch's step ``t = k + 1`` (``state["step"]`` when
the optimizer counts steps). ``trajectory.state[name][k + 1]`` is the state *after* that step and
``trajectory.state[name][k]`` the state *before* it (NaN in row 0 when torch creates the state lazily, as
Adam and SGD do; it then starts from zeros). ``trajectory.lr[k + 1]`` is the learning rate the step used.
In the equations ``x_(t-1)`` is ``params[k]`` and ``x_t`` is ``params[k + 1]``.
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from .errors import OptscenesError
from .trajectory import Trajectory

__all__ = [
    "BEATS",
    "Equation",
    "ExplainPlan",
    "Number",
    "Overlay",
    "UpdateTerms",
    "beat_of",
    "format_number",
    "legible_scale",
    "overlay_vectors",
    "plain_math",
    "update_rule",
    "update_terms",
]  # fmt: skip

Value = float | int | np.ndarray


class Number(NamedTuple):
    """One number of a "with numbers" line: its slot, its value and the Typst text shown for it."""

    slot: str
    value: Value
    text: str


@dataclass(frozen=True)
class Equation:
    """One line of an update rule.

    ``template`` is the rule in symbols, as Typst math (typeset once); ``pattern`` is the same line with
    numbers, where each ``{slot}`` is filled from :attr:`UpdateTerms.values`. The last slot is the result
    (after the last ``=``); ``{slot:b}`` marks an operand that needs no parentheses when negative (inside
    ``sqrt(...)``, ``max(...)``).
    """

    defines: str
    template: str
    pattern: str

    @property
    def slots(self) -> tuple[str, ...]:
        """Slot names in the order they appear in the pattern (repeated slots appear each time)."""
        return tuple(field for _, field, _, _ in string.Formatter().parse(self.pattern) if field)

    def numbers(self, terms: UpdateTerms, digits: int = 3, coordinate: int | None = None) -> list[Number]:
        """The pattern's numbers at this step, in order: (slot, value, Typst text).

        ``coordinate`` picks one component of vector quantities; ``None`` shows them whole (as ``vec(...)``
        in 2D, the single component in 1D).
        """
        fields = [(field, spec) for _, field, spec, _ in string.Formatter().parse(self.pattern) if field]
        numbers = []
        for i, (slot, spec) in enumerate(fields):
            value = terms.value(slot, coordinate)
            operand = i < len(fields) - 1 and spec != "b"
            numbers.append(Number(slot, value, format_number(value, digits, operand=operand)))
        return numbers

    def filled(self, terms: UpdateTerms, digits: int = 3, coordinate: int | None = None) -> str:
        """The "with numbers" line as Typst math, e.g. ``m = 0.9 dot (-3.21) + 0.1 dot (-5.97) = -3.49``."""
        texts = iter(number.text for number in self.numbers(terms, digits, coordinate))
        return "".join(
            literal + (next(texts) if field else "") for literal, field, _, _ in string.Formatter().parse(self.pattern)
        )


def format_number(value: Value, digits: int = 3, *, operand: bool = False) -> str:
    """A number as Typst math with ``digits`` significant digits (trailing zeros dropped, as ``%g`` does).

    Integers (the step count ``t``) print whole; large and small numbers as ``1.23 times 10^(-5)``; an
    ``operand`` that is negative or in scientific form is put in parentheses so ``0.9 dot (-3.21)`` and
    ``(-5.97)^2`` read right. Arrays print as ``vec(a, b)`` (a single component as itself).
    """
    if isinstance(value, np.ndarray):
        if value.size == 1:
            return format_number(float(value.reshape(())), digits, operand=operand)
        return "vec(" + ", ".join(format_number(float(v), digits) for v in value) + ")"
    if isinstance(value, int):
        return f"({value})" if operand and value < 0 else str(value)
    if not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("-" if value < 0 else "") + "infinity"
    text = f"{value:.{digits}g}"
    if text in ("-0", "0"):
        return "0"
    scientific = "e" in text
    if scientific:
        mantissa, exponent = text.split("e")
        power = f"10^({int(exponent)})"
        text = power if mantissa in ("1", "-1") else f"{mantissa} times {power}"
        text = "-" + text if mantissa == "-1" else text
    return f"({text})" if operand and (scientific or text.startswith("-")) else text


_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
# Typst words of a "with numbers" line and the glyphs plain text shows for them.
_WORDS = ((" dot ", "·"), (" times ", "·"), ("sqrt", "√"), ("infinity", "∞"), ("-", "−"))


def plain_math(typst: str) -> str:
    """A "with numbers" line as plain text that reads like print: powers as superscripts (``1.48·10³``,
    ``0.9⁵⁰``, ``1.65²``), products as ``·``, roots as ``√``, minus signs as ``−`` (not a hyphen).

    A bare power of ten loses the parentheses :func:`format_number` puts around an operand
    (``+ (10^(-8))`` reads ``+ 10⁻⁸``): a superscript already binds tighter than any operator.

    >>> plain_math("0.25 / (sqrt(1.48 times 10^(3)) + (10^(-8))) = 0.00651")
    '0.25 / (√(1.48·10³) + 10⁻⁸) = 0.00651'
    >>> plain_math("0.9 dot (-3.21) + 0.1 dot 1.65^2")
    '0.9·(−3.21) + 0.1·1.65²'
    """
    text = re.sub(r"\((10\^\(-?\d+\))\)(?!\^)", r"\1", typst)
    text = re.sub(r"\^\((-?\d+)\)|\^(\d+)", lambda m: (m[1] or m[2]).translate(_SUPERSCRIPTS), text)
    for word, glyph in _WORDS:
        text = text.replace(word, glyph)
    return text


@dataclass(frozen=True, eq=False)
class UpdateTerms:
    """The quantities of one step's update rule (row ``k`` to row ``k + 1``), by slot name.

    Every family has ``x_prev`` (``x_k``), ``x`` (``x_{k+1}``, recorded), ``grad`` (the recorded gradient
    at ``x_k``), ``g`` (the gradient the rule uses, after ``maximize`` and coupled weight decay), ``dx``
    (the step taken, recorded), ``lr`` (the step's learning rate) and ``t`` (torch's step count). The rest
    depend on the family (see :func:`update_rule`): torch's state as recorded (``m``, ``v``, ``b``, ``G``,
    ...) and what is derived from it here (``m_hat``, ``v_hat``, ``s``, ``d``, ...).

    ``predicted`` is ``x_{k+1}`` recomputed from these terms; :attr:`consistent` says it equals the
    recorded ``x_{k+1}`` to the run's float precision, i.e. the rule shown is the rule torch ran.
    """

    k: int
    optimizer: str
    family: str
    values: Mapping[str, Value]
    predicted: np.ndarray
    tolerance: float

    def value(self, slot: str, coordinate: int | None = None) -> Value:
        """A slot's value, or one component of it (a 1D run's vectors give their one component)."""
        value = self.values[slot]
        if isinstance(value, np.ndarray) and value.ndim == 1 and (coordinate is not None or value.size == 1):
            return float(value[coordinate or 0])
        return value

    @property
    def grad(self) -> np.ndarray:
        return np.asarray(self.values["grad"])

    @property
    def step(self) -> np.ndarray:
        """The step actually taken, ``x_{k+1} - x_k``."""
        return np.asarray(self.values["dx"])

    @property
    def lr(self) -> float:
        return float(self.values["lr"])

    @property
    def residual(self) -> float:
        """Largest difference between the recomputed and the recorded ``x_{k+1}``."""
        return float(np.max(np.abs(self.predicted - np.asarray(self.values["x"]))))

    @property
    def consistent(self) -> bool:
        return self.residual <= self.tolerance


# --- the rules, per family ------------------------------------------------------------------------


def _family(optimizer: str, hyper: Mapping[str, Any]) -> str:
    """Which rule a torch optimizer runs; unknown classes (and subclasses under their own name) are generic."""
    if optimizer == "SGD":
        if not hyper.get("momentum"):
            return "sgd"
        return "nesterov" if hyper.get("nesterov") else "momentum"
    if optimizer in ("Adam", "AdamW"):
        decoupled = hyper.get("decoupled_weight_decay", optimizer == "AdamW")
        return "adamw" if decoupled and hyper.get("weight_decay") else "adam"
    return {"RMSprop": "rmsprop", "Adagrad": "adagrad"}.get(optimizer, "generic")


def _gradient_equations(family: str, hyper: Mapping[str, Any]) -> list[Equation]:
    """The line that turns the gradient into the ``g`` the rule uses, if anything changes it."""
    sign = "-" if hyper.get("maximize") else ""
    coupled = bool(hyper.get("weight_decay")) and family not in ("adamw", "generic")
    if family == "generic" or not (sign or coupled):
        return []
    decay = (" + lambda x_(t-1)", " + {wd} dot {x_prev}") if coupled else ("", "")
    return [Equation("g", f"g_t = {sign}nabla f(x_(t-1)){decay[0]}", f"g = {sign}{{grad}}{decay[1]} = {{g}}")]


def _descent(slot: str, symbol: str) -> Equation:
    return Equation("x", f"x_t = x_(t-1) - eta {symbol}", f"x = {{x_prev}} - {{lr}} dot {{{slot}}} = {{x}}")


def _sgd_rule(family: str, hyper: Mapping[str, Any]) -> list[Equation]:
    if family == "sgd":
        return [_descent("g", "g_t")]
    if hyper.get("dampening"):
        # torch starts the buffer at b_1 = g_1: the coefficient slot c is 1 at t = 1, 1 - tau after.
        momentum = Equation(
            "b", "b_t = mu b_(t-1) + (1 - tau) g_t, quad b_1 = g_1", "b = {mu} dot {b_prev} + {c} dot {g} = {b}"
        )
    else:
        momentum = Equation("b", "b_t = mu b_(t-1) + g_t", "b = {mu} dot {b_prev} + {g} = {b}")
    if family == "momentum":
        return [momentum, _descent("b", "b_t")]
    return [momentum, Equation("d", "d_t = g_t + mu b_t", "d = {g} + {mu} dot {b} = {d}"), _descent("d", "d_t")]


def _adam_rule(family: str, hyper: Mapping[str, Any]) -> list[Equation]:
    amsgrad = bool(hyper.get("amsgrad"))
    second = "v_t^max" if amsgrad else "v_t"
    rule = [
        Equation(
            "m", "m_t = beta_1 m_(t-1) + (1 - beta_1) g_t", "m = {beta1} dot {m_prev} + {one_minus_beta1} dot {g} = {m}"
        ),
        Equation(
            "v",
            "v_t = beta_2 v_(t-1) + (1 - beta_2) g_t^2",
            "v = {beta2} dot {v_prev} + {one_minus_beta2} dot {g}^2 = {v}",
        ),
    ]
    if amsgrad:
        rule.append(Equation("vmax", "v_t^max = max(v_(t-1)^max, v_t)", "v^max = max({vmax_prev:b}, {v:b}) = {vmax}"))
    rule += [
        Equation("m_hat", "hat(m)_t = m_t / (1 - beta_1^t)", "hat(m) = {m} / (1 - {beta1}^{t}) = {m_hat}"),
        Equation(
            "v_hat", f"hat(v)_t = {second} / (1 - beta_2^t)",
            f"hat(v) = {{{'vmax' if amsgrad else 'v'}}} / (1 - {{beta2}}^{{t}}) = {{v_hat}}",
        ),
        Equation("s", "s_t = eta / (sqrt(hat(v)_t) + epsilon)", "s = {lr} / (sqrt({v_hat:b}) + {eps}) = {s}"),
    ]  # fmt: skip
    if family == "adamw":
        rule.append(Equation(
            "x", "x_t = (1 - eta lambda) x_(t-1) - s_t hat(m)_t",
            "x = (1 - {lr} dot {wd}) dot {x_prev} - {s} dot {m_hat} = {x}",
        ))  # fmt: skip
    else:
        rule.append(Equation("x", "x_t = x_(t-1) - s_t hat(m)_t", "x = {x_prev} - {s} dot {m_hat} = {x}"))
    return rule


def _rmsprop_rule(family: str, hyper: Mapping[str, Any]) -> list[Equation]:
    rule = [
        Equation(
            "v",
            "v_t = alpha v_(t-1) + (1 - alpha) g_t^2",
            "v = {alpha} dot {v_prev} + {one_minus_alpha} dot {g}^2 = {v}",
        )
    ]
    if hyper.get("centered"):
        rule += [
            Equation(
                "gbar", "overline(g)_t = alpha overline(g)_(t-1) + (1 - alpha) g_t",
                "overline(g) = {alpha} dot {gbar_prev} + {one_minus_alpha} dot {g} = {gbar}",
            ),
            Equation("d", "d_t = sqrt(v_t - overline(g)_t^2) + epsilon", "d = sqrt({v} - {gbar}^2) + {eps} = {d}"),
        ]  # fmt: skip
    else:
        rule.append(Equation("d", "d_t = sqrt(v_t) + epsilon", "d = sqrt({v:b}) + {eps} = {d}"))
    if hyper.get("momentum"):
        return [
            *rule,
            Equation("b", "b_t = mu b_(t-1) + g_t / d_t", "b = {mu} dot {b_prev} + {g} / {d} = {b}"),
            _descent("b", "b_t"),
        ]
    return [*rule, Equation("x", "x_t = x_(t-1) - eta g_t / d_t", "x = {x_prev} - {lr} dot {g} / {d} = {x}")]


def _adagrad_rule(family: str, hyper: Mapping[str, Any]) -> list[Equation]:
    rule = []
    if hyper.get("lr_decay"):
        rule.append(
            Equation(
                "clr", "eta_t = eta / (1 + (t - 1) sigma)", "eta_t = {lr} / (1 + ({t} - 1) dot {lr_decay}) = {clr}"
            )
        )
    eta = "eta_t" if hyper.get("lr_decay") else "eta"
    return [
        *rule,
        Equation("G", "G_t = G_(t-1) + g_t^2", "G = {G_prev} + {g}^2 = {G}"),
        Equation(
            "x",
            f"x_t = x_(t-1) - {eta} g_t / (sqrt(G_t) + epsilon)",
            "x = {x_prev} - {clr} dot {g} / (sqrt({G:b}) + {eps}) = {x}",
        ),
    ]


def _generic_rule(family: str, hyper: Mapping[str, Any]) -> list[Equation]:
    return [Equation("x", "x_t = x_(t-1) + Delta x_t", "x = {x_prev} + {dx} = {x}")]


_RULES: dict[str, Callable[[str, Mapping[str, Any]], list[Equation]]] = {
    "sgd": _sgd_rule, "momentum": _sgd_rule, "nesterov": _sgd_rule, "adam": _adam_rule, "adamw": _adam_rule,
    "rmsprop": _rmsprop_rule, "adagrad": _adagrad_rule, "generic": _generic_rule,
}  # fmt: skip


def update_rule(optimizer: str, hyperparameters: Mapping[str, Any]) -> list[Equation]:
    """The update equations of a torch optimizer as built (``Trajectory.optimizer``, ``.hyperparameters``).

    SGD (with weight decay, momentum, dampening, Nesterov), Adam and AdamW (with amsgrad), RMSprop (centered,
    momentum), Adagrad (lr_decay); any other optimizer gets the generic ``x_t = x_(t-1) + Delta x_t``.
    ``maximize`` and coupled weight decay add a first line for ``g_t``.

    >>> [e.template for e in update_rule("SGD", {"momentum": 0.9, "dampening": 0})]
    ['b_t = mu b_(t-1) + g_t', 'x_t = x_(t-1) - eta b_t']
    """
    family = _family(optimizer, hyperparameters)
    return _gradient_equations(family, hyperparameters) + _RULES[family](family, hyperparameters)


# --- the terms, from the recorded state -----------------------------------------------------------


class _Step:
    """The recorded data around one step, for the family functions below."""

    def __init__(self, trajectory: Trajectory, k: int) -> None:
        self.trajectory, self.k = trajectory, k
        self.hyper = trajectory.hyperparameters

    def after(self, name: str) -> np.ndarray:
        return np.asarray(self.trajectory.state[name][self.k + 1], dtype=float)

    def before(self, name: str, initial: float = 0.0) -> np.ndarray:
        """The state before the step; torch's initial value where it did not exist yet."""
        column = self.trajectory.state.get(name)
        previous = np.full(self.trajectory.dim, np.nan) if column is None else np.asarray(column[self.k], dtype=float)
        return np.where(np.isnan(previous), initial, previous)

    def hyper_float(self, name: str, default: float = 0.0) -> float:
        return float(self.hyper.get(name) or default)


def _sgd_terms(step: _Step, v: dict[str, Value]) -> np.ndarray:
    g, lr = np.asarray(v["g"]), float(v["lr"])
    if "momentum_buffer" not in step.trajectory.state:
        return np.asarray(v["x_prev"]) - lr * g
    mu = v["mu"] = step.hyper_float("momentum")
    v["b_prev"], v["b"] = step.before("momentum_buffer"), step.after("momentum_buffer")
    first = bool(np.isnan(step.trajectory.state["momentum_buffer"][step.k]).all())  # torch starts with b_1 = g_1
    v["c"] = 1.0 if first else 1 - step.hyper_float("dampening")
    direction = v["b"]
    if step.hyper.get("nesterov"):
        direction = v["d"] = g + mu * np.asarray(v["b"])
    return np.asarray(v["x_prev"]) - lr * np.asarray(direction)


def _adam_terms(step: _Step, v: dict[str, Value]) -> np.ndarray:
    beta1, beta2 = (float(b) for b in step.hyper["betas"])
    t = int(v["t"])
    v.update(
        beta1=beta1, beta2=beta2, one_minus_beta1=1 - beta1, one_minus_beta2=1 - beta2, eps=step.hyper_float("eps")
    )
    v["m_prev"], v["m"] = step.before("exp_avg"), step.after("exp_avg")
    v["v_prev"], v["v"] = step.before("exp_avg_sq"), step.after("exp_avg_sq")
    second = v["v"]
    if step.hyper.get("amsgrad"):
        v["vmax_prev"], v["vmax"] = step.before("max_exp_avg_sq"), step.after("max_exp_avg_sq")
        second = v["vmax"]
    v["bc1"], v["bc2"] = 1 - beta1**t, 1 - beta2**t
    m_hat = v["m_hat"] = np.asarray(v["m"]) / v["bc1"]
    v_hat = v["v_hat"] = np.asarray(second) / v["bc2"]
    s = v["s"] = float(v["lr"]) / (np.sqrt(v_hat) + float(v["eps"]))
    x_prev = np.asarray(v["x_prev"])
    if _family(step.trajectory.optimizer, step.hyper) == "adamw":
        x_prev = x_prev * (1 - float(v["lr"]) * float(v["wd"]))
    return x_prev - s * m_hat


def _rmsprop_terms(step: _Step, v: dict[str, Value]) -> np.ndarray:
    alpha = v["alpha"] = step.hyper_float("alpha")
    v["one_minus_alpha"], v["eps"] = 1 - alpha, step.hyper_float("eps")
    v["v_prev"], v["v"] = step.before("square_avg"), step.after("square_avg")
    square = np.asarray(v["v"])
    if step.hyper.get("centered"):
        v["gbar_prev"], v["gbar"] = step.before("grad_avg"), step.after("grad_avg")
        square = square - np.asarray(v["gbar"]) ** 2
    d = v["d"] = np.sqrt(square) + float(v["eps"])
    direction = np.asarray(v["g"]) / d
    if step.hyper.get("momentum"):
        v["mu"] = step.hyper_float("momentum")
        v["b_prev"], v["b"] = step.before("momentum_buffer"), step.after("momentum_buffer")
        direction = np.asarray(v["b"])
    return np.asarray(v["x_prev"]) - float(v["lr"]) * direction


def _adagrad_terms(step: _Step, v: dict[str, Value]) -> np.ndarray:
    v["lr_decay"], v["eps"] = step.hyper_float("lr_decay"), step.hyper_float("eps")
    clr = v["clr"] = float(v["lr"]) / (1 + (int(v["t"]) - 1) * float(v["lr_decay"]))
    v["G_prev"] = step.before("sum", step.hyper_float("initial_accumulator_value"))
    G = v["G"] = step.after("sum")
    return np.asarray(v["x_prev"]) - clr * np.asarray(v["g"]) / (np.sqrt(G) + float(v["eps"]))


def _generic_terms(step: _Step, v: dict[str, Value]) -> np.ndarray:
    return np.asarray(v["x_prev"]) + np.asarray(v["dx"])


_TERMS: dict[str, Callable[[_Step, dict[str, Value]], np.ndarray]] = {
    "sgd": _sgd_terms, "momentum": _sgd_terms, "nesterov": _sgd_terms, "adam": _adam_terms, "adamw": _adam_terms,
    "rmsprop": _rmsprop_terms, "adagrad": _adagrad_terms, "generic": _generic_terms,
}  # fmt: skip

#: Relative precision of a recorded run, to check a recomputed step against the recorded one.
_PRECISION = {"float64": 1e-12, "float32": 1e-5, "float16": 2e-3, "bfloat16": 2e-2}


def update_terms(trajectory: Trajectory, k: int) -> UpdateTerms:
    """The terms of the step from row ``k`` to row ``k + 1``, from the recorded state and hyperparameters.

    Raises
    ------
    OptscenesError
        If ``k`` is not a step of the run (``0 <= k < trajectory.steps``).
    """
    if not 0 <= k < trajectory.steps:
        raise OptscenesError(f"Step {k} is not in this run: it has steps 0 to {trajectory.steps - 1}.")
    step, hyper = _Step(trajectory, k), trajectory.hyperparameters
    family = _family(trajectory.optimizer, hyper)
    x_prev, x = trajectory.params[k].astype(float), trajectory.params[k + 1].astype(float)
    grad = trajectory.grads[k].astype(float)
    counts = trajectory.state.get("step")
    t = int(counts[k + 1]) if counts is not None and np.isfinite(counts[k + 1]) else k + 1
    wd = float(hyper.get("weight_decay") or 0.0)
    g = -grad if hyper.get("maximize") else grad
    if wd and family not in ("adamw", "generic"):
        g = g + wd * x_prev
    values: dict[str, Value] = {
        "x_prev": x_prev,
        "x": x,
        "dx": x - x_prev,
        "grad": grad,
        "g": g,
        "lr": float(trajectory.lr[k + 1]),
        "t": t,
        "wd": wd,
    }
    predicted = _TERMS[family](step, values)
    scale = float(np.max(np.abs(x_prev)) + np.max(np.abs(x - x_prev))) + 1e-300
    tolerance = _PRECISION.get(trajectory.dtype, 1e-5) * scale
    return UpdateTerms(k, trajectory.optimizer, family, values, predicted, tolerance)


# --- overlays -------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Overlay:
    """The arrows of one step in the function's coordinates, all starting at ``point`` (``x_k``).

    ``gradient_arrows`` are in gradient units (``-grad``, ``-moment``): scale them together with
    :func:`legible_scale` and state the scale. ``position_arrows`` are true displacements (``-lr * grad``,
    the step taken): draw them as they are. ``step_size`` is Adam's per-coordinate ``lr / (sqrt(v_hat) + eps)``
    (None for other optimizers); ``moment`` is the recorded momentum or first moment after the step (None if
    the optimizer keeps none), described by ``moment_note``.
    """

    point: np.ndarray
    value: float
    gradient: np.ndarray
    step: np.ndarray
    lr: float
    moment: np.ndarray | None
    moment_note: str
    step_size: np.ndarray | None

    @property
    def gradient_arrows(self) -> dict[str, np.ndarray]:
        arrows = {"-grad": -self.gradient}
        if self.moment is not None:
            arrows["-moment"] = -self.moment
        return arrows

    @property
    def position_arrows(self) -> dict[str, np.ndarray]:
        """True displacements: ``-lr * grad``, the step taken and, with a moment, ``-lr * moment`` (the
        moment scaled by the learning rate, so it is in x units; a plain momentum step is exactly it)."""
        arrows = {"-lr*grad": -self.lr * self.gradient, "step": self.step}
        if self.moment is not None:
            arrows["-lr*moment"] = -self.lr * self.moment
        return arrows

    def tangent(self, length: float, units: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
        """The ends of the tangent line of a 1D run at the dot, ``length`` long on screen and centred on it.

        ``units`` are the screen lengths of one unit of x and of f(x): the slope (the recorded gradient)
        is the same in the picture whatever the axes' scales.
        """
        unit_x, unit_y = units
        slope = float(self.gradient[0])
        half = 0.5 * length / math.hypot(unit_x, slope * unit_y)
        x, y = float(self.point[0]), self.value
        return np.array([x - half, y - slope * half]), np.array([x + half, y + slope * half])


_MOMENTS = {
    "momentum_buffer": "momentum buffer b_t (torch's momentum_buffer): the velocity; a plain momentum step is -lr b_t",
    "exp_avg": "first moment m_t (torch's exp_avg): the running average of the gradient, before bias correction",
}


def overlay_vectors(trajectory: Trajectory, k: int) -> Overlay:
    """The overlay arrows of the step from row ``k`` to row ``k + 1`` (any dimension; drawn in 1D and 2D)."""
    terms = update_terms(trajectory, k)
    name = "momentum_buffer" if trajectory.optimizer == "SGD" else "exp_avg"
    moment = None
    if name in trajectory.state and np.all(np.isfinite(trajectory.state[name][k + 1])):
        moment = np.asarray(trajectory.state[name][k + 1], dtype=float)
    step_size = np.asarray(terms.values["s"]) if terms.family in ("adam", "adamw") else None
    return Overlay(
        point=trajectory.params[k].astype(float), value=float(trajectory.losses[k]), gradient=terms.grad,
        step=terms.step, lr=terms.lr, moment=moment, moment_note=_MOMENTS[name] if moment is not None else "",
        step_size=step_size,
    )  # fmt: skip


def legible_scale(vectors: Iterable[np.ndarray], view_size: float | np.ndarray, fraction: float = 0.25) -> float:
    """One round factor (1, 2 or 5 times a power of ten) so the longest arrow is about ``fraction`` of the view.

    ``view_size`` is the view's extent in the function's coordinates, one number or one per axis (then each
    arrow is measured in view units). Returns 1 when there is no finite, non-zero arrow. The picture states
    the factor, e.g. "arrows x 0.05".

    >>> legible_scale([np.array([30.0, 40.0])], 10.0)
    0.05
    """
    size = np.asarray(view_size, dtype=float)
    lengths = [float(np.linalg.norm(np.asarray(v, dtype=float) / size)) for v in vectors]
    longest = max((n for n in lengths if math.isfinite(n) and n > 0), default=0.0)
    if longest == 0.0:
        return 1.0
    wanted = math.log10(fraction / longest)
    decade = math.floor(wanted)
    candidates = [m * 10.0**e for e in (decade, decade + 1) for m in (1, 2, 5)]
    best = min(candidates, key=lambda c: abs(math.log10(c) - wanted))
    return float(f"{best:.1g}")


# --- explaining: the first steps in beats ---------------------------------------------------------

#: The beats of an explained step, in order: the gradient, then the moment (the optimizer's state and
#: what is derived from it), then the step taken.
BEATS = ("gradient", "moment", "step")


def beat_of(equation: Equation) -> int:
    """The beat at which an equation's numbers appear (an index into :data:`BEATS`): the line for ``g`` with
    the gradient, the line for ``x`` with the step, every other line (moments, bias corrections, step sizes)
    with the moment."""
    return {"g": 0, "x": 2}.get(equation.defines, 1)


@dataclass(frozen=True)
class ExplainPlan:
    """The frame contract of ``explain_steps = k`` (the plain one is :class:`~optscenes.core.timing.FramePlan`).

    After the start hold (``plan.start_frames`` frames, step 0 with nothing of its update shown yet), each of
    the steps 0 to ``explained - 1`` is shown in ``len(BEATS)`` beats of ``beat_frames`` frames each: the
    gradient, then the moment, then the step; each beat keeps what the earlier ones showed. Then the steps
    from ``explained`` on play as in ``plan`` (``plan.frames_per_step`` frames a shown step, every
    ``plan.show_every``-th step and the last), and the last step is held ``plan.hold_frames`` frames.
    ``moment_at(i)`` is what frame ``i`` of the replay (after the start hold) shows: a step and how many
    beats of it (``len(BEATS)``: all of it).

    >>> from optscenes.core.timing import frame_plan
    >>> p = ExplainPlan(frame_plan(10, 15, 1 / 15), explained=2, beat_frames=15)
    >>> p.replay_frames, p.moment_at(0), p.moment_at(15), p.moment_at(89), p.moment_at(90), p.moment_at(200)
    (99, (0, 1), (0, 2), (1, 3), (2, 3), (10, 3))
    """

    plan: Any  # FramePlan
    explained: int
    beat_frames: int

    def __post_init__(self) -> None:
        if not 0 <= self.explained <= self.plan.steps:
            raise OptscenesError(
                f"explain_steps = {self.explained} is more than the run's {self.plan.steps} steps: give at most "
                f"{self.plan.steps}."
            )

    @property
    def explain_frames(self) -> int:
        return self.explained * len(BEATS) * self.beat_frames

    @property
    def rest_shown(self) -> int:
        """How many steps play at the normal pace: ``explained``, then every ``show_every``-th and the last."""
        return -(-(self.plan.steps - self.explained) // self.plan.show_every) + 1

    @property
    def replay_frames(self) -> int:
        return self.explain_frames + self.rest_shown * self.plan.frames_per_step

    @property
    def frame_rate(self) -> float:
        return self.plan.frame_rate

    @property
    def total_frames(self) -> int:
        return self.plan.start_frames + self.replay_frames + self.plan.hold_frames

    def moment_at(self, frame: int) -> tuple[int, int]:
        frame = max(frame, 0)
        if frame < self.explain_frames:
            beat = frame // self.beat_frames
            return beat // len(BEATS), beat % len(BEATS) + 1
        rest = (frame - self.explain_frames) // self.plan.frames_per_step
        return min(self.explained + rest * self.plan.show_every, self.plan.steps), len(BEATS)
