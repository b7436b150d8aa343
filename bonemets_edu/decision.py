"""Choosing a local therapy: a small, transparent rule engine over cited data.

For education only — not for treatment decisions.

Everything clinical lives in ``data/choosing.toml``: the comparison table (one row per therapy, every cell with its
source keys) and the decision rules (conditions, verdicts, reasons, sources); the synthetic cases of the case
conference live in ``data/cases.toml`` (read by ``bonemets_edu.cases``). This
module only *reads* that data and applies it, so a clinician can correct a rule without touching code.

How a decision is made
----------------------
``assess(patient)`` evaluates every rule. A rule fires when all its conditions hold; it then gives one verdict to
each therapy it names — ``"suitable"``, ``"consider"`` or ``"not suitable"`` — with a reason and sources. An effect
either *supports* a therapy ("suitable", or "consider") or *limits* it ("not suitable", or "consider" marked
``caps = true``, such as "assess spinal stability before radiation"). For each therapy the engine takes the best
supporting verdict and lowers it to the most cautious limiting one (not suitable < consider < suitable), and lists
every reason, deciding ones first. An effect marked ``note = true`` is a caution (e.g. "embolise before operating on a
renal-cell metastasis") that travels with the therapy without changing its verdict. Two built-in checks come first:

* a therapy whose table row does not apply at the patient's site (e.g. a long-bone nail for a spinal metastasis)
  is "not suitable", with the row's own site note and sources;
* a therapy that no rule supports is "not suitable" *within this teaching set* — the reason says exactly that,
  because the absence of a rule is not evidence against a treatment.

The rules never claim more than their sources: a rule built on a trial's entry criteria says so in its reason.

How the rules are organised (NOMS and its long-bone equivalents)
----------------------------------------------------------------
* **Neurologic** — ``compression`` (the cord/cauda-equina flag, or a Bilsky ``epidural_grade`` of 2–3): emergency
  radiation with dexamethasone, or surgery by Patchell's real entry criteria (one area, ≥ 3 months, not
  radiosensitive, not paraplegic > 48 h, not cauda equina alone); never cement, needles or focused ultrasound alone.
* **Oncologic** — ``histology`` → ``radiosensitivity`` (a cited class per histology): radiosensitive tumours get
  radiation rather than surgery for compression; radioresistant ones get stereotactic radiation, or separation
  surgery first when the cord is compressed.
* **Mechanical** — SINS (``sins_category``) at the spine and sacrum; Mirels, fracture status and ``location``
  (femoral head/neck, trochanteric region, shaft; humeral shaft) for long bones, which pick the implant.
* **Systemic** — ``survival_months`` and ``ecog``: single fraction and best supportive care when time is about 1 month
  or less (1.0 included) or ECOG is 4 — but an ECOG of 4 caused by a paraplegia of 48 hours or less
  (``acute_deficit``) does not veto decompression; SINS 13–18 surgery is a judgement under 3 months or at ECOG 3;
  trial life-expectancy limits for focused ultrasound and SBRT (SABR-COMET: 6 months or more, 1–5 lesions);
  ``intent`` "oligometastatic" ranks SBRT above palliative courses and puts curative ablation to the board
  ("consider": a retrospective series found small size among the factors for complete treatment, without a cut-off).
* **Before an operation** — cautions (``note = true``) for embolisation of renal-cell and thyroid metastases and for
  an unnamed primary; ``diagnosis_confirmed=False`` holds fixation until the biopsy.

``compare(before, after)`` lists the verdicts that move when one feature changes, with the reasons that appeared or
disappeared (the lesson's what-if control).

>>> from bonemets_edu.decision import Patient, assess
>>> d = assess(Patient(site="pelvis", painful_lesions=1, worst_pain=6))
>>> d.verdict("rt_single")
'suitable'
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import Any

from ._validate import require_bool, require_choice, require_in_range, require_whole
from .disclaimer import SHORT
from .evidence import EvidenceError, check_sources, load_records, load_table

__all__ = [
    "DATA_FILE",
    "VERDICTS",
    "COLUMNS",
    "Patient",
    "Histology",
    "RADIOSENSITIVITY",
    "HIGH_GRADE_ESCC",
    "DERIVED_FIELDS",
    "histologies",
    "locations",
    "Cell",
    "Therapy",
    "Condition",
    "Effect",
    "Rule",
    "Reason",
    "Assessment",
    "Decision",
    "therapies",
    "rules",
    "cases",
    "patient_options",
    "assess",
    "fired_rules",
    "Change",
    "compare",
    "changed_fields",
    "all_sources",
]

DATA_FILE = "choosing.toml"
#: Verdicts from most cautious to most supportive (the engine keeps the most cautious that fired).
VERDICTS = ("not suitable", "consider", "suitable")
_RANK = {v: i for i, v in enumerate(VERDICTS)}

#: The table's columns in display order: (field name, heading).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("does", "What it does"),
    ("invasiveness", "Invasiveness"),
    ("setting", "Anaesthesia and setting"),
    ("sessions", "Sessions"),
    ("onset", "How fast pain relief comes"),
    ("best_for", "Best suited to"),
    ("not_for", "Not suited to"),
    ("risks", "Main side effects and risks"),
    ("evidence", "Key evidence"),
)

_OPS = ("==", "!=", "<", "<=", ">", ">=", "in", "not_in", "known", "unknown")


# ---------------------------------------------------------------------------------------------------- the patient


@functools.cache
def patient_options() -> Mapping[str, tuple[str, ...]]:
    """Allowed values of the patient's categorical fields (from the data file's ``[patient]`` table).

    ``"location"`` lists every location of every site; ``locations()`` gives them per site."""
    raw = load_table(DATA_FILE, "patient")
    out = {k: tuple(v) for k, v in raw.items() if isinstance(v, list)}
    out["location"] = tuple(loc for locs in locations().values() for loc in locs)
    return MappingProxyType(out)


@functools.cache
def locations() -> Mapping[str, tuple[str, ...]]:
    """The lesion locations allowed at each site (``[patient.locations]`` in the data file)."""
    raw = load_table(DATA_FILE, "patient")
    locs = raw.get("locations", {})
    if set(locs) != set(raw["sites"]):
        raise EvidenceError(f"{DATA_FILE}: [patient.locations] must list every site exactly once "
                            f"(sites: {', '.join(raw['sites'])}; got: {', '.join(locs)})")
    return MappingProxyType({k: tuple(locs[k]) for k in raw["sites"]})


@dataclass(frozen=True)
class Histology:
    """A primary tumour and its radiosensitivity class to conventional radiation, with the source of the class."""

    id: str
    radiosensitivity: str
    note: str
    sources: tuple[str, ...]
    locator: str


#: Radiosensitivity classes (to conventionally fractionated radiation), as the cited sources name them.
RADIOSENSITIVITY = ("radiosensitive", "radioresistant", "unfavourable", "not classified")


@functools.cache
def histologies() -> Mapping[str, Histology]:
    """Every allowed histology with its cited radiosensitivity class (``[[histology]]`` in the data file)."""
    recs = load_records(DATA_FILE, "histology", schema={"radiosensitivity": str, "note": str, "locator": str})
    out = {}
    for r in recs:
        where = f"{DATA_FILE}: [[histology]] {r['id']!r}"
        if r["radiosensitivity"] not in RADIOSENSITIVITY:
            raise EvidenceError(f"{where}: radiosensitivity {r['radiosensitivity']!r} must be one of "
                                f"{', '.join(RADIOSENSITIVITY)}")
        out[r["id"]] = Histology(r["id"], r["radiosensitivity"], r["note"], tuple(r.get("sources") or [r["source"]]),
                                 r["locator"])
    allowed = patient_options()["histology"]
    if set(out) != set(allowed):
        raise EvidenceError(f"{DATA_FILE}: [[histology]] records must match [patient] histology exactly "
                            f"(missing {sorted(set(allowed) - set(out))}, extra {sorted(set(out) - set(allowed))})")
    return MappingProxyType({h: out[h] for h in allowed})


#: Bilsky grades at which the cord is compressed (2: CSF still visible; 3: no CSF visible).
HIGH_GRADE_ESCC = ("2", "3")


@dataclass(frozen=True)
class Patient:
    """What the engine needs to know about one patient (all fields validated on creation).

    site : one of ``patient_options()["sites"]`` — ``"spine"``, ``"sacrum"``, ``"pelvis"``, ``"lower-limb long
        bone"``, ``"upper-limb long bone"``, ``"rib or other bone"``. The sacrum is its own site: compression there is
        cauda-equina compression, and the spinal rules (SINS, compression) apply to it.
    painful_lesions : number of painful metastases needing local treatment (whole number 0–20).
    worst_pain : worst pain at the main site on a 0–10 numerical rating scale (whole number).
    fracture : ``"none"``, ``"impending"`` or ``"fractured"`` at the main site.
    mirels_total : Mirels score 4–12 of a long-bone lesion, or ``None`` if not scored.
    sins_total : SINS 0–18 of a spinal (or sacral) lesion, or ``None`` if not scored.
    cord_compression : spinal cord or cauda equina compression, clinically and on imaging (True/False).
    survival_months : the team's estimate of expected survival, in months (0 < x ≤ 240).
    ecog : ECOG performance status 0–4.
    prior_radiation : ``"none"``, ``"under 1 month ago"`` or ``"1 month ago or more"`` (to this site).
    lesion_type : ``"lytic"``, ``"mixed"`` or ``"blastic"``.

    New in the NOMS version (defaults keep older calls valid):

    histology : the primary tumour, one of ``patient_options()["histology"]`` (default ``"other or unknown"``); its
        cited radiosensitivity class is the derived ``radiosensitivity``.
    epidural_grade : Bilsky epidural spinal cord compression grade ``"0"``, ``"1a"``, ``"1b"``, ``"1c"``, ``"2"``,
        ``"3"`` on axial T2 MRI, or ``None`` if not graded. How it relates to ``cord_compression``: grades 2 and 3
        mean the cord is compressed, so they set the derived ``compression`` even if ``cord_compression`` was left
        False (as Mirels 9+ sets ``fracture_status``); grades 0–1c mean it is not, so ``cord_compression=True`` with
        a grade of 0–1c is contradictory and raises ``ValueError``. Leave the grade unset for cauda-equina
        compression, which the Bilsky scale does not grade. Only at the spine or sacrum.
    location : where in the bone the treated lesion is, one of ``locations()[site]`` (e.g. ``"femoral head/neck"``,
        ``"posterior elements L3-L5"``), or ``None`` if not specified.
    joint_involved : the lesion involves a joint (True/False); focused-ultrasound labelling excludes joints.
    intent : ``"palliative"`` (default) or ``"oligometastatic"`` (few metastases, treated with curative intent).
    compression_areas : separate areas of spinal compression (contiguous levels count as one area; whole number
        1–10; default 1). Patchell's trial enrolled a single area.
    paraplegia_hours : hours since the patient became completely paraplegic, or ``None`` if not paraplegic.
        Patchell's trial excluded paraplegia of more than 48 hours.
    cord_distance_mm : for a spinal or sacral lesion, distance from its edge to the spinal cord or cauda equina in
        millimetres (0 = touching), or ``None`` if not measured.
    lesion_size_cm : largest diameter of the treated lesion in centimetres (0 < x ≤ 30), or ``None``.
    diagnosis_confirmed : the cancer has a tissue diagnosis that explains this lesion (default True). False for a new
        solitary or first bone lesion without one: it is worked up and biopsied before any fixation.

    Derived: ``acute_deficit`` — compression with complete paraplegia of 48 hours or less (``paraplegia_hours``
    recorded and ≤ 48), i.e. a recent neurological loss rather than frailty; an ECOG of 4 caused by it does not
    veto decompression.
    """

    site: str = "spine"
    painful_lesions: int = 1
    worst_pain: int = 6
    fracture: str = "none"
    mirels_total: int | None = None
    sins_total: int | None = None
    cord_compression: bool = False
    survival_months: float = 12.0
    ecog: int = 1
    prior_radiation: str = "none"
    lesion_type: str = "mixed"
    histology: str = "other or unknown"
    epidural_grade: str | None = None
    location: str | None = None
    joint_involved: bool = False
    intent: str = "palliative"
    compression_areas: int = 1
    paraplegia_hours: float | None = None
    cord_distance_mm: float | None = None
    lesion_size_cm: float | None = None
    diagnosis_confirmed: bool = True

    def __post_init__(self):
        opts = patient_options()
        set_ = functools.partial(object.__setattr__, self)
        set_("site", require_choice("site", self.site, opts["sites"]))
        set_("painful_lesions", require_whole("painful_lesions", self.painful_lesions, minimum=0, maximum=20,
                                              allow_array=False))
        set_("worst_pain", require_whole("worst_pain", self.worst_pain, minimum=0, maximum=10, allow_array=False))
        set_("fracture", require_choice("fracture", self.fracture, opts["fracture"]))
        if self.mirels_total is not None:
            set_("mirels_total", require_whole("mirels_total", self.mirels_total, minimum=4, maximum=12,
                                               allow_array=False))
        if self.sins_total is not None:
            set_("sins_total", require_whole("sins_total", self.sins_total, minimum=0, maximum=18, allow_array=False))
        set_("cord_compression", require_bool("cord_compression", self.cord_compression))
        set_("survival_months", require_in_range("survival_months", self.survival_months, 0, 240,
                                                 low_inclusive=False, unit="months", allow_array=False))
        set_("ecog", require_whole("ecog", self.ecog, minimum=0, maximum=4, allow_array=False))
        set_("prior_radiation", require_choice("prior_radiation", self.prior_radiation, opts["prior_radiation"]))
        set_("lesion_type", require_choice("lesion_type", self.lesion_type, opts["lesion_type"]))
        set_("histology", require_choice("histology", self.histology, opts["histology"]))
        spinal = self.site in opts["spinal_sites"]
        if self.epidural_grade is not None:
            set_("epidural_grade", require_choice("epidural_grade", self.epidural_grade, opts["epidural_grade"]))
            if not spinal:
                raise ValueError(f"epidural_grade is graded only at the spine or sacrum; got {self.epidural_grade!r} "
                                 f"with site {self.site!r} (use None)")
            if self.cord_compression and self.epidural_grade not in HIGH_GRADE_ESCC:
                raise ValueError(f"epidural_grade {self.epidural_grade!r} means the cord is not compressed (grades 2 "
                                 f"and 3 are), which contradicts cord_compression=True; use grade '2' or '3', or "
                                 f"None for cauda-equina compression")
        if self.location is not None:
            set_("location", require_choice("location", self.location, locations()[self.site]))
        set_("joint_involved", require_bool("joint_involved", self.joint_involved))
        set_("intent", require_choice("intent", self.intent, opts["intent"]))
        set_("compression_areas", require_whole("compression_areas", self.compression_areas, minimum=1, maximum=10,
                                                allow_array=False))
        if self.paraplegia_hours is not None:
            set_("paraplegia_hours", require_in_range("paraplegia_hours", self.paraplegia_hours, 0, 24 * 365,
                                                      unit="hours", allow_array=False))
        if self.cord_distance_mm is not None:
            set_("cord_distance_mm", require_in_range("cord_distance_mm", self.cord_distance_mm, 0, 200, unit="mm",
                                                      allow_array=False))
            if not spinal:
                raise ValueError(f"cord_distance_mm applies only at the spine or sacrum; got {self.cord_distance_mm!r} "
                                 f"with site {self.site!r} (use None)")
        set_("diagnosis_confirmed", require_bool("diagnosis_confirmed", self.diagnosis_confirmed))
        if self.lesion_size_cm is not None:
            set_("lesion_size_cm", require_in_range("lesion_size_cm", self.lesion_size_cm, 0, 30, low_inclusive=False,
                                                    unit="cm", allow_array=False))

    @property
    def fracture_status(self) -> str:
        """``fracture`` as the Mirels score reads it, for a bone that has not broken: a score of 9 or more counts as
        an impending fracture even when the fracture field says "none", and a score of 7 or less counts as no
        impending fracture even when it says "impending" (Mirels: such lesions can be safely irradiated), so the
        uncomplicated radiation path stays open. Mirels 8 (the disputed score) and a broken bone keep the field."""
        if self.fracture != "fractured" and self.mirels_total is not None:
            if self.mirels_total >= 9:
                return "impending"
            if self.mirels_total <= 7:
                return "none"
        return self.fracture

    @property
    def compression(self) -> bool:
        """Spinal cord or cauda-equina compression: ``cord_compression``, or a Bilsky grade of 2 or 3 (which means
        the cord is compressed even if the flag was left False)."""
        return self.cord_compression or self.epidural_grade in HIGH_GRADE_ESCC

    @property
    def acute_deficit(self) -> bool:
        """Compression with complete paraplegia for 48 hours or less: a recent neurological loss (Patchell's trial
        enrolled such patients, and the non-walking ones regained walking more often with surgery), not frailty."""
        return self.compression and self.paraplegia_hours is not None and self.paraplegia_hours <= 48

    @property
    def radiosensitivity(self) -> str:
        """The histology's class to conventional radiation (see ``histologies()`` for the source of each class)."""
        return histologies()[self.histology].radiosensitivity

    @property
    def sins_category(self) -> str:
        """SINS category: ``"not scored"``, ``"stable"`` (0–6), ``"potentially unstable"`` (7–12) or ``"unstable"``
        (13–18), as the Spine Oncology Study Group names them."""
        if self.sins_total is None:
            return "not scored"
        return "stable" if self.sins_total <= 6 else "potentially unstable" if self.sins_total <= 12 else "unstable"

    def with_(self, **changes) -> Patient:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)


