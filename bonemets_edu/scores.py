"""Clinical scores used before bone-metastasis surgery: Mirels, SINS and the revised Tokuhashi score.

Pure functions (standard library only). Each returns a small frozen dataclass holding the points of every item, the
total, the category, a plain-language interpretation and the reference keys (``data/references.toml``) behind them,
so a widget, a table and a test all read the same object.

* ``mirels(site, pain, lesion, size_fraction)`` — impending pathological fracture of a long bone (total 4–12).
  Mirels H. Clin Orthop Relat Res 1989;(249):256-264, PMID 2684463.
* ``sins(level, pain, lesion, alignment, collapse, posterolateral)`` — Spinal Instability Neoplastic Score (0–18).
  Fisher CG et al. Spine 2010;35(22):E1221-E1229, doi:10.1097/BRS.0b013e3181e16ae2.
* ``tokuhashi_revised(performance, extraspinal_bone_foci, vertebral_metastases, visceral_metastases, primary, palsy)``
  — predicted survival with spinal metastases (0–15). Tokuhashi Y et al. Spine 2005;30(19):2186-2191.

Every text argument is matched case-insensitively (surrounding spaces ignored); anything else raises a
``ValueError`` listing the allowed values. For education only — not for treatment decisions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from ._validate import require_choice, require_in_range, require_whole

__all__ = [
    "Option",
    "Item",
    "Reading",
    "MirelsResult",
    "SinsResult",
    "TokuhashiResult",
    "MIRELS_ITEMS",
    "SINS_ITEMS",
    "TOKUHASHI_ITEMS",
    "SPINE_LEVELS",
    "SINS_LOCATION_CLASSES",
    "mirels",
    "mirels_size_points",
    "sins",
    "sins_location",
    "tokuhashi_revised",
    "tokuhashi_count_points",
    "TOKUHASHI_PRIMARY",
    "FIXATION_SITES",
    "FIXATION_STATES",
    "SURVIVAL_BANDS",
    "FIXATION_OPTIONS",
    "VERDICTS",
    "FixationAdvice",
    "fixation_options",
]

# Reference keys (resolve in data/references.toml).
MIRELS_SOURCE = "mirels1989"  # the original paper; its abstract gives ">= 8 -> fixation"
MIRELS_TABLE_SOURCES = ("roentgenrayreader2012",)  # the widely reproduced table: 8 judgement, >= 9 fixation
SINS_SOURCE = "fisher2010"
SINS_VALIDATION_SOURCE = "fourney2011"
TOKUHASHI_SOURCE = "nice2008"  # NICE CG75 appendix 3 reproduces the Tokuhashi 2005 table and bands
TOKUHASHI_LIMITS_SOURCE = "tokuhashi2014"  # review: no score exceeded 90% agreement with actual survival


@dataclass(frozen=True)
class Option:
    """One answer to a score item: the value to pass, the published wording of the criterion, its points."""

    value: str
    wording: str
    points: int


@dataclass(frozen=True)
class Item:
    """One item of a score: the argument name, its label and its options (highest points first)."""

    name: str
    label: str
    options: tuple[Option, ...]

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(o.value for o in self.options)

    def option(self, value: str) -> Option:
        canonical = require_choice(self.name, value, self.values)
        return next(o for o in self.options if o.value == canonical)


def _frozen(d: dict) -> Mapping:
    return MappingProxyType(dict(d))


# --------------------------------------------------------------------------------------------------- Mirels (1989)

MIRELS_ITEMS: tuple[Item, ...] = (
    Item(
        "site",
        "Site",
        (
            Option("upper limb", "Upper limb", 1),
            Option("lower limb", "Lower limb", 2),
            Option("peritrochanteric", "Peritrochanteric (trochanteric region of the femur)", 3),
        ),
    ),
    Item(
        "pain",
        "Pain",
        (
            Option("mild", "Mild", 1),
            Option("moderate", "Moderate", 2),
            Option("functional", "Functional (severe, or made worse by using the limb)", 3),
        ),
    ),
    Item(
        "lesion",
        "Lesion (radiographic appearance)",
        (
            Option("blastic", "Blastic", 1),
            Option("mixed", "Mixed", 2),
            Option("lytic", "Lytic", 3),
        ),
    ),
    Item(
        "size",
        "Size (fraction of the bone's diameter involved)",
        (
            Option("< 1/3", "Less than 1/3", 1),
            Option("1/3 to 2/3", "1/3 to 2/3", 2),
            Option("> 2/3", "More than 2/3", 3),
        ),
    ),
)

_MIRELS = {item.name: item for item in MIRELS_ITEMS}

# Floating-point slack so that 1/3 typed as 0.333333333333 still counts as "exactly 1/3" (the boundary is inclusive).
_SIZE_TOL = 1e-9


@dataclass(frozen=True)
class Reading:
    """How one published rule reads a total: the rule, its verdict for this total, and its source key(s)."""

    name: str
    rule: str
    verdict: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class MirelsResult:
    """A Mirels score. ``points`` maps item → points (site, pain, lesion, size); ``choices`` the canonical answers."""

    total: int
    points: Mapping[str, int]
    choices: Mapping[str, str]
    category: str  # "low" (<= 7), "borderline" (8), "high" (>= 9)
    fracture_risk: str
    recommendation: str
    interpretation: str
    readings: tuple[Reading, ...]
    sources: tuple[str, ...] = field(default=(MIRELS_SOURCE, *MIRELS_TABLE_SOURCES))


def mirels_size_points(size_fraction: float) -> int:
    """Points for the size item: fraction of the bone's diameter in (0, 1].

    < 1/3 → 1; 1/3 to 2/3 inclusive → 2; > 2/3 → 3.
    """
    x = require_in_range("size_fraction", size_fraction, 0, 1, low_inclusive=False, allow_array=False)
    if x < 1 / 3 - _SIZE_TOL:
        return 1
    if x <= 2 / 3 + _SIZE_TOL:
        return 2
    return 3


def _mirels_band(total: int) -> tuple[str, str, str]:
    """(category, fracture risk, recommendation) from the widely reproduced table (blog / MDApp)."""
    if total <= 7:
        return "low", "< 4% (0–4% within 6 months of radiotherapy)", "observation and radiotherapy"
    if total == 8:
        return "borderline", "15%", "clinical judgement: consider prophylactic fixation"
    return "high", "33% or more (sources give 33–100% or > 33%)", "prophylactic fixation recommended"


def mirels(*, site: str, pain: str, lesion: str, size_fraction: float) -> MirelsResult:
    """Mirels score for a metastasis in a long bone (total 4–12).

    Parameters
    ----------
    site : ``"upper limb"``, ``"lower limb"`` or ``"peritrochanteric"`` (1/2/3 points)
    pain : ``"mild"``, ``"moderate"`` or ``"functional"`` (1/2/3)
    lesion : ``"blastic"``, ``"mixed"`` or ``"lytic"`` (1/2/3)
    size_fraction : fraction of the bone's diameter involved, in (0, 1]; < 1/3 → 1, 1/3–2/3 inclusive → 2, > 2/3 → 3.
        (Secondary sources disagree whether the denominator is the bone diameter or the cortical thickness.)

    Both published readings of a total of 8 are returned in ``readings``: Mirels' abstract (≥ 8 → prophylactic
    fixation) and the widely reproduced table (8 → clinical judgement, ≥ 9 → fixation).
    Reference: Mirels H. Clin Orthop Relat Res 1989;(249):256-264, PMID 2684463.
    """
    choices = {
        "site": _MIRELS["site"].option(site).value,
        "pain": _MIRELS["pain"].option(pain).value,
        "lesion": _MIRELS["lesion"].option(lesion).value,
    }
    size_pts = mirels_size_points(size_fraction)
    choices["size"] = MIRELS_ITEMS[3].options[size_pts - 1].value
    points = {name: _MIRELS[name].option(choices[name]).points for name in ("site", "pain", "lesion")}
    points["size"] = size_pts
    total = sum(points.values())
    category, risk, recommendation = _mirels_band(total)
    readings = (
        Reading(
            "Mirels 1989 (original abstract)",
            "7 or lower: radiotherapy is safe; 8 or higher: prophylactic fixation",
            "prophylactic fixation" if total >= 8 else "radiotherapy without fixation",
            (MIRELS_SOURCE,),
        ),
        Reading(
            "Widely used table (calculator sites)",
            "7 or lower: observe and irradiate; 8: clinical judgement; 9 or higher: prophylactic fixation",
            {
                "low": "observation and radiotherapy",
                "borderline": "clinical judgement",
                "high": "prophylactic fixation",
            }[category],
            MIRELS_TABLE_SOURCES,
        ),
    )
    if total == 8:
        interpretation = (
            f"Mirels {total}: borderline. The two published readings disagree here — the original abstract advises "
            "prophylactic fixation, the widely used table leaves it to clinical judgement."
        )
    elif total <= 7:
        interpretation = f"Mirels {total}: low fracture risk; both readings advise radiotherapy without fixation."
    else:
        interpretation = f"Mirels {total}: high fracture risk; both readings advise prophylactic fixation."
    return MirelsResult(
        total=total,
        points=_frozen(points),
        choices=_frozen(choices),
        category=category,
        fracture_risk=risk,
        recommendation=recommendation,
        interpretation=interpretation,
        readings=readings,
    )


# ----------------------------------------------------------------------------------------------------- SINS (2010)

#: Every level the SINS location item accepts, skull to coccyx order.
SPINE_LEVELS: tuple[str, ...] = (
    ("occiput",)
    + tuple(f"C{i}" for i in range(1, 8))
    + tuple(f"T{i}" for i in range(1, 13))
    + tuple(f"L{i}" for i in range(1, 6))
    + tuple(f"S{i}" for i in range(1, 6))
)

#: Location classes with their points and the published level ranges.
SINS_LOCATION_CLASSES: Mapping[str, tuple[int, str]] = _frozen(
    {
        "junctional": (3, "Junctional (occiput–C2, C7–T2, T11–L1, L5–S1)"),
        "mobile": (2, "Mobile spine (C3–C6, L2–L4)"),
        "semi-rigid": (1, "Semi-rigid (T3–T10)"),
        "rigid": (0, "Rigid (S2–S5)"),
    }
)


def _location_class(level: str) -> str:
    if level in ("occiput", "C1", "C2", "C7", "T1", "T2", "T11", "T12", "L1", "L5", "S1"):
        return "junctional"
    if level in ("C3", "C4", "C5", "C6", "L2", "L3", "L4"):
        return "mobile"
    if level.startswith("T"):  # T3–T10 (the junctional thoracic levels are handled above)
        return "semi-rigid"
    return "rigid"  # S2–S5


_LEVEL_CLASS = {lvl: _location_class(lvl) for lvl in SPINE_LEVELS}


def sins_location(level: str) -> tuple[str, int]:
    """(location class, points) of a vertebral level, e.g. ``sins_location("T12") == ("junctional", 3)``."""
    canonical = require_choice("level", level, SPINE_LEVELS)
    cls = _LEVEL_CLASS[canonical]
    return cls, SINS_LOCATION_CLASSES[cls][0]


SINS_ITEMS: tuple[Item, ...] = (
    Item(
        "location",
        "Location",
        tuple(Option(cls, wording, pts) for cls, (pts, wording) in SINS_LOCATION_CLASSES.items()),
    ),
    Item(
        "pain",
        "Pain",
        (
            Option("mechanical", "Mechanical pain (eased by lying down and/or pain with movement or loading)", 3),
            Option("occasional", "Occasional pain, but not mechanical", 1),
            Option("none", "Pain-free lesion", 0),
        ),
    ),
    Item(
        "lesion",
        "Bone lesion",
        (
            Option("lytic", "Lytic", 2),
            Option("mixed", "Mixed (lytic/blastic)", 1),
            Option("blastic", "Blastic", 0),
        ),
    ),
    Item(
        "alignment",
        "Radiographic spinal alignment",
        (
            Option("subluxation", "Subluxation or translation present", 4),
            Option("deformity", "De novo deformity (kyphosis or scoliosis)", 2),
            Option("normal", "Normal alignment", 0),
        ),
    ),
    Item(
        "collapse",
        "Vertebral body collapse",
        (
            Option(">50%", "More than 50% collapse", 3),
            Option("<50%", "Less than 50% collapse", 2),
            Option("no collapse, >50% involved", "No collapse, but more than 50% of the body involved", 1),
            Option("none", "None of the above", 0),
        ),
    ),
    Item(
        "posterolateral",
        "Posterolateral involvement (facet, pedicle or costovertebral joint fracture or replacement by tumour)",
        (
            Option("bilateral", "Bilateral", 3),
            Option("unilateral", "Unilateral", 1),
            Option("none", "None of the above", 0),
        ),
    ),
)

_SINS = {item.name: item for item in SINS_ITEMS}


@dataclass(frozen=True)
class SinsResult:
    """A SINS. ``points`` maps item → points (location, pain, lesion, alignment, collapse, posterolateral)."""

    total: int
    points: Mapping[str, int]
    choices: Mapping[str, str]
    level: str
    location_class: str
    category: str  # "stable" (0–6), "indeterminate" (7–12), "unstable" (13–18)
    surgical_consultation: bool  # True for 7–18
    interpretation: str
    sources: tuple[str, ...] = field(default=(SINS_SOURCE, SINS_VALIDATION_SOURCE))


def _sins_category(total: int) -> str:
    if total <= 6:
        return "stable"
    if total <= 12:
        return "indeterminate"
    return "unstable"


def sins(*, level: str, pain: str, lesion: str, alignment: str, collapse: str, posterolateral: str) -> SinsResult:
    """Spinal Instability Neoplastic Score (total 0–18).

    Parameters
    ----------
    level : a vertebral level, ``"occiput"``, ``"C1"``…``"C7"``, ``"T1"``…``"T12"``, ``"L1"``…``"L5"``, ``"S1"``…``"S5"``;
        mapped to junctional (3), mobile (2), semi-rigid (1) or rigid (0).
    pain : ``"mechanical"`` (3), ``"occasional"`` (1), ``"none"`` (0)
    lesion : ``"lytic"`` (2), ``"mixed"`` (1), ``"blastic"`` (0)
    alignment : ``"subluxation"`` (4), ``"deformity"`` (2), ``"normal"`` (0)
    collapse : ``">50%"`` (3), ``"<50%"`` (2), ``"no collapse, >50% involved"`` (1), ``"none"`` (0)
    posterolateral : ``"bilateral"`` (3), ``"unilateral"`` (1), ``"none"`` (0)

    Categories: 0–6 stable, 7–12 indeterminate (possibly impending instability), 13–18 unstable; 7–18 warrant a
    surgical consultation. Reference: Fisher CG et al. Spine 2010;35(22):E1221-E1229,
    doi:10.1097/BRS.0b013e3181e16ae2.
    """
    canonical_level = require_choice("level", level, SPINE_LEVELS)
    location_class, location_points = sins_location(canonical_level)
    answers = {
        "pain": pain,
        "lesion": lesion,
        "alignment": alignment,
        "collapse": collapse,
        "posterolateral": posterolateral,
    }
    choices = {"location": location_class}
    points = {"location": location_points}
    for name, value in answers.items():
        opt = _SINS[name].option(value)
        choices[name] = opt.value
        points[name] = opt.points
    total = sum(points.values())
    category = _sins_category(total)
    consult = total >= 7
    text = {
        "stable": "stable; no surgical consultation is needed for instability alone",
        "indeterminate": "indeterminate (possibly impending) instability; ask for a surgical consultation",
        "unstable": "unstable; ask for a surgical consultation",
    }[category]
    return SinsResult(
        total=total,
        points=_frozen(points),
        choices=_frozen(choices),
        level=canonical_level,
        location_class=location_class,
        category=category,
        surgical_consultation=consult,
        interpretation=f"SINS {total}: {text}.",
    )


# ------------------------------------------------------------------------------------------ revised Tokuhashi (2005)

#: Primary sites with their points (the revised Tokuhashi table; "esophagus" is accepted as a spelling of "oesophagus").
TOKUHASHI_PRIMARY: Mapping[str, int] = _frozen(
    {
        "lung": 0,
        "osteosarcoma": 0,
        "stomach": 0,
        "bladder": 0,
        "oesophagus": 0,
        "esophagus": 0,
        "pancreas": 0,
        "liver": 1,
        "gallbladder": 1,
        "unidentified": 1,
        "other": 2,
        "kidney": 3,
        "uterus": 3,
        "rectum": 4,
        "thyroid": 5,
        "breast": 5,
        "prostate": 5,
        "carcinoid": 5,
    }
)

TOKUHASHI_ITEMS: tuple[Item, ...] = (
    Item(
        "performance",
        "General condition (performance status)",
        (
            Option("poor", "Poor (Karnofsky 10–40%)", 0),
            Option("moderate", "Moderate (Karnofsky 50–70%)", 1),
            Option("good", "Good (Karnofsky 80–100%)", 2),
        ),
    ),
    Item(
        "extraspinal_bone_foci",
        "Number of bone metastases outside the spine",
        (Option("3+", "3 or more", 0), Option("1-2", "1 to 2", 1), Option("0", "None", 2)),
    ),
    Item(
        "vertebral_metastases",
        "Number of metastases in the vertebral bodies",
        (Option("3+", "3 or more", 0), Option("2", "2", 1), Option("1", "1", 2)),
    ),
    Item(
        "visceral_metastases",
        "Metastases to the major internal organs",
        (
            Option("unremovable", "Unremovable", 0),
            Option("removable", "Removable", 1),
            Option("none", "No metastases", 2),
        ),
    ),
    Item(
        "primary",
        "Primary site of the cancer",
        (
            Option("lung", "Lung, osteosarcoma, stomach, bladder, oesophagus, pancreas", 0),
            Option("liver", "Liver, gallbladder, unidentified", 1),
            Option("other", "Others", 2),
            Option("kidney", "Kidney, uterus", 3),
            Option("rectum", "Rectum", 4),
            Option("breast", "Thyroid, breast, prostate, carcinoid tumour", 5),
        ),
    ),
    Item(
        "palsy",
        "Palsy (Frankel grade)",
        (
            Option("complete", "Complete (Frankel A, B)", 0),
            Option("incomplete", "Incomplete (Frankel C, D)", 1),
            Option("none", "None (Frankel E)", 2),
        ),
    ),
)

_TOKU = {item.name: item for item in TOKUHASHI_ITEMS}


@dataclass(frozen=True)
class TokuhashiResult:
    """A revised Tokuhashi score. ``points`` maps item → points; ``survival`` is the predicted band."""

    total: int
    points: Mapping[str, int]
    choices: Mapping[str, object]
    category: str  # "< 6 months" (0–8), ">= 6 months" (9–11), ">= 1 year" (12–15)
    survival: str
    interpretation: str
    sources: tuple[str, ...] = field(default=(TOKUHASHI_SOURCE, TOKUHASHI_LIMITS_SOURCE))


def tokuhashi_count_points(name: str, count: int) -> int:
    """Points for a lesion count. ``extraspinal_bone_foci``: ≥ 3 → 0, 1–2 → 1, 0 → 2.
    ``vertebral_metastases`` (at least 1): ≥ 3 → 0, 2 → 1, 1 → 2."""
    name = require_choice("name", name, ("extraspinal_bone_foci", "vertebral_metastases"))
    if name == "extraspinal_bone_foci":
        n = require_whole("extraspinal_bone_foci", count, minimum=0, allow_array=False)
        return 2 if n == 0 else 1 if n <= 2 else 0
    # A spinal-metastasis score: the patient has at least one vertebral metastasis.
    n = require_whole("vertebral_metastases", count, minimum=1, allow_array=False)
    return 2 if n == 1 else 1 if n == 2 else 0


def _tokuhashi_band(total: int) -> str:
    if total <= 8:
        return "< 6 months"
    if total <= 11:
        return ">= 6 months"
    return ">= 1 year"


def tokuhashi_revised(
    *,
    performance: str,
    extraspinal_bone_foci: int,
    vertebral_metastases: int,
    visceral_metastases: str,
    primary: str,
    palsy: str,
) -> TokuhashiResult:
    """Revised Tokuhashi score for predicted survival with spinal metastases (total 0–15).

    Parameters
    ----------
    performance : ``"poor"`` (Karnofsky 10–40%, 0), ``"moderate"`` (50–70%, 1), ``"good"`` (80–100%, 2)
    extraspinal_bone_foci : whole number ≥ 0 (≥ 3 → 0, 1–2 → 1, 0 → 2)
    vertebral_metastases : whole number ≥ 1 (≥ 3 → 0, 2 → 1, 1 → 2)
    visceral_metastases : ``"unremovable"`` (0), ``"removable"`` (1), ``"none"`` (2)
    primary : a site of the table (see ``TOKUHASHI_PRIMARY``), e.g. ``"lung"`` (0), ``"liver"`` (1),
        ``"other"`` (2), ``"kidney"`` (3), ``"rectum"`` (4), ``"breast"``/``"prostate"``/``"thyroid"`` (5)
    palsy : ``"complete"`` (Frankel A–B, 0), ``"incomplete"`` (Frankel C–D, 1), ``"none"`` (Frankel E, 2)

    Predicted survival: 0–8 < 6 months; 9–11 ≥ 6 months; 12–15 ≥ 1 year.
    Reference: Tokuhashi Y et al. Spine 2005;30(19):2186-2191 (table reproduced in NICE CG75, 2008, appendix 3).
    """
    choices: dict[str, object] = {}
    points: dict[str, int] = {}
    for name, value in (("performance", performance), ("visceral_metastases", visceral_metastases), ("palsy", palsy)):
        opt = _TOKU[name].option(value)
        choices[name] = opt.value
        points[name] = opt.points
    site = require_choice("primary", primary, TOKUHASHI_PRIMARY)
    choices["primary"] = "oesophagus" if site == "esophagus" else site
    points["primary"] = TOKUHASHI_PRIMARY[site]
    for name, value in (
        ("extraspinal_bone_foci", extraspinal_bone_foci),
        ("vertebral_metastases", vertebral_metastases),
    ):
        points[name] = tokuhashi_count_points(name, value)
        choices[name] = int(value)
    order = ("performance", "extraspinal_bone_foci", "vertebral_metastases", "visceral_metastases", "primary", "palsy")
    points = {k: points[k] for k in order}
    choices = {k: choices[k] for k in order}
    total = sum(points.values())
    band = _tokuhashi_band(total)
    words = {"< 6 months": "less than 6 months", ">= 6 months": "6 months or more", ">= 1 year": "1 year or more"}[band]
    return TokuhashiResult(
        total=total,
        points=_frozen(points),
        choices=_frozen(choices),
        category=band,
        survival=words,
        interpretation=f"Revised Tokuhashi {total}: predicted survival {words}.",
    )


# ------------------------------------------------------------------------------------- which fixation? (long bones)

#: Sites of the "Which fixation?" schematic, proximal to distal on the femur, then the humerus.
FIXATION_SITES: tuple[str, ...] = ("femoral neck", "trochanteric region", "femoral shaft", "humerus")
#: The state of the bone: an impending fracture (bone still intact) or an actual pathological fracture.
FIXATION_STATES: tuple[str, ...] = ("impending", "fracture")
#: Expected-survival bands of the AAOS/MSTS femur guideline (workgroup opinion).
SURVIVAL_BANDS: tuple[str, ...] = ("about 1 month", "1-6 months", "more than 6 months")
#: The options the widget weighs, in display order.
FIXATION_OPTIONS: Mapping[str, str] = _frozen(
    {
        "nail": "Intramedullary nail",
        "plate": "Plate and screws",
        "endoprosthesis": "Endoprosthesis (joint or segment replacement)",
        "cement": "Bone cement alone",
        "cast": "Cast or splint",
        "radiotherapy": "No surgery: radiotherapy and pain relief",
    }
)
#: Verdicts, strongest first.
VERDICTS: tuple[str, ...] = ("listed", "possible", "not usually", "no data")

_RULE_SCHEMA = {"option": str, "site": str, "fracture": str, "survival": str, "verdict": str, "reason": str}
_RULE_OPTIONAL = {"locator": str}
#: The AAOS/MSTS survival-band guideline is a guideline for the *femur*. For the humerus its verdicts are
#: extrapolated: a rule that does not itself name the humerus (site = "humerus") is shown as "extrapolated" and its
#: verdict is capped at "possible" (never "named by the guideline").
FEMUR_ONLY_SITES: tuple[str, ...] = ("humerus",)
EXTRAPOLATED_NOTE = "Extrapolated from the femur guideline (no humerus source cited for this verdict): "


@dataclass(frozen=True)
class FixationAdvice:
    """What the cited sources say about one option in one situation."""

    option: str
    name: str
    verdict: str  # one of VERDICTS
    reason: str
    sources: tuple[str, ...]
    extrapolated: bool = False  # True: a femur rule applied to the humerus (verdict capped at "possible")


def fixation_options(*, site: str, fracture: str, survival: str) -> tuple[FixationAdvice, ...]:
    """The options for a long-bone metastasis, each with a verdict, the reason and its sources.

    Parameters
    ----------
    site : one of ``FIXATION_SITES``
    fracture : ``"impending"`` (bone intact) or ``"fracture"`` (pathological fracture)
    survival : one of ``SURVIVAL_BANDS`` (``"about 1 month"``, ``"1-6 months"``, ``"more than 6 months"``)

    The rules live in ``data/surgery.toml`` (``[[fixation_rule]]``): for each option the first rule whose site,
    fracture state and survival match (``"any"`` matches everything) decides. They paraphrase the MSTS/ASTRO/ASCO
    femur guideline (AAOS OrthoGuidelines, workgroup opinion) and the series cited with each rule.

    That guideline covers the femur. For the humerus, a verdict from a rule that does not name the humerus itself is
    marked ``extrapolated`` and capped at ``"possible"``, and its reason says so.
    """
    from .evidence import load_records

    site = require_choice("site", site, FIXATION_SITES)
    fracture = require_choice("fracture", fracture, FIXATION_STATES)
    survival = require_choice("survival", survival, SURVIVAL_BANDS)
    rules = load_records("surgery.toml", "fixation_rule", schema=_RULE_SCHEMA, optional=_RULE_OPTIONAL)
    out = []
    for option, name in FIXATION_OPTIONS.items():
        for rule in rules:
            if rule["option"] != option:
                continue
            if all(rule[k] in ("any", v) for k, v in (("site", site), ("fracture", fracture), ("survival", survival))):
                sources = tuple(rule["sources"]) if "sources" in rule else (rule["source"],)
                verdict, reason, extrapolated = rule["verdict"], rule["reason"], False
                if site in FEMUR_ONLY_SITES and rule["site"] != site:
                    extrapolated = True
                    reason = EXTRAPOLATED_NOTE + reason
                    if verdict == "listed":
                        verdict = "possible"
                out.append(FixationAdvice(option, name, verdict, reason, sources, extrapolated))
                break
        else:  # pragma: no cover - the data test proves every combination is covered
            raise LookupError(
                f"no [[fixation_rule]] in surgery.toml covers {option!r} for {site}/{fracture}/{survival}"
            )
    return tuple(out)
