"""The function being minimised, evaluated with torch (differentiably) or numpy.

Evaluation walks the sympy tree once to build plain closures over torch or numpy functions, so no
generated code is executed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import sympy

from .catalogue import TestFunction, lookup, lookup_formula
from .errors import ObjectiveError
from .formula import VARIABLES, order_symbols, parse_formula, unicode_formula

__all__ = ["Objective"]


class Objective:
    """A real function of one or two variables (x, or x and y, in that order).

    Parameters
    ----------
    formula
        Text such as ``"(6*x-2)^2*sin(12*x-4)"`` (``^`` means power), a sympy expression, or the name of
        a classic test function (``"rosenbrock"``, ``"himmelblau"``, ...; see :mod:`optscenes.catalogue`).

    Raises
    ------
    ObjectiveError
        When the text is empty, is not a formula, or uses a name or construct outside the whitelist.

    Examples
    --------
    >>> f = Objective("(6*x-2)^2*sin(12*x-4)")
    >>> f.variables
    ('x',)
    >>> round(f.value(0.0), 6)
    3.02721
    """

    def __init__(self, formula: str | sympy.Expr) -> None:
        if isinstance(formula, Objective):
            formula = formula.expr
        if isinstance(formula, sympy.Basic):
            expr = sympy.sympify(formula)
            symbols = order_symbols(expr)
            text = str(expr)
        elif isinstance(formula, str):
            by_name = lookup(formula)
            text = by_name.formula if by_name is not None else formula.strip()
            expr, symbols = parse_formula(text)
        else:
            raise ObjectiveError(
                f"A formula must be text or a sympy expression, not {type(formula).__name__}."
            )
        if len(symbols) > len(VARIABLES):
            names = ", ".join(s.name for s in symbols)
            raise ObjectiveError(f"The formula uses {len(symbols)} variables ({names}); at most two are supported.")
        if not symbols:
            symbols = (sympy.Symbol("x", real=True),)
        self.formula: str = text
        #: The catalogue entry when the formula is one, by name (``"rosenbrock"``) or written out, else ``None``.
        self.named: TestFunction | None = lookup_formula(text)
        self.expr: sympy.Expr = expr
        self.symbols: tuple[sympy.Symbol, ...] = symbols
        self._torch: Callable[[list[Any]], Any] | None = None
        self._numpy = _compile(expr, symbols, _Backend(np, 0))

    @property
    def variables(self) -> tuple[str, ...]:
        """Names of the variables, in the order of a point's coordinates."""
        return tuple(s.name for s in self.symbols)

    @property
    def dim(self) -> int:
        """Number of variables (1 or 2)."""
        return len(self.symbols)

    @property
    def latex(self) -> str:
        """The formula as LaTeX, e.g. ``\\left(6 x - 2\\right)^{2} \\sin{\\left(12 x - 4 \\right)}``."""
        return sympy.latex(self.expr)

    @property
    def pretty(self) -> str:
        """The formula on one line with Unicode signs, readable without LaTeX: ``(6x − 2)² · sin(12x − 4)``."""
        return unicode_formula(self.formula)

    def __repr__(self) -> str:
        return f"Objective({self.formula!r})"

    def torch(self, params: Any) -> Any:
        """Evaluate on a torch tensor of shape ``(dim,)``, differentiably; returns a 0-d tensor."""
        if self._torch is None:
            import torch

            self._torch = _compile(self.expr, self.symbols, _Backend(torch, 1))
        out = self._torch([params[i] for i in range(self.dim)])
        if not self.expr.free_symbols:
            # A constant still has to be a tensor that depends on the parameters (gradient zero).
            out = params.sum() * 0 + out
        return out

    def numpy(self, *coords: Any) -> np.ndarray:
        """Evaluate elementwise on numpy arrays (one per variable); undefined points give NaN."""
        arrays = [np.asarray(c, dtype=float) for c in coords]
        if len(arrays) != self.dim:
            raise ObjectiveError(f"{self.formula!r} takes {self.dim} coordinate(s), not {len(arrays)}.")
        with np.errstate(all="ignore"):
            out = self._numpy(arrays)
            return np.broadcast_to(np.asarray(out, dtype=float), np.broadcast(*arrays).shape).copy()

    def overflows(self, point: float | Sequence[float]) -> bool:
        """Whether computing the value at one point goes beyond float64's range (``exp(1000)``), as opposed
        to being undefined there (``log(-1)``, ``1/0``)."""
        coords = [np.asarray(c, dtype=float) for c in np.atleast_1d(np.asarray(point, dtype=float))]
        with np.errstate(all="ignore", over="raise"):
            try:
                self._numpy(coords)
            except FloatingPointError:
                return True
        return False

    def value(self, point: float | Sequence[float]) -> float:
        """The value at one point, in float64."""
        return float(self.numpy(*np.atleast_1d(np.asarray(point, dtype=float))))

    def gradient(self, point: float | Sequence[float]) -> np.ndarray:
        """The gradient at one point by torch autograd in float64, shape ``(dim,)``."""
        import torch

        params = torch.tensor(np.atleast_1d(np.asarray(point, dtype=float)), dtype=torch.float64, requires_grad=True)
        (grad,) = torch.autograd.grad(self.torch(params), params)
        return grad.numpy()


# --- evaluation -------------------------------------------------------------------------------


