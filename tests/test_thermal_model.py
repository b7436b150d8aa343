"""Bioheat model: steady solution, transient solver, lesion radius, Arrhenius integral and the cryo isotherm rule."""

import math

import numpy as np
import pytest

from bonemets_edu import thermal

TISSUES = ["tumour", "bone", "muscle", "skin", "cartilage"]


@pytest.mark.parametrize("geometry, n", [("cylinder", 1), ("sphere", 2)])
@pytest.mark.parametrize("name", ["tumour", "bone"])
@pytest.mark.parametrize("scale", [0.5, 1.0, 3.0])
def test_steady_solution_satisfies_its_ode(geometry, n, name, scale):
    """T'' + (n/r) T' = (T - Ta) / L^2 checked by central differences (n = 1 cylinder, 2 sphere)."""
    big_l = thermal.perfusion_length_mm(name, scale)
    h = 1e-3  # mm
    r = np.linspace(1.5, 25.0, 40)
    kw = dict(probe_temperature_c=90.0, tissue=name, perfusion_scale=scale, probe_radius_mm=1.0, geometry=geometry)
    t0 = thermal.steady_temperature_c(r, **kw)
    tp = thermal.steady_temperature_c(r + h, **kw)
    tm = thermal.steady_temperature_c(r - h, **kw)
    lhs = (tp - 2 * t0 + tm) / h**2 + n / r * (tp - tm) / (2 * h)
    rhs = (t0 - 37.0) / big_l**2
    assert np.allclose(lhs, rhs, rtol=2e-4, atol=1e-9)


@pytest.mark.parametrize("geometry", ["cylinder", "sphere"])
def test_steady_solution_boundary_values(geometry):
    kw = dict(probe_temperature_c=80.0, tissue="bone", probe_radius_mm=1.5, geometry=geometry)
    assert thermal.steady_temperature_c(1.5, **kw) == pytest.approx(80.0)
    assert thermal.steady_temperature_c(0.0, **kw) == pytest.approx(80.0)  # inside the probe
    assert thermal.steady_temperature_c(500.0, **kw) == pytest.approx(37.0, abs=1e-9)
    r = np.linspace(1.5, 60, 200)
    assert np.all(np.diff(thermal.steady_temperature_c(r, **kw)) < 0)


def test_sphere_closed_form_value():
    # (a/r) exp(-(r-a)/L) with a = 1, r = 1 + L: factor exp(-1)/(1+L)
    big_l = thermal.perfusion_length_mm("tumour")
    got = thermal.steady_temperature_c(1 + big_l, probe_temperature_c=87.0, tissue="tumour", geometry="sphere")
    assert got == pytest.approx(37 + 50 * math.exp(-1) / (1 + big_l), rel=1e-12)


@pytest.mark.parametrize("geometry", ["cylinder", "sphere"])
@pytest.mark.parametrize("name", ["tumour", "bone"])
def test_transient_converges_to_steady_state(geometry, name):
    t = thermal.tissue(name)
    duration = 12 * t.perfusion_time_s  # many perfusion time constants
    errors = []
    for dr in (0.25, 0.125):
        res = thermal.transient_profile(
            probe_temperature_c=90.0, duration_s=duration, tissue=name, geometry=geometry, dr_mm=dr
        )
        steady = thermal.steady_temperature_c(res.radius_mm, probe_temperature_c=90.0, tissue=name, geometry=geometry)
        errors.append(np.abs(res.temperature_c[-1] - steady).max())
    assert errors[0] < 0.15  # degrees C, on a 90 C probe
    assert errors[1] < errors[0] / 3  # second-order in space: halving dr cuts the error about four-fold


def test_transient_warms_monotonically_and_accumulates_dose():
    res = thermal.transient_profile(probe_temperature_c=90.0, duration_s=600, tissue="tumour", save_every_s=60)
    assert res.times_s[0] == 0 and res.times_s[-1] == pytest.approx(600)
    assert len(res.times_s) == 11
    at_3mm = np.argmin(np.abs(res.radius_mm - 3.0))
    assert np.all(np.diff(res.temperature_c[:, at_3mm]) >= -1e-9)
    assert np.all(np.diff(res.cem43_min) <= 1e-12)  # dose falls with distance
    assert res.cem43_min[0] > 1e6 and res.cem43_min[-1] < 1.0
    assert res.dt_s <= res.stable_dt_s


