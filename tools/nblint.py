"""The lesson linter: every notebook in ``notebooks/`` must follow the lesson template.

Run ``python -m tools.nblint [NOTEBOOK ...]``; exit 1 and one line per problem ("<notebook>: <what is missing>").
The rules (see STYLE.md §4 and the README's "How to add a lesson"):

title · disclaimer · estimated time · learning objectives · prerequisites · summary · "Check yourself" · references ·
a quiz (``quiz_widget("<stem>")``) whose file passes ``bonemets_edu.quiz.lint_quiz`` (fair items, every objective
scored, ≥ 6 items, ≥ 3 vignettes) and lists the notebook's objectives in order · no ``!pip``/``%pip`` · no saved outputs except cells tagged ``keep_output`` · the ``python3`` kernelspec · short code
cells (at most MAX_CODE_LINES non-blank lines, except the setup cell tagged ``hide-input``) · links to local notebooks
point at files that exist · no TODO/FIXME/TBD.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

MAX_CODE_LINES = 6

RULES = {
    "title": "no title (the first cell must be Markdown starting with '# ')",
    "disclaimer": "no education-only disclaimer ('For education only' in the first cell)",
    "time": "no estimated time ('Estimated time: NN minutes' in the first cell)",
    "objectives": "no 'Learning objectives' heading",
    "prerequisites": "no 'Prerequisites' heading",
    "summary": "no 'Summary' heading",
    "check_yourself": "no 'Check yourself' heading",
    "references": "no 'References' heading",
    "pip": "installs packages (!pip / %pip are forbidden)",
    "outputs": "saved outputs in a cell not tagged keep_output",
    "kernelspec": "not the standard python3 kernelspec",
    "short_cells": f"a code cell longer than {MAX_CODE_LINES} non-blank lines (only the setup cell tagged hide-input may be)",
    "links": "a link to a notebook that does not exist",
    "todo": "a TODO / FIXME / TBD marker",
    "quiz": "no quiz, or its quiz file breaks an item-writing or lesson rule (bonemets_edu.quiz.lint_quiz)",
}


def _src(cell) -> str:
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def _heading(nb, word: str) -> bool:
    pat = re.compile(rf"^#{{1,4}}\s+(\d+\.\s*)?{word}\b", re.I | re.M)
    return any(c.get("cell_type") == "markdown" and pat.search(_src(c)) for c in nb["cells"])


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[*_`]", "", text).split())


def objectives_listed(nb) -> list[str]:
    """The numbered items under the 'Learning objectives' heading, as plain text."""
    for c in nb.get("cells", []):
        src = _src(c)
        m = re.search(r"^#{1,4}\s+Learning objectives.*$", src, re.I | re.M)
        if c.get("cell_type") != "markdown" or not m:
            continue
        items, current = [], None
        for line in src[m.end():].splitlines():
            if re.match(r"^#{1,4}\s", line):
                break
            num = re.match(r"^\s*\d+\.\s+(.*)", line)
            if num:
                current = [num.group(1)]
                items.append(current)
            elif current is not None and line.startswith(" ") and line.strip():
                current.append(line.strip())
            elif not line.strip():
                current = None
        return [_plain(" ".join(i)) for i in items]
    return []


def quiz_problems(nb) -> list[str]:
    """What is wrong with the lesson's quiz (empty if it passes)."""
    from bonemets_edu import quiz
    from bonemets_edu.evidence import EvidenceError

    names = [m for c in nb.get("cells", []) if c.get("cell_type") == "code"
             for m in re.findall(r"quiz_widget\(\s*[\"']([^\"']+)[\"']", _src(c))]
    if not names:
        return ["no quiz_widget(\"<stem>\") cell"]
    out = []
    for name in names:
        try:
            out += [f"{name}: {p}" for p in quiz.lint_quiz(name)]
            declared = [_plain(o.text) for o in quiz.load_objectives(name)]
        except EvidenceError as exc:
            out.append(str(exc))
            continue
        listed = objectives_listed(nb)
        if listed and declared != listed:  # no list at all is the "objectives" rule's problem
            out.append(f"{name}: the quiz's [[objective]] texts {declared} differ from the notebook's objectives {listed}")
    return out


def lint(path: Path) -> list[str]:
    """Problems found in one notebook, each as '<rule>: <message>'."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        return [f"readable: cannot read notebook JSON ({exc})"]
    cells = nb.get("cells", [])
    problems: list[str] = []

    def fail(rule, detail=""):
        problems.append(f"{rule}: {RULES[rule]}" + (f" — {detail}" if detail else ""))

    first = _src(cells[0]) if cells and cells[0].get("cell_type") == "markdown" else ""
    if not re.match(r"^#\s+\S", first):
        fail("title")
    if not re.search(r"for education only", first, re.I):
        fail("disclaimer")
    if not re.search(r"estimated time\**\s*:?\**\s*:?\s*\d+", first, re.I):
        fail("time")
    for rule, word in [("objectives", "Learning objectives"), ("prerequisites", "Prerequisites"), ("summary", "Summary"),
                       ("check_yourself", "Check yourself"), ("references", "References")]:
        if not _heading(nb, word):
            fail(rule)
    for problem in quiz_problems(nb):
        fail("quiz", problem)
    ks = nb.get("metadata", {}).get("kernelspec", {})
    if ks.get("name") != "python3" or ks.get("language", "python") != "python":
        fail("kernelspec", f"found {ks.get('name')!r}")
    for i, cell in enumerate(cells, 1):
        src = _src(cell)
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.get("cell_type") == "code":
            if re.search(r"^\s*[!%]\s*pip\b", src, re.M) or re.search(r"^\s*!.*\bpip\s+install", src, re.M):
                fail("pip", f"cell {i}")
            if cell.get("outputs") and "keep_output" not in tags:
                fail("outputs", f"cell {i}")
            lines = [ln for ln in src.splitlines() if ln.strip()]
            if len(lines) > MAX_CODE_LINES and "hide-input" not in tags:
                fail("short_cells", f"cell {i} has {len(lines)} lines")
        if re.search(r"\b(TODO|FIXME|TBD)\b", src):
            fail("todo", f"cell {i}")
        if cell.get("cell_type") == "markdown":
            for target in re.findall(r"\]\(([^)#\s]+\.ipynb)(?:#[^)]*)?\)", src):
                if "://" in target:
                    continue
                if not (path.parent / target).exists():
                    fail("links", f"cell {i} links to {target}")
    return problems


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    paths = [Path(a) for a in args] or sorted(Path("notebooks").glob("*.ipynb"))
    bad = 0
    for p in paths:
        for problem in lint(p):
            print(f"{p}: {problem}")
            bad += 1
    print(f"{len(paths)} notebook(s) checked, {bad} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
