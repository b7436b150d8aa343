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


def _build_conference():
    from bonemets_edu.widgets.choosing import case_conference

    return case_conference()


def _commit_and_reveal(w, i):
    """One student action per step, cycling: choose a plan, commit it with a line, reveal (what the student waits
    for after each click)."""
    from bonemets_edu.widgets.choosing import shuffled_plans

    step = i % 3
    if step == 0:
        plans = shuffled_plans(w.current())
        w.plan.value = plans[(i // 3) % len(plans)].id
    elif step == 1:
        w.justification.value = f"line {i}: the deciding feature and the evidence"
        w.commit.click()
    else:
        w.reveal.click()


def _build_revealed():
    w = _build_conference()
    w.case.value = "case_cord"
    w.plan.value = "decompress_then_rt"
    w.justification.value = "Patchell: one level, can walk, more than 3 months"
    w.commit.click()
    w.reveal.click()
    return w


def _what_if(w, i):
    """One what-if change per step: a new value of the feature (cycling through the features now and then)."""
    if i % 5 == 0:
        feats = [k for _, k in w.what_if_feature.options]
        w.what_if_feature.value = feats[(i // 5) % len(feats)]
    values = [v for _, v in w.what_if_value.options if v is not None]
    w.what_if_value.value = values[i % len(values)]


def _switch_case(w, i):
    """Switch to the next case (resets lesson 03's calculators, reshuffles the plans, lists the what-if features).
    The what-if values are memoised per patient; the memo is cleared first, so every step is a first visit."""
    from bonemets_edu import cases

    cases._choices.cache_clear()
    ids = [v for _, v in w.case.options]
    w.case.value = ids[(i + 1) % len(ids)]


def cases() -> list[WidgetCase]:
    from bonemets_edu.widgets.choosing import comparison_table

    return [
        WidgetCase("choosing: comparison cards filter", build=comparison_table, mutate=_filter),
        WidgetCase("choosing: case conference commit/reveal", build=_build_conference, mutate=_commit_and_reveal),
        WidgetCase("choosing: case conference what-if", build=_build_revealed, mutate=_what_if),
        WidgetCase("choosing: case conference case switch (first visit)", build=_build_conference, mutate=_switch_case),
    ]
