"""MR-guided focused ultrasound (MRgFUS) on a bone surface: a teaching model of one sonication.

For education only — not for treatment planning. Pure: numpy only (no plotting, no widgets).

What the model is
-----------------
An axisymmetric (radius r, depth z) slab of tissue: skin on top (z = 0 is the skin surface, touching the coupling
water/gel), soft tissue (muscle) below it, and bone from the depth of the bone surface down. An ultrasound beam enters
through the skin and converges as a cone onto the bone surface, where its Gaussian focal spot sits.

* **Beam and heat source.** The acoustic power P(z) still travelling at depth z falls as
  ``P(z) = P0 · exp(−2 ∫ α dz)`` (α = amplitude attenuation coefficient, Np/m; intensity decays with 2α). The power
  lost in each depth slab is deposited as heat with a Gaussian radial profile ``exp(−2 r² / w(z)²)`` whose 1/e² radius
  narrows linearly from the skin to the focal spot on the bone surface: ``w(z) = w_focus + (d − z)·tan(half_angle)``.
  All attenuation is treated as absorption (no reflection, no scattering).
* **Tissue heating.** The Pennes bioheat equation (Pennes 1948)
  ``ρ c ∂T/∂t = ∇·(k ∇T) + ω c_b (T_a − T) + q`` on a finite-volume grid (cell-centred, conservative fluxes
  between neighbouring rings, harmonic-mean conductivity at faces), explicit (forward Euler) in time. The time step is
  chosen from the exact stability bound of the scheme, ``Δt ≤ C_i / (Σ G_ij + W_i)`` for every cell (heat capacity over
  total conductance plus perfusion), times a safety factor < 1, which also keeps the scheme free of overshoot.
* **Thermal dose.** Cumulative equivalent minutes at 43 °C per cell (Sapareto & Dewey 1984), accumulated each step
  with the same constants as :func:`bonemets_edu.thermal.cem43` (the test suite checks the two agree).

Which numbers are sourced and which are illustrative (see ``data/fus.toml``)
-------------------------------------------------------------------------
* Tissue properties: :func:`bonemets_edu.thermal.tissue` (Cancers 2019;11(8):1183, Table 1). [SEEN]
* Soft-tissue attenuation 4.6 Np/m per MHz (a skin value from the Aubry et al. 2022 benchmark, read in a secondary
  source) at 1 MHz, applied to all soft tissue. [SECONDARY]
* Frequency 1 MHz, power 32–96 W, 20–30 s per sonication (Chen et al. 2017). [SEEN]
* **Illustrative, not sourced:** how many times more strongly bone absorbs than soft tissue (a cortical-bone
  attenuation at 1 MHz was not found), the focal-spot radius, the beam's half-angle and the skin thickness. Their
  defaults were chosen so that a mid-range sonication heats the bone surface into the 65–85 °C band reported for the
  phase III trial; they are not measured values.

Limitations (said out loud in the lesson): no reflection at the bone, no temperature-dependent properties, no
cooling by the water bath, one sonication only, a smooth layered anatomy and a ring-shaped (not point-like)
"structure" because the model is axisymmetric.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._validate import require_choice, require_in_range, require_non_negative, require_positive, require_whole

__all__ = [
    "absorption_profile",
    "ArmResult",
    "BeamParameters",
    "TrialSummary",
    "Warning_",
    "clinical_value",
    "default_beam",
    "fus_records",
    "proportion_ci",
    "risk_difference_ci",
    "sham_trial",
    "sonication_warnings",
    "threshold",
    "responders_from_percent",
    "CI_METHODS",
    "EnergyBudget",
    "SonicationResult",
    "simulate_sonication",
    "stable_time_step_s",
    "CEM43_LETHAL_MIN",
    "EDGE_CONDITIONS",
    "PLANNER_CELL_MM",
    "PLANNER_DOMAIN_DEPTH_MM",
    "PLANNER_COOLING_S",
    "fraction_reaching_bone",
    "format_dose",
]

#: Thermal dose (CEM43, minutes) used for tissue destruction in the course's thermal lessons (cited in data/fus.toml).
CEM43_LETHAL_MIN = 240.0
EDGE_CONDITIONS = ("body", "insulated")
#: Grid cell (mm) of the lesson's sonication planner AND of its scenario table, so the two always show the same
#: numbers. Coarsened for speed; against a 0.25 mm reference grid the bone-surface, skin (with and without the what-if
#: extra skin absorption) and nerve temperatures agree within 0.5, 0.2 and 2 °C (tests/test_fus_model.py).
PLANNER_CELL_MM = 0.75
#: The planner's model always spans 90 mm of depth (more bone below a shallow target), so the map's axes never move.
PLANNER_DOMAIN_DEPTH_MM = 90.0
#: Cooling simulated after the power goes off in the planner and the scenario table (s).
PLANNER_COOLING_S = 30.0
_REF_C = 43.0


@dataclass(frozen=True)
class BeamParameters:
    """Acoustic/geometric settings of the beam. Only ``frequency_mhz`` and the soft-tissue attenuation are sourced.

    ``bone_absorption_ratio``: bone attenuation ÷ soft-tissue attenuation (ILLUSTRATIVE).
    ``focal_radius_mm``: 1/e² radius of the Gaussian focal spot on the bone surface (ILLUSTRATIVE).
    ``half_angle_deg``: half-angle of the converging beam cone (ILLUSTRATIVE).
    ``skin_thickness_mm``: thickness of the skin layer (ILLUSTRATIVE).
    ``skin_extra_absorption``: a what-if: extra fraction (0–0.2) of the beam power absorbed in the skin layer on top
    of its ordinary attenuation, standing for anything that makes the skin absorb more than the model's smooth tissue
    (ILLUSTRATIVE; 0 by default).
    """

    frequency_mhz: float = 1.0
    soft_attenuation_np_m_mhz: float = 4.6
    bone_absorption_ratio: float = 20.0
    focal_radius_mm: float = 20.0
    half_angle_deg: float = 15.0
    skin_extra_absorption: float = 0.0
    skin_thickness_mm: float = 2.0

    def __post_init__(self):
        require_in_range("frequency_mhz", self.frequency_mhz, 0.2, 5.0, unit="MHz", allow_array=False)
        require_positive("soft_attenuation_np_m_mhz", self.soft_attenuation_np_m_mhz, unit="Np/m/MHz", allow_array=False)
        require_in_range("bone_absorption_ratio", self.bone_absorption_ratio, 1.0, 200.0, allow_array=False)
        require_in_range("focal_radius_mm", self.focal_radius_mm, 1.0, 30.0, unit="mm", allow_array=False)
        require_in_range("half_angle_deg", self.half_angle_deg, 0.0, 45.0, unit="degrees", allow_array=False)
        require_in_range("skin_thickness_mm", self.skin_thickness_mm, 0.5, 5.0, unit="mm", allow_array=False)
        require_in_range("skin_extra_absorption", self.skin_extra_absorption, 0.0, 0.2, allow_array=False)

    @property
    def soft_alpha_np_m(self) -> float:
        return self.soft_attenuation_np_m_mhz * self.frequency_mhz

    @property
    def bone_alpha_np_m(self) -> float:
        return self.soft_alpha_np_m * self.bone_absorption_ratio


@dataclass(frozen=True)
class EnergyBudget:
    """Where the acoustic energy went (joules). ``deposited = stored + perfusion + edges`` for a conservative solver."""

    delivered_j: float  # acoustic energy sent into the skin (P x t)
    deposited_j: float  # absorbed inside the model tissue
    transmitted_j: float  # left through the deep boundary without being absorbed
    stored_j: float  # rise in heat content of the tissue at the end
    perfusion_j: float  # carried away by blood (Pennes term)
    edges_j: float  # conducted out through the outer edges held at body temperature

    @property
    def imbalance_j(self) -> float:
        return self.deposited_j - (self.stored_j + self.perfusion_j + self.edges_j)


@dataclass(frozen=True)
class SonicationResult:
    """Everything a figure, a widget or a test needs about one simulated sonication (SI-friendly units in names)."""

    r_mm: np.ndarray  # cell-centre radii (mm), shape (nr,)
    z_mm: np.ndarray  # cell-centre depths below the skin surface (mm), shape (nz,)
    peak_temperature_c: np.ndarray  # highest temperature reached in each cell (°C), shape (nz, nr)
    final_temperature_c: np.ndarray  # temperature at the end of the sonication (°C), shape (nz, nr)
    cem43_min: np.ndarray  # thermal dose accumulated in each cell over the sonication and cooling (min), (nz, nr)
    times_s: np.ndarray  # sample times (s)
    focus_trace_c: np.ndarray  # temperature on the bone surface at the beam axis (°C) vs time
    surface_peak_c: np.ndarray  # highest temperature reached on the bone surface at each radius (°C), shape (nr,)
    skin_trace_c: np.ndarray  # hottest skin temperature (°C) vs time
    structure_trace_c: np.ndarray  # temperature on the bone surface at the structure's distance from the axis (°C)
    power_w: float
    duration_s: float
    cooling_s: float
    bone_depth_mm: float
    structure_distance_mm: float
    body_temperature_c: float
    dt_s: float
    stability_limit_s: float
    beam: BeamParameters
    energy: EnergyBudget
    structure_cem43_min: float
    skin_cem43_min: float
    notes: dict = field(default_factory=dict, compare=False)

    # -- summary numbers ---------------------------------------------------------------------------------------------
    @property
    def bone_surface_row(self) -> int:
        """Index of the first bone row (the periosteal surface) in ``z_mm``."""
        return int(np.searchsorted(self.z_mm, self.bone_depth_mm))

    @property
    def peak_periosteal_c(self) -> float:
        """Highest temperature reached ON the bone surface (interface value, where the periosteum lies), °C."""
        return float(self.surface_peak_c.max())

    @property
    def peak_bone_c(self) -> float:
        """Highest temperature anywhere in the model (°C); usually a few millimetres inside the bone."""
        return float(self.peak_temperature_c.max())

    @property
    def peak_skin_c(self) -> float:
        return float(self.skin_trace_c.max())

    @property
    def peak_structure_c(self) -> float:
        return float(self.structure_trace_c.max())

    @property
    def lethal_mask(self) -> np.ndarray:
        """Cells whose thermal dose reached CEM43_LETHAL_MIN (240 min)."""
        return self.cem43_min >= CEM43_LETHAL_MIN

    @property
    def lethal_radius_on_bone_mm(self) -> float:
        """Radius (mm) of the region on the bone surface that reached 240 CEM43 (0 if none)."""
        row = self.lethal_mask[self.bone_surface_row - 1 : self.bone_surface_row + 1, :].any(axis=0)
        if not row.any():
            return 0.0
        dr = float(self.r_mm[1] - self.r_mm[0])
        return float(self.r_mm[np.nonzero(row)[0].max()] + dr / 2)

    @property
    def lethal_depth_range_mm(self) -> tuple[float, float] | None:
        """(shallowest, deepest) depth (mm) reached by the 240-CEM43 region, or None."""
        rows = np.nonzero(self.lethal_mask.any(axis=1))[0]
        if rows.size == 0:
            return None
        dz = float(self.z_mm[1] - self.z_mm[0])
        # cell edges; the shallowest edge is the skin surface at the least (clamped: no round-off "-0 mm")
        return max(0.0, float(self.z_mm[rows.min()] - dz / 2)), float(self.z_mm[rows.max()] + dz / 2)


def _props(t: Any, name: str) -> tuple[float, float, float, float]:
    try:
        vals = (t.density_kg_m3, t.specific_heat_j_kg_k, t.conductivity_w_m_k, t.perfusion_w_m3_k)
    except AttributeError:
        raise TypeError(
            f"{name} must be a tissue with density_kg_m3, specific_heat_j_kg_k, conductivity_w_m_k and "
            f"perfusion_w_m3_k (e.g. bonemets_edu.thermal.tissue('bone')), got {type(t).__name__}"
        ) from None
    for label, v in zip(("density_kg_m3", "specific_heat_j_kg_k", "conductivity_w_m_k"), vals[:3], strict=False):
        require_positive(f"{name}.{label}", v, allow_array=False)
    require_non_negative(f"{name}.perfusion_w_m3_k", vals[3], allow_array=False)
    return vals


class _Grid:
    """Geometry, material maps, conductances and the heat source for one set of inputs."""

    def __init__(self, *, bone_depth_mm, cell_mm, radius_mm, bone_below_mm, beam, skin, soft, bone, perfusion_scale, edges):
        h = cell_mm * 1e-3
        self.h = h
        nr = int(round(radius_mm / cell_mm))
        nz = int(round((bone_depth_mm + bone_below_mm) / cell_mm))
        self.nr, self.nz = nr, nz
        r_c = (np.arange(nr) + 0.5) * h  # m
        z_c = (np.arange(nz) + 0.5) * h
        self.r_c, self.z_c = r_c, z_c
        r_in, r_out = r_c - h / 2, r_c + h / 2
        ring_area = np.pi * (r_out**2 - r_in**2)  # m² (annulus), shape (nr,)
        vol = np.broadcast_to(ring_area * h, (nz, nr))

        # material map: 0 skin, 1 soft tissue, 2 bone (by cell centre depth)
        d = bone_depth_mm * 1e-3
        skin_t = beam.skin_thickness_mm * 1e-3
        mat = np.where(z_c < skin_t, 0, np.where(z_c < d, 1, 2))
        self.material_rows = mat
        table = np.array([_props(skin, "skin"), _props(soft, "soft"), _props(bone, "bone")])
        rho_c = (table[:, 0] * table[:, 1])[mat]  # per row
        k = table[:, 2][mat]
        w = table[:, 3][mat] * perfusion_scale
        self.C = vol * rho_c[:, None]  # J/K
        self.W = vol * w[:, None]  # W/K

        # conductances between neighbours (W/K)
        k_rows = np.broadcast_to(k[:, None], (nz, nr))
        face_r = 2 * np.pi * r_out[:-1] * h  # area of the face between ring i and i+1
        self.Gr = (k_rows[:, :-1] * k_rows[:, 1:] * 2 / (k_rows[:, :-1] + k_rows[:, 1:])) * face_r / h  # (nz, nr-1)
        k_face_z = 2 * k[:-1] * k[1:] / (k[:-1] + k[1:])
        self.Gz = k_face_z[:, None] * ring_area[None, :] / h  # (nz-1, nr)
        # outer edges (lateral r = R and deep z = Z) held at body temperature, or insulated
        if edges == "body":
            self.G_out_r = k_rows[:, -1] * (2 * np.pi * r_out[-1] * h) / (h / 2)  # (nz,)
            self.G_out_z = k[-1] * ring_area / (h / 2)  # (nr,)
        else:
            self.G_out_r = np.zeros(nz)
            self.G_out_z = np.zeros(nr)
        # skin surface (z = 0) and the axis (r = 0) are always adiabatic: the axis by symmetry; the skin because the
        # model leaves out the cooling by the coupling water (a worst case for the skin).

        gsum = np.zeros((nz, nr))
        gsum[:, :-1] += self.Gr
        gsum[:, 1:] += self.Gr
        gsum[:-1, :] += self.Gz
        gsum[1:, :] += self.Gz
        gsum[:, -1] += self.G_out_r
        gsum[-1, :] += self.G_out_z
        self.gsum = gsum
        self.stability_limit_s = float(np.min(self.C / (gsum + self.W)))

        # heat source per watt of acoustic power entering the skin (W per W), shape (nz, nr)
        alpha = np.where(mat == 2, beam.bone_alpha_np_m, beam.soft_alpha_np_m)  # per row
        edges_z = np.arange(nz + 1) * h
        exponent = 2 * alpha * h
        if beam.skin_extra_absorption > 0:
            # spread the what-if extra skin loss evenly (in exponent) over the true skin thickness: each row gets the
            # share of it that lies inside [0, skin thickness], so a grid whose rows do not line up with the skin
            # (e.g. 0.75 mm rows for 2 mm of skin) deposits the same heat in the same layer as one that does
            overlap = np.clip(np.minimum(edges_z[1:], skin_t) - edges_z[:-1], 0.0, h)
            exponent = exponent + (-math.log(1.0 - beam.skin_extra_absorption)) * overlap / skin_t
        tau = np.concatenate([[0.0], np.cumsum(exponent)])  # attenuation exponent at slab faces
        p_face = np.exp(-tau)  # fraction of the power still travelling at each face
        slab_power = p_face[:-1] - p_face[1:]  # fraction absorbed in each slab (exact)
        self.transmitted_fraction = float(p_face[-1])
        self.p_face = p_face
        tan_a = math.tan(math.radians(beam.half_angle_deg))
        w_f = beam.focal_radius_mm * 1e-3
        zc = 0.5 * (edges_z[:-1] + edges_z[1:])
        width = w_f + np.clip(d - zc, 0.0, None) * tan_a  # 1/e² radius per slab (m)
        profile = np.exp(-2.0 * (r_c[None, :] / width[:, None]) ** 2) * ring_area[None, :]
        profile /= profile.sum(axis=1, keepdims=True)  # each slab's share over its rings sums to 1
        self.source_per_w = slab_power[:, None] * profile  # W deposited per W delivered, per cell

        # indices for read-outs
        self.bone_row = int(np.searchsorted(z_c, d))
        # temperature ON the bone surface (the soft-tissue/bone interface), from the two cells either side with
        # continuity of heat flux: T_s = (k_soft T_soft + k_bone T_bone) / (k_soft + k_bone) (second-order accurate;
        # the cell centres themselves sit h/2 away from the surface)
        k_above, k_below = float(k[self.bone_row - 1]), float(k[self.bone_row])
        self.w_above = k_above / (k_above + k_below)
        self.w_below = k_below / (k_above + k_below)
        self.skin_rows = slice(0, max(1, int(np.searchsorted(z_c, skin_t))))


def absorption_profile(bone_depth_mm: float = 40.0, *, beam: BeamParameters | None = None, cell_mm: float = 0.5):
    """Along the depth: (z_mm, fraction of the beam power still travelling, fraction absorbed per mm of depth).

    Shows where the energy goes: a little in the skin and muscle, most of it in the first millimetres of bone.
    """
    grid = _build_grid(bone_depth_mm, beam=beam, cell_mm=cell_mm)
    absorbed = grid.source_per_w.sum(axis=1)  # fraction absorbed in each slab
    remaining = 1.0 - np.cumsum(absorbed) + absorbed / 2  # at slab centres
    return grid.z_c * 1e3, remaining, absorbed / cell_mm


def fraction_reaching_bone(bone_depth_mm: float = 40.0, *, beam: BeamParameters | None = None,
                           cell_mm: float = 0.5) -> float:
    """Fraction (0–1) of the beam power still travelling when it reaches the bone surface [computed].

    The value at the bone-surface face of the grid, i.e. ``exp(−2 α_soft d)`` (times ``1 − skin_extra_absorption``).
    """
    grid = _build_grid(bone_depth_mm, beam=beam, cell_mm=cell_mm)
    return float(grid.p_face[grid.bone_row])


def stable_time_step_s(**kwargs) -> float:
    """The explicit scheme's stability limit (s) for the inputs of :func:`simulate_sonication` (same keywords)."""
    grid = _build_grid(**kwargs)
    return grid.stability_limit_s


