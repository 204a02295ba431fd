"""The commands users type, run as subprocesses from the repository root."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT, find_colour, read_frames

MANIM = str(Path(sys.executable).parent / "manim")
DOT = "#F7D96F"


def manim(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([MANIM, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)


def test_user_command_twice_with_the_cache_gives_the_same_gif(tmp_path):
    media = str(tmp_path / "media")
    args = ("-ql", "scenes/adam.py", "AdamDescent", "--format", "gif", "--media_dir", media, "-o", "adam")
    first = manim(*args)
    assert first.returncode == 0, first.stderr
    gif = tmp_path / "media" / "videos" / "adam" / "480p15" / "adam.gif"
    frames_first = read_frames(gif)
    second = manim(*args)
    assert second.returncode == 0, second.stderr
    frames_second = read_frames(gif)
    assert len(frames_first) == len(frames_second) == 8 + 51 + 15  # start hold, the start and 50 steps, end hold
    assert frames_first[0].shape == (480, 854, 3)
    for a, b in zip(frames_first, frames_second, strict=True):
        np.testing.assert_array_equal(a, b)
    # The dot ends where it is at step 50, not where a replayed history would put it.
    assert find_colour(frames_second[-1], DOT) is not None
    assert find_colour(frames_second[-1], DOT) != find_colour(frames_second[0], DOT)


def test_preview_without_a_viewer_prints_the_path(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["PATH"] = f"{Path(sys.executable).parent}:/usr/bin:/bin"  # no desktop session: nothing can show it
    result = manim(
        "-pql", "scenes/adam.py", "AdamDescent", "--format", "gif", "--media_dir", str(tmp_path), "-o", "p", env=env
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    gif = tmp_path / "videos" / "adam" / "480p15" / "p.gif"
    assert f"the file is {gif}" in result.stdout
    assert gif.is_file()


BAD_SETTINGS = {
    "formula": ("function = '(6*x-2)^2*sinn(12*x-4)'", ["unknown function 'sinn'", "did you mean sin"]),
    "optimizer": ("optimizer = 'adma'", ["Unknown optimizer 'adma'", "Adam"]),
    "keyword": ("optimizer_kwargs = {'momentun': 0.9}\n    optimizer = 'sgd'", ["'momentun'", "momentum"]),
    "lr": ("lr = -1.0", ["lr must be a positive finite number"]),
    "steps": ("steps = 0", ["steps must be a whole number from 1 to 100000"]),
    "domain": ("function = 'log(x)'\n    start = -1.0", ["undefined at the start x=-1"]),
    "scheduler": ("scheduler = 'cosine'", ["Unknown scheduler 'cosine'", "CosineAnnealingLR"]),
    "misspelt setting": ("learning_rate = 0.5", ["Bad has no setting 'learning_rate'; did you mean lr?"]),
    "British spelling": ("optimiser = 'sgd'", ["Bad has no setting 'optimiser'; did you mean optimizer?"]),
    "not a setting": ("bg = 'white'", ["Bad has no setting 'bg'; did you mean theme?"]),
    "no such thing": ("lecture_notes = 'slide 3'", ["Bad has no setting 'lecture_notes'", "underscore"]),
    "beats without a panel": ("explain_steps = 3", ["Bad has no beats to play", "InsideScene"]),
}


@pytest.mark.parametrize("problem", list(BAD_SETTINGS))
def test_bad_settings_are_one_sentence_and_leave_no_file(tmp_path, problem):
    setting, phrases = BAD_SETTINGS[problem]
    scene_file = tmp_path / "bad.py"
    scene_file.write_text(f"from optscenes import OptimizerScene\n\nclass Bad(OptimizerScene):\n    {setting}\n")
    media = tmp_path / "media"
    result = manim("-ql", str(scene_file), "Bad", "--format", "gif", "--media_dir", str(media))
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output and "╭" not in output
    (sentence,) = [line for line in result.stderr.splitlines() if line.startswith("optscenes: ")]
    for phrase in phrases:
        assert phrase in sentence
    assert not [p for p in media.rglob("*") if p.suffix in (".gif", ".mp4", ".png", ".json", ".csv")]
