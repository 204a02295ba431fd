"""A lecture file: a TOML list of scenes, each a scene type and its settings under the schema's names.

::

    [lecture]
    title = "Optimizers"
    quality = "l"            # l, m, h, p, k (or low, medium, high, production, 4k)
    format = "gif"           # gif, mp4, webm, mov, png

    [[scene]]
    name = "seed"            # the output file's name, and what --only picks
    type = "single"          # single, inside, race, map, inside-map, surface
    lr = 0.25

    [[scene]]
    name = "race"
    type = "race"
    [[scene.run]]
    optimizer = "adam"
    label = "Adam"

The whole file is checked before anything renders; a mistake is one sentence naming the file, the line
and the key, with the closest valid names. TOML is only parsed, never evaluated; a scene written in Python
(``from = "scenes/adam.py:AdamDescent"``) is read with :mod:`ast` here and imported only by the render.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .errors import OptscenesError, SettingError
from .settings import PER_RUN, SETTINGS, Run, closest_names, settings_of, unknown_setting
from .timing import frame_plan

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 reads TOML with the tomli backport (a dependency there)
    import tomli as tomllib

__all__ = [
    "FORMATS",
    "QUALITIES",
    "SCENE_TYPES",
    "STARTER",
    "Lecture",
    "LectureError",
    "Output",
    "SceneSpec",
    "load_lecture",
    "parse_lecture",
    "parse_shard",
    "shard",
]

#: Quality letters as manim's flags spell them (-ql ... -qk), and the words people write for them.
QUALITIES = {
    "l": "low_quality",
    "m": "medium_quality",
    "h": "high_quality",
    "p": "production_quality",
    "k": "fourk_quality",
}
_QUALITY_WORDS = {"low": "l", "medium": "m", "high": "h", "production": "p", "4k": "k", "fourk": "k"}

#: The file formats a scene can be rendered to.
FORMATS = ("gif", "mp4", "webm", "mov", "png")

#: The scene types a lecture file names: the kind of settings each takes (the settings table's "scenes"),
#: and the class of :mod:`optscenes` it renders with. "inside" is a single run with its update rule live.
SCENE_TYPES = {
    "single": ("single", "OptimizerScene"), "inside": ("single", "InsideScene"), "race": ("race", "RaceScene"),
    "map": ("map", "ContourScene"), "inside-map": ("map", "InsideMapScene"), "surface": ("surface", "SurfaceScene"),
}  # fmt: skip
# Scene types by the names people write for them (compared in lower case).
_TYPE_NAMES = {
    "single": "single", "optimizerscene": "single", "optimizer": "single", "one": "single", "curve": "single",
    "inside": "inside", "insidescene": "inside", "update rule": "inside", "update-rule": "inside",
    "race": "race", "racescene": "race", "compare": "race", "comparison": "race",
    "map": "map", "contourscene": "map", "contour": "map", "contours": "map", "heatmap": "map",
    "inside-map": "inside-map", "inside map": "inside-map", "insidemapscene": "inside-map",
    "surface": "surface", "surfacescene": "surface", "3d": "surface",
}  # fmt: skip
# The base classes a scene written in Python names, and their scene types.
_SCENE_BASES = {
    "OptimizerScene": "single", "OptimizerOverview": "single", "InsideScene": "inside", "RaceScene": "race",
    "ContourScene": "map", "InsideMapScene": "inside-map", "SurfaceScene": "surface",
}  # fmt: skip

# Render seconds per second of video, relative to one run on a curve (measured at -ql; see SceneSpec.cost).
_TYPE_COST = {"single": 1.0, "inside": 2.0, "race": 4.0, "map": 3.0, "inside-map": 4.0, "surface": 12.0}

_OUTPUT_KEYS = ("quality", "format", "fps", "resolution")
_LECTURE_KEYS = ("title", "theme", "media_dir", *_OUTPUT_KEYS)
_SCENE_KEYS = ("name", "type", "from", "run", *_OUTPUT_KEYS)
_RUN_TABLES = ("run", "runs")  # [[scene.run]], or the setting's own name
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*\Z")


class LectureError(OptscenesError):
    """A lecture file cannot be used: one sentence with the file, the line and the key."""


@dataclass(frozen=True)
class Output:
    """How a scene is written: manim's quality letter, the file format, and optional frame rate and size
    (``fps`` and ``resolution`` replace the quality's own)."""

    quality: str = "h"
    format: str = "mp4"
    fps: float | None = None
    resolution: tuple[int, int] | None = None

    def describe(self) -> str:
        """``-ql gif`` or ``400x300 15 fps gif``: what a summary table shows."""
        size = f"{self.resolution[0]}x{self.resolution[1]}" if self.resolution else f"-q{self.quality}"
        rate = f" {self.fps:g} fps" if self.fps else ""
        return f"{size}{rate} {self.format}"


@dataclass(frozen=True)
class SceneSpec:
    """One scene of a lecture, checked: plain data only, so it can be sent to another process or machine.

    ``settings`` are the values as the file gives them (runs as tables); :meth:`class_attributes` makes
    them the attributes of a scene class. ``source`` is ``(path, class name)`` for a scene written in
    Python, whose own settings the scene checks when it renders. ``kind`` is the kind of settings its
    scene type takes (see :data:`SCENE_TYPES`).
    """

    name: str
    type: str
    settings: Mapping[str, Any]
    output: Output
    line: int
    source: tuple[str, str] | None = None

    @property
    def kind(self) -> str:
        return SCENE_TYPES[self.type][0]

    @property
    def base_class(self) -> str:
        """The name of the :mod:`optscenes` class a scene of this type renders with."""
        return SCENE_TYPES[self.type][1]

    def cost(self) -> float:
        """A rough render cost: seconds of video times a weight per scene type (measured at -ql: a surface
        frame costs about twelve of a single run's). Rendering the costliest first keeps a long scene from
        starting last while the other processes sit idle."""

        written = _python_numbers(*self.source) if self.source else {}

        def value(name: str) -> float:
            return float(self.settings.get(name, written.get(name, SETTINGS[name].default)))

        pace = self.settings.get("seconds_per_step", written.get("seconds_per_step"))
        replay = frame_plan(int(value("steps")), 15, pace).replay_frames / 15  # as rendered at 15 fps
        return (value("start_hold") + replay + value("end_hold")) * _TYPE_COST[self.type]

    def class_attributes(self) -> dict[str, Any]:
        """The settings checked and normalised as class attributes; comparisons' runs as :class:`Run`."""
        attributes = {}
        for name, value in self.settings.items():
            if name == "runs":
                value = [Run(**run) for run in value]
            attributes[name] = SETTINGS[name](value)
        return attributes


@dataclass(frozen=True)
class Lecture:
    """A checked lecture file: its title, media folder (from the file, or ``None``) and scenes in order."""

    path: Path
    title: str | None
    media_dir: Path | None
    scenes: tuple[SceneSpec, ...]

    def select(self, names: Iterable[str]) -> Lecture:
        """The lecture with only the scenes named (in file order); an unknown name is refused."""
        names = list(names)
        known = [s.name for s in self.scenes]
        for name in names:
            if name not in known:
                close = closest_names(name, known)
                hint = f"did you mean {' or '.join(close)}?" if close else f"the scenes are {', '.join(known)}."
                raise LectureError(f"{self.path.name} has no scene {name!r}; {hint}")
        return replace(self, scenes=tuple(s for s in self.scenes if s.name in names))

    def with_output(self, **given: Any) -> Lecture:
        """Every scene written with the command line's output options over the file's: a quality given
        there replaces the file's quality, frame rate and size alike."""
        given = {k: v for k, v in given.items() if v is not None}
        if not given:
            return self
        try:
            checked = {k: _OUTPUT_CHECKS[k](v) for k, v in given.items()}
        except SettingError as error:
            raise LectureError(f"On the command line, {error}") from None
        if "quality" in checked:
            checked = {"fps": None, "resolution": None, **checked}
        return replace(self, scenes=tuple(replace(s, output=replace(s.output, **checked)) for s in self.scenes))


# --- where each key is: tomllib gives no positions, so the text is scanned for them ---------------------------


class _Positions:
    """The line of every key and table header of a TOML text, by table address: ``("lecture",)``,
    ``("scene", 0)``, ``("scene", 0, "run", 1)``; keys inside multi-line arrays and strings are skipped."""

    def __init__(self, text: str) -> None:
        self.keys: dict[tuple[Any, ...], dict[str, int]] = {}
        self.headers: dict[tuple[Any, ...], int] = {}
        arrays: dict[tuple[Any, ...], int] = {}
        address: tuple[Any, ...] = ()
        depth, string = 0, None
        for number, line in enumerate(text.splitlines(), start=1):
            if depth == 0 and string is None:
                address = self._read(line, number, address, arrays)
            depth, string = _nesting(line, depth, string)

    def _read(
        self, line: str, number: int, address: tuple[Any, ...], arrays: dict[tuple[Any, ...], int]
    ) -> tuple[Any, ...]:
        stripped = line.strip()
        header = re.match(r"(\[\[?)\s*([^\]]+?)\s*\]", stripped)
        if header:
            parts = _key_parts(header.group(2))
            parent = _resolve(parts[:-1], arrays)
            if header.group(1) == "[[":
                path = (*parent, parts[-1])
                arrays[path] = arrays.get(path, -1) + 1
                address = (*path, arrays[path])
            else:
                address = (*parent, parts[-1])
            self.headers.setdefault(address, number)
            self.keys.setdefault(parent, {}).setdefault(parts[-1], number)
            return address
        key = re.match(
            r"""((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""", stripped
        )
        if key:
            parts = _key_parts(key.group(1))
            self.keys.setdefault(address, {}).setdefault(parts[0], number)
        return address

    def line(self, address: tuple[Any, ...], key: str | None = None) -> int:
        """The line of ``key`` in the table at ``address``, else of the table (its header, or the key that
        holds it inline), else of the table around it, else line 1."""
        if key is not None and key in self.keys.get(address, {}):
            return self.keys[address][key]
        while address:
            parent, last = address[:-1], address[-1]
            if address in self.headers:
                return self.headers[address]
            if isinstance(last, str) and last in self.keys.get(parent, {}):
                return self.keys[parent][last]
            address = parent
        return 1


def _key_parts(key: str) -> list[str]:
    return [part.strip().strip("\"'") for part in re.findall(r"""\s*("[^"]*"|'[^']*'|[^.]+)\s*\.?""", key)]


def _resolve(parts: list[str], arrays: dict[tuple[Any, ...], int]) -> tuple[Any, ...]:
    """A table path with the current index of each array of tables on it: ``scene`` -> ``("scene", 2)``."""
    address: tuple[Any, ...] = ()
    for part in parts:
        address = (*address, part)
        if address in arrays:
            address = (*address, arrays[address])
    return address


def _nesting(line: str, depth: int, string: str | None) -> tuple[int, str | None]:
    """Bracket depth and open multi-line string after ``line``: enough to tell a key line from a value's."""
    i = 0
    while i < len(line):
        if string is not None:
            end = line.find(string, i)
            if end < 0:
                return depth, string
            i, string = end + 3, None
            continue
        char = line[i]
        if char == "#":
            break
        if line.startswith(('"""', "'''"), i):
            string, i = line[i : i + 3], i + 3
            continue
        if char in "\"'":
            i = _string_end(line, i)
            continue
        depth += (char in "[{") - (char in "]}")
        i += 1
    return depth, string


def _string_end(line: str, start: int) -> int:
    quote, i = line[start], start + 1
    while i < len(line) and line[i] != quote:
        i += 2 if quote == '"' and line[i] == "\\" else 1
    return i + 1


# --- values --------------------------------------------------------------------------------------------


def _quality(value: Any) -> str:
    key = str(value).strip().lower() if isinstance(value, str) else None
    key = _QUALITY_WORDS.get(key or "", key)
    if key in QUALITIES:
        return key
    raise SettingError(f"quality must be one of l, m, h, p, k (or low, medium, high, production, 4k), not {value!r}.")


def _format(value: Any) -> str:
    key = value.strip().lower().lstrip(".") if isinstance(value, str) else None
    if key in FORMATS:
        return key
    raise SettingError(f"format must be one of {', '.join(FORMATS)}, not {value!r}.")


def _fps(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= 240:
        return float(value)
    raise SettingError(f"fps must be a frame rate from 1 to 240 frames a second, not {value!r}.")


def _resolution(value: Any) -> tuple[int, int]:
    if (
        isinstance(value, list | tuple)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) and 16 <= v <= 8192 for v in value)
    ):
        return int(value[0]), int(value[1])
    raise SettingError(
        f"resolution must be [width, height] in pixels, such as [400, 300], not {value!r} "
        "(a map's grid of points is grid_size)."
    )


