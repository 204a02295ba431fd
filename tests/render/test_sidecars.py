"""The record beside each render: the settings, versions and the run, and nothing left when a render fails."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from conftest import SCENES, load_scene_module

import optscenes

schedules = load_scene_module(SCENES / "schedules.py")
divergence = load_scene_module(SCENES / "divergence.py")


def test_sidecars_hold_the_settings_and_the_run(render_scene):
    scene, path = render_scene(schedules.CosineAdam, "mp4", 160, 90, 5)
    record = json.loads(path.with_suffix(".json").read_text())
    trajectory = scene.trajectory()
    assert record["settings"]["scheduler"] == "CosineAnnealingLR"
    assert record["settings"]["lr"] == 0.25 and record["settings"]["start"] == 0.0
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


def test_an_error_before_rendering_leaves_no_file(render_scene, tmp_path):
    class Bad(schedules.CosineAdam):
        optimizer_kwargs = {"betas": (1.5, 0.9)}

    with pytest.raises(optscenes.OptimizerError, match="Adam refused its settings"):
        render_scene(Bad, "mp4", 160, 90, 5)
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
