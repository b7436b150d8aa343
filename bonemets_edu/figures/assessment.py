"""Figures of lesson 01b (finding and assessing bone metastases).

Each plot class owns one persistent figure and its artists; ``update(...)`` redraws what depends on the state, so a
widget can show the same figure again (``bonemets_edu.ui.FigurePane``). ``imaging_figure`` draws the imaging
comparator. Colours come from the course palette; meaning is carried by markers, hatches and text as well.
"""

from __future__ import annotations

from matplotlib.patches import FancyBboxPatch, Rectangle

from .. import assessment as A
from ..style import COLORS, HATCHES, new_figure

__all__ = ["PainResponsePlot", "CalciumPlot", "RenalDosePlot", "TriagePlot", "ImagingPlot", "imaging_figure"]


class PainResponsePlot:
    """Baseline and follow-up worst pain (0-10) and OMED (mg/day) side by side, the verified result as the title:
    complete response, partial response or "not a response (non-responder)" (the split of non-responders into pain
    progression and indeterminate response rests on an unverified rule and is not shown).

    The bars, value labels and the -25% line (the partial-response drug rule) are created once; ``update`` only moves
    them (fixed axes: no re-layout)."""

    OMED_TOP = 390.0  # the widget's OMED inputs stop at 300 mg/day

    def __init__(self):
        self.fig, (self.ax_pain, self.ax_omed) = new_figure(8.0, 3.6, 1, 2)
        for ax in (self.ax_pain, self.ax_omed):
            ax.set_axisbelow(True)  # grid under the bars, as the blitted frames draw it
        self.pain_bars = self.ax_pain.bar(["baseline", "follow-up"], [0, 0], color=[COLORS[0], COLORS[1]],
                                          edgecolor="black", linewidth=0.8)
        self.omed_bars = self.ax_omed.bar(["baseline", "follow-up"], [0, 0], color=[COLORS[0], COLORS[1]],
                                          edgecolor="black", linewidth=0.8)
        for bars in (self.pain_bars, self.omed_bars):
            bars[1].set_hatch(HATCHES[1])
        self.pain_text = [self.ax_pain.text(i, 0, "", ha="center", va="bottom", fontsize=12) for i in range(2)]
        self.omed_text = [self.ax_omed.text(i, 0, "", ha="center", va="bottom", fontsize=12) for i in range(2)]
        self.ax_pain.set_ylim(0, 10.8)
        self.ax_pain.set_ylabel("Worst pain (0-10 scale)")
        self.ax_omed.set_ylabel("OMED (mg/day)")
        self.ax_omed.set_ylim(0, self.OMED_TOP)
        self.minus = self.ax_omed.axhline(0, color="0.3", linestyle=":", linewidth=1.4)
        self.minus_text = self.ax_omed.text(1.42, 0, "-25%", va="center", fontsize=12)
        self.ax_pain.set_title(" ", fontsize=13)
        self.ax_omed.set_title(" ", fontsize=13)
        self.title = self.fig.suptitle(" ", fontsize=15, fontweight="bold")

    def update(self, values: tuple[int, int, float, float], result: A.PainResponse) -> None:
        p0, p1, m0, m1 = values
        top = self.OMED_TOP
        for bar, txt, v in zip(self.pain_bars, self.pain_text, (p0, p1), strict=True):
            bar.set_height(v)
            txt.set_position((bar.get_x() + bar.get_width() / 2, v + 0.2))
            txt.set_text(f"{v}")
        for bar, txt, v in zip(self.omed_bars, self.omed_text, (m0, m1), strict=True):
            bar.set_height(v)
            txt.set_position((bar.get_x() + bar.get_width() / 2, v + top * 0.02))
            txt.set_text(f"{v:g}")
        show = m0 > 0
        frac = 1 - A.OMED_CHANGE_FRACTION
        self.minus.set_ydata([m0 * frac, m0 * frac])
        self.minus.set_visible(show)
        self.minus_text.set_position((1.42, m0 * frac))
        self.minus_text.set_visible(show)
        change = "no baseline dose" if result.omed_change_percent is None else f"{result.omed_change_percent:+.0f}%"
        self.ax_pain.set_title(f"Pain change: {result.pain_change:+d} points", fontsize=13)
        self.ax_omed.set_title(f"OMED change: {change}", fontsize=13)
        self.title.set_text(f"Result: {self.label(result)}")

    def moving(self) -> list:
        """Every artist ``update`` changes (the pane blits them over the static axes)."""
        return [*self.pain_bars, *self.omed_bars, *self.pain_text, *self.omed_text, self.minus,
                self.minus_text, self.ax_pain.title, self.ax_omed.title, self.title,
                *(ax.spines[side] for ax in (self.ax_pain, self.ax_omed) for side in ("bottom", "left"))]

    @staticmethod
    def label(result: A.PainResponse) -> str:
        """What students see: the category for a responder, else the non-responder label of ``data/assessment.toml``."""
        return result.category if result.responder else A.pain_groups()["non-responder"]["label"]

    @staticmethod
    def rule_text(result: A.PainResponse) -> str:
        """The verified rule that fired, or the non-responder record's text (never an unverified progression rule)."""
        rid = result.verified_rule_id
        return A.pain_rules()[rid]["rule"] if rid in A.VERIFIED_PAIN_RULES else A.pain_groups()[rid]["rule"]

    @classmethod
    def alt(cls, values, result: A.PainResponse) -> str:
        p0, p1, m0, m1 = values
        return (f"Two bar charts. Worst pain {p0} at baseline and {p1} at follow-up; oral morphine-equivalent dose "
                f"{m0:g} and {m1:g} mg/day. Result: {cls.label(result)} (rule: {cls.rule_text(result)})")


