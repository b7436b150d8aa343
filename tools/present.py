"""The instructors' app view: every lesson served by Voila on 127.0.0.1 with code hidden.

    python -m tools.present            # then open the printed address on the projector machine

Voila runs each notebook in its own kernel and shows only outputs (widgets and figures stay live). Cells tagged
``remove-cell`` (setup), ``solution`` and ``instructor-note`` are dropped from the app view.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HIDDEN_TAGS = ("remove-cell", "solution", "instructor-note")
VOILA_FLAGS = (
    "--strip_sources=True",
    "--TagRemovePreprocessor.enabled=True",
    "--TagRemovePreprocessor.remove_cell_tags=" + repr(list(HIDDEN_TAGS)).replace("'", '"'),
)


def main(argv=None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    port = "8866"
    cmd = [sys.executable, "-m", "voila", str(ROOT / "notebooks"), "--Voila.ip=127.0.0.1", f"--port={port}",
           *VOILA_FLAGS, *args]
    print(f"App view: http://127.0.0.1:{port}/  (Ctrl+C to stop)")
    return subprocess.call(cmd, cwd=ROOT)


if __name__ == "__main__":
    raise SystemExit(main())
