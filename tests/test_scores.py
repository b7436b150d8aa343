"""Mirels, SINS and revised Tokuhashi: published tables, every category boundary, every level, every bad input."""

from __future__ import annotations

import dataclasses
import itertools
import math
from fractions import Fraction

import pytest
from badinput import check_bad_inputs

from bonemets_edu import scores
from bonemets_edu.scores import mirels, sins, tokuhashi_revised

# ----------------------------------------------------------------------------------------------------------- Mirels

MIRELS_MIN = dict(site="upper limb", pain="mild", lesion="blastic", size_fraction=0.1)
MIRELS_MAX = dict(site="peritrochanteric", pain="functional", lesion="lytic", size_fraction=0.9)


def test_mirels_minimum_and_maximum_totals():
    # Radiopaedia / models.md §7.2: range 4-12.
    lo, hi = mirels(**MIRELS_MIN), mirels(**MIRELS_MAX)
    assert lo.total == 4 and dict(lo.points) == {"site": 1, "pain": 1, "lesion": 1, "size": 1}
    assert hi.total == 12 and dict(hi.points) == {"site": 3, "pain": 3, "lesion": 3, "size": 3}
    assert lo.category == "low" and hi.category == "high"


@pytest.mark.parametrize(
    "fraction, points",
    [
        (0.01, 1),
        (0.333, 1),  # just below 1/3
        (1 / 3, 2),  # exactly 1/3: "1/3 to 2/3" is inclusive
        (Fraction(1, 3), 2),
        (0.3333333333333333, 2),
        (0.5, 2),
        (2 / 3, 2),  # exactly 2/3: still 2 points
        (Fraction(2, 3), 2),
        (0.667, 3),  # just above 2/3
        (1, 3),
        (1.0, 3),
    ],
)
def test_mirels_size_boundaries(fraction, points):
    assert scores.mirels_size_points(fraction) == points
    r = mirels(site="upper limb", pain="mild", lesion="blastic", size_fraction=fraction)
    assert r.points["size"] == points and r.total == 3 + points


def test_mirels_boundary_7_low_risk_both_readings_irradiate():
    r = mirels(site="lower limb", pain="moderate", lesion="blastic", size_fraction=0.5)  # 2+2+1+2
    assert r.total == 7
    assert r.category == "low"
    assert r.fracture_risk.startswith("< 4%")
    assert r.recommendation == "observation and radiotherapy"
    abstract, table = r.readings
    assert abstract.verdict == "radiotherapy without fixation"
    assert table.verdict == "observation and radiotherapy"


def test_mirels_boundary_8_two_published_readings_disagree():
    # Ramsey 2020: peritrochanteric + lytic with the other items minimal reaches a minimum of 8.
    r = mirels(site="peritrochanteric", pain="mild", lesion="lytic", size_fraction=0.2)
    assert r.total == 8
    assert r.category == "borderline"
    assert r.fracture_risk == "15%"
    assert "clinical judgement" in r.recommendation
    abstract, table = r.readings
    assert abstract.verdict == "prophylactic fixation"  # Mirels 1989 abstract: >= 8 -> fixation
    assert abstract.sources == (scores.MIRELS_SOURCE,)
    assert table.verdict == "clinical judgement"  # widely used table: 8 -> judgement
    assert table.sources == scores.MIRELS_TABLE_SOURCES
    assert "disagree" in r.interpretation


def test_mirels_boundary_9_high_risk_both_readings_fix():
    r = mirels(site="lower limb", pain="moderate", lesion="lytic", size_fraction=0.5)  # 2+2+3+2
    assert r.total == 9
    assert r.category == "high"
    assert r.fracture_risk.startswith("33%")
    assert r.recommendation == "prophylactic fixation recommended"
    assert [rd.verdict for rd in r.readings] == ["prophylactic fixation", "prophylactic fixation"]


def test_mirels_blog_example_intertrochanteric_lytic_over_two_thirds():
    # roentgenrayreader blog: lytic, intertrochanteric, > 2/3 -> 9 on site + type + size; any pain makes it >= 10.
    for pain, total in (("mild", 10), ("moderate", 11), ("functional", 12)):
        r = mirels(site="peritrochanteric", pain=pain, lesion="lytic", size_fraction=0.8)
        assert r.total - r.points["pain"] == 9
        assert r.total == total and r.category == "high"


