"""A first widget for the start-here lesson: how many lessons fit into the time you have today?"""

from __future__ import annotations

import ipywidgets as widgets

from .. import course, ui
from ..figures.course import plan_figure, update_plan

__all__ = ["study_planner"]


def study_planner(minutes: int = 60):
    lessons = course.lessons(existing_only=True)
    slider = widgets.IntSlider(value=minutes, min=0, max=900, step=5, description="Time you have today (min)",
                               style=ui.labelled_style, layout=widgets.Layout(width="520px"),
                               continuous_update=False)
    fig, ax, artists = plan_figure(lessons, minutes, max_minutes=slider.max)
    text = widgets.HTML()

    def describe(m):
        fitting, total = course.plan(m)
        if not fitting:
            first = lessons[0].minutes if lessons else 0
            return ui.message(f"{m} minutes is not enough for the first lesson ({first} min).", "info")
        names = "; ".join(f"{les.stem[:2]} {les.title}" for les in fitting)
        return ui.message(f"In {m} minutes you can finish {len(fitting)} lesson(s) ({total} min): {names}.", "ok")

    pane = ui.FigurePane(fig, alt="Timeline of the course's lessons and your study time.", animated=artists.moving)

    def update(change=None):
        m = slider.value
        update_plan(ax, artists, lessons, m)
        fitting, total = course.plan(m)
        pane.refresh(alt=f"Timeline of {len(lessons)} lessons; {len(fitting)} fit into {m} minutes "
                         f"(dashed line); the others are hatched and marked 'later'.")
        text.value = describe(m)

    slider.observe(update, names="value")
    update()
    box = ui.app("Plan your study time", [slider, text, pane.widget], controls={"minutes": slider}, text=text,
                 pane=pane)
    return box

