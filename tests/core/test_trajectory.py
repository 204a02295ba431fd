"""Tests of ``optscenes.optimize`` and ``Trajectory``: the run is torch's, step by step, row by row.

The references are optimizers and derivatives written out by hand here, so the comparison does not
go through the library's evaluator or torch.optim.
"""

from __future__ import annotations

import csv
import math
import os
import subprocess
import sys

import numpy as np
import pytest
import torch

import optscenes.core.files as files_module
import optscenes.core.trajectory as trajectory_module
from optscenes import Objective, OptimizerError, OptscenesError, SettingError, Trajectory, optimize

SEED = "(6*x-2)^2*sin(12*x-4)"
ROSENBROCK = "(1-x)^2 + 100*(y-x^2)^2"
X_MIN, F_MIN = 0.75725, -6.02074  # minimum of the seed on [0, 1]


# --- independent references ----------------------------------------------------------------------


def _kind(x):
    """The scalar type to write constants in: float32 arithmetic stays float32."""
    return x.dtype.type if hasattr(x, "dtype") else type(x)


def seed_f(x):
    """The seed (6x-2)^2 sin(12x-4), in the dtype of ``x``."""
    c = _kind(x)
    return (c(6) * x - c(2)) ** 2 * np.sin(c(12) * x - c(4))


def seed_df(x):
    """Its derivative by hand: 12(6x-2) sin(12x-4) + 12(6x-2)^2 cos(12x-4), in the dtype of ``x``."""
    c = _kind(x)
    a = c(6) * x - c(2)
    s = c(12) * x - c(4)
    return c(12) * a * np.sin(s) + c(12) * a * a * np.cos(s)


def rosen_grad(x, y):
    return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])


def adam_reference(grad, x0, steps, lr, betas=(0.9, 0.999), eps=1e-8, dtype=np.float64):
    """Adam (Kingma & Ba) with torch's placement of the bias corrections and eps.

    Every array operation runs in ``dtype``; the bias corrections are Python floats, as in torch.
    """
    b1, b2 = betas
    x = dtype(x0)
    m = dtype(0)
    v = dtype(0)
    xs = [x]
    for t in range(1, steps + 1):
        g = grad(x)
        m = dtype(b1) * m + dtype(1 - b1) * g
        v = dtype(b2) * v + dtype(1 - b2) * g * g
        bias_correction1 = 1 - b1**t
        bias_correction2 = 1 - b2**t
        step_size = lr / bias_correction1
        denom = np.sqrt(v) / dtype(math.sqrt(bias_correction2)) + dtype(eps)
        x = x - dtype(step_size) * m / denom
        xs.append(x)
    return np.array(xs, dtype=dtype)


def sgd_momentum_reference(grad, x0, steps, lr, momentum):
    """torch's SGD with momentum (no dampening): buf = momentum*buf + g, first buf = g; x -= lr*buf."""
    x = np.array(x0, dtype=np.float64)
    buf = None
    xs = [x.copy()]
    for _ in range(steps):
        g = grad(x)
        buf = g.copy() if buf is None else momentum * buf + g
        x = x - lr * buf
        xs.append(x.copy())
    return np.array(xs)


def optimizer_error(*args, **kwargs) -> str:
    """The sentence of the error ``optimize`` raises: a SettingError for a bad value, an OptimizerError
    for what torch or the optimizer refuses."""
    with pytest.raises(OptscenesError) as info:
        optimize(*args, **kwargs)
    return str(info.value)


@pytest.fixture(scope="module")
def adam64() -> Trajectory:
    return optimize(SEED, "adam", start=0.0, steps=50, lr=0.25, dtype="float64")


@pytest.fixture(scope="module")
def adam32() -> Trajectory:
    return optimize(SEED, "adam", start=0.0, steps=50, lr=0.25)


# --- Adam on the seed -----------------------------------------------------------------------------


