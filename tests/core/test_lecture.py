"""Lecture files: what they hold, every refusal in one sentence with the file, line and key, shards, and the
shipped example against the scene files it reproduces. No rendering."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from conftest import ROOT, SCENES

from optscenes.core.lecture import (
    STARTER,
    LectureError,
    Output,
    load_lecture,
    parse_lecture,
    parse_shard,
    shard,
)
from optscenes.core.settings import Run

INTRO = ROOT / "lectures" / "intro.toml"


def refusal(text: str, name: str = "talk.toml") -> str:
    with pytest.raises(LectureError) as caught:
        parse_lecture(text, ROOT / name)
    return str(caught.value)


def marked_line(text: str) -> int:
    """The line the test marks with ``# <-``: where the mistake is, counted independently of the parser."""
    (number,) = [n for n, line in enumerate(text.splitlines(), start=1) if "# <-" in line]
    return number


def test_a_lecture_gives_its_scenes_settings_runs_and_output():
    lecture = parse_lecture(
        """
[lecture]
title = "Demo"
quality = "low"
format = "GIF"
theme = "light"

[[scene]]
name = "seed"
type = "OptimizerScene"
lr = 0.25
start = 0.5
resolution = [400, 300]
fps = 15

[[scene]]
name = "race"
type = "compare"
steps = 20
[[scene.run]]
optimizer = "sgd"
optimizer_kwargs = { momentum = 0.9 }
label = "momentum"
[[scene.run]]
lr = 0.1
""",
        ROOT / "demo.toml",
    )
    assert lecture.title == "Demo" and lecture.media_dir is None
    seed, race = lecture.scenes
    assert (seed.name, seed.kind, seed.line) == ("seed", "single", 8)
    assert seed.output == Output("l", "gif", 15.0, (400, 300))
    assert seed.class_attributes() == {"theme": "light", "lr": 0.25, "start": 0.5}
    assert (race.kind, race.output) == ("race", Output("l", "gif"))
    attributes = race.class_attributes()
    assert attributes["steps"] == 20
    assert attributes["runs"] == (Run("sgd", optimizer_kwargs={"momentum": 0.9}, label="momentum"), Run(lr=0.1))


def test_a_run_list_may_be_written_inline_under_the_settings_name():
    lecture = parse_lecture(
        '[[scene]]\nname = "m"\ntype = "map"\nfunction = "himmelblau"\nruns = [{start = [1, 1]}, {start = [-1, 1]}]\n'
    )
    assert lecture.scenes[0].class_attributes()["runs"] == (Run(start=(1.0, 1.0)), Run(start=(-1.0, 1.0)))


