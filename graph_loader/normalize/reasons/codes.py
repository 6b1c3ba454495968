"""The denial-reason codes: a small documented taxonomy, each code with a description and an example
sentence in a reviewer's style (for the docs and the graph's reason nodes; the rules are in `rules.py`)."""

from __future__ import annotations

DESCRIPTIONS: dict[str, str] = {
    "NO_FUNCTIONAL_IMPROVEMENT": "No documented functional improvement from prior treatment",
    "EXCEEDS_GUIDELINE_LIMITS": "Exceeds guideline visit, quantity or duration limits",
    "BODY_PART_NOT_SPECIFIED": "The request does not specify the body part",
    "NO_RED_FLAGS": "No red flags, nerve compromise or surgical candidacy to justify imaging",
    "NO_RATIONALE_FROM_TREATER": "The treating physician gives no rationale or treatment plan",
    "NOT_RECOMMENDED_BY_GUIDELINE": "The guideline does not recommend this treatment",
    "FIRST_LINE_NOT_TRIED": "First-line or conservative treatment not tried or failed first",
    "INSUFFICIENT_DOCUMENTATION": "The records lack the findings or history the guideline requires",
    "NO_MONITORING_OR_RISK_ASSESSMENT": "Missing monitoring required for the drug (opioid 4 A's, UDS, CURES)",
    "LONG_TERM_USE_NOT_SUPPORTED": "Long-term or continued use beyond the recommended course",
    "ANCILLARY_TO_DENIED_SERVICE": "Depends on another service that was denied",
}

# One sentence per code in the style of a reviewer's conclusion (written for the docs, not quoted).
EXAMPLES: dict[str, str] = {
    "NO_FUNCTIONAL_IMPROVEMENT": "The records do not show objective functional improvement after the six "
    "chiropractic visits already completed, so further visits are not supported.",
    "EXCEEDS_GUIDELINE_LIMITS": "The twelve sessions requested exceed the guideline's recommendation of up to "
    "ten visits for this condition.",
    "BODY_PART_NOT_SPECIFIED": "The request does not state which joint the injection is intended for.",
    "NO_RED_FLAGS": "In this case there are no red flags and no focal neurologic deficit on examination that "
    "would warrant imaging.",
    "NO_RATIONALE_FROM_TREATER": "The treating physician does not explain why this test is needed or how its "
    "result would change the treatment plan.",
    "NOT_RECOMMENDED_BY_GUIDELINE": "The guideline does not recommend topical muscle relaxants, so this cream "
    "is not medically necessary.",
    "FIRST_LINE_NOT_TRIED": "There is no documentation that the patient tried and failed physical therapy and "
    "oral medication first.",
    "INSUFFICIENT_DOCUMENTATION": "The submitted notes do not document a diagnosis of neuropathic pain for "
    "which this medication would be indicated.",
    "NO_MONITORING_OR_RISK_ASSESSMENT": "There is no recent urine drug screen or CURES report to show the "
    "opioid is being monitored.",
    "LONG_TERM_USE_NOT_SUPPORTED": "The patient has taken the muscle relaxant for several months, beyond the "
    "short course the guideline supports.",
    "ANCILLARY_TO_DENIED_SERVICE": "Because the requested surgery is not medically necessary, the associated "
    "post-operative sling is not necessary either.",
}
