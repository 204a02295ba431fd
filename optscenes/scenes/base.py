"""What every optscenes scene does: check its settings, make its runs (from the run cache when it can),
plan the frames, place the header, play the replay, and leave the record beside the video."""

from __future__ import annotations

import atexit
import dataclasses
import errno
import gc
import hashlib
import math
import os
import platform
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

import filelock
import manim as mn
import numpy as np
from manim.renderer.cairo_renderer import CairoRenderer

from ..core import cache
from ..core.errors import OptscenesError, SettingError
from ..core.objective import Objective
from ..core.optimization import optimize
from ..core.provenance import write_sidecars
from ..core.settings import SettingValues, scene_settings, settings_of
from ..core.timing import FramePlan, frame_plan
from ..core.trajectory import Trajectory
from ..core.typst import typst_math
from ..visuals.gif import CleanGifMixin
from ..visuals.replay import TrajectoryReplay
from ..visuals.text import Label, fit_width, formula_mobject, text_halo
from ..visuals.textcache import private_text_dir
from ..visuals.theme import Theme, theme_named
from ..visuals.writer import SegmentWriter, use_segment_writer

__all__ = ["MARGIN", "ReplayScene"]

#: Space between the frame's edge and anything drawn, in scene units.
MARGIN = 0.35
#: A replay longer than this many seconds gets one warning suggesting show_every.
LONG_REPLAY = 60


