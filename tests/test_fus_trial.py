"""The phase III MRgFUS-vs-sham trial: counts, confidence intervals (vs hand calculation), adverse events, data."""

from __future__ import annotations

import math

import pytest
from badinput import check_bad_inputs
from scipy.stats import binom

from bonemets_edu import focused_ultrasound as fus
from bonemets_edu.text import fus as fus_text

Z = 1.959963984540054


def test_published_arms_and_rates():
    """clinical-facts §12 item 7: Hurwitz MRgFUS 64.3% vs 20.0% (n = 112 vs 35)."""
    s = fus.sham_trial()
    t, sham = s.arms
    assert (t.id, t.n, t.published_percent) == ("mrgfus", 112, 64.3)
    assert (sham.id, sham.n, sham.published_percent) == ("sham", 35, 20.0)
    assert t.responders == 72 and sham.responders == 7  # 72/112 = 64.29 %, 7/35 = 20.00 %
    assert round(t.percent, 1) == 64.3 and round(sham.percent, 1) == 20.0
    assert t.n + sham.n == 147


def test_wilson_interval_matches_hand_calculation():
    # 72/112 by hand: p = 0.642857; z²/n = 3.841459/112 = 0.034299; denominator 1.034299
    # centre = (0.642857 + 0.017150)/1.034299 = 0.638120; half = 1.96·√(0.0020498 + 0.0000766)/1.034299 = 0.087384
    lo, hi = fus.proportion_ci(72, 112, "wilson")
    assert lo == pytest.approx(0.550736, abs=5e-6)
    assert hi == pytest.approx(0.725504, abs=5e-6)
    # 7/35: p = 0.2; denominator 1 + 3.841459/35 = 1.109756; centre = (0.2 + 0.054878)/1.109756 = 0.229670
    lo, hi = fus.proportion_ci(7, 35, "wilson")
    assert lo == pytest.approx(0.100424, abs=5e-6)
    assert hi == pytest.approx(0.358916, abs=5e-6)
    p, n = 7 / 35, 35
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    assert (lo + hi) / 2 == pytest.approx(centre, abs=1e-12)


def test_wald_interval_matches_hand_calculation():
    lo, hi = fus.proportion_ci(72, 112, "wald")
    half = 1.959964 * math.sqrt(0.642857 * 0.357143 / 112)  # = 0.088737
    assert lo == pytest.approx(0.642857 - half, abs=2e-6)
    assert hi == pytest.approx(0.642857 + half, abs=2e-6)
    lo, hi = fus.proportion_ci(7, 35, "wald")
    assert (lo, hi) == pytest.approx((0.2 - 0.132518, 0.2 + 0.132518), abs=2e-6)


def test_exact_interval_solves_the_binomial_tail_equations():
    """Clopper–Pearson: P(X ≥ k | p_low) = 0.025 and P(X ≤ k | p_high) = 0.025."""
    for k, n in ((72, 112), (7, 35)):
        lo, hi = fus.proportion_ci(k, n, "exact")
        assert binom.sf(k - 1, n, lo) == pytest.approx(0.025, abs=1e-9)
        assert binom.cdf(k, n, hi) == pytest.approx(0.025, abs=1e-9)
    assert fus.proportion_ci(0, 10, "exact")[0] == 0.0
    assert fus.proportion_ci(10, 10, "exact")[1] == 1.0


def test_wald_misbehaves_where_wilson_does_not():
    lo, hi = fus.proportion_ci(1, 10, "wald")
    assert lo == 0.0  # clipped: the raw Wald lower limit is negative
    assert fus.proportion_ci(1, 10, "wilson")[0] > 0.0


def test_risk_difference_and_nnt_match_hand_calculation():
    s = fus.sham_trial()
    assert s.difference_percent == pytest.approx(100 * (72 / 112 - 7 / 35), abs=1e-9)  # 44.29 points
    # Newcombe hybrid score interval from the two Wilson intervals
    p1, p2 = 72 / 112, 0.2
    l1, u1, l2, u2 = 0.550736, 0.725504, 0.100424, 0.358916
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    assert s.difference_ci_low_percent == pytest.approx(100 * low, abs=1e-3)  # 25.92
    assert s.difference_ci_high_percent == pytest.approx(100 * high, abs=1e-3)  # 57.23
    assert s.nnt == 3  # 1/0.4429 = 2.26, rounded up


def test_adverse_events_match_the_paper():
    aes = {label.split(" (")[0]: (count, pct, computed) for label, count, pct, _why, _src, computed in
           fus.sham_trial().adverse_events}
    assert aes["Pain during sonication"][0] == 36 and aes["Pain during sonication"][1] == 32.1
    assert aes["Pain during sonication"][2] is True  # the count is computed from 32.1 % of 112
    assert aes["Pathological fracture"][:1] == (2,)
    assert aes["Third-degree skin burn"][:1] == (1,)
    assert aes["Neuropathy"][:1] == (1,)


def test_meta_analysis_record():
    (m,) = fus.fus_records("meta")
    assert (m["studies"], m["patients"]) == (33, 1082)
    assert m["pooled_response_ci_low"] < m["pooled_response_percent"] < m["pooled_response_ci_high"]
    assert (m["pooled_response_percent"], m["pooled_response_ci_low"], m["pooled_response_ci_high"]) == (79, 73, 83)
    assert (m["pain_change_1_month"], m["pain_change_3_months"]) == (-3.8, -4.4)
    assert (m["high_grade_ae_percent"], m["low_grade_ae_percent"]) == (0.9, 5.9)


