"""Heat and cold in tissue: the Pennes bioheat model of an ablation zone, thermal dose and the cryo isotherm rule.

For education only — not for treatment planning. Pure functions over floats and numpy arrays (numpy/scipy only).

What is here, and how defensible each part is:

* ``tissue(name)`` — thermal properties of bone, tumour, muscle, skin and cartilage from a cited table
  (``data/tissue.toml``; Cancers 2019;11(8):1183, Table 1). [SEEN]
* ``cem43(temperatures_c, dt_s)`` — cumulative equivalent minutes at 43 °C (Sapareto & Dewey 1984). The formula is
  named in seen sources; its constants R = 0.5 (≥ 43 °C) and 0.25 (< 43 °C) were read only in secondary sources.
* Pennes bioheat equation (Pennes 1948), ``ρc ∂T/∂t = ∇·(k∇T) + ω c_b (T_a − T)``:
  steady radial solutions around a probe held at a fixed temperature (sphere and cylinder) and a transient radial
  finite-difference solver. The equation is standard; using it for a probe held at a fixed temperature in
  uniform tissue is a teaching simplification [DERIVED] (no device chart, no charring, no temperature-dependent
  properties, no large vessels).
* ``cryo_isotherm_radius_mm`` — the empirical rule that the −40 °C isotherm lies about 1 cm inside the 0 °C edge of
  the ice ball, with temperature rising linearly to the edge (gel phantom, PMC4850244). Freezing releases latent
  heat, which the Pennes equation does not contain, so no phase-change solver is attempted.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from ._validate import require_choice, require_in_range, require_non_negative, require_positive

__all__ = [
    "ABSOLUTE_ZERO_C",
    "BODY_TEMPERATURE_C",
    "Tissue",
    "tissue",
    "tissue_names",
    "cem43",
    "GEOMETRIES",
    "perfusion_length_mm",
    "steady_temperature_c",
    "lesion_radius_mm",
    "stable_time_step_s",
    "TransientResult",
    "transient_profile",
    "CRYO_EDGE_TEMPERATURE_C",
    "CRYO_CORE_ISOTHERM_C",
    "CRYO_CORE_DEPTH_MM",
    "cryo_isotherm_radius_mm",
    "cryo_temperature_c",
    "ablation_records",
    "threshold_c",
    "PainSeries",
    "pain_series",
    "MODALITIES",
    "ZoneResult",
    "ablation_zone",
    "shown_value",
]

ABSOLUTE_ZERO_C = -273.15
#: Arterial blood / core temperature used as the far-field temperature (°C). A physiological constant, not a
#: fitted parameter.
BODY_TEMPERATURE_C = 37.0


# ---------------------------------------------------------------------------------------------------------------------
# Tissue properties


@dataclass(frozen=True)
class Tissue:
    """Thermal properties of one tissue (SI units), as read from ``data/tissue.toml``.

    ``perfusion_w_m3_k`` is ω·c_b: blood mass perfusion (kg m⁻³ s⁻¹) times blood specific heat (J kg⁻¹ K⁻¹), i.e. the
    heat (W) carried away per m³ of tissue per kelvin above arterial temperature.
    """

    name: str
    label: str
    density_kg_m3: float
    specific_heat_j_kg_k: float
    conductivity_w_m_k: float
    perfusion_w_m3_k: float
    source: str
    note: str = ""

    @property
    def diffusivity_m2_s(self) -> float:
        """Thermal diffusivity a = k / (ρ c) in m²/s."""
        return self.conductivity_w_m_k / (self.density_kg_m3 * self.specific_heat_j_kg_k)

    @property
    def perfusion_length_m(self) -> float:
        """Perfusion length L = √(k / (ω c_b)) in metres: how far heat spreads before blood carries it away."""
        return math.sqrt(self.conductivity_w_m_k / self.perfusion_w_m3_k)

    @property
    def perfusion_time_s(self) -> float:
        """Perfusion time constant ρc / (ω c_b) in seconds."""
        return self.density_kg_m3 * self.specific_heat_j_kg_k / self.perfusion_w_m3_k


_TISSUE_SCHEMA = {
    "label": str,
    "density_kg_m3": float,
    "specific_heat_j_kg_k": float,
    "conductivity_w_m_k": float,
    "perfusion_w_m3_k": float,
}


@functools.cache
def _tissues() -> dict[str, Tissue]:
    from .evidence import load_records  # local import keeps `import bonemets_edu.thermal` light

    out: dict[str, Tissue] = {}
    for rec in load_records("tissue.toml", "tissue", schema=_TISSUE_SCHEMA):
        t = Tissue(
            name=rec["id"],
            label=rec["label"],
            density_kg_m3=float(rec["density_kg_m3"]),
            specific_heat_j_kg_k=float(rec["specific_heat_j_kg_k"]),
            conductivity_w_m_k=float(rec["conductivity_w_m_k"]),
            perfusion_w_m3_k=float(rec["perfusion_w_m3_k"]),
            source=rec["source"],
            note=rec.get("note", ""),
        )
        for field_name in ("density_kg_m3", "specific_heat_j_kg_k", "conductivity_w_m_k", "perfusion_w_m3_k"):
            require_positive(f"tissue.toml {t.name}.{field_name}", getattr(t, field_name))
        out[t.name] = t
    return out


def tissue_names() -> tuple[str, ...]:
    """Names accepted by :func:`tissue`, in file order."""
    return tuple(_tissues())


def tissue(name: str) -> Tissue:
    """Thermal properties of tissue ``name`` ('bone', 'tumour', 'muscle', 'skin', 'cartilage').

    Source: Cancers 2019;11(8):1183, Table 1 (doi:10.3390/cancers11081183), via ``data/tissue.toml``.
    Raises ``TypeError`` for a non-string and ``ValueError`` listing the allowed names for an unknown one.
    """
    key = require_choice("tissue", name, tissue_names())
    return _tissues()[key]


# ---------------------------------------------------------------------------------------------------------------------
# Thermal dose


def cem43(temperatures_c, dt_s) -> float:
    """Cumulative equivalent minutes at 43 °C of a sampled temperature history.

    CEM43 = Σᵢ (Δtᵢ / 60 s) · R^(43 − Tᵢ), with R = 0.5 for Tᵢ ≥ 43 °C and R = 0.25 for Tᵢ < 43 °C.
    Reference: Sapareto SA, Dewey WC. Int J Radiat Oncol Biol Phys 1984;10(6):787-800,
    doi:10.1016/0360-3016(84)90379-1 (R values via secondary sources).

    ``temperatures_c``: one temperature (°C) or a 1-D sequence, each sample held for its time step.
    ``dt_s``: the time step in seconds, either one positive number for every sample or a sequence of positive numbers
    of the same length as ``temperatures_c``.
    Returns minutes (a float). Example: 1 min at 44 °C gives 2.0; 1 min at 42 °C gives 0.25.
    """
    temps = np.atleast_1d(require_in_range("temperatures_c", temperatures_c, low=ABSOLUTE_ZERO_C, unit="°C"))
    if temps.ndim != 1:
        raise ValueError(f"temperatures_c must be a number or a 1-D sequence, got an array of shape {temps.shape}")
    dt = require_positive("dt_s", dt_s, unit="s")
    dt_arr = np.asarray(dt, dtype=float)
    if dt_arr.ndim > 0:
        if dt_arr.shape != temps.shape:
            raise ValueError(
                f"dt_s must be one number or a sequence as long as temperatures_c ({temps.size}), "
                f"got {dt_arr.size} values"
            )
    r = np.where(temps >= 43.0, 0.5, 0.25)
    return float(np.sum(dt_arr / 60.0 * np.power(r, 43.0 - temps)))


# ---------------------------------------------------------------------------------------------------------------------
# Pennes bioheat equation: steady radial solutions around a probe held at a fixed temperature

GEOMETRIES = ("cylinder", "sphere")


def _resolve_tissue(value) -> Tissue:
    if isinstance(value, Tissue):
        return value
    return tissue(value)


def perfusion_length_mm(tissue_name="tumour", perfusion_scale: float = 1.0) -> float:
    """Perfusion length L = √(k / (s · ω c_b)) in mm, with s the perfusion as a multiple of the table value.

    ``perfusion_scale`` must be > 0: with no perfusion at all the steady state has no length scale (heat spreads
    without limit), so zero is rejected rather than returning infinity.
    """
    t = _resolve_tissue(tissue_name)
    s = require_positive("perfusion_scale", perfusion_scale, unit="(multiple of normal perfusion)", allow_array=False)
    return 1000.0 * math.sqrt(t.conductivity_w_m_k / (s * t.perfusion_w_m3_k))


def _check_probe(probe_temperature_c, probe_radius_mm, geometry, body_temperature_c):
    tp = require_in_range("probe_temperature_c", probe_temperature_c, low=ABSOLUTE_ZERO_C, unit="°C", allow_array=False)
    a = require_positive("probe_radius_mm", probe_radius_mm, unit="mm", allow_array=False)
    g = require_choice("geometry", geometry, GEOMETRIES)
    tb = require_in_range("body_temperature_c", body_temperature_c, low=ABSOLUTE_ZERO_C, unit="°C", allow_array=False)
    return tp, a, g, tb


def _shape(x, geometry: str):
    """Normalised steady profile f(x) with x = r/L: K0(x) for a cylinder, exp(-x)/x for a sphere."""
    from scipy.special import k0

    if geometry == "cylinder":
        return k0(x)
    return np.exp(-x) / x


def steady_temperature_c(
    radius_mm,
    *,
    probe_temperature_c: float,
    tissue="tumour",
    perfusion_scale: float = 1.0,
    probe_radius_mm: float = 1.0,
    geometry: str = "cylinder",
    body_temperature_c: float = BODY_TEMPERATURE_C,
):
    """Steady temperature (°C) at ``radius_mm`` from the axis (cylinder) or centre (sphere) of a probe held at
    ``probe_temperature_c`` in uniform perfused tissue that is at body temperature far away.

    Solution of the steady Pennes equation k ∇²T = ω c_b (T − T_a) [DERIVED, models.md §3.7]:

    * sphere of radius a:   T(r) − T_a = (T_p − T_a) · (a / r) · exp(−(r − a) / L)
    * cylinder of radius a: T(r) − T_a = (T_p − T_a) · K0(r / L) / K0(a / L)

    with L = √(k / (s·ω c_b)) (see :func:`perfusion_length_mm`). Points inside the probe (r < a) get the probe
    temperature. ``radius_mm`` may be a number or an array (≥ 0). The probe radius default (1 mm) is illustrative.
    """
    tp, a, g, tb = _check_probe(probe_temperature_c, probe_radius_mm, geometry, body_temperature_c)
    r = require_non_negative("radius_mm", radius_mm, unit="mm")
    big_l = perfusion_length_mm(tissue, perfusion_scale)
    r_arr = np.maximum(np.asarray(r, dtype=float), a)
    ratio = _shape(r_arr / big_l, g) / _shape(a / big_l, g)
    out = tb + (tp - tb) * ratio
    return float(out) if np.ndim(out) == 0 else out


def lesion_radius_mm(
    *,
    probe_temperature_c: float,
    threshold_c: float,
    tissue="tumour",
    perfusion_scale: float = 1.0,
    probe_radius_mm: float = 1.0,
    geometry: str = "cylinder",
    body_temperature_c: float = BODY_TEMPERATURE_C,
) -> float:
    """Radius (mm, from the probe axis/centre) out to which the steady temperature reaches ``threshold_c``.

    For a heated probe: returns 0.0 when the probe itself is below the threshold; otherwise the radius where the
    steady profile of :func:`steady_temperature_c` falls to the threshold (≥ the probe radius). The threshold must be
    above body temperature (at or below it the "lesion" would be unbounded). Solved in closed form for the sphere
    (Lambert W) and by bracketing root-finding (Brent) for the cylinder.
    """
    tp, a, g, tb = _check_probe(probe_temperature_c, probe_radius_mm, geometry, body_temperature_c)
    thr = require_in_range(
        "threshold_c", threshold_c, low=tb, low_inclusive=False, unit="°C (above body temperature)", allow_array=False
    )
    if tp < thr:
        return 0.0
    big_l = perfusion_length_mm(tissue, perfusion_scale)
    theta = (thr - tb) / (tp - tb)  # 0 < theta <= 1
    x_a = a / big_l
    if g == "sphere":
        from scipy.special import lambertw

        # (x_a / x) exp(x_a - x) = theta  =>  x e^x = x_a e^(x_a) / theta
        x = float(np.real(lambertw(x_a * math.exp(x_a) / theta)))
        return x * big_l
    from scipy.optimize import brentq
    from scipy.special import k0e

    # log K0(x) = log k0e(x) - x ; solve log K0(x) - log K0(x_a) - log theta = 0 for x >= x_a
    target = math.log(k0e(x_a)) - x_a + math.log(theta)

    def f(x):
        return math.log(k0e(x)) - x - target

    if f(x_a) <= 0:
        return a
    hi = x_a + 1.0
    while f(hi) > 0:
        hi *= 2.0
    return brentq(f, x_a, hi, xtol=1e-12, rtol=1e-12) * big_l


# ---------------------------------------------------------------------------------------------------------------------
# Transient radial finite-difference solver


@dataclass(frozen=True)
class TransientResult:
    """Output of :func:`transient_profile` (all arrays read-only in spirit; SI-friendly units in the names)."""

    radius_mm: np.ndarray  # grid nodes, from the probe surface outwards
    times_s: np.ndarray  # times of the saved profiles
    temperature_c: np.ndarray  # shape (len(times_s), len(radius_mm))
    max_temperature_c: np.ndarray  # hottest temperature reached at each node
    cem43_min: np.ndarray  # thermal dose accumulated at each node (CEM43, minutes)
    dt_s: float  # time step used
    stable_dt_s: float  # largest stable explicit step for this grid


def _grid(a_mm: float, outer_mm: float, dr_mm: float) -> np.ndarray:
    n = int(round((outer_mm - a_mm) / dr_mm))
    return a_mm + dr_mm * np.arange(n + 1)


def _operator(t: Tissue, s: float, r_m: np.ndarray, dr_m: float, dim: int):
    """Coefficients of the explicit update dT_i/dt = w_i (T_{i-1}-T_i) + e_i (T_{i+1}-T_i) - p (T_i - T_a)."""
    diff = t.diffusivity_m2_s
    r_minus = r_m - dr_m / 2
    r_plus = r_m + dr_m / 2
    west = diff * (r_minus / r_m) ** dim / dr_m**2
    east = diff * (r_plus / r_m) ** dim / dr_m**2
    perf = s * t.perfusion_w_m3_k / (t.density_kg_m3 * t.specific_heat_j_kg_k)
    return west, east, perf


def stable_time_step_s(
    *,
    tissue="tumour",
    perfusion_scale: float = 1.0,
    probe_radius_mm: float = 1.0,
    dr_mm: float = 0.25,
    outer_radius_mm: float | None = None,
    geometry: str = "cylinder",
) -> float:
    """Largest time step (s) for which the explicit radial scheme of :func:`transient_profile` stays stable.

    The update T_i ← T_i + Δt·[w_i(T_{i−1}−T_i) + e_i(T_{i+1}−T_i) − p(T_i−T_a)] keeps every new value a weighted
    average of old ones (no growing oscillation) when Δt·(w_i + e_i + p) ≤ 1 at every interior node; this returns
    1 / max(w_i + e_i + p), which for flat geometry reduces to the familiar Δt ≤ Δr²/(2a) (models.md §3.2).
    """
    t = _resolve_tissue(tissue)
    s = require_positive("perfusion_scale", perfusion_scale, allow_array=False)
    a = require_positive("probe_radius_mm", probe_radius_mm, unit="mm", allow_array=False)
    dr = require_positive("dr_mm", dr_mm, unit="mm", allow_array=False)
    g = require_choice("geometry", geometry, GEOMETRIES)
    outer = a + 8 * perfusion_length_mm(t, s) if outer_radius_mm is None else outer_radius_mm
    require_in_range("outer_radius_mm", outer, low=a + 4 * dr, unit="mm", allow_array=False)
    r_m = _grid(a, outer, dr)[1:-1] / 1000.0
    west, east, perf = _operator(t, s, r_m, dr / 1000.0, 1 if g == "cylinder" else 2)
    return float(1.0 / np.max(west + east + perf))


def transient_profile(
    *,
    probe_temperature_c: float,
    duration_s: float,
    tissue="tumour",
    perfusion_scale: float = 1.0,
    probe_radius_mm: float = 1.0,
    geometry: str = "cylinder",
    dr_mm: float = 0.25,
    dt_s: float | None = None,
    outer_radius_mm: float | None = None,
    save_every_s: float = 60.0,
    body_temperature_c: float = BODY_TEMPERATURE_C,
) -> TransientResult:
    """Time course of the radial temperature profile after a probe is switched on and held at
    ``probe_temperature_c`` (explicit finite volumes of ρc ∂T/∂t = (k/rⁿ) ∂/∂r(rⁿ ∂T/∂r) − ω c_b (T − T_a),
    n = 1 cylinder, 2 sphere).

    Tissue starts at body temperature; the probe surface is fixed at the probe temperature from t = 0; the outer
    boundary (default: probe radius + 8 perfusion lengths) is held at body temperature. ``dt_s`` defaults to 90 % of
    the stability limit of :func:`stable_time_step_s`; a larger ``dt_s`` raises ``ValueError`` (the limit is
    checked, not assumed). CEM43 and the peak temperature are accumulated at every node.
    """
    tp, a, g, tb = _check_probe(probe_temperature_c, probe_radius_mm, geometry, body_temperature_c)
    t = _resolve_tissue(tissue)
    s = require_positive("perfusion_scale", perfusion_scale, unit="(multiple of normal perfusion)", allow_array=False)
    duration = require_positive("duration_s", duration_s, unit="s", allow_array=False)
    dr = require_positive("dr_mm", dr_mm, unit="mm", allow_array=False)
    save_every = require_positive("save_every_s", save_every_s, unit="s", allow_array=False)
    outer = a + 8 * perfusion_length_mm(t, s) if outer_radius_mm is None else outer_radius_mm
    outer = require_in_range("outer_radius_mm", outer, low=a + 4 * dr, unit="mm", allow_array=False)
    limit = stable_time_step_s(
        tissue=t, perfusion_scale=s, probe_radius_mm=a, dr_mm=dr, outer_radius_mm=outer, geometry=g
    )
    if dt_s is None:
        dt = 0.9 * limit
    else:
        dt = require_positive("dt_s", dt_s, unit="s", allow_array=False)
        if dt > limit:
            raise ValueError(
                f"dt_s must be at most {limit:.4g} s for this grid (explicit stability limit), got {dt!r}; "
                "use a smaller dt_s or a larger dr_mm"
            )
    r_mm = _grid(a, outer, dr)
    west, east, perf = _operator(t, s, r_mm[1:-1] / 1000.0, dr / 1000.0, 1 if g == "cylinder" else 2)
    n_steps = max(1, int(math.ceil(duration / dt)))
    dt = duration / n_steps  # land exactly on the end time (smaller than the limit, so still stable)
    save_stride = max(1, int(round(save_every / dt)))
    temp = np.full(r_mm.size, tb)
    temp[0] = tp
    peak = temp.copy()
    dose = np.zeros(r_mm.size)
    r_factor = np.where(temp >= 43.0, 0.5, 0.25)
    saved_t = [0.0]
    saved = [temp.copy()]
    wdt, edt, pdt = west * dt, east * dt, perf * dt
    for step in range(1, n_steps + 1):
        inner = temp[1:-1]
        temp[1:-1] = inner + wdt * (temp[:-2] - inner) + edt * (temp[2:] - inner) - pdt * (inner - tb)
        np.maximum(peak, temp, out=peak)
        r_factor = np.where(temp >= 43.0, 0.5, 0.25)
        dose += (dt / 60.0) * np.power(r_factor, 43.0 - temp)
        if step % save_stride == 0 or step == n_steps:
            saved_t.append(step * dt)
            saved.append(temp.copy())
    return TransientResult(
        radius_mm=r_mm,
        times_s=np.asarray(saved_t),
        temperature_c=np.vstack(saved),
        max_temperature_c=peak,
        cem43_min=dose,
        dt_s=dt,
        stable_dt_s=limit,
    )


# ---------------------------------------------------------------------------------------------------------------------
# Cryoablation: the empirical isotherm rule (no phase-change solver)

#: The edge of the visible ice ball is at 0 °C (Insights Imaging review; PMC4850244).
CRYO_EDGE_TEMPERATURE_C = 0.0
#: The coldest isotherm the rule describes: −40 °C ...
CRYO_CORE_ISOTHERM_C = -40.0
#: ... which lies about 10 mm inside the 0 °C edge, with temperature rising linearly between the two (PMC4850244,
#: cryoneedles in gel at body temperature).
CRYO_CORE_DEPTH_MM = 10.0


def cryo_isotherm_radius_mm(ice_ball_radius_mm: float, isotherm_c: float) -> float:
    """Radius (mm) of the ``isotherm_c`` surface inside an ice ball of radius ``ice_ball_radius_mm``.

    Empirical rule (PMC4850244): 0 °C at the ice-ball edge, −40 °C about 10 mm further in, linear in between, so an
    isotherm T (between −40 and 0 °C) lies 10 mm × (−T / 40) inside the edge. Returns 0 when the ice ball is too small
    to contain that isotherm. Colder isotherms than −40 °C are outside the rule and rejected.
    """
    big_r = require_positive("ice_ball_radius_mm", ice_ball_radius_mm, unit="mm", allow_array=False)
    iso = require_in_range(
        "isotherm_c", isotherm_c, CRYO_CORE_ISOTHERM_C, CRYO_EDGE_TEMPERATURE_C, unit="°C", allow_array=False
    )
    depth = CRYO_CORE_DEPTH_MM * (iso - CRYO_EDGE_TEMPERATURE_C) / (CRYO_CORE_ISOTHERM_C - CRYO_EDGE_TEMPERATURE_C)
    return max(0.0, big_r - depth)


def cryo_temperature_c(
    radius_mm,
    *,
    ice_ball_radius_mm: float,
    tissue="tumour",
    perfusion_scale: float = 1.0,
    geometry: str = "cylinder",
    body_temperature_c: float = BODY_TEMPERATURE_C,
):
    """Temperature profile (°C) around a cryoprobe whose ice ball has radius ``ice_ball_radius_mm``.

    Inside the ice ball: the linear empirical rule (0 °C at the edge, −40 °C 10 mm inside), floored at −40 °C (the
    rule says nothing about the colder core; values there are reported as −40 °C, i.e. "−40 °C or colder").
    Outside: unfrozen tissue, where the Pennes equation does apply — the steady solution with the ice-ball edge held at
    0 °C [DERIVED]. Latent heat only matters at the freezing front, which this rule replaces.
    """
    big_r = require_positive("ice_ball_radius_mm", ice_ball_radius_mm, unit="mm", allow_array=False)
    r = np.asarray(require_non_negative("radius_mm", radius_mm, unit="mm"), dtype=float)
    slope = (CRYO_EDGE_TEMPERATURE_C - CRYO_CORE_ISOTHERM_C) / CRYO_CORE_DEPTH_MM  # 4 °C per mm
    inside = np.maximum(CRYO_CORE_ISOTHERM_C, CRYO_EDGE_TEMPERATURE_C - slope * (big_r - r))
    outside = steady_temperature_c(
        np.maximum(r, big_r),
        probe_temperature_c=CRYO_EDGE_TEMPERATURE_C,
        tissue=tissue,
        perfusion_scale=perfusion_scale,
        probe_radius_mm=big_r,
        geometry=geometry,
        body_temperature_c=body_temperature_c,
    )
    out = np.where(r <= big_r, inside, outside)
    return float(out) if out.ndim == 0 else out


# ---------------------------------------------------------------------------------------------------------------------
# Cited evidence for the lesson (data/ablation.toml), read through the validated loader

_SCHEMAS = {
    "threshold": ({"modality": str, "temperature_c": float, "meaning": str}, {}),
    "isotherm_rule": ({"edge_temperature_c": float, "depth_of_lethal_ice_mm": float}, {}),
    "method": ({"name": str, "energy": str, "how": str, "temperatures": str}, {}),
    "study": (
        {"name": str, "modality": str, "n_patients": int, "eligibility": str, "main_result": str, "complications": str},
        {},
    ),
    "pain_series": (
        {"label": str, "modality": str, "time_unit": str, "times": list, "worst_pain": list, "n_patients": int},
        {},
    ),
    "indication": ({"text": str}, {}),
    "reported_value": ({"text": str, "value": float, "unit": str}, {}),
}


def ablation_records(table: str):
    """Validated records of ``table`` in ``data/ablation.toml`` ('threshold', 'isotherm_rule', 'method', 'study',
    'pain_series', 'indication', 'reported_value'); each record carries its ``source``/``sources``."""
    from .evidence import load_records

    key = require_choice("table", table, tuple(_SCHEMAS))
    schema, optional = _SCHEMAS[key]
    return load_records("ablation.toml", key, schema=schema, optional=optional)


def threshold_c(threshold_id: str) -> float:
    """Temperature (°C) of a cited threshold in ``data/ablation.toml`` (e.g. 'nerve_heat' → 45.0)."""
    ids = [r["id"] for r in ablation_records("threshold")]
    key = require_choice("threshold_id", threshold_id, ids)
    return float(next(r for r in ablation_records("threshold") if r["id"] == key)["temperature_c"])


@dataclass(frozen=True)
class PainSeries:
    """A published mean worst-pain trajectory (0–10) with the follow-up points as published."""

    id: str
    label: str
    modality: str
    time_unit: str  # 'week' or 'month', as published
    times: tuple[float, ...]
    worst_pain: tuple[float, ...]
    n_patients: int
    source: str
    note: str = ""

    @property
    def weeks(self) -> tuple[float, ...]:
        """Times on a weeks axis. Months are converted at 52/12 weeks per month [COMPUTED] for plotting only."""
        factor = 1.0 if self.time_unit == "week" else 52.0 / 12.0
        return tuple(t * factor for t in self.times)


def pain_series() -> tuple[PainSeries, ...]:
    """The published pain trajectories of ``data/ablation.toml`` (checked: equal lengths, 0–10 scale, times rising)."""
    out = []
    for r in ablation_records("pain_series"):
        times = tuple(float(t) for t in r["times"])
        pain = tuple(float(p) for p in r["worst_pain"])
        if len(times) != len(pain) or len(times) < 2:
            raise ValueError(
                f"ablation.toml pain_series {r['id']!r}: times and worst_pain must have equal lengths >= 2"
            )
        if any(b <= a for a, b in zip(times, times[1:], strict=False)):
            raise ValueError(f"ablation.toml pain_series {r['id']!r}: times must increase")
        require_in_range(f"ablation.toml pain_series {r['id']}.worst_pain", list(pain), 0.0, 10.0)
        require_choice(f"ablation.toml pain_series {r['id']}.time_unit", r["time_unit"], ("week", "month"))
        out.append(
            PainSeries(
                r["id"],
                r["label"],
                r["modality"],
                r["time_unit"],
                times,
                pain,
                int(r["n_patients"]),
                r["source"],
                r.get("note", ""),
            )
        )
    return tuple(out)


# ---------------------------------------------------------------------------------------------------------------------
# One call for the ablation-zone explorer: profile, lethal zone, coverage and nerve verdicts

MODALITIES = ("heat", "cold")


def shown_value(value: float, decimals: int = 1) -> float:
    """``value`` rounded exactly as ``f"{value:.{decimals}f}"`` displays it (``-0.0`` becomes ``0.0``).

    Verdicts compare this number, not the unrounded one, so that a sentence never reads "reaches 45.0 °C, below the
    45 °C threshold": what the student reads and what is compared are the same number.
    """
    shown = float(f"{float(value):.{int(decimals)}f}")
    return shown + 0.0  # -0.0 + 0.0 == 0.0: never display "-0.0"


@dataclass(frozen=True)
class ZoneResult:
    """Everything the ablation-zone explorer shows, computed in one place (figures and widgets only display it)."""

    modality: str
    radius_mm: np.ndarray  # distance from the probe axis
    temperature_c: np.ndarray  # modelled temperature at radius_mm
    lethal_radius_mm: float  # radius of the chosen lethal isotherm
    lethal_range_mm: tuple[float, float]  # cold: radii of the -20 and -40 C isotherms; heat: (lethal, lethal)
    ice_ball_radius_mm: float  # cold only (0 for heat)
    tumour_radius_mm: float
    margin_mm: float
    nerve_radius_mm: float
    nerve_temperature_c: float
    nerve_threshold_c: float
    covered: bool  # lethal zone reaches tumour radius + margin
    nerve_at_risk: bool
    verdict: str  # plain-text summary (for screen readers and the widget text line)


def ablation_zone(
    *,
    modality: str = "heat",
    probe_temperature_c: float = 90.0,
    ice_ball_diameter_mm: float = 40.0,
    lethal_threshold_c: float = 50.0,
    tissue="tumour",
    perfusion_scale: float = 1.0,
    tumour_diameter_mm: float = 20.0,
    margin_mm: float = 5.0,
    nerve_distance_mm: float = 10.0,
    probe_radius_mm: float = 1.0,
    nerve_threshold_c: float | None = None,
    max_radius_mm: float = 50.0,
    n_points: int = 251,
) -> ZoneResult:
    """Model one probe at the centre of a round tumour, with a nerve ``nerve_distance_mm`` beyond the tumour edge.

    Heat: steady cylindrical Pennes profile around a probe held at ``probe_temperature_c``; lethal zone = radius of the
    ``lethal_threshold_c`` isotherm (:func:`lesion_radius_mm`); the nerve is at risk at or above the cited nerve
    threshold (45 °C, ``data/ablation.toml`` 'nerve_heat').
    Cold: the empirical ice-ball rule (:func:`cryo_temperature_c`); lethal zone = radius of ``lethal_threshold_c``
    (between −40 and −20 °C; sources differ), with the −20/−40 °C radii as the range. No cold-injury threshold for
    nerves is in the course's sources, so a nerve is flagged when it lies inside the ice ball (below 0 °C).
    ``covered`` means the lethal zone reaches the tumour edge plus ``margin_mm`` (an illustrative margin).
    """
    mode = require_choice("modality", modality, MODALITIES)
    d_t = require_positive("tumour_diameter_mm", tumour_diameter_mm, unit="mm", allow_array=False)
    margin = require_non_negative("margin_mm", margin_mm, unit="mm", allow_array=False)
    gap = require_non_negative("nerve_distance_mm", nerve_distance_mm, unit="mm", allow_array=False)
    r_max = require_positive("max_radius_mm", max_radius_mm, unit="mm", allow_array=False)
    if isinstance(n_points, bool) or not isinstance(n_points, int) or n_points < 2:
        raise ValueError(f"n_points must be a whole number >= 2, got {n_points!r}")
    r = np.linspace(0.0, r_max, n_points)
    tumour_r = d_t / 2.0
    nerve_r = tumour_r + gap
    if mode == "heat":
        t_lethal = require_in_range(
            "lethal_threshold_c",
            lethal_threshold_c,
            low=BODY_TEMPERATURE_C,
            low_inclusive=False,
            unit="°C",
            allow_array=False,
        )
        nerve_thr = threshold_c("nerve_heat") if nerve_threshold_c is None else nerve_threshold_c
        kw = dict(
            probe_temperature_c=probe_temperature_c,
            tissue=tissue,
            perfusion_scale=perfusion_scale,
            probe_radius_mm=probe_radius_mm,
            geometry="cylinder",
        )
        temps = steady_temperature_c(r, **kw)
        lethal = lesion_radius_mm(threshold_c=t_lethal, **kw)
        rng = (lethal, lethal)
        nerve_t = steady_temperature_c(nerve_r, **kw)
        at_risk = shown_value(nerve_t) >= nerve_thr  # compare the value as displayed (0.1 °C)
        ice_r = 0.0
        nerve_txt = (
            f"The nerve {gap:.0f} mm beyond the tumour edge reaches {shown_value(nerve_t):.1f} °C, "
            f"{'at or above' if at_risk else 'below'} the {nerve_thr:.0f} °C injury threshold."
        )
        zone_txt = f"The {t_lethal:.0f} °C isotherm reaches {lethal:.1f} mm from the probe"
    else:
        t_lethal = require_in_range(
            "lethal_threshold_c",
            lethal_threshold_c,
            CRYO_CORE_ISOTHERM_C,
            CRYO_EDGE_TEMPERATURE_C,
            high_inclusive=False,
            unit="°C",
            allow_array=False,
        )
        ice_d = require_positive("ice_ball_diameter_mm", ice_ball_diameter_mm, unit="mm", allow_array=False)
        ice_r = ice_d / 2.0
        nerve_thr = CRYO_EDGE_TEMPERATURE_C if nerve_threshold_c is None else nerve_threshold_c
        kw = dict(ice_ball_radius_mm=ice_r, tissue=tissue, perfusion_scale=perfusion_scale)
        temps = cryo_temperature_c(r, **kw)
        lethal = cryo_isotherm_radius_mm(ice_r, t_lethal)
        rng = (cryo_isotherm_radius_mm(ice_r, -20.0), cryo_isotherm_radius_mm(ice_r, -40.0))
        nerve_t = cryo_temperature_c(nerve_r, **kw)
        at_risk = shown_value(nerve_t) < nerve_thr  # compare the value as displayed (0.1 °C)
        nerve_txt = (
            f"The nerve {gap:.0f} mm beyond the tumour edge is {'inside' if at_risk else 'outside'} the ice "
            f"ball ({shown_value(nerve_t):.1f} °C)."
        )
        zone_txt = (
            f"The {t_lethal:.0f} °C isotherm reaches {lethal:.1f} mm from the probe "
            f"(range {rng[1]:.1f}-{rng[0]:.1f} mm for -40 to -20 °C)"
        )
    need = tumour_r + margin
    covered = lethal >= need
    verdict = (
        f"{zone_txt}; the tumour edge plus margin is at {need:.1f} mm: "
        f"{'COVERED' if covered else 'NOT COVERED'}. {nerve_txt}"
        f"{' NERVE AT RISK.' if at_risk else ''}"
    )
    return ZoneResult(
        mode,
        r,
        np.asarray(temps, dtype=float),
        float(lethal),
        (float(rng[0]), float(rng[1])),
        float(ice_r),
        tumour_r,
        margin,
        nerve_r,
        float(nerve_t),
        float(nerve_thr),
        bool(covered),
        bool(at_risk),
        verdict,
    )
