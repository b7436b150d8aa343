"""Widgets for the MR-guided focused ultrasound lesson: small classes with a pure ``state()`` (STYLE.md §3); the
builder functions the notebook calls return them; nothing is displayed here.

* :func:`sonication_planner` — power, duration, depth of the bone surface, distance to a nerve and two illustrative
  physics settings → temperature map with the 240-CEM43 region, traces and plain-text verdicts.
* :func:`sham_trial_explorer` — responder rates of the phase III trial with 95 % CIs by a chosen method, the method's
  formula written out, and the adverse events.

Thin views: every number and verdict comes from :mod:`bonemets_edu.focused_ultrasound` and ``data/fus.toml``.
"""

from __future__ import annotations

import ipywidgets as widgets

from .. import focused_ultrasound as fus
from .._validate import require_choice
from ..display import escape
from ..figures import fus as ffig
from ..references import short
from ..ui import App, FigurePane, labelled_style, message, pin_decorations

__all__ = ["SonicationPlanner", "ShamTrialExplorer", "sonication_planner", "sham_trial_explorer", "PLANNER_CELL_MM"]

#: Grid cell (mm), domain depth (mm) and cooling time (s) of the planner's model: shared with the lesson's scenario
#: table (bonemets_edu.focused_ultrasound), so both show the same numbers; grid accuracy is checked in
#: tests/test_fus_model.py::test_grid_refinement (bone surface, skin with and without extra absorption, nerve).
PLANNER_CELL_MM = fus.PLANNER_CELL_MM
DOMAIN_DEPTH_MM = fus.PLANNER_DOMAIN_DEPTH_MM
COOLING_S = fus.PLANNER_COOLING_S


def _slider(cls, description, value, lo, hi, step, fmt=None):
    kw = dict(value=value, min=lo, max=hi, step=step, description=description, continuous_update=False,
              style=labelled_style, layout=widgets.Layout(width="440px"))
    if fmt:
        kw["readout_format"] = fmt
    return cls(**kw)


def _describe_sonication(result, beam0, p_lo, p_hi, t_lo, t_hi) -> str:
    depth = result.lethal_depth_range_mm
    lethal = (
        f"Region at ≥ {fus.CEM43_LETHAL_MIN:g} CEM43 (treated as destroyed): {2 * result.lethal_radius_on_bone_mm:.0f} mm "
        f"across the bone surface, {depth[0]:.0f}–{depth[1]:.0f} mm deep."
        if depth else f"No tissue reached {fus.CEM43_LETHAL_MIN:g} CEM43. In this model that means no periosteal "
        "nerve endings are counted as destroyed: a statement about the illustrative model, not a prediction for "
        "a patient."
    )
    energy = result.energy
    lines = [
        f"<b>{result.power_w:g} W for {result.duration_s:g} s</b> = {energy.delivered_j / 1000:.2f} kJ of sound "
        f"[computed]; {100 * energy.deposited_j / max(energy.delivered_j, 1e-9):.0f}% absorbed in the model tissue.",
        f"Peak bone-surface temperature {result.peak_periosteal_c:.0f} °C (hottest point, a few mm inside the bone: "
        f"{result.peak_bone_c:.0f} °C) · hottest skin {result.peak_skin_c:.1f} °C · nerve "
        f"{result.peak_structure_c:.1f} °C.",
        escape(lethal),
    ]
    html = "<div>" + "<br>".join(lines) + "</div>"
    for w in fus.sonication_warnings(result):
        html += message(w.text, w.kind)
    html += (
        "<div style='font-size:90%'><b>Heat-sensitive neighbours</b> (a named complication; the model shows only "
        "the skin and one nerve): " + "; ".join(
            f"{escape(r['label'])} — {escape(r['protection'])}" for r in fus.fus_records("near_target")
        ) + "</div>"
    )
    lethal_rec = fus.threshold("lethal_dose")
    html += (
        f"<div style='font-size:90%'><b>Why {lethal_rec['value']:g} CEM43</b> "
        f"({escape(short(lethal_rec['source']))}): {escape(lethal_rec['caveat'])}</div>"
    )
    html += (
        "<div style='font-size:90%'>Illustrative teaching model: bone/soft absorption ratio, beam footprint "
        f"radius on the bone ({beam0.focal_radius_mm:g} mm), beam angle and skin thickness are not published values. Power and time "
        f"sliders span the clinical ranges ({p_lo:g}–{p_hi:g} W, {t_lo:g}–{t_hi:g} s; {escape(short('chen2017'))})."
        "</div>"
    )
    return html


