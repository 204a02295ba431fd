"""Faults a lecturer meets, each one sentence of optscenes' own (so a scene prints ``optscenes: ...`` and
exits 1): what torch raises, a user's optimizer that fails, an empty race, a start that overflows, numbers
given as text; and the earlier faults that must heal (a damaged run-cache entry, a half-written file)."""

from __future__ import annotations

import logging
import math
import os

import numpy as np
import pytest
import torch

import optscenes
from optscenes.core import cache
from optscenes.core.errors import OptimizerError, OptscenesError, SettingError
from optscenes.core.files import atomic_write
from optscenes.core.settings import SETTINGS, check_setting


def torch_says(build):
    """What torch itself raises for ``build()``, in the words optscenes passes on."""
    with pytest.raises(Exception) as raised:
        build()
    return " ".join(str(raised.value).split()).rstrip(".")


# --- whatever torch raises becomes a sentence --------------------------------------------------------


def test_betas_of_one_number_name_the_setting_and_its_default():
    said = torch_says(lambda: torch.optim.Adam([torch.zeros(1, requires_grad=True)], betas=(0.9,)))
    with pytest.raises(OptimizerError) as raised:
        optscenes.optimize("x^2", "adam", betas=(0.9,), steps=3)
    assert str(raised.value) == f"Adam refused its settings (betas=(0.9,), default (0.9, 0.999)): {said}."


@pytest.mark.parametrize("flag", ["capturable", "differentiable"])
def test_a_flag_torch_rejects_while_stepping_is_named_with_the_step(flag):
    def one_step():
        param = torch.ones(1, requires_grad=True)
        opt = torch.optim.Adam([param], **{flag: True})
        (param**2).sum().backward()
        opt.step()

    said = torch_says(one_step)
    with pytest.raises(OptimizerError) as raised:
        # Other settings that are fine are not blamed.
        optscenes.optimize("x^2", "adam", lr=0.1, weight_decay=0.01, betas=(0.8, 0.9), steps=3, **{flag: True})
    assert str(raised.value) == f"Adam failed at step 1 ({flag}=True, default False): {said}."


def test_a_complex_dtype_is_refused_by_name():
    with pytest.raises(SettingError, match=r"^dtype must be 'float32' or 'float64', not torch\.complex64\.$"):
        optscenes.optimize("x^2", "adam", dtype=torch.complex64, steps=3)


class Brittle(torch.optim.SGD):
    """A user's own optimizer whose third step fails."""

    def step(self, closure=None):
        self.calls = getattr(self, "calls", 0) + 1
        if self.calls == 3:
            raise KeyError("momentum_buffer")
        return super().step(closure)


def test_a_users_optimizer_that_raises_names_itself_the_step_and_the_error():
    with pytest.raises(OptimizerError) as raised:
        optscenes.optimize("x^2", Brittle, lr=0.1, momentum=0.9, start=1.0, steps=10)
    # Its settings step fine on their own, so none of them is blamed.
    assert str(raised.value) == "Brittle failed at step 3: 'momentum_buffer'."
    assert isinstance(raised.value, OptscenesError)


def test_a_schedule_whose_step_raises_is_one_sentence():
    class Stubborn:
        def __init__(self, optimizer):
            self.optimizer = optimizer

        def step(self):
            raise IndexError("list index out of range")

    with pytest.raises(OptimizerError, match=r"^The Stubborn schedule failed: list index out of range\.$"):
        optscenes.optimize("x^2", "sgd", lr=0.1, scheduler=lambda opt: Stubborn(opt), steps=3)


@pytest.mark.parametrize(
    ("optimizer", "settings", "sentence"),
    [
        ("sgd", {"momentum": "0.9"}, "SGD's momentum must be a number, not the text '0.9'."),
        ("adam", {"betas": ("0.9", 0.99)}, "Adam's betas must be a number, not the text '0.9'."),
        ("adam", {"amsgrad": "False"}, "Adam's amsgrad must be True or False, not the text 'False'."),
    ],
)
def test_text_is_no_number_in_the_optimizers_settings_either(optimizer, settings, sentence):
    with pytest.raises(OptimizerError) as raised:
        optscenes.optimize("x^2", optimizer, steps=3, **settings)
    assert str(raised.value) == sentence


# --- a race with no runs ------------------------------------------------------------------------------


