"""Widget-latency cases for lesson 02 (external beam radiation)."""

from __future__ import annotations

from benchmarks.harness import WidgetCase

_SCHEDULES = ["8x1", "20x5", "24x6", "30x10", "24x2", "16x1", "18x1", "27x3", "35x5"]
_REFS = ["30x10", "20x5", "24x6", "8x1", "16x2"]


def _schedule(app, i):
    app.controls["schedule_b"].value = _SCHEDULES[i % len(_SCHEDULES)]


def _tissue(app, i):
    app.controls["tissue"].value = ("tumour", "late", "cord")[i % 3]


def _slider(app, i):
    # a student dragging the α/β slider: 0.5 … 25 Gy in 0.5 Gy steps, each value a new picture
    app.controls["alpha_beta"].value = 0.5 + 0.5 * ((7 * i) % 50)


def _reference(app, i):
    app.controls["reference"].value = _REFS[i % len(_REFS)]


def _kind(app, i):
    app.controls["kind"].value = ("conv_single", "conv_multi", "sbrt")[i % 3]


def _uncached(mutate):
    """The same step with the pane's per-state image cache cleared first: the cost of a first view of a state."""

    def go(app, i):
        app.pane.cache.clear()
        mutate(app, i)

    return go


def _cold(mutate):
    """A first view with no cached background either (cleared image cache and blitting backgrounds): a full draw."""

    def go(app, i):
        app.pane.cache.clear()
        app.pane.renderer.invalidate()
        mutate(app, i)

    return go


def cases():
    from bonemets_edu.widgets.radiation import alpha_beta_explorer, schedule_comparison, side_effects_explorer

    return [
        WidgetCase("radiation: schedule comparison (schedule)", build=schedule_comparison, mutate=_schedule),
        WidgetCase("radiation: schedule comparison (schedule, first view)", build=schedule_comparison,
                   mutate=_uncached(_schedule)),
        WidgetCase("radiation: schedule comparison (tissue, first view)", build=schedule_comparison,
                   mutate=_uncached(_tissue)),
        WidgetCase("radiation: schedule comparison (α/β slider, first view)", build=schedule_comparison,
                   mutate=_uncached(_slider)),
        WidgetCase("radiation: schedule comparison (cold start)", build=schedule_comparison, mutate=_cold(_schedule)),
        WidgetCase("radiation: alpha/beta explorer", build=alpha_beta_explorer, mutate=_reference),
        WidgetCase("radiation: alpha/beta explorer (first view)", build=alpha_beta_explorer,
                   mutate=_uncached(_reference)),
        WidgetCase("radiation: side effects", build=side_effects_explorer, mutate=_kind),
        WidgetCase("radiation: side effects (first view)", build=side_effects_explorer, mutate=_uncached(_kind)),
        WidgetCase("radiation: alpha/beta explorer (cold start)", build=alpha_beta_explorer,
                   mutate=_cold(_reference)),
        WidgetCase("radiation: side effects (cold start)", build=side_effects_explorer, mutate=_cold(_kind)),
    ]