def test_mirels_ramsey_minimum_of_eight_for_peritrochanteric_lytic():
    totals = [
        mirels(site="peritrochanteric", pain=p, lesion="lytic", size_fraction=f).total
        for p in ("mild", "moderate", "functional")
        for f in (0.1, 0.5, 0.9)
    ]
    assert min(totals) == 8


def test_mirels_total_is_sum_of_items_and_bands_cover_every_total():
    seen = set()
    for site, pain, lesion, f in itertools.product(
        ("upper limb", "lower limb", "peritrochanteric"),
        ("mild", "moderate", "functional"),
        ("blastic", "mixed", "lytic"),
        (0.2, 0.5, 0.8),
    ):
        r = mirels(site=site, pain=pain, lesion=lesion, size_fraction=f)
        assert r.total == sum(r.points.values())
        expected = "low" if r.total <= 7 else "borderline" if r.total == 8 else "high"
        assert r.category == expected
        seen.add(r.total)
    assert seen == set(range(4, 13))


def test_mirels_is_case_insensitive_and_returns_canonical_choices():
    r = mirels(site="  Peritrochanteric ", pain="FUNCTIONAL", lesion="Lytic", size_fraction=0.5)
    assert r.total == 11
    assert dict(r.choices) == {
        "site": "peritrochanteric",
        "pain": "functional",
        "lesion": "lytic",
        "size": "1/3 to 2/3",
    }


# ------------------------------------------------------------------------------------------------------------- SINS

SINS_MIN = dict(level="S3", pain="none", lesion="blastic", alignment="normal", collapse="none", posterolateral="none")
SINS_MAX = dict(
    level="T12", pain="mechanical", lesion="lytic", alignment="subluxation", collapse=">50%", posterolateral="bilateral"
)

# models.md §7.2 S8 (Fisher 2010 via four calculators).
EXPECTED_LOCATION = {
    "occiput": ("junctional", 3),
    **{f"C{i}": ("junctional", 3) for i in (1, 2)},
    **{f"C{i}": ("mobile", 2) for i in range(3, 7)},
    "C7": ("junctional", 3),
    **{f"T{i}": ("junctional", 3) for i in (1, 2)},
    **{f"T{i}": ("semi-rigid", 1) for i in range(3, 11)},
    **{f"T{i}": ("junctional", 3) for i in (11, 12)},
    "L1": ("junctional", 3),
    **{f"L{i}": ("mobile", 2) for i in range(2, 5)},
    "L5": ("junctional", 3),
    "S1": ("junctional", 3),
    **{f"S{i}": ("rigid", 0) for i in range(2, 6)},
}


def test_every_spine_level_is_listed_once_in_order():
    assert len(scores.SPINE_LEVELS) == 1 + 7 + 12 + 5 + 5 == 30
    assert set(scores.SPINE_LEVELS) == set(EXPECTED_LOCATION)
    assert scores.SPINE_LEVELS[:3] == ("occiput", "C1", "C2") and scores.SPINE_LEVELS[-1] == "S5"


@pytest.mark.parametrize("level", list(EXPECTED_LOCATION))
def test_sins_location_of_every_level(level):
    assert scores.sins_location(level) == EXPECTED_LOCATION[level]
    r = sins(**{**SINS_MIN, "level": level})
    assert r.points["location"] == EXPECTED_LOCATION[level][1]
    assert r.location_class == EXPECTED_LOCATION[level][0]
    assert r.total == EXPECTED_LOCATION[level][1]  # every other item at its minimum
    assert scores.sins_location(level.lower()) == EXPECTED_LOCATION[level]  # case-insensitive


def test_sins_minimum_and_maximum_totals():
    lo, hi = sins(**SINS_MIN), sins(**SINS_MAX)
    assert lo.total == 0 and lo.category == "stable" and not lo.surgical_consultation
    assert hi.total == 18 and hi.category == "unstable" and hi.surgical_consultation
    assert dict(hi.points) == {
        "location": 3,
        "pain": 3,
        "lesion": 2,
        "alignment": 4,
        "collapse": 3,
        "posterolateral": 3,
    }


