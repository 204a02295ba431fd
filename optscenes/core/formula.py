"""Formulas as people write them: parsed with a whitelist into sympy, and printed back for titles.

User text is never evaluated as Python. It is parsed by :mod:`ast` (which only reads it),
every node is checked against a whitelist, and the sympy expression is built from the
checked nodes.
"""

from __future__ import annotations

import ast
import difflib
import math
import re
from collections.abc import Callable

import sympy

from .errors import ObjectiveError

__all__ = ["CONSTANTS", "FUNCTIONS", "MAX_FORMULA_LENGTH", "VARIABLES", "order_symbols", "parse_formula", "superscript", "unicode_formula"]

#: Variable names, in the order their values are given (a start point is ``(x, y)``).
VARIABLES: tuple[str, ...] = ("x", "y")

#: Names a formula may call, with the sympy function and the accepted argument counts.
FUNCTIONS: dict[str, tuple[Callable[..., sympy.Expr], tuple[int, ...]]] = {
    "sin": (sympy.sin, (1,)),
    "cos": (sympy.cos, (1,)),
    "tan": (sympy.tan, (1,)),
    "cot": (sympy.cot, (1,)),
    "sec": (sympy.sec, (1,)),
    "csc": (sympy.csc, (1,)),
    "asin": (sympy.asin, (1,)),
    "acos": (sympy.acos, (1,)),
    "atan": (sympy.atan, (1,)),
    "arcsin": (sympy.asin, (1,)),
    "arccos": (sympy.acos, (1,)),
    "arctan": (sympy.atan, (1,)),
    "atan2": (sympy.atan2, (2,)),
    "sinh": (sympy.sinh, (1,)),
    "cosh": (sympy.cosh, (1,)),
    "tanh": (sympy.tanh, (1,)),
    "asinh": (sympy.asinh, (1,)),
    "acosh": (sympy.acosh, (1,)),
    "atanh": (sympy.atanh, (1,)),
    "exp": (sympy.exp, (1,)),
    "log": (sympy.log, (1, 2)),
    "ln": (sympy.log, (1,)),
    "log2": (lambda a: sympy.log(a, 2), (1,)),
    "log10": (lambda a: sympy.log(a, 10), (1,)),
    "sqrt": (sympy.sqrt, (1,)),
    "cbrt": (sympy.cbrt, (1,)),
    "abs": (sympy.Abs, (1,)),
    "sign": (sympy.sign, (1,)),
    "min": (sympy.Min, (2, 3, 4, 5, 6, 7, 8)),
    "max": (sympy.Max, (2, 3, 4, 5, 6, 7, 8)),
}

#: Constant names a formula may use.
CONSTANTS: dict[str, sympy.Expr] = {"pi": sympy.pi, "e": sympy.E, "E": sympy.E}

#: The longest formula accepted, in characters.
MAX_FORMULA_LENGTH = 1000
_MAX_EXPONENT = 1000
_MAX_DIGITS = 10_000

_OPERATORS: dict[type[ast.operator], str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.Pow: "**",
}

_NODE_WORDS: dict[type[ast.AST], str] = {
    ast.Attribute: "attribute access",
    ast.Subscript: "indexing",
    ast.Lambda: "a lambda",
    ast.Compare: "a comparison",
    ast.BoolOp: "'and'/'or'",
    ast.IfExp: "'if'/'else'",
    ast.List: "a list",
    ast.Tuple: "a tuple",
    ast.Dict: "a dict",
    ast.Set: "a set",
    ast.ListComp: "a comprehension",
    ast.GeneratorExp: "a comprehension",
    ast.NamedExpr: "':='",
    ast.JoinedStr: "a string",
    ast.Starred: "'*' unpacking",
}


