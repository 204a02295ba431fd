"""The loss inset's axis: a run that blows up is clipped instead of flattening the others; log axes
for losses that span decades, with a floor for exact zeros; every choice said in the title."""

from __future__ import annotations

import numpy as np
import pytest

from optscenes.core.optimization import optimize
from optscenes.core.views import loss_axis

SEED = "(6*x-2)^2*sin(12*x-4)"


def share_of_height(plot, losses: list[np.ndarray]) -> float:
    """How much of the axis' height ``losses`` span, from their raw values (linear axes only)."""
    values = np.concatenate(losses)
    return float((values.max() - values.min()) / (plot.axis.high - plot.axis.low))


def test_one_run_at_a_thousand_does_not_flatten_three_below_ten():
    calm = [np.linspace(9.0, 1.0, 30), np.linspace(8.0, 2.0, 30), 5 + 3 * np.sin(np.arange(30.0))]
    wild = np.array([5.0, 40.0, 300.0, 1000.0])
    plot = loss_axis([wild, *calm])
    assert plot.clipped == (0,)
    assert not plot.log and share_of_height(plot, calm) >= 0.5
    assert np.all(plot.values(np.concatenate(calm)) <= plot.axis.high)  # the three stay inside
    assert plot.title == "loss (clipped)"
    # Without clipping the three would get a hundredth of the height: that is what is fixed.
    assert share_of_height(loss_axis(calm), calm) > 0.5


def test_the_learning_rate_sweep_clips_only_the_run_that_diverged():
    runs = [optimize(SEED, "adam", start=0.0, lr=lr, steps=50, escape=2.0) for lr in (0.05, 0.25, 0.5, 2.0)]
    assert [r.status for r in runs] == ["finished"] * 3 + ["diverged"]
    plot = loss_axis([r.losses for r in runs])
    assert plot.clipped == (3,)
    assert share_of_height(plot, [r.losses for r in runs[:3]]) >= 0.5
    assert runs[3].losses.max() > plot.axis.high  # the spike to about 90 leaves the axis


def test_runs_alike_are_neither_clipped_nor_flattened():
    slow, fast = 100 * 0.7 ** np.arange(20.0), 100 * 0.3 ** np.arange(20.0)
    plot = loss_axis([slow, fast])
    assert plot.clipped == () and plot.log and plot.title == "loss (log)"
    assert plot.axis.low <= np.log10(fast.min()) and plot.axis.high >= 2


def test_exact_zeros_on_a_log_axis_sit_on_a_floor_the_title_names():
    plot = loss_axis([np.array([100.0, 1.0, 1e-3, 0.0]), np.array([50.0, 0.5, 0.02])])
    assert plot.log and plot.floor == pytest.approx(1e-4)  # the decade below the smallest positive loss's
    assert plot.values(np.array([0.0]))[0] == pytest.approx(-4.0) == plot.axis.low
    assert plot.title == "loss (log, 0 at 10\u207b\u2074)"


def test_at_most_half_the_runs_are_clipped():
    calm = np.linspace(-2.0, 1.0, 10)  # below zero: a linear axis, on which each of the others flattens it
    wild = [calm * 10.0**k for k in (3, 4, 5)]
    plot = loss_axis([calm, *wild])
    assert plot.clipped == (2, 3) and not plot.log


def test_a_run_that_spikes_then_goes_deeper_than_the_others_is_not_clipped():
    """Rosenbrock: SGD with momentum swings up to 52, then falls to 5e-4; Adam goes from 12.5 to 1.9. On a
    log axis from the lowest loss up, the swing costs little height: both stay whole."""
    sgd = np.array([12.5, 51.6, 20.0, 3.0, 0.5, 0.02, 5.2e-4])
    adam = np.linspace(12.5, 1.9, 7)
    plot = loss_axis([adam, sgd])
    assert plot.clipped == () and plot.log
    assert plot.axis.low <= np.log10(5.2e-4) and plot.axis.high >= np.log10(51.6)


def test_on_a_log_axis_a_clipped_run_is_cut_at_the_top_only():
    calm = [10 * 0.5 ** np.arange(10.0), 10 * 0.6 ** np.arange(10.0)]
    wild = np.array([10.0, 1e4, 1e8, 1e12, 1e-6])  # blows up, then lands below everything
    plot = loss_axis([*calm, wild])
    assert plot.clipped == (2,) and plot.log
    assert plot.axis.low <= -6 and plot.axis.high < 12  # its landing is in view, its blow-up is not


@pytest.mark.parametrize("losses", [[np.linspace(9, 1, 30)], [np.array([1e6, 1.0, 1e-9])], [np.linspace(-25, 90, 50)]])
def test_no_more_than_seven_ticks(losses):
    assert len(loss_axis(losses).axis.ticks()) <= 7
