"""The settings table: every name checked, misspellings refused with the closest names, and everything
that lists settings (optimize, Run, scene classes, the README) derived from the one table."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys

import numpy as np
import pytest
import torch
from conftest import ROOT

from optscenes import SETTINGS, Run, SettingError, optimize
from optscenes.core.settings import PER_RUN, RUN_SETTINGS, closest_names, run_settings, scene_settings, settings_of


class _Base:
    """Stands for a scene type: settings are read from the classes ``checked`` accepts."""


def settings_for(cls: type, kind: str = "single"):
    return scene_settings(cls, kind, checked=lambda c: issubclass(c, _Base) and c is not _Base)


def refusal(cls: type, kind: str = "single") -> str:
    with pytest.raises(SettingError) as caught:
        settings_for(cls, kind)
    return str(caught.value)


# --- no silent settings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "suggested"),
    [
        ("learning_rate", 0.5, "lr"),
        ("optimiser", "sgd", "optimizer"),
        ("x0", 1.0, "start"),
        ("iterations", 10, "steps"),
        ("momentum", 0.9, "optimizer_kwargs = {'momentum': ...}"),
        ("stpes", 10, "steps"),
        ("titel", "A", "title"),
        ("bg", "white", "theme"),
    ],
)
def test_a_misspelt_scene_attribute_is_refused_with_the_closest_name(name, value, suggested):
    scene = type("MyScene", (_Base,), {name: value})
    message = refusal(scene)
    assert message.startswith(f"MyScene has no setting {name!r}; did you mean {suggested}")


def test_a_name_nothing_resembles_says_how_to_keep_a_helper_attribute():
    message = refusal(type("MyScene", (_Base,), {"lecture_notes": "see slide 3"}))
    assert "'lecture_notes'" in message and "underscore" in message


def test_a_setting_of_another_scene_type_says_which_takes_it():
    message = refusal(type("MyScene", (_Base,), {"grid_size": 100}), "single")
    assert message == "MyScene has no setting 'grid_size': it belongs to ContourScene."


def test_methods_properties_nested_classes_and_underscored_helpers_are_free():
    class MyScene(_Base):
        lr = 0.5
        _my_helper = [1, 2, 3]

        def construct(self):  # a method of the user's own
            return None

        @property
        def extra(self):
            return 1

        @staticmethod
        def helper():
            return 2

        class Inner:
            pass

    assert settings_for(MyScene).lr == 0.5


def test_a_function_assigned_from_outside_the_class_is_not_taken_for_a_method():
    def outside():
        return None

    assert "'handler'" in refusal(type("MyScene", (_Base,), {"handler": outside}))


def test_the_nearest_class_wins_and_unset_settings_take_their_defaults():
    class Parent(_Base):
        lr = 0.5
        steps = 10

    class Child(Parent):
        lr = 0.1

    values = settings_for(Child)
    assert (values.lr, values.steps, values.optimizer) == (0.1, 10, SETTINGS["optimizer"].default)
    assert set(values) == set(settings_of("single"))


def test_scene_settings_are_read_only():
    values = settings_for(type("S", (_Base,), {}))
    with pytest.raises(AttributeError):
        values.lr = 1.0


def test_a_bound_method_as_scheduler_factory_is_a_value_not_a_stray_method():
    class Factories:
        def halve(self, optimizer):
            return torch.optim.lr_scheduler.StepLR(optimizer, 5, 0.5)

    factory = Factories().halve
    values = settings_for(type("S", (_Base,), {"scheduler": factory, "optimizer": "sgd", "lr": 0.1}))
    assert values.scheduler == factory
    run = optimize("x^2", "sgd", start=1.0, lr=0.1, steps=6, scheduler=values.scheduler)
    named = optimize("x^2", "sgd", start=1.0, lr=0.1, steps=6, scheduler="StepLR",
                     scheduler_kwargs={"step_size": 5, "gamma": 0.5})  # fmt: skip
    np.testing.assert_array_equal(run.lr, named.lr)
    assert 0.05 in run.lr


@pytest.mark.parametrize("kind", ["single", "race", "map", "surface"])
def test_every_scene_kind_takes_the_run_settings(kind):
    assert set(RUN_SETTINGS) <= set(settings_of(kind))


# --- values ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lr", [np.float32(0.1), np.float64(0.1), torch.tensor(0.1, dtype=torch.float64), np.array(0.1), 0.1]
)
def test_numbers_from_numpy_and_torch_are_numbers(lr):
    values = run_settings({"lr": lr, "steps": np.int64(3), "start": np.array([1.5])})
    assert type(values["lr"]) is float and values["lr"] == pytest.approx(0.1)
    assert type(values["steps"]) is int and values["steps"] == 3
    assert values["start"] == (1.5,)


@pytest.mark.parametrize(
    ("name", "value"),
    [("lr", True), ("lr", "0.1"), ("steps", np.bool_(True)), ("steps", 2.5), ("lr", torch.tensor([0.1, 0.2]))],
)
def test_bools_text_and_arrays_are_not_numbers(name, value):
    with pytest.raises(SettingError, match=f"^{name} must be"):
        run_settings({name: value})


def test_an_unknown_keyword_of_optimize_names_the_closest():
    with pytest.raises(SettingError, match=r"^optimize has no setting 'learning_rate'; did you mean lr\?$"):
        run_settings({"learning_rate": 0.1})


def test_optimize_takes_an_optimizer_keyword_loose_and_the_run_settings_by_name():
    loose = optimize("x^2", "sgd", start=1.0, lr=0.1, steps=3, momentum=0.9)
    nested = optimize("x^2", "sgd", start=1.0, lr=0.1, steps=3, optimizer_kwargs={"momentum": 0.9})
    np.testing.assert_array_equal(loose.params, nested.params)
    assert loose.settings["optimizer_kwargs"] == {"momentum": 0.9}


# --- runs of a comparison -----------------------------------------------------------------------------


def test_a_run_refuses_unknown_names_and_the_settings_the_runs_share():
    with pytest.raises(SettingError, match=r"^Run has no setting 'learning_rate'; did you mean lr\?$"):
        Run("sgd", learning_rate=0.1)
    with pytest.raises(SettingError, match="Run cannot set 'steps'"):
        Run("sgd", steps=10)


def test_a_runs_own_settings_beat_the_scenes():
    scene = run_settings({"optimizer": "adam", "lr": 0.5, "optimizer_kwargs": {"momentum": 0.9, "dampening": 0.1}})
    merged = Run("sgd", optimizer_kwargs={"momentum": 0.5}).settings(scene)
    assert merged["optimizer"] == "sgd"
    assert merged["lr"] == 0.5
    assert merged["optimizer_kwargs"] == {"momentum": 0.5, "dampening": 0.1}


def test_a_run_with_its_own_scheduler_takes_only_its_own_scheduler_settings():
    scene = run_settings({"scheduler": "StepLR", "scheduler_kwargs": {"step_size": 3}})
    assert Run(scheduler="ExponentialLR", scheduler_kwargs={"gamma": 0.5}).settings(scene)["scheduler_kwargs"] == {
        "gamma": 0.5
    }
    assert Run("sgd").settings(scene)["scheduler_kwargs"] == {"step_size": 3}


def test_a_run_is_read_only_and_equal_by_value():
    run = Run("sgd", lr=np.float64(0.1))
    with pytest.raises(AttributeError):
        run.lr = 1.0
    assert run == Run("sgd", lr=0.1) and hash(run) == hash(Run("sgd", lr=0.1))


# --- derived from the table -----------------------------------------------------------------------


def test_optimize_signature_and_run_fields_come_from_the_table():
    parameters = inspect.signature(optimize).parameters
    assert [p for p in parameters if p in SETTINGS] == list(RUN_SETTINGS)
    assert all(parameters[name].default == SETTINGS[name].default for name in RUN_SETTINGS)
    assert [p for p in inspect.signature(Run).parameters if p != "label"] == list(PER_RUN)


def test_closest_names_prefers_the_known_alias_over_spelling():
    assert closest_names("eta", SETTINGS) == ["lr"]
    assert closest_names("optimzer", SETTINGS)[0] == "optimizer"


def test_the_readme_table_is_the_generated_one():
    """scripts/settings_table.py writes the README's table from the table; the two must agree."""
    readme = (ROOT / "README.md").read_text()
    generated = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "settings_table.py"), "--print"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    found = re.search(r"<!-- settings table -->\n(.*?)<!-- end of settings table -->", readme, re.DOTALL)
    assert found is not None, "the README has no generated settings table"
    assert found.group(1) == generated
    for name in SETTINGS:
        assert f"`{name}`" in generated
