"""Options and fixtures for both tiers. Server fixtures live in tests/integration/conftest.py, so a
test under tests/unit cannot ask for Neo4j."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import SHARED


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="Rewrite tests/golden/*.json from the parser."
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "letters").is_dir():
        pytest.skip(f"{SHARED} not found: the shared real-letter corpus is only beside the project in CI")
    return SHARED
