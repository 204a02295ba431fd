"""Formulas printed as Typst math, so titles and update rules are real math without a TeX install.

sympy prints LaTeX, MathML and code, but not Typst. :func:`typst_math` gives the markup that goes
between ``$ ... $``: ``(6x-2)^2*sin(12x-4)`` prints as ``(6 x - 2)^2 sin(12 x - 4)``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import ClassVar

import sympy
from sympy.core.alphabets import greeks
from sympy.printing.conventions import split_super_sub
from sympy.printing.precedence import PRECEDENCE, precedence
from sympy.printing.printer import Printer

__all__ = ["typst_math"]

#: sympy function names Typst typesets upright by itself (``$sin(x)$``), under Typst's own name.
_TYPST_OPERATORS: dict[str, str] = {
    **{name: name for name in ("sin", "cos", "tan", "cot", "sec", "csc", "sinh", "cosh", "tanh", "coth")},
    "asin": "arcsin",
    "acos": "arccos",
    "atan": "arctan",
    "log": "ln",  # sympy's log is the natural logarithm
    "exp": "exp",
    "Min": "min",
    "Max": "max",
}

#: Functions Typst has no operator for, by the name a lecturer writes.
_NAMED_OPERATORS: dict[str, str] = {"asinh": "arsinh", "acosh": "arcosh", "atanh": "artanh", "sign": "sgn", "atan2": "atan2"}

#: Functions whose powers read ``sin^2(x)``, as on paper.
_POWER_BEFORE_ARGUMENT = frozenset(("sin", "cos", "tan", "cot", "sec", "csc", "sinh", "cosh", "tanh", "coth"))

_GREEK = {name: ("lambda" if name == "lamda" else name) for name in greeks}

#: Most digits after the point for a rational number shown as a decimal (21/8 as 2.625).
_MAX_DECIMALS = 6


class TypstPrinter(Printer):
    """Prints a sympy expression as Typst math markup.

    Factors are separated by spaces (Typst reads ``xy`` as one unknown name), ``dot`` goes between two
    numbers, and parentheses appear only where precedence needs them.
    """

    printmethod = "_typst"
    _default_settings: ClassVar[dict[str, object]] = {"order": None}  # sympy's usual order: polynomial terms by degree

    def emptyPrinter(self, expr: object) -> str:
        raise TypeError(f"optscenes cannot print {type(expr).__name__} as Typst math.")

    def parenthesize(self, expr: sympy.Expr, level: int) -> str:
        text = self._print(expr)
        return f"({text})" if precedence(expr) < level or _starts_with_minus(expr) else text

    # --- atoms ----------------------------------------------------------------------------

    def _print_Symbol(self, expr: sympy.Symbol) -> str:
        name, supers, subs = split_super_sub(expr.name)
        text = name if len(name) == 1 else _GREEK.get(name, f'"{name}"')
        text += "".join(f"_{_script(s)}" for s in subs)
        return text + "".join(f"^{_script(s)}" for s in supers)

    def _print_Integer(self, expr: sympy.Integer) -> str:
        return str(expr.p)

    def _print_Rational(self, expr: sympy.Rational) -> str:
        decimal = _decimal(expr)
        if decimal is not None:
            return decimal
        sign = "-" if expr.p < 0 else ""
        return f"{sign}frac({abs(expr.p)}, {expr.q})"

    def _print_Float(self, expr: sympy.Float) -> str:
        text = repr(float(expr))
        if "e" not in text:
            return text.removesuffix(".0")
        mantissa, exponent = text.split("e")
        power = f"10^({int(exponent)})"
        return power if mantissa in ("1", "1.0") else f"{mantissa.removesuffix('.0')} dot {power}"

    def _print_Pi(self, expr: sympy.Expr) -> str:
        return "pi"

    def _print_Exp1(self, expr: sympy.Expr) -> str:
        return "e"

    def _print_Infinity(self, expr: sympy.Expr) -> str:
        return "infinity"

    def _print_NegativeInfinity(self, expr: sympy.Expr) -> str:
        return "-infinity"

    # --- operations -----------------------------------------------------------------------

    def _print_Add(self, expr: sympy.Add) -> str:
        terms = _reading_order(self._as_ordered_terms(expr))
        text = self._print(terms[0])
        for term in terms[1:]:
            if term.could_extract_minus_sign():
                text += " - " + self.parenthesize(-term, PRECEDENCE["Mul"])
            else:
                text += " + " + self._print(term)
        return text

    def _print_Mul(self, expr: sympy.Mul) -> str:
        if expr.could_extract_minus_sign():
            return "-" + self.parenthesize(-expr, PRECEDENCE["Mul"])
        coefficient, factors = expr.as_coeff_mul()
        numerator = [f for f in factors if not _is_reciprocal(f)]
        denominator = [1 / f for f in factors if _is_reciprocal(f)]
        numerator, denominator = _log_bases(numerator, denominator)
        if not denominator and coefficient != 1 and (coefficient.is_Float or _decimal(coefficient)):
            return self._product([self._print(coefficient)], numerator)  # 0.26 x^2, as typed
        if coefficient.is_Float:
            numerator.insert(0, coefficient)
        elif coefficient != 1:
            numerator = ([sympy.Integer(coefficient.p)] if coefficient.p != 1 else []) + numerator
            denominator = ([sympy.Integer(coefficient.q)] if coefficient.q != 1 else []) + denominator
        if not denominator:
            return self._product([], numerator)
        return f"frac({self._fraction_part(numerator)}, {self._fraction_part(denominator)})"

    def _fraction_part(self, factors: list[sympy.Expr]) -> str:
        """A numerator or denominator: a lone factor needs no parentheses, the bar groups it."""
        if len(factors) == 1:
            return self._print(factors[0])
        return self._product([], factors) or "1"

    def _product(self, lead: list[str], factors: list[sympy.Expr]) -> str:
        """Factors side by side, with ``dot`` where two numbers would run together."""
        texts = lead + [self.parenthesize(f, PRECEDENCE["Mul"]) for f in factors]
        text = texts[0] if texts else ""
        for part in texts[1:]:
            text += (" dot " if part[0].isdigit() else " ") + part
        return text

    def _print_Pow(self, expr: sympy.Pow) -> str:
        base, exponent = expr.as_base_exp()
        if exponent.is_Number and exponent.is_negative:
            return f"frac(1, {self._print(base**-exponent)})"
        if exponent == sympy.S.Half:
            return f"sqrt({self._print(base)})"
        if exponent.is_Rational and exponent.p == 1:
            return f"root({exponent.q}, {self._print(base)})"
        if isinstance(base, sympy.Function) and base.func.__name__ in _POWER_BEFORE_ARGUMENT and exponent.is_Integer:
            return f"{base.func.__name__}^{exponent}({self._arguments(base)})"
        return f"{self._base(base)}^{self._exponent(exponent)}"

    def _base(self, base: sympy.Expr) -> str:
        if base.is_Rational and not base.is_Integer or base.is_Float and "e" in repr(float(base)):
            return f"({self._print(base)})"
        return self.parenthesize(base, PRECEDENCE["Pow"] + 1)

    def _exponent(self, exponent: sympy.Expr) -> str:
        """A lone digit string or letter as is; anything else in the parentheses Typst strips from scripts."""
        text = self._print(exponent)
        return text if text.isdigit() or (len(text) == 1 and text.isalpha()) else f"({text})"

    # --- functions ------------------------------------------------------------------------

    def _arguments(self, expr: sympy.Function) -> str:
        return ", ".join(self._print(arg) for arg in expr.args)

    def _print_Function(self, expr: sympy.Function) -> str:
        name = expr.func.__name__
        if name in _TYPST_OPERATORS:
            head = _TYPST_OPERATORS[name]
        elif name in _NAMED_OPERATORS:
            head = f'op("{_NAMED_OPERATORS[name]}")'
        else:
            head = name if len(name) == 1 else f'op("{name}")'
        return f"{head}({self._arguments(expr)})"

    _print_Min = _print_Function
    _print_Max = _print_Function

    def _print_exp(self, expr: sympy.exp) -> str:
        """``e^(-x^2)`` for a short exponent; ``exp(...)`` when roots or functions would shrink into a superscript."""
        (argument,) = expr.args
        if argument.has(sympy.Function) or any(not p.exp.is_Integer for p in argument.atoms(sympy.Pow)):
            return self._print_Function(expr)
        return f"e^{self._exponent(argument)}"

    def _print_Abs(self, expr: sympy.Abs) -> str:
        return f"abs({self._print(expr.args[0])})"

    def _print__LogBase(self, expr: _LogBase) -> str:
        argument, base = expr.args
        return f"log_{self._exponent(base)}({self._print(argument)})"


class _LogBase(sympy.Function):
    """``log(a) / log(b)`` for a number ``b``, held only while printing, to show as ``log_b(a)``."""


def _log_bases(numerator: list[sympy.Expr], denominator: list[sympy.Expr]) -> tuple[list[sympy.Expr], list[sympy.Expr]]:
    """``log(a) / log(2)`` (how sympy stores log2(a)) as one ``log_2(a)``."""
    bases = [d for d in denominator if isinstance(d, sympy.log) and d.args[0].is_Number]
    logs = [n for n in numerator if isinstance(n, sympy.log)]
    if len(bases) != 1 or not logs:
        return numerator, denominator
    merged = _LogBase(logs[0].args[0], bases[0].args[0])
    return [merged if n is logs[0] else n for n in numerator], [d for d in denominator if d is not bases[0]]


def _is_reciprocal(factor: sympy.Expr) -> bool:
    """A factor that belongs under a fraction bar: a power with a negative number as exponent."""
    return factor.is_Pow and factor.exp.is_Number and factor.exp.is_negative


def _starts_with_minus(expr: sympy.Expr) -> bool:
    return expr.is_Number and expr.is_negative


def _decimal(number: sympy.Rational) -> str | None:
    """A rational as a short decimal (13/50 as 0.26), or ``None`` when it has none (1/6)."""
    fraction = Fraction(int(number.p), int(number.q))
    for places in range(_MAX_DECIMALS + 1):
        if (fraction * 10**places).denominator == 1:
            return f"{float(fraction):.{places}f}" if places else str(fraction.numerator)
    return None


def _script(text: str) -> str:
    """A subscript or superscript of a symbol's name: ``1`` as is, ``hat`` as upright text."""
    return text if text.isdigit() or len(text) == 1 else f'("{text}")'


def _reading_order(terms: list[sympy.Expr]) -> list[sympy.Expr]:
    """Terms as a lecturer writes them: numbers last, and a positive term first where there is one
    (``y - x^2``, not ``-x^2 + y``; ``1 - x`` stays)."""
    symbolic = [t for t in terms if not t.is_number]
    ordered = symbolic + [t for t in terms if t.is_number]
    if not ordered[0].could_extract_minus_sign():
        return ordered
    positive = [t for t in symbolic if not t.could_extract_minus_sign()]
    if positive:
        return [positive[0]] + [t for t in ordered if t is not positive[0]]
    return terms if len(symbolic) == 1 else ordered


def typst_math(expr: sympy.Expr) -> str:
    """``expr`` as Typst math markup, the text between ``$ ... $``: ``x**2/6 - 3`` -> ``frac(x^2, 6) - 3``.

    Raises
    ------
    TypeError
        For a kind of expression the printer does not know (a matrix, a relation, ...).
    """
    return TypstPrinter().doprint(sympy.sympify(expr))
