"""Tick choice: at most seven ticks an axis, round steps, labels with only the decimals the step needs,
and a range that holds the data; checked against ranges worked out by hand."""

from __future__ import annotations

import pytest

from optscenes.core.views import AxisRange, axis_range


@pytest.mark.parametrize(
    ("low", "high", "ticks", "labels"),
    [
        # The seed's x window (Forrester, 0..1): every 0.2, not eight ticks every 0.2 from -0.2 to 1.2.
        (0.0, 1.0, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0], ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]),
        # The seed's y range (-6.0..15.8): every 5, not ten ticks from -25 to 20.
        (-6.02, 15.83, [-5.0, 0.0, 5.0, 10.0, 15.0], ["-5", "0", "5", "10", "15"]),
        # A small range, padded to 0.1297..0.1533: three decimals only because the step is 0.005.
        (0.131, 0.152, [0.13, 0.135, 0.14, 0.145, 0.15, 0.155], ["0.130", "0.135", "0.140", "0.145", "0.150", "0.155"]),
        # Across zero, padded to -130.8..108.8: every 50 (every 25 would be ten ticks).
        (-118.0, 96.0, [-150.0, -100.0, -50.0, 0.0, 50.0, 100.0], ["-150", "-100", "-50", "0", "50", "100"]),
    ],
)
def test_ticks_are_few_round_and_inside_a_range_that_holds_the_data(low, high, ticks, labels):
    axis = axis_range(low, high)
    assert axis.ticks().tolist() == pytest.approx(ticks)
    assert [f"{t:.{axis.decimals}f}" for t in axis.ticks()] == labels
    assert axis.low <= low - 0.06 * (high - low) + 1e-9 and axis.high >= high + 0.06 * (high - low) - 1e-9


SPANS = [1e-4, 0.0123, 0.37, 1.0, 2.6, 7.7, 13.0, 45.0, 99.0, 333.0, 8e5]
# Ranges where a request for up to 8 or 10 intervals would otherwise get 9 or 11 ticks.
CROWDED = [(-45.9, -44.15), (10.66, 83.64), (22.97, 40.62), (35.74, 39.2)]


@pytest.mark.parametrize(
    ("low", "high"), [(start, start + span) for start in (-3.3, 0.0, 0.61, 250.0) for span in SPANS] + CROWDED
)
def test_no_axis_has_more_than_seven_ticks_whatever_it_is_asked(low, high):
    for ticks in [(3, 6), (4, 8), (4, 10), (2, 5)]:
        axis = axis_range(low, high, ticks=ticks)
        # At least three ticks, or as many as asked when some step gives them.
        assert 3 <= len(axis.ticks()) <= 7
        assert axis.low <= low and axis.high >= high


def test_ticks_are_multiples_of_the_step_and_never_minus_zero():
    axis = AxisRange(-0.3, 1.1, 0.5)
    assert axis.ticks().tolist() == [0.0, 0.5, 1.0]
    assert str(AxisRange(-0.3, 0.3, 0.1).ticks()[3]) == "0.0"
    assert AxisRange(0.0, 1.0, 0.25).decimals == 2 and AxisRange(0.0, 10.0, 2.5).decimals == 1
