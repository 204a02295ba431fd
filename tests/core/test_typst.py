"""The sympy-to-Typst printer: every printed formula compiles with Typst, and reads back to the same expression.

The reader below is written independently of the printer: it knows Typst's math syntax for the subset
the printer uses, not the printer's code.
"""

from __future__ import annotations

import re

import pytest
import sympy
import typst

from optscenes.core.catalogue import CATALOGUE
from optscenes.core.formula import parse_formula
from optscenes.core.typst import typst_math

FORMULAS = [entry.formula for entry in CATALOGUE.values()] + [
    # powers
    "x^2", "x^(y+1)", "2^(x^2)", "(-2)^x", "x^-2*y", "x^1.5", "x^(2/3)", "-x^2", "-(x+y)^2", "e^x", "exp(-x^2)",
    # fractions
    "x/y", "1/x", "-3/x^2", "(x+1)/(y-2)", "1/(2*x)", "2/3*x", "x^6/6", "x/(y*(x-1))",
    # roots
    "sqrt(x)", "1/sqrt(x)", "cbrt(x+1)", "x^(1/3)*y", "sqrt(x^2+y^2)", "sqrt(2)*x",
    # functions, nested
    "sin(x)^2", "tanh(sin(x))", "exp(sin(x))", "log(x)", "ln(1+x^2)", "log2(x)", "log10(x+1)", "log(x, 3)",
    "abs(x-1)", "asinh(x)", "acosh(x+2)", "atanh(x/2)", "asin(x)", "acos(x)", "atan(x)", "atan2(y, x)",
    "sign(x)", "min(x, y, 1)", "max(x^2, y)", "sec(x)*csc(y)", "cot(x)", "cosh(x)", "sinh(cos(exp(x)))",
    # signs and numbers
    "x - 3", "-x", "2*3^x", "0.1*x", "-0.5*x", "3e-5*x", "1 - x", "y - x^2", "-2.5 + x", "pi*x", "e + pi",
    "(x-1)*(y+2)", "-x*y", "x/7 - 2/9",
]  # fmt: skip


# --- an independent reader of Typst math --------------------------------------------------------

_TOKEN = re.compile(r'\s*(?:(\d+(?:\.\d+)?)|("[^"]*")|([A-Za-z]+)|([()^_,+-]))')

_FUNCTIONS = {
    "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "cot": sympy.cot, "sec": sympy.sec, "csc": sympy.csc,
    "sinh": sympy.sinh, "cosh": sympy.cosh, "tanh": sympy.tanh, "coth": sympy.coth,
    "arcsin": sympy.asin, "arccos": sympy.acos, "arctan": sympy.atan, "exp": sympy.exp, "ln": sympy.log,
    "min": sympy.Min, "max": sympy.Max, "abs": sympy.Abs, "sqrt": sympy.sqrt,
    "frac": lambda a, b: a / b, "root": lambda n, a: a ** (1 / n),
}  # fmt: skip
_OPERATORS = {"arsinh": sympy.asinh, "arcosh": sympy.acosh, "artanh": sympy.atanh, "sgn": sympy.sign, "atan2": sympy.atan2}
_CONSTANTS = {"pi": sympy.pi, "e": sympy.E}


def _tokens(text: str) -> list[str]:
    tokens, position = [], 0
    while position < len(text.rstrip()):
        match = _TOKEN.match(text, position)
        assert match, f"cannot read {text[position:]!r}"
        tokens.append(match.group(match.lastindex))
        position = match.end()
    return tokens


class _Reader:
    """Recursive descent over: sums, implicit products and ``dot``, scripts ``^`` ``_``, calls."""

    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.at = 0

    def peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        assert token is not None and (expected is None or token == expected), (expected, token, self.tokens)
        self.at += 1
        return token

    def read(self) -> sympy.Expr:
        value = self.sum()
        assert self.peek() is None, f"left over: {self.tokens[self.at:]}"
        return value

    def sum(self) -> sympy.Expr:
        value = -self.product() if self.peek() == "-" and self.take() else self.product()
        while self.peek() in ("+", "-"):
            sign = self.take()
            value = value + self.product() if sign == "+" else value - self.product()
        return value

    def product(self) -> sympy.Expr:
        value = self.factor()
        while (token := self.peek()) is not None and (token not in "+-,)^_" or token == "dot"):
            if token == "dot":
                self.take()
            value = value * self.factor()
        return value

    def factor(self) -> sympy.Expr:
        value = self.primary()
        while self.peek() == "^":
            self.take()
            value = value ** self.script()
        return value

    def script(self) -> sympy.Expr:
        """What follows ``^`` or ``_``: a parenthesised group (its parentheses are not shown), or one token."""
        if self.peek() == "(":
            self.take()
            value = self.sum()
            self.take(")")
            return value
        return self.primary()

    def arguments(self) -> list[sympy.Expr]:
        self.take("(")
        values = [self.sum()]
        while self.peek() == ",":
            self.take()
            values.append(self.sum())
        self.take(")")
        return values

    def primary(self) -> sympy.Expr:
        token = self.take()
        if token[0].isdigit():
            return sympy.Rational(token)
        if token == "(":
            value = self.sum()
            self.take(")")
            return value
        if token == "op":
            self.take("(")
            name = self.take().strip('"')
            self.take(")")
            return _OPERATORS[name](*self.arguments())
        if token == "log":
            self.take("_")
            base = self.script()
            (argument,) = self.arguments()
            return sympy.log(argument, base)
        if token in _FUNCTIONS:
            power = None
            if self.peek() == "^":  # sin^2(x)
                self.take()
                power = self.script()
            value = _FUNCTIONS[token](*self.arguments())
            return value if power is None else value**power
        if token in _CONSTANTS:
            return _CONSTANTS[token]
        assert len(token) == 1 and token.isalpha(), f"unknown name {token!r}"
        return sympy.Symbol(token, real=True)


