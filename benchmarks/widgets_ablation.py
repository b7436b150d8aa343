"""Latency cases for the ablation lesson's widgets (run with benchmarks.harness.run_widgets(only='ablation'))."""

from __future__ import annotations

from benchmarks.harness import WidgetCase


def _zone():
    from bonemets_edu.widgets.ablation import zone_explorer

    return zone_explorer()


def _pain():
    from bonemets_edu.widgets.ablation import pain_chart

    return pain_chart()


def _set(app, name, value):
    app.controls[name].value = value


def cases() -> list[WidgetCase]:
    return [
        WidgetCase(
            "ablation zone: probe temperature",
            build=_zone,
            mutate=lambda app, i: _set(app, "probe_temperature", 60.0 + i % 35),
        ),
        WidgetCase(
            "ablation zone: perfusion",
            build=_zone,
            mutate=lambda app, i: _set(app, "perfusion", 0.25 + 0.25 * (i % 15)),
        ),
        WidgetCase(
            "ablation zone: heat/cold toggle",
            build=_zone,
            mutate=lambda app, i: _set(app, "modality", "cold" if i % 2 == 0 else "heat"),
        ),
        WidgetCase(
            "ablation pain chart: follow-up week",
            build=_pain,
            mutate=lambda app, i: _set(app, "week", [0.0, 1.0, 4.0, 8.0, 12.0, 24.0, 26.0][i % 7]),
        ),
    ]
