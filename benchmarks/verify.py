"""Render every benchmark candidate once, check frame counts, save one frame of each as a PNG.

    python benchmarks/verify.py [--out DIR] [--frame N] [--skip-qh]

Frame counts are decoded from the files themselves: GIFs with PIL's ImageSequence, MP4s with PyAV.
Every candidate must have the same number of frames as AdamDescent in the same settings
(51 at 15 fps, 204 at -qh's 60 fps; 501 for the 500-step variant). Exit status 1 on a mismatch.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import av
from PIL import Image, ImageSequence

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ROOT, candidates, manim_candidate  # noqa: E402


def gif_frames(path: Path) -> list[Image.Image]:
    with Image.open(path) as im:
        return [frame.convert("RGB") for frame in ImageSequence.Iterator(im)]


def mp4_frames(path: Path, keep: int) -> tuple[int, Image.Image | None]:
    count, kept = 0, None
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            if count == keep:
                kept = frame.to_image()
            count += 1
    return count, kept


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "optscenes-bench-frames")
    parser.add_argument("--frame", type=int, default=20, help="which step's frame to save (0-50)")
    parser.add_argument("--skip-qh", action="store_true", help="skip the 1080p60 MP4 renders")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    media = Path(tempfile.mkdtemp(prefix="optscenes-verify-"))

    cases = candidates()
    cases.append(manim_candidate("floor_ql", "FloorScene -ql GIF", ["-ql"], "benchmarks/floor_scene.py", "FloorScene",
                                 51, fmt="gif"))  # fmt: skip
    ok = True
    for c in cases:
        if args.skip_qh and c.qh:
            continue
        cmd = c.argv(media)
        subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        if not c.fresh_media:  # the re-render candidate: render a second time, from the cache
            subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        path = c.output(media)
        keep = args.frame * (4 if c.qh else 1)
        if path.suffix == ".gif":
            frames = gif_frames(path)
            count, image = len(frames), frames[min(keep, len(frames) - 1)]
        else:
            count, image = mp4_frames(path, keep)
        png = args.out / f"{c.key}_frame{keep}.png"
        if image is not None:
            image.save(png)
        good = count == c.frames
        ok &= good
        size = f"{image.size[0]}x{image.size[1]}" if image is not None else "?"
        print(f"{c.key:13s} {count:4d} frames {size:>9s}  {'ok' if good else f'MISMATCH (expected {c.frames})'}"
              f"  {path.relative_to(media) if path.is_relative_to(media) else path} -> {png}")  # fmt: skip
    print(f"media in {media}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
