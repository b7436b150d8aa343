"""The case conference's synthetic cases (data/cases.toml): a worked case with every specialty's view, eight or more
cases whose reference plans cover the course's treatments, sources that resolve, locators for numbers, totals that the
surgery calculators reproduce, and a rule engine that agrees with every reference plan."""

from __future__ import annotations

import re

import pytest

from bonemets_edu import cases as C
from bonemets_edu import decision as D
from bonemets_edu import references, scores

CASES = C.cases()
RANK = {v: i for i, v in enumerate(D.VERDICTS)}


def test_old_names_still_work():
    assert D.cases() == CASES
    assert D.Case is C.Case
    for c in CASES:
        assert c.answer in c.options and c.answer == c.reference.text


def test_the_worked_case_comes_first_with_every_specialty_and_the_patient():
    worked = CASES[0]
    assert worked.worked and sum(c.worked for c in CASES) == 1
    specialties = {v.specialty for v in worked.views}
    assert {"Radiation oncology", "Orthopaedic surgery", "Interventional radiology", "Palliative care"} <= specialties
    assert worked.preference and len(worked.preference.split()) > 15


def test_eight_or_more_cases_after_the_worked_one_with_unique_ids():
    assert len(CASES) - 1 >= 8
    assert len({c.id for c in CASES}) == len(CASES)


# What each treatment the brief names looks like as a reference plan (therapy ids of the comparison table).
COVERAGE = {
    "single 8 Gy": lambda p: p.therapies[0] == "rt_single",
    "fractionated / post-operative radiation": lambda p: "rt_fractionated" in p.therapies,
    "SBRT": lambda p: p.therapies[0] == "sbrt",
    "fixation": lambda p: p.therapies[0] in ("fix_nail", "fix_plate", "fix_endoprosthesis"),
    "decompression + radiation": lambda p: p.therapies[0] == "spine_surgery" and any(
        t.startswith("rt_") for t in p.therapies),
    "cement": lambda p: p.therapies[0] == "vertebral_augmentation",
    "ablation": lambda p: p.therapies[0] in ("rfa", "cryo", "mwa", "ethanol"),
    "focused ultrasound": lambda p: p.therapies[0] == "mrgfus",
    "best supportive care": lambda p: p.therapies == ("supportive_care",),
    "re-irradiation": lambda p: False,  # checked below with the patient (prior radiation)
}


def test_reference_plans_cover_every_treatment_of_the_course():
    covered = {name for name, test in COVERAGE.items() for c in CASES[1:] if test(c.reference)}
    covered |= {"re-irradiation" for c in CASES[1:] if c.patient.prior_radiation != "none"
                and c.reference.therapies[0].startswith("rt_")}
    assert covered == set(COVERAGE)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_every_source_resolves_and_numbers_have_locators(case):
    keys = [*case.sources, *(k for p in case.points for k in p.sources), *(k for v in case.views for k in v.sources)]
    for k in keys:
        assert references.get(k).href.startswith("https://")
    for p in case.points:
        if re.search(r"\d", p.text):
            assert p.locator, p.text
    assert len(case.points) >= 3


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_the_engine_rates_the_reference_plan_best(case):
    decision = D.assess(case.patient)
    best = max(decision.verdicts().values(), key=RANK.__getitem__)
    main = case.reference.therapies[0]
    assert decision.verdict(main) == best, (main, decision.verdict(main), best)
    for t in case.reference.therapies:  # every part of the plan is at least worth considering
        assert decision.verdict(t) != "not suitable", t


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_options_are_distinct_and_the_reference_is_one_of_them(case):
    assert len(case.plans) >= 3
    assert len({p.text for p in case.plans}) == len(case.plans)
    assert case.reference in case.plans


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_case_scores_match_the_surgery_calculators(case):
    if case.mirels is not None:
        m = dict(case.mirels)
        total = m.pop("total")
        assert scores.mirels(**m).total == total == case.patient.mirels_total
    if case.sins is not None:
        s = dict(case.sins)
        total = s.pop("total")
        assert scores.sins(**s).total == total == case.patient.sins_total
    if case.tokuhashi is not None:
        t = dict(case.tokuhashi)
        total = t.pop("total")
        result = scores.tokuhashi_revised(**t)
        assert result.total == total
        lo = {"< 6 months": 0, ">= 6 months": 6, ">= 1 year": 12}[result.category]
        assert case.patient.survival_months >= lo  # the team's estimate agrees with the Tokuhashi band


