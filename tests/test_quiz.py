import pytest

from bonemets_edu import quiz
from bonemets_edu.evidence import EvidenceError


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
[[question]]
id = "a"
kind = "choice"
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


@pytest.mark.parametrize(
    "mutation, words",
    [
        (lambda t: t.replace("correct = false", "correct = true"), ["'a'", "exactly one correct", "2"]),
        (lambda t: t.replace('feedback = "f2"\n', ""), ["'a'", "option #2", "feedback"]),
        (lambda t: t.replace('kind = "choice"', 'kind = "essay"'), ["'a'", "kind"]),
        (lambda t: t.replace('prompt = "P?"', 'prompt = "P?"\nsource = "nobody1900"'), ["'a'", "nobody1900"]),
        (lambda t: t + '\n[[question]]\nid = "a"\nkind = "numeric"\nprompt="x"\nanswer=1\ntolerance=0\nunit=""\n'
                       'feedback_correct="y"\nfeedback_incorrect="n"\n', ["duplicate id"]),
        (lambda t: t + '\n[[question]]\nid = "b"\nkind = "numeric"\nprompt="x"\nanswer=1\ntolerance=-1\nunit=""\n'
                       'feedback_correct="y"\nfeedback_incorrect="n"\n', ["'b'", "tolerance"]),
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
    first["control"].value = 1
    first["button"].click()
    assert "Not quite" in first["feedback"].value and "✘" in first["feedback"].value
    first["control"].value = 0
    first["button"].click()
    assert "Correct" in first["feedback"].value
    num = next(h for h in w.questions if h["question"].kind == "numeric")
    num["control"].value = "<script>alert(1)</script>"
    num["button"].click()
    assert "<script>" not in num["feedback"].value and "Enter a number first" in num["feedback"].value
    num["control"].value = f"{num['question'].answer}"
    num["button"].click()
    assert "Correct" in num["feedback"].value
