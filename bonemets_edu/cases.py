"""The case conference's synthetic patients, read from ``data/cases.toml`` (the engine reads ``data/choosing.toml``).

For education only — not for treatment decisions.

Each case holds a story, the patient as the rule engine reads it (``bonemets_edu.decision.Patient``), the plans a
student can commit to, the reference plan, what a good justification mentions (each point with its sources, and a
locator for every number) and, for the worked case, the view of each specialty and the patient's preference.
``what_if`` re-runs the engine with one feature changed and lists the verdicts that move, with the rules behind them.

>>> from bonemets_edu.cases import cases
>>> cases()[0].worked
True
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any

from . import decision as D
from ._validate import require_choice
from .evidence import EvidenceError, check_sources, load_records

__all__ = ["DATA_FILE", "Plan", "KeyPoint", "View", "Case", "cases", "get", "what_if",
           "what_if_choices", "WHAT_IF_FIELDS"]

DATA_FILE = "cases.toml"
_CALCULATORS = ("none", "mirels", "sins", "sins+tokuhashi")


@dataclass(frozen=True)
class Plan:
    """One plan a student can commit to: its id, the words shown, and the therapies (table row ids) it uses; the
    first therapy is the plan's main treatment."""

    id: str
    text: str
    therapies: tuple[str, ...]


@dataclass(frozen=True)
class KeyPoint:
    """Something a good justification mentions, with its sources and (for any number) where in the source it is."""

    text: str
    sources: tuple[str, ...]
    locator: str | None = None


@dataclass(frozen=True)
class View:
    """One specialty's view at the board (worked case)."""

    specialty: str
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Case:
    """A synthetic case (not a real patient). ``options``/``answer`` are the plans' texts (the names used before the
    case conference); ``plans``/``reference`` carry the therapy ids."""

    id: str
    title: str
    summary: str
    vignette: str
    calculator: str
    patient: D.Patient
    question: str
    options: tuple[str, ...]
    answer: str
    reasoning: str
    sources: tuple[str, ...]
    plans: tuple[Plan, ...]
    reference: Plan
    points: tuple[KeyPoint, ...]
    worked: bool = False
    views: tuple[View, ...] = ()
    preference: str | None = None
    expected: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    locators: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    mirels: Mapping[str, Any] | None = None
    sins: Mapping[str, Any] | None = None
    tokuhashi: Mapping[str, Any] | None = None

    def plan(self, plan_id: str) -> Plan:
        for p in self.plans:
            if p.id == plan_id:
                return p
        raise KeyError(f"case {self.id!r} has no plan {plan_id!r}; plans: {', '.join(p.id for p in self.plans)}")


_HAS_NUMBER = re.compile(r"\d")


def _sources(raw: Mapping, where: str) -> tuple[str, ...]:
    keys = raw.get("sources")
    if keys is None:
        raise EvidenceError(f"{where}: needs 'sources' (reference keys)")
    check_sources({"sources": keys}, where)
    return tuple(keys)


def _text(raw: Mapping, name: str, where: str) -> str:
    v = raw.get(name)
    if not isinstance(v, str) or not v.strip():
        raise EvidenceError(f"{where}: needs a non-empty string {name!r}")
    return v.strip()


def _plans(raw: list, where: str, therapy_ids: set[str]) -> tuple[Plan, ...]:
    if not isinstance(raw, list) or len(raw) < 3:
        raise EvidenceError(f"{where}: needs at least three [[case.option]] plans")
    out, seen = [], set()
    for i, o in enumerate(raw):
        w = f"{where}.option[{i}]"
        unknown = set(o) - {"id", "text", "therapies"}
        if unknown:
            raise EvidenceError(f"{w}: unknown field(s) {', '.join(sorted(unknown))}")
        pid = _text(o, "id", w)
        if pid in seen:
            raise EvidenceError(f"{w}: duplicate plan id {pid!r}")
        seen.add(pid)
        ther = o.get("therapies")
        if not isinstance(ther, list) or not ther or any(t not in therapy_ids for t in ther):
            raise EvidenceError(f"{w}: 'therapies' must list therapy ids of the comparison table; got {ther!r}")
        out.append(Plan(pid, _text(o, "text", w), tuple(ther)))
    return tuple(out)


