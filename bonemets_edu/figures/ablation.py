"""Figures for the ablation lesson: the ablation zone (profile + cross-section), the heat-sink effect, the transient
warm-up, and the published pain trajectories. Functions return Figures (or redraw given axes); nothing is displayed."""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Circle

from .. import references, style, thermal

__all__ = [
    "zone_figure",
    "draw_zone",
    "zone_alt",
    "heat_sink_figure",
    "transient_figure",
    "pain_figure",
    "draw_pain",
    "pain_alt",
]

_C = style.COLORS


def zone_figure(result: thermal.ZoneResult):
    """Two panels: temperature against distance from the probe, and a cross-section of tumour, margin, lethal zone
    and nerve. Returns ``(fig, axes)``."""
    fig, axes = style.new_figure(11.0, 4.6, 1, 2, width_ratios=[1.35, 1])
    draw_zone(axes, result)
    return fig, axes


def draw_zone(axes, res: thermal.ZoneResult) -> None:
    """Redraw both panels of :func:`zone_figure` for a new result (same figure, same axes)."""
    ax, bx = axes
    ax.clear()
    bx.clear()
    r_max = float(res.radius_mm[-1])
    # --- profile panel
    ax.plot(res.radius_mm, res.temperature_c, color=_C[0], linestyle="-", linewidth=2.6, label="modelled temperature")
    lethal_t = (
        float(np.interp(res.lethal_radius_mm, res.radius_mm, res.temperature_c)) if res.lethal_radius_mm else None
    )
    ax.axvspan(0, res.tumour_radius_mm, facecolor=_C[1], alpha=0.18, hatch="//", edgecolor=_C[1], linewidth=0)
    ax.axvline(res.tumour_radius_mm, color=_C[1], linestyle="-", linewidth=1.5)
    ax.axvline(res.tumour_radius_mm + res.margin_mm, color=_C[1], linestyle="--", linewidth=1.5)
    ax.text(res.tumour_radius_mm / 2, 0.97, "tumour", transform=ax.get_xaxis_transform(), ha="center", va="top")
    if res.modality == "heat":
        ax.axhline(res.nerve_threshold_c, color=_C[3], linestyle=":", linewidth=2)
        ax.text(r_max, res.nerve_threshold_c, f"nerve injury {res.nerve_threshold_c:.0f} °C ", ha="right", va="bottom")
        ymin, ymax = 30.0, max(100.0, float(res.temperature_c.max()) + 5)
    else:
        ax.axhspan(-40, -20, facecolor=_C[2], alpha=0.15, hatch="..", edgecolor=_C[2], linewidth=0)
        ax.text(r_max, -30, "lethal range\n−20 to −40 °C ", ha="right", va="center")
        ax.axhline(0, color="0.3", linestyle=":", linewidth=1.5)
        ax.text(r_max, 0, "0 °C = ice-ball edge ", ha="right", va="bottom")
        core = res.ice_ball_radius_mm - thermal.CRYO_CORE_DEPTH_MM
        if core > 0:
            ax.text(
                core / 2,
                -41,
                "−40 °C or colder\n(rule ends here)",
                ha="center",
                va="top",
                fontsize=style.BASE_FONT_PT - 1,
            )
        ymin, ymax = -50.0, 45.0
    if lethal_t is not None:
        ax.plot([res.lethal_radius_mm], [lethal_t], marker="o", markersize=10, color=_C[4], linestyle="none")
        ax.annotate(
            f"lethal edge {res.lethal_radius_mm:.1f} mm",
            (res.lethal_radius_mm, lethal_t),
            xytext=(8, 8),
            textcoords="offset points",
        )
    ax.plot([res.nerve_radius_mm], [res.nerve_temperature_c], marker="^", markersize=12, color=_C[3], linestyle="none")
    ax.annotate(
        f"nerve {res.nerve_temperature_c:.1f} °C",
        (res.nerve_radius_mm, res.nerve_temperature_c),
        xytext=(8, -16),
        textcoords="offset points",
    )
    ax.set_xlim(0, r_max)
    ax.set_ylim(ymin, ymax)
    ax.set_xlabel("Distance from the probe (mm)")
    ax.set_ylabel("Temperature (°C)")
    ax.set_title("Heat: steady state (model)" if res.modality == "heat" else "Cold: ice-ball rule (empirical)")
    # --- cross-section panel
    lim = (
        max(res.nerve_radius_mm, res.tumour_radius_mm + res.margin_mm, res.ice_ball_radius_mm, res.lethal_radius_mm)
        * 1.2
        + 2
    )
    if res.modality == "cold":
        bx.add_patch(
            Circle(
                (0, 0),
                res.ice_ball_radius_mm,
                facecolor="none",
                edgecolor="0.3",
                linestyle=":",
                linewidth=2,
                label="ice ball (0 °C)",
            )
        )
        if res.lethal_range_mm[0] > 0:
            bx.add_patch(
                Circle(
                    (0, 0),
                    res.lethal_range_mm[0],
                    facecolor="none",
                    edgecolor=_C[2],
                    linestyle="-.",
                    linewidth=1.2,
                    label="−20 °C (range edge)",
                )
            )
    if res.lethal_radius_mm > 0:
        bx.add_patch(
            Circle(
                (0, 0),
                res.lethal_radius_mm,
                facecolor=_C[2],
                alpha=0.35,
                hatch="xx",
                edgecolor=_C[2],
                linewidth=2,
                label="lethal zone",
            )
        )
    bx.add_patch(
        Circle(
            (0, 0), res.tumour_radius_mm, facecolor="none", edgecolor=_C[1], linewidth=2.2, hatch="//", label="tumour"
        )
    )
    bx.add_patch(
        Circle(
            (0, 0),
            res.tumour_radius_mm + res.margin_mm,
            facecolor="none",
            edgecolor=_C[1],
            linestyle="--",
            linewidth=1.8,
            label="tumour + margin",
        )
    )
    bx.plot([0], [0], marker="o", color="black", markersize=6, linestyle="none", label="probe")
    bx.plot([res.nerve_radius_mm], [0], marker="^", color=_C[3], markersize=12, linestyle="none", label="nerve")
    bx.set_xlim(-lim, lim)
    bx.set_ylim(-lim, lim)
    bx.set_aspect("equal")
    bx.set_xlabel("Distance (mm)")
    bx.set_ylabel("Distance (mm)")
    verdict = "COVERED" if res.covered else "NOT COVERED"
    bx.set_title(f"Cross-section: {verdict}" + (" · nerve at risk" if res.nerve_at_risk else ""))
    bx.legend(loc="upper left", fontsize=style.BASE_FONT_PT - 1, framealpha=0.85, borderaxespad=0.2)


