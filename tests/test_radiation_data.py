"""The radiation evidence file: every record cited, values as published (clinical-facts sections 2-5 and 12)."""

from __future__ import annotations

import tomllib

import pytest

from bonemets_edu import radiobiology as rb
from bonemets_edu.evidence import EvidenceError, data_path
from bonemets_edu.references import load_references

REFS = load_references()
TABLES = ("tissue", "schedule", "result", "side_effect")
NUMERIC_FIELDS = {
    "alpha_beta_gy", "total_dose_gy", "fractions", "value_a", "value_b", "n_a", "n_b", "n_total", "events_a",
    "events_b", "rate_pct", "rate_low_pct", "rate_high_pct", "n", "events", "day_start", "day_end",
}


def _raw():
    return tomllib.loads(data_path("radiation.toml").read_text(encoding="utf-8"))


def _all_records():
    return [("tissue", r) for r in rb.tissues()] + [("schedule", r) for r in rb.schedules()] + [
        ("result", r) for r in rb.trial_results()
    ] + [("side_effect", r) for r in rb.side_effects()]


def test_every_table_loads_and_is_not_empty():
    assert len(rb.tissues()) == 3
    assert len(rb.schedules()) >= 12
    assert len(rb.trial_results()) >= 15
    assert len(rb.side_effects()) >= 8


@pytest.mark.parametrize("table, rec", _all_records(), ids=lambda x: x if isinstance(x, str) else x["id"])
def test_every_record_with_a_number_has_a_resolving_source(table, rec):
    keys = [rec["source"]] if "source" in rec else list(rec["sources"])
    assert keys, rec["id"]
    for k in keys:
        assert k in REFS, f"{table} {rec['id']}: unknown source {k}"
        assert REFS[k].confidence in ("SIS", "SSS")
    assert rec["confidence"] in ("SIS", "SSS")  # never [UNC]


def test_no_uncertain_values_recorded():
    text = data_path("radiation.toml").read_text(encoding="utf-8")
    for unc in ("898", "1171", "45 %", "51 %", "66 % vs 65", "UNC"):
        assert unc not in text, f"{unc!r} is an unverified figure (clinical-facts section 11)"


def test_model_table_is_labelled_illustrative_and_cited():
    model = _raw()["model"]
    assert model["illustrative"] is True
    assert model["source"] in REFS
    assert rb.illustrative_alpha() == (0.3, "vanleeuwen2018")


def test_tissue_alpha_beta_values():
    ab = {t["id"]: t["alpha_beta_gy"] for t in rb.tissues()}
    assert ab == {"tumour": 10.0, "late": 3.0, "cord": 2.0}


def test_guideline_schedules_present():
    sched = {s["id"]: (s["total_dose_gy"], s["fractions"], s["kind"]) for s in rb.schedules()}
    # ASTRO 2017/2024 conventional, cord compression, re-irradiation; SBRT schedules from trials
    for sid, expected in {
        "8x1": (8, 1, "conv_single"), "20x5": (20, 5, "conv_multi"), "24x6": (24, 6, "conv_multi"),
        "30x10": (30, 10, "conv_multi"), "16x2": (16, 2, "conv_multi"), "20x8": (20, 8, "conv_multi"),
        "24x2": (24, 2, "sbrt"), "16x1": (16, 1, "sbrt"), "18x1": (18, 1, "sbrt"), "27x3": (27, 3, "sbrt"),
        "30x3": (30, 3, "sbrt"), "35x5": (35, 5, "sbrt"),
    }.items():
        assert sched[sid] == expected


