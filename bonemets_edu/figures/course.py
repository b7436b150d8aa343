"""Figure for the study-time planner: lesson times as a cumulative timeline with the learner's budget marked."""

from __future__ import annotations

from dataclasses import dataclass

from .. import style


@dataclass
class PlanArtists:
    bars: list
    labels: list
    budget_line: object
    budget_text: object
    starts: list
    max_minutes: float | None = None

    @property
    def moving(self) -> list:
        """The artists ``update_plan`` changes (the axis limits stay fixed when ``max_minutes`` is set)."""
        return [*self.bars, *self.labels, self.budget_line, self.budget_text]


def plan_figure(lessons, minutes_available: float, max_minutes: float | None = None):
    """Build the figure once; ``update_plan`` then changes only what depends on the minutes available.

    ``max_minutes`` (the planner slider's maximum) fixes the time axis for every setting, so that a widget redraws
    only ``PlanArtists.moving`` (bars, labels, budget line) over a cached background.
    """
    fig, ax = style.new_figure(7.5, 0.6 + 0.5 * max(len(lessons), 1))
    starts, t = [], 0
    for les in lessons:
        starts.append(t)
        t += les.minutes
    bars = [ax.barh(i, les.minutes, left=s, edgecolor="black", linewidth=1)[0]
            for i, (les, s) in enumerate(zip(lessons, starts, strict=True))]
    labels = [ax.text(s + les.minutes + 2, i, "", va="center") for i, (les, s) in
              enumerate(zip(lessons, starts, strict=True))]
    line = ax.axvline(minutes_available, color="black", linestyle="--", linewidth=2)
    budget_text = ax.text(minutes_available, -0.9, "", va="center")
    ax.set_yticks(range(len(lessons)), [les.title.split(":")[0][:28] for les in lessons])
    ax.set_ylim(len(lessons) - 0.4, -1.4)
    ax.set_xlabel("Cumulative study time (minutes)")
    ax.grid(axis="y", visible=False)
    artists = PlanArtists(bars, labels, line, budget_text, starts, max_minutes)
    update_plan(ax, artists, lessons, minutes_available)
    return fig, ax, artists


def update_plan(ax, artists: PlanArtists, lessons, minutes_available: float) -> None:
    """Lessons that fit are solid; the rest white, hatched and labelled '(later)' (readable without colour)."""
    end = 0
    for les, start, bar, label in zip(lessons, artists.starts, artists.bars, artists.labels, strict=True):
        fits = start + les.minutes <= minutes_available
        bar.set_facecolor(style.COLORS[0] if fits else "white")
        bar.set_hatch("" if fits else "//")
        label.set_text(f"{les.stem[:2]} · {les.minutes} min" + ("" if fits else " (later)"))
        end = start + les.minutes
    artists.budget_line.set_xdata([minutes_available, minutes_available])
    artists.budget_text.set_x(minutes_available)
    artists.budget_text.set_text(f" your time: {minutes_available:g} min")
    top = max(end, minutes_available if artists.max_minutes is None else artists.max_minutes)
    ax.set_xlim(0, top * 1.35 + 1)
