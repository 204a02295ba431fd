"""Tests of ``optscenes.Objective``: values, derivatives, variables, errors, and that text is never run.

The references are written out here with :mod:`math` and derivatives taken by hand, so they do not
share code with the library's sympy/torch/numpy evaluator.
"""

from __future__ import annotations

import builtins
import math
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
import sympy
import torch

from optscenes import Objective, ObjectiveError, OptscenesError

SEED = "(6*x-2)^2*sin(12*x-4)"
ROSENBROCK = "(1-x)^2 + 100*(y-x^2)^2"
POINTS = [-0.7, -0.1, 0.0, 0.1, 0.25, 0.5, 0.757, 0.9, 1.0, 1.3]


# --- independent references ----------------------------------------------------------------------


def seed_f(x: float) -> float:
    return (6 * x - 2) ** 2 * math.sin(12 * x - 4)


def seed_df(x: float) -> float:
    return 12 * (6 * x - 2) * math.sin(12 * x - 4) + 12 * (6 * x - 2) ** 2 * math.cos(12 * x - 4)


def rosen_f(x: float, y: float) -> float:
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2


def rosen_grad(x: float, y: float) -> tuple[float, float]:
    return (-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x))


MIXED = "exp(-x^2)*cos(3*x) + log(1+x^2) + sqrt(abs(x)+1) + tan(x/4) + atan(x) - sinh(x)/3"


def mixed_f(x: float) -> float:
    return (
        math.exp(-x * x) * math.cos(3 * x)
        + math.log(1 + x * x)
        + math.sqrt(abs(x) + 1)
        + math.tan(x / 4)
        + math.atan(x)
        - math.sinh(x) / 3
    )


def mixed_df(x: float) -> float:
    sign = 1.0 if x > 0 else -1.0
    return (
        -2 * x * math.exp(-x * x) * math.cos(3 * x)
        - 3 * math.exp(-x * x) * math.sin(3 * x)
        + 2 * x / (1 + x * x)
        + sign / (2 * math.sqrt(abs(x) + 1))
        + 1 / (4 * math.cos(x / 4) ** 2)
        + 1 / (1 + x * x)
        - math.cosh(x) / 3
    )


def error_message(formula: object) -> str:
    with pytest.raises(ObjectiveError) as info:
        Objective(formula)  # type: ignore[arg-type]
    return str(info.value)


# --- values and derivatives -----------------------------------------------------------------------


@pytest.mark.parametrize("x", POINTS)
def test_seed_value_and_derivative_match_hand_written_reference(x):
    f = Objective(SEED)
    assert f.value(x) == pytest.approx(seed_f(x), rel=1e-12, abs=1e-12)
    assert f.gradient(x).shape == (1,)
    assert f.gradient(x)[0] == pytest.approx(seed_df(x), rel=1e-12, abs=1e-11)


def test_seed_known_values():
    f = Objective(SEED)
    # f(0) = 4 sin(-4) = 3.0272099812...; the minimum on [0, 1] is about -6.0207 near x = 0.7572.
    assert f.value(0.0) == pytest.approx(4 * math.sin(-4), rel=1e-14)
    assert f.value(0.0) == pytest.approx(3.027209981231713, abs=1e-12)
    assert f.value(0.75725) == pytest.approx(-6.0207, abs=1e-3)


def test_caret_is_power_with_python_precedence():
    for x in [-1.5, -0.5, 0.3, 1.0, 2.0]:
        assert Objective("x^2*3").value(x) == pytest.approx(3 * x**2, rel=1e-14)
        assert Objective("2^x^2").value(x) == pytest.approx(2 ** (x**2), rel=1e-14)
        assert Objective("-x^2").value(x) == pytest.approx(-(x**2), rel=1e-14, abs=1e-15)
        assert Objective("x^-1").value(x) == pytest.approx(1 / x, rel=1e-14)
    # ^ and ** are the same operator
    assert Objective("x^3").expr == Objective("x**3").expr


