"""Reviewer certifications map to canonical specialty names; printed forms are kept, fragments never
become specialties."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph_loader.extract import fields
from graph_loader.extract.letter import parse_file, parse_text
from graph_loader.normalize import specialties as sp
from graph_loader.normalize.specialties import canonical, canonical_names, certifications

DATA = Path(sp.__file__).resolve().parents[1] / "data" / "specialties.json"


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("Physical Medicine & Rehabilitation", "Physical Medicine and Rehabilitation"),
        ("Physical Medicine Rehabilitation", "Physical Medicine and Rehabilitation"),
        ("Physical Medicine and Rehabilitation", "Physical Medicine and Rehabilitation"),
        ("PM&R", "Physical Medicine and Rehabilitation"),
        ("physical medicine and rehab", "Physical Medicine and Rehabilitation"),
        ("Orthopaedic Surgery", "Orthopedic Surgery"),
        ("Family Medicine", "Family Practice"),
        ("Pain Medicine", "Pain Management"),
        ("Hospice & Palliative Medicine", "Hospice and Palliative Medicine"),
        ("Public Health & General Preventive Medicine", "Public Health and General Preventive Medicine"),
        ("Sports Medicinea", "Sports Medicine"),
        ("Licensed Chiropractor", "Chiropractor"),
        ("Doctor of Chiropractic", "Chiropractor"),
        ("Clinical Psychology", "Psychologist"),
        ("Licensed Acupuncturist", "Acupuncturist"),
        ("Podiatric Surgery", "Podiatrist"),
        ("Physical Therapy", "Physical Therapist"),
        ("American Board of Anesthesiology", "Anesthesiology"),
    ],
)
def test_printed_variants_map_to_one_name(printed: str, name: str) -> None:
    assert canonical(printed) == name


@pytest.mark.parametrize(
    "fragment", ["Occupational", "Public Health &", "Medicine", "General", "and", "Physical", "Surgery of"]
)
def test_fragments_match_nothing(fragment: str) -> None:
    assert canonical(fragment) is None


def test_vocabulary_is_consistent() -> None:
    raw = json.loads(DATA.read_text())
    names = [e["name"] for e in raw["entries"]]
    assert len(names) == len(set(names)) >= 150
    kinds = {e["kind"] for e in raw["entries"]}
    assert kinds == {"specialty", "subspecialty", "licensed profession", "other certification"}
    # Every alias resolves to its own entry: no variant is claimed by two names.
    for entry in raw["entries"]:
        for alias in entry["aliases"]:
            assert canonical(alias) == entry["name"], alias
    for board in ("Dentist", "Optometrist", "Pharmacist", "Registered Nurse", "Psychologist", "Podiatrist"):
        assert board in canonical_names()
    pain = sp.describe("Pain Management")
    assert pain is not None and pain.kind == "subspecialty" and pain.abms_name == "Pain Medicine"
    assert "American Board of Anesthesiology" in pain.boards
    assert sp.describe("Sports Medicinea") is None


def test_wrapped_list_is_joined_before_matching() -> None:
    text = "Certification(s)/Specialty: Preventive Medicine, Public Health &\nGeneral Preventive Medicine\n"
    start = text.index(":") + 1
    certs = certifications(text, start, len(text))
    assert [c.specialty for c in certs] == [
        "Preventive Medicine",
        "Public Health and General Preventive Medicine",
    ]
    assert certs[1].printed == "Public Health & General Preventive Medicine"
    assert text[certs[1].span[0] : certs[1].span[1]].startswith("Public Health &\nGeneral")


def test_and_splits_only_when_the_whole_is_not_a_name() -> None:
    text = "Internal Medicine and Pulmonary Disease; Physical Medicine and Rehabilitation"
    assert [c.specialty for c in certifications(text, 0, len(text))] == [
        "Internal Medicine",
        "Pulmonary Disease",
        "Physical Medicine and Rehabilitation",
    ]


def test_unknown_certification_is_kept_printed_and_warned_never_a_specialty() -> None:
    sample = sorted(Path(__file__).resolve().parents[2].joinpath("samples", "letters").glob("*.txt"))[0]
    raw = sample.read_text().replace(
        "Board Certified in Interventional Spine", "Board Certified in Underwater Basket Weaving"
    )
    letter = parse_text(raw, "x.txt")
    assert letter.reviewer.specialties == []
    assert [(c.specialty, c.printed) for c in letter.reviewer.certifications] == [
        (None, "Underwater Basket Weaving")
    ]
    assert (
        "reviewer certification 'Underwater Basket Weaving' is not on the specialty list" in letter.warnings
    )


def _letters(shared: Path) -> list[Path]:
    return sorted((shared / "letters" / "seed").glob("*.txt")) + sorted(
        (shared / "letters" / "dev").glob("*.txt")
    )


def test_shared_letters_every_specialty_is_canonical_and_none_is_lost(shared_dir: Path) -> None:
    names = canonical_names()
    paths = _letters(shared_dir)
    assert len(paths) >= 99
    for path in paths:
        letter = parse_file(path)
        prints_one = "Board Certified" in letter.text or "Certification(s)/Specialty" in letter.text
        assert set(letter.reviewer.specialties) <= names, path.name
        if prints_one:
            assert letter.reviewer.specialties, path.name
        for cert in letter.reviewer.certifications:
            assert cert.specialty is not None, (path.name, cert.printed)
            s, e = cert.span
            assert " ".join(letter.text[s:e].split()) == cert.printed


@pytest.mark.parametrize(
    ("prose", "names"),
    [
        (
            "The physician reviewer is Board Certified in Orthopedic Surgery, has a subspecialty in Surgery of "
            "the Hand and is licensed to practice in California.",
            ["Orthopedic Surgery", "Surgery of the Hand"],
        ),
        (
            "The expert reviewer is a Licensed Chiropractor and Acupuncturist and is licensed to practice in "
            "California.",
            ["Chiropractor", "Acupuncturist"],
        ),
        (
            "The Expert Reviewer is Licensed in Psychology, has a subspecialty in Clinical Psychology and is "
            "licensed to practice in California.",
            ["Psychologist"],
        ),
        (
            "The physician reviewer is Board Certified in Internal Medicine, has a subspecialty in\n\n"
            "Cardiovascular Disease and Interventional Cardiology and is licensed to practice in Arizona.",
            ["Internal Medicine", "Cardiovascular Disease", "Interventional Cardiology"],
        ),
        (
            "The reviewer is Board Certified in Obstetrics and Gynecology and is licensed to practice in Ohio.",
            ["Obstetrics and Gynecology"],
        ),
        ("The expert reviewer is licensed to practice in California.", []),
    ],
)
def test_prose_qualifications(prose: str, names: list[str]) -> None:
    warnings: list[str] = []
    reviewer = fields.reviewer(prose, 100, warnings)
    assert reviewer.specialties == names
    assert reviewer.licensure_states
    assert not warnings
    for cert in reviewer.certifications:
        s, e = cert.span
        assert " ".join(prose[s - 100 : e - 100].split()) == cert.printed


def test_certification_line_stops_at_the_next_line_that_is_not_part_of_it() -> None:
    text = (
        "Certification(s)/Specialty: Physical Medicine & Rehabilitation, Pain Management, Occupational\n"
        "Medicine\nCLINICAL CASE SUMMARY\nThe expert reviewer developed the following summary.\n"
    )
    reviewer = fields.reviewer(text, 0, [])
    assert reviewer.specialties == [
        "Physical Medicine and Rehabilitation",
        "Pain Management",
        "Occupational Medicine",
    ]
    one_line = (
        "Certification(s)/Specialty: Family Practice\nThe expert reviewer developed a summary of the case.\n"
    )
    assert fields.reviewer(one_line, 0, []).specialties == ["Family Practice"]


def test_every_abms_member_board_is_there() -> None:
    raw = json.loads(DATA.read_text())
    boards = {b for e in raw["entries"] if e["kind"] in ("specialty", "subspecialty") for b in e["boards"]}
    assert len(boards) == 24
    assert all(b.startswith("American Board of ") for b in boards)
