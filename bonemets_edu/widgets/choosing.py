"""Widgets for the choosing-a-treatment lesson (thin views over ``bonemets_edu.decision``; no clinical logic here).

* ``comparison_table()`` — every local therapy in one cited table, filtered and sorted by the patient's features, with
  the engine's verdict and reasons on every row and a link to the source behind every cell.
* ``tumour_board()`` — synthetic cases worked like a tumour board: score with the surgery lesson's calculators,
  choose an option, then see the reference reasoning and the engine's verdicts.

For education only — not for treatment decisions.
"""

from __future__ import annotations

import functools

import ipywidgets as widgets

from .. import decision as D
from .. import references, scores, ui
from ..display import escape
from ..figures.choosing import draw_score_bands, score_bands_figure

__all__ = ["comparison_table", "tumour_board", "SURVIVAL_BANDS", "cite_links"]

#: Expected-survival choices → the months passed to the engine (the band's boundaries are the rules' thresholds).
SURVIVAL_BANDS = (
    ("under 1 month (about 3 weeks)", 0.7),
    ("1 to 3 months", 2.0),
    ("3 to 6 months", 4.5),
    ("6 to 12 months", 9.0),
    ("over 12 months", 18.0),
)
_SYMBOL = {"suitable": "✔ Suitable", "consider": "? Consider", "not suitable": "✘ Not suitable"}
_STYLE = {"suitable": "font-weight:bold", "consider": "font-style:italic", "not suitable": "text-decoration:none"}
_SORTS = ("verdict (suitable first)", "course order", "therapy group")
_VIEWS = ("verdicts and reasons", "full comparison table")
_CSS = (
    "<style>.bm-choose{border-collapse:collapse;font-size:15px;line-height:1.35}"
    ".bm-choose th,.bm-choose td{border:1px solid currentColor;padding:4px 6px;vertical-align:top;text-align:left}"
    ".bm-choose th{position:sticky;top:0;background:var(--jp-layout-color1,white)}"
    ".bm-choose .bm-ref{font-size:12px;white-space:nowrap}.bm-choose .bm-gap{font-style:italic}</style>"
)


@functools.cache
def _ref_link(key: str) -> str:
    ref = references.get(key)
    title = escape(references.cite(key))
    return f'<a class="bm-ref" href="{escape(ref.href)}" target="_blank" rel="noopener" title="{title}">[{escape(references.short(key))}]</a>'


def cite_links(keys) -> str:
    """HTML links (author–year, with the full citation as a tooltip) for reference keys."""
    return " ".join(_ref_link(k) for k in keys)


@functools.cache
def _cell_html(therapy_id: str, column: str) -> str:
    t = next(x for x in D.therapies() if x.id == therapy_id)
    cell = t.cells[column]
    text = escape(cell.text)
    if cell.gap:
        text = f'<span class="bm-gap">Not found: {text}</span>'
    return f"{text} {cite_links(cell.sources)}"


def _reasons_html(assessment: D.Assessment) -> str:
    items = []
    for r in assessment.reasons:
        word = {"suitable": "supports", "consider": "consider" if not r.limits else "limits to 'consider'",
                "not suitable": "against"}[r.verdict]
        items.append(f"<li><strong>{escape(r.title)}</strong> ({escape(word)}): {escape(r.text)} "
                     f"{cite_links(r.sources)}</li>")
    return f"<ul style='margin:0;padding-left:1.1em'>{''.join(items)}</ul>"


def table_html(decision: D.Decision, *, sort: str = _SORTS[0], hide_unsuitable: bool = False,
               view: str = _VIEWS[0]) -> tuple[str, int]:
    """The table as HTML and the number of rows shown (pure function of its inputs: easy to test)."""
    rank = {v: i for i, v in enumerate(reversed(D.VERDICTS))}
    rows = list(decision.assessments)
    if sort == _SORTS[0]:
        rows.sort(key=lambda a: (rank[a.verdict], a.therapy.order))
    elif sort == _SORTS[2]:
        rows.sort(key=lambda a: (a.therapy.group, a.therapy.order))
    if hide_unsuitable:
        rows = [a for a in rows if a.verdict != "not suitable"]
    columns = D.COLUMNS if view == _VIEWS[1] else tuple(c for c in D.COLUMNS if c[0] in ("best_for", "evidence"))
    head = "".join(f"<th scope='col'>{escape(h)}</th>" for h in ("Therapy", "Verdict for this patient", "Why"))
    head += "".join(f"<th scope='col'>{escape(h)}</th>" for _, h in columns)
    body = []
    for a in rows:
        cells = "".join(f"<td>{_cell_html(a.therapy.id, c)}</td>" for c, _ in columns)
        body.append(
            f"<tr data-therapy='{escape(a.therapy.id)}'><th scope='row'>{escape(a.therapy.name)}"
            f"<br><small>{escape(a.therapy.group)}</small></th>"
            f"<td style='{_STYLE[a.verdict]};white-space:nowrap'>{escape(_SYMBOL[a.verdict])}</td>"
            f"<td>{_reasons_html(a)}</td>{cells}</tr>"
        )
    if not body:
        body.append(f"<tr><td colspan='{3 + len(columns)}'>No therapy is suitable or worth considering for these "
                    f"features in this teaching set. Show all rows to read why.</td></tr>")
    html = (f"{_CSS}<div style='max-height:620px;overflow:auto'><table class='bm-choose'>"
            f"<caption style='text-align:left'>Local therapies for this patient — {len(rows)} of "
            f"{len(decision.assessments)} rows shown. Every cell links to its source.</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>")
    return html, len(rows)


