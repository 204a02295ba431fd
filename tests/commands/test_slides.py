"""Slide decks as a lecturer makes and shows them: ``manim render`` of an optscenes scene with
``pause_at``, ``manim-slides convert`` to PDF and to an HTML deck opened in headless Chromium, checked against
the scene's own video and its ``still_step`` stills; and the shims manim-slides needs on manim 0.22."""

from __future__ import annotations

import base64
import io
import json
import os
import re
import select
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from conftest import SCENES, find_colour, load_scene_module, read_frames
from PIL import Image

import optscenes
from optscenes.slides import SHIMS, apply_shims
from optscenes.visuals.theme import DARK

adam = load_scene_module(SCENES / "adam.py")

#: The deck's scene: the seed, short. 320x180 at 10 fps: a step is 2 frames, the start hold 5, the end hold 3.
SETTINGS = {"steps": 12, "seconds_per_step": 0.2, "start_hold": 0.5, "end_hold": 0.3}
PAUSES = [0, 5]
SIZE, FPS = (320, 180), 10
#: The slides: (frames, step shown last); the last slide is the end hold.
SLIDES = [(5 + 2, 0), (5 * 2, 5), (7 * 2, 12), (3, 12)]
STILL_STEPS = (0, 5, 12)

DECK_FILE = f"""
import sys
sys.path.insert(0, {str(SCENES)!r})
from adam import AdamDescent
from optscenes.slides import Slides

class AdamSlides(Slides, AdamDescent):
    pause_at = {PAUSES!r}
    skip_reversing = True  # manim-slides' own setting: no reversed copies (the tests never go back)
""" + "".join(f"    {name} = {value!r}\n" for name, value in SETTINGS.items())

#: The same scene as a video, and as stills.
Seed = type("Seed", (adam.AdamDescent,), dict(SETTINGS))


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


@pytest.fixture(scope="module")
def deck(tmp_path_factory) -> Path:
    """A folder with the deck rendered as a lecturer does (its ``slides/`` folder)."""
    folder = tmp_path_factory.mktemp("deck")
    (folder / "deck.py").write_text(DECK_FILE)
    width, height = SIZE
    # manim-slides render is manim render run by manim-slides (one more start-up of its own): run manim itself.
    run("-m", "manim", "render", "-r", f"{width},{height}", "--fps", str(FPS), "--progress_bar", "none",
        "-v", "WARNING", "--media_dir", "media", "deck.py", "AdamSlides", cwd=folder)  # fmt: skip
    return folder


@pytest.fixture(scope="module")
def slides(deck) -> list[dict]:
    return [
        {**slide, "file": deck / slide["file"]}
        for slide in json.loads((deck / "slides" / "AdamSlides.json").read_text())["slides"]
    ]


@pytest.fixture(scope="module")
def still_files(tmp_path_factory) -> tuple[list[Path], Path]:
    """``write_stills`` of every step the deck shows last: the PNGs and the handout."""
    from manim import tempconfig

    from optscenes.slides import write_stills

    out = tmp_path_factory.mktemp("stills")
    with tempconfig({"pixel_width": SIZE[0], "pixel_height": SIZE[1], "frame_rate": FPS, "verbosity": "WARNING"}):
        return write_stills([Seed], STILL_STEPS, out)


@pytest.fixture(scope="module")
def stills(still_files) -> dict[int, np.ndarray]:
    """The scene's ``still_step`` pictures, by step."""
    return {step: np.asarray(Image.open(p).convert("RGB")) for step, p in zip(STILL_STEPS, still_files[0], strict=True)}


@pytest.fixture(scope="module")
def video(tmp_path_factory) -> list[np.ndarray]:
    """Every frame of the same scene rendered as a plain video."""
    from manim import tempconfig

    media = tmp_path_factory.mktemp("video")
    config = {"pixel_width": SIZE[0], "pixel_height": SIZE[1], "frame_rate": FPS, "media_dir": str(media),
              "disable_caching": True, "progress_bar": "none", "verbosity": "WARNING", "format": "mp4"}  # fmt: skip
    with tempconfig(config):
        scene = Seed()
        scene.render()
        return read_frames(Path(scene.renderer.file_writer.final_file_path))


