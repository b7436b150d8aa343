"""The choosing-a-treatment rule engine: every rule fires on a case built for it and stays silent on one built not to;
the synthetic cases' reference answers match the engine; every table cell cites resolvable sources."""

from __future__ import annotations

import math

import pytest
from badinput import check_bad_inputs

from bonemets_edu import decision as D
from bonemets_edu import references
from bonemets_edu.decision import Patient, assess, fired_rules
from bonemets_edu.text.choosing import describe_rules

# A calm baseline: one painful, uncomplicated pelvic metastasis in a fit patient.
BASE = dict(site="pelvis", painful_lesions=1, worst_pain=6, fracture="none", cord_compression=False,
            survival_months=18.0, ecog=1, prior_radiation="none", lesion_type="lytic")


def P(**kw) -> Patient:
    return Patient(**{**BASE, **kw})


# rule id -> (patient built to trigger it, patient built to be just outside it)
RULE_CASES = {
    "rt_uncomplicated_pain": (P(), P(fracture="impending")),
    "rt_complicated": (P(fracture="fractured"), P()),
    "rt_cord_compression": (P(site="spine", cord_compression=True), P(site="spine")),
    "rt_retreatment": (P(prior_radiation="1 month ago or more"), P(prior_radiation="under 1 month ago")),
    "rt_too_soon": (P(prior_radiation="under 1 month ago"), P(prior_radiation="1 month ago or more")),
    "rt_short_life_expectancy": (P(survival_months=0.9), P(survival_months=1.0)),
    "sbrt_selected": (P(ecog=2), P(ecog=3)),
    "sbrt_exclusions": (P(ecog=3), P(ecog=2)),
    "sbrt_spine_instability": (P(site="spine", sins_total=12), P(site="spine", sins_total=11)),
    "sbrt_cord": (P(site="spine", cord_compression=True), P(site="spine", sins_total=3)),
    "sbrt_cord_no_surgery": (P(site="spine", epidural_grade="2", histology="renal cell", survival_months=2.9),
                             P(site="spine", epidural_grade="2", histology="renal cell", survival_months=3.0)),
    "sbrt_short_survival": (P(survival_months=2.9), P(survival_months=3.0)),
    "sbrt_3_to_6_months": (P(survival_months=5.9), P(survival_months=6.0)),
    "sbrt_many_lesions": (P(painful_lesions=6), P(painful_lesions=5)),
    "cement_axial_pain": (P(site="spine", sins_total=7, worst_pain=4), P(site="spine", sins_total=6, worst_pain=4)),
    "cement_epidural_disease": (P(site="spine", epidural_grade="1a"), P(site="spine", epidural_grade="0")),
    "acetabulum_fracture": (P(location="acetabulum", fracture="impending"),
                            P(location="pelvis outside the acetabulum", fracture="impending")),
    "mirels_low": (P(site="lower-limb long bone", mirels_total=7), P(site="lower-limb long bone", mirels_total=8)),
    "mirels_borderline": (P(site="upper-limb long bone", mirels_total=8),
                          P(site="upper-limb long bone", mirels_total=9)),
    "mirels_high": (P(site="lower-limb long bone", mirels_total=9), P(site="lower-limb long bone", mirels_total=8)),
    "impending_unscored": (P(site="lower-limb long bone", fracture="impending"),
                           P(site="lower-limb long bone", fracture="impending", mirels_total=10)),
    "long_bone_fracture": (P(site="upper-limb long bone", fracture="fractured"), P(site="pelvis", fracture="fractured")),
    "femur_survival_1_to_6": (P(site="lower-limb long bone", fracture="impending", survival_months=6.0),
                              P(site="lower-limb long bone", fracture="impending", survival_months=6.5)),
    "femur_survival_over_6": (P(site="lower-limb long bone", fracture="fractured", survival_months=6.5),
                              P(site="lower-limb long bone", fracture="fractured", survival_months=6.0)),
    "femur_survival_over_6_metaphysis_fractured": (
        P(site="lower-limb long bone", location="distal femoral metaphysis", fracture="fractured", survival_months=6.5),
        P(site="lower-limb long bone", location="distal femoral metaphysis", mirels_total=10, survival_months=6.5)),
    "femur_impending_metaphysis": (
        P(site="lower-limb long bone", location="femoral inter/subtrochanteric", mirels_total=9),
        P(site="lower-limb long bone", location="femoral inter/subtrochanteric", mirels_total=7)),
    "femur_impending_metaphysis_contained": (
        P(site="lower-limb long bone", location="femoral inter/subtrochanteric", mirels_total=11, survival_months=24),
        P(site="lower-limb long bone", location="femoral inter/subtrochanteric", mirels_total=12, survival_months=24)),
    "femur_impending_metaphysis_short": (
        P(site="lower-limb long bone", location="femoral inter/subtrochanteric", mirels_total=9, survival_months=6.0),
        P(site="lower-limb long bone", location="femoral inter/subtrochanteric", mirels_total=9, survival_months=6.5)),
    "proximal_humerus_joint": (
        P(site="upper-limb long bone", location="proximal humerus", joint_involved=True, fracture="fractured"),
        P(site="upper-limb long bone", location="proximal humerus", fracture="fractured")),
    "femur_survival_about_1": (P(site="lower-limb long bone", fracture="impending", survival_months=1.0),
                               P(site="upper-limb long bone", fracture="impending", survival_months=0.7)),
    "sins_stable": (P(site="spine", sins_total=6), P(site="spine", sins_total=7)),
    "sins_indeterminate": (P(site="spine", sins_total=12), P(site="spine", sins_total=13)),
    "sins_unstable": (P(site="spine", sins_total=13), P(site="spine", sins_total=12)),
    "spine_unscored": (P(site="spine"), P(site="spine", sins_total=4)),
    "cord_patchell": (P(site="spine", cord_compression=True, survival_months=3.0),
                      P(site="spine", cord_compression=True, survival_months=2.9)),
    "cord_surgery_ecog3": (P(site="spine", cord_compression=True, ecog=3),
                           P(site="spine", cord_compression=True, ecog=3, paraplegia_hours=24)),
    "cord_short_survival": (P(site="spine", cord_compression=True, survival_months=2.9),
                            P(site="spine", cord_compression=True, survival_months=3.0)),
    "cord_local_procedures": (P(site="spine", cord_compression=True), P(site="spine")),
    "vertebral_fracture_cement": (P(site="spine", fracture="fractured", painful_lesions=3),
                                  P(site="spine", fracture="fractured", painful_lesions=4)),
    "ablation_few_lesions": (P(painful_lesions=2, worst_pain=4), P(painful_lesions=2, worst_pain=3)),
    "ethanol_not_lytic": (P(lesion_type="blastic"), P(lesion_type="lytic")),
    "mrgfus_few_lesions": (P(painful_lesions=1, worst_pain=4), P(painful_lesions=1, worst_pain=3)),
    "local_many_lesions": (P(painful_lesions=3), P(painful_lesions=2)),
    "local_low_pain": (P(worst_pain=3), P(worst_pain=4)),
    "mrgfus_spinal_location": (P(site="spine", location="posterior elements above L3"),
                               P(site="spine", location="posterior elements L3-L5")),
    "sins_indeterminate_radiation": (P(site="spine", sins_total=7), P(site="spine", sins_total=7, histology="myeloma")),
    "sins_indeterminate_radiation_cord": (P(site="spine", sins_total=12, cord_compression=True, survival_months=3.0),
                                          P(site="spine", sins_total=12, cord_compression=True,
                                            survival_months=2.9)),
    # NOMS
    "noms_radiosensitive_compression": (P(site="spine", epidural_grade="2", histology="myeloma", sins_total=9),
                                        P(site="spine", epidural_grade="2", histology="myeloma", sins_total=13)),
    "noms_radioresistant_no_compression": (P(site="spine", histology="renal cell", epidural_grade="1b"),
                                           P(site="spine", histology="renal cell", epidural_grade="2")),
    "noms_radioresistant_compression": (P(site="spine", histology="melanoma", epidural_grade="3", survival_months=3.0),
                                        P(site="spine", histology="melanoma", epidural_grade="3",
                                          survival_months=2.9)),
    "noms_radiosensitive_no_surgery": (P(site="spine", epidural_grade="2", histology="myeloma", sins_total=6),
                                       P(site="spine", epidural_grade="2", histology="myeloma", sins_total=7)),
    "noms_radiosensitive_sins_7_12": (P(site="spine", epidural_grade="2", histology="myeloma", sins_total=7),
                                      P(site="spine", epidural_grade="2", histology="myeloma", sins_total=6)),
    "compression_despite_recent_radiation": (
        P(site="spine", epidural_grade="3", prior_radiation="under 1 month ago", survival_months=3.0),
        P(site="spine", epidural_grade="3", prior_radiation="1 month ago or more", survival_months=3.0)),
    "sins_unstable_short_survival": (P(site="spine", sins_total=13, survival_months=2.9),
                                     P(site="spine", sins_total=13, survival_months=3.0)),
    "sins_unstable_poor_performance": (P(site="spine", sins_total=13, ecog=3), P(site="spine", sins_total=13, ecog=2)),
    "cauda_equina_lumbar": (P(site="spine", location="posterior elements L3-L5", cord_compression=True),
                            P(site="spine", location="posterior elements above L3", cord_compression=True)),
    "escc_grade_1c": (P(site="spine", epidural_grade="1c"), P(site="spine", epidural_grade="1b")),
    "patchell_paraplegia": (P(site="spine", cord_compression=True, paraplegia_hours=49),
                            P(site="spine", cord_compression=True, paraplegia_hours=48)),
    "patchell_multiple_areas": (P(site="spine", cord_compression=True, compression_areas=2),
                                P(site="spine", cord_compression=True, compression_areas=1)),
    "cauda_equina_compression": (P(site="sacrum", cord_compression=True), P(site="spine", cord_compression=True)),
    "postop_radiation_spine": (P(site="sacrum", cord_compression=True, survival_months=3.0),
                               P(site="sacrum", cord_compression=True, survival_months=2.9)),
    "postop_radiation_long_bone": (P(site="upper-limb long bone", fracture="impending", survival_months=1.1),
                                   P(site="upper-limb long bone", fracture="impending", survival_months=1.0)),
    # broken or unstable bone
    "fracture_no_standalone_ablation": (P(fracture="fractured"), P(fracture="impending")),
    "mrgfus_needs_stabilisation": (P(fracture="impending"), P(fracture="none")),
    # focused ultrasound
    "mrgfus_joint": (P(joint_involved=True), P()),
    "mrgfus_skull": (P(site="rib or other bone", location="skull"), P(site="rib or other bone", location="rib")),
    "mrgfus_short_life_expectancy": (P(survival_months=2.9), P(survival_months=3.0)),
    "mrgfus_3_to_6_months": (P(survival_months=5.9), P(survival_months=6.0)),
    "mrgfus_performance": (P(ecog=3), P(ecog=2)),
    "mrgfus_recent_radiation": (P(prior_radiation="under 1 month ago"), P(prior_radiation="1 month ago or more")),
    # ablation near the cord
    "ablation_near_cord": (P(site="spine", cord_distance_mm=9.9), P(site="spine", cord_distance_mm=10)),
    "ablation_spinal_distance_unmeasured": (P(site="sacrum"), P(site="sacrum", cord_distance_mm=20)),
    # oligometastatic intent
    "oligometastatic_sbrt": (P(intent="oligometastatic", ecog=1, survival_months=6.0, painful_lesions=5),
                             P(intent="oligometastatic", ecog=1, survival_months=6.0, painful_lesions=6)),
    "oligometastatic_ablation": (P(intent="oligometastatic", lesion_size_cm=8.0), P(intent="palliative")),
    "oligometastatic_single_fraction": (P(intent="oligometastatic"), P(intent="palliative")),
    # long bones: implant by location
    "femoral_head_neck": (P(site="lower-limb long bone", location="femoral head/neck", fracture="fractured"),
                          P(site="lower-limb long bone", location="femoral head/neck", mirels_total=7)),
    "femoral_trochanteric": (P(site="lower-limb long bone", location="femoral inter/subtrochanteric",
                               mirels_total=9),
                             P(site="lower-limb long bone", location="femoral inter/subtrochanteric",
                               mirels_total=8)),
    "femoral_diaphysis": (P(site="lower-limb long bone", location="femoral diaphysis", fracture="impending"),
                          P(site="lower-limb long bone", location="distal femoral metaphysis", fracture="impending")),
    "humeral_diaphysis": (P(site="upper-limb long bone", location="humeral diaphysis", fracture="fractured"),
                          P(site="upper-limb long bone", location="proximal humerus", fracture="fractured")),
    # very short prognosis, ECOG 4, best supportive care
    "hypervascular_embolisation": (P(site="lower-limb long bone", histology="thyroid", fracture="fractured"),
                                   P(site="lower-limb long bone", histology="breast", fracture="fractured")),
    "unknown_primary_biopsy": (P(site="lower-limb long bone", fracture="fractured"),
                               P(site="lower-limb long bone", fracture="fractured", diagnosis_confirmed=False)),
    "diagnosis_unconfirmed": (P(site="lower-limb long bone", fracture="fractured", diagnosis_confirmed=False),
                              P(site="lower-limb long bone", fracture="fractured")),
    "supportive_care_always": (P(painful_lesions=1), P(painful_lesions=0)),
    "very_short_prognosis": (P(survival_months=1.0), P(survival_months=1.1)),
    "ecog4_no_procedures": (P(ecog=4), P(ecog=3)),
    "ecog4_no_spine_surgery": (P(site="spine", ecog=4, cord_compression=True, paraplegia_hours=49),
                               P(site="spine", ecog=4, cord_compression=True, paraplegia_hours=48)),
    "ecog4_single_fraction": (P(ecog=4), P(ecog=4, site="spine", cord_compression=True)),
    "ecog4_acute_deficit": (P(site="spine", ecog=4, cord_compression=True, paraplegia_hours=48),
                            P(site="spine", ecog=4, cord_compression=True, paraplegia_hours=49)),
    "ecog4_fixation": (P(site="lower-limb long bone", ecog=4, fracture="fractured"),
                       P(site="lower-limb long bone", ecog=3, fracture="fractured")),
    "ecog4_prophylactic_fixation": (P(site="lower-limb long bone", ecog=4, fracture="impending"),
                                    P(site="lower-limb long bone", ecog=4, fracture="fractured")),
}