#: Dropdown option for an unscored score (ipywidgets treats a value of None as "nothing selected", so use -1).
_NOT_SCORED = ("not scored", -1)


def _score(value: int) -> int | None:
    return None if value == _NOT_SCORED[1] else value


def _dropdown(description, options, value):
    return widgets.Dropdown(description=description, options=options, value=value, style=ui.labelled_style,
                            layout=widgets.Layout(width="auto", max_width="460px"))


def comparison_table(*, site: str = "spine", painful_lesions: int = 1, worst_pain: int = 7, fracture: str = "none",
                     mirels_total: int | None = None, sins_total: int | None = 9, cord_compression: bool = False,
                     survival: str = SURVIVAL_BANDS[4][0], ecog: int = 1, prior_radiation: str = "none",
                     lesion_type: str = "lytic", hide_unsuitable: bool = False):
    """The whole comparison table, filtered and sorted by the patient's features. Returns the widget."""
    opts = D.patient_options()
    c = {
        "site": widgets.RadioButtons(description="Site of the painful metastasis", options=opts["sites"], value=site,
                                     style=ui.labelled_style, layout=widgets.Layout(width="auto")),
        "painful_lesions": widgets.IntSlider(value=painful_lesions, min=0, max=10, description="Painful metastases "
                                             "(number)", style=ui.labelled_style, continuous_update=False),
        "worst_pain": widgets.IntSlider(value=worst_pain, min=0, max=10, description="Worst pain (0–10 NRS)",
                                        style=ui.labelled_style, continuous_update=False),
        "fracture": _dropdown("Fracture at this site", opts["fracture"], fracture),
        "mirels_total": _dropdown("Mirels score (points, long bones)", [_NOT_SCORED] +
                                  [(str(i), i) for i in range(4, 13)], _NOT_SCORED[1] if mirels_total is None
                                  else mirels_total),
        "sins_total": _dropdown("SINS (points, spine)", [_NOT_SCORED] + [(str(i), i) for i in range(0, 19)],
                                _NOT_SCORED[1] if sins_total is None else sins_total),
        "cord_compression": widgets.ToggleButtons(description="Cord compression", options=[("no", False),
                                                  ("yes", True)], value=cord_compression, style=ui.labelled_style),
        "survival": _dropdown("Expected survival (months)", [b for b, _ in SURVIVAL_BANDS], survival),
        "ecog": _dropdown("Performance status (ECOG 0–4)", list(range(0, 5)), ecog),
        "prior_radiation": _dropdown("Radiation to this site", opts["prior_radiation"], prior_radiation),
        "lesion_type": _dropdown("Lesion on imaging", opts["lesion_type"], lesion_type),
        "sort": _dropdown("Sort rows by", _SORTS, _SORTS[0]),
        "hide": widgets.ToggleButtons(description="Rows", options=[("show all", False), ("hide not suitable", True)],
                                      value=hide_unsuitable, style=ui.labelled_style),
        "view": widgets.ToggleButtons(description="Columns", options=_VIEWS, value=_VIEWS[0], style=ui.labelled_style),
    }
    text = widgets.HTML()
    table = widgets.HTML()
    months = dict(SURVIVAL_BANDS)

    def patient() -> D.Patient:
        return D.Patient(site=c["site"].value, painful_lesions=c["painful_lesions"].value,
                         worst_pain=c["worst_pain"].value, fracture=c["fracture"].value,
                         mirels_total=_score(c["mirels_total"].value), sins_total=_score(c["sins_total"].value),
                         cord_compression=c["cord_compression"].value, survival_months=months[c["survival"].value],
                         ecog=c["ecog"].value, prior_radiation=c["prior_radiation"].value,
                         lesion_type=c["lesion_type"].value)

    def update(_change=None):
        try:
            decision = D.assess(patient())
        except (TypeError, ValueError) as exc:  # bounded controls make this unreachable; never show a traceback
            text.value = ui.message(str(exc), "error")
            return
        html, shown = table_html(decision, sort=c["sort"].value, hide_unsuitable=c["hide"].value,
                                 view=c["view"].value)
        n = decision.counts()
        best = [a.therapy.name for a in decision.assessments if a.verdict == "suitable"]
        text.value = ui.message(
            f"For this patient: {n['suitable']} suitable, {n['consider']} to consider, {n['not suitable']} not "
            f"suitable; {shown} rows shown. Suitable: {'; '.join(best) if best else 'none — see the reasons'}.",
            "info")
        table.value = html

    for w in c.values():
        w.observe(update, names="value")
    update()
    # Sliders first: they are keyboard-operable inside JupyterLab (arrow keys on the focused handle).
    patient_box = widgets.VBox([c[k] for k in ("painful_lesions", "worst_pain", "site", "fracture", "mirels_total",
                                               "sins_total", "cord_compression")])
    patient_box2 = widgets.VBox([c[k] for k in ("survival", "ecog", "prior_radiation", "lesion_type", "sort", "hide",
                                                "view")])
    return ui.app("Compare the local therapies for one patient",
                  [widgets.HBox([patient_box, patient_box2]), text, table], controls=c, text=text)


