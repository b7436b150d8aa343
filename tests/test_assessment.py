"""Lesson 01b models and widgets, tested against the published definitions, formulas, tables and worked numbers.

Sources (each test names the one it replays):
* Pain response: Chow E et al., IJROBP 2012, doi:10.1016/j.ijrobp.2011.02.008 (the four categories); complete and
  partial response as applied in Saito T et al., Adv Radiat Oncol 2019;4:706-715, Table 1, row Nakamura 2016
  (pain 0 without more analgesia; a fall of >= 2 points without more analgesia, or an OMED fall of >= 25% without
  more pain). Pain progression mirrors those thresholds (the course's rule; the 2012 wording was not read).
* Corrected calcium: RCEMLearning "Hypercalcaemia in malignancy: calcium level" (+ 0.02 x (40 - albumin g/L));
  severity bands: Walsh J et al., Endocr Connect 2016;5:G9 (< 3.0; 3.0-3.5; > 3.5 mmol/L).
* Cockcroft-Gault: Cockcroft DW, Gault MH, Nephron 1976;16:31-41 (abstract formula; 15% less in females).
* Zoledronic acid renal table: Zometa US PI Table 1 / EU SmPC 4.2 (> 60: 4; 50-60: 3.5; 40-49: 3.3; 30-39: 3.0;
  < 30: not recommended).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from bonemets_edu import assessment as A

# --------------------------------------------------------------------------------------------- pain response

# (baseline pain, follow-up pain, baseline OMED, follow-up OMED) -> category, rule id.
# Every boundary of every rule: just inside and just outside.
PAIN_CASES = [
    # complete response: follow-up pain 0 AND OMED not increased
    ((5, 0, 60, 60), "complete response", "complete"),
    ((5, 0, 60, 0), "complete response", "complete"),
    ((1, 0, 0, 0), "complete response", "complete"),          # 1 -> 0 is complete, though only a 1-point fall
    ((5, 0, 60, 61), "indeterminate response", "indeterminate"),  # 0 pain but OMED up (< 25%): not complete
    ((5, 0, 60, 75), "indeterminate response", "indeterminate"),  # OMED +25% with pain falling: not progression
    ((5, 1, 60, 60), "partial response", "partial_pain"),     # pain 1 is not 0: partial (fall of 4)
    # partial response, pain limb: fall >= 2 AND OMED not increased
    ((7, 5, 60, 60), "partial response", "partial_pain"),     # exactly 2
    ((7, 6, 60, 60), "indeterminate response", "indeterminate"),  # 1 point: not enough
    ((7, 5, 60, 60.5), "indeterminate response", "indeterminate"),  # OMED up by 0.5 mg: the pain limb fails
    ((7, 5, 60, 50), "partial response", "partial_pain"),
    # partial response, drug limb: OMED fall >= 25% AND pain not increased
    ((5, 5, 60, 45), "partial response", "partial_drug"),     # exactly -25%
    ((5, 5, 60, 45.5), "indeterminate response", "indeterminate"),  # -24.2%
    ((5, 6, 60, 30), "indeterminate response", "indeterminate"),  # OMED halved but pain up 1: not partial
    ((5, 4, 60, 45), "partial response", "partial_drug"),
    ((5, 5, 0, 0), "indeterminate response", "indeterminate"),  # nothing can fall from 0
    # pain progression (course's mirror), pain limb: rise >= 2 AND OMED not decreased
    ((3, 5, 60, 60), "pain progression", "progression_pain"),  # exactly +2
    ((3, 4, 60, 60), "indeterminate response", "indeterminate"),  # +1
    ((3, 5, 60, 59), "indeterminate response", "indeterminate"),  # OMED fell a little: pain limb fails
    ((3, 5, 60, 100), "pain progression", "progression_pain"),
    # pain progression, drug limb: OMED rise >= 25% AND pain not decreased
    ((5, 5, 60, 75), "pain progression", "progression_drug"),  # exactly +25%
    ((5, 5, 60, 74.5), "indeterminate response", "indeterminate"),  # +24.2%
    ((5, 4, 60, 90), "indeterminate response", "indeterminate"),  # more drug, less pain
    ((5, 5, 0, 5), "pain progression", "progression_drug"),   # any new opioid from 0 is a rise
    ((5, 6, 60, 75), "pain progression", "progression_drug"),
    # the lesson's worked example (pain 7 -> 3 with the OMED 60 -> 90)
    ((7, 3, 60, 60), "partial response", "partial_pain"),
    ((7, 3, 60, 90), "indeterminate response", "indeterminate"),
    # the quiz vignette (8 -> 4 with 60 -> 80)
    ((8, 4, 60, 80), "indeterminate response", "indeterminate"),
    ((0, 0, 0, 0), "complete response", "complete"),
    ((10, 10, 300, 300), "indeterminate response", "indeterminate"),
]


@pytest.mark.parametrize("values, category, rule", PAIN_CASES)
def test_pain_response_on_every_boundary(values, category, rule):
    assert A.pain_response(*values) == category
    detail = A.pain_response_detail(*values)
    assert detail.rule_id == rule
    assert detail.category == category
    assert detail.responder == (category in ("complete response", "partial response"))


def test_pain_response_categories_and_rule_texts_come_from_the_cited_data():
    rules = A.pain_rules()
    assert {r["category"] for r in rules.values()} == set(A.PAIN_CATEGORIES)
    assert rules["complete"]["source"] == "saito2019" and "Table 1" in rules["complete"]["locator"]
    assert rules["progression_pain"]["source"] == "chow2012_consensus"
    assert "mirror" in rules["progression_pain"]["rule"]  # the course says the threshold is its own reading


def test_pain_response_is_exhaustive_on_a_grid():
    cats = set()
    for p0 in range(11):
        for p1 in range(11):
            for m0, m1 in ((0, 0), (60, 30), (60, 60), (60, 90), (0, 20)):
                cats.add(A.pain_response(p0, p1, m0, m1))
    assert cats == set(A.PAIN_CATEGORIES)


@pytest.mark.parametrize(
    "args, exc, words",
    [
        ((11, 0, 0, 0), ValueError, ["baseline_worst_pain", "11", "0 to 10"]),
        ((-1, 0, 0, 0), ValueError, ["baseline_worst_pain", "-1", "0 to 10"]),
        ((5, 6.5, 0, 0), ValueError, ["follow_up_worst_pain", "6.5", "whole number"]),
        ((5, math.nan, 0, 0), ValueError, ["follow_up_worst_pain", "nan"]),
        (("7", 0, 0, 0), TypeError, ["baseline_worst_pain", "'7'"]),
        ((True, 0, 0, 0), TypeError, ["baseline_worst_pain", "True"]),
        ((5, 5, -10, 0), ValueError, ["baseline_oral_morphine_mg_per_day", "-10", "0 or greater"]),
        ((5, 5, 0, math.inf), ValueError, ["follow_up_oral_morphine_mg_per_day", "inf"]),
        ((5, 5, None, 0), TypeError, ["baseline_oral_morphine_mg_per_day", "None"]),
    ],
)
def test_pain_response_bad_input_names_parameter_value_and_rule(args, exc, words):
    with pytest.raises(exc) as info:
        A.pain_response(*args)
    for w in words:
        assert w in str(info.value)


def test_whole_float_pain_scores_are_accepted():
    assert A.pain_response(7.0, 5.0, 60, 60) == "partial response"


# --------------------------------------------------------------------------------------------------- calcium


def test_corrected_calcium_formula_rcem():
    # RCEMLearning: + 0.20 mmol/L for every 10 g/L of albumin below 40, - 0.20 for every 10 g/L above
    assert A.corrected_calcium_mmol_l(2.50, 30) == pytest.approx(2.70)
    assert A.corrected_calcium_mmol_l(2.50, 50) == pytest.approx(2.30)
    assert A.corrected_calcium_mmol_l(2.40, 40) == pytest.approx(2.40)
    # the quiz's numeric item
    assert A.corrected_calcium_mmol_l(2.70, 25) == pytest.approx(3.00)


def test_corrected_calcium_agrees_with_the_label_us_unit_formula():
    # zoledronic acid label s.1.1: cCa (mg/dL) = Ca (mg/dL) + 0.8 x (4.0 - albumin g/dL); 12 mg/dL = 3.0 mmol/L
    ca_mg_dl, alb_g_dl = 10.0, 2.5
    label = ca_mg_dl + 0.8 * (4.0 - alb_g_dl)
    ours = A.corrected_calcium_mmol_l(A.calcium_mg_dl_to_mmol_l(ca_mg_dl), alb_g_dl * 10)
    assert A.calcium_mmol_l_to_mg_dl(ours) == pytest.approx(label)
    assert A.calcium_mg_dl_to_mmol_l(12.0) == pytest.approx(3.0)


@pytest.mark.parametrize(
    "value, band",
    [(2.11, "below_reference"), (2.12, "reference"), (2.62, "reference"), (2.63, "mild"), (2.99, "mild"),
     (3.0, "moderate"), (3.5, "moderate"), (3.51, "severe"), (4.5, "severe")],
)
def test_hypercalcaemia_bands_walsh_2016(value, band):
    b = A.hypercalcaemia_band(value)
    assert b.id == band
    if band in ("mild", "moderate", "severe"):
        assert b.source == "walsh2016" and "Severity of hypercalcaemia" in b.locator


@pytest.mark.parametrize(
    "args, exc, words",
    [
        ((math.nan, 40), ValueError, ["total_calcium_mmol_l", "nan"]),
        ((-1.0, 40), ValueError, ["total_calcium_mmol_l", "-1", "mmol/L"]),
        ((2.5, 0), ValueError, ["albumin_g_l", "0", "g/L"]),
        ((2.5, 400), ValueError, ["albumin_g_l", "400"]),
        (("2.5", 40), TypeError, ["total_calcium_mmol_l", "'2.5'"]),
        ((2.5, [40, 30]), TypeError, ["albumin_g_l"]),
    ],
)
def test_calcium_bad_input(args, exc, words):
    with pytest.raises(exc) as info:
        A.corrected_calcium_mmol_l(*args)
    for w in words:
        assert w in str(info.value)


# --------------------------------------------------------------------------------------------- Cockcroft-Gault


def test_cockcroft_gault_formula_from_the_1976_abstract():
    # (140 - age) x weight / (72 x Scr mg/100 ml); 15% less in females. 88.4 umol/L = 1.0 mg/dL.
    assert A.creatinine_clearance_ml_min(60, 72, 88.4, "male") == pytest.approx(80.0)
    assert A.creatinine_clearance_ml_min(60, 72, 88.4, "female") == pytest.approx(68.0)
    assert A.creatinine_clearance_ml_min(80, 60, 88.4, "male") == pytest.approx(50.0)  # the quiz item
    # doubling creatinine halves clearance; the formula is linear in weight
    base = A.creatinine_clearance_ml_min(50, 70, 100, "male")
    assert A.creatinine_clearance_ml_min(50, 70, 200, "male") == pytest.approx(base / 2)
    assert A.creatinine_clearance_ml_min(50, 140, 100, "male") == pytest.approx(base * 2)


def test_creatinine_unit_pairs_of_the_label():
    # label pairs: 1.4 mg/dL = 124 umol/L, 3.0 mg/dL = 265 umol/L, 4.5 mg/dL = 400 umol/L (rounded in the label)
    for umol, mg in ((124, 1.4), (265, 3.0), (400, 4.5)):
        assert A.creatinine_umol_l_to_mg_dl(umol) == pytest.approx(mg, abs=0.03)


@pytest.mark.parametrize(
    "args, exc, words",
    [
        ((17, 70, 80, "male"), ValueError, ["age_years", "17", "18"]),
        ((60, -5, 80, "male"), ValueError, ["weight_kg", "-5"]),
        ((60, 70, 0, "male"), ValueError, ["serum_creatinine_umol_l", "0"]),
        ((60, 70, math.nan, "male"), ValueError, ["serum_creatinine_umol_l", "nan"]),
        ((60, 70, 80, "unknown"), ValueError, ["sex", "'unknown'", "'female'", "'male'"]),
        ((60, 70, 80, 1), TypeError, ["sex", "1"]),
        (("60", 70, 80, "male"), TypeError, ["age_years", "'60'"]),
    ],
)
def test_cockcroft_gault_bad_input(args, exc, words):
    with pytest.raises(exc) as info:
        A.creatinine_clearance_ml_min(*args)
    for w in words:
        assert w in str(info.value)


# ------------------------------------------------------------------------------------------ zoledronic acid table


@pytest.mark.parametrize(
    "crcl, dose",
    [(120, 4.0), (60.1, 4.0), (60, 3.5), (55, 3.5), (50, 3.5), (49.9, 3.3), (49, 3.3), (40, 3.3), (39.9, 3.0),
     (39, 3.0), (30, 3.0), (29.9, None), (10, None), (0, None)],
)
def test_zoledronic_acid_dose_follows_the_label_table(crcl, dose):
    assert A.zoledronic_acid_dose_mg(crcl) == dose


def test_zoledronic_rows_cite_the_label():
    rows = A._zoledronic_rows()
    assert [r["dose_mg"] for r in rows] == [4.0, 3.5, 3.3, 3.0]
    assert all(r["source"] == "zoledronic_label" for r in rows)


@pytest.mark.parametrize("bad, exc", [(-1, ValueError), (math.nan, ValueError), ("60", TypeError), (None, TypeError)])
def test_zoledronic_bad_input(bad, exc):
    with pytest.raises(exc, match="creatinine_clearance_ml_min"):
        A.zoledronic_acid_dose_mg(bad)


# ------------------------------------------------------------------------------------------------ cited records


def test_imaging_values_are_the_meta_analysis_numbers_with_cis():
    recs = {r["id"]: r for r in A.imaging_records()}
    bs = recs["bone_scan"]  # Zamanian 2023 abstract: 90% (86-93), 91% (87-94)
    assert (bs["sensitivity"], bs["sensitivity_low"], bs["sensitivity_high"]) == (90, 86, 93)
    assert (bs["specificity"], bs["specificity_low"], bs["specificity_high"]) == (91, 87, 94)
    pet = recs["fdg_pet"]  # 92% (88-95), 99% (96-100)
    assert (pet["sensitivity"], pet["specificity_low"], pet["specificity_high"]) == (92, 96, 100)
    mri = recs["mri"]  # Wu 2011: 0.899 (0.845-0.939), 0.918 (0.882-0.946)
    assert (mri["sensitivity"], mri["sensitivity_low"], mri["specificity_high"]) == (89.9, 84.5, 94.6)
    assert recs["plain_film"]["has_accuracy"] is False
    assert recs["ct"]["has_ci"] is False
    for r in recs.values():
        if r.get("has_ci"):
            assert r["sensitivity_low"] <= r["sensitivity"] <= r["sensitivity_high"]
            assert r["specificity_low"] <= r["specificity"] <= r["specificity_high"]


def test_triage_steps_have_feedback_for_every_option_and_sources():
    steps = A.triage_steps()
    assert [s["id"] for s in steps] == ["red_flags", "imaging", "steroids", "noms", "decision"]
    for s in steps:
        assert len(s["options"]) == len(s["feedbacks"]) >= 3
        assert s["sources"]
    assert "24 hours" in steps[1]["options"][steps[1]["correct"]]
    assert "16 mg" in steps[2]["options"][steps[2]["correct"]]


# -------------------------------------------------------------------------------------------------- widgets


def _png(pane):
    return pane.image


def test_pain_widget_shows_the_rule_that_fired_and_updates_the_figure():
    from bonemets_edu.widgets.assessment import PainResponseClassifier

    w = PainResponseClassifier(7, 5, 60, 60)
    assert w.state().rule_id == "partial_pain"
    assert "▶ fired" in w.text.value and "Partial response" in w.text.value
    before = _png(w.pane)
    w.follow_up_pain.value = 9
    assert w.state().category == "pain progression"
    assert "Pain progression" in w.text.value and _png(w.pane) != before
    assert w.pane.widget.alt == w.pane.alt and "pain progression" in w.pane.alt


def test_calcium_widget_converts_units_without_changing_the_result():
    from bonemets_edu.widgets.assessment import CalciumCalculator

    w = CalciumCalculator(2.6, "mmol/L", 25)
    mmol = w.state().corrected_mmol_l
    assert mmol == pytest.approx(2.9)
    w.unit.value = "mg/dL"
    assert w.total.value == pytest.approx(10.4)
    assert w.state().corrected_mmol_l == pytest.approx(mmol)
    assert "mg/dL" in w.total.description
    w.total.value = 14.0  # 3.5 mmol/L + 0.3
    assert w.state().band.id == "severe" and "urgent" in w.text.value


def test_renal_widget_dose_and_denosumab_points():
    from bonemets_edu.widgets.assessment import RenalDosing

    w = RenalDosing(70, 60, 110, "female")
    s = w.state()
    assert s.crcl_ml_min == pytest.approx((140 - 70) * 60 / (72 * 110 / 88.4) * 0.85)
    assert s.dose_mg == 3.0
    w.creatinine.value = 300
    assert w.state().dose_mg is None and "not recommended" in w.text.value
    assert "Osteonecrosis of the jaw" in w.facts.value and "vitamin D" in w.facts.value


def test_triage_reveals_a_step_only_after_the_right_decision():
    from bonemets_edu.widgets.assessment import CordCompressionTriage

    w = CordCompressionTriage()
    assert w.state().step == 0 and "Ms K" in w.situation.value
    assert "Imaging and timing" not in w.situation.value
    w.choose(1)
    assert w.state().correct is False and w.next_button.disabled
    w.next_button.click()
    assert w.state().step == 0  # a wrong answer does not advance
    w.choose(0)
    assert w.state().correct is True and not w.next_button.disabled
    w.next_button.click()
    assert w.state().step == 1 and "Imaging and timing" in w.situation.value
    assert w.choice.value is None  # nothing pre-selected on the new step
    for _ in range(4):
        w.choose(0)
        w.next_button.click()
    assert w.state().finished and "complete" in w.situation.value
    w.restart.click()
    assert w.state().step == 0


def test_imaging_widget_text_and_figure_follow_the_choice():
    from bonemets_edu.widgets.assessment import ImagingComparator

    w = ImagingComparator("bone_scan")
    before = _png(w.pane)
    assert "90% (95% CI 86–93)" in w.text.value
    w.modality.value = "plain_film"
    assert "No pooled sensitivity" in w.text.value and _png(w.pane) != before


def test_a_wrong_label_changes_the_figure_pixels():
    """Negative control for the image comparisons above: a different title must give different pixels."""
    from bonemets_edu.display import render_png
    from bonemets_edu.figures.assessment import ImagingPlot

    p = ImagingPlot()
    p.update("mri")
    a = render_png(p.fig)
    p.ax.set_title("Selected: wrong label")
    b = render_png(p.fig)
    assert a != b
    assert np.frombuffer(a, np.uint8).size > 0
