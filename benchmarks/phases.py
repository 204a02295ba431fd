"""Where a render's wall time goes: start-up, trajectory, frame drawing, encoding.

    python benchmarks/phases.py                       # AdamDescent at -qh (1080p60 MP4), first render
    python benchmarks/phases.py -- -ql --format gif scenes/adam.py AdamDescent
    python benchmarks/phases.py --json out.json -- -qh benchmarks/floor_scene.py FloorScene

Runs the ``manim`` command line in a child Python process (``manim.__main__.main``, exactly what
the ``manim`` script calls, in-process there) and times its phases with ``time.perf_counter``.
Nothing in the library is changed: manim's and optscenes' functions are wrapped in the benchmark
process only. The parent times the child from outside, so the interpreter's exit (module
teardown: about half a second once torch._dynamo is loaded) is counted too. ``--child`` runs the
render in the current process instead (no exit time); run.py uses that for its -qh candidates.

Phases are *exclusive* on the main thread (a phase nested in another is subtracted from it), so
they add up to the wall time:

  interpreter start   process creation until this script's first line (from /proc, 10 ms ticks)
  import manim / torch / torch._dynamo / optscenes (/ matplotlib)
                      each package's first import, timed where it happens (an import hook), so a
                      render that never imports torch (run taken from optscenes' run cache) shows
                      none; torch.optim imports torch._dynamo when it builds its first Optimizer
  manim CLI + scene setup
                      argument parsing, config, loading the scene file, Scene() and its Camera
  scene build         construct() itself: Text, Axes, graph, dot, path, counter (not the math)
  trajectory          ReplayScene.trajectory_for() (run cache or optimize), optscenes.Objective(...)
                      and optscenes.optimize(...): the real torch run, imports excluded
  play setup          renderer.play() outside the frames: caching hash, begin(), segment set-up
  static background   drawing the non-moving mobjects once (save_static_frame_data)
  frame update        Scene.update_to_time per frame: the animation's interpolate (show_step)
  frame drawing       CairoRenderer.render per frame minus the hand-off: background copy,
                      Cairo drawing of the moving mobjects (camera.capture_mobjects), frame copy
  encoder hand-off    SceneFileWriter.write_frame: queueing the frame to the encoder thread; it
                      blocks when the 8-frame queue is full, i.e. when encoding is the bottleneck
  wait for encoder    joining the encoder thread after a play (manim keeps one segment in flight)
  combine (mux/GIF)   SceneFileWriter.combine_to_movie: concatenating segments; for GIF also the
                      single-threaded palette + GIF re-encode
  provenance          optscenes' <video>.json / .csv sidecars
  other               everything else (tear-down, logging)
  interpreter exit    the child's wall seen from outside minus its wall seen from inside: module
                      teardown at exit, plus process spawn

Encoding itself runs on manim's encoder worker thread (PyAV/x264, which uses its own threads too),
concurrently with drawing. Its busy time is reported separately ("encoder thread busy"); what it
costs the wall clock is the hand-off + wait + combine rows.

"frames per second" = frames written / render phase, where the render phase runs from the first
``play`` until the encoder has finished the last frame (start-up, scene build and the final
mux/GIF combine excluded).
"""

from __future__ import annotations

import time

_T0 = time.perf_counter()  # as early as possible

import os  # noqa: E402


