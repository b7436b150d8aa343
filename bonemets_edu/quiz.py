"""Self-check questions stored as data (``data/quizzes/<lesson>.toml``) and rendered with ipywidgets.

File format::

    lesson = "02_radiation_therapy"

    [[objective]]                   # the lesson's learning objectives, in the notebook's order
    id = "02.1"
    text = "Explain how ..."

    [[question]]
    id = "rt1"
    kind = "choice"                 # or "numeric"
    objective = "02.1"              # the objective this item checks (an [[objective]] id)
    level = "apply"                 # recall | understand | apply | analyse | evaluate
    vignette = true                 # optional: a clinical vignette (a patient, a finding, a decision)
    prompt = "Which schedule ...?"
    source = "steenland1999"        # optional for choice; required where the answer rests on a fact
    [[question.option]]             # write options in any order: the renderer shuffles them
    text = "8 Gy in 1 fraction"
    correct = true
    feedback = "Yes — ..."          # every option has feedback that says why

    [[question]]
    id = "rt2"
    kind = "numeric"
    objective = "02.2"
    level = "apply"
    prompt = "BED10 of 30 Gy in 10 fractions?"
    answer = 39.0
    tolerance = 0.5
    unit = "Gy"
    feedback_correct = "..."
    feedback_incorrect = "..."
    [[question.slip]]               # optional: a typical wrong answer with targeted feedback
    value = 30.0
    tolerance = 0.5
    feedback = "That is the physical dose; BED also weighs the dose per fraction."

Rules checked by ``load_quiz`` (and the test suite, for every file): unique ids; a choice item has ≥ 2 options,
exactly one correct, and feedback on each; a numeric item has a finite answer, a tolerance ≥ 0, a unit and both
feedback texts, and its slips lie outside the accepted answer; every item names a declared objective and a level;
every ``source`` resolves to a reference.

``lint_quiz`` adds the item-writing rules (NBME style; see ``LINT_RULES``): the correct option is not the longest
in more than a third of the choice items, nor shown first (after shuffling) in more than 40 %; no "all/none of the
above"; no duplicated stems; no two options that differ only by a negation; and the lesson rules — every objective
has a scored item, at least ``MIN_SCORED`` scored items and ``MIN_VIGNETTES`` vignettes at the apply level or above.

The renderer (``quiz_widget``) shows choice options in a deterministic shuffled order seeded by the question id
(``option_order``: the same on every run and machine), is keyboard-operable (radio buttons and buttons are native
form controls), writes feedback as text that starts with "Correct" or "Not quite", and never pre-selects an answer.
"""

from __future__ import annotations

import hashlib
import math
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .evidence import EvidenceError, check_sources

__all__ = ["Question", "Option", "Slip", "Objective", "load_quiz", "load_objectives", "quiz_files", "check_answer",
           "parse_number", "option_order", "lint_quiz", "render_stats", "quiz_widget", "LEVELS", "LINT_RULES"]

LEVELS = ("recall", "understand", "apply", "analyse", "evaluate")
HIGHER = ("apply", "analyse", "evaluate")
MIN_SCORED = 6
MIN_VIGNETTES = 3
MAX_LONGEST_SHARE = 1 / 3
MAX_FIRST_SHARE = 0.40

LINT_RULES = {
    "longest": "the correct option is the longest in more than a third of the choice items",
    "first": "the correct option is shown first (after shuffling) in more than 40 % of the choice items",
    "all_none": "an option reads 'all of the above' or 'none of the above'",
    "duplicate_stem": "two items have the same stem",
    "negation": "two options of one item differ only by a negation",
    "objective_unscored": "a learning objective has no scored item",
    "too_few_items": f"fewer than {MIN_SCORED} scored items",
    "too_few_vignettes": f"fewer than {MIN_VIGNETTES} clinical vignettes at the apply level or above",
}


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Slip:
    value: float
    tolerance: float
    feedback: str


@dataclass(frozen=True)
class Objective:
    id: str
    text: str


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
    objective: str = ""
    level: str = ""
    vignette: bool = False
    slips: tuple[Slip, ...] = ()
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


