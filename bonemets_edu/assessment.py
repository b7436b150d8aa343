"""Finding and assessing bone metastases: pain response, corrected calcium, renal function and bone-drug dosing.

Pure functions over numbers (no matplotlib, no ipywidgets). Every function validates its input with
``bonemets_edu._validate`` and raises a ``ValueError``/``TypeError`` that names the parameter, the value and what is
allowed. The cited facts (rule texts, calcium bands, the zoledronic acid renal table, imaging accuracy, the
cord-compression walkthrough) live in ``data/assessment.toml`` with their sources and locators.

Functions other code relies on (names and signatures fixed by issue 16):

* :func:`pain_response` — International Consensus pain-response category after palliative radiotherapy;
  :func:`pain_response_group` — the verified grouping (responder / non-responder) that students are shown.
* :func:`corrected_calcium_mmol_l` — albumin-corrected calcium; :func:`hypercalcaemia_band` grades it.
* :func:`creatinine_clearance_ml_min` — Cockcroft–Gault.
* :func:`zoledronic_acid_dose_mg` — the label's renal dose table (``None`` where not recommended).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ._validate import require_choice, require_in_range, require_non_negative, require_whole
from .evidence import load_records

__all__ = [
    "PAIN_CATEGORIES",
    "MIN_BASELINE_WORST_PAIN",
    "PainResponse",
    "pain_response",
    "pain_response_detail",
    "pain_response_group",
    "pain_groups",
    "PAIN_GROUPS",
    "VERIFIED_PAIN_RULES",
    "corrected_calcium_mmol_l",
    "calcium_mg_dl_to_mmol_l",
    "calcium_mmol_l_to_mg_dl",
    "CalciumBand",
    "hypercalcaemia_band",
    "creatinine_umol_l_to_mg_dl",
    "creatinine_clearance_ml_min",
    "zoledronic_acid_dose_mg",
    "zoledronic_row",
    "pain_rules",
    "imaging_records",
    "triage_steps",
    "drug_facts",
    "CALCIUM_FORMULA_SOURCE",
    "COCKCROFT_GAULT_SOURCE",
    "ZOLEDRONIC_SOURCE",
    "ZOLEDRONIC_TABLE_SOURCE",
    "ZOLEDRONIC_GAP_CONVENTION",
]

DATA = "assessment.toml"

CALCIUM_FORMULA_SOURCE = "rcem_hypercalcaemia"
COCKCROFT_GAULT_SOURCE = "cockcroft1976"
ZOLEDRONIC_SOURCE = "zoledronic_label"
#: Where the renal dose table, the supplement advice and the 265 umol/L cut-off were read (label mirror pages).
ZOLEDRONIC_TABLE_SOURCE = "zometa_pi_mirror"

#: The four categories, in the order the consensus lists them (responders = the first two).
PAIN_CATEGORIES = ("complete response", "partial response", "indeterminate response", "pain progression")

#: The two groups of the consensus (Aoki 2023, abstract, [SSS]): responders = complete + partial response,
#: non-responders = pain progression + indeterminate response.
PAIN_GROUPS = ("responder", "non-responder")
PAIN_GROUP_SOURCE = "aoki2023"
#: The rules whose wording was read in a source ([SSS]); the progression rules are [UNC] and never shown to students.
VERIFIED_PAIN_RULES = ("complete", "partial_pain", "partial_drug")

#: Thresholds of the consensus definitions (2 points on the 0-10 scale; 25% of the OMED).
PAIN_CHANGE_POINTS = 2
OMED_CHANGE_FRACTION = 0.25
#: The lowest baseline worst pain the classifier accepts: an index site must be painful (course's convention: a
#: baseline of 0 or 1 leaves no room for a 2-point fall; the consensus eligibility wording was not read).
MIN_BASELINE_WORST_PAIN = 2

#: Shown beside the dose table: the label's rows are whole numbers (40-49, 30-39), so a computed clearance such as 49.5
#: sits between two rows.
ZOLEDRONIC_GAP_CONVENTION = ("The label's rows are whole numbers; a clearance between two rows (for example 49.5) "
                             "is put in the lower row: the course's convention, not the label's.")

#: mg/dL per mmol/L of calcium as the zoledronic acid label converts (12 mg/dL = 3.0 mmol/L).
CALCIUM_MG_DL_PER_MMOL_L = 4.0
#: µmol/L per mg/dL of creatinine (molar mass 113.12 g/mol; the label pairs 1.0 mg/dL with 88 µmol/L and
#: 3.0 mg/dL with 265 µmol/L).
CREATININE_UMOL_L_PER_MG_DL = 88.4


# ---------------------------------------------------------------------------------------------------- pain response


@dataclass(frozen=True)
class PainResponse:
    """A classified follow-up: the category, which rule fired (``rule_id`` of ``data/assessment.toml``), its text,
    and the changes it was computed from."""

    category: str
    rule_id: str
    rule: str
    pain_change: int
    omed_change_percent: float | None  # None when the baseline OMED is 0 (no percentage can be formed)
    source: str

    @property
    def responder(self) -> bool:
        return self.category in PAIN_CATEGORIES[:2]

    @property
    def group(self) -> str:
        """``"responder"`` or ``"non-responder"`` (the verified grouping, Aoki 2023)."""
        return PAIN_GROUPS[0] if self.responder else PAIN_GROUPS[1]

    @property
    def verified_rule_id(self) -> str:
        """The rule to show students: the fired rule if it is a verified one, else ``"non-responder"`` (the
        :func:`pain_groups` record), so that no unverified progression threshold is shown."""
        return self.rule_id if self.rule_id in VERIFIED_PAIN_RULES else PAIN_GROUPS[1]


def _pain(name: str, value, minimum: int = 0) -> int:
    """A worst-pain score: a whole number ``minimum``-10 (7.0 is accepted; 6.5 is not a point on the scale)."""
    return require_whole(name, value, minimum=minimum, maximum=10, allow_array=False)


def _omed(name: str, value) -> float:
    return float(require_non_negative(name, value, unit="mg/day", allow_array=False))


def _rose_by_fraction(before: float, after: float, fraction: float) -> bool:
    """True if ``after`` is at least ``fraction`` above ``before``. From 0 mg/day any new opioid counts as a rise of
    >= 25% (the course's convention: no percentage can be formed from 0; not from a source)."""
    return after > before and after - before >= fraction * before - 1e-12


def _fell_by_fraction(before: float, after: float, fraction: float) -> bool:
    """True if ``after`` is at least ``fraction`` below ``before`` (nothing can fall from 0)."""
    return after < before and before - after >= fraction * before - 1e-12


def pain_rules() -> dict[str, Mapping]:
    """The rule records of ``data/assessment.toml`` by id (text, category, source, locator)."""
    recs = load_records(DATA, "pain_rule", schema={"category": str, "rule": str, "locator": str})
    return {r["id"]: r for r in recs}


def pain_groups() -> dict[str, Mapping]:
    """The ``[[pain_group]]`` records of ``data/assessment.toml`` by id (``"responder"``, ``"non-responder"``): the
    label students see, the rule text, a one-line explanation, source and locator."""
    recs = load_records(DATA, "pain_group", schema={"label": str, "rule": str, "explanation": str, "locator": str})
    return {r["id"]: r for r in recs}


def pain_response_detail(
    baseline_worst_pain,
    follow_up_worst_pain,
    baseline_oral_morphine_mg_per_day,
    follow_up_oral_morphine_mg_per_day,
) -> PainResponse:
    """:func:`pain_response` with the rule that fired and the changes it used (see that function for the rules)."""
    p0 = _pain("baseline_worst_pain", baseline_worst_pain, minimum=MIN_BASELINE_WORST_PAIN)
    p1 = _pain("follow_up_worst_pain", follow_up_worst_pain)
    m0 = _omed("baseline_oral_morphine_mg_per_day", baseline_oral_morphine_mg_per_day)
    m1 = _omed("follow_up_oral_morphine_mg_per_day", follow_up_oral_morphine_mg_per_day)
    dp = p1 - p0
    omed_pct = None if m0 == 0 else 100.0 * (m1 - m0) / m0
    omed_not_up = m1 <= m0
    omed_up_25 = _rose_by_fraction(m0, m1, OMED_CHANGE_FRACTION)
    omed_down_25 = _fell_by_fraction(m0, m1, OMED_CHANGE_FRACTION)
    # "stable OMED" (course's reading; the consensus gives no number): changed by less than 25% either way.
    omed_stable = not omed_up_25 and not omed_down_25
    if p1 == 0 and omed_not_up:
        rule_id = "complete"
    elif dp <= -PAIN_CHANGE_POINTS and omed_not_up:
        rule_id = "partial_pain"
    elif omed_down_25 and dp <= 0:
        rule_id = "partial_drug"
    elif dp >= PAIN_CHANGE_POINTS and omed_stable:
        rule_id = "progression_pain"
    elif omed_up_25 and dp in (0, 1):
        rule_id = "progression_drug"
    else:
        rule_id = "indeterminate"
    rec = pain_rules()[rule_id]
    return PainResponse(rec["category"], rule_id, rec["rule"], dp, omed_pct, rec["source"])


def pain_response(
    baseline_worst_pain,
    follow_up_worst_pain,
    baseline_oral_morphine_mg_per_day,
    follow_up_oral_morphine_mg_per_day,
) -> str:
    """Pain-response category at the treated site after palliative radiotherapy (International Consensus endpoints).

    Inputs: worst pain on the 0-10 scale (whole numbers; the baseline must be 2-10, the course's convention for a
    painful index site) at baseline and at follow-up, and the total daily oral morphine-equivalent dose (OMED,
    mg/day, >= 0) at both times. Rules, applied in this order:

    * ``"complete response"`` — follow-up pain 0 and OMED not increased;
    * ``"partial response"`` — pain down by >= 2 points with OMED not increased, or OMED down by >= 25% with pain
      not increased;
    * ``"pain progression"`` — pain up by >= 2 points above baseline with a stable OMED, or OMED up by >= 25% with
      pain unchanged or 1 point above baseline. **Not verified**: this is the course's reading of the commonly quoted
      wording of the 2012 definition (no readable copy of the 2012 text was found; the rule records are marked [UNC]
      in ``data/assessment.toml``); "stable OMED" is read by the course as "changed by less than 25% either way";
    * ``"indeterminate response"`` — anything else.

    A relative OMED change needs a baseline dose: from 0 mg/day any new opioid counts as a rise of >= 25%, and no fall
    is possible (the course's convention, not from a source; it matters only to the progression rule).

    Verified ([SSS]): the complete- and partial-response rules, the four category names and the grouping responders
    = complete + partial, non-responders = progression + indeterminate. Students are shown only those: the lesson and
    the widget use :func:`pain_response_group` and :attr:`PainResponse.verified_rule_id`, never the split of the
    non-responders into progression and indeterminate.

    Sources: Chow E et al., Int J Radiat Oncol Biol Phys 2012, doi:10.1016/j.ijrobp.2011.02.008; the four
    categories and the responder grouping as used in Nakata 2018 and Aoki 2023 ([SSS]); the complete- and
    partial-response definitions as applied in Saito T et al., Adv Radiat Oncol 2019;4:706-715,
    doi:10.1016/j.adro.2019.06.003, Table 1, row Nakamura 2016 ([SSS]).
    """
    return pain_response_detail(
        baseline_worst_pain, follow_up_worst_pain, baseline_oral_morphine_mg_per_day, follow_up_oral_morphine_mg_per_day
    ).category


def pain_response_group(
    baseline_worst_pain,
    follow_up_worst_pain,
    baseline_oral_morphine_mg_per_day,
    follow_up_oral_morphine_mg_per_day,
) -> str:
    """``"responder"`` (complete or partial response) or ``"non-responder"`` (pain progression or indeterminate
    response), with the inputs and validation of :func:`pain_response`.

    Only the verified rules decide it: a responder meets the complete-response rule (follow-up pain 0, OMED not
    increased) or a partial-response rule (pain down >= 2 points with the OMED not increased, or OMED down >= 25% with
    pain not increased); everyone else is a non-responder, whichever non-responder category the unverified progression
    rule would give.

    Sources: the grouping, Aoki Y et al., Rep Pract Oncol Radiother 2023;28:506-513, abstract ([SSS]); the complete-
    and partial-response rules, Saito T et al., Adv Radiat Oncol 2019, Table 1, row Nakamura 2016 ([SSS]).
    """
    return pain_response_detail(
        baseline_worst_pain, follow_up_worst_pain, baseline_oral_morphine_mg_per_day, follow_up_oral_morphine_mg_per_day
    ).group


# ---------------------------------------------------------------------------------------------------------- calcium


def corrected_calcium_mmol_l(total_calcium_mmol_l, albumin_g_l) -> float:
    """Albumin-corrected (adjusted) serum calcium in mmol/L.

    corrected = total calcium + 0.02 x (40 - albumin), calcium in mmol/L and albumin in g/L.
    Source: RCEMLearning, "Hypercalcaemia in malignancy: calcium level"
    (https://www.rcemlearning.co.uk/modules/hypercalcemia-in-malignancy/lessons/investigations-48/topic/calcium-level/);
    the same formula is on the NICE CKS hypercalcaemia page. The zoledronic acid label uses the US-unit form
    cCa (mg/dL) = Ca (mg/dL) + 0.8 x (4.0 - albumin g/dL), which is the same formula (4.0 mg/dL per mmol/L; 10 g/L per
    g/dL). Individual albumin binding varies; an ionised calcium is better where the formula is unreliable.

    Allowed: total calcium 0.5-6.0 mmol/L; albumin 5-70 g/L (physiologically plausible laboratory values).
    """
    ca = require_in_range("total_calcium_mmol_l", total_calcium_mmol_l, 0.5, 6.0, unit="mmol/L", allow_array=False)
    alb = require_in_range("albumin_g_l", albumin_g_l, 5.0, 70.0, unit="g/L", allow_array=False)
    return float(ca + 0.02 * (40.0 - alb))


def calcium_mg_dl_to_mmol_l(calcium_mg_dl) -> float:
    """Calcium in mg/dL → mmol/L with the label's conversion (12 mg/dL = 3.0 mmol/L, i.e. divide by 4.0).

    Source: Zometa (zoledronic acid) injection label, section 1.1 (https://druginserts.com/lib/rx/meds/zometa/).
    Allowed: 2-24 mg/dL (0.5-6.0 mmol/L).
    """
    v = require_in_range("calcium_mg_dl", calcium_mg_dl, 2.0, 24.0, unit="mg/dL", allow_array=False)
    return float(v) / CALCIUM_MG_DL_PER_MMOL_L


def calcium_mmol_l_to_mg_dl(calcium_mmol_l) -> float:
    """Calcium in mmol/L → mg/dL (multiply by 4.0, the label's conversion). Allowed: 0.5-6.0 mmol/L."""
    v = require_in_range("calcium_mmol_l", calcium_mmol_l, 0.5, 6.0, unit="mmol/L", allow_array=False)
    return float(v) * CALCIUM_MG_DL_PER_MMOL_L


@dataclass(frozen=True)
class CalciumBand:
    id: str
    label: str
    advice: str
    low_mmol_l: float
    high_mmol_l: float
    source: str
    locator: str


def _calcium_bands() -> tuple[CalciumBand, ...]:
    recs = load_records(
        DATA, "calcium_band",
        schema={"label": str, "low_mmol_l": float, "high_mmol_l": float, "advice": str, "locator": str},
    )
    return tuple(
        CalciumBand(r["id"], r["label"], r["advice"], float(r["low_mmol_l"]), float(r["high_mmol_l"]), r["source"],
                    r["locator"])
        for r in recs
    )


def hypercalcaemia_band(corrected_calcium_mmol_l) -> CalciumBand:  # noqa: F811 - the parameter shadows the function
    """Severity band of an albumin-corrected calcium (mmol/L).

    Bands (Walsh J et al., Society for Endocrinology emergency guidance, Endocr Connect 2016;5(5):G9-G11,
    doi:10.1530/EC-16-0055, "Severity of hypercalcaemia"): < 3.0 often asymptomatic, no urgent correction usually;
    3.0-3.5 prompt treatment usually indicated (both ends included); > 3.5 urgent correction. Below that, the UK
    palliative reference range 2.12-2.62 mmol/L separates normal from low and from raised-but-below-3.0 values
    (a value of exactly 2.62 is within the range; 2.12 is within the range).
    Allowed: 0.5-6.0 mmol/L.
    """
    v = require_in_range("corrected_calcium_mmol_l", corrected_calcium_mmol_l, 0.5, 6.0, unit="mmol/L",
                         allow_array=False)
    bands = {b.id: b for b in _calcium_bands()}
    if v < bands["reference"].low_mmol_l:
        return bands["below_reference"]
    if v <= bands["reference"].high_mmol_l:
        return bands["reference"]
    if v < bands["moderate"].low_mmol_l:
        return bands["mild"]
    if v <= bands["moderate"].high_mmol_l:
        return bands["moderate"]
    return bands["severe"]


# ------------------------------------------------------------------------------------------------- renal function


def creatinine_umol_l_to_mg_dl(serum_creatinine_umol_l) -> float:
    """Serum creatinine µmol/L → mg/dL (divide by 88.4). Allowed: 10-2000 µmol/L."""
    v = require_in_range("serum_creatinine_umol_l", serum_creatinine_umol_l, 10.0, 2000.0, unit="umol/L",
                         allow_array=False)
    return float(v) / CREATININE_UMOL_L_PER_MG_DL


def creatinine_clearance_ml_min(age_years, weight_kg, serum_creatinine_umol_l, sex) -> float:
    """Creatinine clearance (mL/min) by the Cockcroft–Gault formula.

    CrCl = (140 - age) x weight (kg) / (72 x serum creatinine in mg/dL), x 0.85 for women ("15% less in females");
    serum creatinine in µmol/L is divided by 88.4 to give mg/dL.
    Source: Cockcroft DW, Gault MH. Prediction of creatinine clearance from serum creatinine. Nephron 1976;16:31-41,
    doi:10.1159/000180580, PMID 1244564 (abstract). The formula was derived in adults aged 18-92.

    Allowed: age 18-120 years; weight 20-300 kg; serum creatinine 10-2000 µmol/L; sex "female" or "male".
    """
    age = require_in_range("age_years", age_years, 18, 120, unit="years", allow_array=False)
    weight = require_in_range("weight_kg", weight_kg, 20, 300, unit="kg", allow_array=False)
    scr_mg_dl = creatinine_umol_l_to_mg_dl(serum_creatinine_umol_l)
    sex = require_choice("sex", sex, ("female", "male"))
    crcl = (140.0 - age) * weight / (72.0 * scr_mg_dl)
    return float(crcl * (0.85 if sex == "female" else 1.0))


def _zoledronic_rows() -> tuple[Mapping, ...]:
    recs = load_records(
        DATA, "zoledronic_row",
        schema={"low_ml_min": float, "low_inclusive": bool, "dose_mg": float, "label": str, "locator": str},
    )
    return tuple(sorted(recs, key=lambda r: -r["low_ml_min"]))


def zoledronic_row(creatinine_clearance_ml_min) -> Mapping | None:  # noqa: F811
    """The label's table row for a creatinine clearance (``None`` below 30 mL/min: not recommended)."""
    crcl = require_non_negative("creatinine_clearance_ml_min", creatinine_clearance_ml_min, unit="mL/min",
                                allow_array=False)
    for row in _zoledronic_rows():
        low = row["low_ml_min"]
        if crcl > low or (row["low_inclusive"] and crcl == low):
            return row
    return None


def zoledronic_acid_dose_mg(creatinine_clearance_ml_min) -> float | None:
    """Zoledronic acid dose (mg) for bone metastases or myeloma from the baseline creatinine clearance (mL/min).

    Label renal table (Cockcroft–Gault CrCl): > 60 → 4.0 mg; 50-60 → 3.5 mg; 40-49 → 3.3 mg; 30-39 → 3.0 mg;
    < 30 → not recommended (returns ``None``). The label lists whole numbers; a clearance between two rows (49.5)
    falls in the lower row (the 3.3 mg row runs from 40 up to, not including, 50): the course's convention, not in
    the label (:data:`ZOLEDRONIC_GAP_CONVENTION`).
    Source: Zometa US prescribing information, Dosage and Administration, Table 1, and EU SmPC section 4.2
    (table read on label mirrors: https://www.120ty.net/bencandy.php?aid=2333&fid=134&page=2, aid 2329 for the SmPC). This table is for bone
    metastases and myeloma, not for hypercalcaemia of malignancy.

    Allowed: a finite number >= 0 mL/min.
    """
    row = zoledronic_row(creatinine_clearance_ml_min)
    return None if row is None else float(row["dose_mg"])


# ----------------------------------------------------------------------------------------------- cited records


def imaging_records() -> tuple[Mapping, ...]:
    """The imaging comparator's records (what each test shows and misses; pooled accuracy with 95% CIs)."""
    return load_records(
        DATA, "imaging",
        schema={"name": str, "shows": str, "misses": str, "has_accuracy": bool, "population": str, "locator": str},
        optional={"sensitivity": float, "specificity": float, "sensitivity_low": float, "sensitivity_high": float,
                  "specificity_low": float, "specificity_high": float, "has_ci": bool},
    )


def triage_steps() -> tuple[Mapping, ...]:
    """The cord-compression walkthrough, one decision per step, with feedback for every option."""
    recs = load_records(
        DATA, "triage_step",
        schema={"title": str, "situation": str, "question": str, "options": list, "correct": int, "feedbacks": list,
                "locator": str},
    )
    for r in recs:
        if len(r["options"]) != len(r["feedbacks"]) or not 0 <= r["correct"] < len(r["options"]):
            raise ValueError(f"assessment.toml: triage step {r['id']!r} needs one feedback per option and a valid "
                             f"'correct' index, got {len(r['options'])} options, {len(r['feedbacks'])} feedbacks")
    return recs


def drug_facts(drug: str | None = None) -> tuple[Mapping, ...]:
    """Bone-drug facts (zoledronic acid, denosumab) with sources; ``drug`` filters by the record's drug."""
    recs = load_records(DATA, "drug_fact", schema={"drug": str, "text": str, "locator": str})
    return tuple(r for r in recs if drug is None or r["drug"] == drug)

