"""What stops `imr-graph fetch`, or one letter of it. Every message is one line that names the URL or
file and what was expected there, so a cron mail says what to look at."""

from __future__ import annotations

from graph_loader.errors import ImrGraphError


class FetchError(ImrGraphError):
    """Root of the fetcher's errors."""


class NetworkError(FetchError):
    """A request that still failed after its retries, or got an HTTP status no retry would change."""


class PageStructureError(FetchError):
    """A DWC page without the structure the fetcher reads (the site changed, or served an error page
    with status 200)."""


class LetterError(FetchError):
    """One letter could not be fetched (not a PDF, cut short on every try); the run goes on."""


class StoreError(FetchError):
    """The letters folder cannot be used: its rows file or state file is not what this tool wrote."""
