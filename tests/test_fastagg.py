"""The glyph-caching Agg canvas (bonemets_edu.fastagg) draws exactly the pixels of matplotlib's own Agg canvas.

Every widget figure of the course and a stress figure (rotated, tiny, huge, non-antialiased, math and non-Latin text at
fractional positions) are drawn with plain ``FigureCanvasAgg`` and with ``FastCanvasAgg`` (cold caches, then warm
caches), and the RGBA buffers must be equal byte for byte.
"""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from bonemets_edu import fastagg, style


def _plain(fig) -> np.ndarray:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


def _fast(fig) -> np.ndarray:
    canvas = fastagg.FastCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


def _assert_identical(fig) -> None:
    reference = _plain(fig)
    fastagg.clear_caches()
    cold = _fast(fig)
    warm = _fast(fig)  # every layout and glyph now comes from the caches
    assert reference.shape == cold.shape == warm.shape
    assert np.array_equal(reference, cold), f"{int((reference != cold).any(axis=2).sum())} pixels differ (cold cache)"
    assert np.array_equal(reference, warm), f"{int((reference != warm).any(axis=2).sum())} pixels differ (warm cache)"


def test_the_cache_is_in_use_on_this_matplotlib():
    # If matplotlib's private text API changes, the canvas silently falls back to plain Agg (correct but slow);
    # this test says so, so that the speed loss is noticed.
    assert fastagg.ENABLED
    fig, ax = style.new_figure(4, 3)
    ax.set_title("cached text")
    fastagg.clear_caches()
    _fast(fig)
    layouts, glyphs = fastagg.cache_sizes()
    assert layouts > 0 and glyphs > 0


def test_stress_text_matches_plain_agg():
    fig, ax = style.new_figure(6.3, 4.1)
    fig.set_layout_engine("none")  # the large rotated texts would make constrained layout give up (a warning)
    ax.plot([0, 1], [0, 1])
    rng = np.linspace(0.03, 0.97, 9)
    for i, (x, y) in enumerate(zip(rng, rng[::-1], strict=True)):
        ax.text(x + 0.0013 * i, y + 0.0007 * i, f"α/β {i}.{i} Gy – ✔ ✘ ≥", rotation=17 * i, fontsize=5 + 2.5 * i,
                ha=("left", "center", "right")[i % 3], va=("top", "center", "baseline", "bottom")[i % 4])
    ax.text(0.5, 0.5, "no anti-aliasing", antialiased=False, fontsize=13, rotation=90)
    ax.text(0.2, 0.6, r"math: $\alpha/\beta = 10\,\mathrm{Gy}$", fontsize=11)
    ax.text(0.05, 0.3, r"$\frac{1}{2} + \sqrt{x}$ (rules are drawn as boxes)", fontsize=10, rotation=8)
    ax.text(0.6, 0.2, "bold\nand two lines", fontweight="bold", fontsize=12, color="0.3", alpha=0.6)
    ax.set_xlabel("x label (unit)")
    ax.set_ylabel("y label rotated (unit)")
    ax.set_title("Title at 100 dpi")
    _assert_identical(fig)
    fig.set_dpi(137)  # a new renderer size and a new dpi: new glyph sizes and sub-pixel offsets
    _assert_identical(fig)


def _widget_builders():
    from benchmarks.harness import discover

    seen, out = set(), []
    for case in discover():
        if case.build not in seen:
            seen.add(case.build)
            out.append(pytest.param(case.build, id=case.name.split(" (")[0]))
    return out


@pytest.mark.parametrize("build", _widget_builders())
def test_every_widget_figure_matches_plain_agg(build):
    app = build()
    pane = app.pane
    if pane is None:
        pytest.skip("this widget shows a table, no figure")
    fig = pane.fig
    animated = pane.renderer._artists() if pane.renderer.blitting else []
    for a in animated:  # draw every artist normally (a blitting pane marks its moving artists as animated)
        a.set_animated(False)
    try:
        _assert_identical(fig)
    finally:
        for a in animated:
            a.set_animated(True)


@pytest.mark.parametrize("where", ["_draw_cached_text", "_draw_cached_glyphs"])
def test_a_changed_private_api_falls_back_to_plain_agg(monkeypatch, where):
    # If a future matplotlib changes the private text API (laying out, or rendering glyphs), drawing goes on with
    # matplotlib's own code, and the cache switches itself off.
    def broken(*args, **kwargs):
        raise AttributeError("simulated change of matplotlib's private text API")

    fig, ax = style.new_figure(4, 3)
    ax.set_title("fallback α/β")
    ax.set_yscale("log")  # math-text tick labels: the glyph path
    ax.set_ylim(1e-3, 1)
    reference = _plain(fig)
    fastagg.clear_caches()
    monkeypatch.setattr(fastagg, "ENABLED", True)
    monkeypatch.setattr(fastagg._CachedTextRendererAgg, where, broken)
    drawn = _fast(fig)
    assert fastagg.ENABLED is False
    assert np.array_equal(drawn, reference)
