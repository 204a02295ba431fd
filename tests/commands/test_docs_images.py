"""The README's gallery (written by scripts/docs_images.py) shows exactly the ready scenes, each in both
themes, from image files that exist. Reads the README and the image headers; renders nothing."""

from __future__ import annotations

import re

import manim as mn
from conftest import ROOT, SCENES, load_scene_module
from PIL import Image

START, END = "<!-- gallery:start -->", "<!-- gallery:end -->"


def ready_scenes() -> list[str]:
    """The Scene classes the files in scenes/ define, as tests/render/test_scenes.py renders them."""
    names = []
    for path in sorted(SCENES.glob("*.py")):
        module = load_scene_module(path)
        names += [
            name
            for name, obj in vars(module).items()
            if isinstance(obj, type) and issubclass(obj, mn.Scene) and obj.__module__ == module.__name__
        ]
    return names


def gallery_rows() -> list[str]:
    text = (ROOT / "README.md").read_text()
    assert text.count(START) == 1 and text.count(END) == 1, "the README has one gallery block"
    block = text.split(START, 1)[1].split(END, 1)[0]
    return [line for line in block.splitlines() if line.startswith("| `")]


def test_the_gallery_lists_exactly_the_ready_scenes_in_both_themes():
    rows = gallery_rows()
    listed = [re.match(r"\| `(\w+)`", row).group(1) for row in rows]
    assert sorted(listed) == sorted(ready_scenes())
    assert len(set(listed)) == len(listed)
    for name, row in zip(listed, rows, strict=True):
        assert re.findall(r"\]\(([^)]+)\)", row) == [f"docs/images/{name}-dark.png", f"docs/images/{name}-light.png"]


def test_every_image_the_gallery_names_exists_and_is_small():
    images = [ROOT / link for row in gallery_rows() for link in re.findall(r"\]\(([^)]+)\)", row)]
    assert images
    missing = [str(path.relative_to(ROOT)) for path in images if not path.is_file()]
    assert not missing, f"the gallery names images that do not exist: {missing}"
    for path in images:
        with Image.open(path) as image:
            assert image.format == "PNG" and image.size == (640, 360), path.name
    assert sum(path.stat().st_size for path in images) < 2.5e6
