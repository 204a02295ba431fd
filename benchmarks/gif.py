"""manim's own GIF writer against optscenes' (optscenes/visuals/gif.py), on the same scenes, in one run.

    .venv/bin/python benchmarks/gif.py              # about 2 minutes on 2 cores

For each scene, three renders, each one whole ``manim`` process into a fresh media dir with
``--disable_caching`` (a first render):

  reference   ``--format png-sequence``: what the camera drew, bit for bit. manim writes a held frame
              (a ``wait``) once whatever its length; here it is written as often as a video shows it,
              so that frame k of the reference is frame k of the GIF.
  manim       ``--format gif`` with manim 0.22's writer (H.264 partial movies, stats_mode=diff palette,
              Bayer dithering, forced rgb8): optscenes' writer is switched off in this process only.
  optscenes   ``--format gif`` as users run it.

Columns: the GIF's size; the mean absolute error (0-255, over R, G and B) on drawn pixels (those that
differ from the reference's background colour, the most common colour of its first frame); PSNR over every
pixel of every frame; flicker, the share of pixels that stay the same between consecutive reference
frames but change in the GIF; the process's wall time; and the GIF pass alone (combine_to_movie, timed
in-process: decoding the partial movies, palette, GIF encoding).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
MANIM_COMMON = ["--progress_bar", "none", "-v", "WARNING", "--silent", "--disable_caching"]
CASES = {
    "AdamDescent 400x300 15 fps": ["-r", "400,300", "--fps", "15", "scenes/adam.py", "AdamDescent"],
    "RosenbrockValley -ql": ["-ql", "scenes/rosenbrock.py", "RosenbrockValley"],
}
WRITERS = ("manim", "optscenes")


def child(kind: str, report: Path, manim_args: list[str]) -> None:
    """Run the manim command line in this process, with the writer ``kind`` asks for."""
    import manim as mn
    from manim.__main__ import main as manim_main

    from optscenes.visuals.gif import CleanGifMixin

    if kind == "manim":
        CleanGifMixin._use_clean_gif_writer = lambda self: None
    if kind == "reference":
        write_frame = mn.SceneFileWriter.write_frame

        def write_every_repeat(self, pixels, *, repeat=1):
            for _ in range(repeat):
                write_frame(self, pixels)

        mn.SceneFileWriter.write_frame = write_every_repeat
    combine = mn.SceneFileWriter.combine_to_movie
    seconds = {}

    def timed_combine(self):
        start = time.perf_counter()
        combine(self)
        seconds["gif_pass"] = time.perf_counter() - start

    mn.SceneFileWriter.combine_to_movie = timed_combine
    manim_main(args=manim_args, standalone_mode=False, prog_name="manim")
    report.write_text(json.dumps(seconds))


def render(kind: str, args: list[str], media: Path) -> dict:
    """One render in its own process; the output's path, wall time and GIF pass time."""
    fmt = "png-sequence" if kind == "reference" else "gif"
    report = media / "report.json"
    command = [sys.executable, __file__, "--child", kind, "--report", str(report), "--",
               *args[:-2], "--format", fmt, *MANIM_COMMON, "--media_dir", str(media), "-o", "out", *args[-2:]]  # fmt: skip
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    found = [p for p in media.glob("**/out.gif")] if fmt == "gif" else [next(media.glob("images/**/*.png")).parent]
    return {"path": found[0], "seconds": wall, **json.loads(report.read_text())}


def reference_frames(folder: Path):
    from PIL import Image

    for path in sorted(folder.glob("*.png")):
        yield np.asarray(Image.open(path).convert("RGB"))


def gif_frames(path: Path):
    import av

    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            yield frame.to_ndarray(format="rgb24")


def compare(gif: Path, reference: Path) -> dict:
    """Error, PSNR and flicker of ``gif`` against the reference frames, one frame pair at a time."""
    frames = squared = drawn_error = drawn = static = flicker = 0
    background = previous = None
    for got, want in zip(gif_frames(gif), reference_frames(reference), strict=True):
        if background is None:
            colours, counts = np.unique(want.reshape(-1, 3), axis=0, return_counts=True)
            background = colours[counts.argmax()]
        error = np.abs(got.astype(int) - want)
        squared += float((error.astype(float) ** 2).sum())
        is_drawn = np.any(want != background, axis=-1)
        drawn_error += int(error[is_drawn].sum())
        drawn += int(is_drawn.sum()) * 3
        if previous is not None:
            stays = np.all(want == previous[1], axis=-1)
            static += int(stays.sum())
            flicker += int((np.any(got != previous[0], axis=-1) & stays).sum())
        previous = got, want
        frames += 1
    mse = squared / (frames * got.size)
    return {"frames": frames, "drawn_error": drawn_error / max(drawn, 1),
            "psnr": 10 * np.log10(255**2 / mse) if mse else float("inf"), "flicker": 100 * flicker / max(static, 1)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--child", choices=("reference", *WRITERS), help=argparse.SUPPRESS)
    parser.add_argument("--report", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("manim_args", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.report, args.manim_args)
        return
    if Path(sys.executable).resolve() != VENV_PYTHON.resolve() and VENV_PYTHON.exists():
        raise SystemExit(subprocess.call([str(VENV_PYTHON), __file__, *sys.argv[1:]]))
    rows = []
    scratch = Path(tempfile.mkdtemp(prefix="optscenes-gif-bench-"))
    try:
        for case, manim_args in CASES.items():
            reference = render("reference", manim_args, Path(tempfile.mkdtemp(dir=scratch)))
            for writer in WRITERS:
                result = render(writer, manim_args, Path(tempfile.mkdtemp(dir=scratch)))
                rows.append({"case": case, "writer": writer, "kB": result["path"].stat().st_size / 1000,
                             "seconds": result["seconds"], "gif_pass": result["gif_pass"],
                             **compare(result["path"], reference["path"])})  # fmt: skip
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print("| scene | writer | frames | size | mean error, drawn pixels | PSNR | flicker | process | GIF pass |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['case']} | {r['writer']} | {r['frames']} | {r['kB']:.0f} kB | {r['drawn_error']:.2f}/255 "
              f"| {r['psnr']:.1f} dB | {r['flicker']:.2f} % | {r['seconds']:.2f} s | {r['gif_pass']:.2f} s |")  # fmt: skip


if __name__ == "__main__":
    main()
