"""Environment check: ``python -m bonemets_edu.envcheck`` or ``bonemets_edu.check()`` in a notebook.

Prints the versions of Python, JupyterLab, ipywidgets, jupyterlab_widgets and matplotlib and says plainly whether the
widget front end (the ``jupyterlab_widgets`` extension JupyterLab loads) matches the kernel's ``ipywidgets``.
ipywidgets 8.x pairs with jupyterlab_widgets 3.x; ipywidgets 7.x with jupyterlab_widgets 1.x. A mismatch is the usual
cause of "Error displaying widget" or of widgets that show as plain text.
"""

from __future__ import annotations

import platform
import sys
from importlib import metadata

PACKAGES = ["jupyterlab", "ipywidgets", "jupyterlab_widgets", "matplotlib", "ipykernel", "numpy", "bonemets-edu"]
#: ipywidgets major version → the jupyterlab_widgets major version that renders it.
FRONTEND_FOR = {8: 3, 7: 1}


def versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def _major(v: str | None) -> int | None:
    try:
        return int(v.split(".")[0]) if v else None
    except ValueError:
        return None


def widget_verdict(ipywidgets_version: str | None, frontend_version: str | None) -> tuple[bool, str]:
    """(ok, plain-language verdict) for a kernel ipywidgets version and a front-end jupyterlab_widgets version."""
    if ipywidgets_version is None:
        return False, "ipywidgets is not installed in this kernel: run the README's main command again."
    if frontend_version is None:
        return False, ("JupyterLab's widget extension (jupyterlab_widgets) is not installed where this kernel runs. "
                       "If JupyterLab runs from another environment, install ipywidgets 8 there too.")
    want = FRONTEND_FOR.get(_major(ipywidgets_version))
    have = _major(frontend_version)
    if want is None:
        return False, f"ipywidgets {ipywidgets_version} is not a version this course knows (it needs 8.x)."
    if have != want:
        return False, (f"Mismatch: the kernel has ipywidgets {ipywidgets_version}, which needs jupyterlab_widgets "
                       f"{want}.x, but {frontend_version} is installed. Reinstall with the README's main command.")
    return True, (f"Widgets match: kernel ipywidgets {ipywidgets_version} with front end jupyterlab_widgets "
                  f"{frontend_version}.")


def report() -> tuple[bool, str]:
    v = versions()
    lines = [f"Python              {v['python']}  ({sys.executable})"]
    for name in PACKAGES:
        lines.append(f"{name:20s}{v[name] or 'not installed'}")
    ok, verdict = widget_verdict(v["ipywidgets"], v["jupyterlab_widgets"])
    py_ok = sys.version_info >= (3, 11)
    if not py_ok:
        lines.append("Python 3.11 or newer is needed.")
    lines.append(("OK: " if ok else "PROBLEM: ") + verdict)
    return ok and py_ok, "\n".join(lines)


def main() -> int:
    ok, text = report()
    print(text)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
