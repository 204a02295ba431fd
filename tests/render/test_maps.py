"""Two variables on screen: the contour map and the surface scenes."""

from __future__ import annotations

import manim as mn
import numpy as np
import pytest
from conftest import SCENES, find_colour, load_scene_module, read_frames, scene_to_pixel

import optscenes
from optscenes.core.catalogue import CATALOGUE
from optscenes.visuals.theme import OKABE_ITO

himmelblau = load_scene_module(SCENES / "himmelblau.py")
saddle = load_scene_module(SCENES / "saddle.py")
rosenbrock = load_scene_module(SCENES / "rosenbrock.py")


def test_contour_scene_dots_and_minima_markers(render_scene):
    scene, path = render_scene(himmelblau.FourMinima, "mp4", 854, 480, 15)
    frames = read_frames(path)
    start = scene.plan.start_frames
    assert len(frames) == scene.plan.total_frames == start + 61 + 15  # the start held, 60 steps and the start, a 1 s hold
    (left, top) = scene_to_pixel(scene, scene.axes.c2p(scene.x_view.low, scene.y_view.high), frames[0].shape)
    (right, bottom) = scene_to_pixel(scene, scene.axes.c2p(scene.x_view.high, scene.y_view.low), frames[0].shape)
    for k in (0, 5, 60):
        plot = frames[start + k][int(top) : int(bottom), int(left) : int(right)]
        for trajectory, colour in zip(scene.trajectories(), OKABE_ITO, strict=False):
            x, y = trajectory.params[k]
            expected = scene_to_pixel(scene, scene.axes.c2p(x, y), frames[k].shape)
            found = find_colour(plot, colour, tolerance=30)  # the paths are drawn at 0.7 opacity: darker
            assert found is not None
            assert np.hypot(found[0] + int(left) - expected[0], found[1] + int(top) - expected[1]) < 2.5, (k, colour)
    # The four known minima are marked where the catalogue puts them, and the runs end on them.
    centres = sorted(tuple(np.round(m.get_center()[:2], 6)) for m in scene.markers)
    assert centres == sorted(tuple(np.round(scene.axes.c2p(*p)[:2], 6)) for p in CATALOGUE["himmelblau"].minima)
    ends = {tuple(np.round(t.params[-1], 2)) for t in scene.trajectories()}
    assert ends == {tuple(np.round(p, 2)) for p in CATALOGUE["himmelblau"].minima}


def test_the_heatmap_image_renders_under_cairo(render_scene):
    """manim 0.22's Cairo camera fails on any ImageMobject with Pillow 13; this catches a bump past 12."""

    class Image(mn.Scene):
        def construct(self):
            pixels = np.zeros((4, 4, 4), dtype=np.uint8)
            pixels[..., 0], pixels[..., 3] = 200, 255
            self.add(mn.ImageMobject(pixels).scale_to_fit_height(8))

    _, path = render_scene(Image, "png", 64, 36, 5, save_last_frame=True)
    frame = read_frames(path)[0]
    assert frame[18, 32, 0] > 150 and frame[18, 32, 1] < 50


def test_surface_scene_dots_are_never_hidden(render_scene):
    scene, path = render_scene(saddle.SaddleEscape, "mp4", 640, 360, 15)
    frames = read_frames(path)
    assert len(frames) == scene.plan.total_frames
    camera = scene.renderer.camera
    for k in (0, 20, len(frames) - 1):
        scene.pose(max(k - scene.plan.start_frames, 0))  # the camera and the dots as they were for frame k
        centres = [scene_to_pixel(scene, camera.project_point(dot.get_center()), frames[k].shape) for dot in scene.marks.dots]
        step = scene.plan.step_at(max(k - scene.plan.start_frames, 0))
        for run, (colour, (column, row)) in enumerate(zip(OKABE_ITO, centres, strict=False)):
            if any(np.hypot(column - c, row - r) < 6 for c, r in centres[run + 1 :]):
                continue  # under a later run's dot (both start at the same point), not under the surface
            exit_row = scene.marks.exit_rows[run]
            if exit_row is not None and step >= exit_row:
                continue  # it left the view (momentum escaping the saddle): no dot where it never was
            region = frames[k][int(row) - 4 : int(row) + 5, int(column) - 4 : int(column) + 5]
            assert find_colour(region, colour, tolerance=50) is not None, (k, colour)


