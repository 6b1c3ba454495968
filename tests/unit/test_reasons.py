"""Denial reasons: the reviewer's sentences give reasons, the guideline text they quote does not;
negation is read per clause; each reason's span is the sentence that gives it. Sentences are written
for these tests in the reviewers' style (none is copied from a letter)."""

from __future__ import annotations

import pytest

from graph_loader.normalize.reasons.clauses import Role, sentences
from graph_loader.normalize.reasons.rules import DESCRIPTIONS, EXAMPLES, denial_reasons


def codes(text: str) -> list[str]:
    return [r.code for r in denial_reasons(text, 0)]


def test_every_code_has_a_description_and_an_example_that_classifies_as_itself() -> None:
    assert set(EXAMPLES) == set(DESCRIPTIONS)
    assert len(DESCRIPTIONS) == 11
    for code, example in EXAMPLES.items():
        assert codes(example) == [code], (code, example)


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        (
            "There is no documentation of objective functional improvement after the prior sessions.",
            "NO_FUNCTIONAL_IMPROVEMENT",
        ),
        (
            "The outcome of the first six acupuncture visits was not documented, and the response to "
            "these visits was not documented either.",
            "NO_FUNCTIONAL_IMPROVEMENT",
        ),
        (
            "Further visits are contingent upon the patient's response to treatment.",
            "NO_FUNCTIONAL_IMPROVEMENT",
        ),
        ("The requested 12 sessions exceed the recommended 10 visits.", "EXCEEDS_GUIDELINE_LIMITS"),
        ("This request is in excess of the guideline allowance.", "EXCEEDS_GUIDELINE_LIMITS"),
        ("In this case the examination shows no focal neurologic deficit.", "NO_RED_FLAGS"),
        ("There is no indication that the claimant is a candidate for surgery.", "NO_RED_FLAGS"),
        ("The provider did not explain why a repeat study is needed.", "NO_RATIONALE_FROM_TREATER"),
        ("There is no clear rationale for the requested brace.", "NO_RATIONALE_FROM_TREATER"),
        (
            "There is no evidence that the injured worker tried and failed conservative care.",
            "FIRST_LINE_NOT_TRIED",
        ),
        ("The records do not show failure of first-line oral analgesics.", "FIRST_LINE_NOT_TRIED"),
        ("The notes do not document a history of gastrointestinal bleeding.", "INSUFFICIENT_DOCUMENTATION"),
        ("The dose and quantity of the medication were not specified.", "INSUFFICIENT_DOCUMENTATION"),
        ("There is no recent urine drug screen in the records.", "NO_MONITORING_OR_RISK_ASSESSMENT"),
        (
            "The patient has used the muscle relaxant for months, and long-term use is not recommended.",
            "LONG_TERM_USE_NOT_SUPPORTED",
        ),
        ("Topical muscle relaxants are not recommended.", "NOT_RECOMMENDED_BY_GUIDELINE"),
        ("The request does not indicate which body part is to be treated.", "BODY_PART_NOT_SPECIFIED"),
        (
            "The claimant has not completed a course of physical therapy before this injection.",
            "FIRST_LINE_NOT_TRIED",
        ),
        (
            "Without documented improvement in pain and function, continued use is not supported.",
            "NO_FUNCTIONAL_IMPROVEMENT",
        ),
        ("The claimant reports no benefit from the previous six sessions.", "NO_FUNCTIONAL_IMPROVEMENT"),
        ("An opioid risk assessment was not performed.", "NO_MONITORING_OR_RISK_ASSESSMENT"),
        ("A signed opioid agreement is not on file.", "NO_MONITORING_OR_RISK_ASSESSMENT"),
        ("The physician has not stated the goals of the proposed therapy.", "NO_RATIONALE_FROM_TREATER"),
        (
            "The injured worker has taken it since 2015, well beyond the 2 to 3 week course the guidelines "
            "support.",
            "LONG_TERM_USE_NOT_SUPPORTED",
        ),
        ("The request does not include a frequency or duration.", "INSUFFICIENT_DOCUMENTATION"),
        ("Red flags are absent on the current examination.", "NO_RED_FLAGS"),
        ("The injured worker is not a surgical candidate per the surgeon.", "NO_RED_FLAGS"),
    ],
)
def test_reviewer_sentences_give_their_reason(sentence: str, code: str) -> None:
    text = (
        "The guidelines recommend this treatment for chronic pain. "
        + sentence
        + " Therefore it is not necessary."
    )
    assert code in codes(text)


