"""Bone-remodeling models (Komarova 2003; Ayati 2010 with tumour and treatment): published parameters, closed-form
steady states, the tumour's effect on bone mass, determinism and input validation."""

import math
from dataclasses import replace

import numpy as np
import pytest
from badinput import check_bad_inputs
from scipy.signal import find_peaks

from bonemets_edu import remodeling as rm

# --- parameters as curated in BioModels ---------------------------------------------------------------------------

def test_komarova_parameters_match_biomodels_148():
    p = rm.KOMAROVA_2003
    assert (p.alpha1, p.alpha2, p.beta1, p.beta2) == (3.0, 4.0, 0.2, 0.02)
    assert (p.g11, p.g21, p.g12, p.g22) == (0.5, -0.5, 1.0, 0.0)
    assert (p.k1, p.k2) == (0.24, 0.0017)
    assert (p.osteoclasts0, p.osteoblasts0, p.bone_mass0, p.tumour0) == (11.0, 212.0, 100.0, 0.0)


def test_ayati_parameters_match_biomodels_402():
    p = rm.AYATI_2010
    assert (p.alpha1, p.alpha2, p.beta1, p.beta2) == (3.0, 4.0, 0.2, 0.02)
    assert (p.g11, p.g21, p.g12, p.g22) == (1.1, -0.5, 1.0, 0.0)
    assert (p.k1, p.k2) == (0.0748, 6.395e-4)
    assert (p.gamma_t, p.lt, p.r11, p.r21, p.r12, p.r22) == (0.005, 100.0, 0.005, 0.0, 0.0, 0.2)
    assert (p.osteoclasts0, p.osteoblasts0, p.bone_mass0, p.tumour0) == (15.0, 316.0, 100.0, 1.0)
    assert p.treatment_start_day is None and not p.illustrative


def test_treatment_variant_matches_biomodels_403():
    """models.md §7.3 B4: V1 = 0.001, V2 = 0.008 from t >= 600; initial C = 13, B = 300."""
    p = rm.AYATI_2010_TREATMENT
    assert (p.v1, p.v2, p.treatment_start_day) == (0.001, 0.008, 600.0)
    assert (p.osteoclasts0, p.osteoblasts0, p.bone_mass0, p.tumour0) == (13.0, 300.0, 100.0, 1.0)
    d_before = rm.derivatives(p, [13.0, 300.0, 100.0, 10.0], day=599.0)
    d_after = rm.derivatives(p, [13.0, 300.0, 100.0, 10.0], day=600.0)
    # dB/dt rises by V1*B and the tumour's rate falls by V2*T*ln(LT/T) at the switch
    assert d_after[1] - d_before[1] == pytest.approx(0.001 * 300.0, rel=1e-12)
    assert d_before[3] - d_after[3] == pytest.approx(0.008 * 10.0 * math.log(10.0), rel=1e-12)


# --- steady states ------------------------------------------------------------------------------------------------

def test_komarova_osteoblast_steady_state_is_about_212():
    """BioModels curation note: 'the osteoblast steady state is approximately 212'."""
    ss = rm.steady_state(rm.KOMAROVA_2003)
    assert ss.osteoblasts == pytest.approx(212.0, abs=0.5)
    assert ss.osteoblasts == pytest.approx(150.0 * math.sqrt(2.0), rel=1e-12)  # (β1/α1)^-1 (β2/α2)^-1/2, γ = -1
    assert ss.osteoclasts == pytest.approx(0.75 * math.sqrt(2.0), rel=1e-12)
    assert ss.gamma == -1.0


def test_ayati_normal_case_steady_state_regression():
    """models.md §5.2 [DERIVED]: T = 0 gives γ = -0.4, C̄ = 1.1586, B̄ = 231.72."""
    ss = rm.steady_state(rm.AYATI_2010, tumour=0.0)
    assert ss.gamma == pytest.approx(-0.4, abs=1e-12)
    assert ss.osteoclasts == pytest.approx(1.1586, abs=5e-5)
    assert ss.osteoblasts == pytest.approx(231.72, abs=5e-3)


@pytest.mark.parametrize("params, tumour", [
    (rm.KOMAROVA_2003, 0.0),
    (rm.AYATI_2010, 0.0),
    (rm.AYATI_2010, 100.0),  # the encoded thresholds: fully grown tumour
    (rm.scenario(effect="blastic"), 100.0),
    (rm.scenario(effect="blastic"), 37.5),
])
def test_steady_state_satisfies_the_equations(params, tumour):
    ss = rm.steady_state(params, tumour=tumour)
    d = rm.derivatives(params, [ss.osteoclasts, ss.osteoblasts, 100.0, tumour])
    assert abs(d[0]) < 1e-9 * max(1.0, params.beta1 * ss.osteoclasts)
    assert abs(d[1]) < 1e-9 * max(1.0, params.beta2 * ss.osteoblasts)
    if tumour == rm.steady_state(params).tumour:  # the bone-mass thresholds are this state: no net change
        assert d[2] == 0.0
    if tumour in (0.0, params.lt):
        assert d[3] == 0.0  # Gompertz tumour at rest at 0 and at its carrying capacity


