"""Read a letter file (text or PDF) into normalized text, or say precisely why it cannot be read."""

from __future__ import annotations

import hashlib
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from graph_loader.errors import ImrGraphError
from graph_loader.seen import SeenSet

MAX_LETTER_BYTES = 5 * 1024 * 1024
LETTER_SUFFIXES = (".txt", ".pdf")


# Typographic characters read as their ASCII forms (NFKC leaves the quotes and dashes alone).
_PUNCTUATION = (
    ("\u00a0", " "),
    ("\u2019", "'"),
    ("\u2018", "'"),
    ("\u201c", '"'),
    ("\u201d", '"'),
    ("\u2013", "-"),
    ("\u2014", "-"),
    ("\ufffd", " "),
)


class LetterReadError(ImrGraphError):
    """The file is not a readable IMR letter; the message is one line naming the problem."""


def normalize_text(raw: str) -> str:
    """One canonical text for both .txt and PDF input; every span refers to this text.

    Blank lines are dropped because PDF text layers have none, so paragraph breaks must not matter.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        # str.translate with a table looks up every character in Python (0.7 ms a letter); a replace
        # per character present is a C pass each.
        for char, ascii_form in _PUNCTUATION:
            if char in text:
                text = text.replace(char, ascii_form)
    # str.split() folds every run of white space in C, much faster than a regex over the text.
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line) + "\n"


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def decode_bytes(data: bytes, name: str) -> str:
    if b"\x00" in data[:4096]:
        raise LetterReadError(f"{name}: binary data, not a text letter")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Letters saved on Windows arrive as cp1252; every byte decodes, so it is the last resort.
        # A guess, so it is said: written here, not returned, because this runs in parser processes
        # (and on Dask workers) whose stderr is the command's, while the Letter and the pipeline's
        # result tuples are a public contract this line must not change.
        sys.stderr.write(f"imr-graph: {name}: not UTF-8; read as Windows-1252\n")
        sys.stderr.flush()
        return data.decode("cp1252", errors="replace")


def read_pdf_text(path: Path) -> str:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path), password="")
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg:
            raise LetterReadError(
                f"{path}: password-protected PDF (not the empty password DWC uses)"
            ) from exc
        raise LetterReadError(f"{path}: not a readable PDF ({exc})") from exc
    try:
        pages = []
        for page in pdf:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        pdf.close()
    text = "\n".join(pages)
    if not text.strip():
        raise LetterReadError(f"{path}: no text layer: scanned PDF, OCR it first")
    return text


def read_letter_text(path: Path) -> str:
    """Raw text of one letter file; raises LetterReadError with a one-line reason."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise LetterReadError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if size == 0:
        raise LetterReadError(f"{path}: empty file")
    if size > MAX_LETTER_BYTES:
        raise LetterReadError(f"{path}: {size / 1e6:.1f} MB is too large for one letter (limit 5 MB)")
    try:
        if path.suffix.lower() == ".pdf":
            return read_pdf_text(path)
        data = path.read_bytes()
    except PermissionError as exc:
        raise LetterReadError(f"{path}: permission denied") from exc
    except OSError as exc:
        raise LetterReadError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if data.startswith(b"%PDF"):
        return read_pdf_text(path)
    return decode_bytes(data, str(path))


def walk_letter_paths(paths: list[Path], seen: SeenSet | None = None) -> Iterator[tuple[Path, str | None]]:
    """Letter files under `paths` as they are found (sorted per folder, each file once), with None, or
    an unreadable entry with its one-line problem. Nothing is collected first: a million files cost
    no memory (`seen`, the resolved paths already given, lives on disk)."""
    own = seen is None
    seen = seen or SeenSet()
    try:
        for root in paths:
            if root.is_dir():
                for path, problem, real in _walk(root):
                    if problem is not None:
                        yield path, problem
                    elif seen.add(real):
                        yield path, None
            elif root.exists():
                if seen.add(str(root.resolve())):
                    yield root, None
            else:
                yield root, f"{root}: no such file or directory"
    finally:
        if own:
            seen.close()


def iter_letter_paths(paths: list[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """`walk_letter_paths` collected: (letter files, unreadable entries), for small inputs."""
    files: list[Path] = []
    problems: list[tuple[Path, str]] = []
    for path, problem in walk_letter_paths(paths):
        if problem is None:
            files.append(path)
        else:
            problems.append((path, problem))
    return files, problems


def _walk(root: Path) -> Iterator[tuple[Path, str | None, str]]:
    """(file, None, its real path) per letter file under `root`, (entry, problem, "") per entry that
    cannot be listed. A file's real path is its folder's, resolved once per folder, and its name, but
    for a symlink: resolving every file (a system call per folder of its path) was most of the walk."""
    import os

    problems: list[tuple[Path, str, str]] = []
    # Folders, not files: a few per ten thousand letters.
    visited: set[Path] = set()

    def onerror(err: OSError) -> None:
        problems.append((Path(err.filename or root), f"{err.filename}: cannot list ({err.strerror})", ""))

    for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=onerror):
        yield from problems
        problems.clear()
        real = Path(dirpath).resolve()
        if real in visited:
            yield Path(dirpath), f"{dirpath}: symlink loop, skipped", ""
            dirnames[:] = []
            continue
        visited.add(real)
        dirnames.sort()
        for name in sorted(filenames):
            if name.lower().endswith(LETTER_SUFFIXES):
                path = os.path.join(dirpath, name)
                yield (
                    Path(path),
                    None,
                    os.path.realpath(path) if os.path.islink(path) else os.path.join(real, name),
                )
    yield from problems
