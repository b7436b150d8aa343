"""Self-check questions stored as data (``data/quizzes/<lesson>.toml``) and rendered with ipywidgets.

File format::

    lesson = "02_radiation_therapy"

    [[question]]
    id = "rt1"
    kind = "choice"                 # or "numeric"
    prompt = "Which schedule ...?"
    source = "steenland1999"        # optional for choice; required where the answer rests on a fact
    [[question.option]]
    text = "8 Gy in 1 fraction"
    correct = true
    feedback = "Yes — ..."          # every option has feedback

    [[question]]
    id = "rt2"
    kind = "numeric"
    prompt = "BED10 of 30 Gy in 10 fractions?"
    answer = 39.0
    tolerance = 0.5
    unit = "Gy"
    feedback_correct = "..."
    feedback_incorrect = "..."

Rules checked by ``load_quiz`` (and the test suite, for every file): unique ids; a choice item has ≥ 2 options,
exactly one correct, and feedback on each; a numeric item has a finite answer, a tolerance ≥ 0, a unit and both
feedback texts; every ``source`` resolves to a reference.

The renderer (``quiz_widget``) is keyboard-operable (radio buttons and buttons are native form controls), writes
feedback as text that starts with "Correct" or "Not quite", and never pre-selects an answer.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .evidence import EvidenceError, check_sources

__all__ = ["Question", "Option", "load_quiz", "quiz_files", "check_answer", "parse_number", "quiz_widget"]


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    prompt: str
    options: tuple[Option, ...] = ()
    answer: float | None = None
    tolerance: float = 0.0
    unit: str = ""
    feedback_correct: str = ""
    feedback_incorrect: str = ""
    source: str = ""
    explanation: str = ""
    extra: dict = field(default_factory=dict, compare=False)


def quiz_dir() -> Path:
    return Path(str(resources.files("bonemets_edu") / "data" / "quizzes"))


def quiz_files() -> list[Path]:
    return sorted(quiz_dir().glob("*.toml"))


def _path(name: str) -> Path:
    p = Path(name)
    if p.suffix == ".toml" and p.exists():
        return p
    return quiz_dir() / f"{name}.toml"


def _need(where: str, q: dict, name: str, typ, *, allow_empty=False):
    if name not in q:
        raise EvidenceError(f"{where}: missing required field {name!r}")
    v = q[name]
    ok = isinstance(v, typ) and not isinstance(v, bool) if typ is not bool else isinstance(v, bool)
    if typ is float:
        ok = isinstance(v, (int, float)) and not isinstance(v, bool)
    if not ok:
        raise EvidenceError(f"{where}: field {name!r} must be {typ.__name__}, got {type(v).__name__} {v!r}")
    if isinstance(v, str) and not allow_empty and not v.strip():
        raise EvidenceError(f"{where}: field {name!r} must not be empty")
    return v


def load_quiz(name: str) -> tuple[Question, ...]:
    """Load and validate a quiz file by lesson name (``"00_start_here"``) or path."""
    path = _path(name)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EvidenceError(f"{path.name}: quiz file not found at {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise EvidenceError(f"{path.name}: not valid TOML: {exc}") from exc
    items = raw.get("question")
    if not isinstance(items, list) or not items:
        raise EvidenceError(f"{path.name}: needs at least one [[question]]")
    out, seen = [], set()
    for i, q in enumerate(items):
        qid = q.get("id")
        where = f"{path.name}: question {qid!r}" if isinstance(qid, str) else f"{path.name}: question #{i + 1}"
        _need(where, q, "id", str)
        if qid in seen:
            raise EvidenceError(f"{where}: duplicate id")
        seen.add(qid)
        kind = _need(where, q, "kind", str)
        prompt = _need(where, q, "prompt", str)
        source = q.get("source", "")
        check_sources({"source": source} if source else {}, where)
        explanation = q.get("explanation", "")
        if kind == "choice":
            opts = q.get("option")
            if not isinstance(opts, list) or len(opts) < 2:
                raise EvidenceError(f"{where}: a choice question needs at least 2 [[question.option]] entries")
            options = []
            for j, o in enumerate(opts):
                ow = f"{where} option #{j + 1}"
                options.append(Option(_need(ow, o, "text", str), _need(ow, o, "correct", bool), _need(ow, o, "feedback", str)))
                unknown = set(o) - {"text", "correct", "feedback"}
                if unknown:
                    raise EvidenceError(f"{ow}: unknown field(s) {', '.join(sorted(unknown))}")
            n_correct = sum(o.correct for o in options)
            if n_correct != 1:
                raise EvidenceError(f"{where}: must have exactly one correct option, has {n_correct}")
            if len({o.text for o in options}) != len(options):
                raise EvidenceError(f"{where}: two options have the same text")
            out.append(Question(qid, kind, prompt, options=tuple(options), source=source, explanation=explanation))
        elif kind == "numeric":
            answer = float(_need(where, q, "answer", float))
            tol = float(_need(where, q, "tolerance", float))
            if not math.isfinite(answer) or not math.isfinite(tol) or tol < 0:
                raise EvidenceError(f"{where}: answer must be finite and tolerance a finite number >= 0")
            out.append(
                Question(
                    qid, kind, prompt, answer=answer, tolerance=tol,
                    unit=_need(where, q, "unit", str, allow_empty=True),
                    feedback_correct=_need(where, q, "feedback_correct", str),
                    feedback_incorrect=_need(where, q, "feedback_incorrect", str),
                    source=source, explanation=explanation,
                )
            )
        else:
            raise EvidenceError(f"{where}: field 'kind' must be 'choice' or 'numeric', got {kind!r}")
    return tuple(out)


def check_answer(question: Question, response) -> tuple[bool, str]:
    """Grade a response: option index (choice) or number (numeric). Returns (correct, feedback text)."""
    if question.kind == "choice":
        if response is None:
            return False, "Choose one answer first."
        if isinstance(response, bool) or not isinstance(response, int) or not 0 <= response < len(question.options):
            raise ValueError(f"response must be an option index from 0 to {len(question.options) - 1}, got {response!r}")
        opt = question.options[response]
        return opt.correct, ("Correct — " if opt.correct else "Not quite — ") + opt.feedback
    if response is None or isinstance(response, bool) or not isinstance(response, (int, float)) or not math.isfinite(response):
        return False, "Enter a number first."
    ok = abs(float(response) - question.answer) <= question.tolerance
    return ok, ("Correct — " + question.feedback_correct) if ok else ("Not quite — " + question.feedback_incorrect)


def parse_number(text: str) -> float | None:
    """A learner's typed number (``"39"``, ``" 39,5 "``) or None; never evaluated as code."""
    if not isinstance(text, str):
        return None
    cleaned = text.strip().replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def mark_question(block, stem) -> None:
    """Mark a question's box and its stem so that the course's front end (``frontend.py``) makes the box a group
    named by the stem, and its options a radio group with the same name (for screen readers)."""
    block.add_class("bm-question")
    stem.add_class("bm-stem")


