"""The course map (``data/course.toml``) and a study-time planner. Pure: no plotting, no widgets."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ._validate import require_in_range

__all__ = ["Lesson", "lessons", "plan", "NOTEBOOK_DIR"]

#: Where the lesson notebooks live in a source checkout (the course is run from a clone).
NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"


@dataclass(frozen=True)
class Lesson:
    stem: str
    title: str
    minutes: int
    summary: str

    @property
    def filename(self) -> str:
        return f"{self.stem}.ipynb"

    def exists(self, notebook_dir: Path | None = None) -> bool:
        return ((notebook_dir or NOTEBOOK_DIR) / self.filename).exists()


def lessons(*, existing_only: bool = False, notebook_dir: Path | None = None) -> tuple[Lesson, ...]:
    """All lessons in teaching order (optionally only those whose notebook exists)."""
    raw = tomllib.loads((Path(str(resources.files("bonemets_edu"))) / "data" / "course.toml").read_text("utf-8"))
    out = []
    for i, rec in enumerate(raw["lesson"], 1):
        missing = {"stem", "title", "minutes", "summary"} - set(rec)
        if missing:
            raise ValueError(f"course.toml: lesson #{i} is missing {', '.join(sorted(missing))}")
        out.append(Lesson(rec["stem"], rec["title"], int(rec["minutes"]), rec["summary"]))
    if existing_only:
        out = [les for les in out if les.exists(notebook_dir)]
    return tuple(out)


def plan(minutes_available: float, *, existing_only: bool = True, notebook_dir: Path | None = None):
    """Lessons that fit, in order, into ``minutes_available`` (0–1200 min); returns (fitting, total_minutes)."""
    minutes_available = require_in_range("minutes_available", minutes_available, 0, 1200, unit="min",
                                         allow_array=False)
    fitting, total = [], 0
    for les in lessons(existing_only=existing_only, notebook_dir=notebook_dir):
        if total + les.minutes > minutes_available:
            break
        fitting.append(les)
        total += les.minutes
    return tuple(fitting), total
