"""Lessons 06a and 06b in a real JupyterLab (headless Chromium): the comparison cards (06a) and the case conference
(06b) fit a 1280×720
projector and 150 % zoom (853×480 CSS pixels) without sideways overflow and with text of 14 px or more, and a
student can commit a plan with a justification, reveal, and see the justification kept as text (never run)."""

from __future__ import annotations

import pytest
from conftest import screenshot, wait_text
from test_browser import WIDGET_FAILURE_JS, run_all

pytestmark = [pytest.mark.browser, pytest.mark.timeout(400)]


@pytest.fixture
def source_lab(lab_server):
    """The session's JupyterLab on the source lessons (conftest's `run.py lab --instructor`): these tests check
    notebooks/06a and 06b themselves, not the generated student copy."""
    return lab_server

#: Within one output: how far content sticks out sideways, and the smallest font of visible text in it.
LAYOUT_JS = """(sel) => {
    const out = document.querySelector(sel);
    if (!out) return null;
    const box = out.getBoundingClientRect();
    let overflow = Math.max(0, out.scrollWidth - out.clientWidth), minFont = 1e9, widest = 0, texts = 0, small = '', wide = '';
    for (const e of out.querySelectorAll('*')) {
        const r = e.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        if (r.right - box.right > widest) { widest = r.right - box.right; wide = e.tagName + '.' + e.className; }
        const own = Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
        if (own) {
            texts++;
            const f = parseFloat(getComputedStyle(e).fontSize);
            if (f < minFont) { minFont = f; small = e.tagName + '.' + e.className + ': ' + e.textContent.slice(0, 40); }
        }
    }
    return {overflow, stickOut: widest, minFont, texts, small, wide}; }"""


def _open_and_run(page, lab, stem: str, selector: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{lab.url}/lab/tree/notebooks/{stem}.ipynb?token={lab.token}&reset")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
    run_all(page)
    page.wait_for_selector(selector, timeout=60_000)
    assert page.evaluate(WIDGET_FAILURE_JS) == {"errs": 0, "stuck": 0, "tracebacks": 0}


def test_comparison_cards_fit_a_projector_and_150_percent_zoom(source_lab, page):
    _open_and_run(page, source_lab, "06a_choosing_a_treatment", ".bm-cards .bm-card")

    # the comparison cards, in the output area, at 1280x720 and at 150 % zoom (853x480 CSS px)
    page.locator(".bm-cards").first.scroll_into_view_if_needed()
    for size in ({"width": 1280, "height": 720}, {"width": 853, "height": 480}):
        page.set_viewport_size(size)
        page.wait_for_timeout(500)
        m = page.evaluate(LAYOUT_JS, ".jp-OutputArea-output:has(.bm-cards)")
        assert m and m["texts"] > 50, m
        assert m["overflow"] <= 1 and m["stickOut"] <= 1, (size, m)
        cards = page.evaluate(LAYOUT_JS, ".bm-cards")  # the comparison itself (controls are ipywidgets' own size)
        assert cards["minFont"] >= 14, (size, cards["small"], cards)
    page.locator(".bm-cards .bm-card").first.scroll_into_view_if_needed()
    screenshot(page, "06a_cards_150pct")


def test_case_conference_fits_and_keeps_the_justification_as_text(source_lab, page):
    _open_and_run(page, source_lab, "06b_case_conference", ".bm-conf")

    # the case conference: commit a plan with a hostile justification, reveal
    conf = page.locator(".jp-OutputArea-output", has_text="Case conference: commit, then compare").first
    conf.scroll_into_view_if_needed()
    conf.locator(".widget-radio-box input[type=radio]").first.click()
    conf.locator(".widget-text input[type=text]").first.fill("<script>window.__pwned = 1</script><b>bold</b> Mirels")
    conf.locator(".widget-text input[type=text]").first.press("Enter")
    conf.locator("button", has_text="Commit my plan").click()
    text = wait_text(conf, "Committed.")
    assert "Committed." in text
    conf.locator("button", has_text="Show the board's reasoning").click()
    text = wait_text(conf, "What a good justification mentions")
    assert "What a good justification mentions" in text and "The rule engine's verdicts" in text, text[:800]
    # the justification sits next to the key points as text (tags shown, not run or rendered)
    assert "<script>window.__pwned = 1</script><b>bold</b> Mirels" in text
    assert page.evaluate("() => window.__pwned === undefined")
    assert conf.locator("b", has_text="bold").count() == 0
    assert page.evaluate(WIDGET_FAILURE_JS) == {"errs": 0, "stuck": 0, "tracebacks": 0}
    for size in ({"width": 1280, "height": 720}, {"width": 853, "height": 480}):
        page.set_viewport_size(size)
        page.wait_for_timeout(500)
        m = page.evaluate(LAYOUT_JS, ".jp-OutputArea-output:has(.bm-conf)")
        assert m and m["overflow"] <= 1 and m["stickOut"] <= 1, (size, m["wide"], m)
    conf.locator("text=What a good justification mentions").first.scroll_into_view_if_needed()
    screenshot(page, "06b_conference_revealed_150pct")
