"""The update-rule terms against an independent reference: torch's documented algorithms written here in numpy.

The reference replays each documented algorithm (torch.optim docs: SGD, Adam/AdamW, RMSprop, Adagrad) in
float64 from the start point and torch's recorded gradients, so it checks both the recorded state and what
``optscenes.core.inside`` derives from it. The "with numbers" lines are rebuilt here from the reference
values with this file's own number formatter.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import typst

from optscenes import optimize
from optscenes.core.inside import (
    BEATS,
    ExplainPlan,
    beat_of,
    format_number,
    legible_scale,
    overlay_vectors,
    plain_math,
    update_rule,
    update_terms,
)
from optscenes.core.timing import frame_plan

SEED = "(6*x-2)^2*sin(12*x-4)"
BOWL = "0.5*x^2 + 10*y^2"

# name: (objective, optimizer, settings)
RUNS = {
    "sgd_2d": (BOWL, "sgd", {"lr": 0.04, "start": (3.0, 1.0)}),
    "sgd_momentum": (SEED, "sgd", {"lr": 0.01, "momentum": 0.9}),
    "sgd_nesterov_2d": (BOWL, "sgd", {"lr": 0.02, "start": (3.0, 1.0), "momentum": 0.9, "nesterov": True}),
    "sgd_weight_decay": (SEED, "sgd", {"lr": 0.01, "weight_decay": 0.1}),
    "sgd_dampening_maximize": (
        f"-({BOWL})",
        "sgd",
        {"lr": 0.02, "start": (3.0, 1.0), "momentum": 0.5, "dampening": 0.3, "maximize": True, "weight_decay": 0.05},
    ),
    "adam": (SEED, "adam", {"lr": 0.25}),
    "adam_2d": (BOWL, "adam", {"lr": 0.3, "start": (3.0, 1.0)}),
    "adam_step_lr": (
        SEED,
        "adam",
        {"lr": 0.25, "scheduler": "StepLR", "scheduler_kwargs": {"step_size": 2, "gamma": 0.5}},
    ),
    "adam_amsgrad": (SEED, "adam", {"lr": 0.25, "amsgrad": True}),
    "adamw_2d": (BOWL, "adamw", {"lr": 0.3, "start": (3.0, 1.0), "weight_decay": 0.1}),
    "rmsprop": (SEED, "rmsprop", {"lr": 0.01}),
    "rmsprop_centered_momentum_2d": (
        BOWL,
        "rmsprop",
        {"lr": 0.01, "start": (3.0, 1.0), "centered": True, "momentum": 0.5},
    ),
    "adagrad_lr_decay": (SEED, "adagrad", {"lr": 0.25, "lr_decay": 0.1}),
    "adamax_generic": (BOWL, "adamax", {"lr": 0.3, "start": (3.0, 1.0)}),
}
STEPS = 15


@pytest.fixture(scope="module", params=list(RUNS))
def run(request):
    formula, optimizer, settings = RUNS[request.param]
    return optimize(formula, optimizer, steps=STEPS, dtype="float64", **settings)


# --- the reference: torch's documented algorithms, by hand ----------------------------------------


def reference(run) -> list[dict[str, np.ndarray | float]]:
    """Each step's quantities, replayed from the start with torch's recorded gradients ``nabla f(x_(t-1))``."""
    h, name = run.hyperparameters, run.optimizer
    x = run.params[0].copy()
    zeros = np.zeros_like(x)
    m, v, vmax, b, gbar = zeros, zeros, zeros, None, zeros
    G = zeros + h.get("initial_accumulator_value", 0.0)
    steps = []
    for k in range(run.steps):
        t, lr, grad = k + 1, run.lr[k + 1], run.grads[k]
        g = -grad if h.get("maximize") else grad
        decoupled = name == "AdamW" or h.get("decoupled_weight_decay")
        if h.get("weight_decay") and not decoupled and name != "Adamax":
            g = g + h["weight_decay"] * x
        r = {"x_prev": x, "grad": grad, "g": g, "lr": lr, "t": t}
        if name == "SGD":
            if h["momentum"]:
                r["b_prev"] = zeros if b is None else b
                r["c"] = 1.0 if b is None else 1 - h["dampening"]
                b = g.copy() if b is None else h["momentum"] * b + (1 - h["dampening"]) * g
                r["b"] = b
                direction = g + h["momentum"] * b if h["nesterov"] else b
                if h["nesterov"]:
                    r["d"] = direction
            else:
                direction = g
            x = x - lr * direction
        elif name in ("Adam", "AdamW"):
            b1, b2 = h["betas"]
            r.update(m_prev=m, v_prev=v, vmax_prev=vmax)
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g**2
            vmax = np.maximum(vmax, v)
            m_hat = m / (1 - b1**t)
            v_hat = (vmax if h["amsgrad"] else v) / (1 - b2**t)
            s = lr / (np.sqrt(v_hat) + h["eps"])
            r.update(m=m, v=v, vmax=vmax, m_hat=m_hat, v_hat=v_hat, s=s, beta1=b1, beta2=b2, eps=h["eps"])
            x = x * (1 - lr * h["weight_decay"]) if decoupled else x
            x = x - s * m_hat
        elif name == "RMSprop":
            a = h["alpha"]
            r.update(
                v_prev=v, gbar_prev=gbar, b_prev=zeros if b is None else b, alpha=a, eps=h["eps"], mu=h["momentum"]
            )
            v = a * v + (1 - a) * g**2
            gbar = a * gbar + (1 - a) * g
            d = (np.sqrt(v - gbar**2) if h["centered"] else np.sqrt(v)) + h["eps"]
            r.update(v=v, gbar=gbar, d=d)
            if h["momentum"]:
                b = h["momentum"] * (zeros if b is None else b) + g / d
                r["b"] = b
                x = x - lr * b
            else:
                x = x - lr * g / d
        elif name == "Adagrad":
            clr = lr / (1 + (t - 1) * h["lr_decay"])
            r.update(G_prev=G, clr=clr, lr_decay=h["lr_decay"], eps=h["eps"])
            G = G + g**2
            r["G"] = G
            x = x - clr * g / (np.sqrt(G) + h["eps"])
        else:
            x = run.params[k + 1]  # any other optimizer: the generic rule only states the step taken
        r.update(x=x, dx=x - r["x_prev"])
        steps.append(r)
    return steps


def fmt(value, op=False) -> str:
    """This test's own formatter: 3 significant digits, Typst powers of ten, negatives in parentheses."""
    if isinstance(value, int):
        return str(value)
    value = float(value)  # Python's round is exact on the binary value; numpy's scales by 10**n first
    if value == 0:
        return "0"
    exponent = math.floor(math.log10(abs(value)))
    rounded = round(value, 2 - exponent)
    if rounded != 0 and math.floor(math.log10(abs(rounded))) != exponent:  # 9.996 rounds up to 10.0
        exponent += 1
    if -4 <= exponent < 3:
        text = f"{rounded:.{max(2 - exponent, 0)}f}"
        text = text.rstrip("0").rstrip(".") if "." in text else text
        sci = False
    else:
        mantissa = f"{value / 10**exponent:.2f}".rstrip("0").rstrip(".")
        text = f"10^({exponent})" if mantissa == "1" else f"{mantissa} times 10^({exponent})"
        sci = True
    return f"({text})" if op and (sci or text.startswith("-")) else text