_OUTPUT_CHECKS: dict[str, Callable[[Any], Any]] = {
    "quality": _quality,
    "format": _format,
    "fps": _fps,
    "resolution": _resolution,
}


# --- the file ------------------------------------------------------------------------------------------


def load_lecture(path: str | Path) -> Lecture:
    """The lecture in the file ``path``, checked (see :func:`parse_lecture`)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LectureError(
            f"There is no lecture file {str(path)!r}; optscenes new {path} writes a starter file."
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise LectureError(f"Cannot read the lecture file {str(path)!r}: {error}.") from None
    return parse_lecture(text, path)


def parse_lecture(text: str, path: str | Path = "lecture.toml", *, deep: bool = True) -> Lecture:
    """The lecture ``text`` (from the file ``path``) checked whole: names, values, scene types, unique
    scene names; with ``deep``, also each formula, optimizer, its settings and schedule (torch is imported).

    Raises
    ------
    LectureError
        For the first mistake, in one sentence naming the file, the line and the key.
    """
    path = Path(path)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = re.search(r"\(at line (\d+), column \d+\)", message)
        line = found.group(1) if found else "?"
        reason = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
        raise LectureError(f"{path.name} line {line}: this is not valid TOML ({reason}).") from None
    reader = _Reader(path, _Positions(text))
    lecture = reader.lecture(document)
    if deep:
        for index, spec in enumerate(lecture.scenes):
            reader.deep_check(("scene", index), spec)
    return lecture


class _Reader:
    """Checks the parsed document, table by table, with the line of each mistake."""

    def __init__(self, path: Path, positions: _Positions) -> None:
        self.path = path
        self.positions = positions

    def fail(self, address: tuple[Any, ...], key: str | None, sentence: str) -> LectureError:
        return LectureError(f"{self.path.name} line {self.positions.line(address, key)}: {sentence}")

    def checked(self, address: tuple[Any, ...], key: str, check: Any, *args: Any, owner: str | None = None) -> Any:
        """``check(*args)``, with its refusal placed at ``key``'s line (and said of ``owner``'s ``key``)."""
        try:
            return check(*args)
        except OptscenesError as error:
            raise self.fail(address, key, f"{owner}, {key}: {error}" if owner else str(error)) from None

    def lecture(self, document: dict[str, Any]) -> Lecture:
        for key in document:
            if key not in ("lecture", "scene"):
                raise self.fail((), key, str(unknown_setting("A lecture file", key, ["lecture", "scene"], "table")))
        defaults = document.get("lecture", {})
        if not isinstance(defaults, dict):
            raise self.fail((), "lecture", "lecture must be a table: [lecture] on a line of its own.")
        output, theme, media_dir, title = self.defaults(defaults)
        scenes = document.get("scene")
        if not isinstance(scenes, list) or not scenes or not all(isinstance(s, dict) for s in scenes):
            raise self.fail((), "scene", f"{self.path.name} has no scenes: add a [[scene]] table for each.")
        specs: list[SceneSpec] = []
        for index, table in enumerate(scenes):
            spec = self.scene(("scene", index), table, output, theme)
            twin = next((s for s in specs if s.name == spec.name), None)
            if twin is not None:
                raise self.fail(
                    ("scene", index),
                    "name",
                    f"a second scene is named {spec.name!r} (the first is on line {twin.line}); scene names must differ.",
                )
            specs.append(spec)
        return Lecture(self.path, title, media_dir, tuple(specs))

    def defaults(self, table: dict[str, Any]) -> tuple[Output, Any, Path | None, str | None]:
        address = ("lecture",)
        self.known_keys(address, table, _LECTURE_KEYS, "[lecture]")
        output = self.output(address, table, Output())
        theme = self.checked(address, "theme", SETTINGS["theme"], table["theme"]) if "theme" in table else None
        media_dir = None
        if "media_dir" in table:
            if not isinstance(table["media_dir"], str) or not table["media_dir"].strip():
                raise self.fail(
                    address, "media_dir", f"media_dir must be a folder's path as text, not {table['media_dir']!r}."
                )
            media_dir = (self.path.parent / table["media_dir"]).resolve()
        title = table.get("title")
        if title is not None and not isinstance(title, str):
            raise self.fail(address, "title", f"the lecture's title must be text, not {title!r}.")
        return output, theme, media_dir, title

    def known_keys(self, address: tuple[Any, ...], table: dict[str, Any], valid: Iterable[str], owner: str) -> None:
        for key in table:
            if key not in valid:
                raise self.fail(address, key, str(unknown_setting(owner, key, valid, "key")))

    def output(self, address: tuple[Any, ...], table: dict[str, Any], base: Output) -> Output:
        given = {
            key: self.checked(address, key, _OUTPUT_CHECKS[key], table[key]) for key in _OUTPUT_KEYS if key in table
        }
        return replace(base, **given)

    def scene(self, address: tuple[Any, ...], table: dict[str, Any], default: Output, theme: Any) -> SceneSpec:
        line = self.positions.line(address)
        name = table.get("name")
        if not isinstance(name, str) or not _NAME.match(name):
            sentence = (
                'this scene has no name: give it name = "...", its output file\'s name'
                if name is None
                else (f"the scene name {name!r} must be letters, digits, _, - or . (it names the output file)")
            )
            raise self.fail(address, "name" if name is not None else None, sentence + ".")
        owner = f"scene {name!r}"
        scene_type, source = self.scene_type(address, table, owner)
        kind = SCENE_TYPES[scene_type][0]
        valid = settings_of(kind)
        settings: dict[str, Any] = {} if theme is None or source is not None else {"theme": theme}
        for key, value in table.items():
            if key in _RUN_TABLES:
                settings["runs"] = self.runs(address, key, value, owner, kind)
            elif key in valid:
                self.checked(address, key, _prefixed, owner, valid[key], value)
                settings[key] = value
            elif key not in _SCENE_KEYS:
                raise self.fail(address, key, str(unknown_setting(owner, key, valid)))
        if settings.get("explain_steps") and source is None and not scene_type.startswith("inside"):
            raise self.fail(
                address, "explain_steps", f"{owner} has no beats to play: explain_steps needs type inside or inside-map."
            )
        return SceneSpec(name, scene_type, settings, self.output(address, table, default), line, source)

    def scene_type(
        self, address: tuple[Any, ...], table: dict[str, Any], owner: str
    ) -> tuple[str, tuple[str, str] | None]:
        given = table.get("type")
        scene_type = None
        if given is not None:
            scene_type = _TYPE_NAMES.get(given.strip().lower()) if isinstance(given, str) else None
            if scene_type is None:
                close = closest_names(str(given).lower(), _TYPE_NAMES)
                hint = f"did you mean {_TYPE_NAMES[close[0]]}?" if close else f"the types are {', '.join(SCENE_TYPES)}."
                raise self.fail(address, "type", f"{owner} has an unknown type {given!r}; {hint}")
        if "from" not in table:
            if scene_type is None:
                raise self.fail(
                    address, None, f'{owner} needs a type ({", ".join(SCENE_TYPES)}) or from = "file.py:Class".'
                )
            return scene_type, None
        source = self.checked(address, "from", _python_scene, self.path.parent, table["from"], owner)
        found = self.checked(address, "from", _python_kind, *source, owner)
        if scene_type is not None and found is not None and SCENE_TYPES[scene_type][0] != SCENE_TYPES[found][0]:
            raise self.fail(
                address, "type", f"{owner} is of type {scene_type!r} but {source[1]} is a {found!r} scene."
            )
        resolved = found or scene_type
        if resolved is None:
            raise self.fail(
                address, "from", f'{owner}: the type of {source[1]} cannot be read from its file; add type = "...".'
            )
        return resolved, source

    def runs(self, address: tuple[Any, ...], key: str, value: Any, owner: str, kind: str) -> list[dict[str, Any]]:
        if "runs" not in settings_of(kind):
            raise self.fail(address, key, str(unknown_setting(owner, "runs", settings_of(kind))))
        if not isinstance(value, list) or not value or not all(isinstance(run, dict) for run in value):
            raise self.fail(
                address, key, f"{owner}: each run is a [[scene.run]] table of settings such as optimizer and lr."
            )
        runs = []
        for index, run in enumerate(value):
            where = (*address, key, index)
            run_owner = f"run {index + 1} of {owner}"
            for name, setting in run.items():
                if name == "label":
                    if not isinstance(setting, str):
                        raise self.fail(where, name, f"{run_owner}: label must be text, not {setting!r}.")
                elif name in SETTINGS and SETTINGS[name].run and name not in PER_RUN:
                    raise self.fail(
                        where,
                        name,
                        f"{run_owner} cannot set {name!r}: the runs of a scene share it, so set it on the scene.",
                    )
                elif name not in PER_RUN:
                    raise self.fail(where, name, str(unknown_setting(run_owner, name, [*PER_RUN, "label"])))
                else:
                    self.checked(where, name, _prefixed, run_owner, SETTINGS[name], setting)
            runs.append(dict(run))
        return runs

    def deep_check(self, address: tuple[Any, ...], spec: SceneSpec) -> None:
        """What the schema cannot see: the formula and its variables, the optimizer, its settings, its schedule."""
        from .objective import Objective
        from .optimizers import optimizer_class

        owner = f"scene {spec.name!r}"
        settings = spec.class_attributes()
        if "function" in settings:
            objective = self.checked(address, "function", Objective, settings["function"], owner=owner)
            wanted = 1 if spec.kind in ("single", "race") else 2
            if objective.dim != wanted:
                variables = "x alone" if wanted == 1 else "x and y"
                raise self.fail(
                    address, "function",
                    f"{owner} is a {spec.kind} scene, whose function uses {variables}, not {', '.join(objective.variables)}.",
                )  # fmt: skip
        if spec.source is not None:
            return  # the rest of a Python scene's settings are its own, checked when it renders
        for index, run in enumerate(settings.get("runs") or [Run()]):
            given = run.settings({**_run_defaults(), **settings})

            def check(key: str, function: Any, value: Any, run: Run = run, index: int = index) -> None:
                """Placed in the run's table when the run sets ``key`` itself, else in the scene's."""
                own = key in run.given
                where = (*address, _run_table(self.positions, address), index) if own else address
                self.checked(where, key, function, value, owner=f"run {index + 1} of {owner}" if own else owner)

            check("optimizer", optimizer_class, given["optimizer"])
            check("optimizer_kwargs" if given["optimizer_kwargs"] else "lr", _build_optimizer, given)
            check("scheduler", _check_schedules, given["scheduler"])


def _run_table(positions: _Positions, address: tuple[Any, ...]) -> str:
    """Whether a scene's runs are written as ``run`` or ``runs``."""
    return "runs" if "runs" in positions.keys.get(address, {}) else "run"