# Each mistake, the line it is on marked "# <-", and what its sentence must say besides the file and line.
MISTAKES = {
    "misspelt setting": (
        '[lecture]\nquality = "l"\n\n[[scene]]\nname = "seed"\ntype = "single"\nlearning_rate = 0.1  # <-\n',
        "scene 'seed' has no setting 'learning_rate'; did you mean lr?",
    ),
    "setting of another type": (
        '[[scene]]\nname = "seed"\ntype = "single"\ngrid_size = 100  # <-\n',
        "scene 'seed' has no setting 'grid_size': it belongs to ContourScene.",
    ),
    "bad value": (
        '[[scene]]\nname = "s"\ntype = "single"\n\nlr = -1  # <-\n',
        "scene 's': lr must be a positive finite number",
    ),
    "text for a number": (
        '[[scene]]\nname = "s"\ntype = "single"\nstart = "0"  # <-\n',
        "start must be a number, not the text '0'",
    ),
    "unknown type": (
        '[[scene]]\nname = "s"\ntype = "raec"  # <-\n',
        "scene 's' has an unknown type 'raec'; did you mean race?",
    ),
    "beats on a plain scene": (
        '[[scene]]\nname = "s"\ntype = "single"\nexplain_steps = 2  # <-\n',
        "scene 's' has no beats to play: explain_steps needs type inside or inside-map",
    ),
    "no type": ('[[scene]]  # <-\nname = "s"\nlr = 0.1\n', "scene 's' needs a type (single, inside, race, map, inside-map, surface)"),
    "duplicate name": (
        '[[scene]]\nname = "a"\ntype = "single"\n[[scene]]\nname = "a"  # <-\ntype = "race"\n',
        "a second scene is named 'a' (the first is on line 1)",
    ),
    "misspelt run setting": (
        '[[scene]]\nname = "r"\ntype = "race"\n[[scene.run]]\noptimizer = "sgd"\n[[scene.run]]\nlearning_rate = 0.1  # <-\n',
        "run 2 of scene 'r' has no setting 'learning_rate'; did you mean lr?",
    ),
    "shared setting in a run": (
        '[[scene]]\nname = "r"\ntype = "race"\n[[scene.run]]\nsteps = 3  # <-\n',
        "run 1 of scene 'r' cannot set 'steps': the runs of a scene share it",
    ),
    "runs on a single scene": (
        '[[scene]]\nname = "s"\ntype = "single"\n[[scene.run]]  # <-\nlr = 0.1\n',
        "scene 's' has no setting 'runs': it belongs to",
    ),
    "unknown optimizer in an inline run": (
        '[[scene]]\nname = "r"\ntype = "race"\nruns = [{lr = 0.1},  # <-\n  {optimizer = "adma"}]\n',
        "run 2 of scene 'r', optimizer: Unknown optimizer 'adma'; did you mean Adamax, Adam",
    ),
    "misspelt optimizer keyword": (
        '[[scene]]\nname = "s"\ntype = "single"\noptimizer = "sgd"\noptimizer_kwargs = {momentun = 0.9}  # <-\n',
        "scene 's', optimizer_kwargs: SGD has no setting 'momentun' (did you mean momentum?)",
    ),
    "optimizer keyword on the scene": (
        '[[scene]]\nname = "s"\ntype = "single"\nmomentum = 0.9  # <-\n',
        "did you mean optimizer_kwargs = {'momentum': ...}?",
    ),
    "unknown scheduler": (
        '[[scene]]\nname = "s"\ntype = "single"\nscheduler = "CosineLR"  # <-\n',
        "scene 's', scheduler: Unknown scheduler 'CosineLR'; did you mean CosineAnnealingLR",
    ),
    "bad formula": (
        '[[scene]]\nname = "s"\ntype = "single"\nfunction = "sinn(x)"  # <-\n',
        "scene 's', function: In 'sinn(x)' at position 1: unknown function 'sinn' (did you mean sin",
    ),
    "text that would run Python": (
        '[[scene]]\nname = "s"\ntype = "single"\nfunction = "__import__(\'os\').getcwd()"  # <-\n',
        "scene 's', function:",
    ),
    "curve formula on a map": (
        '[[scene]]\nname = "s"\ntype = "map"\nfunction = "x^2"  # <-\n[[scene.run]]\nlr = 0.1\n',
        "scene 's' is a map scene, whose function uses x and y, not x.",
    ),
    "not TOML": ('[[scene]]\nname = "s"\ntype = single  # <-\n', "this is not valid TOML (Invalid value)."),
    "unknown table": (
        '[lectur]  # <-\n[[scene]]\nname = "s"\ntype = "single"\n',
        "A lecture file has no table 'lectur'; did you mean lecture?",
    ),
    "unknown lecture key": (
        '[lecture]\nqualty = "l"  # <-\n[[scene]]\nname = "s"\ntype = "single"\n',
        "[lecture] has no key 'qualty'; did you mean quality?",
    ),
    "quality": (
        '[lecture]\nquality = "x"  # <-\n[[scene]]\nname = "s"\ntype = "single"\n',
        "quality must be one of l, m, h, p, k",
    ),
    "format": (
        '[[scene]]\nname = "s"\ntype = "single"\nformat = "avi"  # <-\n',
        "format must be one of gif, mp4, webm, mov, png, not 'avi'.",
    ),
    "resolution as a grid": (
        '[[scene]]\nname = "s"\ntype = "map"\nresolution = 100  # <-\n',
        "(a map's grid of points is grid_size)",
    ),
    "no scenes": ('[lecture]  # <-\ntitle = "x"\n', "talk.toml has no scenes: add a [[scene]] table for each."),
    "no name": ('[[scene]]  # <-\ntype = "single"\n', 'this scene has no name: give it name = "..."'),
    "name unfit for a file": (
        '[[scene]]\nname = "../up"  # <-\ntype = "single"\n',
        "the scene name '../up' must be letters, digits",
    ),
    "missing class": (
        '[[scene]]\nname = "s"\nfrom = "scenes/adam.py:AdamDescnt"  # <-\n',
        "scene 's': adam.py has no class 'AdamDescnt'; did you mean AdamDescent?",
    ),
    "missing file": (
        '[[scene]]\nname = "s"\nfrom = "scenes/nope.py:A"  # <-\n',
        "the file 'scenes/nope.py' does not exist",
    ),
    "type against its class": (
        '[[scene]]\nname = "s"\nfrom = "scenes/rosenbrock.py:RosenbrockValley"\ntype = "race"  # <-\n',
        "scene 's' is of type 'race' but RosenbrockValley is a 'map' scene.",
    ),
    "a key hidden in a multi-line value is not taken for the mistake": (
        '[[scene]]\nname = "r"\ntype = "race"\ntitle = """\nlearning_rate = 3\n"""\nruns = [\n  {lr = 0.1},\n]\nlearning_rate = 2  # <-\n',
        "scene 'r' has no setting 'learning_rate'",
    ),
}


