"""GraphQL over HTTP: request errors get 400 and no data under application/graphql-response+json."""

from __future__ import annotations

import json

from api.web.http_spec import rewrite


def test_a_request_error_is_400_without_data() -> None:
    body = json.dumps(
        {"data": None, "errors": [{"message": "Syntax Error", "locations": [{"line": 1, "column": 2}]}]}
    )
    status, out = rewrite(200, body.encode())
    assert status == 400 and json.loads(out) == {
        "errors": [{"message": "Syntax Error", "locations": [{"line": 1, "column": 2}]}]
    }


def test_field_errors_during_execution_stay_200_with_data() -> None:
    body = json.dumps(
        {"data": None, "errors": [{"message": "first may be at most 100", "path": ["cases"]}]}
    ).encode()
    assert rewrite(200, body) == (200, body)
    ok = json.dumps({"data": {"__typename": "Query"}}).encode()
    assert rewrite(200, ok) == (200, ok)


def test_a_body_that_is_not_a_result_is_left_alone() -> None:
    assert rewrite(413, b"not json") == (413, b"not json")