def expected_lines(run, r, i) -> list[str]:
    """The "with numbers" lines of step r (component i), written out per family from the reference."""
    h, name = run.hyperparameters, run.optimizer
    c = {key: (val[i] if isinstance(val, np.ndarray) else val) for key, val in r.items()}
    P = lambda key: fmt(c[key], op=True)
    R = lambda key: fmt(c[key])
    lines = []
    decoupled = name == "AdamW"
    sign = "-" if h.get("maximize") else ""
    if name in ("SGD", "Adam", "RMSprop", "Adagrad") and (h.get("weight_decay") or sign) and not decoupled:
        decay = f" + {fmt(h['weight_decay'], True)} dot {P('x_prev')}" if h.get("weight_decay") else ""
        lines.append(f"g = {sign}{P('grad')}{decay} = {R('g')}")
    if name == "SGD":
        if h["momentum"]:
            coefficient = f"{P('c')} dot " if h["dampening"] else ""
            lines.append(f"b = {fmt(h['momentum'])} dot {P('b_prev')} + {coefficient}{P('g')} = {R('b')}")
        if h["nesterov"]:
            lines.append(f"d = {P('g')} + {fmt(h['momentum'])} dot {P('b')} = {R('d')}")
        last = "d" if h["nesterov"] else "b" if h["momentum"] else "g"
        lines.append(f"x = {P('x_prev')} - {P('lr')} dot {P(last)} = {R('x')}")
    elif name in ("Adam", "AdamW"):
        b1, b2 = h["betas"]
        lines.append(f"m = {fmt(b1)} dot {P('m_prev')} + {fmt(1 - b1)} dot {P('g')} = {R('m')}")
        lines.append(f"v = {fmt(b2)} dot {P('v_prev')} + {fmt(1 - b2)} dot {P('g')}^2 = {R('v')}")
        if h["amsgrad"]:
            lines.append(f"v^max = max({R('vmax_prev')}, {R('v')}) = {R('vmax')}")
        lines.append(f"hat(m) = {P('m')} / (1 - {fmt(b1)}^{r['t']}) = {R('m_hat')}")
        lines.append(f"hat(v) = {P('vmax' if h['amsgrad'] else 'v')} / (1 - {fmt(b2)}^{r['t']}) = {R('v_hat')}")
        lines.append(f"s = {P('lr')} / (sqrt({R('v_hat')}) + {fmt(h['eps'], True)}) = {R('s')}")
        keep = f"(1 - {P('lr')} dot {fmt(h['weight_decay'], True)}) dot " if decoupled else ""
        lines.append(f"x = {keep}{P('x_prev')} - {P('s')} dot {P('m_hat')} = {R('x')}")
    elif name == "RMSprop":
        a = h["alpha"]
        lines.append(f"v = {fmt(a)} dot {P('v_prev')} + {fmt(1 - a)} dot {P('g')}^2 = {R('v')}")
        if h["centered"]:
            lines.append(f"overline(g) = {fmt(a)} dot {P('gbar_prev')} + {fmt(1 - a)} dot {P('g')} = {R('gbar')}")
            lines.append(f"d = sqrt({P('v')} - {P('gbar')}^2) + {fmt(h['eps'], True)} = {R('d')}")
        else:
            lines.append(f"d = sqrt({R('v')}) + {fmt(h['eps'], True)} = {R('d')}")
        if h["momentum"]:
            lines.append(f"b = {fmt(h['momentum'])} dot {P('b_prev')} + {P('g')} / {P('d')} = {R('b')}")
            lines.append(f"x = {P('x_prev')} - {P('lr')} dot {P('b')} = {R('x')}")
        else:
            lines.append(f"x = {P('x_prev')} - {P('lr')} dot {P('g')} / {P('d')} = {R('x')}")
    elif name == "Adagrad":
        if h["lr_decay"]:
            lines.append(f"eta_t = {P('lr')} / (1 + ({r['t']} - 1) dot {fmt(h['lr_decay'], True)}) = {R('clr')}")
        lines.append(f"G = {P('G_prev')} + {P('g')}^2 = {R('G')}")
        lines.append(
            f"x = {P('x_prev')} - {P('clr')} dot {P('g')} / (sqrt({R('G')}) + {fmt(h['eps'], True)}) = {R('x')}"
        )
    else:
        lines.append(f"x = {P('x_prev')} + {P('dx')} = {R('x')}")
    return lines