class SonicationPlanner(App):
    """Sonication planner: a persistent map + traces figure, a text summary and warnings.

    ``result`` is the model result on screen (``state()`` computes it from the controls).
    """

    TITLE = "Sonication planner (teaching model)"
    CONTROLS = ("power", "duration", "depth", "structure", "ratio", "skin_extra")

    def __init__(self, power_w: float = 56.0, duration_s: float = 25.0, bone_depth_mm: float = 40.0,
                 structure_distance_mm: float = 25.0):
        self.p_lo, self.p_hi = fus.clinical_value("power_min"), fus.clinical_value("power_max")
        self.t_lo, self.t_hi = fus.clinical_value("duration_min"), fus.clinical_value("duration_max")
        self.beam0 = fus.default_beam()
        self.power = _slider(widgets.FloatSlider, "Acoustic power (W)", power_w, self.p_lo, self.p_hi, 4.0, ".0f")
        self.duration = _slider(widgets.FloatSlider, "Sonication time (s)", duration_s, self.t_lo, self.t_hi, 1.0,
                                ".0f")
        self.depth = _slider(widgets.FloatSlider, "Bone surface depth below skin (mm)", bone_depth_mm, 15.0, 65.0,
                             5.0, ".0f")
        self.structure = _slider(widgets.FloatSlider, "Nerve distance from beam axis (mm)", structure_distance_mm,
                                 2.0, 38.0, 1.0, ".0f")
        self.ratio = _slider(widgets.FloatSlider, "Bone/soft absorption ratio (×, illustrative)",
                             self.beam0.bone_absorption_ratio, 2.0, 60.0, 2.0, ".0f")
        self.skin_extra = _slider(widgets.FloatSlider, "What-if: extra skin absorption (%, illustrative)", 0.0, 0.0,
                                  10.0, 0.5, ".1f")
        self.result = self.state()
        self.plot = ffig.SonicationFigure(self.result, fixed_limits=(DOMAIN_DEPTH_MM, self.t_hi + COOLING_S, 130.0))
        # A state shown before (the same six settings, e.g. a slider moved back) is served from a per-state image
        # cache: about 100 kB a picture, so at most 48 are kept (~5 MB).
        self.pane = FigurePane(self.plot.fig, ffig.sonication_alt(self.result), animated=self.plot.dynamic_artists,
                               cache=48)
        pin_decorations(self.plot.fig)  # fixed limits: a redraw does not place the axis labels and titles again
        self.text = widgets.HTML(self.describe(self.result))
        grid = widgets.GridBox(list(self.controls.values()),
                               layout=widgets.Layout(grid_template_columns="repeat(2, 450px)", grid_gap="2px 12px"))
        super().__init__([grid, self.pane.widget, self.text])
        self.observe_controls()

    def state(self) -> fus.SonicationResult:
        """The model's sonication for the controls' values (pure)."""
        b = self.beam0
        beam = fus.BeamParameters(
            frequency_mhz=b.frequency_mhz, soft_attenuation_np_m_mhz=b.soft_attenuation_np_m_mhz,
            bone_absorption_ratio=self.ratio.value, focal_radius_mm=b.focal_radius_mm,
            half_angle_deg=b.half_angle_deg, skin_thickness_mm=b.skin_thickness_mm,
            skin_extra_absorption=self.skin_extra.value / 100.0,
        )
        depth = self.depth.value
        return fus.simulate_sonication(self.power.value, self.duration.value, depth, self.structure.value, beam=beam,
                                       cell_mm=PLANNER_CELL_MM, cooling_s=COOLING_S,
                                       bone_below_mm=DOMAIN_DEPTH_MM - depth)

    def describe(self, result) -> str:
        return _describe_sonication(result, self.beam0, self.p_lo, self.p_hi, self.t_lo, self.t_hi)

    def refresh(self, _change=None) -> None:
        try:
            res = self.state()
        except (TypeError, ValueError) as exc:  # bounded controls make this unreachable; never show a traceback
            self.text.value = message(str(exc), "error")
            return
        self.result = res
        key = tuple(c.value for c in self.controls.values())
        self.pane.show(key, lambda: self.plot.update(res), ffig.sonication_alt(res))
        self.text.value = self.describe(res)


def sonication_planner(power_w: float = 56.0, duration_s: float = 25.0, bone_depth_mm: float = 40.0,
                       structure_distance_mm: float = 25.0) -> SonicationPlanner:
    """Sonication planner: a persistent map + traces figure, a text summary and warnings."""
    return SonicationPlanner(power_w, duration_s, bone_depth_mm, structure_distance_mm)


