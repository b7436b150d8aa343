"""Lesson 01 data, figures, text tables and widgets (built in Python; controls set, text and figure checked)."""

import re

import pytest
from imagecheck import assert_same_image
from matplotlib.figure import Figure

from bonemets_edu import references
from bonemets_edu import remodeling as rm
from bonemets_edu.evidence import check_sources, load_table
from bonemets_edu.figures import biology as fb
from bonemets_edu.quiz import load_quiz
from bonemets_edu.widgets import biology as wb

# --- data ---------------------------------------------------------------------------------------------------------

def test_coleman_table_replays_the_published_values():
    """Macedo 2017 (PMC5444408) reproducing Coleman: breast 65-75% / 19-25 months, prostate 65-75% / 12-53,
    thyroid 60% / 48, lung 30-40% / 6-7, bladder 40% / 6-9, renal 20-25% / 12, melanoma 14-45% / 6."""
    got = {r["id"]: (r["incidence_low_pct"], r["incidence_high_pct"], r["survival_low_months"],
                     r["survival_high_months"]) for r in fb.incidence()}
    assert got["breast"] == (65, 75, 19, 25)
    assert got["prostate"] == (65, 75, 12, 53)
    assert got["thyroid"] == (60, 60, 48, 48)
    assert got["lung"] == (30, 40, 6, 7)
    assert got["bladder"] == (40, 40, 6, 9)
    assert got["renal"] == (20, 25, 12, 12)
    assert got["melanoma"] == (14, 45, 6, 6)
    assert got["myeloma"] == (70, 95, 6, 54)
    assert {r["id"]: r["lesion_tendency"] for r in fb.incidence()}["prostate"] == "more blastic"
    assert sum(r["lesion_tendency"] == "more blastic" for r in fb.incidence()) == 1


def test_ranges_are_ordered_and_every_record_is_cited():
    for r in fb.incidence():
        assert r["incidence_low_pct"] <= r["incidence_high_pct"] <= 100
        assert r["survival_low_months"] <= r["survival_high_months"]
    for table in ("incidence", "incidence_other", "fact", "site", "lesion_type", "cycle_node", "cycle_step", "sre",
                  "consequence", "drug"):
        records = load_table(fb.DATA_FILE, table)
        assert records, table
        for r in records:
            assert check_sources(dict(r), table), f"{table}/{r['id']} has no source"


def test_source_disagreement_is_recorded():
    """clinical-facts §11.16: incidence differs between sources. Tsukamoto 2021 (Curr Oncol, introduction, first
    paragraph) gives thyroid 65% against Coleman's 60% (Macedo 2017), and lung 17-64% around Coleman's 30-40%."""
    coleman = {r["id"]: (r["incidence_low_pct"], r["incidence_high_pct"]) for r in fb.incidence()}
    disjoint = [o for o in fb.incidence_other()
                if o["high_pct"] < coleman[o["primary_id"]][0] or o["low_pct"] > coleman[o["primary_id"]][1]]
    assert {o["primary_id"] for o in disjoint} == {"thyroid"}
    assert all(o["primary_id"] in coleman for o in fb.incidence_other())


def test_other_incidence_figures_replay_tsukamoto_and_nothing_unverified():
    """Tsukamoto 2021 (PMC8482272), introduction: breast 65-75%, prostate 65-90%, lung 17-64%, thyroid 65%. The pooled
    post-mortem figures of the anonymous Bone & Joint 360 feature (35-42% for lung, thyroid and renal together) are
    gone: its authors could not be verified (issue 15)."""
    got = {o["primary_id"]: (o["low_pct"], o["high_pct"], o["source"]) for o in fb.incidence_other()}
    assert got == {"breast": (65, 75, "tsukamoto2021"), "prostate": (65, 90, "tsukamoto2021"),
                   "lung": (17, 64, "tsukamoto2021"), "thyroid": (65, 65, "tsukamoto2021")}
    assert all(o["pooled_with"] == [] for o in fb.incidence_other())
    raw = {r["id"]: r for r in load_table(fb.DATA_FILE, "incidence_other")}
    assert raw["tsukamoto_thyroid"]["locator"].startswith("Introduction")