#: Derived (read-only) patient fields that rules may test, with their allowed values where categorical.
DERIVED_FIELDS = ("fracture_status", "compression", "radiosensitivity", "sins_category", "acute_deficit")
_PATIENT_FIELDS = {f.name for f in fields(Patient)} | set(DERIVED_FIELDS)
_CATEGORICAL = {"site": "sites", "fracture": "fracture", "fracture_status": "fracture",
                "prior_radiation": "prior_radiation", "lesion_type": "lesion_type", "histology": "histology",
                "epidural_grade": "epidural_grade", "location": "location", "intent": "intent"}
_BOOLEAN = ("cord_compression", "compression", "joint_involved", "acute_deficit", "diagnosis_confirmed")
_FIXED_CHOICES = {"radiosensitivity": RADIOSENSITIVITY,
                  "sins_category": ("not scored", "stable", "potentially unstable", "unstable")}


# ----------------------------------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Cell:
    """One cell of the comparison table: its text, its source keys and whether it reports a gap (figure not found)."""

    text: str
    sources: tuple[str, ...]
    gap: bool = False


@dataclass(frozen=True)
class Therapy:
    id: str
    name: str
    short: str
    group: str
    order: int
    sites: tuple[str, ...]
    sites_note: Cell
    cells: Mapping[str, Cell]
    sources: tuple[str, ...]