def _run_defaults() -> dict[str, Any]:
    return {name: setting.default for name, setting in SETTINGS.items() if setting.run}


def _build_optimizer(given: dict[str, Any]) -> None:
    """Build the run's optimizer on a dummy parameter: its keywords and values checked by torch itself."""
    import torch

    from .optimizers import make_optimizer

    param = torch.zeros(1, requires_grad=True)
    make_optimizer(given["optimizer"], param, given["lr"], dict(given["optimizer_kwargs"]))


def _check_schedules(scheduler: Any) -> None:
    from .schedules import scheduler_class

    for schedule in scheduler if isinstance(scheduler, list) else [scheduler]:
        if schedule is not None:
            scheduler_class(schedule[0] if isinstance(schedule, tuple | list) else schedule)


def _prefixed(owner: str, setting: Any, value: Any) -> Any:
    """``setting(value)``, its refusal said of ``owner``."""
    try:
        return setting(value)
    except SettingError as error:
        raise SettingError(f"{owner}: {error}") from None


def _python_scene(folder: Path, value: Any, owner: str) -> tuple[str, str]:
    """``"scenes/adam.py:AdamDescent"`` as (absolute path, class name), the file existing."""
    if not isinstance(value, str) or value.count(":") != 1:
        raise LectureError(
            f'{owner}: from must be "file.py:ClassName", such as "scenes/adam.py:AdamDescent", not {value!r}.'
        )
    file, name = (part.strip() for part in value.split(":"))
    path = (folder / file).resolve()
    if not path.is_file() or not name.isidentifier():
        what = (
            f"the file {file!r} does not exist (paths are from the lecture file's folder)"
            if not path.is_file()
            else f"{name!r} is not a class name"
        )
        raise LectureError(f"{owner}: from = {value!r}, but {what}.")
    return str(path), name


