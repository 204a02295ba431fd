"""Every scene in scenes/ renders, follows the frame contract, and leaves its record beside the video."""

from __future__ import annotations

import csv
import json

import manim as mn
import numpy as np
import pytest
import torch
from conftest import SCENES, load_scene_module, read_frames

from optscenes import OptimizerScene


def scene_classes():
    for path in sorted(SCENES.glob("*.py")):
        module = load_scene_module(path)
        for name, obj in vars(module).items():
            if isinstance(obj, type) and issubclass(obj, mn.Scene) and obj.__module__ == module.__name__:
                yield pytest.param(obj, id=f"{path.stem}.{name}")


@pytest.mark.parametrize("scene_class", list(scene_classes()))
def test_every_scene_renders(render_scene, scene_class):
    still = "Overview" in scene_class.__name__
    scene, path = render_scene(
        scene_class, "png" if still else "mp4", 192, 108, 5, **({"save_last_frame": True} if still else {})
    )
    frames = read_frames(path)
    assert frames[0].shape == (108, 192, 3)
    assert frames[0].max() > 0  # something was drawn
    if isinstance(scene, OptimizerScene) and not still:
        assert len(frames) == scene.plan.total_frames
        record = json.loads(path.with_suffix(".json").read_text())
        assert record["scene"] == scene_class.__name__
        runs = scene.recorded_trajectories()
        runs = runs if isinstance(runs, list) else [(None, runs)]
        entries = record.get("runs", [record])
        assert len(entries) == len(runs)
        for entry, (label, trajectory) in zip(entries, runs, strict=True):
            assert entry.get("label") == label
            assert entry["status"] == trajectory.status
            assert entry["versions"]["torch"] == torch.__version__
            assert entry["versions"]["manim"] == mn.__version__
            assert entry["settings"]["steps"] == scene_class.steps
            np.testing.assert_array_equal(np.array(entry["trajectory"]["x"]), trajectory.params[:, 0])
        with path.with_suffix(".csv").open() as handle:
            assert len(list(csv.reader(handle))) == sum(len(t) for _, t in runs) + 1
