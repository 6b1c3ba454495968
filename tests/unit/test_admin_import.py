"""How the bulk load asks `neo4j-admin database import` to read files whose values span lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_loader.server.admin_import import _multiline_options


def test_files_that_split_cleanly_get_the_per_file_reader() -> None:
    files = (Path("/tmp/imr-graph-import-ab_12/case.csv"),)
    assert _multiline_options(files) == [
        "--multiline-fields-format=v2",
        "--multiline-fields=/tmp/imr-graph-import-ab_12/case.csv",
    ]


def test_no_file_spanning_lines_needs_no_multi_line_reader() -> None:
    assert _multiline_options(()) == []


@pytest.mark.parametrize(
    "files",
    [
        None,  # some line would not split cleanly
        (Path("/data/a,b/case.csv"),),  # the list is comma-separated
        (Path("/data/run (2)/case.csv"),),  # and read as regular expressions
        (Path("/data/x+y/case.csv"),),
    ],
    ids=["unclean lines", "comma", "parentheses", "plus"],
)
def test_anything_else_takes_the_sequential_reader(files: tuple[Path, ...] | None) -> None:
    assert _multiline_options(files) == ["--multiline-fields=true"]