def _process_age() -> float:
    """Seconds since this process was created (Linux /proc; 0 where unavailable)."""
    try:
        with open("/proc/self/stat") as f:
            start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as f:
            uptime = float(f.read().split()[0])
        return max(0.0, uptime - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return 0.0


_INTERPRETER_START = _process_age()

import argparse  # noqa: E402
import functools  # noqa: E402
import importlib.abc  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
from collections import defaultdict  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from types import ModuleType  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

DEFAULT_ARGS = ["-qh", "scenes/adam.py", "AdamDescent"]

ORDER = [
    "interpreter start",
    "import manim",
    "import torch",
    "import torch._dynamo",
    "import optscenes",
    "import matplotlib",
    "manim CLI + scene setup",
    "scene build",
    "trajectory",
    "play setup",
    "static background",
    "frame update",
    "frame drawing",
    "encoder hand-off",
    "wait for encoder",
    "combine (mux/GIF)",
    "provenance",
    "other",
]

GROUPS = {
    "start-up": ["interpreter start", "import manim", "import torch", "import torch._dynamo", "import optscenes", "import matplotlib", "manim CLI + scene setup"],
    "scene build + play set-up": ["scene build", "play setup", "static background"],
    "trajectory": ["trajectory"],
    "frame drawing": ["frame update", "frame drawing"],
    "encoding (wall)": ["encoder hand-off", "wait for encoder", "combine (mux/GIF)"],
    "provenance + other": ["provenance", "other"],
}


class Phases:
    """Exclusive wall-time accounting on the main thread; an encoder-thread busy counter beside it."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._stack: list[list] = []  # [name, start, time spent in children]
        self._main = threading.main_thread()
        self._lock = threading.Lock()
        self.encoder_busy = 0.0
        self.frames = 0
        self.first_play: float | None = None
        self.encoder_done: float | None = None

    def begin(self, name: str) -> None:
        self._stack.append([name, time.perf_counter(), 0.0])

    def end(self) -> None:
        name, start, children = self._stack.pop()
        spent = time.perf_counter() - start
        self.seconds[name] += spent - children
        self.calls[name] += 1
        if self._stack:
            self._stack[-1][2] += spent

    def wrap(self, owner: object, attr: str, name: str, before=None, after=None) -> None:
        original = getattr(owner, attr)
        phases = self

        def wrapper(*args, **kwargs):
            if threading.current_thread() is not phases._main:
                return original(*args, **kwargs)
            if before is not None:
                before(*args, **kwargs)
            phases.begin(name)
            try:
                return original(*args, **kwargs)
            finally:
                phases.end()
                if after is not None:
                    after(*args, **kwargs)

        # The original's name and qualname too: optscenes accepts a scene's public attribute only if it is a
        # setting or a method written in that class's body, which it tells by the qualname.
        functools.update_wrapper(wrapper, original)
        setattr(owner, attr, wrapper)

    def wrap_busy(self, owner: object, attr: str) -> None:
        """Accumulate time spent in ``owner.attr`` on any thread (the encoder worker)."""
        original = getattr(owner, attr)
        phases = self

        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                with phases._lock:
                    phases.encoder_busy += time.perf_counter() - start

        setattr(owner, attr, wrapper)


class TimedImports(importlib.abc.MetaPathFinder):
    """Times the first import of chosen modules where it happens (torch may never be imported: the
    scene can take its run from optscenes' run cache), and runs hooks once a module is loaded."""

    def __init__(self, phases: Phases, timed: dict[str, str], hooks: dict[str, Callable[[ModuleType], None]]) -> None:
        self.phases, self.timed, self.hooks = phases, timed, hooks
        self._searching: set[str] = set()

    def find_spec(self, fullname, path, target=None):
        if (fullname not in self.timed and fullname not in self.hooks) or fullname in self._searching:
            return None
        self._searching.add(fullname)
        try:
            spec = None
            for finder in sys.meta_path:
                if finder is self or not hasattr(finder, "find_spec"):
                    continue
                spec = finder.find_spec(fullname, path, target)
                if spec is not None:
                    break
        finally:
            self._searching.discard(fullname)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        exec_module = spec.loader.exec_module
        name, hook, phases = self.timed.get(fullname), self.hooks.get(fullname), self.phases

        def timed_exec(module):
            if name is not None:
                phases.begin(name)
            try:
                exec_module(module)
            finally:
                if name is not None:
                    phases.end()
            if hook is not None:
                hook(module)

        spec.loader.exec_module = timed_exec
        return spec


def instrument_optscenes(phases: Phases, package: ModuleType) -> None:
    phases.wrap(package, "optimize", "trajectory")
    phases.wrap(package, "Objective", "trajectory")


def instrument_optscenes_scene(phases: Phases, module: ModuleType) -> None:
    for attr in ("optimize", "Objective"):
        if hasattr(module, attr):
            phases.wrap(module, attr, "trajectory")
    if hasattr(module, "write_sidecars"):
        phases.wrap(module, "write_sidecars", "provenance")
    scene = getattr(module, "ReplayScene", None)
    if scene is not None:
        # The run, from optscenes' run cache or from optimize().
        phases.wrap(scene, "trajectory_for", "trajectory")


def instrument_manim(phases: Phases) -> None:
    import manim.cli.render.commands as commands
    import manim.scene.scene as scene_mod
    import manim.scene.scene_file_writer as writer_mod
    import manim.scene.video_segment_encoder as encoder_mod
    from manim.renderer.cairo_renderer import CairoRenderer

    def first_play(*_a, **_k):
        if phases.first_play is None:
            phases.first_play = time.perf_counter()

    def count_frames(self, pixels, *, repeat=1):
        phases.frames += repeat

    def encoder_joined(*_a, **_k):
        phases.encoder_done = time.perf_counter()

    phases.wrap(CairoRenderer, "play", "play setup", before=first_play)
    phases.wrap(CairoRenderer, "save_static_frame_data", "static background")
    phases.wrap(scene_mod.Scene, "update_to_time", "frame update")
    phases.wrap(CairoRenderer, "render", "frame drawing")
    phases.wrap(writer_mod.SceneFileWriter, "write_frame", "encoder hand-off", before=count_frames)
    phases.wrap(writer_mod._PartialMovieEncodeJob, "join", "wait for encoder", after=encoder_joined)
    phases.wrap(writer_mod.SceneFileWriter, "combine_to_movie", "combine (mux/GIF)")
    phases.wrap_busy(encoder_mod.VideoSegmentEncoder, "write_frame")
    phases.wrap_busy(encoder_mod.VideoSegmentEncoder, "finish")

    # construct() is the scene's own: wrap it on each scene class the command line loads.
    original = commands.scene_classes_from_file
    busy: set[type] = set()

    def scene_classes_from_file(*args, **kwargs):
        classes = original(*args, **kwargs)
        for cls in classes if isinstance(classes, list) else [classes]:
            phases.wrap(cls, "construct", "scene build")
        # The scene file has imported optscenes by now: its segment encoder writes frames its own way.
        for encoder in encoder_mod.VideoSegmentEncoder.__subclasses__():
            if "write_frame" in vars(encoder) and encoder not in busy:
                busy.add(encoder)
                phases.wrap_busy(encoder, "write_frame")
        return classes

    commands.scene_classes_from_file = scene_classes_from_file


def collect(phases: Phases, wall: float, manim_args: list[str]) -> dict:
    """The child's numbers: exclusive phase seconds adding up to its wall time."""
    seconds = {n: phases.seconds.get(n, 0.0) for n in ORDER}
    seconds["other"] += max(0.0, wall - sum(seconds.values()))
    render_phase = None
    if phases.first_play is not None and phases.encoder_done is not None:
        render_phase = phases.encoder_done - phases.first_play
    return {
        "manim_args": manim_args,
        "wall": wall,
        "frames": phases.frames,
        "render_phase": render_phase,
        "fps": phases.frames / render_phase if render_phase else None,
        "encoder_busy": phases.encoder_busy,
        "phases": seconds,
        "calls": {n: phases.calls.get(n, 0) for n in ORDER},
    }


def report(data: dict) -> str:
    """The table, shares of the whole process's wall time (exit included when measured)."""
    seconds = dict(data["phases"])
    total = data.get("process_wall", data["wall"])
    if "process_wall" in data:
        seconds["interpreter exit"] = max(0.0, total - data["wall"])
    names = [*ORDER, "interpreter exit"] if "interpreter exit" in seconds else ORDER
    frames = data["frames"]
    lines = [f"manim {' '.join(data['manim_args'])}", f"wall {total:.3f} s (whole process), {frames} frames", ""]
    lines.append(f"{'phase':28s} {'seconds':>8s} {'share':>7s} {'calls':>6s}")
    for name in names:
        s = seconds.get(name, 0.0)
        calls = data["calls"].get(name, "") if name not in ("interpreter start", "other", "interpreter exit") else ""
        lines.append(f"{name:28s} {s:8.3f} {100 * s / total:6.1f}% {calls!s:>6s}")
    lines.append("")
    lines.append(f"{'group':28s} {'seconds':>8s} {'share':>7s}")
    groups = dict(GROUPS)
    if "interpreter exit" in seconds:
        groups["start-up"] = [*groups["start-up"], "interpreter exit"]
    for group, members in groups.items():
        s = sum(seconds.get(n, 0.0) for n in members)
        label = "start-up + exit" if group == "start-up" and "interpreter exit" in seconds else group
        lines.append(f"{label:28s} {s:8.3f} {100 * s / total:6.1f}%")
    lines.append("")
    busy = data["encoder_busy"]
    lines.append(f"encoder thread busy          {busy:8.3f} s (concurrent with drawing; not in the shares)")
    if data["render_phase"]:
        per_frame = 1000 * (seconds["frame update"] + seconds["frame drawing"]) / max(frames, 1)
        lines.append(f"render phase                 {data['render_phase']:8.3f} s (first play -> encoder finished)")
        lines.append(f"frames per second            {data['fps']:8.1f} (frames / render phase)")
        lines.append(f"update + drawing per frame   {per_frame:8.2f} ms; encoder busy per frame "
                     f"{1000 * busy / max(frames, 1):.2f} ms")  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
        usage="phases.py [--json PATH] [--media_dir DIR] [--cache] [--child] [-- MANIM ARGS]",
    )
    parser.add_argument("--json", type=Path, help="also write the numbers as JSON here")
    parser.add_argument("--media_dir", help="default: a fresh temporary directory, removed afterwards")
    parser.add_argument("--cache", action="store_true", help="keep manim's cache on (default: --disable_caching)")
    parser.add_argument("--quiet", action="store_true", help="print no table")
    parser.add_argument("--child", action="store_true",
                        help="render in this process and write the JSON (no exit time; what run.py uses)")  # fmt: skip
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    args = parser.parse_args(argv[:split])
    manim_args = argv[split + 1 :] or list(DEFAULT_ARGS)
    if args.child:
        child(args, manim_args)
    else:
        parent(args, argv, split, manim_args)


def parent(args: argparse.Namespace, argv: list[str], split: int, manim_args: list[str]) -> None:
    """Run the render in a child process, so that its interpreter exit is timed too."""
    import subprocess

    with tempfile.TemporaryDirectory(prefix="optscenes-phases-json-") as tmp:
        out = Path(tmp) / "phases.json"
        own = [a for a in argv[:split] if a != "--quiet"]
        if "--json" in own:
            i = own.index("--json")
            del own[i : i + 2]
        cmd = [sys.executable, __file__, "--child", "--quiet", "--json", str(out), *own, "--", *manim_args]
        start = time.perf_counter()
        subprocess.run(cmd, check=True)
        data = json.loads(out.read_text())
        data["process_wall"] = time.perf_counter() - start
    if not args.quiet:
        print(report(data))
    if args.json:
        args.json.write_text(json.dumps(data, indent=2))


def child(args: argparse.Namespace, manim_args: list[str]) -> None:
    phases = Phases()
    phases.seconds["interpreter start"] = _INTERPRETER_START  # before this script's first line
    sys.meta_path.insert(0, TimedImports(
        phases,
        timed={"manim": "import manim", "torch": "import torch", "torch._dynamo": "import torch._dynamo",
               "optscenes": "import optscenes", "matplotlib": "import matplotlib"},
        hooks={"optscenes": lambda m: instrument_optscenes(phases, m),
               "optscenes.scenes.base": lambda m: instrument_optscenes_scene(phases, m)},
    ))  # fmt: skip

    media = args.media_dir or tempfile.mkdtemp(prefix="optscenes-phases-")
    full = [*manim_args, "--progress_bar", "none", "-v", "WARNING", "--silent", "--media_dir", media]
    if not args.cache:
        full.append("--disable_caching")
    if not any(a in ("-o", "--output_file") for a in manim_args):
        full += ["-o", "phases"]
    os.chdir(ROOT)
    phases.begin("manim CLI + scene setup")
    try:
        from manim.__main__ import main as manim_main  # imports manim, timed as such

        instrument_manim(phases)
        manim_main(args=full, standalone_mode=False, prog_name="manim")
    finally:
        phases.end()
    wall = _INTERPRETER_START + (time.perf_counter() - _T0)
    data = collect(phases, wall, manim_args)
    if args.media_dir is None:  # our own temporary directory
        import shutil

        shutil.rmtree(media, ignore_errors=True)
    else:
        data["media_dir"] = media
    if not args.quiet:
        print(report(data))
    if args.json:
        args.json.write_text(json.dumps(data, indent=2))


if __name__ == "__main__":
    main()
