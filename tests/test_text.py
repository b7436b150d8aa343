"""The text layer (``bonemets_edu.text``): the one citation helper and the lesson text views moved out of the models.

Expected values are published (the data files' sources) or worked by hand in the comments, never rebuilt with the
function under test."""

from __future__ import annotations

import re

import pytest

from bonemets_edu import cases, decision
from bonemets_edu.text import choosing as text_choosing
from bonemets_edu.text import cite
from bonemets_edu.text import fus as text_fus
from bonemets_edu.text import radiation as text_radiation


def test_cite_writes_the_case_conference_links_with_brackets_tooltip_and_class():
    html = cite(["fowler1989", "hurwitz2014"], "html", parens=False, sep=" ", brackets=True, tooltip=True,
                css_class="bm-ref")
    first, second = html.split("</a> ")
    assert first.startswith('<a class="bm-ref" href="https://doi.org/') and first.endswith(">[Fowler 1989]")
    assert 'title="Fowler 1989, Br J Radiol' in first and 'target="_blank" rel="noopener"' in first
    assert second.endswith(">[Hurwitz et al. 2014]</a>")


def test_cite_text_style_is_unescaped_and_plain_style_is_escaped(monkeypatch):
    # No real author-year label contains an HTML-special character, so give one reference such a label: plain text
    # keeps it, the "plain" (for HTML) and "html" styles get the entities.
    from bonemets_edu import references

    real_short = references.short
    monkeypatch.setattr(references, "short",
                        lambda k: "O'Neill & <Smith> 2020" if k == "fowler1989" else real_short(k))
    assert cite("fowler1989", "text", parens=False) == "O'Neill & <Smith> 2020"
    assert cite("fowler1989", "plain", parens=False) == "O&#x27;Neill &amp; &lt;Smith&gt; 2020"
    assert ">O&#x27;Neill &amp; &lt;Smith&gt; 2020</a>" in cite("fowler1989", "html", parens=False)
    monkeypatch.undo()
    assert cite(["fowler1989", "hurwitz2014"], "text") == "(Fowler 1989; Hurwitz et al. 2014)"


def test_cite_tooltip_escapes_a_real_journal_name():
    # virk2007 is published in "Arthritis Research & Therapy": the tooltip (the full citation) carries the entity.
    html = cite("virk2007", "html", parens=False, tooltip=True)
    assert 'title="Virk et al. 2007, Arthritis Research &amp; Therapy 9(Suppl 1):S5.' in html
    assert "Research & Therapy" not in html


@pytest.mark.parametrize("style", ["markdown", "plain", "text"])
def test_cite_refuses_html_options_for_other_styles(style):
    with pytest.raises(ValueError, match="brackets, tooltip and css_class apply to style 'html' only"):
        cite("fowler1989", style, brackets=True)


def test_schedule_table_rows_are_the_hand_computed_bed_and_eqd2():
    # 8 Gy x 1, alpha/beta 10: BED = 8 (1 + 8/10) = 14.40, EQD2 = 14.4 / 1.2 = 12.00;
    # alpha/beta 3: BED = 8 (1 + 8/3) = 29.33, EQD2 = 29.33 / (1 + 2/3) = 17.60.
    # 20 Gy / 5 (4 Gy): BED10 = 20 x 1.4 = 28.00, EQD2(10) = 28 / 1.2 = 23.33.
    lines = text_radiation.schedule_table().splitlines()
    assert lines[0] == "Computed with the LQ model (Gy); not published values."
    assert lines[3].split()[-5:] == ["8.00", "14.40", "12.00", "29.33", "17.60"]
    assert lines[4].split()[-5:-2] == ["4.00", "28.00", "23.33"]
    with pytest.raises(ValueError, match=r"schedule_ids .*got 'nope'"):
        text_radiation.schedule_table(("nope",))
    with pytest.raises(ValueError, match="alpha_beta_gy"):
        text_radiation.schedule_table(alpha_betas=(0.0,))


def test_evidence_text_shows_the_published_responder_rates():
    # Hurwitz et al. 2014 (abstract): responders at 3 months 64.3 % with MRgFUS (n = 112) and 20.0 % with sham (n = 35).
    text = text_fus.evidence_text()
    assert "(Hurwitz et al. 2014)" in text
    assert re.search(r"MRgFUS\s+\d+/112 =\s+64\.3%", text) and re.search(r"Sham\s+\d+/35\s+=\s+20\.0%", text)


def test_session_steps_are_numbered_with_their_sources():
    md = text_fus.session_markdown()
    assert md.startswith("1. **") and all(re.match(r"\d+\. \*\*.+\*\* .+ \(.+\)$", line) for line in md.splitlines())


def test_case_printout_and_explanation_name_their_sources():
    worked = cases.cases()[0]
    text = text_choosing.describe_case(worked)
    assert text.startswith(f"{worked.title} (synthetic case, not a real patient)\n")
    assert "Scores: Mirels 12" in text and "A good justification mentions:" in text
    out = text_choosing.explain(decision.assess(worked.patient), "sbrt")
    assert out.splitlines()[0] == "Stereotactic body radiation therapy (SBRT): NOT SUITABLE"
    assert out.splitlines()[1].startswith("  - [not suitable] ") and out.endswith(")")


@pytest.mark.parametrize("old_module, old_name, new_module, new_name", [
    ("focused_ultrasound", "session_markdown", "fus", "session_markdown"),
    ("focused_ultrasound", "scenario_table", "fus", "scenario_table"),
    ("radiobiology", "schedule_table", "radiation", "schedule_table"),
    ("radiobiology", "retreatment_markdown", "radiation", "retreatment_markdown"),
    ("decision", "describe_rules", "choosing", "describe_rules"),
    ("decision", "explain", "choosing", "explain"),
    ("cases", "describe", "choosing", "describe_case"),
])
def test_lessons_saved_before_the_move_still_find_the_text_views(old_module, old_name, new_module, new_name):
    import importlib

    old = getattr(importlib.import_module(f"bonemets_edu.{old_module}"), old_name)
    assert old is getattr(importlib.import_module(f"bonemets_edu.text.{new_module}"), new_name)
    with pytest.raises(AttributeError, match="has no attribute 'no_such_view'"):
        importlib.import_module(f"bonemets_edu.{old_module}").no_such_view  # noqa: B018
