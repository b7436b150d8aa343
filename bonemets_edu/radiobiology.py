"""Radiobiology of fractionated radiotherapy: the linear-quadratic (LQ) model, BED, EQD2 and isoeffect doses.

Pure functions over floats and numpy arrays (numpy only; no plotting, no widgets). Every function accepts scalars or
arrays (broadcast together) and returns a float for scalar input, an array otherwise.

Symbols: total dose ``D`` (Gy) given in ``n`` equal fractions of ``d = D / n`` Gy; the tissue's ``alpha/beta`` (Gy).

* Surviving fraction after the course (E1): ``S = exp(-n (alpha d + beta d^2)) = exp(-alpha * BED)`` (``survival_by_fraction``, fraction by fraction).
* Biologically effective dose (E2): ``BED = D (1 + d / (alpha/beta))``.
* Equivalent dose in 2-Gy fractions (E3): ``EQD2 = BED / (1 + 2 / (alpha/beta)) = D (d + alpha/beta) / (2 + alpha/beta)``.
* Isoeffect conversion (E4): the total dose ``D_n`` in ``n`` fractions with the same BED as a reference schedule solves
  ``D_n (1 + D_n / (n alpha/beta)) = BED_ref``, i.e. ``D_n = (n a/b / 2) (sqrt(1 + 4 BED_ref / (n a/b)) - 1)``.

Formulas: Fowler JF, Br J Radiol 1989;62:679-694, doi:10.1259/0007-1285-62-740-679 (equations as given in the course's
models reference, section 1.1). Overall treatment time (repopulation) is ignored: every palliative bone schedule in the
course lasts two weeks or less.

Validity: the LQ model is well validated for doses per fraction up to about 10 Gy and, in Brenner's view, reasonable
up to about 18 Gy (Brenner DJ, Semin Radiat Oncol 2008;18:234-239, PMC2750078); Kirkpatrick et al. argue that at
radiosurgical doses it often underestimates tumour control (Semin Radiat Oncol 2008;18:240-243,
doi:10.1016/j.semradonc.2008.04.005). :func:`lq_validity` turns these two statements into a three-level flag, and
reports beside it the stricter view of the French SFJRO isoeffect calculator, which accepts the model only for 1-6 Gy
per fraction and not for hypofractionated regimens (http://www.sfjro.fr/ilq/en/modelelq.html).

For education only — not for treatment planning.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import require_positive, require_whole

__all__ = [
    "WELL_VALIDATED_MAX_GY",
    "REASONABLE_MAX_GY",
    "STRICT_MIN_GY",
    "STRICT_MAX_GY",
    "FIELD_SITES",
    "side_effects_for",
    "retreatment_advice",
    "LQValidity",
    "ScheduleResult",
    "bed",
    "eqd2",
    "isoeffective_total_dose",
    "survival_by_fraction",
    "lq_validity",
    "schedule_result",
]

#: Dose per fraction (Gy) up to which the LQ model is "reasonably well validated, experimentally and theoretically"
#: (Brenner 2008). Beyond it the course shows a caution.
WELL_VALIDATED_MAX_GY = 10.0
#: Dose per fraction (Gy) up to which Brenner (2008) considers LQ "reasonable for use"; beyond it the course shows that
#: the number lies outside the range even the model's defenders accept.
REASONABLE_MAX_GY = 18.0

VALIDITY_SOURCES = ("brenner2008", "kirkpatrick2008")

#: The stricter view: the SFJRO isoeffect calculator accepts the LQ model only for doses per fraction from 1 to 6 Gy
#: ("should not be used for hypofractionated regimen"). Shown beside the Brenner/Kirkpatrick flag, not instead of it.
STRICT_MIN_GY = 1.0
STRICT_MAX_GY = 6.0
STRICT_SOURCE = "sfjro_lq"


def _out(x):
    """A float for 0-d results, the array otherwise."""
    arr = np.asarray(x, dtype=float)
    return float(arr) if arr.ndim == 0 else arr


def _check(total_dose_gy, fractions, alpha_beta_gy):
    D = require_positive("total_dose_gy", total_dose_gy, unit="Gy")
    n = require_whole("fractions", fractions, minimum=1)
    ab = require_positive("alpha_beta_gy", alpha_beta_gy, unit="Gy")
    return np.asarray(D, dtype=float), np.asarray(n, dtype=float), np.asarray(ab, dtype=float)


def bed(total_dose_gy, fractions, alpha_beta_gy):
    """Biologically effective dose (Gy): ``BED = D (1 + d / (alpha/beta))`` with ``d = D / n``.

    >>> bed(30, 10, 10)   # 30 Gy in 10 fractions, tumour alpha/beta 10 Gy -> 39 Gy10
    39.0
    """
    D, n, ab = _check(total_dose_gy, fractions, alpha_beta_gy)
    d = D / n
    return _out(D * (1.0 + d / ab))


def eqd2(total_dose_gy, fractions, alpha_beta_gy):
    """Equivalent total dose in 2-Gy fractions (Gy): ``EQD2 = D (d + alpha/beta) / (2 + alpha/beta)``.

    >>> eqd2(30, 5, 10)
    40.0
    """
    D, n, ab = _check(total_dose_gy, fractions, alpha_beta_gy)
    d = D / n
    return _out(D * (d + ab) / (2.0 + ab))


def isoeffective_total_dose(reference_total_dose_gy, reference_fractions, fractions, alpha_beta_gy):
    """Total dose (Gy) in ``fractions`` equal fractions with the same BED as the reference schedule.

    Solves ``D (1 + D / (n alpha/beta)) = BED_ref`` for the positive root. Example: 30 Gy in 10 fractions matched in
    a single fraction needs about 15.4 Gy for a tumour (alpha/beta 10 Gy) but about 12.0 Gy for late-responding
    tissue (alpha/beta 3 Gy).
    """
    D_ref = require_positive("reference_total_dose_gy", reference_total_dose_gy, unit="Gy")
    n_ref = require_whole("reference_fractions", reference_fractions, minimum=1)
    n = np.asarray(require_whole("fractions", fractions, minimum=1), dtype=float)
    ab = np.asarray(require_positive("alpha_beta_gy", alpha_beta_gy, unit="Gy"), dtype=float)
    bed_ref = bed(D_ref, n_ref, ab)
    k = n * ab
    return _out(0.5 * k * (np.sqrt(1.0 + 4.0 * np.asarray(bed_ref) / k) - 1.0))


def survival_by_fraction(total_dose_gy, fractions, alpha_per_gy, alpha_beta_gy):
    """Surviving fraction after 0, 1, …, n fractions of one schedule (scalars only; returns an array of n + 1).

    Each fraction multiplies survival by ``exp(-(alpha d + beta d^2))`` (full repair between fractions assumed).
    """
    D = require_positive("total_dose_gy", total_dose_gy, unit="Gy", allow_array=False)
    n = require_whole("fractions", fractions, minimum=1, allow_array=False)
    a = require_positive("alpha_per_gy", alpha_per_gy, unit="per Gy", allow_array=False)
    ab = require_positive("alpha_beta_gy", alpha_beta_gy, unit="Gy", allow_array=False)
    d = D / n
    per_fraction_log_kill = a * d * (1.0 + d / ab)
    return np.exp(-per_fraction_log_kill * np.arange(n + 1, dtype=float))


@dataclass(frozen=True)
class LQValidity:
    """Where a dose per fraction stands relative to the range in which the LQ model is trusted.

    ``level`` is ``"within"`` (d <= 10 Gy), ``"caution"`` (10 < d <= 18 Gy) or ``"beyond"`` (d > 18 Gy).
    ``strict_within`` is the stricter SFJRO view (1 <= d <= 6 Gy), with its own ``strict_message``.
    """

    dose_per_fraction_gy: float
    level: str
    message: str
    sources: tuple[str, ...] = VALIDITY_SOURCES
    strict_within: bool = True
    strict_message: str = ""
    strict_source: str = STRICT_SOURCE

    @property
    def flagged(self) -> bool:
        return self.level != "within"


def lq_validity(dose_per_fraction_gy) -> LQValidity:
    """Flag a dose per fraction beyond the range where the LQ model is well validated.

    Thresholds and why: 10 Gy per fraction is the upper end of the range Brenner (2008) calls "reasonably well
    validated, experimentally and theoretically"; 18 Gy is the most he considers "reasonable". Kirkpatrick et al.
    (2008) hold that at radiosurgical doses LQ often underestimates tumour control, so numbers above 10 Gy per
    fraction are shown with a caution and above 18 Gy as outside even the permissive range. (A stricter view, the
    SFJRO isoeffect calculator, limits LQ to 1-6 Gy per fraction.)
    """
    d = require_positive("dose_per_fraction_gy", dose_per_fraction_gy, unit="Gy", allow_array=False)
    strict = STRICT_MIN_GY <= d <= STRICT_MAX_GY
    if strict:
        strict_msg = (f"Stricter view (SFJRO): {d:g} Gy per fraction is inside its {STRICT_MIN_GY:g}-{STRICT_MAX_GY:g} Gy "
                      "range for the LQ model.")
    else:
        strict_msg = (f"Stricter view (SFJRO): {d:g} Gy per fraction is outside its {STRICT_MIN_GY:g}-{STRICT_MAX_GY:g} Gy "
                      "range; it would not use the LQ model here at all (not for hypofractionated regimens).")
    extra = {"strict_within": strict, "strict_message": strict_msg}
    if d <= WELL_VALIDATED_MAX_GY:
        return LQValidity(d, "within", f"{d:g} Gy per fraction is within the range where the LQ model is well validated (up to about {WELL_VALIDATED_MAX_GY:g} Gy).", **extra)
    if d <= REASONABLE_MAX_GY:
        return LQValidity(
            d,
            "caution",
            f"{d:g} Gy per fraction is above the well-validated range of the LQ model (about {WELL_VALIDATED_MAX_GY:g} Gy); "
            f"some consider it reasonable up to about {REASONABLE_MAX_GY:g} Gy, others that at such radiosurgical doses it often underestimates the tumour control actually seen.",
            **extra,
        )
    return LQValidity(
        d,
        "beyond",
        f"{d:g} Gy per fraction is beyond even the permissive limit of about {REASONABLE_MAX_GY:g} Gy per fraction; "
        "treat the LQ numbers as a rough guide only.",
        **extra,
    )


@dataclass(frozen=True)
class ScheduleResult:
    """Everything the course shows about one schedule for one tissue."""

    total_dose_gy: float
    fractions: int
    alpha_beta_gy: float
    dose_per_fraction_gy: float
    bed_gy: float
    eqd2_gy: float
    visits: int
    validity: LQValidity


def schedule_result(total_dose_gy, fractions, alpha_beta_gy) -> ScheduleResult:
    """BED, EQD2, dose per fraction, number of treatment visits (one per fraction) and the LQ-validity flag."""
    D = require_positive("total_dose_gy", total_dose_gy, unit="Gy", allow_array=False)
    n = require_whole("fractions", fractions, minimum=1, allow_array=False)
    ab = require_positive("alpha_beta_gy", alpha_beta_gy, unit="Gy", allow_array=False)
    d = D / n
    return ScheduleResult(
        total_dose_gy=D,
        fractions=n,
        alpha_beta_gy=ab,
        dose_per_fraction_gy=d,
        bed_gy=bed(D, n, ab),
        eqd2_gy=eqd2(D, n, ab),
        visits=n,
        validity=lq_validity(d),
    )


# ------------------------------------------------------------------------------------------------ course data access
# The cited records in ``data/radiation.toml`` (schedules, tissues, trial results, side effects). Loaded lazily and
# validated by ``bonemets_edu.evidence`` (every source key must resolve); the model functions above never need them.

DATA_FILE = "radiation.toml"
SCHEDULE_KINDS = ("conv_single", "conv_multi", "sbrt")
KIND_LABELS = {
    "conv_single": "conventional single fraction",
    "conv_multi": "conventional multiple fractions",
    "sbrt": "stereotactic body radiotherapy (SBRT)",
}
RESULT_CATEGORIES = ("response", "retreatment", "toxicity")
_CONFIDENCE = ("SIS", "SSS")

#: The treated fields the side-effects view distinguishes (id -> label, and whether the stomach or bowel lies in the
#: beam). Site-specific records list in ``fields`` the field ids their rate belongs to; a record without ``fields``
#: applies to every field.
FIELD_SITES = {
    "spine": ("Spine, neck or upper chest level", False),
    "abdomen": ("Lower chest or lumbar spine, upper abdomen (stomach or bowel in the field)", True),
    "pelvis": ("Pelvis (bowel in the field)", True),
    "other": ("Limb, rib or other bone (no stomach or bowel in the field)", False),
}

_SCHEMAS = {
    "tissue": ({"label": str, "alpha_beta_gy": float, "confidence": str}, {"convention_note": str, "locator": str}),
    "schedule": (
        {"label": str, "total_dose_gy": float, "fractions": int, "kind": str, "settings": list, "confidence": str},
        {"locator": str},
    ),
    "result": (
        {"trial": str, "design": str, "setting": str, "outcome": str, "category": str, "compares": list,
         "arm_a": str, "confidence": str},
        {"arm_b": str, "value_a": float, "value_b": float, "n_a": int, "n_b": int, "n_total": int, "events_a": int,
         "events_b": int, "statistic": str, "finding": str, "locator": str},
    ),
    "side_effect": (
        {"name": str, "group": str, "applies_to": list, "timing": str, "confidence": str},
        {"rate_pct": float, "rate_low_pct": float, "rate_high_pct": float, "n": int, "events": int,
         "day_start": float, "day_end": float, "management": str, "site": str, "fields": list, "locator": str},
    ),
    "retreatment": ({"situation": str, "advice": str}, {"locator": str}),
}


def _records(table: str):
    from .evidence import EvidenceError, load_records

    schema, optional = _SCHEMAS[table]
    recs = load_records(DATA_FILE, table, schema, optional)
    for r in recs:
        where = f"{DATA_FILE}: [[{table}]] record {r['id']!r}"
        if table == "retreatment":
            continue
        if r["confidence"] not in _CONFIDENCE:
            raise EvidenceError(f"{where}: field 'confidence' must be one of {', '.join(_CONFIDENCE)}, got {r['confidence']!r}")
        for field_name in ("kind",):
            if field_name in r and r[field_name] not in SCHEDULE_KINDS:
                raise EvidenceError(f"{where}: field 'kind' must be one of {', '.join(SCHEDULE_KINDS)}, got {r['kind']!r}")
        for field_name in ("compares", "applies_to"):
            if field_name in r and (not r[field_name] or not set(r[field_name]) <= set(SCHEDULE_KINDS)):
                raise EvidenceError(f"{where}: field {field_name!r} must list kinds from {', '.join(SCHEDULE_KINDS)}, got {r[field_name]!r}")
        if "fields" in r and (not r["fields"] or not set(r["fields"]) <= set(FIELD_SITES)):
            raise EvidenceError(f"{where}: field 'fields' must list treated fields from {', '.join(FIELD_SITES)}, got {r['fields']!r}")
        if "category" in r and r["category"] not in RESULT_CATEGORIES:
            raise EvidenceError(f"{where}: field 'category' must be one of {', '.join(RESULT_CATEGORIES)}, got {r['category']!r}")
        for field_name in ("value_a", "value_b", "rate_pct", "rate_low_pct", "rate_high_pct"):
            if field_name in r and not 0 <= r[field_name] <= 100:
                raise EvidenceError(f"{where}: field {field_name!r} is a percentage and must be in [0, 100], got {r[field_name]!r}")
        if table == "schedule" and (r["fractions"] < 1 or r["total_dose_gy"] <= 0):
            raise EvidenceError(f"{where}: needs total_dose_gy > 0 and fractions >= 1")
        if table == "tissue" and r["alpha_beta_gy"] <= 0:
            raise EvidenceError(f"{where}: field 'alpha_beta_gy' must be > 0")
    return recs


def tissues():
    """Tissue records (id, label, alpha_beta_gy, source…)."""
    return _records("tissue")


def schedules():
    """Named schedule records (guideline and trial schedules)."""
    return _records("schedule")


def trial_results():
    """Trial-result records, one per reported comparison."""
    return _records("result")


def side_effects():
    """Side-effect records (rate, timing window, management) with their sources."""
    return _records("side_effect")


def side_effects_for(kind: str, site: str) -> list:
    """The side-effect records that apply to a kind of schedule given to a treated field (file order).

    A record with ``fields`` applies only to those fields: nausea at the published 61 % belongs to fields that include
    the stomach or bowel (Spencer 2018, Table 2, row 'Bowel or stomach'), not to a limb or a rib.
    """
    from ._validate import require_choice

    kind = require_choice("kind", kind, SCHEDULE_KINDS)
    site = require_choice("site", site, tuple(FIELD_SITES))
    return [r for r in side_effects() if kind in r["applies_to"] and ("fields" not in r or site in r["fields"])]


def retreatment_advice():
    """When to give radiotherapy again, and when not to wait (records with situation, advice and sources).

    The one-month rule (ASTRO 2017) is for the same pain persisting or returning; new neurological symptoms or new
    mechanical pain mean urgent assessment and imaging, not waiting.
    """
    return _records("retreatment")


def illustrative_alpha():
    """``(alpha_per_gy, source_key)``: the illustrative absolute alpha used only to draw survival curves."""
    from .evidence import load_table

    model = load_table(DATA_FILE, "model")
    return float(require_positive("illustrative_alpha_per_gy", model["illustrative_alpha_per_gy"])), model["source"]


def evidence_for(kinds):
    """Trial results whose compared schedule kinds are all among ``kinds`` (e.g. ``{"conv_single", "conv_multi"}``).

    Ordered response, retreatment, toxicity; within a category, in file order.
    """
    from ._validate import require_choice

    chosen = {require_choice("kinds", k, SCHEDULE_KINDS) for k in kinds}
    hits = [r for r in trial_results() if set(r["compares"]) <= chosen]
    return sorted(hits, key=lambda r: RESULT_CATEGORIES.index(r["category"]))


# Text views moved to ``bonemets_edu.text`` (issue 17). A lesson a student saved before the move still calls them
# here, so the old names keep working (they are not listed in ``__all__``).
_MOVED_TO_TEXT = {"schedule_table": ("radiation", "schedule_table"), "retreatment_markdown": ("radiation", "retreatment_markdown")}


def __getattr__(name):
    if name in _MOVED_TO_TEXT:
        import importlib

        module, new_name = _MOVED_TO_TEXT[name]
        return getattr(importlib.import_module(f"bonemets_edu.text.{module}"), new_name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