def test_every_rule_has_a_trigger_and_a_silent_case():
    assert set(RULE_CASES) == {r.id for r in D.rules()}
    assert len(D.rules()) == 90


@pytest.mark.parametrize("rule_id", sorted(RULE_CASES))
def test_rule_fires_on_its_case_and_is_silent_outside(rule_id):
    on, off = RULE_CASES[rule_id]
    assert rule_id in fired_rules(on)
    assert rule_id not in fired_rules(off)


@pytest.mark.parametrize("rule_id", sorted(RULE_CASES))
def test_a_firing_rule_shows_up_in_the_reasons(rule_id):
    on, _ = RULE_CASES[rule_id]
    decision = assess(on)
    rule = next(r for r in D.rules() if r.id == rule_id)
    for effect in rule.effects:
        for tid in effect.therapies:
            a = decision.get(tid)
            if a.reasons[0].rule_id == "site":
                continue  # not used at this site at all
            assert any(r.rule_id == rule_id and r.text == effect.reason for r in a.reasons)


# ------------------------------------------------------------------------------------- published thresholds


def test_mirels_thresholds_follow_the_paper_and_the_table():
    femur = dict(site="lower-limb long bone", fracture="impending")
    assert assess(P(**femur, mirels_total=7)).verdict("fix_nail") == "not suitable"  # <= 7: irradiate
    assert assess(P(**femur, mirels_total=8)).verdict("fix_nail") == "consider"  # 8: the two readings differ
    nine = assess(P(**femur, mirels_total=9, survival_months=4.0))
    assert nine.verdict("fix_nail") == "suitable"  # >= 9 and 1-6 months: nail
    assert nine.verdict("fix_endoprosthesis") == "consider"


