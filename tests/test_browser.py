"""Every lesson in a real JupyterLab, in headless Chromium: run all cells, no widget errors, a control changes output.

And every lesson in the instructors' app view (Voila, as `python3 run.py present` serves it): widgets live, no code,
no instructor notes, and answers not visible (folded behind "Show answer"; see test_answers_browser.py).

Both also check, on a 1280×720 screen (and JupyterLab again at 150 % zoom, i.e. 853×480 CSS pixels): no lesson content
wider than its box, no clipped control label, no overlapping quiz options, sliders long enough to use; and axe-core
(the accessibility engine of the browsers' developer tools) finds no serious or critical problem inside the course's
content (outputs, widgets, rendered Markdown). What axe-core finds in JupyterLab's or Voila's own interface is written
to artifacts/axe-chrome-*.json (and summarised in INSTRUCTORS.md), not asserted.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from pathlib import Path

import pytest
from conftest import ARTIFACTS, NOTEBOOKS, screenshot

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


#: Course content, where axe-core findings count (everything else is JupyterLab's or Voila's interface).
CONTENT = ".jp-OutputArea-output, .jp-RenderedMarkdown, .jupyter-widgets"
SCREEN = {"width": 1280, "height": 720}
ZOOM_150 = {"width": 853, "height": 480}  # a 1280×720 screen at 150 % browser zoom, in CSS pixels
#: Layout problems of lesson content, measured in the page (see check_layout).
LAYOUT_JS = """() => {
  const out = {overflow: [], clipped: [], overlap: [], short_sliders: []};
  const desc = e => (e.className || e.tagName).toString().slice(0, 60) + ' "' + (e.textContent || '').trim().slice(0, 50) + '"';
  const shown = e => e.getClientRects().length > 0 && !e.closest('.jp-mod-hidden, [hidden]');
  for (const e of document.querySelectorAll(
      '.jp-OutputArea-output, .jp-OutputArea-output .jupyter-widgets, .jp-OutputArea-output .widget-html-content')) {
    if (!shown(e)) continue;
    const scrolls = ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
    if (e.scrollWidth > e.clientWidth + 2 && !scrolls) out.overflow.push([desc(e), e.scrollWidth, e.clientWidth]);
  }
  for (const e of document.querySelectorAll('.jp-OutputArea-output .widget-label, .jp-OutputArea-output button, '
      + '.jp-OutputArea-output .widget-label-basic, .jp-OutputArea-output .widget-radio-box label')) {
    if (!shown(e) || !e.textContent.trim()) continue;
    if (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 2)
      out.clipped.push([desc(e), e.scrollWidth, e.clientWidth, e.scrollHeight, e.clientHeight]);
  }
  for (const box of document.querySelectorAll('.jp-OutputArea-output .widget-radio-box')) {
    const r = Array.from(box.querySelectorAll('label')).filter(shown).map(l => l.getBoundingClientRect());
    for (let i = 1; i < r.length; i++)
      if (r[i].top < r[i - 1].bottom - 1 && r[i].left < r[i - 1].right - 1) out.overlap.push([desc(box), i]);
  }
  for (const s of document.querySelectorAll('.jp-OutputArea-output .widget-hslider .slider-container')) {
    if (shown(s) && s.getBoundingClientRect().width < 120)
      out.short_sliders.push([desc(s.closest('.widget-hslider')), Math.round(s.getBoundingClientRect().width)]);
  }
  return out;
}"""


def check_layout(page, where: str) -> None:
    """No horizontal overflow of lesson content, no clipped label, no overlapping options, no slider under 120 px."""
    time.sleep(0.5)  # let the layout settle after a resize
    found = page.evaluate(LAYOUT_JS)
    assert found == {"overflow": [], "clipped": [], "overlap": [], "short_sliders": []}, f"{where}: {found}"


def axe_check(page, where: str, chrome_file: str | None = None) -> dict:
    """Run axe-core on the page; assert no serious/critical violation inside course content; return the counts.

    Findings outside the content (JupyterLab's or Voila's own interface) go to artifacts/<chrome_file>."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page).response
    inside, chrome = [], []
    for v in result["violations"]:
        if v["impact"] not in ("serious", "critical"):
            continue
        for node in v["nodes"]:
            target = node["target"][0]
            selector = target if isinstance(target, str) else target[0]
            in_content = page.evaluate(
                "([sel, content]) => { const e = document.querySelector(sel); return !!e && !!e.closest(content); }",
                [selector, CONTENT])
            (inside if in_content else chrome).append(
                {"rule": v["id"], "impact": v["impact"], "target": node["target"], "html": node["html"][:200],
                 "help": v["helpUrl"]})
    if chrome_file:
        out = ARTIFACTS / chrome_file
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(chrome, indent=1))
    assert not inside, f"{where}: axe-core finds serious/critical problems in course content: {inside[:5]}"
    return {"content": len(inside), "chrome": len(chrome)}


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
    page.set_viewport_size(SCREEN)
    page.goto(f"{lab_server.url}/lab/tree/notebooks/{name}?token={lab_server.token}&reset")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
    run_all(page)
    page.wait_for_selector(".jp-OutputArea .jupyter-widgets", timeout=60_000)
    assert page.evaluate(WIDGET_FAILURE_JS) == {"errs": 0, "stuck": 0, "tracebacks": 0}, f"{name}: widget failure"
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0, \
        f"{name}: a cell wrote to stderr"
    page.wait_for_function("() => !!window.__bonemetsCourse", timeout=30_000)  # the course's front-end support
    check_layout(page, f"{name} at 1280x720")
    axe_check(page, f"{name} in JupyterLab", f"axe-chrome-jupyterlab-{Path(name).stem}.json")
    page.set_viewport_size(ZOOM_150)
    check_layout(page, f"{name} at 150 % zoom")
    page.set_viewport_size(SCREEN)
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

    page.set_viewport_size(SCREEN)
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
    page.wait_for_function("() => !!window.__bonemetsCourse", timeout=30_000)
    check_layout(page, f"app view {name} at 1280x720")
    axe_check(page, f"{name} in the app view", f"axe-chrome-voila-{Path(name).stem}.json")
    small = page.evaluate(SMALL_TEXT_JS)
    assert not small, f"{name}: app-view text under 14 px: {small[:5]}"
    before = digest_voila(page)
    kind = change_first_control(page)
    deadline = time.monotonic() + 20
    while digest_voila(page) == before and time.monotonic() < deadline:
        time.sleep(0.2)
    screenshot(page, f"voila_{Path(name).stem}")
    assert digest_voila(page) != before, f"{name}: app view control ({kind}) changed nothing"


