"""The three layers hold: core modules load alone without manim (and without torch until a run starts),
imports go one way (core <- visuals <- scenes) without cycles or private names, and ``import optscenes``
is cheap."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "optscenes"
LAYERS = ("core", "visuals", "scenes")
CORE_MODULES = sorted(p.stem for p in (PACKAGE / "core").glob("*.py") if p.stem != "__init__")


def fresh_interpreter(code: str) -> dict:
    """Run ``code`` in a new Python that prints a JSON value last; returns it."""
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def loaded_after(statement: str) -> set[str]:
    """The top-level packages among manim, torch, matplotlib that ``statement`` loads."""
    code = f"import sys, json\n{statement}\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & {{'manim', 'torch', 'matplotlib'}})))"
    return set(fresh_interpreter(code))


def test_each_core_module_loads_alone_without_manim_or_torch():
    # One fresh interpreter per module, two at a time (each pays for sympy and numpy).
    with ThreadPoolExecutor(2) as pool:
        loaded = dict(zip(CORE_MODULES, pool.map(lambda m: loaded_after(f"import optscenes.core.{m}"), CORE_MODULES)))
    assert {module: packages for module, packages in loaded.items() if packages} == {}


def test_import_optscenes_loads_neither_and_names_its_layers():
    assert loaded_after("import optscenes; dir(optscenes); optscenes.Run; optscenes.SETTINGS") == set()
    assert loaded_after("import optscenes; optscenes.optimize('x^2', steps=1)") == {"torch"}
    assert "manim" in loaded_after("import optscenes; optscenes.OptimizerScene")


def test_a_manim_import_in_a_core_module_would_be_caught(tmp_path):
    """The check above is not blind: a core module that imports manim is seen to load it."""
    probe = tmp_path / "probe.py"
    probe.write_text("import optscenes.core.views\nimport manim\n")
    assert "manim" in loaded_after(f"import runpy; runpy.run_path({str(probe)!r})")


def module_imports(path: Path) -> list[tuple[str, list[str]]]:
    """Each import in ``path`` as (absolute module, imported names), relative imports resolved."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((module, [alias.name for alias in node.names]))
    return found


def own_modules() -> dict[str, Path]:
    return {".".join(p.relative_to(ROOT).with_suffix("").parts): p for p in PACKAGE.rglob("*.py")}


def test_layers_import_one_way():
    order = {layer: rank for rank, layer in enumerate(LAYERS)}
    wrong = []
    for name, path in own_modules().items():
        parts = name.split(".")
        if len(parts) < 3:
            continue
        for module, _ in module_imports(path):
            target = module.split(".")
            if target[0] == "manim" and parts[1] == "core":
                wrong.append(f"{name} imports manim")
            if (
                target[0] == "optscenes"
                and len(target) > 1
                and target[1] in order
                and order[target[1]] > order[parts[1]]
            ):
                wrong.append(f"{name} imports {module}")
    assert wrong == []


def test_no_import_cycles_and_no_private_names_across_modules():
    modules = own_modules()
    graph: dict[str, set[str]] = {}
    private = []
    for name, path in modules.items():
        graph[name] = set()
        for module, names in module_imports(path):
            if module in modules:
                graph[name].add(module)
                private += [f"{name} imports {module}.{n}" for n in names if n.startswith("_") and n != "__version__"]
            for n in names:
                if f"{module}.{n}" in modules:
                    graph[name].add(f"{module}.{n}")
    assert private == []

    done: set[str] = set()

    def visit(node: str, trail: list[str]) -> None:
        if node in trail:
            raise AssertionError("import cycle: " + " -> ".join([*trail[trail.index(node) :], node]))
        if node in done:
            return
        for target in sorted(graph[node]):
            if not target.endswith("__init__") and target != "optscenes":
                visit(target, [*trail, node])
        done.add(node)

    for node in sorted(graph):
        visit(node, [])


def test_every_public_name_loads_and_is_listed():
    import optscenes

    for name in optscenes.__all__:
        assert getattr(optscenes, name) is not None
    assert {"core", "visuals", "scenes"} <= set(dir(optscenes))
    with pytest.raises(AttributeError, match="no attribute 'Scene'"):
        optscenes.Scene  # noqa: B018


def test_import_optscenes_costs_little_beside_the_interpreter():
    """Cheap against a baseline in the same run (a noisy machine): at most 0.5 s more than `import json`."""

    def seconds(statement: str) -> float:
        code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
        return min(float(fresh_interpreter(code)) for _ in range(3))

    assert seconds("import optscenes, optscenes.core.settings") - seconds("import json, numpy") < 0.5
