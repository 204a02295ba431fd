"""A learning rate that is too large: plain SGD at lr 0.02 on the seed's function flies off.

    manim -pql scenes/divergence.py TooLargeStep --format gif

The run ends at the last finite iterate; the view keeps the start region, and the scene says when it
diverged.
"""

from optscenes import OptimizerScene


class TooLargeStep(OptimizerScene):
    optimizer = "sgd"
    lr = 0.02