def read_typst(text: str) -> sympy.Expr:
    return _Reader(text).read()


# --- tests ---------------------------------------------------------------------------------------


def _document(bodies: list[str]) -> bytes:
    return ("#set page(width: auto, height: auto)\n" + "\n\n".join(f"$ {b} $" for b in bodies)).encode()


def _compile_errors(bodies: list[str]) -> list[str]:
    """Compile all formulas in one document (one Typst start-up); on failure, find which ones fail."""
    try:
        typst.compile(_document(bodies), format="svg")
        return []
    except Exception:  # noqa: BLE001 (typst raises its own error types)
        failing = []
        for body in bodies:
            try:
                typst.compile(_document([body]), format="svg")
            except Exception as error:  # noqa: BLE001
                failing.append(f"{body!r}: {error}")
        return failing


def test_every_printed_formula_compiles_with_typst():
    printed = [typst_math(parse_formula(formula)[0]) for formula in FORMULAS]
    assert _compile_errors(printed) == []
    # The check can fail: Typst refuses a product written without a space, as in xy.
    assert _compile_errors(["x y", "xy"]) and "xy" in _compile_errors(["xy"])[0]


@pytest.mark.parametrize("formula", FORMULAS)
def test_the_printed_text_reads_back_to_the_same_expression(formula):
    expr, _ = parse_formula(formula)
    printed = typst_math(expr)
    read = read_typst(printed)
    assert read == expr or sympy.simplify(read - expr) == 0, (printed, read, expr)


def test_the_reader_tells_different_expressions_apart():
    """Without this, a reader that returned the same thing for everything would pass the round trip."""
    assert read_typst("(x + 1)^2") != read_typst("x + 1^2")
    assert read_typst("frac(1, x y)") == 1 / (sympy.Symbol("x", real=True) * sympy.Symbol("y", real=True))
    assert read_typst("sin^2(x)") == sympy.sin(sympy.Symbol("x", real=True)) ** 2


@pytest.mark.parametrize(
    ("formula", "printed"),
    [
        ("x - 3", "x - 3"),
        ("y - x^2", "y - x^2"),
        ("1 - x", "1 - x"),
        ("2*3^x", "2 dot 3^x"),
        ("exp(-x^2)", "e^(-x^2)"),
        ("x^(y+1)", "x^(y + 1)"),
        ("x^6/6 + 1", "frac(x^6, 6) + 1"),
        ("0.25*x", "0.25 x"),
        ("(x+1)/(y-2)", "frac(x + 1, y - 2)"),
        ("x^-0.5", "frac(1, sqrt(x))"),
        ("cbrt(x)", "root(3, x)"),
        ("sin(x)^2", "sin^2(x)"),
        ("log2(x)", "log_2(x)"),
        ("log(x)", "ln(x)"),
        ("asinh(x)", 'op("arsinh")(x)'),
        ("(6*x-2)^2*sin(12*x-4)", "(6 x - 2)^2 sin(12 x - 4)"),
        ("(1-x)^2 + 100*(y-x^2)^2", "(1 - x)^2 + 100 (y - x^2)^2"),
        ("-(x+y)^2", "-(x + y)^2"),
        ("2*pi*x", "2 pi x"),
    ],
)
def test_formulas_print_as_a_lecturer_writes_them(formula, printed):
    assert typst_math(parse_formula(formula)[0]) == printed


def test_floats_print_compactly_and_symbols_with_subscripts():
    x = sympy.Symbol("x")
    assert typst_math(sympy.Float(0.25) * x) == "0.25 x"
    assert typst_math(sympy.Float(2.5e-7)) == "2.5 dot 10^(-7)"
    assert typst_math(sympy.Symbol("beta_1") ** sympy.Symbol("t")) == "beta_1^t"
    assert typst_math(sympy.Symbol("lr") * x) == '"lr" x'


def test_what_it_cannot_print_is_refused_in_one_sentence():
    with pytest.raises(TypeError, match="cannot print"):
        typst_math(sympy.Matrix([1, 2]))
