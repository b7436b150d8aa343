"""Stated lesson and section times agree with what the words and interactions take (tools/lesson_time.py)."""

import json
import re
import tomllib
from pathlib import Path

import pytest

from tools import lesson_time as lt

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
COURSE = {r["stem"]: r["minutes"] for r in
          tomllib.loads((ROOT / "bonemets_edu" / "data" / "course.toml").read_text("utf-8"))["lesson"]}


def md(text, **meta):
    return {"cell_type": "markdown", "metadata": meta, "source": text}


def code(text, **meta):
    return {"cell_type": "code", "metadata": meta, "outputs": [], "execution_count": None, "source": text}


def test_words_ignore_link_targets_markup_and_tables_bars():
    assert lt.words("A [link](https://example.org/a/b) **bold** <b>tag</b> | x | y |") == 6
    assert lt.words("## 2. Heading") == 2


def test_estimate_adds_reading_and_each_interaction(tmp_path):
    body = " ".join(["word"] * 260)  # 2 minutes at 130 wpm
    nb = {"cells": [
        md("# T\n\n**Estimated time:** 10 minutes"),
        code("from x import y", tags=["hide-input"]),
        md("## 1. First — about 3 min\n\n" + body),           # 6 + 260 words
        md("### Interactive demo\n1. one?\n2. two?"),           # 6 words, 2 demo questions
        code("some_widget()"),                                   # widget + 2 × demo question
        md("**Think!** Why?"),                                   # 2 words
        md("*Answer.* Because.", tags=["solution"]),             # 2 words, read
        md("Teacher only words here", tags=["instructor-note"]),  # not read
        md("## 2. Extra (optional deep dive)\n\n" + body),
        md("## Summary\n- done"),
        md("## References"),
        code("show_references(['a'])"),
    ], "metadata": {}}
    p = tmp_path / "x.ipynb"
    p.write_text(json.dumps(nb), encoding="utf-8")
    est = lt.estimate(p)
    first = next(s for s in est["sections"] if s.key == "1")
    assert first.words == 6 + 260 + 6 + 2 + 2 and first.stated == 3 and not first.optional
    assert first.minutes == pytest.approx(276 / 130 + lt.WIDGET + 2 * lt.DEMO_QUESTION + lt.THINK)
    assert est["optional"] == pytest.approx((5 + 260) / 130)
    start = est["sections"][0].minutes
    assert est["core"] == pytest.approx(start + first.minutes + est["sections"][-1].minutes)
    assert est["stated"] == 10


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stated_lesson_time_is_within_20_percent_of_computed(path):
    est = lt.estimate(path)
    assert est["stated"] is not None
    assert abs(est["stated"] - est["core"]) <= lt.TOLERANCE * est["core"], (
        f"{path.stem}: stated {est['stated']} min, computed {est['core']:.1f}; run python -m tools.lesson_time --write")
    assert COURSE[path.stem] == est["stated"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_numbered_section_states_its_time(path):
    for s in lt.estimate(path)["sections"]:
        if s.key in ("start", "end"):
            continue
        assert s.stated is not None, f"{path.stem} §{s.key}: no ' — about N min' in the heading"
        assert abs(s.stated - s.minutes) <= max(1.0, lt.TOLERANCE * s.minutes), (path.stem, s.key, s.minutes)


def test_course_map_readme_and_guide_state_the_same_times():
    readme = (ROOT / "README.md").read_text("utf-8")
    guide = (ROOT / "INSTRUCTORS.md").read_text("utf-8")
    start = "".join("".join(c["source"]) for c in json.loads(
        (ROOT / "notebooks" / "00_start_here.ipynb").read_text("utf-8"))["cells"])
    for stem, minutes in COURSE.items():
        if not (ROOT / "notebooks" / f"{stem}.ipynb").exists():
            continue
        for name, text in (("README.md", readme), ("00_start_here", start)):
            m = re.search(rf"{re.escape(stem)}\.ipynb\)[^|\n]*\|\s*(\d+) min", text)
            assert m and int(m.group(1)) == minutes, f"{name}: course map row for {stem}"
        m = re.search(rf"^## {re.escape(stem.split('_')[0])} — .*\((\d+) min\)", guide, re.M)
        assert m is None or int(m.group(1)) == minutes, f"INSTRUCTORS.md: heading of {stem}"
    assert len(re.findall(r"^## \d+\w* — .*\(\d+ min\)", guide, re.M)) >= len(COURSE) - 1


def test_the_study_planner_can_fit_the_whole_course():
    from bonemets_edu import course
    from bonemets_edu.widgets.course import study_planner

    total = sum(les.minutes for les in course.lessons(existing_only=True))
    w = study_planner(minutes=60)
    assert w.controls["minutes"].max >= total
    w.controls["minutes"].value = total - total % 5 + (5 if total % 5 else 0)
    fitting, _ = course.plan(w.controls["minutes"].value)
    assert len(fitting) == len(course.lessons(existing_only=True))
