import json
import subprocess
import sys
from pathlib import Path

import pytest

from bonemets_edu import quiz
from bonemets_edu.evidence import EvidenceError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
from make_broken_quiz import build  # noqa: E402


@pytest.mark.parametrize("path", quiz.quiz_files(), ids=lambda p: p.stem)
def test_every_quiz_file_is_well_formed(path):
    questions = quiz.load_quiz(str(path))
    assert questions
    for q in questions:
        if q.kind == "choice":
            assert sum(o.correct for o in q.options) == 1
            assert all(o.feedback.strip() for o in q.options)
            correct = next(i for i, o in enumerate(q.options) if o.correct)
            assert quiz.check_answer(q, correct)[0] is True
            wrong = next(i for i, o in enumerate(q.options) if not o.correct)
            ok, text = quiz.check_answer(q, wrong)
            assert ok is False and text.startswith("Not quite")
        else:
            assert q.feedback_correct and q.feedback_incorrect
            assert quiz.check_answer(q, q.answer)[0] is True
            assert quiz.check_answer(q, q.answer + q.tolerance + max(1.0, abs(q.answer)))[0] is False


@pytest.mark.parametrize("path", quiz.quiz_files(), ids=lambda p: p.stem)
def test_every_quiz_has_a_notebook(path):
    from bonemets_edu.course import NOTEBOOK_DIR

    assert (NOTEBOOK_DIR / f"{path.stem}.ipynb").exists()


BASE = """
[[objective]]
id = "T.1"
text = "Objective one"

[[question]]
id = "a"
kind = "choice"
objective = "T.1"
level = "recall"
prompt = "P?"
[[question.option]]
text = "yes"
correct = true
feedback = "f1"
[[question.option]]
text = "no"
correct = false
feedback = "f2"
"""


PINNED_START1 = [0, 2, 1, 3]  # option_order of id "start1" with four options (SHA-256 Fisher-Yates)

NUM = """
[[question]]
id = "b"
kind = "numeric"
objective = "T.1"
level = "apply"
prompt = "x"
answer = 1
tolerance=0
unit = ""
feedback_correct = "y"
feedback_incorrect = "n"
"""
SLIP = """[[question.slip]]
value = {value}
tolerance = 0.5
feedback = "slip"
"""


@pytest.mark.parametrize(
    "mutation, words",
    [
        (lambda t: t.replace("correct = false", "correct = true"), ["'a'", "exactly one correct", "2"]),
        (lambda t: t.replace('feedback = "f2"\n', ""), ["'a'", "option #2", "feedback"]),
        (lambda t: t.replace('kind = "choice"', 'kind = "essay"'), ["'a'", "kind"]),
        (lambda t: t.replace('prompt = "P?"', 'prompt = "P?"\nsource = "nobody1900"'), ["'a'", "nobody1900"]),
        (lambda t: t + NUM.replace('id = "b"', 'id = "a"'), ["duplicate id"]),
        (lambda t: t + NUM.replace("tolerance=0", "tolerance=-1"), ["'b'", "tolerance"]),
        (lambda t: t.replace('objective = "T.1"\nlevel', 'objective = "T.9"\nlevel'), ["'a'", "T.9", "T.1"]),
        (lambda t: t.replace('objective = "T.1"\n', ""), ["'a'", "objective"]),
        (lambda t: t.replace('level = "recall"', 'level = "remember"'), ["'a'", "level", "analyse"]),
        (lambda t: t.replace('level = "recall"', 'level = "recall"\nvignette = "yes"'), ["'a'", "vignette"]),
        (lambda t: t.replace('[[objective]]\nid = "T.1"\ntext = "Objective one"\n', ""), ["[[objective]]"]),
        (lambda t: t + NUM + SLIP.format(value=1.0), ["'b'", "slip #1", "overlaps"]),
        (lambda t: t + NUM + SLIP.format(value=2.0).replace("feedback", "feedbak"), ["'b'", "slip #1", "feedback"]),
        (lambda t: t.replace('feedback = "f2"', 'feedback = "f2"\n[[question.slip]]\nvalue=1\ntolerance=0\n'
                                                'feedback="s"'), ["'a'", "numeric", "slip"]),
    ],
)
def test_bad_quiz_is_rejected(tmp_path, mutation, words):
    p = tmp_path / "q.toml"
    p.write_text(mutation(BASE), encoding="utf-8")
    with pytest.raises(EvidenceError) as info:
        quiz.load_quiz(str(p))
    for w in words:
        assert w in str(info.value)


def test_numeric_input_is_parsed_not_evaluated():
    assert quiz.parse_number(" 39,5 ") == 39.5
    assert quiz.parse_number("__import__('os').system('echo hi')") is None
    assert quiz.parse_number("nan") is None
    assert quiz.parse_number("") is None


def test_quiz_widget_gives_text_feedback_without_preselection():
    w = quiz.quiz_widget("00_start_here")
    first = w.questions[0]
    assert first["control"].value is None  # nothing pre-selected
    first["button"].click()
    assert "Choose one answer first" in first["feedback"].value
    q = first["question"]
    right = next(i for i, o in enumerate(q.options) if o.correct)
    first["control"].value = next(i for i, o in enumerate(q.options) if not o.correct)
    first["button"].click()
    assert "Not quite" in first["feedback"].value and "✘" in first["feedback"].value
    first["control"].value = right
    first["button"].click()
    assert "Correct" in first["feedback"].value
    num = next(h for h in w.questions if h["question"].kind == "numeric")
    num["control"].value = "<script>alert(1)</script>"
    num["button"].click()
    assert "<script>" not in num["feedback"].value and "Enter a number first" in num["feedback"].value
    num["control"].value = f"{num['question'].answer}"
    num["button"].click()
    assert "Correct" in num["feedback"].value


