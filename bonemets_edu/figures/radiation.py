"""Figures for lesson 02 (external beam radiation): schedule comparison, why alpha/beta matters, side effects.

Each ``*_figure`` function returns a new Figure; each ``draw_*`` function (re)draws onto existing axes so that a widget
can keep one persistent figure and update it in place. Numbers come from ``bonemets_edu.radiobiology`` (the model) and
``data/radiation.toml`` (the cited records); nothing clinical is computed here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.ticker import LogLocator, MaxNLocator, NullLocator

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
    "side_effect_records",
    "trial_results_figure",
    "SchedulePlot",
]


@dataclass(frozen=True)
class ScheduleSpec:
    """A schedule to draw: a label, total dose (Gy) and number of fractions."""

    label: str
    total_dose_gy: float
    fractions: int


# ------------------------------------------------------------------------------------------- schedule comparison
def schedule_comparison_figure(schedules: Sequence[ScheduleSpec], alpha_beta_gy: float, tissue_label: str):
    fig, axes = new_figure(11.0, 4.6, 1, 2)
    draw_schedule_comparison(axes, schedules, alpha_beta_gy, tissue_label)
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
    ax_surv.yaxis.set_minor_locator(NullLocator())  # fewer ticks: faster redraw, cleaner on a projector
    ax_surv.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax_surv.set_xlabel("Fractions delivered (treatment visits)")
    ax_surv.set_ylabel("Surviving fraction of cells")
    ax_surv.set_title(f"Illustrative cell survival (α = {alpha:g} per Gy,\nillustrative value; α/β = {alpha_beta_gy:g} Gy)")
    ax_surv.legend(loc="lower left", fontsize=BASE_FONT_PT - 1)


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
        self.ax.legend(loc="lower right")

    def set_normal_tissue(self, alpha_beta_gy: float, label: str) -> None:
        """Switch the normal-tissue curve (e.g. late-responding tissue 3 Gy or spinal cord 2 Gy)."""
        self.late_ab = alpha_beta_gy
        self.late_line.set_label(f"{label} (α/β {alpha_beta_gy:g} Gy)")
        self.ax.legend(loc="lower right")

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
        self.ax.set_ylim(0, top * 1.12)
        self.ax.set_title(f"Doses equivalent to {reference_label} (computed, LQ model)")
        return {"n": n, "tumour": tumour, "late": late}


def isoeffect_figure(reference_total_gy: float = 30.0, reference_fractions: int = 10, label: str = "30 Gy / 10",
                     max_fractions: int = 15):
    plot = IsoeffectPlot(max_fractions=max_fractions)
    plot.update(reference_total_gy, reference_fractions, label)
    return plot.fig


# ------------------------------------------------------------------------------------------------- side effects
def side_effects_figure(kind: str = "conv_single", site: str = "other"):
    fig, axes = new_figure(11.0, 4.8, 1, 2, gridspec_kw={"width_ratios": [1.15, 1]})
    draw_side_effects(axes, kind, site)
    return fig


def draw_side_effects(axes, kind: str, site: str) -> list:
    """Left: pain-flare rates with and without dexamethasone (as published). Right: when effects occur (days).

    Returns the side-effect records drawn (for the widget's text summary).
    """
    ax_rate, ax_time = axes
    ax_rate.cla()
    ax_time.cla()
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
            ax_rate.barh(yy, v, height=0.7, **style)
        else:  # a published range: solid to the lower bound, hatched and lighter up to the upper bound
            ax_rate.barh(yy, lo, height=0.7, **style)
            ax_rate.barh(yy, v - lo, left=lo, height=0.7, alpha=0.45, **{**style, "hatch": "//"})
        text = f"{v:g} %" if lo is None else f"{lo:g}-{v:g} %"
        ax_rate.text(v + 1.5, yy, text, va="center", fontsize=BASE_FONT_PT - 1)
    ax_rate.set_yticks(y, labels, fontsize=BASE_FONT_PT - 1)
    ax_rate.set_xlim(0, 100)
    ax_rate.set_xlabel("Patients affected (%), as published")
    ax_rate.set_title("How often (each bar: one study arm)")
    timed = [r for r in records if "day_end" in r]
    yt = np.arange(len(timed))[::-1]
    for i, r in enumerate(timed):
        style = bar_style(_style_index(r))
        ax_time.barh(yt[i], r["day_end"] - r["day_start"], left=r["day_start"], height=0.6, **style)
        ax_time.text(r["day_end"] + 1.0, yt[i], f"days {r['day_start']:g}-{r['day_end']:g}", va="center",
                     fontsize=BASE_FONT_PT - 1)
    ax_time.set_yticks(yt, [_short_name(r) for r in timed], fontsize=BASE_FONT_PT - 1)
    ax_time.set_xlim(0, 60)
    ax_time.set_xlabel("Days from the first fraction")
    ax_time.set_title("When (days given by the source)")
    return records


def side_effect_records(kind: str, site: str) -> list:
    """The side-effect records :func:`draw_side_effects` draws for a kind of schedule and a treated site."""
    records = [r for r in rb.side_effects() if kind in r["applies_to"]]
    if site != "pelvis":
        records = [r for r in records if r["id"] != "diarrhoea"]
    return records


def _short_name(r) -> str:
    names = {
        "flare_conventional": "Pain flare (review)",
        "flare_dex_chow2015_placebo": "Flare, placebo\n(Chow 2015)",
        "flare_dex_chow2015_dex": "Flare, dexamethasone\n(Chow 2015)",
        "flare_dex_vdl2020_placebo": "Flare, placebo\n(van der Linden 2020)",
        "flare_dex_vdl2020_dex4": "Flare, dex 4 days\n(van der Linden 2020)",
        "flare_dex_vdl2020_dex1": "Flare, dex 1 day\n(van der Linden 2020)",
        "flare_sbrt": "Flare after spine SBRT",
        "nausea": "Nausea (site not stated)",
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
    fig, ax = new_figure(9.0, 0.9 + 0.85 * len(chosen))
    y = np.arange(len(chosen))[::-1]
    h = 0.38
    for yy, r in zip(y, chosen, strict=True):
        for k, (arm, val) in enumerate((("arm_a", "value_a"), ("arm_b", "value_b"))):
            if val not in r:
                continue
            bars = ax.barh(yy + (h / 2 if k == 0 else -h / 2), r[val], h, **bar_style(k))
            name = r[arm] if len(r[arm]) <= 24 else r[arm].split(" (")[0]
            ax.bar_label(bars, labels=[f"{name}: {r[val]:g} %"], padding=3, fontsize=BASE_FONT_PT - 1)
    ax.set_yticks(y, [f"{r['trial']}\n{r['outcome']}" if len(r["outcome"]) < 40 else f"{r['trial']}\n{r['outcome'][:38]}…"
                      for r in chosen], fontsize=BASE_FONT_PT - 1)
    ax.set_xlim(0, 130)
    ax.set_xticks([0, 20, 40, 60, 80, 100])
    ax.set_xlabel("Patients (%), as published")
    ax.grid(axis="y", visible=False)
    return fig


class SchedulePlot:
    """The schedule-comparison figure with persistent artists (up to ``slots`` schedules), updated in place.

    Same content as :func:`draw_schedule_comparison`, but bars, value labels and survival lines are created once and
    only their data change on an update (no axes rebuilt), which keeps a widget update fast.
    """

    def __init__(self, slots: int = 3, size=(9.6, 4.3)):
        self.fig, (self.ax_bar, self.ax_surv) = new_figure(*size, 1, 2)
        self.slots = slots
        self.width = 0.38
        x = np.arange(slots)
        self.bars = []
        self.labels = []
        for k, name in enumerate(("BED", "EQD2")):
            offset = -self.width / 2 if k == 0 else self.width / 2
            bc = self.ax_bar.bar(x + offset, np.zeros(slots), self.width, label=name, **bar_style(k))
            self.bars.append(bc)
            self.labels.append([self.ax_bar.text(xx + offset, 0, "", ha="center", va="bottom",
                                                 fontsize=BASE_FONT_PT - 1) for xx in x])
        self.ax_bar.set_ylabel("Dose (Gy)")
        self.ax_bar.legend(loc="upper left")
        self.lines = []
        for i in range(slots):
            (ln,) = self.ax_surv.plot([0, 1], [1, 1], drawstyle="steps-post", **series_style(i))
            self.lines.append(ln)
        self.ax_surv.set_yscale("log")
        self.ax_surv.yaxis.set_major_locator(LogLocator(base=10, numticks=6))
        self.ax_surv.yaxis.set_minor_locator(NullLocator())
        self.ax_surv.xaxis.set_major_locator(MaxNLocator(integer=True))
        self.ax_surv.set_xlabel("Fractions delivered (treatment visits)")
        self.ax_surv.set_ylabel("Surviving fraction of cells")

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
        ticks = []
        for s in schedules:
            flagged = rb.lq_validity(s.total_dose_gy / s.fractions).flagged
            ticks.append(_wrap(s.label) + ("\n(LQ caution)" if flagged else ""))
        self.ax_bar.set_xticks(np.arange(n), ticks)
        self.ax_bar.set_xlim(-0.6, n - 0.4)
        self.ax_bar.set_ylim(0, max(values[0] + values[1]) * 1.22)
        self.ax_bar.set_title(f"BED and EQD2 for {tissue_label}\n(α/β = {alpha_beta_gy:g} Gy; computed with the LQ model)")
        lowest, longest = 1.0, 1
        for i, ln in enumerate(self.lines):
            if i < n:
                s = schedules[i]
                course = rb.survival_by_fraction(s.total_dose_gy, s.fractions, alpha, alpha_beta_gy)
                ln.set_data(np.arange(course.size), course)
                ln.set_label(s.label)
                ln.set_visible(True)
                lowest, longest = min(lowest, float(course[-1])), max(longest, s.fractions)
            else:
                ln.set_visible(False)
                ln.set_label("_hidden")
        self.ax_surv.set_xlim(-0.3, longest + 0.3)
        self.ax_surv.set_ylim(lowest * 0.3, 2.0)
        self.ax_surv.set_title(f"Illustrative cell survival (α = {alpha:g} per Gy,\nillustrative value; α/β = {alpha_beta_gy:g} Gy)")
        self.ax_surv.legend(handles=self.lines[:n], loc="lower left", fontsize=BASE_FONT_PT - 1)
