"""The case conference widget (lesson 06b): built in Python, commit a plan and a justification, reveal, what-if."""

from __future__ import annotations

import pytest

pytest.importorskip("ipywidgets")

from bonemets_edu import cases as C  # noqa: E402
from bonemets_edu import decision as D  # noqa: E402
from bonemets_edu.widgets.choosing import CaseConference, shuffled_plans, tumour_board  # noqa: E402


def _commit(w, plan_id, text="Mirels 12: fix before it breaks, durable implant for 2 years"):
    w.plan.value = plan_id
    w.justification.value = text
    w.commit.click()


def test_first_display_shows_the_worked_case_and_nothing_revealed():
    w = CaseConference()
    assert w.current().worked
    assert "synthetic case" in w.vignette.value and "Mrs A." in w.vignette.value
    assert w.plan.value is None and w.reveal.disabled and w.feedback.value == ""
    assert "education" in w.children[0].value.lower()
    st = w.state()
    assert st.commitment is None and not st.revealed and st.decision is None


def test_reveal_needs_a_committed_plan_and_a_justification():
    w = CaseConference("case_cord")
    w.reveal.click()
    assert w.feedback.value == ""
    w.commit.click()
    assert "Choose a plan" in w.status.value and w.reveal.disabled
    w.plan.value = "rt_alone"
    w.commit.click()
    assert "one-line justification" in w.status.value and w.reveal.disabled
    w.justification.value = "   "
    w.commit.click()
    assert w.state().commitment is None


def test_commit_then_reveal_shows_reference_verdicts_reasons_sources_and_key_points():
    w = CaseConference("case_cord")
    _commit(w, "rt_alone", "Radiation treats the tumour and the cord")
    c = w.state().commitment
    assert (c.plan_id, c.justification) == ("rt_alone", "Radiation treats the tumour and the cord")
    assert not w.reveal.disabled and w.feedback.value == ""
    w.reveal.click()
    fb = w.feedback.value
    case = C.get("case_cord")
    assert f"The reference plan is: {case.reference.text}" in fb
    assert "Radiation treats the tumour and the cord" in fb  # the student's own text, next to the key points
    for p in case.points:
        assert p.text.replace("'", "&#x27;") in fb
    d = D.assess(case.patient)
    surgery = d.get("spine_surgery")
    assert f"<strong>Rule:</strong> {surgery.reasons[0].title}" in fb.replace("&#x27;", "'")
    assert 'href="https://' in fb and "Patchell" in fb
    assert "SINS 9 (not scored in the calculator)" in fb and "Tokuhashi 10" in fb


def test_justification_is_escaped_everywhere_it_is_shown():
    w = CaseConference("case_pelvis")
    evil = "<script>alert('x')</script><b>bold</b>"
    _commit(w, "rt_8gy", evil)
    w.reveal.click()
    for html in (w.status.value, w.feedback.value):
        assert "<script>" not in html and "<b>bold</b>" not in html
        assert "&lt;script&gt;" in html
    assert w.state().commitment.justification == evil  # kept as the student wrote it, never evaluated


def test_plan_order_is_deterministic_seeded_by_case_id_and_not_reference_first():
    positions = []
    for case in C.cases():
        a, b = shuffled_plans(case), shuffled_plans(case)
        assert a == b and sorted(p.id for p in a) == sorted(p.id for p in case.plans)
        positions.append([p.id for p in a].index(case.reference.id))
    assert len(set(positions)) >= 3  # the reference sits in different places
    assert positions.count(0) <= len(positions) // 3  # and is not systematically first
    w = CaseConference("case_humerus")
    assert [v for _, v in w.plan.options] == [p.id for p in shuffled_plans(C.get("case_humerus"))]


