"""The surface scene: a run that leaves the view says so (it did not diverge), and the 3D part stays between
the header and the table at every angle the camera turns through."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import SCENES, find_colour, load_scene_module, read_frames, scene_to_pixel

from optscenes.visuals.theme import OKABE_ITO

saddle = load_scene_module(SCENES / "saddle.py")


@pytest.fixture(scope="module")
def replay(tmp_path_factory):
    """SaddleEscape rendered once for the tests here, small and at 5 frames a second: (scene, frames)."""
    from manim import tempconfig

    settings = {
        "pixel_width": 640, "pixel_height": 360, "frame_rate": 5, "format": "mp4", "disable_caching": True,
        "media_dir": str(tmp_path_factory.mktemp("surface")), "progress_bar": "none", "verbosity": "WARNING",
    }  # fmt: skip
    with tempconfig(settings):
        scene = saddle.SaddleEscape()
        scene.render()
        return scene, read_frames(Path(scene.renderer.file_writer.final_file_path))


def box_of(scene, mobject, shape, pad: int = 3) -> tuple[int, int, int, int]:
    """Pixel rows and columns (top, bottom, left, right) of ``mobject``'s bounding box, ``pad`` wider."""
    left, top = scene_to_pixel(scene, mobject.get_corner([-1, 1, 0]), shape)
    right, bottom = scene_to_pixel(scene, mobject.get_corner([1, -1, 0]), shape)
    return int(top) - pad, int(bottom) + pad + 1, int(left) - pad, int(right) + pad + 1


def first_row_outside(params: np.ndarray, scene) -> int:
    """The first iterate outside the scene's x and y view, computed here from the run's numbers."""
    x, y = params[:, 0], params[:, 1]
    outside = (x < scene.x_view.low) | (x > scene.x_view.high) | (y < scene.y_view.low) | (y > scene.y_view.high)
    return int(np.argmax(outside))


def test_the_escaping_run_left_the_view_and_did_not_diverge(replay):
    scene, frames = replay
    plain, momentum = scene.trajectories()
    assert plain.status == momentum.status == "finished"
    exit_row = first_row_outside(momentum.params, scene)
    assert 0 < exit_row < momentum.steps
    notes = [None if n is None else n.original_text for n in scene.table.notes]
    assert notes == [None, f"left the view at step {exit_row}"]
    # On screen: the momentum row's note shows, in its colour, from the step the run left the view on.
    top, bottom, left, right = box_of(scene, scene.table.notes[1], frames[0].shape)
    for index, frame in enumerate(frames):
        step = scene.plan.step_at(max(index - scene.plan.start_frames, 0))
        shown = find_colour(frame[top:bottom, left:right], OKABE_ITO[1], tolerance=60) is not None
        assert shown == (step >= exit_row), (index, step)


def test_the_surface_stays_between_header_and_table_while_the_camera_turns(replay):
    """Projected with the camera as it is in the first, middle and last frame of the turning replay, the
    axes, the surface and the axis names lie below the header and counter and above the table; and on
    pixels, nothing is drawn beside the header and the table where only the page should be."""
    scene, frames = replay
    camera = scene.renderer.camera
    points = np.vstack([m.get_all_points() for m in (scene.axes, scene.surface, *scene.axis_names)])
    header_bottom = min(scene.header.get_bottom()[1], scene.counter.get_bottom()[1])
    table_top = scene.table.get_top()[1]
    replay_frames = scene.plan.replay_frames
    for frame in (0, replay_frames // 2, replay_frames - 1):
        scene.pose(frame)
        screen = camera.project_points(points)
        assert screen[:, 1].max() < header_bottom and screen[:, 1].min() > table_top, frame
        assert np.abs(screen[:, 0]).max() < scene.camera.frame_width / 2, frame
    shape = frames[0].shape
    keep_clear = np.ones(shape[:2], dtype=bool)
    keep_clear[box_of(scene, scene.header, shape)[1] : box_of(scene, scene.table, shape)[0]] = False
    for mobject in (scene.header, scene.counter, scene.table, *(n for n in scene.table.notes if n is not None)):
        top, bottom, left, right = box_of(scene, mobject, shape)
        keep_clear[max(top, 0) : bottom, max(left, 0) : right] = False  # the texts themselves
    for index in (0, len(frames) // 2, len(frames) - 1):
        drawn = frames[index].astype(int).max(axis=2) > 60
        assert not np.any(drawn & keep_clear), (index, np.argwhere(drawn & keep_clear)[:5])


def test_the_loss_inset_is_drawn_beside_the_surface_inside_the_frame(replay, render_scene):
    """Issue 15: the surface has the map's loss inset. In stills, each run's loss line is drawn in its colour
    inside the inset's box at a late step and not at step 0; the inset lies inside the frame, between header
    and table, and right of the surface from every angle the camera turns through."""
    for step, drawn in ((0, False), (50, True)):
        still = type("Still", (saddle.SaddleEscape,), {"still_step": step, "theme": "dark"})
        scene, path = render_scene(still, "png", 854, 480, 15, save_last_frame=True)
        frame = read_frames(path)[0]
        top, bottom, left, right = box_of(scene, scene.inset.axes, frame.shape, pad=-2)  # inside its frame line
        for colour in OKABE_ITO[:2]:
            found = find_colour(frame[top:bottom, left:right], colour, tolerance=30)
            assert (found is not None) is drawn, (step, colour)
    width = scene.frame_size[0]
    inset = scene.inset
    assert -width / 2 < inset.get_left()[0] and inset.get_right()[0] < width / 2
    assert scene.table.get_top()[1] < inset.get_bottom()[1] and inset.get_top()[1] < scene.header.get_bottom()[1]
    scene, _ = replay  # the camera turns there
    points = np.vstack([m.get_all_points() for m in (scene.axes, scene.surface, *scene.axis_names)])
    for frame_index in (0, scene.plan.replay_frames // 2, scene.plan.replay_frames - 1):
        scene.pose(frame_index)
        assert scene.renderer.camera.project_points(points)[:, 0].max() < scene.inset.get_left()[0], frame_index
