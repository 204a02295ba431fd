"""The ``optscenes`` command as users type it: new, check, and render with --jobs, --shard and --cluster,
on tiny lectures (160x90 at 5 frames a second, 3 steps)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import read_frames

OPTSCENES = str(Path(sys.executable).parent / "optscenes")

TINY = """\
[lecture]
format = "gif"
resolution = [160, 90]
fps = 5

[[scene]]
name = "curve"
type = "single"
function = "x^2"
optimizer = "adam"
start = 1.0
lr = 0.1
steps = 3

[[scene]]
name = "broken"
type = "single"
function = "log(x)"
start = -1.0     # log is undefined there: valid as a file, refused by the run
steps = 3

[[scene]]
name = "race"
type = "race"
function = "x^2"
start = 1.0
steps = 3
runs = [{ lr = 0.1 }, { lr = 0.3, label = "fast" }]
"""


def optscenes(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([OPTSCENES, *args], cwd=cwd, capture_output=True, text=True, timeout=240, check=False)


def assert_replay(gif: Path, lrs: list[float], label: str | None = None) -> None:
    """A 160x90 GIF whose dot moves, beside the record of Adam runs of 3 steps from x = 1 at ``lrs``: Adam's
    first step moves by lr exactly (its first update is lr times the gradient's sign)."""
    frames = read_frames(gif)
    assert frames[0].shape == (90, 160, 3)
    assert not np.array_equal(frames[0], frames[-1])
    record = json.loads(gif.with_suffix(".json").read_text())
    runs = record.get("runs", [record])
    assert [run["settings"]["steps"] for run in runs] == [3] * len(lrs)
    assert [run["trajectory"]["x"][1] for run in runs] == pytest.approx([1 - lr for lr in lrs], abs=1e-6)
    if label is not None:
        assert runs[-1]["label"] == label


def test_new_writes_a_starter_that_check_accepts_and_refuses_to_overwrite(tmp_path):
    first = optscenes("new", "talk.toml", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    written = (tmp_path / "talk.toml").read_text()
    again = optscenes("new", "talk.toml", cwd=tmp_path)
    assert again.returncode == 1
    assert again.stderr == "optscenes: talk.toml already exists; give another name: optscenes new other.toml.\n"
    assert (tmp_path / "talk.toml").read_text() == written
    check = optscenes("check", "talk.toml", cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    assert "talk.toml: 3 scenes, all valid." in check.stdout
    for name in ("adam", "momentum-or-not", "valley"):
        assert name in check.stdout


def test_a_mistake_is_one_line_and_nothing_renders(tmp_path):
    (tmp_path / "bad.toml").write_text(TINY + '\n[[scene]]\nname = "late"\ntype = "single"\nlearning_rate = 0.1\n')
    for command in ("check", "render"):
        result = (
            optscenes(command, "bad.toml", "--media_dir", "media", cwd=tmp_path)
            if command == "render"
            else (optscenes(command, "bad.toml", cwd=tmp_path))
        )
        assert result.returncode == 1
        assert result.stderr == (
            f"optscenes: bad.toml line {len(TINY.splitlines()) + 5}: scene 'late' has no setting 'learning_rate'; "
            "did you mean lr?\n"
        )
    assert not (tmp_path / "media").exists()


def test_render_in_two_processes_reports_a_failing_scene_while_the_others_finish(tmp_path):
    (tmp_path / "tiny.toml").write_text(TINY)
    result = optscenes("render", "tiny.toml", "--jobs", "2", "--media_dir", "out", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    media = tmp_path / "out"
    assert sorted(p.name for p in media.iterdir()) == [
        "curve.csv", "curve.gif", "curve.json", "race.csv", "race.gif", "race.json",
    ]  # fmt: skip
    assert_replay(media / "curve.gif", [0.1])
    assert_replay(media / "race.gif", [0.1, 0.3], "fast")
    assert "optscenes: scene 'broken' failed: 'log(x)' or its gradient is undefined at the start x=-1." in result.stdout
    summary = result.stdout[result.stdout.index("┃ scene") :]
    for row in ("curve", "race"):
        assert any(line.startswith(f"│ {row} ") and "ok" in line for line in summary.splitlines())
    assert any(line.startswith("│ broken ") and "failed" in line for line in summary.splitlines())


@pytest.fixture
def cluster():
    """A Dask scheduler and two worker processes on loopback, one thread each."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as local:
        yield local.scheduler_address


def test_a_shard_renders_on_a_cluster_and_the_files_come_back(tmp_path, cluster):
    """Shard 1 of 2 is scenes 1 and 3 (curve, race): rendered by the workers, written here."""
    (tmp_path / "tiny.toml").write_text(TINY)
    result = optscenes(
        "render", "tiny.toml", "--shard", "1/2", "--cluster", cluster, "--media_dir", "back", cwd=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    media = tmp_path / "back"
    assert sorted(p.name for p in media.iterdir()) == [
        "curve.csv", "curve.gif", "curve.json", "race.csv", "race.gif", "race.json",
    ]  # fmt: skip
    assert_replay(media / "curve.gif", [0.1])
    assert_replay(media / "race.gif", [0.1, 0.3], "fast")


def test_stills_of_chosen_steps_and_a_handout_with_a_page_each(tmp_path):
    (tmp_path / "tiny.toml").write_text(TINY)
    result = optscenes("stills", "tiny.toml", "--only", "curve", "race", "--steps", "0,3", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    stills = tmp_path / "media" / "tiny" / "stills"
    names = sorted(p.name for p in stills.glob("*.png"))
    assert names == ["curve_step0.png", "curve_step3.png", "race_step0.png", "race_step3.png"]
    first, last = (read_frames(stills / f"curve_step{k}.png")[0] for k in (0, 3))
    assert first.shape == (90, 160, 3) and not np.array_equal(first, last)  # the dot moved
    pdf = (stills / "handout.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 4
    bad = optscenes("stills", "tiny.toml", "--steps", "0,ten", cwd=tmp_path)
    assert bad.returncode == 1 and bad.stderr.startswith("optscenes: each step in --steps must be a number")
