"""Re-rendering an unchanged scene takes its run from the run cache, without importing torch."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from conftest import ROOT


def test_rerendering_an_unchanged_scene_does_not_import_torch(tmp_path):
    script = textwrap.dedent(
        f"""
        import sys
        from manim import tempconfig
        sys.path.insert(0, {str(ROOT / "tests")!r})
        from conftest import load_scene_module, SCENES
        adam = load_scene_module(SCENES / "adam.py")
        with tempconfig({{"media_dir": {str(tmp_path)!r}, "pixel_width": 160, "pixel_height": 90,
                          "frame_rate": 5, "progress_bar": "none", "verbosity": "WARNING"}}):
            adam.AdamDescent().render()
        print("torch" in sys.modules)
        """
    )
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True) for _ in "ab"]
    assert [r.stdout.split()[-1] for r in runs] == ["True", "False"]
    assert len(list((tmp_path / "optscenes-cache").glob("*.npz"))) == 1
