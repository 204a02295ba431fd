"""GIFs from :mod:`optscenes.visuals.gif`, decoded and compared with the lossless frames of the same render
(``--format png-sequence`` writes exactly what the camera drew)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import av
import manim as mn
import numpy as np
import pytest
from conftest import ROOT, SCENES, load_scene_module
from PIL import Image

from optscenes.visuals.gif import CleanGifMixin, CleanGifWriter

BLUE = "#1F77B4"  # a blue that manim's 3-3-2 GIF palette turns green on white


class MovingDot(CleanGifMixin, mn.Scene):
    """A static picture of many colours, a dot that moves, then held frames."""

    def construct(self) -> None:
        rings = [mn.Circle(radius=0.25 * k, color=mn.interpolate_color(mn.BLUE, mn.ORANGE, k / 12)) for k in range(1, 13)]
        self.add(*rings, mn.Square(1.5, fill_opacity=0.6, color=mn.PURPLE).shift(3 * mn.LEFT))
        dot = mn.Dot(2 * mn.LEFT, radius=0.5, color=mn.YELLOW)
        self.add(dot)
        self.play(dot.animate.move_to(2 * mn.RIGHT), run_time=1)
        self.wait(1)


class BlueOnWhite(CleanGifMixin, mn.Scene):
    """A blue path drawn over a white background."""

    def construct(self) -> None:
        self.camera.background_color = mn.WHITE
        path = mn.VMobject(color=BLUE, stroke_width=40).set_points_smoothly(
            [[-5, -2, 0], [-2, 2, 0], [1, -1.5, 0], [5, 2, 0]]
        )
        self.play(mn.Create(path), run_time=1)


def render(scene_class: type[mn.Scene], media: Path, fmt: str, fps: float = 15, **extra) -> Path:
    """Render in-process at a small size; the written file (GIF) or folder (png sequence)."""
    settings = {"pixel_width": 160, "pixel_height": 120, "frame_rate": fps, "format": fmt, "media_dir": str(media),
                "disable_caching": True, "progress_bar": "none", "verbosity": "WARNING", **extra}  # fmt: skip
    with mn.tempconfig(settings), pytest.MonkeyPatch.context() as patch:
        if fmt == "png_sequence":
            patch.setattr(mn.SceneFileWriter, "write_frame", write_every_repeat(mn.SceneFileWriter.write_frame))
        scene = scene_class()
        scene.render()
        return Path(scene.renderer.file_writer.final_file_path)


def write_every_repeat(write_frame):
    """manim's png sequence writes a held frame (a ``wait``) once whatever its length; the reference needs
    it as often as a video shows it."""

    def write(self, pixels, *, repeat=1):
        for _ in range(repeat):
            write_frame(self, pixels)

    return write


def lossless_frames(folder: Path) -> np.ndarray:
    """The png sequence as RGBA arrays (frames, height, width, 4)."""
    return np.array([np.asarray(Image.open(p).convert("RGBA")) for p in sorted(folder.glob("*.png"))])


def gif_frames(path: Path) -> np.ndarray:
    """The GIF's frames as PyAV composes them, RGBA."""
    with av.open(str(path)) as container:
        return np.array([frame.to_ndarray(format="rgba") for frame in container.decode(video=0)])


@pytest.fixture(scope="module")
def dot_renders(tmp_path_factory) -> tuple[np.ndarray, np.ndarray, Path]:
    media = tmp_path_factory.mktemp("dot")
    gif = render(MovingDot, media, "gif")
    return gif_frames(gif), lossless_frames(render(MovingDot, media, "png_sequence")), gif


def test_gif_frames_are_the_lossless_frames(dot_renders):
    got, want, _ = dot_renders
    assert len(got) == len(want) == 30  # 1 s moving and 1 s held, at 15 fps
    error = np.abs(got[..., :3].astype(int) - want[..., :3])
    assert error.mean() < 0.3, error.mean()
    assert np.percentile(error, 99.9) <= 8
    assert error.max() <= 40  # a rare anti-aliasing shade sent to its nearest palette colour


def test_held_and_static_pixels_never_change(dot_renders):
    got, want, _ = dot_renders
    static = np.all(want[1:] == want[:-1], axis=-1)
    changed = np.any(got[1:] != got[:-1], axis=-1)
    assert static.sum() > 0.9 * static.size
    assert not changed[static].any(), f"{changed[static].mean():.2%} of static pixels flicker"
    held = [k for k in range(len(want) - 1) if static[k].all()]
    assert len(held) >= 14
    assert all(np.array_equal(got[k], got[k + 1]) for k in held)


def test_the_palette_is_adapted_not_the_fixed_3_3_2_grid(dot_renders):
    *_, gif = dot_renders
    with Image.open(gif) as image:
        palette = np.array(image.getpalette()).reshape(-1, 3)
    assert not on_332_grid(palette).all()
    assert on_332_grid(palette).mean() < 0.5


def on_332_grid(colours: np.ndarray) -> np.ndarray:
    """Whether each colour is one of the 256 of manim's forced ``rgb8`` (3 bits red and green, 2 blue; FFmpeg
    spaces the 8 levels by 36, others by 255 / 7)."""

    def near(values: np.ndarray, levels: np.ndarray) -> np.ndarray:
        return (np.abs(values[..., None] - levels) <= 3).any(axis=-1)

    return near(colours[:, :2], np.arange(8) * 255 / 7).all(axis=1) & near(colours[:, 2], np.arange(4) * 85)


