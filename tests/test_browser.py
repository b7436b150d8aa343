"""Every lesson in a real JupyterLab, in headless Chromium: run all cells, no widget errors, a control changes output.

And every lesson in the instructors' app view (Voila, as `python3 run.py present` serves it): widgets live, no code,
no instructor notes, and answers not visible (folded behind "Show answer"; see test_answers_browser.py).
"""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path

import pytest
from conftest import NOTEBOOKS, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

LESSONS = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
#: The first interactive control of a lesson, in document order (slider handle, dropdown, radio, toggle button).
CONTROL = (".widget-slider .noUi-handle, .widget-dropdown select, .widget-radio-box input[type=radio], "
           ".widget-toggle-buttons button, .widget-checkbox input[type=checkbox]")
#: What a control's change should alter: text/HTML outputs and figures of widgets (not the control's own readout).
SNAPSHOT_JS = """() => Array.from(document.querySelectorAll(
    '.jp-OutputArea .widget-html-content, .jp-OutputArea .widget-label, .jp-OutputArea img, .jp-OutputArea svg'))
    .map(e => e.tagName === 'IMG' ? e.getAttribute('src') : e.innerHTML).join('\\n')"""
#: ipywidgets' own failure states (jupyterlab-manager): an error view, or a model that never arrived.
WIDGET_FAILURE_JS = """() => {
    const errs = document.querySelectorAll('.jupyter-widgets-error-widget').length;
    const stuck = Array.from(document.querySelectorAll('.jp-OutputArea-output')).filter(
        e => /^(Error displaying widget|Loading widget\\.\\.\\.)/.test(e.textContent.trim())).length;
    const tracebacks = Array.from(document.querySelectorAll('.jp-OutputArea-output')).filter(
        e => e.textContent.includes('Traceback (most recent call last)')).length;
    return {errs, stuck, tracebacks}; }"""


def digest(page) -> str:
    return hashlib.sha256(page.evaluate(SNAPSHOT_JS).encode()).hexdigest()


def run_all(page) -> None:
    """Run → Run All Cells, retried if the click landed before the kernel was ready (no cell started)."""
    started = """() => Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputPrompt'))
                     .some(e => /\\[(\\*|\\d+)\\]/.test(e.textContent))"""
    for _attempt in range(4):
        page.locator(".jp-Notebook .jp-Cell").first.click()
        page.locator(".lm-MenuBar-itemLabel:text-is('Run')").click()
        page.locator(".lm-Menu-item:not(.lm-mod-disabled) .lm-Menu-itemLabel:text-is('Run All Cells')").click()
        try:
            page.wait_for_function(started, timeout=15_000)
            break
        except Exception:
            page.keyboard.press("Escape")
    # every code cell has run ([n]:), and the kernel is idle
    page.wait_for_function(
        """() => { const p = Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputPrompt'))
                              .map(e => e.textContent.trim()).filter(t => t !== '');  // collapsed inputs: no prompt
                    return p.length > 0 && p.every(t => /\\[\\d+\\]/.test(t)); }""",
        timeout=180_000,
    )
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)


def change_first_control(page):
    """Change the lesson's first control: sliders by keyboard (handle focused, arrow keys), dropdowns by selecting
    the next option, radio/toggle/checkbox by clicking. (JupyterLab's command-mode shortcuts swallow arrow keys on a
    focused <select> or radio, so those use the mouse here; the keyboard-only path is tested per calculator.)"""
    ctrl = page.locator(CONTROL).first
    ctrl.scroll_into_view_if_needed()
    kind = ctrl.evaluate("e => e.tagName + ':' + (e.type || '') + ':' + e.className")
    if "noUi-handle" in kind:
        ctrl.focus()
        for _ in range(3):
            page.keyboard.press("ArrowRight")
    elif kind.startswith("SELECT"):
        values = ctrl.evaluate("e => Array.from(e.options).map(o => o.value)")
        current = ctrl.evaluate("e => e.value")
        ctrl.select_option(next(v for v in values if v != current))
    elif "radio" in kind:
        page.locator(".widget-radio-box").first.locator("input[type=radio]:not(:checked)").first.click()
    else:
        ctrl.click()
    return kind


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_runs_in_jupyterlab_and_a_control_changes_its_output(lab_server, page, name):
    page.goto(f"{lab_server.url}/lab/tree/notebooks/{name}?token={lab_server.token}&reset")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
    run_all(page)
    page.wait_for_selector(".jp-OutputArea .jupyter-widgets", timeout=60_000)
    assert page.evaluate(WIDGET_FAILURE_JS) == {"errs": 0, "stuck": 0, "tracebacks": 0}, f"{name}: widget failure"
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0, \
        f"{name}: a cell wrote to stderr"
    before = digest(page)
    kind = change_first_control(page)
    deadline = time.monotonic() + 20
    while digest(page) == before and time.monotonic() < deadline:
        time.sleep(0.2)
    screenshot(page, Path(name).stem)
    assert digest(page) != before, f"{name}: changing the first control ({kind}) did not change any output"
    external = [e for e in page.console_errors if re.search(r"https?://(?!127\.0\.0\.1)", e)]
    assert not external, f"{name}: requests left the machine: {external[:3]}"


