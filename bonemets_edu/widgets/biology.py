"""Widgets for lesson 01 (how cancer spreads to bone): small classes (STYLE.md §3) with a pure ``state()``; the
builder functions the notebook calls return them; nothing is displayed here.

* ``vicious_cycle()`` — step through the tumour–bone vicious cycle; the diagram highlights the step (thick solid arrow,
  "▶ Step n" label) and the step is written out as text.
* ``bone_remodeling()`` — the Ayati 2010 osteoclast–osteoblast–tumour model: tumour on/off, lytic (published) or
  blastic-leaning (illustrative) effect, tumour growth rate, and a "start treatment at day …" switch from the
  BioModels 403 treatment variant. One persistent 2×2 figure; the result is also written as text.
* ``where_and_from_where()`` — incidence and median survival by primary (Coleman's table); choosing a primary outlines
  its bars and writes its numbers, including where other sources disagree.
"""

from __future__ import annotations

import ipywidgets as widgets

from .. import remodeling as rm
from ..display import escape
from ..figures import biology as fb
from ..references import short
from ..ui import LAYOUT_WIDE, App, FigurePane, labelled_style, message, pin_decorations

__all__ = ["ViciousCycle", "BoneRemodeling", "WhereAndFromWhere", "vicious_cycle", "bone_remodeling",
           "where_and_from_where", "remodeling_summary", "DAYS"]

#: Horizon of the remodeling widget (days): long enough for three remodeling cycles and a fully grown tumour.
DAYS = 1200.0


# --- vicious cycle ------------------------------------------------------------------------------------------------


def _cycle_alt(step: int) -> str:
    s = fb.cycle_steps()[step - 1]
    return (f"Diagram of the vicious cycle: tumour cells, osteoblasts, osteoclasts and bone matrix joined clockwise by "
            f"four arrows. Highlighted: step {step}, {s['arrow_label']}.")


def _cycle_text(n: int) -> str:
    steps = fb.cycle_steps()
    s = steps[n - 1]
    nodes = {d["id"]: d["label"].replace("\n", " ") for d in fb.cycle_nodes()}
    srcs = ", ".join(short(k) for k in s.get("sources", [s.get("source")]))
    return (f"<p><strong>Step {n} of {len(steps)}: {escape(nodes[s['from_node']])} → "
            f"{escape(nodes[s['to_node']])}.</strong> {escape(s['text'][0].upper() + s['text'][1:])} "
            f"<em>({escape(srcs)})</em></p>")


class ViciousCycle(App):
    """Step slider (1–4) over the vicious-cycle diagram, with the step explained in text.

    Four states (one per step): only the arrows and their labels change, so they are blitted over the boxes, and each
    step's image is kept after its first view (``cache``).
    """

    TITLE = "The vicious cycle, one step at a time"
    CONTROLS = ("step",)

    def __init__(self, step: int = 1):
        self.plot = fb.CyclePlot(highlight=step)
        self.pane = FigurePane(self.plot.fig, _cycle_alt(step), animated=self.plot.moving, cache=True)
        self.cache = self.pane.cache
        self.cache.get(step, self.pane.png)
        self.step = widgets.IntSlider(value=step, min=1, max=len(self.plot.steps), step=1,
                                      description="Step of the cycle (number)", style=labelled_style,
                                      layout=LAYOUT_WIDE)
        self.text = widgets.HTML()
        super().__init__([self.step, self.pane.widget, self.text])
        self.observe_controls()
        self.refresh()

    def state(self) -> int:
        return self.step.value

    def refresh(self, _change=None) -> None:
        n = self.state()
        self.pane.show(n, lambda: self.plot.highlight(n), _cycle_alt(n))
        self.text.value = _cycle_text(n)


def vicious_cycle(step: int = 1) -> ViciousCycle:
    """Step slider (1–4) over the vicious-cycle diagram, with the step explained in text."""
    return ViciousCycle(step)


# --- bone remodeling ----------------------------------------------------------------------------------------------


def remodeling_summary(sim: rm.Simulation, reference: rm.Simulation) -> tuple[str, str]:
    """(text, kind) describing a run against the tumour-free reference (for the widget and for tests).

    The verdict (what the tumour and the drug did to bone) is computed in the model layer: ``remodeling.bone_balance``.
    """
    balance = rm.bone_balance(sim, tumour_free=reference)
    return balance.text, ("warning" if balance.bone_gone_day is not None else "info")


def _alt(summary: str) -> str:
    return ("Four panels over 1200 days: osteoclasts, osteoblasts, bone mass and tumour size, this scenario as solid "
            "lines with dots and the tumour-free model dashed. " + summary)