def test_autopsy_figure_is_coleman_2006_with_its_locator():
    """Coleman RE 2006 (Clin Cancer Res 12:6243s), 'Incidence of bone metastases': about 70% of patients dying of
    breast or prostate cancer have bone metastases at post-mortem examination."""
    fact = next(f for f in fb.data.facts() if f["id"] == "autopsy_70")
    assert (fact["value"], fact["source"]) == (70, "coleman2006")
    assert fact["locator"].startswith("'Incidence of bone metastases'")
    assert references.get("coleman2006").authors == "Coleman RE"
    assert references.get("coleman2006").doi == "10.1158/1078-0432.CCR-06-0931"


def test_cycle_is_closed_and_follows_the_published_sequence():
    steps = fb.cycle_steps()
    assert [s["from_node"] for s in steps] == ["tumour", "osteoblast", "osteoclast", "matrix"]
    assert [s["to_node"] for s in steps] == ["osteoblast", "osteoclast", "matrix", "tumour"]
    labels = " ".join(s["arrow_label"] for s in steps)
    for molecule in ("PTHrP", "RANKL", "TGF-β", "IGF-1"):
        assert molecule in labels


def test_sre_definition_and_sites():
    assert len(fb.data.sre()["components"]) == 4


def test_sites_follow_their_sources_exactly():
    """Maccauro 2011 (Int J Surg Oncol, abstract): 'the spine is the most common site of bone metastasis'. Hindiskere
    et al. (Annals of Joint, abstract, background): the proximal femur is the most common site of skeletal metastases
    in the appendicular skeleton. No source read ranks the pelvis, so it is not marked."""
    sites = {s["id"]: s for s in fb.data.sites()}
    assert set(sites) == {"spine", "proximal_femur"}
    assert (sites["spine"]["source"], sites["spine"]["scope"]) == ("maccauro2011", "whole skeleton")
    assert (sites["proximal_femur"]["source"], sites["proximal_femur"]["scope"]) == ("hindiskere_aoj",
                                                                                    "appendicular skeleton")
    assert "appendicular skeleton" in sites["proximal_femur"]["claim"]
    assert references.get("maccauro2011").doi == "10.1155/2011/107969"
    fig = fb.skeleton_figure()
    texts = " ".join(t.get_text() for t in fig.texts) + " ".join(t.get_text() for ax in fig.axes for t in ax.texts)
    assert "Spine: commonest site" in texts and "Proximal femur: commonest\nsite in the limbs" in texts
    assert "Pelvis" not in texts and "Maccauro et al. 2011" in texts


def test_lesion_mediators_are_those_the_cited_review_names():
    """Virk and Lieberman 2007 (Arthritis Res Ther 9 Suppl 1:S5): Figure 1 legend, pro-osteolytic factors PTHrP, IL-1,
    IL-8, IL-11, soluble RANKL, TNF-alpha (TGF-beta, IGF released by osteolysis); Table 2, pro-osteoblastic factors
    Wnt, ET-1, BMP, IGF, IL-6, PDGF, FGF, VEGF. IL-7, MCP-1 and 'Dkk1 suppression' came from an unverifiable source."""
    types = {r["id"]: r for r in fb.data.lesion_types()}
    lytic, blastic = types["lytic"]["mediators"], types["blastic"]["mediators"]
    assert lytic == ["PTHrP", "a high RANKL/OPG ratio", "IL-1", "IL-8", "IL-11", "TNF-α",
                     "TGF-β and IGF released from the matrix"]
    assert blastic == ["ET-1", "Wnt proteins", "BMPs", "PDGF", "FGF", "IGF", "IL-6", "VEGF"]
    for gone in ("IL-7", "MCP-1", "Dkk1 suppression"):
        assert gone not in lytic + blastic
    raw = {r["id"]: r for r in load_table(fb.DATA_FILE, "lesion_type")}
    for tid in ("lytic", "blastic"):
        assert "virk2007" in raw[tid]["sources"] and raw[tid]["locator"].startswith("Virk 2007")
    ref = references.get("virk2007")
    assert (ref.doi, ref.pmid) == ("10.1186/ar2169", "17634144")


