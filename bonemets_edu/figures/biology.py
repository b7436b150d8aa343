"""Figures for lesson 01 (how cancer spreads to bone).

* ``RemodelingPlot`` — osteoclasts, osteoblasts, bone mass and tumour over time (one persistent figure the widget
  updates in place), with the tumour-free run of the same model as a dashed reference.
* ``vicious_cycle_figure`` — the tumour–bone vicious cycle as a diagram (boxes and arrows), one step optionally
  highlighted by a thick outline and a text marker (never by colour alone); ``vicious_cycle_text`` is its text
  alternative.
* ``incidence_figure`` — incidence of bone metastases and median survival by primary (ranges), with the lesion
  tendency written next to each bar.
* ``lesion_pattern_figure`` and ``sites_figure`` — lesion type by primary and the usual skeletal sites.

Every function returns a matplotlib Figure (not managed by pyplot); nothing is displayed here.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Circle, Ellipse, FancyArrowPatch, FancyBboxPatch, Polygon, Rectangle

from ..evidence import load_records
from ..references import short
from ..style import BASE_FONT_PT, COLORS, HATCHES, annotate_source, bar_style, new_figure, series_style

__all__ = [
    "RemodelingPlot",
    "vicious_cycle_figure",
    "vicious_cycle_text",
    "incidence_figure",
    "skeleton_figure",
    "komarova_figure",
    "CyclePlot",
    "IncidencePlot",
    "incidence_table_text",
    "consequences_text",
    "drugs_text",
    "disagreements_markdown",
    "incidence",
    "incidence_other",
    "cycle_nodes",
    "cycle_steps",
]

# --- data (bonemets_edu/data/biology.toml; every record's source is checked by the loader) ----------------------

DATA_FILE = "biology.toml"


class _Data:
    """Typed accessors for the lesson's data file (loaded and validated once, then cached by ``evidence``)."""

    @staticmethod
    def incidence():
        return load_records(DATA_FILE, "incidence", {
            "primary": str, "incidence_low_pct": float, "incidence_high_pct": float,
            "survival_low_months": float, "survival_high_months": float, "lesion_tendency": str})

    @staticmethod
    def incidence_other():
        """Other published incidence figures, one entry per (figure, primary) pair.

        A source that gives ONE pooled figure for several primaries (``primary_ids`` with more than one id) yields one
        entry for each primary it covers, each carrying ``primary_id`` and ``pooled_with`` (the other primaries of the
        same figure), so a per-primary view can say that the figure is not specific to that primary.
        """
        out = []
        for r in load_records(DATA_FILE, "incidence_other", {
                "primary_ids": list, "low_pct": float, "high_pct": float, "setting": str}):
            for pid in r["primary_ids"]:
                out.append({**r, "primary_id": pid, "pooled_with": [p for p in r["primary_ids"] if p != pid]})
        return out

    @staticmethod
    def incidence_sources():
        return ["macedo2017", "coleman2001"]

    @staticmethod
    def facts():
        return load_records(DATA_FILE, "fact", {"text": str},
                            {"value": float, "value_low": float, "value_high": float, "unit": str, "locator": str})

    @staticmethod
    def disagreements():
        """Where sources disagree on headline facts: each record names the [[fact]] ids it sets side by side."""
        recs = load_records(DATA_FILE, "disagreement", {"topic": str, "fact_ids": list, "why": str})
        known = {f["id"] for f in _Data.facts()}
        for r in recs:
            missing = [i for i in r["fact_ids"] if i not in known]
            if len(r["fact_ids"]) < 2 or missing:
                raise ValueError(f"{DATA_FILE}: [[disagreement]] {r['id']!r} must name at least two [[fact]] ids; "
                                 f"unknown: {missing}")
        return recs

    @staticmethod
    def sites():
        """Where bone metastases are commonest: each record is one source's claim, within its ``scope`` (no record
        ranks the sites against each other)."""
        return load_records(DATA_FILE, "site", {"site": str, "scope": str, "claim": str, "label": str, "locator": str})

    @staticmethod
    def lesion_types():
        return load_records(DATA_FILE, "lesion_type", {
            "name": str, "what_happens": str, "imaging": str, "mediators": list, "examples": str},
            {"mediator_note": str})

    @staticmethod
    def cycle_nodes():
        return load_records(DATA_FILE, "cycle_node", {"label": str})

    @staticmethod
    def cycle_steps():
        return load_records(DATA_FILE, "cycle_step", {"from_node": str, "to_node": str, "arrow_label": str, "text": str})

    @staticmethod
    def cycle_sources():
        keys = []
        for step in _Data.cycle_steps():
            for k in step.get("sources", [step.get("source")]):
                if k and k not in keys:
                    keys.append(k)
        return keys

    @staticmethod
    def sre():
        return load_records(DATA_FILE, "sre", {"components": list})[0]

    @staticmethod
    def consequences():
        recs = load_records(DATA_FILE, "consequence", {"name": str, "mechanism": str, "lessons": list, "treated": str})
        for r in recs:
            if r["treated"] not in ("locally", "medically"):
                raise ValueError(f"{DATA_FILE}: [[consequence]] {r['id']!r}: treated must be 'locally' or 'medically', "
                                 f"got {r['treated']!r}")
            if r["treated"] == "medically" and r["lessons"]:
                raise ValueError(f"{DATA_FILE}: [[consequence]] {r['id']!r} is treated medically but lists local-therapy "
                                 f"lessons {r['lessons']}")
        return recs

    @staticmethod
    def drugs():
        return load_records(DATA_FILE, "drug", {"name": str, "target": str, "headline": str},
                            {"hazard_ratio": float, "hr_ci_low": float, "hr_ci_high": float, "hr_label": str,
                             "locator": str})


