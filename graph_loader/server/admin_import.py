"""`neo4j-admin database import full`: the bulk load's import of its CSV files into a stopped
server's store (graph_loader/load/bulk/importer.py runs it between stopping and starting the server)."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from pathlib import Path

from graph_loader.server.local_neo4j import (
    ADMIN_ENTRY_POINT,
    Neo4jHome,
    Neo4jServerError,
    admin_env,
    java_error,
    java_executable,
    read_pid,
)


def admin_import(
    home: Neo4jHome,
    *,
    nodes: dict[str, Path],
    relationships: dict[str, Path],
    array_delimiter: str,
    quote: str = '"',
    multiline: Sequence[Path] | None = None,
    database: str = "neo4j",
    heap: str = "1g",
    report: Path | None = None,
    read_buffer_size: str | None = None,
) -> str:
    """`neo4j-admin database import full` into `database`, replacing it. The server must be stopped.

    `multiline` names the files whose values span lines, read by the tool's per-file multi-line
    reader (the other files are split in parallel); None reads every file with the sequential one,
    which is slower but needs nothing of the files.
    Returns the tool's summary lines; raises Neo4jServerError with its reason when the import fails.
    """
    if read_pid(home) is not None:
        raise Neo4jServerError("neo4j-admin import needs the server stopped: run `imr-graph neo4j stop`")
    if not (home.conf / "neo4j.conf").exists():
        raise Neo4jServerError(f"no neo4j.conf in {home.conf}: start the server once first")
    cmd = [
        str(java_executable()),
        f"-Xmx{heap}",
        "-cp",
        str(home.lib / "*"),
        ADMIN_ENTRY_POINT,
        "database",
        "import",
        "full",
        # Before the options: --nodes/--relationships take any number of files and would swallow it.
        database,
        "--overwrite-destination=true",
        f"--array-delimiter={array_delimiter}",
        f"--quote={quote}",
        *_multiline_options(multiline),
        *([f"--read-buffer-size={read_buffer_size}"] if read_buffer_size else []),
        f"--report-file={report or home.logs / 'import.report'}",
        *(f"--nodes={label}={path}" for label, path in nodes.items()),
        *(f"--relationships={rel}={path}" for rel, path in relationships.items()),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=admin_env(home))
    if proc.returncode != 0:
        raise Neo4jServerError(
            f"neo4j-admin database import failed: {java_error(proc.stderr or proc.stdout)}"
        )
    return "\n".join(line.strip() for line in proc.stdout.splitlines() if _SUMMARY.search(line))


# The lines of the tool's output that say what it did: "IMPORT DONE in 1m 4s 9ms.", "Imported:",
# then "  3354378 nodes", "17946168 relationships", "... properties".
_SUMMARY = re.compile(r"IMPORT DONE|Imported|^\s*\d+ (?:nodes|relationships|properties)$")

# The per-file reader's list is comma-separated and read as regular expressions: a path with a
# comma or another pattern character takes the sequential reader instead.
_PLAIN_PATH = re.compile(r"[\w./-]+")


def _multiline_options(files: Sequence[Path] | None) -> list[str]:
    if files is None or not all(_PLAIN_PATH.fullmatch(str(f)) for f in files):
        return ["--multiline-fields=true"]
    if not files:
        return []
    return ["--multiline-fields-format=v2", "--multiline-fields=" + ",".join(str(f) for f in files)]
