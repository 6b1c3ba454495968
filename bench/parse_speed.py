"""Benchmark (not a test): text letters parsed per second on one core, and PDF letters per second
(pypdfium2 text extraction + parse) beside `pdftotext` from poppler-utils on the same PDFs.

Text figures are given in wall time and in CPU time of this process (the machine may be shared, so
CPU letters/s per core is the comparable figure). First-use costs (imports, the dictionaries and the
ICD-10-CM index loaded at the first letter) are reported apart and excluded from the per-letter
rates. `first_pass` is the first pass over the letters (every cache empty); the warm rate
re-parses the same letters, so every per-phrase and per-sentence cache hits and it overstates what a
corpus costs. `held_out` is the figure for unseen letters: each fold of the letters parsed once by a
fresh process that has first parsed the other folds (`--folds`, `--held-out-runs` processes per
fold, the median kept). `--stages` adds the exclusive CPU time per stage, warm and held out.

usage: python -m bench.parse_speed TEXT_DIR [PDF_DIR] [--repeat N] [--stages] [--folds K]
Writes bench/results/parse.json and prints the figures.
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import os
import platform
import shutil
import statistics
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

_IMPORT_START = time.process_time()
from graph_loader.extract.letter import parse_text, preload  # noqa: E402
from graph_loader.extract.source import read_letter_text, read_pdf_text  # noqa: E402

IMPORT_CPU = time.process_time() - _IMPORT_START

RESULTS = Path(__file__).parent / "results"


def text_rate(text_dir: Path, repeat: int) -> dict[str, Any]:
    raws = [(str(p), read_letter_text(p)) for p in sorted(text_dir.glob("*.txt"))]
    cpu = time.process_time()
    preload()
    loads = time.process_time() - cpu
    cpu = time.process_time()
    parse_text(raws[0][1], "warm-up")
    first_use = time.process_time() - cpu
    # The warm-up letter's own phrases are now cached: the first pass is over the others.
    raws_after = raws[1:]
    cpu = time.process_time()
    for source, raw in raws_after:
        parse_text(raw, source)
    first_pass = time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(repeat):
        for source, raw in raws:
            parse_text(raw, source)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    n = len(raws) * repeat
    return {
        "letters": n,
        "seconds": round(elapsed, 3),
        "text_letters_per_s_one_core": round(n / elapsed, 1),
        "cpu_seconds": round(cpu, 3),
        "cpu_letters_per_s_per_core": round(n / cpu, 1),
        "cpu_ms_per_letter": round(1e3 * cpu / n, 3),
        "first_pass_cpu_letters_per_s": round(len(raws_after) / first_pass, 1),
        "first_use_cpu_seconds": {
            "imports": round(IMPORT_CPU, 3),
            "dictionaries_and_indexes": round(loads, 3),
            "first_letter": round(first_use, 3),
        },
    }


# (module, attribute, stage): the functions parse_text calls, each timed without what it calls of
# the others (exclusive time), so the split adds up to the whole.
STAGES = (
    ("graph_loader.extract.letter", "normalize_text", "text normalization"),
    ("graph_loader.extract.letter", "content_hash", "text normalization"),
    ("graph_loader.extract.letter", "analyze", "layout"),
    ("graph_loader.extract.fields", "header_fields", "fields"),
    ("graph_loader.extract.fields", "notice_dates", "fields"),
    ("graph_loader.extract.fields", "injury_date", "fields"),
    ("graph_loader.extract.fields", "ur_date", "fields"),
    ("graph_loader.extract.fields", "reviewer", "fields"),
    ("graph_loader.extract.fields", "patient", "fields"),
    ("graph_loader.normalize.years", "decision_year", "fields"),
    ("graph_loader.extract.fields", "diagnoses", "diagnoses"),
    ("graph_loader.extract.decisions", "find_blocks", "decisions"),
    ("graph_loader.extract.decisions", "decision_from_block", "decisions"),
    ("graph_loader.extract.decisions", "notice_decisions", "decisions"),
    ("graph_loader.extract.decisions", "parse_guideline_text", "citations"),
    ("graph_loader.extract.decisions", "rationale_citations", "citations"),
    ("graph_loader.extract.notice", "citations", "citations"),
    ("graph_loader.extract.decisions", "classify_treatment", "treatments"),
    ("graph_loader.extract.decisions", "quantity", "quantities"),
    ("graph_loader.extract.decisions", "body_regions", "regions"),
    ("graph_loader.extract.decisions", "denial_reasons", "denial reasons"),
    ("graph_loader.extract.decisions", "Decision", "model construction"),
    ("graph_loader.extract.decisions", "DecisionSpans", "model construction"),
    ("graph_loader.extract.letter", "Letter", "model construction"),
)


@contextmanager
def timed_stages() -> Iterator[dict[str, float]]:
    """Exclusive CPU seconds of each stage while inside, by wrapping the functions parse_text calls
    (and parse_text itself: what it does outside them is "rest of parse_text"). Callers must reach
    parse_text through its module. The wrappers cost about a microsecond a call, so the total is a
    little above the plain rate."""
    import importlib
    from collections import defaultdict

    totals: dict[str, float] = defaultdict(float)
    stack: list[float] = []
    clock = time.thread_time

    def wrap(fn: Any, stage: str) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            t = clock()
            stack.append(0.0)
            try:
                return fn(*args, **kwargs)
            finally:
                took = clock() - t
                totals[stage] += took - stack.pop()
                if stack:
                    stack[-1] += took

        return timed

    saved = []
    for module_name, attr, stage in (
        *STAGES,
        ("graph_loader.extract.letter", "parse_text", "rest of parse_text"),
    ):
        module = importlib.import_module(module_name)
        saved.append((module, attr, getattr(module, attr)))
        setattr(module, attr, wrap(getattr(module, attr), stage))
    try:
        yield totals
    finally:
        for module, attr, fn in saved:
            setattr(module, attr, fn)


def _per_letter(totals: dict[str, float], n: int) -> dict[str, Any]:
    return {
        "cpu_ms_per_letter": round(1e3 * sum(totals.values()) / n, 3),
        "stages_ms_per_letter": {
            k: round(1e3 * v / n, 3) for k, v in sorted(totals.items(), key=lambda kv: -kv[1])
        },
    }


def stage_split(text_dir: Path, repeat: int) -> dict[str, Any]:
    """Exclusive CPU ms per letter of each stage, warm (the same letters parsed again)."""
    from graph_loader.extract import letter

    raws = [(str(p), read_letter_text(p)) for p in sorted(text_dir.glob("*.txt"))]
    with timed_stages() as totals:
        for source, raw in raws:
            letter.parse_text(raw, source)
        totals.clear()
        for _ in range(repeat):
            for source, raw in raws:
                letter.parse_text(raw, source)
    return _per_letter(totals, len(raws) * repeat)


def _settle() -> None:
    """Collect now what the warm-up left to the collector. A parse frees nearly all it allocates, so
    the collector runs about once every 150 letters and a middle-generation pass (about 6 ms) once
    every 1,500: under 1 % of a long run, but a fold of 31 letters that happens to hold one reads
    0.2 ms a letter slower, which is more than most changes measured with it."""
    gc.collect()


def _held_out_fold(text_dir: Path, fold: int, folds: int) -> dict[str, Any]:
    """In a fresh process: load the dictionaries (first-use costs, excluded here as from the other
    rates), parse every letter outside `fold` (caches warmed by other letters, as in a large corpus),
    then the letters of `fold` once, never seen by this process, timed."""
    from graph_loader.extract import letter

    letter.preload()
    raws = [(str(p), read_letter_text(p)) for p in sorted(text_dir.glob("*.txt"))]
    for i, (source, raw) in enumerate(raws):
        if i % folds != fold:
            letter.parse_text(raw, source)
    held = [r for i, r in enumerate(raws) if i % folds == fold]
    _settle()
    cpu = time.process_time()
    for source, raw in held:
        letter.parse_text(raw, source)
    return {"letters": len(held), "cpu_seconds": time.process_time() - cpu}


def _held_out_stages(text_dir: Path, fold: int, folds: int) -> dict[str, float]:
    from graph_loader.extract import letter

    letter.preload()
    raws = [(str(p), read_letter_text(p)) for p in sorted(text_dir.glob("*.txt"))]
    for i, (source, raw) in enumerate(raws):
        if i % folds != fold:
            letter.parse_text(raw, source)
    _settle()
    with timed_stages() as totals:
        for i, (source, raw) in enumerate(raws):
            if i % folds == fold:
                letter.parse_text(raw, source)
    return dict(totals)


@contextmanager
def _hash_seed(seed: int) -> Iterator[None]:
    """PYTHONHASHSEED for the processes spawned inside."""
    saved = os.environ.get("PYTHONHASHSEED")
    os.environ["PYTHONHASHSEED"] = str(seed)
    try:
        yield
    finally:
        if saved is None:
            del os.environ["PYTHONHASHSEED"]
        else:
            os.environ["PYTHONHASHSEED"] = saved


def held_out(text_dir: Path, folds: int, runs: int, stages: bool) -> dict[str, Any]:
    """Letters parsed for the first time by a process whose caches other letters warmed: what unseen
    letters of a large corpus cost (the warm rate re-parses the same letters, so every per-phrase and
    per-sentence cache hits). Each fold is timed in `runs` fresh processes; the median is kept.
    Process k hashes strings with seed k: the order of a set's strings, and with it some of the work
    (which cue is tried first), follows the seed, so two versions of the parser are compared on the
    same orders rather than on whichever a process drew."""
    context = multiprocessing.get_context("spawn")
    cpu = 0.0
    letters = 0
    split: dict[str, float] = {}
    for fold in range(folds):
        times = []
        for run in range(runs):
            with _hash_seed(run + 1), ProcessPoolExecutor(1, mp_context=context) as pool:
                got = pool.submit(_held_out_fold, text_dir, fold, folds).result()
            times.append(got["cpu_seconds"])
        cpu += statistics.median(times)
        letters += got["letters"]
        if stages:
            with _hash_seed(1), ProcessPoolExecutor(1, mp_context=context) as pool:
                for k, v in pool.submit(_held_out_stages, text_dir, fold, folds).result().items():
                    split[k] = split.get(k, 0.0) + v
    out: dict[str, Any] = {
        "letters": letters,
        "folds": folds,
        "runs_per_fold": runs,
        "cpu_letters_per_s_per_core": round(letters / cpu, 1),
        "cpu_ms_per_letter": round(1e3 * cpu / letters, 3),
    }
    if stages:
        out["stages"] = _per_letter(split, letters)
    return out


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
    ap.add_argument("--stages", action="store_true", help="Add the exclusive CPU time per stage.")
    ap.add_argument("--folds", type=int, default=3, help="Held-out folds (0: no held-out figure).")
    ap.add_argument("--held-out-runs", type=int, default=3, help="Fresh processes per held-out fold.")
    args = ap.parse_args()
    result: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
        "python": platform.python_version(),
        "text": text_rate(args.text_dir, args.repeat),
    }
    if args.folds:
        result["held_out"] = held_out(args.text_dir, args.folds, args.held_out_runs, args.stages)
    if args.stages:
        result["stages"] = stage_split(args.text_dir, args.repeat)
    if args.pdf_dir:
        result["pdf"] = pdf_rates(args.pdf_dir, args.repeat)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "parse.json").write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