@pytest.mark.parametrize("x", [-1.2, -0.3, 0.4, 0.9, 2.0])
def test_exp_log_sqrt_abs_trig(x):
    f = Objective(MIXED)
    assert f.value(x) == pytest.approx(mixed_f(x), rel=1e-12, abs=1e-12)
    assert f.gradient(x)[0] == pytest.approx(mixed_df(x), rel=1e-11, abs=1e-11)


def test_log_with_base_and_constants():
    assert Objective("log(x, 2)").value(8.0) == pytest.approx(3.0, rel=1e-14)
    assert Objective("log10(x)").value(1000.0) == pytest.approx(3.0, rel=1e-14)
    assert Objective("ln(x)").value(math.e) == pytest.approx(1.0, rel=1e-14)
    assert Objective("sin(pi*x) + e^x").value(0.5) == pytest.approx(1 + math.exp(0.5), rel=1e-14)


@pytest.mark.parametrize("point", [(-1.0, 1.0), (0.0, 0.0), (1.0, 1.0), (0.5, -0.25), (-1.5, 2.0)])
def test_rosenbrock_value_and_gradient(point):
    f = Objective(ROSENBROCK)
    assert f.variables == ("x", "y")
    assert f.dim == 2
    assert f.value(point) == pytest.approx(rosen_f(*point), rel=1e-13, abs=1e-13)
    grad = f.gradient(point)
    assert grad.shape == (2,)
    np.testing.assert_allclose(grad, rosen_grad(*point), rtol=1e-13, atol=1e-12)


def test_numpy_is_elementwise():
    xs = np.linspace(-0.5, 1.2, 37)
    out = Objective(SEED).numpy(xs)
    assert out.shape == xs.shape
    np.testing.assert_allclose(out, [seed_f(x) for x in xs], rtol=1e-12, atol=1e-12)

    grid_x, grid_y = np.meshgrid(np.linspace(-2, 2, 9), np.linspace(-1, 3, 7))
    out2 = Objective(ROSENBROCK).numpy(grid_x, grid_y)
    assert out2.shape == grid_x.shape
    expected = np.vectorize(rosen_f)(grid_x, grid_y)
    np.testing.assert_allclose(out2, expected, rtol=1e-13, atol=1e-12)


def test_numpy_of_constant_formula_broadcasts():
    out = Objective("3").numpy(np.array([1.0, 2.0, 5.0]))
    np.testing.assert_array_equal(out, [3.0, 3.0, 3.0])


def test_torch_float64_value_and_autograd():
    f = Objective(SEED)
    for x in POINTS:
        p = torch.tensor([x], dtype=torch.float64, requires_grad=True)
        out = f.torch(p)
        assert out.dim() == 0
        assert out.dtype == torch.float64
        assert out.item() == pytest.approx(seed_f(x), rel=1e-12, abs=1e-12)
        out.backward()
        assert p.grad.item() == pytest.approx(seed_df(x), rel=1e-12, abs=1e-11)

    g = Objective(ROSENBROCK)
    p = torch.tensor([-1.0, 1.0], dtype=torch.float64, requires_grad=True)
    out = g.torch(p)
    assert out.item() == pytest.approx(rosen_f(-1.0, 1.0), rel=1e-14)
    (grad,) = torch.autograd.grad(out, p)
    np.testing.assert_allclose(grad.numpy(), rosen_grad(-1.0, 1.0), rtol=1e-14)


# --- variables ------------------------------------------------------------------------------------


def test_variables_are_ordered_x_then_y():
    for text in ["x*y + y", "y*x", "y^2 + x", "x + y"]:
        f = Objective(text)
        assert f.variables == ("x", "y"), text
        assert f.dim == 2
    f = Objective("y^2 + 3*x")
    assert f.value((2.0, 5.0)) == pytest.approx(25.0 + 6.0)


def test_formula_in_y_only():
    f = Objective("y^2 - y")
    assert f.variables == ("y",)
    assert f.dim == 1
    assert f.value(3.0) == pytest.approx(6.0)
    assert f.gradient(3.0)[0] == pytest.approx(5.0)


