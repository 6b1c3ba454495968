"""Benchmark (not a test): which multi-pattern library finds the project's literals, on the real letters
and the seed samples. The three uses of graph_loader.text.literal_index are timed with each candidate
library, with the mechanism they replaced where it used public `re` only, and with plain `re`:

- cue strings: the ~230 strings the reason cues begin with, at word starts, in every decision
  rationale (lower-cased, as `denial_reasons` reads it);
- extract words: the 14 words the extractors' regexes are found by (ANCHOR, MENTION, TRIGGERS, the
  guideline lines), ignoring ASCII case, in every letter;
- vocabulary: which of the treatment vocabulary's patterns can match each disputed item, then the first
  that does (the classifier's question).

Each cell is CPU microseconds per text (best of --repeat passes) and whether the result equals plain
`re`'s. pyahocorasick and google-re2 are measured only when installed (`pip install pyahocorasick
google-re2`); the figures and the choice are in docs/benchmarks.md, "Literal index: which library".

usage: python -m bench.literal_index_speed [--letters DIR] [--samples DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import importlib
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from graph_loader.extract import decisions, fields, layout
from graph_loader.extract.letter import parse_text
from graph_loader.extract.source import normalize_text, read_letter_text
from graph_loader.normalize.reasons import clauses, rules
from graph_loader.normalize.reasons.cues import Cue
from graph_loader.normalize.treatments.classify import clean_item
from graph_loader.normalize.treatments.vocabulary import vocabulary
from graph_loader.text.literal_index import LiteralIndex, PatternSet

ROOT = Path(__file__).resolve().parents[1]
LIBRARIES = ("hyperscan", "pyahocorasick", "google-re2", "before", "plain re")
WORD = re.compile(r"[a-z0-9']")

Found = Any  # what one implementation gives for one text, compared with plain re's


def _optional(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def _corpus(directory: Path) -> tuple[list[str], list[str], list[str]]:
    """(letters, lower-cased rationales, cleaned items) of the .txt letters in `directory`."""
    letters, rationales, items = [], [], []
    for path in sorted(directory.glob("*.txt")):
        raw = read_letter_text(path)
        text = normalize_text(raw)
        letters.append(text)
        for d in parse_text(raw, str(path)).decisions:
            items.append(clean_item(d.item))
            if d.spans.rationale:
                a, b = d.spans.rationale
                rationales.append(text[a:b].lower().replace("\n", " "))
    return letters, rationales, items


def _cue_strings() -> tuple[str, ...]:
    cues = [v for m in (rules, clauses) for v in vars(m).values() if isinstance(v, Cue)]
    cues += [cue for _, cue in rules._NEGATED_C]
    return tuple(sorted({x for cue in cues for x in cue.literals}))


def _extract_words() -> tuple[str, ...]:
    words = decisions.ANCHOR_WORDS + decisions.MENTION_WORDS + fields.TRIGGER_STARTS + fields.TRIGGER_AFTER
    return tuple(sorted({*words, *layout.GUIDELINE_WORDS.literals}))


def _bounded(text: str, q: int, x: str) -> bool:
    return not (x[0].isalnum() and q and WORD.match(text[q - 1]))


def _trie(words: Sequence[str]) -> str:
    """The previous cue lexicon's regex: the strings factored by common prefix."""
    tree: dict[str, Any] = {}
    for w in words:
        node = tree
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}

    def render(node: dict[str, Any]) -> str:
        parts = [re.escape(c) + render(child) for c, child in sorted(node.items()) if c]
        body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")" if parts else ""
        return "(?:" + body + ")?" if "" in node and body else body

    return render(tree)


def _literal_finders(strings: tuple[str, ...], caseless: bool, word_starts: bool) -> dict[str, Any]:
    """library -> (build, find) for one literal set: `find(text)` gives the set of (position, string)."""
    fold: Callable[[str], str] = str.lower if caseless else str
    keep = _bounded if word_starts else (lambda text, q, x: True)
    out: dict[str, Any] = {}

    def hyperscan() -> Callable[[str], Found]:
        index = LiteralIndex(strings, caseless=caseless, word_starts=word_starts)
        return lambda text: set(index.occurrences(text))

    out["hyperscan"] = hyperscan
    if (aho := _optional("ahocorasick")) is not None:

        def pyahocorasick() -> Callable[[str], Found]:
            automaton = aho.Automaton()
            for x in strings:
                automaton.add_word(x, x)
            automaton.make_automaton()

            def find(text: str) -> Found:
                found = ((end - len(x) + 1, x) for end, x in automaton.iter(fold(text)))
                return {(q, x) for q, x in found if keep(text, q, x)}

            return find

        out["pyahocorasick"] = pyahocorasick
    if (re2 := _optional("re2")) is not None:

        def google_re2() -> Callable[[str], Found]:
            # One alternation, longest first: RE2 gives no overlapping matches, so some are missed.
            alternation = "|".join(re.escape(x) for x in sorted(strings, key=len, reverse=True))
            lead = r"(?:^|[^a-z0-9'])" if word_starts else ""
            regex = re2.compile(f"{lead}({alternation})")
            return lambda text: {(m.start(1), m.group(1)) for m in regex.finditer(fold(text))}

        out["google-re2"] = google_re2

    def before() -> Callable[[str], Found]:
        if word_starts:  # the previous cue lexicon: one prefix-factored regex (overlaps recovered apart)
            # It reports the longest string at each start and goes on after it; the strings starting
            # inside that one are inside it or run past its end, and are checked where they would be.
            regex = re.compile(r"(?<![a-z0-9'])" + _trie(strings))
            nested = {
                x: [
                    (k, y)
                    for y in strings
                    for k in range(len(x))
                    if x.startswith(y, k) or (k and y.startswith(x[k:]))
                ]
                for x in strings
            }

            def find(text: str) -> Found:
                found = set()
                for m in regex.finditer(text):
                    p = m.start()
                    found |= {
                        (p + k, y)
                        for k, y in nested[m.group()]
                        if text.startswith(y, p + k) and keep(text, p + k, y)
                    }
                return found

            return find

        def find_words(text: str) -> Found:  # the previous extract/scan.py: str.find per word
            low, found = fold(text), set()
            for x in strings:
                i = low.find(x)
                while i >= 0:
                    found.add((i, x))
                    i = low.find(x, i + 1)
            return found

        return find_words

    out["before"] = before

    def plain() -> Callable[[str], Found]:
        regexes = [(x, re.compile(f"(?={re.escape(x)})", re.I if caseless else 0)) for x in strings]
        return lambda text: {
            (m.start(), x) for x, r in regexes for m in r.finditer(text) if keep(text, m.start(), x)
        }

    out["plain re"] = plain
    return out


