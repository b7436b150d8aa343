"""End to end: what the student waits for, from a control change in the browser to the new output on screen.

For every lesson's main widget (``CASES``: lessons 00–05 and 01b with a figure, 06a and 06b with HTML text), a
one-cell notebook that builds it is opened in a real JupyterLab (127.0.0.1, started the way ``python3 run.py lab``
starts it) in headless Debian Chromium driven by Playwright. The control is changed the way a student changes it
(arrow keys on a focused slider handle, choosing a dropdown option, clicking a toggle button) ``n`` times, and the
page records, with ``performance.now()``:

* ``t0`` — the input event (keydown / change / click, captured before the widget sees it);
* ``received`` — figure panes (``pane="image"``): the new image reached the page (the figure widget's change event;
  for the old HTML pane: the new ``<img>`` element appeared in the DOM). HTML panes (``pane="html"``: the widget
  answers with text, e.g. lesson 06a's comparison cards): the last change of the DOM text in the widget's output
  outside the control itself (a ``MutationObserver``; the update counts as complete after ``QUIET_MS`` without a
  further change);
* ``painted`` — the image is decoded (``img.decode()``; HTML: nothing to decode) and the next animation frame has
  run, i.e. it is painted.

Breakdown (medians): **kernel** — the same update timed in Python (``mutate`` on the widget in a separate process,
as ``benchmarks.harness`` does); **messages** — ``received − t0`` minus the kernel time (the control's message to the
kernel, the reply, serialisation and the widget manager); **page** — ``painted − received`` (decode and layout in the
page). ``--source DIR`` runs the kernels (and the kernel-time measurement) on another checkout of the course, e.g.
``git archive <commit> | tar -x -C DIR`` for a before/after comparison.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
#: Where the one-cell notebooks are written (under the server's root; git-ignored).
WORK = ROOT / "benchmarks" / "results" / "e2e"


@dataclass
class Case:
    name: str
    setup: str  # Python that builds the widget as ``app`` (and may answer some of its controls)
    control: str  # the control's key in ``app.controls``
    label: str  # text of the control's description (finds it in the page)
    kind: str  # "slider", "dropdown" or "toggle"
    sweep: int = 8  # sliders: steps up (or down, if negative) before turning back
    pane: str = "image"  # what shows the answer: "image" (a figure) or "html" (text in HTML widgets)


CASES = [
    Case("00 study planner: time slider", "from bonemets_edu.widgets.course import study_planner\n"
         "app = study_planner(minutes=60)", "minutes", "Time you have today", "slider"),
    Case("01 vicious cycle: step slider", "from bonemets_edu.widgets.biology import vicious_cycle\n"
         "app = vicious_cycle()", "step", "Step of the cycle", "slider", sweep=3),
    Case("01 bone remodeling: growth slider", "from bonemets_edu.widgets.biology import bone_remodeling\n"
         "app = bone_remodeling()", "growth", "Tumour growth rate", "slider"),
    Case("01b pain response: follow-up pain", "from bonemets_edu.widgets.assessment import PainResponseClassifier\n"
         "app = PainResponseClassifier()", "follow_up_pain", "Worst pain at follow-up", "slider", sweep=6),
    Case("02 schedule comparison: schedule B", "from bonemets_edu.widgets.radiation import schedule_comparison\n"
         "app = schedule_comparison()", "schedule_b", "Schedule B", "dropdown"),
    Case("03 Mirels calculator: pain", "from bonemets_edu.widgets.surgery import mirels_calculator\n"
         "app = mirels_calculator()\n"
         "for k, v in dict(site='lower limb', lesion='lytic', size='1/3 to 2/3', pain='mild').items():\n"
         "    app.controls[k].value = v", "pain", "Pain", "toggle"),
    Case("04 ablation zone: probe temperature", "from bonemets_edu.widgets.ablation import zone_explorer\n"
         "app = zone_explorer()", "probe_temperature", "Probe temperature", "slider", sweep=-8),
    Case("05 sonication planner: power", "from bonemets_edu.widgets.fus import sonication_planner\n"
         "app = sonication_planner()", "power", "Acoustic power", "slider"),
    # every fracture option changes the cards' verdicts and the summary line (checked in Python), so each change
    # has new text to wait for
    Case("06a comparison cards: fracture", "from bonemets_edu.widgets.choosing import comparison_table\n"
         "app = comparison_table()", "fracture", "Fracture at this site", "dropdown", pane="html"),
    Case("06b case conference: case", "from bonemets_edu.widgets.choosing import case_conference\n"
         "app = case_conference(include_worked=False)", "case", "Case (synthetic)", "dropdown", pane="html"),
]

#: HTML panes: the update is complete when the widget's text has not changed for this long (ms).
QUIET_MS = 300

# --- the sequence of changes (the same in the page and in the kernel-time measurement) -----------------------------


def slider_offsets(n: int, sweep: int) -> list[int]:
    """Positions (in slider steps from the start) after each of ``n`` key presses: out ``sweep`` steps and back."""
    k, sign, out, pos, direction = abs(sweep), (1 if sweep > 0 else -1), [], 0, 1
    for _ in range(n):
        if not 0 <= pos + direction <= k:
            direction = -direction
        pos += direction
        out.append(sign * pos)
    return out


def option_indices(n: int, count: int, start: int) -> list[int]:
    return [(start + 1 + i) % count for i in range(n)]


KERNEL_TIMING = r"""
import json, statistics, sys, time
sys.path.insert(0, {root!r})
from benchmarks.e2e import option_indices, slider_offsets
{setup}
c = app.controls[{control!r}]
n, warm = {n}, {warm}
if {kind!r} == "slider":
    v0 = c.value
    values = [v0 + off * c.step for off in slider_offsets(n + warm, {sweep})]
