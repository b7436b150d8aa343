#!/usr/bin/env python3
"""One entry point for students, instructors and CI. Needs only Python >= 3.11 (standard library).

    python3 run.py lab        # make .venv, install the course, open JupyterLab on notebooks/00_start_here.ipynb
    python3 run.py test       # install what the tests need (and Chromium), run the whole suite
    python3 run.py test --oldest   # the same suite in .venv-oldest, built with the OLDEST supported versions
                                   # (constraints-oldest.txt); without -m it skips the browser tests
    python3 run.py present    # instructors' app view: every lesson in Voila, code hidden, on 127.0.0.1:8866
    python3 run.py bench      # notebook wall times vs the floor, and widget update latency
    python3 run.py refresh    # regenerate the saved outputs of the compared (nbval) cells

Installs happen once: a stamp in .venv records a hash of requirements*.txt and pyproject.toml, so later runs skip
pip entirely and work offline. Extra arguments after the command go to the underlying tool
(e.g. ``python3 run.py lab --no-browser --port 8899`` or ``python3 run.py test -k surgery``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
#: BONEMETS_PYTHON=/path/to/python uses an existing environment instead of .venv (no installs); the browser tests
#: use it to start JupyterLab through this very script.
PY = Path(os.environ.get("BONEMETS_PYTHON") or BIN / ("python.exe" if os.name == "nt" else "python"))
#: Outer limits so that a lost kernel message fails a run instead of hanging it (seconds).
KERNEL_START_TIMEOUT = 90
CELL_TIMEOUT = 180
TEST_TIMEOUT = 600


def say(msg: str) -> None:
    print(f"[bonemets-edu] {msg}", flush=True)


def run(cmd, **kw) -> int:
    return subprocess.call([str(c) for c in cmd], cwd=ROOT, **kw)


#: The oldest supported versions of the course's dependencies (``python3 run.py test --oldest``).
OLDEST_CONSTRAINTS = "constraints-oldest.txt"


def use_venv(path: Path) -> None:
    """Point the commands at another environment (``--oldest``)."""
    global VENV, BIN, PY
    VENV = path
    BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
    PY = BIN / ("python.exe" if os.name == "nt" else "python")


def ensure_venv(requirements: str, constraints: str | None = None) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - run.py may be started by an older python3
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    if os.environ.get("BONEMETS_PYTHON"):
        return
    if not PY.exists():
        say(f"creating the course environment in {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    files = [ROOT / requirements, ROOT / "requirements.txt", ROOT / "pyproject.toml"]
    if constraints:
        files.append(ROOT / constraints)
    digest = hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()[:16]
    stamp = VENV / f".installed-{requirements}-{digest}"
    if stamp.exists():
        return
    say(f"installing {requirements} and the course package (needs the internet once)")
    extra = ["-c", constraints] if constraints else []
    if run([PY, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", requirements, *extra]) != 0:
        sys.exit("pip could not install the requirements; see the messages above (is the internet reachable?).")
    for old in VENV.glob(f".installed-{requirements}-*"):
        old.unlink()
    stamp.touch()


def find_chromium() -> str | None:
    for cand in (os.environ.get("BONEMETS_CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser"),
                 "/usr/bin/chromium"):
        if cand and Path(cand).exists():
            return cand
    return None


def playwright_has_browser() -> bool:
    probe = ("from playwright.sync_api import sync_playwright\n"
             "with sync_playwright() as p:\n    import os; raise SystemExit(0 if os.path.exists("
             "p.chromium.executable_path) else 1)")
    return run([PY, "-c", probe], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0


def ensure_browser() -> None:
    if find_chromium():
        return
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if is_root and shutil.which("apt-get"):
        say("Chromium is missing: installing Debian's chromium with apt-get")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        if run(["apt-get", "update", "-qq"], env=env) == 0:
            run(["apt-get", "install", "-y", "-qq", "chromium"], env=env)
        if find_chromium():
            return
    if playwright_has_browser():
        return
    say("no system Chromium: trying Playwright's own browser download")
    if run([PY, "-m", "playwright", "install", "chromium"]) == 0 and playwright_has_browser():
        return
    sys.exit(
        "The browser tests need Chromium and none could be installed.\n"
        "  * Debian/Ubuntu: sudo apt-get install chromium   (then run this command again)\n"
        "  * elsewhere:     .venv/bin/python -m playwright install chromium\n"
        "  * or point to a Chrome/Chromium binary: BONEMETS_CHROMIUM=/path/to/chrome python3 run.py test\n"
        "  * or run everything except the browser tests: python3 run.py test -m 'not browser'"
    )


def cmd_lab(args) -> int:
    ensure_venv("requirements.txt")
    extra = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    say("starting JupyterLab on notebooks/00_start_here.ipynb (Ctrl+C twice to stop)")
    # default_url: the browser (and anyone who opens the server's root address) lands on the first lesson
    return run([PY, "-m", "jupyter", "lab", f"--ServerApp.root_dir={ROOT}",
                "--LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb", *extra, *args])


def pytest_command(args) -> list:
    return [
        PY, "-m", "pytest", "tests", "notebooks",
        "--ignore=tests/fixtures", "--ignore-glob=*.ipynb_checkpoints*",
        "--nbval-lax", "--nbval-current-env", "--nbval-sanitize-with", "tests/sanitize.cfg",
        f"--nbval-kernel-startup-timeout={KERNEL_START_TIMEOUT}", f"--nbval-cell-timeout={CELL_TIMEOUT}",
        f"--timeout={TEST_TIMEOUT}", "-p", "no:cacheprovider", *args,
    ]


def test_env() -> dict:
    return dict(os.environ, BONEMETS_STRICT_WARNINGS="1", MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1")


def cmd_test(args) -> int:
    if "--oldest" in args:
        # a second environment with the oldest versions requirements.txt allows (CI keeps the newest)
        args = [a for a in args if a != "--oldest"]
        if os.environ.get("BONEMETS_PYTHON"):
            sys.exit("--oldest builds its own environment; unset BONEMETS_PYTHON")
        use_venv(ROOT / ".venv-oldest")
        ensure_venv("requirements-test.txt", constraints=OLDEST_CONSTRAINTS)
        if not any(a == "-m" or a.startswith("-m") for a in args):
            args = ["-m", "not browser", *args]
        run([PY, "-c", "import matplotlib, ipywidgets, numpy; print('[bonemets-edu] oldest: matplotlib',"
                       " matplotlib.__version__, 'ipywidgets', ipywidgets.__version__, 'numpy', numpy.__version__)"])
        return run(pytest_command(args), env=test_env())
    ensure_venv("requirements-test.txt")
    if not any("not browser" in a for a in args):
        ensure_browser()
    say("running unit tests, every notebook (nbval) and the browser tests")
    return run(pytest_command(args), env=test_env())


def cmd_present(args) -> int:
    ensure_venv("requirements.txt")
    return run([PY, "-m", "tools.present", *args])


def cmd_bench(args) -> int:
    ensure_venv("requirements-test.txt")
    return run([PY, "-m", "benchmarks", *args])


def cmd_refresh(args) -> int:
    ensure_venv("requirements-test.txt")
    return run([PY, "tools/refresh_outputs.py", *(args or ["--all"])])


COMMANDS = {"lab": cmd_lab, "test": cmd_test, "present": cmd_present, "bench": cmd_bench, "refresh": cmd_refresh}


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS:
        print(__doc__)
        return 2
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
