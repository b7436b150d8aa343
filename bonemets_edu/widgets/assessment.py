"""Widgets of lesson 01b (finding and assessing bone metastases).

Each widget is a small ``ipywidgets.VBox`` subclass (STYLE.md §3): public controls, a pure ``state()`` that turns the
control values into a model result from ``bonemets_edu.assessment``, one plot object that owns its figure
(``bonemets_edu.figures.assessment``), a ``FigurePane`` that shows it with alt text, and the same result as text.
Controls are bounded so that invalid input cannot be entered; if the model still refuses a value, the widget shows a
plain message, never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets

from .. import assessment as A
from ..display import escape
from ..figures import assessment as figs
from ..text import cite
from ..ui import FigurePane, labelled_style, message, pin_decorations

__all__ = ["PainResponseClassifier", "CalciumCalculator", "RenalDosing", "CordCompressionTriage", "ImagingComparator"]

#: Sources as plain author–year labels, HTML-escaped (``text.cite``).
_PLAIN = {"style": "plain", "parens": False}


def _head(title: str) -> widgets.HTML:
    return widgets.HTML(f"<h4 style='margin:2px 0'>{escape(title)}</h4>"
                        "<em>For education only — not for treatment decisions.</em>")


# ------------------------------------------------------------------------------------------------ pain response


class PainResponseClassifier(widgets.VBox):
    """Classify a follow-up after palliative radiotherapy and show which consensus rule fired."""

    def __init__(self, baseline_pain: int = 7, follow_up_pain: int = 4, baseline_omed: float = 60.0,
                 follow_up_omed: float = 60.0, *, cache: bool = True):
        opts = {"style": labelled_style, "continuous_update": False}
        self.baseline_pain = widgets.IntSlider(value=baseline_pain, min=A.MIN_BASELINE_WORST_PAIN, max=10, description="Worst pain before (2-10)", **opts)
        self.follow_up_pain = widgets.IntSlider(value=follow_up_pain, min=0, max=10, description="Worst pain at follow-up (0-10)", **opts)
        self.baseline_omed = widgets.BoundedFloatText(value=baseline_omed, min=0, max=300, step=5,
                                                      description="OMED before (mg/day)", style=labelled_style)
        self.follow_up_omed = widgets.BoundedFloatText(value=follow_up_omed, min=0, max=300, step=5,
                                                       description="OMED at follow-up (mg/day)", style=labelled_style)
        self.controls = {"baseline_pain": self.baseline_pain, "follow_up_pain": self.follow_up_pain,
                         "baseline_omed": self.baseline_omed, "follow_up_omed": self.follow_up_omed}
        self.text = widgets.HTML()
        self.plot = figs.PainResponsePlot()
        first = self.state()
        self.plot.update(self.values(), first)
        self.pane = FigurePane(self.plot.fig, self.plot.alt(self.values(), first), cache=cache,
                               animated=self.plot.moving())
        pin_decorations(self.plot.fig)
        super().__init__([_head("Pain response after palliative radiotherapy (International Consensus endpoints)"),
                          *self.controls.values(), self.pane.widget, self.text])
        for c in self.controls.values():
            c.observe(self.refresh, names="value")
        self.refresh()

    def values(self) -> tuple[int, int, float, float]:
        return (self.baseline_pain.value, self.follow_up_pain.value, float(self.baseline_omed.value),
                float(self.follow_up_omed.value))

    def state(self) -> A.PainResponse:
        return A.pain_response_detail(*self.values())

    def refresh(self, _change=None) -> None:
        try:
            result = self.state()
        except (TypeError, ValueError) as exc:
            self.text.value = message(str(exc), "error")
            return
        values = self.values()
        rules, groups = A.pain_rules(), A.pain_groups()
        shown = [(rid, rules[rid]["category"], rules[rid]["rule"]) for rid in A.VERIFIED_PAIN_RULES]
        shown.append(("non-responder", groups["non-responder"]["label"], groups["non-responder"]["rule"]))
        fired = result.verified_rule_id
        rows = "".join(
            f"<li>{'<strong>▶ fired: ' if rid == fired else ''}{escape(label)} — {escape(rule)}"
            f"{'</strong>' if rid == fired else ''}</li>"
            for rid, label, rule in shown
        )
        label = self.plot.label(result)
        self.text.value = (
            f"<p style='font-size:1.1em'><strong>{escape(label[0].upper() + label[1:])}</strong>"
            f"{' (responder)' if result.responder else ''}. Rule that fired: {escape(self.plot.rule_text(result))}</p>"
            f"<p>Rules are checked in this order:</p><ol>{rows}</ol>"
            f"<p>{escape(groups['non-responder']['explanation'])} <em>[{cite(['aoki2023'], **_PLAIN)}]</em></p>"
            f"<p><small>Complete and partial response as applied in {cite(['saito2019'], **_PLAIN)}; responders and "
            f"non-responders as used in {cite(['aoki2023'], **_PLAIN)}, applying {cite(['chow2012_consensus'], **_PLAIN)}. "
            "Course's convention: the baseline worst pain must be at least 2 (a painful site).</small></p>"
        )
        self.pane.show(values, lambda: self.plot.update(values, result), self.plot.alt(values, result))


# ------------------------------------------------------------------------------------------------------ calcium


@dataclass(frozen=True)
class CalciumState:
    total_mmol_l: float
    corrected_mmol_l: float
    corrected_mg_dl: float
    band: A.CalciumBand


class CalciumCalculator(widgets.VBox):
    """Albumin-corrected calcium from a total calcium in mmol/L or mg/dL, graded by severity."""

    _RANGE = {"mmol/L": (0.5, 6.0, 0.01), "mg/dL": (2.0, 24.0, 0.1)}

    def __init__(self, total_calcium: float = 2.6, unit: str = "mmol/L", albumin_g_l: float = 28.0, *,
                 cache: bool = True):
        lo, hi, step = self._RANGE[unit]
        self.unit = widgets.ToggleButtons(options=list(self._RANGE), value=unit, description="Calcium unit",
                                          style=labelled_style)
        self.total = widgets.BoundedFloatText(value=total_calcium, min=lo, max=hi, step=step,
                                              description=f"Total calcium ({unit})", style=labelled_style)
        self.albumin = widgets.BoundedFloatText(value=albumin_g_l, min=5, max=70, step=1,
                                                description="Albumin (g/L)", style=labelled_style)
        self.controls = {"unit": self.unit, "total": self.total, "albumin": self.albumin}
        self.text = widgets.HTML()
        self.plot = figs.CalciumPlot()
        s = self.state()
        self.plot.update(s.total_mmol_l, s.corrected_mmol_l, s.band)
        self.pane = FigurePane(self.plot.fig, self.plot.alt(s.total_mmol_l, s.corrected_mmol_l, s.band), cache=cache,
                               animated=[self.plot.total, self.plot.corrected, self.plot.ax.title])
        super().__init__([_head("Corrected calcium and hypercalcaemia severity"), self.unit, self.total,
                          self.albumin, self.pane.widget, self.text])
        self.unit.observe(self._unit_changed, names="value")
        self.total.observe(self.refresh, names="value")
        self.albumin.observe(self.refresh, names="value")
        self.refresh()

    def _unit_changed(self, change) -> None:
        old, new = change["old"], change["new"]
        value = self.total.value
        converted = A.calcium_mmol_l_to_mg_dl(value) if new == "mg/dL" else A.calcium_mg_dl_to_mmol_l(value)
        lo, hi, step = self._RANGE[new]
        with self.total.hold_trait_notifications():
            self.total.min, self.total.max = min(lo, self.total.min), max(hi, self.total.max)
            self.total.value = round(converted, 2)
            self.total.min, self.total.max, self.total.step = lo, hi, step
        self.total.description = f"Total calcium ({new})"
        if old != new:
            self.refresh()

    def state(self) -> CalciumState:
        total = float(self.total.value)
        total_mmol = total if self.unit.value == "mmol/L" else A.calcium_mg_dl_to_mmol_l(total)
        corrected = A.corrected_calcium_mmol_l(total_mmol, float(self.albumin.value))
        corrected = min(max(corrected, 0.5), 6.0)
        return CalciumState(total_mmol, corrected, A.calcium_mmol_l_to_mg_dl(corrected), A.hypercalcaemia_band(corrected))

    def refresh(self, _change=None) -> None:
        try:
            s = self.state()
        except (TypeError, ValueError) as exc:
            self.text.value = message(str(exc), "error")
            return
        self.text.value = (
            f"<p style='font-size:1.1em'>Corrected calcium <strong>{s.corrected_mmol_l:.2f} mmol/L</strong> "
            f"({s.corrected_mg_dl:.1f} mg/dL, computed): <strong>{escape(s.band.label)}</strong>.</p>"
            f"<p>{escape(s.band.advice)} <em>[{cite([s.band.source], **_PLAIN)}]</em></p>"
            f"<p><small>Formula: corrected = total + 0.02 × (40 − albumin g/L), mmol/L [{cite([A.CALCIUM_FORMULA_SOURCE], **_PLAIN)}]; "
            f"mg/dL = mmol/L × 4.0 as the zoledronic acid label converts (12 mg/dL = 3.0 mmol/L) "
            f"[{cite([A.ZOLEDRONIC_SOURCE], **_PLAIN)}]. Albumin binding varies between people: with very low albumin, "
            "myeloma paraprotein or kidney failure, ask for an ionised calcium.</small></p>"
        )
        key = (round(s.total_mmol_l, 3), round(s.corrected_mmol_l, 3))
        self.pane.show(key, lambda: self.plot.update(s.total_mmol_l, s.corrected_mmol_l, s.band),
                       self.plot.alt(s.total_mmol_l, s.corrected_mmol_l, s.band))


# ------------------------------------------------------------------------------------------ renal function / drugs


@dataclass(frozen=True)
class RenalState:
    crcl_ml_min: float
    dose_mg: float | None
    row_label: str


class RenalDosing(widgets.VBox):
    """Cockcroft–Gault creatinine clearance → the label's zoledronic acid dose; denosumab's safety points beside it."""

    def __init__(self, age_years: int = 70, weight_kg: float = 60.0, creatinine_umol_l: float = 100.0,
                 sex: str = "female", *, cache: bool = True):
        self.age = widgets.IntSlider(value=age_years, min=18, max=100, description="Age (years)",
                                     style=labelled_style, continuous_update=False)
        self.weight = widgets.BoundedFloatText(value=weight_kg, min=20, max=300, step=1, description="Weight (kg)",
                                               style=labelled_style)
        self.creatinine = widgets.BoundedFloatText(value=creatinine_umol_l, min=10, max=2000, step=5,
                                                   description="Serum creatinine (µmol/L)", style=labelled_style)
        self.sex = widgets.ToggleButtons(options=["female", "male"], value=sex, description="Sex",
                                         style=labelled_style)
        self.controls = {"age": self.age, "weight": self.weight, "creatinine": self.creatinine, "sex": self.sex}
        self.text = widgets.HTML()
        self.plot = figs.RenalDosePlot()
        s = self.state()
        self.plot.update(s.crcl_ml_min, s.dose_mg)
        self.pane = FigurePane(self.plot.fig, self.plot.alt(s.crcl_ml_min, s.dose_mg), cache=cache,
                               animated=[self.plot.marker, self.plot.vline, self.plot.ax.title])
        facts = "".join(
            f"<li><strong>{escape(f['drug'])}:</strong> {escape(f['text'])} <em>[{cite([f['source']], **_PLAIN)}]</em></li>"
            for f in A.drug_facts()
        )
        self.facts = widgets.HTML(f"<p><strong>Beside the dose (bone-health drugs)</strong></p><ul>{facts}</ul>")
        super().__init__([_head("Kidney function and zoledronic acid dose (with denosumab's safety points)"),
                          *self.controls.values(), self.pane.widget, self.text, self.facts])
        for c in self.controls.values():
            c.observe(self.refresh, names="value")
        self.refresh()

    def state(self) -> RenalState:
        crcl = A.creatinine_clearance_ml_min(self.age.value, float(self.weight.value), float(self.creatinine.value),
                                             self.sex.value)
        row = A.zoledronic_row(crcl)
        return RenalState(crcl, None if row is None else float(row["dose_mg"]),
                          "< 30 mL/min" if row is None else row["label"])

    def refresh(self, _change=None) -> None:
        try:
            s = self.state()
        except (TypeError, ValueError) as exc:
            self.text.value = message(str(exc), "error")
            return
        dose = ("<strong>not recommended</strong> (creatinine clearance below 30 mL/min); denosumab needs no renal "
                "dose change but the hypocalcaemia risk is higher in severe kidney disease"
                if s.dose_mg is None else f"<strong>{s.dose_mg:g} mg</strong> (label row {escape(s.row_label)})")
        self.text.value = (
            f"<p style='font-size:1.1em'>Creatinine clearance (Cockcroft–Gault, computed): "
            f"<strong>{s.crcl_ml_min:.0f} mL/min</strong>. Zoledronic acid for bone metastases: {dose}.</p>"
            f"<p><small>CrCl = (140 − age) × weight / (72 × creatinine in mg/dL), × 0.85 for women; creatinine µmol/L "
            f"÷ 88.4 = mg/dL [{cite([A.COCKCROFT_GAULT_SOURCE], **_PLAIN)}]. Dose table: [{cite([A.ZOLEDRONIC_TABLE_SOURCE], **_PLAIN)}]. "
            f"{escape(A.ZOLEDRONIC_GAP_CONVENTION)} "
            "Not the dose for hypercalcaemia of malignancy.</small></p>"
        )
        key = round(s.crcl_ml_min, 1)
        self.pane.show(key, lambda: self.plot.update(s.crcl_ml_min, s.dose_mg), self.plot.alt(s.crcl_ml_min, s.dose_mg))


# ------------------------------------------------------------------------------------------ cord compression triage


@dataclass(frozen=True)
class TriageState:
    step: int  # index of the current (unanswered) step; == number of steps when finished
    finished: bool
    feedback: str
    correct: bool | None  # the last answer's verdict (None before any answer at this step)


class CordCompressionTriage(widgets.VBox):
    """Suspected spinal cord compression, one decision at a time: the next step appears only after the right choice.

    A wrong choice gives feedback that says why and leaves the step open; "Start again" resets the walkthrough.
    """

    def __init__(self, *, cache: bool = True):
        self.steps = A.triage_steps()
        self.step = 0
        self.feedback = ""
        self.last_correct: bool | None = None
        self.situation = widgets.HTML()
        self.choice = widgets.RadioButtons(options=[], value=None, description="Your decision",
                                           layout=widgets.Layout(width="auto"), style=labelled_style)
        self.next_button = widgets.Button(description="Next step", disabled=True,
                                          tooltip="Show the next step (after a correct decision)")
        self.restart = widgets.Button(description="Start again", tooltip="Reset the walkthrough to step 1")
        self.controls = {"choice": self.choice, "next": self.next_button, "restart": self.restart}
        self.text = widgets.HTML()
        self.history = widgets.HTML()
        self.plot = figs.TriagePlot([s["title"] for s in self.steps])
        self.plot.update(0, False)
        self.pane = FigurePane(self.plot.fig, self.plot.alt(0, False), cache=cache, animated=self.plot.moving())
        if cache:  # the walkthrough has one picture per step: draw them all now, so that no step waits for a draw
            for step in range(len(self.steps), -1, -1):
                fin = step >= len(self.steps)
                self.pane.show((step, fin), lambda step=step, fin=fin: self.plot.update(step, fin),
                               self.plot.alt(step, fin))
        super().__init__([_head("Suspected spinal cord compression: decide, then see the next step"), self.pane.widget,
                          self.history, self.situation, self.choice, widgets.HBox([self.next_button, self.restart]),
                          self.text])
        self.choice.observe(self._answered, names="value")
        self.next_button.on_click(self._advance)
        self.restart.on_click(self._restart)
        self._show_step()

    @property
    def finished(self) -> bool:
        return self.step >= len(self.steps)

    def state(self) -> TriageState:
        return TriageState(self.step, self.finished, self.feedback, self.last_correct)

    def choose(self, option_index: int) -> None:
        """Answer the current step by option index (what the radio buttons do; also used by tests)."""
        self.choice.value = option_index

    def _answered(self, change) -> None:
        idx = change["new"]
        if idx is None or self.finished:
            return
        st = self.steps[self.step]
        ok = idx == st["correct"]
        self.last_correct = ok
        self.feedback = ("Correct — " if ok else "Not quite — ") + st["feedbacks"][idx]
        self.next_button.disabled = not ok
        mark = "✔ " if ok else "✘ "
        self.text.value = (f"<div role='status'><strong>{mark}</strong>{escape(self.feedback)} "
                           f"<em>[{cite(st['sources'], **_PLAIN)}]</em></div>")

    def _advance(self, _button=None) -> None:
        if self.last_correct is not True or self.finished:
            return
        st = self.steps[self.step]
        done = self.history.value
        self.history.value = done + (f"<p>✔ <strong>{escape(st['title'])}</strong>: "
                                     f"{escape(st['options'][st['correct']])}</p>")
        self.step += 1
        self.last_correct = None
        self.feedback = ""
        self._show_step()

    def _restart(self, _button=None) -> None:
        self.step = 0
        self.last_correct = None
        self.feedback = ""
        self.history.value = ""
        self._show_step()

    def _show_step(self) -> None:
        self.next_button.disabled = True
        self.text.value = ""
        with self.choice.hold_trait_notifications():
            self.choice.value = None
        if self.finished:
            self.situation.value = ("<p><strong>Walkthrough complete.</strong> Dexamethasone, whole-spine MRI within "
                                    "24 hours, then the NOMS questions decide between radiotherapy alone and surgery "
                                    "followed by radiotherapy.</p>")
            self.choice.options = []
            self.choice.layout.display = "none"
        else:
            st = self.steps[self.step]
            self.situation.value = (f"<p><strong>{escape(st['title'])}</strong></p><p>{escape(st['situation'])}</p>"
                                    f"<p><strong>{escape(st['question'])}</strong></p>")
            self.choice.layout.display = None
            self.choice.options = [(o, i) for i, o in enumerate(st["options"])]
            self.choice.value = None
        step, fin = self.step, self.finished
        self.pane.show((step, fin), lambda: self.plot.update(step, fin), self.plot.alt(step, fin))


# ------------------------------------------------------------------------------------------------ imaging


class ImagingComparator(widgets.VBox):
    """Pick an imaging test: what it shows, what it misses and its pooled accuracy with 95% CIs."""

    def __init__(self, modality: str = "bone_scan", *, cache: bool = True):
        self.records = {r["id"]: r for r in A.imaging_records()}
        self.modality = widgets.Dropdown(options=[(r["name"], k) for k, r in self.records.items()], value=modality,
                                         description="Imaging test", style=labelled_style)
        self.controls = {"modality": self.modality}
        self.text = widgets.HTML()
        self.plot = figs.ImagingPlot()
        self.plot.update(modality)
        self.pane = FigurePane(self.plot.fig, self.plot.alt(modality), cache=cache, animated=self.plot.moving())
        super().__init__([_head("Imaging comparator: what each test shows and misses"), self.modality,
                          self.pane.widget, self.text])
        self.modality.observe(self.refresh, names="value")
        self.refresh()

    def state(self):
        return self.records[self.modality.value]

    def refresh(self, _change=None) -> None:
        r = self.state()
        if r["has_accuracy"] and r.get("has_ci"):
            acc = (f"Sensitivity {r['sensitivity']:g}% (95% CI {r['sensitivity_low']:g}–{r['sensitivity_high']:g}), "
                   f"specificity {r['specificity']:g}% ({r['specificity_low']:g}–{r['specificity_high']:g}).")
        elif r["has_accuracy"]:
            acc = (f"Sensitivity {r['sensitivity']:g}%, specificity {r['specificity']:g}% (no confidence interval in "
                   "the abstract).")
        else:
            acc = "No pooled sensitivity or specificity in the sources used."
        self.text.value = (
            f"<p><strong>{escape(r['name'])}</strong></p><ul><li><strong>Shows:</strong> {escape(r['shows'])}</li>"
            f"<li><strong>Misses:</strong> {escape(r['misses'])}</li><li><strong>Pooled accuracy:</strong> {escape(acc)} "
            f"Population: {escape(r['population'])}. <em>[{cite([r['source']], **_PLAIN)}, {escape(r['locator'])}]</em></li></ul>"
        )
        mid = self.modality.value
        self.pane.show(mid, lambda: self.plot.update(mid), self.plot.alt(mid))