@pytest.mark.parametrize("months", [0.7, 2.0, 4.5, 9.0, 18.0])  # one patient per survival band of the widget
def test_mirels_8_is_a_judgement_call_at_every_survival(months):
    """Mirels 8: the abstract advises fixation, the widely used table calls it clinical judgement. The engine keeps
    fixation at 'consider' whatever the survival, so 8 never reads like 9 (which follows the femur guideline)."""
    limb = dict(site="lower-limb long bone", fracture="impending", survival_months=months)
    eight, nine = assess(P(**limb, mirels_total=8)), assess(P(**limb, mirels_total=9))
    fixation = ("fix_nail", "fix_plate", "fix_endoprosthesis")
    assert [eight.verdict(t) for t in fixation] == ["consider"] * 3
    caps = [r for r in eight.get("fix_endoprosthesis").reasons if r.rule_id == "mirels_borderline" and r.limits]
    assert len(caps) == 1 and caps[0].sources == ("roentgenrayreader2012",)
    if months > 1.0:  # outside the 'about 1 month' band, Mirels 9 lets the guideline's implant through
        assert "suitable" in [nine.verdict(t) for t in fixation]
        assert [eight.verdict(t) for t in fixation] != [nine.verdict(t) for t in fixation]


def test_mirels_8_to_9_with_long_survival_lifts_only_the_endoprosthesis():
    limb = dict(site="lower-limb long bone", fracture="impending", survival_months=18.0)
    v = {m: [assess(P(**limb, mirels_total=m)).verdict(t) for t in ("fix_nail", "fix_plate", "fix_endoprosthesis")]
         for m in (7, 8, 9)}
    assert v == {7: ["not suitable"] * 3, 8: ["consider"] * 3, 9: ["consider", "consider", "suitable"]}