def _python_kind(path: str, name: str, owner: str) -> str | None:
    """The scene type of class ``name`` in the file ``path``, read from its bases without running it
    (``None`` when a base comes from elsewhere)."""
    for node in _class_chain(path, name, owner):
        for base in node.bases:
            base_name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")
            if base_name in _SCENE_BASES:
                return _SCENE_BASES[base_name]
    return None


def _class_chain(path: str, name: str, owner: str) -> list[ast.ClassDef]:
    """Class ``name`` of the file ``path`` and its bases defined in that file, nearest first."""
    classes = {
        node.name: node
        for node in ast.parse(Path(path).read_text(encoding="utf-8")).body
        if isinstance(node, ast.ClassDef)
    }
    if name not in classes:
        close = closest_names(name, classes)
        hint = f"; did you mean {' or '.join(close)}?" if close else "."
        raise LectureError(f"{owner}: {Path(path).name} has no class {name!r}{hint}")
    chain: list[ast.ClassDef] = []
    pending = [name]
    while pending:
        node = classes[pending.pop(0)]
        if node not in chain:
            chain.append(node)
            pending += [b.id for b in node.bases if isinstance(b, ast.Name) and b.id in classes]
    return chain


def _python_numbers(path: str, name: str) -> dict[str, float]:
    """The settings a Python scene class gives as plain numbers (``steps = 200``, ``seconds_per_step =
    1 / 30``), read from its syntax, nearest class first; enough to estimate its cost."""
    found: dict[str, float] = {}
    for node in _class_chain(path, name, ""):
        for statement in node.body:
            if isinstance(statement, ast.Assign) and isinstance(statement.targets[0], ast.Name):
                number = _number_syntax(statement.value)
                if number is not None:
                    found.setdefault(statement.targets[0].id, number)
    return found


