"""ANCILLARY_TO_DENIED_SERVICE: a request denied because the service it depends on was denied.

The reason is the other service's denial ("Given the request for the fusion is not supported, the
associated post-operative therapy is not necessary"): either the stock phrases (`ANCILLARY`), or a
service named as denied (`SERVICE_DENIED`) in a sentence that also names the dependent item's relation
to it (`DEPENDENT`, the cheap literal test tried first)."""

from __future__ import annotations

from graph_loader.normalize.reasons.cues import Cue, Hits

ANCILLARY = Cue(
    r"\bancillary\b|(?:primary|requested|associated|proposed|underlying) (?:surgical )?(?:procedure|surgery|"
    r"intervention|service) (?:\w+ ){0,3}(?:is|was|has been) not (?:medically necessary|certified|approved|"
    r"authorized)|since the (?:surgery|surgical procedure|procedure) (?:is|was) not",
    starts="ancillary|associated |primary |proposed |requested |since the |underlying ",
)

# The other service's denial given as the reason ("Given the request for the fusion is not supported,
# the associated post-operative therapy is not necessary"): a service named as denied, in a sentence
# that also names the dependent item's relation to it. Tried only where a relation word occurs.
DEPENDENT = Cue(
    r"associated|related|post-?op\w*|pre-?op\w*|peri-?op\w*|also|either|as well|none of|concurrent|"
    r"assistant|guidance|clearance",
    starts="also|as well|assistant|associated|clearance|concurrent|either|guidance|none of|peri|post|pre|related",
)
_SERVICE = (
    r"(?:[\w/-]+ ){0,5}?(?:surg\w*|procedures?|operation|fusion|arthroscop\w*|arthroplasty|release|repair|"
    r"decompression|replacement|reconstruction|\w+ectomy|\w+otomy|\w+plasty|injections?|block|"
    r"request for [^,;]{1,60}?)"
)
_NOT_OK = (
    r"(?:found |deemed |considered )?(?:medically necessary|supported|certified|approved|authorized|indicated|"
    r"warranted|recommended|appropriate)"
)
# "is not supported", "has been non-certified", and the perfect's other order, "has not been certified".
_DENIED = (
    rf"(?:(?:is|was|has been|have been|are|were|had been)(?: also)? (?:not {_NOT_OK}|non-?certified|"
    rf"noncertified|denied)|(?:has|have|had)(?: also)? not been {_NOT_OK})"
)
SERVICE_DENIED = Cue(
    rf"\b(?:given|since|as|because|in light of|due to)(?: that)? (?:the )?{_SERVICE}(?: [^,;]{{0,40}}?)? {_DENIED}|"
    rf"\bwith (?:the )?{_SERVICE} (?:being )?(?:denied|non-?certified|not (?:certified|approved|supported))|"
    rf"(?:^|\b(?:the|this) ){_SERVICE} {_DENIED}[^;]{{0,40}}?[;,] (?:and )?"
    r"(?:therefore|consequently|thus|so|hence|accordingly)\b",
    gate="denied|non|noncertified|not",
)


def depends_on_denied(text: str, hits: Hits, a: int, b: int) -> bool:
    """Whether text[a:b], a sentence scanned into `hits`, gives the other service's denial as the reason."""
    return ANCILLARY.found(text, hits, a, b) or (
        DEPENDENT.found(text, hits, a, b) and SERVICE_DENIED.found(text, hits, a, b)
    )