def test_femur_guideline_survival_bands_pick_the_implant():
    femur = dict(site="lower-limb long bone", fracture="fractured")
    short = assess(P(**femur, survival_months=3.0))
    long_ = assess(P(**femur, survival_months=12.0))
    about1 = assess(P(**femur, survival_months=0.7))
    assert (short.verdict("fix_nail"), short.verdict("fix_endoprosthesis")) == ("suitable", "consider")
    assert (long_.verdict("fix_nail"), long_.verdict("fix_endoprosthesis")) == ("consider", "suitable")
    assert about1.verdict("fix_nail") == "consider" and about1.verdict("nonoperative") == "consider"
    # cryotherapy and RFA are the guideline's named alternatives for an unbroken bone at this prognosis; once the
    # bone has broken, ablation on its own does not hold it together
    assert assess(P(site="lower-limb long bone", fracture="impending", survival_months=0.7)).verdict("cryo") == "consider"
    assert about1.verdict("cryo") == "not suitable"


def test_sins_categories_change_the_spine_surgery_verdict():
    v = {t: assess(P(site="spine", sins_total=t)).verdict("spine_surgery") for t in (0, 6, 7, 12, 13, 18)}
    assert v == {0: "not suitable", 6: "not suitable", 7: "consider", 12: "consider", 13: "suitable", 18: "suitable"}
    # SC.24 excluded SINS >= 12
    assert assess(P(site="spine", sins_total=11)).verdict("sbrt") == "consider"
    assert assess(P(site="spine", sins_total=12)).verdict("sbrt") == "not suitable"


def test_patchell_three_month_boundary():
    cord = dict(site="spine", cord_compression=True, sins_total=5)
    assert assess(P(**cord, survival_months=3.0)).verdict("spine_surgery") == "suitable"
    assert assess(P(**cord, survival_months=2.9)).verdict("spine_surgery") == "not suitable"
    # radiation stays available either way (ASTRO 2024 schedules for non-surgical candidates)
    assert assess(P(**cord, survival_months=2.9)).verdict("rt_single") == "suitable"
    assert assess(P(**cord)).verdict("sbrt") == "not suitable"


def test_ablation_and_mrgfus_follow_trial_entry_criteria():
    assert assess(P(painful_lesions=2, worst_pain=4)).verdict("cryo") == "consider"
    # three or more painful sites cap the one-target procedures at "consider" (for the worst site), not "not suitable"
    many = assess(P(painful_lesions=3, worst_pain=8)).get("cryo")
    assert many.verdict == "consider" and many.reasons[0].rule_id == "local_many_lesions" and many.reasons[0].limits
    assert assess(P(worst_pain=3)).verdict("mrgfus") == "not suitable"
    # focused ultrasound reaches only the posterior elements of L3-L5 and S1-S5 (device labelling)
    assert assess(P(site="spine", sins_total=2)).verdict("mrgfus") == "not suitable"
    assert assess(P(site="spine", sins_total=2, location="vertebral body")).verdict("mrgfus") == "not suitable"
    assert assess(P(site="spine", sins_total=2, location="posterior elements L3-L5")).verdict("mrgfus") == "consider"


