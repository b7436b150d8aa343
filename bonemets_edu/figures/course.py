"""Figure for the study-time planner: lesson times as a stacked timeline with the learner's budget marked."""

from __future__ import annotations

from .. import style


def plan_figure(lessons, minutes_available: float):
    """Horizontal cumulative timeline of the lessons; lessons that fit are solid, the rest hatched and labelled."""
    fig, ax = style.new_figure(7.5, 0.6 + 0.5 * max(len(lessons), 1))
    artists = draw_plan(ax, lessons, minutes_available)
    return fig, ax, artists


def draw_plan(ax, lessons, minutes_available: float):
    ax.clear()
    start = 0
    for i, les in enumerate(lessons):
        fits = start + les.minutes <= minutes_available
        ax.barh(i, les.minutes, left=start, color=style.COLORS[0] if fits else "white",
                hatch="" if fits else "//", edgecolor="black", linewidth=1)
        ax.text(start + les.minutes + 2, i, f"{les.stem[:2]} · {les.minutes} min" + ("" if fits else " (later)"),
                va="center", fontsize=style.BASE_FONT_PT)
        start += les.minutes
    ax.axvline(minutes_available, color="black", linestyle="--", linewidth=2)
    ax.text(minutes_available, -0.9, f" your time: {minutes_available:g} min", va="center", fontsize=style.BASE_FONT_PT)
    ax.set_yticks(range(len(lessons)), [les.title[:28] for les in lessons])
    ax.invert_yaxis()
    ax.set_xlim(0, max(start, minutes_available) * 1.35 + 1)
    ax.set_ylim(len(lessons) - 0.4, -1.4)
    ax.set_xlabel("Cumulative study time (minutes)")
    ax.grid(axis="y", visible=False)
