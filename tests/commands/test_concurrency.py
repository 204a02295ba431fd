"""Renders at once into one media folder, and a text cache damaged by an earlier crash.

manim's Pango text cache (``<media_dir>/texts``) is shared by every render into a media folder; without
optscenes' private text folders, two renders started together fail in about half the trials here
(``ParseError: no element found``, ``FileNotFoundError`` on ``texts/<hash>_.svg``).
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
from conftest import load_scene_module, read_frames

TRIALS = 20

SCENE = """\
from optscenes import OptimizerScene


class Tiny(OptimizerScene):
    function = "x^2"
    start = 1.0
    lr = 0.1
    steps = 2


class TinyA(Tiny):
    pass


class TinyB(Tiny):
    pass
"""

# Worker A renders TinyA and worker B TinyB (two scenes of one file, as from two terminals), or both render
# one scene (a lecturer who starts the same render twice), once per trial into trial<k>/, each trial starting only when the
# other worker is ready too (a barrier of files): both typeset the same texts into an empty text cache
# together. A worker imports manim and torch once: twenty trials cost about one process start, not forty.
WORKER = """\
import sys, time
from pathlib import Path
import manim as mn
sys.path.insert(0, sys.argv[1])
import tiny

root, me, scene_name = Path(sys.argv[1]), sys.argv[2], sys.argv[4]
scene = getattr(tiny, scene_name)
for k in range(int(sys.argv[3])):
    (root / f"ready{k}.{me}").touch()
    while len(list(root.glob(f"ready{k}.*"))) < 2:
        time.sleep(0.001)
    options = {"media_dir": str(root / f"trial{k}"), "pixel_width": 160, "pixel_height": 90, "frame_rate": 5,
               "disable_caching": True, "verbosity": "ERROR", "progress_bar": "none"}
    try:
        with mn.tempconfig(options):
            scene().render()
        print(k, "ok", flush=True)
    except Exception as error:
        print(k, "failed:", type(error).__name__, error, flush=True)
if me == "A":  # then once more alone, as the reference (this process's code, should the tree be edited)
    with mn.tempconfig({**options, "media_dir": str(root / "alone")}):
        scene().render()
"""

RENDER = {"pixel_width": 160, "pixel_height": 90, "frame_rate": 5, "disable_caching": True, "verbosity": "ERROR"}


def _svgs_parse(texts: Path) -> None:
    svgs = list(texts.glob("*.svg"))
    assert svgs
    for svg in svgs:
        assert ET.parse(svg).getroot().tag.endswith("svg"), svg


def _render_in_two_workers(tmp_path: Path, scenes: dict[str, str], trials: int) -> None:
    """Worker ``name`` renders scene ``scenes[name]`` ``trials`` times; every render of both succeeds."""
    (tmp_path / "tiny.py").write_text(SCENE)
    (tmp_path / "worker.py").write_text(WORKER)
    workers = [
        subprocess.Popen(
            [sys.executable, str(tmp_path / "worker.py"), str(tmp_path), name, str(trials), scene],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for name, scene in scenes.items()
    ]
    outputs = [worker.communicate(timeout=240)[0] for worker in workers]
    assert [w.returncode for w in workers] == [0, 0], outputs
    for output in outputs:
        succeeded = [line for line in output.splitlines() if line.endswith(" ok")]
        assert succeeded == [f"{k} ok" for k in range(trials)], output


def test_two_renders_at_once_into_one_media_dir_all_succeed(tmp_path):
    _render_in_two_workers(tmp_path, {"A": "TinyA", "B": "TinyB"}, TRIALS)
    for k in range(TRIALS):
        media = tmp_path / f"trial{k}"
        for name in "AB":
            (video,) = media.rglob(f"Tiny{name}.mp4")
            assert len(read_frames(video)) >= 2
        _svgs_parse(media / "texts")
        assert not [p for p in (media / "texts").iterdir() if p.name.startswith(".")]  # no private folder left


def test_one_scene_rendered_twice_at_once_gives_one_whole_video(tmp_path):
    # Both write the same partial movies and the same video: the second waits for the first, then reuses it.
    _render_in_two_workers(tmp_path, {"A": "TinyA", "B": "TinyA"}, TRIALS // 2)
    (alone,) = (tmp_path / "alone").rglob("TinyA.mp4")
    expected = read_frames(alone)
    for k in range(TRIALS // 2):
        (video,) = (tmp_path / f"trial{k}").rglob("TinyA.mp4")
        frames = read_frames(video)
        assert len(frames) == len(expected), k
        assert all(np.array_equal(a, b) for a, b in zip(frames, expected, strict=True)), k


def test_a_text_cache_damaged_by_a_crash_heals(tmp_path):
    import manim as mn

    (tmp_path / "tiny.py").write_text(SCENE)
    tiny = load_scene_module(tmp_path / "tiny.py").Tiny
    texts = tmp_path / "media" / "texts"
    with mn.tempconfig({**RENDER, "media_dir": str(tmp_path / "media")}):
        tiny().render()
        svgs = sorted(texts.glob("*.svg"))
        assert len(svgs) >= 2
        # What a killed render leaves: an empty file, and one cut off mid-way.
        svgs[0].write_bytes(b"")
        svgs[1].write_bytes(svgs[1].read_bytes()[: svgs[1].stat().st_size // 2])
        tiny().render()
    (video,) = (tmp_path / "media").rglob("Tiny.mp4")
    assert len(read_frames(video)) >= 2
    # Each damaged file is typeset again, or removed where this process had its glyphs already.
    assert {p.name for p in svgs[2:]} <= {p.name for p in texts.glob("*.svg")} <= {p.name for p in svgs}
    _svgs_parse(texts)
