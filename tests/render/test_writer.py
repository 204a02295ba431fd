"""Video segments from :mod:`optscenes.visuals.writer`: a frame written again is converted once, and what is
decoded is what was written; x264 on frame threads, told apart in manim's cache."""

from __future__ import annotations

from fractions import Fraction

import av
import numpy as np
import pytest
from manim._config.video_encoder import VideoEncoderSpec, video_encoder_fingerprint

from optscenes.visuals.writer import SegmentEncoder, segment_spec

#: Lossless (as the GIF's partial movies are), so the decoded frames can be compared exactly.
LOSSLESS = VideoEncoderSpec("mp4", "libx264rgb", "rgb24", 64, 48, Fraction(15), (("preset", "ultrafast"), ("qp", "0")))
MP4 = VideoEncoderSpec("mp4", "libx264", "yuv420p", 1920, 1080, Fraction(60), (("crf", "23"),))


def decoded(path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


def test_a_frame_written_again_is_converted_once_and_decodes_as_written(tmp_path, monkeypatch):
    conversions = []
    convert = SegmentEncoder.converted
    monkeypatch.setattr(
        SegmentEncoder, "converted", lambda self, pixels: conversions.append(1) or convert(self, pixels)
    )
    rng = np.random.default_rng(7)
    a, b = (rng.integers(0, 256, (48, 64, 4), dtype=np.uint8) for _ in range(2))
    again = a.copy()  # the same picture in another array: not known to be the same, converted again
    encoder = SegmentEncoder(target=tmp_path / "segment.mp4", spec=segment_spec(LOSSLESS))
    writes = [(a, 1), (a, 1), (a, 2), (b, 1), (b, 3), (again, 1), (a, 1)]
    for pixels, repeat in writes:
        encoder.write_frame(pixels, repeat=repeat)
    encoder.finish()
    expected = [pixels[:, :, :3] for pixels, repeat in writes for _ in range(repeat)]
    frames = decoded(tmp_path / "segment.mp4")
    assert len(frames) == len(expected) == 10
    for k, (frame, want) in enumerate(zip(frames, expected, strict=True)):
        np.testing.assert_array_equal(frame, want, err_msg=f"frame {k}")
    assert len(conversions) == 4  # a, b, again, then a after another array


def test_x264_runs_on_frame_threads_in_options_that_manims_cache_hashes(tmp_path):
    spec = segment_spec(MP4)
    assert ("x264-params", "sliced-threads=0") in spec.options
    assert video_encoder_fingerprint(spec) != video_encoder_fingerprint(MP4)
    encoder = SegmentEncoder(target=tmp_path / "segment.mp4", spec=spec)
    encoder.write_frame(np.zeros((1080, 1920, 4), dtype=np.uint8), repeat=3)
    encoder.finish()
    # x264 writes the settings it ran with into the stream.
    assert b"sliced_threads=0" in (tmp_path / "segment.mp4").read_bytes()
    assert len(decoded(tmp_path / "segment.mp4")) == 3


@pytest.mark.parametrize("spec", [
    VideoEncoderSpec("mov", "qtrle", "argb", 64, 48, Fraction(15), ()),
    VideoEncoderSpec("mp4", "libx264", "yuv420p", 64, 48, Fraction(15), (("x264-params", "keyint=10"),)),
])  # fmt: skip
def test_other_encoders_and_given_x264_parameters_are_left_alone(spec):
    assert segment_spec(spec) == spec