# More phrasings, in the styles of several review organizations (written for this test).
MORE = [
    (
        "Without evidence of significant improvement in function with prior acupuncture, additional sessions are not supported.",
        "NO_FUNCTIONAL_IMPROVEMENT",
    ),
    ("The efficacy of prior injections has not been established.", "NO_FUNCTIONAL_IMPROVEMENT"),
    ("There was no reported improvement in VAS scores or function.", "NO_FUNCTIONAL_IMPROVEMENT"),
    (
        "The prior epidural injection did not provide at least 50% pain relief for 6-8 weeks.",
        "NO_FUNCTIONAL_IMPROVEMENT",
    ),
    (
        "The request for 12 visits exceeds the guideline recommendation of 6 visits.",
        "EXCEEDS_GUIDELINE_LIMITS",
    ),
    (
        "The total number of visits would be 30, which is more than the guidelines allow.",
        "EXCEEDS_GUIDELINE_LIMITS",
    ),
    ("There are no red flag signs or symptoms.", "NO_RED_FLAGS"),
    ("There are no objective neurological findings on examination.", "NO_RED_FLAGS"),
    ("In this case, the patient is neurologically intact.", "NO_RED_FLAGS"),
    ("No surgical intervention is planned.", "NO_RED_FLAGS"),
    (
        "The treating provider did not document the medical necessity of the requested DME.",
        "NO_RATIONALE_FROM_TREATER",
    ),
    ("It is not clear why a repeat MRI is being requested.", "NO_RATIONALE_FROM_TREATER"),
    ("The purpose of the consultation is not specified.", "NO_RATIONALE_FROM_TREATER"),
    ("No treatment goals were stated.", "NO_RATIONALE_FROM_TREATER"),
    ("There is no evidence of failed conservative treatment.", "FIRST_LINE_NOT_TRIED"),
    ("The patient has not tried physical therapy.", "FIRST_LINE_NOT_TRIED"),
    ("There is no documentation that the patient failed NSAIDs or acetaminophen.", "FIRST_LINE_NOT_TRIED"),
    ("The claimant has not had an adequate trial of physical therapy.", "FIRST_LINE_NOT_TRIED"),
    ("There is no documentation of a recent urine drug test.", "NO_MONITORING_OR_RISK_ASSESSMENT"),
    ("The 4 A's of opioid management were not documented.", "NO_MONITORING_OR_RISK_ASSESSMENT"),
    ("There is no mention of a signed opioid agreement.", "NO_MONITORING_OR_RISK_ASSESSMENT"),
    ("The provider has not assessed for aberrant drug-taking behavior.", "NO_MONITORING_OR_RISK_ASSESSMENT"),
    ("The dosage and frequency were not provided.", "INSUFFICIENT_DOCUMENTATION"),
    ("There are no recent examination findings.", "INSUFFICIENT_DOCUMENTATION"),
    ("No imaging reports were submitted for review.", "INSUFFICIENT_DOCUMENTATION"),
    ("ODG does not recommend hot/cold therapy units for the cervical spine.", "NOT_RECOMMENDED_BY_GUIDELINE"),
    ("Per ODG, this modality is considered investigational.", "NOT_RECOMMENDED_BY_GUIDELINE"),
    ("Ketoprofen is not FDA approved for topical use.", "NOT_RECOMMENDED_BY_GUIDELINE"),
    (
        "The guidelines do not support the use of H-wave as an isolated intervention.",
        "NOT_RECOMMENDED_BY_GUIDELINE",
    ),
    (
        "The patient has been on Norco for over a year, and long-term opioid use is not supported without documented benefit.",
        "LONG_TERM_USE_NOT_SUPPORTED",
    ),
    (
        "Since the requested surgery is not medically necessary, the post-operative physical therapy is also not medically necessary.",
        "ANCILLARY_TO_DENIED_SERVICE",
    ),
    ("The request does not specify the body part to be treated.", "BODY_PART_NOT_SPECIFIED"),
    ("The requested number of sessions was not specified.", "INSUFFICIENT_DOCUMENTATION"),
]


@pytest.mark.parametrize(("sentence", "code"), MORE)
def test_more_phrasings_give_their_reason(sentence: str, code: str) -> None:
    assert code in codes(sentence)