def test_retreatment_more_than_one_month_after_radiation():
    assert assess(P(prior_radiation="1 month ago or more")).verdict("rt_single") == "consider"
    assert assess(P(prior_radiation="under 1 month ago")).verdict("rt_single") == "not suitable"
    assert assess(P()).verdict("rt_single") == "suitable"


def test_no_rule_means_not_suitable_with_an_honest_reason():
    a = assess(P(painful_lesions=0, worst_pain=0)).get("mwa")
    assert a.verdict == "not suitable"
    assert any(r.rule_id == D.NO_RULE and "not proof" in r.text for r in a.reasons)


def test_no_rule_reason_is_not_added_when_a_source_already_says_no():
    a = assess(P(site="spine", cord_compression=True)).get("sbrt")
    assert a.verdict == "not suitable"
    assert all(r.rule_id != D.NO_RULE for r in a.reasons)
    assert a.reasons[0].rule_id == "sbrt_cord"


def test_describe_rules_lists_every_rule_with_its_effects():
    text = describe_rules()
    assert text.count("\n  if ") == len(D.rules())
    assert describe_rules(first=2).count("\n  if ") == 2
    assert "limits to 'not suitable': SBRT" in text
    # every rule carries its sources, so the lesson's self-check (re-irradiation: ASTRO 2017 and SC.20) is answerable
    first10 = describe_rules(first=10)
    assert first10.count("\n  sources: ") == 10
    block = first10.split("Pain again more than 1 month after radiation: re-irradiation\n", 1)[1].split("\n\n")[0]
    retreat = block.splitlines()[:3]
    assert retreat[-1] == "  sources: Lutz et al. 2017; Chow et al. 2014"  # ASTRO 2017 guideline; SC.20 trial


def test_site_check_uses_the_rows_site_note():
    a = assess(P(site="spine")).get("fix_nail")
    assert a.verdict == "not suitable" and a.reasons[0].rule_id == "site"
    assert a.reasons[0].sources == a.therapy.sites_note.sources


def test_decision_says_education_only():
    p = P(site="spine", sins_total=9, cord_compression=True)
    assert "education" in assess(p).disclaimer.lower()


def test_verdict_order_and_counts():
    assert D.VERDICTS == ("not suitable", "consider", "suitable")
    d = assess(P())
    assert sum(d.counts().values()) == len(D.therapies()) == 15


# The synthetic cases (now in data/cases.toml) are tested in tests/test_cases.py.


# --------------------------------------------------------------------------------------------------- validation


#: (function, keyword arguments, exception, message fragments: the parameter, then the value given; a categorical also
#: lists an allowed value): every row must raise as listed.
BAD_PATIENTS = [
    (P, dict(site="skull"), ValueError, ["site", "'skull'", "'spine'"]),
    (P, dict(site=3), TypeError, ["site", "got int 3"]),
    (P, dict(painful_lesions=-1), ValueError, ["painful_lesions", "got -1"]),
    (P, dict(painful_lesions=1.5), ValueError, ["painful_lesions", "got 1.5"]),
    (P, dict(worst_pain=11), ValueError, ["worst_pain", "got 11"]),
    (P, dict(fracture="broken"), ValueError, ["fracture", "'broken'"]),
    (P, dict(mirels_total=3), ValueError, ["mirels_total", "got 3"]),
    (P, dict(mirels_total=13), ValueError, ["mirels_total", "got 13"]),
    (P, dict(sins_total=19), ValueError, ["sins_total", "got 19"]),
    (P, dict(cord_compression="yes"), TypeError, ["cord_compression", "'yes'"]),
    (P, dict(survival_months=0), ValueError, ["survival_months", "got 0"]),
    (P, dict(survival_months=math.nan), ValueError, ["survival_months", "nan"]),
    (P, dict(survival_months=math.inf), ValueError, ["survival_months", "inf"]),
    (P, dict(survival_months="12"), TypeError, ["survival_months", "'12'"]),
    (P, dict(ecog=5), ValueError, ["ecog", "got 5"]),
    (P, dict(prior_radiation="yesterday"), ValueError, ["prior_radiation", "'yesterday'"]),
    (P, dict(lesion_type="sclerotic"), ValueError, ["lesion_type", "'sclerotic'"]),
    (P, dict(histology="glioma"), ValueError, ["histology", "'glioma'"]),
    (P, dict(site="spine", epidural_grade="4"), ValueError, ["epidural_grade", "'4'"]),
    (P, dict(site="pelvis", epidural_grade="2"), ValueError, ["epidural_grade", "'2'"]),
    (P, dict(site="spine", epidural_grade="1c", cord_compression=True), ValueError, ["epidural_grade", "'1c'"]),
    (P, dict(site="pelvis", location="femoral head/neck"), ValueError, ["location", "'femoral head/neck'"]),
    (P, dict(joint_involved="no"), TypeError, ["joint_involved", "'no'"]),
    (P, dict(intent="curative"), ValueError, ["intent", "'curative'"]),
    (P, dict(compression_areas=0), ValueError, ["compression_areas", "got 0"]),
    (P, dict(paraplegia_hours=-1), ValueError, ["paraplegia_hours", "got -1"]),
    (P, dict(site="pelvis", cord_distance_mm=5), ValueError, ["cord_distance_mm", "got 5"]),
    (P, dict(site="spine", cord_distance_mm=-1), ValueError, ["cord_distance_mm", "got -1"]),
    (P, dict(lesion_size_cm=0), ValueError, ["lesion_size_cm", "got 0"]),
]


