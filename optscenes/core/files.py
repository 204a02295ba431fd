"""Writing files all or nothing, and the versions a record or cache key names."""

from __future__ import annotations

import functools
import os
import platform
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import IO, Any

__all__ = ["atomic_write", "versions"]

#: Packages whose versions are recorded beside a render; the run cache is keyed by all but manim.
PACKAGES = ("optscenes", "torch", "manim", "sympy", "numpy")


@contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "w", **options: Any) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path`` for writing; when the block ends normally it replaces ``path``,
    otherwise (an error, Ctrl-C) it is removed: ``path`` is never left half-written.

    The file gets the permissions a plain ``open`` would give it (``mkstemp``'s are 0600).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(tmp, 0o666 & ~_umask())
        with os.fdopen(fd, mode, **options) as handle:
            yield handle
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


@functools.cache
def _umask() -> int:
    # Reading the umask means setting it: done once, not on every write from several threads.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def versions() -> dict[str, str | None]:
    """The installed versions of :data:`PACKAGES` (``None`` where one is missing) and of Python."""
    found: dict[str, str | None] = {}
    for package in PACKAGES:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = None
    found["python"] = platform.python_version()
    return found
