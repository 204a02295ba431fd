"""The function being minimised: parsed from text with a whitelist, evaluated with torch or numpy.

User text is never evaluated as Python. It is parsed by :mod:`ast` (which only reads it),
every node is checked against a whitelist, and the sympy expression is built from the
checked nodes. Evaluation walks the sympy tree once to build plain closures over torch
or numpy functions, so no generated code is executed either.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import sympy

from .catalogue import TestFunction, lookup
from .errors import ObjectiveError

__all__ = ["CONSTANTS", "FUNCTIONS", "VARIABLES", "Objective"]

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

_MAX_LENGTH = 1000
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
    import difflib

    close = difflib.get_close_matches(name, [*FUNCTIONS, *CONSTANTS, *VARIABLES], n=3, cutoff=0.6)
    return f" (did you mean {', '.join(close)}?)" if close else ""


def _parse(text: str) -> tuple[sympy.Expr, tuple[sympy.Symbol, ...]]:
    if not text.strip():
        raise ObjectiveError("The formula is empty: write a function of x, such as (6*x-2)^2*sin(12*x-4).")
    if len(text) > _MAX_LENGTH:
        raise ObjectiveError(f"The formula is {len(text)} characters long; at most {_MAX_LENGTH} are accepted.")
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


def _order_symbols(expr: sympy.Expr) -> tuple[sympy.Symbol, ...]:
    free = sorted(expr.free_symbols, key=lambda s: (VARIABLES.index(s.name) if s.name in VARIABLES else 2, s.name))
    return tuple(free)


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
    3.027210
    """

    def __init__(self, formula: str | sympy.Expr) -> None:
        if isinstance(formula, Objective):
            formula = formula.expr
        if isinstance(formula, sympy.Basic):
            expr = sympy.sympify(formula)
            symbols = _order_symbols(expr)
            text = str(expr)
        elif isinstance(formula, str):
            named = lookup(formula)
            text = named.formula if named is not None else formula.strip()
            expr, symbols = _parse(text)
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
        #: The catalogue entry when the formula was given by name (``"rosenbrock"``), else ``None``.
        self.named: TestFunction | None = named if isinstance(formula, str) else None
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
        return _unicode(self.formula)

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


# --- printing ---------------------------------------------------------------------------------

_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _unicode(text: str) -> str:
    """The formula as the user wrote it, typeset with Unicode: ``(6x − 2)² · sin(12x − 4)``.

    Printing the user's own text (not sympy's reordering, which turns ``y - x^2`` into ``-x² + y``)
    keeps the title what the lecturer typed.
    """
    text = re.sub(r"\s+", "", text).replace("**", "^")
    text = re.sub(r"\^(-?\d+)(?![\d.])", lambda m: m.group(1).translate(_SUPERSCRIPTS), text)
    text = re.sub(r"(\d)\*(?=[A-Za-z(])", r"\1", text)  # 6*x -> 6x
    # A sign after an operand is an operation, but not the one in a number such as 3e-5.
    text = re.sub(r"(?<=[\w)⁰¹²³⁴⁵⁶⁷⁸⁹.])(?<!\d[eE])([-+])", lambda m: " − " if m.group(1) == "-" else " + ", text)
    text = text.replace("-", "−").replace("*", " · ").replace("/", " / ")
    text = re.sub(r"(?<![A-Za-z])pi(?![A-Za-z])", "π", text)
    return re.sub(r",", ", ", text)
