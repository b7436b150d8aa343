"""Widget-latency cases for the choosing-a-treatment lesson (see benchmarks/harness.py)."""

from __future__ import annotations

from benchmarks.harness import WidgetCase

_SITES = ("spine", "pelvis", "lower-limb long bone", "upper-limb long bone", "rib or other bone")


def _filter(app, i):
    """One filter change per step, cycling through site, lesion count, survival band and cord compression."""
    c = app.controls
    step = i % 4
    if step == 0:
        c["site"].value = _SITES[i % len(_SITES)]
    elif step == 1:
        c["painful_lesions"].value = i % 5
    elif step == 2:
        c["survival"].value = c["survival"].options[i % len(c["survival"].options)]
    else:
        c["cord_compression"].value = not c["cord_compression"].value


def _score(app, i):
    opts = ("mild", "moderate", "functional")
    app.controls["mirels_pain"].value = opts[i % 3]


def _build_board():
    from bonemets_edu.widgets.choosing import tumour_board

    app = tumour_board("case_femur")
    for k, v in (("mirels_site", "peritrochanteric"), ("mirels_lesion", "lytic"), ("mirels_size", "> 2/3")):
        app.controls[k].value = v
    return app


def cases() -> list[WidgetCase]:
    from bonemets_edu.widgets.choosing import comparison_table

    return [
        WidgetCase("choosing: comparison table filter", build=comparison_table, mutate=_filter),
        WidgetCase("choosing: tumour board Mirels score", build=_build_board, mutate=_score),
    ]
