"""Shared pieces for the course's widgets (thin views: no clinical logic here).

* ``FigurePane`` — one persistent matplotlib figure shown in an ``ipywidgets.HTML`` as an ``<img alt>``;
  ``refresh(alt)`` re-renders the *same* figure after the artists were updated (never a new figure per step).
* ``message`` — a plain-text status line (escaped), with a text prefix such as "Warning:" so meaning never rests
  on colour.
* ``app`` — assemble a titled VBox with the disclaimer line and expose ``controls``/``text``/``pane`` handles,
  which tests and the benchmark harness use.
"""

from __future__ import annotations

import ipywidgets as widgets

from .disclaimer import SHORT
from .display import escape, png_html

__all__ = ["FigurePane", "message", "app", "labelled_style", "LAYOUT_WIDE"]

#: Controls show their full description (which carries the unit) instead of truncating it.
labelled_style = {"description_width": "initial"}
LAYOUT_WIDE = widgets.Layout(width="auto", max_width="640px")


class FigurePane:
    """A persistent figure displayed through an HTML widget with alt text.

    * ``FigurePane(fig, alt)`` — every ``refresh`` is a full render of the figure.
    * ``FigurePane(fig, alt, animated=[artists] or callable)`` — ``refresh`` blits: the static background is drawn once
      (with the animated artists hidden) and each refresh draws only the animated artists over it. Valid when only
      those artists change, or when the other changes are axes limits/scales or are named by ``static_key()`` (a new
      key redraws the background: the full-render fallback). See :mod:`bonemets_edu.render`.
    * ``cache=True`` — ``show(key, draw, alt)`` memoises the PNG per discrete state ``key``: ``draw()`` (which updates
      the artists) runs only the first time a state is shown. ``pane.cache.clear()`` forgets the images.
    """

    def __init__(self, fig, alt: str, *, freeze_layout: bool = True, animated=None, static_key=None,
                 cache: bool = False):
        from .render import Renderer, StateCache

        self.fig = fig
        self.alt = alt
        self.renderer = Renderer(fig, animated, static_key=static_key)
        self.cache = StateCache() if cache else None
        self.widget = widgets.HTML(value=png_html(self.renderer.png(), alt))
        if freeze_layout:
            # The first render ran the constrained layout; keep those positions so that later renders skip the
            # layout solver (most of an update's cost). Pass freeze_layout=False if tick labels change width a lot.
            fig.set_layout_engine("none")

    def refresh(self, alt: str | None = None) -> None:
        """Re-render the figure after its artists were updated (blitting if the pane has animated artists)."""
        if alt is not None:
            self.alt = alt
        self.widget.value = png_html(self.renderer.png(), self.alt)

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
        self.widget.value = png_html(png, alt)

    def png(self) -> bytes:
        """PNG bytes of the figure's current state (what ``refresh`` would show)."""
        return self.renderer.png()


def message(text: str, kind: str = "info") -> str:
    """HTML for a status line: ``kind`` is 'info', 'ok', 'warning' or 'error'; the prefix word carries the meaning."""
    prefix = {"info": "", "ok": "OK: ", "warning": "Warning: ", "error": "Cannot compute: "}.get(kind)
    if prefix is None:
        raise ValueError(f"kind must be one of 'info', 'ok', 'warning', 'error'; got {kind!r}")
    weight = "bold" if kind in ("warning", "error") else "normal"
    return f'<div class="bm-msg bm-{kind}" role="status" style="font-weight:{weight}">{escape(prefix + text)}</div>'


def app(title: str, children, *, controls: dict, text: widgets.HTML | None = None, pane: FigurePane | None = None):
    """A titled VBox with the short disclaimer; handles attached as ``.controls``, ``.text`` and ``.pane``."""
    head = widgets.HTML(f"<h4 style='margin:2px 0'>{escape(title)}</h4><em>{escape(SHORT)}</em>")
    box = widgets.VBox([head, *children])
    box.controls = controls
    box.text = text
    box.pane = pane
    return box