def test_steady_state_away_from_it_derivatives_are_not_zero():
    d = rm.derivatives(rm.KOMAROVA_2003, [11.0, 212.0, 100.0, 0.0])
    assert d[0] < -1.0  # ten times too many osteoclasts: they decline


def test_default_thresholds_follow_biomodels_encoding():
    """models.md §5.2 [SEEN] BIOMD0000000402: the encoded C̄, B̄ carry the r-terms at T = LT = 100. By hand with
    r11 = 0.005, r22 = 0.2: γ = 1·(−0.5) − (1 − 1.1·1.005)(1 − 0 + 0.2) = −0.5 + 0.1266 = −0.3734;
    C̄ = (0.2/3)^(1.2/γ) · (0.02/4)^(−0.5/γ) = 4.9938; B̄ = (0.2/3)^(1/γ) · (0.02/4)^(−0.1055/γ) = 315.90."""
    ss = rm.steady_state(rm.AYATI_2010)
    assert ss.tumour == 100.0 and ss.gamma == pytest.approx(-0.3734, abs=1e-12)
    assert ss.osteoclasts == pytest.approx(4.9938, abs=5e-5) and ss.osteoblasts == pytest.approx(315.90, abs=5e-3)
    # without a tumour the thresholds are the normal case (T = 0): γ = −0.4, C̄ = 1.1586, B̄ = 231.72 ([DERIVED])
    free = rm.steady_state(rm.scenario(tumour_on=False))
    assert free.tumour == 0.0 and free.gamma == pytest.approx(-0.4, abs=1e-12)
    assert free.osteoclasts == pytest.approx(1.1586, abs=5e-5) and free.osteoblasts == pytest.approx(231.72, abs=5e-3)


# --- dynamics -----------------------------------------------------------------------------------------------------

def test_komarova_single_cycle_regression():
    """models.md §5.1 [DERIVED] (regression, not published): from the curated start, bone mass dips to about 90% within
    two weeks and returns to about 100%."""
    sim = rm.simulate(rm.KOMAROVA_2003, 200.0, points=2001)
    assert 89.0 < sim.bone_mass.min() < 91.0
    assert sim.days[np.argmin(sim.bone_mass)] < 20.0
    assert sim.final_bone_mass == pytest.approx(100.0, abs=0.5)
    assert sim.osteoblasts[-1] == pytest.approx(rm.steady_state(rm.KOMAROVA_2003).osteoblasts, rel=1e-3)


def test_tumour_lowers_bone_mass_over_the_same_horizon():
    with_tumour = rm.simulate(rm.scenario(tumour_on=True), 1200.0)
    without = rm.simulate(rm.scenario(tumour_on=False), 1200.0)
    assert with_tumour.final_bone_mass < without.final_bone_mass - 50.0
    assert with_tumour.bone_mass[:300].max() == pytest.approx(without.bone_mass[:300].max(), abs=3.0)  # early: similar
    assert np.all(without.tumour == 0.0)
    assert with_tumour.tumour[-1] > 95.0


def test_published_ayati_model_also_loses_bone():
    sim = rm.simulate(rm.AYATI_2010, 1000.0)
    assert sim.final_bone_mass < 60.0


def test_osteoclast_peaks_regression():
    """models.md §5.2 [DERIVED]: normal peaks ≈ 1.4, 357, 713, 1069 d; with tumour ≈ 1.4, 358, 620, 833, 1024 d."""
    def peaks(p):
        s = rm.simulate(p, 1100.0, points=11001)
        i, _ = find_peaks(s.osteoclasts, height=1.0)
        return s.days[i]
    assert peaks(rm.scenario(tumour_on=False)) == pytest.approx([1.4, 357, 713, 1069], abs=2.0)
    assert peaks(rm.AYATI_2010) == pytest.approx([1.4, 358, 620, 833, 1024], abs=2.0)


def test_blastic_illustrative_raises_bone_mass_and_is_labelled():
    p = rm.scenario(effect="blastic")
    assert p.illustrative and "ILLUSTRATIVE" in p.name
    blastic = rm.simulate(p, 1200.0)
    normal = rm.simulate(rm.scenario(tumour_on=False), 1200.0)
    assert blastic.final_bone_mass > normal.final_bone_mass + 5.0
    assert not rm.scenario(effect="lytic").illustrative


def test_treatment_shrinks_tumour_and_spares_bone():
    untreated = rm.simulate(rm.scenario(), 1200.0)
    treated = rm.simulate(rm.scenario(treatment_start_day=300.0), 1200.0)
    assert np.array_equal(treated.bone_mass[:300], untreated.bone_mass[:300])  # identical before the switch
    assert treated.tumour[-1] < 1.0 < untreated.tumour[-1]
    assert treated.final_bone_mass > untreated.final_bone_mass + 50.0


