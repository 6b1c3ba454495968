"""A vector per case for the similar-cases index: feature hashing of what the exact score counts.

The exact score of two cases (cypher/similar_cases.cypher) is a weighted count of what they share:
3 per pair of diagnoses in the same ICD-10-CM category, 2 per pair of decisions on the same
treatment, 1 per pair of citations of the same section. That is a dot product of count vectors, so
each feature goes into one of DIMENSIONS buckets with a sign (stable hashes, not Python's salted
ones) scaled by the square root of its weight: the dot product of two such vectors estimates the
exact score. No model, no corpus statistics: a letter's vector depends on that letter alone, so
both load paths write it as they write the rest of the letter. The index returns candidates by
cosine; the exact score re-ranks them (cypher/similar_cases_indexed.cypher). Pure.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterable
from functools import cache

DIMENSIONS = 128
WEIGHTS = {"dx": 3.0, "treatment": 2.0, "section": 1.0}


@cache
def _bucket(feature: str) -> tuple[int, float]:
    digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
    value = int.from_bytes(digest, "big")
    return value % DIMENSIONS, 1.0 if (value >> 63) & 1 else -1.0


def embed(features: Iterable[tuple[str, str]]) -> list[float] | None:
    """(kind, value) features, repeated as often as they occur -> unit vector, or None when there are
    none (cosine is undefined for a zero vector, and such a case shares nothing)."""
    vector = [0.0] * DIMENSIONS
    for (kind, value), count in Counter(features).items():
        index, sign = _bucket(f"{kind}:{value}")
        vector[index] += sign * math.sqrt(WEIGHTS[kind]) * count
    norm = math.sqrt(sum(v * v for v in vector))
    if norm == 0.0:
        return None
    return [round(v / norm, 12) for v in vector]