def test_constant_formula_has_one_variable():
    f = Objective("3")
    assert f.variables == ("x",)
    assert f.dim == 1
    assert f.value(0.7) == 3.0


@pytest.mark.parametrize("text", ["3", "pi", "x - x"])
def test_constant_formula_torch_and_gradient(text):
    """A constant is a function of x like any other: .torch gives a 0-d tensor, the gradient is 0."""
    f = Objective(text)
    out = f.torch(torch.tensor([0.7], dtype=torch.float64, requires_grad=True))
    assert isinstance(out, torch.Tensor)
    assert out.dim() == 0
    assert out.item() == pytest.approx(f.value(0.7))
    np.testing.assert_array_equal(f.gradient(0.7), [0.0])


def test_sympy_expression_input():
    x, y = sympy.symbols("x y", real=True)
    f = Objective(y**2 + sympy.sin(x))
    assert f.variables == ("x", "y")
    assert f.value((0.5, 2.0)) == pytest.approx(4.0 + math.sin(0.5), rel=1e-14)
    np.testing.assert_allclose(f.gradient((0.5, 2.0)), [math.cos(0.5), 4.0], rtol=1e-14)
    # an Objective can be built from another Objective's expression
    assert Objective(Objective(SEED).expr).value(0.3) == pytest.approx(seed_f(0.3), rel=1e-12)


# --- bad input ------------------------------------------------------------------------------------


def test_objective_error_is_an_optscenes_error():
    assert issubclass(ObjectiveError, OptscenesError)


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_empty_formula(text):
    assert "empty" in error_message(text)


def test_syntax_error_names_position():
    message = error_message("(6*x-2")
    assert "never closed" in message
    assert "position 1" in message
    # position counts characters of the text as written, with ^ one character
    message = error_message("x^2 + 2*x)")
    assert "position 10" in message
    assert "unmatched" in message


def test_unknown_function_is_named_with_its_position():
    message = error_message("foo(x)")
    assert "'foo'" in message
    assert "position 1" in message
    assert "position 7" in error_message("x^2 + foo(x)")
    assert "'foo'" in error_message("foo*x")


def test_misspelt_function_gets_a_suggestion():
    message = error_message("sinn(x)")
    assert "'sinn'" in message
    assert "did you mean" in message
    assert "sin" in message.split("did you mean", 1)[1]


def test_unknown_single_letter_variable():
    message = error_message("z*x")
    assert "'z'" in message
    assert "variable" in message


def test_too_many_variables():
    x, y, z = sympy.symbols("x y z")
    message = error_message(x + y * z)
    assert "3 variables" in message
    assert "two" in message


def test_implicit_product_hint():
    assert "2*x" in error_message("2x")


def test_huge_exponent_fails_fast():
    start = time.monotonic()
    message = error_message("9**9**9")
    assert time.monotonic() - start < 5
    assert "too large" in message
    assert "exponent" in message


def test_nested_powers_fail_fast():
    """Each exponent is at most 1000, but the number is 10**(10**9): refused, not computed.

    Run in a subprocess so a hang cannot stall the test run.
    """
    code = textwrap.dedent(
        """
        from optscenes import Objective, ObjectiveError
        try:
            Objective("((10^1000)^1000)^1000")
        except ObjectiveError as error:
            print("ObjectiveError:", error)
        """
    )
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("Objective('((10^1000)^1000)^1000') did not return within a minute (it would compute a number of a billion digits)")
    assert done.stdout.startswith("ObjectiveError:"), done.stdout + done.stderr


def test_huge_constant_raises_objective_error():
    """10^1000 is an allowed exponent; a constant too large for a float must still be an ObjectiveError."""
    with pytest.raises(ObjectiveError):
        Objective("10^1000*x")


@pytest.mark.parametrize("formula", [5, 1.5, None, ["x"], b"x"])
def test_non_formula_objects(formula):
    message = error_message(formula)
    assert type(formula).__name__ in message


