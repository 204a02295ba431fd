"""Tests of ``optscenes.optimize`` across torch.optim: update rules, recorded state, schedules, failures.

Three kinds of reference, none going through the library's evaluator:

* update rules written out by hand in numpy from the pseudo-code in torch.optim's documentation;
* plain torch loops (zero_grad, backward, step, scheduler.step) on the function written in torch ops,
  to compare the optimizer state and the learning rates the library records;
* closed forms (x^2 under SGD, a cosine schedule).
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest
import torch
from torch.optim import lr_scheduler

import optscenes
from optscenes import OptimizerError, OptscenesError, optimize

SEED = "(6*x-2)^2*sin(12*x-4)"
ROSENBROCK = "(1-x)^2 + 100*(y-x^2)^2"
X_MIN = 0.75725  # global minimum of the seed on [0, 1]


# --- helpers: the functions by hand ---------------------------------------------------------------


def seed_grad(x):
    """f'(x) = 12(6x-2) sin(12x-4) + 12(6x-2)^2 cos(12x-4), elementwise, float64."""
    x = np.asarray(x, dtype=np.float64)
    a = 6 * x - 2
    return 12 * a * np.sin(12 * x - 4) + 12 * a * a * np.cos(12 * x - 4)


def rosenbrock_grad(p):
    x, y = p
    return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])


def seed_torch(x):
    return ((6 * x - 2) ** 2 * torch.sin(12 * x - 4)).sum()


