"""Figure for the study-time planner: lesson times as a cumulative timeline with the learner's budget marked."""

from __future__ import annotations

from .. import style


class PlanPlot:
    """The study-time timeline: owns its figure and the artists that depend on the minutes available.

    The time axis is fixed by ``max_minutes`` (the planner slider's maximum), so a widget redraws only ``moving``
    (bars, labels, budget line) over a cached background.
    """

    def __init__(self, lessons, minutes_available: float, max_minutes: float):
        self.lessons = tuple(lessons)
        self.max_minutes = max_minutes
        self.fig, self.ax = style.new_figure(7.5, 0.6 + 0.5 * max(len(self.lessons), 1))
        ax = self.ax
        # grid lines under the bars: the moving bars then lie above every static artist but the spines and labels,
        # so a blitted frame draws few artists over them
        ax.set_axisbelow(True)
        self.starts, t = [], 0
        for les in self.lessons:
            self.starts.append(t)
            t += les.minutes
        self.end = t
        pairs = list(zip(self.lessons, self.starts, strict=True))
        self.bars = [ax.barh(i, les.minutes, left=s, edgecolor="black", linewidth=1)[0] for i, (les, s) in
                     enumerate(pairs)]
        self.labels = [ax.text(s + les.minutes + 2, i, "", va="center") for i, (les, s) in enumerate(pairs)]
        self.budget_line = ax.axvline(minutes_available, color="black", linestyle="--", linewidth=2)
        self.budget_text = ax.text(minutes_available, -0.9, "", va="center")
        ax.set_yticks(range(len(self.lessons)), [les.title.split(":")[0][:28] for les in self.lessons])
        ax.set_ylim(len(self.lessons) - 0.4, -1.4)
        ax.set_xlabel("Cumulative study time (minutes)")
        ax.grid(axis="y", visible=False)
        ax.set_xlim(0, max(self.end, max_minutes) * 1.35 + 1)
        self.update(minutes_available)

    @property
    def moving(self) -> list:
        """The artists ``update`` changes."""
        return [*self.bars, *self.labels, self.budget_line, self.budget_text]

    def update(self, minutes_available: float) -> None:
        """Lessons that fit are solid; the rest white, hatched and labelled '(later)' (readable without colour)."""
        for les, start, bar, label in zip(self.lessons, self.starts, self.bars, self.labels, strict=True):
            fits = start + les.minutes <= minutes_available
            bar.set_facecolor(style.COLORS[0] if fits else "white")
            bar.set_hatch("" if fits else "//")
            label.set_text(f"{les.stem[:2]} · {les.minutes} min" + ("" if fits else " (later)"))
        self.budget_line.set_xdata([minutes_available, minutes_available])
        self.budget_text.set_x(minutes_available)
        self.budget_text.set_text(f" your time: {minutes_available:g} min")
