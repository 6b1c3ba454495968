"""`imr-graph neo4j install|start|stop|status`: the local Neo4j Community server in .neo4j/, and where
it lives and listens (`neo4j_home`, `server_config`), which `imr-graph load` needs too."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from graph_loader.cli import err
from graph_loader.config import env_file, load_settings, project_dir, write_env_file

if TYPE_CHECKING:
    from graph_loader.server.local_neo4j import Neo4jHome, ServerConfig

neo4j_app = typer.Typer(
    help="Install, start, stop and inspect the local Neo4j Community server.", no_args_is_help=True
)


def neo4j_home() -> Neo4jHome:
    from graph_loader.server.local_neo4j import Neo4jHome

    return Neo4jHome(project_dir() / ".neo4j")


def server_config() -> ServerConfig:
    from urllib.parse import urlparse

    from graph_loader.server.local_neo4j import ServerConfig

    uri = urlparse(load_settings().uri)
    return ServerConfig(bolt_port=uri.port or 7687)


def _ensure_password() -> str:
    import secrets

    settings = load_settings()
    if settings.password:
        return settings.password
    password = secrets.token_urlsafe(24)
    write_env_file(
        env_file(),
        {
            "NEO4J_URI": settings.uri,
            "NEO4J_USER": settings.user,
            "NEO4J_PASSWORD": password,
            "NEO4J_DATABASE": settings.database,
        },
    )
    return password


@neo4j_app.command("install")
def neo4j_install() -> None:
    """Fetch Neo4j Community and Neo4j Browser from Maven Central into .neo4j/ (once)."""
    from graph_loader.server import local_neo4j as server

    home = neo4j_home()
    try:
        fetched = server.install(home)
    except server.Neo4jServerError as exc:
        err(str(exc))
        raise typer.Exit(1) from exc
    _ensure_password()
    state = "installed" if fetched else "already installed"
    typer.echo(f"Neo4j {server.NEO4J_VERSION} {state} in {home.root}; credentials in {env_file()}")


@neo4j_app.command("start")
def neo4j_start() -> None:
    """Start the local server on 127.0.0.1 and wait until Bolt answers (idempotent)."""
    from graph_loader.server import local_neo4j as server

    home, config = neo4j_home(), server_config()
    password = _ensure_password()
    settings = load_settings()
    try:
        message = server.start(home, config, user=settings.user, password=password)
    except server.Neo4jServerError as exc:
        err(str(exc))
        raise typer.Exit(1) from exc
    typer.echo(f"Neo4j {message}")
    typer.echo(f"Neo4j Browser: http://127.0.0.1:{config.http_port}/browser/  (credentials in {env_file()})")


@neo4j_app.command("stop")
def neo4j_stop() -> None:
    """Stop the server that `imr-graph neo4j start` started (idempotent)."""
    from graph_loader.server import local_neo4j as server

    typer.echo(f"Neo4j {server.stop(neo4j_home())}")


@neo4j_app.command("status")
def neo4j_status() -> None:
    """Say whether Neo4j answers on NEO4J_URI; exit status 0 only when it does."""
    from graph_loader.server import local_neo4j as server

    settings = load_settings()
    up, message = server.status(neo4j_home(), settings.uri, settings.user, settings.password)
    typer.echo(f"Neo4j {message}")
    if not up:
        raise typer.Exit(3)
