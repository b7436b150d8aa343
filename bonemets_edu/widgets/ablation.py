"""Widgets for the ablation lesson: the ablation-zone explorer and the pain-after-ablation chart.

Thin views: every number comes from ``bonemets_edu.thermal`` (model and cited data); each widget owns one figure,
redraws it in place and writes the result as text too.
"""

from __future__ import annotations

import ipywidgets as widgets

from .. import references, thermal, ui
from ..figures import ablation as figs

__all__ = [
    "zone_explorer",
    "pain_chart",
    "methods_table_md",
    "studies_table_md",
    "indications_md",
    "thresholds_md",
    "tissue_table_md",
    "side_effects_md",
]


def _wide():
    return widgets.Layout(width="460px")  # a fresh Layout per control (display is toggled per control)


def _slider(value, lo, hi, step, description, fmt=".0f"):
    return widgets.FloatSlider(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=description,
        readout_format=fmt,
        continuous_update=False,
        style=ui.labelled_style,
        layout=_wide(),
    )


def zone_explorer():
    """Heat or cold, probe setting, tissue, perfusion, tumour size, margin and nerve distance → ablation zone."""
    heat_thr = {r["id"]: r for r in thermal.ablation_records("threshold") if r["modality"] == "heat"}
    cold_thr = [r for r in thermal.ablation_records("threshold") if r["modality"] == "cold"]
    lethal_heat = [heat_thr["heat_minutes"], heat_thr["heat_instant"]]
    modality = widgets.Dropdown(
        options=[("Heat (RF/microwave)", "heat"), ("Cold (cryoablation)", "cold")],
        value="heat",
        description="Energy (heat or cold)",
        style=ui.labelled_style,
        layout=_wide(),
    )
    probe = _slider(90.0, 50.0, 95.0, 1.0, "Probe temperature (°C)")
    ice = _slider(40.0, 10.0, 60.0, 1.0, "Ice-ball diameter (mm, illustrative)")
    heat_lethal = widgets.Dropdown(
        options=[
            (f"{r['temperature_c']:.0f} °C ({references.short(r['source'])})", float(r["temperature_c"]))
            for r in lethal_heat
        ],
        value=float(lethal_heat[0]["temperature_c"]),
        description="Lethal threshold (°C)",
        style=ui.labelled_style,
        layout=_wide(),
    )
    cold_lethal = widgets.Dropdown(
        options=[
            (f"{r['temperature_c']:.0f} °C ({references.short(r['source'])})", float(r["temperature_c"]))
            for r in cold_thr
        ],
        value=-30.0,
        description="Lethal threshold (°C)",
        style=ui.labelled_style,
        layout=_wide(),
    )
    tissue = widgets.Dropdown(
        options=[(thermal.tissue(n).label, n) for n in thermal.tissue_names()],
        value="tumour",
        description="Tissue around the probe (properties)",
        style=ui.labelled_style,
        layout=_wide(),
    )
    perfusion = _slider(1.0, 0.25, 4.0, 0.25, "Blood perfusion (× table value)", ".2f")
    tumour = _slider(10.0, 4.0, 50.0, 1.0, "Tumour diameter (mm)")
    margin = _slider(2.0, 0.0, 10.0, 1.0, "Margin wanted (mm, illustrative)")
    nerve = _slider(4.0, 0.0, 25.0, 1.0, "Nerve distance beyond tumour edge (mm)")
    text = widgets.HTML()
    limits = widgets.HTML(
        "<small>Model: one probe at the tumour centre; heat = steady Pennes solution for a probe held at a fixed "
        "temperature (probe radius 1 mm, illustrative); cold = empirical ice-ball rule (0 °C edge, lethal ice within "
        f"about 1 cm; {references.short('littrup2009')}). Tissue values: {references.short('cancers2019_tissue')}. "
        "Computed values, not a device chart.</small>"
    )

    def compute():
        if modality.value == "heat":
            return thermal.ablation_zone(
                modality="heat",
                probe_temperature_c=probe.value,
                lethal_threshold_c=heat_lethal.value,
                tissue=tissue.value,
                perfusion_scale=perfusion.value,
                tumour_diameter_mm=tumour.value,
                margin_mm=margin.value,
                nerve_distance_mm=nerve.value,
            )
        return thermal.ablation_zone(
            modality="cold",
            ice_ball_diameter_mm=ice.value,
            lethal_threshold_c=cold_lethal.value,
            tissue=tissue.value,
            perfusion_scale=perfusion.value,
            tumour_diameter_mm=tumour.value,
            margin_mm=margin.value,
            nerve_distance_mm=nerve.value,
        )

    res = compute()
    fig, axes = figs.zone_figure(res)
    # The settings move only the profile, markers, notes, cross-section and verdict title: those are blitted over a
    # background kept per (heat/cold, tumour size, margin) and per snapped cross-section view (full draw on a new one).
    pane = ui.FigurePane(fig, alt=figs.zone_alt(res), animated=figs.zone_moving_artists(fig),
                         static_key=lambda: fig.bm_static)

    def show_mode():
        hot = modality.value == "heat"
        probe.layout.display = None if hot else "none"
        heat_lethal.layout.display = None if hot else "none"
        ice.layout.display = "none" if hot else None
        cold_lethal.layout.display = "none" if hot else None

    def update(change=None):
        show_mode()
        try:
            result = compute()
        except (ValueError, TypeError) as exc:  # bounded controls make this unreachable; never show a traceback
            text.value = ui.message(str(exc), "error")
            return
        figs.draw_zone(axes, result)
        pane.refresh(alt=figs.zone_alt(result))
        kind = "ok" if result.covered and not result.nerve_at_risk else "warning"
        text.value = ui.message(result.verdict, kind)

    controls = {
        "modality": modality,
        "probe_temperature": probe,
        "ice_ball": ice,
        "heat_threshold": heat_lethal,
        "cold_threshold": cold_lethal,
        "tissue": tissue,
        "perfusion": perfusion,
        "tumour": tumour,
        "margin": margin,
        "nerve": nerve,
    }
    for c in controls.values():
        c.observe(update, names="value")
    update()
    return ui.app(
        "Ablation-zone explorer",
        [
            widgets.HTML("<b>The patient</b>"),
            tumour,
            margin,
            nerve,
            widgets.HTML("<b>The treatment</b>"),
            modality,
            probe,
            ice,
            heat_lethal,
            cold_lethal,
            tissue,
            perfusion,
            text,
            pane.widget,
            limits,
        ],
        controls=controls,
        text=text,
        pane=pane,
    )