def test_an_empty_list_of_runs_is_refused_and_the_default_is_not():
    with pytest.raises(SettingError) as raised:
        check_setting("runs", [])
    assert str(raised.value) == (
        "runs is an empty list: give at least one Run(...), or leave runs out to race the scene's settings."
    )
    assert check_setting("runs", SETTINGS["runs"].default) == ()
    assert check_setting("runs", [optscenes.Run("sgd")]) == (optscenes.Run("sgd"),)


# --- a start that overflows is not "undefined" --------------------------------------------------------


def test_a_tower_of_powers_from_three_overflows():
    # 3^(3^(3^27)): its decimal exponent alone, 3^(3^27) * log10(3), is far past float64's 308.
    assert 3**27 * math.log10(3) > 308
    with pytest.raises(OptimizerError) as raised:
        optscenes.optimize("x^x^x^x^x", "sgd", start=3.0, steps=3)
    assert str(raised.value) == "'x^x^x^x^x' overflows at the start x=3: its value is beyond 1.8e308."


def test_a_value_beyond_float32_asks_for_float64():
    value = math.exp(100)
    assert float(np.finfo(np.float32).max) < value < float(np.finfo(np.float64).max)
    with pytest.raises(OptimizerError) as raised:
        optscenes.optimize("exp(x)", "sgd", start=100.0, lr=1e-50, steps=2)
    assert (
        str(raised.value)
        == f"'exp(x)' overflows float32 at the start x=100 (its value is {value:.3g}); use dtype='float64'."
    )
    run = optscenes.optimize("exp(x)", "sgd", start=100.0, lr=1e-50, steps=2, dtype="float64")
    assert run.losses[0] == pytest.approx(value)


@pytest.mark.parametrize(("formula", "start"), [("log(x)", -1.0), ("1/x", 0.0), ("sqrt(x)", -4.0)])
def test_undefined_stays_undefined(formula, start):
    with pytest.raises(OptimizerError, match=r"or its gradient is undefined at the start x="):
        optscenes.optimize(formula, "sgd", start=start, steps=2)


# --- numbers given as text: one rule for every numeric setting -------------------------------------------


NUMERIC = [
    name
    for name, s in SETTINGS.items()
    if "number" in s.takes or (isinstance(s.default, int | float) and not isinstance(s.default, bool))
]


def test_the_numeric_settings_are_the_expected_ones():
    assert {"lr", "start", "steps", "tol", "escape", "seconds_per_step", "font_size", "grid_size"} <= set(NUMERIC)


@pytest.mark.parametrize("name", NUMERIC)
def test_text_is_never_a_number(name):
    with pytest.raises(SettingError) as raised:
        check_setting(name, "1")
    assert str(raised.value) == f"{name} must be a number, not the text '1'."


def test_text_inside_a_start_point_is_named():
    with pytest.raises(SettingError, match=r"^start must be a number, not the text '0'\.$"):
        check_setting("start", ("0", 1.0))


# --- done by an earlier session, checked here ---------------------------------------------------------


def test_numpy_and_torch_numbers_run_as_python_numbers():
    plain = optscenes.optimize("x^2", "sgd", lr=0.25, start=1.5, steps=4, momentum=0.5)
    mixed = optscenes.optimize(
        "x^2", "sgd", lr=np.float32(0.25), start=torch.tensor(1.5), steps=np.int64(4), momentum=np.float64(0.5)
    )
    np.testing.assert_array_equal(mixed.params, plain.params)


@pytest.mark.parametrize("damage", ["truncated", "empty", "foreign"])
def test_a_damaged_cache_entry_is_removed_with_one_warning(tmp_path, caplog, damage):
    run = optscenes.optimize("x^2", "sgd", lr=0.1, steps=3)
    cache.store(tmp_path, "k", run)
    path = tmp_path / "k.npz"
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        np.savez(path, meta=np.array('{"format": "someone else"}'))
    with caplog.at_level(logging.WARNING):
        assert cache.load(tmp_path, "k") is None
    assert not path.exists()
    assert len([r for r in caplog.records if "damaged run-cache entry" in r.getMessage()]) == 1


def test_an_interrupted_write_leaves_nothing_and_a_finished_one_normal_permissions(tmp_path):
    target = tmp_path / "record.json"
    with pytest.raises(KeyboardInterrupt), atomic_write(target) as handle:
        handle.write("{half")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []
    with atomic_write(target) as handle:
        handle.write("{}")
    mask = os.umask(0o022)
    os.umask(mask)
    assert target.read_text() == "{}" and (target.stat().st_mode & 0o777) == 0o666 & ~mask
