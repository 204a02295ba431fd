"""Classic test functions of optimization, usable by name wherever a formula is accepted.

Each entry has its formula, a view window that shows its character, and its known minima (to mark
on screen and to test against). Names are matched case-insensitively, ignoring spaces, ``-``
and ``_``: ``"Rosenbrock"``, ``"three-hump camel"`` and ``"three_hump_camel"`` all work.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["CATALOGUE", "TestFunction", "lookup", "lookup_formula"]


@dataclass(frozen=True)
class TestFunction:
    """A named test function.

    Attributes
    ----------
    name : str
    formula : str
        In the formula syntax of :class:`~optscenes.Objective` (variables x, or x and y).
    x_range, y_range : (low, high)
        A view that shows the function's character; ``y_range`` is for the second variable
        (for a 1D function it is the range of values).
    minima : list of tuple
        Points of the global minima (one coordinate per variable).
    minimum : float or None
        The value at the minima; ``None`` when the function has no minimum (the saddle).
    note : str
        One line on what it teaches.
    """

    name: str
    formula: str
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    minima: list[tuple[float, ...]] = field(default_factory=list)
    minimum: float | None = 0.0
    note: str = ""


_ENTRIES = [
    TestFunction(
        "forrester", "(6*x-2)^2*sin(12*x-4)", (0.0, 1.0), (-7.0, 16.0), [(0.7572487,)], -6.0207401,
        "One variable, a local minimum near 0.14 and the global one near 0.757 (the seed's function).",
    ),
    TestFunction(
        "rosenbrock", "(1-x)^2 + 100*(y-x^2)^2", (-2.0, 2.0), (-1.0, 3.0), [(1.0, 1.0)], 0.0,
        "A long curved valley: easy to find, slow to follow.",
    ),
    TestFunction(
        "himmelblau", "(x^2+y-11)^2 + (x+y^2-7)^2", (-5.0, 5.0), (-5.0, 5.0),
        [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)], 0.0,
        "Four equal minima: where a run ends depends on where it starts.",
    ),
    TestFunction(
        "beale", "(1.5-x+x*y)^2 + (2.25-x+x*y^2)^2 + (2.625-x+x*y^3)^2", (-4.5, 4.5), (-4.5, 4.5),
        [(3.0, 0.5)], 0.0, "Flat plateaus and sharp ridges; values span many decades.",
    ),
    TestFunction(
        "booth", "(x+2*y-7)^2 + (2*x+y-5)^2", (-10.0, 10.0), (-10.0, 10.0), [(1.0, 3.0)], 0.0,
        "A plain, tilted bowl.",
    ),
    TestFunction(
        "matyas", "0.26*(x^2+y^2) - 0.48*x*y", (-10.0, 10.0), (-10.0, 10.0), [(0.0, 0.0)], 0.0,
        "A flat, narrow diagonal valley.",
    ),
    TestFunction(
        "three hump camel", "2*x^2 - 1.05*x^4 + x^6/6 + x*y + y^2", (-3.0, 3.0), (-3.0, 3.0), [(0.0, 0.0)], 0.0,
        "Three valleys; the middle one is the global minimum.",
    ),
    TestFunction(
        "rastrigin", "20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)", (-5.12, 5.12), (-5.12, 5.12),
        [(0.0, 0.0)], 0.0, "A bowl covered in regularly spaced local minima.",
    ),
    TestFunction(
        "ackley", "-20*exp(-0.2*sqrt(0.5*(x^2+y^2))) - exp(0.5*(cos(2*pi*x)+cos(2*pi*y))) + e + 20",
        (-5.0, 5.0), (-5.0, 5.0), [(0.0, 0.0)], 0.0,
        "A nearly flat plain of bumps around one deep hole.",
    ),
    TestFunction(
        "saddle", "x^2 - y^2", (-2.0, 2.0), (-2.0, 2.0), [], None,
        "No minimum: a minimum along x, a maximum along y; plain gradient descent stalls near (0, 0).",
    ),
    TestFunction(
        "ill conditioned", "0.5*x^2 + 10*y^2", (-3.0, 3.0), (-1.5, 1.5), [(0.0, 0.0)], 0.0,
        "A quadratic whose curvatures differ 20-fold: gradient descent zigzags across it.",
    ),
]  # fmt: skip

#: Every test function by name.
CATALOGUE: dict[str, TestFunction] = {entry.name: entry for entry in _ENTRIES}


def _key(name: str) -> str:
    return "".join(c for c in name.lower() if c.isalnum())


_BY_KEY = {_key(entry.name): entry for entry in _ENTRIES}
_BY_KEY["quadratic"] = CATALOGUE["ill conditioned"]
_BY_KEY["camel"] = CATALOGUE["three hump camel"]


def _formula_key(formula: str) -> str:
    return "".join(formula.split()).replace("**", "^")


_BY_FORMULA = {_formula_key(entry.formula): entry for entry in _ENTRIES}


def lookup(name: str) -> TestFunction | None:
    """The test function called ``name`` (case, spaces, ``-`` and ``_`` ignored), or ``None``."""
    if not name or not any(c.isalpha() for c in name) or len(name) > 40:
        return None
    return _BY_KEY.get(_key(name))


def lookup_formula(formula: str) -> TestFunction | None:
    """The test function whose formula is ``formula`` as written (spaces and ``**`` for ``^`` aside), or ``None``."""
    return _BY_FORMULA.get(_formula_key(formula))

