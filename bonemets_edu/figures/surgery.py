"""Figures for the surgery lesson: score scales, the spine map, a long-bone schematic and evidence bar charts.

Each builder returns a ``matplotlib.figure.Figure`` (not managed by pyplot). Builders that a widget updates also
return a small handle object whose ``update(...)`` moves the artists in place, so the widget re-renders the *same*
figure. Meaning never rests on colour: bands carry hatches and text labels, the marker carries a text label.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.patches import Ellipse, FancyBboxPatch, Polygon, Rectangle

from .. import references, scores
from .._validate import require_choice
from ..evidence import load_records
from ..style import BASE_FONT_PT, COLORS, HATCHES, bar_style, new_figure

__all__ = [
    "ScoreScale",
    "score_scale",
    "SpineMap",
    "spine_map",
    "LongBone",
    "long_bone",
    "implant_mix",
    "patchell_bars",
    "leakage_bars",
    "prognosis_timeline",
]


def annotate_source(fig, text: str) -> None:
    """Source line under the axes, as a figure 'supxlabel' so constrained layout makes room for it (no overlap)."""
    fig.supxlabel(text, x=0.01, ha="left", fontsize=BASE_FONT_PT, color="0.25")


# Bands of each score: (low, high, label, hatch index). Drawn as rows; several rows = several published readings.
_SCALES = {
    "mirels": {
        "range": (4, 12),
        "xlabel": "Mirels total (points, 4–12)",
        "rows": [
            ("Widely used table", [(4, 7, "observe + RT", 0), (8, 8, "judge-\nment", 1), (9, 12, "fixation", 3)]),
            ("Mirels 1989 abstract", [(4, 7, "irradiate", 0), (8, 12, "fixation", 3)]),
        ],
        "source": "Sources: Roentgen Ray Reader 2012 (table); Mirels 1989 (abstract)",
    },
    "sins": {
        "range": (0, 18),
        "xlabel": "SINS total (points, 0–18)",
        "rows": [
            ("Category", [(0, 6, "stable", 0), (7, 12, "indeterminate", 1), (13, 18, "unstable", 3)]),
            ("Surgical consult", [(0, 6, "not needed", 0), (7, 18, "ask a spine surgeon", 3)]),
        ],
        "source": "Source: " + references.short("fisher2010"),
    },
    "tokuhashi": {
        "range": (0, 15),
        "xlabel": "Revised Tokuhashi total (points, 0–15)",
        "rows": [
            ("Predicted survival", [(0, 8, "< 6 months", 3), (9, 11, "≥ 6 months", 1), (12, 15, "≥ 1 year", 0)]),
        ],
        "source": "Source: NICE CG75 (2008), appendix table of Tokuhashi et al. 2005",
    },
}


@dataclass
class ScoreScale:
    """Handles of a score scale: ``update(total)`` moves the marker (``None`` hides it)."""

    fig: object
    marker: object
    label: object
    line: object
    score: str

    @property
    def artists(self) -> tuple:
        """The artists that ``update`` changes (a widget may redraw only these over a cached background)."""
        return (self.line, self.marker, self.label)

    def update(self, total: int | None) -> None:
        lo, hi = _SCALES[self.score]["range"]
        if total is None:
            self.marker.set_visible(False)
            self.line.set_visible(False)
            self.label.set_text("answer every item to place the total")
            self.label.set_x((lo + hi) / 2)
            return
        self.marker.set_visible(True)
        self.line.set_visible(True)
        self.marker.set_xdata([total])
        self.line.set_xdata([total, total])
        self.label.set_text(f"total = {total}")
        self.label.set_x(total)


def score_scale(score: str = "mirels", total: int | None = None, *, width_in: float = 7.0) -> ScoreScale:
    """A horizontal scale of a score's totals with its published bands (hatched, labelled) and a marker."""
    score = require_choice("score", score, tuple(_SCALES))
    spec = _SCALES[score]
    lo, hi = spec["range"]
    rows = spec["rows"]
    fig, ax = new_figure(width_in, 1.1 + 0.75 * len(rows))
    for r, (_row_label, bands) in enumerate(rows):
        y = len(rows) - 1 - r
        for a, b, text, h in bands:
            style = bar_style(h)
            ax.add_patch(
                Rectangle(
                    (a - 0.5, y - 0.38),
                    b - a + 1,
                    0.76,
                    facecolor=style["color"],
                    hatch=HATCHES[h],
                    edgecolor="black",
                    linewidth=0.8,
                    alpha=0.55,
                )
            )
            ax.text(
                (a + b) / 2,
                y,
                text,
                ha="center",
                va="center",
                fontsize=12,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
            )
    ax.set_yticks(range(len(rows)), [r[0] for r in reversed(rows)])
    ax.set_xticks(range(lo, hi + 1))
    ax.set_xlim(lo - 0.6, hi + 0.6)
    ax.set_ylim(-0.6, len(rows) - 0.4 + 0.55)
    ax.set_xlabel(spec["xlabel"])
    ax.grid(False)
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    top = len(rows) - 0.4
    (line,) = ax.plot([lo, lo], [-0.5, top], color="black", linewidth=3, linestyle="--")
    (marker,) = ax.plot([lo], [top + 0.12], marker="v", markersize=14, color="black", linestyle="none")
    label = ax.text(lo, top + 0.3, "", ha="center", va="bottom", fontsize=13, fontweight="bold")
    ax.set_title("")
    annotate_source(fig, spec["source"])
    handle = ScoreScale(fig, marker, label, line, score)
    handle.update(total)
    return handle