@pytest.mark.parametrize("text, said", MISTAKES.values(), ids=MISTAKES.keys())
def test_each_mistake_is_one_sentence_with_the_file_the_line_and_the_key(text, said):
    sentence = refusal(text)
    assert sentence.startswith(f"talk.toml line {marked_line(text)}: "), sentence
    assert said in sentence
    assert sentence.endswith((".", "?")) and "\n" not in sentence and "Traceback" not in sentence


def test_the_whole_file_is_checked_before_any_scene_is_used():
    """A mistake in the last scene refuses the lecture: a render never starts on a half-valid file."""
    text = (
        "".join(f'[[scene]]\nname = "a{k}"\ntype = "single"\n' for k in range(3))
        + '[[scene]]\nname = "b"\ntype = "single"\nlr = "fast"  # <-\n'
    )
    assert refusal(text).startswith(f"talk.toml line {marked_line(text)}: scene 'b': lr must be a number")


def test_selecting_scenes_by_name_keeps_file_order_and_refuses_unknown_names_with_the_closest():
    lecture = parse_lecture(STARTER)
    assert [s.name for s in lecture.select(["valley", "adam"]).scenes] == ["adam", "valley"]
    with pytest.raises(LectureError, match=r"lecture.toml has no scene 'vally'; did you mean valley\?"):
        lecture.select(["vally"])


def test_a_quality_from_the_command_line_replaces_each_scenes_size_and_rate():
    lecture = parse_lecture(STARTER)
    assert lecture.scenes[0].output == Output("l", "gif", 15.0, (400, 300))
    assert {s.output for s in lecture.with_output(quality="m", format="mp4").scenes} == {Output("m", "mp4")}
    assert lecture.with_output(format="webm").scenes[0].output == Output("l", "webm", 15.0, (400, 300))
    with pytest.raises(LectureError, match="On the command line, quality must be one of"):
        lecture.with_output(quality="ultra")


