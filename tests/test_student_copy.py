"""The student's own copy of the lessons (run.py): made once, never overwritten once edited, one lesson reset."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT))
import run as runner  # noqa: E402

STUDENT = ROOT / "versions" / "student"
LESSON = "02_radiation_therapy.ipynb"


def test_first_start_copies_every_student_version(tmp_path):
    done = runner.sync_copy(tmp_path / "copy")
    names = sorted(p.name for p in STUDENT.glob("*.ipynb"))
    assert sorted(done["new"]) == names and not done["updated"] and not done["kept"]
    for name in names:
        assert (tmp_path / "copy" / name).read_bytes() == (STUDENT / name).read_bytes()


def test_edited_lessons_are_kept_and_untouched_ones_follow_a_new_course_version(tmp_path):
    source = tmp_path / "student"
    source.mkdir()
    for name in ("00_a.ipynb", "01_b.ipynb"):
        (source / name).write_text('{"v": 1}', encoding="utf-8")
    copy = tmp_path / "copy"
    runner.sync_copy(copy, source)
    (copy / "00_a.ipynb").write_text('{"v": 1, "my": "notes"}', encoding="utf-8")  # the student's work
    for name in ("00_a.ipynb", "01_b.ipynb"):
        (source / name).write_text('{"v": 2}', encoding="utf-8")  # a newer course version
    done = runner.sync_copy(copy, source)
    assert done == {"new": [], "updated": ["01_b.ipynb"], "kept": ["00_a.ipynb"]}
    assert "notes" in (copy / "00_a.ipynb").read_text("utf-8")
    assert (copy / "01_b.ipynb").read_text("utf-8") == '{"v": 2}'
    assert runner.sync_copy(copy, source) == {"new": [], "updated": [], "kept": ["00_a.ipynb"]}


def test_reset_command_restores_one_lesson_and_keeps_a_backup(tmp_path):
    """`python3 run.py reset 02` puts the lesson back; the student's version moves to backups/."""
    env = dict(os.environ, BONEMETS_COPY_DIR=str(tmp_path / "copy"), BONEMETS_PYTHON=sys.executable)
    runner.sync_copy(tmp_path / "copy")
    mine = tmp_path / "copy" / LESSON
    mine.write_text(mine.read_text("utf-8").replace("External beam", "My notes: external beam"), encoding="utf-8")
    out = subprocess.run([sys.executable, "run.py", "reset", "02"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    assert mine.read_bytes() == (STUDENT / LESSON).read_bytes()
    backups = list((tmp_path / "copy" / "backups").glob("02_radiation_therapy.*.ipynb"))
    assert len(backups) == 1 and "My notes" in backups[0].read_text("utf-8")
    bad = subprocess.run([sys.executable, "run.py", "reset", "99"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode != 0 and "name a lesson by its number" in bad.stderr


def test_pre_save_hook_replaces_widget_views_with_a_run_all_line():
    from bonemets_edu import jupyter_hooks

    view = {"application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2},
            "text/plain": "VBox(children=(...))"}
    nb = {"cells": [{"cell_type": "code", "outputs": [
        {"output_type": "display_data", "data": dict(view), "metadata": {}},
        {"output_type": "stream", "name": "stdout", "text": "kept\n"},
        {"output_type": "display_data", "data": {"text/html": "<img alt='fig'>"}, "metadata": {}}]}],
        "metadata": {"widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}}}}}
    model = {"type": "notebook", "content": nb}
    jupyter_hooks.clear_widget_views(model, path="x.ipynb", contents_manager=None)
    outs = nb["cells"][0]["outputs"]
    assert outs[0]["data"]["text/plain"] == jupyter_hooks.RUN_ALL_NOTE and "Run All Cells" in outs[0]["data"]["text/html"]
    assert outs[1]["text"] == "kept\n" and outs[2]["data"] == {"text/html": "<img alt='fig'>"}
    assert "widgets" not in nb["metadata"]
    text = {"type": "file", "content": "application/vnd.jupyter.widget-view+json"}
    jupyter_hooks.clear_widget_views(text)
    assert text["content"] == "application/vnd.jupyter.widget-view+json"


def test_course_css_sizes_text_for_the_app_view_and_the_scale():
    from bonemets_edu import frontend

    assert "--jp-widgets-font-size" not in frontend.course_css(app=False, factor=1.0)  # JupyterLab's own 13 px
    assert "--jp-widgets-font-size: 14.0px" in frontend.course_css(app=True, factor=1.0)
    assert "--jp-widgets-font-size: 17.5px" in frontend.course_css(app=True, factor=1.25)
    assert "text-decoration: underline" in frontend.course_css(app=False, factor=1.0)
