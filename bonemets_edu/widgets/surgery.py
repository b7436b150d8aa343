"""Widgets of the surgery lesson: Mirels and SINS calculators, a spine map and a "Which fixation?" explorer.

Thin views: the points, totals, categories and verdicts come from ``bonemets_edu.scores`` and the cited records of
``data/surgery.toml``; each widget owns one persistent figure (``FigurePane``), updates its artists in place and
writes the result as text too. Calculator inputs start unanswered (no pre-selected answers), like the clinical
calculator sites; every control is a native button or dropdown, so a keyboard alone can operate it.
"""

from __future__ import annotations

import ipywidgets as widgets

from .. import references, scores
from .._validate import require_choice
from ..display import escape
from ..evidence import load_records
from ..figures import surgery as figs
from ..text import cite
from ..ui import App, FigurePane, labelled_style, message

__all__ = ["MirelsCalculator", "SinsCalculator", "SpineMapExplorer", "WhichFixation", "mirels_calculator",
           "sins_calculator", "spine_map_explorer", "which_fixation", "evidence_html"]

#: Sources as plain author–year labels, HTML-escaped (``text.cite``).
_PLAIN = {"style": "plain", "parens": False}

#: A size fraction inside each Mirels size band: the score only depends on the band, so the calculator passes the
#: middle of the band the learner picked (1/6, 1/2, 5/6 of the diameter) to ``scores.mirels``.
_SIZE_FRACTION = {"< 1/3": 1 / 6, "1/3 to 2/3": 1 / 2, "> 2/3": 5 / 6}

_VERDICT_MARK = {
    "listed": "✔ named by the guideline",
    "possible": "◯ possible",
    "not usually": "✘ not usually",
    "no data": "? no figure found",
}


def _pane(handle, alt: str, cache: bool) -> FigurePane:
    """The widget's figure pane: only ``handle.artists`` move, so they are blitted over the static drawing, and each
    figure depends on a small discrete state (a total, a level, a site), so its image is memoised per state.
    ``cache=False`` turns the memo off (the benchmark uses it to report the cost of a first visit honestly)."""
    return FigurePane(handle.fig, alt, animated=handle.artists, cache=cache)


def _radio(item: scores.Item, *, unit: str = "") -> widgets.ToggleButtons:
    """One score item as a group of toggle buttons: one button per answer, with the published wording and points.

    Toggle buttons (not radio buttons) because each answer is a real <button>: Tab reaches it and Space or Enter
    picks it, even inside JupyterLab, whose command mode captures the arrow keys that radio groups rely on.
    Nothing is pre-selected (``value=None``).
    """
    desc = item.label + (f" ({unit})" if unit else "")
    return widgets.ToggleButtons(
        options=[(f"{o.wording} [{o.points} pt{'s' if o.points != 1 else ''}]", o.value) for o in item.options],
        value=None,
        description=desc,
        tooltips=[f"{item.label}: {o.wording} ({o.points} points)" for o in item.options],
        style={"description_width": "initial", "button_width": "auto"},
        layout=widgets.Layout(width="auto", flex_flow="row wrap"),
    )


def evidence_html(score: str) -> str:
    """The evidence lines of one score (accuracy and known limits) from ``surgery.toml``, each with its source."""
    recs = load_records(
        "surgery.toml",
        "score_evidence",
        schema={"score": str, "kind": str, "text": str, "numbers": list},
        optional={"see_also": str},
    )
    items = []
    for r in recs:
        if r["score"] != score:
            continue
        kind = {"accuracy": "Accuracy", "limit": "Limit", "reading": "Reading"}[r["kind"]]
        extra = (
            f' (see also <a href="{escape(r["see_also"])}">the Dutch guideline module</a>)' if "see_also" in r else ""
        )
        items.append(
            f"<li><strong>{kind}:</strong> {escape(r['text'])} <em>[{cite([r['source']], **_PLAIN)}]</em>{extra}</li>"
        )
    return "<ul style='margin:2px 0'>" + "".join(items) + "</ul>"


