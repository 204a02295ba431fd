"""Shared by every test: the layers' markers, and for the rendering tests: load scene files, render in-process,
decode, find the dot.

The tests mirror the package's layers: ``core/`` (the math, against independent references; seconds),
``render/`` (scenes rendered in-process, checked on pixels) and ``commands/`` (what users type, as
subprocesses). The last two are marked ``slow``: ``pytest -m "not slow"`` runs the core alone.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import av
import numpy as np
import pytest
from PIL import Image, ImageSequence

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
SCENES = ROOT / "scenes"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(TESTS) and item.path.relative_to(TESTS).parts[0] in ("render", "commands"):
            item.add_marker(pytest.mark.slow)


def load_scene_module(path: Path) -> ModuleType:
    """Import a scene file the way manim does: by path, not as a package."""
    name = f"_scene_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def read_frames(path: Path) -> list[np.ndarray]:
    """Every frame of a GIF or video as an RGB array (height, width, 3)."""
    if path.suffix == ".gif":
        with Image.open(path) as image:
            return [np.asarray(frame.convert("RGB")) for frame in ImageSequence.Iterator(image)]
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


def find_colour(frame: np.ndarray, colour: str, tolerance: float = 40, solid: int = 0) -> tuple[float, float] | None:
    """Centre (column, row) of the pixels within ``tolerance`` of ``colour`` (``#RRGGBB``), if any.

    The median, not the mean: GIF dithering scatters a few look-alike pixels far from the dot. With
    ``solid = r``, only pixels whose whole (2r+1)-pixel square has the colour count: a dot's disc stays,
    a path thinner than the square (in the same colour) does not.
    """
    target = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)
    mask = np.abs(frame.astype(float) - target).max(axis=2) < tolerance
    if solid:
        windows = np.lib.stride_tricks.sliding_window_view(np.pad(mask, solid), (2 * solid + 1,) * 2)
        mask = windows.all(axis=(-2, -1))
    rows, cols = np.nonzero(mask)
    if len(rows) == 0:
        return None
    return float(np.median(cols)), float(np.median(rows))


def scene_to_pixel(scene, point: np.ndarray, shape: tuple[int, ...]) -> tuple[float, float]:
    """Pixel (column, row) of a scene point in a frame of ``shape``, from the camera's frame in scene units."""
    width, height = scene.camera.frame_width, scene.camera.frame_height
    column = (point[0] + width / 2) / width * shape[1] - 0.5
    row = (height / 2 - point[1]) / height * shape[0] - 0.5
    return column, row


def render_in_process(
    scene_class, media_dir: Path, fmt: str = "gif", width: int = 400, height: int = 300, fps: float = 15, **extra
):
    """Render a scene class in this process into ``media_dir``; returns (scene, output path)."""
    from manim import tempconfig

    settings = {
        "pixel_width": width,
        "pixel_height": height,
        "frame_rate": fps,
        "format": fmt,
        "media_dir": str(media_dir),
        "disable_caching": True,
        "progress_bar": "none",
        "verbosity": "WARNING",
        **extra,
    }
    with tempconfig(settings):
        scene = scene_class()
        scene.render()
        path = Path(scene.renderer.file_writer.final_file_path)
    return scene, path


@pytest.fixture
def render_scene(tmp_path):
    """Render a scene class in-process at a small size; returns (scene, output path)."""

    def render(scene_class, fmt: str = "gif", width: int = 400, height: int = 300, fps: float = 15, **extra):
        return render_in_process(scene_class, tmp_path / "media", fmt, width, height, fps, **extra)

    return render