def test_what_if_waits_for_the_reveal_then_shows_moved_verdicts():
    w = CaseConference("case_cord")
    w.what_if_feature.value = "survival_months"
    assert "reveal" in w.what_if_text.value.lower()
    _commit(w, "decompress_then_rt", "Patchell: cord compression, can walk, survival over 3 months")
    w.reveal.click()
    labels = dict(w.what_if_value.options)
    w.what_if_value.value = labels["2 weeks"]
    text = w.what_if_text.value
    assert "verdict(s) move" in text
    assert "Spinal decompression and stabilisation:</strong> ✔ Suitable →" in text
    st = w.state()
    assert st.what_if[0] == "survival_months" and st.what_if[1] == 0.5
    assert {m.therapy for m in st.what_if[2]} == {m.therapy for m in C.what_if(C.get("case_cord").patient,
                                                                              "survival_months", 0.5)[2]}
    assert "Now applies:" in text and "<strong>Rule:</strong>" in text and 'href="https://' in text
    w.what_if_value.value = labels["3 years"]
    assert "Spinal decompression" not in w.what_if_text.value  # surgery stays suitable with a long outlook


def test_calculators_are_lesson_03s_and_reset_when_the_case_changes():
    from bonemets_edu.widgets import surgery

    w = CaseConference("case_femur")
    assert w.calculators.children == (w.mirels,)
    assert type(w.mirels) is type(surgery.mirels_calculator())
    for k, v in (("site", "peritrochanteric"), ("pain", "functional"), ("lesion", "lytic"), ("size", "> 2/3")):
        w.mirels.controls[k].value = v
    assert "Total: 12 of 12" in w.mirels.text.value  # lesson 03's own result text
    assert w.state().scores["mirels"] == 12
    w.case.value = "case_cord"
    assert w.mirels.controls["site"].value is None and w.calculators.children == (w.sins,)
    for k, v in (("level", "T6"), ("pain", "mechanical"), ("lesion", "lytic"), ("alignment", "normal"),
                 ("collapse", "<50%"), ("posterolateral", "unilateral")):
        w.sins.controls[k].value = v
    assert w.state().scores["sins"] == 9
    _commit(w, "decompress_then_rt", "x")
    w.reveal.click()
    assert "SINS 9 (matches yours)" in w.feedback.value


def test_commitments_are_kept_per_case_and_every_case_reveals():
    w = tumour_board()
    for case in C.cases():
        w.case.value = case.id
        _commit(w, shuffled_plans(case)[-1].id, f"reason for {case.id}")
        w.reveal.click()
        assert case.reasoning[:40].replace("'", "&#x27;") in w.feedback.value
    w.case.value = "case_femur"
    assert w.justification.value == "reason for case_femur" and w.feedback.value != ""


def test_worked_case_reveal_shows_each_specialty_and_the_patient():
    w = CaseConference()
    _commit(w, "fix_then_rt")
    w.reveal.click()
    fb = w.feedback.value
    for v in C.cases()[0].views:
        assert f"<strong>{v.specialty}:</strong>" in fb
    assert "<strong>The patient:</strong>" in fb
    assert "Your plan matches the reference" in fb


def test_bad_case_id_is_a_clear_error():
    with pytest.raises(ValueError, match="case_id"):
        CaseConference("case_nobody")


def test_what_if_offers_only_values_the_patient_accepts_and_never_shows_a_traceback():
    pelvis = CaseConference("case_pelvis")
    features = [k for _, k in pelvis.what_if_feature.options]
    assert "epidural_grade" not in features and "survival_months" in features  # no Bilsky grade outside the spine
    cord = CaseConference("case_cord")
    features = [k for _, k in cord.what_if_feature.options]
    assert "epidural_grade" in features and "location" in features
    cord.what_if_feature.value = "epidural_grade"
    shown = [label for label, _ in cord.what_if_value.options]
    assert "0" not in shown and "2 (as in the story)" in shown  # grade 0 contradicts cord compression: not offered
    _commit(cord, "decompress_then_rt", "Bilsky 2")
    cord.reveal.click()
    for _, v in cord.what_if_value.options[1:]:
        cord.what_if_value.value = v
        assert "Traceback" not in cord.what_if_text.value and cord.what_if_text.value
