"""The lesson's cited data: pain trajectories, thresholds and studies match the reference files exactly."""

import pytest

from bonemets_edu import evidence, references, thermal


def _series(sid):
    return next(s for s in thermal.pain_series() if s.id == sid)


def test_rfa_pain_trajectory_matches_goetz_2004():
    # clinical-facts 12.9: 7.9 -> 4.5 -> 3.0 -> 1.4 at weeks 0, 4, 12 and 24
    s = _series("goetz2004")
    assert s.times == (0, 4, 12, 24) and s.time_unit == "week"
    assert s.worst_pain == (7.9, 4.5, 3.0, 1.4)
    assert s.n_patients == 43
    assert references.get(s.source).doi == "10.1200/JCO.2004.03.097"


def test_cryo_pain_trajectory_matches_callstrom_2013():
    # clinical-facts 12.9: 7.1 -> 5.1 -> 4.0 -> 3.6 -> 1.4 at weeks 0, 1, 4, 8 and 24
    s = _series("callstrom2013")
    assert s.times == (0, 1, 4, 8, 24) and s.time_unit == "week"
    assert s.worst_pain == (7.1, 5.1, 4.0, 3.6, 1.4)
    assert s.n_patients == 61
    assert references.get(s.source).pmid == "23065947"


def test_opus_one_interim_values_and_computed_week_axis():
    s = _series("opus_one")
    assert (s.times, s.worst_pain, s.time_unit) == ((0, 6), (8.2, 3.5), "month")
    assert s.weeks == (0.0, 26.0)  # 6 months * 52/12 [COMPUTED], plotting only


@pytest.mark.parametrize(
    "tid, value, source",
    [
        ("heat_instant", 60.0, "brace2009"),
        ("heat_minutes", 50.0, "brace2009"),
        ("nerve_heat", 45.0, "ajr2000_spine_rfa"),
        ("cryo_minus20", -20.0, "papalexis2023"),
        ("cryo_minus30", -30.0, "littrup2009"),
        ("cryo_minus40", -40.0, "magalov2008"),  # an isotherm study, not Sgalambro's review (issue 15)
    ],
)
def test_thresholds(tid, value, source):
    rec = evidence.by_id(thermal.ablation_records("threshold"), tid)
    assert rec["temperature_c"] == value and rec["source"] == source
    assert thermal.threshold_c(tid) == value


def test_isotherm_rule_data_matches_model_constants():
    rule = thermal.ablation_records("isotherm_rule")[0]
    assert rule["edge_temperature_c"] == thermal.CRYO_EDGE_TEMPERATURE_C
    assert rule["depth_of_lethal_ice_mm"] == thermal.CRYO_CORE_DEPTH_MM


@pytest.mark.parametrize(
    "sid, n, words",
    [
        ("goetz2004", 43, "41/43"),
        ("dupuy2010", 55, "3/55"),
        ("opus_one", 100, "97%"),
        ("callstrom2013", 61, "osteomyelitis"),
        ("motion", 66, "-2.61"),
        ("kastler2014", 13, "19 of 20"),
        ("gennaro2019", 364, "96-100%"),
        ("murali2021", 725, "13.2%"),
    ],
)
def test_studies(sid, n, words):
    rec = evidence.by_id(thermal.ablation_records("study"), sid)
    assert rec["n_patients"] == n
    assert words in rec["main_result"] + rec["complications"]


def test_every_record_cites_a_resolvable_reference():
    for table in ("threshold", "isotherm_rule", "method", "study", "pain_series", "indication"):
        for rec in thermal.ablation_records(table):
            keys = [rec["source"]] if "source" in rec else list(rec["sources"])
            for k in keys:
                assert references.get(k).identifier


def test_side_effects_from_the_seed_are_listed():
    effects = evidence.load_table("ablation.toml", "common_side_effects")
    assert {"swelling", "bruising"} <= set(effects)
    assert any("soreness" in e for e in effects)


def test_methods_cover_heat_cold_chemical_and_cement():
    energies = {r["id"]: r["energy"] for r in thermal.ablation_records("method")}
    assert energies == {"rfa": "heat", "mwa": "heat", "cryo": "cold", "ethanol": "chemical", "cement": "adjunct"}


def test_bad_table_name():
    with pytest.raises(ValueError, match="table must be one of"):
        thermal.ablation_records("trials")


def test_numbers_quoted_in_the_notebook_text_come_from_the_data_file():
    import json
    from pathlib import Path

    nb = json.loads((Path(__file__).parents[1] / "notebooks" / "04_ablation.ipynb").read_text(encoding="utf-8"))
    text = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    for rec in thermal.ablation_records("reported_value"):
        assert f"{rec['value']:g}" in text, rec["id"]
    # the self-check answers quote the tissue table and the ACRIN disagreement
    bone, tumour = thermal.tissue("bone"), thermal.tissue("tumour")
    assert f"{bone.perfusion_w_m3_k:g}" in text and f"{tumour.perfusion_w_m3_k:,.0f}" in text
    assert f"{1000 * bone.perfusion_length_m:.1f}" in text and f"{1000 * tumour.perfusion_length_m:.1f}" in text
    assert "10.7%" in text and "55 patients" in text


# ------------------------------------------------------------------------- issue 15: corrections pinned to sources


def test_minus_40_is_credited_to_the_isotherm_studies_not_the_review():
    rec = evidence.by_id(thermal.ablation_records("threshold"), "cryo_minus40")
    assert rec["source"] != "sgalambro2022" and "PMC4850244" in rec["meaning"] and "isotherm" in rec["meaning"]
    cryo = evidence.by_id(thermal.ablation_records("method"), "cryo")
    assert "sgalambro2022" not in cryo["sources"]


def test_groetz_cadaver_temperatures_and_conclusion():
    # Groetz 2013 (Eur Spine J), abstract: epidural maxima RFA 10 mm 46.8 C, RFA 20 mm 49.5 C, coblation 42.1 C;
    # the authors judged the temperatures safe for cord and nerves. The course used to quote "RFA 42-50 C" as a reason
    # not to ablate next to the cord.
    vals = {r["id"]: r for r in thermal.ablation_records("reported_value") if r["source"] == "groetz2013"}
    assert vals["groetz_epidural_rfa10"]["value"] == 46.8 and vals["groetz_epidural_rfa20"]["value"] == 49.5
    assert vals["groetz_epidural_coblation"]["value"] == 42.1 and "coblation" in vals["groetz_epidural_coblation"]["text"]
    assert "RFA" not in vals["groetz_epidural_coblation"]["text"].split("(")[0]
    assert "did not endanger" in vals["groetz_epidural_rfa20"]["note"]


def test_murali_local_control_failure_is_an_efficacy_result():
    rec = evidence.by_id(thermal.ablation_records("study"), "murali2021")
    assert "13.2%" in rec["main_result"] and "13.2" not in rec["complications"]


def test_opus_one_six_month_count_is_an_interim_report():
    rec = evidence.by_id(thermal.ablation_records("study"), "opus_one")
    assert "interim report" in rec["main_result"] and "had not yet reached" in rec["main_result"]
    note = evidence.by_id(thermal.ablation_records("pain_series"), "opus_one")["note"]
    assert "interim" in note and "not simply the ones who stayed" in note