def _raw(name: str) -> tuple[Path, dict]:
    path = _path(name)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EvidenceError(f"{path.name}: quiz file not found at {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise EvidenceError(f"{path.name}: not valid TOML: {exc}") from exc
    return path, raw


def load_objectives(name: str) -> tuple[Objective, ...]:
    """The ``[[objective]]`` tables of a quiz file, in order (ids unique, text not empty)."""
    path, raw = _raw(name)
    objs = raw.get("objective")
    if not isinstance(objs, list) or not objs:
        raise EvidenceError(f"{path.name}: needs the lesson's learning objectives as [[objective]] tables")
    out, seen = [], set()
    for i, o in enumerate(objs):
        where = f"{path.name}: objective #{i + 1}"
        oid = _need(where, o, "id", str)
        if oid in seen:
            raise EvidenceError(f"{where}: duplicate objective id {oid!r}")
        seen.add(oid)
        out.append(Objective(oid, _need(where, o, "text", str)))
    return tuple(out)


def _tagging(where: str, q: dict, objective_ids: set[str]) -> dict:
    objective = _need(where, q, "objective", str)
    if objective not in objective_ids:
        raise EvidenceError(f"{where}: objective {objective!r} is not one of the file's [[objective]] ids "
                            f"({', '.join(sorted(objective_ids))})")
    level = _need(where, q, "level", str)
    if level not in LEVELS:
        raise EvidenceError(f"{where}: level must be one of {', '.join(LEVELS)}, got {level!r}")
    vignette = q.get("vignette", False)
    if not isinstance(vignette, bool):
        raise EvidenceError(f"{where}: field 'vignette' must be true or false, got {vignette!r}")
    return {"objective": objective, "level": level, "vignette": vignette}


def load_quiz(name: str) -> tuple[Question, ...]:
    """Load and validate a quiz file by lesson name (``"00_start_here"``) or path."""
    path, raw = _raw(name)
    objective_ids = {o.id for o in load_objectives(str(path))}
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
        tagging = _tagging(where, q, objective_ids)
        if kind != "numeric" and "slip" in q:
            raise EvidenceError(f"{where}: only a numeric question can list [[question.slip]] entries")
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
            out.append(Question(qid, kind, prompt, options=tuple(options), source=source, explanation=explanation,
                                **tagging))
        elif kind == "numeric":
            answer = float(_need(where, q, "answer", float))
            tol = float(_need(where, q, "tolerance", float))
            if not math.isfinite(answer) or not math.isfinite(tol) or tol < 0:
                raise EvidenceError(f"{where}: answer must be finite and tolerance a finite number >= 0")
            slips = []
            for j, sl in enumerate(q.get("slip", [])):
                sw = f"{where} slip #{j + 1}"
                value, stol = float(_need(sw, sl, "value", float)), float(_need(sw, sl, "tolerance", float))
                if not math.isfinite(value) or not math.isfinite(stol) or stol < 0:
                    raise EvidenceError(f"{sw}: value must be finite and tolerance a finite number >= 0")
                if abs(value - answer) <= tol + stol:
                    raise EvidenceError(f"{sw}: slip value {value:g} overlaps the accepted answer {answer:g} ± {tol:g}")
                slips.append(Slip(value, stol, _need(sw, sl, "feedback", str)))
                unknown = set(sl) - {"value", "tolerance", "feedback"}
                if unknown:
                    raise EvidenceError(f"{sw}: unknown field(s) {', '.join(sorted(unknown))}")
            out.append(
                Question(
                    qid, kind, prompt, answer=answer, tolerance=tol,
                    unit=_need(where, q, "unit", str, allow_empty=True),
                    feedback_correct=_need(where, q, "feedback_correct", str),
                    feedback_incorrect=_need(where, q, "feedback_incorrect", str),
                    source=source, explanation=explanation, slips=tuple(slips), **tagging,
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
    if ok:
        return True, "Correct — " + question.feedback_correct
    for slip in question.slips:
        if abs(float(response) - slip.value) <= slip.tolerance:
            return False, "Not quite — " + slip.feedback
    return False, "Not quite — " + question.feedback_incorrect


def option_order(question: Question) -> list[int]:
    """The order in which the renderer shows a choice item's options (indices into ``question.options``).

    A Fisher-Yates shuffle driven by SHA-256 of the question id (not Python's salted ``hash()`` nor ``random``), so
    the order is the same on every run, machine and Python version, and changes only when the id or the number of
    options does.
    """
    order = list(range(len(question.options)))
    for i in range(len(order) - 1, 0, -1):
        digest = hashlib.sha256(f"{question.id}:{i}".encode()).digest()
        j = int.from_bytes(digest[:8], "big") % (i + 1)
        order[i], order[j] = order[j], order[i]
    return order


def _correct_is_longest(q: Question) -> bool:
    correct = next(o for o in q.options if o.correct)
    return all(len(correct.text) >= len(o.text) for o in q.options)


def render_stats(questions) -> dict:
    """How often the rendered (shuffled) choice items show the correct option first, longest, or both."""
    choice = [q for q in questions if q.kind == "choice"]
    first = [q for q in choice if q.options[option_order(q)[0]].correct]
    longest = [q for q in choice if _correct_is_longest(q)]
    both = [q for q in first if q in longest]
    either = [q for q in choice if q in first or q in longest]
    n = len(choice)

    def share(x):
        return len(x) / n if n else 0.0

    return {"choice_items": n, "first": share(first), "longest": share(longest), "first_and_longest": share(both),
            "first_or_longest": share(either)}


_NEGATION = {"not", "no", "never", "none", "nothing", "without"}


def _negation_free(text: str) -> tuple[str, ...]:
    t = text.lower().replace("n't", " not").replace("cannot", "can not")
    return tuple(w for w in re.findall(r"[a-z0-9]+", t) if w not in _NEGATION)


def _stem_key(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


_ALL_NONE = re.compile(r"\b(all|none|both|neither) of (the )?(above|these|the options)\b", re.I)


def lint_quiz(name: str) -> list[str]:
    """Item-writing and lesson problems of one quiz file, each as '<rule>: <detail>' (rules in ``LINT_RULES``)."""
    questions = load_quiz(name)
    objectives = load_objectives(name)
    problems: list[str] = []

    def fail(rule, detail):
        problems.append(f"{rule}: {LINT_RULES[rule]} — {detail}")

    stats = render_stats(questions)
    if stats["longest"] > MAX_LONGEST_SHARE:
        longest = [q.id for q in questions if q.kind == "choice" and _correct_is_longest(q)]
        fail("longest", f"{len(longest)} of {stats['choice_items']} ({', '.join(longest)})")
    if stats["first"] > MAX_FIRST_SHARE:
        fail("first", f"{stats['first']:.0%} of {stats['choice_items']}")
    stems: dict[str, str] = {}
    for q in questions:
        key = _stem_key(q.prompt)
        if key in stems:
            fail("duplicate_stem", f"{stems[key]!r} and {q.id!r}")
        stems.setdefault(key, q.id)
        for o in q.options:
            if _ALL_NONE.search(o.text):
                fail("all_none", f"{q.id!r}: {o.text!r}")
        seen: dict[tuple, str] = {}
        for o in q.options:
            key = _negation_free(o.text)
            if key in seen and seen[key] != o.text:
                fail("negation", f"{q.id!r}: {seen[key]!r} / {o.text!r}")
            seen.setdefault(key, o.text)
    scored = {q.objective for q in questions}
    for o in objectives:
        if o.id not in scored:
            fail("objective_unscored", f"{o.id} ({o.text[:60]})")
    if len(questions) < MIN_SCORED:
        fail("too_few_items", f"{len(questions)} item(s)")
    vignettes = [q for q in questions if q.vignette and q.level in HIGHER]
    if len(vignettes) < MIN_VIGNETTES:
        fail("too_few_vignettes", f"{len(vignettes)} found")
    return problems


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
        label = " <em>(clinical vignette)</em>" if q.vignette else ""
        prompt = widgets.HTML(f"<p><strong>Q{n}.</strong>{label} {escape(q.prompt)}</p>")
        feedback = widgets.HTML(value="", layout=widgets.Layout(min_height="1.5em"))
        button = widgets.Button(description="Check answer", tooltip=f"Check your answer to question {n}")
        if q.kind == "choice":
            control = widgets.RadioButtons(
                options=[(q.options[i].text, i) for i in option_order(q)], value=None,
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
