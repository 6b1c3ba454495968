"""Chart declarations in the stored queries' headers: parsed, checked against each query's RETURN
columns, drawn as SVG that references no outside host."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.web.charts import ChartError, chart_spec, render_svg
from graph_loader import stored_queries as library
from graph_loader.errors import InvalidArgument
from tests.outside_hosts import outside_hosts

CHARTED = [q for q in library.all_queries() if q.chart is not None]


def test_the_charts_the_issue_asks_for_are_declared() -> None:
    names = {q.name for q in CHARTED}
    assert {
        "uphold_rates_by_year_and_category",
        "flagship_guideline_sections",
        "denial_reasons_for_treatment",
    } <= names
    year = library.get("uphold_rates_by_year_and_category").chart
    assert year is not None and (year.mark, year.x.column, year.y.column) == ("line", "year", "uphold_rate")
    assert year.color is not None and year.color.column == "category"


@pytest.mark.parametrize("query", CHARTED, ids=[q.name for q in CHARTED])
def test_chart_columns_are_return_columns(query: library.StoredQuery) -> None:
    assert query.chart is not None
    returned = library.return_columns(query.cypher)
    missing = [c for c in query.chart.columns if c not in returned]
    assert not missing, f"cypher/{query.name}.cypher: chart names {missing}, RETURN gives {returned}"


def test_return_columns_reads_the_final_top_level_return() -> None:
    cypher = """CALL () { MATCH (a) RETURN a AS inner }
    WITH inner RETURN inner.x AS x, count(*) AS n, COLLECT { MATCH (b) RETURN b.y } AS ys, 'a, RETURN b' AS s
    ORDER BY n DESC LIMIT 3"""
    assert library.return_columns(cypher) == ["x", "n", "ys", "s"]
    assert library.return_columns("MATCH p = ()-->() RETURN p") == ["p"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("mark=pie x=a y=b", "mark 'pie' is not one of"),
        ("mark=bar x=a", "y missing"),
        ("mark=bar x=a y=b size=c", "unknown key 'size'"),
        ("mark=bar x=a y=b:Z", "y='b:Z' must be a RETURN column"),
        ("mark=bar x=a x=b y=c", "'x' is given twice"),
        ("mark=bar x y=b", "'x' is not key=value"),
    ],
)
def test_bad_declarations_name_the_file_and_the_problem(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "broken.cypher"
    path.write_text(
        f"// title: Broken\n// description: d\n// chart: {text}\nMATCH (n) RETURN n.a AS a, n.b AS b\n"
    )
    with pytest.raises(library.LibraryError, match=r"broken\.cypher: chart: ") as caught:
        library.parse_stored(path)
    assert problem in str(caught.value) and "\n" not in str(caught.value)


def test_declared_types_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "typed.cypher"
    path.write_text(
        "// title: T\n// description: d\n// chart: mark=point x=a:T y=b:Q color=c:O\nRETURN 1 AS a\n"
    )
    chart = library.parse_stored(path).chart
    assert chart == library.ChartSpec(
        "point", library.Channel("a", "T"), library.Channel("b", "Q"), library.Channel("c", "O")
    )


def test_query_string_values_take_the_header_types() -> None:
    flagship = library.get("flagship_guideline_sections")
    params = library.params_from_text(
        flagship, {"diagnosis_codes": ["M54", "M51"], "first": ["5"], "outcome": ["OVERTURNED"]}
    )
    assert params["diagnosis_codes"] == ["M54", "M51"] and params["first"] == 5
    assert params["outcome"] == "OVERTURNED" and params["group_by"] == "SECTION"
    assert library.params_from_text(flagship, {"diagnosis_codes": ['["M54.16"]']})["diagnosis_codes"] == [
        "M54.16"
    ]
    by_year = library.get("outcomes_by_year")
    assert library.params_from_text(by_year, {"category": ["PHARMACEUTICAL"]})["category"] == "PHARMACEUTICAL"
    with pytest.raises(InvalidArgument, match="parameter 'first' must be a number, not 'many'"):
        library.params_from_text(flagship, {"first": ["many"]})
    with pytest.raises(InvalidArgument, match="has no parameter 'colour'"):
        library.params_from_text(flagship, {"colour": ["red"]})
    with pytest.raises(InvalidArgument, match="'first' is given 2 times"):
        library.params_from_text(flagship, {"first": ["1", "2"]})


ROWS = [
    {"year": "2015", "category": "PHARMACEUTICAL", "decisions": 4, "upheld": 3, "uphold_rate": 0.75},
    {"year": "2016", "category": "PHARMACEUTICAL", "decisions": 2, "upheld": 1, "uphold_rate": 0.5},
    {"year": "2015", "category": "PHYSICAL_MEDICINE", "decisions": 1, "upheld": 1, "uphold_rate": 1.0},
]


def test_chart_spec_follows_the_declaration() -> None:
    query = library.get("uphold_rates_by_year_and_category")
    spec = chart_spec(query, query.example_params, ROWS)
    encoding = spec["encoding"]
    assert (spec["mark"]["type"], encoding["x"]["field"], encoding["x"]["type"]) == (
        "line",
        "year",
        "ordinal",
    )
    assert (encoding["y"]["field"], encoding["y"]["type"], encoding["y"]["axis"]["format"]) == (
        "uphold_rate",
        "quantitative",
        ".0%",
    )
    assert encoding["color"]["field"] == "category" and spec["title"]["text"] == query.title
    # Inline data only (Altair names it and puts it in "datasets"), with just the charted columns.
    assert "url" not in spec["data"]
    (values,) = spec["datasets"].values()
    assert len(values) == len(ROWS) and set(values[0]) == {"year", "uphold_rate", "category"}


def test_bars_keep_the_query_order() -> None:
    query = library.get("denial_reasons_for_treatment")
    rows = [{"reason": "B_FIRST", "decisions": 5}, {"reason": "A_SECOND", "decisions": 2}]
    spec = chart_spec(query, query.example_params, rows)
    assert spec["encoding"]["y"]["sort"] is None and spec["encoding"]["x"]["axis"]["values"] == list(range(6))
    svg = render_svg(spec)
    assert svg.index("B_FIRST") < svg.index("A_SECOND")


def test_svg_is_self_contained() -> None:
    query = library.get("uphold_rates_by_year_and_category")
    svg = render_svg(chart_spec(query, query.example_params, ROWS))
    assert svg.startswith("<svg") and "Uphold rate by year" in svg and "PHYSICAL_MEDICINE" in svg
    assert outside_hosts(svg, set()) == []
    empty = render_svg(chart_spec(query, query.example_params, []))
    assert "no rows for these parameters" in empty


def test_a_spec_cannot_make_the_renderer_fetch() -> None:
    with pytest.raises(ValueError, match="not allowed"):
        render_svg({"data": {"url": "http://192.0.2.1/x.csv"}, "mark": "point"})


def test_a_declared_column_the_rows_lack_is_a_clear_error() -> None:
    query = library.get("denial_reasons_for_treatment")
    with pytest.raises(ChartError, match=r"denial_reasons_for_treatment\.cypher: chart column"):
        chart_spec(query, {}, [{"decisions": 1}])
