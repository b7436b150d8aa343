"""The instructors' app view: every lesson served by Voila on 127.0.0.1 with code hidden.

    python3 run.py present          # then open http://127.0.0.1:8866/ on the projector machine

Voila serves the **student versions** (``versions/student/``, written by ``python -m tools.versions``): the same lessons
without the cells tagged ``instructor-note``, and with every Think!/self-check answer folded behind a closed "Show
answer" disclosure, so no answer appears on the projector until the teacher opens it (click, or Tab and Enter). Voila runs each
notebook in its own kernel and shows only outputs and text (``strip_sources``): widgets and figures stay live.
(Voila 0.5 does not apply nbconvert's TagRemovePreprocessor to the cells it renders — checked in the browser test —
so hiding is done by serving the student versions rather than by tag filtering at render time.)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_DIR = ROOT / "versions" / "student"
VOILA_FLAGS = ("--strip_sources=True",)


def main(argv=None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    port = "8866"
    cmd = [sys.executable, "-m", "voila", str(APP_DIR), "--Voila.ip=127.0.0.1", f"--port={port}", *VOILA_FLAGS, *args]
    print(f"App view: http://127.0.0.1:{port}/  (Ctrl+C to stop)")
    return subprocess.call(cmd, cwd=ROOT)


if __name__ == "__main__":
    raise SystemExit(main())
