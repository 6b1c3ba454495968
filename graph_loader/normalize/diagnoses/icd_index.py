"""A token index over every ICD-10-CM description and inclusion term, and the search that codes a
diagnosis phrase against it.

The code set comes from `simple-icd-10-cm`, but importing that package costs seconds, so the parser
reads a prebuilt extract instead (`graph_loader/data/icd10cm_index.json.gz`: codes, descriptions,
parents, 7th characters, and the tokens of each description and inclusion term). Rebuild it after
upgrading simple-icd-10-cm or editing `diagnosis_terms.py` with

    .venv/bin/python -m graph_loader.normalize.diagnoses.icd_index build

(`tests/unit/test_diagnoses_index.py` fails when the file and the package disagree). The token
index itself is built from that file once per process, on first use.

Search: a phrase's tokens are intersected rarest-first over the posting sets (a token that would
leave no candidate is skipped), anchored on a condition word, so every token the phrase shares with
some description narrows the match; among the codes left, the one whose description says least
beyond the phrase wins (by idf weight), a billable leaf before its parent on ties. Never candidates:
descriptions of a guarded chapter (infections, neoplasms, endocrine, genitourinary, congenital,
complications of care, health-status factors) unless a word of the phrase names it, and descriptions
of a kind of disease the phrase does not say (`terms.KIND`: stress fracture, benign neoplasm).
"""

from __future__ import annotations

import gzip
import json
import math
import re
import sys
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any

from graph_loader.normalize.diagnoses import terms as terms

DATA_FILE = Path(__file__).resolve().parents[2] / "data" / "icd10cm_index.json.gz"
FORMAT = 4
# Chapters whose descriptions read like a worker's condition but never are one here: pregnancy (15),
# perinatal (16) and external causes ("Fall from ladder", 20) would win phrases such as "work fall".
SKIP_CHAPTERS = {"15", "16", "20"}
# Chapters a musculoskeletal, injury or nerve phrase cannot mean unless it names their concept
# (infections, neoplasms and blood, endocrine, genitourinary, congenital, complications of care,
# health-status factors): "strain" must not reach "financial strain", nor "de Quervain" thyroiditis.
GUARDED = ("AB", "CD", "E", "N", "Q", "T8", "Z")
# A phrase names a guarded chapter when a fifth or more of the descriptions one of its words occurs
# in are that chapter's ("gonococcal", "kidney", "malignant"; never "strain", "synovitis", "tear").
NAMES_CHAPTER = 0.2


def chapter_group(code: str) -> str:
    if code.startswith("T8"):
        return "T8"
    return {"A": "AB", "B": "AB", "C": "CD", "D": "CD"}.get(code[:1], code[:1])


@dataclass(frozen=True)
class Entry:
    code: str  # without dot: "S161"
    description: str
    parent: str | None
    seventh: str  # the 7th characters the code takes ("ADS"), "" when none