# --- tests ----------------------------------------------------------------------------------------


def test_the_reference_replays_torch(run):
    """The hand-written algorithms land on torch's recorded iterates: the reference is a real one."""
    ref = reference(run)
    np.testing.assert_allclose([r["x"] for r in ref], run.params[1:], rtol=1e-12, atol=1e-12)


def test_terms_equal_the_reference_and_torch_state(run):
    ref = reference(run)
    torch_names = {"m": "exp_avg", "v": "exp_avg_sq", "vmax": "max_exp_avg_sq", "b": "momentum_buffer", "G": "sum"}
    if run.optimizer == "RMSprop":
        torch_names.update(v="square_avg", gbar="grad_avg")
    for k, r in enumerate(ref):
        terms = update_terms(run, k)
        assert terms.consistent, (k, terms.residual)
        assert terms.residual < 1e-12 * (1 + np.abs(run.params[k]).max())
        np.testing.assert_array_equal(terms.step, run.params[k + 1] - run.params[k])
        for slot in set(r) & set(terms.values):
            np.testing.assert_allclose(terms.values[slot], r[slot], rtol=1e-11, atol=1e-14, err_msg=f"{slot} at k={k}")
        for slot, name in torch_names.items():
            if slot in terms.values and name in run.state:
                np.testing.assert_array_equal(terms.values[slot], run.state[name][k + 1])


