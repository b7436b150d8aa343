"""Figures for lesson 02 (external beam radiation): schedule comparison, why alpha/beta matters, side effects.

Each ``*_figure`` function returns a new Figure; each ``draw_*`` function (re)draws onto existing axes so that a widget
can keep one persistent figure and update it in place. Numbers come from ``bonemets_edu.radiobiology`` (the model) and
``data/radiation.toml`` (the cited records); nothing clinical is computed here.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullLocator

from .. import radiobiology as rb
from ..style import BASE_FONT_PT, COLORS, bar_style, new_figure, series_style

__all__ = [
    "ScheduleSpec",
    "fix_layout",
    "schedule_comparison_figure",
    "draw_schedule_comparison",
    "isoeffect_figure",
    "IsoeffectPlot",
    "side_effects_figure",
    "draw_side_effects",
    "SideEffectsPlot",
    "side_effect_records",
    "trial_results_figure",
    "SchedulePlot",
    "nice_ceiling",
    "power_of_ten_label",
    "pain_relief_caption",
]


@dataclass(frozen=True)
class ScheduleSpec:
    """A schedule to draw: a label, total dose (Gy) and number of fractions."""

    label: str
    total_dose_gy: float
    fractions: int


# ------------------------------------------------------------------------------------------- schedule comparison
def schedule_comparison_figure(schedules: Sequence[ScheduleSpec], alpha_beta_gy: float, tissue_label: str):
    fig, axes = new_figure(11.0, 5.2, 1, 2)
    draw_schedule_comparison(axes, schedules, alpha_beta_gy, tissue_label)
    fig.get_layout_engine().set(rect=(0, 0.13, 1, 0.87))  # room for the caption below the axes
    fig.pain_caption = _add_pain_caption(fig)
    return fig


def draw_schedule_comparison(axes, schedules: Sequence[ScheduleSpec], alpha_beta_gy: float, tissue_label: str) -> None:
    """Left: BED and EQD2 bars per schedule (values written on the bars). Right: illustrative cell survival by fraction."""
    ax_bar, ax_surv = axes
    ax_bar.cla()
    ax_surv.cla()
    alpha, _src = rb.illustrative_alpha()
    x = np.arange(len(schedules))
    width = 0.38
    beds = [rb.bed(s.total_dose_gy, s.fractions, alpha_beta_gy) for s in schedules]
    eqd2s = [rb.eqd2(s.total_dose_gy, s.fractions, alpha_beta_gy) for s in schedules]
    for offset, values, name, style_i in ((-width / 2, beds, "BED", 0), (width / 2, eqd2s, "EQD2", 1)):
        bars = ax_bar.bar(x + offset, values, width, label=name, **bar_style(style_i))
        ax_bar.bar_label(bars, labels=[f"{v:.1f}" for v in values], padding=2, fontsize=BASE_FONT_PT - 1)
    ticks = []
    for s in schedules:
        flagged = rb.lq_validity(s.total_dose_gy / s.fractions).flagged
        ticks.append(_wrap(s.label) + ("\n(LQ caution)" if flagged else ""))
    ax_bar.set_xticks(x, ticks)
    ax_bar.set_ylabel("Dose (Gy)")
    ax_bar.set_title(f"BED and EQD2 for {tissue_label}\n(α/β = {alpha_beta_gy:g} Gy; computed with the LQ model)")
    ax_bar.set_ylim(0, max(beds + eqd2s) * 1.22)
    ax_bar.legend(loc="upper left")
    for i, s in enumerate(schedules):
        course = rb.survival_by_fraction(s.total_dose_gy, s.fractions, alpha, alpha_beta_gy)
        st = series_style(i)
        ax_surv.plot(np.arange(course.size), course, drawstyle="steps-post", label=s.label, **st)
    ax_surv.set_yscale("log")
    ax_surv.yaxis.set_major_locator(LogLocator(base=10, numticks=6))
    ax_surv.yaxis.set_major_formatter(FuncFormatter(power_of_ten_label))
    ax_surv.yaxis.set_minor_locator(NullLocator())  # fewer ticks: faster redraw, cleaner on a projector
    ax_surv.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax_surv.set_xlabel("Fractions delivered (treatment visits)")
    ax_surv.set_ylabel("Surviving fraction of cells")
    ax_surv.set_title(f"Illustrative cell survival (α = {alpha:g} per Gy,\nillustrative value; α/β = {alpha_beta_gy:g} Gy)")
    ax_surv.legend(loc="lower left", fontsize=BASE_FONT_PT - 1)


def pain_relief_caption() -> str:
    """The warning printed under the schedule comparison: cell kill and BED do not predict pain relief.

    Built from the Dutch Bone Metastasis Study records (response and retreatment, 8 Gy × 1 vs 24 Gy / 6), so the
    numbers on the figure are the cited ones.
    """
    from ..references import short

    recs = {r["id"]: r for r in rb.trial_results()}
    resp, retr = recs["dutch_response"], recs["dutch_retreatment"]
    return (
        "Cell kill and BED do NOT predict pain relief. In the trials one fraction relieved pain as often as several\n"
        f"({resp['arm_a']} vs {resp['arm_b']}: response {resp['value_a']:g} % vs {resp['value_b']:g} %); only "
        "retreatment was more common after one fraction\n"
        f"({retr['value_a']:g} % vs {retr['value_b']:g} %; {short(resp['source'])}). Trials, not the LQ model, "
        "decide which schedule relieves pain."
    )


def _add_pain_caption(fig):
    """The :func:`pain_relief_caption` across the bottom of the figure, inside it (returns the text artist)."""
    return fig.text(0.01, 0.012, pain_relief_caption(), fontsize=BASE_FONT_PT - 1, ha="left", va="bottom",
                    style="italic", wrap=False)


def fix_layout(fig, **margins) -> None:
    """Freeze the layout with fixed margins (no constrained-layout solve on every redraw; used by widgets for speed)."""
    fig.set_layout_engine(None)
    fig.subplots_adjust(**margins)


def _wrap(label: str) -> str:
    return label.replace("SBRT ", "SBRT\n")


# ------------------------------------------------------------------------------------------------ isoeffect (α/β)
class IsoeffectPlot:
    """Total dose in 1…N fractions that matches a reference schedule's BED, for tumour and late-responding tissue.

    The gap between the two curves at few fractions is the lesson's core insight: shortening a course while keeping the
    tumour effect constant raises the effect on late-responding normal tissue (and vice versa).
    """

    def __init__(self, max_fractions: int = 15, tumour_ab: float = 10.0, late_ab: float = 3.0, size=(8.0, 4.8)):
        self.fig, self.ax = new_figure(*size)
        self.tumour_ab, self.late_ab = tumour_ab, late_ab
        self.max_fractions = max_fractions
        n = np.arange(1, max_fractions + 1)
        st0, st1 = series_style(0), series_style(2)
        (self.tumour_line,) = self.ax.plot(n, n * 0.0, label=f"Tumour (α/β {tumour_ab:g} Gy)", **st0)
        (self.late_line,) = self.ax.plot(n, n * 0.0, label=f"Late-responding tissue (α/β {late_ab:g} Gy)", **st1)
        (self.ref_marker,) = self.ax.plot([], [], linestyle="none", marker="*", markersize=18, color=COLORS[4],
                                          markeredgecolor="black", label="Reference schedule")
        self.gap = self.ax.annotate("", xy=(1, 0), xytext=(1, 0), arrowprops={"arrowstyle": "<->", "lw": 2})
        self.gap_text = self.ax.text(1.3, 0, "", fontsize=BASE_FONT_PT, va="center")
        self.ax.set_xlabel("Number of fractions")
        self.ax.set_ylabel("Total dose for equal effect (Gy)")
        self.ax.set_xlim(0.5, max_fractions + 0.5)
        self.ax.legend(loc="upper left")  # the curves rise to the right; the top left stays free

    def moving_artists(self) -> list:
        """What changes with the reference schedule or the normal tissue (blitted over a cached background)."""
        return [self.tumour_line, self.late_line, self.ref_marker, self.gap, self.gap_text, self.ax.get_legend(),
                self.ax.title]

    def set_normal_tissue(self, alpha_beta_gy: float, label: str) -> None:
        """Switch the normal-tissue curve (e.g. late-responding tissue 3 Gy or spinal cord 2 Gy)."""
        self.late_ab = alpha_beta_gy
        self.late_line.set_label(f"{label} (α/β {alpha_beta_gy:g} Gy)")
        self.ax.legend(loc="upper left")  # the curves rise to the right; the top left stays free

    def update(self, reference_total_gy: float, reference_fractions: int, reference_label: str) -> dict:
        n = np.arange(1, self.max_fractions + 1)
        tumour = rb.isoeffective_total_dose(reference_total_gy, reference_fractions, n, self.tumour_ab)
        late = rb.isoeffective_total_dose(reference_total_gy, reference_fractions, n, self.late_ab)
        self.tumour_line.set_ydata(tumour)
        self.late_line.set_ydata(late)
        self.ref_marker.set_data([reference_fractions], [reference_total_gy])
        self.gap.xy = (1, late[0])
        self.gap.set_position((1, tumour[0]))
        self.gap_text.set_position((1.35, 0.5 * (tumour[0] + late[0])))
        self.gap_text.set_text(f"1 fraction: tumour needs {tumour[0]:.1f} Gy,\nnormal tissue is matched at {late[0]:.1f} Gy")
        top = max(tumour.max(), late.max())
        self.ax.set_ylim(0, 5.0 * np.ceil(top * 1.12 / 5.0))  # snaps to 5 Gy steps: the background is reused
        self.ax.set_title(f"Doses equivalent to {reference_label} (computed, LQ model)")
        return {"n": n, "tumour": tumour, "late": late}


def isoeffect_figure(reference_total_gy: float = 30.0, reference_fractions: int = 10, label: str = "30 Gy / 10",
                     max_fractions: int = 15):
    plot = IsoeffectPlot(max_fractions=max_fractions)
    plot.update(reference_total_gy, reference_fractions, label)
    return plot.fig


# ------------------------------------------------------------------------------------------------- side effects
def side_effects_figure(kind: str = "conv_single", site: str = "other"):
    plot = SideEffectsPlot(size=(11.0, 4.8))
    plot.draw(kind, site)
    return plot.fig


class SideEffectsPlot:
    """Side-effect rates and timing in two panels; owns the figure and ``moving`` (the bars, values and row names of
    the kind and site on screen), which :meth:`draw` replaces; frames, titles and axis labels are drawn once."""

    def __init__(self, size=(10.4, 4.4)):
        self.fig, self.axes = new_figure(*size, 1, 2, gridspec_kw={"width_ratios": [1.15, 1]})
        self.moving: list | None = None

    def draw(self, kind: str, site: str) -> list:
        """Draw ``kind`` to ``site``; returns the side-effect records drawn."""
        records, self.moving = draw_side_effects(self.axes, kind, site, self.moving)
        return records


def draw_side_effects(axes, kind: str, site: str, previous: list | None = None) -> tuple[list, list]:
    """Left: pain-flare rates with and without dexamethasone (as published). Right: when effects occur (days).

    Returns (the side-effect records drawn, the artists that depend on them). The axes frames, titles and axis labels
    are drawn once (``previous`` is None); on a redraw only ``previous`` (the bars, their values and the row names:
    text artists placed where tick labels go) are replaced, so a widget can blit them over a background that depends
    only on the axes limits (the number of rows).
    """
    import matplotlib as mpl

    ax_rate, ax_time = axes
    if previous is not None:
        for a in previous:
            a.remove()
    else:
        for ax in axes:
            ax.cla()
            ax.set_axisbelow(True)  # grid under the bars (a blitted bar then looks as in a full render)
        ax_rate.set_xlim(0, 100)
        ax_rate.set_xlabel("Patients affected (%), as published")
        ax_rate.set_title("How often (each bar: one study arm)")
        ax_time.set_xlim(0, 60)
        ax_time.set_xlabel("Days from the first fraction")
        ax_time.set_title("When (days given by the source)")
    moving = {id(ax_rate): [], id(ax_time): []}
    pad = mpl.rcParams["ytick.major.size"] + mpl.rcParams["ytick.major.pad"]

    def row_names(ax, y, names):
        ax.set_yticks(y, [""] * len(y))
        for yy, name in zip(y, names, strict=True):
            moving[id(ax)].append(ax.annotate(name, (0, yy), xycoords=ax.get_yaxis_transform(), xytext=(-pad, 0),
                                              textcoords="offset points", ha="right", va="center",
                                              fontsize=BASE_FONT_PT - 1, annotation_clip=False))

    def barh(ax, y, width, *, height, left=0.0, **style):
        # the rectangle Axes.barh would make, added without barh's autoscaling bookkeeping (the limits are fixed
        # here), which was a third of a redraw
        style = dict(style)
        bar = Rectangle((left, y - height / 2), width, height, facecolor=style.pop("color"), label="_nolegend_",
                        **style)  # (bar's "color" is the face colour)
        ax.add_artist(bar)
        moving[id(ax)].append(bar)

    def text(ax, *args, **kw):
        moving[id(ax)].append(ax.text(*args, **kw))

    records = side_effect_records(kind, site)
    rated = [r for r in records if "rate_pct" in r or "rate_low_pct" in r]
    labels, values, lows = [], [], []
    for r in rated:
        labels.append(_short_name(r))
        if "rate_pct" in r:
            values.append(r["rate_pct"])
            lows.append(None)
        else:
            values.append(r["rate_high_pct"])
            lows.append(r["rate_low_pct"])
    y = np.arange(len(rated))[::-1]
    for i, (yy, v, lo) in enumerate(zip(y, values, lows, strict=True)):
        style = bar_style(_style_index(rated[i]))
        if lo is None:
            barh(ax_rate, yy, v, height=0.7, **style)
        else:  # a published range: solid to the lower bound, hatched and lighter up to the upper bound
            barh(ax_rate, yy, lo, height=0.7, **style)
            barh(ax_rate, yy, v - lo, left=lo, height=0.7, alpha=0.45, **{**style, "hatch": "//"})
        label = f"{v:g} %" if lo is None else f"{lo:g}-{v:g} %"
        text(ax_rate, v + 1.5, yy, label, va="center", fontsize=BASE_FONT_PT - 1)
    row_names(ax_rate, y, labels)
    ax_rate.set_ylim(-0.6, max(len(rated), 1) - 0.4)
    timed = [r for r in records if "day_end" in r]
    yt = np.arange(len(timed))[::-1]
    for i, r in enumerate(timed):
        style = bar_style(_style_index(r))
        barh(ax_time, yt[i], r["day_end"] - r["day_start"], left=r["day_start"], height=0.6, **style)
        text(ax_time, r["day_end"] + 1.0, yt[i], f"days {r['day_start']:g}-{r['day_end']:g}", va="center",
             fontsize=BASE_FONT_PT - 1)
    row_names(ax_time, yt, [_short_name(r) for r in timed])
    ax_time.set_ylim(-0.6, max(len(timed), 1) - 0.4)
    return records, moving[id(ax_rate)] + moving[id(ax_time)]


def side_effect_records(kind: str, site: str) -> list:
    """The side-effect records :func:`draw_side_effects` draws for a kind of schedule and a treated field (chosen by
    the model, :func:`bonemets_edu.radiobiology.side_effects_for`: nausea only where the stomach or bowel is in the
    field, diarrhoea only for the pelvis)."""
    return rb.side_effects_for(kind, site)


def _short_name(r) -> str:
    names = {
        "flare_conventional": "Pain flare (review)",
        "flare_dex_chow2015_placebo": "Flare, placebo\n(Chow 2015)",
        "flare_dex_chow2015_dex": "Flare, dexamethasone\n(Chow 2015)",
        "flare_dex_vdl2020_placebo": "Flare, placebo\n(van der Linden 2020)",
        "flare_dex_vdl2020_dex4": "Flare, dex 4 days\n(van der Linden 2020)",
        "flare_dex_vdl2020_dex1": "Flare, dex 1 day\n(van der Linden 2020)",
        "flare_sbrt": "Flare after spine SBRT",
        "nausea": "Nausea (stomach or\nbowel in the field)",
        "diarrhoea": "Diarrhoea (pelvis)",
    }
    return names.get(r["id"], r["name"])


def _style_index(r) -> int:
    if "placebo" in r["id"]:
        return 0
    if "dex" in r["id"]:
        return 1
    return {"pain_flare": 2, "site": 3}.get(r["group"], 4)


# ------------------------------------------------------------------------------------------------ trial results
def trial_results_figure(result_ids: Sequence[str]):
    """Paired bars (arm A vs arm B, percent as published) for the given trial-result records, labelled with values."""
    recs = {r["id"]: r for r in rb.trial_results()}
    chosen = [recs[i] for i in result_ids]
    fig, ax = new_figure(9.0, 0.9 + 1.0 * len(chosen))
    y = np.arange(len(chosen))[::-1]
    h = 0.38
    for yy, r in zip(y, chosen, strict=True):
        for k, (arm, val) in enumerate((("arm_a", "value_a"), ("arm_b", "value_b"))):
            if val not in r:
                continue
            bars = ax.barh(yy + (h / 2 if k == 0 else -h / 2), r[val], h, **bar_style(k))
            name = r[arm] if len(r[arm]) <= 24 else r[arm].split(" (")[0]
            ax.bar_label(bars, labels=[f"{name}: {r[val]:g} %"], padding=3, fontsize=BASE_FONT_PT - 1)
    # the outcome is wrapped, not cut: two SC.20 rows differ only at the end ("intention to treat" / "per protocol")
    ax.set_yticks(y, [f"{r['trial']}\n" + "\n".join(textwrap.wrap(r["outcome"], 40)[:3]) for r in chosen],
                  fontsize=BASE_FONT_PT - 1)
    ax.set_xlim(0, 130)
    ax.set_xticks([0, 20, 40, 60, 80, 100])
    ax.set_xlabel("Patients (%), as published")
    ax.grid(axis="y", visible=False)
    return fig


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def power_of_ten_label(value: float, _pos=None) -> str:
    """A log-axis tick label as plain text with superscript digits ("10⁻¹²"): it reads like matplotlib's math-text
    label but is laid out as ordinary text (no math parser on every new label, which made a widget stall)."""
    if not value > 0:
        return ""
    exponent = np.log10(value)
    if abs(exponent - round(exponent)) > 1e-9:
        return f"{value:.3g}"
    return "10" + str(int(round(exponent))).translate(_SUPERSCRIPT)


#: The survival plot's lowest value: anything smaller is drawn on the bottom edge, with a note.
SURVIVAL_FLOOR = 1e-30


class SchedulePlot:
    """The schedule-comparison figure with persistent artists (up to ``slots`` schedules), updated in place.

    Same content as :func:`draw_schedule_comparison`, but bars, value labels and survival lines are created once and
    only their data change on an update (no axes rebuilt), which keeps a widget update fast.
    """

    def __init__(self, slots: int = 3, size=(9.6, 4.3)):
        import matplotlib as mpl

        self.fig, (self.ax_bar, self.ax_surv) = new_figure(*size, 1, 2)
        self.slots = slots
        self.width = 0.38
        x = np.arange(slots)
        self.ax_bar.set_axisbelow(True)  # grid under the bars (so a blitted bar looks as in a full render)
        self.bars = []
        self.labels = []
        for k, name in enumerate(("BED", "EQD2")):
            offset = -self.width / 2 if k == 0 else self.width / 2
            bc = self.ax_bar.bar(x + offset, np.zeros(slots), self.width, label=name, **bar_style(k))
            self.bars.append(bc)
            self.labels.append([self.ax_bar.text(xx + offset, 0, "", ha="center", va="bottom",
                                                 fontsize=BASE_FONT_PT - 1) for xx in x])
        # The schedule names under the bars change with the schedules: text artists placed where tick labels go
        # (the ticks themselves carry no label), so they can be redrawn without redrawing the axes.
        pad = mpl.rcParams["xtick.major.size"] + mpl.rcParams["xtick.major.pad"]
        self.names = [self.ax_bar.annotate("", (xx, 0), xycoords=self.ax_bar.get_xaxis_transform(), xytext=(0, -pad),
                                           textcoords="offset points", ha="center", va="top",
                                           fontsize=mpl.rcParams["xtick.labelsize"], annotation_clip=False)
                      for xx in x]
        self.ax_bar.set_ylabel("Dose (Gy)")
        self.ax_bar.legend(loc="upper left")
        self.lines = []
        for i in range(slots):
            (ln,) = self.ax_surv.plot([0, 1], [1, 1], drawstyle="steps-post", **series_style(i))
            self.lines.append(ln)
        self.ax_surv.set_yscale("log")
        self.ax_surv.yaxis.set_major_locator(LogLocator(base=10, numticks=6))
        self.ax_surv.yaxis.set_major_formatter(FuncFormatter(power_of_ten_label))
        self.ax_surv.yaxis.set_minor_locator(NullLocator())
        self.ax_surv.xaxis.set_major_locator(MaxNLocator(integer=True))
        self.ax_surv.set_xlabel("Fractions delivered (treatment visits)")
        self.ax_surv.set_ylabel("Surviving fraction of cells")
        self._legend_labels = None  # the schedule names the survival legend shows now
        # upper right: above every survival curve (they all start at 1 and fall), away from the lower-left legend
        self.floor_note = self.ax_surv.text(0.98, 0.97, "Values below 10⁻³⁰ are\ndrawn on the bottom edge",
                                            transform=self.ax_surv.transAxes, ha="right", va="top",
                                            fontsize=BASE_FONT_PT - 1, visible=False)
        # static (part of the cached background): cell kill is not pain relief
        self.pain_caption = _add_pain_caption(self.fig)

    def widest_limits(self) -> dict:
        """Limits that give the widest tick labels this plot can show (for ``ui.pin_decorations``): the largest BED
        of the widget's bounded inputs (60 Gy in 1 fraction at α/β 0.5 Gy is 7,260 Gy; the axis then ends at 10,000)
        and the survival axis down to its floor over 40 visits."""
        return {self.ax_bar: (None, (0.0, 10000.0)), self.ax_surv: ((-0.3, 40.3), (SURVIVAL_FLOOR, 2.0))}

    def moving_artists(self) -> list:
        """Everything that changes with the schedules or the tissue (a widget blits these over a cached background of
        axes, ticks and axis labels; the background depends only on the axes limits, which snap to a few steps)."""
        arts = [r for bc in self.bars for r in bc] + [t for row in self.labels for t in row] + list(self.names)
        # (the BED/EQD2 legend is static: update() keeps the bars and their values below it)
        arts += [self.ax_bar.title, *self.lines, self.ax_surv.get_legend(), self.ax_surv.title, self.floor_note]
        return arts

    def _below_legend(self, values, n) -> float:
        """The smallest y-axis top (Gy) that keeps every bar and its value label under the BED/EQD2 legend (the
        legend is part of the cached background, so nothing that moves may be drawn over it)."""
        ax = self.ax_bar
        legend = ax.get_legend().get_window_extent(self.fig.canvas.get_renderer())
        box = ax.bbox
        (lx0, ly0), (lx1, _ly1) = ax.transAxes.inverted().transform([[legend.x0, legend.y0], [legend.x1, legend.y1]])
        label_frac = 2.2 * BASE_FONT_PT * self.fig.dpi / 72.0 / box.height  # value label (with its offset), generous
        room = ly0 - label_frac - 0.02
        to_axes = ax.transLimits  # data -> axes fraction for x (limits already set for this n)
        need = 0.0
        for k in range(2):
            for i in range(n):
                rect = self.bars[k][i]
                x0 = to_axes.transform((rect.get_x(), 0))[0]
                x1 = to_axes.transform((rect.get_x() + rect.get_width(), 0))[0]
                if x1 >= lx0 - 0.02 and x0 <= lx1 + 0.02:
                    need = max(need, values[k][i] / max(room, 0.1))
        return need

    def update(self, schedules: Sequence[ScheduleSpec], alpha_beta_gy: float, tissue_label: str) -> None:
        if not 1 <= len(schedules) <= self.slots:
            raise ValueError(f"schedules must hold 1 to {self.slots} schedules, got {len(schedules)}")
        alpha, _src = rb.illustrative_alpha()
        n = len(schedules)
        values = [
            [rb.bed(s.total_dose_gy, s.fractions, alpha_beta_gy) for s in schedules],
            [rb.eqd2(s.total_dose_gy, s.fractions, alpha_beta_gy) for s in schedules],
        ]
        for k in range(2):
            for i, (rect, lab) in enumerate(zip(self.bars[k], self.labels[k], strict=True)):
                visible = i < n
                rect.set_visible(visible)
                lab.set_visible(visible)
                if visible:
                    v = values[k][i]
                    rect.set_height(v)
                    lab.set_position((rect.get_x() + rect.get_width() / 2, v + 0.6))
                    lab.set_text(f"{v:.1f}")
        for i, name in enumerate(self.names):
            name.set_visible(i < n)
            if i < n:
                s = schedules[i]
                flagged = rb.lq_validity(s.total_dose_gy / s.fractions).flagged
                name.set_text(_wrap(s.label) + ("\n(LQ caution)" if flagged else ""))
        self.ax_bar.set_xticks(np.arange(n), [""] * n)
        self.ax_bar.set_xlim(-0.6, n - 0.4)
        self.ax_bar.set_ylim(0, nice_ceiling(max(max(values[0] + values[1]) * 1.22, self._below_legend(values, n))))
        self.ax_bar.set_title(f"BED and EQD2 for {tissue_label}\n(α/β = {alpha_beta_gy:g} Gy; computed with the LQ model)")
        lowest, longest = 1.0, 1
        for i, ln in enumerate(self.lines):
            if i < n:
                s = schedules[i]
                course = rb.survival_by_fraction(s.total_dose_gy, s.fractions, alpha, alpha_beta_gy)
                lowest, longest = min(lowest, float(course[-1])), max(longest, s.fractions)
                ln.set_data(np.arange(course.size), np.maximum(course, SURVIVAL_FLOOR))
                ln.set_label(s.label)
                ln.set_visible(True)
            else:
                ln.set_visible(False)
                ln.set_label("_hidden")
        # limits snap to a few steps (bottom: a multiple of 3 decades below the lowest point; right: 2, 5, 10, 15,
        # 20, 30 or 40 visits), so few distinct backgrounds are ever drawn
        self.ax_surv.set_xlim(-0.3, next((v for v in (2, 5, 10, 15, 20, 30, 40) if v >= longest), longest) + 0.3)
        # (a very large dose per fraction in a low-α/β tissue can drive the surviving fraction below any printable
        # number, even to 0.0 in floating point: the axis stops at SURVIVAL_FLOOR and a note says so)
        bottom = max(10.0 ** (3 * np.floor(np.log10(max(lowest, SURVIVAL_FLOOR) * 0.3) / 3)), SURVIVAL_FLOOR)
        self.ax_surv.set_ylim(bottom, 2.0)
        # ticks at 10⁰ and every `step` decades below it (at most 7 labels)
        decades = int(round(-np.log10(bottom)))
        step = next(v for v in (1, 2, 3, 5, 10) if decades / v <= 6)
        self.ax_surv.set_yticks([10.0 ** -k for k in range(0, decades + 1, step)])
        self.floor_note.set_visible(lowest < SURVIVAL_FLOOR)
        self.ax_surv.set_title(f"Illustrative cell survival (α = {alpha:g} per Gy,\nillustrative value; α/β = {alpha_beta_gy:g} Gy)")
        labels = tuple(s.label for s in schedules)
        if labels != self._legend_labels:  # a new legend only when the schedules' names change (not for α/β)
            self.ax_surv.legend(handles=self.lines[:n], loc="lower left", fontsize=BASE_FONT_PT - 1)
            self._legend_labels = labels


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k that is ≥ ``value`` (> 0): axis limits that snap to a few
    steps, so a widget's cached background (axes, ticks) is reused while the data move."""
    if not value > 0:
        return 1.0
    k = np.floor(np.log10(value))
    for m in (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        step = float(m * 10.0**k)
        if step >= value * (1 - 1e-12):
            return step
    return float(10.0 ** (k + 1))