def test_drug_headlines_carry_the_published_numbers():
    text = fb.drugs_text()
    for number in ("8.21 months", "HR 0.83", "RR 1.9", "14.9 vs 11.3", "1822", "921"):
        assert number in text
    # Parker 2013 (NEJM), abstract, results, updated analysis: HR 0.70 (95% CI 0.58-0.83); 0.69 was a news summary's
    assert "Hazard ratio for death 0.70 (95% CI 0.58-0.83" in text
    assert "0.69" not in text


def test_sites_quiz_item_keys_on_its_source():
    """bio7 asks only what Hindiskere et al. state: the proximal femur is the commonest site in the limb skeleton."""
    q = next(q for q in load_quiz("01_how_cancer_spreads_to_bone") if q.id == "bio7")
    assert q.source == "hindiskere_aoj"
    correct = [o for o in q.options if o.correct]
    assert [o.text for o in correct] == ["The proximal femur"]
    assert "pelvis" not in q.prompt.lower()


def test_quiz_has_at_least_six_checked_questions():
    qs = load_quiz("01_how_cancer_spreads_to_bone")
    assert len(qs) >= 6
    assert all(q.source for q in qs)
    numeric = [q for q in qs if q.kind == "numeric"]
    assert numeric and numeric[0].answer == max(r["survival_high_months"] for r in fb.incidence() if r["id"] == "breast")


# --- text and figures ---------------------------------------------------------------------------------------------

def test_incidence_table_text():
    text = fb.incidence_table_text()
    assert "Breast" in text and "65-75" in text and "19-25" in text and "more blastic" in text
    assert len(text.splitlines()) == 2 + len(fb.incidence()) + 1


def test_vicious_cycle_text_alternative_names_every_step():
    text = fb.vicious_cycle_text(highlight=2)
    assert text.count("\n") == 3 and "**▶**" in text.splitlines()[1]


@pytest.mark.parametrize("build", [
    lambda: fb.vicious_cycle_figure(highlight=3),
    lambda: fb.incidence_figure("lung"),
    fb.skeleton_figure,
    lambda: fb.komarova_figure(rm.simulate(rm.KOMAROVA_2003, 100)),
])
def test_figures_are_figures_with_text(build):
    fig = build()
    assert isinstance(fig, Figure)
    assert len(fig.texts) >= 1  # the source line


@pytest.mark.parametrize("call, exc", [
    (lambda: fb.vicious_cycle_figure(highlight=5), ValueError),
    (lambda: fb.vicious_cycle_figure(highlight="2"), ValueError),
    (lambda: fb.incidence_figure("pancreas"), ValueError),
    (lambda: fb.facts_markdown("dormancy"), TypeError),
    (lambda: fb.facts_markdown(["no_such_fact"]), ValueError),
])
def test_figure_helpers_reject_bad_input(call, exc):
    with pytest.raises(exc):
        call()


def test_remodeling_plot_blit_is_deterministic_and_changes_with_the_scenario():
    from bonemets_edu.ui import FigurePane

    ref = rm.simulate(rm.scenario(tumour_on=False), 600)
    plot = fb.RemodelingPlot(rm.simulate(rm.scenario(), 600), ref)
    pane = FigurePane(plot.fig, "remodeling", animated=plot.dynamic, static_key=plot.static_key)
    a = pane.png()
    assert pane.png() == a
    plot.update(rm.simulate(rm.scenario(effect="blastic"), 600))  # new lines and the 'illustrative' caption
    b = pane.png()
    assert b != a
    assert_same_image(b, pane.renderer.full_png())
    plot.update(rm.simulate(rm.scenario(), 600))
    assert pane.png() == a


# --- widgets ------------------------------------------------------------------------------------------------------

def _img(app) -> bytes:
    return app.pane.image