def _default_tissues():
    from .thermal import tissue

    return tissue("skin"), tissue("muscle"), tissue("bone")


def _build_grid(
    bone_depth_mm: float = 40.0,
    *,
    beam: BeamParameters | None = None,
    cell_mm: float = 0.5,
    radius_mm: float = 40.0,
    bone_below_mm: float = 20.0,
    skin=None,
    soft=None,
    bone=None,
    perfusion_scale: float = 1.0,
    edges: str = "body",
    **_ignored,
) -> _Grid:
    beam = beam if beam is not None else default_beam()
    if not isinstance(beam, BeamParameters):
        raise TypeError(f"beam must be a BeamParameters, got {type(beam).__name__}")
    require_in_range("bone_depth_mm", bone_depth_mm, 10.0, 100.0, unit="mm", allow_array=False)
    require_in_range("cell_mm", cell_mm, 0.2, 2.0, unit="mm", allow_array=False)
    require_in_range("radius_mm", radius_mm, 10.0, 100.0, unit="mm", allow_array=False)
    require_in_range("bone_below_mm", bone_below_mm, 5.0, 100.0, unit="mm", allow_array=False)
    require_in_range("perfusion_scale", perfusion_scale, 0.0, 10.0, allow_array=False)
    edges = require_choice("edges", edges, EDGE_CONDITIONS)
    if bone_depth_mm <= beam.skin_thickness_mm + 2 * cell_mm:
        raise ValueError(
            f"bone_depth_mm must exceed the skin thickness ({beam.skin_thickness_mm:g} mm) by at least two cells, "
            f"got {bone_depth_mm!r}"
        )
    if skin is None or soft is None or bone is None:
        d_skin, d_soft, d_bone = _default_tissues()
        skin, soft, bone = skin or d_skin, soft or d_soft, bone or d_bone
    return _Grid(
        bone_depth_mm=float(bone_depth_mm), cell_mm=float(cell_mm), radius_mm=float(radius_mm),
        bone_below_mm=float(bone_below_mm), beam=beam, skin=skin, soft=soft, bone=bone,
        perfusion_scale=float(perfusion_scale), edges=edges,
    )


