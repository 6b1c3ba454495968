"""Diagnosis phrases coded from the whole ICD-10-CM code set, with this corpus's shorthand. Phrases are
written here from coding practice, not taken from letters."""

from __future__ import annotations

import pytest

from graph_loader.extract.fields import diagnoses
from graph_loader.normalize.diagnoses import coding as dx


@pytest.mark.parametrize(
    ("phrase", "category"),
    [
        # abbreviations and synonyms
        ("L4-5 HNP", "M51"),
        ("C5-6 herniated disc", "M50"),
        ("lumbar DDD", "M51"),
        ("RSD of the left upper extremity", "G90"),
        ("CRPS type I right foot", "G90"),
        ("lumbar five radiculopathy", "M54"),
        ("cervical radiculitis", "M54"),
        ("cervicalgia", "M54"),
        ("lumbago", "M54"),
        ("PTSD", "F43"),
        ("GERD", "K21"),
        ("HTN", "I10"),
        ("type 2 diabetes", "E11"),
        ("dyslipidemia", "E78"),
        ("myofascial pain syndrome", "M79"),
        ("tennis elbow", "M77"),
        ("frozen shoulder", "M75"),
        # conditions a region table never had: the whole code set answers
        ("inguinal hernia", "K40"),
        ("sensorineural hearing loss, bilateral", "H90"),
        ("atrial fibrillation", "I48"),
        ("fracture of the left distal radius", "S52"),
        ("dental caries", "K02"),
        ("tinnitus", "H93"),
        ("obstructive sleep apnea", "G47"),
        ("post-concussion syndrome", "F07"),
        ("post-traumatic headache", "G44"),
        # region words letters and ICD-10-CM spell differently
        ("low back strain", "S39"),
        ("neck sprain", "S13"),
        ("thoracic strain", "S29"),
        ("left knee lateral meniscus tear", "S83"),
        ("right hip contusion", "S70"),
        ("left knee injury", "S89"),  # the unspecified injury, not a crushing one
        ("status post right carpal tunnel release, carpal tunnel syndrome", "G56"),
    ],
)
def test_category_of_phrase(phrase: str, category: str) -> None:
    code = dx.code_phrase(phrase)
    assert code is not None and dx.category(code) == category, code


@pytest.mark.parametrize(
    ("phrase", "code"),
    [
        ("left knee lateral meniscus tear", "S83.282A"),  # side and meniscus: the leaf code
        ("right shoulder pain", "M25.511"),
        ("left shoulder pain", "M25.512"),
        ("carpal tunnel syndrome, bilateral upper limbs", "G56.03"),
        ("cervical strain, subsequent encounter", "S16.1XXD"),
        ("C5-C6 disc herniation", "M50.222"),  # the level the code set names
    ],
)
def test_code_is_as_specific_as_the_text(phrase: str, code: str) -> None:
    assert dx.code_phrase(phrase) == code


@pytest.mark.parametrize(
    "phrase", ["nothing codable here", "an industrial injury", "pain", "right", "the lumbar spine"]
)
def test_no_code_without_a_condition(phrase: str) -> None:
    assert dx.code_phrase(phrase) is None


@pytest.mark.parametrize(
    ("phrase", "status"),
    [
        ("rule out lumbar disc herniation", "rule_out"),
        ("possible cubital tunnel syndrome", "rule_out"),
        ("s/p right knee arthroscopy", "history"),
        ("status post lumbar fusion", "history"),
        ("history of hypertension", "history"),
        ("lumbar radiculopathy", "stated"),
    ],
)
def test_status(phrase: str, status: str) -> None:
    assert dx.status(phrase) == status


def _codes(summary: str) -> list[tuple[str, str]]:
    return [(d.category or "", d.status) for d in diagnoses(summary, 0)]


def test_sprain_strain_codes_both() -> None:
    cats = {c for c, _ in _codes("The worker is being treated for lumbar sprain/strain. The rest.")}
    assert cats == {"S33", "S39"}


def test_shared_condition_and_icd_worded_items() -> None:
    got = _codes(
        "Diagnoses include bilateral knee and ankle sprain, strain of muscle, fascia and tendon of lower back, "
        "and contusion of the left wrist and hand. Next sentence."
    )
    assert {c for c, _ in got} == {"S83", "S93", "S39", "S60"}


def test_rule_outs_are_kept_apart() -> None:
    got = _codes("The worker was diagnosed with cervical strain and rule out cervical disc herniation. Next.")
    assert ("S16", "stated") in got and ("M50", "rule_out") in got


def test_spans_point_at_the_phrase() -> None:
    summary = (
        "The worker is undergoing treatment for right shoulder impingement syndrome, and insomnia. Next."
    )
    for d in diagnoses(summary, 100):
        assert " ".join(summary[d.span[0] - 100 : d.span[1] - 100].split()) == d.text
        assert d.category == (d.icd10 or "")[:3]


def test_words_broken_at_line_ends_and_stated_causes() -> None:
    assert dx.code_phrase("lumbar radicul-\nopathy") == "M54.16"
    code = dx.code_phrase("radiculopathy secondary to a lifting accident")
    assert code is not None and dx.category(code) == "M54"