def _cell(raw: Any, where: str) -> Cell:
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str) or not raw["text"].strip():
        raise EvidenceError(f"{where}: must be a table with a non-empty 'text' and 'sources'")
    unknown = set(raw) - {"text", "sources", "source", "gap"}
    if unknown:
        raise EvidenceError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    keys = raw.get("sources") or ([raw["source"]] if "source" in raw else [])
    if not keys:
        raise EvidenceError(f"{where}: every cell needs 'sources' (reference keys)")
    check_sources({"sources": list(keys)}, where)
    gap = raw.get("gap", False)
    if not isinstance(gap, bool):
        raise EvidenceError(f"{where}: field 'gap' must be true/false, got {gap!r}")
    return Cell(raw["text"].strip(), tuple(keys), gap)


@functools.cache
def therapies() -> tuple[Therapy, ...]:
    """The comparison table's rows, in teaching order (validated; every cell's sources resolve)."""
    schema = {"name": str, "short": str, "group": str, "order": int, "sites": list, "sites_note": dict,
              **{name: dict for name, _ in COLUMNS}}
    recs = load_records(DATA_FILE, "therapy", schema=schema)
    sites = patient_options()["sites"]
    out = []
    for r in recs:
        where = f"{DATA_FILE}: [[therapy]] {r['id']!r}"
        for s in r["sites"]:
            if s not in sites:
                raise EvidenceError(f"{where}: field 'sites' names unknown site {s!r} (allowed: {', '.join(sites)})")
        cells = {name: _cell(r[name], f"{where}.{name}") for name, _ in COLUMNS}
        out.append(Therapy(
            id=r["id"], name=r["name"], short=r["short"], group=r["group"], order=r["order"], sites=tuple(r["sites"]),
            sites_note=_cell(r["sites_note"], f"{where}.sites_note"), cells=MappingProxyType(cells),
            sources=tuple(r.get("sources") or [r["source"]]),
        ))
    return tuple(sorted(out, key=lambda t: t.order))