def simulate_sonication(
    power_w: float,
    duration_s: float,
    bone_depth_mm: float = 40.0,
    structure_distance_mm: float = 15.0,
    *,
    cooling_s: float = 30.0,
    beam: BeamParameters | None = None,
    cell_mm: float = 0.5,
    radius_mm: float = 40.0,
    bone_below_mm: float = 20.0,
    skin=None,
    soft=None,
    bone=None,
    perfusion_scale: float = 1.0,
    edges: str = "body",
    body_temperature_c: float = 37.0,
    safety: float = 0.9,
    dt_s: float | None = None,
) -> SonicationResult:
    """Simulate one sonication of ``power_w`` (acoustic W) for ``duration_s`` seconds, then ``cooling_s`` of cooling.

    ``bone_depth_mm``: depth of the bone surface below the skin (mm, 10–100).
    ``structure_distance_mm``: distance from the beam axis, along the bone surface, of a heat-sensitive structure
    (e.g. a nerve lying on the periosteum) (mm, 0–radius). Its temperature is the bone-surface temperature there
    (interpolated between rings); because the model is axisymmetric, the "structure" is really a ring.
    ``skin``/``soft``/``bone``: tissue property objects (default: :func:`bonemets_edu.thermal.tissue` 'skin', 'muscle',
    'bone'); ``perfusion_scale`` multiplies every perfusion (0 switches blood cooling off); ``edges`` is 'body' (outer
    lateral and deep edges held at body temperature) or 'insulated' (no heat leaves the model).
    ``dt_s``: time step; by default ``safety`` × the scheme's stability limit. A ``dt_s`` above the limit is refused.

    Returns a :class:`SonicationResult` (temperature maps, CEM43 map, traces, energy budget).
    """
    require_in_range("power_w", power_w, 0.0, 500.0, unit="W", allow_array=False)
    require_in_range("duration_s", duration_s, 0.0, 300.0, low_inclusive=False, unit="s", allow_array=False)
    require_in_range("cooling_s", cooling_s, 0.0, 600.0, unit="s", allow_array=False)
    require_in_range("body_temperature_c", body_temperature_c, 30.0, 42.0, unit="°C", allow_array=False)
    require_in_range("safety", safety, 0.0, 1.0, low_inclusive=False, allow_array=False)
    grid = _build_grid(
        bone_depth_mm, beam=beam, cell_mm=cell_mm, radius_mm=radius_mm, bone_below_mm=bone_below_mm,
        skin=skin, soft=soft, bone=bone, perfusion_scale=perfusion_scale, edges=edges,
    )
    require_in_range(
        "structure_distance_mm", structure_distance_mm, 0.0, radius_mm - cell_mm, unit="mm", allow_array=False
    )
    beam = beam if beam is not None else default_beam()
    limit = grid.stability_limit_s
    if dt_s is None:
        n_on = max(1, math.ceil(duration_s / (safety * limit)))
        dt = duration_s / n_on
    else:
        require_positive("dt_s", dt_s, unit="s", allow_array=False)
        if dt_s > limit:
            raise ValueError(
                f"dt_s must be at most the explicit scheme's stability limit {limit:.4g} s for this grid, got {dt_s!r}"
            )
        dt = float(dt_s)
        n_on = max(1, round(duration_s / dt))
        dt = duration_s / n_on
        if dt > limit:  # rounding pushed it over: take one more step
            n_on += 1
            dt = duration_s / n_on
    n_off = math.ceil(cooling_s / dt) if cooling_s > 0 else 0

    ta = float(body_temperature_c)
    theta = np.zeros((grid.nz, grid.nr))  # excess temperature over body temperature (K)
    peak = theta.copy()
    dose = np.zeros_like(theta)
    q = grid.source_per_w * float(power_w)  # W per cell
    a = dt / grid.C  # K per J
    Gr, Gz, W = grid.Gr, grid.Gz, grid.W
    Gor, Goz = grid.G_out_r, grid.G_out_z
    j_b = grid.bone_row
    skin_rows = grid.skin_rows
    n_total = n_on + n_off
    times = np.arange(n_total + 1) * dt
    focus_tr = np.empty(n_total + 1)
    skin_tr = np.empty(n_total + 1)
    struct_tr = np.empty(n_total + 1)
    focus_tr[0] = skin_tr[0] = struct_tr[0] = ta
    skin_dose = 0.0
    struct_dose = 0.0
    perf_j = 0.0
    edge_j = 0.0
    flux = np.empty_like(theta)
    ref = _REF_C - ta
    dt_min = dt / 60.0
    buf = np.empty_like(theta)
    buf2 = np.empty_like(theta)
    w_above, w_below = grid.w_above, grid.w_below
    surface_peak = np.zeros(grid.nr)
    r_c = grid.r_c
    s_m = float(structure_distance_mm) * 1e-3
    probe_tr = np.empty(n_total + 1)
    probe_tr[0] = ta
    fr = np.empty_like(Gr)
    fz = np.empty_like(Gz)
    for step in range(n_total):
        # thermal dose of this step, held at the temperature at the start of the step (left Riemann sum):
        # R^(43 - T) = 2^(T - 43) at or above 43 °C (R = 0.5) and 4^(T - 43) below (R = 0.25), i.e.
        # 2^min(e, 2e) with e = T - 43 (capped far above boiling, only to avoid overflow)
        np.subtract(theta, ref, out=buf)
        np.multiply(buf, 2.0, out=buf2)
        np.minimum(buf, buf2, out=buf)
        np.minimum(buf, 500.0, out=buf)
        np.exp2(buf, out=buf)
        buf *= dt_min
        dose += buf
        # heat balance of every cell (W): source - perfusion + conduction in r and z - loss through held edges
        np.multiply(W, theta, out=flux)
        perf_j += float(flux.sum()) * dt
        np.negative(flux, out=flux)
        if step < n_on:
            flux += q
        np.subtract(theta[:, 1:], theta[:, :-1], out=fr)
        fr *= Gr
        flux[:, :-1] += fr
        flux[:, 1:] -= fr
        np.subtract(theta[1:, :], theta[:-1, :], out=fz)
        fz *= Gz
        flux[:-1, :] += fz
        flux[1:, :] -= fz
        out_r = Gor * theta[:, -1]
        out_z = Goz * theta[-1, :]
        flux[:, -1] -= out_r
        flux[-1, :] -= out_z
        edge_j += (float(out_r.sum()) + float(out_z.sum())) * dt
        flux *= a
        theta += flux
        np.maximum(peak, theta, out=peak)
        surf = w_above * theta[j_b - 1, :] + w_below * theta[j_b, :]
        np.maximum(surface_peak, surf, out=surface_peak)
        focus_tr[step + 1] = surf[0] + ta
        skin_tr[step + 1] = theta[skin_rows, :].max() + ta
        struct_tr[step + 1] = float(np.interp(s_m, r_c, surf)) + ta
        probe_tr[step + 1] = theta[j_b, 0] + ta
    skin_dose = float(dose[skin_rows, :].max())
    from .thermal import cem43

    struct_dose = cem43(struct_tr[:-1], dt)  # the shared thermal-dose function (same left Riemann sum as the map)
    stored = float((grid.C * theta).sum())
    delivered = float(power_w) * duration_s
    deposited = float(q.sum()) * n_on * dt
    energy = EnergyBudget(
        delivered_j=delivered,
        deposited_j=deposited,
        transmitted_j=delivered * grid.transmitted_fraction,
        stored_j=stored,
        perfusion_j=perf_j,
        edges_j=edge_j,
    )
    return SonicationResult(
        r_mm=grid.r_c * 1e3,
        z_mm=grid.z_c * 1e3,
        peak_temperature_c=peak + ta,
        final_temperature_c=theta + ta,
        cem43_min=dose,
        times_s=times,
        focus_trace_c=focus_tr,
        surface_peak_c=surface_peak + ta,
        skin_trace_c=skin_tr,
        structure_trace_c=struct_tr,
        power_w=float(power_w),
        duration_s=float(duration_s),
        cooling_s=float(cooling_s),
        bone_depth_mm=float(bone_depth_mm),
        structure_distance_mm=float(structure_distance_mm),
        body_temperature_c=ta,
        dt_s=dt,
        stability_limit_s=limit,
        beam=beam,
        energy=energy,
        structure_cem43_min=struct_dose,
        skin_cem43_min=skin_dose,
        notes={"n_steps_on": n_on, "n_steps_off": n_off, "probe_cell": (j_b, 0), "probe_trace_c": probe_tr},
    )


