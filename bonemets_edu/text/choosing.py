"""Lesson 06's plain-text views: the rules, one therapy's verdict with its reasons, and a case for a printout;
formatting only (the verdicts come from ``decision``, the cases from ``cases``; sources as author–year labels)."""

from __future__ import annotations

from .. import decision as D
from .citations import cite

__all__ = ["describe_rules", "explain", "describe_case"]


def _sources(keys) -> str:
    return cite(keys, "text", parens=False)


def describe_rules(first: int | None = None) -> str:
    """The rules (all, or the ``first`` n) as plain text: conditions, each effect's verdict and therapies, and the
    rule's sources (author–year)."""
    names = {t.id: t.short for t in D.therapies()}
    lines = []
    for r in D.rules()[:first]:
        cond = " AND ".join(c.describe() for c in r.when)
        lines.append(f"{r.title}\n  if {cond}")
        for e in r.effects:
            kind = "adds a caution to" if e.note else "limits to" if e.limits else "gives"
            what = "" if e.note else f" '{e.verdict}'"
            lines.append(f"  → {kind}{what}: {', '.join(names[t] for t in e.therapies)}")
        lines.append(f"  sources: {_sources(r.sources)}")
    return "\n".join(lines)


def explain(decision: D.Decision, therapy_id: str) -> str:
    """One therapy's verdict and reasons as plain text, with author–year sources."""
    a = decision.get(therapy_id)
    out = [f"{a.therapy.name}: {a.verdict.upper()}"]
    for r in a.reasons:
        out.append(f"  - [{r.verdict}] {r.text} ({_sources(r.sources)})")
    return "\n".join(out)


def describe_case(case) -> str:
    """A case (``bonemets_edu.cases.Case``) as plain text for a lesson printout: the story, the scores, each
    specialty's view, the patient's preference, the reference plan and what a good justification mentions (sources
    as author–year)."""
    out = [f"{case.title} (synthetic case, not a real patient)", case.vignette, ""]
    totals = [f"{name.capitalize() if name != 'sins' else 'SINS'} {getattr(case, name)['total']}"
              for name in ("mirels", "sins", "tokuhashi") if getattr(case, name) is not None]
    if totals:
        out.append("Scores: " + ", ".join(totals))
    for v in case.views:
        out.append(f"{v.specialty}: {v.text} ({_sources(v.sources)})")
    if case.preference:
        out.append(f"The patient: {case.preference}")
    out += ["", f"Reference plan: {case.reference.text}", "A good justification mentions:"]
    out += [f"  - {p.text} ({_sources(p.sources)})" for p in case.points]
    return "\n".join(out)