def pain_chart():
    """The published mean worst-pain trajectories on one time axis, with a follow-up point to read off."""
    series = thermal.pain_series()
    choose = widgets.SelectMultiple(
        options=[(s.label, s.id) for s in series],
        value=tuple(s.id for s in series[:2]),
        description="Series shown (Ctrl/Shift-click)",
        style=ui.labelled_style,
        rows=len(series),
        layout=widgets.Layout(width="520px"),
    )
    weeks = sorted({w for s in series for w in s.weeks})
    week = widgets.Dropdown(
        options=[(f"{w:g} weeks", w) for w in weeks],
        value=4.0,
        description="Follow-up point (weeks)",
        style=ui.labelled_style,
    )
    text = widgets.HTML()
    fig, ax = figs.pain_figure(series, set(choose.value), week.value)
    # Moving the follow-up week redraws only its marker; the background is kept per selection of series.
    pane = ui.FigurePane(fig, alt=figs.pain_alt(series, set(choose.value)), animated=[fig.bm_pain["week"]],
                         static_key=lambda: fig.bm_pain["shown"])

    def describe(visible, w):
        lines = []
        for s in series:
            if s.id not in visible:
                continue
            if w in s.weeks:
                i = s.weeks.index(w)
                when = f"{s.times[i]:g} {s.time_unit}s" if s.time_unit != "week" else f"{w:g} weeks"
                lines.append(
                    f"{s.label}: mean worst pain {s.worst_pain[i]:g} at {when} "
                    f"(baseline {s.worst_pain[0]:g}, n = {s.n_patients})."
                )
            else:
                lines.append(
                    f"{s.label}: not measured at {w:g} weeks (published points: "
                    f"{', '.join(f'{t:g}' for t in s.times)} {s.time_unit}s)."
                )
        if not lines:
            return ui.message("Select at least one series.", "info")
        return "".join(ui.message(line, "info") for line in lines)

    def update(change=None):
        visible = set(choose.value)
        figs.draw_pain(ax, series, visible, week.value)
        pane.refresh(alt=figs.pain_alt(series, visible))
        text.value = describe(visible, week.value)

    choose.observe(update, names="value")
    week.observe(update, names="value")
    update()
    note = widgets.HTML(
        "<small>Single-arm studies with different patients, sites and follow-up: compare shapes, not exact values. "
        f"Sources: {', '.join(references.short(s.source) for s in series)}.</small>"
    )
    return ui.app(
        "Pain after ablation (published means)",
        [choose, week, text, pane.widget, note],
        controls={"series": choose, "week": week},
        text=text,
        pane=pane,
    )