@pytest.mark.parametrize(
    "answers, total, category, consult",
    [
        # 1 (T6) + 3 (mechanical) + 2 (lytic) = 6 -> stable
        (dict(level="T6", pain="mechanical", lesion="lytic"), 6, "stable", False),
        # 1 + 3 + 2 + 1 (no collapse, >50% involved) = 7 -> indeterminate
        (
            dict(level="T6", pain="mechanical", lesion="lytic", collapse="no collapse, >50% involved"),
            7,
            "indeterminate",
            True,
        ),
        # 3 (L1) + 3 + 2 + 2 (deformity) + 2 (<50%) = 12 -> indeterminate
        (
            dict(level="L1", pain="mechanical", lesion="lytic", alignment="deformity", collapse="<50%"),
            12,
            "indeterminate",
            True,
        ),
        # 12 + 1 (unilateral) = 13 -> unstable
        (
            dict(
                level="L1",
                pain="mechanical",
                lesion="lytic",
                alignment="deformity",
                collapse="<50%",
                posterolateral="unilateral",
            ),
            13,
            "unstable",
            True,
        ),
    ],
)
def test_sins_category_boundaries_6_7_12_13(answers, total, category, consult):
    r = sins(**{**SINS_MIN, **answers})
    assert r.total == total
    assert r.category == category
    assert r.surgical_consultation is consult


def test_sins_item_points_match_published_table():
    table = {item.name: {o.value: o.points for o in item.options} for item in scores.SINS_ITEMS}
    assert table["pain"] == {"mechanical": 3, "occasional": 1, "none": 0}  # 3/1/0, not the 3/2/1 error
    assert table["lesion"] == {"lytic": 2, "mixed": 1, "blastic": 0}
    assert table["alignment"] == {"subluxation": 4, "deformity": 2, "normal": 0}
    assert table["collapse"] == {">50%": 3, "<50%": 2, "no collapse, >50% involved": 1, "none": 0}
    assert table["posterolateral"] == {"bilateral": 3, "unilateral": 1, "none": 0}
    assert table["location"] == {"junctional": 3, "mobile": 2, "semi-rigid": 1, "rigid": 0}


def test_sins_total_is_sum_and_every_total_reachable():
    seen = set()
    items = {i.name: i.values for i in scores.SINS_ITEMS if i.name != "location"}
    for level in ("S3", "T6", "L3", "C1"):
        for combo in itertools.product(*items.values()):
            r = sins(level=level, **dict(zip(items, combo, strict=True)))
            assert r.total == sum(r.points.values())
            assert r.category == ("stable" if r.total <= 6 else "indeterminate" if r.total <= 12 else "unstable")
            assert r.surgical_consultation is (r.total >= 7)
            seen.add(r.total)
    assert seen == set(range(0, 19))


# ------------------------------------------------------------------------------------------------ revised Tokuhashi

TOKU_MIN = dict(
    performance="poor",
    extraspinal_bone_foci=3,
    vertebral_metastases=3,
    visceral_metastases="unremovable",
    primary="lung",
    palsy="complete",
)
TOKU_MAX = dict(
    performance="good",
    extraspinal_bone_foci=0,
    vertebral_metastases=1,
    visceral_metastases="none",
    primary="breast",
    palsy="none",
)


def test_tokuhashi_minimum_and_maximum():
    lo, hi = tokuhashi_revised(**TOKU_MIN), tokuhashi_revised(**TOKU_MAX)
    assert lo.total == 0 and lo.category == "< 6 months"
    assert hi.total == 15 and hi.category == ">= 1 year"  # 2+2+2+2+5+2 (NICE CG75 reproduction)
    assert list(hi.points) == [
        "performance",
        "extraspinal_bone_foci",
        "vertebral_metastases",
        "visceral_metastases",
        "primary",
        "palsy",
    ]