# ------------------------------------------------------------------------------------------------------- spine map

_CLASS_STYLE = {  # location class -> (hatch index, colour index)
    "junctional": (3, 1),
    "mobile": (1, 2),
    "semi-rigid": (2, 0),
    "rigid": (0, 3),
}


def _spine_geometry():
    """x offset and height of each level (a gentle S-curve: cervical and lumbar lordosis, thoracic kyphosis)."""
    levels = scores.SPINE_LEVELS
    n = len(levels)
    y = np.arange(n)[::-1].astype(float)  # occiput at the top
    region_offset = []
    for lvl in levels:
        if lvl == "occiput":
            region_offset.append(0.0)
        elif lvl.startswith("C"):
            region_offset.append(0.25 * np.sin(np.pi * (int(lvl[1:]) - 1) / 6))
        elif lvl.startswith("T"):
            region_offset.append(-0.35 * np.sin(np.pi * (int(lvl[1:]) - 1) / 11))
        elif lvl.startswith("L"):
            region_offset.append(0.3 * np.sin(np.pi * (int(lvl[1:]) - 1) / 4))
        else:
            region_offset.append(-0.25 * np.sin(np.pi * (int(lvl[1:]) - 1) / 4) - 0.05 * int(lvl[1:]))
    return levels, y, np.asarray(region_offset)


#: Highest y (in rows; S5 is 0, the occiput 29) for the highlighted level's label: below the legend box.
_LABEL_TOP_Y = 22.5


@dataclass
class SpineMap:
    """Handles of the spine map: ``update(level)`` moves the highlight and its label."""

    fig: object
    ax: object
    frame: object
    arrow_text: object
    xs: np.ndarray
    ys: np.ndarray

    @property
    def artists(self) -> tuple:
        # The legend is drawn last, as in a full render (the level's label is kept clear of it).
        return (self.frame, self.arrow_text, self.ax.get_legend())

    def update(self, level: str) -> str:
        cls, pts = scores.sins_location(level)
        canonical = require_choice("level", level, scores.SPINE_LEVELS)
        i = scores.SPINE_LEVELS.index(canonical)
        x, y = self.xs[i], self.ys[i]
        self.frame.set_xy((x - 0.62, y - 0.5))
        self.arrow_text.xy = (x + 0.65, y)
        self.arrow_text.set_text(f"{canonical}: {cls}\nlocation = {pts} points")
        # the legend fills the top right corner: for the upper cervical levels the label sits just below it and the
        # arrow points up to the level
        self.arrow_text.set_position((2.0, min(y, _LABEL_TOP_Y)))
        return f"{canonical} is {cls}: {pts} location points in SINS"