def test_every_filled_line_is_the_reference_formatted_here(run):
    ref = reference(run)
    rule = update_rule(run.optimizer, run.hyperparameters)
    for k, r in enumerate(ref):
        terms = update_terms(run, k)
        for i in range(run.dim):
            assert [e.filled(terms, coordinate=i) for e in rule] == expected_lines(run, r, i), f"k={k}, coordinate {i}"


def test_every_number_shown_is_torch_state_to_the_digits_shown(run):
    """Each shown number, read back, equals the recorded value rounded to the digits shown."""
    state_of = {
        "m": "exp_avg",
        "v": "square_avg" if run.optimizer == "RMSprop" else "exp_avg_sq",
        "b": "momentum_buffer",
        "G": "sum",
        "gbar": "grad_avg",
    }
    for k in range(run.steps):
        terms = update_terms(run, k)
        for equation in update_rule(run.optimizer, run.hyperparameters):
            for slot, value, text in equation.numbers(terms, coordinate=run.dim - 1):
                recorded = {"x": run.params[k + 1], "x_prev": run.params[k], "grad": run.grads[k]}.get(slot)
                if slot in state_of and state_of[slot] in run.state:
                    recorded = run.state[state_of[slot]][k + 1]
                if recorded is not None:
                    shown = float(text.strip("()").replace(" times 10^(", "e").replace("10^(", "1e").rstrip(")"))
                    assert shown == float(f"{recorded[-1]:.3g}"), (k, slot, text, recorded)


def test_templates_and_filled_lines_compile_with_typst(run):
    terms = update_terms(run, 2)
    rule = update_rule(run.optimizer, run.hyperparameters)
    bodies = (
        [e.template for e in rule] + [e.filled(terms, coordinate=0) for e in rule] + [e.filled(terms) for e in rule]
    )
    typst.compile(
        ("#set page(width: auto, height: auto)\n" + "\n".join(f"$ {b} $" for b in bodies)).encode(), format="svg"
    )


def test_numbers_give_the_slots_in_order_with_their_text():
    run = optimize(SEED, "adam", lr=0.25, steps=5, dtype="float64")
    terms = update_terms(run, 2)
    m_line = update_rule("Adam", run.hyperparameters)[0]
    numbers = m_line.numbers(terms)
    assert [n.slot for n in numbers] == ["beta1", "m_prev", "one_minus_beta1", "g", "m"] == list(m_line.slots)
    assert numbers[1].text == fmt(run.state["exp_avg"][2][0], op=True) and numbers[-1].value == run.state["exp_avg"][3]
    assert m_line.filled(terms) == f"m = 0.9 dot {numbers[1].text} + 0.1 dot {numbers[3].text} = {numbers[4].text}"


def test_float32_runs_are_consistent_and_a_wrong_rule_is_not():
    run = optimize(SEED, "adam", lr=0.25, steps=50)
    assert all(update_terms(run, k).consistent for k in range(run.steps))
    # The same recorded numbers read as plain SGD do not reproduce the step: the check can fail.
    fake = type(run)(**{**run.__dict__, "optimizer": "SGD", "hyperparameters": {"momentum": 0}})
    assert not update_terms(fake, 3).consistent


def test_step_outside_the_run_is_refused():
    run = optimize(SEED, "adam", lr=0.25, steps=3)
    with pytest.raises(ValueError, match="steps 0 to 2"):
        update_terms(run, 3)


@pytest.mark.parametrize(
    ("value", "operand", "text"),
    [(-3.2149, True, "(-3.21)"), (-3.2149, False, "-3.21"), (0.9, True, "0.9"), (1e-8, True, "(10^(-8))"),
     (2654.3, False, "2.65 times 10^(3)"), (-0.0, True, "0"), (4, True, "4"), (0.00012345, False, "0.000123")],
)  # fmt: skip
def test_format_number(value, operand, text):
    assert format_number(value, operand=operand) == text
    assert format_number(value, operand=operand) == fmt(value, op=operand)


