"""Learning-rate schedules on the seed's Adam run; the lr in use is shown beside the formula.

    manim -pql scenes/schedules.py CosineAdam --format gif
"""

from optscenes import OptimizerScene


class CosineAdam(OptimizerScene):
    """Adam at lr 0.25 annealed to 0 over the 50 steps: the late oscillation dies out."""

    optimizer = "adam"
    lr = 0.25
    scheduler = "CosineAnnealingLR"  # T_max defaults to the number of steps


class OneCycleAdam(OptimizerScene):
    """Warm up to 0.25 over the first 30% of the steps, then anneal far below the start."""

    optimizer = "adam"
    lr = 0.25
    scheduler = "OneCycleLR"  # max_lr defaults to lr, total_steps to the run


class StepDecaySGD(OptimizerScene):
    """Momentum SGD whose lr is halved every 10 steps."""

    optimizer = "sgd"
    lr = 0.002
    optimizer_kwargs = {"momentum": 0.9}
    scheduler = "StepLR"
    scheduler_kwargs = {"step_size": 10, "gamma": 0.5}
