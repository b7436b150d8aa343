"""tissue() and cem43(): the two functions the focused-ultrasound lesson reuses (keep names and signatures)."""

import dataclasses
import math

import numpy as np
import pytest
from badinput import check_bad_inputs

from bonemets_edu import references, thermal

# Table 1 of Cancers 2019;11(8):1183 as printed in models.md §3.2 (rho, c, k, omega*c_b).
PUBLISHED_T1 = {
    "bone": (1990, 1300, 0.40, 3400),
    "muscle": (1050, 3639, 0.56, 12960),
    "tumour": (1056, 3700, 0.57, 22545),
    "skin": (1125, 3500, 0.42, 8065),
    "cartilage": (1097, 3500, 0.47, 9000),
}


@pytest.mark.parametrize("name", sorted(PUBLISHED_T1))
def test_tissue_matches_published_table(name):
    t = thermal.tissue(name)
    assert (t.density_kg_m3, t.specific_heat_j_kg_k, t.conductivity_w_m_k, t.perfusion_w_m3_k) == PUBLISHED_T1[name]
    assert references.get(t.source).doi == "10.3390/cancers11081183"


def test_tissue_is_frozen_and_case_insensitive():
    t = thermal.tissue(" Bone ")
    assert t.name == "bone"
    with pytest.raises(dataclasses.FrozenInstanceError):
        t.density_kg_m3 = 1.0  # type: ignore[misc]


# models.md §3.2 [DERIVED] values (rounded as printed there).
@pytest.mark.parametrize(
    "name, length_mm, time_s",
    [("bone", 10.85, 761), ("muscle", 6.57, 295), ("tumour", 5.03, 173), ("skin", 7.22, None)],
)
def test_derived_perfusion_length_and_time(name, length_mm, time_s):
    t = thermal.tissue(name)
    assert t.perfusion_length_m * 1000 == pytest.approx(length_mm, abs=0.005)
    if time_s is not None:
        assert t.perfusion_time_s == pytest.approx(time_s, abs=0.5)


def test_bone_diffusivity_matches_derived_value():
    assert thermal.tissue("bone").diffusivity_m2_s == pytest.approx(1.55e-7, rel=0.005)


# CEM43 = sum dt/60 * R**(43 - T), R = 0.5 at/above 43 C, 0.25 below (Sapareto & Dewey 1984).
@pytest.mark.parametrize(
    "temps, dt, expected",
    [
        ([44.0], 60.0, 2.0),  # models.md 7.4 T5: 1 min at 44 C = 2 CEM43
        ([43.0], 60.0, 1.0),
        ([42.0], 60.0, 0.25),
        ([41.0], 60.0, 0.0625),
        ([50.0], 60.0, 128.0),
        ([44.0, 45.0, 42.0], 30.0, 0.5 * (2 + 4 + 0.25)),
        ([44.0, 45.0], [60.0, 30.0], 2.0 + 2.0),
        (44.0, 120.0, 4.0),
        ([37.0] * 600, 1.0, 10 * 0.25**6),
    ],
)
def test_cem43_definition_on_hand_made_histories(temps, dt, expected):
    assert thermal.cem43(temps, dt) == pytest.approx(expected, rel=1e-12)


def test_cem43_derived_240_equivalents():
    # models.md 3.3 [DERIVED]: 240 CEM43 == 112.5 s at 50 C, 1.76 s at 56 C, 0.11 s at 60 C
    assert thermal.cem43([50.0], 112.5) == pytest.approx(240.0, rel=1e-12)  # 112.5/60 * 2**7 exactly
    for temp, seconds in [(50.0, 112.5), (56.0, 1.76), (60.0, 0.11)]:
        assert thermal.cem43([temp], seconds) == pytest.approx(240, rel=0.02)


def test_cem43_additive_over_split_histories():
    rng = np.random.default_rng(7)
    temps = 40 + 15 * rng.random(50)
    whole = thermal.cem43(temps, 2.0)
    assert whole == pytest.approx(thermal.cem43(temps[:20], 2.0) + thermal.cem43(temps[20:], 2.0))
    assert whole == pytest.approx(thermal.cem43(temps, np.full(50, 2.0)))
    assert math.isfinite(whole) and whole > 0


#: (function, positional arguments, exception, message fragment: the parameter first)
BAD_INPUTS = [
    (thermal.tissue, ("liver",), ValueError, "tissue"),
    (thermal.tissue, ("",), ValueError, "tissue"),
    (thermal.tissue, (3,), TypeError, "tissue"),
    (thermal.tissue, (None,), TypeError, "tissue"),
    (thermal.cem43, ([44.0, float("nan")], 1.0), ValueError, "temperatures_c"),
    (thermal.cem43, ([44.0, float("inf")], 1.0), ValueError, "temperatures_c"),
    (thermal.cem43, ([-300.0], 1.0), ValueError, "temperatures_c must be at least -273.15"),
    (thermal.cem43, ("hot", 1.0), TypeError, "temperatures_c"),
    (thermal.cem43, ([[44.0, 45.0]], 1.0), ValueError, ["temperatures_c", "1-D"]),
    (thermal.cem43, ([44.0], 0.0), ValueError, "dt_s must be greater than 0"),
    (thermal.cem43, ([44.0], -1.0), ValueError, "dt_s"),
    (thermal.cem43, ([44.0], float("nan")), ValueError, "dt_s"),
    (thermal.cem43, ([44.0, 45.0], [1.0, 2.0, 3.0]), ValueError, ["dt_s", "as long as temperatures_c"]),
    (thermal.cem43, ([44.0], True), TypeError, "dt_s"),
]


def test_bad_tissue_names_and_cem43_input_are_refused():
    check_bad_inputs(BAD_INPUTS)