def test_format_number_digits_and_vectors():
    assert format_number(-3.21987, digits=5, operand=True) == "(-3.2199)"
    assert format_number(np.array([-1.5, 20.25])) == "vec(-1.5, 20.2)"


def test_overlay_vectors_are_the_recorded_arrows():
    run = optimize(BOWL, "sgd", lr=0.02, start=(3.0, 1.0), momentum=0.9, steps=10, dtype="float64")
    k = 4
    o = overlay_vectors(run, k)
    np.testing.assert_array_equal(o.point, run.params[k])
    np.testing.assert_array_equal(o.gradient_arrows["-grad"], -run.grads[k])
    np.testing.assert_allclose(o.gradient_arrows["-grad"], -np.array([1.0, 20.0]) * run.params[k], rtol=1e-12)
    np.testing.assert_array_equal(o.position_arrows["-lr*grad"], -0.02 * run.grads[k])
    np.testing.assert_array_equal(o.position_arrows["step"], run.params[k + 1] - run.params[k])
    np.testing.assert_array_equal(o.moment, run.state["momentum_buffer"][k + 1])
    # plain momentum: the step is -lr times the recorded buffer
    np.testing.assert_allclose(o.position_arrows["step"], -0.02 * o.moment, rtol=1e-12)
    assert "momentum_buffer" in o.moment_note and o.step_size is None


def test_overlay_adam_step_size_and_first_moment():
    run = optimize(SEED, "adam", lr=0.25, steps=10, dtype="float64")
    ref = reference(run)
    o = overlay_vectors(run, 3)
    np.testing.assert_allclose(o.step_size, ref[3]["s"], rtol=1e-12)
    np.testing.assert_array_equal(o.moment, run.state["exp_avg"][4])
    assert "exp_avg" in o.moment_note
    assert overlay_vectors(optimize(SEED, "rmsprop", lr=0.01, steps=3), 1).moment is None


@pytest.mark.parametrize(
    ("lengths", "view", "scale"),
    [([50.0], 10.0, 0.05), ([1.0], 4.0, 1.0), ([0.01], 1.0, 20.0), ([3.0, 7.0], 100.0, 5.0), ([0.0], 1.0, 1.0)],
)
def test_legible_scale_is_round_and_makes_the_longest_arrow_a_quarter(lengths, view, scale):
    vectors = [np.array([n, 0.0]) for n in lengths]
    chosen = legible_scale(vectors, view)
    assert chosen == scale
    mantissa = chosen / 10 ** math.floor(math.log10(chosen))
    assert round(mantissa, 9) in (1, 2, 5)
    if max(lengths):
        assert 0.25 / 2 <= max(lengths) * chosen / view <= 0.25 * 2


def test_legible_scale_measures_in_view_units_per_axis():
    # 1 unit along y in a view 2 tall is half the view; along x in a view 100 wide it is 1 %.
    assert legible_scale([np.array([0.0, 1.0])], np.array([100.0, 2.0])) == 0.5
    assert legible_scale([np.array([1.0, 0.0])], np.array([100.0, 2.0])) == 20.0


def test_numbers_of_a_1d_run_are_plain_floats():
    run = optimize(SEED, "sgd", lr=0.01, momentum=0.9, steps=4, dtype="float64")
    numbers = update_rule("SGD", run.hyperparameters)[0].numbers(update_terms(run, 2))
    assert [type(n.value) for n in numbers] == [float] * 4
    assert numbers[-1].value == run.state["momentum_buffer"][3][0]


# --- the panel's plain text, the arrows in x units, the tangent, the beats -------------------------


@pytest.mark.parametrize(
    ("typst_text", "text"),
    [("1.48 times 10^(3)", "1.48·10³"), ("0.25 / (sqrt(2.91 times 10^(3)) + (10^(-8)))", "0.25 / (√(2.91·10³) + 10⁻⁸)"),
     ("0.999 dot 29.5 + 0.001 dot (-49.1)^2", "0.999·29.5 + 0.001·(−49.1)²"), ("1 - 0.9^11", "1 − 0.9¹¹"),
     ("(-1.2 times 10^(-5))^2", "(−1.2·10⁻⁵)²"), ("(10^(-8))^2", "(10⁻⁸)²"), ("-infinity", "−∞")],
)  # fmt: skip
def test_plain_math_writes_powers_as_superscripts(typst_text, text):
    assert plain_math(typst_text) == text