class Index:
    """Built from the data file; everything per token or per document was computed by `derive()` when
    the file was written, so a process only turns lists into sets."""

    def __init__(self, data: dict[str, Any]) -> None:
        suffixes: list[str] = data["suffixes"]
        self.entries: dict[str, Entry] = {}
        self.suffixes: dict[str, str] = {}
        for code, desc, parent, seventh, _docs, ext in data["codes"]:
            self.entries[code] = Entry(code, desc, parent, seventh)
            for letter, k in zip(seventh, ext, strict=True):
                self.suffixes[code + letter] = suffixes[k]
        d = data["derived"]
        self.idf: dict[str, float] = d["idf"]
        self.postings = {t: frozenset(ids) for t, ids in d["postings"].items()}
        self.doc_code: list[str] = d["doc_code"]
        self.doc_size: list[int] = d["doc_size"]
        self.doc_weight: list[float] = d["doc_weight"]
        self.doc_rank = [
            (leaf, len(c), other, c) for c, (leaf, other) in zip(self.doc_code, d["doc_flags"], strict=True)
        ]
        # Each description's place in the preference order (fewest words, leaf, shortest code,
        # lightest), so picking among candidates is one C-level min() over a list lookup.
        order = sorted(
            range(len(self.doc_code)), key=lambda i: (self.doc_size[i], self.doc_rank[i], self.doc_weight[i])
        )
        self.doc_pos = [0] * len(order)
        for pos, i in enumerate(order):
            self.doc_pos[i] = pos
        groups: dict[str, set[int]] = {g: set() for g in GUARDED}
        for i, c in enumerate(self.doc_code):
            g = chapter_group(c)
            if g in groups:
                groups[g].add(i)
        self.group_docs = {g: frozenset(d) for g, d in groups.items()}
        self._excluded: dict[frozenset[str], frozenset[int]] = {}

    def excluded(self, q: list[str]) -> tuple[frozenset[int], ...]:
        """Descriptions of the guarded chapters the phrase does not name, of the kinds of disease it does
        not say (a "fracture" is no stress fracture, a "colon" resection no neoplasm), and of body sites
        other than the ones it names (terms.SITE_GROUPS): sets a search takes away from its candidates
        one by one (never joined: each is cached apart, and a candidate list is small)."""
        named = set().union(*(self._names(t) for t in q if terms.counts_for_coverage(t)))
        key = (frozenset(GUARDED) - named) | (terms.KIND - set(q))
        if key not in self._excluded:
            self._excluded[key] = frozenset().union(
                *(self.group_docs[g] if g in self.group_docs else self.postings.get(g, ()) for g in key)
            )
        others = terms.other_sites(terms.SITES.intersection(q))
        if not others:
            return (self._excluded[key],)
        return (self._excluded[key], self._elsewhere(others))

    @lru_cache(maxsize=1024)  # noqa: B019 - one Index per process
    def _elsewhere(self, others: frozenset[str]) -> frozenset[int]:
        """Descriptions naming one of the sites `others` and none of the rest: another place."""
        # By the sites each description names, worked out once: a new set of sites joins the few
        # descriptions it takes, not all 18,000 that name a site (a few milliseconds each time).
        bits, by_sites = self._by_sites
        wanted = sum(bits[t] for t in others)
        return frozenset().union(
            *(docs for named, docs in by_sites.items() if named & wanted and not named & ~wanted)
        )

    @cached_property
    def _by_sites(self) -> tuple[dict[str, int], dict[int, frozenset[int]]]:
        """A bit per site, and the descriptions naming each combination of sites (by its bits)."""
        bits = {t: 1 << i for i, t in enumerate(sorted(terms.SITES))}
        named: dict[int, int] = {}
        for t, bit in bits.items():
            for doc in self.postings.get(t, ()):
                named[doc] = named.get(doc, 0) | bit
        docs: dict[int, set[int]] = {}
        for doc, combination in named.items():
            docs.setdefault(combination, set()).add(doc)
        return bits, {combination: frozenset(d) for combination, d in docs.items()}

    @lru_cache(maxsize=8192)  # noqa: B019 - one Index per process
    def _names(self, token: str) -> frozenset[str]:
        """The guarded chapters a word names: a fifth or more of its descriptions are theirs."""
        p = self.postings[token]
        return frozenset(g for g, docs in self.group_docs.items() if len(p & docs) >= NAMES_CHAPTER * len(p))

    def pick_within(self, prefix: str, query: list[str]) -> str | None:
        """The code under `prefix` (no dot) whose description shares most of the phrase's words: side,
        level and site narrow a code a concept table chose ("left" cubital tunnel is G56.22)."""
        docs = self._docs_under(prefix)
        if not docs:
            return prefix if prefix in self.entries else None
        q = [t for t in dict.fromkeys(query) if t in self.postings]

        def key(doc: int) -> tuple[float, int, int]:
            # Most of the phrase's words, then a billable leaf, then the fewest other words.
            matched = sum(self.idf[t] for t in q if doc in self.postings[t])
            return (-matched, self.doc_rank[doc][0], self.doc_pos[doc])

        return self.doc_code[min(docs, key=key)]

    @lru_cache(maxsize=1024)  # noqa: B019 - one Index per process
    def _docs_under(self, prefix: str) -> tuple[int, ...]:
        # The codes starting with `prefix` are one run of the sorted codes: two bisections, not a
        # pass over every description (which was most of an unseen letter's parse).
        codes, docs = self._by_code
        run = docs[bisect_left(codes, prefix) : bisect_left(codes, prefix + "\uffff")]
        return tuple(sorted(run))

    @cached_property
    def _by_code(self) -> tuple[list[str], list[int]]:
        """The descriptions' codes in order, and each one's description."""
        order = sorted(range(len(self.doc_code)), key=self.doc_code.__getitem__)
        return [self.doc_code[i] for i in order], order

    def search(self, query: list[str]) -> str | None:
        """The best code (without dot) for a token list, or None when no condition word matches."""
        q = [t for t in dict.fromkeys(query) if t in self.postings]
        without = self.excluded(q)
        found = self._search(q, without)
        if found is None:
            return None
        matched, doc = found
        # A region the code set names more broadly: "knee" strain is coded at lower leg level, and a
        # bare "knee injury" is the unspecified injury of the lower leg, not the crushing injury of the
        # knee that a narrow match finds.
        for t in q:
            wider = terms.WIDER_REGION.get(t)
            if wider and (t not in matched or self._marked(doc, q)):
                retry = self._search(
                    [w for w in q if w != t] + [w for w in wider if w in self.postings], without
                )
                if retry and not self._marked(retry[1], q):
                    gain = sum(self.idf[w] for w in retry[0]) - sum(self.idf[w] for w in matched)
                    if gain > 0 or (t in matched and self._marked(doc, q)):
                        matched, doc = retry
        total = sum(self.idf[t] for t in q if terms.counts_for_coverage(t))
        got = sum(self.idf[t] for t in matched if terms.counts_for_coverage(t))
        if got < terms.MIN_COVERAGE * total:
            return None
        return self.doc_code[doc]

    def _search(self, q: list[str], without: tuple[frozenset[int], ...]) -> tuple[list[str], int] | None:
        anchors = sorted((t for t in q if terms.is_condition(t)), key=lambda t: len(self.postings[t]))
        if {t for t in q if not t.isdigit()} - {"right", "left", "bilateral"} <= terms.GENERIC:
            return None
        best: tuple[tuple[float, float, int], list[str], int] | None = None
        # Anatomy and conditions narrow before sides and modifiers, rarest first.
        order = sorted(q, key=lambda t: (not terms.counts_for_coverage(t), len(self.postings[t])))
        for anchor in anchors[:3]:
            start = self.postings[anchor].difference(*without)
            if not start:
                continue
            rest = [t for t in order if t != anchor]
            tries = [rest]
            for attempt in range(4):
                matched, doc = self._greedy(anchor, start, tries[attempt])
                skipped = [t for t in rest if t not in matched]
                # Conditions and anatomy matched first; sides and modifiers only break ties.
                content = sum(self.idf[t] for t in matched if terms.counts_for_coverage(t))
                weight = sum(self.idf[t] for t in matched)
                key = (-content, -weight, self.doc_pos[doc])
                if best is None or key < best[0]:
                    best = (key, matched, doc)
                # A token skipped because a rarer one came first may match better put first.
                if attempt + 1 >= len(tries) and skipped and len(tries) == 1:
                    tries += [[s, *(t for t in rest if t != s)] for s in skipped[:3]]
                if attempt + 1 >= len(tries):
                    break
        return (best[1], best[2]) if best else None

    def _marked(self, doc: int, q: list[str]) -> bool:
        """The description adds a qualifier the phrase does not say ("crushing", "stress")."""
        return any(m not in q and doc in self.postings.get(m, ()) for m in terms.MARKED)

    def _greedy(self, anchor: str, cand: frozenset[int], rest: list[str]) -> tuple[list[str], int]:
        matched = [anchor]
        for t in rest:
            inter = cand & self.postings[t]
            if inter:
                cand = inter
                matched.append(t)
        # Fewest words the phrase did not say, then a billable leaf, the shortest code, the lightest.
        return matched, min(cand, key=self.doc_pos.__getitem__)

    def with_seventh(self, code: str, encounter: str = "A") -> str:
        """The billable form of an injury code: S161 -> S16.1XXA (7th character after X placeholders)."""
        e = self.entries[code]
        if not e.seventh:
            return add_dot(code)
        letter = encounter if encounter in e.seventh else e.seventh[0]
        return add_dot(code.ljust(6, "X") + letter)

    def description(self, code: str) -> str:
        plain = code.replace(".", "")
        if len(plain) == 7 and "-" not in plain:
            base = plain[:6].rstrip("X")
            e = self.entries.get(base)
            return e.description + self.suffixes.get(base + plain[6], "") if e else code
        e = self.entries.get(plain)
        return e.description if e else code

    def is_valid(self, code: str) -> bool:
        plain = code.replace(".", "")
        if plain in self.entries:
            return True
        if len(plain) == 7 and "-" not in plain:
            base = self.entries.get(plain[:6].rstrip("X"))
            return base is not None and plain[6] in base.seventh
        return False

    def ancestors(self, code: str) -> list[str]:
        """Parents up to the chapter, nearest first (codes without dot, blocks as "M50-M54")."""
        out: list[str] = []
        plain = code.replace(".", "")
        cur = self.entries.get(plain[:6].rstrip("X") if len(plain) == 7 and "-" not in plain else plain)
        if cur and len(plain) == 7 and "-" not in plain:
            out.append(cur.code)
        # A block holding one category is named like it ("M99", "T14"): the index keeps the category,
        # whose parent is then itself. Stop there rather than loop; icd_chain completes the chain.
        while cur and cur.parent and cur.parent != cur.code:
            out.append(cur.parent)
            cur = self.entries.get(cur.parent)
        return out


