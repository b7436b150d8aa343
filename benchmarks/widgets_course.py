"""Benchmark cases for the start-here lesson's widget."""

from benchmarks.harness import WidgetCase


def cases():
    from bonemets_edu.widgets.course import study_planner

    return [WidgetCase("00 study planner", build=study_planner,
                       mutate=lambda app, i: setattr(app.controls["minutes"], "value", 5 * (i % 60)))]
