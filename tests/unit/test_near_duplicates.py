"""The same letter re-posted or edited is one case (graph_loader/load/near_duplicates.py), and a load
keeps the newer letter of each case (graph_loader/load/one_case.py): pure, over parsed letters."""

from __future__ import annotations

import pickle
from dataclasses import fields

from graph_loader.extract.letter import parse_text
from graph_loader.load.near_duplicates import Stamp, near_keys, newer, stamp, warning, why_same
from graph_loader.load.one_case import OneCase
from graph_loader.models import Letter
from tests.reposted_letters import headed

EDIT = ("Physical therapy 1 x 6", "Physical therapy 1 x 6 visits")


def letter(text: str, source: str) -> Letter:
    return parse_text(text, source)


def test_an_edited_letter_with_the_same_case_number_is_one_case_and_the_later_decision_is_kept() -> None:
    first = letter(headed("CM15-0000123"), "a/first.txt")
    edited = letter(headed("CM15-0000123", decided="02/09/2015", edit=EDIT), "a/edited.txt")
    assert first.content_hash != edited.content_hash
    assert why_same(stamp(first), stamp(edited)) == "the same case number CM15-0000123"
    assert newer(stamp(first), stamp(edited)) == stamp(edited)
    # The order they come in does not matter.
    assert newer(stamp(edited), stamp(first)) == stamp(edited)


def test_a_copy_with_its_case_number_removed_is_the_same_case() -> None:
    original = letter(headed("CM15-0000123"), "a/original.txt")
    stripped = letter(headed(None), "b/stripped.txt")
    assert stripped.case_number is None and stripped.letter_id.startswith("sha256:")
    why = why_same(stamp(original), stamp(stripped))
    assert why == (
        "a case number in one only; the same decisions, injury date, patient and decision date and "
        "date assigned"
    )
    # Nothing dates one after the other: the letter that prints its case number is the better record.
    assert newer(stamp(stripped), stamp(original)) == stamp(original)
    assert warning(stamp(original), stamp(stripped), why).startswith(
        "b/stripped.txt: one case with a/original.txt (a case number in one only; "
    )
    assert warning(stamp(original), stamp(stripped), why).endswith("kept the newer letter, a/original.txt")


def test_an_edited_copy_without_case_number_matches_on_the_date_it_kept() -> None:
    original = letter(headed("CM15-0000123"), "a/original.txt")
    # Re-decided later: only the date assigned still agrees; the later decision is kept.
    redecided = letter(headed(None, decided="03/02/2015"), "b/redecided.txt")
    assert why_same(stamp(original), stamp(redecided)) is not None
    assert "date assigned" in (why_same(stamp(original), stamp(redecided)) or "")
    assert newer(stamp(original), stamp(redecided)) == stamp(redecided)


def test_two_patients_with_the_same_items_but_other_dates_are_two_cases() -> None:
    one = letter(headed(None), "a/one.txt")
    # The same items and outcomes, the same age and sex, another injury date.
    other_injury = letter(headed(None, injured="05/14/2010"), "b/other.txt")
    assert why_same(stamp(one), stamp(other_injury)) is None
    # The same injury date, but decided and assigned on other days.
    other_days = letter(headed(None, decided="06/01/2016", assigned="05/03/2016"), "c/other.txt")
    assert why_same(stamp(one), stamp(other_days)) is None
    # Same everything else, but another patient's age.
    older = letter(headed(None, edit=("42-year old", "57-year old")), "d/older.txt")
    assert older.patient.age == 57 and why_same(stamp(one), stamp(older)) is None


def test_two_case_numbers_are_two_cases_whatever_else_agrees() -> None:
    a = letter(headed("CM15-0000123"), "a.txt")
    b = letter(headed("CM15-0000456"), "b.txt")
    assert set(near_keys(stamp(a))) == set(near_keys(stamp(b)))
    assert why_same(stamp(a), stamp(b)) is None


def test_without_an_injury_date_only_the_case_number_identifies_a_letter() -> None:
    undated = letter(headed(None, decided=None, assigned=None), "a.txt")
    assert near_keys(stamp(undated)) == []


def test_a_load_keeps_the_newer_letter_of_each_case_in_any_order() -> None:
    original = stamp(letter(headed("CM15-0000123"), "a/original.txt"))
    stripped = stamp(letter(headed(None), "b/stripped.txt"))
    edited = stamp(letter(headed("CM15-0000123", decided="02/09/2015", edit=EDIT), "c/edited.txt"))
    other = stamp(letter(headed(None, injured="05/14/2010"), "d/other.txt"))
    with OneCase() as cases:
        assert cases.see(stripped).keep
        # The original replaces the copy written before it: the writer takes the copy back.
        verdict = cases.see(original)
        assert verdict.keep and verdict.retract == stripped.letter_id
        assert verdict.warning is not None and "b/stripped.txt" in verdict.warning
        assert cases.see(other).keep and cases.see(other).duplicate
        # The edit replaces the original under the same id; the copy's source moves along.
        verdict = cases.see(edited)
        assert verdict.keep and verdict.retract == "CM15-0000123"
        # A second stripped copy finds the case it belongs to now, and is the older.
        again = stamp(letter(headed(None), "e/stripped-again.txt"))
        assert not cases.see(again).keep
        assert dict(cases.replaced_sources()) == {
            "CM15-0000123": ["b/stripped.txt", "a/original.txt", "e/stripped-again.txt"]
        }


def test_a_stamp_kept_on_disk_comes_back_equal_with_the_same_keys() -> None:
    for original in (
        stamp(letter(headed("CM15-0000123", edit=EDIT), "a/original.txt")),
        stamp(letter(headed(None, decided=None), "b/stripped.txt")),
    ):
        again = Stamp.from_json(original.to_json())
        assert again == original
        assert [getattr(again, f.name) for f in fields(Stamp)] == [
            getattr(original, f.name) for f in fields(Stamp)
        ]
        assert again.near_keys == original.near_keys
        assert pickle.loads(pickle.dumps(original)).near_keys == original.near_keys