def pdf_pages(path: Path) -> list[np.ndarray]:
    """Each page's image of a PDF that holds one JPEG image a page (what Pillow writes); checks the page count."""
    data = path.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page\b", data))
    images = re.findall(rb"/DCTDecode.*?stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL)
    assert re.findall(rb"/Count\s+(\d+)", data) == [str(pages).encode()] and len(images) == pages
    return [np.asarray(Image.open(io.BytesIO(jpeg)).convert("RGB")) for jpeg in images]


def dot(frame: np.ndarray) -> tuple[float, float]:
    found = find_colour(frame, DARK.dot, tolerance=45)
    assert found is not None, "no dot in the picture"
    return found


def distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(np.hypot(a[0] - b[0], a[1] - b[1]))


def assert_shows(frame: np.ndarray, stills: dict[int, np.ndarray], step: int, *, within: float = 1.5) -> None:
    """``frame`` is the still of ``step`` (up to lossy coding): its dot where the still's is, and not where any
    other step's dot is."""
    assert distance(dot(frame), dot(stills[step])) < within
    for other, still in stills.items():
        if other != step:
            assert distance(dot(frame), dot(still)) > 3 * within
    assert np.abs(frame.astype(float) - stills[step]).mean() < 4


# --- the deck ------------------------------------------------------------------------------------------


def test_the_deck_is_the_video_cut_after_each_pause_step_with_the_hold_looping(slides, video, stills):
    frames = [read_frames(Path(slide["file"])) for slide in slides]
    assert [len(f) for f in frames] == [n for n, _ in SLIDES]
    assert [slide["loop"] for slide in slides] == [False, False, False, True]
    # The same frames as the video, in order (each coded on its own: compared up to lossy coding).
    joined = [frame for part in frames for frame in part]
    assert len(joined) == len(video)
    assert max(np.abs(a.astype(float) - b).mean() for a, b in zip(joined, video, strict=True)) < 2
    for part, (_, step) in zip(frames, SLIDES, strict=True):
        assert_shows(part[-1], stills, step)


def test_each_slide_has_its_steps_numbers_as_speaker_notes(slides):
    run = optscenes.optimize(optscenes.Objective(Seed.function), optimizer="adam", lr=0.25, start=0.0, steps=12)
    for slide, (_, step) in zip(slides, SLIDES, strict=True):
        heading, numbers = slide["notes"].split(": ")
        assert heading == f"Step {step}"
        shown = dict(item.split(" = ") for item in numbers.split(", "))
        expected = {"x": run.params[step, 0], "f": run.losses[step], "grad": run.grads[step, 0], "lr": 0.25}
        assert shown.keys() == expected.keys()
        for name, value in expected.items():
            assert float(shown[name]) == pytest.approx(value, rel=5e-3, abs=1e-9), name


def test_the_pdf_has_a_page_per_slide_each_showing_its_step(deck, stills):
    run("-m", "manim_slides", "convert", "--to", "pdf", "AdamSlides", "deck.pdf", cwd=deck)
    pages = pdf_pages(deck / "deck.pdf")
    assert len(pages) == len(SLIDES)
    for page, (_, step) in zip(pages, SLIDES, strict=True):
        assert page.shape == (SIZE[1], SIZE[0], 3)
        assert_shows(page, stills, step)


def reveal_js() -> Path:
    """The reveal.js the HTML deck names, where ``scripts/setup.sh test`` puts it (the deck's CDN is out of
    reach in CI); Chromium from Debian's package."""
    from manim_slides.convert import RevealJS

    folder = Path(sys.prefix) / "share" / f"reveal.js-{RevealJS.model_fields['reveal_version'].default}"
    if not (folder / "dist" / "reveal.js").is_file() or shutil.which("chromium") is None:
        message = f"needs chromium and {folder}: run bash scripts/setup.sh test"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    return folder


#: Resolves once the current slide's video has played to its end and that last frame is painted.
AFTER_THE_SLIDE_PLAYED = """new Promise((resolve) => {
  const check = () => {
    const slide = window.Reveal && Reveal.isReady() && Reveal.getCurrentSlide();
    const video = slide && slide.slideBackgroundContentElement.querySelector("video");
    if (video && video.ended) requestAnimationFrame(() => requestAnimationFrame(() => resolve(Reveal.getIndices().h)));
    else setTimeout(check, 50);
  };
  check();
})"""


class Chromium:
    """Headless Chromium driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``: JSON
    messages ending in a NUL byte, browser input on fd 3, output on fd 4): no driver package needed."""

    def __init__(self, page: str, size: tuple[int, int]) -> None:
        to_browser, self._out = os.pipe()
        self._in, from_browser = os.pipe()

        def browser_fds() -> None:
            os.dup2(to_browser, 3)
            os.dup2(from_browser, 4)

        self.process = subprocess.Popen(
            ["chromium", "--headless", "--no-sandbox", "--remote-debugging-pipe", "--hide-scrollbars",
             "--autoplay-policy=no-user-gesture-required", "about:blank"],
            pass_fds=(3, 4), preexec_fn=browser_fds,  # noqa: PLW1509 - it only duplicates two descriptors stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(to_browser)
        os.close(from_browser)
        self._sent, self._received, self._session, self._events = 0, b"", None, []
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self._session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        # The page's own size (a headless window's includes room for the browser's bars).
        self.send(
            "Emulation.setDeviceMetricsOverride", width=size[0], height=size[1], deviceScaleFactor=1, mobile=False
        )
        self.send("Page.enable")
        self.send("Page.navigate", url=page)
        while "Page.loadEventFired" not in self._events:
            self._events.append(self._read().get("method"))

    def send(self, method: str, **params) -> dict:
        self._sent += 1
        message = {"id": self._sent, "method": method, "params": params}
        if self._session:
            message["sessionId"] = self._session
        os.write(self._out, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._sent:
                assert "error" not in reply, reply["error"]
                return reply["result"]
            self._events.append(reply.get("method"))

    def _read(self) -> dict:
        while b"\0" not in self._received:
            ready, _, _ = select.select([self._in], [], [], 30)
            assert ready, "Chromium did not answer in 30 s"
            chunk = os.read(self._in, 1 << 16)
            assert chunk, "Chromium closed the pipe"
            self._received += chunk
        message, self._received = self._received.split(b"\0", 1)
        return json.loads(message)

    def run(self, script: str):
        return self.send("Runtime.evaluate", expression=script, awaitPromise=True, returnByValue=True)["result"].get(
            "value"
        )

    def screenshot(self) -> np.ndarray:
        png = base64.b64decode(self.send("Page.captureScreenshot", format="png")["data"])
        return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))

    def close(self) -> None:
        self.process.kill()
        self.process.wait()
        os.close(self._in)
        os.close(self._out)


def test_the_html_deck_in_chromium_shows_the_first_then_the_second_pause_step(deck, stills):
    reveal = reveal_js()
    run("-m", "manim_slides", "convert", "--to", "html", "AdamSlides", "deck.html", f"-ccdn_url={reveal.as_uri()}",
        cwd=deck)  # fmt: skip
    sections = re.findall(r"<section(.*?)>", (deck / "deck.html").read_text(), re.DOTALL)
    assert ["data-background-video-loop" in section for section in sections] == [False, False, False, True]
    browser = Chromium((deck / "deck.html").as_uri(), (2 * SIZE[0], 2 * SIZE[1]))
    try:
        shown = []
        for advance in ("", "Reveal.next()"):  # the first slide, then one on, as the right arrow key goes
            browser.run(advance or "0")
            assert browser.run(AFTER_THE_SLIDE_PLAYED) == len(shown)
            shot = Image.fromarray(browser.screenshot()).resize(SIZE, Image.Resampling.BOX)
            shown.append(np.asarray(shot))
    finally:
        browser.close()
    assert_shows(shown[0], stills, 0, within=2)
    assert_shows(shown[1], stills, 5, within=2)


def test_stills_are_the_videos_frames_and_the_handout_has_them_in_order(still_files, stills, video):
    pngs, handout = still_files
    assert [p.name for p in pngs] == [f"Seed_step{k}.png" for k in STILL_STEPS]
    pages = pdf_pages(handout)
    assert len(pages) == len(STILL_STEPS)
    for page, step in zip(pages, STILL_STEPS, strict=True):
        assert_shows(page, stills, step)
    for step, still in stills.items():
        frame = video[5 + (step + 1) * 2 - 1]  # after the start hold, the last frame of that step
        assert np.abs(frame.astype(float) - still).mean() < 2
        assert distance(dot(frame), dot(still)) < 1


# --- the shims -----------------------------------------------------------------------------------------


def fake_config(has_keys: bool) -> type:
    """A stand-in for manim's ``ManimConfig``: as in manim 0.22 (no ``write_to_movie``/``flush_cache``, -1 for
    an unlimited cache), or as a manim that already has what manim-slides reads."""

    def reject_infinity(config, value):
        if not (isinstance(value, int) and value >= -1) and not has_keys:
            raise ValueError("max_files_cached must be a non-negative integer or -1 for unlimited")
        config.cached = value

    attributes = {"dry_run": False, "cached": 100, "max_files_cached": property(lambda c: c.cached, reject_infinity)}
    if has_keys:
        attributes.update(write_to_movie=True, flush_cache=False)
    return type("FakeConfig", (), attributes)


def test_the_shims_are_applied_only_to_a_manim_that_lacks_them():
    old = fake_config(has_keys=False)
    assert apply_shims(old) == [name for name, _, _ in SHIMS] == ["write_to_movie", "max_files_cached", "flush_cache"]
    config = old()
    config.max_files_cached = float("inf")
    config.write_to_movie = True
    assert (config.max_files_cached, config.write_to_movie, config.flush_cache) == (-1, True, False)
    with pytest.raises(ValueError, match="always writes"):
        config.write_to_movie = False
    assert apply_shims(old) == []  # once is enough
    new = fake_config(has_keys=True)
    assert (
        apply_shims(new) == []
        and "write_to_movie" in vars(new)
        and not isinstance(vars(new)["write_to_movie"], property)
    )


@pytest.mark.parametrize(
    ("left_out", "error"),
    [("write_to_movie", "AttributeError: .*write_to_movie"),
     ("max_files_cached", "ValueError: max_files_cached must be"),
     ("flush_cache", "AttributeError: .*flush_cache")],
)  # fmt: skip
def test_without_each_shim_the_installed_manim_fails_to_render_the_deck(tmp_path, left_out, error):
    """The installed manim needs all three: leaving one out, the others are applied and the render fails."""
    (tmp_path / "deck.py").write_text(DECK_FILE)
    script = textwrap.dedent(f"""
        import runpy, sys
        import optscenes.slides as slides
        slides.SHIMS = tuple(shim for shim in slides.SHIMS if shim[0] != {left_out!r})
        print("applied", slides.apply_shims())
        from manim import tempconfig
        deck = runpy.run_path("deck.py")["AdamSlides"]
        with tempconfig({{"pixel_width": 64, "pixel_height": 36, "frame_rate": 5, "media_dir": "media-{left_out}",
                          "disable_caching": True, "progress_bar": "none", "verbosity": "WARNING"}}):
            deck(output_folder=__import__("pathlib").Path("slides-{left_out}")).render()
    """)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    applied = [name for name, _, _ in SHIMS if name != left_out]
    assert done.returncode != 0 and f"applied {applied}" in done.stdout
    assert re.search(error, done.stderr), done.stderr[-2000:]


def test_slides_of_makes_a_deck_class_of_any_scene():
    from optscenes.slides import Slides, slides_of

    deck = slides_of(Seed, pause_at=[10, 3])
    assert deck.__name__ == "SeedSlides" and issubclass(deck, Slides) and issubclass(deck, Seed)
    assert deck.__mro__.index(Slides) < deck.__mro__.index(Seed)  # its replay is the deck's
    with pytest.raises(optscenes.SettingError, match="pause_at"):
        slides_of(Seed, pause_at="10")().settings  # noqa: B018 - checked when asked


def test_the_modules_examples_hold():
    import doctest

    import optscenes.slides

    assert doctest.testmod(optscenes.slides).failed == 0
