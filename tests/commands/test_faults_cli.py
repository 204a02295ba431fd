"""Faults as a lecturer meets them on the command line: one sentence, exit 1, no traceback, no file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

MANIM = str(Path(sys.executable).parent / "manim")

SCENE = """\
import torch
from optscenes import OptimizerScene


class Brittle(torch.optim.SGD):
    def step(self, closure=None):
        self.calls = getattr(self, "calls", 0) + 1
        if self.calls == 3:
            raise KeyError("momentum_buffer")
        return super().step(closure)


class Tiny(OptimizerScene):
    function = "x^2"
    start = 1.0
    lr = 0.1
    steps = 4
    {setting}
"""


def render(tmp_path: Path, setting: str, media: Path) -> subprocess.CompletedProcess[str]:
    scene = tmp_path / "faulty.py"
    scene.write_text(SCENE.format(setting=setting))
    return subprocess.run(
        [MANIM, "-r", "160,90", "--fps", "5", str(scene), "Tiny", "--media_dir", str(media)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def one_sentence(result: subprocess.CompletedProcess[str]) -> str:
    """The one ``optscenes: ...`` line of a run that failed with exit 1 and no traceback."""
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output and "╭" not in output
    (line,) = [line for line in output.splitlines() if line.startswith("optscenes: ")]
    return line.removeprefix("optscenes: ")


def test_a_media_folder_that_cannot_be_written_is_one_sentence(tmp_path):
    # Under a regular file no folder can be made, not even by root (chmod would not stop root).
    (tmp_path / "afile").write_text("not a folder")
    media = tmp_path / "afile" / "media"
    sentence = one_sentence(render(tmp_path, "", media))
    assert sentence.startswith(f"Cannot write in the media folder {media} (Not a directory: {media}")
    assert sentence.endswith("); choose one you can write to with --media_dir.")
    assert (tmp_path / "afile").read_text() == "not a folder"


@pytest.mark.parametrize(
    ("setting", "sentence"),
    [
        ("optimizer = Brittle", "Brittle failed at step 3: 'momentum_buffer'."),
        ("optimizer_kwargs = {'capturable': True}", "Adam failed at step 1 (capturable=True, default False): "),
    ],
)
def test_an_optimizer_that_fails_while_stepping_is_one_sentence_and_no_file(tmp_path, setting, sentence):
    media = tmp_path / "media"
    assert one_sentence(render(tmp_path, setting, media)).startswith(sentence)
    assert not [p for p in media.rglob("*") if p.suffix in (".mp4", ".gif", ".png", ".json", ".csv")]
