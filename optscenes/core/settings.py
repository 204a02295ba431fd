"""Every setting a run or a scene can be given, in one table: name, default, what it takes, one line of doc.

Everything else is derived from :data:`SETTINGS`: the keywords :func:`~optscenes.optimize` accepts and
their defaults, the fields of :class:`Run`, the class attributes of every scene type (and the refusal
of a name that is not one of them), the run settings a cache key and a provenance record hold, the
settings that tell runs apart in labels, and the settings table of the README
(``scripts/settings_table.py`` writes it; a test compares).

Values are checked here and come out normalised: numbers of any kind (Python, numpy, a 0-d torch
tensor) become ``float``/``int``; text is never taken for a number (``"0.1"`` is refused); ``bool`` is
never taken for a number either.
"""

from __future__ import annotations

import difflib
import inspect
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

from .catalogue import CATALOGUE
from .errors import SettingError

__all__ = [
    "MAX_STEPS",
    "RUN_SETTINGS",
    "SCENE_KINDS",
    "SETTINGS",
    "Run",
    "Setting",
    "SettingValues",
    "check_setting",
    "closest_names",
    "real_number",
    "run_settings",
    "scene_settings",
    "settings_of",
]

#: The most optimizer steps a run may take.
MAX_STEPS = 100_000

#: The scene types, as settings name them: one run on a curve, several on a curve, a map, a surface.
SCENE_KINDS = ("single", "race", "map", "surface")
_ALL = frozenset(SCENE_KINDS)
_COMPARISONS = frozenset({"race", "map", "surface"})

Check = Callable[[str, Any], Any]


@dataclass(frozen=True)
class Setting:
    """One setting: its name, default, what values it takes (for people), one line of doc, its check.

    ``scenes`` are the scene kinds that take it; ``per_run`` settings may differ between the runs of a
    comparison (a :class:`Run` sets them); ``run`` settings are keywords of ``optimize``; ``aliases``
    are names people write for it (``learning_rate`` for ``lr``), suggested when they do.
    """

    name: str
    default: Any
    takes: str
    doc: str
    check: Check
    scenes: frozenset[str] = _ALL
    run: bool = False
    per_run: bool = False
    aliases: tuple[str, ...] = ()

    def __call__(self, value: Any) -> Any:
        """``value`` checked and normalised, or a :class:`SettingError` naming this setting."""
        return self.check(self.name, value)


# --- numbers, as lecturers write them -------------------------------------------------------------


def real_number(value: Any) -> float | None:
    """``value`` as a float when it is one real number (Python, numpy or a 0-d torch tensor), else ``None``.

    ``bool`` (Python's or numpy's) and text are not numbers.
    """
    if isinstance(value, bool | np.bool_ | str | bytes):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, np.generic | np.ndarray):
        array = np.asarray(value)
        if array.ndim == 0 and array.dtype.kind in "iuf":
            return float(array)
        return None
    if type(value).__module__.startswith("torch") and callable(getattr(value, "dim", None)):
        # A 0-d torch tensor, recognised without importing torch.
        if value.dim() == 0 and not value.is_complex() and not value.dtype.is_complex and str(value.dtype) != "torch.bool":
            return float(value.item())
    return None


def _shown(value: Any) -> str:
    """A value as an error message shows it: numpy and torch scalars by their own repr."""
    return repr(value)


def _fail(name: str, wanted: str, value: Any) -> SettingError:
    return SettingError(f"{name} must be {wanted}, not {_shown(value)}.")


def _fail_number(name: str, wanted: str, value: Any) -> SettingError:
    """The refusal for a numeric setting: text is named as text, for every one of them alike (``lr="0.1"``
    and ``start="0"`` are mistakes to show, not text to parse)."""
    if isinstance(value, str | bytes):
        return SettingError(f"{name} must be a number, not the text {value!r}.")
    return _fail(name, wanted, value)


