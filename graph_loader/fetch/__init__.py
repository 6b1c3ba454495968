"""`imr-graph fetch`: letters and DWC's rows for them from DWC's public IMR decision search.

search (the form and its pages), pages (HTML into rows), client (polite HTTP with retries), store (the
letters folder: PDFs, dwc-rows.jsonl, fetch-state.json), run (the loop), errors.
"""

from __future__ import annotations

from graph_loader.fetch.client import Client, RetryPolicy, user_agent
from graph_loader.fetch.errors import FetchError, LetterError, NetworkError, PageStructureError, StoreError
from graph_loader.fetch.run import DEFAULT_BASE_URL, FetchPlan, FetchSummary, run_fetch
from graph_loader.fetch.search import Outcome, Query

__all__ = [
    "DEFAULT_BASE_URL",
    "Client",
    "FetchError",
    "FetchPlan",
    "FetchSummary",
    "LetterError",
    "NetworkError",
    "Outcome",
    "PageStructureError",
    "Query",
    "RetryPolicy",
    "StoreError",
    "run_fetch",
    "user_agent",
]