class ReplayScene(CleanGifMixin, mn.Scene):
    """The base of the scenes that replay optimizer runs; subclass one of its scene types, not this.

    Settings are class attributes; each scene type takes the settings the table in
    :mod:`optscenes.core.settings` gives it (they are listed under "Settings" in its help). A public
    class attribute that is not one of them is refused with the closest valid names when the scene is
    rendered; give a helper attribute of your own a name that starts with an underscore. Methods are
    free.
    """

    #: The scene type's kind in the settings table ("single", "race", "map", "surface").
    _kind: ClassVar[str]
    #: How many variables the function of this scene type has.
    _variables: ClassVar[int] = 1
    #: Whether the scene plays ``explain_steps`` in beats (the inside scenes): elsewhere the setting is refused.
    _explains: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "_kind" not in vars(cls):
            return
        # A scene type: its settings' defaults become class attributes, and its help lists them.
        valid = settings_of(cls._kind)
        for name, setting in valid.items():
            if not any(name in vars(base) for base in cls.__mro__):
                setattr(cls, name, setting.default)
        lines = [f"    {name} : {s.takes}, default {getattr(cls, name)!r}\n        {s.doc}" for name, s in valid.items()]
        cls.__doc__ = (cls.__doc__ or "").rstrip() + "\n\n    Settings\n    --------\n" + "\n".join(lines) + "\n"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.session_spec.output.is_video and not isinstance(self.renderer.file_writer, SegmentWriter):
            # Video segments written with less work; a GIF already has one of these writers (CleanGifMixin).
            use_segment_writer(self)
        self._print_instead_of_preview = False
        presentation = self.session_spec.presentation
        if presentation.open_after_render and not _viewer_available():
            # manim would run a missing xdg-open and end in a traceback after the file is written.
            self._print_instead_of_preview = True
            self.session_spec = dataclasses.replace(
                self.session_spec, presentation=dataclasses.replace(presentation, open_after_render=False)
            )

    # --- settings and runs, asked once -----------------------------------------------------------

    @property
    def settings(self) -> SettingValues:
        """This scene's settings, checked: its class attributes, and the defaults for the rest."""
        if "_settings" not in vars(self):
            settings = scene_settings(type(self), self._kind, checked=lambda c: issubclass(c, ReplayScene))
            if settings.get("explain_steps") and not self._explains:
                raise SettingError(
                    f"{type(self).__name__} has no beats to play: explain_steps is a setting of InsideScene and "
                    "InsideMapScene, which show the update rule."
                )
            self._settings = settings
        return self._settings

    @property
    def style(self) -> Theme:
        """The colours everything is drawn with: the ``theme`` setting's; unset, the slide theme for a
        transparent render (-t), else one for manim's background."""
        if "_style" not in vars(self):
            background = mn.ManimColor(mn.config.background_color).to_hex()[:7]
            self._style = theme_named(self.settings.theme, background, transparent=mn.config.transparent)
        return self._style

    def setup(self) -> None:
        super().setup()
        # The theme's page; with -t manim keeps it transparent (background_opacity 0).
        self.camera.background_color = mn.ManimColor(self.style.background)

    def color(self, name: str, theme_color: str) -> mn.ManimColor:
        """The colour setting ``name``, or ``theme_color`` when it is unset."""
        value = self.settings[name]
        try:
            return mn.ManimColor(theme_color if value is None else value)
        except (ValueError, TypeError):
            raise SettingError(f"{name} must be a colour such as '#58C4DD' or 'BLUE', not {value!r}.") from None

    def objective(self) -> Objective:
        """The function, parsed from the ``function`` setting."""
        if "_objective" not in vars(self):
            objective = Objective(self.settings.function)
            if objective.dim != self._variables:
                wanted = "x alone" if self._variables == 1 else "x and y"
                raise OptscenesError(
                    f"{type(self).__name__} draws functions of {wanted}; {self.settings.function!r} uses "
                    f"{', '.join(objective.variables)}."
                )
            self._objective = objective
        return self._objective

    def trajectory_for(self, run_settings: dict[str, Any]) -> Trajectory:
        """``optimize(objective, **run_settings)``, from the run cache when nothing about it changed."""
        use_cache = self.settings.cache_trajectory and not mn.config.disable_caching
        formula = self.objective().formula
        key = cache.cache_key(formula, run_settings) if use_cache else None
        directory = mn.config.get_dir("media_dir") / "optscenes-cache"
        trajectory = cache.load(directory, key) if key else None
        if trajectory is None:
            trajectory = optimize(self.objective(), **run_settings)
            if key:
                cache.store(directory, key, trajectory)
        return trajectory

    def trajectories(self) -> list[Trajectory]:
        """The runs this scene replays."""
        raise NotImplementedError

    def recorded_trajectories(self) -> Trajectory | list[tuple[str, Trajectory]]:
        """What the provenance record holds: one run, or each run with its label."""
        raise NotImplementedError

    def frame_plan(self) -> FramePlan:
        """Which step each frame shows, from ``seconds_per_step``, ``end_hold`` and the frame rate; the clock
        runs over the steps asked for, so a run that ends early holds its place while the others go on."""
        steps = max(t.requested_steps or t.steps for t in self.trajectories())
        return self.plan_for(steps)

    def plan_for(self, steps: int) -> FramePlan:
        """The frame plan of a replay of ``steps`` steps, from the settings; one warning when it runs long."""
        settings = self.settings
        plan = frame_plan(
            steps, mn.config.frame_rate, settings.seconds_per_step, settings.end_hold, settings.start_hold,
            settings.show_every,
        )  # fmt: skip
        if plan.seconds > LONG_REPLAY and settings.still_step is None:
            every = math.ceil(settings.show_every * plan.seconds / LONG_REPLAY)
            mn.logger.warning(
                f"optscenes: this replay lasts {plan.seconds:.0f} s; show_every = {every} would bring it under "
                f"{LONG_REPLAY} s (the counter still shows the real step)."
            )
        return plan

    # --- the picture ---------------------------------------------------------------------------------

    @property
    def frame_size(self) -> tuple[float, float]:
        """Width and height of what the camera sees, in scene units (4:3 frames are taller than 8)."""
        return self.camera.frame_width, self.camera.frame_height

    @property
    def size_factor(self) -> float:
        """How much to grow text and dots: with the frame's height in units (4:3 frames are taller), and
        more for frames under 480 pixels high, whose digits would otherwise drop below what a pixel grid
        draws legibly (the seed's 300-pixel GIF gets 30% more: its smallest digits are 11 pixels high)."""
        small_frame_boost = min(max((480 / mn.config.pixel_height) ** 0.55, 1.0), 1.35)
        return self.frame_size[1] / 8 * small_frame_boost

    @property
    def text_size(self) -> float:
        """``font_size`` times ``size_factor``."""
        return float(self.settings.font_size * self.size_factor)

    @property
    def foreground(self) -> mn.ManimColor:
        """Titles and numbers."""
        return self.color("text_color", self.style.text)

    def build_header(self, subtitle_text: str) -> mn.VGroup:
        """The title (the formula, unless ``title`` is set), and under it ``subtitle_text``."""
        objective = self.objective()
        if self.settings.title is not None:
            title = Label(self.settings.title, font_size=self.text_size, color=self.foreground)
        else:
            f = f"f({', '.join(objective.variables)}) = "
            title = formula_mobject(f + typst_math(objective.expr), f + objective.pretty, self.text_size, self.foreground)
        subtitle = Label(subtitle_text, font_size=self.text_size * 0.8, color=self.style.secondary_text)
        return mn.VGroup(title, subtitle).arrange(mn.DOWN, aligned_edge=mn.LEFT, buff=0.15)

    def place_header(
        self, header: mn.VGroup, corner: mn.Mobject | None = None, top_corner: mn.Mobject | None = None
    ) -> float:
        """Put the header top left, ``corner`` right on its second line and ``top_corner`` right on its first.

        Returns the height below which the rest of the picture goes.
        """
        width, height = self.frame_size
        title, subtitle = header
        fit_width(title, width - 2 * MARGIN - (top_corner.width + 0.6 if top_corner is not None else 0))
        fit_width(subtitle, width - 2 * MARGIN - (corner.width + 0.6 if corner is not None else 0))
        # Placed from the camera's frame: manim's to_edge() assumes config's 16:9 frame, not -r 400,300's.
        right_edge = np.array([width / 2 - MARGIN, 0.0, 0.0])
        header.arrange(mn.DOWN, aligned_edge=mn.LEFT, buff=0.15)
        header.align_to(np.array([-width / 2 + MARGIN, height / 2 - MARGIN, 0.0]), mn.UL)
        if corner is not None:
            corner.align_to(right_edge, mn.RIGHT).align_to(subtitle, mn.DOWN)
        if top_corner is not None:
            top_corner.align_to(right_edge, mn.RIGHT).align_to(title, mn.DOWN)
        return float(min(header.get_bottom()[1], *(c.get_bottom()[1] for c in (corner, top_corner) if c is not None)))

    def replay(
        self,
        moving: mn.Mobject,
        show_step: Callable[[int], None],
        show_time: Callable[[float], None] | None = None,
    ) -> None:
        """Play ``show_step`` over the frame plan as one animation, then hold; or, with ``still_step``,
        show that one step as a still."""
        plan = self.plan
        if self.settings.still_step is not None:
            show_step(min(self.settings.still_step, plan.steps))
            return
        digest = "".join(t.digest() for t in self.trajectories())
        if plan.start_frames:
            # The start, still, before anything moves (a still frame is repeated int(duration * fps) times).
            show_step(0)
            if show_time is not None:
                show_time(0.0)
            self.wait((plan.start_frames + 0.5) / plan.frame_rate)
        replay = TrajectoryReplay(moving, plan, show_step, digest, show_time)
        with self._copying_unchanged_frames(replay):
            self.play(replay)
        if plan.hold_frames:
            # A still frame is repeated int(duration * fps) times: aim between frames.
            self.wait((plan.hold_frames + 0.5) / plan.frame_rate)

    @contextmanager
    def _copying_unchanged_frames(self, replay: TrajectoryReplay) -> Iterator[None]:
        """While ``replay`` plays, a frame that shows what the frame before showed is that frame again,
        not drawn anew: at 60 fps a step lasts four frames, and drawing is most of a frame's cost."""
        renderer = self.renderer
        if not isinstance(renderer, CairoRenderer):
            yield
            return
        draw, add_frame = renderer.render, renderer.add_frame
        drawn: list[int | None] = [None]
        written: list[np.ndarray] = []  # the frame last written

        def render(scene: mn.Scene, time: float, moving_mobjects: Any = None) -> None:
            if replay.picture is not None and replay.picture == drawn[0]:
                # The same array again: the writer converts it for the encoder once (SegmentWriter).
                add_frame(written[0])
                return
            draw(scene, time, moving_mobjects)
            drawn[0] = replay.picture

        def remember(frame: np.ndarray, num_frames: int = 1) -> None:
            written[:] = [frame]
            add_frame(frame, num_frames)

        renderer.render = render  # type: ignore[method-assign]
        renderer.add_frame = remember  # type: ignore[method-assign]
        try:
            yield
        finally:
            del renderer.render, renderer.add_frame  # the class's methods again

    # --- the command line ------------------------------------------------------------------------------

    def render(self, preview: bool = False) -> bool:
        if _called_by_manim_cli():
            # The process ends after rendering; a last garbage collection over torch's and manim's
            # objects only delays that end (0.3-0.4 s here). Frozen objects are skipped by it.
            atexit.register(gc.freeze)
        try:
            try:
                self.settings  # noqa: B018 - a misspelt setting stops the render before anything is written
                halo = text_halo(self.style.halo, self.style.halo_width * self.size_factor)
                with self._alone_in_media_dir(), private_text_dir(), halo:
                    # Renders at once into one media folder share manim's text cache (see private_text_dir);
                    # every text built meanwhile, shown at once or swapped in later, gets the theme's halo.
                    rerun = super().render(preview)
            except OSError as error:
                sentence = _unwritable_media(error)
                if sentence is None:
                    raise
                raise sentence from error
        except OptscenesError as error:
            if _called_by_manim_cli():
                # One sentence for the lecturer instead of a screenful of frames.
                print(f"optscenes: {error}", file=sys.stderr)
                raise SystemExit(1) from None
            raise
        path = getattr(self.renderer.file_writer, "final_file_path", None)
        if self.settings.write_provenance and path is not None and os.path.isfile(path) and hasattr(self, "plan"):
            extra = {"scene": type(self).__name__, "frames": dataclasses.asdict(self.plan)}
            write_sidecars(path, self.recorded_trajectories(), extra)
        if self._print_instead_of_preview:
            print(f"No program to preview it here (-p needs a desktop viewer); the file is {path}")
        return rerun

    @contextmanager
    def _alone_in_media_dir(self) -> Iterator[None]:
        """Hold the block while no other render of this scene into this media folder runs.

        Two renders of one scene at once would write the same partial movies and the same video (manim names
        them after the module, the scene and the animation's hash); the later one waits, then reuses them.
        The lock files live in the temporary folder, named after the media folder's path: a render that
        fails leaves nothing in the media folder, and a lock file is never removed while someone waits on it.
        """
        scene = f"{type(self).__module__.rpartition('.')[2]}.{type(self).__qualname__}"
        media = os.path.abspath(mn.config.get_dir("media_dir"))
        locks = Path(tempfile.gettempdir()) / "optscenes-locks"
        locks.mkdir(exist_ok=True)
        lock = filelock.FileLock(locks / f"{hashlib.sha256(media.encode()).hexdigest()[:16]}-{scene}.lock")
        try:
            lock.acquire(timeout=0)
        except filelock.Timeout:
            mn.logger.info(f"optscenes: another render of {scene} into this media folder is running; waiting for it.")
            lock.acquire()
        try:
            yield
        finally:
            lock.release()


def _unwritable_media(error: OSError) -> OptscenesError | None:
    """A media folder that cannot be written, as one sentence; ``None`` for any other ``error``."""
    media = os.path.abspath(mn.config.get_dir("media_dir"))
    where = os.path.join(os.path.abspath(error.filename or "/"), "")
    unwritable = isinstance(error, PermissionError | NotADirectoryError) or error.errno in (errno.EROFS, errno.ENOSPC)
    if not (unwritable and where.startswith(media + os.sep)):
        return None
    return OptscenesError(
        f"Cannot write in the media folder {media} ({error.strerror}: {error.filename}); "
        "choose one you can write to with --media_dir."
    )


def _viewer_available() -> bool:
    command = mn.config.preview_command or {"Linux": "xdg-open", "Darwin": "open"}.get(platform.system())
    if platform.system() == "Windows":
        return True
    if command is None or shutil.which(command) is None:
        return False
    if platform.system() == "Linux" and not mn.config.preview_command:
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def _called_by_manim_cli() -> bool:
    return os.path.basename(sys.argv[0]) in ("manim", "manimce") or sys.argv[0].endswith(("manim/__main__.py",))
