"""The floor: the least a manim scene can do to show the seed's dot walking its 51 iterates.

    manim -qh benchmarks/floor_scene.py FloorScene

Static title + Axes + graph (Text labels, drawn once into manim's cached background), and one Dot
moved through the iterates by a single ``UpdateFromAlphaFunc``. No counter, no path, no provenance.
Frame count equals ``AdamDescent``'s at any frame rate: ``frames = 51 * round(fps / 15)`` over a
run time of ``(frames - 0.5) / fps`` (manim's clock is ``arange(0, run_time, 1 / fps)``).

``FloorSceneSegments`` is the same scene written by optscenes' video writer (a held frame converted for the
encoder once, x264 on frame threads; see optscenes/visuals/writer.py), to tell what the writer gains from
what the picture costs.

The trajectory comes from ``optscenes.optimize`` (torch's real Adam); its cost, torch import
included, is part of this scene's time just as it is of ``AdamDescent``'s.
"""

from __future__ import annotations

import numpy as np
from manim import BLUE, DOWN, GRAY_B, UL, YELLOW, Axes, Dot, Scene, Text, UpdateFromAlphaFunc, VGroup, config, linear

import optscenes
from optscenes.visuals.writer import use_segment_writer

FORRESTER = "(6*x-2)^2*sin(12*x-4)"
STEPS = 50


class FloorScene(Scene):
    def construct(self) -> None:
        objective = optscenes.Objective(FORRESTER)
        run = optscenes.optimize(objective, "adam", start=0.0, steps=STEPS, lr=0.25)

        title = Text("f(x) = (6x − 2)² · sin(12x − 4)", font_size=30).to_corner(UL, buff=0.35)
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
        graph = axes.plot(lambda x: float(objective.numpy(x)), x_range=[-0.2, 1.0, 1.2 / 400], color=BLUE, use_smoothing=False)
        self.add(VGroup(title, axes, graph))  # static: drawn once into the background

        points = np.array([axes.c2p(float(x), float(y)) for x, y in zip(run.params[:, 0], run.losses)])
        fps = config.frame_rate
        per_step = max(1, round(fps / 15))
        frames = len(points) * per_step
        span = frames - 0.5
        dot = Dot(points[0], radius=0.11, color=YELLOW)
        self.add(dot)

        def show(mob: Dot, alpha: float) -> None:
            frame = round(alpha * span)
            mob.move_to(points[min(frame // per_step, len(points) - 1)])

        self.play(UpdateFromAlphaFunc(dot, show, run_time=span / fps, rate_func=linear))


class FloorSceneSegments(FloorScene):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        use_segment_writer(self)


__all__ = ["FloorScene", "FloorSceneSegments"]
