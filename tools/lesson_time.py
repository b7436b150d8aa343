"""How long a lesson takes: its words at a careful reading speed plus an allowance for every interaction.

    python -m tools.lesson_time            # print computed and stated minutes, per lesson and per section
    python -m tools.lesson_time --write    # write the computed times into the lessons, course.toml, README, INSTRUCTORS

The assumptions (course choices, stated so that anyone can redo the sum):

* **Reading: 130 words per minute.** The average adult silent reading rate for English non-fiction is 238 words per
  minute, with most adults between 175 and 300 (Brysbaert 2019, J Mem Lang 109:104047,
  doi:10.1016/j.jml.2019.104047). A lesson is read to learn: dense clinical text full of numbers, new terms, formulas
  and trial results, which students re-read and connect to a figure. We therefore use about half the average rate,
  below the slow end of that range. Counted: the Markdown a student sees (answers to Think! and self-checks
  included, because students open them; instructor notes excluded) and the saved text outputs of cells tagged
  ``keep_output`` (tables printed by the course), without link targets, HTML tags and reference lists.
* **Interactions** (minutes): running all cells at the start ``RUN_ALL``; each interactive widget ``WIDGET`` plus
  ``DEMO_QUESTION`` per numbered question of its "Interactive demo"/"Questions to answer" list; each figure
  ``FIGURE``; each generated table or text without saved output ``GENERATED``; each Think! pause ``THINK``; each
  self-check prompt ``SELF_CHECK``; each predict-first question ``PREDICT`` (asked twice: at the top and in the
  summary); each quiz item ``QUIZ_CHOICE`` or ``QUIZ_NUMERIC``, plus ``VIGNETTE`` for a clinical vignette.

A section is a level-2 heading ``## N. Title``; its stated time is the " — about N min" at the end of the heading. The
part before the first numbered section is "start", everything from "## Summary" on is "summary and quiz". A section
whose heading says "optional deep dive" is left out of the lesson's core time and listed separately. The test suite
(``tests/test_lesson_time.py``) keeps every stated time within 20 % of the computed one.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"

WPM = 130
RUN_ALL = 1.0
WIDGET = 3.0
DEMO_QUESTION = 1.5
FIGURE = 1.0
GENERATED = 1.5
THINK = 2.0
SELF_CHECK = 1.0
PREDICT = 0.5
QUIZ_CHOICE = 1.0
QUIZ_NUMERIC = 1.5
VIGNETTE = 0.5
TOLERANCE = 0.20

SECTION = re.compile(r"^##[ \t]+(\d+)\.[ \t]+(.*?)(?:[ \t]+—[ \t]+about[ \t]+(\d+)[ \t]+min)?[ \t]*$", re.M)
OPTIONAL = re.compile(r"optional deep dive", re.I)
THINK_PROMPT = re.compile(r"^\s*(?:\*\*Think!\*\*|#{2,4}\s*Think!)", re.M)
SELF_CHECK_PROMPT = re.compile(r"^\s*\*\*(?:Quick )?[Ss]elf-check", re.M)
STATED = re.compile(r"(\*\*Estimated time:\*\*\s*)(\d+)(\s+minutes)(.*)$", re.M)


def _src(cell) -> str:
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def words(markdown: str) -> int:
    text = re.sub(r"\]\([^)]*\)", "]", markdown)            # link targets
    text = re.sub(r"<[^>]+>", " ", text)                     # HTML tags
    text = re.sub(r"[|#*_`>\-]{1,}", " ", text)              # table bars, heading marks, emphasis
    return len(re.findall(r"[^\s]+", text))


@dataclass
class Section:
    key: str                      # "start", "1", "2", …, "end"
    title: str
    stated: int | None = None
    optional: bool = False
    words: int = 0
    parts: dict = field(default_factory=dict)

    def add(self, what: str, minutes: float) -> None:
        self.parts[what] = self.parts.get(what, 0.0) + minutes

    @property
    def minutes(self) -> float:
        return self.words / WPM + sum(self.parts.values())


def _quiz_minutes(name: str) -> float:
    sys.path.insert(0, str(ROOT))
    from bonemets_edu import quiz

    total = 0.0
    for q in quiz.load_quiz(name):
        total += (QUIZ_CHOICE if q.kind == "choice" else QUIZ_NUMERIC) + (VIGNETTE if q.vignette else 0.0)
    return total


def _numbered(markdown: str) -> int:
    return len(re.findall(r"^\s*\d+\.\s", markdown, re.M))


def sections(nb: dict) -> list[Section]:
    """The lesson cut into sections, each with its words and interaction allowances."""
    out = [Section("start", "start")]
    out[0].add("run all cells", RUN_ALL)
    demo_pending = 0
    for cell in nb["cells"]:
        src = _src(cell)
        tags = cell.get("metadata", {}).get("tags", [])
        if "instructor-note" in tags:
            continue
        if cell.get("cell_type") == "markdown":
            m = SECTION.search(src)
            if m and src.lstrip().startswith("## "):
                out.append(Section(m.group(1), m.group(2), int(m.group(3)) if m.group(3) else None,
                                   bool(OPTIONAL.search(m.group(2)))))
            elif re.match(r"^##\s+Summary\b", src.lstrip()):
                out.append(Section("end", "summary and quiz"))
            sec = out[-1]
            if re.match(r"^##\s+References\b", src.lstrip()):
                continue
            sec.words += words(src)
            if "solution" in tags:
                continue
            if cell.get("id") in ("predict-first", "predict-again"):
                sec.add("predict first", PREDICT * _numbered(src))
                continue
            sec.add("Think!", THINK * len(THINK_PROMPT.findall(src)))
            sec.add("self-check", SELF_CHECK * len(SELF_CHECK_PROMPT.findall(src)))
            if re.search(r"Interactive demo|Questions to answer|answer these|Answer these", src):
                demo_pending += _numbered(src)
        elif cell.get("cell_type") == "code":
            sec = out[-1]
            if "hide-input" in tags:
                continue
            q = re.search(r"quiz_widget\(\s*[\"']([^\"']+)", src)
            if q:
                sec.add("quiz", _quiz_minutes(q.group(1)))
            elif "show_references" in src or src.strip() in ("disclaimer()",):
                continue
            elif re.match(r"\s*(show|fig\b|fig,)", src):
                sec.add("figures", FIGURE)
            elif re.match(r"\s*(md|print)\(", src) or "keep_output" in tags or "for " in src:
                if cell.get("outputs") and "keep_output" in tags:
                    for o in cell["outputs"]:
                        text = o.get("text") or o.get("data", {}).get("text/markdown") or \
                            o.get("data", {}).get("text/plain", "")
                        sec.words += words(_src({"source": text}))
                else:
                    sec.add("generated text", GENERATED)
            else:
                sec.add("widgets", WIDGET + DEMO_QUESTION * demo_pending)
                demo_pending = 0
    return out


def estimate(path: Path) -> dict:
    """Computed minutes of one lesson: core (without optional deep dives), optional, and per section."""
    nb = json.loads(Path(path).read_text("utf-8"))
    secs = sections(nb)
    core = sum(s.minutes for s in secs if not s.optional)
    optional = sum(s.minutes for s in secs if s.optional)
    m = STATED.search(_src(nb["cells"][0]))
    return {"core": core, "optional": optional, "sections": secs, "stated": int(m.group(2)) if m else None,
            "words": sum(s.words for s in secs)}


def rounded(minutes: float) -> int:
    """Stated lesson times are rounded to the nearest 5 minutes."""
    return int(5 * math.floor(minutes / 5 + 0.5))


def _write_notebook(path: Path) -> int:
    nb = json.loads(path.read_text("utf-8"))
    est = estimate(path)
    total = rounded(est["core"])
    by_key = {s.key: s for s in est["sections"]}
    for cell in nb["cells"]:
        src = _src(cell)
        if cell.get("cell_type") != "markdown":
            continue
        m = SECTION.search(src)
        if m and src.lstrip().startswith("## ") and m.group(1) in by_key:
            minutes = max(1, round(by_key[m.group(1)].minutes))
            new = f"## {m.group(1)}. {m.group(2)} — about {minutes} min"
            src = src[:m.start()] + new + src[m.end():]
            cell["source"] = src.splitlines(keepends=True)
    head = _src(nb["cells"][0])
    opt = max(1, round(est["optional"])) if est["optional"] else 0
    extra = (f" (computed: the words at {WPM} a minute plus each demo, Think! pause, self-check and quiz item; "
             f"time per section in the headings" + (f"; plus about {opt} min of optional deep dive" if opt else "") + ")")
    head = STATED.sub(lambda m: f"{m.group(1)}{total}{m.group(3)}{extra}", head, count=1)
    nb["cells"][0]["source"] = head.splitlines(keepends=True)
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return total


def write(notebook_dir: Path = NOTEBOOKS) -> dict[str, int]:
    """Write computed times into the lessons (header, section headings), course.toml, README, INSTRUCTORS and the
    course map of lesson 00. Returns {stem: minutes}."""
    times = {p.stem: _write_notebook(p) for p in sorted(notebook_dir.glob("*.ipynb"))}
    course = ROOT / "bonemets_edu" / "data" / "course.toml"
    text = course.read_text("utf-8")
    for stem, minutes in times.items():
        text = re.sub(rf'(stem = "{re.escape(stem)}"\n(?:[^\[]*?\n)?minutes = )\d+', rf"\g<1>{minutes}", text)
    course.write_text(text, "utf-8")
    for doc in (ROOT / "README.md", notebook_dir / "00_start_here.ipynb"):
        raw = doc.read_text("utf-8")
        for stem, minutes in times.items():
            # course-map rows: "| NN | [Title](…stem.ipynb)… | NN min |"
            raw = re.sub(rf"(\({'(?:notebooks/)?'}{re.escape(stem)}\.ipynb\)[^|\n]*\|\s*)\d+( min)", rf"\g<1>{minutes}\2",
                         raw)
        doc.write_text(raw, "utf-8")
    guide = ROOT / "INSTRUCTORS.md"
    raw = guide.read_text("utf-8")
    for stem, minutes in times.items():
        raw = re.sub(rf"^(## {re.escape(stem.split('_')[0])} — .*\()\d+( min\))", rf"\g<1>{minutes}\2", raw, flags=re.M)
    guide.write_text(raw, "utf-8")
    return times


def report(notebook_dir: Path = NOTEBOOKS) -> int:
    bad = 0
    for p in sorted(notebook_dir.glob("*.ipynb")):
        est = estimate(p)
        stated = est["stated"]
        off = abs(stated - est["core"]) / est["core"] if stated else 1.0
        bad += off > TOLERANCE
        print(f"{p.stem}: computed {est['core']:.1f} min core (+{est['optional']:.1f} optional), {est['words']} words; "
              f"stated {stated} min ({off:.0%} off)")
        for s in est["sections"]:
            parts = ", ".join(f"{k} {v:g}" for k, v in s.parts.items() if v)
            print(f"    {s.key:>5} {s.title[:48]:48} {s.minutes:5.1f} min  (read {s.words / WPM:.1f}; {parts})"
                  + (f"  stated {s.stated}" if s.stated is not None else "") + ("  [optional]" if s.optional else ""))
    return 1 if bad else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--write", action="store_true", help="write the computed times into lessons and docs")
    args = ap.parse_args(argv)
    if args.write:
        for stem, minutes in write().items():
            print(f"{stem}: {minutes} min")
        print("now run: python -m tools.versions")
        return 0
    return report()


if __name__ == "__main__":
    raise SystemExit(main())