def quiz_widget(name: str, *, title: str = "Check yourself"):
    """A VBox with one block per question (keyboard-operable; feedback as text)."""
    import ipywidgets as widgets

    from . import references
    from .display import escape

    questions = load_quiz(name)
    blocks = [widgets.HTML(f"<h4 style='margin:2px 0'>{escape(title)}</h4>")]
    handles = []
    for n, q in enumerate(questions, 1):
        prompt = widgets.HTML(f"<p><strong>Q{n}.</strong> {escape(q.prompt)}</p>")
        feedback = widgets.HTML(value="", layout=widgets.Layout(min_height="1.5em"))
        button = widgets.Button(description="Check answer", tooltip=f"Check your answer to question {n}")
        if q.kind == "choice":
            control = widgets.RadioButtons(
                options=[(o.text, i) for i, o in enumerate(q.options)], value=None,
                layout=widgets.Layout(width="auto"), style={"description_width": "initial"},
            )
            def get(control=control):
                return control.value
        else:
            control = widgets.Text(
                value="", placeholder="type a number", description=f"Answer ({q.unit})" if q.unit else "Answer",
                style={"description_width": "initial"},
            )
            def get(control=control):
                return parse_number(control.value)

        def on_click(_btn, q=q, get=get, feedback=feedback):
            ok, text = check_answer(q, get())
            extra = ""
            if q.source and (ok or q.kind == "numeric"):
                extra = f" Source: {references.short(q.source)}."
            if q.explanation and ok:
                extra = f" {q.explanation}" + extra
            mark = "✔ " if ok else "✘ "
            feedback.value = f'<div role="status"><strong>{mark}</strong>{escape(text + extra)}</div>'

        button.on_click(on_click)
        block = widgets.VBox([prompt, control, button, feedback], layout=widgets.Layout(margin="0 0 10px 0"))
        mark_question(block, prompt)
        blocks.append(block)
        handles.append({"question": q, "control": control, "button": button, "feedback": feedback})
    box = widgets.VBox(blocks)
    box.questions = handles
    return box
