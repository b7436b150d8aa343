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

from ._validate import require_choice, require_in_range, require_number, require_positive

__all__ = [
    "ABSOLUTE_ZERO_C",
    "BODY_TEMPERATURE_C",
    "Tissue",
    "tissue",
    "tissue_names",
    "cem43",
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
