"""Write the README's settings table from optscenes' settings table (optscenes/core/settings.py).

python scripts/settings_table.py           rewrite the table in README.md
python scripts/settings_table.py --print   print it (tests compare it with the README)
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

from optscenes.core.settings import SCENE_KINDS, SETTINGS

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- settings table -->\n", "<!-- end of settings table -->"


def shown(default: object) -> str:
    if isinstance(default, Mapping):
        default = dict(default)
    if isinstance(default, float) and len(repr(default)) > 8:
        return f"{default:.4g}"
    return repr(default)


def table() -> str:
    rows = ["| setting | takes | default | scenes | what it does |", "|---|---|---|---|---|"]
    for name, s in SETTINGS.items():
        kinds = "all" if set(s.scenes) == set(SCENE_KINDS) else ", ".join(k for k in SCENE_KINDS if k in s.scenes)
        doc = (s.doc + (" Per run." if s.per_run else "")).replace("|", "\\|")
        rows.append(f"| `{name}` | {s.takes} | `{shown(s.default)}` | {kinds} | {doc} |")
    return "\n".join(rows) + "\n"


def main() -> int:
    if sys.argv[1:] == ["--print"]:
        sys.stdout.write(table())
        return 0
    text = README.read_text()
    head, found, rest = text.partition(START)
    if not found or END not in rest:
        print(f"{README} has no '{START.strip()}' ... '{END}' block to fill", file=sys.stderr)
        return 1
    README.write_text(head + START + table() + END + rest.split(END, 1)[1])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