_METHOD_TEXT = {
    "wilson": (
        "Wilson score interval: centre = (p + z²/2n)/(1 + z²/n), half-width = z·√(p(1−p)/n + z²/4n²)/(1 + z²/n), "
        "z = 1.96. Works well even for small arms."
    ),
    "exact": (
        "Clopper–Pearson 'exact' interval: the 2.5th and 97.5th percentiles of beta distributions built from the "
        "counts. Never too narrow; often a little too wide."
    ),
    "wald": (
        "Wald interval: p ± 1.96·√(p(1−p)/n). The textbook formula; too narrow (and can cross 0% or 100%) when n is "
        "small or p is near 0 or 1 — look at the sham arm."
    ),
}


def _describe_trial(summary) -> str:
    from ..evidence import load_table

    info = load_table("fus.toml", "trial")
    rows = "".join(
        f"<tr><td>{escape(a.label)}</td><td>{a.n}</td><td>{a.responders} [computed]</td>"
        f"<td>{a.published_percent:.1f}%</td><td>{a.ci_low_percent:.1f}–{a.ci_high_percent:.1f}%</td></tr>"
        for a in summary.arms
    )
    table = (
        "<table style='border-collapse:collapse'><tr><th>Arm</th><th>n</th><th>Responders</th>"
        "<th>Published</th><th>95% CI</th></tr>" + rows + "</table>"
    )
    aes = "".join(
        f"<li>{escape(ae[0])}: {ae[1]} of {summary.arms[0].n} ({ae[2]:.1f}%{' of the arm, count computed' if ae[5] else ', computed'})"
        f" — why: {escape(ae[3])}.</li>"
        for ae in summary.adverse_events
    )
    return (
        f"<p><b>Responder</b> = {escape(info['responder_definition'])}. Entry: {escape(info['entry'])}.</p>"
        + table
        + f"<p>Difference {summary.difference_percent:.1f} percentage points (95% CI "
        f"{summary.difference_ci_low_percent:.1f} to {summary.difference_ci_high_percent:.1f}, Newcombe hybrid "
        f"score) [computed]; about {summary.nnt} patients treated for one extra responder (NNT, rounded up) "
        f"[computed]. Published: {escape(info['p_value'])}.</p>"
        f"<p><b>Method.</b> {escape(_METHOD_TEXT[summary.method])}</p>"
        f"<p><b>Adverse events (MRgFUS arm)</b><ul>{aes}</ul></p>"
        f"<p style='font-size:90%'>Source: {escape(short('hurwitz2014'))}. Responder counts are the whole numbers "
        "that reproduce the published percentages; intervals are computed here, not quoted.</p>"
    )


class ShamTrialExplorer(App):
    """The phase III MRgFUS-vs-sham trial: responder rates, 95 % CIs by a chosen method, adverse events.

    Only three states exist (one per method): each image is rendered once, then served from the pane's cache.
    """

    TITLE = "The sham-controlled trial"
    CONTROLS = ("method",)

    def __init__(self, method: str = "wilson"):
        method = require_choice("method", method, fus.CI_METHODS)
        self.method = widgets.ToggleButtons(
            options=[("Wilson score", "wilson"), ("Clopper–Pearson exact", "exact"), ("Wald", "wald")],
            value=method, description="95% CI method", style=labelled_style,
            tooltips=["Wilson score interval", "Exact binomial interval", "Normal-approximation interval"],
        )
        summary = self.state()
        self.plot = ffig.TrialFigure(summary)
        self.pane = FigurePane(self.plot.fig, ffig.trial_alt(summary), animated=self.plot.dynamic_artists,
                               cache=True)
        self.pane.cache.get(method, self.pane.png)
        self.text = widgets.HTML(_describe_trial(summary))
        super().__init__([self.method, self.pane.widget, self.text])
        self.observe_controls()

    def state(self) -> fus.TrialSummary:
        return fus.sham_trial(self.method.value)

    def refresh(self, _change=None) -> None:
        summary = self.state()
        self.pane.show(summary.method, lambda: self.plot.update(summary), ffig.trial_alt(summary))
        self.text.value = _describe_trial(summary)


def sham_trial_explorer(method: str = "wilson") -> ShamTrialExplorer:
    """The phase III MRgFUS-vs-sham trial: responder rates, 95 % CIs by a chosen method, adverse events."""
    return ShamTrialExplorer(method)
