"""Keyboard-only use of the surgery calculators in a real JupyterLab (headless Chromium).

The generic lesson test (test_browser.py) already runs the notebook and changes its first control. Here the
calculators are operated with the keyboard alone: Tab moves focus from the calculator's title to each item's answer
buttons and Space picks an answer, until the total appears; then a SINS answer is reached with Tab and picked with
Enter.
"""

from __future__ import annotations

import pytest
from conftest import screenshot, wait_text
from test_browser import WIDGET_FAILURE_JS, run_all

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


def _tab_until(page, predicate_js: str, limit: int = 60) -> bool:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(predicate_js):
            return True
    return False


def test_calculators_work_with_the_keyboard_alone(lab_server, page):
    page.goto(f"{lab_server.url}/lab/tree/notebooks/03_surgery.ipynb?token={lab_server.token}&reset")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
    run_all(page)
    page.wait_for_selector(".jp-OutputArea .widget-toggle-buttons", timeout=60_000)
    assert page.evaluate(WIDGET_FAILURE_JS) == {"errs": 0, "stuck": 0, "tracebacks": 0}

    # Mirels: start from the calculator's title (a click on plain text, not a control), then keyboard only.
    mirels = page.locator(".jp-OutputArea-output", has_text="Mirels score — risk of a pathological fracture").first
    mirels.scroll_into_view_if_needed()
    mirels.locator("h4").first.click()
    assert "0 of 4 items answered" in mirels.inner_text()
    for i in range(4):  # the four items, each a group of answer buttons: Tab to the group, Space picks an answer
        in_group = f"""() => {{ const e = document.activeElement;
            const out = e && e.closest('.jp-OutputArea-output');
            if (!out || !out.innerText.includes('Mirels score') || e.tagName !== 'BUTTON') return false;
            const groups = Array.from(out.querySelectorAll('.widget-toggle-buttons'));
            return groups.indexOf(e.closest('.widget-toggle-buttons')) === {i}; }}"""
        assert _tab_until(page, in_group), f"Tab never reached Mirels item {i + 1}"
        page.keyboard.press("Space")
        if i == 0:
            text = wait_text(mirels, "1 of 4 items answered")
            assert "1 of 4 items answered" in text, text[:300]
    text = wait_text(mirels, "Total:")
    assert "Total:" in text and "of 12" in text, text[:400]
    screenshot(page, "03_surgery_keyboard_mirels")

    # SINS: Tab from the SINS title to the first answer buttons (pain) and pick one with Enter.
    sins = page.locator(".jp-OutputArea-output", has_text="SINS — Spinal Instability Neoplastic Score").first
    sins.scroll_into_view_if_needed()
    sins.locator("h4").first.click()
    in_sins_button = """() => { const e = document.activeElement;
        return !!e && e.tagName === 'BUTTON' && !!e.closest('.widget-toggle-buttons') &&
               e.closest('.jp-OutputArea-output').innerText.includes('SINS —'); }"""
    assert _tab_until(page, in_sins_button), "Tab never reached a SINS answer"
    page.keyboard.press("Enter")
    text = wait_text(sins, "1 of 6 items answered")
    assert "1 of 6 items answered" in text, text[:300]
    screenshot(page, "03_surgery_keyboard_sins")
