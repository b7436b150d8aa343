from pathlib import Path

from tools import loadcheck

ROOT = Path(__file__).resolve().parents[1]


def test_one_student_runs_one_lesson_and_reports_memory():
    summary = loadcheck.run(1, [ROOT / "notebooks" / "00_start_here.ipynb"])
    r = summary["results"][0]
    assert r["ok"], r
    assert 30 < r["peak_rss_mb"] < 2000  # a real kernel's peak, read inside the kernel
    text = loadcheck.report(summary)
    assert "passed 1/1" in text and "00_start_here.ipynb" in text