@pytest.mark.parametrize(
    "sid, bed10, eqd2_10, bed3, eqd2_3",
    [  # clinical-facts section 4 [COMPUTED] table (regression values, 2 decimals)
        ("8x1", 14.40, 12.00, 29.33, 17.60), ("16x2", 28.80, 24.00, 58.67, 35.20), ("20x5", 28.00, 23.33, 46.67, 28.00),
        ("24x6", 33.60, 28.00, 56.00, 33.60), ("20x8", 25.00, 20.83, 36.67, 22.00), ("30x10", 39.00, 32.50, 60.00, 36.00),
        ("24x2", 52.80, 44.00, 120.00, 72.00), ("16x1", 41.60, 34.67, 101.33, 60.80), ("18x1", 50.40, 42.00, 126.00, 75.60),
        ("27x3", 51.30, 42.75, 108.00, 64.80), ("35x5", 59.50, 49.58, 116.67, 70.00),
    ],
)
def test_schedule_bed_matches_computed_table(sid, bed10, eqd2_10, bed3, eqd2_3):
    s = next(x for x in rb.schedules() if x["id"] == sid)
    D, n = s["total_dose_gy"], s["fractions"]
    assert rb.bed(D, n, 10) == pytest.approx(bed10, abs=0.005)
    assert rb.eqd2(D, n, 10) == pytest.approx(eqd2_10, abs=0.005)
    assert rb.bed(D, n, 3) == pytest.approx(bed3, abs=0.005)
    assert rb.eqd2(D, n, 3) == pytest.approx(eqd2_3, abs=0.005)


def _result(rid):
    return next(r for r in rb.trial_results() if r["id"] == rid)


@pytest.mark.parametrize(
    "rid, a, b",
    [  # clinical-facts section 12.7 and section 2
        ("rtog0631_response", 41.3, 60.5), ("sc24_complete", 35.0, 14.0), ("dutch_retreatment", 24.0, 6.0),
        ("sc20_response", 28.0, 32.0), ("dutch_response", 71.0, 73.0), ("saito_overall", 67.0, 70.0),
        ("saito_complete", 26.0, 35.0), ("dutch_long_survivors", 87.0, 85.0),
    ],
)
def test_trial_arm_values(rid, a, b):
    r = _result(rid)
    assert (r["value_a"], r["value_b"]) == (a, b)


def test_arm_sizes_where_known():
    assert (_result("sc24_complete")["n_a"], _result("sc24_complete")["n_b"]) == (114, 115)
    assert (_result("sc20_response")["n_a"], _result("sc20_response")["n_b"]) == (425, 425)
    assert _result("rtog0631_response")["n_total"] == 339
    assert _result("bptwp_pain")["n_total"] == 765


@pytest.mark.parametrize("rid", ["saito_overall", "saito_complete", "sbrt_vcf"])
def test_percentages_reproduce_from_counts(rid):
    # clinical-facts 12.6: 884/1321 -> 67 %, 953/1360 -> 70 %, 195/753 -> 26 %, 289/821 -> 35 %; 57/410 -> 14 %
    r = _result(rid)
    for arm in ("a", "b"):
        if f"events_{arm}" in r:
            assert round(100 * r[f"events_{arm}"] / r[f"n_{arm}"]) == r[f"value_{arm}"]


def test_pain_flare_dexamethasone_values():
    se = {s["id"]: s for s in rb.side_effects()}
    assert se["flare_dex_chow2015_placebo"]["rate_pct"] - se["flare_dex_chow2015_dex"]["rate_pct"] == 9.0
    # the published difference is 8.9 (from unrounded percentages), and the data keep that figure verbatim
    assert "8.9 %" in se["flare_dex_chow2015_dex"]["management"]
    assert (se["flare_dex_chow2015_dex"]["n"], se["flare_dex_chow2015_placebo"]["n"]) == (148, 150)
    assert [se[f"flare_dex_vdl2020_{k}"]["rate_pct"] for k in ("dex4", "dex1", "placebo")] == [38.0, 27.0, 39.0]
    assert se["flare_conventional"]["rate_pct"] == 35.0
    assert se["flare_sbrt"]["rate_pct"] == 23.0 and se["flare_sbrt"]["events"] == 44 and se["flare_sbrt"]["n"] == 195


