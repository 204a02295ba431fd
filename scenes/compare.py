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
    """Adam at four learning rates; leaving |x| > 2 counts as diverging (the Forrester function lives on [0, 1])."""

    optimizer = "adam"
    start = 0.0
    escape = 2.0
    runs = [Run(lr=0.05), Run(lr=0.25), Run(lr=0.5), Run(lr=2.0)]


class StartPoints(RaceScene):
    """SGD with momentum from five starts: different basins, and a stall at the flat point x = 1/3."""

    optimizer = "sgd"
    lr = 0.002
    optimizer_kwargs = {"momentum": 0.5}
    runs = [Run(start=s) for s in (0.0, 0.3, 0.5, 0.62, 0.95)]
