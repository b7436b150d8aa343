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
from .display import escape, figure_html

__all__ = ["FigurePane", "message", "app", "labelled_style", "LAYOUT_WIDE"]

#: Controls show their full description (which carries the unit) instead of truncating it.
labelled_style = {"description_width": "initial"}
LAYOUT_WIDE = widgets.Layout(width="auto", max_width="640px")


class FigurePane:
    """A persistent figure displayed through an HTML widget with alt text."""

    def __init__(self, fig, alt: str, *, freeze_layout: bool = True):
        self.fig = fig
        self.alt = alt
        self.widget = widgets.HTML(value=figure_html(fig, alt))
        if freeze_layout:
            # The first render ran the constrained layout; keep those positions so that later renders skip the
            # layout solver (most of an update's cost). Pass freeze_layout=False if tick labels change width a lot.
            fig.set_layout_engine("none")

    def refresh(self, alt: str | None = None) -> None:
        if alt is not None:
            self.alt = alt
        self.widget.value = figure_html(self.fig, self.alt)


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
