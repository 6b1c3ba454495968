"""A pid file for a long-running command, so `make stop` ends exactly the process `make run` started."""

from __future__ import annotations

import os
from pathlib import Path

from graph_loader.errors import ImrGraphError


def pid_alive(pid: int) -> bool:
    """The process exists and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child still answers kill(0); treat it as gone.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


class PidFile:
    """Writes the current pid to `path` on enter (refusing when a live process already holds it) and
    removes it on exit. `None` writes nothing."""

    def __init__(self, path: Path | None) -> None:
        self.path = path

    def __enter__(self) -> PidFile:
        if self.path is None:
            return self
        if self.path.exists():
            text = self.path.read_text().strip()
            if text.isdigit() and pid_alive(int(text)) and int(text) != os.getpid():
                raise ImrGraphError(f"already running as pid {text} ({self.path}); `make stop` ends it")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(f"{os.getpid()}\n")
        tmp.replace(self.path)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.path is not None and self.path.exists() and self.path.read_text().strip() == str(os.getpid()):
            self.path.unlink()
