"""The catalogue of test functions, two-variable runs, and the landscape's contour lines and colour scale."""

from __future__ import annotations

import numpy as np
import pytest

import optscenes
from optscenes.core.catalogue import CATALOGUE, lookup
from optscenes.core.landscape import Landscape
from optscenes.core.views import AxisRange


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_catalogue_minima_are_minima(name):
    entry = CATALOGUE[name]
    objective = optscenes.Objective(name)
    assert objective.named is entry and objective.formula == entry.formula
    rng = np.random.default_rng(0)
    for point in entry.minima:
        assert objective.value(point) == pytest.approx(entry.minimum, abs=1e-6)
        if name != "ackley":  # a cone at its minimum: no gradient there
            assert np.abs(objective.gradient(point)).max() < 1e-3
        # Nothing nearby is lower.
        for offset in rng.normal(scale=1e-2, size=(20, len(point))):
            assert objective.value(np.add(point, offset)) >= entry.minimum - 1e-9
    if entry.minimum is None:
        assert not entry.minima


def test_names_work_wherever_a_formula_does():
    assert lookup("Three-Hump Camel") is CATALOGUE["three hump camel"]
    assert lookup("x") is None and lookup("e") is None
    run = optscenes.optimize("Rosenbrock", "sgd", start=(-1.0, 1.0), steps=3, lr=1e-3)
    assert run.function == CATALOGUE["rosenbrock"].formula and run.params.shape == (4, 2)


def test_a_2d_run_equals_gradient_descent_with_momentum_by_hand():
    # Himmelblau, its gradient written out: d/dx = 4x(x^2+y-11) + 2(x+y^2-7), d/dy = 2(x^2+y-11) + 4y(x+y^2-7)
    def grad(x, y):
        a, b = x * x + y - 11, x + y * y - 7
        return np.array([4 * x * a + 2 * b, 2 * a + 4 * y * b])

    point, buf = np.array([-1.0, 1.0]), None
    expected = [point.copy()]
    for _ in range(25):
        g = grad(*point)
        buf = g if buf is None else 0.5 * buf + g
        point = point - 0.01 * buf
        expected.append(point.copy())
    run = optscenes.optimize("himmelblau", "sgd", start=(-1.0, 1.0), steps=25, lr=0.01, momentum=0.5, dtype="float64")
    np.testing.assert_allclose(run.params, np.array(expected), rtol=0, atol=1e-10)


@pytest.mark.parametrize("name", ["rosenbrock", "himmelblau", "beale", "ill conditioned", "saddle"])
def test_contour_lines_lie_on_their_levels(name):
    objective = optscenes.Objective(name)
    entry = CATALOGUE[name]
    landscape = Landscape.sample(objective, AxisRange(*entry.x_range, 1.0), AxisRange(*entry.y_range, 1.0), 240)
    levels = landscape.levels(10)
    assert np.all(np.diff(levels) > 0)
    cell = np.hypot(landscape.x[1] - landscape.x[0], landscape.y[1] - landscape.y[0])
    found = 0
    for level, pieces in landscape.contour_lines(levels):
        for piece in pieces:
            x, y = piece[:, 0], piece[:, 1]
            values = objective.numpy(x, y)
            # The grid is interpolated linearly, so a point may be off the level set by up to a grid cell:
            # |f - level| is at most the slope there times the cell's diagonal (and in practice far less).
            h = 1e-6
            slope = np.hypot(
                (objective.numpy(x + h, y) - objective.numpy(x - h, y)) / (2 * h),
                (objective.numpy(x, y + h) - objective.numpy(x, y - h)) / (2 * h),
            )
            assert np.all(np.abs(values - level) <= slope * cell + 1e-9), (name, level)
            assert np.median(np.abs(values - level) / (slope * cell + 1e-12)) < 0.25, (name, level)
            found += len(piece)
    assert found > 100


def test_log_like_colours_where_values_span_decades():
    rosen = CATALOGUE["rosenbrock"]
    landscape = Landscape.sample(optscenes.Objective("rosenbrock"), AxisRange(*rosen.x_range, 1), AxisRange(*rosen.y_range, 1))
    assert landscape.spans_decades
    # Half the colour range is spent on the lowest few percent of values, where the valley is.
    median_shade = np.median(landscape.scale(landscape.z))
    assert median_shade > 0.5
    # Rastrigin's bumps stay within one decade above its minimum over most of the window: linear colours.
    bumps = CATALOGUE["rastrigin"]
    assert not Landscape.sample(optscenes.Objective("rastrigin"), AxisRange(*bumps.x_range, 1), AxisRange(*bumps.y_range, 1)).spans_decades


def test_subtitles_read_as_a_lecturer_says_them():
    import functools

    from optscenes.core.describe import describe_common, label_runs

    def warmup_cosine(optimizer):
        return optimizer

    class Schedules:
        def halve(self, optimizer):
            return optimizer

    nesterov = {"optimizer": "sgd", "lr": 0.1, "momentum": 0.9, "nesterov": True,
                "scheduler": "StepLR", "scheduler_kwargs": {"step_size": 10, "gamma": 0.5}}  # fmt: skip
    assert describe_common([nesterov], ["SGD"]) == "SGD,  lr = 0.1,  StepLR (step_size 10, gamma 0.5),  momentum = 0.9,  Nesterov"
    for factory, name in ((warmup_cosine, "warmup_cosine"), (Schedules().halve, "halve"),
                          (functools.partial(warmup_cosine), "warmup_cosine")):  # fmt: skip
        text = describe_common([{"optimizer": "adam", "scheduler": factory}], ["Adam"])
        assert text == f"Adam,  {name}" and "0x" not in text
    phases = {"phases": [("LinearLR", {"total_iters": 5}), "CosineAnnealingLR"], "milestones": [5]}
    assert describe_common([{"optimizer": "adam", "scheduler": phases}], ["Adam"]) == "Adam,  LinearLR then CosineAnnealingLR"
    assert label_runs([{"optimizer": "sgd", "momentum": 0.9}, {"optimizer": "sgd", "momentum": 0.9, "nesterov": True}],
                      ["SGD", "SGD"]) == ["SGD", "SGD Nesterov"]  # fmt: skip