@pytest.mark.parametrize(
    "changes, total, band, words",
    [
        # 2 + 2 + 2 + 2 + 0 (lung) + 0 (complete palsy) = 8
        (
            dict(performance="good", extraspinal_bone_foci=0, vertebral_metastases=1, visceral_metastases="none"),
            8,
            "< 6 months",
            "less than 6 months",
        ),
        # 8 + 1 (liver) = 9
        (
            dict(
                performance="good",
                extraspinal_bone_foci=0,
                vertebral_metastases=1,
                visceral_metastases="none",
                primary="liver",
            ),
            9,
            ">= 6 months",
            "6 months or more",
        ),
        # 2 + 2 + 2 + 2 + 3 (kidney) + 0 = 11
        (
            dict(
                performance="good",
                extraspinal_bone_foci=0,
                vertebral_metastases=1,
                visceral_metastases="none",
                primary="kidney",
            ),
            11,
            ">= 6 months",
            "6 months or more",
        ),
        # 11 + 1 (incomplete palsy) = 12
        (
            dict(
                performance="good",
                extraspinal_bone_foci=0,
                vertebral_metastases=1,
                visceral_metastases="none",
                primary="kidney",
                palsy="incomplete",
            ),
            12,
            ">= 1 year",
            "1 year or more",
        ),
    ],
)
def test_tokuhashi_band_boundaries_8_9_11_12(changes, total, band, words):
    r = tokuhashi_revised(**{**TOKU_MIN, **changes})
    assert r.total == total
    assert r.category == band
    assert r.survival == words
    assert words in r.interpretation


@pytest.mark.parametrize("foci, pts", [(0, 2), (1, 1), (2, 1), (3, 0), (10, 0), (2.0, 1)])
def test_tokuhashi_extraspinal_foci_points(foci, pts):
    assert scores.tokuhashi_count_points("extraspinal_bone_foci", foci) == pts
    assert tokuhashi_revised(**{**TOKU_MIN, "extraspinal_bone_foci": foci}).points["extraspinal_bone_foci"] == pts


@pytest.mark.parametrize("n, pts", [(1, 2), (2, 1), (3, 0), (7, 0)])
def test_tokuhashi_vertebral_count_points(n, pts):
    assert tokuhashi_revised(**{**TOKU_MIN, "vertebral_metastases": n}).points["vertebral_metastases"] == pts


@pytest.mark.parametrize(
    "primary, pts",
    [
        ("lung", 0),
        ("osteosarcoma", 0),
        ("stomach", 0),
        ("bladder", 0),
        ("oesophagus", 0),
        ("Esophagus", 0),
        ("pancreas", 0),
        ("liver", 1),
        ("gallbladder", 1),
        ("unidentified", 1),
        ("other", 2),
        ("kidney", 3),
        ("uterus", 3),
        ("rectum", 4),
        ("thyroid", 5),
        ("breast", 5),
        ("prostate", 5),
        ("carcinoid", 5),
    ],
)
def test_tokuhashi_primary_points(primary, pts):
    r = tokuhashi_revised(**{**TOKU_MIN, "primary": primary})
    assert r.points["primary"] == pts


def test_tokuhashi_every_total_reachable_and_sum():
    seen = set()
    for perf, foci, vert, visc, prim, palsy in itertools.product(
        ("poor", "moderate", "good"),
        (0, 1, 3),
        (1, 2, 3),
        ("unremovable", "removable", "none"),
        ("lung", "liver", "other", "kidney", "rectum", "breast"),
        ("complete", "incomplete", "none"),
    ):
        r = tokuhashi_revised(
            performance=perf,
            extraspinal_bone_foci=foci,
            vertebral_metastases=vert,
            visceral_metastases=visc,
            primary=prim,
            palsy=palsy,
        )
        assert r.total == sum(r.points.values())
        assert r.category == ("< 6 months" if r.total <= 8 else ">= 6 months" if r.total <= 11 else ">= 1 year")
        seen.add(r.total)
    assert seen == set(range(0, 16))


# --------------------------------------------------------------------------------------------- results are frozen


def test_results_are_frozen_and_carry_sources():
    for r in (mirels(**MIRELS_MAX), sins(**SINS_MAX), tokuhashi_revised(**TOKU_MAX)):
        with pytest.raises(dataclasses.FrozenInstanceError):
            r.total = 0
        with pytest.raises(TypeError):
            r.points["x"] = 1  # read-only mapping
        assert r.sources and all(isinstance(k, str) for k in r.sources)


# ------------------------------------------------------------------------------------------------------ bad inputs