def _number(low: float | None = None, *, above: bool = False, optional: bool = False, finite: bool = True) -> Check:
    """A real number (``>= low``, or ``> low`` with ``above``); ``None`` too when ``optional``."""
    bound = "" if low is None else f" {'>' if above else '>='} {low:g}"
    wanted = ("a positive finite number" if (low == 0 and above) else f"a finite number{bound}") + (" or None" if optional else "")

    def check(name: str, value: Any) -> float | None:
        if value is None and optional:
            return None
        number = real_number(value)
        if number is None or (finite and not math.isfinite(number)) or math.isnan(number):
            raise _fail_number(name, wanted, value)
        if low is not None and (number <= low if above else number < low):
            raise _fail(name, wanted, value)
        return number

    return check


def _whole(low: int, high: int, *, optional: bool = False) -> Check:
    wanted = f"a whole number from {low} to {high}" + (" or None" if optional else "")

    def check(name: str, value: Any) -> int | None:
        if value is None and optional:
            return None
        number = real_number(value)
        if number is None or not number.is_integer() or not low <= number <= high:
            raise _fail_number(name, wanted, value)
        return int(number)

    return check


def _flag(name: str, value: Any) -> bool:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    raise _fail(name, "True or False", value)


def _text(optional: bool = True) -> Check:
    def check(name: str, value: Any) -> str | None:
        if value is None and optional:
            return None
        if isinstance(value, str):
            return value
        raise _fail(name, "text" + (" or None" if optional else ""), value)

    return check


def _function(name: str, value: Any) -> Any:
    if isinstance(value, str) or type(value).__module__.startswith("sympy"):
        return value
    raise _fail(name, "a formula such as '(6*x-2)^2*sin(12*x-4)' or a catalogue name such as 'rosenbrock'", value)


def _optimizer(name: str, value: Any) -> Any:
    # The name itself is looked up when the run is made (that needs torch): here only its kind.
    if isinstance(value, str | type) or callable(value):
        return value.strip() if isinstance(value, str) else value
    raise _fail(name, "a torch.optim name such as 'adam', an Optimizer class, or a factory", value)


def _scheduler(name: str, value: Any) -> Any:
    if value is None or isinstance(value, str | type) or callable(value):
        return value.strip() if isinstance(value, str) else value
    if isinstance(value, list | tuple) and value:
        return [_schedule_part(name, part) for part in value]
    if isinstance(value, Mapping) and set(value) == {"phases", "milestones"}:
        phases, milestones = value["phases"], value["milestones"]
        if isinstance(phases, list | tuple) and len(phases) > 1 and isinstance(milestones, list | tuple):
            whole = _whole(0, MAX_STEPS)  # which milestones fit the run is said where the run is known
            return {
                "phases": [_schedule_part(name, part) for part in phases],
                "milestones": [whole(f"each milestone of {name}", m) for m in milestones],
            }
    raise _fail(
        name, "a torch.optim.lr_scheduler name or class, a factory, a list of them (together), "
        "{'phases': [...], 'milestones': [...]} (one after another), or None", value,
    )  # fmt: skip


def _schedule_part(name: str, part: Any) -> Any:
    if isinstance(part, str | type):
        return part
    if isinstance(part, list | tuple) and len(part) == 2 and isinstance(part[0], str | type) and isinstance(part[1], Mapping):
        return (part[0], _keywords(f"the settings of {part[0]!r} in {name}", part[1]))
    raise _fail(f"each schedule in {name}", "a name, a class or a (name, {settings}) pair", part)


