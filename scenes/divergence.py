"""A learning rate that is too large: plain SGD at lr 0.02 on the seed's function flies off.

    manim -pql scenes/divergence.py TooLargeStep --format gif

The run ends at the last finite iterate; the view keeps the start region, and the scene says when it
diverged. Its 9 iterates would be over in 0.6 s at the default pace: seconds_per_step is left unset, so the
replay is slowed to 3 s (5 frames a step at 15 fps).
"""

from optscenes import OptimizerScene


class TooLargeStep(OptimizerScene):
    optimizer = "sgd"
    lr = 0.02