def test_adam_float64_matches_hand_written_adam(adam64):
    ref = adam_reference(seed_df, 0.0, 50, 0.25)
    np.testing.assert_allclose(adam64.params[:, 0], ref, rtol=0, atol=1e-6)
    np.testing.assert_allclose(adam64.losses, seed_f(ref), rtol=0, atol=1e-6)
    np.testing.assert_allclose(adam64.grads[:, 0], seed_df(ref), rtol=0, atol=1e-6)
    # in float64 the agreement is to rounding
    np.testing.assert_allclose(adam64.params[:, 0], ref, rtol=0, atol=1e-12)
    np.testing.assert_allclose(adam64.losses, seed_f(ref), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(adam64.grads[:, 0], seed_df(ref), rtol=1e-10, atol=1e-10)
    assert adam64.dtype == "float64"


def test_adam_float32_matches_float32_reference(adam32):
    ref = adam_reference(seed_df, np.float32(0.0), 50, 0.25, dtype=np.float32)
    assert ref.dtype == np.float32
    np.testing.assert_allclose(adam32.params[:, 0], ref, rtol=0, atol=1e-6)
    # Loss and gradient are a few float32 roundings apart (|f'| reaches 50 and |f''| several hundred,
    # so 3e-7 in x is 1e-4 in the gradient); still far from the float64 path's values.
    np.testing.assert_allclose(adam32.losses, seed_f(ref), rtol=0, atol=1e-4)
    np.testing.assert_allclose(adam32.grads[:, 0], seed_df(ref), rtol=0, atol=2e-3)


def test_first_float32_step_and_default_dtype(adam32):
    assert adam32.dtype == "float32"
    assert adam32.params[0, 0] == 0.0
    assert abs(adam32.params[1, 0] - 0.2499999851) < 1e-9
    # the float64 run's first step is a different number: lr * |g| / (|g| + eps)
    g0 = abs(seed_df(0.0))
    assert optimize(SEED, "adam", steps=1, lr=0.25, dtype="float64").params[1, 0] == pytest.approx(
        0.25 * g0 / (g0 + 1e-8), abs=1e-15
    )


@pytest.mark.parametrize("run", ["adam32", "adam64"])
def test_step_50_is_near_the_minimum(run, request):
    trajectory = request.getfixturevalue(run)
    assert abs(trajectory.params[50, 0] - X_MIN) < 0.02
    assert abs(trajectory.losses[50] - F_MIN) < 0.1
    assert trajectory.losses[50] < trajectory.losses[0]


def test_rows_are_consistent(adam64):
    """losses[k] and grads[k] are taken at params[k]: no off-by-one between the arrays."""
    f = Objective(SEED)
    for k in range(len(adam64)):
        x = adam64.params[k, 0]
        assert adam64.losses[k] == pytest.approx(seed_f(x), rel=1e-12, abs=1e-12), k
        assert adam64.grads[k, 0] == pytest.approx(seed_df(x), rel=1e-12, abs=1e-10), k
        assert adam64.losses[k] == pytest.approx(f.value(x), rel=1e-12, abs=1e-12), k
    # and the rows really move: consecutive rows differ
    assert np.all(np.diff(adam64.params[:, 0]) != 0)


def test_shapes_and_metadata(adam32):
    t = adam32
    assert t.params.shape == (51, 1)
    assert t.losses.shape == (51,)
    assert t.grads.shape == (51, 1)
    assert t.lr.shape == (51,)
    np.testing.assert_array_equal(t.lr, 0.25)
    assert t.steps == 50
    assert len(t) == 51
    assert t.optimizer == "Adam"
    assert tuple(t.hyperparameters["betas"]) == (0.9, 0.999)
    assert t.hyperparameters["lr"] == 0.25
    assert t.hyperparameters["eps"] == 1e-8
    assert t.variables == ("x",)
    assert t.function == SEED


def test_arrays_are_read_only(adam32):
    with pytest.raises(ValueError):
        adam32.params[0, 0] = 1.0


# --- optimizer lookup -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, cls_name", [("adam", "Adam"), ("ADAM", "Adam"), ("AdamW", "AdamW"), ("sgd", "SGD"), (" Sgd ", "SGD")]
)
def test_names_are_case_insensitive(name, cls_name):
    t = optimize("x^2", name, start=1.0, steps=3, lr=0.1)
    assert t.optimizer == cls_name
    assert abs(t.params[-1, 0]) < 1.0