def test_bad_patient_input_names_the_parameter():
    check_bad_inputs(BAD_PATIENTS)


def test_assess_rejects_non_patients():
    with pytest.raises(TypeError, match="Patient"):
        fired_rules({"site": "spine"})


def test_every_reason_source_resolves():
    seen = set()
    for on, off in RULE_CASES.values():
        for p in (on, off):
            for key in {k for a in assess(p).assessments for k in a.sources}:
                assert references.get(key).href.startswith("https://"), key  # raises KeyError if unknown
                seen.add(key)
    # the cases reach every source any rule cites (so the loop above checked them all, not none)
    assert seen >= {k for r in D.rules() for k in r.sources}


def test_a_mirels_score_of_9_or_more_counts_as_an_impending_fracture():
    # Mirels 9+ is an impending fracture by definition, even if the fracture field was left at "none": the femur
    # survival rules apply, radiation is for a complicated lesion, and SBRT is not offered as for an uncomplicated one.
    short = P(site="lower-limb long bone", fracture="none", mirels_total=10, survival_months=3.0)
    assert short.fracture_status == "impending"
    fired = fired_rules(short)
    assert "femur_survival_1_to_6" in fired and "rt_complicated" in fired
    assert "rt_uncomplicated_pain" not in fired and "sbrt_selected" not in fired
    d = assess(short)
    assert d.verdict("fix_nail") == "suitable" and d.verdict("fix_endoprosthesis") == "consider"
    d = assess(short.with_(survival_months=12.0))
    assert d.verdict("fix_endoprosthesis") == "suitable" and d.verdict("fix_nail") == "consider"
    # Mirels 8 stays a judgement call: not treated as impending
    assert P(site="lower-limb long bone", mirels_total=8).fracture_status == "none"
    assert "femur_survival_over_6" not in fired_rules(P(site="lower-limb long bone", mirels_total=8))


# ------------------------------------------------------------------------------------- the NOMS patient fields


def test_new_fields_have_defaults_that_keep_old_calls_valid():
    p = Patient()
    assert (p.histology, p.epidural_grade, p.location, p.joint_involved, p.intent) == (
        "other or unknown", None, None, False, "palliative")
    assert (p.compression_areas, p.paraplegia_hours, p.cord_distance_mm, p.lesion_size_cm) == (1, None, None, None)


def test_bilsky_grade_and_cord_compression_flag_are_coherent():
    # grades 2-3 mean the cord is compressed (Bilsky 2010), whatever the flag says; 0-1c mean it is not
    assert P(site="spine", epidural_grade="2").compression
    assert P(site="sacrum", epidural_grade="3").compression
    assert not P(site="spine", epidural_grade="1c").compression
    assert P(site="spine", cord_compression=True).compression  # ungraded (e.g. cauda equina): the flag decides
    assert P(site="spine", epidural_grade="3", cord_compression=True).compression


@pytest.mark.parametrize("histology, cls", [
    ("myeloma", "radiosensitive"), ("lymphoma", "radiosensitive"), ("renal cell", "radioresistant"),
    ("melanoma", "radioresistant"), ("thyroid", "radioresistant"), ("colorectal", "radioresistant"),
    ("breast", "not classified"), ("prostate", "not classified"), ("sarcoma", "unfavourable"),
    ("non-small-cell lung", "not classified"), ("other or unknown", "not classified"),
])
def test_radiosensitivity_follows_the_cited_tables(histology, cls):
    assert P(histology=histology).radiosensitivity == cls
    h = D.histologies()[histology]
    assert h.sources and h.locator
    for key in h.sources:
        references.get(key)


def test_locations_depend_on_the_site():
    assert "femoral head/neck" in D.locations()["lower-limb long bone"]
    assert "posterior sacrum (S1-S5)" in D.locations()["sacrum"]
    assert set(D.locations()) == set(D.patient_options()["sites"])
    assert P(site="lower-limb long bone", location="Femoral Head/Neck").location == "femoral head/neck"


# ------------------------------------------------------------------------------------------------ what-if: compare