def _therapy_ids() -> tuple[str, ...]:
    return tuple(t.id for t in therapies())


# ----------------------------------------------------------------------------------------------------- the rules


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: Any = None

    def holds(self, patient: Patient) -> bool:
        x = getattr(patient, self.field)
        if self.op == "known":
            return x is not None
        if self.op == "unknown":
            return x is None
        if x is None:  # an unscored score or unrecorded value satisfies no comparison, but it is not an excluded value
            return self.op in ("!=", "not_in")
        v = self.value
        if self.op == "==":
            return x == v
        if self.op == "!=":
            return x != v
        if self.op == "in":
            return x in v
        if self.op == "not_in":
            return x not in v
        if self.op == "<":
            return x < v
        if self.op == "<=":
            return x <= v
        if self.op == ">":
            return x > v
        return x >= v  # ">="

    def describe(self) -> str:
        name = _FIELD_WORDS.get(self.field, self.field)
        if self.op in ("known", "unknown"):
            return f"{name} is {'recorded' if self.op == 'known' else 'not recorded'}"
        v = " or ".join(map(str, self.value)) if isinstance(self.value, (list, tuple)) else self.value
        words = {"==": "is", "!=": "is not", "in": "is", "not_in": "is not", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}
        return f"{name} {words[self.op]} {v}"


