"""An Agg canvas that keeps each rendered text line as a small picture, on matplotlib's public API only.

Why: in a widget frame most of the time goes to text. matplotlib's Agg renderer lays out and rasterises every glyph
of every text on every draw (matplotlib 3.11: about 1 ms per tick label or value label, measured with cProfile on
the schedule comparison: 68 texts per frame, ~53 ms of a 123 ms full redraw). A widget's texts repeat from frame to
frame (tick labels, titles, legend entries, the same value labels for the same state), so the second time a line is
drawn at the same sub-pixel offset its picture can be reused.

How (public API only, no private matplotlib names):

* :class:`TextCachingRenderer` subclasses :class:`matplotlib.backends.backend_agg.RendererAgg` and overrides its
  public ``draw_text``. A line is drawn once by the parent class onto a blank scratch ``RendererAgg`` (no clipping),
  cropped to its non-transparent pixels and kept (straight RGBA, as Agg stores it). Every draw of the line — the
  first one too — puts that picture on the canvas with the public ``draw_image`` (which applies the clip box and clip
  path of the graphics context as ``draw_text`` does). So a blitted frame and a full render of the same state draw
  the same pixels (the course's image tests compare them at tolerance 0).
* The key is everything that changes the pixels: the string, every font property, angle, math mode, antialiasing,
  colour and alpha, the dpi and the fractional part of the position (matplotlib ≥ 3.11 places glyphs to 1/64 px).
* :class:`CachingCanvas` subclasses ``FigureCanvasAgg`` and overrides its public ``get_renderer`` so that the figure
  draws with that renderer. ``display.agg_canvas`` attaches it to the widgets' figures.

Differences from drawing the glyphs straight onto the canvas: the glyph coverage is blended once onto transparency
and then composited, which can differ from the direct blend by rounding (measured: at most 1 level of 255, on a few
anti-aliased edge pixels; ``tests/test_canvas.py``). A line that its clip box or clip path actually cuts, and TeX text
(``usetex``), are drawn by matplotlib directly.
"""

from __future__ import annotations

import math
from collections import OrderedDict

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg

__all__ = ["CachingCanvas", "TextCachingRenderer", "text_cache_info", "clear_text_cache"]

#: Largest number of cached text pictures (about 1-40 kB each) shared by every figure of the kernel ...
MAX_ITEMS = 4096
#: ... and the most memory they may take together (the least recently drawn are dropped first).
MAX_BYTES = 16 * 1024 * 1024

_cache: OrderedDict = OrderedDict()
_metrics: OrderedDict = OrderedDict()  # (string, font, math mode, dpi) -> (width, height, descent) in pixels
_stats = {"hits": 0, "misses": 0, "bytes": 0}


def clear_text_cache() -> None:
    """Forget every cached text picture (tests and benchmarks use it to measure cold draws)."""
    _cache.clear()
    _metrics.clear()
    _stats.update(hits=0, misses=0, bytes=0)


def text_cache_info() -> dict:
    """{"items", "hits", "misses", "bytes"} of the shared text-picture cache."""
    return {"items": len(_cache), **_stats}


#: rcParams that change how a line of text is rendered (besides the font properties and the graphics context).
_TEXT_RC = ("text.hinting", "text.hinting_factor", "text.kerning_factor", "text.antialiased")


def _font_key(prop, ismath=False) -> tuple:
    """Everything that decides which glyphs a line gets: the font properties, the font file they resolve to under the
    current rcParams (a generic family such as "sans-serif" follows ``font.sans-serif``), the text rcParams and, for
    math text, the ``mathtext.*`` settings."""
    import matplotlib as mpl
    from matplotlib.font_manager import findfont

    key = (tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(), prop.get_stretch(),
           prop.get_size_in_points(), prop.get_file(), prop.get_math_fontfamily(), findfont(prop),
           tuple(mpl.rcParams.get(k) for k in _TEXT_RC))
    if ismath:
        key += (tuple(sorted((k, str(v)) for k, v in mpl.rcParams.items() if k.startswith("mathtext."))),)
    return key


