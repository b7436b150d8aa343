"""Widgets for lesson 02 (external beam radiation). Thin views over ``radiobiology`` and ``data/radiation.toml``.

* :func:`schedule_comparison` — BED/EQD2 side by side, illustrative cell survival, visits, LQ-validity flag and the
  trial evidence that compared those kinds of schedule.
* :func:`alpha_beta_explorer` — total dose in 1…N fractions that matches a reference schedule, tumour vs late tissue.
* :func:`side_effects_explorer` — pain flare (rate, timing, dexamethasone), site-specific effects, and where no rate
  was found.

Each widget is a small class (STYLE.md §3): public controls, ``text`` and ``pane`` attributes, a pure ``state()``
and one persistent figure updated in place; the builder functions above return them. For education only.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import radiobiology as rb
from ..display import escape
from ..entry import NumberEntry
from ..figures import radiation as figs
from ..text import cite
from ..text.radiation import _rec_sources
from ..text.radiation import evidence_html as _evidence_html
from ..text.radiation import rate_text as _rate
from ..text.radiation import results_table_html as _results_table
from ..ui import App, FigurePane, labelled_style, message, pin_decorations

__all__ = ["ScheduleComparison", "AlphaBetaExplorer", "SideEffectsExplorer", "schedule_comparison",
           "alpha_beta_explorer", "side_effects_explorer"]

CUSTOM = "custom"
NONE = "none"


# ------------------------------------------------------------------------------------------ schedule comparison
class ScheduleComparison(App):
    """Compare two or three schedules for one tissue: BED, EQD2, visits, survival curve, LQ flag and evidence.

    The tissue preset and the α/β slider follow each other without a flag: choosing a preset moves the slider (whose
    change then refreshes the widget once), and moving the slider off the preset's value switches the preset to
    "Custom" (whose change refreshes once).
    """

    TITLE = "Compare radiotherapy schedules"
    CONTROLS = ("schedule_a", "schedule_b", "schedule_c", "custom_dose", "custom_fractions", "tissue", "alpha_beta")

    def __init__(self, initial=("8x1", "30x10", NONE), tissue: str = "tumour"):
        self.schedules = {s["id"]: s for s in rb.schedules()}
        self.tissues = {t["id"]: t for t in rb.tissues()}
        options = [(s["label"], sid) for sid, s in self.schedules.items()] + [("Custom (set below)", CUSTOM)]
        dd_style = dict(style=labelled_style, layout=widgets.Layout(width="auto"))
        self.schedule_a = widgets.Dropdown(options=options, value=initial[0],
                                           description="Schedule A (dose / fractions)", **dd_style)
        self.schedule_b = widgets.Dropdown(options=options, value=initial[1],
                                           description="Schedule B (dose / fractions)", **dd_style)
        self.schedule_c = widgets.Dropdown(options=[("(none)", NONE), *options], value=initial[2],
                                           description="Schedule C, optional (dose / fractions)", **dd_style)
        # typed numbers: a bad value shows a message and keeps the last valid one (never "3.7" → 37 silently)
        self.custom_dose = NumberEntry(20.0, minimum=1.0, maximum=60.0, description="Custom total dose (Gy)",
                                       unit="Gy")
        self.custom_fractions = NumberEntry(4, minimum=1, maximum=40, integer=True,
                                            description="Custom fractions (number)")
        self.tissue = widgets.Dropdown(
            options=[(f"{t['label']} (α/β {t['alpha_beta_gy']:g} Gy)", tid) for tid, t in self.tissues.items()]
            + [("Custom α/β (use the slider)", CUSTOM)],
            value=tissue, description="Tissue preset (α/β in Gy)", **dd_style,
        )
        # α/β is continuous radiobiology, so it is a slider; the presets above set it. It comes first in the widget.
        self.alpha_beta = widgets.FloatSlider(value=self.tissues[tissue]["alpha_beta_gy"], min=0.5, max=25.0, step=0.5,
                                              description="Tissue α/β (Gy)", continuous_update=False,
                                              readout_format=".1f", style=labelled_style,
                                              layout=widgets.Layout(width="420px"))
        self.text = widgets.HTML()
        self.evidence = widgets.HTML()
        self.status = widgets.HTML()
        self.plot = figs.SchedulePlot(slots=3, size=(9.6, 5.0))
        figs.fix_layout(self.plot.fig, left=0.095, right=0.99, bottom=0.31, top=0.88, wspace=0.3)  # caption below
        pin_decorations(self.plot.fig, self.plot.widest_limits())
        # Bars, values, schedule names, survival lines, legends and titles are blitted over a background (axes, ticks,
        # axis labels) kept per snapped set of axes limits; a new set of limits is one full draw.
        # A state already shown (same schedules, α/β and tissue) is served from a per-state image cache.
        self.pane = FigurePane(self.plot.fig, "Schedule comparison figure", animated=self.plot.moving_artists,
                               cache=True)
        super().__init__([widgets.HBox([self.alpha_beta, self.tissue]),
                          widgets.VBox([self.schedule_a, self.schedule_b, self.schedule_c]),
                          widgets.HBox([self.custom_dose, self.custom_fractions]), self.status, self.pane.widget,
                          self.text, self.evidence])
        for w in (self.schedule_a, self.schedule_b, self.schedule_c, self.custom_dose, self.custom_fractions):
            w.observe(self.refresh, names="value")
        self.tissue.observe(self._on_preset, names="value")
        self.alpha_beta.observe(self._on_slider, names="value")
        self.refresh()

    def _on_preset(self, change) -> None:
        if change["new"] != CUSTOM and self.alpha_beta.value != self.tissues[change["new"]]["alpha_beta_gy"]:
            self.alpha_beta.value = self.tissues[change["new"]]["alpha_beta_gy"]  # its observer refreshes
        else:
            self.refresh()

    def _on_slider(self, change) -> None:
        preset = self.tissue.value
        if preset != CUSTOM and change["new"] != self.tissues[preset]["alpha_beta_gy"]:
            self.tissue.value = CUSTOM  # its observer refreshes
        else:
            self.refresh()

    def chosen(self) -> list:
        """(id, label, total dose, fractions, record or None) of each schedule picked."""
        out = []
        for pick in (self.schedule_a, self.schedule_b, self.schedule_c):
            if pick.value == NONE:
                continue
            if pick.value == CUSTOM:
                out.append((CUSTOM, f"Custom {self.custom_dose.value:g} Gy / {self.custom_fractions.value}",
                            self.custom_dose.value, self.custom_fractions.value, None))
            else:
                s = self.schedules[pick.value]
                out.append((s["id"], s["label"], s["total_dose_gy"], s["fractions"], s))
        return out

    def state(self):
        """(chosen schedules, [(label, model result, record)], α/β, tissue label, tissue record or None)."""
        chosen = self.chosen()
        if self.tissue.value == CUSTOM:
            ab, tlabel, tsrc = self.alpha_beta.value, "a custom tissue", None  # (its α/β is printed next to it)
        else:
            t = self.tissues[self.tissue.value]
            ab, tlabel, tsrc = t["alpha_beta_gy"], t["label"].lower(), t
        results = [(label, rb.schedule_result(D, n, ab), rec) for _sid, label, D, n, rec in chosen]
        return chosen, results, ab, tlabel, tsrc

    def refresh(self, _change=None) -> None:
        try:
            chosen, results, ab, tlabel, tsrc = self.state()
        except (ValueError, TypeError) as exc:  # bounded controls make this unreachable; never show a traceback
            self.status.value = message(str(exc), "error")
            return
        if len(results) < 2:
            self.status.value = message("Pick at least two schedules to compare (A and B).", "warning")
        else:
            self.status.value = ""
        specs = tuple(figs.ScheduleSpec(lbl, r.total_dose_gy, r.fractions) for lbl, r, _ in results)
        alt = "Bar chart of BED and EQD2 and an illustrative cell-survival curve for: " + "; ".join(
            f"{lbl}: BED {r.bed_gy:.1f} Gy, EQD2 {r.eqd2_gy:.1f} Gy" for lbl, r, _ in results
        ) + f" (α/β {ab:g} Gy, computed)."
        self.pane.show((specs, ab, tlabel), lambda: self.plot.update(list(specs), ab, tlabel), alt)
        self.text.value = _results_table(results, ab, tlabel, tsrc)
        self.evidence.value = _evidence_html(chosen)


def schedule_comparison(initial=("8x1", "30x10", NONE), tissue: str = "tumour") -> ScheduleComparison:
    """Compare two or three schedules for one tissue: BED, EQD2, visits, survival curve, LQ flag and evidence."""
    return ScheduleComparison(initial, tissue)


# ------------------------------------------------------------------------------------------------- α/β explorer
class AlphaBetaExplorer(App):
    """Doses in 1…N fractions that match a reference schedule, for tumour (α/β 10) vs a normal tissue (3 or 2).

    Ten states (5 references x 2 normal tissues): each image is rendered once, then reused. A first view blits the
    curves, marker, legend and title over a background kept per snapped y-axis limit.
    """

    TITLE = "Why α/β matters: equal-effect doses"
    CONTROLS = ("reference", "normal_tissue")

    def __init__(self, reference: str = "30x10", normal_tissue: str = "late", max_fractions: int = 15):
        self.schedules = {s["id"]: s for s in rb.schedules()}
        self.tissues = {t["id"]: t for t in rb.tissues()}
        self.max_fractions = max_fractions
        self.reference = widgets.Dropdown(options=[(s["label"], sid) for sid, s in self.schedules.items()],
                                          value=reference, description="Reference schedule (dose / fractions)",
                                          style=labelled_style, layout=widgets.Layout(width="auto"))
        self.normal_tissue = widgets.RadioButtons(
            options=[(f"{self.tissues[t]['label']} (α/β {self.tissues[t]['alpha_beta_gy']:g} Gy)", t)
                     for t in ("late", "cord")],
            value=normal_tissue, description="Normal tissue (α/β in Gy)", style=labelled_style,
        )
        self.plot = figs.IsoeffectPlot(size=(7.2, 4.3), max_fractions=max_fractions,
                                       tumour_ab=self.tissues["tumour"]["alpha_beta_gy"],
                                       late_ab=self.tissues[normal_tissue]["alpha_beta_gy"])
        figs.fix_layout(self.plot.fig, left=0.1, right=0.98, bottom=0.13, top=0.92)
        pin_decorations(self.plot.fig, {self.plot.ax: (None, (0.0, 200.0))})  # never more than 3 digits
        self.pane = FigurePane(self.plot.fig, "Isoeffect figure", cache=True, animated=self.plot.moving_artists)
        self.text = widgets.HTML()
        super().__init__([widgets.HBox([self.reference, self.normal_tissue]), self.pane.widget, self.text])
        self.observe_controls()
        self.refresh()

    def state(self):
        """(reference record, normal-tissue record, tumour-equivalent doses, normal-equivalent doses) for 1…N."""
        s = self.schedules[self.reference.value]
        t = self.tissues[self.normal_tissue.value]
        n_all = np.arange(1, self.max_fractions + 1)
        tum = rb.isoeffective_total_dose(s["total_dose_gy"], s["fractions"], n_all,
                                         self.tissues["tumour"]["alpha_beta_gy"])
        nor = rb.isoeffective_total_dose(s["total_dose_gy"], s["fractions"], n_all, t["alpha_beta_gy"])
        return s, t, tum, nor

    def _draw(self, s, t) -> None:
        self.plot.set_normal_tissue(t["alpha_beta_gy"], t["label"])
        self.plot.update(s["total_dose_gy"], s["fractions"], s["label"])

    def refresh(self, _change=None) -> None:
        s, t, tum, nor = self.state()
        tissues, max_fractions = self.tissues, self.max_fractions
        self.pane.show((self.reference.value, self.normal_tissue.value), lambda: self._draw(s, t), (
            f"Line chart: total dose needed in 1 to {max_fractions} fractions to match {s['label']}. With 1 fraction "
            f"the tumour needs {tum[0]:.1f} Gy while {t['label'].lower()} is matched at {nor[0]:.1f} Gy; the curves "
            f"cross at {s['fractions']} fractions (computed)."
        ))
        rows = "".join(
            f"<tr><td>{n}</td><td>{tum[n - 1]:.1f}</td><td>{nor[n - 1]:.1f}</td><td>{tum[n - 1] / n:.2f}</td></tr>"
            for n in (1, 2, 5, 10) if n <= max_fractions
        )
        ref_d = s["total_dose_gy"] / s["fractions"]
        direction = ("fewer, larger fractions that keep the tumour effect equal push the normal-tissue effect up"
                     if ref_d < 10 else "this reference already uses very large fractions")
        self.text.value = (
            f"<p><strong>Computed (LQ model)</strong>: equal-effect doses for {escape(s['label'])} "
            f"{cite(_rec_sources(s))}; tumour α/β {tissues['tumour']['alpha_beta_gy']:g} Gy, "
            f"{escape(t['label'].lower())} α/β {t['alpha_beta_gy']:g} Gy {cite(_rec_sources(t))}.</p>"
            "<table border='1' cellpadding='4' style='border-collapse:collapse'><thead><tr><th>Fractions</th>"
            "<th>Tumour-equivalent total dose (Gy)</th><th>Normal-tissue-equivalent total dose (Gy)</th>"
            "<th>Tumour-equivalent dose per fraction (Gy)</th></tr></thead><tbody>" + rows + "</tbody></table>"
            f"<p>Where the normal-tissue curve lies <em>below</em> the tumour curve, a course that matches the tumour "
            f"effect gives the normal tissue more than the reference did: {escape(direction)}.</p>"
            + (f"<p><em>{escape(tissues['tumour']['convention_note'])}</em> "
               f"{cite(_rec_sources(tissues['tumour'])[1:])}</p>" if "convention_note" in tissues["tumour"] else "")
        )


def alpha_beta_explorer(reference: str = "30x10", normal_tissue: str = "late",
                        max_fractions: int = 15) -> AlphaBetaExplorer:
    """Doses in 1…N fractions that match a reference schedule, for tumour (α/β 10) vs a normal tissue (3 or 2)."""
    return AlphaBetaExplorer(reference, normal_tissue, max_fractions)


# ------------------------------------------------------------------------------------------------ side effects
_SITES = [(label, sid) for sid, (label, _gut) in rb.FIELD_SITES.items()]


class SideEffectsExplorer(App):
    """Side effects expected for a kind of schedule and a treated site, with rates only where a source gives one.

    Nine states (3 kinds x 3 sites): each image is rendered once, then reused. A first view blits the bars, values
    and row names over a background (frames, titles, axis labels) kept per number of rows.
    """

    TITLE = "Side effects over time"
    CONTROLS = ("kind", "site")

    def __init__(self, kind: str = "conv_single", site: str = "pelvis"):
        self.kind = widgets.Dropdown(options=[(rb.KIND_LABELS[k].capitalize(), k) for k in rb.SCHEDULE_KINDS],
                                     value=kind, description="Kind of radiotherapy (schedule type)",
                                     style=labelled_style, layout=widgets.Layout(width="auto"))
        self.site = widgets.Dropdown(options=_SITES, value=site, description="Field treated (body region)",
                                     layout=widgets.Layout(width="auto"), style=labelled_style)
        self.plot = figs.SideEffectsPlot()
        figs.fix_layout(self.plot.fig, left=0.215, right=0.96, bottom=0.12, top=0.92, wspace=0.78)
        self.plot.draw(kind, site)
        pin_decorations(self.plot.fig)  # fixed x limits; the rows are named by text artists, not tick labels
        self.pane = FigurePane(self.plot.fig, "Side-effects figure", cache=True, animated=lambda: self.plot.moving)
        self.text = widgets.HTML()
        super().__init__([widgets.HBox([self.kind, self.site]), self.pane.widget, self.text])
        self.observe_controls()
        self.refresh()

    def state(self) -> list:
        """The side-effect records for the kind and site chosen (from the model)."""
        return figs.side_effect_records(self.kind.value, self.site.value)

    def refresh(self, _change=None) -> None:
        kind, site = self.kind.value, self.site.value
        drawn = self.state()
        rated = [r for r in drawn if "rate_pct" in r or "rate_low_pct" in r]
        self.pane.show((kind, site), lambda: self.plot.draw(kind, site), (
            f"Bar charts of side-effect rates and timing for {rb.KIND_LABELS[kind]} to the "
            f"{dict((v, k) for k, v in _SITES)[site].lower()}: "
            + "; ".join(f"{r['name']}: {_rate(r)}" for r in rated) + "."
        ))
        items = []
        for r in drawn:
            bits = [f"<strong>{escape(r['name'])}</strong>: {escape(_rate(r))}", escape(r["timing"])]
            if "management" in r:
                bits.append(escape(r["management"]))
            if "site" in r:
                bits.append("site: " + escape(r["site"]))
            if "note" in r:
                bits.append(escape(r["note"]))
            conf = " [secondary source]" if r["confidence"] == "SSS" else ""
            line = "; ".join(bits)
            stop = "" if line.endswith(".") else "."  # a note that ends with its own full stop gets no second one
            items.append(f"<li>{line}{stop} {cite(_rec_sources(r))}{conf}</li>")
        extra = ""
        if not rb.FIELD_SITES[site][1]:
            extra = ("<p>Nausea (61 % in the source) is given only for fields that include the stomach or bowel, and "
                     "diarrhoea only for pelvic fields: neither applies to this field.</p>")
        elif site != "pelvis":
            extra = "<p>Diarrhoea is listed only for pelvic fields; pick <em>Pelvis</em> to see it.</p>"
        if kind == "sbrt":
            extra += ("<p>After spine SBRT, a vertebral compression fracture is a later risk: see the SBRT evidence in "
                      "the schedule comparison.</p>")
        self.text.value = "<ul>" + "".join(items) + "</ul>" + extra


def side_effects_explorer(kind: str = "conv_single", site: str = "pelvis") -> SideEffectsExplorer:
    """Side effects expected for a kind of schedule and a treated site, with rates only where a source gives one."""
    return SideEffectsExplorer(kind, site)