#: How a derived field reads in a rule's description.
_FIELD_WORDS = {"fracture_status": "fracture (Mirels 9 or more counts as impending, Mirels 7 or less as none)",
               "compression": "cord or cauda-equina compression (flag, or Bilsky grade 2–3)",
               "radiosensitivity": "radiosensitivity of the histology", "sins_category": "SINS category",
               "epidural_grade": "Bilsky epidural grade", "cord_distance_mm": "distance to the cord (mm)",
               "lesion_size_cm": "lesion size (cm)", "paraplegia_hours": "hours of paraplegia",
               "compression_areas": "separate areas of compression", "joint_involved": "joint involved",
               "acute_deficit": "paraplegia of 48 hours or less from compression",
               "diagnosis_confirmed": "tissue diagnosis confirmed"}


@dataclass(frozen=True)
class Effect:
    therapies: tuple[str, ...]
    verdict: str
    reason: str
    sources: tuple[str, ...]
    caps: bool = False  # a limiting effect ("not suitable" always limits)
    locator: str = ""  # where in the sources the facts of the reason are (e.g. "abstract, results")
    note: bool = False  # a caution that travels with the therapy without changing its verdict

    @property
    def limits(self) -> bool:
        return self.caps or self.verdict == "not suitable"


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    when: tuple[Condition, ...]
    effects: tuple[Effect, ...]

    def fires(self, patient: Patient) -> bool:
        return all(c.holds(patient) for c in self.when)

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(k for e in self.effects for k in e.sources))


