"""A vector per case for the similar-cases index: feature hashing of what the exact score counts.

The exact score of two cases (cypher/similar_cases.cypher) is a weighted count of what they share:
3 per pair of diagnoses in the same ICD-10-CM category, 2 per pair of decisions on the same
treatment, 1 per pair of citations of the same section. That is a dot product of count vectors, so
each feature goes into one of DIMENSIONS buckets with a sign (stable hashes, not Python's salted
ones) scaled by the square root of its weight: the dot product of two such vectors estimates the
exact score. No model, no corpus statistics: a letter's vector depends on that letter alone, so
both load paths write it as they write the rest of the letter.

Neo4j's vector index ranks by cosine, which would favour cases with few features over the cases the
exact score ranks first (it grows with what a case has). The stored vector is therefore the hashed
vector v scaled by 1/MAX_NORM with one more component, sqrt(1 - |v|^2 / MAX_NORM^2), so every stored
vector has length 1; a query with [v, 0] then has a cosine proportional to the dot product with v,
and the index returns candidates in the exact score's order, up to hashing noise (the reduction of
maximum inner product search to nearest neighbours). The exact score re-ranks them
(cypher/similar_cases_indexed.cypher). Pure.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterable
from functools import cache

HASHED = 128
DIMENSIONS = HASHED + 1
# Above any real letter's hashed length (a letter with six decisions citing four sections each and
# five diagnoses is about 12); a longer vector is shortened to it (its last component is then 0).
MAX_NORM = 64.0
WEIGHTS = {"dx": 3.0, "treatment": 2.0, "section": 1.0}


@cache
def _bucket(feature: str) -> tuple[int, float]:
    digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
    value = int.from_bytes(digest, "big")
    return value % HASHED, 1.0 if (value >> 63) & 1 else -1.0


def embed(features: Iterable[tuple[str, str]]) -> list[float] | None:
    """(kind, value) features, repeated as often as they occur -> the stored unit vector, or None when
    there are none (such a case shares nothing, and a zero query has no cosine)."""
    vector = [0.0] * HASHED
    for (kind, value), count in Counter(features).items():
        index, sign = _bucket(f"{kind}:{value}")
        vector[index] += sign * math.sqrt(WEIGHTS[kind]) * count
    # Most buckets are zero: skipping them changes no sum and no rounding, and saves most of the work.
    norm = math.sqrt(sum(v * v for v in vector if v))
    if norm == 0.0:
        return None
    scale = 1.0 / max(MAX_NORM, norm)
    scaled = [v * scale if v else v for v in vector]
    rest = max(0.0, 1.0 - sum(v * v for v in scaled if v))
    return [round(v, 12) if v else v for v in [*scaled, math.sqrt(rest)]]
