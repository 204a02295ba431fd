"""The example lecture (lectures/intro.toml, 12 scenes) rendered at -ql with --jobs 2 against --jobs 1.

    .venv/bin/python benchmarks/lecture.py              # one round each: about 3-6 minutes on 2 cores
    .venv/bin/python benchmarks/lecture.py --repeats 2

Each render is the whole ``optscenes render`` command as a user runs it, timed from outside, into a fresh
temporary media folder; the rounds alternate (1, 2, 1, 2, ...) so a busy neighbour slows both alike.
Target (issue 12): --jobs 2 at least 1.6x faster than --jobs 1 on these 2-core machines.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LECTURE = ROOT / "lectures" / "intro.toml"
COMMAND = Path(sys.executable).parent / "optscenes"
TARGET = 1.6


def render(jobs: int) -> float:
    """Seconds for one whole render of the lecture with ``jobs`` processes; every scene must succeed."""
    with tempfile.TemporaryDirectory(prefix="optscenes-bench-") as media:
        start = time.perf_counter()
        result = subprocess.run(
            [str(COMMAND), "render", str(LECTURE), "--quality", "l", "--jobs", str(jobs), "--media_dir", media],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        seconds = time.perf_counter() - start
        written = sorted(p.name for p in Path(media).glob("*.gif"))
    if result.returncode != 0 or len(written) != 12:
        sys.exit(f"--jobs {jobs} failed ({len(written)} GIFs):\n{result.stdout}\n{result.stderr}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    times: dict[int, list[float]] = {1: [], 2: []}
    for round_ in range(args.repeats):
        for jobs in (1, 2):
            times[jobs].append(render(jobs))
            print(f"round {round_ + 1}: --jobs {jobs}: {times[jobs][-1]:.1f} s", flush=True)
    one, two = statistics.median(times[1]), statistics.median(times[2])
    ratio = one / two
    print(f"12 scenes at -ql: --jobs 1 {one:.1f} s, --jobs 2 {two:.1f} s, speed-up {ratio:.2f}x "
          f"(target {TARGET}x: {'met' if ratio >= TARGET else 'NOT met'})")  # fmt: skip


if __name__ == "__main__":
    main()
