"""The student versions fold Think!/self-check answers behind a "Show answer" disclosure that works from the keyboard,
in JupyterLab and in Voila (the app view). Needs the regenerated versions (``python -m tools.versions``)."""

from __future__ import annotations

import json
import re

import pytest
from conftest import ROOT, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

LESSON = "02_radiation_therapy.ipynb"

STATE_JS = """() => { const d = document.querySelectorAll('details')[0];
    return {open: d.open, summary: d.querySelector('summary').textContent.trim(),
            active: document.activeElement === d.querySelector('summary'),
            shown: d.innerText}; }"""


def first_answer_words() -> str:
    nb = json.loads((ROOT / "versions" / "student" / LESSON).read_text("utf-8"))
    cell = next(c for c in nb["cells"] if "answer-folded" in c.get("metadata", {}).get("tags", []))
    body = "".join(cell["source"]).split("</summary>", 1)[1]
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", body)
    return re.sub(r"\s+", " ", re.sub(r"[*_`]|</?details>", "", text)).strip()[:40]


def operate_by_keyboard(page, answer: str) -> None:
    summary = page.locator("details summary").first
    summary.wait_for(timeout=120_000)
    state = page.evaluate(STATE_JS)
    assert state["summary"] == "Show answer" and state["open"] is False
    assert answer not in page.locator("body").inner_text(), "the answer shows before it is opened"
    summary.focus()
    page.keyboard.press("Shift+Tab")  # leave it, then come back with Tab: it is in the tab order
    page.keyboard.press("Tab")
    assert page.evaluate(STATE_JS)["active"], "Tab does not reach the Show answer summary"
    page.keyboard.press("Enter")
    state = page.evaluate(STATE_JS)
    assert state["open"] is True and answer in re.sub(r"\s+", " ", state["shown"])
    page.keyboard.press("Space")
    assert page.evaluate(STATE_JS)["open"] is False
    page.keyboard.press("Space")
    assert page.evaluate(STATE_JS)["open"] is True


def test_app_view_folds_answers_behind_a_keyboard_disclosure(voila_server, page):
    answer = first_answer_words()
    page.goto(f"{voila_server.url}/voila/render/{LESSON}?token={voila_server.token}")
    page.wait_for_selector(".jupyter-widgets", timeout=120_000)
    operate_by_keyboard(page, answer)
    # Voila has no editor: Tab from the page's start reaches the first summary in document order
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.evaluate("() => document.querySelectorAll('details')[0].open = false")
    for _ in range(400):
        page.keyboard.press("Tab")
        if page.evaluate(STATE_JS)["active"]:
            break
    assert page.evaluate(STATE_JS)["active"], "Tab never reached the first Show answer"
    page.keyboard.press("Enter")
    assert page.evaluate(STATE_JS)["open"] is True
    screenshot(page, "voila_show_answer")


def test_jupyterlab_folds_answers_behind_a_keyboard_disclosure(lab_server, page):
    answer = first_answer_words()
    # `run.py lab` serves the student's working copy of versions/student/ (my-course/ or BONEMETS_COPY_DIR)
    page.goto(f"{lab_server.url}/lab/tree/{LESSON}?token={lab_server.token}")
    page.wait_for_selector(".jp-Notebook .jp-MarkdownCell", timeout=90_000)
    operate_by_keyboard(page, answer)
    # the key presses toggled the disclosure; they did not put the Markdown cell into edit mode
    assert page.locator(".jp-MarkdownCell:not(.jp-mod-rendered)").count() == 0
    screenshot(page, "lab_show_answer")
