"""The decision engine's safety table: patients a tumour board would actually discuss, each with the verdicts that must
NEVER appear for them (issue 13). A failure here means the engine offers something no board would sign, or withholds
the treatment the cited rule names. For education only.

Each row: (why a clinician would bring this patient, the patient, {therapy id: verdicts that must never appear}).
"""

from __future__ import annotations

import itertools

import pytest

from bonemets_edu import decision as D
from bonemets_edu.decision import Patient, assess
from bonemets_edu.text.choosing import explain

YES = {"suitable", "consider"}  # "never offered at all"
NOT = {"not suitable"}
WEAK = {"not suitable", "consider"}  # "must be the suitable choice"
ABLATION = ("rfa", "cryo", "mwa", "ethanol")
FIXATION = ("fix_nail", "fix_plate", "fix_endoprosthesis")


def row(why, never, **patient):
    return pytest.param(Patient(**patient), never, id=why)


SAFETY_TABLE = [
    # --- broken or unstable bone: no stand-alone pain procedure ----------------------------------------------------
    row("fractured femoral shaft: ablation or MRgFUS alone would leave the bone broken",
        {**{t: YES for t in ABLATION}, "mrgfus": YES, "fix_nail": NOT, "nonoperative": {"suitable"}},
        site="lower-limb long bone", fracture="fractured", location="femoral diaphysis", histology="breast",
        survival_months=12, lesion_type="lytic", worst_pain=8),
    row("fractured acetabulum: no stand-alone ablation or focused ultrasound",
        {**{t: YES for t in ABLATION}, "mrgfus": YES},
        site="pelvis", fracture="fractured", location="acetabulum", histology="prostate", lesion_type="lytic"),
    row("impending femoral-neck fracture (Mirels 10): never a nail, never focused ultrasound",
        {"fix_nail": YES, "mrgfus": YES, "fix_endoprosthesis": NOT},
        site="lower-limb long bone", mirels_total=10, location="femoral head/neck", survival_months=8),
    row("fractured femoral neck with 2 months to live: arthroplasty still, never a nail",
        {"fix_nail": YES, "fix_endoprosthesis": NOT},
        site="lower-limb long bone", fracture="fractured", location="femoral head/neck", survival_months=2),
    row("vertebral compression fracture with SINS 14: cement alone does not stabilise",
        {"vertebral_augmentation": YES, "spine_surgery": NOT, **{t: YES for t in ABLATION}, "mrgfus": YES},
        site="spine", fracture="fractured", sins_total=14, histology="breast", survival_months=12),
    row("SINS 13 collapse with grade 3 compression: no cement, no SBRT, radiation stays available",
        {"vertebral_augmentation": YES, "sbrt": YES, "rt_fractionated": NOT},
        site="spine", fracture="fractured", sins_total=13, epidural_grade="3", survival_months=6, ecog=2),
    # --- cord compression: NOMS and Patchell's real entry criteria ------------------------------------------------
    row("breast-cancer cord compression, one area, 8 months: surgery and radiation, never needles or cement",
        {"spine_surgery": NOT, "vertebral_augmentation": YES, **{t: YES for t in ABLATION}, "mrgfus": YES,
         "sbrt": YES, "rt_fractionated": NOT},
        site="spine", epidural_grade="3", cord_compression=True, sins_total=9, histology="breast",
        survival_months=8, ecog=2),
    row("myeloma cord compression (grade 3, SINS 8): radiation, surgery only as a stability consultation (R1.10)",
        {"spine_surgery": {"suitable"} | NOT, "rt_fractionated": WEAK, "rt_single": NOT},
        site="spine", epidural_grade="3", sins_total=8, histology="myeloma", survival_months=24),
    row("lymphoma cord compression, SINS not scored: never 'surgery suitable'",
        {"spine_surgery": {"suitable"}, "rt_fractionated": NOT},
        site="spine", cord_compression=True, histology="lymphoma", survival_months=18),
    row("paraplegic for 72 hours: outside Patchell, surgery never 'suitable'",
        {"spine_surgery": {"suitable"}, "rt_fractionated": NOT},
        site="spine", cord_compression=True, paraplegia_hours=72, histology="prostate", survival_months=6),
    row("two separate areas of compression: outside Patchell",
        {"spine_surgery": {"suitable"}},
        site="spine", cord_compression=True, compression_areas=2, histology="breast", survival_months=9),
    row("cord compression with 1 month to live, ECOG 3: no open surgery, no SBRT",
        {"spine_surgery": YES, "sbrt": YES, "rt_single": NOT, "supportive_care": NOT},
        site="spine", cord_compression=True, survival_months=1.0, ecog=3, histology="non-small-cell lung"),
    row("renal-cell grade 3 compression, 12 months: separation surgery, then SBRT (NOMS hybrid), never SBRT alone",
        {"spine_surgery": WEAK, "sbrt": {"suitable"} | NOT},
        site="spine", epidural_grade="3", histology="renal cell", sins_total=10, survival_months=12, ecog=1),
    row("sacral (cauda equina) compression: reaches the spinal rules, outside Patchell",
        {"spine_surgery": {"suitable"}, "rt_fractionated": NOT, "mrgfus": YES, "vertebral_augmentation": YES},
        site="sacrum", cord_compression=True, histology="prostate", survival_months=10),
    # --- specialist reviews (radiation oncology + spine surgery: R1.n; IR + orthopaedic oncology: R2.n) -----------
    row("R1.1 renal grade 3, paraplegic 12 h, ECOG 4 from the deficit: decompression not vetoed",
        {"spine_surgery": WEAK, "sbrt": {"suitable"}, "vertebral_augmentation": YES},
        site="spine", epidural_grade="3", cord_compression=True, histology="renal cell", paraplegia_hours=12,
        sins_total=10, survival_months=12, ecog=4),
    row("R1.2 myeloma compression despite radiation 2 weeks ago: surgery stays an active option",
        {"spine_surgery": NOT, "supportive_care": NOT, "rt_single": {"suitable"}, "rt_fractionated": {"suitable"}},
        site="spine", epidural_grade="3", cord_compression=True, histology="myeloma",
        prior_radiation="under 1 month ago", sins_total=8, survival_months=24, ecog=2),
    row("R1.3 SINS 13 fracture, NSCLC, 6 weeks, ECOG 3: surgery never 'suitable'",
        {"spine_surgery": {"suitable"}, "vertebral_augmentation": YES, "rt_single": NOT},
        site="spine", sins_total=13, fracture="fractured", histology="non-small-cell lung", survival_months=1.5,
        ecog=3, worst_pain=9),
    row("R1.3 SINS 14 fracture, colorectal, 2 months, ECOG 2: surgery never 'suitable'",
        {"spine_surgery": {"suitable"}, "vertebral_augmentation": YES},
        site="spine", sins_total=14, fracture="fractured", histology="colorectal", survival_months=2, ecog=2,
        worst_pain=9),
    row("R1.4 renal grade 2, SINS 9, 18 months: SBRT after separation surgery, not barred",
        {"sbrt": NOT | {"suitable"}, "spine_surgery": WEAK},
        site="spine", epidural_grade="2", histology="renal cell", sins_total=9, survival_months=18, ecog=1,
        lesion_type="lytic"),
    row("R1.4 thyroid grade 2, SINS 6, 5 years: SBRT after separation surgery, not barred",
        {"sbrt": NOT | {"suitable"}},
        site="spine", epidural_grade="2", histology="thyroid", sins_total=6, survival_months=60, ecog=0),
    row("R2.1 renal-cell femoral shaft, Mirels 10: nail with an embolisation caution (see test_decision)",
        {"fix_nail": WEAK, "mrgfus": YES},
        site="lower-limb long bone", location="femoral diaphysis", mirels_total=10, histology="renal cell",
        worst_pain=6, survival_months=18),
    row("R2.2 fractured trochanteric lesion without a tissue diagnosis: no fixation 'suitable' before the biopsy",
        {t: {"suitable"} for t in FIXATION},
        site="lower-limb long bone", location="femoral inter/subtrochanteric", fracture="fractured",
        survival_months=12, worst_pain=9, painful_lesions=1, diagnosis_confirmed=False),
    row("R2.3 fractured femoral shaft, 1.0 month, ECOG 3: no cliff at 1 month — single fraction, supportive care",
        {"rt_fractionated": YES, "fix_nail": {"suitable"}, "supportive_care": WEAK, "nonoperative": NOT},
        site="lower-limb long bone", location="femoral diaphysis", fracture="fractured", survival_months=1.0,
        ecog=3, worst_pain=9),
    row("R2.4 fractured femoral neck, 1 month, ECOG 3: one fraction, not ten",
        {"rt_fractionated": YES, "rt_single": WEAK},
        site="lower-limb long bone", location="femoral head/neck", fracture="fractured", survival_months=1.0,
        ecog=3, worst_pain=9, histology="non-small-cell lung"),
    row("R2.5 impending subtrochanteric (Mirels 9), 2 years: prophylactic nail suitable, replacement not first",
        {"fix_nail": WEAK, "fix_endoprosthesis": {"suitable"}},
        site="lower-limb long bone", location="femoral inter/subtrochanteric", mirels_total=9, survival_months=24,
        worst_pain=6, histology="prostate", lesion_type="blastic"),
    row("R2.6 impending distal femur (Mirels 10), 2 years: nail or plate, distal femoral replacement over-treats",
        {"fix_nail": WEAK, "fix_plate": NOT, "fix_endoprosthesis": {"suitable"}},
        site="lower-limb long bone", location="distal femoral metaphysis", mirels_total=10, survival_months=24,
        worst_pain=7, histology="myeloma"),
    row("R2.7 fractured femoral neck, 12 months: arthroplasty; never a plate or a nail",
        {"fix_plate": YES, "fix_nail": YES, "fix_endoprosthesis": WEAK},
        site="lower-limb long bone", location="femoral head/neck", fracture="fractured", survival_months=12,
        worst_pain=9, histology="breast"),
    row("R2.8 fractured proximal humerus into the joint: endoprosthesis, never a nail",
        {"fix_nail": YES, "fix_plate": {"suitable"}, "fix_endoprosthesis": WEAK},
        site="upper-limb long bone", location="proximal humerus", fracture="fractured", survival_months=24,
        worst_pain=8, histology="renal cell", joint_involved=True),
    row("R2.9 fractured acetabulum into the joint: radiation is an adjuvant, never the 'suitable' answer alone",
        {"rt_fractionated": {"suitable"}, "rt_single": {"suitable"}, **{t: YES for t in ABLATION}, "mrgfus": YES},
        site="pelvis", location="acetabulum", fracture="fractured", survival_months=12, worst_pain=9,
        histology="breast", joint_involved=True),
    row("R2.10 oligometastatic renal-cell iliac lesion, 2 cm: SBRT ranks above palliative courses; ablation offered",
        {"sbrt": WEAK, "rfa": NOT, "cryo": NOT, "rt_single": {"suitable"}, "rt_fractionated": {"suitable"}},
        site="pelvis", location="pelvis outside the acetabulum", intent="oligometastatic", histology="renal cell",
        lesion_size_cm=2, worst_pain=3, survival_months=36, ecog=0),
    row("R1.8 oligometastatic prostate vertebra: SABR suitable, conventional course never ranked above it",
        {"sbrt": WEAK, "rt_fractionated": {"suitable"}},
        site="spine", intent="oligometastatic", histology="prostate", worst_pain=4, sins_total=3,
        survival_months=60, ecog=0, lesion_size_cm=2, epidural_grade="0"),
    row("R1.6 renal-cell vertebra with 6 weeks to live: no SBRT, single fraction",
        {"sbrt": YES, "rt_single": WEAK},
        site="spine", histology="renal cell", sins_total=4, survival_months=1.5, ecog=2, worst_pain=7),
    row("R1.6 renal-cell vertebra, 6 painful sites: no SBRT",
        {"sbrt": YES},
        site="spine", histology="renal cell", painful_lesions=6, sins_total=4, survival_months=10, ecog=2),
    row("R1.7 eight painful pelvic sites: no SBRT",
        {"sbrt": YES, "rt_single": WEAK},
        site="pelvis", painful_lesions=8, worst_pain=8, histology="prostate", survival_months=8, ecog=2),
    row("R2.14 rib with 2 months to live: no SBRT",
        {"sbrt": YES},
        site="rib or other bone", location="rib", worst_pain=7, survival_months=2, ecog=2),
    row("R2.13 ethanol 2 mm from the cord: never 'suitable', same limit as thermal ablation",
        {"ethanol": {"suitable"}, "rfa": {"suitable"}, "cryo": {"suitable"}, "mwa": {"suitable"}},
        site="spine", location="vertebral body", sins_total=6, worst_pain=7, cord_distance_mm=2, lesion_type="lytic",
        prior_radiation="1 month ago or more", epidural_grade="1a"),
    row("R1.15 ethanol touching the cord (0 mm): never 'suitable'",
        {"ethanol": {"suitable"}},
        site="spine", sins_total=6, histology="renal cell", lesion_type="lytic", cord_distance_mm=0,
        location="posterior elements above L3", survival_months=24, ecog=1, worst_pain=8, epidural_grade="1b"),
    row("R1.9 grade 1c renal-cell lesion, SINS 6: surgery stays a board decision, not ruled out",
        {"spine_surgery": NOT},
        site="spine", epidural_grade="1c", histology="renal cell", sins_total=6, survival_months=24, ecog=1),
    row("R1.11 myeloma collapse with grade 1c epidural tumour: cement never 'suitable'",
        {"vertebral_augmentation": {"suitable"}},
        site="spine", fracture="fractured", sins_total=10, epidural_grade="1c", histology="myeloma",
        survival_months=36, ecog=1, worst_pain=8, lesion_type="lytic"),
    row("R1.12 mechanical pain, SINS 10, no collapse: cement considered (NOMS), not silently excluded",
        {"vertebral_augmentation": NOT},
        site="spine", sins_total=10, histology="prostate", epidural_grade="0", survival_months=24, ecog=1,
        worst_pain=8),
    row("R2.12 painful lytic vertebra, SINS 8, no collapse: cement considered",
        {"vertebral_augmentation": NOT},
        site="spine", location="vertebral body", sins_total=8, worst_pain=7, epidural_grade="0", cord_distance_mm=10,
        lesion_type="lytic"),
    row("R1.14 cauda equina compression at L3-L5: outside Patchell, surgery never 'suitable'",
        {"spine_surgery": {"suitable"} | NOT, "rt_fractionated": NOT},
        site="spine", cord_compression=True, histology="breast", location="posterior elements L3-L5", sins_total=6,
        survival_months=12, ecog=2),
    row("R1.5 renal-cell grade 2, SINS 4, 2 years: a single 8 Gy alone is never the 'suitable' answer",
        {"rt_single": {"suitable"}, "spine_surgery": WEAK},
        site="spine", epidural_grade="2", histology="renal cell", sins_total=4, survival_months=24, ecog=0,
        worst_pain=5),
    row("R1.13 myeloma grade 2, ECOG 4 from paralysis, 3 years: fractionated radiation stays suitable",
        {"rt_fractionated": WEAK, "spine_surgery": YES},
        site="spine", epidural_grade="2", cord_compression=True, histology="myeloma", sins_total=5,
        survival_months=36, ecog=4),
    row("R1 borderline: prostate grade 3 compression, ECOG 3, 3 months: surgery never 'suitable'",
        {"spine_surgery": {"suitable"}, "rt_single": NOT},
        site="spine", epidural_grade="3", cord_compression=True, histology="prostate", sins_total=8,
        survival_months=3.0, ecog=3),
    row("R2 borderline: fractured humeral shaft, 2 years: plate or nail, a prosthesis never the default",
        {"fix_endoprosthesis": {"suitable"}, "fix_plate": NOT, "fix_nail": NOT},
        site="upper-limb long bone", location="humeral diaphysis", fracture="fractured", survival_months=24),
    # --- very short prognosis and ECOG 4 --------------------------------------------------------------------------
    row("two weeks to live, painful pelvis: single fraction or supportive care only",
        {"rt_fractionated": YES, "sbrt": YES, "mrgfus": YES, "supportive_care": WEAK, "rt_single": NOT},
        site="pelvis", survival_months=0.5, ecog=3, worst_pain=8),
    row("ECOG 4 with an unstable spine (SINS 14): no operation or procedure; supportive care named",
        {"spine_surgery": YES, "vertebral_augmentation": YES, **{t: YES for t in ABLATION}, "sbrt": YES,
         "supportive_care": WEAK},
        site="spine", sins_total=14, ecog=4, survival_months=4),
    row("ECOG 4 with an impending femoral fracture: no prophylactic fixation",
        {**{t: YES for t in FIXATION}, "supportive_care": WEAK},
        site="lower-limb long bone", mirels_total=10, ecog=4, survival_months=3),
    # --- long bones: implant by location and survival -------------------------------------------------------------
    row("femoral shaft, Mirels 11, 2 years to live: the nail is the routine implant (Tanaka 2016)",
        {"fix_nail": WEAK, "mrgfus": YES, "rt_fractionated": NOT},
        site="lower-limb long bone", mirels_total=11, location="femoral diaphysis", survival_months=24),
    row("femoral shaft, Mirels 11, 3 months to live: nail",
        {"fix_nail": WEAK},
        site="lower-limb long bone", mirels_total=11, location="femoral diaphysis", survival_months=3),
    row("Mirels 7 lesion called 'impending': keeps the uncomplicated radiation path",
        {**{t: YES for t in FIXATION}, "rt_single": WEAK},
        site="lower-limb long bone", fracture="impending", mirels_total=7, survival_months=18),
    row("Mirels 8: fixation is a judgement, never 'suitable'",
        {t: {"suitable"} for t in FIXATION},
        site="lower-limb long bone", fracture="impending", mirels_total=8, survival_months=18),
    row("fractured humeral shaft, 6 months: plate or nail, not left unfixed",
        {"fix_plate": NOT, "fix_nail": NOT, **{t: YES for t in ABLATION}},
        site="upper-limb long bone", fracture="fractured", location="humeral diaphysis", survival_months=6),
    # --- focused ultrasound labelling and trial entry criteria ----------------------------------------------------
    row("MRgFUS to an L2 vertebral body: outside the labelling",
        {"mrgfus": YES},
        site="spine", location="vertebral body", sins_total=4, survival_months=12),
    row("MRgFUS to a posterior L4 lesion, 12 months, ECOG 1: inside the labelling",
        {"mrgfus": NOT | {"suitable"}},
        site="spine", location="posterior elements L3-L5", sins_total=4, survival_months=12, cord_distance_mm=15),
    row("MRgFUS for a lesion in a joint: excluded",
        {"mrgfus": YES},
        site="lower-limb long bone", location="distal femoral metaphysis", joint_involved=True, survival_months=12),
    row("MRgFUS with 2 months to live: below every trial's life expectancy",
        {"mrgfus": YES},
        site="pelvis", survival_months=2, ecog=2),
    row("MRgFUS with 4 months to live: never more than a judgement",
        {"mrgfus": {"suitable"}},
        site="pelvis", survival_months=4, ecog=1),
    # --- ablation near the cord -----------------------------------------------------------------------------------
    row("thoracic lesion 5 mm from the cord: heat ablation only with thermoprotection, never 'suitable'",
        {"rfa": {"suitable"}, "mwa": {"suitable"}, "cryo": {"suitable"}},
        site="spine", cord_distance_mm=5, sins_total=5, worst_pain=7),
    # --- oligometastatic intent -----------------------------------------------------------------------------------
    row("oligometastatic renal cell, 2-cm iliac lesion, ECOG 0: curative SBRT or ablation considered",
        {"sbrt": NOT, "rfa": NOT, "cryo": NOT, "rt_single": {"suitable"}},
        site="pelvis", intent="oligometastatic", histology="renal cell", lesion_size_cm=2, worst_pain=2,
        painful_lesions=1, survival_months=36, ecog=0),
    # specialist review of the oligometastatic path (2026-12-06): "oligometastatic" must never weaken an emergency or
    # a bone that needs fixing, and curative options need curative-intent candidates
    row("oligometastatic label with cord compression: radiation with steroids stays the suitable first step",
        {"rt_single": WEAK, "rt_fractionated": WEAK, "sbrt": YES},
        site="spine", histology="breast", cord_compression=True, epidural_grade="3", sins_total=4, worst_pain=7,
        intent="oligometastatic"),
    row("oligometastatic, broken femoral neck: replace the joint, radiation after; no SBRT or ablation to a broken bone",
        {"sbrt": YES, "rt_fractionated": WEAK, **{t: YES for t in ABLATION}, "fix_endoprosthesis": WEAK},
        site="lower-limb long bone", fracture="fractured", location="femoral head/neck", worst_pain=8,
        lesion_size_cm=2, intent="oligometastatic"),
    row("oligometastatic, impending femoral-neck fracture (unscored): no curative SBRT or stand-alone ablation",
        {"sbrt": {"suitable"}, "rfa": {"suitable"}, "cryo": {"suitable"}, "mwa": {"suitable"}},
        site="lower-limb long bone", fracture="impending", location="femoral head/neck", worst_pain=2,
        intent="oligometastatic"),
    row("'oligometastatic' at ECOG 3: not a curative candidate, palliative radiation stays suitable",
        {"sbrt": {"suitable"}, "rt_single": WEAK},
        site="pelvis", intent="oligometastatic", ecog=3, worst_pain=5),
    row("'oligometastatic' with 2 months to live: no curative ablation, palliative radiation suitable",
        {"rfa": YES, "cryo": YES, "mwa": YES, "sbrt": YES, "rt_single": WEAK},
        site="pelvis", intent="oligometastatic", survival_months=2, worst_pain=2),
    row("'oligometastatic' with 6 painful sites: outside SABR-COMET, palliative radiation suitable",
        {"sbrt": {"suitable"}, "rt_single": WEAK},
        site="pelvis", intent="oligometastatic", painful_lesions=6, worst_pain=7),
    row("oligometastatic intent but cord compression: SBRT is still not offered",
        {"sbrt": YES},
        site="spine", intent="oligometastatic", cord_compression=True, survival_months=24, ecog=1),
    # --- other everyday board questions ---------------------------------------------------------------------------
    row("four painful sites: one-target procedures capped at the worst site, not forbidden",
        {"cryo": {"suitable"} | NOT, "rfa": {"suitable"} | NOT, "rt_single": WEAK},
        site="rib or other bone", painful_lesions=4, worst_pain=7, lesion_type="mixed", survival_months=24),
    row("radiation 2 weeks ago: no repeat course yet, no focused ultrasound",
        {"rt_single": YES, "rt_fractionated": YES, "sbrt": YES, "mrgfus": YES},
        site="pelvis", prior_radiation="under 1 month ago"),
    row("SINS 12: outside SC.24, no SBRT",
        {"sbrt": YES},
        site="spine", sins_total=12, survival_months=12),
    row("uncomplicated painful pelvic metastasis: single 8 Gy is the standard, nothing to fix",
        {"rt_single": WEAK, "nonoperative": YES, **{t: YES for t in FIXATION}},
        site="pelvis", worst_pain=6, survival_months=18),
    row("renal-cell spinal metastasis without compression: stereotactic radiation never ruled out",
        {"sbrt": NOT},
        site="spine", histology="renal cell", epidural_grade="1a", sins_total=5, survival_months=18, ecog=1),
]


