"""Provision and run a local Neo4j Community server without Docker.

The jars come from Maven Central through `mvn dependency:copy-dependencies` (see pom.xml beside this
file), so a machine needs only a JDK 17/21 and Maven. The server runs Neo4j's own entry point with a
generated neo4j.conf that listens on loopback only, keeps auth on and turns usage reporting off.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from graph_loader.errors import ImrGraphError
from graph_loader.server.pidfile import pid_alive

NEO4J_VERSION = "5.26.30"
BROWSER_VERSION = "5.24.0"
# Neo4j 5.26 LTS runs on Java 17 and 21; 2025.x needs 21+. We pin 5.26 because Debian 12 ships 17.
SUPPORTED_JAVA = (17, 21)
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_ENTRY_POINT = "org.neo4j.server.startup.Neo4jAdminCommand"


class Neo4jServerError(ImrGraphError):
    """A one-line, user-facing reason why the local server could not be installed or run."""


@dataclass(frozen=True)
class ServerConfig:
    bolt_port: int = 7687
    http_port: int = 7474
    heap: str = "2g"
    pagecache: str = "2g"
    # Lets `:guide http://127.0.0.1:8000/...` load in Neo4j Browser.
    guide_host: str = "127.0.0.1:8000"


@dataclass(frozen=True)
class Neo4jHome:
    root: Path

    @property
    def lib(self) -> Path:
        return self.root / "lib"

    @property
    def conf(self) -> Path:
        return self.root / "conf"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def run(self) -> Path:
        return self.root / "run"

    @property
    def pid_file(self) -> Path:
        return self.run / "imr-graph-neo4j.pid"

    @property
    def console_log(self) -> Path:
        return self.logs / "console.log"

    @property
    def installed_marker(self) -> Path:
        return self.lib / f".installed-{NEO4J_VERSION}-browser-{BROWSER_VERSION}"

    def is_installed(self) -> bool:
        return self.installed_marker.is_file()


def java_executable() -> Path:
    """A Java 17 or 21 runtime: JAVA_HOME, else `java` on PATH, else one under /usr/lib/jvm."""
    candidates: list[Path] = []
    if os.environ.get("JAVA_HOME"):
        candidates.append(Path(os.environ["JAVA_HOME"]) / "bin" / "java")
    on_path = shutil.which("java")
    if on_path:
        candidates.append(Path(on_path))
    jvm_dir = Path("/usr/lib/jvm")
    if jvm_dir.is_dir():
        candidates.extend(sorted(p / "bin" / "java" for p in jvm_dir.iterdir()))
    seen: list[str] = []
    for cand in candidates:
        if not cand.exists():
            continue
        major = java_major_version(cand)
        seen.append(f"{cand} ({major})")
        if major in SUPPORTED_JAVA:
            return cand
    if not seen:
        raise Neo4jServerError(
            "Java not found: install a JDK 17 or 21 (Debian: apt-get install openjdk-17-jdk)"
        )
    raise Neo4jServerError(
        f"Neo4j {NEO4J_VERSION} needs Java 17 or 21; found only {', '.join(seen)}. Set JAVA_HOME to one."
    )


def java_major_version(java: Path) -> int | None:
    try:
        out = subprocess.run([str(java), "-version"], capture_output=True, text=True, timeout=30).stderr
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if not match:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def install(home: Neo4jHome, *, quiet: bool = True) -> bool:
    """Resolve the server jars into home/lib. Returns False when they were already there."""
    if home.is_installed():
        return False
    mvn = shutil.which("mvn")
    if not mvn:
        raise Neo4jServerError("Maven not found: install it (Debian: apt-get install maven) to fetch Neo4j")
    java_executable()
    pom = resources.files("graph_loader.server").joinpath("pom.xml")
    staging = home.root / "lib.partial"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with resources.as_file(pom) as pom_path:
        cmd = [
            mvn,
            "-B",
            *(["-q"] if quiet else []),
            "-f",
            str(pom_path),
            "dependency:copy-dependencies",
            f"-DoutputDirectory={staging}",
            "-DincludeScope=runtime",
        ]
        proc = subprocess.run(cmd, capture_output=quiet, text=True)
    if proc.returncode != 0:
        tail = (proc.stdout or "")[-2000:] if quiet else ""
        raise Neo4jServerError(f"mvn could not resolve Neo4j {NEO4J_VERSION} from Maven Central:\n{tail}")
    (staging / home.installed_marker.name).write_text(NEO4J_VERSION + "\n")
    shutil.rmtree(home.lib, ignore_errors=True)
    staging.rename(home.lib)
    return True


def write_config(home: Neo4jHome, config: ServerConfig) -> Path:
    for d in (home.conf, home.data, home.logs, home.run, home.root / "plugins"):
        d.mkdir(parents=True, exist_ok=True)
    settings = {
        "server.default_listen_address": "127.0.0.1",
        "server.default_advertised_address": "127.0.0.1",
        "server.bolt.listen_address": f"127.0.0.1:{config.bolt_port}",
        "server.bolt.advertised_address": f"127.0.0.1:{config.bolt_port}",
        "server.http.listen_address": f"127.0.0.1:{config.http_port}",
        "server.http.advertised_address": f"127.0.0.1:{config.http_port}",
        "server.http.enabled": "true",
        "server.https.enabled": "false",
        "dbms.security.auth_enabled": "true",
        "dbms.usage_report.enabled": "false",
        # Neo4j Browser's own product-usage banner and its error reports to Sentry (5.26).
        "client.allow_telemetry": "false",
        "server.directories.data": str(home.data),
        "server.directories.logs": str(home.logs),
        "server.directories.run": str(home.run),
        "server.memory.pagecache.size": config.pagecache,
        "db.transaction.timeout": "120s",
        # Once the databases have stopped (their transactions awaited by then), Bolt waits 5 s for
        # idle connections and 5 s more for its thread pool: 10 of the 10.2 s every stop took,
        # paid by each bulk load (it stops the server to import), `make stop` and the tests.
        "internal.server.bolt.connection_shutdown_wait_time": "0s",
        "internal.server.bolt.thread_pool_shutdown_wait_time": "0s",
        # Host names, not URLs: Neo4j Browser compares the guide URL's host against this list.
        "browser.remote_content_hostname_whitelist": f"{config.guide_host.split(':')[0]},localhost",
        "browser.post_connect_cmd": f"play http://{config.guide_host}/guide",
    }
    path = home.conf / "neo4j.conf"
    body = "# Generated by imr-graph; edit ServerConfig instead.\n"
    body += "".join(f"{k}={v}\n" for k, v in settings.items())
    path.write_text(body)
    return path


def admin_env(home: Neo4jHome) -> dict[str, str]:
    env = dict(os.environ)
    env["NEO4J_HOME"] = str(home.root)
    env["NEO4J_CONF"] = str(home.conf)
    return env


def set_initial_password(home: Neo4jHome, password: str) -> bool:
    """Set the neo4j user's password before first start; False when the database already has users."""
    if (home.data / "dbms" / "auth.ini").exists() or (home.data / "databases" / "system").exists():
        return False
    cmd = [
        str(java_executable()),
        "-cp",
        str(home.lib / "*"),
        ADMIN_ENTRY_POINT,
        "dbms",
        "set-initial-password",
        # A generated password may start with '-' (token_urlsafe): never let it parse as an option.
        "--",
        password,
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=admin_env(home), timeout=180)
    if proc.returncode != 0:
        raise Neo4jServerError(f"could not set the initial Neo4j password: {proc.stderr.strip()[-500:]}")
    return True


