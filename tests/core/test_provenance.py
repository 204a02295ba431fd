"""The record beside each render: complete, valid JSON, and never left half-written."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import optscenes
from optscenes.core.provenance import jsonable, write_sidecars
from optscenes.core.trajectory import Trajectory


def test_a_failed_record_removes_the_render_too(tmp_path, monkeypatch):
    run = optscenes.optimize("x^2", "sgd", start=1.0, steps=3, lr=0.1)
    video = tmp_path / "scene.mp4"
    video.write_bytes(b"not really a video")

    def broken_csv(self, path):
        path.write_text("step,x\n0,")  # half a file, then the disk fills up
        raise OSError("No space left on device")

    monkeypatch.setattr(Trajectory, "to_csv", broken_csv)
    with pytest.raises(OSError):
        write_sidecars(video, run)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_jsonable_makes_strict_json():
    value = {"a": np.array([1.0, np.nan]), "b": (np.float32(2.5), math.inf), "f": lambda e: e, "t": int}
    text = json.dumps(jsonable(value), allow_nan=False)
    loaded = json.loads(text)
    assert loaded["a"] == [1.0, None] and loaded["b"] == [2.5, None]
    assert loaded["f"].startswith("<function") and loaded["t"] == "builtins.int"