def test_shards_share_the_scenes_out_each_once_counted_from_one():
    text = "".join(f'[[scene]]\nname = "s{k}"\ntype = "single"\n' for k in range(1, 8))
    scenes = parse_lecture(text, deep=False).scenes
    shards = [[s.name for s in shard(scenes, i, 3)] for i in (1, 2, 3)]
    assert shards == [["s1", "s4", "s7"], ["s2", "s5"], ["s3", "s6"]]
    assert [s.name for s in shard(scenes, *parse_shard("1/1"))] == [f"s{k}" for k in range(1, 8)]
    assert parse_shard(" 2 / 4 ") == (2, 4)
    for wrong in ("0/4", "5/4", "2", "a/b", "1/0"):
        with pytest.raises(LectureError, match="--shard must be i/n with i from 1 to n"):
            parse_shard(wrong)


def test_costlier_scenes_are_known_from_their_settings_before_rendering():
    """Longer videos and dearer scene types cost more; rendering those first balances the processes."""
    text = (
        '[[scene]]\nname = "short"\ntype = "single"\nsteps = 10\n'
        '[[scene]]\nname = "long"\ntype = "single"\nsteps = 200\n'
        '[[scene]]\nname = "surface"\ntype = "surface"\nsteps = 60\n'
        '[[scene]]\nname = "slow"\ntype = "single"\nsteps = 10\nseconds_per_step = 1.0\n'
    )
    costs = {s.name: s.cost() for s in parse_lecture(text, deep=False).scenes}
    assert costs["short"] == pytest.approx(0.5 + 11 * 5 / 15 + 1.0)  # 11 steps slowed to 5 frames each: >= 3 s
    assert costs["slow"] == pytest.approx(0.5 + 11 + 1.0)
    assert sorted(costs, key=costs.get, reverse=True) == ["surface", "long", "slow", "short"]


def test_a_python_scene_is_typed_from_its_bases_without_running_its_file():
    lecture = parse_lecture(
        '[[scene]]\nname = "o"\nfrom = "scenes/adam.py:AdamOverview"\nsteps = 10\n', ROOT / "x.toml"
    )
    (spec,) = lecture.scenes
    assert (spec.kind, spec.source) == ("single", (str(SCENES / "adam.py"), "AdamOverview"))
    assert spec.class_attributes() == {"steps": 10}


def test_a_python_scene_is_typed_through_its_own_classes_or_else_asks_for_a_type(tmp_path):
    (tmp_path / "mine.py").write_text(
        "import optscenes as o\nfrom elsewhere import Base\n\n"
        "class Wide(o.ContourScene):\n    steps = 5\n    seconds_per_step = 1 / 5\n\nclass Wider(Wide):\n    end_hold = 2\n\n"
        "class Odd(Base):\n    pass\n"
    )
    lecture = parse_lecture('[[scene]]\nname = "w"\nfrom = "mine.py:Wider"\n', tmp_path / "l.toml")
    assert lecture.scenes[0].kind == "map"
    # Its cost is read from the numbers its classes write: (start hold + 6 steps of 1/5 s + end hold) x a map's 3.
    assert lecture.scenes[0].cost() == pytest.approx((0.5 + 6 / 5 + 2) * 3)
    text = '[[scene]]\nname = "o"\nfrom = "mine.py:Odd"  # <-\n'
    with pytest.raises(
        LectureError, match=r"l.toml line 3: scene 'o': the type of Odd cannot be read from its file; add type"
    ):
        parse_lecture(text, tmp_path / "l.toml")
    assert parse_lecture(text + 'type = "surface"\n', tmp_path / "l.toml").scenes[0].kind == "surface"


def test_the_starter_file_is_a_valid_lecture():
    lecture = parse_lecture(STARTER, "lecture.toml")
    assert [s.kind for s in lecture.scenes] == ["single", "race", "map"]
    assert all(line.startswith("#") or "#" not in line.split("=")[0] for line in STARTER.splitlines())


# --- the example lecture against the scene files it reproduces ------------------------------------------------

