"""`imr-graph`: a thin command line over the library (parse, load, serve, export; `query` is in
query_command.py, `fetch` in fetch_command.py, the `neo4j` commands in neo4j_commands.py)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from graph_loader.cli import err
from graph_loader.cli.fetch_command import fetch
from graph_loader.cli.neo4j_commands import neo4j_app, neo4j_home, server_config
from graph_loader.cli.query_command import query
from graph_loader.config import Settings, credentials_refused, load_settings
from graph_loader.errors import ImrGraphError
from graph_loader.load import DEFAULT_BATCH_SIZE

app = typer.Typer(
    help="Build and query a knowledge graph of California workers' compensation IMR decisions.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(neo4j_app, name="neo4j")


def _print_version(asked: bool) -> None:
    if asked:
        from importlib.metadata import version

        typer.echo(f"imr-graph {version('imr-graph')}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version (cite it) and exit."
        ),
    ] = False,
) -> None:
    """The options every command shares."""


app.command()(fetch)


def require_graph(settings: Settings) -> None:
    """One line and exit 2 when Neo4j is down or refuses the login, before a command starts work that
    would otherwise leave a half-made folder (export) or serve a graph it can never read (serve)."""
    from graph_loader.load.neo4j_db import Neo4jUnreachable, connect

    try:
        connect(settings).close()
    except Neo4jUnreachable as exc:
        err(str(exc))
        raise typer.Exit(2) from exc


@app.command()
def parse(
    paths: Annotated[list[Path], typer.Argument(help="Letter files (.txt, .pdf) or folders of them.")],
    text: Annotated[
        bool, typer.Option("--text/--no-text", help="Include the normalized letter text.")
    ] = False,
    workers: Annotated[
        int,
        typer.Option(
            help="Parser processes for 64+ files (0 = one per core, 1 = this process only); with "
            "--engine dask and no --scheduler, the local cluster's workers."
        ),
    ] = 0,
    output_dir: Annotated[
        Path | None,
        typer.Option(
            help="Write JSON Lines shards DIR/part-00000.jsonl... (atomically) instead of stdout; "
            "a second run keeps the complete shards of the same files and parses the rest."
        ),
    ] = None,
    shard_size: Annotated[int, typer.Option(help="Letter files per shard (with --output-dir).")] = 10_000,
    resume: Annotated[
        bool,
        typer.Option("--resume/--no-resume", help="Keep complete shards already in --output-dir."),
    ] = True,
    engine: Annotated[
        str, typer.Option(help="local: this machine's processes. dask: a Dask cluster (--output-dir).")
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address (tcp://host:8786); none: a local cluster of --workers."),
    ] = None,
    scheduler_timeout: Annotated[
        float, typer.Option(help="Seconds to wait for the Dask scheduler to answer.")
    ] = 10.0,
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Show progress (only on a terminal).")
    ] = True,
) -> None:
    """Parse IMR letters and print one JSON object per letter (JSON Lines) on stdout, in input order,
    or write them as shards in --output-dir (locally or on a Dask cluster: the same bytes).

    Problems go to stderr, one line per file; the exit status is 1 when any file was rejected.
    """
    import functools

    from graph_loader import progress as progress_display
    from graph_loader.engines.shards import ShardError, local_engine, parse_to_json, write_shards
    from graph_loader.extract.letter import preload
    from graph_loader.extract.parallel import map_stream, worker_count
    from graph_loader.extract.source import walk_letter_paths

    if engine not in ("local", "dask"):
        err(f"--engine must be local or dask, not {engine!r}")
        raise typer.Exit(2)
    if scheduler is not None and engine != "dask":
        err("--scheduler is for --engine dask")
        raise typer.Exit(2)
    if output_dir is None and engine == "dask":
        err("--engine dask writes shards: give --output-dir DIR")
        raise typer.Exit(2)
    if output_dir is not None:
        try:
            if engine == "dask":
                from graph_loader.engines.dask_cluster import dask_engine

                chosen = dask_engine(scheduler, workers, scheduler_timeout)
            else:
                chosen = local_engine(worker_count(workers))
            with progress_display.counter(progress, "parsing letters", unit="files") as tick:
                summary = write_shards(
                    paths,
                    output_dir,
                    chosen,
                    shard_size=shard_size,
                    text=text,
                    resume=resume,
                    tick=tick,
                    report=err,
                )
        except ShardError as exc:
            err(str(exc))
            raise typer.Exit(2) from exc
        typer.echo(summary.describe(output_dir))
        if summary.rejects:
            raise typer.Exit(1)
        return

    rejected = 0

    def letter_files() -> Iterator[Path]:
        # Streamed, not collected: a million paths cost no memory.
        nonlocal rejected
        for path, problem in walk_letter_paths(paths):
            if problem is None:
                yield path
            else:
                err(problem)
                rejected += 1

    out = sys.stdout
    work = functools.partial(parse_to_json, with_text=text)
    with progress_display.counter(progress, "parsing letters") as tick:
        for line, problem in map_stream(work, letter_files(), worker_count(workers), before_pool=preload):
            tick(1)
            if line is None:
                err(problem or "unreadable")
                rejected += 1
            else:
                out.write(line + "\n")
    out.flush()
    if rejected:
        raise typer.Exit(1)


@app.command()
def load(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Letter files (.txt, .pdf) or folders of them; with --jsonl, parse output ('-': stdin)."
        ),
    ],
    batch_size: Annotated[
        int,
        typer.Option(help="Letters per write transaction (unwind; larger batches write fewer tally cells)."),
    ] = DEFAULT_BATCH_SIZE,
    report: Annotated[
        Path | None,
        typer.Option(
            help="Where to write the list of rejected files (default: reports/load-rejects-<UTC time>.txt, "
            "a new file per run)."
        ),
    ] = None,
    workers: Annotated[int, typer.Option(help="Parser processes (0 = one per core).")] = 0,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show a progress bar.")] = True,
    method: Annotated[
        str,
        typer.Option(
            help="unwind: batched transactions into a running server (incremental, idempotent). "
            "bulk: neo4j-admin database import into the empty database of the server imr-graph runs "
            "(it restarts it). auto: bulk for a first load of 20,000+ files, else unwind.",
        ),
    ] = "auto",
    jsonl: Annotated[
        bool,
        typer.Option(
            "--jsonl",
            help="PATHs are `imr-graph parse` output (JSON Lines files or folders of them, '-' for stdin): "
            "load without parsing again. Parse with --text to keep the sentences the spans point into.",
        ),
    ] = False,
) -> None:
    """Parse letters and load them into Neo4j (idempotent: re-loading changes nothing).

    Exit status 0 when every letter loaded, 1 when any file was rejected (the good ones still load).
    """
    from neo4j.exceptions import AuthError, DriverError, Neo4jError

    from graph_loader.load import unwind
    from graph_loader.load.bulk.importer import BulkLoadError, bulk_load_letters, choose_method
    from graph_loader.load.neo4j_db import IndexesNotOnline, Neo4jUnreachable
    from graph_loader.load.sources import LetterFiles, LetterSource, ParseOutput
    from graph_loader.server.local_neo4j import Neo4jServerError

    if method not in ("auto", "unwind", "bulk"):
        err(f"--method must be auto, unwind or bulk, not {method!r}")
        raise typer.Exit(2)
    settings = load_settings()
    home, config = neo4j_home(), server_config()
    report = report or rejects_report_path()
    source: LetterSource = ParseOutput(paths, workers) if jsonl else LetterFiles(paths, workers)
    try:
        if choose_method(method, source, settings, home, config) == "bulk":
            summary = bulk_load_letters(
                source, settings, home, config, report_path=report, show_progress=progress
            )
        else:
            summary = unwind.load_letters(
                source, settings, batch_size=batch_size, report_path=report, show_progress=progress
            )
    except (BulkLoadError, Neo4jServerError, IndexesNotOnline, Neo4jUnreachable) as exc:
        err(str(exc))
        raise typer.Exit(2) from exc
    except AuthError as exc:
        err(credentials_refused(settings))
        raise typer.Exit(2) from exc
    except (Neo4jError, DriverError) as exc:
        err(
            f"Neo4j at {settings.uri} failed during the load ({type(exc).__name__}: {exc}). Every batch "
            "committed before it is kept; run the same command again to load the rest."
        )
        raise typer.Exit(2) from exc
    show_rejects(summary.rejects, summary.rejected, summary.report_path)
    for pair in summary.near_duplicate_pairs[:REJECTS_SHOWN]:
        err(f"warning: {pair}")
    if summary.near_duplicates > REJECTS_SHOWN:
        err(f"... and {summary.near_duplicates - REJECTS_SHOWN} more letters of a case loaded before")
    typer.echo(summary.describe())
    if summary.rejected:
        raise typer.Exit(1)


# The rejects a load names on the terminal; the report file lists every one.
REJECTS_SHOWN = 20


def rejects_report_path() -> Path:
    """A report per run, so a second load never overwrites the first one's rejects."""
    from datetime import UTC, datetime

    return Path("reports") / f"load-rejects-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.txt"