@pytest.mark.parametrize("patient, never", SAFETY_TABLE)
def test_verdicts_that_must_never_appear(patient, never):
    decision = assess(patient)
    for therapy, forbidden in never.items():
        verdict = decision.verdict(therapy)
        assert verdict not in forbidden, f"{therapy}: {verdict!r}\n{explain(decision, therapy)}"


def test_the_table_is_big_enough_and_covers_the_issue_list():
    assert len(SAFETY_TABLE) >= 25
    fired = {rid for p in SAFETY_TABLE for rid in D.fired_rules(p.values[0])}
    for rid in ("fracture_no_standalone_ablation", "sins_unstable", "cord_local_procedures", "very_short_prognosis",
                "ecog4_no_procedures", "noms_radiosensitive_compression", "patchell_paraplegia",
                "patchell_multiple_areas", "femoral_head_neck", "femoral_diaphysis", "postop_radiation_long_bone",
                "postop_radiation_spine", "mrgfus_spinal_location", "mrgfus_short_life_expectancy", "mrgfus_joint",
                "ablation_near_cord", "oligometastatic_sbrt", "oligometastatic_ablation", "cauda_equina_compression"):
        assert rid in fired, rid


@pytest.mark.parametrize("patient, never", SAFETY_TABLE)
def test_not_suitable_never_hides_a_missing_rule(patient, never):
    """Every verdict carries its reasons; a 'not suitable' comes from a cited limit, the site check, or says openly
    that no rule in this teaching set supports the therapy."""
    for a in assess(patient).assessments:
        assert a.reasons, a.therapy.id
        assert all(r.sources for r in a.reasons)
        if a.verdict == "not suitable":
            assert any(r.verdict == "not suitable" and (r.limits or r.rule_id == D.NO_RULE) for r in a.reasons)
            if not any(r.limits and r.rule_id != D.NO_RULE for r in a.reasons):
                assert any(r.rule_id == D.NO_RULE and "not proof" in r.text for r in a.reasons)