# =====================================================================================================================
# Data: data/fus.toml

_FILE = "fus.toml"
_SCHEMAS = {
    "arm": ({"label": str, "n": int, "responder_percent": float}, {}),
    "adverse_event": ({"label": str, "arm": str, "why": str}, {"count": int, "percent": float}),
    "meta": (
        {
            "label": str, "studies": int, "patients": int, "pooled_response_percent": float,
            "pooled_response_ci_low": float, "pooled_response_ci_high": float, "response_definition": str,
            "pain_change_1_month": float, "pain_change_3_months": float, "high_grade_ae_percent": float,
            "low_grade_ae_percent": float,
        },
        {},
    ),
    "clinical": ({"label": str, "value": float, "unit": str}, {}),
    "threshold": ({"label": str, "value": float, "unit": str, "status": str}, {"caveat": str}),
    "parameter": ({"label": str, "value": float, "unit": str, "status": str}, {}),
    "site": ({"label": str, "sites": list}, {}),
    "candidacy": ({"statement": str, "status": str}, {}),
    "session_step": ({"order": int, "label": str, "text": str}, {}),
    "near_target": ({"label": str, "why": str, "protection": str}, {}),
}


def fus_records(table: str):
    """Validated records of ``[[table]]`` in data/fus.toml (every ``source`` resolves to references.toml)."""
    from .evidence import load_records

    table = require_choice("table", table, tuple(_SCHEMAS))
    schema, optional = _SCHEMAS[table]
    return load_records(_FILE, table, schema=schema, optional=optional)