def _points(raw: list, where: str) -> tuple[KeyPoint, ...]:
    if not isinstance(raw, list) or len(raw) < 3:
        raise EvidenceError(f"{where}: needs at least three [[case.point]] key points")
    out = []
    for i, p in enumerate(raw):
        w = f"{where}.point[{i}]"
        unknown = set(p) - {"text", "sources", "locator"}
        if unknown:
            raise EvidenceError(f"{w}: unknown field(s) {', '.join(sorted(unknown))}")
        text = _text(p, "text", w)
        locator = p.get("locator")
        if locator is not None and (not isinstance(locator, str) or not locator.strip()):
            raise EvidenceError(f"{w}: 'locator' must be a non-empty string")
        if _HAS_NUMBER.search(text) and locator is None:
            raise EvidenceError(f"{w}: quotes a number, so it needs a 'locator' (where in the source it is)")
        out.append(KeyPoint(text, _sources(p, w), locator))
    return tuple(out)


@functools.cache
def cases() -> tuple[Case, ...]:
    """The case conference's cases, validated; the worked case first."""
    schema = {"title": str, "summary": str, "vignette": str, "calculator": str, "question": str, "answer": str,
              "reasoning": str, "patient": dict, "option": list, "point": list}
    optional = {"worked": bool, "view": list, "preference": str, "expected": dict, "mirels": dict, "sins": dict,
                "tokuhashi": dict, "locators": dict}
    recs = load_records(DATA_FILE, "case", schema=schema, optional=optional)
    therapy_ids = {t.id for t in D.therapies()}
    out = []
    for r in recs:
        where = f"{DATA_FILE}: [[case]] {r['id']!r}"
        try:
            patient = D.Patient(**r["patient"])
        except (TypeError, ValueError) as exc:
            raise EvidenceError(f"{where}: invalid patient: {exc}") from exc
        plans = _plans(r["option"], where, therapy_ids)
        reference = next((p for p in plans if p.id == r["answer"]), None)
        if reference is None:
            raise EvidenceError(f"{where}: 'answer' {r['answer']!r} must be the id of one [[case.option]]")
        calc = require_choice("calculator", r["calculator"], _CALCULATORS)
        for needed in calc.split("+"):
            if needed != "none" and needed not in r:
                raise EvidenceError(f"{where}: calculator {calc!r} needs a '{needed}' table")
        expected = dict(r.get("expected", {}))
        for tid, v in expected.items():
            if tid not in therapy_ids or v not in D.VERDICTS:
                raise EvidenceError(f"{where}: expected {tid!r} = {v!r} is not a therapy id with a verdict")
        locators = dict(r.get("locators", {}))
        for k, v in locators.items():
            if k not in r["sources"] or not isinstance(v, str) or not v.strip():
                raise EvidenceError(f"{where}: locators[{k!r}] must name one of the case's sources and say where")
        if _HAS_NUMBER.search(r["reasoning"]) and not locators:
            raise EvidenceError(f"{where}: the reasoning quotes a number, so it needs 'locators' (source → where)")
        worked = r.get("worked", False)
        views = tuple(View(_text(v, "specialty", f"{where}.view[{i}]"), _text(v, "text", f"{where}.view[{i}]"),
                           _sources(v, f"{where}.view[{i}]")) for i, v in enumerate(r.get("view", [])))
        if worked and (len(views) < 4 or "preference" not in r):
            raise EvidenceError(f"{where}: the worked case needs the view of each specialty and the patient's "
                                f"'preference'")
        out.append(Case(
            id=r["id"], title=r["title"], summary=r["summary"], vignette=r["vignette"], calculator=calc,
            patient=patient, question=r["question"], options=tuple(p.text for p in plans), answer=reference.text,
            reasoning=r["reasoning"], sources=tuple(r["sources"]), plans=plans, reference=reference,
            points=_points(r["point"], where), worked=worked, views=views, preference=r.get("preference"),
            expected=MappingProxyType(expected), locators=MappingProxyType(locators),
            mirels=MappingProxyType(dict(r["mirels"])) if "mirels" in r else None,
            sins=MappingProxyType(dict(r["sins"])) if "sins" in r else None,
            tokuhashi=MappingProxyType(dict(r["tokuhashi"])) if "tokuhashi" in r else None,
        ))
    out.sort(key=lambda c: not c.worked)  # (stable: the data order otherwise)
    return tuple(out)


def get(case_id: str) -> Case:
    """The case with this id (``KeyError`` listing the ids otherwise)."""
    for c in cases():
        if c.id == case_id:
            return c
    raise KeyError(f"no case {case_id!r}; ids: {', '.join(c.id for c in cases())}")