def spine_map(level: str = "T12") -> SpineMap:
    """The spine from occiput to S5, each level hatched and labelled by its SINS location class."""
    levels, ys, xs = _spine_geometry()
    fig, ax = new_figure(6.4, 8.2)
    for lvl, x, y in zip(levels, xs, ys, strict=True):
        cls, _ = scores.sins_location(lvl)
        h, c = _CLASS_STYLE[cls]
        w = 0.9 if lvl == "occiput" else 1.0 if lvl[0] in "CT" else 1.15
        patch = FancyBboxPatch(
            (x - w / 2, y - 0.38),
            w,
            0.76,
            boxstyle="round,pad=0.02,rounding_size=0.15",
            facecolor=COLORS[c],
            hatch=HATCHES[h],
            edgecolor="black",
            linewidth=0.8,
            alpha=0.6,
        )
        ax.add_patch(patch)
        ax.text(x - 0.75, y, lvl if lvl != "occiput" else "occ.", ha="right", va="center", fontsize=12)
    # Class brackets on the far left, labelled in words (not colour).
    legend_y = {"junctional": [], "mobile": [], "semi-rigid": [], "rigid": []}
    for lvl, y in zip(levels, ys, strict=True):
        legend_y[scores.sins_location(lvl)[0]].append(y)
    handles = []
    for cls, (h, c) in _CLASS_STYLE.items():
        pts = scores.SINS_LOCATION_CLASSES[cls][0]
        handles.append(
            Rectangle(
                (0, 0),
                1,
                1,
                facecolor=COLORS[c],
                hatch=HATCHES[h],
                edgecolor="black",
                alpha=0.6,
                label=f"{cls} ({pts} pts)",
            )
        )
    ax.legend(handles=handles, loc="upper right", title="SINS location", frameon=True)
    frame = Rectangle((0, 0), 1.24, 1.0, fill=False, edgecolor="black", linewidth=3.5)
    ax.add_patch(frame)
    arrow_text = ax.annotate(
        "",
        xy=(0, 0),
        xytext=(2.0, 0),
        ha="left",
        va="center",
        fontsize=13,
        fontweight="bold",
        arrowprops={"arrowstyle": "->", "linewidth": 2.5, "color": "black"},
    )
    ax.set_xlim(-2.2, 5.2)
    ax.set_ylim(-1, len(levels))
    ax.set_aspect("auto")
    ax.axis("off")
    ax.set_title("Spine levels and their SINS location class")
    annotate_source(fig, "Source: " + references.short("fisher2010") + " (schematic, not to scale)")
    handle = SpineMap(fig, ax, frame, arrow_text, xs, ys)
    handle.update(level)
    return handle


# ------------------------------------------------------------------------------------------------ long-bone schematic

# Lesion centre (x, y) on the schematic for each site; the femur is drawn on the left, the humerus on the right.
_SITE_XY = {
    "femoral neck": (1.6, 8.75),
    "trochanteric region": (2.3, 7.7),
    "femoral shaft": (2.07, 4.5),
    "humerus": (5.3, 6.0),
}


@dataclass
class LongBone:
    """Handles of the long-bone schematic: ``update(site, fracture)`` moves the lesion and shows a fracture line."""

    fig: object
    lesion: object
    crack: object
    label: object

    @property
    def artists(self) -> tuple:
        return (self.lesion, self.crack, self.label)

    def update(self, site: str, fracture: str) -> str:
        site = require_choice("site", site, scores.FIXATION_SITES)
        fracture = require_choice("fracture", fracture, scores.FIXATION_STATES)
        x, y = _SITE_XY[site]
        self.lesion.set_center((x, y))
        zig = np.array([[-0.75, 0.15], [-0.3, -0.2], [0.05, 0.2], [0.4, -0.15], [0.8, 0.15]])
        self.crack.set_data(zig[:, 0] + x, zig[:, 1] + y)
        self.crack.set_visible(fracture == "fracture")
        state = "pathological fracture" if fracture == "fracture" else "impending fracture (bone intact)"
        self.label.set_text(f"lesion: {site}\n" + state.replace(" (", "\n("))
        return f"Lesion in the {site}; {state}."


