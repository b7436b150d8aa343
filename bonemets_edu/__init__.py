"""bonemets_edu — an interactive course on local therapies for bone metastases.

For education only — not for diagnosis or treatment decisions.

Importing the package is cheap: it loads neither matplotlib nor ipywidgets. Submodules that need them
(``style``, ``display``, ``quiz``, ``widgets`` …) are imported on first attribute access::

    import bonemets_edu as bm
    bm.cite("fowler1989")          # references: no plotting stack needed
    bm.style.new_figure()          # imports matplotlib only now
"""

from __future__ import annotations

import importlib
import os
import warnings

from .disclaimer import DISCLAIMER
from .references import bibliography, cite

__version__ = "0.1.0"
__all__ = ["DISCLAIMER", "bibliography", "check", "cite", "__version__"]


def check() -> None:
    """Print the versions of the notebook stack and whether the widget front end matches the kernel."""
    from .envcheck import main

    main()


if os.environ.get("BONEMETS_STRICT_WARNINGS"):
    # The test suite (nbval kernels included) turns warnings raised from this package into errors.
    warnings.filterwarnings("error", module=r"bonemets_edu(\..*)?$")


def __getattr__(name: str):
    if name.startswith("_"):
        raise AttributeError(name)
    try:
        return importlib.import_module(f".{name}", __name__)
    except ModuleNotFoundError as exc:
        if exc.name == f"{__name__}.{name}":
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
        raise
