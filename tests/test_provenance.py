"""The record beside each render: complete, valid JSON, and never left half-written."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from conftest import SCENES, load_scene_module

import optscenes
from optscenes.provenance import jsonable, write_sidecars
from optscenes.trajectory import Trajectory

schedules = load_scene_module(SCENES / "schedules.py")
divergence = load_scene_module(SCENES / "divergence.py")


def test_sidecars_hold_the_settings_and_the_run(render_scene):
    scene, path = render_scene(schedules.CosineAdam, "mp4", 160, 90, 5)
    record = json.loads(path.with_suffix(".json").read_text())
    trajectory = scene.trajectory()
    assert record["settings"]["scheduler"] == "CosineAnnealingLR"
    assert record["settings"]["lr"] == 0.25 and record["settings"]["start"] == [0.0]
    assert record["hyperparameters"]["lr"] == 0.25  # as constructed, before the schedule moved it
    assert record["dtype"] == "float32"
    np.testing.assert_array_equal(record["trajectory"]["lr"], trajectory.lr)
    exp_avg = np.array(record["trajectory"]["state"]["exp_avg"], dtype=float)  # JSON null (no state yet) -> NaN
    np.testing.assert_array_equal(exp_avg, trajectory.state["exp_avg"])
    lines = path.with_suffix(".csv").read_text().splitlines()
    assert lines[0] == "step,x,loss,grad,lr"
    assert [float(v) for v in lines[-1].split(",")[1:]] == [
        trajectory.params[-1, 0], trajectory.losses[-1], trajectory.grads[-1, 0], trajectory.lr[-1]
    ]


def test_a_diverged_run_is_recorded_as_such(render_scene):
    scene, path = render_scene(divergence.TooLargeStep, "mp4", 160, 90, 5)
    record = json.loads(path.with_suffix(".json").read_text())
    assert record["status"] == "diverged"
    assert record["stopped_at"] == len(record["trajectory"]["x"])
    assert all(math.isfinite(v) for v in record["trajectory"]["loss"])


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


def test_an_error_before_rendering_leaves_no_file(render_scene, tmp_path):
    class Bad(schedules.CosineAdam):
        optimizer_kwargs = {"betas": (1.5, 0.9)}

    with pytest.raises(optscenes.OptimizerError, match="Adam refused its settings"):
        render_scene(Bad, "mp4", 160, 90, 5)
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_jsonable_makes_strict_json():
    value = {"a": np.array([1.0, np.nan]), "b": (np.float32(2.5), math.inf), "f": lambda e: e, "t": int}
    text = json.dumps(jsonable(value), allow_nan=False)
    loaded = json.loads(text)
    assert loaded["a"] == [1.0, None] and loaded["b"] == [2.5, None]
    assert loaded["f"].startswith("<function") and loaded["t"] == "builtins.int"