class BoneRemodeling(App):
    """The Ayati 2010 remodeling model with a tumour, as an interactive figure plus a text summary."""

    TITLE = "Bone remodeling with and without a tumour (Ayati 2010 model)"
    CONTROLS = ("tumour", "effect", "growth", "treat", "start")

    def __init__(self, *, tumour_on: bool = True, effect: str = "lytic", growth_rate_per_day: float = 0.005,
                 treatment_start_day: float | None = None):
        self.reference = rm.simulate(rm.scenario(tumour_on=False), DAYS)
        self.tumour = widgets.ToggleButtons(options=[("Tumour off", False), ("Tumour on", True)], value=tumour_on,
                                            description="Tumour (on/off)", style=labelled_style)
        self.effect = widgets.ToggleButtons(
            options=[("Osteolytic (published)", "lytic"), ("Osteoblastic-leaning (illustrative)", "blastic")],
            value=effect, description="Tumour effect (type)", style=labelled_style)
        self.growth = widgets.FloatSlider(value=growth_rate_per_day, min=0.001, max=0.02, step=0.001,
                                          readout_format=".3f", description="Tumour growth rate γT (per day)",
                                          continuous_update=False, style=labelled_style, layout=LAYOUT_WIDE)
        self.treat = widgets.Checkbox(value=treatment_start_day is not None,
                                      description="Give the drug (treatment on/off)", style=labelled_style,
                                      indent=False)
        self.start = widgets.IntSlider(value=int(treatment_start_day if treatment_start_day is not None else 600),
                                       min=0, max=int(DAYS), step=50, description="Treatment starts at (day)",
                                       continuous_update=False, style=labelled_style, layout=LAYOUT_WIDE,
                                       disabled=treatment_start_day is None)
        sim = self.state()
        summary, kind = remodeling_summary(sim, self.reference)
        self.plot = fb.RemodelingPlot(sim, self.reference)
        self.pane = FigurePane(self.plot.fig, _alt(summary), animated=self.plot.dynamic,
                               static_key=self.plot.static_key)
        pin_decorations(self.plot.fig)  # fixed limits; halves a full redraw (50 -> 26 ms measured)
        self.text = widgets.HTML(message(summary, kind))
        self._enable()
        super().__init__([self.tumour, self.effect, self.growth, widgets.HBox([self.treat, self.start]),
                          self.pane.widget, self.text])
        self.observe_controls()

    def state(self) -> rm.Simulation:
        """The model run for the controls' values (pure: the same values give the same run)."""
        return rm.simulate(rm.scenario(tumour_on=self.tumour.value, effect=self.effect.value,
                                       growth_rate_per_day=float(self.growth.value),
                                       treatment_start_day=float(self.start.value) if self.treat.value else None),
                           DAYS)

    def _enable(self) -> None:
        self.start.disabled = not self.treat.value
        self.effect.disabled = self.growth.disabled = not self.tumour.value

    def refresh(self, _change=None) -> None:
        self._enable()
        sim = self.state()
        self.plot.update(sim)
        summary, kind = remodeling_summary(sim, self.reference)
        self.pane.refresh(alt=_alt(summary))
        self.text.value = message(summary, kind)


def bone_remodeling(*, tumour_on: bool = True, effect: str = "lytic", growth_rate_per_day: float = 0.005,
                    treatment_start_day: float | None = None) -> BoneRemodeling:
    """The Ayati 2010 remodeling model with a tumour, as an interactive figure plus a text summary."""
    return BoneRemodeling(tumour_on=tumour_on, effect=effect, growth_rate_per_day=growth_rate_per_day,
                          treatment_start_day=treatment_start_day)


# --- where and from where -----------------------------------------------------------------------------------------


def _primary_text(pid: str) -> str:
    r = next(x for x in fb.incidence() if x["id"] == pid)

    def rng(lo, hi, unit):
        return f"{lo:g}{unit}" if lo == hi else f"{lo:g}–{hi:g}{unit}"

    srcs = r.get("sources", [r.get("source")])
    out = (f"<p><strong>{escape(r['primary'])}</strong>: bone metastases in "
           f"{rng(r['incidence_low_pct'], r['incidence_high_pct'], '%')} of patients with advanced disease; median "
           f"survival after they are found {rng(r['survival_low_months'], r['survival_high_months'], ' months')}; "
           f"lesions {escape(r['lesion_tendency'])} <em>({escape(', '.join(short(k) for k in srcs))})</em>.</p>")
    others = [o for o in fb.incidence_other() if o["primary_id"] == pid]
    if others:
        items = "".join(f"<li>{rng(o['low_pct'], o['high_pct'], '%')} — {escape(o['setting'])} "
                        f"<em>({escape(short(o['source']))})</em></li>" for o in others)
        out += f"<p>Other sources give different figures:</p><ul>{items}</ul>"
    else:
        out += "<p>No other source in this course's references gives a figure for this primary.</p>"
    return out


def _incidence_alt(pid: str) -> str:
    r = next(x for x in fb.incidence() if x["id"] == pid)
    return ("Horizontal range bars of bone-metastasis incidence (%) and median survival (months) for eight primary "
            f"cancers; {r['primary']} is outlined.")


class WhereAndFromWhere(App):
    """Dropdown of primaries over the incidence/survival figure; the choice is outlined and described in text.

    Eight states: every primary's image is rendered once while the widget is built (~80 ms each), so that every
    choice a student makes is shown from the cache.
    """

    TITLE = "Where bone metastases come from"
    CONTROLS = ("primary",)

    def __init__(self, primary: str = "breast"):
        rows = fb.incidence()
        self.plot = fb.IncidencePlot(selected=primary)
        self.pane = FigurePane(self.plot.fig, _incidence_alt(primary), cache=True)
        self.cache = self.pane.cache
        self.cache.get(primary, self.pane.png)
        self.primary = widgets.Dropdown(options=[(r["primary"], r["id"]) for r in rows], value=primary,
                                        description="Primary cancer (type)", style=labelled_style)
        self.text = widgets.HTML(_primary_text(primary))
        for rid in self.plot.artists:
            if rid != primary:
                self._show(rid)
        self._show(primary)
        super().__init__([self.primary, self.pane.widget, self.text])
        self.observe_controls()

    def state(self) -> str:
        return self.primary.value

    def _show(self, pid: str) -> None:
        self.pane.show(pid, lambda: self.plot.select(pid), _incidence_alt(pid))

    def refresh(self, _change=None) -> None:
        pid = self.state()
        self._show(pid)
        self.text.value = _primary_text(pid)


def where_and_from_where(primary: str = "breast") -> WhereAndFromWhere:
    """Dropdown of primaries over the incidence/survival figure; the choice is outlined and described in text."""
    return WhereAndFromWhere(primary)