def _condition(raw: Any, where: str) -> Condition:
    if not isinstance(raw, dict):
        raise EvidenceError(f"{where}: a condition must be a table {{ field, op, value }}")
    name, op = raw.get("field"), raw.get("op")
    if name not in _PATIENT_FIELDS:
        raise EvidenceError(f"{where}: field {name!r} is not a patient field ({', '.join(sorted(_PATIENT_FIELDS))})")
    if op not in _OPS:
        raise EvidenceError(f"{where}: op {op!r} must be one of {', '.join(_OPS)}")
    if op in ("known", "unknown"):
        return Condition(name, op)
    if "value" not in raw:
        raise EvidenceError(f"{where}: op {op!r} needs a 'value'")
    value = raw["value"]
    if op in ("in", "not_in"):
        if not isinstance(value, list) or not value:
            raise EvidenceError(f"{where}: op {op!r} needs a non-empty list as 'value'")
        value = tuple(value)
    if name in _CATEGORICAL or name in _FIXED_CHOICES:
        allowed = patient_options()[_CATEGORICAL[name]] if name in _CATEGORICAL else _FIXED_CHOICES[name]
        for v in value if isinstance(value, tuple) else (value,):
            if v not in allowed:
                raise EvidenceError(f"{where}: {v!r} is not an allowed {name} ({', '.join(allowed)})")
    elif name in _BOOLEAN:
        if not isinstance(value, bool):
            raise EvidenceError(f"{where}: {name} compares with true/false, got {value!r}")
    elif not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
                 for v in (value if isinstance(value, tuple) else (value,))):
        raise EvidenceError(f"{where}: {name} compares with numbers, got {value!r}")
    return Condition(name, op, value)


@functools.cache
def rules() -> tuple[Rule, ...]:
    """The decision rules, validated against the patient fields and the table's therapy ids."""
    recs = load_records(DATA_FILE, "rule", schema={"title": str, "when": list, "effect": list})
    ids = set(_therapy_ids())
    out = []
    for r in recs:
        where = f"{DATA_FILE}: [[rule]] {r['id']!r}"
        if not r["when"]:
            raise EvidenceError(f"{where}: 'when' needs at least one condition")
        when = tuple(_condition(c, f"{where}.when[{i}]") for i, c in enumerate(r["when"]))
        effects = []
        for i, e in enumerate(r["effect"]):
            ew = f"{where}.effect[{i}]"
            unknown = set(e) - {"therapies", "verdict", "reason", "sources", "caps", "locator", "note"}
            if unknown:
                raise EvidenceError(f"{ew}: unknown field(s) {', '.join(sorted(unknown))}")
            names = e.get("therapies")
            if not isinstance(names, list) or not names or any(t not in ids for t in names):
                raise EvidenceError(f"{ew}: 'therapies' must list therapy ids from the table; got {names!r}")
            if e.get("verdict") not in VERDICTS:
                raise EvidenceError(f"{ew}: 'verdict' must be one of {', '.join(VERDICTS)}; got {e.get('verdict')!r}")
            if not isinstance(e.get("reason"), str) or not e["reason"].strip():
                raise EvidenceError(f"{ew}: needs a non-empty 'reason'")
            if "sources" not in e:
                raise EvidenceError(f"{ew}: needs 'sources' (reference keys)")
            check_sources({"sources": e["sources"]}, ew)
            caps = e.get("caps", False)
            if not isinstance(caps, bool) or (caps and e["verdict"] != "consider"):
                raise EvidenceError(f"{ew}: 'caps' must be true/false and is only meaningful with verdict 'consider'")
            locator = e.get("locator", "")
            if not isinstance(locator, str):
                raise EvidenceError(f"{ew}: 'locator' must be a string, got {locator!r}")
            note = e.get("note", False)
            if not isinstance(note, bool) or (note and (caps or e["verdict"] != "consider")):
                raise EvidenceError(f"{ew}: 'note' must be true/false; a note (a caution that does not change the "
                                    f"verdict) takes verdict 'consider' and no 'caps'")
            effects.append(Effect(tuple(names), e["verdict"], e["reason"].strip(), tuple(e["sources"]), caps,
                                  locator.strip(), note))
        if not effects:
            raise EvidenceError(f"{where}: needs at least one [[rule.effect]]")
        out.append(Rule(r["id"], r["title"], when, tuple(effects)))
    return tuple(out)