def _points_table(rows) -> str:
    body = "".join(
        f"<tr><td style='padding:1px 8px'>{escape(a)}</td><td style='padding:1px 8px'>{escape(b)}</td>"
        f"<td style='padding:1px 8px;text-align:right'>{escape(c)}</td></tr>"
        for a, b, c in rows
    )
    return (
        "<table role='table' style='border-collapse:collapse'><thead><tr><th style='text-align:left;padding:1px 8px'>"
        "Item</th><th style='text-align:left;padding:1px 8px'>Answer</th><th style='padding:1px 8px'>Points</th>"
        f"</tr></thead><tbody>{body}</tbody></table>"
    )


def _section(title: str, html: str) -> widgets.HTML:
    return widgets.HTML(f"<div style='max-width:720px'><strong>{escape(title)}</strong><br>{html}</div>")


# --------------------------------------------------------------------------------------------------------- Mirels


def _answers(controls) -> dict | None:
    """{item: chosen value} of a score calculator, or None while an item is still unanswered (nothing pre-selected)."""
    answers = {k: c.value for k, c in controls.items()}
    return None if any(v is None for v in answers.values()) else answers


def _calculator_children(score, head, controls, text, pane, refs) -> list:
    """The calculator layout clinicians know: purpose and inputs, then result, evidence and references."""
    tail = [
        _section("Result", ""),
        text,
        pane.widget,
        _section("Evidence and limits", evidence_html(score)),
        _section("References", escape(references.bibliography(refs)).replace("\n", "<br>")),
    ]
    return [*head, *controls, *tail]


class MirelsCalculator(App):
    """Mirels score calculator (long bones): four unanswered items → points, total, risk band, both readings of 8."""

    TITLE = "Mirels score — risk of a pathological fracture in a long bone"
    CONTROLS = ("site", "pain", "lesion", "size")

    def __init__(self, *, cache: bool = True):
        self.items = items = {i.name: i for i in scores.MIRELS_ITEMS}
        self.site = _radio(items["site"])
        self.pain = _radio(items["pain"])
        self.lesion = _radio(items["lesion"])
        self.size = _radio(items["size"], unit="fraction of bone width; sources differ: diameter or cortex")
        self.plot = figs.score_scale("mirels", None)
        self.pane = _pane(self.plot, "Mirels scale 4 to 12 with its bands; no total yet.", cache)
        self.text = widgets.HTML()
        head = [
            _section(
                "Purpose",
                "Estimates whether a metastasis in a long bone (arm or leg) is likely to break, to decide "
                "between radiotherapy alone and an operation that fixes the bone before it breaks.",
            ),
            _section(
                "When to use",
                "A known metastasis in a long bone, before treatment. Not for the spine (use SINS) "
                "and not once the bone has already broken.",
            ),
            widgets.HTML("<strong>Inputs</strong> — pick one answer per item (nothing is pre-selected):"),
        ]
        refs = [scores.MIRELS_SOURCE, *scores.MIRELS_TABLE_SOURCES, "damron2003", "radiopaedia_mirels",
                "ramsey2020", "tat2023", "vanderlinden2004_femur"]
        super().__init__(_calculator_children("mirels", head, self.controls.values(), self.text, self.pane, refs))
        self.observe_controls()
        self.refresh()

    def state(self):
        """The Mirels result for the answers given, or None while an item is unanswered."""
        answers = _answers(self.controls)
        if answers is None:
            return None
        return scores.mirels(site=answers["site"], pain=answers["pain"], lesion=answers["lesion"],
                             size_fraction=_SIZE_FRACTION[answers["size"]])

    def refresh(self, _change=None) -> None:
        items, pane, text, scale = self.items, self.pane, self.text, self.plot
        answers = {k: c.value for k, c in self.controls.items()}
        missing = [items[k].label.split(" (")[0] for k, v in answers.items() if v is None]
        if missing:
            text.value = message(
                f"{4 - len(missing)} of 4 items answered. Still to answer: {', '.join(missing)}.", "info"
            )
            pane.show(
                None,
                lambda: scale.update(None),
                "Mirels scale 4 to 12: 7 or lower observe, 8 judgement (table) or fixation (abstract), "
                "9 or higher fixation. No total placed yet.",
            )
            return
        r = self.state()
        rows = [
            (items[k].label.split(" (")[0], r.choices[k], str(r.points[k])) for k in ("site", "pain", "lesion", "size")
        ]
        readings = "".join(
            f"<li>{escape(rd.name)}: <strong>{escape(rd.verdict)}</strong> — rule: {escape(rd.rule)} "
            f"<em>[{cite(rd.sources, **_PLAIN)}]</em></li>"
            for rd in r.readings
        )
        nxt = {
            "low": "Radiotherapy for pain; review if pain becomes functional or the lesion grows.",
            "borderline": "Discuss with an orthopaedic surgeon; weigh pain with function, cortical breach and the "
            "patient's expected survival.",
            "high": "Refer to an orthopaedic surgeon for prophylactic fixation, followed by radiotherapy.",
        }[r.category]
        text.value = (
            _points_table(rows)
            + f"<p style='font-size:1.1em'><strong>Total: {r.total} of 12 — {escape(r.category)} risk.</strong> "
            f"Fracture risk (widely used table): {escape(r.fracture_risk)}. Recommendation: {escape(r.recommendation)}."
            f"</p><p>{escape(r.interpretation)}</p><p>Both published readings:</p><ul>{readings}</ul>"
            f"<p><strong>Next steps (teaching summary):</strong> {escape(nxt)}</p>"
        )
        pane.show(
            r.total,
            lambda: scale.update(r.total),
            f"Mirels scale with the total {r.total} marked: {r.category} risk; "
            f"{r.readings[0].name} says {r.readings[0].verdict}, the table says {r.readings[1].verdict}.",
        )