def test_vicious_cycle_widget_steps():
    app = wb.vicious_cycle()
    assert "Step 1 of 4" in app.text.value and "PTHrP" in app.text.value
    before = _img(app)
    app.controls["step"].value = 3
    assert "Step 3 of 4" in app.text.value and "resorption" not in app.text.value.split("Step 3")[0]
    assert _img(app) != before
    assert "step 3" in app.pane.alt
    app.controls["step"].value = 1
    assert _img(app) == before


def test_bone_remodeling_widget_defaults_teach_and_controls_change_output():
    app = wb.bone_remodeling()
    text = app.text.value
    assert "osteolytic pattern" in text and "reaches 0%" in text and "Warning" in text
    img = _img(app)
    app.controls["tumour"].value = False
    assert "No tumour" in app.text.value and _img(app) != img
    assert app.controls["effect"].disabled and app.controls["growth"].disabled
    app.controls["tumour"].value = True
    app.controls["effect"].value = "blastic"
    assert "ILLUSTRATIVE" in app.text.value and "osteoblastic pattern" in app.text.value
    assert app.controls["start"].disabled
    app.controls["treat"].value = True
    assert not app.controls["start"].disabled and "day 600" in app.text.value
    app.controls["start"].value = 300
    assert "day 300" in app.text.value


def test_remodeling_widget_verdict_credits_the_tumour_only_with_its_own_direction():
    """Reviewer cases: osteolytic tumour at 0.001/day (117% vs 109%), and drug from day 300 (113% vs 109%)."""
    app = wb.bone_remodeling(growth_rate_per_day=0.001)
    assert "117%" in app.text.value and "109%" in app.text.value
    assert "NOT an osteoblastic pattern" in app.text.value and "net bone gain" not in app.text.value
    app = wb.bone_remodeling(treatment_start_day=300)
    assert "113%" in app.text.value and "the drug, not the tumour" in app.text.value
    assert "net bone gain" not in app.text.value


def test_remodeling_summary_numbers_come_from_the_model():
    sim = rm.simulate(rm.scenario(), wb.DAYS)
    ref = rm.simulate(rm.scenario(tumour_on=False), wb.DAYS)
    text, kind = wb.remodeling_summary(sim, ref)
    assert f"{sim.final_bone_mass:.0f}%" in text and f"{ref.final_bone_mass:.0f}%" in text
    assert kind == "warning"


def test_where_and_from_where_widget():
    app = wb.where_and_from_where("breast")
    assert "65–75%" in app.text.value and "19–25 months" in app.text.value
    img = _img(app)
    app.controls["primary"].value = "thyroid"
    # Coleman 60% (Macedo 2017) with Tsukamoto 2021's 65% listed as the other source's figure.
    assert "Thyroid" in app.text.value and "in 60% of patients" in app.text.value
    assert "<li>65% — review of the literature <em>(Tsukamoto et al. 2021)</em></li>" in app.text.value
    assert "35–42%" not in app.text.value and "post-mortem" not in app.text.value
    assert _img(app) != img and "Thyroid is outlined" in app.pane.alt
    app.controls["primary"].value = "bladder"
    assert "No other source" in app.text.value
    app.controls["primary"].value = "breast"
    assert _img(app) == img


def test_widget_images_are_valid_png():
    app = wb.bone_remodeling()
    assert _img(app)[:8] == b"\x89PNG\r\n\x1a\n"


def test_lesson_map_and_next_step_use_the_course_titles():
    """Every link to another lesson in lesson 01 is labelled 'NN — <title from data/course.toml>'."""
    import json
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    titles = {c["stem"]: c["title"] for c in
              tomllib.loads((root / "bonemets_edu" / "data" / "course.toml").read_text(encoding="utf-8"))["lesson"]}
    nb = json.loads((root / "notebooks" / "01_how_cancer_spreads_to_bone.ipynb").read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    links = re.findall(r"\[(\d\d[a-z]?) — ([^\]]+)\]\((\d\d[a-z]?_\w+)\.ipynb\)", text)
    assert {stem for _, _, stem in links} >= {"02_radiation_therapy", "03_surgery", "04_ablation",
                                              "05_focused_ultrasound", "06a_choosing_a_treatment"}
    for number, title, stem in links:
        assert stem.startswith(number) and title == titles[stem], (number, title, stem)