def _keywords(name: str, value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if isinstance(value, Mapping) and all(isinstance(k, str) for k in value):
        return {k: _plain(v) for k, v in value.items()}
    raise _fail(name, "a dict of settings by name, such as {'momentum': 0.9}", value)


def _plain(value: Any) -> Any:
    """Numbers of any kind inside optimizer settings become Python numbers (betas from numpy, say)."""
    number = real_number(value)
    if number is not None:
        return int(number) if isinstance(value, int | np.integer) else number
    if isinstance(value, tuple | list):
        return type(value)(_plain(v) for v in value)
    return value


def _start(name: str, value: Any) -> float | tuple[float, ...]:
    number = real_number(value)
    if number is not None:
        if not math.isfinite(number):
            raise _fail(name, "a finite number or a pair of finite numbers", value)
        return number
    wanted = "one coordinate (x) or two (x, y)"
    if isinstance(value, str | bytes) or not isinstance(value, Iterable | np.ndarray) and not hasattr(value, "tolist"):
        raise _fail_number(name, wanted, value)
    items = list(value.tolist() if hasattr(value, "tolist") else value)
    point = [real_number(v) for v in items]
    if not point or len(point) > 2 or any(p is None for p in point):
        text = next((v for v in items if isinstance(v, str | bytes)), None)
        raise _fail_number(name, wanted, text) if text is not None else _fail(name, wanted, value)
    if not all(math.isfinite(p) for p in point if p is not None):
        raise _fail(name, "a finite number or a pair of finite numbers", value)
    return tuple(float(p) for p in point if p is not None)


def _dtype(name: str, value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).removeprefix("torch.") if isinstance(value, str) or type(value).__module__.startswith("torch") else None
    names = {"float32": "float32", "float": "float32", "float64": "float64", "double": "float64"}
    if text in names:
        return names[text]
    raise _fail(name, "'float32' or 'float64'", value)


def _view_range(name: str, value: Any) -> tuple[float, ...] | None:
    if value is None:
        return None
    items = list(value) if isinstance(value, list | tuple | np.ndarray) else None
    numbers = [real_number(v) for v in items] if items is not None else []
    wanted = "(low, high) or (low, high, tick step) with low < high, or None"
    if items is None or len(items) not in (2, 3) or any(n is None or not math.isfinite(n) for n in numbers):
        raise _fail(name, wanted, value)
    values = tuple(float(n) for n in numbers if n is not None)
    if values[0] >= values[1] or (len(values) == 3 and values[2] <= 0):
        raise _fail(name, wanted, value)
    return values


def _steps(name: str, value: Any) -> tuple[int, ...]:
    if isinstance(value, list | tuple | np.ndarray):
        whole = _whole(0, MAX_STEPS)
        return tuple(sorted({whole(f"each step in {name}", v) for v in value}))
    raise _fail(name, "a list of steps such as [0, 10, 50]", value)


_THEMES = ("dark", "light", "slide")


def _theme(name: str, value: Any) -> Any:
    # A Theme is the picture's (optscenes.visuals.theme); here it is known by its fields.
    if value is None or all(hasattr(value, field) for field in ("background", "text", "runs", "heatmap")):
        return value
    if isinstance(value, str) and value.strip().lower() in _THEMES:
        return value.strip().lower()
    raise _fail(name, "'dark', 'light', 'slide' or a Theme", value)


def _color(optional: bool = True) -> Check:
    # A colour's name is checked by the picture (manim knows the names); here only its kind.
    def check(name: str, value: Any) -> Any:
        if value is None and optional:
            return None
        if isinstance(value, str) or hasattr(value, "to_hex") or (isinstance(value, tuple | list) and len(value) in (3, 4)):
            return value
        raise _fail(name, "a colour such as '#58C4DD' or 'BLUE'" + (" or None" if optional else ""), value)

    return check


def _colors(name: str, value: Any) -> tuple[Any, ...] | None:
    if value is None:
        return None
    if isinstance(value, list | tuple) and value:
        return tuple(_color(optional=False)(f"each colour in {name}", v) for v in value)
    raise _fail(name, "a list of colours, or None", value)


def _minima(name: str, value: Any) -> tuple[float, ...]:
    if isinstance(value, list | tuple | np.ndarray):
        numbers = [real_number(v) for v in value]
        if all(n is not None and math.isfinite(n) for n in numbers):
            return tuple(float(n) for n in numbers if n is not None)
    raise _fail(name, "a list of x values", value)


_LAYOUTS = ("overlay", "panels")


def _layout(name: str, value: Any) -> str:
    if isinstance(value, str) and value.strip().lower() in _LAYOUTS:
        return value.strip().lower()
    if isinstance(value, str):
        close = _did_you_mean(value.strip(), _LAYOUTS)
        raise SettingError(f"{name} has no choice {value!r}{close}; the choices are {', '.join(_LAYOUTS)}.")
    raise _fail(name, f"one of {', '.join(_LAYOUTS)}", value)


_COLUMNS = ("x", "y", "f", "grad", "|grad|", "lr")


def _columns(name: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, list | tuple) and value and all(isinstance(v, str) for v in value):
        unknown = [v for v in value if v not in _COLUMNS]
        if not unknown:
            return tuple(value)
        raise SettingError(f"{name} has no column {unknown[0]!r}{_did_you_mean(unknown[0], _COLUMNS)}; the columns are {', '.join(_COLUMNS)}.")
    raise _fail(name, f"a list of columns from {', '.join(_COLUMNS)}", value)


def _runs(name: str, value: Any) -> tuple[Run, ...]:
    # An empty list is a sweep that made nothing, refused; the default, (), races the scene's own settings.
    if isinstance(value, list) and not value:
        raise SettingError(
            f"{name} is an empty list: give at least one Run(...), or leave {name} out to race the scene's settings."
        )
    if isinstance(value, list | tuple) and all(isinstance(v, Run) for v in value):
        return tuple(value)
    raise _fail(name, "a list of Run(...)", value)


# --- the table ----------------------------------------------------------------------------------

_SPECS = [
    # The function.
    Setting("function", CATALOGUE["forrester"].formula, "formula or catalogue name",
            "What is minimised: a formula in x (or x and y), or a catalogue name such as 'rosenbrock'.",
            _function, aliases=("formula", "f", "objective", "func", "fn", "expression", "loss", "loss_function")),
    # The run: keywords of optimize; the first six may differ between the runs of a comparison.
    Setting("optimizer", "adam", "name, Optimizer class or factory",
            "A torch.optim optimizer: a name in any case ('sgd', 'AdamW'), a class, or a factory.",
            _optimizer, run=True, per_run=True, aliases=("optimiser", "opt", "method", "algorithm")),
    Setting("lr", None, "number > 0, or None", "The learning rate; None keeps the optimizer's default.",
            _number(0, above=True, optional=True), run=True, per_run=True,
            aliases=("learning_rate", "eta", "rate", "lr_rate", "lr0")),
    Setting("start", 0.0, "x, or (x, y)", "The start point.", _start, run=True, per_run=True,
            aliases=("x0", "x_0", "start_point", "starting_point", "initial", "init", "initial_point", "begin")),
    Setting("optimizer_kwargs", MappingProxyType({}), "dict",
            "The optimizer's own settings by torch's names: {'momentum': 0.9}, {'betas': (0.9, 0.99)}.",
            _keywords, run=True, per_run=True,
            aliases=("optimizer_settings", "optimizer_options", "optimizer_args", "kwargs", "options")),
    Setting("scheduler", None, "name, class, factory, list, or None",
            "A torch.optim.lr_scheduler schedule ('CosineAnnealingLR'), a factory f(optimizer), or a list applied together.",
            _scheduler, run=True, per_run=True, aliases=("schedule", "lr_scheduler", "lr_schedule")),
    Setting("scheduler_kwargs", MappingProxyType({}), "dict", "The schedule's settings: {'step_size': 10, 'gamma': 0.5}.",
            _keywords, run=True, per_run=True, aliases=("schedule_kwargs", "scheduler_settings", "scheduler_options")),
    Setting("steps", 50, f"whole number 1 to {MAX_STEPS}", "Optimizer steps to take.", _whole(1, MAX_STEPS), run=True,
            aliases=("iterations", "n_steps", "num_steps", "nsteps", "epochs", "iters", "n_iter", "num_iterations")),
    Setting("dtype", None, "'float32', 'float64' or None", "The precision of the run; None is torch's default (float32).",
            _dtype, run=True, aliases=("precision", "float")),
    Setting("tol", None, "number >= 0, or None", "Stop early, as converged, once a step moves the point by at most this.",
            _number(0, optional=True), run=True, aliases=("tolerance", "atol", "eps_stop")),
    Setting("escape", 1e6, "number > 0", "A point farther than escape * (1 + |start|) from the start counts as diverged.",
            _number(0, above=True), run=True, aliases=("divergence", "diverge", "escape_radius", "radius")),
    # The view.
    Setting("x_range", None, "(low, high[, tick]) or None", "The x axis; None: chosen to show every iterate.",
            _view_range, aliases=("xlim", "x_lim", "xrange", "x_limits", "x_view")),
    Setting("y_range", None, "(low, high[, tick]) or None",
            "The y axis (the values on a curve); None: chosen to show the curve and every iterate.",
            _view_range, aliases=("ylim", "y_lim", "yrange", "y_limits", "y_view")),
    Setting("title", None, "text or None", "The title; None: 'f(x) = ' and the formula.", _text(),
            aliases=("heading", "caption", "name")),
    Setting("minima", (), "list of x", "Minima to mark on the curve, besides a catalogue function's own (show_minima).",
            _minima, scenes=frozenset({"race"}),
            aliases=("minimum", "optimum", "optima")),
    # Time.
    Setting("seconds_per_step", None, "number > 0 (seconds), or None",
            "How long each step is shown (whole frames, at least one); None: 1/15 s, slower for a short run so "
            "that its replay lasts at least 3 s.", _number(0, above=True, optional=True), aliases=("pace", "speed", "step_seconds", "seconds", "duration", "fps")),
    Setting("show_every", 1, f"whole number 1 to {MAX_STEPS}",
            "Show every k-th step (and the last) for long runs; the counter shows the real step.",
            _whole(1, MAX_STEPS), aliases=("every", "stride", "step_stride", "skip", "subsample", "thin")),
    Setting("start_hold", 0.5, "seconds >= 0", "How long the start is shown before the first step.", _number(0),
            aliases=("start_pause", "hold_start", "initial_hold", "pre_roll", "lead_in")),
    Setting("end_hold", 1.0, "seconds >= 0", "How long the last step is held.", _number(0),
            aliases=("hold", "end_pause", "pause", "hold_end", "final_hold")),
    Setting("explain_steps", 0, f"whole number 0 to {MAX_STEPS}",
            "InsideScene and InsideMapScene only: the first k steps play slowly in beats (gradient, moment, step), then the normal pace.",
            _whole(0, MAX_STEPS), scenes=frozenset({"single", "map"}), aliases=("explain", "beats", "slow_steps")),
    Setting("still_step", None, "whole number >= 0, or None", "Show only this step, as a still (render with -s).",
            _whole(0, MAX_STEPS, optional=True), aliases=("still", "frame", "show_step", "step")),
    Setting("pause_at", (), "list of steps", "Steps at which a slide deck stops (see the README's slides).",
            _steps, aliases=("pauses", "slides", "stops", "breaks")),
    # The look.
    Setting("theme", None, "'dark', 'light', 'slide', a Theme, or None",
            "Every colour at once: 'dark' (light text on black), 'light' (dark text on white), 'slide' (reads on "
            "any slide: outlined text, mid-tone marks); None: 'slide' for a transparent render (-t), else "
            "follows manim's --background_color.", _theme,
            aliases=("bg", "background", "background_color", "bg_color", "style", "color_scheme", "colour_scheme")),
    Setting("curve_color", None, "colour or None", "The curve's colour; None: the theme's.", _color(),
            scenes=frozenset({"single", "race"}), aliases=("curve_colour", "graph_color", "line_color", "color")),
    Setting("dot_color", None, "colour or None", "The dot's colour; None: the theme's.", _color(),
            scenes=frozenset({"single"}), aliases=("dot_colour", "point_color", "marker_color")),
    Setting("path_color", None, "colour or None", "The path's colour; None: the theme's.", _color(),
            scenes=frozenset({"single"}), aliases=("path_colour", "trace_color", "trail_color")),
    Setting("fade_after", 8, "whole number >= 1, or None",
            "Path segments more than this many steps old are drawn thin, so a run that swings back and forth "
            "leaves a trail, not a solid wedge; None: never.", _whole(1, MAX_STEPS, optional=True),
            scenes=frozenset({"single", "race", "map", "surface"}), aliases=("fade", "trail", "trail_length", "fade_steps")),
    Setting("text_color", None, "colour or None", "The colour of titles and numbers; None: the theme's.", _color(),
            aliases=("text_colour", "font_color", "label_color", "foreground")),
    Setting("colors", None, "list of colours, or None", "One colour per run; None: the theme's palette.", _colors,
            scenes=_COMPARISONS, aliases=("colours", "palette", "run_colors")),
    Setting("dot_radius", 0.11, "number > 0", "The dot's radius, in scene units at 480 pixels high.",
            _number(0, above=True), aliases=("dot_size", "radius_dot", "marker_size")),
    Setting("font_size", 30.0, "number > 0", "The title's font size; every other text follows it.",
            _number(0, above=True), aliases=("fontsize", "text_size", "size")),
    # Comparisons.
    Setting("runs", (), "list of Run(...)", "The runs to compare; settings a run leaves unset are the scene's.",
            _runs, scenes=_COMPARISONS, aliases=("run", "optimizers", "comparisons", "trajectories")),
    Setting("show_starts", True, "True or False", "Ring each run's start point.", _flag,
            scenes=frozenset({"race", "map"}), aliases=("mark_starts", "starts")),
    Setting("columns", ("x", "f", "grad", "lr"), "list of x, y, f, grad, |grad|, lr",
            "The table's columns, one row per run.", _columns, scenes=_COMPARISONS, aliases=("table_columns", "readout")),
    Setting("layout", "overlay", "'overlay' or 'panels'",
            "'overlay': every run on one plot; 'panels': each run in its own panel with its own view, on one clock.",
            _layout, scenes=frozenset({"race"}), aliases=("arrangement", "small_multiples", "multiples", "facets")),
    # Maps.
    Setting("grid_size", 240, "whole number 20 to 2000", "Heatmap and contour grid points per side.",
            _whole(20, 2000), scenes=frozenset({"map"}), aliases=("resolution", "grid", "samples")),
    Setting("contour_levels", 12, "whole number 0 to 100", "How many contour lines.", _whole(0, 100),
            scenes=frozenset({"map"}), aliases=("levels", "contours", "n_levels")),
    Setting("contour_color", None, "colour or None", "The contour lines' colour; None: the theme's.", _color(),
            scenes=frozenset({"map"}), aliases=("contour_colour", "level_color")),
    Setting("show_minima", True, "True or False", "Mark the known minima of a catalogue function.", _flag,
            scenes=frozenset({"race", "map"}), aliases=("mark_minima",)),
    Setting("equal_scale", True, "True or False",
            "One unit of x as long as one unit of y, so circles stay round; the view widens to fill the plot.",
            _flag, scenes=frozenset({"map", "surface"}), aliases=("equal_aspect", "aspect_equal", "square_units")),
    # Surfaces.
    Setting("phi", 62.0, "degrees", "The camera's tilt from vertical.", _number(), scenes=frozenset({"surface"}),
            aliases=("tilt", "elevation")),
    Setting("theta", -50.0, "degrees", "The camera's turn about the vertical.", _number(), scenes=frozenset({"surface"}),
            aliases=("azimuth", "angle")),
    Setting("camera_rotation", 40.0, "degrees", "How far the camera turns over the replay; 0 keeps it still.",
            _number(), scenes=frozenset({"surface"}), aliases=("rotation", "rotate", "spin")),
    Setting("surface_resolution", 16, "whole number 4 to 100", "Faces per side of the surface.", _whole(4, 100),
            scenes=frozenset({"surface"}), aliases=("mesh", "surface_grid")),
    Setting("surface_colors", None, "list of colours, or None", "The surface's colours from low to high; None: the theme's heatmap ramp.",
            _colors, scenes=frozenset({"surface"}), aliases=("surface_colours", "checkerboard_colors")),
    # Output.
    Setting("cache_trajectory", True, "True or False",
            "Keep runs in <media_dir>/optscenes-cache (off too with --disable_caching).", _flag,
            aliases=("cache", "use_cache", "caching")),
    Setting("write_provenance", True, "True or False", "Write <video>.json and <video>.csv beside the video.", _flag,
            aliases=("provenance", "sidecars", "write_csv", "write_json")),
]  # fmt: skip

#: Every setting by name, in the order the README's table lists them.
SETTINGS: Mapping[str, Setting] = MappingProxyType({s.name: s for s in _SPECS})

#: The keywords of ``optimize``, in order.
RUN_SETTINGS: tuple[str, ...] = tuple(s.name for s in _SPECS if s.run)

_ALIASES = {alias: s.name for s in _SPECS for alias in s.aliases}
# Optimizer keywords people set on their own, which belong in optimizer_kwargs.
_OPTIMIZER_KEYWORDS = (
    "momentum", "betas", "nesterov", "weight_decay", "eps", "dampening", "amsgrad", "centered", "alpha", "rho",
    "lambd", "lr_decay", "max_iter", "history_size", "line_search_fn", "maximize", "foreach", "capturable",
    "differentiable", "fused", "initial_accumulator_value", "momentum_decay", "decoupled_weight_decay", "etas",
    "step_sizes", "t0",
)  # fmt: skip


def settings_of(kind: str) -> dict[str, Setting]:
    """The settings a scene kind takes (see :data:`SCENE_KINDS`), in table order."""
    return {name: s for name, s in SETTINGS.items() if kind in s.scenes}


def check_setting(name: str, value: Any) -> Any:
    """``value`` checked and normalised as the setting ``name``."""
    return SETTINGS[name](value)


def _did_you_mean(name: str, valid: Iterable[str]) -> str:
    close = closest_names(name, valid)
    return f" (did you mean {' or '.join(close)}?)" if close else ""


def closest_names(name: str, valid: Iterable[str]) -> list[str]:
    """The valid names closest to ``name``: its canonical name when it is a known alias, else by spelling."""
    valid = list(valid)
    key = name.lower()
    if key in _OPTIMIZER_KEYWORDS and "optimizer_kwargs" in valid:
        return [f"optimizer_kwargs = {{{name!r}: ...}}"]
    if key in _ALIASES and _ALIASES[key] in valid:
        return [_ALIASES[key]]
    return difflib.get_close_matches(key, valid, n=2, cutoff=0.6)


def unknown_setting(owner: str, name: str, valid: Iterable[str], kind_word: str = "setting") -> SettingError:
    """The sentence for a name that is not one of ``valid``: the closest valid names, or where it belongs."""
    valid = list(valid)
    close = closest_names(name, valid)
    if close:
        return SettingError(f"{owner} has no {kind_word} {name!r}; did you mean {' or '.join(close)}?")
    if name in SETTINGS:
        return SettingError(f"{owner} has no {kind_word} {name!r}: it belongs to {_kinds_text(SETTINGS[name].scenes)}.")
    return SettingError(
        f"{owner} has no {kind_word} {name!r}; the settings are listed in the README "
        "(a helper attribute of your own needs a name that starts with an underscore)."
    )


_KIND_WORDS = {"single": "OptimizerScene", "race": "RaceScene", "map": "ContourScene", "surface": "SurfaceScene"}


def _kinds_text(kinds: Iterable[str]) -> str:
    names = [_KIND_WORDS[k] for k in SCENE_KINDS if k in kinds]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


class SettingValues(Mapping[str, Any]):
    """Checked settings by name, read as attributes (``values.lr``) or keys; read-only."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        object.__setattr__(self, "_values", dict(values))

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("settings are read-only")

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __iter__(self) -> Any:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"SettingValues({self._values!r})"


def run_settings(given: Mapping[str, Any], owner: str = "optimize") -> dict[str, Any]:
    """Every run setting (:data:`RUN_SETTINGS`), checked, with the defaults for those not ``given``."""
    for name in given:
        if name not in RUN_SETTINGS:
            raise unknown_setting(owner, name, RUN_SETTINGS)
    return {name: SETTINGS[name](given[name]) if name in given else _fresh(SETTINGS[name].default) for name in RUN_SETTINGS}


def _fresh(default: Any) -> Any:
    """A default as a value of its own (a dict default is never shared)."""
    return dict(default) if isinstance(default, Mapping) else default


def _is_own_method(owner: type, value: Any) -> bool:
    """Whether ``value`` is a method (or property, classmethod, ...) written in ``owner``'s body."""
    if isinstance(value, property | classmethod | staticmethod):
        return True
    qualname = getattr(value, "__qualname__", "")
    return inspect.isfunction(value) and qualname.startswith(f"{owner.__qualname__}.")


def scene_settings(cls: type, kind: str, checked: Callable[[type], bool]) -> SettingValues:
    """The settings of scene class ``cls`` of ``kind``: each public class attribute of ``cls`` and its bases
    (those ``checked`` accepts: not manim's) must be a setting of ``kind``, a
    method, or a name of manim's; the nearest definition wins; the rest take their defaults.

    Raises
    ------
    SettingError
        For a public name that is none of these, with the closest valid names.
    """
    valid = settings_of(kind)
    found: dict[str, Any] = {}
    foreign = {name for base in cls.__mro__ if not checked(base) for name in vars(base)}
    for base in cls.__mro__:
        if not checked(base):
            continue
        for name, value in vars(base).items():
            if name.startswith("_") or name in found:
                continue
            if name in valid:
                found[name] = value
            elif not _is_own_method(base, value) and name not in foreign and not isinstance(value, type):
                raise unknown_setting(base.__name__, name, valid)
    return SettingValues({name: setting(found[name]) if name in found else _fresh(setting.default) for name, setting in valid.items()})


# --- runs of a comparison -------------------------------------------------------------------------

PER_RUN: tuple[str, ...] = tuple(s.name for s in _SPECS if s.per_run)


class Run:
    """One optimizer run of a comparison: any of the per-run settings (``optimizer``, ``lr``, ``start``,
    ``optimizer_kwargs``, ``scheduler``, ``scheduler_kwargs``) and a ``label``.

    Settings a run leaves unset are the scene's: a learning-rate sweep names only ``lr``. A run's own
    ``optimizer_kwargs`` are added to the scene's (its own win); a run that names its own ``scheduler``
    takes only its own ``scheduler_kwargs``.

    >>> Run("sgd", lr=0.01, optimizer_kwargs={"momentum": 0.9})
    Run('sgd', lr=0.01, optimizer_kwargs={'momentum': 0.9})
    """

    __slots__ = ("_given", "label")

    def __init__(self, optimizer: Any = None, /, *, label: str | None = None, **settings: Any) -> None:
        given = {"optimizer": optimizer, **settings} if optimizer is not None else dict(settings)
        for name in given:
            if name not in PER_RUN:
                if name in RUN_SETTINGS:
                    raise SettingError(f"Run cannot set {name!r}: the runs of a scene share it, so set it on the scene.")
                raise unknown_setting("Run", name, [*PER_RUN, "label"])
        if label is not None and not isinstance(label, str):
            raise _fail("label", "text or None", label)
        object.__setattr__(self, "_given", {name: SETTINGS[name](value) for name, value in given.items()})
        object.__setattr__(self, "label", label)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a Run is read-only")

    def __getattr__(self, name: str) -> Any:
        if name in PER_RUN:
            return self._given.get(name)
        raise AttributeError(name)

    @property
    def given(self) -> dict[str, Any]:
        """The settings this run sets itself."""
        return dict(self._given)

    def settings(self, scene: Mapping[str, Any]) -> dict[str, Any]:
        """This run's run settings: its own, over ``scene``'s (the scene's run settings, checked)."""
        merged = {name: scene[name] for name in RUN_SETTINGS}
        for name, value in self._given.items():
            merged[name] = value
        merged["optimizer_kwargs"] = {**scene["optimizer_kwargs"], **self._given.get("optimizer_kwargs", {})}
        if "scheduler" in self._given:
            merged["scheduler_kwargs"] = self._given.get("scheduler_kwargs", {})
        return merged

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Run) and (self._given, self.label) == (other._given, other.label)

    def __hash__(self) -> int:
        return hash(repr(self))

    def __repr__(self) -> str:
        given = dict(self._given)
        parts = [repr(given.pop("optimizer"))] if "optimizer" in given else []
        parts += [f"{name}={value!r}" for name, value in given.items()]
        if self.label is not None:
            parts.append(f"label={self.label!r}")
        return f"Run({', '.join(parts)})"


def _run_signature() -> inspect.Signature:
    self = inspect.Parameter("self", inspect.Parameter.POSITIONAL_ONLY)
    positional = inspect.Parameter("optimizer", inspect.Parameter.POSITIONAL_ONLY, default=None)
    keywords = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None) for name in PER_RUN[1:]]
    label = inspect.Parameter("label", inspect.Parameter.KEYWORD_ONLY, default=None)
    return inspect.Signature([self, positional, *keywords, label])


Run.__init__.__signature__ = _run_signature()  # type: ignore[attr-defined]