else:
    opts = [o[1] if isinstance(o, tuple) else o for o in c.options]
    values = [opts[i] for i in option_indices(n + warm, len(opts), opts.index(c.value))]
samples = []
for i, v in enumerate(values):
    t = time.perf_counter()
    c.value = v
    if i >= warm:
        samples.append((time.perf_counter() - t) * 1000)
print(json.dumps(samples))
"""


def kernel_times(case: Case, n: int, warm: int, source: Path) -> list[float]:
    code = KERNEL_TIMING.format(root=str(ROOT), setup=case.setup, control=case.control, n=n, warm=warm,
                                kind=case.kind, sweep=case.sweep)
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONPATH=str(source))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        raise RuntimeError(f"kernel timing of {case.name} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- the page ------------------------------------------------------------------------------------------------------

INSTRUMENT_JS = """mode => {
  if (window.__bm) return;
  const bm = window.__bm = {t0: null, done: null, mode};
  for (const type of ["keydown", "change", "click"]) {
    document.addEventListener(type, () => { if (bm.t0 === null) bm.t0 = performance.now(); }, true);
  }
  const finish = bm.finish = (received, decoded, painted, how) => {
    if (bm.t0 !== null && bm.done === null) bm.done = {t0: bm.t0, received, decoded, painted, how};
  };
  if (mode !== "image") return;  // (HTML panes: WATCH_HTML_JS)
  // the figure widget (bonemets_edu.ui.PNGImage) reports each frame itself
  document.addEventListener("bm-frame", e => finish(e.detail.received, e.detail.decoded, e.detail.painted, "png"));
  // an <img src="data:..."> put into the page as HTML (the HTML pane before the figure widget)
  const seen = async img => {
    const received = performance.now();
    try { await img.decode(); } catch (err) {}
    const decoded = performance.now();
    requestAnimationFrame(() => finish(received, decoded, performance.now(), "html"));
  };
  new MutationObserver(records => {
    for (const r of records) for (const node of r.addedNodes) {
      if (node.nodeType !== 1) continue;
      const imgs = node.tagName === "IMG" ? [node] : Array.from(node.querySelectorAll("img"));
      for (const img of imgs) if ((img.getAttribute("src") || "").startsWith("data:image/png")) seen(img);
    }
  }).observe(document.body, {childList: true, subtree: true});
}"""

#: HTML panes: time the last change of text in the widget's output (``root``) outside the control being changed
#: (its own readout and echo are not the answer), and the animation frame after it.
WATCH_HTML_JS = """([root, control, quiet]) => {
  const bm = window.__bm;
  let last = null, timer = null;
  new MutationObserver(records => {
    if (bm.t0 === null || bm.done !== null) return;
    if (records.every(r => control.contains(r.target))) return;
    const mark = last = {received: performance.now(), painted: null};
    requestAnimationFrame(() => { mark.painted = performance.now(); });
    clearTimeout(timer);
    const check = () => {
      if (last !== mark) return;
      if (mark.painted === null) { timer = setTimeout(check, 16); return; }
      bm.finish(mark.received, mark.received, mark.painted, "html");
    };
    timer = setTimeout(check, quiet);
  }).observe(root, {childList: true, subtree: true, characterData: true});
}"""


def write_notebook(case: Case, path: Path) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(case.setup + "\napp")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


def start_lab(base: Path, source: Path):
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import free_port, isolated_env, stop, wait_http

    port, token = free_port(), os.urandom(16).hex()
    env = isolated_env(base)
    env["PYTHONPATH"] = os.pathsep.join([str(source), str(ROOT)])
    log = open(base / "jupyterlab.log", "wb")
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    log.close()  # (the server has its own copy of the descriptor)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{url}/api/status?token={token}", proc)
    except BaseException:
        stop(proc)
        raise
    return url, token, proc, stop


def shutdown_kernels(url: str, token: str) -> None:
    import urllib.request

    with urllib.request.urlopen(f"{url}/api/sessions?token={token}", timeout=10) as r:
        sessions = json.load(r)
    for sess in sessions:
        req = urllib.request.Request(f"{url}/api/sessions/{sess['id']}?token={token}", method="DELETE")
        urllib.request.urlopen(req, timeout=30).close()


def dismiss_dialog(page) -> str:
    """Accept a JupyterLab dialog if one is open (e.g. the kernel chooser); returns its text."""
    dialog = page.locator(".jp-Dialog")
    if dialog.count() and dialog.first.is_visible():
        text = dialog.first.inner_text()
        page.locator(".jp-Dialog .jp-mod-accept").first.click()
        return text
    return ""


def run_cell(page) -> None:
    page.wait_for_timeout(500)
    dismiss_dialog(page)
    page.locator(".jp-Notebook .jp-Cell").first.click()
    for _attempt in range(6):
        page.keyboard.press("Shift+Enter")
        try:
            page.wait_for_function("""() => /\\[\\d+\\]/.test(
                (document.querySelector('.jp-CodeCell .jp-InputPrompt') || {}).textContent || '')""",
                                   timeout=20_000)
            return
        except Exception:
            print("  (retrying the cell;", dismiss_dialog(page)[:80].replace("\n", " "), ")", file=sys.stderr)
            page.locator(".jp-Notebook .jp-Cell").first.click()
    raise RuntimeError("the cell did not run")


def measure_page(page, case: Case, n: int, warm: int) -> list[dict]:
    out = page.locator(".jp-OutputArea-output").first
    box = out.locator({"slider": ".widget-slider", "dropdown": ".widget-dropdown",
                       "toggle": ".widget-toggle-buttons"}[case.kind]).filter(has_text=case.label).first
    if case.pane == "image":
        out.locator(".bm-png-image img, img.bm-figure").first.wait_for(state="visible", timeout=120_000)
    else:
        box.wait_for(state="visible", timeout=120_000)
    page.evaluate(INSTRUMENT_JS, case.pane)
    if case.pane == "html":
        page.evaluate(WATCH_HTML_JS, [out.element_handle(), box.element_handle(), QUIET_MS])
    if case.kind == "slider":
        ctrl = box.locator(".noUi-handle").first
        offsets = slider_offsets(n + warm, case.sweep)
        keys = []
        prev = 0
        for off in offsets:
            keys.append("ArrowRight" if off > prev else "ArrowLeft")
            prev = off
    elif case.kind == "dropdown":
        ctrl = box.locator("select").first
        count = ctrl.evaluate("e => e.options.length")
        steps = option_indices(n + warm, count, ctrl.evaluate("e => e.selectedIndex"))
    else:
        buttons = box.locator("button")
        count = buttons.count()
        active = next(i for i in range(count) if "mod-active" in (buttons.nth(i).get_attribute("class") or ""))
        steps = option_indices(n + warm, count, active)
    box.scroll_into_view_if_needed()
    if case.kind == "slider":
        ctrl.focus()
    samples = []
    for i in range(n + warm):
        page.evaluate("() => { window.__bm.t0 = null; window.__bm.done = null; }")
        if case.kind == "slider":
            page.keyboard.press(keys[i])
        elif case.kind == "dropdown":
            ctrl.select_option(index=steps[i])
        else:
            buttons.nth(steps[i]).click()
        page.wait_for_function("() => window.__bm.done !== null", timeout=30_000)
        rec = page.evaluate("() => window.__bm.done")
        if i >= warm:
            samples.append(rec)
        page.wait_for_timeout(150)  # a student's pace: let the kernel go idle between changes
    return samples


def run_e2e(n: int = 20, warm: int = 2, only: str | None = None, source: Path | None = None) -> list[dict]:
    """Measure the cases whose name contains ``only`` (or one of its comma-separated parts); never leaves the
    JupyterLab server, its kernels or Chromium running, also after an error, Ctrl-C or SIGTERM."""
    sys.path.insert(0, str(ROOT / "tests"))
    source = Path(source or ROOT).resolve()
    wanted = [w.strip().lower() for w in (only or "").split(",") if w.strip()]
    cases = [c for c in CASES if not wanted or any(w in c.name.lower() for w in wanted)]
    WORK.mkdir(parents=True, exist_ok=True)
    with _sigterm_as_exit():
        return _run_cases(cases, n, warm, source)


@contextlib.contextmanager
def _sigterm_as_exit():
    """A plain SIGTERM (e.g. from a timeout) would end Python without the clean-up of ``_run_cases``: make it an
    exit that runs it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def exit_(signum, _frame):
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, exit_)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run_cases(cases: list[Case], n: int, warm: int, source: Path) -> list[dict]:
    from conftest import CHROMIUM_ARGS, chromium_path
    from playwright.sync_api import sync_playwright

    base = Path(tempfile.mkdtemp(prefix="bm-e2e-"))
    try:
        url, token, proc, stop = start_lab(base, source)
    except BaseException:
        shutil.rmtree(base, ignore_errors=True)
        raise
    rows = []
    try:
        with sync_playwright() as p:
            exe = chromium_path()
            browser = p.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS) if exe else \
                p.chromium.launch(headless=True, args=CHROMIUM_ARGS)
            try:
                rows = measure_cases(browser, cases, url, token, n, warm, source)
            finally:
                with contextlib.suppress(Exception):  # (after Ctrl-C the driver may be gone, and Chromium with it)
                    browser.close()
    finally:
        # Leave nothing running, even after an error or Ctrl-C: the kernels first (they run in sessions of their
        # own, so stopping the server's process group does not reach them), then the server.
        try:
            shutdown_kernels(url, token)
        except Exception:
            pass
        stop(proc)
        shutil.rmtree(base, ignore_errors=True)
    return rows