def rosenbrock_torch(p):
    return (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2


# --- helpers: update rules from the torch.optim documentation -------------------------------------


def sgd_reference(grad, x0, steps, lr, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False):
    """torch.optim.SGD: g += wd*x; b = g (first step) or mu*b + (1-tau)*g; g = g + mu*b or b; x -= lr*g."""
    x = np.atleast_1d(np.asarray(x0, dtype=np.float64))
    buf = None
    xs = [x]
    for _ in range(steps):
        g = grad(x) + weight_decay * x
        if momentum:
            buf = g.copy() if buf is None else momentum * buf + (1 - dampening) * g
            g = g + momentum * buf if nesterov else buf
        x = x - lr * g
        xs.append(x)
    return np.array(xs)


def rmsprop_reference(grad, x0, steps, lr, alpha=0.99, eps=1e-8, momentum=0.0, centered=False):
    """torch.optim.RMSprop: v = a*v + (1-a)*g^2; centered: v~ = v - g_avg^2; x -= lr*g/(sqrt(v~)+eps)
    (or, with momentum, b = mu*b + g/(sqrt(v~)+eps); x -= lr*b)."""
    x = np.atleast_1d(np.asarray(x0, dtype=np.float64))
    v = np.zeros_like(x)
    g_avg = np.zeros_like(x)
    buf = np.zeros_like(x)
    xs = [x]
    for _ in range(steps):
        g = grad(x)
        v = alpha * v + (1 - alpha) * g * g
        v_tilde = v
        if centered:
            g_avg = alpha * g_avg + (1 - alpha) * g
            v_tilde = v - g_avg * g_avg
        denom = np.sqrt(v_tilde) + eps
        if momentum > 0:
            buf = momentum * buf + g / denom
            x = x - lr * buf
        else:
            x = x - lr * g / denom
        xs.append(x)
    return np.array(xs)


def adagrad_reference(grad, x0, steps, lr, lr_decay=0.0, eps=1e-10, initial_accumulator_value=0.0):
    """torch.optim.Adagrad: clr = lr/(1+(t-1)*lr_decay); sum += g^2; x -= clr*g/(sqrt(sum)+eps)."""
    x = np.atleast_1d(np.asarray(x0, dtype=np.float64))
    total = np.full_like(x, initial_accumulator_value)
    xs = [x]
    for t in range(1, steps + 1):
        g = grad(x)
        clr = lr / (1 + (t - 1) * lr_decay)
        total = total + g * g
        x = x - clr * g / (np.sqrt(total) + eps)
        xs.append(x)
    return np.array(xs)


# --- helpers: plain torch loops -------------------------------------------------------------------


def torch_loop(make_optimizer, steps, start=0.0, fn=seed_torch, make_scheduler=None, plateau=False, tol=None,
               dtype=torch.float64):
    """What a training loop does, recording each row as the library documents it.

    Returns params (rows, dim), lr (rows,) with lr[k] the lr the step producing row k used and
    lr[0] == lr[1], and the optimizer state (a dict of numpy copies) after each row's step.
    """
    x = torch.tensor(np.atleast_1d(start), dtype=dtype, requires_grad=True)
    opt = make_optimizer([x])
    scheduler = make_scheduler(opt) if make_scheduler else None

    def closure():
        opt.zero_grad()
        loss = fn(x)
        loss.backward()
        return loss

    def snapshot():
        return {k: v.detach().double().numpy().copy() for k, v in opt.state[x].items() if torch.is_tensor(v)}

    params, lrs, states = [x.detach().double().numpy().copy()], [opt.param_groups[0]["lr"]], [snapshot()]
    for _ in range(steps):
        loss = closure()
        lrs.append(opt.param_groups[0]["lr"])
        opt.step(closure) if isinstance(opt, torch.optim.LBFGS) else opt.step()
        if scheduler is not None:
            scheduler.step(loss.item()) if plateau else scheduler.step()
        params.append(x.detach().double().numpy().copy())
        states.append(snapshot())
        if tol is not None and np.linalg.norm(params[-1] - params[-2]) <= tol:
            break
    return np.array(params), np.array(lrs, dtype=float), states


def error_message(*args, **kwargs) -> str:
    with pytest.raises(OptscenesError) as info:
        optimize(*args, **kwargs)
    return str(info.value)


def assert_one_sentence(message: str) -> None:
    assert message.endswith((".", "?")), message
    assert "\n" not in message


# --- 1. hand-written update rules on the seed -----------------------------------------------------


@pytest.mark.parametrize(
    "settings",
    [
        {"momentum": 0.9},
        {"momentum": 0.9, "nesterov": True},
        {"momentum": 0.9, "dampening": 0.1, "weight_decay": 0.01},
    ],
    ids=["momentum", "nesterov", "dampening+weight_decay"],
)
def test_sgd_matches_hand_written_rule(settings):
    t = optimize(SEED, "sgd", start=0.0, steps=30, lr=0.002, dtype="float64", **settings)
    ref = sgd_reference(seed_grad, 0.0, 30, 0.002, **settings)
    assert t.status == "finished"
    assert t.params.shape == (31, 1)
    np.testing.assert_allclose(t.params, ref, rtol=0, atol=1e-12)
    np.testing.assert_allclose(t.grads[:, 0], seed_grad(ref[:, 0]), rtol=1e-10, atol=1e-10)
    # the settings change the path: each differs from plain momentum SGD
    if settings != {"momentum": 0.9}:
        assert np.abs(ref - sgd_reference(seed_grad, 0.0, 30, 0.002, momentum=0.9)).max() > 1e-3


@pytest.mark.parametrize(
    "settings", [{}, {"centered": True}, {"momentum": 0.5}], ids=["plain", "centered", "momentum"]
)
def test_rmsprop_matches_hand_written_rule(settings):
    t = optimize(SEED, "rmsprop", start=0.0, steps=30, lr=0.02, dtype="float64", **settings)
    ref = rmsprop_reference(seed_grad, 0.0, 30, 0.02, **settings)
    assert t.status == "finished"
    np.testing.assert_allclose(t.params, ref, rtol=0, atol=1e-12)
    # first step by hand: v = 0.01 g^2, so x1 = 0.02 * g / (0.1 |g| + 1e-8) ~ 0.2 sign(-g)
    g0 = seed_grad(0.0)
    if not settings:
        assert t.params[1, 0] == pytest.approx(-0.02 * g0 / (math.sqrt(0.01 * g0 * g0) + 1e-8), abs=1e-15)


@pytest.mark.parametrize(
    "settings",
    [{}, {"lr_decay": 0.05}, {"initial_accumulator_value": 0.3}],
    ids=["plain", "lr_decay", "initial_accumulator"],
)
def test_adagrad_matches_hand_written_rule(settings):
    t = optimize(SEED, "adagrad", start=0.0, steps=30, lr=0.8, dtype="float64", **settings)
    ref = adagrad_reference(seed_grad, 0.0, 30, 0.8, **settings)
    assert t.status == "finished"
    # lr 0.8 makes the path bounce across the valley, amplifying rounding (1e-16 -> 4e-11 by step 20)
    np.testing.assert_allclose(t.params, ref, rtol=0, atol=1e-9)
    np.testing.assert_allclose(t.params[:10], ref[:10], rtol=0, atol=1e-13)


def test_rosenbrock_sgd_momentum_matches_hand_written_rule():
    t = optimize(ROSENBROCK, "sgd", start=(-1.0, 1.0), steps=30, lr=1e-4, dtype="float64", momentum=0.9)
    ref = sgd_reference(rosenbrock_grad, [-1.0, 1.0], 30, 1e-4, momentum=0.9)
    assert t.params.shape == (31, 2)
    assert t.variables == ("x", "y")
    np.testing.assert_allclose(t.params, ref, rtol=0, atol=1e-12)
    np.testing.assert_allclose(t.grads, [rosenbrock_grad(p) for p in ref], rtol=1e-10, atol=1e-10)
    # the momentum buffer is recorded per coordinate
    assert t.state["momentum_buffer"].shape == (31, 2)


# --- 2. the recorded state is torch's own ----------------------------------------------------------

STATE_CASES = [
    ("Adam", {"lr": 0.1}, ["exp_avg", "exp_avg_sq", "step"]),
    ("SGD", {"lr": 0.002, "momentum": 0.9}, ["momentum_buffer"]),
    ("RMSprop", {"lr": 0.02}, ["square_avg", "step"]),
    ("Adagrad", {"lr": 0.8}, ["sum", "step"]),
    ("Adadelta", {"lr": 1.0}, ["square_avg", "acc_delta", "step"]),
    ("NAdam", {"lr": 0.05}, ["exp_avg", "exp_avg_sq", "mu_product", "step"]),
    ("RAdam", {"lr": 0.001}, ["exp_avg", "exp_avg_sq", "step"]),  # its first steps are lr * momentum
    ("Adamax", {"lr": 0.05}, ["exp_avg", "exp_inf", "step"]),
    ("ASGD", {"lr": 0.002, "t0": 5}, ["ax", "eta", "mu", "step"]),
    ("Rprop", {"lr": 0.01}, ["prev", "step_size", "step"]),
]


# float32 runs agree with a float32 torch loop to a few roundings of the function, amplified by the run.
STATE_TOLERANCE = {"float64": {"rtol": 1e-10, "atol": 1e-12}, "float32": {"rtol": 1e-4, "atol": 1e-5}}


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name, settings, names", STATE_CASES, ids=[c[0] for c in STATE_CASES])
def test_recorded_state_equals_torch_state(name, settings, names, dtype):
    steps = 20
    cls = getattr(torch.optim, name)
    tolerance = STATE_TOLERANCE[dtype]
    t = optimize(SEED, name, start=0.0, steps=steps, dtype=dtype, **settings)
    params, _, states = torch_loop(lambda p: cls(p, **settings), steps, dtype=getattr(torch, dtype))
    assert t.status == "finished"
    np.testing.assert_allclose(t.params, params, rtol=0, atol=tolerance["atol"])
    assert set(names) <= set(t.state)
    for k in range(1, steps + 1):
        for state_name in names:
            expected = states[k][state_name]
            recorded = t.state[state_name][k]
            assert recorded.shape == ((1,) if expected.ndim else ())
            np.testing.assert_allclose(recorded, expected.reshape(recorded.shape), **tolerance,
                                       err_msg=f"{name} {state_name} at row {k}")
    # state that is created lazily by the first step is NaN in row 0
    for state_name in names:
        if state_name not in states[0]:
            assert np.all(np.isnan(t.state[state_name][0])), state_name


def test_asgd_averaging_is_active_in_the_compared_run():
    """With t0=5 the averaged iterate ax departs from x, so the ASGD comparison above means something."""
    t = optimize(SEED, "asgd", start=0.0, steps=20, lr=0.002, t0=5)
    assert np.nanmax(np.abs(t.state["ax"] - t.params)) > 1e-6
    assert t.state["mu"][5] == 1 and t.state["mu"][-1] < 0.1


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_state_rows_are_snapshots_not_views(dtype):
    """SGD's momentum buffer after step 1 is the first gradient, and after step 2 it is 0.9*g0 + g1.

    BUG (float64): the rows alias torch's state tensors, which torch updates in place, so every
    row shows the final state.
    """
    t = optimize(SEED, "sgd", start=0.0, steps=4, lr=0.002, momentum=0.9, dtype=dtype)
    tolerance = 1e-12 if dtype == "float64" else 1e-4
    g0 = seed_grad(0.0)
    g1 = seed_grad(t.params[1, 0])
    assert np.isnan(t.state["momentum_buffer"][0, 0])
    assert t.state["momentum_buffer"][1, 0] == pytest.approx(g0, rel=tolerance)
    assert t.state["momentum_buffer"][2, 0] == pytest.approx(0.9 * g0 + g1, rel=tolerance)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_adagrad_row_zero_holds_the_initial_accumulator(dtype):
    t = optimize(SEED, "adagrad", start=0.0, steps=3, lr=0.8, dtype=dtype, initial_accumulator_value=0.25)
    np.testing.assert_array_equal(t.state["sum"][0], [0.25])
    assert t.state["step"][0] == 0
    g0 = seed_grad(0.0)
    np.testing.assert_allclose(t.state["sum"][1], [0.25 + g0 * g0], rtol=1e-14 if dtype == "float64" else 1e-6)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_two_variable_state_has_one_column_per_variable(dtype):
    t = optimize(ROSENBROCK, "adam", start=(-1.0, 1.0), steps=5, lr=0.01, dtype=dtype)
    _, _, states = torch_loop(lambda p: torch.optim.Adam(p, lr=0.01), 5, start=[-1.0, 1.0], fn=rosenbrock_torch,
                              dtype=getattr(torch, dtype))
    tolerance = STATE_TOLERANCE[dtype]
    assert t.state["exp_avg"].shape == (6, 2)
    assert t.state["step"].shape == (6,)
    for k in range(1, 6):
        np.testing.assert_allclose(t.state["exp_avg"][k], states[k]["exp_avg"], **tolerance)
        np.testing.assert_allclose(t.state["exp_avg_sq"][k], states[k]["exp_avg_sq"], **tolerance)
        assert t.state["step"][k] == k


# --- 3. every optimizer, and LBFGS ----------------------------------------------------------------


@pytest.mark.parametrize("name", optscenes.optimizer_names())
def test_every_optimizer_runs_five_steps(name):
    t = optimize(SEED, name, start=0.0, steps=5, lr=1e-3)
    assert t.optimizer == name
    assert t.status == "finished"
    assert t.params.shape == (6, 1)
    assert np.all(np.isfinite(t.params))
    assert t.params[-1, 0] != 0.0  # it moved


def test_refused_names_are_not_listed():
    names = optscenes.optimizer_names()
    assert "SparseAdam" not in names and "Muon" not in names
    assert {"Adam", "SGD", "LBFGS", "RMSprop", "Adagrad"} <= set(names)


def test_lbfgs_converges_to_the_global_minimum():
    t = optimize(SEED, "lbfgs", start=0.0, steps=10, lr=1, tol=1e-6, dtype="float64")
    assert t.status == "converged"
    assert t.stopped_at is not None and t.stopped_at <= 10
    assert t.stopped_at == len(t.params) - 1  # a converged step's row is kept
    assert t.requested_steps == 10
    assert abs(t.params[-1, 0] - X_MIN) < 1e-3
    assert abs(t.grads[-1, 0]) < 1e-4
    # one row per call of step(), not per inner iteration or function evaluation
    params, _, _ = torch_loop(lambda p: torch.optim.LBFGS(p, lr=1), 10, tol=1e-6)
    assert len(params) == len(t.params)
    np.testing.assert_allclose(t.params, params, rtol=0, atol=1e-10)


def test_lbfgs_float32_also_converges():
    t = optimize(SEED, "lbfgs", start=0.0, steps=10, lr=1, tol=1e-6)
    assert t.status == "converged"
    assert abs(t.params[-1, 0] - X_MIN) < 1e-3


# --- 4. optimizers the user brings ----------------------------------------------------------------


class SignSGD(torch.optim.Optimizer):
    """x -= lr * sign(grad)."""

    def __init__(self, params, lr=0.01):
        super().__init__(params, {"lr": lr})

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    p.add_(torch.sign(p.grad), alpha=-group["lr"])


def test_user_optimizer_class():
    t = optimize(SEED, SignSGD, start=0.0, steps=10, lr=0.05, dtype="float64")
    assert t.optimizer == "SignSGD"
    assert t.hyperparameters["lr"] == 0.05
    x, expected = 0.0, [0.0]
    for _ in range(10):
        x -= 0.05 * np.sign(seed_grad(x))
        expected.append(x)
    np.testing.assert_allclose(t.params[:, 0], expected, rtol=0, atol=1e-12)
    # its default lr is kept when none is given
    assert optimize(SEED, SignSGD, steps=1, dtype="float64").params[1, 0] == pytest.approx(0.01, abs=1e-15)


def test_optimizer_factory():
    factory = functools.partial(torch.optim.SGD, momentum=0.5)
    t = optimize(SEED, factory, start=0.0, steps=30, lr=0.002, dtype="float64")
    assert t.optimizer == "SGD"
    assert t.hyperparameters["momentum"] == 0.5
    np.testing.assert_allclose(t.params, sgd_reference(seed_grad, 0.0, 30, 0.002, momentum=0.5), rtol=0, atol=1e-12)


def test_factory_returning_something_else_is_refused():
    message = error_message(SEED, lambda params, lr=0.1: "not an optimizer", steps=2)
    assert "str" in message and "Optimizer" in message


def test_non_optimizer_class_is_refused():
    class LooksLikeAnOptimizer:
        def __init__(self, params, lr=0.1):
            self.param_groups = [{"params": params, "lr": lr}]

        def step(self):
            pass

    message = error_message(SEED, LooksLikeAnOptimizer, steps=2)
    assert "LooksLikeAnOptimizer" in message
    assert "torch.optim.Optimizer" in message
    assert_one_sentence(message)


@pytest.mark.parametrize("name, reason", [("SparseAdam", "sparse"), ("Muon", "2-D"), ("sparseadam", "sparse")])
def test_sparse_adam_and_muon_are_refused_with_a_reason(name, reason):
    message = error_message(SEED, name, steps=2)
    canonical = "SparseAdam" if name.lower() == "sparseadam" else "Muon"
    assert message.startswith(f"{canonical} cannot be used here: ")
    assert reason in message
    assert_one_sentence(message)


@pytest.mark.parametrize("cls", [torch.optim.SparseAdam, torch.optim.Muon], ids=["SparseAdam", "Muon"])
def test_refused_optimizers_given_as_classes_raise_optimizer_error(cls):
    """BUG (SparseAdam): the class bypasses the refusal and torch's RuntimeError escapes from step()."""
    message = error_message(SEED, cls, steps=2, lr=1e-3)
    assert cls.__name__ in message


# --- 5. schedules ---------------------------------------------------------------------------------


def assert_same_lr(t, lrs):
    assert len(t.lr) == len(lrs)
    assert t.lr[0] == t.lr[1]
    np.testing.assert_allclose(t.lr, lrs, rtol=1e-12, atol=0)


SCHEDULE_CASES = [
    ("StepLR", {"step_size": 5, "gamma": 0.5}),
    ("ExponentialLR", {"gamma": 0.9}),
    ("LambdaLR", {"lr_lambda": lambda k: 1 / (1 + 0.5 * k)}),
]


@pytest.mark.parametrize("name, kwargs", SCHEDULE_CASES, ids=[c[0] for c in SCHEDULE_CASES])
def test_recorded_lr_is_the_schedulers_sequence(name, kwargs):
    t = optimize(SEED, "adam", start=0.0, steps=20, lr=0.1, dtype="float64", scheduler=name, scheduler_kwargs=kwargs)
    cls = getattr(lr_scheduler, name)
    params, lrs, _ = torch_loop(lambda p: torch.optim.Adam(p, lr=0.1), 20, make_scheduler=lambda o: cls(o, **kwargs))
    assert t.scheduler == name
    assert_same_lr(t, lrs)
    np.testing.assert_allclose(t.params, params, rtol=0, atol=1e-10)


def test_step_lr_by_hand():
    t = optimize(SEED, "adam", steps=12, lr=0.1, scheduler="steplr", scheduler_kwargs={"step_size": 5, "gamma": 0.5})
    # row k (k >= 1) was made by step k, which used 0.1 * 0.5^((k-1)//5)
    np.testing.assert_allclose(t.lr, [0.1] + [0.1 * 0.5 ** ((k - 1) // 5) for k in range(1, 13)], rtol=1e-12)
    assert t.scheduler == "StepLR"


def test_scheduler_given_as_a_class():
    t = optimize(SEED, "adam", steps=10, lr=0.1, scheduler=lr_scheduler.ExponentialLR,
                 scheduler_kwargs={"gamma": 0.9})
    assert t.scheduler == "ExponentialLR"
    np.testing.assert_allclose(t.lr, [0.1] + [0.1 * 0.9 ** (k - 1) for k in range(1, 11)], rtol=1e-12)


def test_scheduler_given_as_a_factory():
    t = optimize(SEED, "adam", steps=10, lr=0.1, scheduler=lambda o: lr_scheduler.StepLR(o, step_size=2))
    assert t.scheduler == "StepLR"
    np.testing.assert_allclose(t.lr, [0.1] + [0.1 * 0.1 ** ((k - 1) // 2) for k in range(1, 11)], rtol=1e-12)


def test_cosine_annealing_defaults_t_max_to_steps():
    steps = 20
    t = optimize(SEED, "adam", start=0.0, steps=steps, lr=0.1, dtype="float64", scheduler="CosineAnnealingLR")
    _, lrs, _ = torch_loop(lambda p: torch.optim.Adam(p, lr=0.1), steps,
                           make_scheduler=lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=steps))
    assert t.scheduler == "CosineAnnealingLR"
    assert_same_lr(t, lrs)
    # closed form: step k uses 0.1 * (1 + cos(pi (k-1) / T_max)) / 2, with T_max = steps
    closed = [0.05 * (1 + math.cos(math.pi * (k - 1) / steps)) for k in range(1, steps + 1)]
    np.testing.assert_allclose(t.lr[1:], closed, rtol=1e-10, atol=1e-15)
    other = [0.05 * (1 + math.cos(math.pi * (k - 1) / (steps + 1))) for k in range(1, steps + 1)]
    assert np.abs(t.lr[1:] - other).max() > 1e-4
    # an explicit T_max is honoured
    half = optimize(SEED, "adam", steps=steps, lr=0.1, scheduler="CosineAnnealingLR", scheduler_kwargs={"T_max": 10})
    assert half.lr[11] == pytest.approx(0.0, abs=1e-15)


def test_one_cycle_defaults_max_lr_and_total_steps():
    steps = 25
    t = optimize(SEED, "adam", start=0.0, steps=steps, lr=0.1, dtype="float64", scheduler="OneCycleLR")
    assert t.status == "finished"
    assert t.steps == steps
    assert t.scheduler == "OneCycleLR"

    def one_cycle(o):
        return lr_scheduler.OneCycleLR(o, max_lr=0.1, total_steps=steps)

    _, lrs, _ = torch_loop(lambda p: torch.optim.Adam(p, lr=0.1), steps, make_scheduler=one_cycle)
    assert_same_lr(t, lrs)
    assert t.lr.max() == pytest.approx(0.1, rel=0.02)  # it peaks at lr
    assert t.lr[1] == pytest.approx(0.1 / 25)  # starting at max_lr / div_factor
    assert t.lr[-1] == t.lr[1:].min()  # the last step uses the schedule's final, lowest rate


def test_cyclic_lr_with_sgd_momentum():
    kwargs = {"base_lr": 0.0005, "max_lr": 0.002, "step_size_up": 5}
    t = optimize(SEED, "sgd", start=0.0, steps=20, lr=0.001, dtype="float64", momentum=0.9,
                 scheduler="CyclicLR", scheduler_kwargs=kwargs)
    params, lrs, _ = torch_loop(lambda p: torch.optim.SGD(p, lr=0.001, momentum=0.9), 20,
                                make_scheduler=lambda o: lr_scheduler.CyclicLR(o, **kwargs))
    assert t.scheduler == "CyclicLR"
    assert_same_lr(t, lrs)
    np.testing.assert_allclose(t.params, params, rtol=0, atol=1e-10)
    # triangular: base at steps 1, 11, 21..., max at steps 6, 16
    assert t.lr[1] == pytest.approx(0.0005) and t.lr[6] == pytest.approx(0.002) and t.lr[11] == pytest.approx(0.0005)


def test_reduce_lr_on_plateau_is_fed_each_steps_loss():
    kwargs = {"patience": 1}
    t = optimize(SEED, "adam", start=0.0, steps=30, lr=0.1, dtype="float64",
                 scheduler="ReduceLROnPlateau", scheduler_kwargs=kwargs)
    params, lrs, _ = torch_loop(lambda p: torch.optim.Adam(p, lr=0.1), 30, plateau=True,
                                make_scheduler=lambda o: lr_scheduler.ReduceLROnPlateau(o, **kwargs))
    assert t.scheduler == "ReduceLROnPlateau"
    assert_same_lr(t, lrs)
    np.testing.assert_allclose(t.params, params, rtol=0, atol=1e-10)
    assert t.lr[-1] < 0.1  # the plateau was reached and the lr reduced


def test_chain_of_schedules_is_torchs_chained_scheduler():
    chain = [("StepLR", {"step_size": 3}), ("ExponentialLR", {"gamma": 0.9})]
    t = optimize(SEED, "adam", start=0.0, steps=15, lr=0.1, dtype="float64", scheduler=chain)

    def chained(o):
        parts = [lr_scheduler.StepLR(o, step_size=3), lr_scheduler.ExponentialLR(o, gamma=0.9)]
        return lr_scheduler.ChainedScheduler(parts)

    params, lrs, _ = torch_loop(lambda p: torch.optim.Adam(p, lr=0.1), 15, make_scheduler=chained)
    assert t.scheduler == "StepLR + ExponentialLR"
    assert_same_lr(t, lrs)
    np.testing.assert_allclose(t.params, params, rtol=0, atol=1e-10)
    # by hand: step k uses 0.1 * 0.1^((k-1)//3) * 0.9^(k-1)
    by_hand = [0.1 * 0.1 ** ((k - 1) // 3) * 0.9 ** (k - 1) for k in range(1, 16)]
    np.testing.assert_allclose(t.lr[1:], by_hand, rtol=1e-10)


def test_no_scheduler_is_recorded_as_none():
    t = optimize(SEED, "adam", steps=3, lr=0.1)
    assert t.scheduler is None
    np.testing.assert_array_equal(t.lr, 0.1)


# --- 6. failures ----------------------------------------------------------------------------------


def test_unknown_scheduler_suggests_the_close_one():
    message = error_message(SEED, "adam", scheduler="cosine")
    assert "'cosine'" in message
    assert "CosineAnnealingLR" in message.split("did you mean", 1)[1]


def test_step_lr_without_step_size_names_it():
    message = error_message(SEED, "adam", scheduler="StepLR")
    assert "StepLR" in message and "'step_size'" in message
    assert_one_sentence(message)


def test_misspelt_scheduler_setting_suggests_the_right_one():
    message = error_message(SEED, "adam", scheduler="ExponentialLR", scheduler_kwargs={"gama": 0.9})
    assert "'gama'" in message
    assert "did you mean gamma?" in message


def test_scheduler_kwargs_without_a_scheduler():
    message = error_message(SEED, "adam", scheduler_kwargs={"gamma": 0.9})
    assert "scheduler_kwargs" in message and "without a scheduler" in message


def test_reduce_lr_on_plateau_cannot_be_chained():
    message = error_message(SEED, "adam", scheduler=[("StepLR", {"step_size": 3}), ("ReduceLROnPlateau", {})])
    assert "ReduceLROnPlateau" in message and "chained" in message


def test_scheduler_factory_returning_something_else_raises_optimizer_error():
    """BUG: a factory's non-scheduler result is not checked; AttributeError escapes mid-run."""
    message = error_message(SEED, "adam", steps=3, lr=0.1, scheduler=lambda opt: 3)
    assert "int" in message


def test_sgd_diverges_on_the_seed():
    t = optimize(SEED, "sgd", start=0.0, steps=30, lr=0.02)
    assert t.status == "diverged"
    assert t.stopped_at == len(t.params)  # the bad row is not kept
    assert t.requested_steps == 30
    assert t.steps == t.stopped_at - 1 < 30
    for array in (t.params, t.losses, t.grads, t.lr):
        assert np.all(np.isfinite(array))
    assert t.losses.shape == (len(t.params),) and t.grads.shape == t.params.shape
    for values in t.state.values():
        assert len(values) == len(t.params)


def test_escape_radius():
    t = optimize("x^2", "sgd", start=1.0, lr=1.5, steps=100, escape=100.0, dtype="float64")
    # x <- x - 1.5 * 2x = -2x: 1, -2, 4, ..., -128; 256 is farther than 100 * (1 + 1) from the start
    assert t.status == "diverged"
    np.testing.assert_array_equal(t.params[:, 0], [(-2.0) ** k for k in range(8)])
    assert t.stopped_at == 8 == len(t.params)
    assert np.all(np.abs(t.params) <= 100 * (1 + 1))
    # the default escape (1e6) lets it run further
    far = optimize("x^2", "sgd", start=1.0, lr=1.5, steps=100, dtype="float64")
    assert far.status == "diverged" and far.stopped_at > 8


def test_escape_is_measured_from_the_start_not_the_origin():
    # x <- x - 1.5 * 2(x - 1000) puts x at 1000 + (-2)^k: about 1000 from the origin from the start, but
    # |(-2)^k - 1| from the start; it escapes (1023 > 1 * (1 + 1001)) at k = 10, not at k = 2 (1004).
    t = optimize("(x - 1000)^2", "sgd", start=1001.0, lr=1.5, steps=30, escape=1.0, dtype="float64")
    assert t.status == "diverged" and t.stopped_at == 10
    np.testing.assert_array_equal(t.params[:, 0], [1000 + (-2.0) ** k for k in range(10)])


@pytest.mark.parametrize(
    "formula, start, shown", [("log(x)", -1.0, "x=-1"), ("1/x", 0.0, "x=0"), ("sqrt(x)", -4.0, "x=-4")]
)
def test_start_where_undefined_names_the_value(formula, start, shown):
    with pytest.raises(OptscenesError) as info:
        optimize(formula, "sgd", start=start, lr=0.1)
    assert isinstance(info.value, OptimizerError)
    assert shown in str(info.value)
    assert_one_sentence(str(info.value))


@pytest.mark.parametrize("tol", [-1e-6, -1, float("nan")])
def test_bad_tol(tol):
    message = error_message(SEED, tol=tol)
    assert "tol" in message and repr(tol) in message


def test_tol_zero_is_accepted():
    assert optimize(SEED, "adam", steps=3, lr=0.1, tol=0).status == "finished"


@pytest.mark.parametrize(
    "kwargs", [{"steps": 0}, {"steps": 100_001}, {"lr": 0}, {"lr": -1}, {"lr": math.nan}, {"lr": math.inf}]
)
def test_bad_steps_and_lr(kwargs):
    (key, value), = kwargs.items()
    message = error_message(SEED, "sgd", **kwargs)
    assert key in message and repr(value) in message


def test_phases_run_one_after_another_as_torchs_own_sequential_lr():
    """Warm-up then cosine, the most common schedule in courses: {"phases": ..., "milestones": ...} gives
    every step the lr of torch's SequentialLR built by hand, and differs from the same list together."""

    def by_hand(optimizer):
        warm = lr_scheduler.LinearLR(optimizer, start_factor=0.1, total_iters=5)
        cosine = lr_scheduler.CosineAnnealingLR(optimizer, T_max=15)
        return lr_scheduler.SequentialLR(optimizer, [warm, cosine], milestones=[5])

    phases = {"phases": [("LinearLR", {"start_factor": 0.1, "total_iters": 5}), "CosineAnnealingLR"], "milestones": [5]}
    ours = optimize("x^2", "sgd", start=1.0, lr=0.1, steps=20, dtype="float64", scheduler=phases)
    reference = optimize("x^2", "sgd", start=1.0, lr=0.1, steps=20, dtype="float64", scheduler=by_hand)
    np.testing.assert_allclose(ours.lr, reference.lr, rtol=1e-12)
    np.testing.assert_array_equal(ours.params, reference.params)
    together = optimize("x^2", "sgd", start=1.0, lr=0.1, steps=20, dtype="float64", scheduler=phases["phases"])
    assert not np.allclose(together.lr, ours.lr)
    assert ours.scheduler == "LinearLR then CosineAnnealingLR"


@pytest.mark.parametrize("milestones", [[], [0], [20], [5, 10]])
def test_phases_need_one_milestone_between_each(milestones):
    with pytest.raises(OptimizerError, match="2 phases need 1 milestones"):
        optimize("x^2", "sgd", lr=0.1, steps=20, scheduler={"phases": ["LinearLR", "CosineAnnealingLR"], "milestones": milestones})
