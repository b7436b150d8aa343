"""Shared pieces for the course's widgets (thin views: no clinical logic here).

* ``FigurePane`` — one persistent matplotlib figure shown in a :class:`PNGImage` (binary PNG + alt text);
  ``refresh(alt)`` re-renders the *same* figure after the artists were updated (never a new figure per step), by
  blitting when the pane was given its ``animated`` artists, and ``show(key, draw, alt)`` memoises per state.
* ``Renderer`` / ``StateCache`` — the one implementation of that blitting and per-state memo (details below).
* ``message`` — a plain-text status line (escaped), with a text prefix such as "Warning:" so meaning never rests
  on colour.
* ``App`` — base class of the widgets (STYLE.md §3): a titled VBox with the disclaimer line; subclasses keep their
  controls, ``text``, ``pane`` and ``plot`` as attributes and name the controls in ``CONTROLS`` (``controls`` maps
  names to controls for the tests and the benchmark harness).
"""

from __future__ import annotations

import struct
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path

import anywidget
import ipywidgets as widgets
import traitlets

from .disclaimer import SHORT
from .display import agg_canvas, check_alt, encode_canvas, escape, render_png

__all__ = ["App", "PNGImage", "FigurePane", "Renderer", "StateCache", "pin_decorations", "message", "labelled_style", "LAYOUT_WIDE"]

#: Controls show their full description (which carries the unit) instead of truncating it.
labelled_style = {"description_width": "initial"}
LAYOUT_WIDE = widgets.Layout(width="auto", max_width="640px")


class PNGImage(anywidget.AnyWidget):
    """A PNG image with alt text, sent to the browser as a binary buffer (``anywidget``; ``static/png_image.js``).

    Compared with an ``<img src="data:image/png;base64,…">`` inside an ``HTML`` widget, the bytes travel without base64
    (a third smaller), the page does not parse HTML or rebuild the element on every frame, the next image is decoded
    before it replaces the old one, and the box keeps its size (``width``/``height``), so an update causes no layout
    change. The ``alt`` text is the ``<img>``'s alt attribute: screen readers read it as before.
    """

    _esm = Path(__file__).with_name("static") / "png_image.js"
    value = traitlets.Bytes(b"").tag(sync=True)
    alt = traitlets.Unicode("").tag(sync=True)
    width = traitlets.Int(0).tag(sync=True)
    height = traitlets.Int(0).tag(sync=True)

    def show(self, png: bytes, alt: str) -> None:
        """Show ``png`` with ``alt`` (one message to the browser)."""
        check_alt(alt)
        width, height = png_size(png)
        with self.hold_sync():
            self.alt = alt
            self.width, self.height = width, height
            self.value = png


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels from a PNG's IHDR chunk."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise ValueError("png must be the bytes of a PNG image")
    return struct.unpack(">II", png[16:24])


