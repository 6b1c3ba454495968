"""`imr-graph fetch DIR`: letters and DWC's rows for them from DWC's public IMR decision search.

A function with typer annotations; graph_loader/cli/main.py registers it (`app.command()(fetch)`), so
this module imports nothing of main.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from graph_loader.cli import err
from graph_loader.errors import ImrGraphError


class OutcomeChoice(StrEnum):
    # DWC's own spelling, which the search form posts as it is.
    uphold = "Uphold"
    overturn = "Overturn"
    partial_overturn = "Partial Overturn"


def _usage(message: str) -> typer.Exit:
    err(message)
    return typer.Exit(2)


def _date(option: str, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _usage(f"{option} takes a date as YYYY-MM-DD, not {value!r}") from None


def fetch(
    folder: Annotated[
        Path,
        typer.Argument(
            metavar="DIR",
            help="Folder for the letters (DIR/YYYY-MM/CASE.pdf by decision month), dwc-rows.jsonl and "
            "fetch-state.json; created if missing, and resumed when it holds an earlier run.",
        ),
    ],
    decided_from: Annotated[
        str | None, typer.Option(metavar="YYYY-MM-DD", help="Only decisions made on or after this date.")
    ] = None,
    decided_to: Annotated[
        str | None, typer.Option(metavar="YYYY-MM-DD", help="Only decisions made on or before this date.")
    ] = None,
    injured_from: Annotated[
        str | None, typer.Option(metavar="YYYY-MM-DD", help="Only injuries on or after this date.")
    ] = None,
    injured_to: Annotated[
        str | None, typer.Option(metavar="YYYY-MM-DD", help="Only injuries on or before this date.")
    ] = None,
    specialty: Annotated[
        str | None,
        typer.Option(
            metavar="NAME",
            help="Only this reviewer specialty, as DWC's search names it "
            "(e.g. 'Physical Medicine & Rehabilitation').",
        ),
    ] = None,
    outcome: Annotated[
        OutcomeChoice | None,
        typer.Option(help="Only requests with this decision, spelled as DWC's search spells it."),
    ] = None,
    subcategory: Annotated[
        str | None,
        typer.Option(
            metavar="NAME",
            help="Only this treatment subcategory, as DWC's search lists it "
            "(e.g. 'Pharmaceuticals * * Opioids', 'Surgery * Spine *').",
        ),
    ] = None,
    case: Annotated[
        str | None,
        typer.Option(
            "--case",
            metavar="NUMBER",
            help="Fetch this one decision (e.g. CM16-0213037) from its case page instead of searching.",
        ),
    ] = None,
    delay: Annotated[
        float,
        typer.Option(
            metavar="SECONDS",
            help="Pause between requests, one request at a time: DWC's search is a public service.",
        ),
    ] = 2.0,
    max_letters: Annotated[
        int | None,
        typer.Option(
            "--max",
            metavar="N",
            help="Stop after downloading N letters (letters already on disk do not count).",
        ),
    ] = None,
    since_last: Annotated[
        bool,
        typer.Option(
            "--since-last",
            help="Fetch what DWC posted since the last complete run into DIR: search from the newest "
            "decision date kept in DIR/fetch-state.json, less --look-back days.",
        ),
    ] = False,
    look_back: Annotated[
        int,
        typer.Option(
            metavar="DAYS",
            help="With --since-last, also search this many days before that date: DWC posts letters "
            "weeks after their decision (those already on disk are not downloaded again).",
        ),
    ] = 28,
    base_url: Annotated[
        str, typer.Option(metavar="URL", help="The site to search (a local replica in tests).")
    ] = "https://www.dir.ca.gov",
    timeout: Annotated[
        float, typer.Option(metavar="SECONDS", help="Seconds to wait for an answer before trying again.")
    ] = 60.0,
    retries: Annotated[
        int,
        typer.Option(
            metavar="N",
            help="Tries per request on timeouts, dropped connections and 5xx, with exponential backoff "
            "(Retry-After honoured).",
        ),
    ] = 5,
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Show progress (only on a terminal).")
    ] = True,
) -> None:
    """Download IMR letters (PDF) and DWC's row for each request from DWC's public IMR decision search.

    Resumable: a letter on disk whose SHA-256 matches dwc-rows.jsonl is not downloaded again.

    Exit status 0 when every letter was fetched, 1 when some could not be (the others are kept), 2 for
    a usage error, the network, or a search page that could not be read.
    """
    from graph_loader import progress as progress_display
    from graph_loader.fetch import Client, FetchPlan, Outcome, Query, RetryPolicy, run_fetch
    from graph_loader.fetch.pages import CASE_NUMBER

    dates = {
        "--decided-from": _date("--decided-from", decided_from),
        "--decided-to": _date("--decided-to", decided_to),
        "--injured-from": _date("--injured-from", injured_from),
        "--injured-to": _date("--injured-to", injured_to),
    }
    for low, high in (("--decided-from", "--decided-to"), ("--injured-from", "--injured-to")):
        start, end = dates[low], dates[high]
        if start and end and start > end:
            raise _usage(f"{low} {start} is after {high} {end}")
    filters = [decided_from, decided_to, injured_from, injured_to, specialty, outcome, subcategory]
    if case is not None:
        if not CASE_NUMBER.fullmatch(case):
            raise _usage(f"--case takes a DWC case number like CM16-0213037, not {case!r}")
        if since_last or any(value is not None for value in filters):
            raise _usage("--case fetches one decision: give it without search options or --since-last")
    if since_last and decided_from is not None:
        raise _usage("--since-last and --decided-from both set where the search starts: give one")
    checks = (
        (delay < 0, "--delay must be 0 or more seconds"),
        (max_letters is not None and max_letters < 1, "--max must be at least 1"),
        (look_back < 0, "--look-back must be 0 or more days"),
        (timeout <= 0, "--timeout must be more than 0 seconds"),
        (retries < 1, "--retries must be at least 1"),
        (
            not base_url.startswith(("http://", "https://")),
            f"--base-url must be an http(s) URL, not {base_url!r}",
        ),
    )
    for failed, message in checks:
        if failed:
            raise _usage(message)

    plan = FetchPlan(
        folder=folder,
        base_url=base_url,
        query=Query(
            decided_from=dates["--decided-from"],
            decided_to=dates["--decided-to"],
            injured_from=dates["--injured-from"],
            injured_to=dates["--injured-to"],
            specialty=specialty,
            outcome=Outcome(outcome.value) if outcome else None,
            subcategory=subcategory,
        ),
        case_number=case,
        max_letters=max_letters,
        since_last=since_last,
        look_back_days=look_back,
    )
    try:
        with (
            Client(delay=delay, timeout=timeout, retry=RetryPolicy(attempts=retries)) as client,
            # No total: how many letters a search holds is known only page by page.
            progress_display.counter(progress, "fetching letters") as tick,
        ):
            summary = run_fetch(plan, client, tick=tick, report=err)
    except ImrGraphError as exc:
        err(str(exc))
        raise typer.Exit(2) from exc
    typer.echo(summary.describe(folder))
    if summary.failed:
        raise typer.Exit(1)