def mirels_calculator(*, cache: bool = True) -> MirelsCalculator:
    """Mirels score calculator (long bones): four unanswered items → points, total, risk band, both readings of 8."""
    return MirelsCalculator(cache=cache)


# ----------------------------------------------------------------------------------------------------------- SINS


class SinsCalculator(App):
    """SINS calculator: level (dropdown) and five unanswered items → points, total, category, referral advice."""

    TITLE = "SINS — Spinal Instability Neoplastic Score"
    CONTROLS = ("level", "pain", "lesion", "alignment", "collapse", "posterolateral")

    def __init__(self, *, cache: bool = True):
        self.items = items = {i.name: i for i in scores.SINS_ITEMS}
        self.level = widgets.Dropdown(options=list(scores.SPINE_LEVELS), value=None, description="Level (vertebra)",
                                      style=labelled_style)
        for name in self.CONTROLS[1:]:
            setattr(self, name, _radio(items[name]))
        self.plot = figs.score_scale("sins", None)
        self.pane = _pane(self.plot, "SINS scale 0 to 18 with its bands; no total yet.", cache)
        self.text = widgets.HTML()
        head = [
            _section(
                "Purpose",
                "Grades how unstable a spine weakened by a metastasis is, so that non-surgeons know when "
                "to ask a spine surgeon.",
            ),
            _section(
                "When to use",
                "Any vertebral metastasis seen on CT or MRI, before radiotherapy or surgery is "
                "planned. It does not grade cord compression (that is a separate, urgent question).",
            ),
            widgets.HTML("<strong>Inputs</strong> — pick one answer per item (nothing is pre-selected):"),
        ]
        refs = [scores.SINS_SOURCE, scores.SINS_VALIDATION_SOURCE, "sahgal2021"]
        super().__init__(_calculator_children("sins", head, self.controls.values(), self.text, self.pane, refs))
        self.observe_controls()
        self.refresh()

    def state(self):
        """The SINS result for the answers given, or None while an item is unanswered."""
        answers = _answers(self.controls)
        return None if answers is None else scores.sins(**answers)

    def refresh(self, _change=None) -> None:
        items, pane, text, scale = self.items, self.pane, self.text, self.plot
        answers = {k: c.value for k, c in self.controls.items()}
        missing = [
            ("Location (level)" if k == "level" else items[k].label.split(" (")[0])
            for k, v in answers.items()
            if v is None
        ]
        loc = ""
        if answers["level"] is not None:
            cls, pts = scores.sins_location(answers["level"])
            loc = f" Level {answers['level']} is {cls} ({pts} location points)."
        if missing:
            text.value = message(
                f"{6 - len(missing)} of 6 items answered.{loc} Still to answer: {', '.join(missing)}.", "info"
            )
            pane.show(
                None,
                lambda: scale.update(None),
                "SINS scale 0 to 18: 0-6 stable, 7-12 indeterminate, 13-18 unstable; 7 or more means "
                "ask a spine surgeon. No total placed yet.",
            )
            return
        r = self.state()
        rows = [("Location", f"{r.level} ({r.location_class})", str(r.points["location"]))]
        rows += [
            (items[k].label.split(" (")[0], r.choices[k], str(r.points[k]))
            for k in ("pain", "lesion", "alignment", "collapse", "posterolateral")
        ]
        nxt = (
            "Ask a spine surgeon to review stability before (or instead of) radiotherapy alone."
            if r.surgical_consultation
            else "No referral for instability alone; radiotherapy or other local treatment as indicated."
        )
        text.value = (
            _points_table(rows)
            + f"<p style='font-size:1.1em'><strong>Total: {r.total} of 18 — {escape(r.category)}.</strong> "
            f"Surgical consultation: <strong>{'yes' if r.surgical_consultation else 'no'}</strong> "
            f"(7–18 warrants one).</p><p>{escape(r.interpretation)}</p>"
            f"<p><strong>Next steps (teaching summary):</strong> {escape(nxt)}</p>"
        )
        pane.show(
            r.total,
            lambda: scale.update(r.total),
            f"SINS scale with the total {r.total} marked in the {r.category} band; surgical "
            f"consultation {'recommended' if r.surgical_consultation else 'not needed'}.",
        )


