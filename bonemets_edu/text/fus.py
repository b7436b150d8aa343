"""Lesson 05's text views (Markdown and plain text): the session steps, the structures near the target, who is a
candidate, the trial evidence and the what-if scenario table; formatting only (every number comes from
``focused_ultrasound`` and ``data/fus.toml``)."""

from __future__ import annotations

from .. import focused_ultrasound as fus

__all__ = ["session_markdown", "near_target_markdown", "candidacy_markdown", "evidence_text", "scenario_table"]


def _labels(rec) -> str:
    """The source label(s) of a record: ``source`` or every key of ``sources``, joined by '; '."""
    keys = [rec["source"]] if "source" in rec else list(rec["sources"])
    return "; ".join(fus._label(k) for k in keys)


def session_markdown() -> str:
    """How an MRgFUS session runs, step by step, each step with its source."""
    steps = sorted(fus.fus_records("session_step"), key=lambda r: r["order"])
    return "\n".join(f"{r['order']}. **{r['label']}.** {r['text']} ({_labels(r)})" for r in steps)


def near_target_markdown() -> str:
    """Heat-sensitive neighbours of the target (a named complication): what they are, why they heat, how the team
    protects them, each with its sources."""
    return "\n".join(
        f"- **{r['label']}.** Why it can heat: {r['why']} How the team protects it: {r['protection']} ({_labels(r)})"
        for r in fus.fus_records("near_target")
    )


def candidacy_markdown() -> str:
    """Who is (and is not) a candidate: what was found, and what was not."""
    lines = []
    for r in fus.fus_records("candidacy"):
        mark = "Found" if r["status"] == "found" else "NOT FOUND"
        lines.append(f"- **{mark}:** {r['statement']} ({_labels(r)})")
    for s in fus.fus_records("site"):
        lines.append(f"- **Treated sites** — {s['label']}: {', '.join(s['sites'])} ({fus._label(s['source'])}).")
    return "\n".join(lines)


def evidence_text(method: str = "wilson") -> str:
    """The trial and the meta-analysis as plain text (deterministic; compared by nbval)."""
    s = fus.sham_trial(method)
    (m,) = fus.fus_records("meta")
    lines = [f"Phase III trial ({fus._label('hurwitz2014')}), responders at 3 months, 95% CI by {method} [computed]:"]
    for a in s.arms:
        lines.append(f"  {a.label:<7} {a.responders:>3}/{a.n:<3} = {a.percent:5.1f}%  "
                     f"(95% CI {a.ci_low_percent:4.1f}-{a.ci_high_percent:4.1f}%)")
    lines.append(f"  Difference {s.difference_percent:.1f} points (95% CI {s.difference_ci_low_percent:.1f} to "
                 f"{s.difference_ci_high_percent:.1f}); NNT about {s.nnt} [computed]")
    lines.append(f"Meta-analysis ({fus._label(m['source'])}): {m['studies']} studies, {m['patients']} patients; pooled "
                 f"response {m['pooled_response_percent']:g}% (95% CI {m['pooled_response_ci_low']:g}-"
                 f"{m['pooled_response_ci_high']:g}%);")
    lines.append(f"  mean pain change {m['pain_change_1_month']:g} at 1 month and {m['pain_change_3_months']:g} at 3 "
                 f"months; adverse events grade >= 3 {m['high_grade_ae_percent']:g}%, lower grade "
                 f"{m['low_grade_ae_percent']:g}%.")
    return "\n".join(lines)


def scenario_table(cell_mm: float = fus.PLANNER_CELL_MM) -> str:
    """The SCENARIOS run through the model, as a plain-text table [computed, illustrative model].

    By default on the planner's grid, so every row is what the planner shows at the same settings.
    """
    head = f"{'scenario':<49}{'surface':>8}{'inside':>8}{'nerve':>8}{'skin':>8}{'skin dose':>11}  warnings / cautions"
    lines = [head, "-" * len(head)]
    for label, over in fus.SCENARIOS:
        r = fus.scenario_result(over, cell_mm)
        warn = [w.key for w in fus.sonication_warnings(r) if w.kind != "ok" and not w.key.startswith("target")]
        lines.append(f"{label:<49}{r.peak_periosteal_c:7.0f}C{r.peak_bone_c:7.0f}C{r.peak_structure_c:7.1f}C{r.peak_skin_c:7.1f}C"
                     f"{fus.format_dose(r.skin_cem43_min):>11}  {', '.join(warn) or '-'}")
    lines.append("Peak temperatures (C) on the bone surface, inside the bone, at the nerve and in the skin, and the skin's")
    lines.append("thermal dose (CEM43 min), from the illustrative teaching model [computed].")
    return "\n".join(lines)