def test_stable_time_step_matches_derived_value():
    # models.md 3.2 [DERIVED]: dt <= dx^2/(2a) ~ 0.81 s for dx = 0.5 mm in bone (flat geometry);
    # the radial operator with perfusion is slightly stricter.
    got = thermal.stable_time_step_s(tissue="bone", dr_mm=0.5)
    assert got == pytest.approx(0.81, abs=0.01)
    assert got <= 0.0005**2 / (2 * thermal.tissue("bone").diffusivity_m2_s)


def test_transient_rejects_unstable_time_step():
    limit = thermal.stable_time_step_s(tissue="tumour", dr_mm=0.25)
    with pytest.raises(ValueError, match="dt_s must be at most"):
        thermal.transient_profile(probe_temperature_c=90, duration_s=60, tissue="tumour", dt_s=1.01 * limit)
    res = thermal.transient_profile(probe_temperature_c=90, duration_s=60, tissue="tumour", dt_s=0.99 * limit)
    assert np.isfinite(res.temperature_c).all() and res.temperature_c.max() <= 90 + 1e-9


@pytest.mark.parametrize("name", TISSUES)
@pytest.mark.parametrize("threshold", [50.0, 60.0])
def test_lesion_radius_grows_with_probe_temperature(name, threshold):
    radii = [
        thermal.lesion_radius_mm(probe_temperature_c=tp, threshold_c=threshold, tissue=name, probe_radius_mm=1.0)
        for tp in (threshold + 1, 65, 70, 80, 90)
    ]
    assert all(np.diff(radii) > 0)


@pytest.mark.parametrize("name", TISSUES)
@pytest.mark.parametrize("geometry", ["cylinder", "sphere"])
def test_lesion_radius_shrinks_with_perfusion(name, geometry):
    radii = [
        thermal.lesion_radius_mm(
            probe_temperature_c=90, threshold_c=50, tissue=name, perfusion_scale=s, geometry=geometry
        )
        for s in (0.25, 0.5, 1, 2, 4)
    ]
    assert all(np.diff(radii) < 0)


@pytest.mark.parametrize("geometry", ["cylinder", "sphere"])
def test_lesion_radius_is_where_profile_hits_threshold(geometry):
    r = thermal.lesion_radius_mm(
        probe_temperature_c=85, threshold_c=55, tissue="muscle", geometry=geometry, probe_radius_mm=1.2
    )
    t = thermal.steady_temperature_c(r, probe_temperature_c=85, tissue="muscle", geometry=geometry, probe_radius_mm=1.2)
    assert t == pytest.approx(55.0, abs=1e-8)


def test_lesion_radius_zero_below_threshold_and_probe_radius_at_threshold():
    assert thermal.lesion_radius_mm(probe_temperature_c=55, threshold_c=60, tissue="bone", probe_radius_mm=1) == 0.0
    assert thermal.lesion_radius_mm(probe_temperature_c=60, threshold_c=60, tissue="bone", probe_radius_mm=1) == 1.0


def test_nerve_threshold_reaches_further_than_lethal_threshold():
    kw = dict(probe_temperature_c=90, tissue="bone")
    assert thermal.lesion_radius_mm(threshold_c=45, **kw) > thermal.lesion_radius_mm(threshold_c=50, **kw)


@pytest.mark.parametrize("iso, expected", [(0.0, 20.0), (-20.0, 15.0), (-30.0, 12.5), (-40.0, 10.0)])
def test_cryo_isotherm_rule(iso, expected):
    # models.md 7.4 T2: -40 C about 1 cm inside the 0 C edge, linear in between
    assert thermal.cryo_isotherm_radius_mm(20.0, iso) == pytest.approx(expected)


def test_cryo_isotherm_zero_for_small_ice_ball_and_profile_shape():
    assert thermal.cryo_isotherm_radius_mm(8.0, -40.0) == 0.0
    prof = thermal.cryo_temperature_c(np.array([0, 10, 15, 20, 25, 40.0]), ice_ball_radius_mm=20.0)
    assert prof[:4] == pytest.approx([-40, -40, -20, 0])
    assert 0 < prof[4] < prof[5] < 37


def test_cryo_outside_ice_ball_warms_faster_with_more_perfusion():
    lo = thermal.cryo_temperature_c(25.0, ice_ball_radius_mm=20, perfusion_scale=0.5)
    hi = thermal.cryo_temperature_c(25.0, ice_ball_radius_mm=20, perfusion_scale=3.0)
    assert hi > lo