# ----------------------------------------------------------------------------------------------------- decisions


@dataclass(frozen=True)
class Reason:
    """Why a therapy got a verdict: the rule (or built-in check), its verdict, the text and the sources."""

    rule_id: str
    title: str
    verdict: str
    text: str
    sources: tuple[str, ...]
    limits: bool = False
    locator: str = ""
    note: bool = False  # a caution that does not change the verdict (shown with the verdict it accompanies)


@dataclass(frozen=True)
class Assessment:
    therapy: Therapy
    verdict: str
    reasons: tuple[Reason, ...]

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(k for r in self.reasons for k in r.sources))


@dataclass(frozen=True)
class Decision:
    """The engine's answer for one patient: an assessment per therapy (table order) and the rules that fired."""

    patient: Patient
    assessments: tuple[Assessment, ...]
    fired: tuple[str, ...]
    disclaimer: str = field(default=SHORT)

    def get(self, therapy_id: str) -> Assessment:
        for a in self.assessments:
            if a.therapy.id == therapy_id:
                return a
        raise KeyError(f"no therapy {therapy_id!r}; ids: {', '.join(a.therapy.id for a in self.assessments)}")

    def verdict(self, therapy_id: str) -> str:
        return self.get(therapy_id).verdict

    def verdicts(self) -> dict[str, str]:
        return {a.therapy.id: a.verdict for a in self.assessments}

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(reversed(VERDICTS), 0)
        for a in self.assessments:
            out[a.verdict] += 1
        return out


SITE_RULE = "site"
NO_RULE = "no_rule"


def fired_rules(patient: Patient) -> tuple[str, ...]:
    """Ids of the rules whose conditions all hold for ``patient`` (data order)."""
    if not isinstance(patient, Patient):
        raise TypeError(f"patient must be a Patient, got {type(patient).__name__}")
    return tuple(r.id for r in rules() if r.fires(patient))


def assess(patient: Patient) -> Decision:
    """Verdicts with reasons and sources for every therapy in the table. For education only."""
    fired = fired_rules(patient)
    by_id = {r.id: r for r in rules()}
    collected: dict[str, list[Reason]] = {t.id: [] for t in therapies()}
    for rid in fired:
        rule = by_id[rid]
        for e in rule.effects:
            for tid in e.therapies:
                collected[tid].append(Reason(rid, rule.title, e.verdict, e.reason, e.sources, e.limits, e.locator,
                                             e.note))
    out = []
    for t in therapies():
        if patient.site not in t.sites:
            reason = Reason(SITE_RULE, "Site", "not suitable",
                            f"Not used at this site ({patient.site}): {t.sites_note.text}", t.sites_note.sources, True)
            out.append(Assessment(t, "not suitable", (reason,)))
            continue
        reasons = [r for r in collected[t.id] if not r.note]
        notes = [r for r in collected[t.id] if r.note]
        supports = [r for r in reasons if not r.limits]
        if not supports and not any(r.verdict == "not suitable" for r in reasons):
            reasons = reasons + [Reason(NO_RULE, "No supporting rule", "not suitable",
                                        "No rule in this teaching set supports it for these features — outside the "
                                        "evidence summarised here, not proof that it cannot help.", t.sources, True)]
        best = max((r.verdict for r in supports), key=_RANK.__getitem__, default="not suitable")
        cap = min((r.verdict for r in reasons if r.limits), key=_RANK.__getitem__, default="suitable")
        verdict = min(best, cap, key=_RANK.__getitem__)
        # the reasons that set the verdict first (limits before supports at the same level), then the cautions
        # (notes), which carry the verdict they accompany
        ordered = sorted(reasons, key=lambda r: (r.verdict != verdict, not r.limits, _RANK[r.verdict]))
        deciding = sum(r.verdict == verdict for r in ordered)
        ordered = tuple(ordered[:deciding] + [replace(r, verdict=verdict) for r in notes] + ordered[deciding:])
        out.append(Assessment(t, verdict, ordered))
    return Decision(patient, tuple(out), fired)


