"""The bulk CSV files' bytes: the per-column formatters compiled from graph_schema write exactly what
`csv_line` writes, and rendering letters in the parse workers writes exactly what rendering them in
one process writes."""

from __future__ import annotations

import enum
import filecmp
import shutil
from pathlib import Path
from typing import Any

import pytest

from bench.synth import generate
from graph_loader.extract.letter import parse_file, parse_text
from graph_loader.extract.parallel import PARALLEL_THRESHOLD
from graph_loader.graph.declaration import GRAPH
from graph_loader.graph.embedding import embed
from graph_loader.graph.rows import LetterRows, Row, letter_rows
from graph_loader.load.bulk.csv_format import (
    ARRAY_DELIMITER,
    NODE_FORMATS,
    QUOTE,
    REL_FORMATS,
    SPANNING_FILES,
    LineFormat,
    _empty_list_as_null,
    column_format,
    csv_field,
    csv_key,
    csv_line,
    splits_cleanly,
)
from graph_loader.load.bulk.csv_writer import CsvGraphWriter
from graph_loader.load.pipeline import LoadSummary, write_letters
from graph_loader.load.render import render, shared_rows
from graph_loader.load.sources import LetterFiles, ParseOutput
from tests.helpers import SAMPLES


class Voice(enum.StrEnum):
    IMR = "IMR_REVIEWER"


AWKWARD: list[Any] = [
    None,
    "",
    "plain",
    'say "hi"',
    '"',
    '""',
    "a,b",
    "line\nbreak",
    "crlf\r\nend",
    f"array{ARRAY_DELIMITER}delimiter",
    "ünïcode — 10/325 mg",
    " padded ",
    True,
    False,
    0,
    -3,
    2**70,
    1.5,
    -0.0,
    1e-12,
    float("nan"),
    [],
    [""],
    ['a"b', "c,d", "e\nf", f"x{ARRAY_DELIMITER}y"],
    [None],
    [1, 2, 30],
    [True, False],
    [0.1, -0.0, 1e-12, 2.0],
    embed([("dx", "M54.5"), ("treatment", "Norco"), ("section", "mtus#opioids")]),
    ("a", "b"),
    (),
    Voice.IMR,
    {"k": 1},
]


def _reference(values: list[Any], fmt: LineFormat | None = None) -> str:
    # What the bulk writer wrote before it had formatters; a file whose values span lines starts
    # with csv_key's key.
    if fmt is not None and fmt.spans_lines and fmt.columns[0][1] is csv_key:
        key, *rest = values
        return csv_key(key) + ("," + csv_line(_empty_list_as_null(v) for v in rest) if rest else "\n")
    return csv_line(_empty_list_as_null(v) for v in values)


@pytest.mark.parametrize(
    "prop_type", ["string", "long", "boolean", "double", "string[]", "long[]", "double[]"]
)
@pytest.mark.parametrize("value", AWKWARD, ids=repr)
def test_a_column_formatter_writes_csv_field_bytes_for_any_value(prop_type: str, value: Any) -> None:
    assert column_format(prop_type)(value) + "\n" == _reference([value])


def test_every_file_line_equals_csv_line_for_awkward_rows() -> None:
    formats = [*NODE_FORMATS.values(), *REL_FORMATS.values()]
    for fmt in formats:
        for shift in range(len(AWKWARD)):
            names = [name for name, _ in fmt.columns]
            row = {name: AWKWARD[(shift + i) % len(AWKWARD)] for i, name in enumerate(names)}
            assert fmt.line(row) == _reference([row[name] for name in names], fmt)


@pytest.fixture(scope="module")
def letters_rows() -> list[LetterRows]:
    rows = [letter_rows(parse_file(p)) for p in sorted(SAMPLES.glob("*.txt"))]
    return rows + [letter_rows(parse_text(s.text, s.name)) for s in generate(40, seed=11)]


def test_every_row_of_real_letters_renders_as_csv_line(letters_rows: list[LetterRows]) -> None:
    for lr in letters_rows:
        for n in GRAPH.nodes:
            fmt = NODE_FORMATS[n.label]
            for row in lr.nodes[n.label]:
                assert fmt.line(row) == _reference([row[name] for name, _ in fmt.columns], fmt), n.label
        for r in GRAPH.relationships:
            fmt = REL_FORMATS[r.type]
            for row in lr.relationships[r.type]:
                assert fmt.line(row) == _reference([row[name] for name, _ in fmt.columns], fmt), r.type