BAD_CHOICES = [
    (mirels, MIRELS_MIN, "site", ("upper limb", "lower limb", "peritrochanteric")),
    (mirels, MIRELS_MIN, "pain", ("mild", "moderate", "functional")),
    (mirels, MIRELS_MIN, "lesion", ("blastic", "mixed", "lytic")),
    (sins, SINS_MIN, "level", scores.SPINE_LEVELS),
    (sins, SINS_MIN, "pain", ("mechanical", "occasional", "none")),
    (sins, SINS_MIN, "lesion", ("lytic", "mixed", "blastic")),
    (sins, SINS_MIN, "alignment", ("subluxation", "deformity", "normal")),
    (sins, SINS_MIN, "collapse", (">50%", "<50%", "no collapse, >50% involved", "none")),
    (sins, SINS_MIN, "posterolateral", ("bilateral", "unilateral", "none")),
    (tokuhashi_revised, TOKU_MIN, "performance", ("poor", "moderate", "good")),
    (tokuhashi_revised, TOKU_MIN, "visceral_metastases", ("unremovable", "removable", "none")),
    (tokuhashi_revised, TOKU_MIN, "primary", tuple(scores.TOKUHASHI_PRIMARY)),
    (tokuhashi_revised, TOKU_MIN, "palsy", ("complete", "incomplete", "none")),
]


#: Table-driven: for each categorical argument, every bad value and the error it must raise.
BAD_CATEGORY_VALUES = [("bogus", ValueError), ("", ValueError), ("T13", ValueError), ("lytic-ish", ValueError),
                       ("C0", ValueError), (None, TypeError), (3, TypeError), (1.5, TypeError), (True, TypeError)]


def _bad_rows():
    """Every categorical argument with every bad value of BAD_CATEGORY_VALUES (the message names the parameter, the
    value and every allowed value), then the Mirels size and the Tokuhashi counts."""
    rows = []
    for func, base, arg, allowed in BAD_CHOICES:
        for bad, error in BAD_CATEGORY_VALUES:
            if isinstance(bad, str) and bad.casefold() in {a.casefold() for a in allowed}:
                continue  # not invalid for this argument (e.g. "C0" is no level, but could be one elsewhere)
            named = [repr(bad)] if error is ValueError else []
            rows.append((func, {**base, arg: bad}, error, [arg, *named, *map(repr, allowed)]))
    for bad in (0, -0.1, 1.0001, 2, math.nan, math.inf, -math.inf):
        words = "finite" if not math.isfinite(bad) else "in (0, 1]"
        rows.append((mirels, {**MIRELS_MIN, "size_fraction": bad}, ValueError, ["size_fraction", words]))
    for bad in ("0.5", None, True, [0.5]):
        rows.append((mirels, {**MIRELS_MIN, "size_fraction": bad}, TypeError, "size_fraction"))
    for arg, bad, allowed in [
        ("extraspinal_bone_foci", -1, ">= 0"),
        ("extraspinal_bone_foci", 1.5, ">= 0"),
        ("extraspinal_bone_foci", math.nan, "finite"),
        ("vertebral_metastases", 0, ">= 1"),
        ("vertebral_metastases", -2, ">= 1"),
        ("vertebral_metastases", 2.5, ">= 1"),
        ("vertebral_metastases", math.inf, "finite"),
    ]:
        rows.append((tokuhashi_revised, {**TOKU_MIN, arg: bad}, ValueError, [arg, allowed]))
    for bad in ("2", None, True):
        rows.append((tokuhashi_revised, {**TOKU_MIN, "extraspinal_bone_foci": bad}, TypeError, "extraspinal_bone_foci"))
    return rows


def test_bad_input_names_the_parameter_the_value_and_what_is_allowed():
    rows = _bad_rows()
    # every bad value for every categorical argument (one string is a valid value somewhere: at most one skip each)
    assert len(rows) >= len(BAD_CHOICES) * (len(BAD_CATEGORY_VALUES) - 1) + 7 + 4 + 7 + 3
    check_bad_inputs(rows)


def test_keyword_only_signatures():
    with pytest.raises(TypeError):
        mirels("upper limb", "mild", "blastic", 0.1)  # type: ignore[misc]
    with pytest.raises(TypeError):
        sins("T6", "none", "blastic", "normal", "none", "none")  # type: ignore[misc]
