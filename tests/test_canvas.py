"""The text-picture cache of ``bonemets_edu.canvas``: same pixels as matplotlib's own text drawing, and never a stale
picture for a changed text."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bonemets_edu.canvas import CachingCanvas, clear_text_cache, text_cache_info

#: Largest per-channel difference from matplotlib's direct glyph drawing: the cached picture is blended onto
#: transparency first and composited afterwards, which can round an anti-aliased edge pixel differently (measured: 1).
ROUNDING = 2


def _figure(label="Tumour dose 14.4 Gy"):
    fig = Figure(figsize=(4, 2.5), dpi=100)
    ax = fig.add_axes((0.15, 0.2, 0.8, 0.7))
    ax.plot([0, 1], [0, 1])
    ax.set_xlabel("time (days)")
    ax.set_ylabel("dose (Gy)")
    value = ax.text(0.5, 0.5, label, fontsize=12, color="tab:blue", rotation=15)
    ax.text(0.05, 0.85, r"$\alpha/\beta = 10$ Gy", fontsize=12)  # mathtext
    ax.text(0.9, 0.1, "clipped at the right edge", fontsize=12, clip_on=True)
    ax.set_title("Title with descenders: gjpqy", loc="left")
    return fig, value


def _pixels(canvas_class, fig):
    canvas = canvas_class(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[:, :, :3].astype(int)


def test_cached_text_matches_matplotlibs_direct_drawing():
    clear_text_cache()
    fig, _value = _figure()
    direct = _pixels(FigureCanvasAgg, fig)
    first = _pixels(CachingCanvas, fig)  # every line rasterised (misses)
    again = _pixels(CachingCanvas, fig)  # every line from the cache (hits)
    assert text_cache_info()["hits"] > 0 and text_cache_info()["misses"] > 0
    assert np.abs(first - direct).max() <= ROUNDING
    assert np.array_equal(first, again)


def test_a_changed_label_is_drawn_anew_not_served_from_the_cache():
    clear_text_cache()
    fig, value = _figure("14.4 Gy")
    old = _pixels(CachingCanvas, fig)
    value.set_text("41.4 Gy")
    new = _pixels(CachingCanvas, fig)
    assert np.abs(new - old).max() > 100  # the digits moved: full-contrast differences
    assert np.abs(new - _pixels(FigureCanvasAgg, fig)).max() <= ROUNDING


@pytest.mark.parametrize("change", ["color", "fontsize", "rotation", "alpha", "fontweight"])
def test_every_text_property_that_changes_pixels_is_part_of_the_key(change):
    clear_text_cache()
    fig, value = _figure()
    before = _pixels(CachingCanvas, fig)
    {"color": lambda: value.set_color("tab:red"), "fontsize": lambda: value.set_fontsize(16),
     "rotation": lambda: value.set_rotation(40), "alpha": lambda: value.set_alpha(0.3),
     "fontweight": lambda: value.set_fontweight("bold")}[change]()
    after = _pixels(CachingCanvas, fig)
    assert np.abs(after - before).max() > 50
    assert np.abs(after - _pixels(FigureCanvasAgg, fig)).max() <= ROUNDING


def test_a_moved_text_lands_where_matplotlib_puts_it():
    clear_text_cache()
    fig, value = _figure()
    _pixels(CachingCanvas, fig)
    value.set_position((0.2, 0.3))  # a new sub-pixel offset and a new place
    assert np.abs(_pixels(CachingCanvas, fig) - _pixels(FigureCanvasAgg, fig)).max() <= ROUNDING


@pytest.mark.parametrize("limit", ["MAX_ITEMS", "MAX_BYTES"])
def test_the_cache_is_bounded_in_items_and_in_bytes(limit):
    from bonemets_edu import canvas

    clear_text_cache()
    fig = Figure(figsize=(2, 1), dpi=50)
    label = fig.text(0.1, 0.5, "")
    c = CachingCanvas(fig)
    label.set_text("value 0")
    c.draw()
    one = text_cache_info()["bytes"]
    assert one > 0
    saved = getattr(canvas, limit)
    setattr(canvas, limit, 5 if limit == "MAX_ITEMS" else 3 * one)
    try:
        for i in range(12):
            label.set_text(f"value {i}")
            c.draw()
        info = text_cache_info()
        assert (info["items"] <= 5) if limit == "MAX_ITEMS" else (info["bytes"] <= 3 * one and info["items"] <= 4)
        assert info["bytes"] == sum(p.nbytes for p, _l, _t in canvas._cache.values() if p is not None)
    finally:
        setattr(canvas, limit, saved)
        clear_text_cache()


def test_same_pixels_under_the_course_style_with_a_text_cut_by_its_clip_box():
    # the course style (fonts, sizes, grid) moves the axes edge; a clipped line is drawn by matplotlib itself there
    import matplotlib as mpl

    from bonemets_edu import style

    with mpl.rc_context():
        style.apply()
        clear_text_cache()
        fig, _value = _figure()
        assert np.abs(_pixels(CachingCanvas, fig) - _pixels(FigureCanvasAgg, fig)).max() <= ROUNDING
        assert np.abs(_pixels(CachingCanvas, fig) - _pixels(FigureCanvasAgg, fig)).max() <= ROUNDING  # from the cache
