"""The seed picture written the obvious manim way, as a baseline for ``AdamDescent``.

    manim -ql --format gif benchmarks/naive_scene.py NaiveAdamDescent

No optscenes: the trajectory is a plain torch loop in the scene, the path is a ``TracedPath``, the
counter an ``always_redraw(Text(...))``, and every step is its own ``self.play`` of
``run_time=1/15`` (after a 1/15 s ``wait`` that shows the start): 1 + 50 = 51 frames at 15 fps.

Note what the obvious version does at 15 fps: a ``play`` of one frame renders that frame at
``t = 0``, i.e. *before* the dot moves, so frame k shows iterate k - 1 and the last iterate is never
drawn. That is part of what "the obvious way" costs; it is kept as is.
"""

from __future__ import annotations

import math

import torch
from manim import (
    BLUE,
    DOWN,
    GRAY_B,
    LEFT,
    ORANGE,
    UL,
    UR,
    WHITE,
    YELLOW,
    Axes,
    Dot,
    Scene,
    Text,
    TracedPath,
    always_redraw,
)

STEPS = 50
LR = 0.25
START = 0.0


def forrester(x):
    return (6 * x - 2) ** 2 * torch.sin(12 * x - 4)


def adam_trajectory(steps: int = STEPS, lr: float = LR, start: float = START) -> list[tuple[float, float]]:
    """(x_k, f(x_k)) for k = 0..steps of torch.optim.Adam on the Forrester function."""
    x = torch.tensor([start], requires_grad=True)
    opt = torch.optim.Adam([x], lr=lr)
    points = []
    for _ in range(steps):
        opt.zero_grad()
        loss = forrester(x).sum()
        points.append((x.item(), loss.item()))
        loss.backward()
        opt.step()
    with torch.no_grad():
        points.append((x.item(), forrester(x).sum().item()))
    return points


class NaiveAdamDescent(Scene):
    def construct(self):
        points = adam_trajectory()

        title = Text("f(x) = (6x − 2)² · sin(12x − 4)", font_size=30).to_corner(UL, buff=0.35)
        subtitle = Text(f"Adam,  lr = {LR:g}", font_size=24, color=GRAY_B)
        subtitle.next_to(title, DOWN, buff=0.15, aligned_edge=LEFT)

        axes = Axes(
            x_range=[-0.2, 1.0, 0.2],
            y_range=[-7.5, 17.5, 2.5],
            x_length=12,
            y_length=5.2,
            tips=False,
            axis_config={
                "include_numbers": True,
                "label_constructor": Text,
                "font_size": 20,
                "color": GRAY_B,
                "stroke_width": 2,
            },
            x_axis_config={"decimal_number_config": {"num_decimal_places": 1}},
            y_axis_config={"decimal_number_config": {"num_decimal_places": 1}},
        ).to_edge(DOWN, buff=0.35)
        graph = axes.plot(lambda x: (6 * x - 2) ** 2 * math.sin(12 * x - 4), x_range=[-0.2, 1.0], color=BLUE)
        self.add(title, subtitle, axes, graph)

        dot = Dot(axes.c2p(*points[0]), radius=0.11, color=YELLOW)
        path = TracedPath(dot.get_center, stroke_color=ORANGE, stroke_width=3)

        k = 0
        counter = always_redraw(
            lambda: Text(f"step {k} / {STEPS}", font_size=27, color=WHITE).to_corner(UR, buff=0.35).shift(0.55 * DOWN)
        )
        self.add(path, dot, counter)

        self.wait(1 / 15)
        for k in range(1, STEPS + 1):  # noqa: B007 - the counter's lambda reads k
            self.play(dot.animate.move_to(axes.c2p(*points[k])), run_time=1 / 15)


__all__ = ["NaiveAdamDescent", "adam_trajectory"]