class FigurePane:
    """A persistent figure displayed through an HTML widget with alt text.

    * ``FigurePane(fig, alt)`` — every ``refresh`` is a full render of the figure.
    * ``FigurePane(fig, alt, animated=[artists] or callable)`` — ``refresh`` blits: the static background is drawn once
      (with the animated artists hidden) and each refresh draws only the animated artists over it. Valid when only
      those artists change, or when the other changes are axes limits/scales or are named by ``static_key()`` (a new
      key redraws the background: the full-render fallback). See :class:`Renderer`.
    * ``cache=True`` — ``show(key, draw, alt)`` memoises the PNG per discrete state ``key``: ``draw()`` (which updates
      the artists) runs only the first time a state is shown. ``pane.cache.clear()`` forgets the images. An integer
      ``cache=n`` keeps at most ``n`` images (for a widget with large pictures and many states).
    """

    def __init__(self, fig, alt: str, *, freeze_layout: bool = True, animated=None, static_key=None,
                 cache: bool | int = False):
        self.fig = fig
        self.alt = alt
        self.renderer = Renderer(fig, animated, static_key=static_key)
        if cache is True:
            self.cache = StateCache()
        elif cache:
            self.cache = StateCache(max_items=int(cache))
        else:
            self.cache = None
        self.image = self.renderer.png()  #: PNG bytes on screen now
        self.widget = PNGImage()
        self.widget.show(self.image, alt)
        if freeze_layout:
            # The first render ran the constrained layout; keep those positions so that later renders skip the
            # layout solver (most of an update's cost). Pass freeze_layout=False if tick labels change width a lot.
            fig.set_layout_engine("none")

    def refresh(self, alt: str | None = None) -> None:
        """Re-render the figure after its artists were updated (blitting if the pane has animated artists)."""
        if alt is not None:
            self.alt = alt
        self._put(self.renderer.png(), self.alt)

    def show(self, key, draw, alt: str) -> None:
        """Show the state ``key``: from the per-state cache if it was shown before, else ``draw()`` and render it.

        ``draw`` must set every artist that depends on the state (a cache hit skips it). Without ``cache=True`` this
        is ``draw(); refresh(alt)``.
        """
        self.alt = alt
        if self.cache is None:
            draw()
            png = self.renderer.png()
        else:
            png = self.cache.get(key, lambda: (draw(), self.renderer.png())[1])
        self._put(png, alt)

    def _put(self, png: bytes, alt: str) -> None:
        self.widget.show(png, alt)
        self.image = png

    def png(self) -> bytes:
        """PNG bytes of the figure's current state (what ``refresh`` would show)."""
        return self.renderer.png()


def pin_decorations(fig, widest: dict | None = None) -> None:
    """Fix where matplotlib puts axis labels and titles, so that a redraw does not measure every tick label again.

    On every draw matplotlib moves each axis label clear of its tick labels and each title clear of anything above the
    axes; for a widget whose limits change, that measuring is about a quarter of a full draw. Call this once, after
    the figure's margins are fixed: the figure is drawn with the limits in ``widest`` (``{axes: (xlim, ylim)}``, either
    may be ``None``: the widest tick labels the widget will show, so that they still fit), the label positions
    matplotlib chose are kept in axes coordinates, the titles keep their place, and the limits are restored.
    Call it once per figure (a pinned label is not placed again).
    """
    widest = widest or {}
    saved = {ax: (ax.get_xlim(), ax.get_ylim()) for ax in fig.axes}
    for ax, (xlim, ylim) in widest.items():
        if xlim is not None:
            ax.set_xlim(*xlim)
        if ylim is not None:
            ax.set_ylim(*ylim)
    agg_canvas(fig).draw()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            label = axis.label
            where = ax.transAxes.inverted().transform(label.get_transform().transform(label.get_position()))
            axis.set_label_coords(*where)
        # the same y the automatic placement chose (1.0 when nothing sits above the axes; also for a title the widget
        # sets later); a title set with an explicit y is never placed again (later set_title calls keep y = 1.0)
        title = ax.title
        ax.set_title(title.get_text(), y=title.get_position()[1], fontsize=title.get_fontsize(),
                     fontweight=title.get_fontweight())  # (set_title would reset the font to the defaults)
    for ax, (xlim, ylim) in saved.items():
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)


# --- rendering: the shared blitting renderer and per-state cache --------------------------------------------------


