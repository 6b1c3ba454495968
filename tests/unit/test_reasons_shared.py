"""The denial-reason score on the shared real letters against the blind gold (skips without ../shared).

Floors sit a little under the figures measured when the rules were written (see the module docstring
of graph_loader/normalize/reasons/rules.py); a change that loses more than that is a regression.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

F1_FLOOR = 0.92
PRECISION_FLOOR = 0.94
CODE_F1_FLOOR = 0.80  # every code the gold uses ten times or more


def test_denial_reason_score_on_shared_letters(shared_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "dev.jsonl"
    with out.open("w") as fh:
        subprocess.run(
            [sys.executable, "-m", "graph_loader.cli.main", "parse", str(shared_dir / "letters" / "dev")],
            stdout=fh,
            check=True,
        )
    report = subprocess.run(
        [
            sys.executable,
            str(shared_dir / "tools" / "score_reasons.py"),
            str(shared_dir / "gold" / "dev-reasons.jsonl"),
            str(out),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    total = re.search(r"precision ([\d.]+) recall ([\d.]+) F1 ([\d.]+)", report.splitlines()[-1])
    assert total, report
    precision, _, f1 = (float(g) for g in total.groups())
    assert f1 >= F1_FLOOR, report
    assert precision >= PRECISION_FLOOR, report
    for line in report.splitlines()[:-1]:
        m = re.match(r"(\w+)\s+precision ([\d.]+)\s+recall ([\d.]+)\s+\(gold (\d+)", line)
        assert m, line
        p, r, gold = float(m.group(2)), float(m.group(3)), int(m.group(4))
        if gold >= 10:
            assert 2 * p * r / max(p + r, 1e-9) >= CODE_F1_FLOOR, line
