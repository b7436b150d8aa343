"""Student and instructor versions are generated from the lessons and must stay in sync with them."""

import json
import shutil
from pathlib import Path

import pytest

from tools import versions

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_generated_versions_are_up_to_date():
    problems = versions.stale()
    assert not problems, "run `python -m tools.versions`:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_sources_carry_the_companion_tags(path):
    nb = json.loads(path.read_text("utf-8"))
    before = json.dumps(nb, sort_keys=True)
    assert json.dumps(versions.normalize(nb), sort_keys=True) == before, "run `python -m tools.versions --normalize`"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_student_version_folds_answers_and_drops_instructor_notes(path):
    src = json.loads(path.read_text("utf-8"))
    stu = json.loads((ROOT / "versions" / "student" / path.name).read_text("utf-8"))

    def source(c):
        return "".join(c["source"]) if isinstance(c["source"], list) else c["source"]

    def tagged(tag):
        return [c for c in src["cells"] if tag in c.get("metadata", {}).get("tags", [])]

    text = json.dumps(stu, ensure_ascii=False)
    for cell in tagged("instructor-note"):
        assert json.dumps(source(cell).strip(), ensure_ascii=False)[1:-1][:200] not in text
    folded = [c for c in stu["cells"] if versions.FOLDED in c.get("metadata", {}).get("tags", [])]
    assert [source(c) for c in folded] == [versions.fold(source(c)) for c in tagged("solution")]
    for c in folded:  # closed, labelled, and not collapsed away by JupyterLab
        assert source(c).startswith("<details>\n<summary>Show answer</summary>\n\n") and "<details open" not in source(c)
        assert source(c).endswith("\n\n</details>") and not c["metadata"].get("jupyter", {}).get("source_hidden")
    assert "Answer key" not in text and "instructor version" not in text.lower()
    tags = {t for c in stu["cells"] for t in c.get("metadata", {}).get("tags", [])}
    assert not tags & {"solution", "instructor-note", "answer-key", "hide-cell", "remove-cell"}
    assert len(stu["cells"]) == len(src["cells"]) - len(tagged("instructor-note"))


def test_fold_keeps_the_markdown_renderable():
    folded = versions.fold("**Answer.** 24 Gy / 6.\n")
    assert folded == "<details>\n<summary>Show answer</summary>\n\n**Answer.** 24 Gy / 6.\n\n</details>"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_instructor_version_shows_answers_and_key(path):
    src = json.loads(path.read_text("utf-8"))
    ins = json.loads((ROOT / "versions" / "instructor" / path.name).read_text("utf-8"))
    n_private = sum(bool(set(c.get("metadata", {}).get("tags", [])) & set(versions.PRIVATE)) for c in src["cells"])
    shown = [c for c in ins["cells"] if set(c.get("metadata", {}).get("tags", [])) & set(versions.PRIVATE)]
    assert len(shown) == n_private
    assert all("(instructor version).**" in "".join(c["source"]) for c in shown)
    assert all(not c["metadata"].get("jupyter", {}).get("source_hidden") for c in shown)
    assert "Answer key" in "".join(ins["cells"][-1]["source"]) and "✔ correct" in "".join(ins["cells"][-1]["source"])


def test_check_fails_when_a_source_changes(tmp_path):
    src, out = tmp_path / "notebooks", tmp_path / "versions"
    src.mkdir()
    for nb in ROOT.glob("notebooks/*.ipynb"):
        shutil.copy(nb, src / nb.name)
    versions.write(src, out)
    assert versions.stale(src, out) == []
    first = sorted(src.glob("*.ipynb"))[0]
    nb = json.loads(first.read_text("utf-8"))
    nb["cells"][0]["source"] = "".join(nb["cells"][0]["source"]) + "\nA new sentence."
    first.write_text(json.dumps(nb), encoding="utf-8")
    problems = versions.stale(src, out)
    assert f"student/{first.name}: out of date" in problems and f"instructor/{first.name}: out of date" in problems
    (out / "student" / "99_orphan.ipynb").write_text("{}")
    assert "student/99_orphan.ipynb: no source lesson" in versions.stale(src, out)