_OTHER = re.compile(r"other\b|.*\bother (?:muscle|specified|part|site)", re.I)


def derive(rows: list[list[Any]]) -> dict[str, Any]:
    """The token index of the code rows: postings, idf, and per description its code, size, weight
    and tie-break flags."""
    parents = {r[2] for r in rows if r[2]}
    descriptions = {r[0]: r[1] for r in rows}
    docs: list[tuple[str, frozenset[str]]] = [
        (code, frozenset(joined.split()))
        for code, _d, _p, _s, token_docs, _e in rows
        for joined in token_docs
    ]
    postings: dict[str, list[int]] = {}
    for i, (_, toks) in enumerate(docs):
        for t in sorted(toks):
            postings.setdefault(t, []).append(i)
    n = len(docs)
    # Rounded and summed in sorted order, so the file is the same whatever the process's hash seed.
    idf = {t: round(math.log(n / len(p)) + 1.0, 6) for t, p in sorted(postings.items())}
    return {
        "idf": idf,
        "postings": dict(sorted(postings.items())),
        "doc_code": [c for c, _ in docs],
        # A qualifier the phrase does not say ("stress" fracture) counts twice against a code.
        "doc_size": [len(toks) + len(toks & terms.MARKED) for _, toks in docs],
        "doc_weight": [round(sum(idf[t] for t in sorted(toks)), 6) for _, toks in docs],
        # Ties: a billable leaf, the shorter code, "unspecified" before "other" (a phrase that names no
        # particular muscle or site is the unspecified one), then code order.
        "doc_flags": [[int(c in parents), int(_OTHER.match(descriptions[c]) is not None)] for c, _ in docs],
    }