def measure_cases(browser, cases: list[Case], url: str, token: str, n: int, warm: int, source: Path) -> list[dict]:
    rows = []
    for idx, case in enumerate(cases):
        nb = WORK / f"e2e_{idx}.ipynb"
        write_notebook(case, nb)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(f"{url}/lab/tree/{nb.relative_to(ROOT).as_posix()}?token={token}&reset")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
        print(f"  e2e: {case.name} ...", file=sys.stderr, flush=True)
        try:
            run_cell(page)
            samples = measure_page(page, case, n, warm)
        except Exception as exc:  # report the case as failed and go on with the next lesson
            shot = WORK / f"e2e_{idx}_failed.png"
            page.screenshot(path=str(shot))
            rows.append({"name": case.name, "error": f"{type(exc).__name__} (screenshot {shot.name})"})
            context.close()
            shutdown_kernels(url, token)
            continue
        context.close()
        shutdown_kernels(url, token)  # one kernel at a time, as a student works
        kernel = kernel_times(case, n, warm, source)
        rows.append(summarise(case, samples, kernel))
    return rows


def summarise(case: Case, samples: list[dict], kernel: list[float]) -> dict:
    total = [s["painted"] - s["t0"] for s in samples]
    arrive = [s["received"] - s["t0"] for s in samples]
    page = [s["painted"] - s["received"] for s in samples]
    k = statistics.median(kernel)
    return {
        "name": case.name, "how": samples[0]["how"], "n": len(samples),
        "median_ms": statistics.median(total), "p95_ms": float(np.percentile(total, 95)), "max_ms": max(total),
        "kernel_ms": k, "messages_ms": max(statistics.median(arrive) - k, 0.0), "page_ms": statistics.median(page),
    }


def format_rows(rows: list[dict]) -> str:
    head = (f"{'lesson widget: control':40s} {'pane':>5s} {'median':>7s} {'p95':>7s} {'max':>7s} {'kernel':>7s} "
            f"{'messages':>8s} {'page':>6s}  verdict (median < 100, p95 < 200)")
    lines = [head, "-" * len(head)]
    for r in rows:
        if "error" in r:
            lines.append(f"{r['name'][:40]:40s} FAILED: {r['error']}")
            continue
        ok = r["median_ms"] < 100 and r["p95_ms"] < 200
        lines.append(f"{r['name'][:40]:40s} {r['how']:>5s} {r['median_ms']:7.1f} {r['p95_ms']:7.1f} {r['max_ms']:7.1f} "
                     f"{r['kernel_ms']:7.1f} {r['messages_ms']:8.1f} {r['page_ms']:6.1f}  "
                     f"{'within' if ok else 'OVER'}")
    if any("error" not in r for r in rows):
        med = statistics.median(r["median_ms"] for r in rows if "error" not in r)
        lines.append(f"{'median over the lessons':40s} {'':>5s} {med:7.1f}")
    return "\n".join(lines)
