"""The project's exceptions share one root, so callers can tell our errors from everyone else's.

Only `ClientFacingError` (and its subclasses) carries a message written for an API client; the API
shows those as they are and masks and logs everything else, with its traceback.
"""

from __future__ import annotations


class ImrGraphError(Exception):
    """Root of every error imr-graph raises on purpose."""


class ClientFacingError(ImrGraphError):
    """A problem with what the client asked (a bad argument, a query that ran too long, search text
    Lucene cannot parse); the message says what to change and is safe to show."""


class InvalidArgument(ClientFacingError):
    """An argument the API cannot use: a page size over the limit, a cursor it did not issue, ..."""
