"""The instructors' app view: every lesson served by Voila on 127.0.0.1 with code hidden.

    python3 run.py present                # then open http://127.0.0.1:8866/ on the projector machine
    python3 run.py present --scale 1.25   # widget and table text 25 % larger (a big room, a far projector)

Voila serves the **student versions** (``versions/student/``, written by ``python -m tools.versions``): the same lessons
without the cells tagged ``instructor-note``, and with every Think!/self-check answer folded behind a closed "Show
answer" disclosure, so no answer appears on the projector until the teacher opens it (click, or Tab and Enter). Voila runs each
notebook in its own kernel and shows only outputs and text (``strip_sources``): widgets and figures stay live.
(Voila 0.5 does not apply nbconvert's TagRemovePreprocessor to the cells it renders — checked in the browser test —
so hiding is done by serving the student versions rather than by tag filtering at render time.)

**Projector text size.** The kernels inherit ``BONEMETS_APP_VIEW=1`` and ``BONEMETS_SCALE``; the course stylesheet
(``bonemets_edu.frontend``) then sets widget, table and citation text to 14 px × scale (JupyterLab's widgets use 13 px).
``--scale`` takes 0.75–2.5.

**Idle kernels are shut down.** Voila starts a kernel for every page load and keeps it while the page is open. A kernel
whose page was closed or reloaded (no connection left) and that has been idle for ``CULL_IDLE_S`` seconds is shut
down; the check runs every ``CULL_INTERVAL_S`` seconds (jupyter_server's ``MappingKernelManager`` culling, which Voila
0.5 uses; ``cull_connected`` stays off, so a lesson still open on the projector is never culled). Pass other values
on the command line, e.g. ``--MappingKernelManager.cull_idle_timeout=1800``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_DIR = ROOT / "versions" / "student"
#: Notebook 7 installs a JupyterLab extension that cannot load inside Voila (it logs a module-federation error).
VOILA_FLAGS = ("--strip_sources=True", "--VoilaConfiguration.extension_denylist=@jupyter-notebook/lab-extension")
CULL_IDLE_S = 600
CULL_INTERVAL_S = 60
CULL_FLAGS = (f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_S}",
              f"--MappingKernelManager.cull_interval={CULL_INTERVAL_S}")


def app_env(scale: float = 1.0, base: dict | None = None) -> dict:
    """The environment for Voila and its kernels: the app-view flag and the presentation scale."""
    env = dict(os.environ if base is None else base)
    env["BONEMETS_APP_VIEW"] = "1"
    env["BONEMETS_SCALE"] = f"{scale:g}"
    return env


def _scale(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--scale must be a number from 0.75 to 2.5, got {text!r}") from None
    if not 0.75 <= value <= 2.5:
        raise argparse.ArgumentTypeError(f"--scale must be from 0.75 to 2.5, got {value:g}")
    return value


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="The instructors' app view (Voila).", add_help=True)
    ap.add_argument("--scale", type=_scale, default=1.0, help="text size factor for the projector (0.75-2.5)")
    ap.add_argument("--port", default="8866")
    args, rest = ap.parse_known_args(list(sys.argv[1:] if argv is None else argv))
    defaults = [f for f in CULL_FLAGS if not any(r.startswith(f.split("=")[0] + "=") for r in rest)]
    cmd = [sys.executable, "-m", "voila", str(APP_DIR), "--Voila.ip=127.0.0.1", f"--port={args.port}", *VOILA_FLAGS,
           *defaults, *rest]
    print(f"App view: http://127.0.0.1:{args.port}/  (scale {args.scale:g}; idle kernels of closed pages stop after "
          f"{CULL_IDLE_S // 60} min; Ctrl+C to stop)", flush=True)
    return subprocess.call(cmd, cwd=ROOT, env=app_env(args.scale))


if __name__ == "__main__":
    raise SystemExit(main())