# sympy function -> (numpy name, torch name); the two libraries name the inverse functions differently.
_LIBRARY_NAMES: dict[Any, tuple[str, str]] = {
    sympy.sin: ("sin", "sin"), sympy.cos: ("cos", "cos"), sympy.tan: ("tan", "tan"),
    sympy.asin: ("arcsin", "asin"), sympy.acos: ("arccos", "acos"), sympy.atan: ("arctan", "atan"),
    sympy.sinh: ("sinh", "sinh"), sympy.cosh: ("cosh", "cosh"), sympy.tanh: ("tanh", "tanh"),
    sympy.asinh: ("arcsinh", "asinh"), sympy.acosh: ("arccosh", "acosh"), sympy.atanh: ("arctanh", "atanh"),
    sympy.exp: ("exp", "exp"), sympy.log: ("log", "log"), sympy.Abs: ("abs", "abs"), sympy.sign: ("sign", "sign"),
    sympy.atan2: ("arctan2", "atan2"),
}  # fmt: skip


class _Backend:
    """The functions one array library offers for evaluating a formula."""

    def __init__(self, module: Any, which: int) -> None:
        """``which`` picks the column of ``_LIBRARY_NAMES``: 0 for numpy, 1 for torch."""
        self.functions = {f: getattr(module, names[which]) for f, names in _LIBRARY_NAMES.items()}
        self.minimum, self.maximum, self.sqrt = module.minimum, module.maximum, module.sqrt
        self._pow = module.pow if hasattr(module, "pow") else module.power

    def power(self, base: Any, exponent: Any) -> Any:
        if isinstance(base, float | int) and not isinstance(exponent, float | int):
            return self._pow(base, exponent)  # 2 ** tensor: the library's pow keeps the tensor type
        return base**exponent


Evaluator = Callable[[list[Any]], Any]


def _compile(expr: sympy.Expr, symbols: Sequence[sympy.Symbol], backend: Any) -> Evaluator:
    """Build a closure tree evaluating ``expr``; arithmetic keeps the operand order a person wrote."""
    index = {s: i for i, s in enumerate(symbols)}

    def build(e: sympy.Expr) -> Evaluator:
        if e in index:
            i = index[e]
            return lambda v: v[i]
        if not e.free_symbols:
            const = complex(e)
            value = const.real if const.imag == 0 else math.nan
            return lambda v: value
        if e.is_Add:
            terms = [build(a) for a in _ordered(e.args)]

            def add(v: list[Any]) -> Any:
                total = terms[0](v)
                for t in terms[1:]:
                    total = total + t(v)
                return total

            return add
        if e.is_Mul:
            return _mul(e, build)
        if e.is_Pow:
            return _pow(e, build, backend)
        if isinstance(e, sympy.Min | sympy.Max):
            fold = backend.minimum if isinstance(e, sympy.Min) else backend.maximum
            parts = [build(a) for a in e.args]

            def extreme(v: list[Any]) -> Any:
                out = _as_array(parts[0](v), v)
                for p in parts[1:]:
                    out = fold(out, _as_array(p(v), v))
                return out

            return extreme
        for sym_func, rewrite in ((sympy.cot, 1), (sympy.sec, 2), (sympy.csc, 3)):
            if isinstance(e, sym_func):
                inner = build(e.args[0])
                f = {1: backend.functions[sympy.tan], 2: backend.functions[sympy.cos], 3: backend.functions[sympy.sin]}[rewrite]
                return lambda v: 1.0 / f(_as_array(inner(v), v))
        func = backend.functions.get(type(e))
        if func is not None:
            args = [build(a) for a in e.args]
            return lambda v: func(*(_as_array(a(v), v) for a in args))
        raise ObjectiveError(f"optscenes cannot evaluate {e} (from {expr}).")

    try:
        return build(expr)
    except OverflowError:
        raise ObjectiveError(f"A number in {expr} is too large to compute with (beyond 1e308).") from None


def _ordered(args: tuple[sympy.Expr, ...]) -> list[sympy.Expr]:
    """Terms with variables first and the constant last, as in ``6*x - 2``."""
    return sorted(args, key=lambda a: a.is_number)


def _mul(e: sympy.Expr, build: Callable[[sympy.Expr], Evaluator]) -> Evaluator:
    # a/b is Mul(a, Pow(b, -1)) in sympy; computing a * (1/b) would round twice, so divide instead.
    numerator: list[sympy.Expr] = []
    denominator: list[sympy.Expr] = []
    coeff_num, coeff_den = 1, 1
    for factor in e.args:
        if factor.is_Rational:
            coeff_num *= int(factor.p)
            coeff_den *= int(factor.q)
        elif factor.is_Pow and factor.exp.is_Integer and factor.exp < 0:
            denominator.append(factor.base ** (-factor.exp))
        else:
            numerator.append(factor)
    top = [build(f) for f in numerator]
    bottom = [build(f) for f in denominator]
    num_c, den_c = float(coeff_num), float(coeff_den)

    def mul(v: list[Any]) -> Any:
        out: Any = None
        if num_c != 1.0 or not top:
            out = num_c
        for t in top:
            out = t(v) if out is None else out * t(v)
        if den_c != 1.0:
            out = out / den_c
        for b in bottom:
            out = out / b(v)
        return out

    return mul


def _pow(e: sympy.Expr, build: Callable[[sympy.Expr], Evaluator], backend: Any) -> Evaluator:
    base = build(e.base)
    if e.exp == sympy.Rational(1, 2):
        return lambda v: backend.sqrt(_as_array(base(v), v))
    if e.exp.is_Integer:
        n = int(e.exp)
        if n < 0:
            return lambda v: 1.0 / backend.power(base(v), -n)
        return lambda v: backend.power(base(v), n)
    exponent = build(e.exp)
    return lambda v: backend.power(base(v), exponent(v))


def _as_array(value: Any, v: list[Any]) -> Any:
    """Constants become arrays/tensors like the variables, so library functions accept them."""
    if isinstance(value, float | int):
        like = v[0]
        if hasattr(like, "new_tensor"):
            return like.new_tensor(value)
        return np.asarray(value, dtype=float)
    return value
