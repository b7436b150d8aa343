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
def test_student_version_contains_no_answer(path):
    src = json.loads(path.read_text("utf-8"))
    stu = json.loads((ROOT / "versions" / "student" / path.name).read_text("utf-8"))
    private = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in src["cells"]
               if set(c.get("metadata", {}).get("tags", [])) & set(versions.PRIVATE)]
    text = json.dumps(stu, ensure_ascii=False)
    for block in private:
        assert json.dumps(block.strip(), ensure_ascii=False)[1:-1][:200] not in text
    assert "Answer key" not in text and "instructor version" not in text.lower()
    tags = {t for c in stu["cells"] for t in c.get("metadata", {}).get("tags", [])}
    assert not tags & {"solution", "instructor-note", "answer-key"}


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