@pytest.mark.parametrize(
    "text, words",
    [
        ("x % 2", "operator"),
        ("x < 1", "comparison"),
        ("x if x else 1", "'if'"),
        ("'a'", "not a number"),
        ("True", "not a number"),
        ("1e999", "too large"),
        ("x/0", "division by zero"),
        ("sin", "parentheses"),
        ("x(2)", "not a function"),
        ("sin(x, y)", "argument"),
        ("sin(x=1)", "keyword"),
        ("not x", "'not x' is not allowed"),
        ("~x", "'~x' is not allowed"),
        ("-(~x)", "'~x' is not allowed"),
    ],
)
def test_other_constructs_are_refused(text, words):
    assert words in error_message(text)


def test_the_unary_signs_are_allowed():
    assert Objective("-x").value(2.0) == -2.0
    assert Objective("+x").value(2.0) == 2.0


# --- code is rejected, never run ------------------------------------------------------------------


def test_import_system_is_not_run(tmp_path):
    target = tmp_path / "PWNED_optscenes"
    for text in [
        f"__import__('os').system('touch {target}')",
        f"open('{target}', 'w')",
        f"exec(\"open('{target}', 'w')\")",
        f"eval(\"open('{target}', 'w')\")",
    ]:
        with pytest.raises(ObjectiveError):
            Objective(text)
        assert not target.exists(), text


@pytest.mark.parametrize(
    "text",
    [
        "open('/etc/passwd')",
        "x.__class__",
        "x.__class__.__bases__[0].__subclasses__()",
        "(lambda: 1)()",
        "[c for c in ()]",
        "exec('1')",
        "globals()",
        "__builtins__",
        "sin.__globals__",
        "(x := 1)",
        "f'{x}'",
    ],
)
def test_code_is_rejected(text):
    with pytest.raises(ObjectiveError):
        Objective(text)


def test_parsing_uses_no_eval_or_exec(monkeypatch):
    formulas = [SEED, ROSENBROCK, MIXED, "log(x, 2) + max(x, 1, y)"]
    for text in formulas:  # warm up sympy's lazy imports (importing runs exec) before patching
        Objective(text).value([0.4] * Objective(text).dim)

    def refuse(*args, **kwargs):
        raise AssertionError("eval/exec was called")

    real_compile = builtins.compile

    def compile_ast_only(source, filename, mode, flags=0, *args, **kwargs):
        # ast.parse compiles with PyCF_ONLY_AST, which builds a tree and runs nothing
        if not flags & 0x400:  # ast.PyCF_ONLY_AST
            raise AssertionError("compile to bytecode was called")
        return real_compile(source, filename, mode, flags, *args, **kwargs)

    monkeypatch.setattr(builtins, "eval", refuse)
    monkeypatch.setattr(builtins, "exec", refuse)
    monkeypatch.setattr(builtins, "compile", compile_ast_only)
    for text in formulas:
        f = Objective(text)
        assert f.expr is not None
    f = Objective(SEED)
    assert f.value(0.4) == pytest.approx(seed_f(0.4), rel=1e-12)


# --- printing -------------------------------------------------------------------------------------


def test_latex_and_pretty():
    f = Objective(SEED)
    assert "\\sin" in f.latex
    assert "x" in f.latex
    assert "²" in f.pretty
    assert "sin" in f.pretty
    assert "**" not in f.pretty


@pytest.mark.parametrize(
    ("formula", "pretty"),
    [
        (SEED, "(6x − 2)² · sin(12x − 4)"),
        ("(1-x)^2 + 100*(y-x**2)^2", "(1 − x)² + 100(y − x²)²"),  # as typed, not sympy's (-x² + y)
        ("-x^2 + 3e-5*x", "−x² + 3e−5x"),  # a unary minus is a sign; 3e-5 stays one number
        ("2*pi*x / 3", "2π · x / 3"),
    ],
)
def test_pretty_prints_the_formula_as_typed(formula, pretty):
    assert Objective(formula).pretty == pretty