#: Visible text of widgets and outputs (tables, citations, printed tables) set under 14 px.
SMALL_TEXT_JS = """() => { const out = [];
  for (const e of document.querySelectorAll('.jupyter-widgets *, .jp-OutputArea-output *')) {
    if (![...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) || !e.getClientRects().length) continue;
    const px = parseFloat(getComputedStyle(e).fontSize);
    if (px < 13.95) out.push([px, e.textContent.trim().slice(0, 60)]); }
  return out; }"""


def digest_voila(page) -> str:
    js = """() => Array.from(document.querySelectorAll('.widget-html-content, img'))
        .map(e => e.tagName === 'IMG' ? e.getAttribute('src') : e.innerHTML).join('\\n')"""
    return hashlib.sha256(page.evaluate(js).encode()).hexdigest()


def test_instructor_command_serves_start_here(lab_server, page):
    """`python3 run.py lab --instructor` (what the fixture started) answers, and its address opens the source
    notebooks/00_start_here.ipynb."""
    import urllib.request

    with urllib.request.urlopen(f"{lab_server.url}/api/status?token={lab_server.token}", timeout=10) as r:
        assert r.status == 200
    page.goto(f"{lab_server.url}/?token={lab_server.token}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    assert "/lab/tree/notebooks/00_start_here.ipynb" in page.url
    # earlier tests may have left other lessons open in the workspace; the start-here tab must be there
    page.wait_for_selector("#jp-main-dock-panel .lm-TabBar-tabLabel:text-is('00_start_here.ipynb')", timeout=30_000)