def long_bone(site: str = "femoral shaft", fracture: str = "impending") -> LongBone:
    """A schematic femur and humerus with a hatched lytic lesion at the chosen site (zig-zag line = fracture)."""
    fig, ax = new_figure(7.6, 5.4)
    bone = {"facecolor": "0.92", "edgecolor": "black", "linewidth": 1.6}
    # Femur: head, neck, trochanteric block, shaft, condyles.
    ax.add_patch(Ellipse((0.9, 9.1), 1.1, 1.1, **bone))
    ax.add_patch(Polygon([[1.15, 8.7], [1.35, 9.3], [2.2, 8.65], [1.95, 8.1]], closed=True, **bone))
    ax.add_patch(Polygon([[1.7, 8.5], [2.7, 8.8], [2.9, 7.6], [2.55, 6.8], [1.65, 6.9]], closed=True, **bone))
    ax.add_patch(Polygon([[1.65, 6.95], [2.55, 6.85], [2.5, 1.7], [1.6, 1.7]], closed=True, **bone))
    ax.add_patch(Ellipse((1.6, 1.2), 1.1, 0.9, **bone))
    ax.add_patch(Ellipse((2.5, 1.2), 1.1, 0.9, **bone))
    ax.text(2.05, 0.05, "femur", ha="center", va="bottom", fontsize=13)
    # Humerus: head, shaft, distal end.
    ax.add_patch(Ellipse((5.1, 9.0), 1.2, 1.1, **bone))
    ax.add_patch(Polygon([[4.85, 8.6], [5.75, 8.6], [5.6, 2.6], [5.1, 2.6]], closed=True, **bone))
    ax.add_patch(Polygon([[4.6, 2.8], [6.0, 2.8], [6.2, 2.0], [4.4, 2.0]], closed=True, **bone))
    ax.text(5.3, 1.0, "humerus", ha="center", va="bottom", fontsize=13)
    lesion = Ellipse((0, 0), 0.75, 1.0, facecolor=COLORS[1], hatch="xx", edgecolor="black", linewidth=1.5, alpha=0.8)
    ax.add_patch(lesion)
    (crack,) = ax.plot([], [], color="black", linewidth=3.5, linestyle="-")
    label = ax.text(7.0, 9.6, "", ha="left", va="top", fontsize=13, fontweight="bold")
    ax.text(7.0, 0.3, "hatched oval = metastasis\nzig-zag line = fracture", ha="left", va="bottom", fontsize=12)
    ax.set_xlim(-0.2, 11.5)
    ax.set_ylim(-0.2, 10.0)
    ax.set_aspect("equal")
    ax.axis("off")
    annotate_source(fig, "Schematic, not to scale")
    handle = LongBone(fig, lesion, crack, label)
    handle.update(site, fracture)
    return handle


# -------------------------------------------------------------------------------------------- evidence bar charts


def implant_mix():
    """Share of each implant in 1090 operated long-bone metastases (Bindels/Schwab et al., CORR 2020)."""
    recs = [
        r
        for r in load_records(
            "surgery.toml", "implant", optional={"share_percent": float, "name": str, "what": str, "when": str}
        )
        if "share_percent" in r
    ]
    recs.sort(key=lambda r: r["share_percent"])
    fig, ax = new_figure(7.0, 3.8)
    for i, r in enumerate(recs):
        ax.barh(i, r["share_percent"], **bar_style(i))
        ax.text(r["share_percent"] + 1, i, f"{r['share_percent']:g}%", va="center", fontsize=12)
    ax.set_yticks(range(len(recs)), [r["name"] for r in recs])
    ax.set_xlabel("Share of all implants (%)")
    ax.set_xlim(0, 70)
    ax.grid(axis="y", visible=False)
    annotate_source(fig, "Source: " + references.short("bindels2020") + ", 1090 patients")
    return fig