# ------------------------------------------------------------------------------------------------ tumour board


def _item_dropdown(item: scores.Item, name: str | None = None):
    return widgets.Dropdown(description=item.label, options=[("— choose —", None)] +
                            [(f"{o.wording} ({o.points})", o.value) for o in item.options], value=None,
                            style=ui.labelled_style, layout=widgets.Layout(width="auto", max_width="640px"))


_SIZE_FRACTION = {"< 1/3": 0.25, "1/3 to 2/3": 0.5, "> 2/3": 0.75}
#: Tokuhashi count options (as worded by scores.TOKUHASHI_ITEMS) → a representative count for tokuhashi_revised.
_COUNT = {"0": 0, "1": 1, "2": 2, "1-2": 1, "3+": 3}


def tumour_board(case_id: str | None = None):
    """Synthetic cases for a tumour board: score, choose, then compare with the reference reasoning."""
    cases = D.cases()
    by_id = {c.id: c for c in cases}
    case_dd = widgets.Dropdown(description="Case (synthetic)", options=[(c.title, c.id) for c in cases],
                               value=case_id or cases[0].id, style=ui.labelled_style,
                               layout=widgets.Layout(width="auto", max_width="520px"))
    vignette = widgets.HTML()
    fig, _axes, markers = score_bands_figure()
    # Only the markers and their labels move (the scales are fixed), so they are blitted over the drawn scales.
    pane = ui.FigurePane(fig, alt="Score scales for Mirels, SINS and Tokuhashi; no score calculated yet.",
                         animated=[a for pair in markers for a in pair])
    score_text = widgets.HTML()
    choice = widgets.RadioButtons(options=[], value=None, layout=widgets.Layout(width="auto"))
    reveal = widgets.Button(description="Show the board's reasoning", tooltip="Compare your choice with the reference")
    feedback = widgets.HTML()
    calc_box = widgets.VBox()

    m_items = {i.name: _item_dropdown(i) for i in scores.MIRELS_ITEMS}
    s_items = {i.name: _item_dropdown(i) for i in scores.SINS_ITEMS if i.name != "location"}
    s_level = widgets.Dropdown(description="Vertebral level", options=[("— choose —", None)] +
                               list(scores.SPINE_LEVELS), value=None, style=ui.labelled_style)
    t_items = {i.name: _item_dropdown(i) for i in scores.TOKUHASHI_ITEMS if i.name != "primary"}
    t_counts = {
        "primary": widgets.Dropdown(description="Primary tumour", options=[("— choose —", None)] +
                                    sorted(k for k in scores.TOKUHASHI_PRIMARY if k != "esophagus"), value=None,
                                    style=ui.labelled_style),
    }
    score_controls = {**{f"mirels_{k}": w for k, w in m_items.items()}, "sins_level": s_level,
                      **{f"sins_{k}": w for k, w in s_items.items()}, **{f"tokuhashi_{k}": w for k, w in t_items.items()},
                      **{f"tokuhashi_{k}": w for k, w in t_counts.items()}}

    def compute():
        case = by_id[case_dd.value]
        totals, lines = {"mirels": None, "sins": None, "tokuhashi": None}, []
        if "mirels" in case.calculator:
            vals = {k: w.value for k, w in m_items.items()}
            if None in vals.values():
                lines.append("Mirels: choose all four items.")
            else:
                r = scores.mirels(site=vals["site"], pain=vals["pain"], lesion=vals["lesion"],
                                  size_fraction=_SIZE_FRACTION[vals["size"]])
                totals["mirels"] = r.total
                lines.append(r.interpretation)
        if "sins" in case.calculator:
            vals = {k: w.value for k, w in s_items.items()}
            if None in vals.values() or s_level.value is None:
                lines.append("SINS: choose the level and all five items.")
            else:
                r = scores.sins(level=s_level.value, **vals)
                totals["sins"] = r.total
                lines.append(r.interpretation)
        if "tokuhashi" in case.calculator:
            vals = {**{k: w.value for k, w in t_items.items()}, **{k: w.value for k, w in t_counts.items()}}
            if None not in vals.values():
                for k in ("extraspinal_bone_foci", "vertebral_metastases"):
                    vals[k] = _COUNT[vals[k]]
            if None in vals.values():
                lines.append("Tokuhashi: choose all six items.")
            else:
                r = scores.tokuhashi_revised(**vals)
                totals["tokuhashi"] = r.total
                lines.append(r.interpretation)
        if case.calculator == "none":
            lines.append("No score is needed for this case: read the story and choose.")
        if totals != state.get("drawn"):  # redraw only when a total changed
            desc = draw_score_bands(markers, **totals)
            pane.refresh(alt=f"Score scales with your results marked. {desc}.")
            state["drawn"] = dict(totals)
        score_text.value = "".join(ui.message(x, "info") for x in lines)
        return totals

    def load_case(_change=None):
        case = by_id[case_dd.value]
        state["loading"] = True
        for w in score_controls.values():
            w.value = None
        state["loading"] = False
        boxes = []
        if "mirels" in case.calculator:
            boxes.append(widgets.HTML("<strong>Mirels score</strong> — pick each item from the story:"))
            boxes.extend(m_items.values())
        if "sins" in case.calculator:
            boxes.append(widgets.HTML("<strong>SINS</strong> — pick the level and each item from the story:"))
            boxes.extend([s_level, *s_items.values()])
        if "tokuhashi" in case.calculator:
            boxes.append(widgets.HTML("<strong>Revised Tokuhashi</strong> — predicted survival:"))
            boxes.extend([*t_items.values(), *t_counts.values()])
        calc_box.children = boxes
        vignette.value = (f"<div role='note' style='border:1px dashed currentColor;padding:6px 10px;font-size:15px'>"
                          f"<strong>{escape(case.title)}</strong> — <em>synthetic case, not a real patient.</em>"
                          f"<p style='margin:4px 0'>{escape(case.vignette)}</p>"
                          f"<p style='margin:4px 0'><strong>{escape(case.question)}</strong></p></div>")
        choice.options = list(case.options)
        choice.value = None
        feedback.value = ""
        compute()

    def on_score(_change=None):
        if not state["loading"]:
            compute()

    def on_reveal(_btn=None):
        case = by_id[case_dd.value]
        totals = compute()
        if choice.value is None:
            verdict = "You have not chosen an option yet; here is the reference reasoning."
        elif choice.value == case.answer:
            verdict = f"Your choice matches the reference: {case.answer}."
        else:
            verdict = f"The reference choice is: {case.answer} (you chose: {choice.value})."
        expected_scores = []
        for name in ("mirels", "sins", "tokuhashi"):
            data = getattr(case, name)
            if data is not None:
                mine = totals[name]
                status = "not yet scored" if mine is None else ("matches" if mine == data["total"] else
                                                               f"differs from your {mine}")
                expected_scores.append(f"{name.capitalize()} {data['total']} ({status})")
        decision = D.assess(case.patient)
        rows = "".join(
            f"<li>{escape(_SYMBOL[a.verdict])} — {escape(a.therapy.name)}: {escape(a.reasons[0].text)} "
            f"{cite_links(a.reasons[0].sources)}</li>"
            for a in decision.assessments if a.verdict != "not suitable")
        feedback.value = (
            ui.message(verdict, "ok" if choice.value == case.answer else "info")
            + (ui.message("Reference scores: " + "; ".join(expected_scores) + ".", "info") if expected_scores else "")
            + f"<p><strong>Reference reasoning.</strong> {escape(case.reasoning)} {cite_links(case.sources)}</p>"
            + "<p><strong>The rule engine's options for this case</strong> (everything else: not suitable):</p>"
            + f"<ul>{rows}</ul><p><em>{escape(decision.disclaimer)}</em></p>"
        )

    state = {"loading": False}
    for w in score_controls.values():
        w.observe(on_score, names="value")
    case_dd.observe(load_case, names="value")
    reveal.on_click(on_reveal)
    load_case()
    box = ui.app("Tumour board: synthetic cases",
                 [case_dd, vignette, calc_box, score_text, pane.widget,
                  widgets.HTML("<strong>Your choice</strong>"), choice, reveal, feedback],
                 controls={"case": case_dd, "choice": choice, "reveal": reveal, **score_controls},
                 text=score_text, pane=pane)
    box.feedback = feedback
    return box