def add_dot(code: str) -> str:
    return code if len(code) <= 3 or "-" in code else f"{code[:3]}.{code[3:]}"


def _codable(code: str) -> bool:
    return "-" not in code and len(code) >= 3 and not code.isdigit()


@cache
def index() -> Index:
    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as f:
        data = json.load(f)
    return Index(data)


@lru_cache(maxsize=65536)
def search_tokens(query: tuple[str, ...]) -> str | None:
    # Letters repeat phrasing ("lumbar radiculopathy"), so most searches are answered here.
    return index().search(list(query))


# ---- building the data file (needs simple-icd-10-cm; not used at parse time) -----------------------


def build_rows() -> dict[str, Any]:
    import importlib.metadata

    import simple_icd_10_cm as icd

    rows: list[list[Any]] = []
    suffixes: dict[str, int] = {}
    for code in icd.get_all_codes(False):
        if icd.is_extended_subcategory(code):
            continue
        kids = sorted(
            (k for k in icd.get_children(code) if icd.is_extended_subcategory(k)), key=lambda k: k[-1]
        )
        seventh = "".join(k[-1] for k in kids)
        parent = str(icd.get_parent(code)).replace(".", "") or None
        desc = str(icd.get_description(code))
        # Token lists are stored, not recomputed per process: tokenizing 60,000 texts takes seconds.
        docs: list[str] = []
        chapter = next((a for a in icd.get_ancestors(code) if icd.is_chapter(a)), code)
        if _codable(code) and chapter not in SKIP_CHAPTERS:
            for text in (desc, *map(str, icd.get_inclusion_term(code))):
                joined = " ".join(dict.fromkeys(terms.tokens(text)))
                if joined and joined not in docs:
                    docs.append(joined)
        # What each 7th character adds to the description (", initial encounter"), as indexes into a
        # shared table: the same dozen phrases recur over thousands of injury codes.
        ext = [str(icd.get_description(k)).removeprefix(desc) for k in kids]
        rows.append([code, desc, parent, seventh, docs, [suffixes.setdefault(e, len(suffixes)) for e in ext]])
    return {
        "format": FORMAT,
        "source": f"simple-icd-10-cm {importlib.metadata.version('simple-icd-10-cm')}",
        "suffixes": list(suffixes),
        "codes": rows,
        "derived": derive(rows),
    }


def dump(data: dict[str, Any]) -> bytes:
    raw = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return gzip.compress(raw, compresslevel=9, mtime=0)


def main(argv: list[str]) -> int:
    if argv[:1] != ["build"]:
        print("usage: python -m graph_loader.normalize.diagnoses.icd_index build", file=sys.stderr)
        return 2
    DATA_FILE.write_bytes(dump(build_rows()))
    print(f"wrote {DATA_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