def test_fatigue_and_skin_have_no_invented_rate():
    se = {s["id"]: s for s in rb.side_effects()}
    for sid in ("fatigue", "skin"):
        assert not {"rate_pct", "rate_low_pct", "rate_high_pct"} & set(se[sid])
        assert "no rate" in se[sid]["note"]


def test_evidence_matching():
    ids = {r["id"] for r in rb.evidence_for({"conv_single", "conv_multi"})}
    assert {"dutch_response", "dutch_retreatment", "bptwp_retreatment", "sc20_response", "saito_overall"} <= ids
    assert not any(i.startswith("sc24") or i.startswith("rtog0631") for i in ids)
    assert {r["id"] for r in rb.evidence_for({"sbrt", "conv_multi"})} == {"sc24_complete", "sc24_grade3_pain", "sbrt_vcf"}
    assert {r["id"] for r in rb.evidence_for({"sbrt", "conv_single"})} == {"rtog0631_response", "rtog0631_cord", "sbrt_vcf"}
    assert rb.evidence_for({"conv_single"}) == []
    cats = [r["category"] for r in rb.evidence_for({"conv_single", "conv_multi", "sbrt"})]
    assert cats == sorted(cats, key=rb.RESULT_CATEGORIES.index)
    with pytest.raises(ValueError, match="kinds"):
        rb.evidence_for({"brachytherapy"})


def test_a_broken_record_is_rejected(tmp_path, monkeypatch):
    bad = data_path("radiation.toml").read_text(encoding="utf-8").replace('kind = "sbrt"', 'kind = "proton"', 1)
    path = tmp_path / "radiation.toml"
    path.write_text(bad, encoding="utf-8")
    monkeypatch.setattr(rb, "DATA_FILE", str(path))
    with pytest.raises(EvidenceError, match="kind"):
        rb.schedules()


def test_a_missing_source_is_rejected(tmp_path, monkeypatch):
    bad = data_path("radiation.toml").read_text(encoding="utf-8").replace('source = "ryu2023"', 'source = "nobody1999"', 1)
    path = tmp_path / "radiation.toml"
    path.write_text(bad, encoding="utf-8")
    monkeypatch.setattr(rb, "DATA_FILE", str(path))
    with pytest.raises(EvidenceError, match="nobody1999"):
        rb.schedules()


# --- lesson 02 text agrees with its sources and hides self-check answers ---------------------------------------------

def _lesson02_cells():
    import json
    from pathlib import Path

    nb = json.loads((Path(__file__).resolve().parents[1] / "notebooks" / "02_radiation_therapy.ipynb")
                    .read_text(encoding="utf-8"))
    return [("".join(c["source"]), c["cell_type"], c.get("metadata", {}).get("tags", [])) for c in nb["cells"]]


def test_kirkpatrick_direction_is_the_same_everywhere():
    """models.md §1.4: Kirkpatrick et al. 2008 — "the LQ model often UNDERESTIMATES tumor control observed at
    radiosurgical doses". The lesson text, the quiz feedback and the validity flag all say so (not 'misestimates')."""
    quiz = data_path("quizzes/02_radiation_therapy.toml").read_text(encoding="utf-8")
    lesson = "\n".join(src for src, kind, _ in _lesson02_cells() if kind == "markdown")
    flag = rb.lq_validity(12.0).message
    for where, text in (("quiz", quiz), ("lesson", lesson), ("lq_validity", flag)):
        assert "underestimates the tumour control" in text, where
        assert "misestimat" not in text and "overestimat" not in text, where


def test_self_check_answers_are_in_solution_cells():
    cells = _lesson02_cells()
    checks = [i for i, (src, kind, _) in enumerate(cells) if kind == "markdown" and src.startswith("**Self-check.**")]
    assert len(checks) == 5
    for i in checks:
        src = cells[i][0]
        assert "*(" not in src and not src.rstrip().endswith(")*"), src
        answer, kind, tags = cells[i + 1]
        assert kind == "markdown" and "solution" in tags and answer.startswith("**Answer.**"), answer