def test_optimizer_class_is_accepted():
    t = optimize("x^2", torch.optim.SGD, start=1.0, steps=3, lr=0.1, dtype="float64")
    assert t.optimizer == "SGD"
    # plain gradient descent on x^2: x <- x - 0.1 * 2x = 0.8 x
    np.testing.assert_allclose(t.params[:, 0], [1.0, 0.8, 0.64, 0.512], rtol=1e-15)


def test_adam_and_adamw_differ_only_by_weight_decay():
    a = optimize("x^2", "adam", start=1.0, steps=5, lr=0.1, dtype="float64")
    w = optimize("x^2", "adamw", start=1.0, steps=5, lr=0.1, dtype="float64", weight_decay=0.0)
    np.testing.assert_allclose(a.params, w.params, rtol=0, atol=1e-15)
    w_default = optimize("x^2", "adamw", start=1.0, steps=5, lr=0.1, dtype="float64")
    assert w_default.params[1, 0] != a.params[1, 0]


def test_sgd_momentum_matches_hand_written_reference():
    t = optimize(SEED, "sgd", start=0.5, steps=30, lr=0.002, dtype="float64", momentum=0.9)
    ref = sgd_momentum_reference(lambda x: np.array([seed_df(x[0])]), [0.5], 30, 0.002, 0.9)
    np.testing.assert_allclose(t.params, ref, rtol=0, atol=1e-12)
    assert t.hyperparameters["momentum"] == 0.9
    # momentum matters: plain SGD gives other iterates
    plain = optimize(SEED, "sgd", start=0.5, steps=30, lr=0.002, dtype="float64")
    assert np.abs(plain.params - ref).max() > 1e-3


# --- errors ---------------------------------------------------------------------------------------


def test_unknown_optimizer_suggests_adam():
    message = optimizer_error(SEED, "adma")
    assert "'adma'" in message
    assert "Adam" in message.split("did you mean", 1)[1]


def test_sparse_adam_is_refused_with_a_reason():
    message = optimizer_error(SEED, "SparseAdam")
    assert "SparseAdam" in message
    assert "sparse" in message.split("SparseAdam", 2)[-1].lower()


def test_non_optimizer_class_is_refused():
    assert "int" in optimizer_error(SEED, int)
    assert "3" in optimizer_error(SEED, 3)


def test_unknown_keyword_names_it_and_the_accepted_ones():
    message = optimizer_error(SEED, "adam", betas2=(0.9, 0.99))
    assert "'betas2'" in message
    assert "betas" in message.replace("betas2", "")
    assert "eps" in message


@pytest.mark.parametrize("steps", [0, -1, 100001, 2.5, True, "10"])
def test_bad_steps(steps):
    message = optimizer_error(SEED, steps=steps)
    assert "steps" in message
    assert repr(steps) in message


@pytest.mark.parametrize("lr", [-1, 0, 0.0, float("nan"), float("inf"), -float("inf"), True, "0.1"])
def test_bad_lr(lr):
    message = optimizer_error(SEED, lr=lr)
    assert "lr" in message
    assert repr(lr) in message


def test_bad_values_are_setting_errors_and_bad_optimizers_optimizer_errors():
    with pytest.raises(SettingError, match="steps must be a whole number from 1 to 100000, not 100001"):
        optimize(SEED, steps=100_001)
    with pytest.raises(OptimizerError, match="Unknown optimizer"):
        optimize(SEED, "adma")


@pytest.mark.parametrize(
    "formula, start",
    [(SEED, (1.0, 2.0)), (SEED, []), (ROSENBROCK, 0.0), (ROSENBROCK, (1.0, 2.0, 3.0))],
)
def test_start_with_wrong_number_of_coordinates(formula, start):
    assert "coordinate" in optimizer_error(formula, start=start)


def test_start_must_be_finite():
    assert "finite" in optimizer_error(SEED, start=float("nan"))


