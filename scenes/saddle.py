"""A saddle, x^2 - y^2, as a surface: plain SGD stalls near the saddle point, momentum escapes.

    manim -pql scenes/saddle.py SaddleEscape --format gif

Both start at (1.5, 0.001), a hair off the ridge: the pull towards y = 0 is strong and the push
away from it is tiny there, so plain gradient descent slows almost to a stop at the saddle point;
momentum keeps its speed and leaves along y: it leaves the view (its row says at which step), which is
an escape, not a divergence. The camera turns 40 degrees over the replay.
"""

from optscenes import Run, SurfaceScene


class SaddleEscape(SurfaceScene):
    function = "saddle"
    start = (1.5, 0.001)
    steps = 60
    runs = [Run("sgd", lr=0.05), Run("sgd", lr=0.05, optimizer_kwargs={"momentum": 0.9})]