def zone_alt(res: thermal.ZoneResult) -> str:
    """Alt text for the zone figure (the same facts as the verdict, in words)."""
    kind = "steady temperature around a heated probe" if res.modality == "heat" else "temperature around an ice ball"
    return (
        f"Left: {kind} against distance. Right: cross-section of tumour, margin, lethal zone and nerve. {res.verdict}"
    )


def heat_sink_figure(probe_temperature_c: float = 90.0, threshold_c: float = 50.0):
    """Lethal-zone radius against perfusion (multiple of the table value) for each tissue: the heat-sink effect."""
    fig, ax = style.new_figure(7.5, 4.4)
    scales = np.linspace(0.25, 4.0, 40)
    for i, name in enumerate(thermal.tissue_names()):
        radii = [
            thermal.lesion_radius_mm(
                probe_temperature_c=probe_temperature_c, threshold_c=threshold_c, tissue=name, perfusion_scale=float(s)
            )
            for s in scales
        ]
        st = style.series_style(i)
        ax.plot(scales, radii, markevery=6, label=thermal.tissue(name).label, **st)
    ax.set_xlabel("Blood perfusion (multiple of the table value)")
    ax.set_ylabel(f"Radius of the {threshold_c:.0f} °C zone (mm)")
    ax.set_title(f"Probe held at {probe_temperature_c:.0f} °C: more perfusion, smaller zone")
    ax.set_xlim(0, 4.1)
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper right", fontsize=style.BASE_FONT_PT - 1)
    ax.text(
        0.02,
        0.03,
        f"Computed (Pennes model); tissue values: {references.short('cancers2019_tissue')}",
        transform=ax.transAxes,
        fontsize=style.BASE_FONT_PT - 1,
        color="0.25",
    )
    return fig