def test_calculator_totals_are_the_published_item_sums():
    by = {c.id: c for c in CASES}
    assert by["case_femur"].mirels["total"] == 12  # 3 + 3 + 3 + 3
    assert by["case_humerus"].mirels["total"] == 10  # upper limb 1 + functional 3 + lytic 3 + > 2/3 3
    assert by["case_cord"].sins["total"] == 9  # 1 + 3 + 2 + 0 + 2 + 1: indeterminate
    assert by["case_cement"].sins["total"] == 10  # junctional 3 + mechanical 3 + lytic 2 + 0 + collapse 2 + 0
    assert by["case_cord"].tokuhashi["total"] == 10  # >= 6 months


def test_what_if_lists_the_verdicts_that_move_with_their_reasons():
    cord = C.get("case_cord")
    before, after, moved = C.what_if(cord.patient, "survival_months", 0.5)
    ids = {m.therapy for m in moved}
    assert "spine_surgery" in ids  # outside Patchell's >= 3 months
    surgery = next(m for m in moved if m.therapy == "spine_surgery")
    assert (surgery.before, surgery.after) == ("suitable", after.verdict("spine_surgery")) == ("suitable",
                                                                                             "not suitable")
    assert surgery.added and all(r.rule_id in after.fired for r in surgery.added)
    unchanged = {a.therapy.id for a in before.assessments} - ids
    assert all(before.verdict(t) == after.verdict(t) for t in unchanged)
    assert C.what_if(cord.patient, "survival_months", cord.patient.survival_months)[2] == ()


def test_what_if_rejects_unknown_features_and_values():
    p = CASES[0].patient
    with pytest.raises(ValueError, match="feature"):
        C.what_if(p, "favourite_colour", 1)
    with pytest.raises(ValueError, match="ecog"):
        C.what_if(p, "ecog", 7)


def test_a_number_without_a_locator_is_rejected(tmp_path, monkeypatch):
    from bonemets_edu import evidence

    src = (evidence.data_path(C.DATA_FILE)).read_text(encoding="utf-8")
    bad = src.replace('locator = "abstract: scoring system and the recommendation for prophylactic fixation"\n', "", 1)
    assert bad != src
    (tmp_path / C.DATA_FILE).write_text(bad, encoding="utf-8")
    monkeypatch.setattr(evidence, "data_path", lambda name: tmp_path / name)
    C.cases.cache_clear()
    try:
        with pytest.raises(evidence.EvidenceError, match="locator"):
            C.cases()
    finally:
        monkeypatch.undo()
        C.cases.cache_clear()


def test_lesson_06a_and_06b_think_pauses_match_the_engine():
    """Lesson 06a §3 Think!: Mrs A. with about 2 months instead of 2 years → the nail, not the endoprosthesis, and
    post-operative radiation stays. Lesson 06b §1 Think!: case 3 with separate areas of compression → outside
    Patchell's trial, so surgery is no longer 'suitable'. 06b §1 self-check: case 8 is more than 1 month after
    radiation and SINS 3."""
    worked = CASES[0].patient
    _, after, moved = C.what_if(worked, "survival_months", 2.0)
    assert after.verdict("fix_nail") == "suitable" and after.verdict("fix_endoprosthesis") == "consider"
    assert after.verdict("rt_fractionated") == "suitable"
    assert "fix_endoprosthesis" in {m.therapy for m in moved}  # suitable at 2 years → consider at 2 months
    assert D.assess(worked).verdict("fix_nail") == "suitable"  # the nail is suitable either way (Tanaka 2016)
    cord = C.get("case_cord").patient
    several = D.assess(cord.with_(compression_areas=3))
    assert several.verdict("spine_surgery") == "consider"
    assert any("outside Patchell" in r.title for r in several.get("spine_surgery").reasons)
    retreat = C.get("case_retreat")
    assert retreat.patient.prior_radiation == "1 month ago or more" and retreat.sins["total"] == 3


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_reasoning_numbers_have_locators_in_the_cited_sources(case):
    if re.search(r"\d", case.reasoning):
        assert case.locators
    assert set(case.locators) <= set(case.sources)