# Each example scene, and the class of scenes/*.py it reproduces.
REPRODUCES = {
    "adam-descent": ("adam.py", "AdamDescent"),
    "optimizer-race": ("compare.py", "OptimizerRace"),
    "learning-rate-sweep": ("compare.py", "LearningRateSweep"),
    "start-points": ("compare.py", "StartPoints"),
    "sgd-descent": ("optimizers.py", "SGDDescent"),
    "momentum-descent": ("optimizers.py", "MomentumDescent"),
    "cosine-adam": ("schedules.py", "CosineAdam"),
    "step-decay-sgd": ("schedules.py", "StepDecaySGD"),
    "too-large-step": ("divergence.py", "TooLargeStep"),
    "four-minima": ("himmelblau.py", "FourMinima"),
    "sweep-panels": ("compare.py", "SweepPanels"),
    "adam-inside": ("inside.py", "AdamInside"),
    "saddle-escape": ("saddle.py", "SaddleEscape"),
}


def python_settings(file: str, name: str) -> dict:
    """The class attributes of a scene file's class, read from its syntax: literals, and runs written as
    ``Run(...)`` calls or ``[Run(key=v) for v in (...)]``."""
    tree = ast.parse((SCENES / file).read_text())
    (cls,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == name]
    found = {}
    for node in cls.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            key, value = node.targets[0].id, node.value
            if isinstance(value, ast.ListComp):
                (keyword,) = value.elt.keywords
                found[key] = [{keyword.arg: v} for v in ast.literal_eval(value.generators[0].iter)]
            elif isinstance(value, ast.List) and value.elts and isinstance(value.elts[0], ast.Call):
                found[key] = [
                    {
                        **({"optimizer": ast.literal_eval(c.args[0])} if c.args else {}),
                        **{k.arg: ast.literal_eval(k.value) for k in c.keywords},
                    }
                    for c in value.elts
                ]
            else:
                found[key] = ast.literal_eval(value)
    return found


def normalised(settings: dict) -> dict:
    """Lists and tuples alike (TOML has only arrays), runs as the checked Run objects."""

    def plain(value):
        return [plain(v) for v in value] if isinstance(value, list | tuple) else value

    return {k: [Run(**run) for run in v] if k == "runs" else plain(v) for k, v in settings.items()}


def test_the_example_lecture_validates_and_starts_with_the_seed_as_the_blog_posts_gif():
    lecture = load_lecture(INTRO)
    assert len(lecture.scenes) == 15
    seed = lecture.scenes[0]
    assert seed.name == "adam-descent"
    assert seed.output == Output("l", "gif", 15.0, (400, 300))


@pytest.mark.parametrize("name", REPRODUCES)
def test_each_example_scene_has_the_settings_of_the_scene_it_reproduces(name):
    spec = next(s for s in load_lecture(INTRO).scenes if s.name == name)
    expected = python_settings(*REPRODUCES[name])
    assert normalised(dict(spec.settings)) == normalised(expected)


def test_every_scene_file_class_but_the_stills_is_in_the_example_lecture():
    shown = {v for v in REPRODUCES.values()} | {
        (Path(s.source[0]).name, s.source[1]) for s in load_lecture(INTRO).scenes if s.source
    }
    classes = {
        (path.name, node.name)
        for path in SCENES.glob("*.py")
        for node in ast.parse(path.read_text()).body
        if isinstance(node, ast.ClassDef) and not re.search("Overview", node.name)
    }
    left_out = classes - shown
    # One scene per optimizer family would make the lecture long: three of them stand for the rest.
    assert left_out == {
        ("optimizers.py", n)
        for n in ("NesterovDescent", "RMSpropDescent", "AdagradDescent", "AdamWDescent", "LBFGSDescent")
    } | {("schedules.py", "OneCycleAdam"), ("inside.py", "MomentumInside"), ("inside.py", "SGDvsMomentum")}
