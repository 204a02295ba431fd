"""The seed GIF made with plain matplotlib: the yardstick for AdamDescent's 400x300 GIF.

    python benchmarks/matplotlib_seed.py OUT.gif [WIDTH HEIGHT FPS]      # default 400 300 15

Same torch Adam run (plain loop, no optscenes), same frame count as AdamDescent
(51 * round(fps / 15)), same size: the curve, a moving dot, the path so far, a "step k / 50" counter
and the formula as title, written as one would for a blog post: FuncAnimation + PillowWriter on
the Agg backend, with artists created once and only their data changed per frame.

``blit=True`` is set (it is what makes the on-screen animation cheap) but does not speed up
saving: ``Animation.save`` redraws the whole figure for every frame whatever ``blit`` says
(``draw_idle`` after the update), and PillowWriter grabs each frame with another full ``savefig``.
The layout is solved once and then frozen, so those draws do not re-run constrained layout.
"""

from __future__ import annotations

import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from matplotlib.animation import FuncAnimation, PillowWriter  # noqa: E402

STEPS = 50
LR = 0.25
START = 0.0


def forrester(x):
    return (6 * x - 2) ** 2 * torch.sin(12 * x - 4)


def adam_trajectory(steps: int = STEPS, lr: float = LR, start: float = START) -> tuple[np.ndarray, np.ndarray]:
    """x_k and f(x_k) for k = 0..steps of torch.optim.Adam on the Forrester function (float32)."""
    x = torch.tensor([start], requires_grad=True)
    opt = torch.optim.Adam([x], lr=lr)
    xs, ys = [], []
    for _ in range(steps):
        opt.zero_grad()
        loss = forrester(x).sum()
        xs.append(x.item())
        ys.append(loss.item())
        loss.backward()
        opt.step()
    with torch.no_grad():
        xs.append(x.item())
        ys.append(forrester(x).sum().item())
    return np.array(xs), np.array(ys)


def main(argv: list[str]) -> None:
    if not 1 <= len(argv) <= 4:
        sys.exit("usage: matplotlib_seed.py OUT.gif [WIDTH HEIGHT FPS]")
    out = argv[0]
    width, height, fps = (int(v) for v in (argv[1:] + ["400", "300", "15"][len(argv) - 1 :]))
    xs, ys = adam_trajectory()
    per_step = max(1, round(fps / 15))
    frames = len(xs) * per_step

    plt.style.use("dark_background")
    dpi = 100
    fig, ax = plt.subplots(figsize=(width / dpi, height / dpi), dpi=dpi, layout="constrained")
    grid = np.linspace(-0.2, 1.0, 400)
    ax.plot(grid, (6 * grid - 2) ** 2 * np.sin(12 * grid - 4), color="#58C4DD", lw=2)
    ax.set_xlim(-0.2, 1.0)
    ax.set_ylim(-7.5, 17.5)
    ax.tick_params(labelsize=7)
    ax.set_title(r"$f(x) = (6x-2)^2\,\sin(12x-4)$" + f"    Adam, lr = {LR:g}", fontsize=9, loc="left")
    (path,) = ax.plot([], [], color="#FF862F", lw=1.5, alpha=0.85)
    (dot,) = ax.plot([], [], "o", color="#FFFF00", ms=6)
    counter = ax.text(0.98, 0.96, "step 50 / 50", transform=ax.transAxes, ha="right", va="top", fontsize=9)
    # Lay the figure out once, then freeze it: constrained layout would otherwise be solved again
    # on every one of the two or three full draws per saved frame.
    fig.canvas.draw()
    fig.set_layout_engine("none")

    def init():
        path.set_data([], [])
        dot.set_data([], [])
        counter.set_text("")
        return path, dot, counter

    def update(frame: int):
        k = min(frame // per_step, STEPS)
        path.set_data(xs[: k + 1], ys[: k + 1])
        dot.set_data(xs[k : k + 1], ys[k : k + 1])
        counter.set_text(f"step {k} / {STEPS}")
        return path, dot, counter

    anim = FuncAnimation(fig, update, frames=frames, init_func=init, blit=True)
    anim.save(out, writer=PillowWriter(fps=fps), dpi=dpi)
    plt.close(fig)


if __name__ == "__main__":
    main(sys.argv[1:])
