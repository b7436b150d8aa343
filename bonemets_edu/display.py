"""Showing things in a notebook: figures with alt text, Markdown, the disclaimer, a lesson's references.

Figures are written as ``<img alt="…">`` HTML (plus the alt text as ``text/plain``), so the alt text reaches screen
readers in JupyterLab, Voila and a published book alike, and the figure is closed after display (no duplicates, no
leaked figures).
"""

from __future__ import annotations

import base64
import html
import io
import struct
import zlib

from IPython.display import HTML, Markdown, display

from . import references
from .disclaimer import DISCLAIMER

__all__ = ["show", "figure_html", "render_png", "encode_canvas", "encode_rgb", "agg_canvas", "png_html", "md", "disclaimer", "show_references", "escape"]


def escape(text: object) -> str:
    """HTML-escape anything (learner input is data, never markup)."""
    return html.escape(str(text), quote=True)


def agg_canvas(fig):
    """The figure's Agg canvas, attached the first time: a :class:`bonemets_edu.canvas.CachingCanvas` (matplotlib's
    public ``FigureCanvasAgg`` drawing with a renderer that reuses the picture of each text line; see that module).
    A figure that already has an Agg canvas (e.g. from pyplot) keeps it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from .canvas import CachingCanvas

    canvas = fig.canvas
    if isinstance(canvas, FigureCanvasAgg):
        return canvas
    return CachingCanvas(fig)


def render_png(fig, dpi: int | None = None) -> bytes:
    """PNG bytes of ``fig`` (deterministic: no timestamp/software metadata).

    Draws the figure once on its Agg canvas and encodes the pixels with :func:`encode_canvas` (``savefig`` would redo
    the layout). A different ``dpi`` falls back to ``savefig``.
    """
    if dpi is not None and dpi != fig.dpi:
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
        return buf.getvalue()
    canvas = agg_canvas(fig)
    canvas.draw()
    return encode_canvas(canvas)


#: zlib level for the widgets' PNGs (see :func:`encode_canvas`).
PNG_COMPRESS_LEVEL = 3

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png_chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def encode_canvas(canvas) -> bytes:
    """PNG bytes of what an Agg canvas holds now (RGB, no metadata: deterministic).

    Shared by :func:`render_png` and the blitting renderer (``bonemets_edu.ui.Renderer``), so both encode identically.
    See :func:`encode_rgb`.
    """
    import numpy as np

    return encode_rgb(np.asarray(canvas.buffer_rgba())[:, :, :3])


def encode_rgb(rgb) -> bytes:
    """A PNG (8-bit RGB, no interlace, no metadata) of an ``(height, width, 3)`` uint8 array.

    The standard's container (signature, IHDR, one IDAT, IEND, CRC-32 per chunk) around the rows compressed by the
    maintained ``zlib`` at level :data:`PNG_COMPRESS_LEVEL`, every row with PNG filter type 0 (none). Pillow's encoder
    tries the five PNG filters on every row ("adaptive" filtering, which Pillow does not let a caller switch off); for
    the widgets' flat-coloured figures that search costs more than it saves. Measured with ``python3 run.py bench
    encoders`` on the 30 widget figures of the course (2-core machine, quiet, 2026-12-06; ms = median over the figures
    of each figure's fastest of 7 encodes):

    ========================================  ==========  ===========
    encoder                                   ms / figure all figures
    ========================================  ==========  ===========
    this writer, zlib level 3 (used)          4.6         1632 kB
    this writer, zlib level 1                 4.2         1748 kB
    this writer, zlib level 6                 8.1         1498 kB
    Pillow, compress_level=1                  7.6         1756 kB
    Pillow, compress_level=3                  7.8         1700 kB
    Pillow, compress_level=6 (its default)    10.9        1739 kB
    ========================================  ==========  ===========

    At level 3 it is faster than Pillow at any level and its files are 4 % smaller than Pillow's at level 3, so it is
    better in both (the rule for not using the maintained encoder). Pillow decodes every file back to the same pixels
    (tested).
    """
    import numpy as np

    rgb = np.asarray(rgb)
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ValueError(f"rgb must be a (height, width, 3) uint8 array, got shape {rgb.shape} and dtype {rgb.dtype}")
    height, width = rgb.shape[:2]
    raw = np.empty((height, 1 + 3 * width), np.uint8)
    raw[:, 0] = 0  # filter type 0 (none) for every row
    np.copyto(raw[:, 1:].reshape(height, width, 3), rgb)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8 bits, truecolour, deflate, filter 0, no interlace
    return b"".join((_PNG_SIGNATURE, _png_chunk(b"IHDR", header),
                     _png_chunk(b"IDAT", zlib.compress(raw.data, PNG_COMPRESS_LEVEL)), _png_chunk(b"IEND", b"")))


def encode_canvas_pillow(canvas, compress_level: int = PNG_COMPRESS_LEVEL) -> bytes:
    """The same picture written by Pillow (its default adaptive filtering); kept for the encoder benchmark."""
    from PIL import Image

    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
    buf = io.BytesIO()
    image.save(buf, format="png", compress_level=compress_level)
    return buf.getvalue()


def figure_html(fig, alt: str, *, dpi: int | None = None, max_width: str = "100%") -> str:
    """The figure as an ``<img>`` tag with a base64 PNG and the given alt text."""
    _check_alt(alt)
    return png_html(render_png(fig, dpi=dpi), alt, max_width=max_width)


def png_html(png: bytes, alt: str, *, max_width: str = "100%") -> str:
    """PNG bytes (rendered elsewhere, e.g. by a blitting widget pane) as the same ``<img alt>`` tag."""
    _check_alt(alt)
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<img class="bm-figure" src="data:image/png;base64,{data}" alt="{escape(alt)}" '
        f'style="max-width:{max_width};height:auto" />'
    )


def check_alt(alt) -> None:
    """ValueError unless ``alt`` is a non-empty description (every figure needs one)."""
    _check_alt(alt)


def _check_alt(alt) -> None:
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError("alt must be a non-empty description of the figure for screen-reader users")


def show(fig, alt: str, *, dpi: int | None = None) -> None:
    """Display ``fig`` with alt text and close it.

    The output carries ``text/html`` (the image with its ``alt``) and ``text/plain`` (``Figure: <alt>``).
    """
    tag = figure_html(fig, alt, dpi=dpi)
    display({"text/html": tag, "text/plain": f"Figure: {alt}"}, raw=True, metadata={"alt": alt})
    _close(fig)


def _close(fig) -> None:
    import matplotlib.pyplot as plt

    try:
        plt.close(fig)
    except Exception:  # a bare Figure not registered with pyplot: nothing to close
        pass


def md(text: str) -> None:
    display(Markdown(text))


def disclaimer() -> None:
    """The education-only banner (bordered box with a text label, so it reads without colour).

    Also loads the course's front-end support once per page (stylesheet, keyboard and screen-reader fixes:
    ``bonemets_edu.frontend``); every lesson calls this in its first code cell after the setup.
    """
    from .frontend import CourseSupport

    display(CourseSupport())
    display(
        HTML(
            '<div class="bm-disclaimer" role="note" style="border:2px solid currentColor;padding:6px 10px;'
            f'margin:4px 0"><strong>Education only.</strong> {escape(DISCLAIMER)}</div>'
        )
    )


def show_references(keys) -> None:
    """Render a lesson's reference list as Markdown with DOI/PMID links."""
    display(Markdown(references.bibliography(keys)))