class CalciumPlot:
    """A corrected-calcium scale (mmol/L) with the severity bands hatched and labelled; markers for the measured
    total calcium (open circle) and the albumin-corrected value (filled diamond)."""

    LOW, HIGH = 1.5, 4.5

    def __init__(self):
        self.fig, self.ax = new_figure(8.0, 2.9)
        ax = self.ax
        bands = A._calcium_bands()
        for i, b in enumerate(bands):
            lo, hi = max(b.low_mmol_l, self.LOW), min(b.high_mmol_l, self.HIGH)
            ax.add_patch(Rectangle((lo, 0), hi - lo, 1, facecolor=COLORS[(i + 2) % len(COLORS)], alpha=0.35,
                                   hatch=HATCHES[i % len(HATCHES)], edgecolor="0.3", linewidth=0.8))
        ax.text(1.8, 0.86, "low", ha="center", fontsize=12)
        ax.text(2.37, 0.86, "normal", ha="center", fontsize=12)
        ax.text(2.81, 0.86, "< 3.0", ha="center", fontsize=12)
        ax.text(3.25, 0.86, "3.0-3.5", ha="center", fontsize=12)
        ax.text(4.0, 0.86, "> 3.5 urgent", ha="center", fontsize=12)
        ax.set_xlim(self.LOW, self.HIGH)
        ax.set_ylim(0, 1)
        ax.set_yticks([])
        ax.grid(False)
        ax.set_xlabel("Calcium (mmol/L); x 4.0 = mg/dL")
        (self.total,) = ax.plot([], [], "o", markersize=12, markerfacecolor="white", markeredgecolor="black",
                                markeredgewidth=2, label="measured total")
        (self.corrected,) = ax.plot([], [], "D", markersize=12, color="black", label="albumin-corrected")
        ax.legend(loc="lower right", fontsize=12, framealpha=0.9)
        ax.set_title(" ")

    def update(self, total_mmol_l: float, corrected_mmol_l: float, band: A.CalciumBand) -> None:
        clip = lambda v: min(max(v, self.LOW + 0.02), self.HIGH - 0.02)  # noqa: E731
        self.total.set_data([clip(total_mmol_l)], [0.45])
        self.corrected.set_data([clip(corrected_mmol_l)], [0.3])
        self.ax.set_title(f"Corrected calcium {corrected_mmol_l:.2f} mmol/L: {band.label}", fontsize=13)

    @staticmethod
    def alt(total, corrected, band) -> str:
        return (f"Calcium scale from 1.5 to 4.5 mmol/L with bands low, normal, below 3.0, 3.0 to 3.5 and above 3.5. "
                f"Measured total {total:.2f} mmol/L; corrected {corrected:.2f} mmol/L, {band.label}.")