def _outcome(rec_id):
    schema = {"topic": str, "label": str, "arms": list, "values": list, "counts": list, "unit": str, "detail": str}
    return next(r for r in load_records("surgery.toml", "outcome", schema=schema) if r["id"] == rec_id)


def patchell_bars():
    """Walking outcomes of the Patchell 2005 trial (surgery + RT vs RT alone), as grouped bars with counts."""
    recs = [_outcome("patchell_walking"), _outcome("patchell_regain")]
    fig, ax = new_figure(7.0, 3.8)
    width = 0.38
    for j, arm in enumerate(recs[0]["arms"]):
        xs = np.arange(len(recs)) + (j - 0.5) * width
        vals = [r["values"][j] for r in recs]
        ax.bar(xs, vals, width, label=arm, **bar_style(j * 3))
        for x, v, r in zip(xs, vals, recs, strict=True):
            ax.text(x, v + 2, f"{v:g}%\n({r['counts'][j]})", ha="center", va="bottom", fontsize=12)
    ax.set_xticks(range(len(recs)), ["walking after\ntreatment (all)", "walking regained\n(not walking at entry)"])
    ax.set_ylabel("Patients walking (%)")
    ax.set_ylim(0, 115)
    ax.legend(loc="upper right")
    ax.grid(axis="x", visible=False)
    annotate_source(fig, "Source: " + references.short("patchell2005") + " (both arms 30 Gy in 10 fractions)")
    return fig


def leakage_bars():
    """Cement-leakage rates from four studies, each bar labelled with its population and count."""
    recs = load_records(
        "surgery.toml",
        "leakage",
        schema={"label": str, "percent": float, "count": str, "why": str},
        optional={"computed": bool},
    )
    fig, ax = new_figure(7.6, 3.9)
    for i, r in enumerate(recs):
        ax.barh(i, r["percent"], **bar_style(i))
        tag = " (computed)" if r.get("computed") else ""
        ax.text(r["percent"] + 1, i, f"{r['percent']:g}%{tag}", va="center", fontsize=12)
    ax.set_yticks(range(len(recs)), [r["label"].replace(", ", ",\n", 1) for r in recs])
    ax.invert_yaxis()
    ax.set_xlabel("Treated vertebrae with a cement leak (%)")
    ax.set_xlim(0, 100)
    ax.grid(axis="y", visible=False)
    annotate_source(fig, "Sources: Wang 2022; Hulme 2006 (systematic review); Saad 2022")
    return fig


def prognosis_timeline():
    """The three expected-survival bands of the AAOS/MSTS femur guideline, with the implant each points to."""
    recs = load_records("surgery.toml", "prognosis_band", schema={"survival": str, "advice": str})
    fig, ax = new_figure(7.6, 2.6)
    spans = [(0, 1.5), (1.5, 6), (6, 12)]
    short_text = ["non-operative:\nRT / ablation", "less invasive:\nnail", "durable:\nendoprosthesis"]
    for i, ((a, b), r, t) in enumerate(zip(spans, recs, short_text, strict=True)):
        style = bar_style(i)
        ax.add_patch(
            Rectangle(
                (a, 0),
                b - a,
                1,
                facecolor=style["color"],
                hatch=style["hatch"],
                edgecolor="black",
                linewidth=0.8,
                alpha=0.6,
            )
        )
        ax.text(
            (a + b) / 2,
            0.5,
            t,
            ha="center",
            va="center",
            fontsize=12,
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
        )
        ax.text((a + b) / 2, 1.08, r["survival"], ha="center", va="bottom", fontsize=12)
    ax.set_xlim(0, 12)
    ax.set_ylim(0, 1.45)
    ax.set_yticks([])
    ax.set_xticks([0, 1, 3, 6, 9, 12], ["0", "1", "3", "6", "9", "12+"])
    ax.set_xlabel("Expected survival (months)")
    ax.grid(False)
    annotate_source(fig, "Source: MSTS/ASTRO/ASCO femur guideline 2019 (opinion)")
    return fig
