"""Server-side hooks for the Jupyter server that `python3 run.py lab` / `notebook` start.

``clear_widget_views`` is the contents manager's ``pre_save_hook``. A saved widget output holds only a reference to a
model that lives in the kernel; after the lesson is closed and reopened that model is gone, and JupyterLab and
Notebook 7 show "Error displaying widget: model not found" in every widget cell until Run All. So, when a lesson is
saved, each widget view in an output is replaced by one plain line that says how to bring it back. Figures, printed
text and everything else in the outputs are saved as they are. (Voila runs every notebook afresh, so it never sees
saved widget outputs.) The hook changes only what is written to disk: the open page keeps its live widgets.
"""

from __future__ import annotations

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
#: What a saved widget cell shows after the lesson is reopened.
RUN_ALL_NOTE = "Interactive control: run the lesson to start it (menu Run → Run All Cells)."
RUN_ALL_HTML = f'<p class="bm-run-all-note"><em>{RUN_ALL_NOTE}</em></p>'


def strip_widget_views(nb: dict) -> int:
    """Replace widget views in ``nb``'s outputs with the "Run All" note, in place; return how many were replaced.

    Also drops saved widget state (notebook metadata ``widgets``): without the kernel it only draws inert copies.
    """
    replaced = 0
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        for out in cell.get("outputs", []):
            data = out.get("data")
            if isinstance(data, dict) and WIDGET_VIEW in data:
                out["data"] = {"text/plain": RUN_ALL_NOTE, "text/html": RUN_ALL_HTML}
                out.setdefault("metadata", {})
                replaced += 1
    meta = nb.get("metadata", {})
    if isinstance(meta.get("widgets"), dict):
        meta["widgets"].pop(WIDGET_STATE, None)
        if not meta["widgets"]:
            del meta["widgets"]
    return replaced


def clear_widget_views(model, **_kwargs) -> None:
    """``ContentsManager.pre_save_hook``: notebooks only; other files are saved untouched."""
    if model.get("type") == "notebook" and isinstance(model.get("content"), dict):
        strip_widget_views(model["content"])


def _jupyter_server_extension_points():
    return [{"module": "bonemets_edu.jupyter_hooks"}]


def _load_jupyter_server_extension(serverapp) -> None:
    """Registers :func:`clear_widget_views` as a pre-save hook (enabled by tools/jupyter_config/)."""
    serverapp.contents_manager.register_pre_save_hook(clear_widget_views)
    serverapp.log.info("bonemets-edu: saved lessons keep a 'Run All to start' line instead of dead widget views")