def test_compare_lists_the_verdicts_that_move_and_why():
    femur = P(site="lower-limb long bone", fracture="impending", mirels_total=8, survival_months=18.0)
    changes = D.compare(femur, femur.with_(mirels_total=9))
    moved = {c.therapy: (c.before, c.after) for c in changes}
    assert moved == {"fix_endoprosthesis": ("consider", "suitable")}  # 8 -> 9: the judgement call ends
    endo = next(c for c in changes if c.therapy == "fix_endoprosthesis")
    assert {r.rule_id for r in endo.added} >= {"mirels_high"}
    assert {r.rule_id for r in endo.removed} >= {"mirels_borderline"}
    tid, before, after, reasons = endo  # unpacks as the what-if table row
    assert (tid, before, after) == ("fix_endoprosthesis", "consider", "suitable") and reasons == endo.reasons
    assert D.changed_fields(femur, femur.with_(mirels_total=9)) == ("mirels_total",)
    assert D.compare(femur, femur) == ()
    assert len(D.compare(femur, femur, only_moved=False)) == len(D.therapies())


def test_compare_histology_moves_patchell():
    cord = P(site="spine", epidural_grade="3", sins_total=9, survival_months=12.0, histology="breast")
    moved = {c.therapy: (c.before, c.after) for c in D.compare(cord, cord.with_(histology="myeloma"))}
    # SINS 9 keeps a surgical consultation about stability for myeloma (NOMS assesses stability separately)
    assert moved["spine_surgery"] == ("suitable", "consider")
    stable = cord.with_(sins_total=5)
    moved = {c.therapy: (c.before, c.after) for c in D.compare(stable, stable.with_(histology="myeloma"))}
    assert moved["spine_surgery"] == ("suitable", "not suitable")
    moved = {c.therapy: (c.before, c.after) for c in D.compare(cord, cord.with_(histology="myeloma"))}
    assert moved["rt_fractionated"] == ("consider", "suitable")


def test_compare_rejects_non_patients():
    with pytest.raises(TypeError, match="after"):
        D.compare(P(), {"site": "spine"})


def test_every_rule_effect_says_where_in_its_sources_the_facts_are():
    for r in D.rules():
        for e in r.effects:
            assert e.locator.strip(), (r.id, e.reason)
    reason = assess(P(site="spine", cord_compression=True, survival_months=8.0)).get("spine_surgery").reasons[0]
    assert reason.rule_id == "cord_patchell" and "findings" in reason.locator


def test_an_unrecorded_value_is_not_the_excluded_value():
    c_not_in = D.Condition("location", "not_in", ("femoral head/neck",))
    c_in = D.Condition("location", "in", ("femoral head/neck",))
    c_lt = D.Condition("sins_total", "<", 7)
    unrecorded = P(site="lower-limb long bone")
    assert c_not_in.holds(unrecorded) and not c_in.holds(unrecorded) and not c_lt.holds(unrecorded)
    neck = P(site="lower-limb long bone", location="femoral head/neck")
    assert not c_not_in.holds(neck) and c_in.holds(neck)


# ------------------------------------------------------------------- specialist reviews (R1.n, R2.n): boundaries


def test_ecog4_from_an_acute_paraplegia_does_not_veto_decompression():
    """R1.1: Patchell enrolled paraplegia of up to 48 h (10/16 vs 3/16 regained walking); frailty still vetoes."""
    acute = Patient(site="spine", epidural_grade="3", cord_compression=True, histology="renal cell",
                    paraplegia_hours=12, sins_total=10, survival_months=12, ecog=4)
    d = assess(acute)
    assert d.verdict("spine_surgery") == "suitable"
    assert any(r.rule_id == "ecog4_acute_deficit" and "10 of 16" in r.text for r in d.get("spine_surgery").reasons)
    assert assess(acute.with_(paraplegia_hours=49)).verdict("spine_surgery") == "not suitable"
    assert assess(acute.with_(paraplegia_hours=None)).verdict("spine_surgery") == "not suitable"


def test_compression_after_recent_radiation_leaves_surgery_open():
    """R1.2: compression within a month of radiation → surgery is the active option (The Christie)."""
    p = Patient(site="spine", epidural_grade="3", cord_compression=True, histology="myeloma",
                prior_radiation="under 1 month ago", sins_total=8, survival_months=24, ecog=2)
    assert assess(p).verdict("spine_surgery") == "consider"
    assert assess(p.with_(prior_radiation="none", sins_total=5)).verdict("spine_surgery") == "not suitable"
    assert assess(p.with_(survival_months=2.9)).verdict("spine_surgery") == "not suitable"


def test_unstable_spine_surgery_is_limited_by_survival_and_performance():
    """R1.3: SINS 13 in a fit patient with 3 months or more → suitable; under 3 months or ECOG 3 → consider."""
    p = Patient(site="spine", sins_total=13, fracture="fractured", survival_months=3.0, ecog=2)
    assert assess(p).verdict("spine_surgery") == "suitable"
    assert assess(p.with_(survival_months=2.9)).verdict("spine_surgery") == "consider"
    assert assess(p.with_(ecog=3)).verdict("spine_surgery") == "consider"


def test_sbrt_after_separation_surgery_for_radioresistant_compression():
    """R1.4: NOMS hybrid — SBRT 'consider' after separation surgery, never the stand-alone 'suitable'."""
    p = Patient(site="spine", epidural_grade="2", histology="renal cell", sins_total=9, survival_months=18, ecog=1)
    a = assess(p).get("sbrt")
    assert a.verdict == "consider" and "After separation surgery" in a.reasons[0].text
    assert assess(p.with_(survival_months=2.9)).verdict("sbrt") == "not suitable"
    assert assess(p.with_(histology="breast")).verdict("sbrt") == "not suitable"


