"""Inside the optimizer: the update rule with the numbers of every step, beside the run, and the step's arrows.

    manim -ql scenes/inside.py AdamInside                 # the seed's Adam run with Adam's equations
    manim -s -r 854,480 scenes/inside.py AdamInside       # a still of the last step
    manim -ql scenes/inside.py BowlMomentum               # momentum on an ill-conditioned bowl, in 2D
    manim -ql scenes/inside.py SGDvsMomentum              # the two update rules side by side
"""

from optscenes import InsideScene, Run
from optscenes.scenes.inside import InsideMapScene

BOWL = "0.5*x^2 + 10*y^2"  # ill-conditioned: 20 times steeper across (y) than along (x)
# x to 2.5: the momentum run swings out to x = 1.75 at step 15 and back.
BOWL_VIEW = {"x_range": (-4.5, 2.5, 1), "y_range": (-1.5, 1.5, 0.5)}


class AdamInside(InsideScene):
    function = "(6*x-2)^2*sin(12*x-4)"  # the seed: the Forrester function
    optimizer = "adam"
    lr = 0.25
    start = 0.0
    steps = 50


class MomentumInside(InsideScene):
    function = "(6*x-2)^2*sin(12*x-4)"
    optimizer = "sgd"
    lr = 0.002  # 0.01 diverges at step 10
    optimizer_kwargs = {"momentum": 0.9}
    start = 0.0
    steps = 40


class BowlMomentum(InsideMapScene):
    """SGD with momentum across a narrow valley: the gradient points mostly across it, the velocity builds
    up along it."""

    function = BOWL
    optimizer = "sgd"
    lr = 0.04
    optimizer_kwargs = {"momentum": 0.9}
    start = (-4.0, 1.0)
    steps = 40
    x_range, y_range = BOWL_VIEW["x_range"], BOWL_VIEW["y_range"]


class SGDvsMomentum(InsideMapScene):
    """Plain SGD drops to the valley's floor (its y shrinks 5 times a step, to 1e-28: the panel shows it so)
    and crawls along it; with momentum it runs along the valley, overshoots and swings back. Their update rules
    side by side."""

    function = BOWL
    start = (-4.0, 1.0)
    steps = 40
    x_range, y_range = BOWL_VIEW["x_range"], BOWL_VIEW["y_range"]
    runs = [Run("sgd", lr=0.04), Run("sgd", lr=0.04, optimizer_kwargs={"momentum": 0.9})]
