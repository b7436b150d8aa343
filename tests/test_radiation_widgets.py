"""Widgets of lesson 02 in Python: build, change a control, the text and the figure change; no traceback ever."""

from __future__ import annotations

import re

import pytest
from imagecheck import assert_same_image

from bonemets_edu.widgets import radiation as w


def _img(app) -> bytes:
    return app.pane.image


def _alt(app) -> str:
    return app.pane.alt


def test_schedule_comparison_default_teaches_something():
    app = w.schedule_comparison()
    txt = app.text.value
    assert "14.4" in txt and "39.0" in txt  # BED10 of 8 Gy x 1 and 30 Gy / 10
    assert "12.0" in txt and "32.5" in txt  # EQD2
    assert "Fowler" in txt
    ev = app.evidence.value
    assert "71 % vs 73 %" in ev and "24 % vs 6 %" in ev  # Dutch BMS response and retreatment
    assert "van der Linden et al. 2004" in ev
    assert "BED 14.4 Gy" in _alt(app)


def test_schedule_comparison_updates_text_figure_and_evidence():
    app = w.schedule_comparison()
    before_img, before_text = _img(app), app.text.value
    app.controls["schedule_b"].value = "24x2"
    assert _img(app) != before_img
    assert app.text.value != before_text
    assert "52.8" in app.text.value and "CAUTION" in app.text.value
    assert "Brenner 2008" in app.text.value and "Kirkpatrick et al. 2008" in app.text.value
    assert "41.3 %" in app.evidence.value  # RTOG 0631: SBRT vs 8 Gy x 1
    assert "Dutch" not in app.evidence.value


def test_tissue_switch_changes_values():
    app = w.schedule_comparison()
    app.controls["tissue"].value = "late"
    assert "29.3" in app.text.value and "60.0" in app.text.value  # BED3 8 Gy x 1, 30 Gy / 10
    app.controls["tissue"].value = "cord"
    assert "40.0" in app.text.value and "75.0" in app.text.value  # BED2
    app.controls["alpha_beta"].value = 5.0  # moving the slider away from a preset switches the preset to custom
    assert app.controls["tissue"].value == "custom"
    assert "α/β = 5 Gy" in app.text.value
    assert "custom value" in app.text.value
    app.controls["tissue"].value = "tumour"  # a preset moves the slider back
    assert app.controls["alpha_beta"].value == 10.0
    assert "14.4" in app.text.value


def test_custom_schedule_and_visits():
    app = w.schedule_comparison()
    app.controls["schedule_c"].value = "custom"
    app.controls["custom_dose"].value = 12.0
    app.controls["custom_fractions"].value = 3
    assert "Custom 12 Gy / 3" in app.text.value
    assert "<td>4.00</td><td>3</td>" in app.text.value  # dose per fraction, visits
    assert "not matched to trials" in app.evidence.value


def test_only_one_schedule_shows_a_message_not_a_traceback():
    app = w.schedule_comparison(initial=("8x1", "8x1", "none"))
    app.controls["schedule_b"].value = "20x5"
    app.controls["schedule_b"].value = "8x1"
    assert "Traceback" not in app.text.value


def test_typed_numbers_keep_the_last_valid_value_and_say_why():
    app = w.schedule_comparison(initial=("8x1", "custom", "none"))
    n, d = app.controls["custom_fractions"], app.controls["custom_dose"]
    before = app.text.value
    n.box.value = "3.7"  # a bounded integer box made this 37 without a word
    assert n.value == 4 and n.box.value == "4"
    assert "not a whole number" in n.note.value and "Still using 4" in n.note.value
    d.box.value = "-5"  # ... and this 1 Gy
    assert d.value == 20.0 and "outside the allowed range" in d.note.value and "from 1 to 60 Gy" in d.note.value
    assert app.text.value == before
    n.box.value = "5"
    assert n.value == 5 and n.note.value == "" and "Custom 20 Gy / 5" in app.text.value
    with pytest.raises(ValueError, match="value"):
        n.value = 0
    for c in app.controls.values():
        assert re.search(r"\((Gy|number|dose / fractions|α/β in Gy)\)", c.description), c.description


def test_alpha_beta_explorer_core_insight_visible():
    app = w.alpha_beta_explorer()
    assert "15.4" in app.text.value and "12.0" in app.text.value
    assert "tumour needs 15.4 Gy" in _alt(app)
    before = _img(app)
    app.controls["normal_tissue"].value = "cord"
    assert _img(app) != before
    assert "11.3" in app.text.value  # 30 Gy / 10 matched in 1 fraction at alpha/beta 2
    app.controls["reference"].value = "20x5"
    assert "20 Gy / 5" in app.text.value


