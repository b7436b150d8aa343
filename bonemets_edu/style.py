"""One figure style for the whole course.

* Colours come from matplotlib's own colour-blind-safe style ``tableau-colorblind10`` (Tableau's palette designed
  for colour-vision deficiency); we never list hex codes ourselves.
* Text is at least 12 pt, lines are thick enough for a projector, every axis carries its unit.
* Meaning is never carried by colour alone: series also differ by marker and line style (``SERIES``) and are
  labelled directly or in a legend.
"""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

PALETTE_STYLE = "tableau-colorblind10"
BASE_FONT_PT = 12

_rc = {
    "font.size": BASE_FONT_PT,
    "axes.titlesize": BASE_FONT_PT + 2,
    "axes.labelsize": BASE_FONT_PT + 1,
    "xtick.labelsize": BASE_FONT_PT,
    "ytick.labelsize": BASE_FONT_PT,
    "legend.fontsize": BASE_FONT_PT,
    "figure.titlesize": BASE_FONT_PT + 3,
    "lines.linewidth": 2.2,
    "lines.markersize": 7,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "svg.hashsalt": "bonemets-edu",  # deterministic SVG ids
    "figure.autolayout": False,
}


def _palette() -> list[str]:
    return list(plt.style.library[PALETTE_STYLE]["axes.prop_cycle"].by_key()["color"])


#: The course colours, in order (from matplotlib's ``tableau-colorblind10`` style).
COLORS: list[str] = _palette()
#: Markers and line styles that accompany the colours so that series differ without colour.
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*", "h", "<"]
LINESTYLES = ["-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)), "-", "--", "-.", ":"]
#: Colour map for 2-D maps (temperature, dose): matplotlib's perceptually uniform, colour-vision-deficiency-safe
#: "cividis". Always add a labelled colour bar and contour lines with text labels for thresholds.
CMAP = "cividis"
#: Hatches for bars/areas, so that bars differ without colour too.
HATCHES = ["", "//", "..", "xx", "\\\\", "++", "oo", "--", "**", "||"]


def series_style(i: int) -> dict:
    """Colour, marker and line style for the i-th series (cycling)."""
    return {"color": COLORS[i % len(COLORS)], "marker": MARKERS[i % len(MARKERS)], "linestyle": LINESTYLES[i % len(LINESTYLES)]}


def bar_style(i: int) -> dict:
    return {"color": COLORS[i % len(COLORS)], "hatch": HATCHES[i % len(HATCHES)], "edgecolor": "black", "linewidth": 0.8}


def apply() -> None:
    """Apply the course style globally (idempotent)."""
    plt.style.use(PALETTE_STYLE)
    matplotlib.rcParams.update(_rc)


def new_figure(width_in: float = 7.0, height_in: float = 4.2, nrows: int = 1, ncols: int = 1, **kwargs):
    """A new figure in the course style that is *not* managed by pyplot (no global state, no auto-display).

    Returns ``(fig, ax)`` (or ``(fig, axes)`` for a grid).
    """
    apply()
    fig = Figure(figsize=(width_in, height_in), layout="constrained")
    axes = fig.subplots(nrows, ncols, **kwargs)
    return fig, axes


def annotate_source(fig: Figure, text: str) -> None:
    """A small caption in the lower-left corner (e.g. the source or 'illustrative model')."""
    fig.text(0.005, 0.005, text, fontsize=BASE_FONT_PT, ha="left", va="bottom", color="0.25")


apply()