def _number_syntax(node: ast.expr) -> float | None:
    """A number written as a literal or one literal divided or multiplied by another; else ``None``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return float(node.value)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div | ast.Mult):
        left, right = _number_syntax(node.left), _number_syntax(node.right)
        if left is not None and right:
            return left / right if isinstance(node.op, ast.Div) else left * right
    return None


# --- shards -------------------------------------------------------------------------------------------


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/4"`` as ``(2, 4)``: the second of four shards, counted from 1 (SLURM's and CI matrices' habit)."""
    found = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if found and 1 <= int(found.group(1)) <= int(found.group(2)):
        return int(found.group(1)), int(found.group(2))
    raise LectureError(f"--shard must be i/n with i from 1 to n, such as 1/4, not {text!r}.")


def shard(scenes: Iterable[SceneSpec], index: int, count: int) -> tuple[SceneSpec, ...]:
    """Scenes ``index``, ``index + count``, ... counted from 1 in file order: the shards of ``count`` share
    the scenes out, each once."""
    return tuple(scene for position, scene in enumerate(scenes, start=1) if (position - index) % count == 0)


#: The file ``optscenes new`` writes: every feature once, commented.
STARTER = """\
# A lecture: every [[scene]] below becomes one video. Check it with
#     optscenes check lecture.toml
# and render it with
#     optscenes render lecture.toml --jobs 2
# Setting names are the scene attributes listed in the README's settings table.

[lecture]
title = "Gradient descent, step by step"
quality = "l"            # l, m, h, p, k (manim's -ql ... -qk) or low, medium, high, production, 4k
format = "gif"           # gif, mp4, webm, mov, png
theme = "dark"           # dark, light, or slide (for transparent files on any slide)
# media_dir = "media"    # where the files go, from this file's folder (default: ./media/<file name>)

# One optimizer on a curve.
[[scene]]
name = "adam"            # the output file's name, and what --only picks
type = "single"          # single, inside, race, map, inside-map or surface
function = "(6*x-2)^2*sin(12*x-4)"
optimizer = "adam"
lr = 0.25
start = 0.0
steps = 50
resolution = [400, 300]  # this scene's own size and frame rate, over the quality's
fps = 15

# Several runs on one curve: settings a run leaves out are the scene's.
[[scene]]
name = "momentum-or-not"
type = "race"
start = 0.0

[[scene.run]]
optimizer = "sgd"
lr = 0.005
label = "SGD"

[[scene.run]]
optimizer = "sgd"
lr = 0.002
optimizer_kwargs = { momentum = 0.9 }
label = "momentum"

# A function of x and y, seen from above.
[[scene]]
name = "valley"
type = "map"
function = "rosenbrock"
start = [-1.5, 2.0]
steps = 100

[[scene.run]]
optimizer = "adam"
lr = 0.1

# A scene already written in Python, with settings changed here.
# [[scene]]
# name = "seed-fast"
# from = "scenes/adam.py:AdamDescent"
# lr = 0.5
"""