class TextCachingRenderer(RendererAgg):
    """``RendererAgg`` whose ``draw_text`` reuses the picture of a line already drawn (see the module docstring).

    ``get_text_width_height_descent`` is memoised too: a line is measured by the text layout and again to size its
    scratch canvas, and FreeType's layout of a line costs about 1 ms.
    """

    def get_text_width_height_descent(self, s, prop, ismath):
        if ismath == "TeX":
            return super().get_text_width_height_descent(s, prop, ismath)
        key = (s, _font_key(prop, ismath), ismath, self.dpi)
        found = _metrics.get(key)
        if found is None:
            found = _metrics[key] = super().get_text_width_height_descent(s, prop, ismath)
            while len(_metrics) > MAX_ITEMS:
                _metrics.popitem(last=False)
        return found

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath == "TeX" or not s:
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        fx, fy = math.floor(x), math.floor(y)
        features = None
        if mtext is not None and hasattr(mtext, "get_fontfeatures"):  # matplotlib >= 3.11
            features = (tuple(mtext.get_fontfeatures() or ()), mtext.get_language())
        key = (s, _font_key(prop, ismath), float(angle), bool(ismath), bool(gc.get_antialiased()), tuple(gc.get_rgb()),
               gc.get_alpha(), gc.get_forced_alpha(), self.dpi, x - fx, y - fy, features)
        entry = _cache.get(key)
        if entry is None:
            _stats["misses"] += 1
            entry = self._rasterise(gc, x - fx, y - fy, s, prop, angle, ismath, mtext)
            _cache[key] = entry
            _stats["bytes"] += 0 if entry[0] is None else entry[0].nbytes
            while len(_cache) > MAX_ITEMS or _stats["bytes"] > MAX_BYTES:
                _key, (old, _left, _top) = _cache.popitem(last=False)
                _stats["bytes"] -= 0 if old is None else old.nbytes
        else:
            _stats["hits"] += 1
            _cache.move_to_end(key)
        picture, left, top = entry
        if picture is None:  # nothing visible (e.g. only spaces)
            return None
        # draw_image's (x, y) is the picture's lower-left corner, from the canvas's left and bottom edges;
        # text coordinates run downwards from the top.
        x0, y0 = fx + left, self.height - (fy + top + picture.shape[0])
        clip = gc.get_clip_rectangle()
        clip_path, _transform = gc.get_clip_path()
        if clip_path is not None or (clip is not None and not (
                clip.x0 <= x0 and x0 + picture.shape[1] <= clip.x1 and clip.y0 <= y0 and y0 + picture.shape[0] <= clip.y1)):
            # a line that its clip box or clip path actually cuts: drawn by matplotlib itself, so that the cut falls
            # exactly where matplotlib puts it (draw_image rounds a clip edge differently by one pixel column)
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        self.draw_image(gc, x0, y0, picture)
        return None

    def _rasterise(self, gc, dx, dy, s, prop, angle, ismath, mtext):
        """(RGBA picture, left, top) of the line drawn with its anchor at (dx, dy) in [0, 1)², offsets in pixels
        from the integer anchor; (None, 0, 0) when nothing is visible.

        The scratch canvas is sized from the line's measured extent: for unrotated text a strip as wide as the line
        and twice as tall (the anchor in its middle, whatever the backend takes the anchor to be), otherwise a square
        that holds the line at any angle; if the drawn pixels reach the scratch's edge, the square is used."""
        width, height, descent = self.get_text_width_height_descent(s, prop, ismath)
        tall = math.ceil(height + descent) + 8
        reach = math.ceil(math.hypot(width, height + descent)) + 8  # the line fits within this radius of its anchor
        shapes = [(math.ceil(width) + 16, 2 * tall, 8, tall)] if angle % 360 == 0 else []
        shapes.append((2 * reach, 2 * reach, reach, reach))
        for w, h, ax, ay in shapes:
            found = self._draw_on_scratch(gc, w, h, ax + dx, ay + dy, s, prop, angle, ismath, mtext)
            if found is None:
                return None, 0, 0
            picture, c0, r0, touches = found
            if not touches:
                return picture, c0 - ax, r0 - ay
        raise RuntimeError(f"text {s!r} did not fit its scratch canvas")

    def _draw_on_scratch(self, gc, w, h, x, y, s, prop, angle, ismath, mtext):
        """(picture, first column, first row, touches the edge) of the line drawn at (x, y) on a blank w × h canvas,
        or None when no pixel is drawn."""
        scratch = RendererAgg(w, h, self.dpi)
        sgc = scratch.new_gc()
        sgc.copy_properties(gc)
        sgc.set_clip_rectangle(None)
        sgc.set_clip_path(None)
        RendererAgg.draw_text(scratch, sgc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        sgc.restore()
        alpha = np.asarray(scratch.buffer_rgba())[:, :, 3]
        rows = np.flatnonzero(alpha.any(axis=1))
        if rows.size == 0:
            return None
        cols = np.flatnonzero(alpha.any(axis=0))
        r0, r1, c0, c1 = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
        touches = r0 == 0 or c0 == 0 or r1 == h or c1 == w
        # draw_image takes the rows bottom first (as matplotlib's images are stored)
        picture = np.ascontiguousarray(np.asarray(scratch.buffer_rgba())[r0:r1, c0:c1][::-1])
        return picture, c0, r0, touches


class CachingCanvas(FigureCanvasAgg):
    """``FigureCanvasAgg`` that draws with :class:`TextCachingRenderer` (overrides the public ``get_renderer``)."""

    _size_key = None

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = (w, h, self.figure.dpi)
        if self._size_key != key or getattr(self, "renderer", None) is None:
            self.renderer = TextCachingRenderer(w, h, self.figure.dpi)
            self._size_key = key
        return self.renderer
