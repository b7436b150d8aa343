"""Figures for the choosing-a-treatment lesson.

* ``score_bands_figure`` / ``draw_score_bands`` — the three tumour-board scores (Mirels, SINS, revised Tokuhashi) on
  their published scales, with the category bands hatched and labelled and the learner's score marked.
* ``verdict_matrix_figure`` — the rule engine's verdicts for every synthetic case and therapy, drawn with three
  different marker shapes plus text, so it reads without colour.

Band limits come from ``bonemets_edu.scores`` (Mirels ≤ 7 / 8 / ≥ 9; SINS 0–6 / 7–12 / 13–18; Tokuhashi 0–8 / 9–11 /
12–15), never from this file.
"""

from __future__ import annotations

from .. import style

# (name, scale min, scale max, bands [(lo, hi, label)], source text) — limits as published (see scores.py)
SCALES = (
    ("Mirels score, points (long bone)", 4, 12, ((4, 7, "≤ 7 irradiate"), (8, 8, "8 judgement"), (9, 12, "≥ 9 fix"))),
    ("SINS, points (spine)", 0, 18, ((0, 6, "stable"), (7, 12, "indeterminate"), (13, 18, "unstable"))),
    ("Revised Tokuhashi, points (prognosis)", 0, 15, ((0, 8, "< 6 months"), (9, 11, "≥ 6 months"), (12, 15, "≥ 1 year"))),
)
_HATCH = ("", "//", "xx")


def score_bands_figure():
    """A 3-row figure of the score scales; returns ``(fig, axes, markers)`` for in-place updates."""
    fig, axes = style.new_figure(7.2, 4.0, nrows=3, ncols=1)
    markers = []
    for ax, (name, lo, hi, bands) in zip(axes, SCALES, strict=True):
        for j, (a, b, label) in enumerate(bands):
            ax.barh(0, b - a + 1, left=a - 0.5, height=0.8, color="white", edgecolor="black", hatch=_HATCH[j],
                    linewidth=1)
            ax.text((a + b) / 2, 0.62, label, ha="center", va="bottom", fontsize=style.BASE_FONT_PT)
        (m,) = ax.plot([], [], marker="v", markersize=16, color=style.COLORS[0], markeredgecolor="black",
                       linestyle="none")
        t = ax.text(hi + 1.2, 0, "", va="center", ha="left", fontsize=style.BASE_FONT_PT, fontweight="bold")
        markers.append((m, t))
        ax.set_xlim(lo - 0.7, hi + 5.5)
        ax.set_ylim(-0.6, 1.35)
        ax.set_yticks([])
        ax.set_xticks(range(lo, hi + 1, 1 if hi <= 12 else 2))
        ax.set_title(name, loc="left", fontsize=style.BASE_FONT_PT + 1)
        ax.grid(False)
        ax.spines["left"].set_visible(False)
    # Lay the figure out once, then freeze it: updates only move a marker and a label, so re-running the
    # constrained-layout solver on every widget step would be wasted time.
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    return fig, axes, markers


def draw_score_bands(markers, mirels: int | None = None, sins: int | None = None,
                     tokuhashi: int | None = None) -> str:
    """Move the markers to the given totals (``None`` → 'not scored'); return a plain-text description."""
    parts = []
    for (m, t), (name, *_rest), value in zip(markers, SCALES, (mirels, sins, tokuhashi), strict=True):
        if value is None:
            m.set_data([], [])
            t.set_text("not scored")
            t.set_fontweight("normal")
            parts.append(f"{name}: not scored")
        else:
            m.set_data([value], [0.0])
            t.set_text(f"= {value}")
            t.set_fontweight("bold")
            parts.append(f"{name}: {value}")
    return "; ".join(parts)


_VERDICT_STYLE = {
    "suitable": dict(marker="o", label="suitable (filled circle)", filled=True),
    "consider": dict(marker="^", label="consider (open triangle)", filled=False),
    "not suitable": dict(marker="x", label="not suitable (cross)", filled=True),
}


def verdict_matrix_figure(case_titles, therapy_names, verdicts):
    """Cases (rows) × therapies (columns) with one marker shape per verdict.

    ``verdicts[i][j]`` is the verdict of therapy j for case i.
    """
    n_cases, n_ther = len(case_titles), len(therapy_names)
    fig, ax = style.new_figure(10, 2.6 + 0.5 * n_cases)
    for v, spec in _VERDICT_STYLE.items():
        xs = [j for i in range(n_cases) for j in range(n_ther) if verdicts[i][j] == v]
        ys = [i for i in range(n_cases) for j in range(n_ther) if verdicts[i][j] == v]
        colour = style.COLORS[list(_VERDICT_STYLE).index(v)]
        ax.plot(xs, ys, linestyle="none", marker=spec["marker"], markersize=13, markeredgewidth=2.2,
                markerfacecolor=colour if spec["filled"] else "none", markeredgecolor=colour, label=spec["label"])
    ax.set_xticks(range(n_ther), therapy_names, rotation=50, ha="right", rotation_mode="anchor")
    ax.set_yticks(range(n_cases), case_titles)
    ax.set_xlim(-0.6, n_ther - 0.4)
    ax.set_ylim(n_cases - 0.4, -0.6)
    ax.set_title("Computed rule-engine verdicts: case (rows) × therapy (columns)", loc="left")
    fig.legend(loc="outside lower center", ncol=3, frameon=False)
    ax.grid(True, alpha=0.3)
    return fig, ax