def sins_calculator(*, cache: bool = True) -> SinsCalculator:
    """SINS calculator: level (dropdown) and five unanswered items → points, total, category, referral advice."""
    return SinsCalculator(cache=cache)


# ------------------------------------------------------------------------------------------------------ spine map


class SpineMapExplorer(App):
    """Pick a vertebral level: the drawing highlights it and names its SINS location class and points."""

    TITLE = "Spine map — where is the lesion, and how mobile is that level?"
    CONTROLS = ("level",)

    def __init__(self, level: str = "T12", *, cache: bool = True):
        level = require_choice("level", level, scores.SPINE_LEVELS)
        self.level = widgets.Dropdown(options=list(scores.SPINE_LEVELS), value=level, description="Level (vertebra)",
                                      style=labelled_style)
        self.plot = figs.spine_map(level)
        self.pane = _pane(self.plot, "Spine map", cache)
        self.text = widgets.HTML()
        super().__init__([self.level, self.text, self.pane.widget])
        self.observe_controls()
        self.refresh()

    def state(self) -> tuple[str, str, int]:
        """(level, SINS location class, location points)."""
        cls, pts = scores.sins_location(self.level.value)
        return self.level.value, cls, pts

    def refresh(self, _change=None) -> None:
        level, cls, pts = self.state()
        line = f"{level} is {cls}: {pts} location points in SINS"
        self.text.value = message(line + ".", "info")
        self.pane.show(
            level,
            lambda: self.plot.update(level),
            f"Drawing of the spine from occiput to S5 with each level hatched by SINS location class; {line}.",
        )


def spine_map_explorer(level: str = "T12", *, cache: bool = True) -> SpineMapExplorer:
    """Pick a vertebral level: the drawing highlights it and names its SINS location class and points."""
    return SpineMapExplorer(level, cache=cache)


# ------------------------------------------------------------------------------------------------ which fixation?


