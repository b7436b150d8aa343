"""The comparison-table and tumour-board widgets: build, change a control, and check the text, the rows and the figure."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("ipywidgets")

from bonemets_edu import decision as D  # noqa: E402
from bonemets_edu.widgets.choosing import comparison_table, table_html  # noqa: E402


def _rows(app) -> list[str]:
    return re.findall(r"<section class='bm-card' data-therapy='([a-z_]+)'", app.children[-1].value)


def test_table_first_display_teaches_something():
    app = comparison_table()
    assert "For this patient" in app.text.value
    assert len(_rows(app)) == len(D.therapies())
    assert "href=" in app.children[-1].value  # citations reachable from the cells
    assert "For education only" in app.children[0].value


def test_filtering_by_site_changes_verdicts_and_row_order():
    app = comparison_table()
    before_rows, before_text = _rows(app), app.text.value
    app.controls["site"].value = "lower-limb long bone"
    app.controls["fracture"].value = "impending"
    app.controls["mirels_total"].value = 10
    assert app.text.value != before_text
    assert _rows(app) != before_rows
    assert _rows(app)[0] in {"fix_endoprosthesis", "rt_fractionated"}  # suitable rows sort first


def test_hide_not_suitable_removes_rows():
    app = comparison_table(site="pelvis", sins_total=None)
    n_all = len(_rows(app))
    app.controls["hide"].value = True
    shown = _rows(app)
    assert len(shown) < n_all
    d = D.assess(D.Patient(site="pelvis", painful_lesions=1, worst_pain=7, lesion_type="lytic", survival_months=18.0))
    assert set(shown) == {a.therapy.id for a in d.assessments if a.verdict != "not suitable"}


def test_full_view_shows_every_column_and_marks_gaps():
    app = comparison_table()
    app.controls["view"].value = "full comparison table"
    html = app.children[-1].value
    for _, heading in D.COLUMNS:
        assert heading in html.replace("&amp;", "&")
    assert "Not found:" in html


def test_verdicts_are_readable_without_colour():
    html, n = table_html(D.assess(D.Patient(site="pelvis")))
    assert n == len(D.therapies())
    for word in ("✔ Suitable", "? Consider", "✘ Not suitable"):
        assert word in html
    assert "color:" not in html.replace("currentColor", "")


def test_learner_facing_text_is_escaped():
    html, _ = table_html(D.assess(D.Patient(site="spine")))
    assert "<script" not in html


def test_score_band_figure_is_laid_out_before_it_is_frozen():
    from bonemets_edu.figures.choosing import draw_score_bands, score_bands_figure

    fig, axes, markers = score_bands_figure()
    boxes = [ax.get_position() for ax in axes]
    assert boxes[0].y0 > boxes[1].y1 and boxes[1].y0 > boxes[2].y1  # rows do not overlap
    text = draw_score_bands(markers, mirels=8, sins=None, tokuhashi=12)
    assert text == ("Mirels score, points (long bone): 8; SINS, points (spine): not scored; "
                    "Revised Tokuhashi, points (prognosis): 12")
    assert list(markers[0][0].get_xdata()) == [8]


def _verdicts(app) -> dict[str, str]:
    """Verdict per therapy row, read from the rendered table."""
    html = app.children[-1].value
    rows = re.findall(r"data-therapy='([a-z_]+)'.*?<span class='bm-verdict'[^>]*>([^<]+)</span>", html)
    words = {"✔ Suitable": "suitable", "? Consider": "consider", "✘ Not suitable": "not suitable"}
    return {tid: words[mark] for tid, mark in rows}


def test_lesson_demo_and_think_match_the_widget():
    """Lesson 06a §1: the table opens on the printed spinal patient minus cord compression (SINS 9, ECOG 1, > 12
    months); switching cord compression on gives the printout's spine-surgery and SBRT verdicts; the Think! pause
    (rib, 1 → 4 painful sites) keeps radiation suitable and adds the worst-site-only rule to every ablation / focused-
    ultrasound card."""
    app = comparison_table()
    c = app.controls
    assert (c["site"].value, c["painful_lesions"].value, c["sins_total"].value, c["ecog"].value,
            c["cord_compression"].value, c["survival"].value, c["lesion_type"].value) == \
        ("spine", 1, 9, 1, False, "over 12 months", "lytic")
    v = _verdicts(app)
    assert v["rt_single"] == v["rt_fractionated"] == "consider"  # SINS 9 holds radiation at consider
    assert v["mrgfus"] == "not suitable"  # location not given: only posterior L3-L5 / S1-S5 are reachable
    c["cord_compression"].value = True
    printed = D.assess(D.Patient(site="spine", painful_lesions=1, worst_pain=7, sins_total=9, cord_compression=True,
                                 survival_months=8, ecog=2, lesion_type="lytic"))
    v = _verdicts(app)
    assert v["spine_surgery"] == printed.verdict("spine_surgery") == "suitable"
    assert v["sbrt"] == printed.verdict("sbrt") == "not suitable"
    c["cord_compression"].value = False
    c["site"].value = "rib or other bone"
    local = ("rfa", "cryo", "ethanol", "mwa", "mrgfus")
    one = _verdicts(app)
    one_html = app.children[-1].value
    c["painful_lesions"].value = 4
    four = _verdicts(app)
    assert one["rt_single"] == four["rt_single"] == four["rt_fractionated"] == "suitable"
    assert [one[t] for t in local] == ["consider"] * 5
    # the engine caps one-target procedures to the worst site instead of forbidding them (issue 13 point 3)
    assert [four[t] for t in local] == ["consider"] * 5
    cryo = app.children[-1].value.split("data-therapy='cryo'")[1].split("</section>")[0]
    assert "worst site only" in cryo and "worst site only" not in html_one_cryo(one_html)


def html_one_cryo(html: str) -> str:
    return html.split("data-therapy='cryo'")[1].split("</section>")[0]


def test_mirels_demo_steps_7_8_9_differ():
    """Lesson 06a demo question 2 (impending lower-limb lesion, default survival): 7, 8 and 9 give three patterns."""
    app = comparison_table(site="lower-limb long bone", sins_total=None, fracture="impending")
    fixation = ("fix_nail", "fix_plate", "fix_endoprosthesis")
    seen = {}
    for m in (7, 8, 9):
        app.controls["mirels_total"].value = m
        seen[m] = [_verdicts(app)[t] for t in fixation]
    assert seen == {7: ["not suitable"] * 3, 8: ["consider"] * 3, 9: ["consider", "consider", "suitable"]}
    app.controls["mirels_total"].value = 8
    why = app.children[-1].value.split("data-therapy='fix_endoprosthesis'")[1].split("</section>")[0]
    assert "Mirels&#x27; abstract" in why or "Mirels' abstract" in why
    assert "clinical judgement" in why


def test_comparison_is_one_card_per_therapy_that_reflows_with_readable_text():
    """Issue 18: the old table was 3,065 px wide in a 620 px box. Cards reflow (grid with a min(100%, …) track), no
    fixed widths or scroll boxes, and no text below 14 px."""
    app = comparison_table()
    app.controls["view"].value = "full comparison table"
    html = app.children[-1].value
    assert "<table" not in html and "max-height" not in html and "white-space:nowrap" not in html
    assert "minmax(min(100%,330px),1fr)" in html
    sizes = [int(x) for x in re.findall(r"font-size:(\d+)px", html)]
    assert sizes and min(sizes) >= 14
    assert len(re.findall(r"<dt>", html)) == len(D.therapies()) * len(D.COLUMNS)  # every column on every card
