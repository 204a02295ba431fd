"""The seed: Adam on the Forrester function, x0 = 0, lr = 0.25, 50 steps.

    manim -pql scenes/adam.py AdamDescent --format gif      # the animation
    manim -s -ql scenes/adam.py AdamOverview                # every iterate at once, as a still
    manim -r 400,300 --fps 15 scenes/adam.py AdamDescent --format gif   # the blog post's 400x300 GIF
"""

from optscenes import OptimizerOverview, OptimizerScene


class AdamDescent(OptimizerScene):
    function = "(6*x-2)^2*sin(12*x-4)"  # the Forrester function, "forrester" in the catalogue
    optimizer = "adam"
    lr = 0.25
    start = 0.0
    steps = 50


class AdamOverview(OptimizerOverview, AdamDescent):
    pass
