"""The ``optscenes`` command: check, render and start lecture files.

::

    optscenes check lecture.toml
    optscenes render lecture.toml [--only NAME ...] [--quality l] [--format gif] [--jobs 2]
                                  [--shard 1/4] [--cluster tcp://host:8786] [--media_dir DIR]
    optscenes new [lecture.toml]

A scene renders in a process of its own (``--jobs N`` runs N at once, ``--cluster`` hands them to Dask
workers), in a private media folder: manim's text cache is not shared between renders at once. The
finished file and its record are then moved into the media folder with one atomic rename each. The lecture
is parsed by the core (no manim, no torch at import): ``check`` and the first error of ``render`` answer
before anything renders.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import multiprocessing
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .core.errors import OptscenesError
from .core.files import atomic_write
from .core.lecture import FORMATS, QUALITIES, STARTER, Lecture, SceneSpec, load_lecture, parse_shard, shard

__all__ = ["Job", "Outcome", "main", "render_bytes", "render_into"]

# One render at a time in a process: manim's config is global (a Dask worker may run tasks in threads).
_RENDER_LOCK = threading.Lock()


@dataclass(frozen=True)
class Job:
    """One scene to render, as plain data another process or machine can take: the checked scene, and the
    text of its Python file when it has one (a cluster worker need not see the caller's files)."""

    spec: SceneSpec
    source_text: str | None = None


@dataclass(frozen=True)
class Outcome:
    """How a scene's render went: its files (the video first), seconds taken, or the one sentence why not."""

    name: str
    seconds: float
    files: tuple[str, ...] = ()
    error: str | None = None
    payload: tuple[tuple[str, bytes], ...] = ()


# --- one scene, in the process that renders it ----------------------------------------------------------------


def render_into(job: Job, media_dir: str) -> Outcome:
    """Render ``job`` in a private folder inside ``media_dir``, then move its files into ``media_dir``
    (``<name>.<format>``, ``<name>.json``, ``<name>.csv``), each with one atomic rename."""
    work = tempfile.mkdtemp(dir=media_dir, prefix=f".render-{job.spec.name}-")
    try:
        outcome = _render_timed(job, Path(work))
        moved = []
        for file in outcome.files:
            target = Path(media_dir) / Path(file).name
            os.replace(file, target)
            moved.append(str(target))
        return Outcome(outcome.name, outcome.seconds, tuple(moved), outcome.error)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def render_bytes(job: Job) -> Outcome:
    """Render ``job`` in a private temporary folder and return its files' bytes: what a cluster worker
    sends back to a caller that may share no file system with it."""
    work = tempfile.mkdtemp(prefix=f"optscenes-{job.spec.name}-")
    try:
        outcome = _render_timed(job, Path(work))
        payload = tuple((Path(file).name, Path(file).read_bytes()) for file in outcome.files)
        return Outcome(outcome.name, outcome.seconds, (), outcome.error, payload)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _render_timed(job: Job, work: Path) -> Outcome:
    with _RENDER_LOCK:
        start = time.perf_counter()
        try:
            files = _render(job, work)
        except Exception as error:  # noqa: BLE001 - one scene's failure is reported, the others go on
            return Outcome(job.spec.name, time.perf_counter() - start, error=_sentence(error))
        return Outcome(job.spec.name, time.perf_counter() - start, files)


def _sentence(error: BaseException) -> str:
    """Our own errors are one sentence already; anything else is named by its type and first line."""
    if isinstance(error, OptscenesError):
        return str(error)
    first = (str(error).strip().splitlines() or [""])[0]
    return f"{type(error).__name__}: {first}" if first else type(error).__name__


def _render(job: Job, work: Path) -> tuple[str, ...]:
    """Render the scene with manim's config set for it; its file first, then the record beside it."""
    import manim as mn

    spec, output = job.spec, job.spec.output
    size = mn.constants.QUALITIES[QUALITIES[output.quality]]
    width, height = output.resolution or (size["pixel_width"], size["pixel_height"])
    options = {
        "media_dir": str(work),
        "pixel_width": width,
        "pixel_height": height,
        "frame_rate": output.fps or size["frame_rate"],
        "format": output.format,
        "output_file": spec.name,
        # A private folder is empty: manim's partial-movie cache could only cost hashing time.
        "disable_caching": True,
        "progress_bar": "none",
        "verbosity": "WARNING",
    }
    if output.format == "png":
        options.update(write_to_movie=False, save_last_frame=True)
    with mn.tempconfig(options):
        scene = _scene_class(job, work)()
        scene.render()
        writer = scene.renderer.file_writer
        final = writer.image_file_path if output.format == "png" else writer.final_file_path
    final = Path(final)
    return tuple(str(p) for p in (final, final.with_suffix(".json"), final.with_suffix(".csv")) if p.is_file())


def _scene_class(job: Job, work: Path) -> type:
    """The scene class: its scene type (or its Python class) with the lecture's settings as attributes."""
    spec = job.spec
    if spec.source is None:
        import optscenes

        base = getattr(optscenes, spec.base_class)
    else:
        base = _python_class(spec.source, job.source_text, work)
    return type(spec.name, (base,), {"__module__": base.__module__, **spec.class_attributes()})



def _python_class(source: tuple[str, str], text: str | None, work: Path) -> type:
    """Class ``source[1]`` of the scene file ``source[0]``, imported from ``text`` (its contents as the
    caller read them) written into ``work``; its own folder is on the path for its imports, if it exists here."""
    path, name = source
    copy = work / Path(path).name
    copy.write_text(text if text is not None else Path(path).read_text(encoding="utf-8"), encoding="utf-8")
    if Path(path).parent.is_dir() and str(Path(path).parent) not in sys.path:
        sys.path.insert(0, str(Path(path).parent))
    module_name = f"optscenes_lecture_{Path(path).stem}_{hashlib.sha1(str(copy).encode()).hexdigest()[:8]}"
    module_spec = importlib.util.spec_from_file_location(module_name, copy)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[module_name] = module
    module_spec.loader.exec_module(module)
    found: type = getattr(module, name)
    return found


# --- many scenes ------------------------------------------------------------------------------------------


def _import_renderer() -> None:
    """Load manim and torch when a render process starts, so a scene's seconds are its render's alone."""
    import torch  # noqa: F401

    from optscenes import ContourScene, OptimizerScene, RaceScene, SurfaceScene  # noqa: F401


def _jobs(scenes: Iterable[SceneSpec]) -> list[Job]:
    """The scenes to render, the costliest first (see :meth:`SceneSpec.cost`)."""
    ordered = sorted(scenes, key=lambda s: s.cost(), reverse=True)
    return [Job(s, Path(s.source[0]).read_text(encoding="utf-8") if s.source else None) for s in ordered]


def _local(jobs: list[Job], workers: int, media: Path) -> Iterator[Outcome]:
    """Each job in one of ``workers`` fresh processes (spawned: no state forked from the caller)."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_import_renderer) as pool:
        futures = {pool.submit(render_into, job, str(media)): job for job in jobs}
        for future in as_completed(futures):
            yield _result(future, futures[future], "the render process stopped unexpectedly")


def _cluster(jobs: list[Job], address: str, media: Path) -> Iterator[Outcome]:
    """Each job on a Dask worker of the scheduler at ``address``; the files come back as bytes and are
    written into ``media`` atomically."""
    try:
        from distributed import Client
        from distributed import as_completed as finished
    except ImportError:
        raise OptscenesError("--cluster needs the distributed package: pip install 'optscenes[cluster]'.") from None
    try:
        client = Client(address, timeout="20s")
    except OSError as error:
        raise OptscenesError(f"Cannot reach the Dask scheduler at {address} ({error}).") from None
    with client:
        futures = {client.submit(render_bytes, job, pure=False): job for job in jobs}
        for future in finished(futures):
            outcome = _result(future, futures[future], "the Dask worker failed")
            written = []
            for name, data in outcome.payload:
                with atomic_write(media / name, "wb") as handle:
                    handle.write(data)
                written.append(str(media / name))
            yield Outcome(outcome.name, outcome.seconds, tuple(written), outcome.error)


def _result(future: Future[Outcome] | Any, job: Job, what: str) -> Outcome:
    try:
        outcome: Outcome = future.result()
        return outcome
    except (BrokenProcessPool, Exception) as error:  # noqa: BLE001 - a dead process fails its scene only
        return Outcome(job.spec.name, 0.0, error=f"{what} ({_sentence(error)}).")


# --- the commands -------------------------------------------------------------------------------------------


def _console() -> Any:
    from rich.console import Console

    return Console(highlight=False)


def _check(args: argparse.Namespace) -> int:
    lecture = load_lecture(args.file)
    from rich.table import Table

    table = Table(title=f"{lecture.path.name}: {lecture.title or 'lecture'}")
    for column in ("#", "scene", "type", "settings", "output"):
        table.add_column(column)
    for number, spec in enumerate(lecture.scenes, start=1):
        settings = ", ".join(f"{len(v)} runs" if k == "runs" else f"{k}={v!r}" for k, v in spec.settings.items())
        kind = spec.type + (f" ({Path(spec.source[0]).name}:{spec.source[1]})" if spec.source else "")
        table.add_row(str(number), spec.name, kind, settings, spec.output.describe())
    console = _console()
    console.print(table)
    console.print(f"{lecture.path.name}: {len(lecture.scenes)} scenes, all valid.")
    return 0


def _render_command(args: argparse.Namespace) -> int:
    lecture = load_lecture(args.file)
    if args.only:
        lecture = lecture.select(args.only)
    lecture = lecture.with_output(quality=args.quality, format=args.format)
    scenes = lecture.scenes
    if args.shard:
        scenes = shard(scenes, *parse_shard(args.shard))
    if args.jobs < 1:
        raise OptscenesError(f"--jobs must be 1 or more, not {args.jobs}.")
    media = _media_dir(args, lecture)
    console = _console()
    if not scenes:
        console.print("No scenes in this shard: nothing to render.")
        return 0
    jobs = _jobs(scenes)
    rendered = _cluster(jobs, args.cluster, media) if args.cluster else _local(jobs, min(args.jobs, len(jobs)), media)
    start = time.perf_counter()
    outcomes = _with_progress(console, rendered, len(jobs))
    in_file_order = [next(o for o in outcomes if o.name == s.name) for s in scenes]
    return _summary(console, in_file_order, media, time.perf_counter() - start)


def _media_dir(args: argparse.Namespace, lecture: Lecture) -> Path:
    """--media_dir, else the file's media_dir (from its folder), else ./media/<lecture file's name>."""
    media = Path(args.media_dir) if args.media_dir else lecture.media_dir or Path("media") / lecture.path.stem
    try:
        media.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OptscenesError(
            f"Cannot make the media folder {media} ({error.strerror}); choose another with --media_dir."
        ) from None
    return media.resolve()


def _with_progress(console: Any, outcomes: Iterator[Outcome], total: int) -> list[Outcome]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    done = []
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("rendering", total=total)
        for outcome in outcomes:
            done.append(outcome)
            mark = "[green]done[/]" if outcome.error is None else "[red]failed[/]"
            progress.console.print(f"{mark} {outcome.name} ({outcome.seconds:.1f} s)")
            progress.update(task, advance=1, description=f"rendering (last: {outcome.name})")
    return done


def _summary(console: Any, outcomes: list[Outcome], media: Path, seconds: float) -> int:
    from rich.table import Table

    table = Table(title=f"{len(outcomes)} scenes in {seconds:.1f} s, into {media}")
    for column in ("scene", "seconds", "file", "status"):
        table.add_column(column)
    for outcome in outcomes:
        file = Path(outcome.files[0]).name if outcome.files else "-"
        status = "ok" if outcome.error is None else "[red]failed[/]"
        table.add_row(outcome.name, f"{outcome.seconds:.1f}", file, status)
    console.print(table)
    failed = [o for o in outcomes if o.error is not None]
    for outcome in failed:
        console.print(f"optscenes: scene {outcome.name!r} failed: {outcome.error}", markup=False, soft_wrap=True)
    return 1 if failed else 0


def _stills(args: argparse.Namespace) -> int:
    """PNG stills of the chosen steps of every scene, and one PDF handout of them all, in file order."""
    import tempfile

    import manim as mn

    from .core.settings import SETTINGS
    from .slides import write_stills

    lecture = load_lecture(args.file)
    if args.only:
        lecture = lecture.select(args.only)
    lecture = lecture.with_output(quality=args.quality, format="png")
    steps = SETTINGS["pause_at"].check("--steps", [_step(text) for text in args.steps.split(",")])
    out = _media_dir(args, lecture) / "stills"
    first = lecture.scenes[0].output
    size = mn.constants.QUALITIES[QUALITIES[first.quality]]
    width, height = first.resolution or (size["pixel_width"], size["pixel_height"])
    with tempfile.TemporaryDirectory() as work, mn.tempconfig({"pixel_width": width, "pixel_height": height,
                                                               "verbosity": "WARNING"}):  # fmt: skip
        classes = [_scene_class(job, Path(work)) for job in _jobs(lecture.scenes)]
        order = {spec.name: index for index, spec in enumerate(lecture.scenes)}
        stills, handout = write_stills(sorted(classes, key=lambda c: order[c.__name__]), steps, out)
    print(f"Wrote {len(stills)} stills and the handout {handout}.")
    return 0


def _step(text: str) -> int | str:
    """A step of --steps as a number, or the text itself for the settings check to name."""
    return int(text) if text.strip().isdigit() else text.strip()


def _new(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(STARTER)
    except FileExistsError:
        raise OptscenesError(f"{path} already exists; give another name: optscenes new other.toml.") from None
    print(f"Wrote {path}: check it with `optscenes check {path}`, render it with `optscenes render {path}`.")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="optscenes", description="Check and render lecture files of optscenes scenes."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="check a lecture file without rendering")
    check.add_argument("file")
    check.set_defaults(run=_check)
    render = commands.add_parser("render", help="render the scenes of a lecture file")
    render.add_argument("file")
    render.add_argument("--only", nargs="+", action="extend", metavar="NAME", help="render only these scenes")
    render.add_argument("--quality", "-q", help="l, m, h, p or k: every scene's size and frame rate, over the file's")
    render.add_argument("--format", help=f"{', '.join(FORMATS)}: over the file's")
    render.add_argument("--jobs", "-j", type=int, default=1, help="scenes rendered at once, each in its own process")
    render.add_argument("--shard", metavar="I/N", help="render scenes I, I+N, I+2N, ... (counted from 1)")
    render.add_argument("--cluster", metavar="ADDRESS", help="render on the Dask scheduler at ADDRESS")
    render.add_argument("--media_dir", help="where the files go (default: the file's media_dir, else ./media/<name>)")
    render.set_defaults(run=_render_command)
    stills = commands.add_parser("stills", help="PNG stills of chosen steps and a PDF handout of them")
    stills.add_argument("file")
    stills.add_argument("--steps", required=True, help="the steps, such as 0,10,50")
    stills.add_argument("--only", nargs="+", action="extend", metavar="NAME", help="only these scenes")
    stills.add_argument("--quality", "-q", help="l, m, h, p or k: the stills' size, over the file's")
    stills.add_argument("--media_dir", help="the stills go in <media_dir>/stills")
    stills.set_defaults(run=_stills)
    new = commands.add_parser("new", help="write a commented starter lecture file")
    new.add_argument("file", nargs="?", default="lecture.toml")
    new.set_defaults(run=_new)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command; 0 when everything worked, 1 after a mistake (said in one sentence) or a failed scene."""
    args = _parser().parse_args(argv)
    try:
        status: int = args.run(args)
        return status
    except OptscenesError as error:
        print(f"optscenes: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
