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

# Worker A renders TinyA, worker B TinyB (two scenes of one file, as from two terminals: one scene twice
# at once would write the same video), once per trial into trial<k>/, each trial starting only when the
# other worker is ready too (a barrier of files): both typeset the same texts into an empty text cache
# together. A worker imports manim and torch once: twenty trials cost about one process start, not forty.
WORKER = """\
import sys, time
from pathlib import Path
import manim as mn
sys.path.insert(0, sys.argv[1])
import tiny

root, me = Path(sys.argv[1]), sys.argv[2]
scene = getattr(tiny, "Tiny" + me)
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
"""

RENDER = {"pixel_width": 160, "pixel_height": 90, "frame_rate": 5, "disable_caching": True, "verbosity": "ERROR"}


def _svgs_parse(texts: Path) -> None:
    svgs = list(texts.glob("*.svg"))
    assert svgs
    for svg in svgs:
        assert ET.parse(svg).getroot().tag.endswith("svg"), svg


def test_two_renders_at_once_into_one_media_dir_all_succeed(tmp_path):
    (tmp_path / "tiny.py").write_text(SCENE)
    (tmp_path / "worker.py").write_text(WORKER)
    workers = [
        subprocess.Popen(
            [sys.executable, str(tmp_path / "worker.py"), str(tmp_path), name, str(TRIALS)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for name in "AB"
    ]
    outputs = [worker.communicate(timeout=240)[0] for worker in workers]
    assert [w.returncode for w in workers] == [0, 0], outputs
    for output in outputs:
        succeeded = [line for line in output.splitlines() if line.endswith(" ok")]
        assert succeeded == [f"{k} ok" for k in range(TRIALS)], output
    for k in range(TRIALS):
        media = tmp_path / f"trial{k}"
        for name in "AB":
            (video,) = media.rglob(f"Tiny{name}.mp4")
            assert len(read_frames(video)) >= 2
        _svgs_parse(media / "texts")
        assert not [p for p in (media / "texts").iterdir() if p.name.startswith(".")]  # no private folder left


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
    assert {p.name for p in texts.glob("*.svg")} == {p.name for p in svgs}
    _svgs_parse(texts)