def _record(table: str, record_id: str):
    from .evidence import by_id

    return by_id(fus_records(table), record_id)


def clinical_value(record_id: str) -> float:
    """A clinical number from data/fus.toml (e.g. 'power_min' → 32.0 W)."""
    return float(_record("clinical", record_id)["value"])


def threshold(record_id: str):
    """A warning threshold record ('lethal_dose', 'nerve_temperature', 'dose_reference')."""
    return _record("threshold", record_id)


def default_beam() -> BeamParameters:
    """Beam settings read from data/fus.toml (soft-tissue attenuation sourced; the rest illustrative)."""
    p = {r["id"]: float(r["value"]) for r in fus_records("parameter")}
    return BeamParameters(
        frequency_mhz=clinical_value("frequency"),
        soft_attenuation_np_m_mhz=p["soft_attenuation"],
        bone_absorption_ratio=p["bone_absorption_ratio"],
        focal_radius_mm=p["footprint_radius"],
        half_angle_deg=p["half_angle"],
        skin_thickness_mm=p["skin_thickness"],
    )


# =====================================================================================================================
# Warnings for the sonication planner (the clinical logic lives here, not in the widget)


@dataclass(frozen=True)
class Warning_:
    """One verdict line: ``kind`` is 'ok', 'info' or 'warning'; ``text`` names the threshold and its source."""

    kind: str
    text: str
    key: str


