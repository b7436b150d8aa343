"""Issue 15, lesson 01: the specialist read's corrections, each pinned to its source (and failing on the old wording).

* Radium-223: Parker 2013 (NEJM) abstract, updated analysis: HR 0.70 (95 % CI 0.58-0.83), not 0.69; ALSYMPCA enrolled
  men with castration-resistant prostate cancer, symptomatic bone metastases and no known visceral metastases
  (ClinicalTrials.gov NCT00699751).
* Hypercalcaemia is treated medically: nothing says the local therapies treat it.
* OPG is a RANKL decoy that inhibits osteoclasts (Geerts 2020): the RANKL/OPG ratio, not OPG, among the drivers.
* "Commonest primaries" (Macedo 2017 share vs Ryan 2022 counts at diagnosis) and bone's rank (Macedo 2017 "third" vs
  Coleman 2006 "most common"): shown as disagreements, each claim with its source and locator.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from bonemets_edu import references
from bonemets_edu.evidence import load_table
from bonemets_edu.figures import biology as fb

ROOT = Path(__file__).resolve().parents[1]
NB01 = ROOT / "notebooks" / "01_how_cancer_spreads_to_bone.ipynb"


def _cells(kind=None):
    nb = json.loads(NB01.read_text("utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if kind is None or c["cell_type"] == kind]


def _summary() -> str:
    return " ".join(next(c for c in _cells("markdown") if c.startswith("## Summary")).split())


# ------------------------------------------------------------------------------------------------------ radium-223
def test_radium_hazard_ratio_is_parkers_0_70_with_its_interval():
    d = next(r for r in fb.data.drugs() if r["id"] == "radium223")
    assert (d["hazard_ratio"], d["hr_ci_low"], d["hr_ci_high"]) == (0.70, 0.58, 0.83)
    assert d["sources"][0] == "parker2013" and "malecare2013" not in d["sources"]
    assert "abstract, results (updated analysis" in d["locator"]
    ref = references.get("parker2013")
    assert ref.year == 2013 and ref.doi == "10.1056/NEJMoa1213755"
    text = fb.drugs_text()
    assert "Hazard ratio for death 0.70 (95% CI 0.58-0.83" in text and "0.69" not in text


def test_radium_population_is_symptomatic_without_visceral_metastases():
    d = next(r for r in fb.data.drugs() if r["id"] == "radium223")
    for words in ("castration-resistant prostate cancer", "symptomatic bone metastases", "no known visceral metastases"):
        assert words in d["headline"]
    assert "alsympca_ctgov" in d["sources"]
    assert "NCT00699751" in references.get("alsympca_ctgov").title


def test_lesson_01_shows_no_hazard_ratio_of_0_69():
    nb = NB01.read_text("utf-8")
    assert "HR 0.69" not in nb and "0.69;" not in nb


# -------------------------------------------------------------------------------------------------- hypercalcaemia
def test_hypercalcaemia_is_treated_medically_in_the_data():
    recs = {c["id"]: c for c in fb.data.consequences()}
    assert recs["hypercalcaemia"]["treated"] == "medically" and recs["hypercalcaemia"]["lessons"] == []
    assert all(c["treated"] == "locally" and c["lessons"] for k, c in recs.items() if k != "hypercalcaemia")
    line = next(x for x in fb.consequences_text().splitlines() if x.startswith("- Hypercalcaemia"))
    assert "Treated medically, not by the local therapies" in line


def test_lesson_01_summary_does_not_say_local_therapies_treat_hypercalcaemia():
    summary = _summary()
    assert "hypercalcaemia — are what the local therapies" not in summary  # the old sentence
    sentence = next(s for s in re.split(r"(?<=\.)\s", summary) if "hypercalcaemia" in s)
    assert "treated medically" in sentence and "not by these local therapies" in sentence
    table = next(c for c in _cells("markdown") if c.startswith("## 6. Map"))
    assert "| Hypercalcaemia | None of the local therapies: it is treated medically |" in table


# ------------------------------------------------------------------------------------------------------------- OPG
def test_opg_is_not_listed_as_a_driver_of_lysis():
    lytic = next(r for r in fb.data.lesion_types() if r["id"] == "lytic")
    assert "OPG" not in lytic["mediators"] and "RANKL" not in lytic["mediators"]
    assert "a high RANKL/OPG ratio" in lytic["mediators"]
    assert "decoy receptor" in lytic["mediator_note"] and "inhibits osteoclasts" in lytic["mediator_note"]
    assert "geerts2020" in lytic["sources"]
    assert references.get("geerts2020").doi == "10.3389/fonc.2020.00462"
    table = fb.lesion_types_markdown()
    assert "a high RANKL/OPG ratio" in table and ", OPG," not in table
    assert "decoy receptor that binds RANKL" in table


def test_cycle_labels_and_text_write_the_ratio():
    node = next(n for n in fb.cycle_nodes() if n["id"] == "osteoblast")
    assert node["label"] == "Osteoblasts\n(RANKL/OPG ↑)"
    fig = fb.vicious_cycle_figure()
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert any("RANKL/OPG ↑" in t for t in texts)
    assert not any(re.search(r"\bOPG\b(?!\s*↑)", t) and "RANKL/OPG" not in t for t in texts)
    assert "resorption follows the RANKL/OPG ratio" in fb.vicious_cycle_text()


# ---------------------------------------------------------------------------------- where the sources disagree
def test_rank_of_bone_claims_keep_their_sources_and_locators():
    facts = {f["id"]: f for f in fb.data.facts()}
    assert facts["third_site"]["source"] == "macedo2017" and "third most frequent" in facts["third_site"]["text"]
    assert facts["most_common_site"]["source"] == "coleman2006" and "most common site" in facts["most_common_site"]["text"]
    assert facts["third_site"]["locator"].startswith("Introduction")
    assert facts["most_common_site"]["locator"].startswith("abstract")


def test_commonest_primaries_distinguish_share_from_counts_at_diagnosis():
    facts = {f["id"]: f for f in fb.data.facts()}
    share, counts = facts["primaries_share"], facts["primaries_at_diagnosis"]
    assert share["source"] == "macedo2017" and share["value"] == 70 and "Breast and prostate" in share["text"]
    assert counts["source"] == "ryan2022_seer" and counts["value"] == 8.7 and counts["locator"] == "abstract, results"
    assert "lung" in counts["text"] and "3.19" in counts["text"] and "2.38" in counts["text"]


def test_disagreements_markdown_shows_each_claim_with_source_and_locator():
    text = fb.disagreements_markdown()
    assert text.count("**Sources disagree:") == len(load_table(fb.DATA_FILE, "disagreement")) == 2
    for key in ("macedo2017", "coleman2006", "ryan2022_seer"):
        assert references.short(key) in text
    assert "Introduction, second paragraph, first sentence" in text and "abstract, results" in text
    assert "*Why they differ:*" in text
    only = fb.disagreements_markdown(["commonest_primary"])
    assert "Coleman 2006" not in only and "Ryan et al. 2022" in only


def test_disagreements_reject_bad_ids():
    import pytest

    with pytest.raises(ValueError, match="unknown disagreement"):
        fb.disagreements_markdown(["no_such_topic"])
    with pytest.raises(TypeError, match="ids must be a list"):
        fb.disagreements_markdown("rank_of_bone")


def test_lesson_01_shows_both_disagreements_and_the_summary_says_what_is_counted():
    code = "\n".join(_cells("code"))
    assert 'bio.disagreements_markdown(["rank_of_bone"])' in code
    assert 'bio.disagreements_markdown(["commonest_primary"])' in code
    summary = _summary()
    assert "breast and prostate the commonest primaries;" not in summary  # the old, unqualified claim
    assert "depends on what is counted" in summary and "Ryan 2022" in summary and "Coleman 2006" in summary
