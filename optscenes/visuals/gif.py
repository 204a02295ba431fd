"""GIFs written from lossless frames with one palette for the whole animation, for any manim scene.

manim 0.22 writes a GIF by encoding the frames as lossy H.264 (yuv420p, crf 23), decoding them through
``palettegen``/``paletteuse`` with Bayer dithering, and then forcing ``rgb8``, a fixed 3-3-2 palette:
colours shift (a blue path turns green on a light background), held frames shimmer and files grow. Here
the partial movies are lossless and the GIF is made from them in two passes through PyAV's filter graph:
``palettegen=stats_mode=full`` over every frame (one palette for the whole animation; one entry kept for
transparency with ``-t``), then ``paletteuse=dither=none:diff_mode=rectangle`` into ``pal8``. The same
colour always gets the same palette entry, so held frames are identical and the GIF encoder stores only
the rectangle that changed. Frames are streamed from the partial movies in both passes, never all held.

Use it in any manim scene by putting the mixin first::

    class MyScene(CleanGifMixin, Scene):
        def construct(self): ...

Only ``--format gif`` changes; every other format is written by manim as before. The partial movies stay
in manim's cache (their hash includes the lossless encoder, so they never mix with manim's own), and
``-o``, ``--media_dir`` and ``-t`` keep their meaning.

Timing: GIF delays are whole centiseconds. Frame ``k`` is shown from ``round(100 k / fps)`` cs, so every
frame starts within half a centisecond of ``k / fps`` however long the animation (no drift): 15 fps gives
delays 7, 6, 7 cs (60 and 70 ms), 30 fps gives 3, 4, 3 cs. 60 fps gives 2, 1, 2 cs, and browsers show
delays below 2 cs as 10 cs, so a 60 fps GIF plays several times too slowly: render GIFs at 50 fps or less.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
from manim import __version__ as manim_version

from .writer import SegmentWriter, use_segment_writer

__all__ = ["CleanGifMixin", "CleanGifWriter", "gif_frame_times", "write_gif"]

#: GIF delays count in hundredths of a second.
GIF_TIME_BASE = Fraction(1, 100)

#: Partial-movie encoders for GIF output, bit-exact on decoding. The container is the one manim plans for
#: GIF segments (mp4, or mov with -t). In mp4, lossless RGB H.264 (qp 0, no chroma subsampling) was 4x
#: smaller and faster to write than PNG or FFV1 (the bench in the issue #10 report); with -t, manim's own
#: QuickTime RLE with alpha, already lossless.
LOSSLESS_SEGMENTS = {
    False: {"container_format": "mp4", "codec": "libx264rgb", "pixel_format": "rgb24",
            "options": (("preset", "ultrafast"), ("qp", "0"))},
    True: {"container_format": "mov", "codec": "qtrle", "pixel_format": "argb", "options": ()},
}  # fmt: skip


def gif_frame_times(first: int, stop: int, frame_rate: Fraction) -> list[int]:
    """When frames ``first`` to ``stop - 1`` start, in centiseconds: the nearest whole centisecond to
    ``k / fps``, computed from ``k`` rather than by adding delays, so rounding never accumulates."""
    return [round(Fraction(100 * k) / frame_rate) for k in range(first, stop)]


def _decoded_frames(segments: list[str]) -> Iterator[av.VideoFrame]:
    """Every frame of the partial movies in order, decoded one at a time."""
    for segment in segments:
        with av.open(segment) as container:
            yield from container.decode(video=0)


def _source(graph: av.filter.Graph, like: av.VideoFrame) -> av.filter.context.FilterContext:
    """A buffer source in ``graph`` for frames shaped like ``like``."""
    return graph.add_buffer(width=like.width, height=like.height, format=like.format.name, time_base=GIF_TIME_BASE)


def _filtered(
    frames: Iterator[av.VideoFrame], source: av.filter.context.FilterContext, sink: av.filter.context.FilterContext
) -> Iterator[av.VideoFrame]:
    """``frames`` pushed through a configured graph one at a time, and what comes out as soon as it does.

    The graph only filters when its sink is asked for a frame: pushing everything before pulling would
    queue every frame inside it (6 GB for 1,000 frames at 1080p)."""
    for index, frame in enumerate(frames):
        frame.pts = index
        source.push(frame)
        yield from _ready(sink)
    source.push(None)
    yield from _ready(sink)


def _ready(sink: av.filter.context.FilterContext) -> Iterator[av.VideoFrame]:
    while True:
        try:
            yield sink.pull()
        except (av.error.BlockingIOError, av.error.EOFError):
            return


def _palette(segments: list[str], transparent: bool) -> av.VideoFrame:
    """One palette for every frame of the animation (first pass)."""
    graph = av.filter.Graph()
    source = _source(graph, next(_decoded_frames(segments[:1])))
    palettegen = graph.add("palettegen", f"stats_mode=full:reserve_transparent={int(transparent)}")
    sink = graph.add("buffersink")
    source.link_to(palettegen)
    palettegen.link_to(sink)
    graph.configure()
    *_, palette = _filtered(_decoded_frames(segments), source, sink)
    return palette


def write_gif(segments: list[str], target: Path, frame_rate: Fraction, transparent: bool) -> None:
    """Write the frames of ``segments`` (lossless partial movies, in order) as a GIF at ``target``.

    The second pass maps every frame to the palette of the first, without dithering, and encodes it at
    the centisecond of :func:`gif_frame_times`; one frame is decoded at a time.
    """
    palette = _palette(segments, transparent)
    first = next(_decoded_frames(segments[:1]))
    graph = av.filter.Graph()
    source, palette_source = _source(graph, first), _source(graph, palette)
    paletteuse = graph.add("paletteuse", "dither=none:diff_mode=rectangle")
    sink = graph.add("buffersink")
    source.link_to(paletteuse, 0, 0)
    palette_source.link_to(paletteuse, 0, 1)
    paletteuse.link_to(sink)
    graph.configure()
    palette.pts = 0
    palette_source.push(palette)
    palette_source.push(None)

    with av.open(str(target), mode="w") as output:
        output.metadata["comment"] = f"Rendered with Manim Community v{manim_version}"
        stream = output.add_stream("gif")
        stream.width, stream.height, stream.pix_fmt = first.width, first.height, "pal8"
        stream.codec_context.time_base = GIF_TIME_BASE
        for index, frame in enumerate(_filtered(_decoded_frames(segments), source, sink)):
            start, end = gif_frame_times(index, index + 2, frame_rate)
            frame.pts, frame.time_base = start, GIF_TIME_BASE
            for packet in stream.encode(frame):
                # The muxer takes each delay from the next frame's time, and the last one from its duration.
                packet.duration = end - start
                output.mux(packet)
        output.mux(stream.encode())


class CleanGifWriter(SegmentWriter):
    """manim's file writer, with the GIF made by :func:`write_gif` and the segments by
    :class:`~optscenes.visuals.writer.SegmentWriter`; everything else is manim's."""

    def combine_files(
        self,
        input_files: list[str],
        output_file: Path,
        create_gif: bool = False,
        includes_sound: bool = False,
    ) -> None:
        if not create_gif:
            super().combine_files(input_files, output_file, create_gif, includes_sound)
            return
        assert self.video_encoder is not None
        output_file.parent.mkdir(parents=True, exist_ok=True)
        write_gif(input_files, output_file, self.video_encoder.frame_rate, self.output_spec.transparent)


class CleanGifMixin:
    """Put first among a manim scene's bases (``class MyScene(CleanGifMixin, Scene)``) to get GIFs written
    by :class:`CleanGifWriter` from lossless partial movies; other formats are left to manim."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.session_spec.output.is_gif:
            self._use_clean_gif_writer()

    def _use_clean_gif_writer(self) -> None:
        use_segment_writer(self, CleanGifWriter, **LOSSLESS_SEGMENTS[self.session_spec.output.transparent])
