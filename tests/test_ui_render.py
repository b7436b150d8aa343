"""The shared widget renderer (bonemets_edu.ui: Renderer, StateCache, FigurePane): blitting equals a full render, alt text is kept,
the per-state cache returns identical bytes, and a change of limits or static key falls back to a full draw."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from imagecheck import assert_same_image
from PIL import Image

from bonemets_edu import style
from bonemets_edu.ui import FigurePane, Renderer, StateCache


def _figure():
    fig, ax = style.new_figure(7.5, 4.2)
    x = np.linspace(0, 10, 200)
    ax.plot(x, np.cos(x), **style.series_style(1))
    ax.set_xlim(0, 10)
    ax.set_ylim(-1.5, 1.5)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("signal (unit)")
    (moving,) = ax.plot(x, np.sin(x), **style.series_style(0))
    label = ax.text(1, 1.2, "phase 0.0")
    return fig, ax, x, moving, label


def test_blitted_frames_equal_a_full_render_of_the_same_state():
    fig, _ax, x, moving, label = _figure()
    r = Renderer(fig, [moving, label])
    first = r.png()
    assert_same_image(first, r.full_png())
    for phase in (0.7, 2.1, 4.0):
        moving.set_ydata(np.sin(x + phase))
        label.set_text(f"phase {phase:.1f}")
        frame = r.png()
        assert frame != first
        assert_same_image(frame, r.full_png())
    moving.set_ydata(np.sin(x))
    label.set_text("phase 0.0")
    assert r.png() == first  # deterministic: the same state gives the same bytes


def test_blit_falls_back_to_a_full_draw_when_limits_or_the_static_key_change():
    fig, ax, x, moving, label = _figure()
    shown = {"grid": False}
    r = Renderer(fig, [moving, label], static_key=lambda: shown["grid"])
    r.png()
    ax.set_ylim(-3, 3)  # new limits: the background (ticks) must be redrawn, not reused
    assert_same_image(r.png(), r.full_png())
    ax.grid(True)
    shown["grid"] = True  # a static change named by the key
    assert_same_image(r.png(), r.full_png())
    assert len(r._backgrounds) == 3


def test_pane_keeps_alt_text_and_escapes_it():
    fig, _ax, x, moving, label = _figure()
    pane = FigurePane(fig, 'Sine "wave" <b>', animated=[moving, label])
    assert pane.widget.alt == 'Sine "wave" <b>'  # text, not markup: the front end sets img.alt
    moving.set_ydata(np.sin(x + 1))
    pane.refresh()
    assert pane.widget.alt == 'Sine "wave" <b>'
    pane.refresh(alt="Shifted sine")
    assert pane.alt == "Shifted sine" and pane.widget.alt == "Shifted sine"
    assert_same_image(pane.image, pane.renderer.full_png())
    with pytest.raises(ValueError, match="alt"):
        pane.refresh(alt=" ")


def test_plain_pane_renders_fully_every_time():
    fig, _ax, x, moving, _label = _figure()
    pane = FigurePane(fig, "A sine wave")
    assert not pane.renderer.blitting
    before = pane.image
    moving.set_ydata(np.sin(x + 1))
    pane.refresh()
    assert pane.image != before


def test_state_cache_returns_identical_bytes_and_skips_the_draw():
    fig, _ax, x, moving, label = _figure()
    pane = FigurePane(fig, "A sine wave", animated=[moving, label], cache=True)
    calls = []

    def draw(phase):
        def go():
            calls.append(phase)
            moving.set_ydata(np.sin(x + phase))
            label.set_text(f"phase {phase}")
        return go

    pane.show(1, draw(1), "phase 1")
    one = pane.image
    pane.show(2, draw(2), "phase 2")
    pane.show(1, draw(1), "phase 1 again")
    assert calls == [1, 2]
    assert pane.image == one and pane.widget.alt == "phase 1 again"
    pane.cache.clear()
    pane.show(1, draw(1), "phase 1")
    assert calls == [1, 2, 1] and pane.image == one


def test_state_cache_alone():
    cache = StateCache()
    assert cache.get("a", lambda: b"x") == b"x"
    assert cache.get("a", lambda: b"y") == b"x"
    assert "a" in cache and len(cache) == 1
    cache.clear()
    assert "a" not in cache


def test_state_cache_drops_the_least_recently_shown_state():
    cache = StateCache(max_items=2)
    cache.get("a", lambda: b"A")
    cache.get("b", lambda: b"B")
    cache.get("a", lambda: b"never")  # "a" is now the most recent
    cache.get("c", lambda: b"C")  # over the limit: "b" goes
    assert "a" in cache and "c" in cache and "b" not in cache and len(cache) == 2
    assert cache.get("b", lambda: b"B2") == b"B2"  # drawn again when shown again


def test_animated_artists_may_be_recreated_each_frame():
    fig, ax, x, moving, label = _figure()
    extra = []

    def animated():
        return [moving, label, *extra]

    r = Renderer(fig, animated)
    r.png()
    extra.append(ax.fill_between(x, 0, np.sin(x), alpha=0.3, zorder=3))  # above the static line
    assert_same_image(r.png(), r.full_png())


def _set(name, value):
    def go(app):
        app.controls[name].value = value
    return go


def _fus_planner():
    from bonemets_edu.widgets.fus import sonication_planner

    return sonication_planner()


def _fus_trial():
    from bonemets_edu.widgets.fus import sham_trial_explorer

    return sham_trial_explorer()


def _remodeling():
    from bonemets_edu.widgets.biology import bone_remodeling

    return bone_remodeling()


def _cycle():
    from bonemets_edu.widgets.biology import vicious_cycle

    return vicious_cycle()


def _spine():
    from bonemets_edu.widgets.surgery import spine_map_explorer

    return spine_map_explorer(cache=False)


def _fixation():
    from bonemets_edu.widgets.surgery import which_fixation

    return which_fixation(cache=False)


WIDGETS = [
    (_fus_planner, _set("power", 80.0)),
    (_fus_trial, _set("method", "wald")),
    (_remodeling, _set("effect", "blastic")),
    (_cycle, _set("step", 3)),
    (_spine, _set("level", "C3")),
    (_fixation, _set("fracture", "fracture")),
]


@pytest.mark.parametrize("build, mutate", WIDGETS, ids=lambda f: getattr(f, "__name__", "mutate"))
def test_widget_panes_show_what_a_full_render_shows(build, mutate):
    app = build()
    mutate(app)
    shown = app.pane.image
    assert app.pane.renderer.blitting
    assert_same_image(shown, app.pane.renderer.full_png())
    assert app.pane.alt and app.pane.widget.alt == app.pane.alt and app.pane.widget.value == app.pane.image


def test_encoded_png_holds_exactly_the_canvas_pixels():
    from bonemets_edu.display import agg_canvas, encode_canvas

    fig, _ax, _x, _moving, _label = _figure()
    canvas = agg_canvas(fig)
    canvas.draw()
    png = encode_canvas(canvas)
    expected = np.asarray(canvas.buffer_rgba())[:, :, :3]
    decoded = Image.open(io.BytesIO(png))
    assert decoded.mode == "RGB" and decoded.size == (expected.shape[1], expected.shape[0])
    assert np.array_equal(np.asarray(decoded), expected)
    assert encode_canvas(canvas) == png  # deterministic bytes
    assert b"tEXt" not in png and b"tIME" not in png  # no metadata, no timestamp


def test_pin_decorations_keeps_the_picture_and_leaves_room_for_the_widest_labels():
    from bonemets_edu.ui import pin_decorations

    fig, ax, _x, _moving, _label = _figure()
    ax.set_title("A title")
    fig.set_layout_engine(None)
    fig.subplots_adjust(left=0.2, bottom=0.15)
    before = Renderer(fig).png()
    pin_decorations(fig)  # no widest limits: the positions matplotlib chose for this state
    assert Renderer(fig).png() == before
    assert ax.get_ylim() == (-1.5, 1.5)

    fig, ax, _x, _moving, _label = _figure()  # pinning is once per figure: a new one for the widest labels
    fig.set_layout_engine(None)
    fig.subplots_adjust(left=0.2, bottom=0.15)
    pin_decorations(fig, {ax: (None, (-12000.0, 12000.0))})
    assert ax.get_ylim() == (-1.5, 1.5)  # limits restored
    ax.set_ylim(-12000, 12000)  # the widest tick labels ("−10000") now appear ...
    renderer = fig.canvas.get_renderer()
    fig.canvas.draw()
    label = ax.yaxis.label.get_window_extent(renderer)
    ticks = [t.get_window_extent(renderer) for t in ax.get_yticklabels() if t.get_text()]
    assert ticks and all(label.x1 <= t.x0 for t in ticks)  # ... and the pinned label stays clear of them


def test_a_changed_or_hidden_label_fails_the_image_comparison():
    # The negative test of the shared comparison: the schedule comparison's "14.4" (BED10 of 8 Gy x 1) written as
    # "41.4", or not drawn at all, must fail. Both changes touch fewer than 0.1 % of the pixels, which the old
    # count-of-differing-pixels check accepted.
    from imagecheck import pixels

    from bonemets_edu.widgets.radiation import schedule_comparison

    app = schedule_comparison()
    right = app.pane.renderer.full_png()
    assert_same_image(app.pane.image, right)
    label = next(t for ax in app.pane.fig.axes for t in ax.texts if t.get_text() == "14.4")
    label.set_text("41.4")
    swapped = app.pane.renderer.full_png()
    label.set_text("14.4")
    label.set_visible(False)
    hidden = app.pane.renderer.full_png()
    label.set_visible(True)
    assert_same_image(app.pane.renderer.full_png(), right)  # back to the right state: passes again
    for wrong in (swapped, hidden):
        differing = (pixels(wrong) != pixels(right)).any(axis=2)
        assert 0 < differing.mean() < 1e-3  # what the old check let through
        with pytest.raises(AssertionError, match="max per-channel difference"):
            assert_same_image(wrong, right)


def test_png_image_widget_carries_the_bytes_size_and_alt_text_in_one_message():
    from bonemets_edu.ui import PNGImage, png_size

    fig, _ax, _x, _moving, _label = _figure()
    png = Renderer(fig).png()
    image = PNGImage()
    sent = []
    image.observe(lambda ch: sent.append(ch["name"]), names=["value", "alt", "width", "height"])
    image.show(png, "A sine wave")
    assert image.value == png and image.alt == "A sine wave"
    assert (image.width, image.height) == png_size(png) == (750, 420)  # 7.5 x 4.2 in at 100 dpi
    assert set(sent) == {"value", "alt", "width", "height"}
    with pytest.raises(ValueError, match="alt"):
        image.show(png, "")
    with pytest.raises(ValueError, match="PNG"):
        image.show(b"GIF89a" + bytes(30), "not a png")
    esm = (Path(__import__("bonemets_edu").__file__).parent / "static" / "png_image.js").read_text("utf-8")  # the front end shows the alt text and decodes before swapping
    assert "img.alt = model.get(\"alt\")" in esm and "await loader.decode()" in esm


def test_png_writer_output_decodes_to_the_exact_pixels_of_a_known_array():
    from bonemets_edu.display import encode_rgb

    rgb = np.zeros((3, 4, 3), np.uint8)
    rgb[0, 0] = (255, 0, 0)  # top-left red
    rgb[2, 3] = (0, 0, 255)  # bottom-right blue
    rgb[1, :, 1] = (10, 20, 30, 40)  # a green ramp along the middle row
    png = encode_rgb(rgb)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR" and png.endswith(b"IEND\xaeB`\x82")
    decoded = Image.open(io.BytesIO(png))
    decoded.load()  # checks every chunk's CRC and the zlib stream
    assert decoded.mode == "RGB" and decoded.size == (4, 3)
    assert np.asarray(decoded)[0, 0].tolist() == [255, 0, 0]
    assert np.asarray(decoded)[2, 3].tolist() == [0, 0, 255]
    assert np.asarray(decoded)[1, :, 1].tolist() == [10, 20, 30, 40]


@pytest.mark.parametrize("bad, fragment", [
    (np.zeros((3, 4), np.uint8), "shape (3, 4)"),
    (np.zeros((3, 4, 4), np.uint8), "shape (3, 4, 4)"),
    (np.zeros((3, 4, 3), np.float64), "dtype float64"),
])
def test_png_writer_rejects_what_is_not_8_bit_rgb(bad, fragment):
    from bonemets_edu.display import encode_rgb

    with pytest.raises(ValueError, match=r"rgb must be a \(height, width, 3\) uint8 array") as err:
        encode_rgb(bad)
    assert fragment in str(err.value)


def _benchmark_cases():
    import sys

    root = str(Path(__file__).resolve().parents[1])
    if root not in sys.path:
        sys.path.insert(0, root)
    from benchmarks.harness import discover

    return discover()


@pytest.mark.parametrize("case", _benchmark_cases(), ids=lambda c: c.name[:60])
def test_every_benchmarked_update_shows_what_a_full_render_shows(case):
    """The benchmark's own steps (every widget, every timed control, cached and uncached): after each of the first
    six, every blitting pane of the widget equals a full render of the same state (tolerance 0). Per-state image
    caches are emptied first: a cache hit shows the stored picture without updating the figure's artists, so only a
    drawn frame can be compared with a full render (the stored picture was such a frame)."""
    from bonemets_edu.ui import FigurePane

    app = case.build()
    panes = [p for p in vars(app).values() if isinstance(p, FigurePane) and p.renderer.blitting]
    for i in range(6):
        for pane in panes:
            if pane.cache is not None:
                pane.cache.clear()
        case.mutate(app, i)
        for pane in panes:
            assert_same_image(pane.image, pane.renderer.full_png())