# ------------------------------------------------------------------------------------------------------- what-if


def _survival_choices():
    return (("2 weeks", 0.5), ("2 months", 2.0), ("5 months", 5.0), ("1 year", 12.0), ("3 years", 36.0))


def _what_if_fields() -> dict[str, tuple[str, tuple[tuple[str, Any], ...]]]:
    """Features a student can change: field → (label, ((shown value, engine value), ...)). Only fields the current
    ``Patient`` has are offered (the engine may grow new ones: they are picked up from its options)."""
    opts = D.patient_options()
    have = {f.name for f in fields(D.Patient)}
    out: dict[str, tuple[str, tuple[tuple[str, Any], ...]]] = {
        "survival_months": ("Expected survival", _survival_choices()),
        "fracture": ("Fracture at this site", tuple((v, v) for v in opts["fracture"])),
        "cord_compression": ("Cord compression", (("no", False), ("yes", True))),
        "sins_total": ("SINS (points)", (("not scored", None), *((str(i), i) for i in (3, 6, 9, 12, 13, 16))))
    }
    out["mirels_total"] = ("Mirels score (points)", (("not scored", None), *((str(i), i) for i in (6, 7, 8, 9, 12))))
    out["ecog"] = ("Performance status (ECOG)", tuple((str(i), i) for i in range(5)))
    out["painful_lesions"] = ("Painful metastases (number)", tuple((str(i), i) for i in (1, 2, 3, 4)))
    out["prior_radiation"] = ("Radiation to this site", tuple((v, v) for v in opts["prior_radiation"]))
    for name, label, key in (("epidural_grade", "Epidural compression (Bilsky grade)", "epidural_grade"),
                             ("histology", "Histology", "histology"), ("intent", "Intent", "intent")):
        if name in have and key in opts:
            out[name] = (label, tuple((str(v), v) for v in opts[key]))
    out["lesion_type"] = ("Lesion on imaging", tuple((v, v) for v in opts["lesion_type"]))
    if "location" in have:  # (values depend on the site: see what_if_choices)
        out["location"] = ("Where in the bone", tuple((v, v) for v in opts.get("location", ())))
    return {k: v for k, v in out.items() if k in have}


WHAT_IF_FIELDS = _what_if_fields()


def what_if_choices(patient: D.Patient, feature: str, *, at_most: int | None = None) -> tuple[tuple[str, Any], ...]:
    """The values of ``feature`` that this patient can take (shown value, engine value): the patient re-validates each
    one, so a combination the engine rejects (e.g. a Bilsky grade outside the spine, or grade 0 with cord
    compression) is never offered. ``at_most`` stops after that many (enough to know a feature can change)."""
    require_choice("feature", feature, tuple(WHAT_IF_FIELDS))
    return _choices(patient, feature, at_most)


@functools.lru_cache(maxsize=2048)
def _choices(patient: D.Patient, feature: str, at_most: int | None) -> tuple[tuple[str, Any], ...]:
    out = []
    for shown, value in WHAT_IF_FIELDS[feature][1]:
        try:
            patient.with_(**{feature: value})
        except (TypeError, ValueError):
            continue
        out.append((shown, value))
        if at_most is not None and len(out) >= at_most:
            break
    return tuple(out)


def what_if(patient: D.Patient, feature: str, value: Any) -> tuple[D.Decision, D.Decision, tuple[D.Change, ...]]:
    """The engine's decisions before and after changing one patient feature, and the verdicts that moved (the
    engine's ``decision.compare``: each change lists the reasons that started and stopped applying).

    Raises ``ValueError`` for a feature that is not offered or a value the patient does not accept."""
    require_choice("feature", feature, tuple(WHAT_IF_FIELDS))
    after_patient = patient.with_(**{feature: value})
    return D.assess(patient), D.assess(after_patient), D.compare(patient, after_patient)


# Text views moved to ``bonemets_edu.text`` (issue 17). A lesson a student saved before the move still calls them
# here, so the old names keep working (they are not listed in ``__all__``).
_MOVED_TO_TEXT = {"describe": ("choosing", "describe_case")}


def __getattr__(name):
    if name in _MOVED_TO_TEXT:
        import importlib

        module, new_name = _MOVED_TO_TEXT[name]
        return getattr(importlib.import_module(f"bonemets_edu.text.{module}"), new_name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
