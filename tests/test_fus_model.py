"""The MRgFUS sonication model: energy conservation, stability, monotonicity, thresholds, bad input."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from badinput import check_bad_inputs

from bonemets_edu import focused_ultrasound as fus
from bonemets_edu.text.fus import scenario_table
from bonemets_edu.thermal import cem43, tissue

FAST = dict(cell_mm=1.0)  # coarse grid for property tests (the energy identity holds on any grid)


# --- energy balance ------------------------------------------------------------------------------------------------

def test_energy_balance_insulated_without_perfusion():
    """Perfusion off, all edges insulated: heat deposited = rise in stored heat (to round-off, rel. 1e-9)."""
    r = fus.simulate_sonication(64, 25, 40, 20, perfusion_scale=0.0, edges="insulated", cooling_s=10, cell_mm=0.5)
    e = r.energy
    assert e.perfusion_j == 0.0 and e.edges_j == 0.0
    assert e.stored_j == pytest.approx(e.deposited_j, rel=1e-9)


def test_deposited_energy_matches_beer_lambert_absorption():
    """Deposited energy = P·t·(1 − transmitted), transmitted = exp(−2(α_soft·d + α_bone·L_bone)) (hand formula)."""
    beam = fus.default_beam()
    d_mm, below_mm, p, t = 30.0, 20.0, 80.0, 20.0
    r = fus.simulate_sonication(p, t, d_mm, 10, beam=beam, bone_below_mm=below_mm, perfusion_scale=0.0,
                                edges="insulated", cooling_s=0, cell_mm=0.5)
    alpha_soft = 4.6 * 1.0  # Np/m at 1 MHz
    alpha_bone = alpha_soft * beam.bone_absorption_ratio
    transmitted = math.exp(-2 * (alpha_soft * d_mm * 1e-3 + alpha_bone * below_mm * 1e-3))
    assert r.energy.deposited_j == pytest.approx(p * t * (1 - transmitted), rel=1e-9)
    assert r.energy.transmitted_j == pytest.approx(p * t * transmitted, rel=1e-9)
    assert r.energy.stored_j == pytest.approx(r.energy.deposited_j, rel=1e-9)


@pytest.mark.parametrize("edges", ["body", "insulated"])
def test_energy_bookkeeping_with_perfusion(edges):
    """With blood cooling and open edges: deposited = stored + carried by blood + lost through edges."""
    r = fus.simulate_sonication(96, 30, 25, 15, edges=edges, cooling_s=30, **FAST)
    e = r.energy
    assert e.perfusion_j > 0
    assert (e.edges_j > 0) == (edges == "body")
    assert e.deposited_j == pytest.approx(e.stored_j + e.perfusion_j + e.edges_j, rel=1e-9)
    assert abs(e.imbalance_j) < 1e-9 * e.deposited_j


# --- stability -----------------------------------------------------------------------------------------------------

def test_time_step_respects_the_stability_limit_and_no_overshoot():
    r = fus.simulate_sonication(96, 30, 20, 10, **FAST)
    assert 0 < r.dt_s <= 0.9 * r.stability_limit_s + 1e-12
    # maximum principle of a stable explicit scheme: nothing cools below body temperature, nothing oscillates
    assert r.final_temperature_c.min() >= r.body_temperature_c - 1e-9
    assert r.peak_temperature_c.min() >= r.body_temperature_c - 1e-9
    assert np.all(np.isfinite(r.peak_temperature_c))


def test_stability_limit_matches_hand_bound_for_uniform_interior_cell():
    """Deep interior bone cell in Cartesian-like limit: Δt_max = ρc / (k·(2/h_r² ·(≈1) + 2/h_z²) + w)."""
    limit = fus.stable_time_step_s(bone_depth_mm=40.0, cell_mm=0.5)
    b = tissue("bone")
    h = 0.5e-3
    # the tightest cell has the most conductance; a plain 2-D interior cell is a lower bound for that conductance
    interior = b.density_kg_m3 * b.specific_heat_j_kg_k / (4 * b.conductivity_w_m_k / h**2 + b.perfusion_w_m3_k)
    assert 0.3 * interior < limit <= interior * 1.001


def test_time_step_above_the_limit_is_refused():
    limit = fus.stable_time_step_s(bone_depth_mm=40.0, cell_mm=1.0)
    with pytest.raises(ValueError, match="dt_s must be at most"):
        fus.simulate_sonication(48, 25, 40, 20, dt_s=limit * 1.5, **FAST)
    ok = fus.simulate_sonication(48, 25, 40, 20, dt_s=limit * 0.99, **FAST)
    assert ok.dt_s <= limit


# --- physics -------------------------------------------------------------------------------------------------------

def test_peak_temperature_rises_with_power():
    peaks = [fus.simulate_sonication(p, 25, 40, 20, **FAST).peak_periosteal_c for p in (32, 48, 64, 80, 96)]
    assert all(b > a for a, b in zip(peaks, peaks[1:], strict=False))


def test_peak_temperature_rises_with_time():
    peaks = [fus.simulate_sonication(64, t, 40, 20, **FAST).peak_periosteal_c for t in (20, 22, 25, 28, 30)]
    assert all(b > a for a, b in zip(peaks, peaks[1:], strict=False))


def test_zero_power_leaves_tissue_at_body_temperature():
    r = fus.simulate_sonication(0, 20, 40, 20, **FAST)
    assert np.allclose(r.peak_temperature_c, 37.0)
    assert r.lethal_depth_range_mm is None


def test_default_sonication_lands_in_the_trial_temperature_band():
    """Calibration regression: 56 W for 25 s onto bone 40 mm deep → 65–85 °C (Hurwitz 2014 band), 0.5 mm grid."""
    r = fus.simulate_sonication(56, 25, 40, 25, cell_mm=0.5)
    assert fus.clinical_value("target_low") <= r.peak_periosteal_c <= fus.clinical_value("target_high")
    assert r.peak_skin_c < 43.0
    assert r.lethal_radius_on_bone_mm > 5.0


@pytest.mark.parametrize(
    "args, extra",
    [((48, 25, 40, 25), 0.0), ((96, 30, 20, 10), 0.0), ((56, 25, 15, 25), 0.10), ((56, 25, 40, 25), 0.10)],
)
def test_grid_refinement(args, extra):
    """The planner's grid (PLANNER cell, 0.75 mm) vs a 0.25 mm reference, with and without the what-if extra skin
    absorption: bone-surface peak within 0.5 °C, skin peak within 0.2 °C, skin dose within 10 % and the same skin
    verdict, nerve within 2 °C (measured: 0.02–0.4 °C; skin 0.01–0.14 °C, dose 3–7 %; nerve 0.1–1.5 °C)."""
    from bonemets_edu.widgets.fus import PLANNER_CELL_MM

    assert PLANNER_CELL_MM == fus.PLANNER_CELL_MM == 0.75  # 2 mm of skin is NOT a whole number of planner rows
    beam = dataclasses.replace(fus.default_beam(), skin_extra_absorption=extra)
    kw = dict(bone_below_mm=90 - args[2], beam=beam)
    coarse = fus.simulate_sonication(*args, cell_mm=PLANNER_CELL_MM, **kw)
    fine = fus.simulate_sonication(*args, cell_mm=0.25, **kw)
    assert abs(coarse.peak_periosteal_c - fine.peak_periosteal_c) < 0.5
    assert abs(coarse.peak_skin_c - fine.peak_skin_c) < 0.2
    assert coarse.skin_cem43_min == pytest.approx(fine.skin_cem43_min, rel=0.10)
    assert abs(coarse.peak_structure_c - fine.peak_structure_c) < 2.0
    skin_keys = {"skin_ok", "skin_caution", "skin_burn"}
    assert _keys(coarse) & skin_keys == _keys(fine) & skin_keys
    if extra:
        assert coarse.peak_skin_c > 43.0  # the case really tests the heated skin


@pytest.mark.parametrize("cell_mm", [0.5, 0.75, 1.0])
def test_extra_skin_absorption_lies_in_the_skin_layer_on_any_grid(cell_mm):
    """The what-if extra loss is spread over the true 2 mm of skin even when rows do not line up with it: the power
    still travelling at a row boundary is (1 − extra)·exp(−2 α z) below the skin, and exp(−2 α z)·(1 − extra·z/2 mm)
    in exponent terms inside it."""
    beam = dataclasses.replace(fus.default_beam(), skin_extra_absorption=0.10)
    z, _remaining, per_mm = fus.absorption_profile(40.0, beam=beam, cell_mm=cell_mm)
    faces = np.arange(1, z.size + 1) * cell_mm
    left = 1.0 - np.cumsum(per_mm * cell_mm)
    alpha = beam.soft_alpha_np_m
    skin = beam.skin_thickness_mm
    k = int(np.searchsorted(faces, skin + 1e-9))  # first face at or below the skin's lower edge
    expected = 0.9 * np.exp(-2 * alpha * faces[k] * 1e-3)
    assert left[k] == pytest.approx(expected, rel=1e-12)
    inside = faces[0]  # a face inside the skin: the extra exponent scales with the depth reached
    assert left[0] == pytest.approx(np.exp(-2 * alpha * inside * 1e-3 + np.log(0.9) * inside / skin), rel=1e-12)


def test_fraction_reaching_bone_is_the_beer_lambert_value():
    """exp(−2 α d) with α = 4.6 Np/m (1 MHz) and d = 40 mm: 0.692 [computed] (the lesson's self-check answer)."""
    assert fus.fraction_reaching_bone(40.0) == pytest.approx(math.exp(-2 * 4.6 * 0.040), rel=1e-12)
    assert fus.fraction_reaching_bone(40.0, cell_mm=1.0) == pytest.approx(math.exp(-2 * 4.6 * 0.040), rel=1e-12)
    assert round(100 * fus.fraction_reaching_bone(40.0)) == 69


def test_scenario_table_uses_the_planners_grid_and_settings():
    """Every row of the lesson's scenario table is what the planner computes at the same settings."""
    from bonemets_edu.widgets.fus import COOLING_S, DOMAIN_DEPTH_MM, PLANNER_CELL_MM

    over = {"bone_depth_mm": 15.0, "skin_extra_absorption": 0.10}
    r = fus.scenario_result(over)
    assert (r.bone_depth_mm, r.cooling_s, r.z_mm[-1] + PLANNER_CELL_MM / 2) == (15.0, COOLING_S, DOMAIN_DEPTH_MM)
    assert r.z_mm[1] - r.z_mm[0] == pytest.approx(PLANNER_CELL_MM)
    table = scenario_table()
    row = next(line for line in table.splitlines() if line.startswith("bone 15 mm deep, +10% skin"))
    assert f"{r.peak_skin_c:7.1f}C" in row and fus.format_dose(r.skin_cem43_min) in row and "skin_burn" in row
    assert r.lethal_depth_range_mm[0] == 0.0 and math.copysign(1.0, r.lethal_depth_range_mm[0]) == 1.0


def test_bone_absorbs_far_more_per_mm_than_soft_tissue():
    z, remaining, per_mm = fus.absorption_profile(40.0)
    soft = per_mm[z < 40].max()
    bone = per_mm[z > 40].max()
    assert bone > 10 * soft
    assert remaining[0] == pytest.approx(1.0, abs=0.01)


def test_higher_bone_absorption_heats_the_surface_more():
    b = fus.default_beam()
    low = fus.simulate_sonication(48, 25, 40, 20, beam=dataclasses.replace(b, bone_absorption_ratio=5), **FAST)
    high = fus.simulate_sonication(48, 25, 40, 20, beam=dataclasses.replace(b, bone_absorption_ratio=40), **FAST)
    assert high.peak_periosteal_c > low.peak_periosteal_c + 5


def test_a_nearer_structure_gets_hotter():
    temps = [fus.simulate_sonication(96, 30, 40, s, **FAST).peak_structure_c for s in (30, 20, 10, 2)]
    assert all(b > a for a, b in zip(temps, temps[1:], strict=False))


def test_thermal_dose_map_agrees_with_thermal_cem43():
    """The per-cell dose accumulated in the solver equals bonemets_edu.thermal.cem43 of that cell's history."""
    r = fus.simulate_sonication(64, 25, 40, 12, **FAST)
    j, i = r.notes["probe_cell"]
    assert r.cem43_min[j, i] > 240  # a hot cell, so the comparison is not trivial
    assert r.cem43_min[j, i] == pytest.approx(cem43(r.notes["probe_trace_c"][:-1], r.dt_s), rel=1e-9)
    assert r.structure_cem43_min == pytest.approx(cem43(r.structure_trace_c[:-1], r.dt_s), rel=1e-12)


def test_default_beam_comes_from_the_data_file_and_is_labelled():
    params = {p["id"]: p for p in fus.fus_records("parameter")}
    b = fus.default_beam()
    assert b.bone_absorption_ratio == params["bone_absorption_ratio"]["value"]
    assert b.focal_radius_mm == params["footprint_radius"]["value"]
    assert params["soft_attenuation"]["status"] == "sourced"
    for key in ("bone_absorption_ratio", "footprint_radius", "half_angle", "skin_thickness"):
        assert params[key]["status"] == "illustrative"
    assert fus.clinical_value("power_min") == 32.0 and fus.clinical_value("power_max") == 96.0
    assert fus.clinical_value("duration_min") == 20.0 and fus.clinical_value("duration_max") == 30.0


# --- warnings fire and clear at their thresholds ---------------------------------------------------------------------

def _keys(result):
    return {w.key for w in fus.sonication_warnings(result)}


@pytest.fixture(scope="module")
def base():
    return fus.simulate_sonication(48, 25, 40, 25, **FAST)


def test_lethal_dose_is_cited_to_mcdannold_2006_with_its_caveat():
    # McDannold et al. 2006 (Radiology 240:263), abstract: the areas reaching "240 and 18 equivalent minutes at 43 C"
    # were compared with the non-perfused regions, which were "1.9 +/- 0.7 ... times as large" as the 240-minute area
    rec = fus.threshold("lethal_dose")
    assert (rec["value"], rec["source"]) == (240.0, "mcdannold2006")
    assert "1.9 times" in rec["caveat"] and "conservative" in rec["caveat"]


def test_skin_burn_warning_fires_at_240_cem43_and_clears_below(base):
    assert fus.threshold("lethal_dose")["value"] == 240.0
    below = dataclasses.replace(base, skin_cem43_min=239.4)  # displayed as 239
    shown_240 = dataclasses.replace(base, skin_cem43_min=239.6)  # displayed as 240: compared as displayed
    at = dataclasses.replace(base, skin_cem43_min=240.0)
    assert "skin_burn" not in _keys(below)
    assert "skin_burn" in _keys(shown_240) and "skin_burn" in _keys(at)
    assert "reaches 240 CEM43" in " ".join(w.text for w in fus.sonication_warnings(shown_240))


def test_skin_caution_fires_at_43_c_and_clears_below(base):
    trace = np.minimum(base.skin_trace_c.copy(), 42.94)
    trace[-1] = 42.94  # displayed 42.9 °C
    assert "skin_caution" not in _keys(dataclasses.replace(base, skin_trace_c=trace))
    for value in (42.96, 43.0):  # both displayed as 43.0 °C
        trace[-1] = value
        res = dataclasses.replace(base, skin_trace_c=trace, skin_cem43_min=1.0)
        keys = _keys(res)
        assert "skin_caution" in keys and "skin_burn" not in keys
        assert "warms to 43.0 °C, at or above 43 °C" in " ".join(w.text for w in fus.sonication_warnings(res))


def test_structure_warning_fires_at_45_c_and_clears_below(base):
    assert fus.threshold("nerve_temperature")["value"] == 45.0
    tr = np.minimum(base.structure_trace_c, 44.94)  # displayed 44.9 °C
    assert "structure_hot" not in _keys(dataclasses.replace(base, structure_trace_c=tr, structure_cem43_min=0.0))
    for value in (44.96, 45.0):  # both displayed as 45.0 °C
        tr2 = tr.copy()
        tr2[5] = value
        assert "structure_hot" in _keys(dataclasses.replace(base, structure_trace_c=tr2, structure_cem43_min=0.0))


def test_skin_warning_fires_and_clears_in_a_real_simulation():
    b = fus.default_beam()
    clean = fus.simulate_sonication(96, 30, 15, 20, beam=b, **FAST)
    assert "skin_burn" not in _keys(clean)
    what_if = fus.simulate_sonication(96, 30, 15, 20, beam=dataclasses.replace(b, skin_extra_absorption=0.05), **FAST)
    assert what_if.skin_cem43_min >= 240.0
    assert "skin_burn" in _keys(what_if)
    texts = " ".join(w.text for w in fus.sonication_warnings(what_if))
    assert "240 CEM43" in texts and "not found" in texts  # states the threshold and that it is not skin-specific


def test_target_verdicts(base):
    def with_surface(t):
        return dataclasses.replace(base, surface_peak_c=np.full_like(base.surface_peak_c, t))

    assert "target_ok" in _keys(with_surface(65.0)) and "target_ok" in _keys(with_surface(85.0))
    # verdicts compare the whole degrees the student reads: 64.6 is shown as 65, 85.4 as 85
    assert "target_ok" in _keys(with_surface(64.6)) and "target_ok" in _keys(with_surface(85.4))
    assert "target_low" in _keys(with_surface(64.4))
    assert "target_high" in _keys(with_surface(85.6))
    hot = dataclasses.replace(base, peak_temperature_c=np.full_like(base.peak_temperature_c, 100.0))
    assert "model_validity" in _keys(hot)
    shown_100 = dataclasses.replace(base, peak_temperature_c=np.full_like(base.peak_temperature_c, 99.6))
    assert "model_validity" in _keys(shown_100)
    assert "model_validity" not in _keys(dataclasses.replace(base, peak_temperature_c=np.minimum(
        base.peak_temperature_c, 99.4)))


def test_target_verdict_agrees_with_the_number_it_prints():
    """At 44 W the bone surface peaks at 64.6 °C (planner grid): printed as 65 °C, so the verdict must be 'within'."""
    r = fus.simulate_sonication(44, 25, 40, 25, cell_mm=fus.PLANNER_CELL_MM, bone_below_mm=50)
    assert 64.5 < r.peak_periosteal_c < 65.0
    (target,) = [w for w in fus.sonication_warnings(r) if w.key.startswith("target")]
    assert target.key == "target_ok" and "peaks at 65 °C: within" in target.text
    for p in (32, 36, 40, 48, 52, 56, 64, 72, 80, 88, 96):  # every printed value sits on the verdict's side of the band
        res = fus.simulate_sonication(p, 25, 40, 25, cell_mm=1.0, bone_below_mm=50)
        (t,) = [w for w in fus.sonication_warnings(res) if w.key.startswith("target")]
        shown = int(t.text.split("peaks at ")[1].split(" °C")[0])
        expected = "target_low" if shown < 65 else "target_high" if shown > 85 else "target_ok"
        assert t.key == expected


def test_format_dose_never_uses_scientific_notation():
    assert fus.format_dose(0.00306) == "0.00306"
    assert fus.format_dose(8.69) == "8.69"
    assert fus.format_dose(239.6) == "240"
    assert fus.format_dose(578.2) == "578"
    assert fus.format_dose(22345.6) == "22,346"
    assert fus.format_dose(2.57e7) == "over 1,000,000"


def test_lethal_depth_range_never_starts_above_the_skin():
    """The destroyed region reaching the skin starts at 0 mm, not at a round-off "-0 mm" (planner grid)."""
    r = fus.scenario_result({"bone_depth_mm": 15.0, "skin_extra_absorption": 0.10})
    top, bottom = r.lethal_depth_range_mm
    assert top == 0.0 and f"{top:.0f}" == "0" and bottom > 15.0
    assert f"{r.lethal_depth_range_mm[0]:.0f}–{r.lethal_depth_range_mm[1]:.0f}" == "0–27"


# --- what the model shows about a nerve on the bone surface (lesson section 3 question 2, quiz fus7) -----------------

@pytest.mark.parametrize("distance", [2, 6, 10, 17, 25])
def test_nerve_peaks_when_the_power_stops_and_then_cools(distance):
    """Within 25 mm of the axis the nerve's temperature is highest at the moment the power goes off, then only falls."""
    r = fus.simulate_sonication(56, 25, 40, distance, cell_mm=fus.PLANNER_CELL_MM, bone_below_mm=50)
    n_on = r.notes["n_steps_on"]
    tr = r.structure_trace_c
    assert int(np.argmax(tr)) == n_on
    assert np.all(np.diff(tr[n_on:]) <= 1e-12)


def test_nerve_warning_at_the_defaults_starts_inside_the_beam_footprint():
    """At the planner's defaults the 45 °C warning appears from 17 mm inwards, inside the 20 mm beam radius on bone."""
    hot = [d for d in range(2, 39)
           if fus.simulate_sonication(56, 25, 40, d, cell_mm=fus.PLANNER_CELL_MM, bone_below_mm=50).peak_structure_c
           >= 45.0]
    assert max(hot) == 17 and hot == list(range(2, 18))
    assert max(hot) < fus.default_beam().focal_radius_mm


def test_nerve_is_heated_by_the_beam_itself_not_by_sideways_conduction():
    """With conduction almost switched off (k × 0.01) a nerve 6 or 17 mm from the axis gets HOTTER, not cooler: in the
    model it is heated by the edge of the beam, and conduction carries heat away from the bone surface."""
    low = [dataclasses.replace(tissue(n), conductivity_w_m_k=0.01 * tissue(n).conductivity_w_m_k)
           for n in ("skin", "muscle", "bone")]
    for d in (6, 17):
        normal = fus.simulate_sonication(56, 25, 40, d, **FAST)
        no_cond = fus.simulate_sonication(56, 25, 40, d, skin=low[0], soft=low[1], bone=low[2], **FAST)
        assert no_cond.peak_structure_c > normal.peak_structure_c


def test_nerve_6_mm_from_the_axis_passes_45_c_across_the_clinical_ranges():
    """Quiz fus7: at every corner of the planner's power, time and depth ranges a nerve 6 mm out passes 45 °C."""
    for p in (32, 96):
        for t in (20, 30):
            for depth in (15, 65):
                r = fus.simulate_sonication(p, t, depth, 6, cell_mm=fus.PLANNER_CELL_MM, bone_below_mm=90 - depth)
                assert r.peak_structure_c >= 45.0, (p, t, depth)


# --- bad input -----------------------------------------------------------------------------------------------------

SONICATION = dict(power_w=48, duration_s=25, bone_depth_mm=40, structure_distance_mm=20, cell_mm=1.0)
#: (function, keyword arguments, exception, the parameter the message must name first)
BAD_SONICATIONS = [
    (fus.simulate_sonication, {**SONICATION, **dict(power_w=-1)}, ValueError, "power_w"),
    (fus.simulate_sonication, {**SONICATION, **dict(power_w=float("nan"))}, ValueError, "power_w"),
    (fus.simulate_sonication, {**SONICATION, **dict(power_w=float("inf"))}, ValueError, "power_w"),
    (fus.simulate_sonication, {**SONICATION, **dict(power_w="48")}, TypeError, "power_w"),
    (fus.simulate_sonication, {**SONICATION, **dict(duration_s=0)}, ValueError, "duration_s"),
    (fus.simulate_sonication, {**SONICATION, **dict(bone_depth_mm=5)}, ValueError, "bone_depth_mm"),
    (fus.simulate_sonication, {**SONICATION, **dict(structure_distance_mm=-3)}, ValueError, "structure_distance_mm"),
    (fus.simulate_sonication, {**SONICATION, **dict(edges="open")}, ValueError, "edges"),
    (fus.simulate_sonication, {**SONICATION, **dict(cell_mm=0.0)}, ValueError, "cell_mm"),
    (fus.simulate_sonication, {**SONICATION, **dict(perfusion_scale=-1)}, ValueError, "perfusion_scale"),
    (fus.simulate_sonication, {**SONICATION, **dict(beam="wide")}, TypeError, "beam"),
    (fus.simulate_sonication, {**SONICATION, **dict(bone=object())}, TypeError, "bone"),
    (fus.simulate_sonication, {**SONICATION, **dict(power_w=True)}, TypeError, "power_w"),
]


def test_bad_input_is_refused_with_a_clear_message():
    check_bad_inputs(BAD_SONICATIONS)


def test_bad_beam_parameters_are_refused():
    with pytest.raises(ValueError, match="bone_absorption_ratio"):
        fus.BeamParameters(bone_absorption_ratio=0.5)
    with pytest.raises(ValueError, match="skin_extra_absorption"):
        fus.BeamParameters(skin_extra_absorption=0.5)
    with pytest.raises(TypeError, match="result"):
        fus.sonication_warnings("hot")
