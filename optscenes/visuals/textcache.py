"""manim's text cache, safe for several renders at once into one media folder.

manim 0.22 typesets each ``Text`` with Pango straight into ``<media_dir>/texts/<hash>.svg`` and reuses any
file of that name it finds; to parse one it writes ``<hash>_.svg`` beside it and deletes it after. Two
renders into one media folder therefore read each other's half-written files (``ParseError: no element
found``), delete each other's ``_`` files (``FileNotFoundError``), and a render killed while Pango writes
leaves a truncated file that breaks every later render there.

Here a render gets a private text folder inside the shared one, holding links to the shared folder's
complete files; Pango writes only there. When the render ends, the files it added are moved into the
shared folder with one atomic rename each: the shared folder only ever holds complete files, and a
damaged one left by an older crash is removed (and typeset again when a render needs it).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import manim as mn

__all__ = ["is_complete", "private_text_dir"]

# Every SVG that cairo finishes ends with its closing tag; a truncated one (or an empty one) does not.
_END = b"</svg>"


@contextmanager
def private_text_dir() -> Iterator[Path]:
    """Point manim's ``text_dir`` at a private folder for the block; publish what it typeset when the block
    ends normally, and remove the folder in any case."""
    shared = mn.config.get_dir("text_dir")
    shared.mkdir(parents=True, exist_ok=True)
    private = Path(tempfile.mkdtemp(dir=shared, prefix=".render-"))
    template = mn.config.text_dir
    try:
        seeded = _seed(shared, private)
        mn.config.text_dir = str(private)
        yield private
        _publish(private, shared, seeded)
    finally:
        mn.config.text_dir = template
        shutil.rmtree(private, ignore_errors=True)


def is_complete(svg: Path) -> bool:
    """Whether a cached SVG was written to its end (a cheap test: its last bytes, not a full parse)."""
    try:
        with open(svg, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(size - 64, 0))
            return handle.read().rstrip().endswith(_END)
    except OSError:
        return False


def _seed(shared: Path, private: Path) -> set[str]:
    """Link the shared folder's complete SVGs into ``private``; their names. A damaged one is removed: the
    shared folder only receives whole files by rename, so it was left by a crash, not being written."""
    seeded = set()
    for svg in shared.glob("*.svg"):
        if not is_complete(svg):
            svg.unlink(missing_ok=True)
        else:
            try:
                _link_or_copy(svg, private / svg.name)
            except FileNotFoundError:
                continue  # replaced or removed meanwhile: this render typesets it again
            seeded.add(svg.name)
    return seeded


def _publish(private: Path, shared: Path, seeded: set[str]) -> None:
    """Move the SVGs this render typeset into the shared folder, each with one atomic rename."""
    for svg in private.glob("*.svg"):
        if svg.name not in seeded and is_complete(svg):
            os.replace(svg, shared / svg.name)


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except FileNotFoundError:
        raise  # the source is gone: nothing to copy either
    except OSError:  # a file system without hard links
        shutil.copyfile(source, target)