@pytest.mark.parametrize(
    "guideline",
    [
        # Criteria quoted or stated in general: they name reasons a request could fail, not this one's.
        "When the number of visits exceeds the guideline, exceptional factors should be noted.",
        'The MTUS states, "Imaging is reserved for red flags, nerve compromise, or a plan for surgery."',
        "The ACOEM Guidelines state that imaging is warranted in patients who do not respond to treatment.",
        "The guidelines recommend continued use only with documented functional improvement.",
        "Per the ODG, an initial trial of 6 visits is recommended; additional visits require evidence of "
        "objective functional improvement.",
    ],
)
def test_guideline_text_alone_gives_no_reason(guideline: str) -> None:
    assert codes(guideline + " The request is not medically necessary.") == []


@pytest.mark.parametrize(
    "finding",
    [
        # The criterion is met: the same words, no negation.
        "The claimant has failed conservative care including physical therapy and NSAIDs.",
        "There is evidence of radiculopathy on exam and MRI.",
        "The patient has been compliant with urine drug screens and the CURES report is consistent.",
        "The patient had a positive response to the first injection with 60% relief for 8 weeks.",
        "The treating physician explains that the brace is needed for instability.",
    ],
)
def test_a_met_criterion_gives_no_reason(finding: str) -> None:
    assert codes(finding) == []


def test_a_positive_clause_gives_no_reason_and_the_negated_one_does() -> None:
    text = (
        "There is documentation of completed physical therapy, but there is no documentation of functional "
        "improvement. The patient has tried and failed conservative care."
    )
    assert codes(text) == ["NO_FUNCTIONAL_IMPROVEMENT"]


def test_negation_scope_ends_at_the_contrast() -> None:
    text = "No red flags were found, however the injured worker has failed physical therapy and NSAIDs."
    assert codes(text) == ["NO_RED_FLAGS"]


def test_what_is_missing_decides_between_the_specific_code_and_insufficient_documentation() -> None:
    assert codes("There is no documentation of conservative treatment.") == ["FIRST_LINE_NOT_TRIED"]
    assert codes("There is no documentation of a recent x-ray of the knee.") == ["INSUFFICIENT_DOCUMENTATION"]


def test_conclusions_and_notices_give_no_reason() -> None:
    text = (
        "Medical necessity has not been established. The request is not medically necessary. "
        "This decision addresses the medical necessity of opioids as they have been prescribed. "
        "It should not be interpreted as a recommendation to stop long-term opioids abruptly."
    )
    assert codes(text) == []


def test_an_ancillary_service_gets_only_that_reason() -> None:
    text = (
        "Since the primary surgical procedure is not medically necessary, the associated cold therapy unit "
        "is not necessary either. There is no documentation of a post-operative plan."
    )
    assert codes(text) == ["ANCILLARY_TO_DENIED_SERVICE"]


def test_span_points_at_the_sentence_that_gives_the_reason() -> None:
    text = (
        "The MTUS recommends opioids with ongoing monitoring. The patient takes the drug daily.\n"
        "However, there is no CURES report in the\nrecords. As such, the request is not necessary."
    )
    (reason,) = denial_reasons(text, 1000)
    assert reason.code == "NO_MONITORING_OR_RISK_ASSESSMENT"
    assert text[reason.span[0] - 1000 : reason.span[1] - 1000] == (
        "However, there is no CURES report in the\nrecords."
    )


def test_reasons_come_in_text_order_each_once() -> None:
    text = (
        "There is no clear rationale for the request. There is no evidence of functional improvement. "
        "There is still no rationale. There is no documentation of trial and failure of conservative care."
    )
    assert codes(text) == ["NO_RATIONALE_FROM_TREATER", "NO_FUNCTIONAL_IMPROVEMENT", "FIRST_LINE_NOT_TRIED"]


def test_sentence_roles() -> None:
    text = (
        'The MTUS recommends imaging for red flags. "Patients should not be imaged early." '
        "In this case, there are no red flags. Surgery is rarely needed."
    )
    roles = [s.role for s in sentences(text, text.lower())]
    assert roles == [Role.GUIDELINE, Role.QUOTE, Role.CASE, Role.CASE]


def test_an_unclosed_quotation_ends_at_the_reviewers_conclusion() -> None:
    text = (
        'The note reads "pain is better. Given the absence of functional improvement, the request is denied.'
    )
    assert codes(text) == ["NO_FUNCTIONAL_IMPROVEMENT"]


def test_a_character_that_changes_length_when_lower_cased_keeps_offsets() -> None:
    text = "The \u0130 report is attached. There is no documentation of functional improvement."
    (reason,) = denial_reasons(text, 0)
    assert text[reason.span[0] : reason.span[1]].startswith("There is no documentation")