# A deterministic sweep: the invariants of the issue hold for every combination, not only for the rows above.
GRID = [Patient(site=site, fracture=fracture, cord_compression=cc, survival_months=months, ecog=ecog,
                painful_lesions=n, histology=hist, mirels_total=mirels if site.endswith("long bone") else None,
                sins_total=sins if site in ("spine", "sacrum") else None)
        for site, fracture, cc, months, ecog, n, hist, mirels, sins in itertools.product(
            ("spine", "sacrum", "pelvis", "lower-limb long bone", "upper-limb long bone", "rib or other bone"),
            ("none", "impending", "fractured"), (False, True), (0.5, 2.0, 4.0, 12.0), (1, 3, 4), (1, 4),
            ("breast", "myeloma", "renal cell"), (None, 7, 8, 10), (None, 5, 14))
        if cc is False or site in ("spine", "sacrum")]


def test_sweep_invariants():
    assert len(GRID) > 5000
    for p in GRID:
        v = assess(p).verdicts()
        if p.fracture == "fractured":
            assert all(v[t] == "not suitable" for t in (*ABLATION, "mrgfus")), p
        if p.compression:
            assert v["vertebral_augmentation"] == "not suitable" and v["sbrt"] != "suitable", p
            # SBRT with a compressed cord only after separation surgery (NOMS hybrid) for a radioresistant tumour
            if v["sbrt"] == "consider":
                assert p.radiosensitivity == "radioresistant" and p.survival_months >= 3 and p.ecog <= 2, p
            assert "suitable" in (v["rt_single"], v["rt_fractionated"], v["spine_surgery"]) or \
                p.survival_months < 1 or p.sins_total == 14 or p.ecog == 4, p
        if p.sins_total is not None and p.sins_total >= 13:
            assert v["vertebral_augmentation"] == "not suitable", p
        if p.survival_months < 1:
            assert v["rt_fractionated"] == "not suitable" and v["supportive_care"] == "suitable", p
        if p.ecog == 4:
            assert v["supportive_care"] == "suitable" and v["spine_surgery"] == "not suitable", p
        if p.survival_months < 3:
            assert v["mrgfus"] == "not suitable", p
        if p.radiosensitivity == "radiosensitive" and p.compression:
            assert v["spine_surgery"] != "suitable" or p.sins_total == 14, p