class Renderer:
    """PNG frames of ``fig``; blits ``animated`` artists (a list, or a callable returning the current list).

    The one fast re-rendering path of the widgets' persistent figures (used by ``FigurePane``). Without ``animated`` artists every frame is a full draw
    (``display.render_png``). With ``animated`` artists it *blits*:

    1. the static background (everything except the animated artists) is drawn once and kept as pixels;
    2. each frame restores those pixels, draws only the animated artists on top (in z-order) and encodes the PNG with
       the same encoder as ``display.render_png`` (deterministic, no metadata).

    When is blitting valid? The picture equals a full render of the same state only if

    * nothing but the listed artists changes between frames — or the change is captured by the background key: the
      renderer keys each background on every axes' position, limits and scales plus ``static_key()`` (a callable the
      widget passes for other static changes, e.g. which series are shown); a new key redraws the background (a full
      draw, i.e. the automatic fallback), and up to ``max_backgrounds`` backgrounds are kept;
    * the animated artists lie above every static artist they overlap (they are drawn last);
    * the layout is fixed: the first draw runs the layout engine once, then the layout is frozen.

    :class:`StateCache` memoises the PNG of a widget with a few discrete states (a score total, a level, a step):
    ``png = cache.get(key, render)`` renders the first time a state is shown and returns the identical bytes afterwards.
    Only valid when the picture depends on nothing but ``key``.
    """

    def __init__(self, fig, animated: Iterable | Callable[[], Iterable] | None = None, *,
                 static_key: Callable[[], Hashable] | None = None, max_backgrounds: int = 16):
        self.fig = fig
        if animated is None:
            self._animated = None
        elif callable(animated):
            self._animated = animated
        else:
            fixed = list(animated)
            self._animated = lambda: fixed
        self.static_key = static_key
        self.max_backgrounds = max_backgrounds
        self._backgrounds: OrderedDict = OrderedDict()
        self._canvas = None
        self._overlay: set = set()
        self._static_boxes: dict = {}
        self._static_boxes_key = None
        self._laid_out = False

    @property
    def blitting(self) -> bool:
        return self._animated is not None

    def _artists(self) -> list:
        """The artists drawn on every frame, in matplotlib's drawing order: the animated artists and, in each axes that
        holds some, the static artists above the lowest of them (spines, texts, legends: a full draw puts them on top
        of the moving artists, so they are left out of the background and drawn over the moving artists too)."""
        arts = [a for a in self._animated() if a is not None]
        moving = set(map(id, arts))
        axes_of = {id(a.axes): a.axes for a in arts if a.axes is not None}
        overlay = []
        for ax in axes_of.values():
            children = ax.get_children()
            # as Axes.draw: without the patch, and without spines and axes when the axes is switched off
            skip = {id(ax.patch)} | ({id(x) for x in (*ax.spines.values(), ax.xaxis, ax.yaxis)} if not ax.axison
                                     else set())
            # matplotlib draws an axes' children sorted by z-order, stably in get_children() order: every static
            # child after the first moving one in that order is drawn over it in a full render
            first = min((c.get_zorder(), i) for i, c in enumerate(children) if id(c) in moving)
            overlay += [c for i, c in enumerate(children)
                        if id(c) not in moving and id(c) not in skip and (c.get_zorder(), i) > first]
        if self._laid_out:  # a static text or axis that no moving artist touches stays in the background
            overlay = self._touching(overlay, arts)
        for a in self._overlay - set(overlay):  # no longer above a moving artist: back into the background
            a.set_animated(False)
        self._overlay = set(overlay)
        arts += overlay
        for a in arts:
            a.set_animated(True)
        order = {id(ax): i for i, ax in enumerate(self.fig.axes)}
        position = {id(c): i for ax in axes_of.values() for i, c in enumerate(ax.get_children())}

        def key(item):
            n, a = item
            ax = a.axes
            if ax is None:  # a figure-level artist: drawn among the axes by its own z-order
                return (a.get_zorder(), len(order), 0.0, n)
            # matplotlib sorts an axes' children by z-order, stably in get_children() order
            return (ax.get_zorder(), order.get(id(ax), len(order)), a.get_zorder(), position.get(id(a), n))

        return [a for _n, a in sorted(enumerate(arts), key=key)]

    def _touching(self, overlay: list, moving: list) -> list:
        """The texts, legends and axes of ``overlay`` whose box meets a moving artist's box (padded), plus every other
        artist of ``overlay`` (spines, lines: cheap, or drawn over large areas). A text or an axis that touches no
        moving artist looks the same drawn under or over them, so it can stay in the background: that saves most
        of a frame's text drawing. Falls back to the whole overlay when a box cannot be measured.

        Measuring is kept cheap: the boxes of the static artists are memoised per layout (they change only with the
        axes' positions and limits and the widget's ``static_key``, which key the memo); a moving artist clipped to its
        axes cannot paint outside that box (its box is cut to it), so an axis whose ticks point outwards and that
        draws no grid lines is never under it; a moving spine is measured by its own path (matplotlib's
        ``Spine.get_window_extent`` also lays out the axis' ticks)."""
        import matplotlib as mpl
        from matplotlib.axis import Axis
        from matplotlib.legend import Legend
        from matplotlib.patches import Patch
        from matplotlib.spines import Spine
        from matplotlib.text import Text
        from matplotlib.transforms import Bbox

        renderer = self._canvas_agg().get_renderer()
        moving_boxes = []  # (box, axes bbox it is clipped inside, or None)
        try:
            for a in moving:
                if isinstance(a, Spine):
                    box = Patch.get_window_extent(a, renderer)
                else:
                    box = a.get_window_extent(renderer)
                box = box.padded(4)
                inside = None
                if a.axes is not None and a.get_clip_on() and a.get_clip_path() is None:
                    clip = a.get_clip_box()
                    if clip is not None and clip.bounds == a.axes.bbox.bounds:
                        inside = a.axes
                        box = Bbox.intersection(box, clip.frozen())
                        if box is None:
                            continue  # drawn entirely outside its clip box: paints nothing
                moving_boxes.append((box, inside))
        except Exception:  # noqa: BLE001 - an artist without a measurable box: draw the whole overlay
            return overlay
        layout = self._layout_key()
        if self._static_boxes_key != layout:
            self._static_boxes = {}
            self._static_boxes_key = layout
        keep = []
        for c in overlay:
            if isinstance(c, Axis):
                if any(g.get_visible() for g in c.get_gridlines()):
                    keep.append(c)  # grid lines cross the axes
                    continue
                default = mpl.rcParams[f"{c.axis_name}tick.direction"]
                outwards = all(c.get_tick_params(which=w).get("direction", default) == "out" for w in ("major", "minor"))
                box = self._static_box(c, lambda c=c: c.get_tightbbox(renderer), 8)  # ticks: labels to frame
                if any(box is not None and box.overlaps(b) and not (outwards and inside is c.axes)
                       for b, inside in moving_boxes):
                    keep.append(c)
            elif isinstance(c, (Text, Legend)):
                box = self._static_box(c, lambda c=c: c.get_window_extent(renderer), 2)  # ink: within 1 px
                if box is not None and any(box.overlaps(b) for b, _inside in moving_boxes):
                    keep.append(c)
            else:
                keep.append(c)
        return keep

    def _static_box(self, artist, measure, pad):
        """``measure()`` padded by ``pad`` pixels, memoised for the current layout (see :meth:`_touching`). The memo
        keeps the artist itself next to its box, so its ``id`` cannot be reused by a new artist while the entry lives."""
        found = self._static_boxes.get(id(artist))
        if found is None or found[0] is not artist:
            box = measure()
            found = self._static_boxes[id(artist)] = (artist, None if box is None else box.padded(pad))
        return found[1]

    def _layout_key(self):
        parts = [tuple(self.fig.bbox.bounds)]
        for ax in self.fig.axes:
            parts.append((tuple(ax.get_position().bounds), ax.get_xlim(), ax.get_ylim(), ax.get_xscale(),
                          ax.get_yscale(), ax.get_visible()))
        if self.static_key is not None:
            parts.append(self.static_key())
        return tuple(parts)

    def _canvas_agg(self):
        if self._canvas is None:
            self._canvas = agg_canvas(self.fig)
        return self._canvas

    def _background_key(self):
        return (*self._layout_key(), frozenset(map(id, self._overlay)))

    def png(self) -> bytes:
        """The current state as PNG bytes."""
        if not self.blitting:
            return render_png(self.fig)
        canvas = self._canvas_agg()
        if not self._laid_out:
            # The layout engine runs here, once, and the positions are frozen; laid out, the artists can be measured,
            # so the first background already leaves out only the static artists that a moving one touches.
            self.fig.draw_without_rendering()
            self.fig.set_layout_engine("none")
            self._laid_out = True
        artists = self._artists()
        key = self._background_key()
        background = self._backgrounds.get(key)
        if background is None:
            canvas.draw()  # full draw of the static part (animated artists are skipped): first frame, new limits or
            #                static content, or a new set of overlapping artists
            background = self._backgrounds[key] = canvas.copy_from_bbox(self.fig.bbox)
            while len(self._backgrounds) > self.max_backgrounds:
                self._backgrounds.popitem(last=False)
        else:
            self._backgrounds.move_to_end(key)
        canvas.restore_region(background)
        for a in artists:
            self.fig.draw_artist(a)
        return encode_canvas(canvas)

    def full_png(self) -> bytes:
        """A full render of the current state with every artist drawn normally (reference for tests)."""
        if not self.blitting:
            return render_png(self.fig)
        artists = self._artists()
        for a in artists:
            a.set_animated(False)
        try:
            return render_png(self.fig)
        finally:
            for a in artists:
                a.set_animated(True)

    def invalidate(self) -> None:
        """Forget the cached backgrounds (call after changing a static artist that no key captures)."""
        self._backgrounds.clear()
        self._static_boxes_key = None


