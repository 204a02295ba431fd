"""Render the README's gallery: the last step of every ready scene in scenes/*.py, in each theme, at 640x360,
into docs/images/<Scene>-<theme>.png (palette PNGs, a few tens of kB each), and rewrite the gallery table
between the README's gallery markers.

python scripts/docs_images.py                         render every scene, rewrite the gallery
python scripts/docs_images.py AdamDescent FourMinima  render only these again, rewrite the gallery

A ready scene is every manim Scene class a file in scenes/ defines (the ones the tests render).
Renders run in this process, one after another, in a temporary media folder; a scene that fails to render
is named at the end (exit status 1) and keeps its previous image.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path

import manim as mn
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
SCENES = ROOT / "scenes"
IMAGES = ROOT / "docs" / "images"
README = ROOT / "README.md"
START, END = "<!-- gallery:start -->\n", "<!-- gallery:end -->"
THEMES = ("dark", "light")
SIZE = (640, 360)
#: Colours kept in each PNG: enough for the heatmaps' ramps, few enough for small files.
COLOURS = 128


def ready_scenes() -> list[tuple[Path, type[mn.Scene]]]:
    """Every Scene class defined in scenes/*.py, by file, in the order each file defines them."""
    found = []
    for path in sorted(SCENES.glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"_gallery_{path.stem}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        found += [
            (path, obj)
            for obj in vars(module).values()
            if isinstance(obj, type) and issubclass(obj, mn.Scene) and obj.__module__ == module.__name__
        ]
    return found


def image_path(scene: type[mn.Scene], theme: str) -> Path:
    return IMAGES / f"{scene.__name__}-{theme}.png"


def render(scene: type[mn.Scene], theme: str, media: Path) -> None:
    """The scene's last step in ``theme`` as a small palette PNG in docs/images."""
    still = type(scene.__name__, (scene,), {"theme": theme, "still_step": scene.steps})
    settings = {
        "pixel_width": SIZE[0], "pixel_height": SIZE[1], "format": "png", "media_dir": str(media),
        "disable_caching": True, "progress_bar": "none", "verbosity": "WARNING",
    }  # fmt: skip
    with mn.tempconfig(settings):
        rendered = still()
        rendered.render()
        frame = Path(rendered.renderer.file_writer.final_file_path)
    with Image.open(frame) as image:
        small = image.convert("RGB").quantize(COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    IMAGES.mkdir(parents=True, exist_ok=True)
    small.save(image_path(scene, theme), optimize=True)


def gallery(scenes: list[tuple[Path, type[mn.Scene]]]) -> str:
    """The README's table: one row per scene, its dark and light image."""
    rows = ["| scene | dark | light |", "|---|---|---|"]
    for path, scene in scenes:
        name = scene.__name__
        images = [
            f"![{name}, {theme} theme]({image_path(scene, theme).relative_to(ROOT).as_posix()})" for theme in THEMES
        ]
        rows.append(f"| `{name}`<br>`scenes/{path.name}` | " + " | ".join(images) + " |")
    return "\n".join(rows) + "\n"


def write_gallery(scenes: list[tuple[Path, type[mn.Scene]]]) -> bool:
    """Put the gallery table between the README's markers (read afresh: others edit it while we render);
    ``False`` when the markers are missing."""
    head, found, rest = README.read_text().partition(START)
    if not found or END not in rest:
        return False
    README.write_text(head + START + gallery(scenes) + END + rest.split(END, 1)[1])
    return True


def main(names: list[str]) -> int:
    scenes = ready_scenes()
    unknown = set(names) - {scene.__name__ for _, scene in scenes}
    if unknown:
        print(f"No ready scene is called {', '.join(sorted(unknown))}.", file=sys.stderr)
        return 1
    if not write_gallery(scenes):
        print(f"{README} has no '{START.strip()}' ... '{END}' block to fill.", file=sys.stderr)
        return 1
    failed = []
    with tempfile.TemporaryDirectory(prefix="docs-images-") as media:
        for _, scene in scenes:
            for theme in THEMES if not names or scene.__name__ in names else ():
                try:
                    render(scene, theme, Path(media))
                except Exception as error:  # noqa: BLE001 - one broken scene should not keep the others out
                    failed.append(f"{scene.__name__} ({theme}): {type(error).__name__}: {error}")
    write_gallery(scenes)
    files = [image_path(scene, theme) for _, scene in scenes for theme in THEMES]
    total = sum(f.stat().st_size for f in files if f.exists())
    print(f"{len(files)} images in {IMAGES.relative_to(ROOT)}, {total / 1e6:.2f} MB in all.")
    for line in failed:
        print(f"Not rendered: {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