def show_rejects(first: list[str], rejected: int, report: Path | None) -> None:
    """The first REJECTS_SHOWN rejects on stderr, one line each, then how many more and where."""
    for problem in first[:REJECTS_SHOWN]:
        err(problem)
    if rejected > REJECTS_SHOWN:
        where = f": all of them are in {report}" if report else ""
        err(f"... and {rejected - REJECTS_SHOWN} more rejected{where}")


@app.command()
def serve(
    host: Annotated[
        str, typer.Option(help="Interface to bind; 127.0.0.1 keeps the API private.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    query_timeout: Annotated[
        float | None,
        typer.Option(
            help="Seconds a query may run before Neo4j stops it (default: IMR_QUERY_TIMEOUT_S, else 10)."
        ),
    ] = None,
    pid_file: Annotated[
        Path | None, typer.Option(help="Write this process's id here while serving (`make stop` reads it).")
    ] = None,
    check_graph: Annotated[
        bool,
        typer.Option(
            help="Refuse to start (one line, exit 2) when Neo4j does not answer. --no-check-graph starts "
            "anyway, for a server started before its database: queries fail until Neo4j answers, and "
            "/health says so."
        ),
    ] = True,
) -> None:
    """Serve the GraphQL API (GraphiQL at /graphql, health at /health)."""
    import uvicorn

    from api.web.app import create_app
    from graph_loader.server.pidfile import PidFile

    settings = load_settings()
    if check_graph:
        require_graph(settings)
    typer.echo(
        f"Landing page: http://{host}:{port}/  (GraphiQL, Neo4j Browser, the guide, every stored query)"
    )
    typer.echo(f"GraphQL API:  http://{host}:{port}/graphql")
    try:
        with PidFile(pid_file):
            uvicorn.run(
                create_app(settings, query_timeout_s=query_timeout or None),
                host=host,
                port=port,
                log_level="info",
            )
    except ImrGraphError as exc:
        err(str(exc))
        raise typer.Exit(2) from exc


app.command()(query)


class ExportFormatChoice(StrEnum):
    parquet = "parquet"
    csv = "csv"


@app.command()
def export(
    folder: Annotated[Path, typer.Argument(help="Folder to write the tables into (created if missing).")],
    fmt: Annotated[ExportFormatChoice, typer.Option("--format", help="parquet or csv.")] = (
        ExportFormatChoice.parquet
    ),
    from_graph: Annotated[
        bool, typer.Option("--from-graph", help="Read the Neo4j named by NEO4J_URI (the default).")
    ] = False,
    from_jsonl: Annotated[
        list[Path] | None,
        typer.Option(
            "--from-jsonl",
            help="Read `imr-graph parse` output instead (a JSON Lines file, a folder of them, '-' for stdin); "
            "repeatable. No server needed.",
        ),
    ] = None,
    text: Annotated[
        bool,
        typer.Option("--text/--no-text", help="Fill cases.text with the letter text the spans point into."),
    ] = False,
    batch_size: Annotated[int, typer.Option(help="Letters per batch (one Parquet row group).")] = 2000,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show a progress bar.")] = True,
) -> None:
    """Write the extracted records as flat tables (cases, decisions, diagnoses, citations,
    denial_reasons, treatments) for R, Stata, pandas or DuckDB: one file per table, see docs/exports.md.

    Exit status 0 when every letter was exported; 1 when lines or letters were rejected (the others
    are exported); 2 when nothing could be written (a bad folder, no server).
    """
    from graph_loader.export.files import ExportFormat
    from graph_loader.export.runner import export_from_graph, export_from_jsonl
    from graph_loader.load.sources import ParseOutput

    if from_graph and from_jsonl:
        err("--from-graph and --from-jsonl are two sources: give one")
        raise typer.Exit(2)
    if batch_size < 1:
        err("--batch-size must be at least 1")
        raise typer.Exit(2)
    chosen: ExportFormat = "parquet" if fmt is ExportFormatChoice.parquet else "csv"
    try:
        if from_jsonl:
            summary = export_from_jsonl(
                folder, chosen, ParseOutput(from_jsonl), text=text, batch=batch_size, show_progress=progress
            )
        else:
            settings = load_settings()
            require_graph(settings)
            summary = export_from_graph(
                folder, chosen, settings, text=text, batch=batch_size, show_progress=progress
            )
    except ImrGraphError as exc:
        err(str(exc))
        raise typer.Exit(2) from exc
    for problem in summary.rejects:
        err(problem)
    if summary.rejected > len(summary.rejects):
        err(f"... and {summary.rejected - len(summary.rejects)} more rejected lines")
    typer.echo(summary.describe())
    if summary.rejected:
        raise typer.Exit(1)


if __name__ == "__main__":
    app()