def test_plain_math_of_every_filled_line_has_no_typst_left(run):
    terms = update_terms(run, 3)
    for equation in update_rule(run.optimizer, run.hyperparameters):
        # The right-hand side: the panel typesets the symbol defined above its numbers.
        text = plain_math(equation.filled(terms, coordinate=0).split(" = ", 1)[1])
        assert not {"^", "-"} & set(text) and " dot " not in text and " times " not in text, text


def test_moment_arrow_is_minus_lr_times_the_hand_replayed_moment():
    """-lr * m in x units, m from the hand-written Adam of this file (torch's exp_avg), and b for momentum."""
    adam = optimize(SEED, "adam", lr=0.25, steps=8, dtype="float64")
    ref = reference(adam)
    for k in (0, 3, 7):
        o = overlay_vectors(adam, k)
        np.testing.assert_allclose(o.position_arrows["-lr*moment"], -0.25 * ref[k]["m"], rtol=1e-12)
    momentum = optimize(BOWL, "sgd", lr=0.02, start=(3.0, 1.0), momentum=0.9, steps=6, dtype="float64")
    ref = reference(momentum)
    o = overlay_vectors(momentum, 4)
    np.testing.assert_allclose(o.position_arrows["-lr*moment"], -0.02 * ref[4]["b"], rtol=1e-12)
    # plain momentum steps by exactly -lr * b: the step arrow and the moment arrow coincide
    np.testing.assert_allclose(o.position_arrows["-lr*moment"], o.step, rtol=1e-12)
    assert "-lr*moment" not in overlay_vectors(optimize(SEED, "rmsprop", lr=0.01, steps=3), 1).position_arrows


def test_tangent_has_the_recorded_slope_and_length_on_screen():
    run = optimize(SEED, "sgd", lr=0.01, steps=5, dtype="float64")
    o = overlay_vectors(run, 2)
    x = run.params[2, 0]
    slope = 2 * (6 * x - 2) * 6 * math.sin(12 * x - 4) + (6 * x - 2) ** 2 * 12 * math.cos(12 * x - 4)  # by hand
    units = (4.0, 0.1)  # screen units per unit of x and of f
    low, high = o.tangent(1.5, units)
    assert (high[1] - low[1]) / (high[0] - low[0]) == pytest.approx(slope, rel=1e-9)
    np.testing.assert_allclose((low + high) / 2, [x, run.losses[2]], rtol=1e-12)
    assert math.hypot((high[0] - low[0]) * units[0], (high[1] - low[1]) * units[1]) == pytest.approx(1.5)


def test_beats_put_gradient_moment_and_step_lines_in_order():
    rule = update_rule("SGD", {"momentum": 0.9, "weight_decay": 0.1})
    assert [(e.defines, beat_of(e)) for e in rule] == [("g", 0), ("b", 1), ("x", 2)]
    adam = update_rule("Adam", {"betas": (0.9, 0.999)})
    assert [beat_of(e) for e in adam] == [1, 1, 1, 1, 1, 2] and BEATS == ("gradient", "moment", "step")


@pytest.mark.parametrize(("steps", "explained", "every"), [(10, 2, 1), (7, 7, 1), (20, 3, 4), (5, 0, 1)])
def test_explain_plan_frames_against_an_enumeration(steps, explained, every):
    """Every frame's (step, beats) written out one by one, then compared with the plan's counts and lookups."""
    plan = frame_plan(steps, 12, 2 / 12, hold_seconds=1.0, start_seconds=0.5, show_every=every)
    explain = ExplainPlan(plan, explained, beat_frames=6)
    expected = []
    for step in range(explained):
        for beat in (1, 2, 3):
            expected += [(step, beat)] * 6
    shown = list(range(explained, steps, every)) + [steps]
    for step in shown:
        expected += [(step, 3)] * 2
    assert explain.replay_frames == len(expected)
    assert [explain.moment_at(i) for i in range(len(expected))] == expected
    assert explain.total_frames == 6 + len(expected) + 12
    if explained == 0:
        assert explain.replay_frames == plan.replay_frames


def test_explaining_more_steps_than_the_run_has_is_refused():
    with pytest.raises(ValueError, match="at most 5"):
        ExplainPlan(frame_plan(5, 15, 1 / 15), 6, 15)
