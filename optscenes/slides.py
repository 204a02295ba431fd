"""Any optscenes scene as a slide deck (manim-slides), and stills of chosen steps as PNGs and a PDF handout.

A deck stops at each step of the scene's ``pause_at`` setting::

    from optscenes.slides import Slides

    class AdamSlides(Slides, AdamDescent):
        pause_at = [0, 10, 50]

    manim-slides render -ql scenes/adam.py AdamSlides     # the same as manim render; writes ./slides/
    manim-slides convert AdamSlides adam.html             # a reveal.js page; --to pdf for a handout
    manim-slides present AdamSlides                       # needs a Qt binding: manim-slides[pyqt6]

The replay is cut at the last frame of each pause step, so the slides together are exactly the video's
frames (the start hold opens the first slide); each slide's speaker notes give that step's numbers, and
the end hold is a looping last slide.
``slides_of(AdamDescent, pause_at=[0, 10, 50])`` makes the same class without writing one.

manim-slides 5.7.0 reads three configuration keys that manim 0.22 no longer has or checks more
strictly; :func:`apply_shims` adds them when, and only when, the installed manim lacks them. Importing
this module does not import manim or manim-slides; ``Slides`` does, on first use.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from .core.describe import format_value
from .core.errors import OptscenesError
from .core.files import atomic_write
from .core.timing import FramePlan
from .core.trajectory import Trajectory

#: Made on first use (see ``__getattr__``): it imports manim-slides.
Slides: type

__all__ = ["SHIMS", "Slides", "apply_shims", "replay_parts", "slides_of", "step_notes", "write_stills"]


# --- what manim-slides 5.7.0 needs from manim 0.22's configuration ---------------------------------------


def _lacks(name: str) -> Callable[[type], bool]:
    return lambda config_class: not hasattr(config_class, name)


def _rejects_infinite_cache(config_class: type) -> bool:
    try:
        config_class().max_files_cached = math.inf
    except ValueError:
        return True
    return False


def _write_to_movie(config_class: type) -> None:
    # manim 0.22's Cairo renderer always writes the movie unless it is a dry run; manim-slides only sets True.
    def accept_true(config: Any, value: bool) -> None:
        if not value:
            raise ValueError("manim 0.22 always writes the movie; use dry_run to skip it.")

    config_class.write_to_movie = property(lambda config: not config.dry_run, accept_true)


def _infinite_cache(config_class: type) -> None:
    # manim-slides keeps every partial movie with float("inf"); manim 0.22 spells unlimited -1.
    original = config_class.max_files_cached

    def setter(config: Any, value: Any) -> None:
        original.fset(config, -1 if isinstance(value, float) and math.isinf(value) else value)

    config_class.max_files_cached = property(original.fget, setter, doc=original.__doc__)


def _flush_cache(config_class: type) -> None:
    # manim 0.22 has no --flush_cache: the answer is always no.
    config_class.flush_cache = property(lambda config: False)


#: Each shim: its name, whether a manim configuration class needs it, and how to add it.
SHIMS: tuple[tuple[str, Callable[[type], bool], Callable[[type], None]], ...] = (
    ("write_to_movie", _lacks("write_to_movie"), _write_to_movie),
    ("max_files_cached", _rejects_infinite_cache, _infinite_cache),
    ("flush_cache", _lacks("flush_cache"), _flush_cache),
)


def apply_shims(config_class: type | None = None) -> list[str]:
    """Add to manim's ``ManimConfig`` (or ``config_class``) what manim-slides reads and it lacks; returns
    the names of the shims applied. Each is tested on the class itself, so a manim that has the key, or a
    second call, applies nothing."""
    if config_class is None:
        from manim._config.utils import ManimConfig

        config_class = ManimConfig
    applied = []
    for name, needed, shim in SHIMS:
        if needed(config_class):
            shim(config_class)
            applied.append(name)
    return applied


# --- the deck --------------------------------------------------------------------------------------------


def replay_parts(plan: FramePlan, pause_at: Iterable[int]) -> list[tuple[range, int]]:
    """The replay's frames cut after the last frame of each pause step: (frames, step shown last) for each
    slide, in order; together they are every frame of the replay, once. Steps past the run's end pause at
    its last step; the rest of the run after the last pause is one more slide.

    >>> plan = FramePlan(steps=5, frames_per_step=2, hold_frames=0, frame_rate=10)
    >>> replay_parts(plan, [0, 3, 9])
    [(range(0, 2), 0), (range(2, 8), 3), (range(8, 12), 5)]
    """
    stops = sorted({min(step, plan.steps) for step in pause_at} | {plan.steps})
    parts, first = [], 0
    for step in stops:
        stop = (step + 1) * plan.frames_per_step
        parts.append((range(first, stop), step))
        first = stop
    return parts


def step_notes(runs: Sequence[tuple[str | None, Trajectory]], step: int) -> str:
    """Speaker notes for ``step``: its numbers for each run (a run that ended earlier shows its last step).

    >>> import numpy as np
    >>> run = Trajectory(params=np.array([[0.0], [0.5]]), losses=np.array([3.0, 1.0]),
    ...                  grads=np.array([[-4.0], [-1.0]]), lr=np.array([0.25, 0.25]), optimizer="Adam")
    >>> print(step_notes([(None, run)], 1))
    Step 1: x = 0.5, f = 1, grad = -1, lr = 0.25
    """
    lines = []
    for label, run in runs:
        shown = min(step, run.steps)
        row = run.row(shown)
        numbers = ", ".join(f"{name} = {format_value(row[name])}" for name in (*run.variables, "f", "grad", "lr"))
        prefix = f"{label}, step {shown}" if label else f"Step {shown}"
        lines.append(f"{prefix}: {numbers}")
    return "\n\n".join(lines)


def _labelled_runs(scene: Any) -> list[tuple[str | None, Trajectory]]:
    recorded = scene.recorded_trajectories()
    return [(None, recorded)] if isinstance(recorded, Trajectory) else list(recorded)


def _make_slides_class() -> type:
    """Build ``Slides`` on manim-slides' ``Slide``: imported here so that ``import optscenes.slides`` stays
    cheap and works without manim-slides."""
    apply_shims()  # before manim-slides' Slide.__init__ reads config["write_to_movie"]
    try:
        from manim_slides import Slide
    except ImportError:
        raise OptscenesError("Slides need manim-slides: pip install 'optscenes[slides]'.") from None

    from .visuals.replay import TrajectoryReplay

    class Slides(Slide):
        """Put first in the bases of any optscenes scene: ``class AdamSlides(Slides, AdamDescent)``.

        The deck stops after each step of ``pause_at``, with that step's numbers as speaker notes; the
        end hold (``end_hold``) is a last slide that loops. The scene's own ``replay`` plays as in the
        video (start hold, replay, end hold); this class only cuts its replay into slides and starts a
        new slide before the hold, so the frames are the video's.
        """

        #: While a replay plays: the runs for the notes and whether the replay is done (the next wait holds).
        _deck: dict[str, Any] | None = None

        def replay(self, moving: Any, show_step: Callable[[int], None],
                   show_time: Callable[[float], None] | None = None) -> None:  # fmt: skip
            if self.settings.still_step is not None:
                super().replay(moving, show_step, show_time)
                return
            runs = _labelled_runs(self)
            pauses = replay_parts(self.plan, self.settings.pause_at)
            self._deck = {"runs": runs, "pauses": pauses, "replayed": False}
            self.next_slide(notes=step_notes(runs, pauses[0][1]))  # the notes of the slide that starts here
            try:
                super().replay(moving, show_step, show_time)
            finally:
                self._deck = None

        def play(self, *animations: Any, **kwargs: Any) -> None:
            deck = self._deck
            if deck is None or len(animations) != 1 or not isinstance(animations[0], TrajectoryReplay):
                super().play(*animations, **kwargs)
                return
            whole = animations[0]
            for i, (frames, step) in enumerate(deck["pauses"]):
                if i:
                    self.next_slide(notes=step_notes(deck["runs"], step))
                part = TrajectoryReplay(
                    whole.mobject, whole.plan, whole.show_step, whole.trajectory_digest, whole.show_time, frames
                )
                super().play(part, **kwargs)
            deck["replayed"] = True

        def wait(self, *args: Any, **kwargs: Any) -> None:
            deck = self._deck
            if deck is not None and deck["replayed"]:
                deck["replayed"] = False
                self.next_slide(loop=True, notes=step_notes(deck["runs"], self.plan.steps))
            super().wait(*args, **kwargs)

    Slides.__qualname__ = "Slides"  # its name in optscenes.slides, where it is found
    return Slides


def _slides_class() -> type:
    if "Slides" not in globals():
        globals()["Slides"] = _make_slides_class()
    return globals()["Slides"]


def __getattr__(name: str) -> Any:
    if name == "Slides":
        return _slides_class()
    raise AttributeError(f"module 'optscenes.slides' has no attribute {name!r}")


def slides_of(scene_class: type, **settings: Any) -> type:
    """``scene_class`` as a deck, with ``settings`` (``pause_at=[0, 10, 50]``) as class attributes; the
    class is named ``<Scene>Slides``, the name manim-slides files it under."""
    deck: type = type(f"{scene_class.__name__}Slides", (_slides_class(), scene_class), dict(settings))
    deck.__module__ = scene_class.__module__
    return deck


# --- stills and the handout ------------------------------------------------------------------------------


#: How ``write_stills`` renders each still, whatever else manim's configuration says.
STILL_CONFIG = {"format": "png", "disable_caching": True, "progress_bar": "none", "preview": False}


def write_stills(scene_classes: Iterable[type], steps: Iterable[int], out_dir: str | Path) -> tuple[list[Path], Path]:
    """Render each scene at each of ``steps`` as a PNG (``<Scene>_step<k>.png``) into ``out_dir``, and all of
    them, in that order, as one PDF handout (``handout.pdf``, a page a still). Sizes and colours are those of
    manim's current configuration; each still is the video's frame of that step."""
    import tempfile

    import manim as mn
    from PIL import Image

    out, steps = Path(out_dir), tuple(steps)
    stills = []
    for scene_class in scene_classes:
        for step in steps:
            still_class = type(scene_class.__name__, (scene_class,), {"still_step": step})
            # manim's own copy of the still goes to a scratch media folder; the frame is taken from the camera.
            with tempfile.TemporaryDirectory() as media, mn.tempconfig({**STILL_CONFIG, "media_dir": media}):
                scene = still_class()
                scene.render()
                frame = Image.fromarray(scene.renderer.get_frame()).convert("RGB")
            path = out / f"{scene_class.__name__}_step{step}.png"
            with atomic_write(path, "wb") as handle:
                frame.save(handle, format="PNG")
            stills.append((path, frame))
    if not stills:
        raise OptscenesError("No stills to write: give at least one scene and one step.")
    handout = out / "handout.pdf"
    first, *rest = (frame for _, frame in stills)
    with atomic_write(handout, "wb") as handle:
        first.save(handle, format="PDF", save_all=True, append_images=rest, resolution=100.0)
    return [path for path, _ in stills], handout