def drop_store(home: Neo4jHome, database: str = "neo4j") -> None:
    """Delete `database`'s store and transaction logs; the server makes an empty one when it starts.

    For a store a failed import or an interrupted load left half-written: the bulk import writes into
    an empty database only. The server must be stopped.
    """
    if read_pid(home) is not None:
        raise Neo4jServerError(
            f"cannot drop the {database!r} store while the server runs: run `imr-graph neo4j stop`"
        )
    for sub in ("databases", "transactions"):
        shutil.rmtree(home.data / sub / database, ignore_errors=True)


def java_error(output: str) -> str:
    """The exception messages of a Java tool's output, without the stack frames."""
    lines = [
        ln.strip() for ln in output.splitlines() if ln.strip() and not ln.strip().startswith(("at ", "..."))
    ]
    return " | ".join(lines[:4])[:800] or "no output"


def read_pid(home: Neo4jHome) -> int | None:
    try:
        pid = int(home.pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if pid_alive(pid) else None


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bolt_answers(uri: str, user: str, password: str, timeout: float = 5.0, database: str = "neo4j") -> bool:
    """One `RETURN 1` without the driver's retries, so a down server answers False at once."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import DriverError, Neo4jError

    try:
        with (
            GraphDatabase.driver(uri, auth=(user, password), connection_timeout=timeout) as driver,
            driver.session(database=database) as session,
        ):
            record = session.run("RETURN 1 AS ok").single()
            return bool(record and record["ok"] == 1)
    except (DriverError, Neo4jError, OSError, ValueError):
        return False


def start(
    home: Neo4jHome,
    config: ServerConfig,
    *,
    user: str,
    password: str,
    wait_seconds: float = 120.0,
) -> str:
    """Start the server in the background and wait until Bolt answers `RETURN 1`."""
    uri = f"bolt://127.0.0.1:{config.bolt_port}"
    pid = read_pid(home)
    if pid is not None:
        if bolt_answers(uri, user, password):
            return f"already running (pid {pid}) at {uri}"
        return _wait_until_up(home, pid, uri, user, password, wait_seconds)
    if not home.is_installed():
        raise Neo4jServerError(f"Neo4j is not installed in {home.root}: run `imr-graph neo4j install`")
    for port in (config.bolt_port, config.http_port):
        if port_in_use(port):
            raise Neo4jServerError(
                f"port {port} on 127.0.0.1 is taken by another process; stop it or choose other ports"
            )
    java = java_executable()
    write_config(home, config)
    set_initial_password(home, password)
    home.logs.mkdir(parents=True, exist_ok=True)
    cmd = [
        str(java),
        f"-Xms{config.heap}",
        f"-Xmx{config.heap}",
        "-XX:+UseG1GC",
        "-XX:+ExitOnOutOfMemoryError",
        "-Dfile.encoding=UTF-8",
        "-cp",
        str(home.lib / "*"),
        ENTRY_POINT,
        f"--home-dir={home.root}",
        f"--config-dir={home.conf}",
    ]
    with home.console_log.open("ab") as log:
        proc = subprocess.Popen(
            cmd,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=admin_env(home),
            start_new_session=True,
        )
    home.pid_file.write_text(f"{proc.pid}\n")
    return _wait_until_up(home, proc.pid, uri, user, password, wait_seconds)


def _wait_until_up(home: Neo4jHome, pid: int, uri: str, user: str, password: str, wait: float) -> str:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            _reap(pid)
            home.pid_file.unlink(missing_ok=True)
            raise Neo4jServerError(f"Neo4j exited during start-up: {_startup_error(home)}")
        if bolt_answers(uri, user, password, timeout=2.0):
            return f"running (pid {pid}) at {uri}"
        time.sleep(0.5)
    raise Neo4jServerError(f"Neo4j did not answer on {uri} within {wait:.0f}s; see {home.logs / 'neo4j.log'}")


def _startup_error(home: Neo4jHome) -> str:
    """The exception Neo4j printed on its console, else a pointer to the logs."""
    try:
        lines = home.console_log.read_text(errors="replace").splitlines()[-200:]
    except OSError:
        lines = []
    for line in reversed(lines):
        if "Exception" in line or "Error:" in line:
            return f"{line.strip()[:300]} (log: {home.console_log})"
    return f"see {home.console_log} and {home.logs / 'neo4j.log'}"


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def stop(home: Neo4jHome, wait_seconds: float = 60.0) -> str:
    pid = read_pid(home)
    if pid is None:
        home.pid_file.unlink(missing_ok=True)
        return "not running"
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        _reap(pid)
        if not pid_alive(pid):
            break
        time.sleep(0.3)
    else:
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.5)
        _reap(pid)
    home.pid_file.unlink(missing_ok=True)
    return f"stopped (pid {pid})"


def status(home: Neo4jHome, uri: str, user: str, password: str) -> tuple[bool, str]:
    """(answering, one-line description); only a server that answers Bolt counts as running."""
    pid = read_pid(home)
    if bolt_answers(uri, user, password):
        where = f"pid {pid}" if pid else "not started by imr-graph"
        return True, f"running ({where}) at {uri}"
    if pid is not None:
        return False, f"process {pid} is alive but {uri} does not answer; see {home.logs / 'neo4j.log'}"
    return False, f"not running ({uri} does not answer)"
