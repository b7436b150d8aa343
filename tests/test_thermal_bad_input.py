"""Every bad input to the thermal model raises the documented error, naming the parameter."""

from badinput import check_bad_inputs

from bonemets_edu import thermal

NAN = float("nan")
INF = float("inf")
OK = dict(probe_temperature_c=90.0, threshold_c=50.0, tissue="tumour")

CASES = [
    # (function, kwargs, exception, words in the message)
    (thermal.lesion_radius_mm, {**OK, "probe_temperature_c": NAN}, ValueError, "probe_temperature_c must be a finite"),
    (
        thermal.lesion_radius_mm,
        {**OK, "probe_temperature_c": -300.0},
        ValueError,
        "probe_temperature_c must be at least -273.15",
    ),
    (thermal.lesion_radius_mm, {**OK, "probe_temperature_c": "hot"}, TypeError, "probe_temperature_c"),
    (thermal.lesion_radius_mm, {**OK, "threshold_c": 37.0}, ValueError, "threshold_c must be greater than 37"),
    (thermal.lesion_radius_mm, {**OK, "threshold_c": INF}, ValueError, "threshold_c"),
    (thermal.lesion_radius_mm, {**OK, "perfusion_scale": 0.0}, ValueError, "perfusion_scale must be greater than 0"),
    (thermal.lesion_radius_mm, {**OK, "perfusion_scale": -1.0}, ValueError, "perfusion_scale"),
    (thermal.lesion_radius_mm, {**OK, "probe_radius_mm": 0.0}, ValueError, "probe_radius_mm must be greater than 0"),
    (thermal.lesion_radius_mm, {**OK, "probe_radius_mm": -1.0}, ValueError, "probe_radius_mm"),
    (thermal.lesion_radius_mm, {**OK, "tissue": "liver"}, ValueError, "tissue must be one of"),
    (thermal.lesion_radius_mm, {**OK, "tissue": 5}, TypeError, "tissue"),
    (thermal.lesion_radius_mm, {**OK, "geometry": "cube"}, ValueError, "geometry must be one of"),
    (thermal.lesion_radius_mm, {**OK, "body_temperature_c": NAN}, ValueError, "body_temperature_c"),
    (
        thermal.steady_temperature_c,
        {"radius_mm": -1.0, "probe_temperature_c": 90.0},
        ValueError,
        "radius_mm must be 0 or greater",
    ),
    (thermal.steady_temperature_c, {"radius_mm": [1.0, NAN], "probe_temperature_c": 90.0}, ValueError, "radius_mm"),
    (thermal.steady_temperature_c, {"radius_mm": None, "probe_temperature_c": 90.0}, TypeError, "radius_mm"),
    (thermal.perfusion_length_mm, {"tissue_name": "bone", "perfusion_scale": 0}, ValueError, "perfusion_scale"),
    (thermal.perfusion_length_mm, {"tissue_name": "bone", "perfusion_scale": True}, TypeError, "perfusion_scale"),
    (
        thermal.transient_profile,
        {"probe_temperature_c": 90.0, "duration_s": 0.0},
        ValueError,
        "duration_s must be greater than 0",
    ),
    (thermal.transient_profile, {"probe_temperature_c": 90.0, "duration_s": 60.0, "dr_mm": -0.1}, ValueError, "dr_mm"),
    (
        thermal.transient_profile,
        {"probe_temperature_c": 90.0, "duration_s": 60.0, "dt_s": 5.0},
        ValueError,
        "dt_s must be at most",
    ),
    (
        thermal.transient_profile,
        {"probe_temperature_c": 90.0, "duration_s": 60.0, "outer_radius_mm": 1.5},
        ValueError,
        "outer_radius_mm",
    ),
    (thermal.cem43, {"temperatures_c": [-274.0], "dt_s": 1.0}, ValueError, "temperatures_c"),
    (thermal.cem43, {"temperatures_c": [44.0], "dt_s": 0}, ValueError, "dt_s"),
    (
        thermal.cryo_isotherm_radius_mm,
        {"ice_ball_radius_mm": -5.0, "isotherm_c": -20.0},
        ValueError,
        "ice_ball_radius_mm",
    ),
    (
        thermal.cryo_isotherm_radius_mm,
        {"ice_ball_radius_mm": 20.0, "isotherm_c": -50.0},
        ValueError,
        "isotherm_c must be in [-40, 0]",
    ),
    (thermal.cryo_isotherm_radius_mm, {"ice_ball_radius_mm": 20.0, "isotherm_c": 5.0}, ValueError, "isotherm_c"),
    (
        thermal.cryo_isotherm_radius_mm,
        {"ice_ball_radius_mm": NAN, "isotherm_c": -20.0},
        ValueError,
        "ice_ball_radius_mm",
    ),
    (thermal.cryo_temperature_c, {"radius_mm": -2.0, "ice_ball_radius_mm": 20.0}, ValueError, "radius_mm"),
    (thermal.cryo_temperature_c, {"radius_mm": 2.0, "ice_ball_radius_mm": 0.0}, ValueError, "ice_ball_radius_mm"),
    (thermal.tissue, {"name": "brain"}, ValueError, ["tissue", "'bone'", "'brain'"]),
]




def test_bad_input_raises_documented_error():
    check_bad_inputs(CASES)