class RenalDosePlot:
    """The label's zoledronic acid dose (mg) as a step function of creatinine clearance, with the patient marked."""

    def __init__(self):
        self.fig, self.ax = new_figure(8.0, 3.4)
        ax = self.ax
        xs = [x / 2 for x in range(0, 261)]
        ys = [A.zoledronic_acid_dose_mg(x) for x in xs]
        ax.plot(xs, [y if y is not None else float("nan") for y in ys], color=COLORS[0], linewidth=2.6,
                label="label dose")
        ax.axvspan(0, 30, facecolor="0.85", hatch="//", edgecolor="0.5", label="not recommended (< 30)")
        ax.set_xlim(0, 130)
        ax.set_ylim(0, 4.8)
        ax.set_xlabel("Creatinine clearance, Cockcroft-Gault (mL/min)")
        ax.set_ylabel("Zoledronic acid dose (mg)")
        (self.marker,) = ax.plot([], [], "D", markersize=13, color="black", label="this patient")
        self.vline = ax.axvline(60, color="black", linestyle="--", linewidth=1.2)
        ax.legend(loc="lower right", fontsize=12)
        ax.set_title(" ")

    def update(self, crcl_ml_min: float, dose_mg: float | None) -> None:
        x = min(max(crcl_ml_min, 0.5), 129.5)
        self.vline.set_xdata([x, x])
        self.marker.set_data([x], [dose_mg if dose_mg is not None else 0.3])
        what = "not recommended" if dose_mg is None else f"{dose_mg:g} mg"
        self.ax.set_title(f"CrCl {crcl_ml_min:.0f} mL/min: zoledronic acid {what}", fontsize=13)

    @staticmethod
    def alt(crcl, dose) -> str:
        what = "not recommended" if dose is None else f"{dose:g} mg"
        return (f"Step chart of zoledronic acid dose against creatinine clearance: 4 mg above 60, 3.5 mg from 50 to 60, "
                f"3.3 mg from 40 to 49, 3.0 mg from 30 to 39, not recommended below 30 mL/min. This patient: "
                f"{crcl:.0f} mL/min, {what}.")


class TriagePlot:
    """The five steps of the cord-compression walkthrough as boxes: done (✔, filled), current (?, thick border),
    still hidden ("hidden", grey, dashed border)."""

    def __init__(self, titles: list[str]):
        self.titles = titles
        self.fig, self.ax = new_figure(9.0, 2.6)
        ax = self.ax
        ax.set_xlim(0, len(titles))
        ax.set_ylim(0, 1)
        ax.axis("off")
        self.boxes, self.labels, self.arrows = [], [], []
        for i, t in enumerate(titles):
            box = FancyBboxPatch((i + 0.06, 0.12), 0.88, 0.76, boxstyle="round,pad=0.02", linewidth=1.2,
                                 edgecolor="0.3", facecolor="white")
            ax.add_patch(box)
            self.boxes.append(box)
            short = t.split(". ", 1)[-1]
            wrapped = short if len(short) < 16 else short.replace(" ", "\n", 2)
            self.labels.append(ax.text(i + 0.5, 0.5, wrapped, ha="center", va="center", fontsize=12))
            if i < len(titles) - 1:
                self.arrows.append(ax.annotate("", xy=(i + 1.06, 0.5), xytext=(i + 0.94, 0.5),
                                               arrowprops={"arrowstyle": "->", "linewidth": 1.5}))
        ax.set_title(" ")

    def moving(self) -> list:
        return [*self.boxes, *self.arrows, *self.labels, self.ax.title]

    def update(self, step: int, finished: bool) -> None:
        for i, (box, label) in enumerate(zip(self.boxes, self.labels, strict=True)):
            short = self.titles[i].split(". ", 1)[-1]
            text = short if len(short) < 16 else short.replace(" ", "\n", 2)
            if i < step or finished:
                box.set_facecolor(COLORS[0])
                box.set_alpha(0.45)
                box.set_linewidth(1.2)
                box.set_linestyle("-")
                label.set_text("✔ " + text)
            elif i == step:
                box.set_facecolor("white")
                box.set_alpha(1.0)
                box.set_linewidth(3.5)
                box.set_linestyle("-")
                label.set_text("? " + text)
            else:
                box.set_facecolor("0.9")
                box.set_alpha(1.0)
                box.set_linewidth(1.0)
                box.set_linestyle("--")
                label.set_text("hidden")
        done = len(self.titles) if finished else step
        self.ax.set_title(f"Cord-compression pathway: {done} of {len(self.titles)} decisions made", fontsize=13)

    def alt(self, step: int, finished: bool) -> str:
        done = len(self.titles) if finished else step
        shown = "; ".join(t for t in self.titles[: min(done + 1, len(self.titles))])
        return (f"Flow of five boxes for suspected cord compression; {done} of {len(self.titles)} decisions made. "
                f"Steps shown so far: {shown}. Later steps are hidden until the current decision is made.")


