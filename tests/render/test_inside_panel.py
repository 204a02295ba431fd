"""The inside-the-optimizer scenes, as stills of step k: the panel's numbers against torch's recorded state, the
arrows against the recorded iterate, gradient and moment, in scene units and on pixels, the panel inside the frame
with digits tall enough to read, and the frame count of ``explain_steps``.

A still of step k shows the dot at ``x_k`` and the step it is about to take (row k to row k + 1), so the panel
holds ``update_terms(trajectory, k)``; the last row (k = steps) has no step after it and keeps step k - 1.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from conftest import SCENES, load_scene_module, read_frames, render_in_process, scene_to_pixel
from PIL import Image

from optscenes.core.inside import update_rule, update_terms
from optscenes.visuals.panel import NumbersLine

inside = load_scene_module(SCENES / "inside.py")


@pytest.fixture(scope="module")
def still(tmp_path_factory):
    """A still of step ``step`` of a scene of scenes/inside.py, rendered once per module: (scene, RGB frame)."""
    rendered = {}

    def render(step: int, width: int = 854, height: int = 480, scene: str = "AdamInside"):
        key = (scene, step, width, height)
        if key not in rendered:
            # Glyphs are typeset once per process, at the first frame size: typeset them at this one.
            NumbersLine._outlines_at_reference = {}
            scene_class = type("Still", (getattr(inside, scene),), {"still_step": step})
            media = tmp_path_factory.mktemp("inside")
            made, path = render_in_process(scene_class, media, "png", width, height)
            with Image.open(path) as image:
                rendered[key] = made, np.asarray(image.convert("RGB"))
        return rendered[key]

    return render


def rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)


def near(frame: np.ndarray, colour: str, tolerance: float = 40) -> np.ndarray:
    """Where the frame is within ``tolerance`` of ``colour`` (a boolean image)."""
    return np.abs(frame.astype(float) - rgb(colour)).max(axis=2) < tolerance


def plain(typst_number: str) -> str:
    """A number as the panel writes it: ``1.48·10³``, ``−3.21`` (written here, not with the package's printer)."""
    superscripts = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
    text = re.sub(r"10\^\((-?\d+)\)", lambda m: "10" + m[1].translate(superscripts), typst_number)
    text = re.sub(r"^\((10\S+)\)$", r"\1", text.replace(" times ", "·"))  # a bare power needs no parentheses
    return text.replace("-", "−")


@pytest.mark.parametrize(("step", "explained"), [(10, 10), (50, 49)])
def test_panel_numbers_are_the_recorded_step(still, step, explained):
    scene, _ = still(step)
    trajectory = scene.trajectory()
    lines = [line.text for line in scene.panel.lines]
    terms = update_terms(trajectory, explained)
    equations = update_rule(trajectory.optimizer, trajectory.hyperparameters)
    for equation, line in zip(equations, lines, strict=True):
        # Every number of the step's line, in order (the defined symbol is the template's, above the line).
        position = 0
        for number in equation.numbers(terms, 3):
            # An exponent (Adam's t in beta^t) is written as a superscript.
            shown = plain(number.text)
            if "^{" + number.slot + "}" in equation.pattern:
                shown = shown.translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
            found = line.find(shown, position)
            assert found >= 0, (equation.defines, number, line)
            position = found + len(shown)
    # The results, against torch's own state after the step and the recorded next iterate.
    recorded = {
        "m": trajectory.state["exp_avg"][explained + 1, 0],
        "v": trajectory.state["exp_avg_sq"][explained + 1, 0],
        "x": trajectory.params[explained + 1, 0],
    }
    for equation, line in zip(equations, lines, strict=True):
        if equation.defines in recorded:
            assert line.endswith(plain(f"= {float(recorded[equation.defines]):.3g}")), (equation.defines, line)


def reach(frame: np.ndarray, colour: str, row: float, pointing_right: bool) -> int:
    """The farthest column, in the arrow's direction, where ``colour`` shows within 2 pixels of ``row``."""
    band = near(frame[round(row) - 2 : round(row) + 3], colour)
    columns = np.nonzero(band.any(axis=0))[0]
    return int(columns.max() if pointing_right else columns.min())


@pytest.mark.parametrize(("step", "clipped"), [(49, False), (10, True)])
def test_arrows_start_at_the_dot_and_end_at_the_recorded_vectors(still, step, clipped):
    """-lr*grad, the step taken and -lr*exp_avg, from the recorded iterate, gradient and torch's exp_avg."""
    scene, frame = still(step)
    trajectory = scene.trajectory()
    x, value, grad, lr = (float(a) for a in (trajectory.params[step, 0], trajectory.losses[step],
                                              trajectory.grads[step, 0], trajectory.lr[step + 1]))  # fmt: skip
    moment = float(trajectory.state["exp_avg"][step + 1, 0])
    targets = {"-lr*grad": x - lr * grad, "step": float(trajectory.params[step + 1, 0]), "-lr*m": x - lr * moment}
    assert (scene.x_view.low <= targets["-lr*grad"] <= scene.x_view.high) is not clipped
    dot = scene_to_pixel(scene, scene.dot.get_center(), frame.shape)
    colours = [scene.style.runs[i] for i in (6, 2, 4)]
    for row, (arrow, (name, target), colour) in enumerate(zip(scene.arrows, targets.items(), colours, strict=True)):
        start = scene_to_pixel(scene, arrow.get_start(), frame.shape)
        # Each arrow starts at the dot's column, a row lower than the last, and ends at its target's column.
        assert abs(start[0] - dot[0]) <= 0.5 and (start[1] > dot[1] + 1 if row else abs(start[1] - dot[1]) <= 0.5)
        end = scene.axes.c2p(float(np.clip(target, scene.x_view.low, scene.x_view.high)), value)
        np.testing.assert_allclose(arrow.get_end()[0], end[0], atol=1e-6, err_msg=name)
        # On the picture: the arrow's colour along its row reaches the end's pixel, on the side it points to.
        column, _ = scene_to_pixel(scene, end, frame.shape)
        if abs(column - start[0]) > 6:
            assert abs(reach(frame, colour, start[1], target > x) - column) <= 3, (name, column)


def test_tangent_has_the_recorded_slope_on_pixels(still):
    scene, frame = still(10)
    trajectory = scene.trajectory()
    x, value, grad = float(trajectory.params[10, 0]), float(trajectory.losses[10]), float(trajectory.grads[10, 0])
    start, end = (scene_to_pixel(scene, p, frame.shape) for p in scene.tangent.get_start_and_end())
    # Pixel slope = grad times the axes' pixels per unit of f over pixels per unit of x (rows grow downwards).
    x_pixels = (
        scene_to_pixel(scene, scene.axes.c2p(x + 1, value), frame.shape)[0]
        - scene_to_pixel(scene, scene.axes.c2p(x, value), frame.shape)[0]
    )
    y_pixels = (
        scene_to_pixel(scene, scene.axes.c2p(x, value), frame.shape)[1]
        - scene_to_pixel(scene, scene.axes.c2p(x, value + 1), frame.shape)[1]
    )
    assert (start[1] - end[1]) / (end[0] - start[0]) == pytest.approx(grad * y_pixels / x_pixels, rel=1e-6)
    middle = scene_to_pixel(scene, scene.dot.get_center(), frame.shape)
    np.testing.assert_allclose(np.add(start, end) / 2, middle, atol=0.5)
    # Drawn: its colour at its far end, outside the dot.
    column, row = round(end[0]), round(end[1])
    assert near(frame[row - 2 : row + 3, column - 4 : column + 1], scene.style.secondary_text).any()


def test_adam_step_size_is_in_the_panel(still):
    """lr / (sqrt(v_hat) + eps), from torch's exp_avg_sq written out here, is the s line's result."""
    scene, _ = still(10)
    trajectory = scene.trajectory()
    _, beta2 = trajectory.hyperparameters["betas"]
    v_hat = trajectory.state["exp_avg_sq"][11, 0] / (1 - beta2**11)
    s = trajectory.lr[11] / (np.sqrt(v_hat) + trajectory.hyperparameters["eps"])
    line = scene.panel.lines[[e.defines for e in scene.equations].index("s")].text
    assert line.endswith(plain(f"= {s:.3g}")), line


def digit_pixels(frame: np.ndarray, scene, line) -> int:
    """How many pixel rows a numbers line's digits cover: the line (digits, '=', '−', '·', '.' only) cropped."""
    assert set(line.text) <= set("0123456789.=−· "), line.text
    left, top = scene_to_pixel(scene, line.get_corner(np.array([-1, 1, 0])), frame.shape)
    right, bottom = scene_to_pixel(scene, line.get_corner(np.array([1, -1, 0])), frame.shape)
    crop = frame[max(round(top) - 3, 0) : round(bottom) + 4, max(round(left) - 3, 0) : round(right) + 4]
    return int(near(crop, scene.style.secondary_text, 60).any(axis=1).sum())


@pytest.mark.parametrize(
    # At 400x300 the panel fits only by shrinking its digits below the picture's 10 px (README: made for 480 rows).
    ("width", "height", "digits"), [(854, 480, 12), (1920, 1080, 27), (400, 300, 9), (1024, 768, 12)]
)
def test_panel_inside_the_frame_beside_the_plot_and_legible(still, width, height, digits):
    scene, frame = still(50, width, height)
    frame_width, frame_height = scene.frame_size
    panel = scene.panel
    assert -frame_width / 2 <= panel.get_left()[0] and panel.get_right()[0] <= frame_width / 2
    assert -frame_height / 2 <= panel.get_bottom()[1] and panel.get_top()[1] <= frame_height / 2
    assert panel.get_left()[0] > scene.axes.get_right()[0]
    assert panel.get_top()[1] < scene.header.get_bottom()[1]
    # Every glyph of a numbers line stands on its line: only the descent of "(" goes below the baseline, no
    # glyph wrapped a line lower (as the glyphs of a long Text do on a small frame).
    for line in panel.lines:
        baseline = line.baseline_end[1]
        assert line.get_bottom()[1] > baseline - 0.4 * (line.get_top()[1] - baseline), line.text
    # The x line (= 0.759 − 0.00651·1.73 = 0.747): its digits, measured on the picture.
    assert digit_pixels(frame, scene, panel.lines[-1]) >= digits


def test_map_arrows_are_the_recorded_gradient_velocity_and_step(still):
    """BowlMomentum at step 5: -grad and -momentum_buffer times the stated scale, and the step, from the dot."""
    scene, frame = still(5, 854, 480, "BowlMomentum")
    trajectory = scene.trajectories()[0]
    point, grad = trajectory.params[5], trajectory.grads[5]
    buffer, following = trajectory.state["momentum_buffer"][6], trajectory.params[6]
    scale = scene.scale
    assert f"× {scale:g}" in scene.legend_texts[0]
    np.testing.assert_allclose(grad, [point[0], 20 * point[1]], rtol=1e-5)  # the bowl's gradient by hand
    dot = scene_to_pixel(scene, scene.marks.dots[0].get_center(), frame.shape)
    targets = [point - scale * grad, following, point - scale * buffer]
    for arrow, target, colour in zip(scene.arrows[0], targets, (scene.style.runs[i] for i in (6, 2, 4)), strict=True):
        start = np.array(scene_to_pixel(scene, arrow.get_start(), frame.shape))
        end = np.array(scene_to_pixel(scene, arrow.get_end(), frame.shape))
        np.testing.assert_allclose(start, dot, atol=0.5)
        np.testing.assert_allclose(end, scene_to_pixel(scene, scene.axes.c2p(*target), frame.shape), atol=0.5)
        # Direction in pixels: the vector's, with the rows growing downwards.
        vector = np.asarray(scene.axes.c2p(*target)) - np.asarray(scene.axes.c2p(*point))
        direction = (end - start) / np.linalg.norm(end - start)
        np.testing.assert_allclose(direction, np.array([vector[0], -vector[1]]) / np.hypot(*vector[:2]), atol=1e-6)
        # Drawn: the colour just behind the tip.
        back = np.round(end - direction * 6).astype(int)
        assert near(frame[back[1] - 3 : back[1] + 4, back[0] - 3 : back[0] + 4], colour).any()
    # Over the dot, not under it (a short arrow would hide there): the colour of -grad and of -b (the step's
    # arrow lies under -b, its parallel) inside the dot's disk, half a radius from its centre.
    radius = scene_to_pixel(scene, scene.marks.dots[0].get_right(), frame.shape)[0] - dot[0]
    for arrow, colour in ((scene.arrows[0][0], scene.style.runs[6]), (scene.arrows[0][2], scene.style.runs[4])):
        start = np.array(scene_to_pixel(scene, arrow.get_start(), frame.shape))
        end = np.array(scene_to_pixel(scene, arrow.get_end(), frame.shape))
        inner = np.round(start + (end - start) / np.linalg.norm(end - start) * radius * 0.5).astype(int)
        assert near(frame[inner[1] - 1 : inner[1] + 2, inner[0] - 1 : inner[0] + 2], colour).any(), colour


def test_explain_steps_frame_count_and_beats(tmp_path):
    """explain_steps = 2 on a 6-step run at 10 fps: the start hold, 2 steps of 3 one-second beats, the 5 other
    steps at one frame each, the end hold; the panel's numbers appear beat by beat."""
    settings = {"steps": 6, "explain_steps": 2, "seconds_per_step": 0.1, "start_hold": 0.5, "end_hold": 1.0}
    scene_class = type("Explained", (inside.MomentumInside,), settings)
    scene, path = render_in_process(scene_class, tmp_path, "mp4", 428, 240, fps=10)
    frames = read_frames(path)
    assert len(frames) == 5 + 2 * 3 * 10 + (6 - 2 + 1) * 1 + 10
    plain_run = type("Plain", (inside.MomentumInside,), {**settings, "explain_steps": 0})
    _, plain_path = render_in_process(plain_run, tmp_path / "plain", "mp4", 428, 240, fps=10)
    assert len(read_frames(plain_path)) == 5 + 7 + 10

    # The numbers in the panel, by beat of step 0: none (gradient: SGD momentum has no g line), the momentum
    # line (b), then the step's line (x) too. Measured in each line's box against the start hold's frame.
    def ink(frame, line):
        left, top = scene_to_pixel(scene, line.get_corner(np.array([-1, 1, 0])), frame.shape)
        right, bottom = scene_to_pixel(scene, line.get_corner(np.array([1, -1, 0])), frame.shape)
        box = frame[round(top) : round(bottom) + 1, round(left) : round(right) + 1]
        return int(near(box, scene.style.secondary_text, 50).sum())

    b_line, x_line = scene.panel.lines
    empty = {line: ink(frames[2], line) for line in (b_line, x_line)}
    shown = [
        [ink(frames[5 + 10 * beat + 5], line) > empty[line] + 20 for line in (b_line, x_line)] for beat in range(3)
    ]
    assert shown == [[False, False], [True, False], [True, True]]


def box(mobject) -> tuple[float, float, float, float]:
    """A mobject's box in scene units: left, right, bottom, top."""
    return mobject.get_left()[0], mobject.get_right()[0], mobject.get_bottom()[1], mobject.get_top()[1]


def apart(a, b) -> bool:
    return a[1] <= b[0] or b[1] <= a[0] or a[3] <= b[2] or b[3] <= a[2]


@pytest.mark.parametrize(
    # On 4:3 frames two rules of 35 characters side by side would need 15 px digits at 768 rows: they go one
    # above the other. At 400x300 they fit only at 5-6 px digits: the map views are made for 480 rows and
    # more (README), as the 1D view is; the layout still holds there.
    ("width", "height", "digits"), [(854, 480, 12), (1920, 1080, 27), (1024, 768, 19), (400, 300, None)]
)
def test_map_rules_side_by_side_legible_and_apart(still, width, height, digits):
    """SGDvsMomentum: each run's rule under its name and colour, side by side on 16:9 frames, in the frame,
    clear of the map, legend, table and header, its digits 1/40 of the frame's height (on the picture)."""
    scene, frame = still(40, width, height, "SGDvsMomentum")
    frame_width, frame_height = scene.frame_size
    corner_low, corner_high = scene.axes.c2p(scene.x_view.low, scene.y_view.low), scene.axes.c2p(
        scene.x_view.high, scene.y_view.high
    )
    plot = (corner_low[0], corner_high[0], corner_low[1], corner_high[1])
    others = [plot, box(scene.legend), box(scene.table), box(scene.header), box(scene.counter)]
    columns = [box(mobject) for mobject in (*scene.panels, *scene.titles)]
    for column in columns:
        assert -frame_width / 2 <= column[0] and column[1] <= frame_width / 2
        assert -frame_height / 2 <= column[2] and column[3] <= frame_height / 2
        assert all(apart(column, other) for other in others), column
    for part in others[:3]:
        assert all(apart(part, other) for other in others if other is not part)
    # Side by side: the second run's panel right of the first's, both hanging from one line; on 4:3 below it.
    first, second = (box(p) for p in scene.panels)
    if width / height > 1.5:
        assert first[1] < second[0] and first[3] == pytest.approx(second[3], abs=0.2)
    else:
        assert second[3] < scene.titles[1].get_bottom()[1] < scene.titles[1].get_top()[1] < first[2]
    colours = scene.run_colors()[:2]
    for title, panel, label, colour in zip(scene.titles, scene.panels, scene.labels(), colours, strict=True):
        dot, name = title
        assert name.original_text == label and dot.get_fill_color().to_hex() == colour.to_hex()
        assert 0 <= title.get_bottom()[1] - panel.get_top()[1] < 0.3
        assert abs(title.get_left()[0] - panel.get_left()[0]) < 0.05
    if digits is not None:
        plain_lines = [line for panel in scene.panels for line in panel.lines if set(line.text) <= set("0123456789.=−· ")]
        assert plain_lines  # parentheses would add to the measured height: lines without them
        assert min(digit_pixels(frame, scene, line) for line in plain_lines) >= digits


def test_map_rules_are_the_recorded_runs(still):
    """SGDvsMomentum at step 20: each coordinate's x line ends with the recorded next iterate, the momentum
    run's b lines with torch's momentum_buffer after the step, and every line is that step's."""
    scene, _ = still(20, 854, 480, "SGDvsMomentum")
    for panel, trajectory in zip(scene.panels, scene.trajectories(), strict=True):
        equations = update_rule(trajectory.optimizer, trajectory.hyperparameters)
        lines = iter(line.text for line in panel.lines)
        for equation in equations:
            for coordinate in range(2):
                recorded = {"x": trajectory.params[21, coordinate]}
                if "momentum_buffer" in trajectory.state:
                    recorded["b"] = trajectory.state["momentum_buffer"][21, coordinate]
                value = f"{float(recorded[equation.defines]):.3g}"
                assert next(lines).endswith(plain("= " + re.sub(r"e(-?)\+?0*(\d+)", r" times 10^(\1\2)", value)))


def test_bowl_run_stays_in_view(still):
    """BowlMomentum: every iterate of the momentum run inside the map's view (x reaches 1.75 at step 15)."""
    scene, _ = still(5, 854, 480, "BowlMomentum")
    params = scene.trajectories()[0].params
    assert params[:, 0].max() > 1.5
    assert scene.x_view.low <= params[:, 0].min() and params[:, 0].max() <= scene.x_view.high
    assert scene.y_view.low <= params[:, 1].min() and params[:, 1].max() <= scene.y_view.high
    assert scene.run_notes() == [None]


def test_map_explain_steps_frame_count(tmp_path):
    """The map view keeps the explain_steps frame contract: SGDvsMomentum, 6 steps, 2 explained, at 10 fps."""
    settings = {"steps": 6, "explain_steps": 2, "seconds_per_step": 0.1, "start_hold": 0.5, "end_hold": 1.0}
    scene_class = type("ExplainedMap", (inside.SGDvsMomentum,), settings)
    _, path = render_in_process(scene_class, tmp_path, "mp4", 428, 240, fps=10)
    assert len(read_frames(path)) == 5 + 2 * 3 * 10 + (6 - 2 + 1) * 1 + 10
