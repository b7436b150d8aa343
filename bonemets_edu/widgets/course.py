"""A first widget for the start-here lesson: how many lessons fit into the time you have today?"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets

from .. import course, ui
from ..figures.course import PlanPlot

__all__ = ["StudyPlanner", "PlanState", "study_planner"]


@dataclass(frozen=True)
class PlanState:
    minutes: int
    fitting: tuple  # the lessons that fit, in course order
    total: int  # their minutes
    lesson_count: int  # lessons in the course


class StudyPlanner(ui.App):
    """A time slider over the course's lessons; the ones that fit are drawn solid and listed in text."""

    TITLE = "Plan your study time"
    CONTROLS = ("minutes",)

    def __init__(self, minutes: int = 60):
        self.lessons = course.lessons(existing_only=True)
        self.minutes = widgets.IntSlider(value=minutes, min=0, max=900, step=5,
                                         description="Time you have today (min)", style=ui.labelled_style,
                                         layout=widgets.Layout(width="520px"), continuous_update=False)
        self.plot = PlanPlot(self.lessons, minutes, max_minutes=self.minutes.max)
        self.text = widgets.HTML()
        self.pane = ui.FigurePane(self.plot.fig, alt=self.alt(self.state()), animated=self.plot.moving)
        super().__init__([self.minutes, self.text, self.pane.widget])
        self.observe_controls()
        self.refresh()

    def state(self) -> PlanState:
        m = self.minutes.value
        fitting, total = course.plan(m)
        return PlanState(m, tuple(fitting), total, len(self.lessons))

    @staticmethod
    def alt(s: PlanState) -> str:
        return (f"Timeline of {s.lesson_count} lessons; {len(s.fitting)} fit into {s.minutes} minutes "
                f"(dashed line); the others are hatched and marked 'later'.")

    def describe(self, s: PlanState) -> str:
        if not s.fitting:
            first = self.lessons[0].minutes if self.lessons else 0
            return ui.message(f"{s.minutes} minutes is not enough for the first lesson ({first} min).", "info")
        names = "; ".join(f"{les.stem[:2]} {les.title}" for les in s.fitting)
        return ui.message(f"In {s.minutes} minutes you can finish {len(s.fitting)} lesson(s) ({s.total} min): "
                          f"{names}.", "ok")

    def refresh(self, _change=None) -> None:
        s = self.state()
        self.plot.update(s.minutes)
        self.pane.refresh(alt=self.alt(s))
        self.text.value = self.describe(s)


def study_planner(minutes: int = 60) -> StudyPlanner:
    """The start-here lesson's planner (the name the notebook calls)."""
    return StudyPlanner(minutes)
