from pathlib import Path

import pytest

from tools import nblint

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
FIXTURE = ROOT / "tests" / "fixtures" / "broken_lesson.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_lesson_follows_the_template(path):
    problems = nblint.lint(path)
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


def test_the_fixture_breaks_every_rule_and_the_linter_catches_each():
    problems = nblint.lint(FIXTURE)
    caught = {p.split(":", 1)[0] for p in problems}
    assert caught == set(nblint.RULES), f"rules not caught: {set(nblint.RULES) - caught}"


def test_each_rule_alone_is_caught(tmp_path):
    """Start from a passing lesson and break one rule at a time."""
    import json

    good = json.loads((ROOT / "notebooks" / "00_start_here.ipynb").read_text("utf-8"))
    assert nblint.lint(ROOT / "notebooks" / "00_start_here.ipynb") == []

    def first_md(nb, old, new):
        src = "".join(nb["cells"][0]["source"])
        nb["cells"][0]["source"] = src.replace(old, new)

    def heading(word):
        def f(nb):
            for c in nb["cells"]:
                if c["cell_type"] == "markdown":
                    c["source"] = "".join(c["source"]).replace(f"## {word}", "## Something else")
        return f

    def code_cell(src, outputs=None, tags=None):
        def f(nb):
            nb["cells"].append({"cell_type": "code", "execution_count": None, "metadata": {"tags": tags or []},
                                "outputs": outputs or [], "source": src})
        return f

    breakers = {
        "title": lambda nb: first_md(nb, "# Start here", "Start here"),
        "disclaimer": lambda nb: first_md(nb, "For education only", "For fun"),
        "time": lambda nb: first_md(nb, "Estimated time:", "Time:"),
        "objectives": heading("Learning objectives"),
        "prerequisites": heading("Prerequisites"),
        "summary": heading("Summary"),
        "check_yourself": heading("Check yourself"),
        "references": heading("References"),
        "pip": code_cell("%pip install numpy"),
        "outputs": code_cell("1 + 1", outputs=[{"output_type": "stream", "name": "stdout", "text": "2"}]),
        "kernelspec": lambda nb: nb["metadata"]["kernelspec"].update(name="ir"),
        "short_cells": code_cell("\n".join(f"x{i} = {i}" for i in range(7))),
        "links": lambda nb: nb["cells"].append({"cell_type": "markdown", "metadata": {},
                                                "source": "[next](42_nowhere.ipynb)"}),
        "todo": lambda nb: nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source": "TODO write"}),
        "quiz": lambda nb: [c.update(source="".join(c["source"]).replace('quiz_widget("00_start_here")',
                                                                          'quiz_widget("00_nowhere")'))
                            for c in nb["cells"] if c["cell_type"] == "code"],
    }
    assert set(breakers) == set(nblint.RULES)
    for other in NOTEBOOKS:  # so that the lesson's links to the other lessons resolve
        (tmp_path / other.name).write_text(other.read_text("utf-8"), encoding="utf-8")
    for rule, breaker in breakers.items():
        nb = json.loads(json.dumps(good))
        breaker(nb)
        p = tmp_path / f"broken_{rule}.ipynb"
        p.write_text(json.dumps(nb), encoding="utf-8")
        caught = {x.split(":", 1)[0] for x in nblint.lint(p)}
        assert caught == {rule}, f"breaking {rule!r} was reported as {caught}"


def test_quiz_rule_checks_objectives_against_the_notebook(tmp_path):
    import json

    nb = json.loads((ROOT / "notebooks" / "00_start_here.ipynb").read_text("utf-8"))
    first = "".join(nb["cells"][0]["source"])
    nb["cells"][0]["source"] = first.replace("4. **Choose** where to start in the course map.\n", "")
    problems = nblint.quiz_problems(nb)
    assert len(problems) == 1 and "differ from the notebook's objectives" in problems[0]
