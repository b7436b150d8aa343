"""Widgets for the choosing-a-treatment lesson (thin views over ``bonemets_edu.decision``; no clinical logic here).

* ``comparison_table()`` — every local therapy in one cited table, filtered and sorted by the patient's features, with
  the engine's verdict and reasons on every row and a link to the source behind every cell.
* ``CaseConference`` (``case_conference()``; ``tumour_board()`` is the old name) — synthetic cases worked like a
  tumour board: score with lesson 03's calculators, commit a plan and a one-line justification, then see the
  reference plan, the engine's verdicts with reasons and sources, and what a good justification mentions; a what-if
  control changes one feature and shows which verdicts move.

For education only — not for treatment decisions.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import ipywidgets as widgets

from .. import cases as C
from .. import decision as D
from .. import references, scores, ui
from .._validate import require_choice
from ..disclaimer import SHORT
from ..display import escape
from ..text import cite
from .surgery import mirels_calculator, sins_calculator

__all__ = ["ComparisonTable", "comparison_table", "table_html", "CaseConference", "case_conference", "tumour_board", "shuffled_plans",
           "reveal_html", "verdicts_html", "what_if_html", "SURVIVAL_BANDS"]

#: Expected-survival choices → the months passed to the engine (the band's boundaries are the rules' thresholds).
SURVIVAL_BANDS = (
    ("under 1 month (about 3 weeks)", 0.7),
    ("1 to 3 months", 2.0),
    ("3 to 6 months", 4.5),
    ("6 to 12 months", 9.0),
    ("over 12 months", 18.0),
)
_SYMBOL = {"suitable": "✔ Suitable", "consider": "? Consider", "not suitable": "✘ Not suitable"}
_RANK = {v: i for i, v in enumerate(D.VERDICTS)}
_STYLE = {"suitable": "font-weight:bold", "consider": "font-style:italic", "not suitable": "text-decoration:none"}
_SORTS = ("verdict (suitable first)", "course order", "therapy group")
_VIEWS = ("verdicts and reasons", "full comparison table")  # (the second shows every column on each card)
_CSS = (
    # One card per therapy, as many columns as fit (no horizontal overflow at 1280×720 or 150 % zoom); text ≥ 14 px.
    "<style>.bm-cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,330px),1fr));gap:10px;"
    "font-size:15px;line-height:1.4;max-width:100%;overflow-wrap:anywhere}"
    ".bm-card{border:1px solid currentColor;border-radius:4px;padding:6px 10px;min-width:0}"
    ".bm-card-title{margin:0 0 4px 0;font-size:16px}"
    ".bm-verdict{display:inline-block;border:1px solid currentColor;border-radius:3px;padding:0 5px;margin:2px 0}"
    ".bm-card ul{margin:2px 0;padding-left:1.1em}.bm-card dl{margin:4px 0}.bm-card dt{font-weight:bold;margin-top:4px}"
    ".bm-card dd{margin:0 0 0 0.6em}.bm-ref{font-size:14px}.bm-gap{font-style:italic}"
    ".bm-cards-caption{font-size:15px;margin:4px 0}</style>"
)


#: How the lesson cites its sources: "[Author 2014]" links with the full citation as a tooltip (``text.cite``).
_LINKS = {"style": "html", "parens": False, "sep": " ", "brackets": True, "tooltip": True, "css_class": "bm-ref"}


@functools.cache
def _cell_html(therapy_id: str, column: str) -> str:
    t = next(x for x in D.therapies() if x.id == therapy_id)
    cell = t.cells[column]
    text = escape(cell.text)
    if cell.gap:
        text = f'<span class="bm-gap">Not found: {text}</span>'
    return f"{text} {cite(cell.sources, **_LINKS)}"


def _reasons_html(assessment: D.Assessment) -> str:
    items = []
    for r in assessment.reasons:
        word = "caution" if r.note else {"suitable": "supports",
                                          "consider": "consider" if not r.limits else "limits to 'consider'",
                                          "not suitable": "against"}[r.verdict]
        items.append(f"<li><strong>{escape(r.title)}</strong> ({escape(word)}): {escape(r.text)} "
                     f"{cite(r.sources, **_LINKS)}</li>")
    return f"<ul style='margin:0;padding-left:1.1em'>{''.join(items)}</ul>"


def table_html(decision: D.Decision, *, sort: str = _SORTS[0], hide_unsuitable: bool = False,
               view: str = _VIEWS[0]) -> tuple[str, int]:
    """The comparison as one card per therapy (verdict, reasons, then the table's columns) and the number of cards
    shown. A pure function of its inputs (easy to test). Cards reflow to the width available, so nothing is hidden
    sideways; ``view`` picks the columns: the two key ones, or the full comparison."""
    rank = {v: i for i, v in enumerate(reversed(D.VERDICTS))}
    rows = list(decision.assessments)
    if sort == _SORTS[0]:
        rows.sort(key=lambda a: (rank[a.verdict], a.therapy.order))
    elif sort == _SORTS[2]:
        rows.sort(key=lambda a: (a.therapy.group, a.therapy.order))
    if hide_unsuitable:
        rows = [a for a in rows if a.verdict != "not suitable"]
    columns = D.COLUMNS if view == _VIEWS[1] else tuple(c for c in D.COLUMNS if c[0] in ("best_for", "evidence"))
    cards = []
    for a in rows:
        facts = "".join(f"<dt>{escape(h)}</dt><dd>{_cell_html(a.therapy.id, c)}</dd>" for c, h in columns)
        cards.append(
            f"<section class='bm-card' data-therapy='{escape(a.therapy.id)}' aria-label='{escape(a.therapy.name)}'>"
            f"<p class='bm-card-title'><strong>{escape(a.therapy.name)}</strong> ({escape(a.therapy.group)})"
            f"</p><p style='margin:0'>Verdict for this patient: <span class='bm-verdict' "
            f"data-verdict='{escape(a.verdict)}' style='{_STYLE[a.verdict]}'>{escape(_SYMBOL[a.verdict])}</span></p>"
            f"<p style='margin:4px 0 0 0'><strong>Why</strong></p>{_reasons_html(a)}<dl>{facts}</dl></section>"
        )
    if not cards:
        cards.append("<p>No therapy is suitable or worth considering for these features in this teaching set. Show "
                     "all therapies to read why.</p>")
    html = (f"{_CSS}<p class='bm-cards-caption'>Local therapies for this patient — {len(rows)} of "
            f"{len(decision.assessments)} shown, one card each. Every statement links to its source.</p>"
            f"<div class='bm-cards'>{''.join(cards)}</div>")
    return html, len(rows)


#: Dropdown option for an unscored score (ipywidgets treats a value of None as "nothing selected", so use -1).
_NOT_SCORED = ("not scored", -1)


def _score(value: int) -> int | None:
    return None if value == _NOT_SCORED[1] else value


def _dropdown(description, options, value):
    return widgets.Dropdown(description=description, options=options, value=value, style=ui.labelled_style,
                            layout=widgets.Layout(width="auto", max_width="460px"))


class ComparisonTable(ui.App):
    """Every local therapy on a cited card, rated for one patient (``decision.assess``), filtered and sorted.

    Public: the controls (named in ``CONTROLS``), ``text`` (the summary line) and ``table`` (the cards); ``state()`` is
    the patient the controls describe (pure); ``refresh()`` shows the engine's verdicts for it.
    """

    TITLE = "Compare the local therapies for one patient"
    CONTROLS = ("site", "painful_lesions", "worst_pain", "fracture", "mirels_total", "sins_total", "cord_compression",
                "survival", "ecog", "prior_radiation", "lesion_type", "sort", "hide", "view")

    def __init__(self, *, site: str = "spine", painful_lesions: int = 1, worst_pain: int = 7, fracture: str = "none",
                 mirels_total: int | None = None, sins_total: int | None = 9, cord_compression: bool = False,
                 survival: str = SURVIVAL_BANDS[4][0], ecog: int = 1, prior_radiation: str = "none",
                 lesion_type: str = "lytic", hide_unsuitable: bool = False):
        opts = D.patient_options()
        self.site = widgets.RadioButtons(description="Site of the painful metastasis", options=opts["sites"],
                                         value=site, style=ui.labelled_style, layout=widgets.Layout(width="auto"))
        self.painful_lesions = widgets.IntSlider(value=painful_lesions, min=0, max=10,
                                                 description="Painful metastases (number)", style=ui.labelled_style,
                                                 continuous_update=False)
        self.worst_pain = widgets.IntSlider(value=worst_pain, min=0, max=10, description="Worst pain (0–10 NRS)",
                                            style=ui.labelled_style, continuous_update=False)
        self.fracture = _dropdown("Fracture at this site", opts["fracture"], fracture)
        self.mirels_total = _dropdown("Mirels score (points, long bones)",
                                      [_NOT_SCORED] + [(str(i), i) for i in range(4, 13)],
                                      _NOT_SCORED[1] if mirels_total is None else mirels_total)
        self.sins_total = _dropdown("SINS (points, spine)", [_NOT_SCORED] + [(str(i), i) for i in range(0, 19)],
                                    _NOT_SCORED[1] if sins_total is None else sins_total)
        self.cord_compression = widgets.ToggleButtons(description="Cord compression", options=[("no", False),
                                                      ("yes", True)], value=cord_compression,
                                                      style=ui.labelled_style)
        self.survival = _dropdown("Expected survival (months)", [b for b, _ in SURVIVAL_BANDS], survival)
        self.ecog = _dropdown("Performance status (ECOG 0–4)", list(range(0, 5)), ecog)
        self.prior_radiation = _dropdown("Radiation to this site", opts["prior_radiation"], prior_radiation)
        self.lesion_type = _dropdown("Lesion on imaging", opts["lesion_type"], lesion_type)
        self.sort = _dropdown("Sort rows by", _SORTS, _SORTS[0])
        self.hide = widgets.ToggleButtons(description="Therapies", options=[("show all", False),
                                                                            ("hide not suitable", True)],
                                          value=hide_unsuitable, style=ui.labelled_style)
        self.view = widgets.ToggleButtons(description="On each card", options=_VIEWS, value=_VIEWS[0],
                                          style=ui.labelled_style)
        self.text = widgets.HTML()
        self.table = widgets.HTML()
        # Sliders first: they are keyboard-operable inside JupyterLab (arrow keys on the focused handle).
        patient_box = widgets.VBox([self.painful_lesions, self.worst_pain, self.site, self.fracture,
                                    self.mirels_total, self.sins_total, self.cord_compression])
        patient_box2 = widgets.VBox([self.survival, self.ecog, self.prior_radiation, self.lesion_type, self.sort,
                                     self.hide, self.view])
        super().__init__([widgets.HBox([patient_box, patient_box2],
                                       layout=widgets.Layout(flex_flow="row wrap", max_width="100%")),
                          self.text, self.table])
        self.observe_controls()
        self.refresh()

    def state(self) -> D.Patient:
        """The patient the controls describe."""
        return D.Patient(site=self.site.value, painful_lesions=self.painful_lesions.value,
                         worst_pain=self.worst_pain.value, fracture=self.fracture.value,
                         mirels_total=_score(self.mirels_total.value), sins_total=_score(self.sins_total.value),
                         cord_compression=self.cord_compression.value,
                         survival_months=dict(SURVIVAL_BANDS)[self.survival.value], ecog=self.ecog.value,
                         prior_radiation=self.prior_radiation.value, lesion_type=self.lesion_type.value)

    def refresh(self, _change=None) -> None:
        try:
            decision = D.assess(self.state())
        except (TypeError, ValueError) as exc:  # bounded controls make this unreachable; never show a traceback
            self.text.value = ui.message(str(exc), "error")
            return
        html, shown = table_html(decision, sort=self.sort.value, hide_unsuitable=self.hide.value,
                                 view=self.view.value)
        n = decision.counts()
        best = [a.therapy.name for a in decision.assessments if a.verdict == "suitable"]
        self.text.value = ui.message(
            f"For this patient: {n['suitable']} suitable, {n['consider']} to consider, {n['not suitable']} not "
            f"suitable; {shown} therapies shown. Suitable: {'; '.join(best) if best else 'none — see the reasons'}.",
            "info")
        self.table.value = html


def comparison_table(*, site: str = "spine", painful_lesions: int = 1, worst_pain: int = 7, fracture: str = "none",
                     mirels_total: int | None = None, sins_total: int | None = 9, cord_compression: bool = False,
                     survival: str = SURVIVAL_BANDS[4][0], ecog: int = 1, prior_radiation: str = "none",
                     lesion_type: str = "lytic", hide_unsuitable: bool = False) -> ComparisonTable:
    """The whole comparison table, filtered and sorted by the patient's features. Returns the widget."""
    return ComparisonTable(site=site, painful_lesions=painful_lesions, worst_pain=worst_pain, fracture=fracture,
                           mirels_total=mirels_total, sins_total=sins_total, cord_compression=cord_compression,
                           survival=survival, ecog=ecog, prior_radiation=prior_radiation, lesion_type=lesion_type,
                           hide_unsuitable=hide_unsuitable)


# ------------------------------------------------------------------------------------------------ case conference


def shuffled_plans(case: C.Case) -> tuple[C.Plan, ...]:
    """The case's plans in a deterministic shuffled order, seeded by the case id (same order on every run)."""
    order = list(case.plans)
    random.Random(f"bonemets-edu:{case.id}").shuffle(order)
    return tuple(order)


#: Mirels size bands → a fraction inside the band (the score depends only on the band), for ``scores.mirels``.
_MIRELS_SIZE = {"< 1/3": 1 / 6, "1/3 to 2/3": 1 / 2, "> 2/3": 5 / 6}


@dataclass(frozen=True)
class Commitment:
    """What a student committed to for one case: a plan id and a one-line justification (free text, kept as data)."""

    plan_id: str
    justification: str


@dataclass(frozen=True)
class ConferenceState:
    """Everything the case conference shows, computed from its controls and the commitments (no widgets inside)."""

    case: C.Case
    order: tuple[C.Plan, ...]
    chosen: str | None
    justification: str
    commitment: Commitment | None
    revealed: bool
    scores: Mapping[str, int | None]
    decision: D.Decision | None
    what_if: tuple[str, Any, tuple[D.Change, ...]] | None
    message: str


def _vignette_html(case: C.Case) -> str:
    return (f"<div role='note' class='bm-case'><strong>{escape(case.title)}</strong> — <em>synthetic case, not a real "
            f"patient.</em><p style='margin:4px 0'>{escape(case.vignette)}</p>"
            f"<p style='margin:4px 0'><strong>{escape(case.question)}</strong></p></div>")


def _reasons_list(assessment: D.Assessment) -> str:
    """Each reason as: rule, reason, source link."""
    items = "".join(
        f"<li><strong>Rule:</strong> {escape(r.title)} <span class='bm-why'>({escape(_REASON_WORD[(r.verdict, r.limits)])})"
        f"</span> — {escape(r.text)} {cite(r.sources, **_LINKS)}</li>" for r in assessment.reasons)
    return f"<ul class='bm-reasons'>{items}</ul>"


_REASON_WORD = {("suitable", False): "supports", ("consider", False): "consider", ("consider", True): "limits to consider",
                ("not suitable", True): "against", ("not suitable", False): "against", ("suitable", True): "supports"}


def verdicts_html(decision: D.Decision, highlight: tuple[str, ...] = ()) -> str:
    """The engine's verdicts, every reason as rule, reason and source link. The therapies in ``highlight`` (the plans
    being compared) come first with their reasons shown; every other therapy that is suitable or to consider follows
    with its reasons folded (``<details>``), so the reveal stays short to read; the rest are counted."""
    order = sorted(decision.assessments, key=lambda a: (a.therapy.id not in highlight, -_RANK[a.verdict],
                                                        a.therapy.order))
    shown, folded, hidden = [], [], 0
    for a in order:
        head = f"{escape(_SYMBOL[a.verdict])} — {escape(a.therapy.name)}"
        if a.therapy.id in highlight:
            shown.append(f"<li><strong>{head}</strong> <em>(in a plan above)</em>{_reasons_list(a)}</li>")
        elif a.verdict == "not suitable":
            hidden += 1
        else:
            n = len(a.reasons)
            folded.append(f"<li><details><summary>{head} ({n} reason{'s' if n != 1 else ''})</summary>"
                          f"{_reasons_list(a)}</details></li>")
    return (f"<ul class='bm-verdicts'>{''.join(shown)}</ul>"
            + (f"<p>Also open to this patient (press a line to read the rules):</p><ul class='bm-verdicts'>"
               f"{''.join(folded)}</ul>" if folded else "")
            + f"<p>{hidden} other therapies are not suitable for this patient (the comparison cards say why).</p>")


def _points_table(case: C.Case, justification: str) -> str:
    points = "".join(
        f"<li>{escape(p.text)} {cite(p.sources, **_LINKS)}"
        + (f" <span class='bm-loc'>(where: {escape(p.locator)})</span>" if p.locator else "") + "</li>"
        for p in case.points)
    return ("<table class='bm-compare'><thead><tr><th scope='col'>Your justification</th>"
            "<th scope='col'>What a good justification mentions</th></tr></thead><tbody><tr>"
            f"<td>{escape(justification) or '<em>(empty)</em>'}</td><td><ul>{points}</ul></td></tr></tbody></table>")


def _views_html(case: C.Case) -> str:
    if not case.views:
        return ""
    views = "".join(f"<li><strong>{escape(v.specialty)}:</strong> {escape(v.text)} {cite(v.sources, **_LINKS)}</li>"
                    for v in case.views)
    pref = f"<p><strong>The patient:</strong> {escape(case.preference)}</p>" if case.preference else ""
    return f"<p><strong>Around the table</strong></p><ul>{views}</ul>{pref}"


def reveal_html(state: ConferenceState) -> str:
    """The reveal: the student's plan next to the reference, the reasoning, the key points next to the student's own
    text, and the engine's verdicts with reasons and sources. Learner text is escaped."""
    case, c = state.case, state.commitment
    if c is None or not state.revealed or state.decision is None:
        return ""
    mine = case.plan(c.plan_id)
    same = mine.id == case.reference.id
    headline = (f"Your plan matches the reference: {case.reference.text}." if same else
                f"The reference plan is: {case.reference.text}. You committed to: {mine.text}.")
    score_lines = []
    for name in ("mirels", "sins", "tokuhashi"):
        data = getattr(case, name)
        if data is not None:
            yours = state.scores.get(name)
            status = ("not scored in the calculator" if yours is None else
                      "matches yours" if yours == data["total"] else f"yours was {yours}")
            score_lines.append(f"{name.capitalize() if name != 'sins' else 'SINS'} {data['total']} ({status})")
    scores_html = ui.message("Reference scores: " + "; ".join(score_lines) + ".", "info") if score_lines else ""
    return (
        ui.message(headline, "ok" if same else "info") + scores_html
        + f"<p><strong>Reference reasoning.</strong> {escape(case.reasoning)} {cite(case.sources, **_LINKS)}"
        + "".join(f" <span class='bm-loc'>({escape(references.short(k))}: {escape(v)})</span>"
                  for k, v in case.locators.items()) + "</p>"
        + _views_html(case)
        + _points_table(case, c.justification)
        + "<p><strong>The rule engine's verdicts for this patient</strong> (each reason: rule, reason, source):</p>"
        + verdicts_html(state.decision, tuple(dict.fromkeys((*case.reference.therapies, *mine.therapies))))
        + f"<p><em>{escape(state.decision.disclaimer)}</em></p>"
    )


def what_if_html(state: ConferenceState) -> str:
    """Which verdicts move when one feature changes, and the rules that now decide them."""
    if not state.revealed:
        return ui.message("Commit a plan and reveal the board's reasoning first; then change one feature here.", "info")
    if state.what_if is None:
        return ui.message("Pick a feature and a new value to see which verdicts move.", "info")
    feature, value, moved = state.what_if
    label, choices = C.WHAT_IF_FIELDS[feature]
    shown = next((k for k, v in choices if v == value), str(value))
    if not moved:
        return ui.message(f"With {label.lower()} = {shown}, no verdict changes for this patient.", "info")
    def rules(title: str, reasons) -> str:
        if not reasons:
            return ""
        lines = "".join(f"<li><strong>Rule:</strong> {escape(r.title)} — {escape(r.text)} {cite(r.sources, **_LINKS)}</li>"
                        for r in reasons)
        return f"<p style='margin:2px 0'>{escape(title)}</p><ul class='bm-reasons'>{lines}</ul>"

    items = "".join(
        f"<li><strong>{escape(m.name)}:</strong> {escape(_SYMBOL[m.before])} → {escape(_SYMBOL[m.after])}"
        + rules("Now applies:", m.added) + rules("No longer applies:", m.removed)
        + ("" if (m.added or m.removed) else rules("Deciding now:", [r for r in m.reasons if r.verdict == m.after]))
        + "</li>" for m in moved)
    return (ui.message(f"With {label.lower()} = {shown}, {len(moved)} verdict(s) move:", "info")
            + f"<ul class='bm-verdicts'>{items}</ul>")


_CONF_CSS = (
    "<style>.bm-conf{font-size:15px;line-height:1.4;max-width:100%;overflow-wrap:anywhere}"
    ".bm-conf .bm-case{border:1px dashed currentColor;padding:6px 10px}"
    ".bm-conf table.bm-compare{border-collapse:collapse;width:100%;table-layout:fixed}"
    ".bm-conf .bm-compare th,.bm-conf .bm-compare td{border:1px solid currentColor;padding:4px 6px;"
    "vertical-align:top;text-align:left}"
    ".bm-conf .bm-ref{font-size:14px}.bm-conf .bm-loc{font-size:14px;font-style:italic}"
    ".bm-conf ul{margin:2px 0;padding-left:1.2em}</style>"
)


class CaseConference(widgets.VBox):
    """The case conference: for each synthetic case, commit a plan and a one-line justification, then reveal the
    reference plan, the engine's verdicts (rule, reason, source) and the key points next to your own text; a what-if
    control changes one feature and shows which verdicts move. Scores are worked out with lesson 03's calculators.

    For education only — not for treatment decisions."""

    def __init__(self, case_id: str | None = None, *, include_worked: bool = True):
        all_cases = C.cases() if include_worked else tuple(c for c in C.cases() if not c.worked)
        self.cases = {c.id: c for c in all_cases}
        first = case_id or all_cases[0].id
        require_choice("case_id", first, tuple(self.cases))
        self.commitments: dict[str, Commitment] = {}
        self.revealed: set[str] = set()
        self.case = widgets.Dropdown(description="Case (synthetic)", options=[(c.title, c.id) for c in all_cases],
                                     value=first, style=ui.labelled_style,
                                     layout=widgets.Layout(width="auto", max_width="640px"))
        self.vignette = widgets.HTML()
        # lesson 03's calculators, reused as they are (built once, reset when the case changes)
        self.mirels = mirels_calculator()
        self.sins = sins_calculator()
        self.calculators = widgets.Accordion(children=[], layout=widgets.Layout(width="auto"))
        self.plan = widgets.RadioButtons(options=[], value=None, description="Your plan",
                                         style=ui.labelled_style, layout=widgets.Layout(width="auto"))
        self.justification = widgets.Text(value="", description="Your one-line justification",
                                          placeholder="e.g. the feature that decides it, and the evidence",
                                          style=ui.labelled_style,
                                          layout=widgets.Layout(width="auto", max_width="640px"))
        self.commit = widgets.Button(description="Commit my plan", tooltip="Lock in your plan and justification",
                                     layout=widgets.Layout(width="auto"))
        self.reveal = widgets.Button(description="Show the board's reasoning", disabled=True,
                                     tooltip="Available after you commit a plan", layout=widgets.Layout(width="auto"))
        self.status = widgets.HTML()
        self.feedback = widgets.HTML()
        self.what_if_feature = widgets.Dropdown(description="What if… (change one feature)",
                                                options=[(label, k) for k, (label, _) in C.WHAT_IF_FIELDS.items()],
                                                tooltip="The patient feature to change; the other features stay",
                                                value="survival_months", style=ui.labelled_style,
                                                layout=widgets.Layout(width="auto", max_width="640px"))
        self.what_if_value = widgets.Dropdown(description="New value", options=[], value=None,
                                              style=ui.labelled_style, layout=widgets.Layout(width="auto"))
        self.what_if_text = widgets.HTML()
        self.text = self.status  # (the harness and tests read .text)
        self.controls = {"case": self.case, "plan": self.plan, "justification": self.justification,
                         "commit": self.commit, "reveal": self.reveal, "what_if_feature": self.what_if_feature,
                         "what_if_value": self.what_if_value,
                         **{f"mirels_{k}": w for k, w in self.mirels.controls.items()},
                         **{f"sins_{k}": w for k, w in self.sins.controls.items()}}
        self.pane = None
        head = widgets.HTML(f"{_CONF_CSS}<div class='bm-conf'><strong style='font-size:1.15em'>Case conference: "
                            f"commit, then compare</strong><br><em>{escape(SHORT)}</em></div>")
        super().__init__([head, self.case, self.vignette, self.calculators, self.plan, self.justification,
                          widgets.HBox([self.commit, self.reveal], layout=widgets.Layout(flex_flow="row wrap")),
                          self.status, self.feedback,
                          widgets.HBox([self.what_if_feature, self.what_if_value],
                                       layout=widgets.Layout(flex_flow="row wrap")),
                          self.what_if_text], layout=widgets.Layout(max_width="100%"))
        self.add_class("bm-conf")
        self.case.observe(self._on_case, names="value")
        self.what_if_feature.observe(self._on_feature, names="value")
        self.what_if_value.observe(self.refresh, names="value")
        self.plan.observe(self.refresh, names="value")
        self.commit.on_click(self._on_commit)
        self.reveal.on_click(self._on_reveal)
        self._on_case()

    # --- state --------------------------------------------------------------------------------------------------

    def current(self) -> C.Case:
        return self.cases[self.case.value]

    def _scores(self) -> dict[str, int | None]:
        m = {k: w.value for k, w in self.mirels.controls.items()}
        s = {k: w.value for k, w in self.sins.controls.items()}
        out: dict[str, int | None] = {"mirels": None, "sins": None, "tokuhashi": None}
        if None not in m.values():
            out["mirels"] = scores.mirels(site=m["site"], pain=m["pain"], lesion=m["lesion"],
                                          size_fraction=_MIRELS_SIZE[m["size"]]).total
        if None not in s.values():
            out["sins"] = scores.sins(**s).total
        return out

    def state(self, message: str = "") -> ConferenceState:
        """Pure: the current controls and commitments → what the widget shows."""
        case = self.current()
        commitment = self.commitments.get(case.id)
        revealed = case.id in self.revealed and commitment is not None
        decision = D.assess(case.patient) if revealed else None
        what_if = None
        if revealed and self.what_if_value.value is not None:
            feature = self.what_if_feature.value
            value = dict(enumerate(v for _k, v in C.what_if_choices(case.patient, feature)))[int(self.what_if_value.value)]
            what_if = (feature, value, C.what_if(case.patient, feature, value)[2])
        return ConferenceState(case, shuffled_plans(case), self.plan.value, self.justification.value, commitment,
                               revealed, MappingProxyType(self._scores()), decision, what_if, message)

    # --- events -------------------------------------------------------------------------------------------------

    def _on_case(self, _change=None):
        case = self.current()
        for calc in (self.mirels, self.sins):
            for w in calc.controls.values():
                w.value = None
        calcs = [(n, w) for n, w in (("mirels", self.mirels), ("sins", self.sins)) if n in case.calculator]
        self.calculators.children = [w for _, w in calcs]
        for i, (n, _) in enumerate(calcs):
            self.calculators.set_title(i, f"Score it yourself: {'Mirels' if n == 'mirels' else 'SINS'} "
                                          f"calculator (lesson 03)")
        self.calculators.selected_index = None
        self.vignette.value = _vignette_html(case)
        old = self.commitments.get(case.id)
        self.plan.options = [(p.text, p.id) for p in shuffled_plans(case)]
        self.plan.value = old.plan_id if old else None
        self.justification.value = old.justification if old else ""
        features = [(label, k) for k, (label, _) in C.WHAT_IF_FIELDS.items()
                    if len(C.what_if_choices(case.patient, k, at_most=2)) >= 2]
        keep = self.what_if_feature.value if any(k == self.what_if_feature.value for _, k in features) else \
            "survival_months"
        self.what_if_feature.unobserve(self._on_feature, names="value")  # (one refresh below, not one per step)
        self.what_if_feature.options = features
        self.what_if_feature.value = keep
        self.what_if_feature.observe(self._on_feature, names="value")
        self._on_feature()

    def _on_feature(self, _change=None):
        case = self.current()
        choices = C.what_if_choices(case.patient, self.what_if_feature.value)
        current = getattr(case.patient, self.what_if_feature.value)
        self.what_if_value.options = [("— choose —", None)] + [
            (f"{k} (as in the story)" if v == current else k, str(i)) for i, (k, v) in enumerate(choices)]
        self.what_if_value.value = None
        self.refresh()

    def _on_commit(self, _button=None):
        case = self.current()
        if self.plan.value is None:
            self.refresh(message="Choose a plan before you commit.")
            return
        text = " ".join(self.justification.value.split())
        if not text:
            self.refresh(message="Write a one-line justification before you commit: the feature that decides it "
                                 "and the evidence.")
            return
        self.commitments[case.id] = Commitment(self.plan.value, text[:400])
        self.revealed.discard(case.id)
        self.refresh(message="Committed. Press “Show the board's reasoning” when you are ready.")

    def _on_reveal(self, _button=None):
        case = self.current()
        if case.id in self.commitments:
            self.revealed.add(case.id)
        self.refresh()

    def refresh(self, _change=None, message: str = ""):
        st = self.state(message)
        c = st.commitment
        if st.message:
            status = ui.message(st.message, "info")
        elif c is None:
            status = ui.message("Choose a plan, write one line on why, then commit.", "info")
        else:
            status = ui.message(f"You committed to: {st.case.plan(c.plan_id).text}. Your reason: {c.justification}",
                                "info")
        self.status.value = status
        self.reveal.disabled = c is None
        self.reveal.tooltip = "Compare with the reference" if c else "Available after you commit a plan"
        self.feedback.value = reveal_html(st)
        self.what_if_text.value = what_if_html(st)


def case_conference(case_id: str | None = None, *, include_worked: bool = True) -> CaseConference:
    """Build the case conference widget (see :class:`CaseConference`)."""
    return CaseConference(case_id, include_worked=include_worked)


def tumour_board(case_id: str | None = None) -> CaseConference:
    """The tumour board of earlier versions: now the case conference (same cases, lesson 03's calculators)."""
    return CaseConference(case_id)
