"""`imr-graph parse --output-dir`: shards hold exactly the single-stream output, a killed run leaves
only whole shards, a second run keeps the complete ones, and every misuse is one line."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph_loader.cli.main import app
from graph_loader.engines.shards import (
    MANIFEST,
    REJECTS,
    ShardError,
    ShardPlan,
    local_engine,
    parse_shard,
    plan_shards,
    shard_name,
    write_shards,
)
from graph_loader.load.parse_output import jsonl_files, read_letters
from tests.helpers import ROOT, SAMPLES

runner = CliRunner()


def _corpus(folder: Path, copies: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(copies):
        for p in sorted(SAMPLES.glob("*.txt")):
            shutil.copy(p, folder / f"{i:04d}-{p.name}")
    return folder


def _shards(out: Path) -> list[Path]:
    return sorted(out.glob("part-*.jsonl"))


def test_plan_groups_files_in_order_and_names_shards() -> None:
    plans = list(plan_shards((Path(f"{i}.txt") for i in range(7)), 3))
    assert [p.index for p in plans] == [0, 1, 2]
    assert [len(p.sources) for p in plans] == [3, 3, 1]
    assert plans[2].sources == ("6.txt",)
    assert (shard_name(0), shard_name(123_456)) == ("part-00000.jsonl", "part-123456.jsonl")
    with pytest.raises(ShardError, match="--shard-size must be 1 or more"):
        list(plan_shards(iter([Path("a.txt")]), 0))


def test_shards_concatenate_to_the_stdout_parse_and_load_reads_only_them(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "letters", 3)
    (corpus / "0001-bad.txt").write_bytes(b"\x00\xff" * 10)
    stdout = runner.invoke(app, ["parse", str(corpus), "--workers", "1"])
    assert stdout.exit_code == 1
    out = tmp_path / "shards"
    sharded = runner.invoke(app, ["parse", str(corpus), "--output-dir", str(out), "--shard-size", "4"])
    assert sharded.exit_code == 1, sharded.output
    assert f"{corpus / '0001-bad.txt'}: binary data, not a text letter" in sharded.stderr
    assert sharded.stdout.strip() == f"parsed 16 files into 4 shards in {out}: 15 letters, 1 rejected"
    assert b"".join(p.read_bytes() for p in _shards(out)) == stdout.stdout.encode()
    assert [p.name for p in _shards(out)] == [f"part-0000{i}.jsonl" for i in range(4)]
    assert (out / REJECTS).read_text() == f"{corpus / '0001-bad.txt'}: binary data, not a text letter\n"
    manifest = [row.split("\t") for row in (out / MANIFEST).read_text().splitlines()]
    assert manifest[0] == ["shard", "files", "letters", "rejected", "sha256"]
    assert [row[1:4] for row in manifest[1:]] == [
        ["4", "4", "0"],
        ["4", "4", "0"],
        ["4", "3", "1"],
        ["4", "4", "0"],
    ]
    # The manifest, the reject report and the .done records are not parse output: load skips them.
    assert [p for p, _ in jsonl_files([out])] == _shards(out)
    assert [letter is not None for _, letter, _ in read_letters([out])] == [True] * 15


def test_parse_shard_reads_under_root_and_names_files_as_given(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    sources = ["samples/letters/" + p.name for p in sorted(SAMPLES.glob("*.txt"))] + ["samples/nope.txt"]
    record = parse_shard(str(out), 3, sources, root=str(ROOT))
    assert (record.index, record.files, record.letters) == (3, 6, 5)
    assert record.rejects == ["samples/nope.txt: cannot read (No such file or directory)"]
    lines = (out / "part-00003.jsonl").read_text().splitlines()
    assert [json.loads(line)["source"] for line in lines] == sources[:5]


def test_a_second_run_keeps_complete_shards_and_redoes_the_rest(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "letters", 2)
    out = tmp_path / "shards"
    first = write_shards([corpus], out, local_engine(1), shard_size=3)
    assert (first.shards, first.resumed) == (4, 0)
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.iterdir()}

    again = write_shards([corpus], out, local_engine(1), shard_size=3)
    assert (again.shards, again.resumed, again.letters) == (4, 4, 10)
    for name in ("part-00000.jsonl", "part-00003.done"):
        assert (out / name).stat().st_mtime_ns == before[name][1]  # kept, not rewritten

    # A damaged shard, a missing record, and a half-written temporary file from a killed run.
    (out / "part-00001.jsonl").write_text('{"truncated": ')
    (out / "part-00002.done").unlink()
    (out / ".part-00003.jsonl.999.tmp").write_text("{")
    mended = write_shards([corpus], out, local_engine(1), shard_size=3)
    assert mended.resumed == 2
    assert {p.name: p.read_bytes() for p in out.iterdir()} == {k: v[0] for k, v in before.items()}

    # Other files (here, another shard size) are other shards: all redone, and the old extra one goes.
    resized = write_shards([corpus], out, local_engine(1), shard_size=5)
    assert (resized.shards, resized.resumed) == (2, 0)
    assert [p.name for p in _shards(out)] == ["part-00000.jsonl", "part-00001.jsonl"]
    assert not list(out.glob("part-0000[23].*"))
    fresh = write_shards([corpus], tmp_path / "fresh", local_engine(1), shard_size=5, resume=False)
    assert fresh.resumed == 0
    assert [p.read_bytes() for p in _shards(out)] == [p.read_bytes() for p in _shards(tmp_path / "fresh")]


def test_no_resume_and_text_change_parse_again(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "letters", 1)
    out = tmp_path / "shards"
    write_shards([corpus], out, local_engine(1), shard_size=2)
    assert write_shards([corpus], out, local_engine(1), shard_size=2, resume=False).resumed == 0
    with_text = write_shards([corpus], out, local_engine(1), shard_size=2, text=True)
    assert with_text.resumed == 0
    assert all(json.loads(line)["text"] for p in _shards(out) for line in p.read_text().splitlines())


def test_bad_output_folders_are_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for target, message in (
        (blocker, f"imr-graph: --output-dir {blocker}: not a folder (a file has that name)\n"),
        (
            blocker / "sub",
            f"imr-graph: --output-dir {blocker / 'sub'}: cannot write there (Not a directory)\n",
        ),
    ):
        result = runner.invoke(app, ["parse", str(SAMPLES), "--output-dir", str(target)])
        assert (result.exit_code, result.stderr) == (2, message)


def test_engine_misuse_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    out = str(tmp_path / "out")
    result = runner.invoke(app, ["parse", str(SAMPLES), "--engine", "spark", "--output-dir", out])
    assert (result.exit_code, result.stderr) == (
        2,
        "imr-graph: --engine must be local or dask, not 'spark'\n",
    )
    result = runner.invoke(app, ["parse", str(SAMPLES), "--engine", "dask"])
    assert (result.exit_code, result.stderr) == (
        2,
        "imr-graph: --engine dask writes shards: give --output-dir DIR\n",
    )
    result = runner.invoke(
        app, ["parse", str(SAMPLES), "--scheduler", "tcp://127.0.0.1:8786", "--output-dir", out]
    )
    assert (result.exit_code, result.stderr) == (2, "imr-graph: --scheduler is for --engine dask\n")
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if the extra were not installed
    result = runner.invoke(app, ["parse", str(SAMPLES), "--engine", "dask", "--output-dir", out])
    assert (result.exit_code, result.stderr) == (
        2,
        "imr-graph: --engine dask needs the 'distributed' extra: pip install 'imr-graph[distributed]'\n",
    )


def test_an_engine_gets_every_shard_and_may_answer_in_any_order(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "letters", 2)

    def backwards(todo, out_dir, text, root, tick):  # type: ignore[no-untyped-def]
        plans: list[ShardPlan] = list(todo)
        for plan in reversed(plans):
            yield parse_shard(str(out_dir), plan.index, plan.sources, text, root)

    reordered = write_shards([corpus], tmp_path / "a", backwards, shard_size=3)
    in_order = write_shards([corpus], tmp_path / "b", local_engine(2), shard_size=3)
    assert reordered.shards == in_order.shards == 4
    for name in [*(p.name for p in _shards(tmp_path / "a")), MANIFEST, REJECTS, "part-00001.done"]:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