def _label(key: str) -> str:
    """Author–year label, or journal–year when the authors were not recorded."""
    from .references import get, short

    ref = get(key)
    if ref.authors.startswith("Authors not recorded"):
        return f"{ref.journal.split()[0]} {ref.year}"
    return short(key)


def _shown(value: float, decimals: int) -> float:
    """``value`` as the lesson displays it (``f"{value:.{decimals}f}"``), so every verdict compares the number the
    student reads: 64.7 °C is shown as 65 °C and therefore counts as inside a 65–85 °C band."""
    return float(f"{value:.{decimals}f}")


def format_dose(cem43_min: float) -> str:
    """A thermal dose (CEM43 min) for display: 3 significant figures below 1000, whole minutes with thousands
    separators up to a million, and "over 1,000,000" above (no scientific notation on screen)."""
    if cem43_min < 1000:
        return f"{cem43_min:.3g}"
    if cem43_min < 1e6:
        return f"{cem43_min:,.0f}"
    return "over 1,000,000"


def _shown_dose(cem43_min: float) -> float:
    return float(f"{cem43_min:.3g}") if cem43_min < 1000 else float(cem43_min)


def sonication_warnings(result: SonicationResult) -> list[Warning_]:
    """Plain-language verdicts on a simulated sonication, each naming its threshold and source.

    * target: peak periosteal temperature vs the 65–85 °C reported in the trial (Hurwitz 2014);
    * skin: thermal dose ≥ 240 CEM43 → warning (dose: McDannold 2006); skin above 43 °C → caution (the CEM43
      reference temperature, Sapareto & Dewey 1984). A skin-specific burn threshold was not found;
    * structure: peak ≥ 45 °C (nerve cytotoxicity, AJR 2000) or dose ≥ 240 CEM43 → warning;
    * model validity: temperatures ≥ 100 °C are outside the model (boiling/charring are not modelled).

    Every comparison is made on the value as displayed (temperatures in whole degrees for the bone, to 0.1 °C for the
    skin and the nerve; doses by :func:`format_dose`), so a verdict never contradicts the number printed next to it.
    """
    if not isinstance(result, SonicationResult):
        raise TypeError(f"result must be a SonicationResult, got {type(result).__name__}")
    lethal = threshold("lethal_dose")
    nerve = threshold("nerve_temperature")
    ref43 = threshold("dose_reference")
    lo, hi = clinical_value("target_low"), clinical_value("target_high")
    out: list[Warning_] = []
    peri = _shown(result.peak_periosteal_c, 0)
    band = f"the {lo:g}–{hi:g} °C reported in the phase III trial ({_label('hurwitz2014')})"
    if peri < lo:
        out.append(Warning_("info", f"Bone surface peaks at {peri:.0f} °C: below {band}.", "target_low"))
    elif peri <= hi:
        out.append(Warning_("ok", f"Bone surface peaks at {peri:.0f} °C: within {band}.", "target_ok"))
    else:
        out.append(Warning_("info", f"Bone surface peaks at {peri:.0f} °C: above {band}.", "target_high"))
    hottest = _shown(float(result.peak_temperature_c.max()), 0)
    if hottest >= 100.0:
        out.append(Warning_(
            "warning",
            f"The model reaches {hottest:.0f} °C: boiling and charring are not modelled, so "
            "the numbers above 100 °C are not trustworthy.",
            "model_validity",
        ))
    lethal_txt = f"{lethal['value']:g} CEM43 ({_label(lethal['source'])})"
    skin_peak = _shown(result.peak_skin_c, 1)
    if _shown_dose(result.skin_cem43_min) >= lethal["value"]:
        out.append(Warning_(
            "warning",
            f"Skin burn: the skin's thermal dose reaches {format_dose(result.skin_cem43_min)} CEM43, at or above the "
            f"tissue-destroying dose of {lethal_txt}. A skin-specific threshold was not found; this one is the "
            "course's general threshold.",
            "skin_burn",
        ))
    elif skin_peak >= ref43["value"]:
        out.append(Warning_(
            "info",
            f"Skin caution: the skin warms to {skin_peak:.1f} °C, at or above {ref43['value']:g} °C, where the "
            f"thermal dose starts to build up quickly ({_label(ref43['source'])}); dose so far "
            f"{format_dose(result.skin_cem43_min)} CEM43, below {lethal_txt}.",
            "skin_caution",
        ))
    else:
        out.append(Warning_(
            "ok", f"Skin stays at {skin_peak:.1f} °C (below {ref43['value']:g} °C).", "skin_ok"
        ))
    nerve_txt = f"{nerve['value']:g} °C, cytotoxic to nerves ({_label(nerve['source'])})"
    s_peak = _shown(result.peak_structure_c, 1)
    d = result.structure_distance_mm
    if s_peak >= nerve["value"] or _shown_dose(result.structure_cem43_min) >= lethal["value"]:
        out.append(Warning_(
            "warning",
            f"Nerve at risk: the structure {d:g} mm from the beam axis reaches {s_peak:.1f} °C "
            f"(threshold {nerve_txt}); its thermal dose is {format_dose(result.structure_cem43_min)} CEM43.",
            "structure_hot",
        ))
    else:
        out.append(Warning_(
            "ok",
            f"The structure {d:g} mm from the beam axis peaks at {s_peak:.1f} °C, below {nerve_txt}.",
            "structure_ok",
        ))
    return out