def test_embolisation_caution_travels_with_surgery_without_changing_the_verdict():
    """R2.1: renal/thyroid → embolise before surgery (Radiology 1990: ~1,850 vs >3,500 mL)."""
    renal = Patient(site="lower-limb long bone", location="femoral diaphysis", mirels_total=10,
                    histology="renal cell", survival_months=18)
    breast = renal.with_(histology="breast")
    for t in ("fix_nail", "fix_plate", "fix_endoprosthesis"):
        a = assess(renal).get(t)
        assert a.verdict == assess(breast).verdict(t)
        assert any(r.rule_id == "hypervascular_embolisation" and "1,800 mL" in r.text and r.verdict == a.verdict
                   for r in a.reasons)
    assert not any(r.rule_id == "hypervascular_embolisation" for r in assess(breast).get("fix_nail").reasons)


def test_no_fixation_before_a_tissue_diagnosis():
    """R2.2: without a tissue diagnosis, fixation waits for the biopsy (Willeumier 2016)."""
    p = Patient(site="lower-limb long bone", location="femoral diaphysis", fracture="fractured", survival_months=12)
    assert assess(p).verdict("fix_nail") == "suitable"
    assert assess(p.with_(diagnosis_confirmed=False)).verdict("fix_nail") == "consider"


def test_no_cliff_at_one_month():
    """R2.3: 'about 1 month' includes 1.0; the less-invasive band starts above it."""
    p = Patient(site="lower-limb long bone", location="femoral diaphysis", fracture="fractured", ecog=3,
                survival_months=1.0)
    at, above = assess(p), assess(p.with_(survival_months=1.1))
    assert at.verdicts() == assess(p.with_(survival_months=0.95)).verdicts() | {"rt_single": "suitable"}
    assert at.verdict("fix_nail") == "consider" and above.verdict("fix_nail") == "suitable"
    assert at.verdict("rt_fractionated") == "not suitable" and above.verdict("rt_fractionated") == "suitable"
    assert at.verdict("supportive_care") == "suitable" and above.verdict("supportive_care") == "consider"


def test_postop_radiation_only_when_an_operation_is_planned():
    """R2.4: no post-operative 10-fraction course at about 1 month; a single fraction is the radiation."""
    p = Patient(site="lower-limb long bone", location="femoral head/neck", fracture="fractured", ecog=3,
                survival_months=1.0, histology="non-small-cell lung")
    d = assess(p)
    assert "postop_radiation_long_bone" not in d.fired
    assert d.verdict("rt_single") == "suitable" and d.verdict("rt_fractionated") == "not suitable"
    assert "postop_radiation_long_bone" in assess(p.with_(survival_months=1.1)).fired


def test_sacral_cement_and_mrgfus_reasons_say_what_is_not_covered():
    """R2.11: no silent 'not suitable' for sacral cement; R2.15: the MRgFUS approval is for after radiation."""
    sac = assess(Patient(site="sacrum", location="sacral body", fracture="fractured", sins_total=5, worst_pain=8,
                         lesion_type="lytic", cord_distance_mm=8, histology="breast"))
    text = sac.get("vertebral_augmentation").reasons[0].text
    assert "sacroplasty" in text and "not covered, not contraindicated" in text
    fus = assess(Patient(site="pelvis", location="pelvis outside the acetabulum", worst_pain=7, survival_months=12))
    assert any("did not respond to radiation or who cannot have it" in r.text for r in fus.get("mrgfus").reasons)


def test_oligometastatic_intent_ranks_sbrt_above_palliative_courses_and_puts_ablation_to_the_board():
    """R2.10/R1.8: SABR-COMET eligibility → SBRT suitable; curative ablation "consider" at any size (Deschamps 2014
    names small size among the factors for complete treatment, without a cut-off); palliative courses capped."""
    p = Patient(site="pelvis", intent="oligometastatic", histology="renal cell", lesion_size_cm=2.0, worst_pain=3,
                survival_months=36, ecog=0)
    d = assess(p)
    v = d.verdicts()
    assert v["sbrt"] == "suitable" and v["rfa"] == v["cryo"] == v["mwa"] == "consider"
    assert v["rt_fractionated"] == v["rt_single"] == "consider"
    reason = next(r for r in d.get("rfa").reasons if r.rule_id == "oligometastatic_ablation")
    assert "67%" in reason.text and "small" in reason.text and "3 cm" not in reason.text
    assert "deschamps2014" in reason.sources
    assert assess(p.with_(lesion_size_cm=8.0)).verdict("rfa") == "consider"  # size informs the board, no cut-off
    assert assess(p.with_(intent="palliative")).verdict("rfa") == "not suitable"  # pain 3/10: palliative trials not met
    assert assess(p.with_(ecog=2)).verdict("sbrt") != "suitable"


def test_a_caution_is_shown_as_a_caution_in_the_widgets():
    from bonemets_edu.widgets.choosing import _reasons_html

    a = assess(Patient(site="lower-limb long bone", location="femoral diaphysis", fracture="fractured",
                       histology="thyroid", survival_months=12)).get("fix_nail")
    html = _reasons_html(a)
    assert "(caution)" in html and "1,800 mL" in html
