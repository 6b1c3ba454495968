"""The code a coder gives each diagnosis phrase of tests/unit/data/diagnosis_phrases.tsv: phrases as
workers' comp records write them, with codes from the ICD-10-CM classification and coding practice (not
from letters). Also: listed regions each get their code, a disc lesion with radiculopathy is M51.1x by
level, and the curated concept table names only codes of the bundled code set."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_loader.extract.fields import diagnoses
from graph_loader.normalize.diagnoses import coding as dx
from graph_loader.normalize.diagnoses import icd_index, terms

TABLE = Path(__file__).resolve().parent / "data" / "diagnosis_phrases.tsv"


def _rows() -> list[tuple[str, str]]:
    rows = []
    for n, line in enumerate(TABLE.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        phrase, expected = line.split("\t")
        rows.append(pytest.param(phrase.replace("\\n", "\n"), expected, id=f"{n}:{phrase[:40]}"))
    return rows


ROWS = _rows()


def _exists(prefix: str) -> bool:
    plain = prefix.replace(".", "")
    return any(code.startswith(plain) for code in icd_index.index().entries)


def test_the_table_is_large_and_mixed() -> None:
    assert len(ROWS) >= 300
    assert sum(1 for r in ROWS if r.values[1] == "-") >= 40


@pytest.mark.parametrize(("phrase", "expected"), ROWS)
def test_phrase_gets_the_coders_code(phrase: str, expected: str) -> None:
    code = dx.code_phrase(phrase)
    if expected == "-":
        assert code is None, f"{phrase!r} is no diagnosis a coder codes, got {code} {dx.description(code)}"
        return
    assert all(_exists(alt) for alt in expected.split("|")), f"{expected} is not in the bundled code set"
    assert code is not None and code.startswith(tuple(expected.split("|"))), (
        f"{phrase!r}: got {code} {dx.description(code) if code else ''}, a coder gives {expected}"
    )
    assert dx.is_valid(code)


def test_concept_table_names_codes_of_the_code_set() -> None:
    for words, code in dx.concepts():
        assert words and code in icd_index.index().entries, (sorted(words), code)


def _coded(summary: str) -> list[tuple[str, str]]:
    return [(d.icd10 or "", d.status) for d in diagnoses(summary, 0)]


def test_listed_spinal_regions_each_get_their_code() -> None:
    got = {
        c[:3]
        for c, _ in _coded("Diagnoses include cervical, thoracic and lumbar myoligamentous injury. Next.")
    }
    assert got >= {"S16", "S29", "S39"} or got >= {"S13", "S23", "S33"}, got
    got = {c for c, _ in _coded("The worker was diagnosed with cervical and lumbar radiculopathy. Next.")}
    assert got == {"M54.12", "M54.16"}


def test_radiculopathy_after_a_region_takes_it() -> None:
    got = {c for c, _ in _coded("Diagnoses include lumbar pain with radiculopathy. Next.")}
    assert "M54.16" in got and "M54.10" not in got
    got = {
        c
        for c, _ in _coded("Diagnoses include lumbar disc herniation, radicul- opathy secondary to it. Next.")
    }
    assert "M54.16" in got and "M54.10" not in got


@pytest.mark.parametrize(
    ("phrase", "code"),
    [
        ("lumbar disc herniation with radiculopathy", "M51.16"),
        ("L4-5 disc protrusion with radicul- opathy", "M51.16"),
        ("thoracic disc herniation with radiculopathy", "M51.14"),
        ("cervical disc herniation with radiculopathy", "M50.10"),
        ("lumbar pain with radiculopathy", "M54.16"),
    ],
)
def test_disc_lesion_with_radiculopathy_by_level(phrase: str, code: str) -> None:
    assert dx.code_phrase(phrase) == code


def test_status_is_read_as_before_and_coding_ignores_it() -> None:
    got = _coded(
        "Diagnoses include possible cubital tunnel, strains, other synovitis and lateral recess. Next."
    )
    assert got == [("G56.20", "rule_out")]
    assert dx.status("history of lumbar radiculopathy") == "history"
    assert dx.code_phrase("history of lumbar radiculopathy") == "M54.16"


def test_guarded_chapters_need_a_word_that_names_them() -> None:
    # The same words with the chapter's own concept named reach it.
    assert dx.category(dx.code_phrase("gonococcal synovitis") or "") == "A54"
    assert dx.category(dx.code_phrase("Hashimoto's thyroiditis") or "") == "E06"
    for phrase in ["other synovitis", "de Quervain's disease", "myocardial infarct", "hamstring strain"]:
        code = dx.code_phrase(phrase)
        assert code is None or icd_index.chapter_group(code) not in icd_index.GUARDED, (phrase, code)


@pytest.mark.parametrize(
    "phrase",
    [
        "left wrist tendinitis",
        "tenosynovitis right wrist",
        "right wrist tendonitis",
        "left hand tendinitis",
        "right ankle tendinitis",
        "left knee tendinitis",
        "right hip bursitis",
        "left elbow lateral epicondylitis",
        "lumbar radiculopathy",
    ],
)
def test_a_code_never_names_a_site_the_phrase_does_not(phrase: str) -> None:
    """A phrase naming a site gets no code about another place ("left wrist tendinitis" once got the
    bicipital tendinitis of the left shoulder): the code names a site of one of the phrase's groups,
    or none (terms.SITE_GROUPS)."""
    code = dx.code_phrase(phrase)
    if code is None:
        return
    named = terms.SITES.intersection(terms.tokens(phrase))
    coded = terms.SITES.intersection(terms.tokens(dx.description(code)))
    assert named, phrase
    assert not coded or not coded <= terms.other_sites(named), f"{phrase!r}: {code} {dx.description(code)}"


def test_sites_of_every_coded_phrase_of_the_table_agree() -> None:
    """The same for every phrase of the table that names a site and gets a code naming one."""
    checked = 0
    for row in ROWS:
        phrase = row.values[0]
        code = dx.code_phrase(phrase)
        named = terms.SITES.intersection(terms.tokens(phrase))
        if code is None or not named:
            continue
        coded = terms.SITES.intersection(terms.tokens(dx.description(code)))
        if coded:
            checked += 1
            assert not coded <= terms.other_sites(named), f"{phrase!r}: {code} {dx.description(code)}"
    assert checked > 200
