"""Widgets of the focused-ultrasound lesson: build, change a control, the text and the figure change."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("ipywidgets")

from bonemets_edu.widgets.fus import sham_trial_explorer, sonication_planner  # noqa: E402


def _peak(text: str) -> float:
    return float(re.search(r"Peak bone-surface temperature (\d+) °C", text).group(1))


def test_planner_first_display_teaches_something():
    app = sonication_planner()
    assert "Peak bone-surface temperature" in app.text.value
    assert "OK: Bone surface peaks" in app.text.value  # default lands in the trial's 65-85 °C band
    assert app.pane.widget.alt.strip() and "Traceback" not in app.text.value
    assert "illustrative" in app.text.value.lower()
    # the 240-CEM43 outline is explained as a conservative threshold, with its source (McDannold 2006)
    assert "Why 240 CEM43" in app.text.value and "McDannold et al. 2006" in app.text.value
    assert "1.9 times" in app.text.value
    for c in app.controls.values():
        assert "(" in c.description  # every description names its unit (or says illustrative)


def test_planner_power_changes_text_and_figure():
    app = sonication_planner()
    before_text, before_img = app.text.value, app.pane.widget.value
    app.controls["power"].value = 96
    assert app.text.value != before_text and app.pane.widget.value != before_img
    assert _peak(app.text.value) > _peak(before_text)


def test_planner_skin_warning_fires_and_clears():
    app = sonication_planner()
    app.controls["depth"].value = 15
    app.controls["power"].value = 96
    app.controls["duration"].value = 30
    assert "Skin burn" not in app.text.value
    app.controls["skin_extra"].value = 5.0
    assert "Warning: Skin burn" in app.text.value
    app.controls["skin_extra"].value = 0.0
    assert "Skin burn" not in app.text.value


def test_planner_nerve_warning_when_close():
    app = sonication_planner()
    app.controls["power"].value = 96
    app.controls["structure"].value = 5
    assert "Warning: Nerve at risk" in app.text.value
    app.controls["structure"].value = 38
    assert "Nerve at risk" not in app.text.value


def test_planner_verdict_agrees_with_its_printed_peak_at_44_w():
    """64.6 °C is printed as 65 °C; the verdict must then say 'within' the 65–85 °C band, not 'below'."""
    app = sonication_planner()
    app.controls["power"].value = 44
    assert _peak(app.text.value) == 65
    assert "OK: Bone surface peaks at 65 °C: within" in app.text.value
    assert "below the 65" not in app.text.value


def test_planner_matches_the_scenario_table_and_never_prints_minus_zero():
    """Bone 15 mm deep with 10 % extra skin absorption: the planner shows the scenario table's row (same grid) and the
    destroyed region starts at 0 mm, not '-0 mm'."""
    from bonemets_edu import focused_ultrasound as fus

    app = sonication_planner()
    app.controls["depth"].value = 15
    app.controls["skin_extra"].value = 10.0
    row = fus.scenario_result({"bone_depth_mm": 15.0, "skin_extra_absorption": 0.10})
    res = app.result
    assert res.peak_skin_c == row.peak_skin_c and res.skin_cem43_min == row.skin_cem43_min
    assert f"hottest skin {row.peak_skin_c:.1f} °C" in app.text.value
    assert f"reaches {fus.format_dose(row.skin_cem43_min)} CEM43" in app.text.value
    assert "Warning: Skin burn" in app.text.value
    assert " 0–27 mm deep" in app.text.value and "-0" not in app.text.value
    assert "from 0 to 27 mm deep" in app.pane.alt


def test_planner_controls_are_bounded_to_the_clinical_ranges():
    app = sonication_planner()
    assert (app.controls["power"].min, app.controls["power"].max) == (32, 96)
    assert (app.controls["duration"].min, app.controls["duration"].max) == (20, 30)
    app.controls["power"].value = 500  # a slider clamps to its bound: no error, no traceback
    assert app.controls["power"].value == 96


def test_trial_explorer_method_changes_intervals_and_text():
    app = sham_trial_explorer()
    assert "55.1–72.6%" in app.text.value and "Wilson score interval" in app.text.value
    before_img = app.pane.image
    app.controls["method"].value = "exact"
    assert "54.7–73.1%" in app.text.value and "Clopper" in app.text.value
    assert app.pane.image != before_img
    app.controls["method"].value = "wald"
    assert "6.7–33.3%" in app.text.value
    assert "NNT" in app.text.value and "Pain during sonication" in app.text.value


def test_trial_explorer_rejects_unknown_method():
    with pytest.raises(ValueError, match="method"):
        sham_trial_explorer("bayes")


def test_planner_speaks_about_the_model_not_the_patient_and_names_heat_sensitive_neighbours():
    # Issue 15: "the nerve endings would survive" was a prediction; it is now a statement about the model.
    from bonemets_edu.widgets.fus import sonication_planner

    app = sonication_planner(power_w=32, duration_s=20, bone_depth_mm=65)
    app.controls["ratio"].value = 2
    text = app.text.value
    assert "No tissue reached 240 CEM43" in text and "would survive" not in text
    assert "a statement about the illustrative model, not a prediction for a patient" in text
    assert "Heat-sensitive neighbours" in text and "Bowel and bladder" in text and "What lies beyond the bone" in text