class ImagingPlot:
    """Pooled sensitivity (circles) and specificity (squares) with 95% CIs per imaging test; the selected test's row
    is shaded. A test without pooled values, or without CIs, says so in text on the row."""

    def __init__(self):
        self.records = A.imaging_records()
        n = len(self.records)
        self.fig, self.ax = new_figure(9.0, 0.75 * n + 1.6)
        ax = self.ax
        ys = list(range(n))[::-1]
        self.row_y = dict(zip((r["id"] for r in self.records), ys, strict=True))
        for r, y in zip(self.records, ys, strict=True):
            if not r["has_accuracy"]:
                ax.text(52, y, "no pooled sensitivity/specificity (misses early lesions)", va="center", fontsize=12)
                continue
            for key, marker, dy, color in (("sensitivity", "o", 0.15, COLORS[0]), ("specificity", "s", -0.15, COLORS[1])):
                v = r[key]
                if r.get("has_ci"):
                    lo, hi = r[f"{key}_low"], r[f"{key}_high"]
                    ax.errorbar(v, y + dy, xerr=[[v - lo], [hi - v]], fmt=marker, color=color, markersize=9,
                                capsize=4, linewidth=2)
                else:
                    ax.plot(v, y + dy, marker, markersize=9, markerfacecolor="white", markeredgecolor=color,
                            markeredgewidth=2)
            if not r.get("has_ci"):
                ax.text(52, y, "no CI in the abstract", va="center", fontsize=12, style="italic")
        ax.set_yticks(ys)
        ax.set_yticklabels([r["name"].split(" (")[0] for r in self.records])
        ax.set_xlim(50, 101)
        ax.set_ylim(-0.7, n - 0.3)
        ax.set_xlabel("Pooled accuracy per patient (%, 95% CI): circle = sensitivity, square = specificity")
        # the selection is an outline drawn on top (never hides a marker), so the pane can blit it
        self.band = ax.add_patch(Rectangle((50.2, -0.45), 50.6, 0.9, facecolor="none", edgecolor="black",
                                           linewidth=2.5, linestyle="--", zorder=5))
        ax.set_title(" ")

    def moving(self) -> list:
        return [self.band, self.ax.title]

    def update(self, modality_id: str) -> None:
        y = self.row_y[modality_id]
        self.band.set_y(y - 0.45)
        name = next(r["name"] for r in self.records if r["id"] == modality_id)
        self.ax.set_title(f"Selected: {name}", fontsize=13)

    def alt(self, modality_id: str) -> str:
        parts = []
        for r in self.records:
            if not r["has_accuracy"]:
                parts.append(f"{r['name']}: no pooled values")
            elif r.get("has_ci"):
                parts.append(f"{r['name']}: sensitivity {r['sensitivity']:g}% ({r['sensitivity_low']:g}-"
                             f"{r['sensitivity_high']:g}), specificity {r['specificity']:g}% ({r['specificity_low']:g}-"
                             f"{r['specificity_high']:g})")
            else:
                parts.append(f"{r['name']}: sensitivity {r['sensitivity']:g}%, specificity {r['specificity']:g}% "
                             "(no CI)")
        sel = next(r["name"] for r in self.records if r["id"] == modality_id)
        return "Forest plot of pooled accuracy per patient. " + "; ".join(parts) + f". Selected: {sel}."


def imaging_figure(modality_id: str = "bone_scan"):
    """The imaging comparator as a standalone figure (returns the Figure)."""
    plot = ImagingPlot()
    plot.update(modality_id)
    return plot.fig