@dataclass(frozen=True)
class Change:
    """How one therapy's verdict moves between two patients (the what-if control).

    ``added`` are the reasons present for the second patient but not the first (the rules that started to fire),
    ``removed`` those that stopped firing; ``reasons`` are all the second patient's reasons for this therapy."""

    therapy: str
    name: str
    before: str
    after: str
    added: tuple[Reason, ...]
    removed: tuple[Reason, ...]
    reasons: tuple[Reason, ...]

    @property
    def moved(self) -> bool:
        return self.before != self.after

    def __iter__(self):  # unpacks as (therapy id, verdict before, verdict after, reasons)
        return iter((self.therapy, self.before, self.after, self.reasons))


def changed_fields(before: Patient, after: Patient) -> tuple[str, ...]:
    """Names of the patient fields that differ between two patients (field order)."""
    for name, p in (("before", before), ("after", after)):
        if not isinstance(p, Patient):
            raise TypeError(f"{name} must be a Patient, got {type(p).__name__}")
    return tuple(f.name for f in fields(Patient) if getattr(before, f.name) != getattr(after, f.name))


def compare(before: Patient, after: Patient, *, only_moved: bool = True) -> tuple[Change, ...]:
    """What changes when the patient changes: for each therapy (table order) whose verdict moves — or every therapy
    with ``only_moved=False`` — the verdict before and after, and which reasons appeared or disappeared.

    >>> a = Patient(site="pelvis", worst_pain=6)
    >>> [(c.therapy, c.before, c.after) for c in compare(a, a.with_(fracture="fractured"))][:2]
    [('rt_single', 'suitable', 'consider'), ('sbrt', 'consider', 'not suitable')]
    """
    changed_fields(before, after)  # type checks
    d0, d1 = assess(before), assess(after)
    out = []
    for a0, a1 in zip(d0.assessments, d1.assessments, strict=True):
        if only_moved and a0.verdict == a1.verdict:
            continue
        key = lambda r: (r.rule_id, r.text)  # noqa: E731
        k0, k1 = {key(r) for r in a0.reasons}, {key(r) for r in a1.reasons}
        out.append(Change(a1.therapy.id, a1.therapy.name, a0.verdict, a1.verdict,
                          tuple(r for r in a1.reasons if key(r) not in k0),
                          tuple(r for r in a0.reasons if key(r) not in k1), a1.reasons))
    return tuple(out)


# ----------------------------------------------------------------------------------------------------- the cases


def cases():
    """The synthetic cases of the case conference, validated (see ``bonemets_edu.cases``; data in ``cases.toml``)."""
    from .cases import cases as _cases

    return _cases()


def __getattr__(name):  # ``decision.Case`` stays importable (the class lives in bonemets_edu.cases)
    if name == "Case":
        from .cases import Case

        return Case
    if name in _MOVED_TO_TEXT:  # (defined at the end of the module)
        import importlib

        module, new_name = _MOVED_TO_TEXT[name]
        return getattr(importlib.import_module(f"bonemets_edu.text.{module}"), new_name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def all_sources() -> tuple[str, ...]:
    """Every reference key used by the table, the rules and the cases (sorted; for the lesson's reference list)."""
    keys = {k for t in therapies() for c in (*t.cells.values(), t.sites_note) for k in c.sources}
    keys |= {k for r in rules() for k in r.sources}
    for c in cases():
        keys |= set(c.sources) | {k for p in c.points for k in p.sources} | {k for v in c.views for k in v.sources}
    return tuple(sorted(keys))


# Text views moved to ``bonemets_edu.text`` (issue 17). A lesson a student saved before the move still calls them
# here, so the old names keep working (they are not listed in ``__all__``).
_MOVED_TO_TEXT = {"describe_rules": ("choosing", "describe_rules"), "explain": ("choosing", "explain")}