@pytest.mark.parametrize("name", LESSONS)
def test_app_view_shows_widgets_without_code_or_answers(voila_server, page, name):
    """The present command's Voila app view: widgets render, no code cells, no instructor notes, no answer visible."""
    import json

    page.goto(f"{voila_server.url}/voila/render/{name}?token={voila_server.token}")
    page.wait_for_selector(".jupyter-widgets", timeout=120_000)
    page.wait_for_function("() => !document.querySelector('#loading') || "
                           "getComputedStyle(document.querySelector('#loading')).display === 'none'", timeout=120_000)
    body = page.locator("body").inner_text()
    assert "from bonemets_edu" not in body, "Voila showed source code"
    assert page.locator(".jp-CodeCell .jp-InputArea, .jp-InputArea-editor, .cm-editor").count() == 0, "code shown"
    assert page.evaluate(WIDGET_FAILURE_JS) == {"errs": 0, "stuck": 0, "tracebacks": 0}
    nb = json.loads((NOTEBOOKS / name).read_text("utf-8"))
    flat = re.sub(r"\s+", " ", body)

    def plain(cell):
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", "".join(cell["source"]))  # links → their text
        return re.sub(r"\s+", " ", re.sub(r"[*_>`#]", "", text)).strip()

    def hidden(cell):
        return bool({"solution", "instructor-note"} & set(cell.get("metadata", {}).get("tags", [])))

    visible = " ".join(plain(c) for c in nb["cells"] if not hidden(c))
    checked = 0
    for cell in filter(hidden, nb["cells"]):
        text = plain(cell)
        # a 40-character window of the hidden cell that appears nowhere in the lesson's visible text
        windows = [text[i:i + 40] for i in range(0, max(len(text) - 40, 1), 10)]
        unique = [w for w in windows if len(w) == 40 and w not in visible]
        if unique:
            checked += 1
            assert unique[0] not in flat, f"{name}: app view shows a hidden cell: {unique[0]!r}"
    assert checked or not any(map(hidden, nb["cells"])), f"{name}: no hidden cell could be checked"
    before = digest_voila(page)
    kind = change_first_control(page)
    deadline = time.monotonic() + 20
    while digest_voila(page) == before and time.monotonic() < deadline:
        time.sleep(0.2)
    screenshot(page, f"voila_{Path(name).stem}")
    assert digest_voila(page) != before, f"{name}: app view control ({kind}) changed nothing"


def digest_voila(page) -> str:
    js = """() => Array.from(document.querySelectorAll('.widget-html-content, img'))
        .map(e => e.tagName === 'IMG' ? e.getAttribute('src') : e.innerHTML).join('\\n')"""
    return hashlib.sha256(page.evaluate(js).encode()).hexdigest()


def test_main_command_serves_start_here(lab_server, page):
    """`python3 run.py lab` (what the fixture started) answers, and its address opens 00_start_here.ipynb."""
    import urllib.request

    with urllib.request.urlopen(f"{lab_server.url}/api/status?token={lab_server.token}", timeout=10) as r:
        assert r.status == 200
    page.goto(f"{lab_server.url}/?token={lab_server.token}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    assert "/lab/tree/notebooks/00_start_here.ipynb" in page.url
    # earlier tests may have left other lessons open in the workspace; the start-here tab must be there
    page.wait_for_selector("#jp-main-dock-panel .lm-TabBar-tabLabel:text-is('00_start_here.ipynb')", timeout=30_000)
