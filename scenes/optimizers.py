"""One scene per optimizer family on the seed's function, all from x0 = 0 for 50 steps.

    manim -pql scenes/optimizers.py MomentumDescent --format gif

Plain SGD and RMSprop settle in the local minimum near x = 0.14; momentum carries SGD over the bump
to the global minimum near 0.757, while Nesterov's look-ahead damps that same swing.
"""

from optscenes import OptimizerScene


class SGDDescent(OptimizerScene):
    optimizer = "sgd"
    lr = 0.005


class MomentumDescent(OptimizerScene):
    optimizer = "sgd"
    lr = 0.002
    optimizer_kwargs = {"momentum": 0.9}


class NesterovDescent(OptimizerScene):
    optimizer = "sgd"
    lr = 0.002
    optimizer_kwargs = {"momentum": 0.9, "nesterov": True}


class RMSpropDescent(OptimizerScene):
    optimizer = "rmsprop"
    lr = 0.02


class AdagradDescent(OptimizerScene):
    optimizer = "adagrad"
    lr = 0.8


class AdamWDescent(OptimizerScene):
    optimizer = "adamw"
    lr = 0.25
    optimizer_kwargs = {"weight_decay": 0.1}


class LBFGSDescent(OptimizerScene):
    """One LBFGS step is one call of step(closure), which may evaluate the function up to max_iter times."""

    optimizer = "lbfgs"
    lr = 1.0
    steps = 10
    tol = 1e-6
    seconds_per_step = 0.4
    end_hold = 1.5  # "converged at step 2" needs a moment on screen
