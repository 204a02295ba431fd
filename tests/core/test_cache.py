"""The run cache: a hit gives the same run without torch; any change of settings or versions misses."""

from __future__ import annotations

import numpy as np
import optscenes
from optscenes.core import cache

SEED = "(6*x-2)^2*sin(12*x-4)"
SETTINGS = {"optimizer": "adam", "start": 0.0, "steps": 20, "lr": 0.25, "scheduler": "StepLR",
            "scheduler_kwargs": {"step_size": 5}, "betas": [0.8, 0.99]}  # fmt: skip


def test_a_stored_run_comes_back_equal(tmp_path):
    run = optscenes.optimize(SEED, **SETTINGS)
    key = cache.cache_key(SEED, SETTINGS)
    cache.store(tmp_path, key, run)
    back = cache.load(tmp_path, key)
    assert back is not None and back.digest() == run.digest()
    for name in ("params", "losses", "grads", "lr"):
        np.testing.assert_array_equal(getattr(back, name), getattr(run, name))
    np.testing.assert_array_equal(back.state["exp_avg"], run.state["exp_avg"])
    assert (back.status, back.scheduler, back.optimizer) == (run.status, run.scheduler, run.optimizer)


def test_every_setting_and_version_is_in_the_key(monkeypatch):
    key = cache.cache_key(SEED, SETTINGS)
    assert cache.cache_key(SEED, dict(SETTINGS)) == key
    for name, value in [("lr", 0.2500001), ("steps", 21), ("start", 1e-9), ("optimizer", "adamw"),
                        ("betas", [0.8, 0.999]), ("scheduler_kwargs", {"step_size": 6}), ("dtype", "float64")]:  # fmt: skip
        assert cache.cache_key(SEED, {**SETTINGS, name: value}) != key, name
    assert cache.cache_key("(6*x-2)^2*sin(12*x-3)", SETTINGS) != key
    real = cache.versions
    monkeypatch.setattr(cache, "versions", lambda: {**real(), "torch": "9.9.9"})
    assert cache.cache_key(SEED, SETTINGS) != key


def test_settings_without_a_stable_text_are_never_cached():
    assert cache.cache_key(SEED, {**SETTINGS, "scheduler": "LambdaLR", "lr_lambda": lambda e: 0.9**e}) is None
    assert cache.cache_key(SEED, {**SETTINGS, "optimizer": optscenes.Objective}) is None


def test_a_corrupt_file_is_a_miss(tmp_path):
    (tmp_path / "abc.npz").write_bytes(b"garbage")
    assert cache.load(tmp_path, "abc") is None
    assert cache.load(tmp_path, "missing") is None
