"""Chart declarations in the stored queries' headers: parsed, checked against each query's RETURN
columns, drawn as SVG that references no outside host, with the evidence a reader needs: intervals
and n on rate bars, a visible 0% bar, year lines that break at a missing year and mark estimated
years, axes that cover the data, subtitles in words and the dataset id (issue 26)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from neo4j import Driver
from starlette.testclient import TestClient

from api.graphql.rate_statistics import wilson_interval
from api.web.app import create_app
from api.web.chart_specs import ESTIMATED, ESTIMATED_YEAR, INTERVAL_NOTE, LABEL, N_TEXT, SORTS, describe
from api.web.charts import ChartError, chart_spec, render_svg
from graph_loader import stored_queries as library
from graph_loader.config import Settings
from graph_loader.errors import InvalidArgument
from tests.outside_hosts import outside_hosts
from tests.unit.test_client_errors import FakeGraph, assert_client_error

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


def _rate(upheld: int, decisions: int) -> dict[str, float]:
    bounds = wilson_interval(upheld, decisions)
    assert bounds is not None
    low, high = bounds
    return {"uphold_rate": upheld / decisions, "uphold_rate_low": low, "uphold_rate_high": high}


DATASET = {"id": "3f9c0ffee", "letters": 94, "decisions": 197}
ROWS = [
    {"year": "2015", "category": "PHARMACEUTICAL", "decisions": 4, "upheld": 3, **_rate(3, 4)},
    {"year": "2017", "category": "PHARMACEUTICAL", "decisions": 2, "upheld": 1, **_rate(1, 2)},
    {"year": "2015", "category": "PHYSICAL_MEDICINE", "decisions": 1, "upheld": 1, **_rate(1, 1)},
]
BARS = [
    {"category": "DIAGNOSTIC", "decisions": 25, "upheld": 20, **_rate(20, 25)},
    {"category": "HOME_HEALTH", "decisions": 1, "upheld": 0, **_rate(0, 1)},
    {"category": "DME", "decisions": 3, "upheld": 3, **_rate(3, 3)},
]


def _layers(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {layer["mark"]["type"]: layer for layer in spec["layer"]}


def _values(spec: dict[str, Any]) -> list[dict[str, Any]]:
    (values,) = spec["datasets"].values()
    return list(values)


def test_rate_bars_draw_their_interval_and_their_n() -> None:
    query = library.get("uphold_rates_by_category")
    spec = chart_spec(query, query.example_params, BARS, dataset=DATASET)
    layers = _layers(spec)
    bar, rule, text = layers["bar"]["encoding"], layers["rule"]["encoding"], layers["text"]["encoding"]
    assert (bar["x"]["field"], bar["x"]["axis"]["format"], bar["y"]["sort"]) == ("uphold_rate", ".0%", None)
    assert (rule["x"]["field"], rule["x2"]["field"]) == ("uphold_rate_low", "uphold_rate_high")
    # The n sits at the interval's end, so it never overprints the line.
    assert text["x"]["field"] == "uphold_rate_high" and text["text"]["field"] == N_TEXT
    assert [v[N_TEXT] for v in _values(spec)] == ["n=25", "0%, n=1", "n=3"]
    assert spec["title"]["subtitle"][1] == INTERVAL_NOTE
    # Inline data only (Altair names it and puts it in "datasets").
    assert "url" not in spec["data"]


def test_a_zero_bar_keeps_a_mark_and_its_label() -> None:
    query = library.get("uphold_rates_by_category")
    spec = chart_spec(query, query.example_params, BARS, dataset=DATASET)
    tick = _layers(spec)["tick"]
    assert tick["transform"] == [{"filter": "datum['uphold_rate'] === 0"}]
    svg = render_svg(spec)
    assert "HOME_HEALTH" in svg and "0%, n=1" in svg


def test_axes_cover_every_bar_and_interval() -> None:
    query = library.get("uphold_rates_by_category")
    rate = chart_spec(query, query.example_params, BARS)
    assert _layers(rate)["bar"]["encoding"]["x"]["scale"]["domain"] == [0, 1]
    assert all(0 <= v["uphold_rate_low"] <= v["uphold_rate_high"] <= 1 for v in _values(rate))
    # Two guidelines with a section of the same name: one bar each, never one stacked bar longer
    # than the axis (the flagship's "Special Studies" did that).
    flagship = library.get("flagship_guideline_sections")
    rows = [
        {"section": "Special Studies", "guideline": "Neck", "decisions": 2},
        {"section": "Special Studies", "guideline": "Low Back", "decisions": 1},
        {"section": "Muscle relaxants", "guideline": "Chronic Pain", "decisions": 1},
    ]
    spec = chart_spec(flagship, flagship.example_params, rows)
    labels = [v[LABEL] for v in _values(spec)]
    assert labels == ["Special Studies (Neck)", "Special Studies (Low Back)", "Muscle relaxants"]
    x = _layers(spec)["bar"]["encoding"]["x"]
    assert x["scale"]["domain"][1] >= max(r["decisions"] for r in rows)
    assert x["axis"]["values"] == [0, 1, 2]
    # group_by GUIDELINE returns no section: the bar is named by its guideline.
    whole = chart_spec(
        flagship, flagship.example_params, [{"section": None, "guideline": "ODG", "decisions": 4}]
    )
    assert _values(whole)[0][LABEL] == "ODG"


def test_bars_sort_by_rate_or_n_on_request() -> None:
    query = library.get("uphold_rates_by_category")
    by = {sort: [v["category"] for v in _values(chart_spec(query, {}, BARS, sort=sort))] for sort in SORTS}
    assert by == {"rate": ["DME", "DIAGNOSTIC", "HOME_HEALTH"], "n": ["DIAGNOSTIC", "DME", "HOME_HEALTH"]}
    assert [v["category"] for v in _values(chart_spec(query, {}, BARS))] == [
        "DIAGNOSTIC",
        "HOME_HEALTH",
        "DME",
    ]
    svg = render_svg(chart_spec(query, {}, BARS, sort="rate"))
    assert svg.index("DME") < svg.index("DIAGNOSTIC") < svg.index("HOME_HEALTH")


def test_bars_keep_the_query_order() -> None:
    query = library.get("denial_reasons_for_treatment")
    rows = [{"reason": "B_FIRST", "decisions": 5}, {"reason": "A_SECOND", "decisions": 2}]
    spec = chart_spec(query, query.example_params, rows)
    bar = _layers(spec)["bar"]["encoding"]
    assert bar["y"]["sort"] is None and bar["x"]["axis"]["values"] == list(range(6))
    assert "rule" not in _layers(spec), "a count has no interval to draw"
    svg = render_svg(spec)
    assert svg.index("B_FIRST") < svg.index("A_SECOND")


def test_year_lines_break_at_a_missing_year_and_mark_estimated_years() -> None:
    query = library.get("uphold_rates_by_year_and_category")
    rows = [*ROWS, {**ROWS[0], "year": "2016", "category": "PHYSICAL_MEDICINE", "estimated_year": 1}]
    spec = chart_spec(query, query.example_params, rows, dataset=DATASET)
    values = _values(spec)
    # 2016 has no pharmaceutical decisions: a null point there, which the line breaks at.
    gap = [v for v in values if v["category"] == "PHARMACEUTICAL" and v["year"] == 2016]
    assert len(gap) == 1 and gap[0]["uphold_rate"] is None
    layers = _layers(spec)
    assert layers["line"]["mark"]["invalid"] == "break-paths-filter-domains"
    assert layers["line"]["encoding"]["x"]["axis"]["values"] == [2015, 2016, 2017]
    assert (layers["rule"]["encoding"]["y"]["field"], layers["rule"]["encoding"]["y2"]["field"]) == (
        "uphold_rate_low",
        "uphold_rate_high",
    )
    estimated = [v for v in values if v[ESTIMATED] == ESTIMATED_YEAR]
    assert [(v["year"], v["category"]) for v in estimated] == [(2016, "PHYSICAL_MEDICINE")]
    assert "triangles: the year is estimated for some of its letters" in spec["title"]["subtitle"]
    assert layers["point"]["encoding"]["shape"]["scale"]["range"] == ["circle", "triangle-up"]
    svg = render_svg(spec)
    assert svg.startswith("<svg") and "Uphold rate by year" in svg and "PHYSICAL_MEDICINE" in svg
    assert outside_hosts(svg, set()) == []


def test_a_year_line_leaves_out_undated_decisions_and_says_so() -> None:
    query = library.get("outcomes_by_year")
    rows = [
        {"year": "2016", "decisions": 5, "upheld": 4, "estimated_year": 0, **_rate(4, 5)},
        {"year": "unknown", "decisions": 3, "upheld": 3, "estimated_year": 0, **_rate(3, 3)},
    ]
    spec = chart_spec(query, query.example_params, rows)
    assert [v["year"] for v in _values(spec)] == [2016]
    assert "3 decisions without a year are not drawn" in spec["title"]["subtitle"]
    assert "n=5" in render_svg(spec)


def test_subtitles_are_words_and_the_caption_names_the_dataset() -> None:
    flagship = library.get("flagship_guideline_sections")
    rows = [{"section": "Special Studies", "guideline": "Low Back", "decisions": 2}]
    spec = chart_spec(flagship, flagship.example_params, rows, dataset=DATASET)
    words, *_, caption = spec["title"]["subtitle"]
    assert (
        words
        == "radiculopathy, lumbar region (M54.16), upheld, cited by the IMR reviewer, per section, top 20"
    )
    assert caption == "dataset 3f9c0ffee (94 letters, 197 decisions)"
    assert not any("=" in line and "n =" not in line for line in spec["title"]["subtitle"])
    assert describe({"min_decisions": 1, "category": None}) == "all decisions"
    assert describe({"min_decisions": 5, "year": 2016, "include_uncertain": True}) == (
        "at least 5 decisions each, decided in 2016, counting rule-outs, history and findings"
    )
    assert chart_spec(flagship, {}, rows)["title"]["subtitle"][-1].startswith("dataset: none recorded")
    empty = render_svg(chart_spec(flagship, flagship.example_params, []))
    assert "no rows for these parameters" in empty


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    settings = Settings(uri="bolt://127.0.0.1:1", user="neo4j", password="x")
    graph = FakeGraph(driver=cast(Driver, None), database="neo4j")
    with TestClient(create_app(settings, graph=graph), raise_server_exceptions=False) as served:
        yield served


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        ("uphold_rates_by_treatment", {"sort": "bogus"}, "parameter 'sort' takes rate or n, not 'bogus'"),
        ("uphold_rates_by_treatment", [("sort", "n"), ("sort", "rate")], "parameter 'sort' is given 2 times"),
        ("denial_reasons_for_treatment", {"sort": "rate"}, "this chart draws no rate; sort=n orders it"),
        ("outcomes_by_year", {"sort": "n"}, "parameter 'sort' orders bars; this chart draws a line"),
    ],
)
def test_a_bad_sort_is_a_400_with_its_own_message(
    client: TestClient, path: str, params: Any, message: str
) -> None:
    assert_client_error(client.get(f"/charts/{path}.svg", params=params), 400, message)


def test_a_good_sort_is_served(client: TestClient) -> None:
    for sort in SORTS:
        r = client.get("/charts/uphold_rates_by_treatment.svg", params={"sort": sort})
        assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")


def test_a_spec_cannot_make_the_renderer_fetch() -> None:
    with pytest.raises(ValueError, match="not allowed"):
        render_svg({"data": {"url": "http://192.0.2.1/x.csv"}, "mark": "point"})


def test_a_declared_column_the_rows_lack_is_a_clear_error() -> None:
    query = library.get("denial_reasons_for_treatment")
    with pytest.raises(ChartError, match=r"denial_reasons_for_treatment\.cypher: chart column"):
        chart_spec(query, {}, [{"decisions": 1}])