@pytest.mark.parametrize("formula, start, shown", [("log(x)", -1.0, "x=-1"), ("1/x", 0.0, "x=0"), ("sqrt(x)", -4.0, "x=-4")])
def test_start_where_the_function_is_undefined(formula, start, shown):
    message = optimizer_error(formula, start=start)
    assert "undefined" in message
    assert shown in message
    assert formula in message


def test_bad_dtype():
    assert "float16" in optimizer_error(SEED, dtype="float16")


def test_constant_objective_runs_and_stays_put():
    """A constant has gradient 0 everywhere: SGD never moves (instead of crashing inside the loop)."""
    t = optimize("3", "sgd", start=1.0, steps=3, lr=0.1)
    np.testing.assert_array_equal(t.params[:, 0], 1.0)
    np.testing.assert_array_equal(t.grads[:, 0], 0.0)
    np.testing.assert_array_equal(t.losses, 3.0)


# --- two variables --------------------------------------------------------------------------------


def test_rosenbrock_sgd_matches_gradient_descent():
    t = optimize(ROSENBROCK, "sgd", start=(-1.0, 1.0), steps=20, lr=1e-3, dtype="float64")
    ref = sgd_momentum_reference(lambda p: rosen_grad(*p), [-1.0, 1.0], 20, 1e-3, 0.0)
    assert t.params.shape == (21, 2)
    assert t.grads.shape == (21, 2)
    assert t.variables == ("x", "y")
    np.testing.assert_allclose(t.params, ref, rtol=0, atol=1e-9)
    np.testing.assert_allclose(t.grads, [rosen_grad(*p) for p in ref], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(t.losses, [(1 - x) ** 2 + 100 * (y - x * x) ** 2 for x, y in ref], atol=1e-9)
    # first step by hand: grad at (-1, 1) is (-4, 0)
    np.testing.assert_allclose(t.params[1], [-0.996, 1.0], rtol=0, atol=1e-15)


# --- CSV ------------------------------------------------------------------------------------------


def read_csv(path):
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def test_to_csv_1d(adam32, tmp_path):
    path = tmp_path / "sub" / "adam.csv"
    returned = adam32.to_csv(path)
    assert os.fspath(returned) == os.fspath(path)
    header, rows = read_csv(path)
    assert header == ["step", "x", "loss", "grad", "lr"]
    assert len(rows) == 51
    for k, row in enumerate(rows):
        assert int(row[0]) == k
        assert float(row[1]) == adam32.params[k, 0]
        assert float(row[2]) == adam32.losses[k]
        assert float(row[3]) == adam32.grads[k, 0]
        assert float(row[4]) == adam32.lr[k]
    assert sorted(p.name for p in path.parent.iterdir()) == ["adam.csv"]


def test_to_csv_2d(tmp_path):
    t = optimize(ROSENBROCK, "sgd", start=(-1.0, 1.0), steps=5, lr=1e-3, dtype="float64")
    path = t.to_csv(tmp_path / "rosen.csv")
    header, rows = read_csv(path)
    assert header == ["step", "x", "y", "loss", "grad_x", "grad_y", "lr"]
    assert len(rows) == 6
    for k, row in enumerate(rows):
        values = [float(v) for v in row[1:]]
        assert values == [t.params[k, 0], t.params[k, 1], t.losses[k], t.grads[k, 0], t.grads[k, 1], t.lr[k]]


def test_to_csv_is_atomic_when_a_row_fails(adam32, tmp_path, monkeypatch):
    real_writer = csv.writer

    class FailingWriter:
        def __init__(self, handle):
            self.inner = real_writer(handle)
            self.rows = 0

        def writerow(self, row):
            self.rows += 1
            if self.rows == 10:
                raise OSError("disk full")
            return self.inner.writerow(row)

        def writerows(self, rows):
            for row in rows:
                self.writerow(row)

    monkeypatch.setattr(trajectory_module.csv, "writer", FailingWriter)
    path = tmp_path / "out.csv"
    with pytest.raises(OSError, match="disk full"):
        adam32.to_csv(path)
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


def test_to_csv_is_atomic_when_replace_fails(adam32, tmp_path, monkeypatch):
    path = tmp_path / "out.csv"
    path.write_text("old contents\n")

    def failing_replace(*args, **kwargs):
        raise OSError("replace failed")

    monkeypatch.setattr(files_module.os, "replace", failing_replace)
    with pytest.raises(OSError, match="replace failed"):
        adam32.to_csv(path)
    monkeypatch.undo()
    # the old file is untouched and no temporary file is left behind
    assert path.read_text() == "old contents\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]

    new_path = tmp_path / "new.csv"
    monkeypatch.setattr(files_module.os, "replace", failing_replace)
    with pytest.raises(OSError):
        adam32.to_csv(new_path)
    monkeypatch.undo()
    assert not new_path.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_row_names_what_a_readout_shows():
    run = optimize(ROSENBROCK, "sgd", start=(-1.0, 1.0), steps=3, lr=1e-3, dtype="float64")
    row = run.row(2)
    assert (row["x"], row["y"], row["f"], row["lr"]) == (run.params[2, 0], run.params[2, 1], run.losses[2], run.lr[2])
    assert row["grad"] == run.grads[2, 0] and row["|grad|"] == pytest.approx(np.hypot(*run.grads[2]))


@pytest.mark.parametrize(
    ("path", "edge", "row"),
    [
        ([(0.0, 0.0), (2.0, 4.0), (3.0, 9.0)], (0.5, 1.0), 1),  # out through the top, not the right
        ([(0.0, 0.0), (4.0, 2.0)], (1.0, 0.5), 1),  # out through the right
        ([(0.5, 0.5), (0.0, 0.0), (-3.0, -1.0)], (-1.0, -1.0 / 3.0), 2),  # out through the left, below 0
        ([(0.0, 0.0), (-0.5, 0.5)], None, None),  # never leaves
    ],
)
def test_a_run_that_leaves_the_view_is_cut_where_it_crossed_the_edge(path, edge, row):
    from optscenes.core.views import AxisRange, clip_to_view

    view = AxisRange(-1.0, 1.0, 0.5)
    clipped, exit_row = clip_to_view(np.array(path), view, view)
    assert exit_row == row
    if edge is None:
        np.testing.assert_array_equal(clipped, path)
    else:
        np.testing.assert_array_equal(clipped[:row], np.array(path)[:row])
        np.testing.assert_allclose(clipped[row:], np.tile(edge, (len(path) - row, 1)), atol=1e-12)


def test_a_run_that_blows_up_slowly_does_not_squash_the_others():
    """SGD on x^2 at lr 1.05 grows 1.1 times a step without diverging; the view is made for the three
    runs that converge, and the fourth leaves it."""
    from optscenes.core.views import view_1d

    runs = [optimize("x^2", "sgd", start=1.0, lr=lr, steps=50) for lr in (0.1, 0.5, 0.9, 1.05)]
    assert all(t.status == "finished" for t in runs) and abs(runs[3].params[-1, 0]) > 100
    x, _ = view_1d(Objective("x^2"), runs)
    assert -4 <= x.low <= -0.8 and 1.0 <= x.high <= 4  # every converging run's iterates, and not much more
    alone, _ = view_1d(Objective("x^2"), runs[3:])
    assert alone.high > 100  # alone, it is framed whole


def test_views_frame_the_runs_that_did_not_diverge():
    from optscenes.core.views import framed_params, loss_axis

    calm = optimize(SEED, "adam", start=0.0, steps=20, lr=0.25)
    wild = optimize(SEED, "sgd", start=0.0, steps=20, lr=0.02)
    assert wild.status == "diverged"
    np.testing.assert_array_equal(framed_params([calm, wild]), np.concatenate([calm.params, calm.params[:1], wild.params[:1]]))
    assert np.abs(framed_params([wild])).max() < np.abs(wild.params).max()  # alone, it frames its own start
    plot = loss_axis([np.array([100.0, 1.0, 1e-3])])
    assert plot.log and (plot.axis.low, plot.axis.high) == (-3, 2)
    plot = loss_axis([np.array([150.0, 20.0, 0.0])])
    assert not plot.log and plot.axis.low == 0.0 and plot.axis.high >= 150.0
