"""Widgets for lesson 01 (how cancer spreads to bone). Builders return the widget; nothing is displayed here.

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
from ..ui import LAYOUT_WIDE, FigurePane, app, labelled_style, message

__all__ = ["vicious_cycle", "bone_remodeling", "where_and_from_where", "remodeling_summary", "DAYS"]

#: Horizon of the remodeling widget (days): long enough for three remodeling cycles and a fully grown tumour.
DAYS = 1200.0


# --- vicious cycle ------------------------------------------------------------------------------------------------


def _cycle_alt(step: int) -> str:
    s = fb.cycle_steps()[step - 1]
    return (f"Diagram of the vicious cycle: tumour cells, osteoblasts, osteoclasts and bone matrix joined clockwise by "
            f"four arrows. Highlighted: step {step}, {s['arrow_label']}.")


def vicious_cycle(step: int = 1):
    """Step slider (1–4) over the vicious-cycle diagram, with the step explained in text."""
    steps = fb.cycle_steps()
    fig = fb.vicious_cycle_figure(highlight=step)
    arrows, labels = fig.cycle_artists["arrows"], fig.cycle_artists["labels"]
    # Four states (one per step): only the arrows and their labels change, so they are blitted over the boxes, and
    # each step's image is kept after its first view.
    pane = FigurePane(fig, _cycle_alt(step), animated=[*arrows, *labels], cache=True)
    pane.cache.get(step, pane.png)
    slider = widgets.IntSlider(value=step, min=1, max=len(steps), step=1, description="Step of the cycle (number)",
                               style=labelled_style, layout=LAYOUT_WIDE)
    text = widgets.HTML()

    def draw(n: int) -> None:
        for i, (arrow, label) in enumerate(zip(arrows, labels, strict=True), 1):
            on = i == n
            arrow.set_linewidth(4.0 if on else 1.6)
            arrow.set_linestyle("-" if on else "--")
            s = steps[i - 1]
            label.set_text(f"▶ Step {i}: {s['arrow_label']}" if on else f"{i}. {s['arrow_label']}")
            label.set_fontweight("bold" if on else "normal")
            label.get_bbox_patch().set_edgecolor("black" if on else "0.7")

    def render(n: int) -> None:
        pane.show(n, lambda: draw(n), _cycle_alt(n))
        s = steps[n - 1]
        nodes = {d["id"]: d["label"].replace("\n", " ") for d in fb.cycle_nodes()}
        srcs = ", ".join(short(k) for k in s.get("sources", [s.get("source")]))
        text.value = (f"<p><strong>Step {n} of {len(steps)}: {escape(nodes[s['from_node']])} → "
                      f"{escape(nodes[s['to_node']])}.</strong> {escape(s['text'][0].upper() + s['text'][1:])} "
                      f"<em>({escape(srcs)})</em></p>")

    slider.observe(lambda ch: render(ch["new"]), names="value")
    render(step)
    box = app("The vicious cycle, one step at a time", [slider, pane.widget, text],
              controls={"step": slider}, text=text, pane=pane)
    box.cache = pane.cache
    return box


# --- bone remodeling ----------------------------------------------------------------------------------------------


def remodeling_summary(sim: rm.Simulation, reference: rm.Simulation) -> tuple[str, str]:
    """(text, kind) describing a run against the tumour-free reference (for the widget and for tests).

    The verdict (what the tumour and the drug did to bone) is computed in the model layer: ``remodeling.bone_balance``.
    """
    balance = rm.bone_balance(sim, tumour_free=reference)
    return balance.text, ("warning" if balance.bone_gone_day is not None else "info")


def _alt(sim: rm.Simulation, summary: str) -> str:
    return ("Four panels over 1200 days: osteoclasts, osteoblasts, bone mass and tumour size, this scenario as solid "
            "lines with dots and the tumour-free model dashed. " + summary)


def bone_remodeling(*, tumour_on: bool = True, effect: str = "lytic", growth_rate_per_day: float = 0.005,
                    treatment_start_day: float | None = None):
    """The Ayati 2010 remodeling model with a tumour, as an interactive figure plus a text summary."""
    reference = rm.simulate(rm.scenario(tumour_on=False), DAYS)

    def run(on, eff, growth, start):
        return rm.simulate(rm.scenario(tumour_on=on, effect=eff, growth_rate_per_day=growth,
                                       treatment_start_day=start), DAYS)

    sim = run(tumour_on, effect, growth_rate_per_day, treatment_start_day)
    plot = fb.RemodelingPlot(sim, reference)
    summary, kind = remodeling_summary(sim, reference)
    pane = FigurePane(plot.fig, _alt(sim, summary), animated=plot.dynamic, static_key=plot.static_key)
    tumour = widgets.ToggleButtons(options=[("Tumour off", False), ("Tumour on", True)], value=tumour_on,
                                   description="Tumour (on/off)", style=labelled_style)
    eff = widgets.ToggleButtons(
        options=[("Osteolytic (published)", "lytic"), ("Osteoblastic-leaning (illustrative)", "blastic")],
        value=effect, description="Tumour effect (type)", style=labelled_style)
    growth = widgets.FloatSlider(value=growth_rate_per_day, min=0.001, max=0.02, step=0.001, readout_format=".3f",
                                 description="Tumour growth rate γT (per day)", continuous_update=False,
                                 style=labelled_style, layout=LAYOUT_WIDE)
    treat = widgets.Checkbox(value=treatment_start_day is not None, description="Give the drug (treatment on/off)",
                             style=labelled_style, indent=False)
    start = widgets.IntSlider(value=int(treatment_start_day if treatment_start_day is not None else 600), min=0,
                              max=int(DAYS), step=50, description="Treatment starts at (day)",
                              continuous_update=False, style=labelled_style, layout=LAYOUT_WIDE,
                              disabled=treatment_start_day is None)
    text = widgets.HTML(message(summary, kind))

    def update(_change=None) -> None:
        start.disabled = not treat.value
        eff.disabled = not tumour.value
        growth.disabled = not tumour.value
        s = run(tumour.value, eff.value, float(growth.value), float(start.value) if treat.value else None)
        plot.update(s)
        summary, kind = remodeling_summary(s, reference)
        pane.refresh(alt=_alt(s, summary))
        text.value = message(summary, kind)

    for c in (tumour, eff, growth, treat, start):
        c.observe(update, names="value")
    eff.disabled = growth.disabled = not tumour_on
    return app("Bone remodeling with and without a tumour (Ayati 2010 model)",
               [tumour, eff, growth, widgets.HBox([treat, start]), pane.widget, text],
               controls={"tumour": tumour, "effect": eff, "growth": growth, "treat": treat, "start": start},
               text=text, pane=pane)


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


def where_and_from_where(primary: str = "breast"):
    """Dropdown of primaries over the incidence/survival figure; the choice is outlined and described in text."""
    rows = fb.incidence()
    fig = fb.incidence_figure(selected=primary)
    pane = FigurePane(fig, _incidence_alt(primary), cache=True)  # eight states: each image kept after its first view
    pane.cache.get(primary, pane.png)
    choose = widgets.Dropdown(options=[(r["primary"], r["id"]) for r in rows], value=primary,
                              description="Primary cancer (type)", style=labelled_style)
    text = widgets.HTML(_primary_text(primary))
    bars = fig.incidence_artists

    def draw(pid: str) -> None:
        for rid, artists in bars.items():
            on = rid == pid
            for patch in artists["bars"]:
                patch.set_linewidth(3.0 if on else 0.8)
            for t in artists["values"]:
                t.set_fontweight("bold" if on else "normal")
        fb.set_incidence_labels(fig, pid)

    def update(change) -> None:
        pid = change["new"]
        pane.show(pid, lambda: draw(pid), _incidence_alt(pid))
        text.value = _primary_text(pid)

    # Pre-render the other primaries once while the widget is built (~80 ms each, about 0.6 s in all), so that every
    # choice a student makes is shown from the cache; then put the first choice back on screen.
    for rid in bars:
        if rid != primary:
            pane.show(rid, lambda rid=rid: draw(rid), _incidence_alt(rid))
    pane.show(primary, lambda: draw(primary), _incidence_alt(primary))

    choose.observe(update, names="value")
    box = app("Where bone metastases come from", [choose, pane.widget, text],
              controls={"primary": choose}, text=text, pane=pane)
    box.cache = pane.cache
    return box
