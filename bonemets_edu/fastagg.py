"""An Agg canvas that remembers laid-out text and rasterised glyphs: the same pixels as matplotlib's Agg, drawn faster.

Why: a widget frame is mostly text (titles, tick labels, legends, values), and matplotlib's Agg renderer lays out every
string and asks FreeType to rasterise every glyph again on every draw. In the course's widgets that was about half of
an update's time. The strings and glyphs repeat from frame to frame, so this module keeps

* the **layout** of a string (which glyph of which font goes where, in pixels) per string, font and size, and
* the **bitmap** of a glyph per font, size, rotation and *sub-pixel* offset (FreeType positions glyphs in 1/64 px;
  a glyph placed a whole number of pixels further away has the same bitmap, only shifted),

and then blends the cached bitmaps into the image with the same Agg call matplotlib uses, so the result is identical
pixel for pixel (``tests/test_fastagg.py`` compares whole figures against plain Agg).

The cache relies on private parts of matplotlib's Agg backend (``RendererAgg._draw_text_glyphs_and_boxes`` and
``FT2Font._layout`` / ``_render_glyph``, matplotlib 3.10+). When they are missing, :class:`FastCanvasAgg` is a plain
``FigureCanvasAgg``: slower, never wrong.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.font_manager import fontManager, get_font

__all__ = ["FastCanvasAgg", "agg_canvas", "ENABLED", "clear_caches", "cache_sizes"]

try:  # the private API this cache mirrors (matplotlib >= 3.10)
    from matplotlib.ft2font import FT2Font, RenderMode

    ENABLED = (hasattr(RendererAgg, "_draw_text_glyphs_and_boxes") and hasattr(FT2Font, "_layout")
               and hasattr(FT2Font, "_render_glyph") and hasattr(FT2Font, "_set_transform"))
except ImportError:  # pragma: no cover - older matplotlib
    ENABLED = False

_MAX_LAYOUTS = 4000
_MAX_GLYPHS = 40000
_layouts: dict = {}
_glyphs: dict = {}
_heights: dict = {}


def clear_caches() -> None:
    """Forget every cached layout and glyph bitmap."""
    _layouts.clear()
    _glyphs.clear()
    _heights.clear()


def cache_sizes() -> tuple[int, int]:
    """(cached string layouts, cached glyph bitmaps)."""
    return len(_layouts), len(_glyphs)


def _prop_key(prop) -> tuple:
    return (tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(), prop.get_stretch(),
            prop.get_size_in_points(), prop.get_file(), prop.get_math_fontfamily())


class _CachedTextRendererAgg(RendererAgg):
    """``RendererAgg`` whose text drawing reuses cached layouts, glyph bitmaps and font height metrics."""

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        global ENABLED
        if ismath or not ENABLED:  # mathtext: matplotlib caches the parse; its glyphs go through the cache below
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        try:
            self._draw_cached_text(gc, x, y, s, prop, angle, mtext)
        except (AttributeError, TypeError, ValueError):
            # the private API changed shape in this matplotlib: stop using the cache (slower, never wrong; the
            # test suite's "cache is in use" test reports it) and draw this string the ordinary way
            ENABLED = False
            clear_caches()
            super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

    def _draw_cached_text(self, gc, x, y, s, prop, angle, mtext):
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        flags = get_hinting_flag()
        features_key = tuple(features) if features is not None else None
        language_key = language if isinstance(language, (str, type(None))) else tuple(map(tuple, language))
        size = prop.get_size_in_points()
        key = (s, _prop_key(prop), self.dpi, flags, features_key, language_key)
        glyphs = _layouts.get(key)
        if glyphs is None:
            font = self._prepare_font(prop)
            glyphs = tuple((item.ft_object, size, item.glyph_index, 0, 1, item.x, item.y)
                           for item in font._layout(s, flags=flags, features=features, language=language))
            if len(_layouts) >= _MAX_LAYOUTS:
                _layouts.clear()
            _layouts[key] = glyphs
        self._draw_text_glyphs_and_boxes(gc, x, y, angle, glyphs, [])

    def _draw_text_glyphs_and_boxes(self, gc, x, y, angle, glyphs, boxes):
        global ENABLED
        if ENABLED:
            glyphs = tuple(glyphs)
            try:
                self._draw_cached_glyphs(gc, x, y, angle, glyphs, boxes)
                return
            except (AttributeError, TypeError, ValueError):  # as in draw_text: fall back for good
                ENABLED = False
                clear_caches()
        super()._draw_text_glyphs_and_boxes(gc, x, y, angle, glyphs, boxes)

    def _draw_cached_glyphs(self, gc, x, y, angle, glyphs, boxes):
        # RendererAgg._draw_text_glyphs_and_boxes with each glyph's bitmap looked up by its font, size, transform and
        # sub-pixel offset instead of rendered again; the boxes (mathtext rules) are left to matplotlib.
        cos = math.cos(math.radians(angle))
        sin = math.sin(math.radians(angle))
        rotation = 0x10000 * np.array([[cos, -sin], [sin, cos]])
        flags = get_hinting_flag()
        antialiased = gc.get_antialiased()
        mode = RenderMode.NORMAL if antialiased else RenderMode.MONO
        height = self.height
        dpi = self.dpi
        draw = self._renderer.draw_text_image
        matrices: dict = {}
        for font, size, glyph_index, slant, extend, dx, dy in glyphs:  # dy is upwards
            shape = (slant, extend)
            matrix = matrices.get(shape)
            if matrix is None:
                matrix = matrices[shape] = (rotation @ [[extend, extend * slant], [0, 1]]).round().astype(int)
            ox = round(0x40 * (x + dx * cos - dy * sin))
            oy = round(0x40 * (height - y + dx * sin + dy * cos))  # FreeType's y is upwards
            qx, rx = divmod(ox, 0x40)
            qy, ry = divmod(oy, 0x40)
            key = (font, size, dpi, glyph_index, matrix.tobytes(), rx, ry, flags, antialiased)
            hit = _glyphs.get(key)
            if hit is None:
                font.set_size(size, dpi)
                font._set_transform(matrix, [rx, ry])
                bitmap = font._render_glyph(glyph_index, flags, mode)
                buffer = np.array(bitmap.buffer, dtype=np.uint8, copy=True, order="C")
                if not antialiased:
                    buffer *= 0xFF
                if len(_glyphs) >= _MAX_GLYPHS:
                    _glyphs.clear()
                hit = _glyphs[key] = (buffer, bitmap.left, bitmap.top)
            buffer, left, top = hit
            # draw_text_image's y is downwards and names the bitmap's bottom side
            draw(buffer, left + qx, int(height) - (top + qy) + buffer.shape[0], 0, gc)
        if boxes:
            RendererAgg._draw_text_glyphs_and_boxes(self, gc, x, y, angle, (), boxes)

    def _get_font_height_metrics(self, prop):
        # Text._get_layout asks the renderer for a font's ascent, descent and line gap (a hook for backends) before
        # it reads them from the font's tables itself; this returns the same numbers, read once per font and size.
        key = (_prop_key(prop), self.dpi)
        hit = _heights.get(key)
        if hit is None:
            hit = _heights[key] = _font_height_metrics(prop, self.dpi)
        return hit


def _font_height_metrics(prop, dpi) -> tuple:
    """(ascent, descent, line gap) in pixels, exactly as ``matplotlib.text.Text._get_layout`` computes them."""
    font = get_font(fontManager._find_fonts_by_props(prop))
    for table_name, linegap_key, ascent_key, descent_key in (
        ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
        ("hhea", "lineGap", "ascent", "descent"),
    ):
        table = font.get_sfnt_table(table_name)
        if table is None:
            continue
        fontsize = prop.get_size_in_points()
        units_per_em = font.get_sfnt_table("head")["unitsPerEm"]
        scale = 1 / units_per_em * fontsize * dpi / 72
        return table[ascent_key] * scale, -table[descent_key] * scale, table[linegap_key] * scale
    return None, None, None


class FastCanvasAgg(FigureCanvasAgg):
    """``FigureCanvasAgg`` drawing text through the layout and glyph caches (plain Agg if they are unavailable)."""

    def get_renderer(self):
        if not ENABLED:
            return super().get_renderer()
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key or not isinstance(getattr(self, "renderer", None), _CachedTextRendererAgg):
            self.renderer = _CachedTextRendererAgg(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer


def agg_canvas(fig) -> FigureCanvasAgg:
    """The figure's canvas as a :class:`FastCanvasAgg` (attached to the figure the first time)."""
    canvas = fig.canvas
    if isinstance(canvas, FastCanvasAgg):
        return canvas
    return FastCanvasAgg(fig)

