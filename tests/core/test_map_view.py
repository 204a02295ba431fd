"""The map's window at equal scale: one unit of x as long as one unit of y, the box filled."""

from __future__ import annotations

import numpy as np
import pytest

from optscenes.core.objective import Objective
from optscenes.core.optimization import optimize
from optscenes.core.views import equal_scale_size, view_2d


@pytest.fixture(scope="module")
def rosenbrock_run():
    objective = Objective("rosenbrock")
    return objective, optimize(objective, optimizer="adam", lr=0.1, start=(-1.5, 2.0), steps=30)


@pytest.mark.parametrize("box", [(7.0, 3.5), (3.0, 3.0), (3.0, 6.0), (9.0, 2.5)])
def test_equal_scale_gives_equal_units_per_pixel_and_fills_the_box(rosenbrock_run, box):
    objective, run = rosenbrock_run
    x_view, y_view = view_2d(objective, [run], box=box)
    width, height = equal_scale_size(x_view, y_view, box)
    per_unit_x = width / (x_view.high - x_view.low)
    per_unit_y = height / (y_view.high - y_view.low)
    assert per_unit_x == pytest.approx(per_unit_y, rel=1e-9)
    assert width <= box[0] * (1 + 1e-9) and height <= box[1] * (1 + 1e-9)
    # One side takes the box's full length; the other loses at most a fifth to round ticks.
    assert max(width / box[0], height / box[1]) == pytest.approx(1.0)
    assert min(width / box[0], height / box[1]) > 0.8
    # The catalogue's own window ([-2, 2] by [-1, 3]) and every iterate stay in view.
    assert x_view.low <= -2 and x_view.high >= 2 and y_view.low <= -1 and y_view.high >= 3
    assert np.all((run.params[:, 0] >= x_view.low) & (run.params[:, 0] <= x_view.high))


def test_given_ranges_are_kept_and_drawn_at_equal_scale():
    objective = Objective("x^2 + y^2")
    run = optimize(objective, optimizer="sgd", lr=0.1, start=(1.5, 1.0), steps=5)
    x_view, y_view = view_2d(objective, [run], (-2.0, 2.0), (-2.0, 2.0), box=(8.0, 4.0))
    assert (x_view.low, x_view.high, y_view.low, y_view.high) == (-2.0, 2.0, -2.0, 2.0)
    assert equal_scale_size(x_view, y_view, (8.0, 4.0)) == pytest.approx((4.0, 4.0))


def test_without_a_box_the_window_is_the_functions_own():
    objective = Objective("rosenbrock")
    run = optimize(objective, optimizer="adam", lr=0.1, start=(-1.5, 2.0), steps=5)
    x_view, y_view = view_2d(objective, [run])
    assert (x_view.low, x_view.high, y_view.low, y_view.high) == (-2.0, 2.0, -1.0, 3.0)