class BehindTheRidge(saddle.SaddleEscape):
    """Seen from +x, almost level: the slope from the ridge at x = 2 down to the saddle point stands in
    front of (-1, 0), which lies beyond the saddle point and higher than it."""

    start = (-1.0, 0.0)
    lr = 1e-4
    runs = ()
    steps = 3
    phi = 84.0
    theta = 0.0
    camera_rotation = 0.0


def test_a_dot_behind_the_surface_is_still_drawn(render_scene):
    scene, path = render_scene(BehindTheRidge, "png", 640, 360, 15, save_last_frame=True)
    frame = read_frames(path)[0]
    scene.pose(scene.plan.replay_frames - 1)
    column, row = scene_to_pixel(scene, scene.renderer.camera.project_point(scene.marks.dots[0].get_center()), frame.shape)
    # The surface really is in front there: the ridge's top edge is above the saddle point on screen.
    ridge = scene.renderer.camera.project_point(scene.axes.c2p(2.0, 0.0, 4.0))
    assert scene_to_pixel(scene, ridge, frame.shape)[1] < row
    region = frame[int(row) - 4 : int(row) + 5, int(column) - 4 : int(column) + 5]
    assert find_colour(region, OKABE_ITO[0], tolerance=50) is not None


def test_surface_and_contour_scenes_refuse_one_variable(render_scene):
    class Flat(saddle.SaddleEscape):
        function = "x^2"
        start = 1.0
        runs = ()

    with pytest.raises(optscenes.OptscenesError, match="draws functions of x and y"):
        render_scene(Flat, "mp4", 160, 90, 5)

    class FlatMap(himmelblau.FourMinima):
        function = "forrester"
        start = 0.0
        runs = ()

    with pytest.raises(optscenes.OptscenesError, match="draws functions of x and y"):
        render_scene(FlatMap, "mp4", 160, 90, 5)


def test_the_map_is_drawn_once_not_every_frame(render_scene):
    """Heatmap and contour lines are static: manim draws them into the background once, so a finer grid
    costs nothing per frame. Only the runs, the counter, the table and the inset are redrawn."""
    class NoHold(himmelblau.FourMinima):
        end_hold = 0.0  # so that the replay is the last play, whose moving mobjects manim keeps

    scene, _ = render_scene(NoHold, "mp4", 160, 90, 5)
    moving = {id(m) for m in scene.moving_mobjects}
    static = [scene.contours, *scene.contours.submobjects, scene.markers]
    assert not any(id(m) in moving for m in static)
    assert all(id(d) in moving for d in scene.marks.dots)
    assert not any(isinstance(m, mn.ImageMobject) for m in scene.moving_mobjects)


def wcag_luminance(rgb: np.ndarray) -> np.ndarray:
    """WCAG relative luminance of sRGB colours (..., 3) in 0..255."""
    c = np.asarray(rgb, dtype=float) / 255
    c = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return c @ np.array([0.2126, 0.7152, 0.0722])


class BareRosenbrock(rosenbrock.RosenbrockValley):
    """The heatmap alone under the runs' start: no contour lines, crosses or start rings."""

    theme = "dark"
    contour_levels = 0
    show_minima = False
    show_starts = False
    still_step = 0


def test_every_run_colour_keeps_3_to_1_against_the_dark_heatmap(render_scene):
    scene, path = render_scene(BareRosenbrock, "png", 640, 360, 15, save_last_frame=True)
    frame = read_frames(path)[0]
    (left, top) = scene_to_pixel(scene, scene.axes.c2p(scene.x_view.low, scene.y_view.high), frame.shape)
    (right, bottom) = scene_to_pixel(scene, scene.axes.c2p(scene.x_view.high, scene.y_view.low), frame.shape)
    rows, cols = np.mgrid[0 : frame.shape[0], 0 : frame.shape[1]]
    # Clear of the frame and its tick marks, which reach a few pixels into the map.
    heatmap = (rows > top + 6) & (rows < bottom - 6) & (cols > left + 6) & (cols < right - 6)
    for dot in scene.marks.dots:  # leave out the dots themselves
        column, row = scene_to_pixel(scene, dot.get_center(), frame.shape)
        heatmap &= np.hypot(cols - column, rows - row) > 12
    lightest = wcag_luminance(frame[heatmap]).max()
    assert lightest > 0.001  # a heatmap is there, not the black page
    for colour in OKABE_ITO:  # the whole palette: a fifth run gets #0072B2, the darkest
        run = wcag_luminance(np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)]))
        assert (run + 0.05) / (lightest + 0.05) >= 3.0, colour