# ---------------------------------------------------------------------------------------------------------------------
# Text views (Markdown) of the cited records, for deterministic compared cells in the lesson


def _cell(text) -> str:
    return str(text).replace("|", "/").replace("\n", " ")


def methods_table_md() -> str:
    """The ablation methods as a Markdown table, each row with its source(s)."""
    rows = ["| Method | Energy | How it destroys tissue | Temperatures and notes | Source |", "|---|---|---|---|---|"]
    for r in thermal.ablation_records("method"):
        keys = r.get("sources") or [r["source"]]
        rows.append(
            f"| {_cell(r['name'])} | {r['energy']} | {_cell(r['how'])} | {_cell(r['temperatures'])} | "
            f"{'; '.join(references.short(k) for k in keys)} |"
        )
    return "\n".join(rows)


def studies_table_md(modalities=None) -> str:
    """Trials and series as a Markdown table (optionally only those whose modality contains one of ``modalities``)."""
    rows = ["| Study | Method | Patients | Who | Main result | Complications |", "|---|---|---|---|---|---|"]
    for r in thermal.ablation_records("study"):
        if modalities and not any(m.lower() in r["modality"].lower() for m in modalities):
            continue
        rows.append(
            f"| {_cell(r['name'])} ({references.short(r['source'])}) | {_cell(r['modality'])} | "
            f"{r['n_patients']} | {_cell(r['eligibility'])} | {_cell(r['main_result'])} | "
            f"{_cell(r['complications'])} |"
        )
    return "\n".join(rows)


def indications_md() -> str:
    """Who was treated in the studies (a stand-in for typical indications), as a Markdown list."""
    return "\n".join(
        f"- {_cell(r['text'])} ({references.short(r['source'])})" for r in thermal.ablation_records("indication")
    )


def thresholds_md() -> str:
    """The cited temperature thresholds as a Markdown list."""
    return "\n".join(
        f"- **{r['temperature_c']:g} °C** ({r['modality']}): {_cell(r['meaning'])} ({references.short(r['source'])})"
        for r in thermal.ablation_records("threshold")
    )


def tissue_table_md() -> str:
    """Tissue properties with the computed perfusion length and time constant, as a Markdown table."""
    rows = [
        "| Tissue | Density (kg/m³) | Specific heat (J/(kg·K)) | Conductivity (W/(m·K)) | Perfusion ω·c_b (W/(m³·K)) "
        "| Perfusion length (mm, computed) | Time constant (s, computed) |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in thermal.tissue_names():
        t = thermal.tissue(name)
        rows.append(
            f"| {t.label} | {t.density_kg_m3:g} | {t.specific_heat_j_kg_k:g} | {t.conductivity_w_m_k:g} | "
            f"{t.perfusion_w_m3_k:g} | {1000 * t.perfusion_length_m:.1f} | {t.perfusion_time_s:.0f} |"
        )
    src = thermal.tissue(thermal.tissue_names()[0]).source
    rows.append(f"\nSource of the measured values: {references.cite(src)}")
    return "\n".join(rows)


def side_effects_md() -> str:
    """Common temporary side effects (no frequencies available) and the recorded complications of the studies."""
    from ..evidence import load_table

    effects = ", ".join(load_table("ablation.toml", "common_side_effects"))
    lines = [
        f"**Common and temporary:** {effects}. (Named on the patient-information page the course started "
        "from; no study in our sources reports how often they occur.)",
        "",
        "**Recorded complications:**",
    ]
    for r in thermal.ablation_records("study"):
        lines.append(f"- {_cell(r['name'])}: {_cell(r['complications'])}")
    return "\n".join(lines)