def test_a_rendered_letters_shared_rows_unpack_to_their_keys_and_lines(
    letters_rows: list[LetterRows],
) -> None:
    files = {n.file: NODE_FORMATS[n.label] for n in GRAPH.nodes if n.scope == "shared"}
    files |= {r.file: REL_FORMATS[r.type] for r in GRAPH.relationships if r.scope == "shared"}
    for lr in letters_rows:
        tables = {n.file: lr.nodes[n.label] for n in GRAPH.nodes} | {
            r.file: lr.relationships[r.type] for r in GRAPH.relationships
        }
        rendered = render(lr)
        assert set(rendered.shared) == {f for f in files if tables[f]}
        for file, (text, bounds) in rendered.shared.items():
            fmt, rows = files[file], tables[file]
            first: dict[Any, Row] = {}
            for row in rows:
                first.setdefault(fmt.key(row), row)  # a letter's first row per key is the one kept
            key_fields = fmt.columns[: len(fmt.key_columns)]
            expected = [
                (",".join(csv_field(row[name]) for name, _ in key_fields), fmt.line(row))
                for row in first.values()
            ]
            assert list(shared_rows(text, bounds)) == expected, file


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for s in generate(PARALLEL_THRESHOLD + 10, seed=4):
        (corpus / s.name).write_text(s.text)
    for p in SAMPLES.glob("*.txt"):
        shutil.copy(p, corpus / p.name)
        shutil.copy(p, corpus / f"zz-again-{p.name}")  # duplicates, after the letters they repeat
    (corpus / "empty.txt").write_text("")
    return corpus


def _load(
    tmp_path: Path, name: str, paths: list[Path], workers: int, jsonl: bool
) -> tuple[Path, LoadSummary]:
    out = tmp_path / name
    summary = LoadSummary()
    with CsvGraphWriter(out) as writer:
        source = ParseOutput(paths, workers) if jsonl else LetterFiles(paths, workers)
        write_letters(writer, source, summary, batch_size=25, show_progress=False)
    return out, summary


def _same_files(a: Path, b: Path) -> None:
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    _, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    assert (mismatch, errors) == ([], [])


def _counts(s: LoadSummary) -> tuple[Any, ...]:
    return (s.files, s.loaded, s.duplicates, s.rejected, s.decisions, s.without_text, s.rejects)


