"""Shared fixtures: a real JupyterLab (and Voila) on 127.0.0.1 driven by headless Chromium through Playwright.

Servers start once per test session on a free port with a random token and throw-away config/runtime/settings
folders (nothing touches $HOME), and are shut down at the end. Every wait has a timeout, so a lost kernel message
fails a test instead of hanging the run.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
ARTIFACTS = ROOT / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-quic", "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def isolated_env(base: Path, *, quiet_settings: bool = True) -> dict:
    """Environment for a Jupyter server whose config, data, runtime and settings live under ``base``.

    ``quiet_settings=False`` leaves JupyterLab's settings at their defaults (news, autosave): the student-copy tests
    check that run.py's own options keep the first page free of prompts."""
    env = dict(os.environ)
    for var, sub in [("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                     ("JUPYTERLAB_SETTINGS_DIR", "settings"), ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
                     ("IPYTHONDIR", "ipython"), ("MPLCONFIGDIR", "mpl")]:
        (base / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(base / sub)
    settings = {
        # no news toast
        ("apputils-extension", "notification"): {"fetchNews": "false", "checkForUpdates": False},
        # never write back to the lessons under test (running them would otherwise autosave their outputs)
        ("docmanager-extension", "plugin"): {"autosave": False},
    }
    for (ext, plugin), values in (settings.items() if quiet_settings else ()):
        folder = base / "settings" / "@jupyterlab" / ext
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{plugin}.jupyterlab-settings").write_text(json.dumps(values))
    # kernels import this checkout's package even where it is not installed
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    env["PYTHONUNBUFFERED"] = "1"
    env["BONEMETS_PYTHON"] = sys.executable
    return env


def wait_http(url: str, proc: subprocess.Popen, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    last = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except Exception as exc:  # not up yet
            last = exc
        time.sleep(0.25)
    raise TimeoutError(f"server did not answer {url} within {timeout_s} s ({last})")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)
        except Exception:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


class Server:
    def __init__(self, url: str, token: str, proc: subprocess.Popen, log: Path):
        self.url, self.token, self.proc, self.log = url, token, proc, log


def _start(cmd: list[str], base: Path, status_path: str, name: str, env: dict | None = None,
           quiet_settings: bool = True) -> Server:
    port, token = free_port(), secrets.token_hex(16)
    cmd = [c.format(port=port, token=token) for c in cmd]
    log = base / f"{name}.log"
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**isolated_env(base, quiet_settings=quiet_settings), **(env or {})},
                            stdout=open(log, "wb"), stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{url}{status_path.format(token=token)}", proc)
    except Exception:
        stop(proc)
        raise RuntimeError(f"{name} did not start; log:\n{log.read_text(errors='replace')[-3000:]}") from None
    return Server(url, token, proc, log)


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory):
    base = tmp_path_factory.mktemp("jupyterlab")
    # The README's instructor command (run.py lab --instructor: the source lessons), pointed at this interpreter and
    # told not to open a browser.
    cmd = [sys.executable, "run.py", "lab", "--instructor", "--no-browser", "--ip=127.0.0.1", "--port={port}",
           "--ServerApp.port_retries=0", "--IdentityProvider.token={token}",
           "--ServerApp.shutdown_no_activity_timeout=1800"]
    server = _start(cmd, base, "/api/status?token={token}", "jupyterlab")
    yield server
    stop(server.proc)


def _student_server(tmp_path_factory, app: str) -> Server:
    """`python3 run.py <app>` as a student starts it: their own copy (in a temporary folder), default settings."""
    base = tmp_path_factory.mktemp(f"student-{app}")
    copy_dir = base / "my-course"
    cmd = [sys.executable, "run.py", app, "--no-browser", "--ip=127.0.0.1", "--port={port}",
           "--ServerApp.port_retries=0", "--IdentityProvider.token={token}",
           "--ServerApp.shutdown_no_activity_timeout=1800"]
    server = _start(cmd, base, "/api/status?token={token}", app, env={"BONEMETS_COPY_DIR": str(copy_dir)},
                    quiet_settings=False)
    server.copy_dir = copy_dir
    return server


@pytest.fixture(scope="session")
def student_lab(tmp_path_factory):
    server = _student_server(tmp_path_factory, "lab")
    yield server
    stop(server.proc)


@pytest.fixture(scope="session")
def student_notebook(tmp_path_factory):
    """Jupyter Notebook 7 on the student's copy (`python3 run.py notebook`)."""
    server = _student_server(tmp_path_factory, "notebook")
    yield server
    stop(server.proc)


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory):
    """The instructors' app view exactly as `python3 run.py present` starts it (tools.present: Voila on the student
    versions, app-view text size, idle-kernel culling)."""
    base = tmp_path_factory.mktemp("voila")
    cmd = [sys.executable, "-m", "tools.present", "--no-browser", "--port={port}", "--token={token}"]
    server = _start(cmd, base, "/?token={token}", "voila")
    yield server
    stop(server.proc)


def chromium_path() -> str | None:
    for cand in [os.environ.get("BONEMETS_CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser"),
                 "/usr/bin/chromium"]:
        if cand and Path(cand).exists():
            return cand
    return None  # fall back to Playwright's own browser


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        exe = chromium_path()
        b = p.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS) if exe else \
            p.chromium.launch(headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    pg.console_errors = []
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    yield pg
    context.close()


def screenshot(pg, name: str) -> Path:
    out = ARTIFACTS / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.png"
    pg.screenshot(path=str(path), full_page=False)
    return path


def wait_text(locator, needle: str, timeout_s: float = 20) -> str:
    """The locator's text once it contains ``needle`` (or its last text after ``timeout_s`` seconds)."""
    deadline = time.monotonic() + timeout_s
    text = ""
    while time.monotonic() < deadline:
        text = locator.inner_text()
        if needle in text:
            return text
        time.sleep(0.2)
    return text