def transient_figure(tissue: str = "tumour", probe_temperature_c: float = 90.0, minutes=(1, 2, 5, 10, 20)):
    """Temperature profiles after the probe is switched on, converging on the steady-state curve."""
    fig, ax = style.new_figure(7.5, 4.4)
    res = thermal.transient_profile(
        probe_temperature_c=probe_temperature_c, duration_s=60.0 * max(minutes), tissue=tissue, save_every_s=60.0
    )
    for i, m in enumerate(minutes):
        k = int(np.argmin(np.abs(res.times_s - 60.0 * m)))
        st = style.series_style(i + 1)
        ax.plot(res.radius_mm, res.temperature_c[k], markevery=12, label=f"after {m} min", **st)
    steady = thermal.steady_temperature_c(res.radius_mm, probe_temperature_c=probe_temperature_c, tissue=tissue)
    ax.plot(res.radius_mm, steady, color="black", linestyle="--", linewidth=2.6, label="steady state")
    ax.axhline(50, color="0.4", linestyle=":", linewidth=1.5)
    ax.text(19.5, 50.5, "50 °C", ha="right", va="bottom")
    ax.set_xlim(0, 20)
    ax.set_ylim(35, probe_temperature_c + 3)
    ax.set_xlabel("Distance from the probe (mm)")
    ax.set_ylabel("Temperature (°C)")
    ax.set_title(f"{tissue.capitalize()}: warming up after switch-on")
    ax.legend(loc="upper right", fontsize=style.BASE_FONT_PT - 1)
    ax.text(
        0.02,
        0.03,
        f"Computed: explicit finite differences, step {res.dt_s:.2f} s (stable limit {res.stable_dt_s:.2f} s)",
        transform=ax.transAxes,
        fontsize=style.BASE_FONT_PT - 1,
        color="0.25",
    )
    return fig


def pain_figure(series, visible=None, week=None):
    """Published mean worst-pain trajectories on one weeks axis. Returns ``(fig, ax)``."""
    fig, ax = style.new_figure(8.0, 4.4)
    draw_pain(ax, series, visible, week)
    return fig, ax


def draw_pain(ax, series, visible=None, week=None) -> None:
    ax.clear()
    shown = [s for s in series if visible is None or s.id in visible]
    for i, s in enumerate(series):
        if s not in shown:
            continue
        st = style.series_style(i)
        if s.time_unit == "month":
            st = {**st, "linestyle": ":"}
        fill = "none" if s.time_unit == "month" else st["color"]
        ax.plot(s.weeks, s.worst_pain, markersize=9, markerfacecolor=fill, label=f"{s.label}, n = {s.n_patients}", **st)
        dy = (8, -16, 8)[i % 3]
        for x, y in zip(s.weeks, s.worst_pain, strict=True):
            ax.annotate(
                f"{y:g}",
                (x, y),
                xytext=(5, dy),
                textcoords="offset points",
                fontsize=style.BASE_FONT_PT - 1,
                color=st["color"] if i != 2 else "0.2",
            )
    if week is not None:
        ax.axvline(week, color="0.3", linestyle=":", linewidth=2)
    ax.set_xlim(-1, 30)
    ax.set_ylim(0, 10)
    ax.set_xlabel("Time after ablation (weeks)")
    ax.set_ylabel("Mean worst pain (0–10)")
    ax.set_title("Published mean worst pain after ablation")
    if shown:
        ax.legend(loc="upper right", fontsize=style.BASE_FONT_PT - 1)
    if any(s.time_unit == "month" for s in shown):
        ax.text(
            0.99,
            0.60,
            "open markers: published as 6 months,\nplotted at 26 weeks (computed)",
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize=style.BASE_FONT_PT - 1,
        )
    if not shown:
        ax.text(0.5, 0.5, "No series selected", transform=ax.transAxes, ha="center", va="center")


def pain_alt(series, visible=None) -> str:
    parts = []
    for s in series:
        if visible is not None and s.id not in visible:
            continue
        pts = ", ".join(
            f"{p:g} at {t:g} {s.time_unit}{'s' if t != 1 else ''}" for t, p in zip(s.times, s.worst_pain, strict=True)
        )
        parts.append(f"{s.label}: {pts}")
    return "Line chart of mean worst pain (0-10) after ablation. " + ("; ".join(parts) or "No series selected.")