def test_numeric_slip_gets_its_own_feedback(tmp_path):
    p = tmp_path / "q.toml"
    p.write_text(BASE + NUM.replace("answer = 1", "answer = 39") + SLIP.format(value=30.0), encoding="utf-8")
    q = quiz.load_quiz(str(p))[1]
    assert q.slips[0].value == 30.0
    assert quiz.check_answer(q, 30.4) == (False, "Not quite — slip")
    assert quiz.check_answer(q, 25.0) == (False, "Not quite — n")
    assert quiz.check_answer(q, 39.0) == (True, "Correct — y")


def test_option_order_is_a_stable_seeded_permutation():
    opts = tuple(quiz.Option(str(i), i == 0, "f") for i in range(4))
    orders = {qid: quiz.option_order(quiz.Question(qid, "choice", "p", options=opts)) for qid in
              [f"item{k}" for k in range(40)]}
    assert all(sorted(o) == [0, 1, 2, 3] for o in orders.values())
    assert len({tuple(o) for o in orders.values()}) > 10  # the seed (the id) changes the order
    assert sum(o[0] == 0 for o in orders.values()) < 20  # the first-written option is not kept first
    # the same order in a fresh interpreter with a different hash seed (hashlib, not hash())
    code = ("from bonemets_edu import quiz; o = tuple(quiz.Option(str(i), i == 0, 'f') for i in range(4)); "
            "print([quiz.option_order(quiz.Question(f'item{k}', 'choice', 'p', options=o)) for k in range(40)])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONHASHSEED": "123", "PATH": ""}, cwd=ROOT).stdout
    assert json.loads(out) == [orders[f"item{k}"] for k in range(40)]
    # pinned: a change of the algorithm would reshuffle every lesson's saved order
    assert quiz.option_order(quiz.Question("start1", "choice", "p", options=opts)) == PINNED_START1


def test_rendered_widget_uses_the_shuffled_order():
    w = quiz.quiz_widget("00_start_here")
    for h in w.questions:
        q = h["question"]
        if q.kind == "choice":
            assert [v for _, v in h["control"].options] == quiz.option_order(q)
            assert [t for t, _ in h["control"].options] == [q.options[i].text for i in quiz.option_order(q)]


@pytest.mark.parametrize("path", quiz.quiz_files(), ids=lambda p: p.stem)
def test_every_quiz_passes_the_item_writing_lint(path):
    problems = quiz.lint_quiz(str(path))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", quiz.quiz_files(), ids=lambda p: p.stem)
def test_rendered_correct_option_is_rarely_first_or_longest(path):
    stats = quiz.render_stats(quiz.load_quiz(str(path)))
    assert stats["first"] <= 0.40 and stats["longest"] <= 1 / 3, stats



@pytest.mark.parametrize("path", quiz.quiz_files(), ids=lambda p: p.stem)
def test_rendered_correct_option_is_first_or_longest_in_at_most_40_percent(path):
    """Issue 14's done-when, read as the union: a test-wise student who picks "the first option, or else the longest"
    must not score above 40 % on any lesson. Counted here from the rendered order and the option texts themselves
    (a tie for longest counts as longest), independently of ``render_stats``."""
    cued, choice = [], [q for q in quiz.load_quiz(str(path)) if q.kind == "choice"]
    for q in choice:
        shown = [q.options[i] for i in quiz.option_order(q)]
        correct = next(o for o in shown if o.correct)
        if shown[0] is correct or len(correct.text) >= max(len(o.text) for o in shown):
            cued.append(q.id)
    assert choice, "no choice items"
    share = len(cued) / len(choice)
    assert share <= 0.40, f"{len(cued)} of {len(choice)} items show the correct option first or longest: {cued}"
    assert quiz.render_stats(quiz.load_quiz(str(path)))["first_or_longest"] == pytest.approx(share)

def test_the_fixture_breaks_every_lint_rule():
    problems = quiz.lint_quiz(str(ROOT / "tests" / "fixtures" / "broken_quiz.toml"))
    caught = {p.split(":", 1)[0] for p in problems}
    assert caught == set(quiz.LINT_RULES), f"not caught: {set(quiz.LINT_RULES) - caught}"
    assert (ROOT / "tests" / "fixtures" / "broken_quiz.toml").read_text("utf-8") == build(
        **{r: True for r in quiz.LINT_RULES}), "run tests/fixtures/make_broken_quiz.py"


def test_each_lint_rule_alone_is_caught(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text(build(), encoding="utf-8")
    assert quiz.lint_quiz(str(good)) == []
    for rule in quiz.LINT_RULES:
        p = tmp_path / f"broken_{rule}.toml"
        p.write_text(build(**{rule: True}), encoding="utf-8")
        caught = {x.split(":", 1)[0] for x in quiz.lint_quiz(str(p))}
        assert caught == {rule}, f"breaking {rule!r} was reported as {caught}"