class StateCache:
    """PNG bytes per discrete widget state, the least recently shown dropped beyond ``max_items`` (a widget with a
    custom dose and an α/β slider has thousands of states; about 30 kB each); ``clear()`` forgets them all (the
    benchmark's "first view" cases)."""

    def __init__(self, max_items: int = 256):
        self.max_items = max_items
        self._png: OrderedDict = OrderedDict()

    def clear(self) -> None:
        self._png.clear()

    def __contains__(self, key) -> bool:
        return key in self._png

    def __len__(self) -> int:
        return len(self._png)

    def get(self, key: Hashable, render: Callable[[], bytes]) -> bytes:
        if key in self._png:
            self._png.move_to_end(key)
            return self._png[key]
        png = self._png[key] = render()
        while len(self._png) > self.max_items:
            self._png.popitem(last=False)
        return png


def message(text: str, kind: str = "info") -> str:
    """HTML for a status line: ``kind`` is 'info', 'ok', 'warning' or 'error'; the prefix word carries the meaning."""
    prefix = {"info": "", "ok": "OK: ", "warning": "Warning: ", "error": "Cannot compute: "}.get(kind)
    if prefix is None:
        raise ValueError(f"kind must be one of 'info', 'ok', 'warning', 'error'; got {kind!r}")
    weight = "bold" if kind in ("warning", "error") else "normal"
    return f'<div class="bm-msg bm-{kind}" role="status" style="font-weight:{weight}">{escape(prefix + text)}</div>'


class App(widgets.VBox):
    """Base class of the course's widgets (STYLE.md §3): a titled VBox with the short disclaimer on top.

    A subclass keeps its controls, its text line (``text``), its figure pane (``pane``) and its plot object (``plot``)
    as public attributes, names its controls in ``CONTROLS`` (the attribute names, in display order), computes a
    pure ``state()`` from the controls and shows it in ``refresh()``. ``controls`` maps those names to the controls
    (what the tests and the benchmark harness set).
    """

    TITLE = ""
    CONTROLS: tuple[str, ...] = ()

    def __init__(self, children, **kwargs):
        head = widgets.HTML(f"<h4 style='margin:2px 0'>{escape(self.TITLE)}</h4><em>{escape(SHORT)}</em>")
        super().__init__([head, *children], **kwargs)

    @property
    def controls(self) -> dict:
        return {name: getattr(self, name) for name in self.CONTROLS}

    def observe_controls(self, handler=None) -> None:
        """Call ``handler`` (default ``self.refresh``) when any control's value changes."""
        for control in self.controls.values():
            control.observe(handler or self.refresh, names="value")

