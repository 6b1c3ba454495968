"""What a researcher would use instead of the graph: the same letters' `imr-graph parse` output,
flattened by `imr-graph export --from-jsonl --format parquet` into tables, in DuckDB (in memory), with
one SQL text per workload operation. Timed beside GraphQL and Cypher in bench.query_speed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

# The same questions as bench/workload.py's OPERATIONS, as flat-table SQL. Diagnoses "and every code
# below" are a prefix match on the code; the search is ILIKE (DuckDB's full-text extension is a
# download this machine cannot make).
SQL: dict[str, str] = {
    "flagship": """
        WITH cases_dx AS (SELECT DISTINCT letter_id FROM diagnoses WHERE icd10 LIKE 'M54.16%'),
        cited AS (
          SELECT ci.guideline_key, ci.guideline_title, ci.section_key, ci.section_name,
                 count(DISTINCT d.decision_id) AS decisions
          FROM decisions d JOIN cases_dx USING (letter_id) JOIN citations ci USING (decision_id)
          WHERE d.outcome = 'UPHELD' AND ci.cited_by = 'IMR_REVIEWER'
          GROUP BY ALL)
        SELECT *, decisions / sum(decisions) OVER () AS share FROM cited
        ORDER BY decisions DESC, guideline_title, section_name LIMIT 20""",
    "outcome_rates_by_category": """
        SELECT treatment_category, count(*) AS decisions, count(*) FILTER (outcome = 'UPHELD') AS upheld,
               count(*) FILTER (outcome = 'UPHELD') / count(*) AS rate
        FROM decisions GROUP BY ALL ORDER BY decisions DESC LIMIT 50""",
    "outcome_rates_by_specialty": """
        SELECT s AS specialty, count(*) AS decisions, count(*) FILTER (d.outcome = 'UPHELD') / count(*) AS rate
        FROM decisions d JOIN (SELECT letter_id, unnest(reviewer_specialties) AS s FROM cases) c USING (letter_id)
        GROUP BY ALL ORDER BY decisions DESC LIMIT 50""",
    "denial_reasons_physical_therapy": """
        WITH r AS (
          SELECT dr.reason_code, dr.decision_id, dr.letter_id
          FROM denial_reasons dr JOIN decisions d USING (decision_id)
          WHERE lower(d.treatment) LIKE '%physical therapy%')
        SELECT reason_code, count(DISTINCT decision_id) AS decisions, list(letter_id)[1:3] AS examples
        FROM r GROUP BY ALL ORDER BY decisions DESC, reason_code LIMIT 20""",
    "decisions_m54_upheld_page": """
        WITH hits AS (
          SELECT d.decision_id, d.letter_id, d.item, d.outcome, d.treatment, d.treatment_category, c.decision_date
          FROM decisions d JOIN cases c USING (letter_id)
          WHERE d.outcome = 'UPHELD'
            AND letter_id IN (SELECT letter_id FROM diagnoses WHERE icd10 LIKE 'M54%'))
        SELECT *, count(*) OVER () AS total FROM hits
        ORDER BY decision_date DESC NULLS FIRST, letter_id DESC, decision_id LIMIT 21""",
    "search_rationales": """
        SELECT decision_id, item, outcome FROM decisions
        WHERE rationale ILIKE '%functional improvement%' ORDER BY decision_id LIMIT 20""",
    "similar_cases": """
        WITH me AS (SELECT ? AS letter_id),
        f AS (
          SELECT letter_id, 'dx:' || category AS f, 3 AS w FROM diagnoses WHERE category IS NOT NULL
          UNION ALL SELECT letter_id, 'tr:' || treatment, 2 FROM decisions
          UNION ALL SELECT letter_id, 'se:' || section_key, 1 FROM citations),
        mine AS (SELECT f.* FROM f JOIN me USING (letter_id))
        SELECT o.letter_id, sum(mine.w) AS score
        FROM mine JOIN f o ON o.f = mine.f AND o.letter_id <> mine.letter_id
        GROUP BY ALL ORDER BY score DESC, o.letter_id LIMIT 10""",
    # The nested questions: each parent's first page and total, by window functions over the parents.
    "nested_treatments_decisions": """
        WITH top AS (
          SELECT treatment, count(*) AS n FROM decisions GROUP BY ALL ORDER BY n DESC, treatment LIMIT 20),
        up AS (
          SELECT d.treatment, d.decision_id, d.item, d.outcome,
                 row_number() OVER (PARTITION BY d.treatment
                                    ORDER BY c.decision_date DESC NULLS FIRST, d.letter_id DESC, d.decision_id) AS rn,
                 count(*) OVER (PARTITION BY d.treatment) AS total
          FROM decisions d JOIN top USING (treatment) JOIN cases c USING (letter_id)
          WHERE d.outcome = 'UPHELD')
        SELECT * FROM up WHERE rn <= 6 ORDER BY treatment, rn""",
    "nested_chapters_cases": """
        WITH dx AS (SELECT DISTINCT chapter, letter_id FROM diagnoses WHERE status = 'stated'),
        ranked AS (
          SELECT dx.chapter, c.letter_id, c.age,
                 row_number() OVER (PARTITION BY dx.chapter ORDER BY c.age DESC NULLS FIRST, c.letter_id) AS rn,
                 count(*) OVER (PARTITION BY dx.chapter) AS total
          FROM dx JOIN cases c USING (letter_id))
        SELECT * FROM ranked WHERE rn <= 6 ORDER BY chapter, rn""",
    # Page 50 by OFFSET: DuckDB has no cursor to seek from.
    "decisions_page_50_keyset": """
        SELECT d.decision_id, d.item, d.outcome, d.treatment, d.treatment_category
        FROM decisions d JOIN cases c USING (letter_id)
        ORDER BY c.decision_date DESC NULLS FIRST, d.letter_id DESC, d.decision_id LIMIT 21 OFFSET 980""",
    "decisions_m54_upheld_page_50_keyset": """
        SELECT d.decision_id, d.item, d.outcome, d.treatment, d.treatment_category
        FROM decisions d JOIN cases c USING (letter_id)
        WHERE d.outcome = 'UPHELD'
          AND letter_id IN (SELECT letter_id FROM diagnoses WHERE icd10 LIKE 'M54%' AND status = 'stated')
        ORDER BY c.decision_date DESC NULLS FIRST, d.letter_id DESC, d.decision_id LIMIT 21 OFFSET 980""",
}
TABLES = ("cases", "decisions", "diagnoses", "citations", "denial_reasons")


class DuckSide:
    """The flat tables in an in-memory DuckDB (loaded once: the fair, fast case for DuckDB)."""

    def __init__(self, parquet_dir: Path) -> None:
        import duckdb

        self.con = duckdb.connect()
        for table in TABLES:
            self.con.execute(
                f"CREATE TABLE {table} AS SELECT * FROM read_parquet('{parquet_dir / table}.parquet')"
            )

    def run(self, name: str, case: str) -> list[Any]:
        params = [case] if "?" in SQL[name] else []
        return self.con.execute(SQL[name], params).fetchall()


def parse_once(letters: Path, work: Path) -> tuple[Path, float]:
    """`imr-graph parse --text` into JSON Lines shards, as a user loading a large corpus would (both the
    graph's bulk load and the flat tables read them, so the letters are parsed once), timed."""
    import time

    shards = work / "shards"
    t = time.perf_counter()
    subprocess.run(
        [str(_cli()), "parse", str(letters), "--text", "--output-dir", str(shards), "--no-progress"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return shards, round(time.perf_counter() - t, 1)


def build_tables(jsonl: Path, work: Path) -> tuple[Path, dict[str, float]]:
    """parse output -> Parquet tables (`imr-graph export --from-jsonl`), as a researcher would, timed."""
    import time

    out = work / "parquet"
    t = time.perf_counter()
    subprocess.run(
        [str(_cli()), "export", str(out), "--from-jsonl", str(jsonl), "--format", "parquet", "--no-progress"],
        check=True,
    )
    return out, {"export_s": round(time.perf_counter() - t, 1)}


def _cli() -> Path:
    return Path(sys.executable).with_name("imr-graph")
