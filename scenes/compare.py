"""Comparisons on the seed's function: optimizers, learning rates, starting points.

    manim -pql scenes/compare.py OptimizerRace --format gif
"""

from optscenes import RaceScene, Run

class OptimizerRace(RaceScene):
    """Four optimizers from x0 = 0: plain SGD and RMSprop stop in the local minimum, momentum and Adam cross."""

    start = 0.0
    runs = [
        Run("sgd", lr=0.005),
        Run("sgd", lr=0.002, optimizer_kwargs={"momentum": 0.9}),
        Run("rmsprop", lr=0.02),
        Run("adam", lr=0.25),
    ]


class LearningRateSweep(RaceScene):
    """Adam at four learning rates. At lr = 2 every step is about 2 long: the run jumps out of the picture
    (the Forrester function lives on [0, 1]) at its first step and wanders there (|x| up to 20) without
    diverging, so it "left the view at step 1". The view is the function's own window: framed to include
    the wanderer, the curve's swings outside [0, 1] would squash the three runs that stay."""

    optimizer = "adam"
    start = 0.0
    x_range = (-0.1, 1.1)
    runs = [Run(lr=0.05), Run(lr=0.25), Run(lr=0.5), Run(lr=2.0)]


class StartPoints(RaceScene):
    """SGD with momentum from five starts: different basins, and a stall at the flat point x = 1/3."""

    optimizer = "sgd"
    lr = 0.002
    optimizer_kwargs = {"momentum": 0.5}
    runs = [Run(start=s) for s in (0.0, 0.3, 0.5, 0.62, 0.95)]


class SweepPanels(RaceScene):
    """SGD on x^2 at four learning rates, each run in its own panel: 1.05 grows slowly (x multiplies by
    -1.1 each step) and would squash the three that converge into one pixel on a shared view."""

    function = "x^2"
    optimizer = "sgd"
    start = 1.0
    steps = 30
    layout = "panels"
    runs = [Run(lr=0.1), Run(lr=0.5), Run(lr=0.9), Run(lr=1.05)]