def test_side_effects_explorer():
    app = w.side_effects_explorer()
    t = app.text.value
    assert "35 %" in t and "26 % (n = 148)" in t and "38 %" in t and "27 %" in t and "39 %" in t
    assert "20-40 %" in t  # pelvis default
    assert t.count("no rate found in the sources consulted") == 2  # fatigue, skin
    before = _img(app)
    app.controls["kind"].value = "sbrt"
    assert _img(app) != before
    assert "23 % (44/195)" in app.text.value
    app.controls["site"].value = "spine"
    assert "Diarrhoea" not in app.text.value.split("</ul>")[0]


@pytest.mark.parametrize("kind", ["conv_single", "conv_multi", "sbrt"])
@pytest.mark.parametrize("site", ["spine", "pelvis", "other"])
def test_side_effects_text_has_no_double_full_stop(kind, site):
    app = w.side_effects_explorer(kind=kind, site=site)
    plain = re.sub(r"<[^>]+>", "", app.text.value)
    assert ".." not in plain and ". ." not in plain
    assert plain.count("(") >= 1  # every line still ends with its citation


@pytest.mark.parametrize("builder", [w.schedule_comparison, w.alpha_beta_explorer, w.side_effects_explorer])
def test_every_widget_has_disclaimer_and_alt(builder):
    app = builder()
    assert "For education only" in app.children[0].value
    assert _alt(app).strip()


@pytest.mark.parametrize(
    "builder, changes",
    [
        (w.schedule_comparison, {"schedule_b": "24x2", "schedule_c": "30x10"}),
        (w.schedule_comparison, {"tissue": "cord", "schedule_a": "35x5"}),
        (w.schedule_comparison, {"schedule_b": "8x1"}),
        (w.schedule_comparison, {"custom_dose": 60.0, "custom_fractions": 1, "schedule_b": "custom", "alpha_beta": 0.5}),
        (w.alpha_beta_explorer, {"reference": "8x1", "normal_tissue": "cord"}),
        (w.side_effects_explorer, {"kind": "sbrt", "site": "spine"}),
        (w.side_effects_explorer, {"kind": "conv_multi"}),
    ],
)
def test_blitted_panes_show_what_a_full_render_shows(builder, changes):
    app = builder()
    assert app.pane.renderer.blitting
    for name, value in changes.items():
        app.controls[name].value = value
    assert_same_image(app.pane.image, app.pane.renderer.full_png())


def test_extreme_custom_schedule_stays_on_the_plot_without_warnings():
    # 60 Gy in one fraction at α/β 0.5 Gy: surviving fraction 0.0 in floating point (it used to take log10(0))
    import warnings

    from bonemets_edu.figures.radiation import SURVIVAL_FLOOR

    app = w.schedule_comparison()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        app.controls["custom_dose"].value = 60.0
        app.controls["custom_fractions"].value = 1
        app.controls["schedule_b"].value = "custom"
        app.controls["alpha_beta"].value = 0.5
    ax_surv = app.pane.fig.axes[1]
    assert ax_surv.get_ylim()[0] == SURVIVAL_FLOOR
    notes = [t.get_text() for t in ax_surv.texts if t.get_visible()]
    assert any("below 10⁻³⁰" in n for n in notes)
    assert "7260.0" in app.text.value  # BED = 60 × (1 + 60 / 0.5)
    app.controls["schedule_b"].value = "30x10"
    assert not any(t.get_visible() for t in ax_surv.texts if "below" in t.get_text())


def test_survival_legend_follows_the_schedules_through_alpha_beta_changes():
    app = w.schedule_comparison()
    ax = app.pane.fig.axes[1]
    steps = [("schedule_c", "35x5"), ("alpha_beta", 3.5), ("schedule_c", "none"), ("alpha_beta", 7.0),
             ("schedule_b", "24x2")]
    for name, value in steps:
        app.pane.cache.clear()  # every step draws (no cached image), as on a first view
        app.controls[name].value = value
        shown = [t.get_text() for t in ax.get_legend().get_texts()]
        expected = [lbl for lbl in (app.controls[k].label for k in ("schedule_a", "schedule_b", "schedule_c"))
                    if lbl != "(none)"]
        assert shown == expected, (name, value)