class WhichFixation(App):
    """Choose site, fracture state and expected survival: see each option with its verdict, reason and source."""

    TITLE = "Which fixation? — implant choice by site, fracture and expected survival"
    CONTROLS = ("site", "fracture", "survival")

    def __init__(self, site: str = "femoral shaft", fracture: str = "impending", survival: str = "1-6 months", *,
                 cache: bool = True):
        site = require_choice("site", site, scores.FIXATION_SITES)
        fracture = require_choice("fracture", fracture, scores.FIXATION_STATES)
        survival = require_choice("survival", survival, scores.SURVIVAL_BANDS)
        self.site = widgets.Dropdown(options=list(scores.FIXATION_SITES), value=site,
                                     description="Lesion site (bone)", style=labelled_style)
        self.fracture = widgets.ToggleButtons(
            options=[("impending (bone intact)", "impending"), ("pathological fracture", "fracture")],
            value=fracture, description="Bone state", style=labelled_style)
        self.survival = widgets.ToggleButtons(options=list(scores.SURVIVAL_BANDS), value=survival,
                                              description="Expected survival (months)", style=labelled_style)
        self.plot = figs.long_bone(site, fracture)
        self.pane = _pane(self.plot, "Long-bone schematic", cache)
        self.text = widgets.HTML()
        self.bands = {r["survival"]: r
                      for r in load_records("surgery.toml", "prognosis_band", schema={"survival": str, "advice": str})}
        self.postop = load_records("surgery.toml", "postop_rt", schema={"text": str}, optional={"label": str})
        legend = widgets.HTML(
            "<small>Verdicts: ✔ named by the guideline for this situation · ◯ possible · "
            "✘ not usually · ? no figure found. The survival-band guideline is written for the femur: for the humerus "
            "its verdicts are marked 'extrapolated' and never shown as named by the guideline. "
            "Teaching summary of cited sources, not a protocol."
            "</small>"
        )
        super().__init__([self.site, self.fracture, self.survival, self.pane.widget, self.text, legend])
        self.observe_controls()
        self.refresh()

    def state(self) -> list:
        """Every fixation option with its verdict, reason and sources for the situation chosen."""
        return scores.fixation_options(site=self.site.value, fracture=self.fracture.value,
                                       survival=self.survival.value)

    def refresh(self, _change=None) -> None:
        site, fracture, survival = self.site.value, self.fracture.value, self.survival.value
        state = "pathological fracture" if fracture == "fracture" else "impending fracture (bone intact)"
        where = f"Lesion in the {site}; {state}."
        advice = self.state()
        rows = "".join(
            f"<tr><td style='padding:2px 8px'><strong>{escape(a.name)}</strong></td>"
            f"<td style='padding:2px 8px;white-space:nowrap'>{escape(_VERDICT_MARK[a.verdict])}"
            f"{'<br><small>extrapolated from the femur</small>' if a.extrapolated else ''}</td>"
            f"<td style='padding:2px 8px'>{escape(a.reason)} <em>[{cite(a.sources, **_PLAIN)}]</em></td></tr>"
            for a in advice
        )
        band = self.bands[survival]
        self.text.value = (
            f"<p>{escape(where)} Expected survival: {escape(survival)}. Guideline band: "
            f"{escape(band['advice'])} <em>[{cite([band['source']], **_PLAIN)}]</em></p>"
            "<table role='table' style='border-collapse:collapse'><thead><tr>"
            "<th style='text-align:left;padding:2px 8px'>Option</th><th style='text-align:left;padding:2px 8px'>"
            "Verdict</th><th style='text-align:left;padding:2px 8px'>Why (source)</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
            + "".join(
                f"<p><strong>{escape(r['label'])}:</strong> {escape(r['text'])} "
                f"<em>[{cite([r['source']], **_PLAIN)}]</em></p>"
                for r in self.postop
                if "label" in r
            )
        )
        listed = [a.name for a in advice if a.verdict == "listed"]
        self.pane.show(
            (site, fracture, survival),
            lambda: self.plot.update(site, fracture),
            f"Schematic femur and humerus. {where} Options named by the guideline for {survival}: "
            f"{', '.join(listed) or 'none'}.",
        )


def which_fixation(site: str = "femoral shaft", fracture: str = "impending", survival: str = "1-6 months", *,
                   cache: bool = True) -> WhichFixation:
    """Choose site, fracture state and expected survival: see each option with its verdict, reason and source."""
    return WhichFixation(site, fracture, survival, cache=cache)
