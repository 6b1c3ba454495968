"""`imr-graph`: the command line over the library (`main.py`; `imr-graph fetch` in `fetch_command.py`;
the local server's commands in `neo4j_commands.py`)."""

from __future__ import annotations

import typer


def err(message: str) -> None:
    """Every command's one way to name a problem: one line on stderr."""
    typer.echo(f"imr-graph: {message}", err=True)
