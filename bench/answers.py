"""The graph's answers to research questions, scored: `make score` runs this.

score_answers.py (in the shared corpus's tools/) asks a served graph what a researcher asks (the
flagship per diagnosis category, outcome rates by category and year, denial reasons) and compares the
answers with the same ones computed from the gold files. It needs a graph holding exactly the letters
the gold covers, so this loads them into a throw-away Neo4j, serves the API on a free port, runs the
scorer and removes everything again.

    python -m bench.answers [--set all|fold|tune|seed] [--verbose] [--shared ../shared]

`fold` is the third of the development letters set aside before tuning (a seeded draw:
random.Random(24).sample of the sorted letter ids); `tune` the other two thirds; `all` every
development letter; `seed` the five seed letters (no denial-reason gold).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.common import ROOT, fresh_server
from graph_loader.server import local_neo4j as server

FOLD_SEED = 24


def fold_ids(ids: list[str]) -> list[str]:
    """The held-out third of the development letters: the same draw on every machine."""
    return sorted(random.Random(FOLD_SEED).sample(sorted(ids), len(ids) // 3))


def chosen(shared: Path, which: str) -> list[str]:
    dev = sorted(p.stem for p in (shared / "gold/dev").glob("*.json"))
    fold = fold_ids(dev)
    return {"all": dev, "fold": fold, "tune": sorted(set(dev) - set(fold))}[which]


def stage(shared: Path, which: str, work: Path) -> tuple[Path, Path, list[str]]:
    """(letters, gold, extra scorer arguments): copies of exactly the letters scored and their gold."""
    if which == "seed":
        return shared / "letters/seed", shared / "gold/seed", []
    ids = chosen(shared, which)
    letters, gold = work / "letters", work / "gold"
    letters.mkdir()
    gold.mkdir()
    for i in ids:
        shutil.copy(shared / f"letters/dev/{i}.txt", letters)
        shutil.copy(shared / f"gold/dev/{i}.json", gold)
    reasons = work / "reasons.jsonl"
    with (shared / "gold/dev-reasons.jsonl").open() as f:
        reasons.write_text("".join(line for line in f if json.loads(line)["letter"] in set(ids)))
    return letters, gold, ["--reasons", str(reasons)]


def wait_for(url: str, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                raise SystemExit(f"the API did not answer at {url} within {seconds:.0f} s") from None
            time.sleep(0.3)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.answers", description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=("all", "fold", "tune", "seed"), default="all")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--verbose", action="store_true", help="the scorer's disagreements, one a line")
    args = parser.parse_args(argv)
    scorer = args.shared / "tools/score_answers.py"
    if not scorer.exists():
        print(f"answers: {scorer} not found (the shared corpus sits beside the project)", file=sys.stderr)
        return 2
    cli = str(Path(sys.executable).with_name("imr-graph"))
    with tempfile.TemporaryDirectory(prefix="imr-graph-answers-") as tmp, fresh_server("1g", "512m") as srv:
        letters, gold, extra = stage(args.shared, args.set, Path(tmp))
        env = dict(
            os.environ,
            NEO4J_URI=srv.settings.uri,
            NEO4J_USER="neo4j",
            NEO4J_PASSWORD=srv.settings.password,
            NEO4J_DATABASE="neo4j",
        )
        load = [cli, "load", str(letters), "--no-progress", "--report", str(Path(tmp) / "rejects.txt")]
        subprocess.run(load, env=env, check=True, stdout=subprocess.DEVNULL)
        port = server.free_port()
        api = subprocess.Popen(
            [cli, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            wait_for(f"http://127.0.0.1:{port}/health")
            print(f"== answers, {args.set} ({sum(1 for _ in gold.glob('*.json'))} letters)", flush=True)
            score = [sys.executable, str(scorer), f"http://127.0.0.1:{port}/graphql", str(gold), *extra]
            return subprocess.run([*score, *(["--verbose"] if args.verbose else [])], check=False).returncode
        finally:
            api.terminate()
            api.wait()


if __name__ == "__main__":
    raise SystemExit(main())
