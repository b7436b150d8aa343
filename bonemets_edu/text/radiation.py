"""Lesson 02's text views: the schedule comparison's results table and the trial evidence for the kinds of schedule
compared (HTML), the schedule table (plain text) and the retreatment advice (Markdown); formatting only (every number comes from ``radiobiology`` and ``data/radiation.toml``)."""

from __future__ import annotations

from .. import radiobiology as rb
from .._validate import require_positive
from ..display import escape
from .citations import cite

__all__ = ["results_table_html", "evidence_html", "result_line_html", "rate_text", "schedule_table", "retreatment_markdown"]

_LEVEL_WORD = {"within": "OK", "caution": "CAUTION", "beyond": "BEYOND RANGE"}


def results_table_html(results, ab, tlabel, tsrc) -> str:
    rows = []
    for label, r, rec in results:
        v = r.validity
        src = cite(_rec_sources(rec)) if rec is not None else "(custom schedule)"
        rows.append(
            f"<tr><td>{escape(label)} {src}</td><td>{r.dose_per_fraction_gy:.2f}</td><td>{r.visits}</td>"
            f"<td>{r.bed_gy:.1f}</td><td>{r.eqd2_gy:.1f}</td><td>{escape(_LEVEL_WORD[v.level])}</td>"
            f"<td>{'inside 1-6 Gy' if v.strict_within else 'OUTSIDE 1-6 Gy'}</td></tr>"
        )
    tsource = cite(_rec_sources(tsrc)) if tsrc is not None else "(custom value)"
    notes = [
        f"<li>{escape(r.validity.message)} {_validity_sources_html()}</li>" for label, r, _ in results if r.validity.flagged
    ]
    notes += [f"<li>{escape(label)}: {escape(r.validity.strict_message)} {cite(r.validity.strict_source)}</li>"
              for label, r, _ in results if not r.validity.strict_within]
    if tsrc is not None and "convention_note" in tsrc:
        notes.append(f"<li>{escape(tsrc['convention_note'])} {cite(_rec_sources(tsrc)[1:] or _rec_sources(tsrc))}</li>")
    head = (
        f"<p><strong>Computed with the linear-quadratic model</strong> for {escape(tlabel)}, α/β = {ab:g} Gy "
        f"{tsource}. Formulas {cite('fowler1989')}; no time factor (courses of two weeks or less).</p>"
    )
    table = (
        "<table style='border-collapse:collapse' border='1' cellpadding='4'><thead><tr><th>Schedule (source)</th>"
        "<th>Dose per fraction (Gy)</th><th>Treatment visits</th><th>BED (Gy)</th><th>EQD2 (Gy)</th>"
        "<th>LQ model validity (Brenner; Kirkpatrick)</th><th>Stricter view (SFJRO: LQ only for 1-6 Gy per fraction)</th>"
        "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )
    tail = f"<ul>{''.join(notes)}</ul>" if notes else "<p>All doses per fraction are within the range where the LQ model is well validated (up to about 10 Gy).</p>"
    return head + table + tail


def evidence_html(chosen) -> str:
    kinds = {rec["kind"] for _sid, _l, _d, _n, rec in chosen if rec is not None}
    has_custom = any(rec is None for *_x, rec in chosen)
    hits = rb.evidence_for(kinds) if kinds else []
    kind_names = ", ".join(rb.KIND_LABELS[k] for k in sorted(kinds)) or "none"
    parts = [f"<h4 style='margin:6px 0 2px'>Trial evidence for these kinds of schedule ({escape(kind_names)})</h4>"]
    if has_custom:
        parts.append("<p><em>Custom schedules are not matched to trials: no trial tested them.</em></p>")
    if not hits:
        parts.append("<p>No trial in the course data compared these kinds of schedule head to head. "
                     "Pick one single-fraction and one multiple-fraction schedule, or an SBRT schedule with a conventional one.</p>")
        return "".join(parts)
    items = []
    for r in hits:
        items.append(f"<li>{result_line_html(r)}</li>")
    parts.append("<ul>" + "".join(items) + "</ul>")
    return "".join(parts)


def _arm_value(r, arm: str) -> str:
    """``'61 % (35/57)'``, ``'61 % (n = 57)'`` or ``'61 %'`` for arm ``'a'`` or ``'b'`` of a result record."""
    text = f"{r['value_' + arm]:g} %"
    if f"events_{arm}" in r:
        return text + f" ({r['events_' + arm]}/{r['n_' + arm]})"
    if f"n_{arm}" in r:
        return text + f" (n = {r['n_' + arm]})"
    return text


def result_line_html(r) -> str:
    arms = escape(r["arm_a"]) + (f" vs {escape(r['arm_b'])}" if "arm_b" in r else "")
    vals = ""
    if "value_a" in r:
        vals = _arm_value(r, "a") + (f" vs {_arm_value(r, 'b')}" if "value_b" in r else "")
        vals = f": <strong>{escape(vals)}</strong>"
    extra = []
    if "statistic" in r:
        extra.append(escape(r["statistic"]))
    if "n_total" in r and "n_a" not in r:
        extra.append(f"{r['n_total']} patients")
    if "finding" in r:
        extra.append(escape(r["finding"].rstrip(".")))
    conf = " [secondary source]" if r["confidence"] == "SSS" else ""
    return (
        f"<strong>{escape(r['category'].capitalize())}</strong> — {escape(r['trial'])} ({escape(r['setting'])}); "
        f"{escape(r['outcome'])}, {arms}{vals}" + (f". {'; '.join(extra)}" if extra else "") + f". {cite(_rec_sources(r))}{conf}"
    )


def rate_text(r) -> str:
    if "rate_pct" in r:
        s = f"{r['rate_pct']:g} %"
        if "events" in r:
            s += f" ({r['events']}/{r['n']})"
        elif "n" in r:
            s += f" (n = {r['n']})"
        return s
    if "rate_low_pct" in r:
        return f"{r['rate_low_pct']:g}-{r['rate_high_pct']:g} %"
    return "no rate found in the sources consulted"


def _rec_sources(rec) -> list[str]:
    return [rec["source"]] if "source" in rec else list(rec["sources"])


def _validity_sources_html() -> str:
    return cite(list(rb.VALIDITY_SOURCES))



def schedule_table(schedule_ids=("8x1", "20x5", "24x6", "30x10", "24x2"), alpha_betas=(10.0, 3.0)) -> str:
    """A plain-text table of dose per fraction, BED and EQD2 for named schedules (computed values, 2 decimals)."""
    recs = {s["id"]: s for s in rb.schedules()}
    abs_ = [float(require_positive("alpha_beta_gy", a, allow_array=False)) for a in alpha_betas]
    head = f"{'Schedule':<16}{'d (Gy)':>8}" + "".join(f"{'BED' + format(a, 'g'):>9}{'EQD2(' + format(a, 'g') + ')':>10}" for a in abs_)
    lines = ["Computed with the LQ model (Gy); not published values.", head, "-" * len(head)]
    for sid in schedule_ids:
        if sid not in recs:
            raise ValueError(f"schedule_ids must name schedules in {rb.DATA_FILE} ({', '.join(recs)}); got {sid!r}")
        s = recs[sid]
        D, n = s["total_dose_gy"], s["fractions"]
        row = f"{s['label']:<16}{D / n:>8.2f}"
        for a in abs_:
            row += f"{rb.bed(D, n, a):>9.2f}{rb.eqd2(D, n, a):>10.2f}"
        lines.append(row)
    return "\n".join(lines)


def retreatment_markdown() -> str:
    """The retreatment advice as a Markdown list with citation links (for the lesson)."""
    lines = []
    for r in rb.retreatment_advice():
        lines.append(f"- **{r['situation']}.** {r['advice']} ({cite(_rec_sources(r), 'markdown', parens=False)})")
    return "\n".join(lines)
