"""Student and instructor versions of every lesson, written from the one source in ``notebooks/``.

    python -m tools.versions            # (re)write versions/student/*.ipynb and versions/instructor/*.ipynb
    python -m tools.versions --check    # exit 1 and name the stale files if the sources changed since

Tags in the source lessons (the same tags serve JupyterLab, Voila and a Jupyter Book):

* ``solution`` — the answer to a Think! pause (Markdown). Also tagged ``hide-cell`` (a book shows it behind a
  toggle) and collapsed in JupyterLab (``jupyter.source_hidden``).
* ``instructor-note`` — notes for the teacher. Also tagged ``remove-cell`` (a book leaves it out) and collapsed.
* ``hide-input`` — the setup cell: a book and JupyterLab hide its code; Voila hides all code anyway.

``python -m tools.versions --normalize`` adds the companion tags and collapse flags to the sources (idempotent).
The **student version** keeps every ``solution`` cell, folded behind a "Show answer" disclosure (an HTML
``<details>``/``<summary>`` pair: closed by default, opened by a click or, keyboard-only, by Tab to "Show answer" and
Enter or Space; it works the same in JupyterLab and Voila), so a student can try first and check afterwards; the cell
is retagged ``answer-folded``. Only the ``instructor-note`` cells are removed. The **instructor version** shows both
expanded, marked "Instructor version", and ends with an answer key built from the lesson's quiz file.
The app view (``python3 run.py present``) serves the student version: answers stay folded on the projector until the
teacher opens one, and instructor notes are absent.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "notebooks"
OUT = ROOT / "versions"
COMPANIONS = {"solution": "hide-cell", "instructor-note": "remove-cell"}
PRIVATE = ("solution", "instructor-note")


def _tags(cell) -> list[str]:
    return cell.setdefault("metadata", {}).setdefault("tags", [])


def normalize(nb: dict) -> dict:
    """Add companion tags and JupyterLab collapse flags (in place; returns nb)."""
    for cell in nb["cells"]:
        tags = _tags(cell)
        for tag, companion in COMPANIONS.items():
            if tag in tags:
                if companion not in tags:
                    tags.append(companion)
                cell["metadata"].setdefault("jupyter", {})["source_hidden"] = True
        if "hide-input" in tags and cell.get("cell_type") == "code":
            cell["metadata"].setdefault("jupyter", {})["source_hidden"] = True
        if not tags:
            del cell["metadata"]["tags"]
    return nb


def _clean(nb: dict) -> dict:
    nb = copy.deepcopy(nb)
    for cell in nb["cells"]:
        if cell.get("cell_type") == "code" and "keep_output" not in cell.get("metadata", {}).get("tags", []):
            cell["outputs"], cell["execution_count"] = [], None
    nb.get("metadata", {}).pop("widgets", None)
    return nb


FOLDED = "answer-folded"
SUMMARY = "Show answer"


def fold(markdown: str) -> str:
    """A Markdown answer folded behind a keyboard-operable "Show answer" disclosure (closed by default).

    The blank lines around the answer make JupyterLab (marked) and Voila (nbconvert/mistune) render the Markdown inside
    the HTML block; ``<summary>`` is focusable and toggles with Enter or Space in every current browser.
    """
    return f"<details>\n<summary>{SUMMARY}</summary>\n\n{markdown.strip()}\n\n</details>"


def student(nb: dict) -> dict:
    out = _clean(nb)
    cells = []
    for cell in out["cells"]:
        tags = cell.get("metadata", {}).get("tags", [])
        if "instructor-note" in tags:
            continue
        if "solution" in tags:
            src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = fold(src)
            cell["metadata"]["tags"] = [FOLDED] + [t for t in tags if t not in ("solution", COMPANIONS["solution"])]
            cell["metadata"].get("jupyter", {}).pop("source_hidden", None)
            if cell["metadata"].get("jupyter") == {}:
                del cell["metadata"]["jupyter"]
        cells.append(cell)
    out["cells"] = cells
    out["metadata"]["bonemets_version"] = "student"
    return out


def answer_key_markdown(stem: str) -> str | None:
    sys.path.insert(0, str(ROOT))
    from bonemets_edu import quiz, references

    path = quiz.quiz_dir() / f"{stem}.toml"
    if not path.exists():
        return None
    lines = ["## Answer key (instructor version)", "", "Answers to the **Check yourself** questions, with the "
             "feedback students see."]
    objectives = {o.id: o.text for o in quiz.load_objectives(str(path))}
    for n, q in enumerate(quiz.load_quiz(str(path)), 1):
        kind = "clinical vignette, " if q.vignette else ""
        lines += ["", f"**Q{n}.** {q.prompt}", "",
                  f"*({kind}{q.level}; objective {q.objective}: {objectives[q.objective]})*", ""]
        if q.kind == "choice":
            for o in (q.options[i] for i in quiz.option_order(q)):  # the order students see
                mark = "**✔ correct**" if o.correct else "✘"
                lines.append(f"- {mark} {o.text} — {o.feedback}")
        else:
            unit = f" {q.unit}" if q.unit else ""
            lines.append(f"- **Answer: {q.answer:g}{unit}** (accepted ± {q.tolerance:g}{unit}) — {q.feedback_correct}")
            for slip in q.slips:
                lines.append(f"- ✘ typical slip {slip.value:g}{unit} (± {slip.tolerance:g}) — {slip.feedback}")
        if q.source:
            lines.append(f"- Source: {references.short(q.source)}")
    return "\n".join(lines)


def instructor(nb: dict, stem: str) -> dict:
    out = _clean(nb)
    for cell in out["cells"]:
        tags = cell.get("metadata", {}).get("tags", [])
        if set(tags) & set(PRIVATE):
            cell["metadata"]["tags"] = [t for t in tags if t not in COMPANIONS.values()]
            cell["metadata"].get("jupyter", {}).pop("source_hidden", None)
            if cell["metadata"].get("jupyter") == {}:
                del cell["metadata"]["jupyter"]
            label = "Answer" if "solution" in tags else "Instructor note"
            src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = f"> **{label} (instructor version).**\n>\n" + "\n".join(
                "> " + line if line else ">" for line in src.splitlines())
    key = answer_key_markdown(stem)
    if key:
        out["cells"].append({"cell_type": "markdown", "metadata": {"tags": ["answer-key"]}, "source": key})
    out["metadata"]["bonemets_version"] = "instructor"
    return out


def dumps(nb: dict) -> str:
    return json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def expected(src_dir: Path = SOURCES) -> dict[Path, str]:
    files: dict[Path, str] = {}
    for path in sorted(src_dir.glob("*.ipynb")):
        nb = json.loads(path.read_text("utf-8"))
        files[Path("student") / path.name] = dumps(student(nb))
        files[Path("instructor") / path.name] = dumps(instructor(nb, path.stem))
    return files


def stale(src_dir: Path = SOURCES, out_dir: Path = OUT) -> list[str]:
    """Generated files that are missing, different from what the sources give, or left over."""
    want = expected(src_dir)
    problems = []
    for rel, text in want.items():
        p = out_dir / rel
        if not p.exists():
            problems.append(f"{rel}: missing")
        elif p.read_text("utf-8") != text:
            problems.append(f"{rel}: out of date")
    for p in sorted(out_dir.glob("*/*.ipynb")):
        if p.relative_to(out_dir) not in want:
            problems.append(f"{p.relative_to(out_dir)}: no source lesson")
    return problems


def write(src_dir: Path = SOURCES, out_dir: Path = OUT) -> None:
    want = expected(src_dir)
    for rel, text in want.items():
        p = out_dir / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    for p in out_dir.glob("*/*.ipynb"):
        if p.relative_to(out_dir) not in want:
            p.unlink()
    print(f"wrote {len(want)} notebooks under {out_dir.relative_to(ROOT) if out_dir.is_relative_to(ROOT) else out_dir}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="only report stale generated versions")
    ap.add_argument("--normalize", action="store_true", help="add companion tags/collapse flags to the sources")
    args = ap.parse_args(argv)
    if args.normalize:
        for path in sorted(SOURCES.glob("*.ipynb")):
            nb = json.loads(path.read_text("utf-8"))
            before = json.dumps(nb, sort_keys=True)
            normalize(nb)
            if json.dumps(nb, sort_keys=True) != before:
                path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
                print(f"normalized {path.name}")
        return 0
    if args.check:
        problems = stale()
        for p in problems:
            print(p)
        print("versions are up to date" if not problems else
              f"{len(problems)} stale; run: python -m tools.versions")
        return 1 if problems else 0
    write()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