# =====================================================================================================================
# The sham-controlled trial: proportions and confidence intervals

CI_METHODS = ("wilson", "exact", "wald")
_Z95 = 1.959963984540054  # standard normal quantile for a two-sided 95 % interval


def proportion_ci(successes: int, n: int, method: str = "wilson") -> tuple[float, float]:
    """Two-sided 95 % confidence interval (as fractions 0–1) for ``successes`` out of ``n``.

    * ``wilson`` — Wilson score interval (Wilson 1927): centre (p + z²/2n)/(1 + z²/n),
      half-width z·√(p(1−p)/n + z²/4n²)/(1 + z²/n).
    * ``exact`` — Clopper–Pearson interval from the beta distribution (scipy.stats.beta).
    * ``wald`` — p ± z·√(p(1−p)/n), clipped to [0, 1] (shown to teach why it misbehaves for small n).
    """
    n = require_whole("n", n, minimum=1, allow_array=False)
    k = require_whole("successes", successes, minimum=0, maximum=n, allow_array=False)
    method = require_choice("method", method, CI_METHODS)
    p = k / n
    z = _Z95
    if method == "wilson":
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
        return max(0.0, centre - half), min(1.0, centre + half)
    if method == "exact":
        from scipy.stats import beta

        lo = 0.0 if k == 0 else float(beta.ppf(0.025, k, n - k + 1))
        hi = 1.0 if k == n else float(beta.ppf(0.975, k + 1, n - k))
        return lo, hi
    half = z * math.sqrt(p * (1 - p) / n)
    return max(0.0, p - half), min(1.0, p + half)


