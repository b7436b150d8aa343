"""Widget-latency cases for the focused-ultrasound lesson (see benchmarks/harness.py)."""

from __future__ import annotations

from benchmarks.harness import WidgetCase


def _planner():
    from bonemets_edu.widgets.fus import sonication_planner

    return sonication_planner()


def _trial():
    from bonemets_edu.widgets.fus import sham_trial_explorer

    return sham_trial_explorer()


_POWERS = [32.0 + 4.0 * k for k in range(17)]  # the slider's whole range, 32-96 W
_METHODS = ["exact", "wald", "wilson"]


def _first_view(mutate):
    """The same step with the planner's per-state image cache emptied first: a state never shown before."""

    def go(app, i):
        app.pane.cache.clear()
        mutate(app, i)

    return go


def _power(app, i):
    app.controls["power"].value = _POWERS[i % len(_POWERS)]


def _depth(app, i):
    app.controls["depth"].value = 15.0 + 5.0 * (i % 12)


def cases() -> list[WidgetCase]:
    return [
        WidgetCase("fus sonication planner (power, first view)", build=_planner, mutate=_first_view(_power),
                   kind="map"),
        WidgetCase("fus sonication planner (depth, first view)", build=_planner, mutate=_first_view(_depth),
                   kind="map"),
        WidgetCase("fus sonication planner (power, revisit)", build=_planner, mutate=_power, kind="map"),
        WidgetCase(
            "fus sham trial (CI method)",
            build=_trial,
            mutate=lambda app, i: setattr(app.controls["method"], "value", _METHODS[i % 3]),
            kind="line",
        ),
    ]