data = _Data()


def _caption(fig, text: str) -> None:
    """Source line under the axes, with room reserved for it by the layout engine."""
    _reserve(fig, text.count("\n") + 1)
    annotate_source(fig, text)


def _reserve(fig, lines: int) -> None:
    bottom = (0.24 * lines + 0.06) / fig.get_figheight()
    fig.get_layout_engine().set(rect=(0, bottom, 1, 1 - bottom))
incidence = _Data.incidence
incidence_other = _Data.incidence_other
cycle_nodes = _Data.cycle_nodes
cycle_steps = _Data.cycle_steps


# --- bone remodeling time courses -------------------------------------------------------------------------------


class RemodelingPlot:
    """A 2×2 figure: osteoclasts, osteoblasts, bone mass, tumour (days on every x axis).

    The axes limits are FIXED (``Y_LIMITS``, wide enough for every setting the widget allows), so scenarios can be
    compared by eye and the background (axes, ticks, labels, the dashed tumour-free reference) never changes. That
    lets the widget's ``FigurePane`` blit ``dynamic`` (the scenario's lines and the treatment markers) over a cached
    background; the caption has two variants and is named by ``static_key()``.
    The tumour run is drawn solid with dots; the tumour-free reference dashed and unmarked.
    """

    Y_LIMITS = {"osteoclasts": (-2.0, 50.0), "osteoblasts": (-40.0, 1050.0), "bone_mass": (-75.0, 145.0),
                "tumour": (-4.0, 104.0)}

    def __init__(self, sim, reference, *, width_in: float = 9.5, height_in: float = 6.4):
        fig, axes = new_figure(width_in, height_in, 2, 2, sharex=True)
        self.fig = fig
        self.axes = axes
        (ax_c, ax_b), (ax_z, ax_t) = axes
        run = series_style(0)
        ref = series_style(1)
        self.lines = {}
        for key, ax, title, unit in [
            ("osteoclasts", ax_c, "Osteoclasts (resorb bone)", "cells (model units)"),
            ("osteoblasts", ax_b, "Osteoblasts (form bone)", "cells (model units)"),
            ("bone_mass", ax_z, "Bone mass", "% of starting mass"),
            ("tumour", ax_t, "Tumour", "% of its maximum size"),
        ]:
            ax.plot(reference.days, getattr(reference, key), label="same model, no tumour", color=ref["color"],
                    linestyle="--")
            (run_line,) = ax.plot([], [], label="this scenario", color=run["color"], linestyle="-",
                                  marker=run["marker"], markevery=100, animated=True)
            self.lines[key] = run_line
            ax.set_title(title, loc="left")
            ax.set_ylabel(unit)
            ax.set_ylim(*self.Y_LIMITS[key])
        ax_c.set_xlim(0.0, float(reference.days[-1]))
        for ax in axes[1]:
            ax.set_xlabel("time (days)")
        ax_z.axhline(100.0, color="0.4", linewidth=1, linestyle=":")
        ax_z.axhspan(self.Y_LIMITS["bone_mass"][0], 0.0, facecolor="none", edgecolor="0.6", hatch="..", linewidth=0)
        ax_z.text(0.02 * reference.days[-1], -40.0, "below 0: no bone left\n(model artefact)", fontsize=BASE_FONT_PT,
                  va="center", bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0})
        self.treatment_lines = [ax.axvline(np.nan, color="black", linestyle=":", linewidth=1.8, animated=True)
                                for ax in axes.ravel()]
        ax_c.legend(loc="upper right", frameon=True, handles=[self.lines["osteoclasts"], ax_c.lines[0]])
        fig.get_layout_engine().set(h_pad=0.12)
        _reserve(fig, 2)
        self.caption = fig.text(0.005, 0.005, "", fontsize=BASE_FONT_PT, ha="left", va="bottom", color="0.25")
        self.dynamic = [*self.lines.values(), *self.treatment_lines]
        self.update(sim, reference)

    def static_key(self) -> str:
        """What else changes between scenarios: only the caption (published vs illustrative parameters)."""
        return self.caption.get_text()

    def update(self, sim, reference=None) -> None:
        """Move the scenario's artists to ``sim`` (the reference is fixed at construction)."""
        x = sim.days
        for key, line in self.lines.items():
            line.set_data(x, getattr(sim, key))
            line.set_markevery(max(1, len(x) // 12))
        start = sim.params.treatment_start_day
        for line in self.treatment_lines:
            line.set_xdata([start if start is not None else np.nan] * 2)
        tag = "ILLUSTRATIVE osteoblastic parameters (not published)" if sim.params.illustrative else "published parameters"
        self.caption.set_text(f"Ayati et al. 2010 model (BioModels 402/403), {tag}.\n"
                              "Solid with dots: this scenario. Dashed: no tumour. Dotted vertical: treatment start.")


# --- vicious cycle diagram ---------------------------------------------------------------------------------------

_BOX_POS = {  # node id -> (x, y) centre in axes coordinates (0..1)
    "tumour": (0.50, 0.86),
    "osteoblast": (0.86, 0.50),
    "osteoclast": (0.50, 0.14),
    "matrix": (0.14, 0.50),
}


def vicious_cycle_figure(highlight: int | None = None, *, width_in: float = 8.0, height_in: float = 6.4):
    """The vicious cycle as four boxes joined by labelled arrows (from ``biology.toml`` [[cycle_step]]).

    ``highlight`` (1-based step number) draws that arrow thick and solid and adds "Step n" text to its label; the
    other arrows stay thin and dashed, so the highlight reads without colour.
    """
    return CyclePlot(highlight, width_in=width_in, height_in=height_in).fig


class CyclePlot:
    """The vicious-cycle diagram; owns its figure, the four ``arrows`` and their ``labels`` (what a step changes)."""

    def __init__(self, highlight: int | None = None, *, width_in: float = 8.0, height_in: float = 6.4):
        self.fig, self.boxes, self.arrows, self.labels = _draw_cycle(highlight, width_in, height_in)
        self.steps = data.cycle_steps()

    @property
    def moving(self) -> list:
        return [*self.arrows, *self.labels]

    def highlight(self, n: int) -> None:
        """Step ``n`` thick, solid and marked "▶ Step n"; the others thin and dashed."""
        for i, (arrow, label) in enumerate(zip(self.arrows, self.labels, strict=True), 1):
            on = i == n
            arrow.set_linewidth(4.0 if on else 1.6)
            arrow.set_linestyle("-" if on else "--")
            s = self.steps[i - 1]
            label.set_text(f"▶ Step {i}: {s['arrow_label']}" if on else f"{i}. {s['arrow_label']}")
            label.set_fontweight("bold" if on else "normal")
            label.get_bbox_patch().set_edgecolor("black" if on else "0.7")


def _draw_cycle(highlight, width_in, height_in):
    nodes = {n["id"]: n for n in data.cycle_nodes()}
    steps = data.cycle_steps()
    if highlight is not None and not (isinstance(highlight, int) and 1 <= highlight <= len(steps)):
        raise ValueError(f"highlight must be a step number from 1 to {len(steps)} or None, got {highlight!r}")
    fig, ax = new_figure(width_in, height_in)
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    artists = {"boxes": {}, "arrows": [], "labels": []}
    for i, (nid, (x, y)) in enumerate(_BOX_POS.items()):
        box = FancyBboxPatch(
            (x - 0.13, y - 0.07), 0.26, 0.14, boxstyle="round,pad=0.01", linewidth=1.5,
            facecolor=COLORS[i % len(COLORS)], alpha=0.25, edgecolor="black", hatch=HATCHES[i % len(HATCHES)],
        )
        ax.add_patch(box)
        ax.text(x, y, nodes[nid]["label"], ha="center", va="center", fontsize=BASE_FONT_PT + 1, weight="bold", wrap=True)
        artists["boxes"][nid] = box
    # arrows run clockwise: tumour -> osteoblast -> osteoclast -> matrix -> tumour
    for n, step in enumerate(steps, 1):
        x0, y0 = _BOX_POS[step["from_node"]]
        x1, y1 = _BOX_POS[step["to_node"]]
        on = highlight == n
        arrow = FancyArrowPatch(
            (x0, y0), (x1, y1), connectionstyle="arc3,rad=-0.28", arrowstyle="-|>", mutation_scale=24,
            linewidth=4.0 if on else 1.6, linestyle="-" if on else "--", color="black", shrinkA=42, shrinkB=42,
        )
        ax.add_patch(arrow)
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        cx, cy = 0.5, 0.5
        lx, ly = mx + 0.55 * (mx - cx), my + 0.55 * (my - cy)
        text = f"{n}. {step['arrow_label']}"
        if on:
            text = f"▶ Step {n}: {step['arrow_label']}"
        label = ax.text(lx, ly, text, ha="center", va="center", fontsize=BASE_FONT_PT,
                        weight="bold" if on else "normal",
                        bbox={"boxstyle": "round,pad=0.25", "facecolor": "white", "edgecolor": "black" if on else "0.7"})
        artists["arrows"].append(arrow)
        artists["labels"].append(label)
    ax.text(0.5, 0.5, "the\nvicious\ncycle", ha="center", va="center", fontsize=BASE_FONT_PT + 2, style="italic")
    _caption(fig, "Schematic after " + ", ".join(short(k) for k in data.cycle_sources()))
    return fig, artists["boxes"], artists["arrows"], artists["labels"]


def vicious_cycle_text(highlight: int | None = None) -> str:
    """Text alternative of the diagram: one numbered line per arrow (Markdown)."""
    nodes = {n["id"]: n["label"].replace("\n", " ") for n in data.cycle_nodes()}
    lines = []
    for n, step in enumerate(data.cycle_steps(), 1):
        mark = "**▶** " if highlight == n else ""
        lines.append(f"{n}. {mark}{nodes[step['from_node']]} → {nodes[step['to_node']]}: {step['text']}")
    return "\n".join(lines)


# --- where and from where ----------------------------------------------------------------------------------------


def _incidence_labels(rows, selected):
    return [f"{'◀ ' if r['id'] == selected else ''}{r['primary']} ({r['lesion_tendency']})" for r in rows]


def incidence_figure(selected: str | None = None, *, width_in: float = 10.0, height_in: float = 5.4):
    """Two panels sharing the primaries: incidence of bone metastases (%) and median survival (months), as ranges.

    A single published value is drawn as a diamond, a range as a bar between its ends. Bars of primaries labelled
    "more blastic" are hatched. ``selected`` (a primary id) is outlined thickly and marked "◀" in its label, so the
    choice reads without colour.
    """
    return IncidencePlot(selected, width_in=width_in, height_in=height_in).fig


class IncidencePlot:
    """Incidence and survival ranges by primary; owns its figure and, per primary id, its ``bars`` and ``values``."""

    def __init__(self, selected: str | None = None, *, width_in: float = 10.0, height_in: float = 5.4):
        self.fig, self.artists = _draw_incidence(selected, width_in, height_in)

    def select(self, pid: str) -> None:
        """Outline ``pid``'s bars, bold its values and move the "◀" marker to it."""
        for rid, artists in self.artists.items():
            on = rid == pid
            for patch in artists["bars"]:
                patch.set_linewidth(3.0 if on else 0.8)
            for t in artists["values"]:
                t.set_fontweight("bold" if on else "normal")
        ax = self.fig.axes[0]
        ax.set_yticks(ax.get_yticks(), _incidence_labels(incidence(), pid))


def _draw_incidence(selected, width_in, height_in):
    rows = incidence()
    if selected is not None and selected not in {r["id"] for r in rows}:
        raise ValueError(f"selected must be one of {', '.join(r['id'] for r in rows)}; got {selected!r}")
    fig, (ax_i, ax_s) = new_figure(width_in, height_in, 1, 2, sharey=True)
    y = np.arange(len(rows))[::-1]
    artists = {}
    for yi, r in zip(y, rows, strict=True):
        on = r["id"] == selected
        artists[r["id"]] = {"bars": [], "values": []}
        style = bar_style(0 if "lytic" in r["lesion_tendency"] else 1)
        for ax, lo_key, hi_key in [(ax_i, "incidence_low_pct", "incidence_high_pct"),
                                   (ax_s, "survival_low_months", "survival_high_months")]:
            lo, hi = r[lo_key], r[hi_key]
            (bar,) = ax.barh(yi, max(hi - lo, 0.0), left=lo, height=0.6, color=style["color"], hatch=style["hatch"],
                             edgecolor="black", linewidth=3.0 if on else 0.8)
            artists[r["id"]]["bars"].append(bar)
            if hi == lo:
                ax.plot([lo], [yi], marker="D", color="black", markersize=8, linestyle="none")
            t = ax.text(hi + 1.5, yi, f"{lo:g}" if hi == lo else f"{lo:g}–{hi:g}", va="center",
                        fontsize=BASE_FONT_PT, weight="bold" if on else "normal")
            artists[r["id"]]["values"].append(t)
    ax_i.set_yticks(y, _incidence_labels(rows, selected))
    ax_i.set_xlim(0, 110)
    ax_i.set_xlabel("patients with advanced cancer\nwho develop bone metastases (%)")
    ax_i.set_title("Incidence", loc="left")
    ax_s.set_xlim(0, 65)
    ax_s.set_xlabel("median survival after bone\nmetastases are diagnosed (months)")
    ax_s.set_title("Median survival", loc="left")
    ax_i.grid(axis="y", visible=False)
    ax_s.grid(axis="y", visible=False)
    _caption(fig, "Coleman's table as reproduced by " + ", ".join(short(k) for k in data.incidence_sources())
             + ".\nHatched bars: 'more blastic'; plain bars: 'more lytic'. ◆ = a single published value.")
    return fig, artists


# --- normal remodeling (Komarova 2003) ---------------------------------------------------------------------------


def komarova_figure(sim, *, width_in: float = 10.0, height_in: float = 3.6):
    """One remodeling cycle of the Komarova 2003 model: osteoclasts, osteoblasts and bone mass (three panels)."""
    fig, axes = new_figure(width_in, height_in, 1, 3, sharex=True)
    ss = sim.thresholds
    for i, (ax, key, title, unit, bar) in enumerate([
        (axes[0], "osteoclasts", "Osteoclasts", "cells (model units)", ss.osteoclasts),
        (axes[1], "osteoblasts", "Osteoblasts", "cells (model units)", ss.osteoblasts),
        (axes[2], "bone_mass", "Bone mass", "% of starting mass", None),
    ]):
        st = series_style(i)
        ax.plot(sim.days, getattr(sim, key), color=st["color"], linestyle=st["linestyle"], marker=st["marker"],
                markevery=max(1, len(sim.days) // 10))
        if bar is not None:
            ax.axhline(bar, color="black", linestyle=":", linewidth=1.4)
            ax.text(sim.days[-1], bar, f"steady state {bar:.1f}", ha="right", va="bottom", fontsize=BASE_FONT_PT)
        ax.set_title(title, loc="left")
        ax.set_ylabel(unit)
        ax.set_xlabel("time (days)")
    axes[2].axhline(100.0, color="black", linestyle=":", linewidth=1.4)
    _caption(fig, "Komarova et al. 2003 model (BioModels BIOMD0000000148), published parameters and start values.\n"
                  "Dotted lines: steady states computed from the closed-form expressions.")
    return fig


# --- text alternatives and tables (plain text, deterministic) ----------------------------------------------------


def incidence_table_text() -> str:
    """Coleman's table as fixed-width text, with its sources."""
    rows = incidence()

    def rng(lo, hi):
        return f"{lo:g}" if lo == hi else f"{lo:g}-{hi:g}"

    lines = [f"{'Primary':<12}{'Bone metastases (%)':>21}{'Median survival (months)':>27}  Lesions",
             "-" * 74]
    for r in rows:
        lines.append(f"{r['primary']:<12}{rng(r['incidence_low_pct'], r['incidence_high_pct']):>21}"
                     f"{rng(r['survival_low_months'], r['survival_high_months']):>27}  {r['lesion_tendency']}")
    lines.append("Sources: " + "; ".join(short(k) for k in data.incidence_sources())
                 + " (myeloma row and lesion labels: Coleman 2001, secondary)")
    return "\n".join(lines)


def consequences_text() -> str:
    """Consequences of bone metastases and the lessons of this course that deal with each (plain text)."""
    lines = []
    for c in data.consequences():
        if c["treated"] == "medically":
            where = c.get("note", "Treated medically, not by the local therapies of this course.")
        else:
            where = "treated locally in lessons " + ", ".join(c["lessons"])
        lines.append(f"- {c['name']}: {c['mechanism']}. -> {where}")
    sre = data.sre()
    lines.append(f"Skeletal-related event (SRE) = {'; '.join(sre['components'])} ({short(sre['source'])}). "
                 + sre.get("note", ""))
    return "\n".join(lines)


def drugs_text() -> str:
    """The bone-targeted drugs in one line each (plain text, with sources)."""
    out = []
    for d in data.drugs():
        srcs = ", ".join(short(k) for k in d.get("sources", [d.get("source")]))
        hr = ""
        if "hazard_ratio" in d:
            hr = (f" Hazard ratio for death {d['hazard_ratio']:.2f} (95% CI {d['hr_ci_low']:.2f}-{d['hr_ci_high']:.2f}; "
                  f"{d['hr_label']}).")
        out.append(f"- {d['name']}: {d['target']}. {d['headline']}{hr} ({srcs})")
    return "\n".join(out)


def skeleton_figure(*, width_in: float = 6.0, height_in: float = 6.4):
    """A schematic skeleton (front view) with the commonest sites of bone metastases hatched and labelled.

    Bones are outlined in grey; each site from ``[[site]]`` is hatched and labelled with its own claim ("Spine:
    commonest site of bone metastases", "Proximal femur: commonest site in the limbs"), so it reads without colour.
    """
    sites = data.sites()
    fig, ax = new_figure(width_in, height_in)
    ax.set_axis_off()
    ax.set_aspect("equal")
    ax.set_xlim(-5.2, 5.2)
    ax.set_ylim(-0.8, 10.2)
    bone = {"facecolor": "white", "edgecolor": "0.35", "linewidth": 1.6}
    ax.add_patch(Circle((0, 9.2), 0.75, **bone))
    for k in range(8):  # ribs as nested half-ellipses
        y = 7.55 - 0.3 * k
        ax.add_patch(Ellipse((0, y), 2.6 - 0.08 * k, 0.5, fill=False, edgecolor="0.55", linewidth=1.2))
    for side in (-1, 1):
        ax.plot([side * 0.2, side * 1.5], [8.0, 7.9], color="0.35", linewidth=2.5)  # clavicle
        ax.plot([side * 1.55, side * 1.95], [7.8, 5.5], color="0.35", linewidth=5, solid_capstyle="round")  # humerus
        ax.plot([side * 1.95, side * 2.2], [5.5, 3.6], color="0.55", linewidth=3.5, solid_capstyle="round")  # forearm
        ax.plot([side * 0.75, side * 0.9], [3.95, 1.7], color="0.35", linewidth=6, solid_capstyle="round")  # femur
        ax.plot([side * 0.9, side * 0.95], [1.6, -0.4], color="0.55", linewidth=4, solid_capstyle="round")  # tibia
    ax.add_patch(Polygon([(-1.3, 4.3), (1.3, 4.3), (0.8, 3.6), (0.3, 3.5), (-0.3, 3.5), (-0.8, 3.6)], closed=True,
                         **bone))  # pelvis (outline only: no source read ranks it)
    styles = {s["id"]: bar_style(i) for i, s in enumerate(sites)}
    shapes = {
        "spine": [Rectangle((-0.22, 4.35 + 0.3 * k), 0.44, 0.24) for k in range(12)],
        "proximal_femur": [Rectangle((side * 0.8 - 0.22, 2.9), 0.44, 1.0) for side in (-1, 1)],
    }
    anchors = {"spine": (0.25, 6.0), "proximal_femur": (0.95, 3.2)}
    label_pos = {"spine": (2.0, 8.6), "proximal_femur": (2.0, 2.2)}
    for s_ in sites:
        st = styles[s_["id"]]
        for patch in shapes.get(s_["id"], []):
            patch.set(facecolor=st["color"], hatch=st["hatch"] or "//", edgecolor="black", linewidth=1.2, alpha=0.85)
            ax.add_patch(patch)
        if s_["id"] in anchors:
            ax.annotate(s_["label"], xy=anchors[s_["id"]], xytext=label_pos[s_["id"]],
                        fontsize=BASE_FONT_PT + 1, weight="bold", va="center",
                        arrowprops={"arrowstyle": "-", "color": "black", "linewidth": 1.2})
    ax.text(-5.1, 0.2, "Hatched: where\na source names\nthe commonest site", fontsize=BASE_FONT_PT, va="bottom")
    _caption(fig, "Sources:\n" + "\n".join(f"{s_['site'].lower()}: {short(s_['source'])}" for s_ in sites))
    return fig


def facts_markdown(ids) -> str:
    """Bullet list (Markdown) of the ``[[fact]]`` records named by ``ids``, each with its citation link."""
    from ..references import link

    if isinstance(ids, str):
        raise TypeError("ids must be a list of fact ids, not a single string")
    facts = {f["id"]: f for f in data.facts()}
    unknown = [i for i in ids if i not in facts]
    if unknown:
        raise ValueError(f"unknown fact id(s) {unknown}; known: {', '.join(facts)}")
    return "\n".join(f"- {escape_md(facts[i]['text'])} ({link(facts[i]['source'])})" for i in ids)


def lesion_types_markdown() -> str:
    """The three lesion types as a Markdown table (what happens, imaging, mediators, typical primaries, sources)."""
    from ..references import link

    rows = ["| Lesion type | What the tumour does to bone | On imaging | Molecules involved | Typical primaries | Sources |",
            "|---|---|---|---|---|---|"]
    for r in data.lesion_types():
        srcs = ", ".join(link(k) for k in r.get("sources", [r.get("source")]))
        mediators = ", ".join(r["mediators"]) or "both sets"
        rows.append(f"| {r['name']} | {r['what_happens']} | {r['imaging']} | {mediators} | {r['examples']} | {srcs} |")
    notes = [f"*{r['name']}:* {r['mediator_note']}" for r in data.lesion_types() if "mediator_note" in r]
    return "\n".join(rows) + ("\n\n" + "\n\n".join(notes) if notes else "")


def disagreements_markdown(ids=None) -> str:
    """Where the sources disagree (Markdown): for each topic, every claim with its source link and locator, then why
    the figures differ. ``ids`` picks [[disagreement]] records (default: all)."""
    from ..references import link

    facts = {f["id"]: f for f in data.facts()}
    recs = data.disagreements()
    if ids is not None:
        if isinstance(ids, str):
            raise TypeError("ids must be a list of disagreement ids, not a single string")
        known = {r["id"] for r in recs}
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise ValueError(f"unknown disagreement id(s) {unknown}; known: {', '.join(sorted(known))}")
        recs = [r for r in recs if r["id"] in ids]
    out = []
    for r in recs:
        out.append(f"**Sources disagree: {escape_md(r['topic'])}**")
        for fid in r["fact_ids"]:
            f = facts[fid]
            where = f", {escape_md(f['locator'])}" if "locator" in f else ""
            out.append(f"- {escape_md(f['text'])} ({link(f['source'])}{where})")
        out.append(f"- *Why they differ:* {escape_md(r['why'])}")
        out.append("")
    return "\n".join(out).rstrip()


def escape_md(text: str) -> str:
    """Escape the Markdown characters that could change how a data string renders."""
    out = str(text)
    for ch in ("\\", "*", "_", "`", "[", "]", "<", ">", "|"):
        out = out.replace(ch, "\\" + ch)
    return out
