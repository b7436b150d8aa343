"""Latency of lesson 01b's widgets (run with benchmarks.harness.run_widgets(only="assessment")).

Each widget memoises its image per state, so the normal cases cycle through states (cache hits after the first
visit) and the "uncached" cases redraw the figure on every change: the honest cost of a learner's first visit.
"""

from __future__ import annotations

from benchmarks.harness import WidgetCase
from bonemets_edu.widgets import assessment as w

_PAIN = (2, 4, 5, 6, 8, 9, 0, 3)
_CALCIUM = (2.3, 2.6, 2.9, 3.2, 3.6, 4.0)
_CREATININE = (60.0, 90.0, 120.0, 160.0, 220.0, 300.0)
_MODALITIES = ("plain_film", "ct", "bone_scan", "mri", "fdg_pet")


def _set(name, values):
    def mutate(app, i):
        app.controls[name].value = values[i % len(values)]

    return mutate


def _triage_step(app, i):
    """Answer the current step correctly and move on (restarting after the last step)."""
    if app.state().finished:
        app.restart.click()
    app.choose(app.steps[app.step]["correct"])
    app.next_button.click()


def cases() -> list[WidgetCase]:
    return [
        WidgetCase("assessment: pain response (follow-up pain)", build=lambda: w.PainResponseClassifier(),
                   mutate=_set("follow_up_pain", _PAIN)),
        WidgetCase("assessment: pain response (uncached)", build=lambda: w.PainResponseClassifier(cache=False),
                   mutate=_set("follow_up_pain", _PAIN)),
        WidgetCase("assessment: corrected calcium (uncached)", build=lambda: w.CalciumCalculator(cache=False),
                   mutate=_set("total", _CALCIUM)),
        WidgetCase("assessment: CrCl and zoledronic dose (uncached)", build=lambda: w.RenalDosing(cache=False),
                   mutate=_set("creatinine", _CREATININE)),
        WidgetCase("assessment: cord-compression walkthrough (as built: every step pre-rendered)",
                   build=lambda: w.CordCompressionTriage(), mutate=_triage_step),
        WidgetCase("assessment: cord-compression walkthrough (uncached)",
                   build=lambda: w.CordCompressionTriage(cache=False), mutate=_triage_step),
        WidgetCase("assessment: imaging comparator", build=lambda: w.ImagingComparator(),
                   mutate=_set("modality", _MODALITIES)),
        WidgetCase("assessment: imaging comparator (uncached)", build=lambda: w.ImagingComparator(cache=False),
                   mutate=_set("modality", _MODALITIES)),
    ]
