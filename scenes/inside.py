"""Inside the optimizer: the update rule with the numbers of every step, beside the run.

    manim -ql scenes/inside.py AdamInside                 # the seed's Adam run with Adam's equations
    manim -s -r 854,480 scenes/inside.py AdamInside       # a still of the last step
"""

from optscenes import InsideScene


class AdamInside(InsideScene):
    function = "(6*x-2)^2*sin(12*x-4)"  # the seed: the Forrester function
    optimizer = "adam"
    lr = 0.25
    start = 0.0
    steps = 50


class MomentumInside(InsideScene):
    function = "(6*x-2)^2*sin(12*x-4)"
    optimizer = "sgd"
    lr = 0.01
    optimizer_kwargs = {"momentum": 0.9}
    start = 0.0
    steps = 40
