"""No password in the repository, the logs or printed settings; everything listens on loopback."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from graph_loader.config import Settings, read_env_file

ROOT = Path(__file__).resolve().parents[2]
# A literal secret given to a password setting: a quoted string in code, or an env-file line.
LITERAL_PASSWORD = re.compile(
    r"""(?:password|NEO4J_PASSWORD|NEO4J_AUTH)["']?\s*[=:]\s*["'](?!\$)[^"'\s]{8,}["']"""
    r"""|^(?:NEO4J_PASSWORD|NEO4J_AUTH)=(?!\$)\S{8,}""",
    re.IGNORECASE | re.MULTILINE,
)


def tracked_files() -> list[Path]:
    try:
        out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: nothing tracked to scan")
    return [ROOT / line for line in out.splitlines() if (ROOT / line).is_file()]


def test_the_scan_recognizes_literal_passwords() -> None:
    assert LITERAL_PASSWORD.search('settings = Settings(password="hunter2hunter2")')
    assert LITERAL_PASSWORD.search("NEO4J_PASSWORD=Zx81-longer-value\n")
    assert not LITERAL_PASSWORD.search("NEO4J_AUTH: neo4j/${NEO4J_PASSWORD:?set NEO4J_PASSWORD}")
    assert not LITERAL_PASSWORD.search("Settings(uri=uri, password=password)")


def test_no_password_is_committed() -> None:
    files = tracked_files()
    assert ".env" not in {p.name for p in files}
    local = read_env_file(ROOT / ".env").get("NEO4J_PASSWORD") if (ROOT / ".env").exists() else None
    offenders = []
    for path in files:
        if path.suffix in (".png", ".pdf", ".jar"):
            continue
        text = path.read_text(errors="replace")
        if local and local in text:
            offenders.append(f"{path}: contains the local .env password")
        for match in LITERAL_PASSWORD.finditer(text):
            if "tests/" not in str(path.relative_to(ROOT)):
                offenders.append(f"{path}: {match.group(0)}")
    assert not offenders, offenders


def test_settings_never_print_the_password() -> None:
    settings = Settings(password="s3cret-value-123")
    assert "s3cret-value-123" not in repr(settings) and "s3cret-value-123" not in str(settings)


def test_api_binds_loopback_by_default() -> None:
    import inspect

    from graph_loader.cli.main import serve

    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"