def test_growth_rate_speeds_the_tumour():
    slow = rm.simulate(rm.scenario(growth_rate_per_day=0.002), 600.0)
    fast = rm.simulate(rm.scenario(growth_rate_per_day=0.01), 600.0)
    assert fast.tumour[-1] > slow.tumour[-1]


def test_points_sets_the_sampling():
    sim = rm.simulate(rm.KOMAROVA_2003, 50.0, points=11)
    assert sim.days.tolist() == [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50]


# --- bad input ----------------------------------------------------------------------------------------------------

BAD = [
    (lambda: rm.simulate(rm.KOMAROVA_2003, 0), ValueError, "days"),
    (lambda: rm.simulate(rm.KOMAROVA_2003, -10), ValueError, "days"),
    (lambda: rm.simulate(rm.KOMAROVA_2003, float("nan")), ValueError, "days"),
    (lambda: rm.simulate(rm.KOMAROVA_2003, float("inf")), ValueError, "days"),
    (lambda: rm.simulate(rm.KOMAROVA_2003, 1e6), ValueError, "days"),
    (lambda: rm.simulate(rm.KOMAROVA_2003, "100"), TypeError, "days"),
    (lambda: rm.simulate(rm.KOMAROVA_2003, True), TypeError, "days"),
    (lambda: rm.simulate(rm.KOMAROVA_2003, 100, points=1), ValueError, "points"),
    (lambda: rm.simulate(rm.KOMAROVA_2003, 100, points=10.5), ValueError, "points"),
    (lambda: rm.simulate("komarova", 100), TypeError, "params"),
    (lambda: rm.steady_state({"alpha1": 3}), TypeError, "params"),
    (lambda: rm.steady_state(rm.AYATI_2010, tumour=-1), ValueError, "tumour"),
    (lambda: rm.steady_state(rm.AYATI_2010, tumour=101), ValueError, "tumour"),
    (lambda: rm.steady_state(rm.AYATI_2010, tumour=float("nan")), ValueError, "tumour"),
    (lambda: rm.scenario(effect="sclerotic"), ValueError, "effect"),
    (lambda: rm.scenario(effect=1), TypeError, "effect"),
    (lambda: rm.scenario(tumour_on="yes"), TypeError, "tumour_on"),
    (lambda: rm.scenario(growth_rate_per_day=-0.001), ValueError, "growth_rate_per_day"),
    (lambda: rm.scenario(growth_rate_per_day=0.5), ValueError, "growth_rate_per_day"),
    (lambda: rm.scenario(growth_rate_per_day=float("inf")), ValueError, "growth_rate_per_day"),
    (lambda: rm.scenario(treatment_start_day=-5), ValueError, "treatment_start_day"),
    (lambda: rm.scenario(treatment_start_day="600"), TypeError, "treatment_start_day"),
    (lambda: replace(rm.KOMAROVA_2003, alpha1=0.0), ValueError, "alpha1"),
    (lambda: replace(rm.KOMAROVA_2003, beta2=-0.02), ValueError, "beta2"),
    (lambda: replace(rm.KOMAROVA_2003, k1=-1.0), ValueError, "k1"),
    (lambda: replace(rm.KOMAROVA_2003, g11=float("nan")), ValueError, "g11"),
    (lambda: replace(rm.AYATI_2010, tumour0=150.0), ValueError, "tumour0"),
    (lambda: replace(rm.AYATI_2010, r12=-1.0), ValueError, "r12"),
    (lambda: replace(rm.AYATI_2010, illustrative="no"), TypeError, "illustrative"),
    (lambda: rm.derivatives(rm.KOMAROVA_2003, [1.0, 2.0, 3.0]), ValueError, "state"),
    (lambda: rm.derivatives(rm.KOMAROVA_2003, [1.0, 2.0, 3.0, float("nan")]), ValueError, "state"),
    (lambda: rm.derivatives(rm.KOMAROVA_2003, [1.0, 2.0, 3.0, 0.0], day=-1), ValueError, "day"),
]


def test_bad_input_raises_a_clear_error():
    # table-driven: every row of BAD raises its own error type naming the parameter (all failing rows reported)
    check_bad_inputs([(call, (), exc, name) for call, exc, name in BAD])


def test_gamma_zero_is_reported():
    p = replace(rm.KOMAROVA_2003, g11=0.0, g21=-1.0, g12=1.0, g22=0.0)  # γ = -1 - 1 = -2: fine
    assert rm.steady_state(p).gamma == -2.0
    degenerate = replace(rm.KOMAROVA_2003, g11=0.0, g21=1.0, g12=1.0, g22=0.0)  # γ = 1 - 1 = 0
    with pytest.raises(ValueError, match="gamma"):
        rm.steady_state(degenerate)
