"""The comparison table as data: every row has every column, every cell cites sources that resolve, and gaps are
marked rather than filled in."""

from __future__ import annotations

import tomllib

import pytest

from bonemets_edu import decision as D
from bonemets_edu import references
from bonemets_edu.evidence import EvidenceError, data_path

ISSUE_ROWS = {
    "rt_single", "rt_fractionated", "sbrt", "fix_nail", "fix_plate", "fix_endoprosthesis", "spine_surgery",
    "vertebral_augmentation", "rfa", "cryo", "ethanol", "mwa", "mrgfus", "nonoperative",
    "supportive_care",  # best supportive care, named by the very-short-prognosis and ECOG 4 rules (issue 13)
}


def test_table_has_every_therapy_of_the_issue():
    assert {t.id for t in D.therapies()} == ISSUE_ROWS


@pytest.mark.parametrize("therapy", D.therapies(), ids=lambda t: t.id)
def test_every_cell_has_text_and_resolvable_sources(therapy):
    assert set(therapy.cells) == {name for name, _ in D.COLUMNS}
    for name, cell in therapy.cells.items():
        assert cell.text.strip(), name
        assert cell.sources, name
        for key in cell.sources:
            ref = references.get(key)  # raises if the key does not resolve
            assert ref.doi or ref.pmid or ref.url
    for key in therapy.sites_note.sources:
        references.get(key)


def test_cell_count_and_gaps_are_marked():
    cells = [c for t in D.therapies() for c in t.cells.values()]
    assert len(cells) == 15 * 9
    gaps = [c for c in cells if c.gap]
    assert gaps, "cells where no figure was found must say so"
    for c in gaps:
        assert "not" in c.text.lower() or "no " in c.text.lower()


def test_no_unverified_numbers_leak_into_the_table():
    """Figures the reference file marks [UNC] must not appear (RTOG 97-14 and Chow 2012 commonly quoted values)."""
    text = " ".join(c.text for t in D.therapies() for c in t.cells.values())
    for bad in ("898", "66% vs 65%", "18% vs 9%", "45% vs 51%", "about 20% vs 8%"):
        assert bad not in text


def test_published_numbers_in_the_table_match_the_reference_file():
    by = {t.id: t for t in D.therapies()}
    assert "24% vs 6%" in by["rt_single"].cells["evidence"].text  # Dutch BMS retreatment
    assert "35% (SBRT 24 Gy/2) vs 14%" in by["sbrt"].cells["evidence"].text  # SC.24
    assert "64.3% vs 20.0%" in by["mrgfus"].cells["evidence"].text  # Hurwitz
    assert "84% (surgery + RT) vs 57%" in by["spine_surgery"].cells["evidence"].text  # Patchell
    assert "58%" in by["fix_nail"].cells["best_for"].text  # Bindels implant mix


def test_every_source_key_in_the_file_resolves():
    raw = tomllib.loads(data_path(D.DATA_FILE).read_text(encoding="utf-8"))
    refs = references.load_references()

    def walk(obj):
        if isinstance(obj, dict):
            for k, v in obj.items():
                if k == "sources":
                    yield from v
                elif k == "source":
                    yield v
                else:
                    yield from walk(v)
        elif isinstance(obj, list):
            for x in obj:
                yield from walk(x)

    keys = list(walk(raw))
    assert len(keys) > 250
    assert [k for k in keys if k not in refs] == []


def test_malformed_cell_is_rejected():
    with pytest.raises(EvidenceError, match="sources"):
        D._cell({"text": "x"}, "t.cell")
    with pytest.raises(EvidenceError, match="unknown reference key"):
        D._cell({"text": "x", "sources": ["nosuchkey1999"]}, "t.cell")


def test_malformed_condition_is_rejected():
    with pytest.raises(EvidenceError, match="not a patient field"):
        D._condition({"field": "age", "op": ">=", "value": 3}, "r")
    with pytest.raises(EvidenceError, match="op"):
        D._condition({"field": "ecog", "op": "=~", "value": 3}, "r")
    with pytest.raises(EvidenceError, match="allowed site"):
        D._condition({"field": "site", "op": "==", "value": "skull"}, "r")