def _vocabulary_finders() -> dict[str, Any]:
    entries = vocabulary().entries
    patterns = [e.pattern for e in entries]

    def first(order: Callable[[str], Sequence[int]]) -> Callable[[str], Found]:
        return lambda text: next((i for i in order(text) if patterns[i].search(text)), None)

    def hyperscan() -> Callable[[str], Found]:
        return first(PatternSet(patterns).candidates)

    out: dict[str, Any] = {"hyperscan": hyperscan}
    if (re2 := _optional("re2")) is not None:

        def google_re2() -> Callable[[str], Found]:
            options = re2.Options()
            options.log_errors = False
            engine = re2.Set.SearchSet(options)
            ids, always = [], set()
            for i, p in enumerate(patterns):
                try:
                    engine.Add(f"(?i){p.pattern}")
                    ids.append(i)
                except re2.error:  # look-arounds: RE2 cannot take them, so they are tried on every item
                    always.add(i)
            engine.Compile()

            def order(text: str) -> list[int]:
                return sorted(always | {ids[j] for j in engine.Match(text) or ()})

            return first(order)

        out["google-re2"] = google_re2
    out["plain re"] = lambda: first(lambda text: range(len(patterns)))
    return out


def _time(find: Callable[[str], Found], texts: list[str], repeat: int) -> tuple[float, list[Found]]:
    best, results = float("inf"), []
    for _ in range(repeat):
        cpu = time.process_time()
        results = [find(t) for t in texts]
        best = min(best, time.process_time() - cpu)
    return 1e6 * best / max(len(texts), 1), results


def run(corpora: dict[str, Path], repeat: int) -> list[dict[str, Any]]:
    # (use, which texts of a corpus: letters 0, rationales 1, items 2, the finders)
    uses: list[tuple[str, int, dict[str, Any]]] = [
        ("cue strings", 1, _literal_finders(_cue_strings(), caseless=False, word_starts=True)),
        ("extract words", 0, _literal_finders(_extract_words(), caseless=True, word_starts=False)),
        ("vocabulary", 2, _vocabulary_finders()),
    ]
    rows = []
    for corpus_name, directory in corpora.items():
        corpus = _corpus(directory)
        for use, which, finders in uses:
            texts = corpus[which]
            if use == "extract words":  # caseless is ASCII folding: a non-ASCII letter is searched plain
                texts = [t for t in texts if t.isascii()]
            row: dict[str, Any] = {"use": use, "corpus": corpus_name, "texts": len(texts)}
            want = _time(finders["plain re"](), texts, 1)[1]
            for library in LIBRARIES:
                if library not in finders:
                    row[library] = None
                    continue
                cpu = time.process_time()
                find = finders[library]()
                build_ms = 1e3 * (time.process_time() - cpu)
                per_text, got = _time(find, texts, repeat)
                wrong = sum(g != w for g, w in zip(got, want, strict=True))
                row[library] = (per_text, wrong, build_ms)
            rows.append(row)
    return rows


def _table(rows: list[dict[str, Any]]) -> str:
    head = "| use | corpus | texts | " + " | ".join(LIBRARIES) + " |"
    lines = [head, "|" + " --- |" * (3 + len(LIBRARIES))]
    for row in rows:
        cells = []
        for library in LIBRARIES:
            cell = row[library]
            if cell is None:
                cells.append("n/a")
                continue
            per_text, wrong, build_ms = cell
            verdict = "equal" if not wrong else f"{wrong} differ"
            cells.append(f"{per_text:.1f} µs ({verdict}; build {build_ms:.0f} ms)")
        lines.append(f"| {row['use']} | {row['corpus']} | {row['texts']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--letters", type=Path, default=ROOT.parent / "shared" / "letters" / "dev")
    parser.add_argument("--samples", type=Path, default=ROOT / "samples" / "letters")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    corpora = {name: d for name, d in (("dev", args.letters), ("samples", args.samples)) if d.is_dir()}
    missing = [m for m, name in (("ahocorasick", "pyahocorasick"), ("re2", "google-re2")) if not _optional(m)]
    if missing:
        print(f"not installed, not measured: {', '.join(missing)}")
    print(_table(run(corpora, args.repeat)))
    print(
        "\nµs: CPU microseconds per text, best of the passes; 'equal': every text's result equals plain re's."
    )


if __name__ == "__main__":
    main()