@pytest.mark.parametrize("fps", [15, 30])
def test_every_frame_starts_within_a_centisecond_of_its_time(tmp_path, fps):
    gif = render(MovingDot, tmp_path, "gif", fps)
    with Image.open(gif) as image:
        delays = [frame_delay(image, k) for k in range(image.n_frames)]
    assert len(delays) == 2 * fps
    starts_ms = np.concatenate([[0], np.cumsum(delays)[:-1]])
    assert np.abs(starts_ms - 1000 * np.arange(len(delays)) / fps).max() <= 10
    assert set(delays) == ({60, 70} if fps == 15 else {30, 40})


def frame_delay(image: Image.Image, index: int) -> int:
    image.seek(index)
    return image.info["duration"]


def test_a_blue_path_on_white_stays_blue(tmp_path):
    got = gif_frames(render(BlueOnWhite, tmp_path, "gif"))[-1, ..., :3].astype(int)
    want = lossless_frames(render(BlueOnWhite, tmp_path, "png_sequence"))[-1, ..., :3].astype(int)
    path = np.abs(want - [0x1F, 0x77, 0xB4]).max(axis=-1) < 10
    assert path.sum() > 200
    assert np.abs(got[path] - want[path]).max() <= 3
    assert (got[path, 2] > got[path, 1] + 40).all()  # blue, not green


def test_transparent_gif_is_clear_where_the_background_is(tmp_path):
    got = gif_frames(render(MovingDot, tmp_path, "gif", transparent=True))
    want = lossless_frames(render(MovingDot, tmp_path, "png_sequence", transparent=True))
    assert len(got) == len(want)
    clear, solid = want[..., 3] == 0, want[..., 3] == 255
    assert clear.mean() > 0.5
    assert (got[..., 3][clear] == 0).all()  # also where the dot was a moment before
    assert (got[..., 3][solid] == 255).all()
    dot = solid & (np.abs(want[..., :3].astype(int) - [0xF7, 0xD9, 0x6F]).max(axis=-1) < 3)  # manim's YELLOW
    assert dot[0].sum() > 50 and dot[-1].sum() > 50
    assert np.abs(got[..., :3][dot].astype(int) - want[..., :3][dot]).max() <= 3


def test_a_rerender_from_cached_partial_movies_gives_the_same_gif(tmp_path):
    first = render(MovingDot, tmp_path, "gif", disable_caching=False).read_bytes()
    segments = {p: p.stat().st_mtime_ns for p in tmp_path.glob("videos/**/partial_movie_files/**/*.mp4")}
    assert len(segments) == 2  # the play and the wait
    second = render(MovingDot, tmp_path, "gif", disable_caching=False).read_bytes()
    assert {p: p.stat().st_mtime_ns for p in tmp_path.glob("videos/**/partial_movie_files/**/*.mp4")} == segments
    assert second == first


def test_partial_movies_of_manims_own_gif_writer_are_not_reused(tmp_path, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(CleanGifMixin, "_use_clean_gif_writer", lambda self: None)
        render(MovingDot, tmp_path, "gif", disable_caching=False)
    got = gif_frames(render(MovingDot, tmp_path, "gif", disable_caching=False))
    want = lossless_frames(render(MovingDot, tmp_path, "png_sequence"))
    assert np.abs(got[..., :3].astype(int) - want[..., :3]).mean() < 0.3


def test_output_name_is_kept(tmp_path):
    gif = render(MovingDot, tmp_path, "gif", output_file="clip")
    assert gif.name == "clip.gif" and gif.is_file()


def test_other_formats_are_manims(tmp_path):
    with mn.tempconfig({"format": "mp4", "media_dir": str(tmp_path)}):
        writer = MovingDot().renderer.file_writer
    assert type(writer) is mn.SceneFileWriter


def test_surface_scenes_get_the_gif_writer_too(tmp_path):
    saddle = load_scene_module(SCENES / "saddle.py")
    with mn.tempconfig({"format": "gif", "media_dir": str(tmp_path), "pixel_width": 160, "pixel_height": 120}):
        scene = saddle.SaddleEscape()
    assert isinstance(scene, mn.ThreeDScene)
    assert isinstance(scene.renderer.camera, mn.ThreeDCamera)
    assert type(scene.renderer.file_writer) is CleanGifWriter


def test_the_users_command_writes_a_faithful_gif(tmp_path):
    common = ["-ql", "-r", "160,120", "--fps", "15", "--progress_bar", "none", "-v", "WARNING", "--silent",
              "--disable_caching", "--media_dir", str(tmp_path)]  # fmt: skip
    for fmt in ("gif", "png-sequence"):
        subprocess.run(
            [manim_command(), *common, "--format", fmt, "-o", "seed", "scenes/adam.py", "AdamDescent"],
            cwd=ROOT, check=True, capture_output=True,
        )  # fmt: skip
    gif = next(tmp_path.glob("videos/**/seed.gif"))
    with Image.open(gif) as image:
        assert on_332_grid(np.array(image.getpalette()).reshape(-1, 3)).mean() < 0.5
    got, want = gif_frames(gif), lossless_frames(next(tmp_path.glob("images/**/*.png")).parent)
    # The png sequence holds the end in one frame whatever its length: compare the start and the 50 steps.
    assert len(got) >= len(want) >= 51
    # Thin (faded) path segments add anti-aliased shades that one 256-colour palette rounds: 0.42 here.
    assert np.abs(got[:51, ..., :3].astype(int) - want[:51, ..., :3]).mean() < 0.5


def manim_command() -> str:
    beside = Path(sys.executable).parent / "manim"
    return str(beside) if beside.exists() else "manim"

