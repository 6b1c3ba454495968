"""Bad input gets one clear line naming the file and the problem, and never costs the good letters."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pypdf
import pytest

from graph_loader.extract.letter import NotALetter, parse_file
from graph_loader.extract.source import LetterReadError, iter_letter_paths
from tests.helpers import blank_pdf

SAMPLE = sorted((Path(__file__).resolve().parents[2] / "samples" / "letters").glob("*.txt"))[0]


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    with pytest.raises(LetterReadError, match=r"blank\.pdf: no text layer: scanned PDF, OCR it first"):
        parse_file(blank_pdf(tmp_path / "blank.pdf"))


def test_password_protected_pdf(tmp_path: Path) -> None:
    writer = pypdf.PdfWriter(clone_from=str(blank_pdf(tmp_path / "plain.pdf")))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as fh:
        writer.write(fh)
    with pytest.raises(LetterReadError, match=r"locked\.pdf: password-protected PDF"):
        parse_file(locked)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty file"),
        ("junk.txt", bytes(range(256)) * 4, "binary data, not a text letter"),
        ("page.txt", b"<html><body><h1>404 Not Found</h1></body></html>", "not an IMR determination letter"),
        ("junk.pdf", b"%PDF-1.4 this is not really a pdf", "not a readable PDF"),
    ],
)
def test_bad_files_are_named_with_their_problem(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(LetterReadError) as info:
        parse_file(path)
    assert str(info.value).startswith(str(path)) and message in str(info.value)


def test_truncated_letter_without_decisions(tmp_path: Path) -> None:
    text = SAMPLE.read_text()
    path = tmp_path / "truncated.txt"
    path.write_text(text[: text.index("IMR ISSUES")])
    with pytest.raises(NotALetter, match="no decision blocks found"):
        parse_file(path)


def test_cp1252_bytes_are_read(tmp_path: Path) -> None:
    path = tmp_path / "windows.txt"
    path.write_bytes(SAMPLE.read_text().replace("He/she", "He\u2019s").encode("cp1252"))
    assert parse_file(path).decisions


def test_oversized_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    with pytest.raises(LetterReadError, match="too large for one letter"):
        parse_file(path)


def test_symlink_loop_and_duplicates_in_folders(tmp_path: Path) -> None:
    shutil.copy(SAMPLE, tmp_path / "a.txt")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "loop").symlink_to(tmp_path, target_is_directory=True)
    files, problems = iter_letter_paths([tmp_path])
    assert [p.name for p in files] == ["a.txt"]
    assert any("symlink loop" in message for _, message in problems)


def test_a_letter_reached_through_symlinks_is_walked_once(tmp_path: Path) -> None:
    # A file symlink beside its target, a folder symlink to the same folder, and the target file
    # given again on its own: one letter.
    (tmp_path / "letters").mkdir()
    shutil.copy(SAMPLE, tmp_path / "letters" / "a.txt")
    (tmp_path / "letters" / "b.txt").symlink_to(tmp_path / "letters" / "a.txt")
    (tmp_path / "alias").symlink_to(tmp_path / "letters", target_is_directory=True)
    files, problems = iter_letter_paths(
        [tmp_path / "letters", tmp_path / "alias", tmp_path / "letters" / "a.txt"]
    )
    assert [p.relative_to(tmp_path).as_posix() for p in files] == ["letters/a.txt"]
    assert problems == []


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.txt"
    shutil.copy(SAMPLE, path)
    path.chmod(0)
    if os.geteuid() == 0:  # root reads anything: make the read fail as it would for a user
        real = Path.read_bytes

        def deny(self: Path) -> bytes:
            if self == path:
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(Path, "read_bytes", deny)
    with pytest.raises(LetterReadError, match=r"secret\.txt: permission denied"):
        parse_file(path)


def test_discovery_streams_and_names_each_file_once(tmp_path: Path) -> None:
    from graph_loader.extract.source import walk_letter_paths

    for i in range(3):
        shutil.copy(SAMPLE, tmp_path / f"{i}.txt")
    walk = walk_letter_paths([tmp_path, tmp_path / "1.txt", tmp_path / "missing.txt"])
    first = next(walk)
    assert first == (tmp_path / "0.txt", None), "the first file comes before the walk ends"
    rest = list(walk)
    assert [p.name for p, problem in rest if problem is None] == ["1.txt", "2.txt"]
    assert [problem for _, problem in rest if problem] == [
        f"{tmp_path / 'missing.txt'}: no such file or directory"
    ]


def test_seen_set_lives_on_disk_and_answers_membership() -> None:
    from graph_loader.seen import SeenSet

    with SeenSet() as seen:
        assert seen.add("a") and not seen.add("a") and seen.add("b")
        for i in range(25_000):  # past a commit boundary
            seen.add(f"id-{i}")
        assert "id-24999" in seen and "id-25000" not in seen and seen.count == 25_002
