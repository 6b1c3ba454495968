"""GraphQL over HTTP's `application/graphql-response+json`: a client that accepts it gets it, and a
request error (the document does not parse or validate, or the variables do not coerce: nothing was
executed) gets status 400 and no `data` entry, as the spec asks. Field errors during execution stay
200. strawberry answers `application/json` only, so this wraps its responses."""

from __future__ import annotations

import json
from typing import Any

MEDIA_TYPE = "application/graphql-response+json"


def _accepts(scope: Any) -> bool:
    for name, value in scope.get("headers") or []:
        if name == b"accept":
            return MEDIA_TYPE.encode() in value.lower()
    return False


def rewrite(status: int, body: bytes) -> tuple[int, bytes]:
    """The status and body for a client that accepts the GraphQL response media type."""
    try:
        result = json.loads(body)
    except ValueError:
        return status, body
    if not isinstance(result, dict):
        return status, body
    errors = result.get("errors") or []
    request_error = bool(errors) and result.get("data") is None and all("path" not in e for e in errors)
    if request_error:
        result.pop("data", None)
        return 400, json.dumps(result).encode()
    return status, body


class GraphQLResponseMediaType:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not _accepts(scope):
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def buffered(message: Any) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            headers = [
                (k, v) for k, v in start.get("headers", []) if k not in (b"content-type", b"content-length")
            ]
            content_type = dict(start.get("headers", [])).get(b"content-type", b"")
            status, body = start.get("status", 200), b"".join(chunks)
            if content_type.startswith(b"application/json"):
                status, body = rewrite(status, body)
                content_type = f"{MEDIA_TYPE}; charset=utf-8".encode()
            headers += [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, buffered)