def risk_difference_ci(k1: int, n1: int, k2: int, n2: int) -> tuple[float, float, float]:
    """Difference p1 − p2 with Newcombe's hybrid score 95 % interval (from the two Wilson intervals).

    Returns (difference, low, high) as fractions. Newcombe RG, Stat Med 1998 (method 10).
    """
    p1, p2 = k1 / require_whole("n1", n1, allow_array=False), k2 / require_whole("n2", n2, allow_array=False)
    l1, u1 = proportion_ci(k1, n1, "wilson")
    l2, u2 = proportion_ci(k2, n2, "wilson")
    d = p1 - p2
    return d, d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)


@dataclass(frozen=True)
class ArmResult:
    id: str
    label: str
    n: int
    responders: int  # COMPUTED: round(published percent x n), checked to reproduce the published percent
    published_percent: float
    ci_low_percent: float
    ci_high_percent: float
    source: str

    @property
    def percent(self) -> float:
        return 100.0 * self.responders / self.n


@dataclass(frozen=True)
class TrialSummary:
    arms: tuple[ArmResult, ...]
    method: str
    difference_percent: float
    difference_ci_low_percent: float
    difference_ci_high_percent: float
    nnt: int  # number needed to treat, rounded up [COMPUTED]
    adverse_events: tuple  # (label, count, percent, why, source, count_is_computed)
    source: str


def responders_from_percent(percent: float, n: int) -> int:
    """The whole number of patients that reproduces a published percentage (to its 1 decimal place)."""
    n = require_whole("n", n, minimum=1, allow_array=False)
    percent = require_in_range("percent", percent, 0.0, 100.0, unit="%", allow_array=False)
    k = round(percent / 100.0 * n)
    if round(100.0 * k / n, 1) != round(percent, 1):
        raise ValueError(f"percent {percent!r} of n={n} does not correspond to a whole number of patients")
    return int(k)


def sham_trial(method: str = "wilson") -> TrialSummary:
    """The phase III MRgFUS-vs-sham trial from data/fus.toml, with confidence intervals computed by ``method``."""
    method = require_choice("method", method, CI_METHODS)
    arms = []
    for rec in fus_records("arm"):
        k = responders_from_percent(rec["responder_percent"], rec["n"])
        lo, hi = proportion_ci(k, rec["n"], method)
        arms.append(ArmResult(rec["id"], rec["label"], rec["n"], k, float(rec["responder_percent"]),
                              100 * lo, 100 * hi, rec["source"]))
    by = {a.id: a for a in arms}
    t, s = by["mrgfus"], by["sham"]
    d, dlo, dhi = risk_difference_ci(t.responders, t.n, s.responders, s.n)
    nnt = math.ceil(1.0 / d) if d > 0 else 0
    aes = []
    for rec in fus_records("adverse_event"):
        n = by[rec["arm"]].n
        if "count" in rec:
            count, pct, computed = int(rec["count"]), 100.0 * rec["count"] / n, False
        else:
            count, pct, computed = responders_from_percent(rec["percent"], n), float(rec["percent"]), True
        aes.append((rec["label"], count, pct, rec["why"], rec["source"], computed))
    return TrialSummary(tuple(arms), method, 100 * d, 100 * dlo, 100 * dhi, nnt, tuple(aes), "hurwitz2014")


# =====================================================================================================================
#: What-if scenarios for the complications section: (label, keyword overrides of simulate_sonication)
SCENARIOS = (
    ("typical: 56 W, 25 s, bone 40 mm deep", {}),
    ("same, nerve 6 mm from the beam axis", {"structure_distance_mm": 6.0}),
    ("same, bone only 15 mm below the skin", {"bone_depth_mm": 15.0}),
    ("bone 15 mm deep, +10% skin absorption (what-if)", {"bone_depth_mm": 15.0, "skin_extra_absorption": 0.10}),
)
#: The settings every scenario starts from (the planner's defaults; nerve 25 mm from the beam axis).
SCENARIO_BASE = dict(power_w=56.0, duration_s=25.0, bone_depth_mm=40.0, structure_distance_mm=25.0)


def scenario_result(overrides: dict, cell_mm: float = PLANNER_CELL_MM) -> SonicationResult:
    """One scenario run exactly as the planner runs it (same grid, domain depth and cooling time)."""
    kw = {**SCENARIO_BASE, **overrides}
    extra = kw.pop("skin_extra_absorption", 0.0)
    beam = BeamParameters(**{**default_beam().__dict__, "skin_extra_absorption": extra})
    return simulate_sonication(beam=beam, cell_mm=cell_mm, cooling_s=PLANNER_COOLING_S,
                               bone_below_mm=PLANNER_DOMAIN_DEPTH_MM - kw["bone_depth_mm"], **kw)


# Text views moved to ``bonemets_edu.text`` (issue 17). A lesson a student saved before the move still calls them
# here, so the old names keep working (they are not listed in ``__all__``).
_MOVED_TO_TEXT = {"session_markdown": ("fus", "session_markdown"), "near_target_markdown": ("fus", "near_target_markdown"), "candidacy_markdown": ("fus", "candidacy_markdown"), "evidence_text": ("fus", "evidence_text"), "scenario_table": ("fus", "scenario_table")}


def __getattr__(name):
    if name in _MOVED_TO_TEXT:
        import importlib

        module, new_name = _MOVED_TO_TEXT[name]
        return getattr(importlib.import_module(f"bonemets_edu.text.{module}"), new_name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
