"""Widgets for the ablation lesson: the ablation-zone explorer and the pain-after-ablation chart (small classes with
a pure ``state()``, STYLE.md §3; the builder functions the notebook calls return them).

Thin views: every number comes from ``bonemets_edu.thermal`` (model and cited data); each widget owns one figure,
redraws it in place and writes the result as text too.
"""

from __future__ import annotations

import ipywidgets as widgets

from .. import references, thermal, ui
from ..figures import ablation as figs

__all__ = [
    "ZoneExplorer",
    "PainChart",
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


class ZoneExplorer(ui.App):
    """Heat or cold, probe setting, tissue, perfusion, tumour size, margin and nerve distance → ablation zone."""

    TITLE = "Ablation-zone explorer"
    CONTROLS = ("modality", "probe_temperature", "ice_ball", "heat_threshold", "cold_threshold", "tissue",
                "perfusion", "tumour", "margin", "nerve")

    def __init__(self):
        heat_thr = {r["id"]: r for r in thermal.ablation_records("threshold") if r["modality"] == "heat"}
        cold_thr = [r for r in thermal.ablation_records("threshold") if r["modality"] == "cold"]
        lethal_heat = [heat_thr["heat_minutes"], heat_thr["heat_instant"]]
        self.modality = widgets.Dropdown(
            options=[("Heat (RF/microwave)", "heat"), ("Cold (cryoablation)", "cold")], value="heat",
            description="Energy (heat or cold)", style=ui.labelled_style, layout=_wide())
        self.probe_temperature = _slider(90.0, 50.0, 95.0, 1.0, "Probe temperature (°C)")
        self.ice_ball = _slider(40.0, 10.0, 60.0, 1.0, "Ice-ball diameter (mm, illustrative)")
        self.heat_threshold = widgets.Dropdown(
            options=[(f"{r['temperature_c']:.0f} °C ({references.short(r['source'])})", float(r["temperature_c"]))
                     for r in lethal_heat],
            value=float(lethal_heat[0]["temperature_c"]), description="Lethal threshold (°C)",
            style=ui.labelled_style, layout=_wide())
        self.cold_threshold = widgets.Dropdown(
            options=[(f"{r['temperature_c']:.0f} °C ({references.short(r['source'])})", float(r["temperature_c"]))
                     for r in cold_thr],
            value=-30.0, description="Lethal threshold (°C)", style=ui.labelled_style, layout=_wide())
        self.tissue = widgets.Dropdown(options=[(thermal.tissue(n).label, n) for n in thermal.tissue_names()],
                                       value="tumour", description="Tissue around the probe (properties)",
                                       style=ui.labelled_style, layout=_wide())
        self.perfusion = _slider(1.0, 0.25, 4.0, 0.25, "Blood perfusion (× table value)", ".2f")
        self.tumour = _slider(10.0, 4.0, 50.0, 1.0, "Tumour diameter (mm)")
        self.margin = _slider(2.0, 0.0, 10.0, 1.0, "Margin wanted (mm, illustrative)")
        self.nerve = _slider(4.0, 0.0, 25.0, 1.0, "Nerve distance beyond tumour edge (mm)")
        self.text = widgets.HTML()
        limits = widgets.HTML(
            "<small>Model: one probe at the tumour centre; heat = steady Pennes solution for a probe held at a fixed "
            "temperature (probe radius 1 mm, illustrative); cold = empirical ice-ball rule (0 °C edge, lethal ice "
            f"within about 1 cm; {references.short('littrup2009')}). Tissue values: "
            f"{references.short('cancers2019_tissue')}. Computed values, not a device chart.</small>")
        result = self.state()
        self.plot = figs.ZonePlot(result)
        # The settings move only the profile, markers, notes, cross-section and verdict title: those are blitted over
        # a background kept per (heat/cold, tumour size, margin) and per snapped cross-section view.
        self.pane = ui.FigurePane(self.plot.fig, alt=figs.zone_alt(result), animated=self.plot.moving,
                                  static_key=lambda: self.plot.static)
        super().__init__([widgets.HTML("<b>The patient</b>"), self.tumour, self.margin, self.nerve,
                          widgets.HTML("<b>The treatment</b>"), self.modality, self.probe_temperature, self.ice_ball,
                          self.heat_threshold, self.cold_threshold, self.tissue, self.perfusion, self.text,
                          self.pane.widget, limits])
        self.observe_controls()
        self.refresh()

    def state(self) -> thermal.ZoneResult:
        """The model's ablation zone for the controls' values (pure)."""
        common = dict(tissue=self.tissue.value, perfusion_scale=self.perfusion.value,
                      tumour_diameter_mm=self.tumour.value, margin_mm=self.margin.value,
                      nerve_distance_mm=self.nerve.value)
        if self.modality.value == "heat":
            return thermal.ablation_zone(modality="heat", probe_temperature_c=self.probe_temperature.value,
                                         lethal_threshold_c=self.heat_threshold.value, **common)
        return thermal.ablation_zone(modality="cold", ice_ball_diameter_mm=self.ice_ball.value,
                                     lethal_threshold_c=self.cold_threshold.value, **common)

    def _show_mode(self) -> None:
        hot = self.modality.value == "heat"
        self.probe_temperature.layout.display = None if hot else "none"
        self.heat_threshold.layout.display = None if hot else "none"
        self.ice_ball.layout.display = "none" if hot else None
        self.cold_threshold.layout.display = "none" if hot else None

    def refresh(self, _change=None) -> None:
        self._show_mode()
        try:
            result = self.state()
        except (ValueError, TypeError) as exc:  # bounded controls make this unreachable; never show a traceback
            self.text.value = ui.message(str(exc), "error")
            return
        self.plot.draw(result)
        self.pane.refresh(alt=figs.zone_alt(result))
        kind = "ok" if result.covered and not result.nerve_at_risk else "warning"
        self.text.value = ui.message(result.verdict, kind)


def zone_explorer() -> ZoneExplorer:
    """Heat or cold, probe setting, tissue, perfusion, tumour size, margin and nerve distance → ablation zone."""
    return ZoneExplorer()


class PainChart(ui.App):
    """The published mean worst-pain trajectories on one time axis, with a follow-up point to read off."""

    TITLE = "Pain after ablation (published means)"
    CONTROLS = ("series", "week")

    def __init__(self):
        self.data = thermal.pain_series()
        self.series = widgets.SelectMultiple(
            options=[(s.label, s.id) for s in self.data], value=tuple(s.id for s in self.data[:2]),
            description="Series shown (Ctrl/Shift-click)", style=ui.labelled_style, rows=len(self.data),
            layout=widgets.Layout(width="520px"))
        weeks = sorted({w for s in self.data for w in s.weeks})
        self.week = widgets.Dropdown(options=[(f"{w:g} weeks", w) for w in weeks], value=4.0,
                                     description="Follow-up point (weeks)", style=ui.labelled_style)
        self.text = widgets.HTML()
        visible, week = self.state()
        self.plot = figs.PainPlot(self.data, visible, week)
        # Moving the follow-up week redraws only its marker; the background is kept per selection of series.
        self.pane = ui.FigurePane(self.plot.fig, alt=figs.pain_alt(self.data, visible), animated=[self.plot.week],
                                  static_key=lambda: self.plot.shown)
        note = widgets.HTML(
            "<small>Single-arm studies with different patients, sites and follow-up: compare shapes, not exact "
            f"values. Sources: {', '.join(references.short(s.source) for s in self.data)}.</small>")
        super().__init__([self.series, self.week, self.text, self.pane.widget, note])
        self.observe_controls()
        self.refresh()

    def state(self) -> tuple[frozenset, float]:
        """(the series shown, the follow-up week)."""
        return frozenset(self.series.value), self.week.value

    def describe(self, visible, w) -> str:
        lines = []
        for s in self.data:
            if s.id not in visible:
                continue
            if w in s.weeks:
                i = s.weeks.index(w)
                when = f"{s.times[i]:g} {s.time_unit}s" if s.time_unit != "week" else f"{w:g} weeks"
                lines.append(f"{s.label}: mean worst pain {s.worst_pain[i]:g} at {when} "
                             f"(baseline {s.worst_pain[0]:g}, n = {s.n_patients}).")
            else:
                lines.append(f"{s.label}: not measured at {w:g} weeks (published points: "
                             f"{', '.join(f'{t:g}' for t in s.times)} {s.time_unit}s).")
        if not lines:
            return ui.message("Select at least one series.", "info")
        return "".join(ui.message(line, "info") for line in lines)

    def refresh(self, _change=None) -> None:
        visible, week = self.state()
        self.plot.draw(visible, week)
        self.pane.refresh(alt=figs.pain_alt(self.data, visible))
        self.text.value = self.describe(visible, week)


def pain_chart() -> PainChart:
    """The published mean worst-pain trajectories on one time axis, with a follow-up point to read off."""
    return PainChart()


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