def test_rendering_in_the_workers_writes_the_bytes_one_process_writes(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    serial, one = _load(tmp_path, "serial", [corpus], 1, jsonl=False)
    pooled, two = _load(tmp_path, "pooled", [corpus], 2, jsonl=False)
    assert _counts(one) == _counts(two)
    assert (two.loaded, two.duplicates, two.rejected) == (PARALLEL_THRESHOLD + 15, 5, 1)
    _same_files(serial, pooled)
    # The rows the incremental writer takes, rendered by the writer itself: the same files again.
    rows_out = tmp_path / "rows"
    seen: set[str] = set()
    with CsvGraphWriter(rows_out) as writer:
        for p in sorted(corpus.glob("*.txt")):
            if p.stat().st_size:
                lr = letter_rows(parse_file(p))
                if lr.letter_id not in seen:
                    seen.add(lr.letter_id)
                    writer.write([lr])
    _same_files(serial, rows_out)


def test_json_lines_rendered_in_the_workers_equal_one_process(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    lines = [
        parse_file(p).model_dump_json(by_alias=True) for p in sorted(corpus.glob("*.txt")) if p.stat().st_size
    ]
    shards = tmp_path / "shards"
    shards.mkdir()
    (shards / "a.jsonl").write_text("\n".join(lines[:40]) + "\n\n" + '{"not": "a letter"}\n')
    (shards / "b.jsonl").write_text("not json\n" + "\n".join(lines[40:]) + "\n")
    (shards / "c.jsonl").write_bytes(b"\xff\xfe\n")
    serial, one = _load(tmp_path, "serial", [shards], 1, jsonl=True)
    pooled, two = _load(tmp_path, "pooled", [shards], 2, jsonl=True)
    assert _counts(one) == _counts(two)
    assert (two.loaded, two.duplicates, two.rejected) == (PARALLEL_THRESHOLD + 15, 5, 3)
    assert any("a.jsonl:42: not a parsed letter" in r for r in two.rejects)
    assert any("b.jsonl:1: not JSON" in r for r in two.rejects)
    assert any("c.jsonl: not UTF-8 text" in r for r in two.rejects)
    _same_files(serial, pooled)
    letters_out, _ = _load(tmp_path, "letters", [corpus], 1, jsonl=False)
    _same_files(serial, letters_out)


@pytest.mark.parametrize(
    ("key", "written"),
    [
        ("CM17-7000001", "CM17-7000001"),
        ("sha256:d43b4fe9306018b7", "sha256:d43b4fe9306018b7"),
        ("a,b", f"{QUOTE}a,b{QUOTE}"),
        ("a\nb", f"{QUOTE}a\nb{QUOTE}"),
        ("a\rb", f"{QUOTE}a\rb{QUOTE}"),
        (f"a{QUOTE}b", f"{QUOTE}a{QUOTE}{QUOTE}b{QUOTE}"),
        ("", f"{QUOTE}{QUOTE}"),
        (None, ""),
        (7, "7"),
    ],
)
def test_a_key_is_written_unquoted_only_when_it_reads_back_the_same(key: Any, written: str) -> None:
    assert csv_key(key) == written


def _case_line(lr: LetterRows, **changes: Any) -> str:
    return NODE_FORMATS["Case"].line({**lr.nodes["Case"][0], "superseded_sources": None, **changes})


def test_letters_case_lines_split_cleanly(letters_rows: list[LetterRows]) -> None:
    assert NODE_FORMATS["Case"].spans_lines and NODE_FORMATS["Case"].columns[0][1] is csv_key
    assert not any(fmt.spans_lines for label, fmt in NODE_FORMATS.items() if label != "Case")
    assert SPANNING_FILES == ("case",)
    for lr in letters_rows:
        line = _case_line(lr)
        assert "\n" in line[:-1], "the letter text spans lines"
        assert splits_cleanly(line), lr.letter_id
        assert render(lr).splits_cleanly, lr.letter_id


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"letter_id": "a,b"}, "a quoted first field"),
        ({"text": f"said {QUOTE}x{QUOTE}\n"}, "the quote character in a value"),
        ({"sex": ""}, "an empty string is two quote characters"),
        ({"text": "ends with a comma,"}, "a value ending with ','"),
        ({"text": "ends with a backslash\\"}, "a value ending with a backslash"),
    ],
)
def test_a_case_line_the_fast_reader_could_split_wrongly_is_flagged(
    letters_rows: list[LetterRows], changes: dict[str, Any], why: str
) -> None:
    lr = letters_rows[0]
    assert not splits_cleanly(_case_line(lr, **changes)), why
    flagged = LetterRows(
        letter_id=lr.letter_id,
        content_hash=lr.content_hash,
        nodes={**lr.nodes, "Case": [{**lr.nodes["Case"][0], **changes}]},
        relationships=lr.relationships,
    )
    assert not render(flagged).splits_cleanly, why


def test_a_line_break_outside_the_letter_text_is_flagged(letters_rows: list[LetterRows]) -> None:
    lr = next(lr for lr in letters_rows if lr.nodes["Decision"])
    decision = {**lr.nodes["Decision"][0], "item": "Physical\ntherapy"}
    flagged = LetterRows(
        letter_id=lr.letter_id,
        content_hash=lr.content_hash,
        nodes={**lr.nodes, "Decision": [decision, *lr.nodes["Decision"][1:]]},
        relationships=lr.relationships,
    )
    assert render(lr).splits_cleanly and not render(flagged).splits_cleanly


def test_the_writer_names_the_multiline_files_only_while_every_line_splits_cleanly(
    letters_rows: list[LetterRows], tmp_path: Path
) -> None:
    with CsvGraphWriter(tmp_path / "clean") as writer:
        writer.write(letters_rows[:3])
        files = writer.close()
    assert files.multiline == (tmp_path / "clean" / "case.csv",)
    lr = letters_rows[3]
    text_with_quote = {**lr.nodes["Case"][0], "text": f"a {QUOTE} in the text\n"}
    odd = LetterRows(
        letter_id=lr.letter_id,
        content_hash=lr.content_hash,
        nodes={**lr.nodes, "Case": [text_with_quote]},
        relationships=lr.relationships,
    )
    with CsvGraphWriter(tmp_path / "odd") as writer:
        writer.write([*letters_rows[:3], odd])
        files = writer.close()
    assert files.multiline is None
