"""manim's ``%%manim`` notebook magic with an optscenes scene, run through IPython as a notebook runs a cell:
the form the README gives works, and the two forms it warns about fail as it says."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import find_colour, read_frames

from optscenes.visuals.theme import DARK

#: A notebook cell: a scene defined in the cell itself.
CELL = """
from optscenes import OptimizerScene

class NotebookDescent(OptimizerScene):
    lr = 0.25
    steps = 6
    seconds_per_step = 0.2
    start_hold = 0.0
    end_hold = 0.0
"""

#: Small and quick: 320x180 at 10 fps, so one step is two frames.
OPTIONS = "-v WARNING --progress_bar none -r 320,180 --fps 10"


@pytest.fixture
def shell(tmp_path, monkeypatch):
    """An IPython shell in a fresh working directory, with the magic that ``import manim`` registers there."""
    from IPython.core.interactiveshell import InteractiveShell
    from manim.utils.ipython_magic import ManimMagic

    monkeypatch.chdir(tmp_path)
    shell = InteractiveShell.instance()
    shell.register_magics(ManimMagic)
    yield shell
    InteractiveShell.clear_instance()


def test_the_magic_renders_a_scene_named_last_into_a_relative_media_dir(shell, tmp_path, capsys):
    shell.run_cell_magic("manim", f"{OPTIONS} --media_dir media NotebookDescent", CELL)
    assert "IPython.core.display.Video" in capsys.readouterr().out  # what the notebook shows
    (video,) = (tmp_path / "media" / "videos").glob("*/180p10/NotebookDescent.mp4")
    (shown,) = (tmp_path / "media" / "jupyter").glob("NotebookDescent@*.mp4")
    assert shown.read_bytes() == video.read_bytes()
    frames = read_frames(video)
    assert len(frames) == (6 + 1) * 2  # every step, the start included, lasts two frames
    # The dot walks: where it starts is not where it ends.
    start, end = find_colour(frames[0], DARK.dot), find_colour(frames[-1], DARK.dot)
    assert start is not None and end is not None and np.hypot(end[0] - start[0], end[1] - start[1]) > 5


def test_a_scene_name_not_last_on_the_line_is_not_found(shell):
    # The magic takes the line's last word as the scene's name: here "media".
    with pytest.raises(KeyError, match="media"):
        shell.run_cell_magic("manim", f"NotebookDescent {OPTIONS} --media_dir media", CELL)


def test_an_absolute_media_dir_outside_the_working_directory_fails(shell, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    with pytest.raises(ValueError, match="subpath"):
        shell.run_cell_magic("manim", f"{OPTIONS} --media_dir {elsewhere} NotebookDescent", CELL)
