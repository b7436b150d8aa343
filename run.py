#!/usr/bin/env python3
"""One entry point for students, instructors and CI. Needs only Python >= 3.11 (standard library).

    python3 run.py lab        # make .venv, install the course, open YOUR copy of the lessons (my-course/) in JupyterLab
    python3 run.py lab --instructor   # the full source lessons in notebooks/ (answers and teacher notes included)
    python3 run.py notebook   # the same student copy in Jupyter Notebook 7 instead of JupyterLab
    python3 run.py reset 02   # put lesson 02 of your copy back to the original (your version is kept in a backup)
    python3 run.py test       # install what the tests need (and Chromium), run the whole suite
    python3 run.py test --oldest   # the same suite in .venv-oldest, built with the OLDEST supported versions
                                   # (constraints-oldest.txt); without -m it skips the browser tests
    python3 run.py present    # instructors' app view: every lesson in Voila, code hidden, on 127.0.0.1:8866
    python3 run.py present --scale 1.25   # the same, with widget and table text 25 % larger (projector)
    python3 run.py bench      # notebook wall times vs the floor, and widget update latency
    python3 run.py refresh    # regenerate the saved outputs of the compared (nbval) cells

Installs happen once: a stamp in .venv records a hash of requirements*.txt and pyproject.toml, so later runs skip
pip entirely and work offline. Extra arguments after the command go to the underlying tool
(e.g. ``python3 run.py lab --no-browser --port 8899`` or ``python3 run.py test -k surgery``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
#: BONEMETS_PYTHON=/path/to/python uses an existing environment instead of .venv (no installs); the browser tests
#: use it to start JupyterLab through this very script.
PY = Path(os.environ.get("BONEMETS_PYTHON") or BIN / ("python.exe" if os.name == "nt" else "python"))
#: The student's own working copy of the lessons (git-ignored): copied from versions/student/ on first start and
#: never overwritten once edited. BONEMETS_COPY_DIR points elsewhere (the browser tests use a temporary folder).
COPY_DIR = Path(os.environ.get("BONEMETS_COPY_DIR") or ROOT / "my-course")
STUDENT_SOURCE = ROOT / "versions" / "student"
MANIFEST = ".bonemets-copy.json"
FIRST_LESSON = "00_start_here.ipynb"
#: Server options shared by `lab` and `notebook`: no news or update checks (no first-page prompt); saved lessons keep
#: no dead widget views (bonemets_edu.jupyter_hooks replaces them with a "Run All to start" line).
SERVER_FLAGS = [
    "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
]
#: Holds jupyter_server_config.py (the pre-save hook), put on JUPYTER_CONFIG_PATH for the servers run.py starts.
SERVER_CONFIG = ROOT / "tools" / "jupyter_config"
#: notebook_shim (a dependency of Notebook 7 and Voila) reads the deprecated ServerApp.token while it lists the
#: server's settings, which prints a DeprecationWarning on every start although nothing here sets that option.
QUIET_WARNINGS = "ignore:ServerApp.token config is deprecated:DeprecationWarning"
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
    """Create .venv and install ``requirements`` once (a stamp records the requirement files' hash); ``constraints``
    pins versions (``--oldest``)."""
    if sys.version_info < (3, 11):  # noqa: UP036 - run.py may be started by an older python3
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    if os.environ.get("BONEMETS_PYTHON"):
        return
    files = [ROOT / requirements, ROOT / "requirements.txt", ROOT / "pyproject.toml"]
    if constraints:
        files.append(ROOT / constraints)
    digest = hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()[:16]
    stamp = VENV / f".installed-{requirements}-{digest}"
    if PY.exists() and stamp.exists():
        return
    started = time.monotonic()
    if not PY.exists():
        say(f"step 1 of 2: creating the course environment in {VENV} (a few seconds)")
        venv.EnvBuilder(with_pip=True).create(VENV)
    else:
        say(f"step 1 of 2: the course environment {VENV} exists; {requirements} changed since the last install")
    say(f"step 2 of 2: installing {requirements} and the course package with pip (needs the internet once; the "
        "first time takes 1-3 minutes and about 500 MB; pip lists each package as it goes)")
    extra = ["-c", constraints] if constraints else []
    if run([PY, "-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "on", "-r",
            requirements, *extra]) != 0:
        sys.exit("pip could not install the requirements; see the messages above (is the internet reachable?).")
    for old in VENV.glob(f".installed-{requirements}-*"):
        old.unlink()
    stamp.touch()
    say(f"set-up done in {time.monotonic() - started:.0f} s; later starts skip it and work offline")


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


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _manifest(copy_dir: Path) -> dict:
    try:
        return json.loads((copy_dir / MANIFEST).read_text("utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def sync_copy(copy_dir: Path = COPY_DIR, source: Path = STUDENT_SOURCE) -> dict[str, list[str]]:
    """Make or refresh the student's working copy: a lesson missing from the copy is copied from the student
    versions; a lesson the student has never changed (same hash as when it was copied) follows a newer course
    version; a lesson the student has changed is never touched. Returns the file names per outcome."""
    if not any(source.glob("*.ipynb")):
        sys.exit(f"No student versions in {source}: run `{PY} -m tools.versions` first.")
    copy_dir.mkdir(parents=True, exist_ok=True)
    manifest = _manifest(copy_dir)
    done: dict[str, list[str]] = {"new": [], "updated": [], "kept": []}
    for src in sorted(source.glob("*.ipynb")):
        dest = copy_dir / src.name
        if not dest.exists():
            shutil.copyfile(src, dest)
            done["new"].append(src.name)
        elif _sha(dest) == manifest.get(src.name) and _sha(src) != manifest.get(src.name):
            shutil.copyfile(src, dest)  # untouched copy of an older course version
            done["updated"].append(src.name)
        elif _sha(dest) != manifest.get(src.name) and _sha(dest) != _sha(src):
            done["kept"].append(src.name)
            continue
        manifest[src.name] = _sha(dest)
    (copy_dir / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return done


def reset_lessons(which: list[str], copy_dir: Path = COPY_DIR, source: Path = STUDENT_SOURCE) -> list[Path]:
    """Put lessons of the copy back to the student version; the student's file moves to copy_dir/backups/.
    ``which``: lesson numbers or name prefixes ("02", "05_focused"), or "all"."""
    lessons = sorted(source.glob("*.ipynb"))
    chosen = lessons if which == ["all"] else [p for p in lessons if any(p.name.startswith(w) for w in which)]
    unknown = [w for w in which if w != "all" and not any(p.name.startswith(w) for p in lessons)]
    if unknown or not which:
        names = ", ".join(p.name.split("_")[0] for p in lessons)
        sys.exit(f"reset: name a lesson by its number ({names}) or 'all'; got {' '.join(which) or 'nothing'}")
    manifest = _manifest(copy_dir)
    backups = copy_dir / "backups"
    stamp = time.strftime("%Y%m%d-%H%M%S")
    saved = []
    for src in chosen:
        dest = copy_dir / src.name
        if dest.exists() and _sha(dest) != _sha(src):
            backups.mkdir(parents=True, exist_ok=True)
            keep = backups / f"{src.stem}.{stamp}.ipynb"
            shutil.move(dest, keep)
            saved.append(keep)
        copy_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        manifest[src.name] = _sha(dest)
    (copy_dir / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return saved


#: JupyterLab / Notebook 7 defaults for the course (an overrides.d file in the environment's application settings, so
#: a student's own choices in Settings still win): no "Would you like to get notified about Jupyter news?" question
#: on the first page, and no update check. (--LabApp.news_url=None stops fetching the news but not the question.)
SETTINGS_OVERRIDES = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False}}


def write_settings_overrides() -> Path:
    folder = PY.parent.parent / "share" / "jupyter" / "lab" / "settings" / "overrides.d"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "bonemets-edu.json"
    text = json.dumps(SETTINGS_OVERRIDES, indent=1) + "\n"
    if not path.exists() or path.read_text("utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def _server_env() -> dict:
    env = dict(os.environ)
    warn = env.get("PYTHONWARNINGS")
    env["PYTHONWARNINGS"] = f"{warn},{QUIET_WARNINGS}" if warn else QUIET_WARNINGS
    path = env.get("JUPYTER_CONFIG_PATH")
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join([str(SERVER_CONFIG), *([path] if path else [])])
    return env


def _start_server(app: str, args) -> int:
    """`jupyter lab` or `jupyter notebook` on the student's copy, or with --instructor on notebooks/."""
    instructor = "--instructor" in args
    args = [a for a in args if a != "--instructor"]
    ensure_venv("requirements.txt")
    extra = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    if instructor:
        root, first = ROOT, f"notebooks/{FIRST_LESSON}"
        say("instructor mode: the full lessons in notebooks/ (answers and teacher notes included; changes you save "
            "there change the course itself)")
    else:
        done = sync_copy()
        root, first = COPY_DIR, FIRST_LESSON
        shown = COPY_DIR.relative_to(ROOT) if COPY_DIR.is_relative_to(ROOT) else COPY_DIR
        say(f"your own copy of the lessons is in {shown}/ ({len(done['new'])} new, {len(done['updated'])} updated "
            f"to the latest course version, {len(done['kept'])} kept with your changes)")
        if done["kept"]:
            say("to start a lesson over: python3 run.py reset 02   (your version is kept in the backups/ folder)")
    write_settings_overrides()
    prefix = "/lab/tree" if app == "lab" else "/notebooks"
    say(f"starting Jupyter{'Lab' if app == 'lab' else ' Notebook'} on {first} (press Ctrl+C twice to stop)")
    # default_url: the browser (and anyone who opens the server's root address) lands on the first lesson
    default = "LabApp" if app == "lab" else "JupyterNotebookApp"
    return run([PY, "-m", "jupyter", app, f"--ServerApp.root_dir={root}", f"--{default}.default_url={prefix}/{first}",
                *SERVER_FLAGS, *extra, *args], env=_server_env())


def cmd_lab(args) -> int:
    return _start_server("lab", args)


def cmd_notebook(args) -> int:
    return _start_server("notebook", args)


def cmd_reset(args) -> int:
    saved = reset_lessons(args)
    for path in saved:
        say(f"your previous version is kept as {path}")
    say("reset done; reload the lesson's browser tab (or reopen it) to see the fresh copy")
    return 0


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
    return run([PY, "-m", "tools.present", *args], env=_server_env())


def cmd_bench(args) -> int:
    ensure_venv("requirements-test.txt")
    return run([PY, "-m", "benchmarks", *args])


def cmd_refresh(args) -> int:
    ensure_venv("requirements-test.txt")
    return run([PY, "tools/refresh_outputs.py", *(args or ["--all"])])


COMMANDS = {"lab": cmd_lab, "notebook": cmd_notebook, "reset": cmd_reset, "test": cmd_test, "present": cmd_present,
            "bench": cmd_bench, "refresh": cmd_refresh}


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS:
        print(__doc__)
        return 2
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
