"""Reviewer certifications as printed -> canonical specialty names (graph_loader/data/specialties.json).

A printed credential list is split at commas first, and a piece is looked up whole before it is split
again at "and" / "&" / "/", so "Physical Medicine and Rehabilitation" stays one certification while
"Internal Medicine and Pulmonary Disease" becomes two. The caller passes the whole list with its
wrapped lines, so a line break never cuts a name into fragments ("Public Health &" / "General
Preventive Medicine"). A piece that matches nothing is returned with specialty None: the caller keeps
it as printed and warns, and it never becomes a Specialty node.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from graph_loader.models import Certification

# Words that vary between printings of one name without changing it.
_STOP = frozenset({"and", "of", "the", "in", "with", "for"})
_SPELLING = ((re.compile(r"aedic"), "edic"), (re.compile(r"\bpaed"), "ped"), (re.compile(r"anaes"), "anes"))
# Credential wording around a name, tried only when the piece does not match as it stands.
_LEAD = re.compile(
    r"^(?:(?:is|a|an|also|dual|double|board|certified|certification|licensed|diplomate|fellowship|trained|"
    r"subspecialty|sub-specialty|specialty|specializing|specialist|in|of|the|american|as|by)\s+)+",
    re.I,
)
_TRAIL = re.compile(r"\s+(?:specialist|physician|board|certification|certified)$", re.I)
# A piece that ends in a connector was cut at a line end or a comma inside a name ("Public Health &").
_DANGLING = re.compile(r"(?:[&/+-]|\b(?:and|of|in|the|with|for))\s*$", re.I)
_SPLIT_AND = re.compile(r"\s+(?:and|&)\s+|\s*/\s*")
_COMMA = re.compile(r"[,;]")
# Short pieces are compared exactly only: a fuzzy match of "Pain" or "DO" would be a guess.
_FUZZY_MIN = 8
_FUZZY_CUTOFF = 0.9


@dataclass(frozen=True)
class Entry:
    name: str
    # "specialty" / "subspecialty" (ABMS), "licensed profession", "other certification"
    kind: str
    # ABMS member boards issuing it, or the licensed field ("chiropractic") / "AOA" / "other board"
    boards: tuple[str, ...]
    abms_name: str | None


@dataclass(frozen=True)
class Vocabulary:
    by_key: dict[str, str]
    names: frozenset[str]
    keys: tuple[str, ...]
    entries: dict[str, Entry]


def key(printed: str) -> str:
    s = printed.lower().replace("&", " and ")
    for pattern, repl in _SPELLING:
        s = pattern.sub(repl, s)
    words = re.sub(r"[^a-z0-9]+", " ", s).split()
    return " ".join(w for w in words if w not in _STOP)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    raw = json.loads(resources.files("graph_loader.data").joinpath("specialties.json").read_text())
    by_key: dict[str, str] = {}
    for entry in raw["entries"]:
        for form in [entry["name"], *entry["aliases"]]:
            k = key(form)
            if k and k not in by_key:
                by_key[k] = entry["name"]
    entries = {
        e["name"]: Entry(e["name"], e["kind"], tuple(e["boards"]), e.get("abms_name")) for e in raw["entries"]
    }
    return Vocabulary(by_key=by_key, names=frozenset(entries), keys=tuple(by_key), entries=entries)


def canonical_names() -> frozenset[str]:
    return vocabulary().names


def describe(name: str) -> Entry | None:
    """Kind and boards of a canonical name (for Specialty node properties)."""
    return vocabulary().entries.get(name)


@lru_cache(maxsize=4096)
def canonical(printed: str) -> str | None:
    """The canonical name of one printed certification, or None."""
    vocab = vocabulary()
    k = key(printed)
    if not k or _DANGLING.search(printed):
        return None
    if k in vocab.by_key:
        return vocab.by_key[k]
    trimmed = key(_TRAIL.sub("", _LEAD.sub("", printed.strip())))
    if trimmed and trimmed in vocab.by_key:
        return vocab.by_key[trimmed]
    # Typos and stray letters from extraction ("Sports Medicinea"), never fragments: the cutoff is
    # high enough that "Occupational" does not reach "Occupational Medicine".
    if len(k) >= _FUZZY_MIN:
        close = difflib.get_close_matches(k, vocab.keys, n=1, cutoff=_FUZZY_CUTOFF)
        if close:
            return vocab.by_key[close[0]]
    return None


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    last = start
    for m in _COMMA.finditer(text, start, end):
        out.append((last, m.start()))
        last = m.end()
    out.append((last, end))
    return [_strip(text, a, b) for a, b in out if text[a:b].strip(" .\n\t")]


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in " \t\n.,;":
        a += 1
    while b > a and text[b - 1] in " \t\n.,;":
        b -= 1
    return a, b


def flat(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def certifications(text: str, start: int, end: int, offset: int = 0) -> list[Certification]:
    """Certifications printed in text[start:end] (one credential list); spans are offsets into `text`
    plus `offset` (where `text` starts in the letter)."""
    out: list[Certification] = []
    for a, b in _pieces(text, start, end):
        printed = flat(text[a:b])
        name = canonical(printed)
        if name is not None:
            out.append(Certification(specialty=name, printed=printed, span=(a + offset, b + offset)))
            continue
        parts: list[tuple[int, int]] = []
        last = a
        for m in _SPLIT_AND.finditer(text, a, b):
            parts.append(_strip(text, last, m.start()))
            last = m.end()
        parts.append(_strip(text, last, b))
        parts = [(x, y) for x, y in parts if y > x]
        names = [canonical(flat(text[x:y])) for x, y in parts]
        if len(parts) > 1 and all(names):
            out.extend(
                Certification(specialty=n, printed=flat(text[x:y]), span=(x + offset, y + offset))
                for n, (x, y) in zip(names, parts, strict=True)
            )
        else:
            out.append(Certification(specialty=None, printed=printed, span=(a + offset, b + offset)))
    return out


def specialty_names(certs: list[Certification]) -> list[str]:
    """Distinct canonical names, in printed order."""
    seen: list[str] = []
    for c in certs:
        if c.specialty is not None and c.specialty not in seen:
            seen.append(c.specialty)
    return seen
