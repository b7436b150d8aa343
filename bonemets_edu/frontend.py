"""The course's front-end support: one stylesheet and a small script, loaded once per page by the lessons' setup.

``display.disclaimer()`` (the first cell of every lesson) shows :class:`CourseSupport`, an invisible
`anywidget <https://anywidget.dev>`_ widget. Its script (``static/course.js``) runs in JupyterLab, Jupyter Notebook 7
and Voila alike, because all three draw it through the same widget manager. It

* lets arrow keys reach a focused radio group, dropdown or slider (Lumino skips the notebook's shortcuts for events
  from inside an element carrying ``data-lm-suppress-shortcuts``; upstream jupyter-widgets/ipywidgets#3912);
* gives every slider handle an accessible name, makes each radio group / quiz question a labelled group and puts
  widget titles at the heading level that follows the lesson's;
* keeps a widget's height when a control changes what it shows (the text below does not jump);
* installs :func:`course_css`: option lists that wrap without overlapping, labels and controls that wrap instead of
  being clipped, sliders long enough to use, underlined links, no horizontal overflow, and — in the app view — widget
  and table text of at least 14 px times the presentation scale.

The app view (``python3 run.py present``) sets ``BONEMETS_APP_VIEW=1`` and ``BONEMETS_SCALE`` (``--scale``) in the
environment its kernels inherit.
"""

from __future__ import annotations

import os
from importlib import resources

import anywidget
import traitlets

__all__ = ["CourseSupport", "course_css", "scale", "app_view"]

#: Widget text size (px) at scale 1: JupyterLab's own size for widgets, and the app view's projector minimum.
LAB_FONT_PX = 13
APP_VIEW_FONT_PX = 14
MIN_SCALE, MAX_SCALE = 0.75, 2.5


def app_view() -> bool:
    """True in the instructors' app view (the kernel was started by ``python3 run.py present``)."""
    return os.environ.get("BONEMETS_APP_VIEW") == "1"


def scale() -> float:
    """The presentation scale from ``BONEMETS_SCALE`` (1 when unset or not a number in 0.75–2.5)."""
    try:
        value = float(os.environ.get("BONEMETS_SCALE", "1"))
    except ValueError:
        return 1.0
    return value if MIN_SCALE <= value <= MAX_SCALE else 1.0


def course_css(*, app: bool | None = None, factor: float | None = None) -> str:
    """The course stylesheet. ``app``/``factor`` default to :func:`app_view` and :func:`scale`."""
    app = app_view() if app is None else app
    factor = scale() if factor is None else factor
    base = (APP_VIEW_FONT_PX if app else LAB_FONT_PX) * factor
    sizes = ""
    if app or factor != 1:
        sizes = f"""
:root, body {{
  --jp-widgets-font-size: {base:.1f}px;
  --jp-ui-font-size1: {base:.1f}px;
  --jp-content-font-size1: {max(base, 14 * factor):.1f}px;
  --jp-code-font-size: {base:.1f}px;
  --jp-widgets-inline-height: {28 * factor:.0f}px;
  --jp-widgets-inline-label-width: {80 * factor:.0f}px;
  --jp-widgets-radio-item-height: {24 * factor:.0f}px;
  --jp-widgets-slider-handle-size: {16 * factor:.0f}px;
}}
.jupyter-widgets, .jupyter-widgets .widget-html-content, .jupyter-widgets table,
.jp-OutputArea-output table, .jp-RenderedHTMLCommon table {{ font-size: {base:.1f}px; }}
.jupyter-widgets small, .jupyter-widgets .bm-cite, .jupyter-widgets .bm-ref, .jp-RenderedHTMLCommon small,
.jupyter-widgets sup, .jupyter-widgets [style*="font-size:9"], .jupyter-widgets [style*="font-size: 9"],
.jupyter-widgets [style*="font-size:smaller"], .jupyter-widgets [style*="font-size: smaller"] {{
  font-size: {base:.1f}px !important; }}
.jupyter-widgets button, .jupyter-widgets select, .jupyter-widgets input {{ font-size: {base:.1f}px; }}
.jp-OutputArea-output pre {{ font-size: {base:.1f}px; }}
"""
    return sizes + _LAYOUT_CSS


# Layout rules (all clients). ipywidgets gives labels, radio items and buttons a fixed height and no wrapping, which
# clips long text and makes a wrapped radio option overlap the next one; these rules let them grow instead.
_LAYOUT_CSS = """
.jupyter-widgets a, .jupyter-widgets a:link, .jupyter-widgets a:visited, .jp-RenderedHTMLCommon a,
.jp-RenderedHTMLCommon a:link, .jp-RenderedHTMLCommon a:visited, .jp-OutputArea-output a { text-decoration: underline !important; }
.jp-OutputArea-output .jupyter-widgets { max-width: 100%; box-sizing: border-box; }
.jp-OutputArea-output .widget-html-content { overflow-wrap: anywhere; max-width: 100%; }
.jp-OutputArea-output .widget-html-content img { max-width: 100%; height: auto; }
.jupyter-widgets.widget-hbox { flex-wrap: wrap; column-gap: 12px; }
.jupyter-widgets.widget-inline-hbox { height: auto; min-height: var(--jp-widgets-inline-height); flex-wrap: wrap;
  row-gap: 2px; }
.jupyter-widgets .widget-label { white-space: normal; overflow: visible; text-overflow: clip; height: auto;
  line-height: 1.3; min-height: var(--jp-widgets-inline-height); display: flex; align-items: center; }
.jupyter-widgets.widget-radio { height: auto; }
.jupyter-widgets .widget-radio-box { height: auto; min-width: 0; flex: 1 1 auto; }
.jupyter-widgets .widget-radio-box label { height: auto; min-height: var(--jp-widgets-radio-item-height);
  white-space: normal; line-height: 1.35; display: flex; align-items: flex-start; gap: 6px; padding: 2px 0;
  overflow-wrap: anywhere; }
.jupyter-widgets .widget-radio-box input { margin-top: 0.2em; flex: 0 0 auto; }
.widget-toggle-buttons { height: auto; flex-wrap: wrap; }
.widget-toggle-buttons .widget-toggle-button, .jupyter-widgets.jupyter-button, .jupyter-widgets .jupyter-button {
  width: auto !important; min-width: 4em; max-width: 100%; height: auto; min-height: var(--jp-widgets-inline-height);
  white-space: normal; overflow: visible; text-overflow: clip; line-height: 1.25; padding-top: 3px;
  padding-bottom: 3px; }
.widget-toggle-buttons > div { display: flex; flex-wrap: wrap; gap: 4px; height: auto; }
.jupyter-widgets.widget-hslider { width: auto; min-width: min(100%, 300px); }
.jupyter-widgets.widget-hslider .slider-container { min-width: 160px; flex: 1 1 160px; }
.jupyter-widgets.widget-dropdown { width: auto; max-width: 100%; }
.jupyter-widgets.widget-dropdown > select { min-width: 8em; max-width: 100%; flex: 1 1 auto; }
.jupyter-widgets.widget-checkbox { width: auto; }
.jupyter-widgets .widget-label-basic { white-space: normal; height: auto; line-height: 1.3; }
.bm-course-support { display: none !important; }
"""


def _script() -> str:
    return (resources.files("bonemets_edu") / "static" / "course.js").read_text(encoding="utf-8")


class CourseSupport(anywidget.AnyWidget):
    """Invisible widget that installs the course stylesheet and keyboard/screen-reader support in the page."""

    _esm = traitlets.Unicode(_script()).tag(sync=True)
    css = traitlets.Unicode("").tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(css=course_css(), **kwargs)
