"""Himmelblau's four minima: one optimizer from four starts, four different ends.

    manim -pql scenes/himmelblau.py FourMinima --format gif
"""

from optscenes import ContourScene, Run


class FourMinima(ContourScene):
    function = "himmelblau"
    optimizer = "sgd"
    lr = 0.01
    steps = 60
    runs = [Run(start=s) for s in ((1.0, 1.0), (-1.0, 1.0), (-1.0, -1.0), (1.0, -1.0))]