class _Builder:
    """Turns a checked :mod:`ast` tree into a sympy expression, refusing anything else."""

    def __init__(self, text: str, source: str) -> None:
        self.text = text  # what ast parsed: the source with ^ written as **
        self.source = source
        self.symbols: dict[str, sympy.Symbol] = {}

    def fail(self, node: ast.AST, problem: str) -> ObjectiveError:
        column = _source_column(self.source, getattr(node, "col_offset", 0))
        return ObjectiveError(f"In {self.source!r} at position {column}: {problem}.")

    def build(self, node: ast.AST) -> sympy.Expr:
        if isinstance(node, ast.Constant):
            return self.number(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            operand = self.build(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            return self.binary(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.BinOp):
            raise self.fail(node, "this operator is not allowed (use + - * / ^ **)")
        word = _NODE_WORDS.get(type(node), f"'{ast.get_source_segment(self.text, node) or type(node).__name__}'")
        raise self.fail(node, f"{word} is not allowed in a formula")

    def number(self, node: ast.Constant) -> sympy.Expr:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(node, f"{ast.get_source_segment(self.text, node)} is not a number")
        if isinstance(value, float) and not math.isfinite(value):
            raise self.fail(node, f"the number {ast.get_source_segment(self.text, node)} is too large")
        if isinstance(value, int):
            return sympy.Integer(value)
        # Keep the decimal the user wrote (0.1 stays 1/10), so printing and evaluation agree.
        return sympy.Rational(ast.get_source_segment(self.text, node) or repr(value))

    def name(self, node: ast.Name) -> sympy.Expr:
        if node.id in VARIABLES:
            return self.symbols.setdefault(node.id, sympy.Symbol(node.id, real=True))
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
        if node.id in FUNCTIONS:
            raise self.fail(node, f"the function {node.id!r} needs parentheses, as in {node.id}(x)")
        if len(node.id) == 1:
            raise self.fail(node, f"unknown variable {node.id!r}: variables are named x, or x and y")
        raise self.fail(node, f"unknown name {node.id!r}{_suggest(node.id)}")

    def binary(self, node: ast.BinOp) -> sympy.Expr:
        left, right = self.build(node.left), self.build(node.right)
        op = type(node.op)
        if op is ast.Add:
            return left + right
        if op is ast.Sub:
            return left - right
        if op is ast.Mult:
            return left * right
        if op is ast.Div:
            if right == 0:
                raise self.fail(node, "division by zero")
            return left / right
        if right.is_Number and abs(right) > _MAX_EXPONENT:
            raise self.fail(node, f"the exponent {right} is too large (at most {_MAX_EXPONENT})")
        if left.is_Rational and right.is_Number and _digits(left) * float(abs(right)) > _MAX_DIGITS:
            # sympy would compute ((10^1000)^1000)^1000 exactly, for ever.
            raise self.fail(node, f"this power has over {_MAX_DIGITS} digits")
        if left == 0 and right.is_Number and right.is_negative:
            raise self.fail(node, "division by zero")
        return left**right

    def call(self, node: ast.Call) -> sympy.Expr:
        if not isinstance(node.func, ast.Name):
            raise self.fail(node, "only the functions optscenes knows can be called")
        name = node.func.id
        if name not in FUNCTIONS:
            if name in VARIABLES or name in CONSTANTS:
                raise self.fail(node, f"{name!r} is not a function; write {name}*(...) for a product")
            raise self.fail(node, f"unknown function {name!r}{_suggest(name)}")
        if node.keywords:
            raise self.fail(node, f"{name}() takes no keyword arguments")
        function, arities = FUNCTIONS[name]
        if len(node.args) not in arities:
            wanted = " or ".join(str(n) for n in arities[:2]) + (" or more" if len(arities) > 2 else "")
            raise self.fail(node, f"{name}() takes {wanted} argument(s), not {len(node.args)}")
        return function(*(self.build(arg) for arg in node.args))


def _digits(number: sympy.Rational) -> float:
    """Decimal digits of the larger of a rational's numerator and denominator."""
    return max(abs(int(number.p)).bit_length(), int(number.q).bit_length()) * math.log10(2)


def _suggest(name: str) -> str:
    close = difflib.get_close_matches(name, [*FUNCTIONS, *CONSTANTS, *VARIABLES], n=3, cutoff=0.6)
    return f" (did you mean {', '.join(close)}?)" if close else ""


def parse_formula(text: str) -> tuple[sympy.Expr, tuple[sympy.Symbol, ...]]:
    """The sympy expression of ``text`` and its variables in order (x, then y).

    Raises
    ------
    ObjectiveError
        One sentence naming the problem and its 1-based position in ``text``.
    """
    if not text.strip():
        raise ObjectiveError("The formula is empty: write a function of x, such as (6*x-2)^2*sin(12*x-4).")
    if len(text) > MAX_FORMULA_LENGTH:
        raise ObjectiveError(f"The formula is {len(text)} characters long; at most {MAX_FORMULA_LENGTH} are accepted.")
    stripped = text.strip()
    # ^ is power, as in the blog post and on paper; Python would read it as xor, with the wrong precedence.
    python_text = stripped.replace("^", "**")
    try:
        tree = ast.parse(python_text, mode="eval")
    except SyntaxError as error:
        column = _source_column(stripped, (error.offset or 1) - 1)
        hint = ""
        if re.search(r"\d[A-Za-z_(]", stripped):
            hint = " (write 2*x, not 2x, for a product)"
        raise ObjectiveError(f"In {stripped!r} at position {column}: syntax error, {error.msg}{hint}.") from None
    builder = _Builder(python_text, stripped)
    try:
        expr = builder.build(tree.body)
    except RecursionError:
        raise ObjectiveError(f"The formula {stripped!r} is nested too deeply.") from None
    symbols = tuple(builder.symbols[name] for name in VARIABLES if name in builder.symbols)
    return sympy.sympify(expr), symbols


def _source_column(source: str, parsed_offset: int) -> int:
    """1-based column in the user's text of an offset in the text where each ^ became **."""
    column, seen = 0, 0
    for char in source:
        step = 2 if char == "^" else 1
        if seen + step > parsed_offset:
            break
        seen += step
        column += 1
    return column + 1


def order_symbols(expr: sympy.Expr) -> tuple[sympy.Symbol, ...]:
    """The free symbols of ``expr``: x, then y, then any others by name."""
    free = sorted(expr.free_symbols, key=lambda s: (VARIABLES.index(s.name) if s.name in VARIABLES else 2, s.name))
    return tuple(free)


# --- printing ---------------------------------------------------------------------------------

_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def superscript(text: str) -> str:
    """Digits and minus signs as Unicode superscripts: ``"-3"`` -> ``"⁻³"``."""
    return text.translate(_SUPERSCRIPTS)


def unicode_formula(text: str) -> str:
    """The formula as the user wrote it, typeset with Unicode: ``(6x − 2)² · sin(12x − 4)``.

    Printing the user's own text (not sympy's reordering, which turns ``y - x^2`` into ``-x² + y``)
    keeps the title what the lecturer typed.
    """
    text = re.sub(r"\s+", "", text).replace("**", "^")
    text = re.sub(r"\^(-?\d+)(?![\d.])", lambda m: superscript(m.group(1)), text)
    text = re.sub(r"(\d)\*(?=[A-Za-z(])", r"\1", text)  # 6*x -> 6x
    # A sign after an operand is an operation, but not the one in a number such as 3e-5.
    text = re.sub(r"(?<=[\w)⁰¹²³⁴⁵⁶⁷⁸⁹.])(?<!\d[eE])([-+])", lambda m: " − " if m.group(1) == "-" else " + ", text)
    text = text.replace("-", "−").replace("*", " · ").replace("/", " / ")
    text = re.sub(r"(?<![A-Za-z])pi(?![A-Za-z])", "π", text)
    return re.sub(r",", ", ", text)