def test_every_table_loads_and_cites():
    for table in ("arm", "adverse_event", "meta", "clinical", "threshold", "parameter", "site", "candidacy",
                  "session_step", "near_target"):
        recs = fus.fus_records(table)
        assert recs and all(r.get("source") or r.get("sources") for r in recs)
    assert {r["status"] for r in fus.fus_records("candidacy")} <= {"found", "not found"}


def test_responders_from_percent_refuses_impossible_percentages():
    assert fus.responders_from_percent(64.3, 112) == 72
    with pytest.raises(ValueError, match="whole number of patients"):
        fus.responders_from_percent(64.5, 112)


#: (function, positional arguments, exception, the parameter the message must name first)
BAD_CI = [
    (fus.proportion_ci, (5, 0, "wilson"), ValueError, "n"),
    (fus.proportion_ci, (11, 10, "wilson"), ValueError, "successes"),
    (fus.proportion_ci, (3, 10, "bayes"), ValueError, "method"),
    (fus.proportion_ci, (3.5, 10, "wilson"), ValueError, "successes"),
    (fus.proportion_ci, ("3", 10, "wilson"), TypeError, "successes"),
    (fus.proportion_ci, (3, 10, 1), TypeError, "method"),
]


def test_proportion_ci_bad_input():
    check_bad_inputs(BAD_CI)


# ------------------------------------------------------------------------- issue 15: corrections pinned to sources


def _trial():
    from bonemets_edu.evidence import load_table

    return load_table("fus.toml", "trial")


def test_two_thirds_of_patients_not_of_responders_responded_within_days():
    # medwireNews/ESMO summary of Hurwitz 2014: "within days for two-thirds of patients". Old data: "of responders".
    t = _trial()
    assert "two-thirds of patients" in t["other_results"] and "of responders" not in t["other_results"]


def test_trial_population_includes_patients_who_declined_radiation_and_sham_crossover():
    t = _trial()
    assert "declined it" in t["who"] and "crossover" in t["crossover"]
    refractory = {r["id"]: r for r in fus.fus_records("candidacy")}["refractory"]
    assert "declined it" in refractory["statement"]


def test_device_approval_replaces_not_found_eligibility():
    cand = {r["id"]: r for r in fus.fus_records("candidacy")}
    assert "exact_criteria" not in cand  # the old "NOT FOUND" eligibility record
    assert cand["device_approval"]["status"] == "found" and "P110039" in cand["device_approval"]["statement"]
    assert cand["beam_path"]["status"] == "found" and "bowel" in cand["beam_path"]["statement"]


def test_one_nerve_injury_mechanism_in_data_widget_and_lesson():
    import json
    from pathlib import Path

    from bonemets_edu.widgets.fus import sham_trial_explorer

    why = {r["id"]: r for r in fus.fus_records("adverse_event")}["neuropathy"]["why"]
    assert "heated footprint" in why and "conducted" not in why
    assert why in sham_trial_explorer().text.value.replace("&#x27;", "'")
    nb = json.loads((Path(__file__).parents[1] / "notebooks" / "05_focused_ultrasound.ipynb").read_text("utf-8"))
    lesson = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert why in lesson


def test_sedation_as_the_sources_describe_it():
    step = {r["id"]: r for r in fus.fus_records("session_step")}["setting"]
    assert "conscious sedation" in step["text"] and "general anaesthesia for some patients" in step["text"]
    assert "not recorded" not in step["text"] and set(step["sources"]) == {"inahta_mrgfus", "insightec_patient_procedure"}


def test_heat_sensitive_neighbours_are_named_with_why_and_protection():
    recs = {r["id"]: r for r in fus.fus_records("near_target")}
    assert {"skin", "nerves", "bowel_bladder", "beyond_bone"} <= set(recs)
    for r in recs.values():
        assert r["why"] and r["protection"] and (r.get("source") or r.get("sources"))
    md = fus_text.near_target_markdown()
    assert "Bowel and bladder" in md and "How the team protects it" in md


def test_labelled_sites_and_trial_exclusions_replace_not_found():
    # frameworks.md 8.7 [SSS]: NCT03404362 registry text quoting the ExAblate "Information for Prescribers": ribs,
    # extremities (excluding joints), pelvis, shoulders, posterior aspects of L3-L5 and S1-S5; that trial excluded
    # bone needing pre-treatment surgical stabilisation, vertebral-body targets, skull, life expectancy < 6 months.
    cand = {r["id"]: r for r in fus.fus_records("candidacy")}
    assert "bone_labelling_details" not in cand and "not found" not in {r["status"] for r in cand.values()}
    sites, excl = cand["labelled_sites"], cand["trial_exclusions"]
    assert sites["status"] == excl["status"] == "found"
    assert sites["source"] == excl["source"] == "nct03404362" and "eligibility" in sites["locator"]
    assert "Information for Prescribers" in sites["locator"]
    for word in ("ribs", "not their joints", "pelvis", "shoulders", "L3-L5", "S1-S5"):
        assert word in sites["statement"], word
    for word in ("surgical stabilisation", "vertebral body", "skull", "less than 6 months", "that trial's rule"):
        assert word in excl["statement"], word
    text = fus_text.candidacy_markdown()
    assert "NOT FOUND" not in text and "not their joints" in text and "surgical stabilisation" in text
