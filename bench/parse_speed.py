"""Benchmark (not a test): text letters parsed per second on one core, and PDF letters per second
(pypdfium2 text extraction + parse) beside `pdftotext` from poppler-utils on the same PDFs.

usage: python -m bench.parse_speed TEXT_DIR [PDF_DIR] [--repeat N]
Writes bench/results/parse.json and prints the figures.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graph_loader.extract.letter import parse_text
from graph_loader.extract.source import read_letter_text, read_pdf_text

RESULTS = Path(__file__).parent / "results"


def text_rate(text_dir: Path, repeat: int) -> dict[str, Any]:
    raws = [(str(p), read_letter_text(p)) for p in sorted(text_dir.glob("*.txt"))]
    parse_text(raws[0][1], "warm-up")
    start = time.perf_counter()
    for _ in range(repeat):
        for source, raw in raws:
            parse_text(raw, source)
    elapsed = time.perf_counter() - start
    n = len(raws) * repeat
    return {"letters": n, "seconds": round(elapsed, 3), "text_letters_per_s_one_core": round(n / elapsed, 1)}


def pdf_rates(pdf_dir: Path, repeat: int) -> dict[str, Any]:
    pdfs = sorted(pdf_dir.glob("*.pdf"))
    start = time.perf_counter()
    for _ in range(repeat):
        for pdf in pdfs:
            read_pdf_text(pdf)
    extract = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(repeat):
        for pdf in pdfs:
            parse_text(read_pdf_text(pdf), str(pdf))
    full = time.perf_counter() - start
    out: dict[str, Any] = {
        "pdfs": len(pdfs) * repeat,
        "pypdfium2_extract_letters_per_s": round(len(pdfs) * repeat / extract, 1),
        "pypdfium2_extract_and_parse_letters_per_s": round(len(pdfs) * repeat / full, 1),
    }
    if shutil.which("pdftotext"):
        start = time.perf_counter()
        for _ in range(repeat):
            for pdf in pdfs:
                subprocess.run(["pdftotext", "-upw", "", str(pdf), "-"], capture_output=True, check=True)
        out["pdftotext_letters_per_s"] = round(len(pdfs) * repeat / (time.perf_counter() - start), 1)
        out["pypdfium2_vs_pdftotext_extract"] = round(
            out["pypdfium2_extract_letters_per_s"] / out["pdftotext_letters_per_s"], 2
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("text_dir", type=Path)
    ap.add_argument("pdf_dir", type=Path, nargs="?")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    result: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
        "python": platform.python_version(),
        "text": text_rate(args.text_dir, args.repeat),
    }
    if args.pdf_dir:
        result["pdf"] = pdf_rates(args.pdf_dir, args.repeat)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "parse.json").write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
