"""Whole-process render benchmarks for optscenes, against the project's targets.

    .venv/bin/python benchmarks/run.py                # default repeats (about 4-5 minutes on 2 cores)
    .venv/bin/python benchmarks/run.py --repeats 3
    .venv/bin/python benchmarks/run.py --quick        # 1 repeat, no 1080p60 renders: a smoke run

Every candidate is a separate process, timed from outside with time.perf_counter. Candidates are
run round-robin (A B C ..., A B C ..., not all A then all B), so a neighbour process loading the
shared machine for a while hits every candidate alike; medians are reported, and each ratio is
given both as a ratio of medians and as the range of the per-round ratios.

"First render" = a fresh, empty --media_dir (no SVG text cache, no partial movies, no run cache)
and --disable_caching. "Re-render" = the same command a second time into a media dir that one
untimed render (cache on) has filled. Every manim command gets --progress_bar none -v WARNING
--silent (no PyPI version check after the render) and -o NAME. Every output is decoded and its
frame count checked (PIL for GIF; the 1080p60 MP4s count the frames they write, see phases.py).

The 1080p60 (-qh) candidates run under benchmarks/phases.py, which is the ``manim`` command run
in-process with timers around manim's frame drawing and encoder hand-off. Their frames per
second are frames / render phase, the render phase being measured in-process from the first
``play`` until the encoder thread has finished the last frame (start-up, scene building and the
final mux excluded). Their wall time is measured from outside like the rest.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
MANIM_COMMON = ["--progress_bar", "none", "-v", "WARNING", "--silent"]
DEFAULT_REPEATS = 5


def python() -> str:
    return sys.executable


def manim_exe() -> str:
    exe = Path(sys.executable).parent / "manim"
    return str(exe) if exe.exists() else (shutil.which("manim") or "manim")


def find_output(media: Path, name: str) -> Path:
    """The video ``-o name`` wrote under ``media``."""
    found = [p for ext in ("gif", "mp4") for p in media.glob(f"videos/**/{name}.{ext}") if "partial_movie_files" not in p.parts]
    if len(found) != 1:
        raise FileNotFoundError(f"expected one output named {name} under {media}, found {found}")
    return found[0]


def gif_frame_count(path: Path) -> int:
    from PIL import Image, ImageSequence

    with Image.open(path) as im:
        return sum(1 for _ in ImageSequence.Iterator(im))


@dataclass
class Candidate:
    key: str
    what: str
    shown: str  # the command, as a person would type it
    argv: Callable[[Path], list[str]]  # media dir -> command
    output: Callable[[Path], Path]  # media dir -> file to check
    frames: int
    fresh_media: bool = True  # False: one primed media dir shared by all runs
    probe: bool = False  # runs under phases.py: JSON with frames and render phase
    qh: bool = False
    times: list[float] = field(default_factory=list)
    fps: list[float] = field(default_factory=list)
    probes: list[dict] = field(default_factory=list)
    shared_media: Path | None = None


def manim_candidate(key, what, flags, scene_file, scene, frames, *, cache=False, fresh=True, fmt=None) -> Candidate:
    shown_flags = " ".join(flags + (["--format", fmt] if fmt else []))
    shown = f"manim {shown_flags} {scene_file} {scene}" + ("" if cache else " --disable_caching")

    def argv(media: Path) -> list[str]:
        cmd = [manim_exe(), *flags, *(["--format", fmt] if fmt else []), *MANIM_COMMON, "--media_dir", str(media), "-o", key]
        if not cache:
            cmd.append("--disable_caching")
        return [*cmd, scene_file, scene]

    return Candidate(key, what, shown, argv, lambda media: find_output(media, key), frames, fresh_media=fresh)


def probe_candidate(key, what, flags, scene_file, scene, frames) -> Candidate:
    shown = f"manim {' '.join(flags)} {scene_file} {scene} --disable_caching  (under phases.py)"

    def argv(media: Path) -> list[str]:
        return [python(), str(BENCH / "phases.py"), "--child", "--quiet", "--json", str(media / "phases.json"),
                "--media_dir", str(media), "--", *flags, "-o", key, scene_file, scene]  # fmt: skip

    return Candidate(key, what, shown, argv, lambda media: find_output(media, key), frames, probe=True, qh=True)


#: The targets on frames per second at -qh, which --quick skips.
QH_TARGETS = ("AdamDescent -qh fps / FloorScene -qh fps", "AdamInside -qh fps / FloorScene -qh fps")


def candidates() -> list[Candidate]:
    mpl = Candidate(
        "mpl_seed", "matplotlib FuncAnimation + PillowWriter, 400x300 GIF",
        "python benchmarks/matplotlib_seed.py OUT.gif 400 300 15",
        lambda media: [python(), str(BENCH / "matplotlib_seed.py"), str(media / "mpl_seed.gif"), "400", "300", "15"],
        lambda media: media / "mpl_seed.gif", 51,
    )  # fmt: skip
    return [
        manim_candidate("adam_ql", "AdamDescent -ql GIF, first render", ["-ql"], "benchmarks/long_scene.py", "AdamDescent", 51, fmt="gif"),
        manim_candidate("naive_ql", "NaiveAdamDescent -ql GIF, first render", ["-ql"], "benchmarks/naive_scene.py",
                        "NaiveAdamDescent", 51, fmt="gif"),  # fmt: skip
        manim_candidate("adam_seed", "AdamDescent 400x300 GIF, first render", ["-r", "400,300", "--fps", "15"],
                        "benchmarks/long_scene.py", "AdamDescent", 51, fmt="gif"),  # fmt: skip
        manim_candidate("adam_seed_re", "AdamDescent 400x300 GIF, re-render (cache on)", ["-r", "400,300", "--fps", "15"],
                        "benchmarks/long_scene.py", "AdamDescent", 51, cache=True, fresh=False, fmt="gif"),  # fmt: skip
        mpl,
        manim_candidate("adam500_ql", "AdamDescent500 (500 steps) -ql GIF, first render", ["-ql"],
                        "benchmarks/long_scene.py", "AdamDescent500", 501, fmt="gif"),  # fmt: skip
        probe_candidate("adam_qh", "AdamDescent -qh MP4 (1080p60), first render", ["-qh"], "benchmarks/long_scene.py", "AdamDescent", 204),
        probe_candidate("inside_qh", "AdamInside (panel + every overlay) -qh MP4 (1080p60), first render", ["-qh"],
                        "benchmarks/long_scene.py", "AdamInside", 204),  # fmt: skip
        probe_candidate("floor_qh", "FloorScene -qh MP4 (1080p60), first render", ["-qh"], "benchmarks/floor_scene.py",
                        "FloorScene", 204),  # fmt: skip
        probe_candidate("floor_seg_qh", "FloorSceneSegments (optscenes' video writer) -qh MP4, first render", ["-qh"],
                        "benchmarks/floor_scene.py", "FloorSceneSegments", 204),  # fmt: skip
    ]


def run_once(c: Candidate, scratch: Path, timed: bool = True) -> None:
    if c.fresh_media:
        media = Path(tempfile.mkdtemp(prefix=f"{c.key}-", dir=scratch))
    else:
        assert c.shared_media is not None
        media = c.shared_media
    cmd = c.argv(media)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{c.key} failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-3000:]}")
    out = c.output(media)
    if c.probe:
        import json

        data = json.loads((media / "phases.json").read_text())
        frames = data["frames"]
        if timed:
            c.fps.append(frames / data["render_phase"])
            c.probes.append(data)
    else:
        frames = gif_frame_count(out)
    if frames != c.frames:
        raise SystemExit(f"{c.key}: {frames} frames in {out}, expected {c.frames}")
    if timed:
        c.times.append(wall)
    if c.fresh_media:
        shutil.rmtree(media, ignore_errors=True)


def machine() -> dict[str, str]:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()

    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "-"

    return {
        "nproc": str(affinity),
        "cpu": model,
        "python": platform.python_version(),
        "torch": version("torch"),
        "manim": version("manim"),
        "matplotlib": version("matplotlib"),
        "pillow": version("pillow"),
        "av": version("av"),
        "os": f"{platform.system()} {platform.release()}",
    }


def fmt_range(values: list[float], digits: int = 2) -> str:
    return f"{min(values):.{digits}f}-{max(values):.{digits}f}" if values else "-"


def main() -> int:
    if VENV_PYTHON.exists() and Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
        os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), __file__, *sys.argv[1:]])
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, help=f"rounds of timed runs (default {DEFAULT_REPEATS}; --quick: 1)")
    parser.add_argument("--quick", action="store_true", help="1 repeat (at most 2), skip the 1080p60 renders")
    args = parser.parse_args()
    repeats = args.repeats if args.repeats is not None else (1 if args.quick else DEFAULT_REPEATS)
    if args.quick:
        repeats = max(1, min(repeats, 2))
    if repeats < 1:
        parser.error("--repeats must be at least 1")

    cands = [c for c in candidates() if not (args.quick and c.qh)]
    by_key = {c.key: c for c in cands}
    info = machine()
    load_before = os.getloadavg()
    print(f"machine: {info['nproc']} CPUs, {info['cpu']}; {info['os']}")
    print(f"versions: python {info['python']}, torch {info['torch']}, manim {info['manim']}, "
          f"matplotlib {info['matplotlib']}, pillow {info['pillow']}, av {info['av']}")  # fmt: skip
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in load_before)}")
    print(f"{repeats} round(s) of {len(cands)} candidates, round-robin" + (" (--quick: no -qh)" if args.quick else ""))

    scratch = Path(tempfile.mkdtemp(prefix="optscenes-bench-"))
    t_start = time.perf_counter()
    try:
        # Untimed: fill the re-render candidate's media dir (its first render, cache on), which also
        # warms the OS file cache for manim, torch and optscenes; and one matplotlib run.
        for c in cands:
            if not c.fresh_media:
                c.shared_media = Path(tempfile.mkdtemp(prefix=f"{c.key}-", dir=scratch))
                run_once(c, scratch, timed=False)
        run_once(by_key["mpl_seed"], scratch, timed=False)
        print(f"warm-up done ({time.perf_counter() - t_start:.0f} s)")
        for r in range(repeats):
            t_round = time.perf_counter()
            for c in cands:
                run_once(c, scratch)
            line = "  ".join(f"{c.key} {c.times[-1]:.2f}" for c in cands)
            print(f"round {r + 1}/{repeats} ({time.perf_counter() - t_round:.0f} s): {line}", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    elapsed = time.perf_counter() - t_start
    load_after = os.getloadavg()

    med = {c.key: statistics.median(c.times) for c in cands}
    fps = {c.key: statistics.median(c.fps) for c in cands if c.fps}

    # --- candidates -----------------------------------------------------------------------------
    rows = []
    for c in cands:
        fps_text = f"{fps[c.key]:.1f}" if c.key in fps else ""
        rows.append((c.key, c.what, c.frames, med[c.key], min(c.times), max(c.times), len(c.times), fps_text, c.shown))
    print()
    print(f"{'candidate':13s} {'frames':>6s} {'median s':>9s} {'min':>7s} {'max':>7s} {'runs':>4s} {'fps*':>6s}  command")
    for key, _what, frames, m, lo, hi, n, fps_text, shown in rows:
        print(f"{key:13s} {frames:6d} {m:9.2f} {lo:7.2f} {hi:7.2f} {n:4d} {fps_text:>6s}  {shown}")
    print("* fps = frames / render phase, the render phase measured in-process by benchmarks/phases.py "
          "(first play -> encoder finished; start-up, scene build and final mux excluded)")  # fmt: skip
    for c in cands:
        if c.probes:
            def mid(f: Callable[[dict], float], c: Candidate = c) -> float:
                return statistics.median(f(d) for d in c.probes)

            print(f"  {c.key}: render phase {mid(lambda d: d['render_phase']):.2f} s; per frame: update + drawing "
                  f"{mid(lambda d: 1000 * (d['phases']['frame update'] + d['phases']['frame drawing']) / d['frames']):.1f} ms, "
                  f"waiting for the encoder {mid(lambda d: 1000 * (d['phases']['encoder hand-off'] + d['phases']['wait for encoder']) / d['frames']):.1f} ms, "
                  f"encoder thread busy {mid(lambda d: 1000 * d['encoder_busy'] / d['frames']):.1f} ms")  # fmt: skip

    # --- targets ---------------------------------------------------------------------------------
    def paired(a: str, b: str, values: Callable[[Candidate], list[float]] = lambda c: c.times) -> list[float]:
        return [x / y for x, y in zip(values(by_key[a]), values(by_key[b]), strict=True)]

    targets = [
        ("AdamDescent -ql GIF / NaiveAdamDescent -ql GIF (time)", med["adam_ql"] / med["naive_ql"], "<=", 0.5,
         paired("adam_ql", "naive_ql")),
        ("AdamDescent 400x300 GIF first render / matplotlib (time)", med["adam_seed"] / med["mpl_seed"], "<=", 0.8,
         paired("adam_seed", "mpl_seed")),
        ("AdamDescent 400x300 GIF re-render / matplotlib (time)", med["adam_seed_re"] / med["mpl_seed"], "<=", 0.5,
         paired("adam_seed_re", "mpl_seed")),
    ]  # fmt: skip
    if "adam_qh" in fps:
        for name, key in zip(QH_TARGETS, ("adam_qh", "inside_qh"), strict=True):
            targets.append((name, fps[key] / fps["floor_qh"], ">=", 0.8, paired(key, "floor_qh", lambda c: c.fps)))
    targets.append(("AdamDescent500 -ql / AdamDescent -ql (time, 10x steps)", med["adam500_ql"] / med["adam_ql"], "<=", 10.0,
                    paired("adam500_ql", "adam_ql")))  # fmt: skip

    results = []
    print()
    print(f"{'target':58s} {'ratio':>7s} {'per-round':>11s} {'goal':>7s}  result")
    for name, ratio, op, goal, per_round in targets:
        ok = ratio <= goal if op == "<=" else ratio >= goal
        results.append((name, ratio, per_round, op, goal, ok))
        print(f"{name:58s} {ratio:7.3f} {fmt_range(per_round):>11s} {op}{goal:<5g}  {'PASS' if ok else 'FAIL'}")
    # For reference, no goal: the same pictures against a floor written by optscenes' video writer.
    same_writer = []
    if "floor_seg_qh" in fps:
        for key, scene in (("adam_qh", "AdamDescent"), ("inside_qh", "AdamInside")):
            same_writer.append((f"{scene} -qh fps / FloorSceneSegments -qh fps", fps[key] / fps["floor_seg_qh"],
                                paired(key, "floor_seg_qh", lambda c: c.fps)))  # fmt: skip
    for name, ratio, per_round in same_writer:
        print(f"{name:58s} {ratio:7.3f} {fmt_range(per_round):>11s} {'-':>7s}  (same writer, for reference)")
    if args.quick:
        for name in QH_TARGETS:
            print(f"{name:58s} {'-':>7s} {'':>11s} {'>=0.8':>7s}  skipped (--quick)")
    print()
    print(f"total {elapsed:.0f} s; load average at end: {' '.join(f'{x:.2f}' for x in load_after)}")

    # --- Markdown --------------------------------------------------------------------------------
    md = [
        "",
        "## Markdown",
        "",
        f"Machine: {info['nproc']} CPUs ({info['cpu']}), {info['os']}; Python {info['python']}, torch {info['torch']}, "
        f"manim {info['manim']}, matplotlib {info['matplotlib']}. {repeats} round(s), round-robin, medians; "
        f"load average {load_before[0]:.2f} at start, {load_after[0]:.2f} at end.",
        "",
        "| candidate | command | frames | median s | min-max s | fps* |",
        "|---|---|---:|---:|---:|---:|",
    ]  # fmt: skip
    for key, _what, frames, m, lo, hi, _n, fps_text, shown in rows:
        md.append(f"| {key} | `{shown}` | {frames} | {m:.2f} | {lo:.2f}-{hi:.2f} | {fps_text} |")
    md += [
        "",
        "\\* frames / render phase, measured in-process by `benchmarks/phases.py` (first `play` until the "
        "encoder has finished; start-up, scene building and the final mux excluded).",
        "",
        "| target | ratio (of medians) | per-round range | goal | result |",
        "|---|---:|---:|---:|---|",
    ]
    for name, ratio, per_round, op, goal, ok in results:
        md.append(f"| {name} | {ratio:.3f} | {fmt_range(per_round)} | {op} {goal:g} | {'PASS' if ok else 'FAIL'} |")
    md.extend(f"| {name} | {ratio:.3f} | {fmt_range(per_round)} | - | same writer, for reference |"
              for name, ratio, per_round in same_writer)  # fmt: skip
    if args.quick:
        md.extend(f"| {name} | - | - | >= 0.8 | skipped (--quick) |" for name in QH_TARGETS)
    print("\n".join(md))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
