"""The Vega-Lite spec of a stored query's chart, drawn so a reader can judge it: a rate bar carries its
95% interval (the query's `<rate>_low`/`<rate>_high` columns) and its n, a 0% bar keeps a visible
mark, a year line breaks where a year has no decisions and marks the years estimated for some
letters, the axes cover every bar and interval, and the subtitle says in words what was asked and
which dataset answered (the same Dataset node as the GraphQL answers' extensions.dataset)."""

from __future__ import annotations

from typing import Any

import altair as alt

from graph_loader import stored_queries as library
from graph_loader.errors import ImrGraphError
from graph_loader.graph.rows import icd_chain

WIDTH = 560
LINE_HEIGHT = 300
BAR_STEP = 18
# Longest axis label before Vega truncates it with an ellipsis (section names run long).
LABEL_LIMIT = 320
SORTS = ("rate", "n")
# The field the bars are labelled by: the query's columns are snake_case, so no clash.
LABEL = "Label"
N_TEXT = "N text"
ESTIMATED = "Year"
AT = "At"
STATED_YEAR = "from the letters"
ESTIMATED_YEAR = "estimated for some letters"
INTERVAL_NOTE = "bars: uphold rate; lines: 95% interval; n = decisions"
YEAR_NOTE = "points: uphold rate; vertical lines: 95% interval"
BAR_COLOR = "#4c78a8"


class ChartError(ImrGraphError):
    """A chart's declaration does not match what its query returned (a bug in cypher/, not the client's)."""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_fraction(column: str) -> bool:
    return column.endswith("rate") or column == "share"


def _title(column: str) -> str:
    return column.replace("_", " ")


def _words_of_codes(codes: list[str]) -> str:
    named = []
    for code in codes:
        chain = icd_chain(code)
        named.append(f"{chain[0][1][:1].lower()}{chain[0][1][1:]} ({code})" if chain else code)
    return " or ".join(named)


def _phrase(key: str, value: Any) -> str | None:
    """One parameter in words; None when its value is the no-filter default."""
    if value is None or value is False or (key == "min_decisions" and value == 1):
        return None
    if key == "diagnosis_codes":
        return _words_of_codes(list(value))
    if key == "outcome":
        return str(value).lower()
    if key == "cited_by":
        return {
            "IMR_REVIEWER": "cited by the IMR reviewer",
            "CLAIMS_ADMINISTRATOR": "cited by the claims administrator",
            "RATIONALE": "cited in the rationale",
        }.get(value, f"cited by {value}")
    if key == "group_by":
        return f"per {str(value).lower()}"
    if key == "include_uncertain":
        return "counting rule-outs, history and findings"
    if key == "first":
        return f"top {value}"
    if key == "min_decisions":
        return f"at least {value} decisions each"
    if key == "year":
        return f"decided in {value}"
    if key == "category":
        return f"{str(value).replace('_', ' ').lower()} requests"
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return f"{_title(key)}: {value}"


def describe(params: dict[str, Any]) -> str:
    """The parameters in words: "radiculopathy, lumbar region (M54.16), upheld, cited by the IMR reviewer"."""
    phrases = [p for k, v in params.items() if (p := _phrase(k, v))]
    return ", ".join(phrases) if phrases else "all decisions"


def caption(dataset: dict[str, Any] | None) -> str:
    if not dataset:
        return "dataset: none recorded (no load has finished on this graph)"
    return f"dataset {dataset.get('id')} ({dataset.get('letters')} letters, {dataset.get('decisions')} decisions)"


def _interval(rate: str, rows: list[dict[str, Any]]) -> tuple[str, str] | None:
    low, high = f"{rate}_low", f"{rate}_high"
    return (low, high) if rows and low in rows[0] and high in rows[0] else None


def sort_rows(rows: list[dict[str, Any]], sort: str | None, rate: str | None, n: str) -> list[dict[str, Any]]:
    """Bars by rate (highest first, the larger n first on a tie) or by n; None keeps the query's order."""
    if sort == "rate" and rate:
        return sorted(rows, key=lambda r: (-(r.get(rate) or 0.0), -(r.get(n) or 0)))
    if sort == "n":
        return sorted(rows, key=lambda r: -(r.get(n) or 0))
    return rows


def _labels(rows: list[dict[str, Any]], y: str, color: str | None) -> list[str]:
    """One distinct label per bar: a section named alike in two guidelines would otherwise stack into
    one bar longer than the axis; a row without a label (group_by GUIDELINE) takes its colour's."""
    raw = [r.get(y) if r.get(y) is not None else (r.get(color) if color else None) for r in rows]
    text = [str(v) if v is not None else "(none)" for v in raw]
    repeated = {t for t in text if text.count(t) > 1}
    out = []
    for label, row in zip(text, rows, strict=True):
        if label in repeated and color and row.get(color) is not None and row.get(color) != label:
            label = f"{label} ({row[color]})"
        out.append(label)
    return out


def _count_axis(values: list[Any]) -> Any:
    # Counts under 10 get a tick per whole number; Vega would otherwise label 0.5 decisions.
    top = max((v for v in values if _is_number(v)), default=0)
    whole = all(isinstance(v, int) and not isinstance(v, bool) for v in values if v is not None)
    if whole and top < 10:
        return alt.Axis(values=list(range(int(top) + 1)), format="d")
    return alt.Undefined


def _bar_spec(spec: library.ChartSpec, rows: list[dict[str, Any]], sort: str | None) -> tuple[Any, list[str]]:
    horizontal = spec.x.type not in ("N", "O") and (spec.x.type == "Q" or _is_quantity(spec.x.column, rows))
    value_ch, label_ch = (spec.x, spec.y) if horizontal else (spec.y, spec.x)
    value = value_ch.column
    color = spec.color.column if spec.color else None
    rate = value if is_fraction(value) else None
    n = "decisions" if rows and "decisions" in rows[0] else value
    ordered = sort_rows(rows, sort, rate, n)
    labels = _labels(ordered, label_ch.column, color)
    bounds = _interval(value, ordered) if rate else None
    data = []
    for row, label in zip(ordered, labels, strict=True):
        item = {c: row.get(c) for c in {*spec.columns, n, *(bounds or ())}}
        count = row.get(n)
        item[LABEL] = label
        item[N_TEXT] = (f"0%, n={count}" if row.get(value) == 0 else f"n={count}") if rate else f"{count}"
        data.append(item)
    notes: list[str] = []
    value_axis: dict[str, Any] = {"title": _title(value)}
    if rate:
        value_axis.update(scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".0%"))
    else:
        top = max((r.get(value) or 0 for r in data), default=0)
        value_axis.update(
            scale=alt.Scale(domain=[0, max(top, 1)]), axis=_count_axis([r.get(value) for r in data])
        )
    quantity = (alt.X if horizontal else alt.Y)(f"{value}:Q", **value_axis)
    category = (alt.Y if horizontal else alt.X)(
        f"{LABEL}:N",
        title=None,
        sort=None,
        axis=alt.Axis(labelLimit=LABEL_LIMIT, labelAngle=0 if not horizontal else alt.Undefined),
    )
    base = alt.Chart(alt.InlineData(values=data))
    bar_enc: dict[str, Any] = {"x" if horizontal else "y": quantity, "y" if horizontal else "x": category}
    if color:
        bar_enc["color"] = alt.Color(
            f"{color}:N",
            title=_title(color),
            legend=alt.Legend(orient="bottom", columns=2, labelLimit=LABEL_LIMIT),
        )
    layers: list[Any] = [base.mark_bar().encode(**bar_enc)]
    pos = "x" if horizontal else "y"
    cat = {
        "y" if horizontal else "x": alt.Y(f"{LABEL}:N", sort=None)
        if horizontal
        else alt.X(f"{LABEL}:N", sort=None)
    }
    end = value
    if bounds:
        low, high = bounds
        layers.append(
            base.mark_rule(color="black", strokeWidth=1.5).encode(
                **{pos: alt.X(f"{low}:Q") if horizontal else alt.Y(f"{low}:Q"), f"{pos}2": f"{high}:Q"}, **cat
            )
        )
        end = high
        notes.append(INTERVAL_NOTE)
    elif rate:
        notes.append("bars: uphold rate; n = decisions")
    if rate:
        # A 0% bar has no length: a thin mark at zero keeps it visible, and its label says 0%.
        layers.append(
            base.transform_filter(f"datum['{value}'] === 0")
            # Moved off the axis line, which would otherwise hide it.
            .mark_tick(
                color=BAR_COLOR,
                thickness=3,
                size=BAR_STEP - 4,
                xOffset=2 if horizontal else 0,
                yOffset=0 if horizontal else -2,
            )
            .encode(**{pos: alt.X(f"{value}:Q") if horizontal else alt.Y(f"{value}:Q")}, **cat)
        )
    layers.append(
        base.mark_text(
            align="left" if horizontal else "center",
            dx=4 if horizontal else 0,
            dy=0 if horizontal else -6,
            fontSize=10,
            color="#333",
        ).encode(**{pos: alt.X(f"{end}:Q") if horizontal else alt.Y(f"{end}:Q")}, **cat, text=f"{N_TEXT}:N")
    )
    return alt.layer(*layers), notes


def _is_quantity(column: str, rows: list[dict[str, Any]]) -> bool:
    values = [r.get(column) for r in rows if r.get(column) is not None]
    return bool(values) and all(_is_number(v) for v in values)


def _year_spec(spec: library.ChartSpec, rows: list[dict[str, Any]]) -> tuple[Any, list[str]]:
    """A line over whole years: a year with no decisions is a gap (a null point breaks the line), not a
    straight segment; a point whose year is estimated for some of its letters is drawn as a triangle.
    Series sit a little apart within a year so their interval lines do not hide one another."""
    x, y = spec.x.column, spec.y.column
    color = spec.color.column if spec.color else None
    bounds = _interval(y, rows)
    notes: list[str] = []
    if is_fraction(y):
        notes.append(YEAR_NOTE if bounds else f"points: {_title(y)}")
    dated = [r for r in rows if str(r.get(x)).isdigit()]
    undated = sum(r.get("decisions") or 0 for r in rows if not str(r.get(x)).isdigit())
    if undated:
        notes.append(f"{undated} decisions without a year are not drawn")
    years = sorted({int(str(r[x])) for r in dated})
    span = list(range(years[0], years[-1] + 1)) if years else []
    keep = {*spec.columns, "decisions", "estimated_year", *(bounds or ())}
    series = list(dict.fromkeys(r.get(color) for r in dated)) if color else [None]
    step = min(0.1, 0.8 / len(series)) if len(series) > 1 else 0.0
    data: list[dict[str, Any]] = []
    for index, name in enumerate(series):
        mine = {int(str(r[x])): r for r in dated if not color or r.get(color) == name}
        for year in span:
            row = mine.get(year)
            item: dict[str, Any] = {c: (row.get(c) if row else None) for c in keep}
            item[x] = year
            item[AT] = year + (index - (len(series) - 1) / 2) * step
            if color:
                item[color] = name
            estimated = bool(row and (row.get("estimated_year") or 0) > 0)
            item[ESTIMATED] = ESTIMATED_YEAR if estimated else STATED_YEAR
            data.append(item)
    marked = any(d[ESTIMATED] == ESTIMATED_YEAR and d[y] is not None for d in data)
    if marked:
        notes.append("triangles: the year is estimated for some of its letters")
    fraction = is_fraction(y)
    y_enc = alt.Y(
        f"{y}:Q",
        title=_title(y),
        scale=alt.Scale(domain=[0, 1]) if fraction else alt.Undefined,
        axis=alt.Axis(format=".0%") if fraction else _count_axis([d[y] for d in data]),
    )
    pad = [span[0] - 0.5, span[-1] + 0.5] if span else alt.Undefined
    x_enc = alt.X(
        f"{AT}:Q", title=_title(x), scale=alt.Scale(domain=pad), axis=alt.Axis(values=span, format="d")
    )
    base = alt.Chart(alt.InlineData(values=data)).encode(x=x_enc)
    drawn = base.transform_filter(f"datum['{y}'] !== null")
    series_enc: dict[str, Any] = {}
    if color:
        series_enc["color"] = alt.Color(
            f"{color}:N",
            title=_title(color),
            legend=alt.Legend(orient="bottom", columns=2, labelLimit=LABEL_LIMIT),
        )
    # The gaps: a null rate breaks the path instead of being filtered out and bridged.
    layers: list[Any] = [base.mark_line(invalid="break-paths-filter-domains").encode(y=y_enc, **series_enc)]
    if bounds:
        layers.append(
            drawn.mark_rule(strokeWidth=1.5).encode(
                y=alt.Y(f"{bounds[0]}:Q"), y2=f"{bounds[1]}:Q", **series_enc
            )
        )
    layers.append(
        drawn.mark_point(filled=True, size=60, opacity=1).encode(
            y=alt.Y(f"{y}:Q"),
            shape=alt.Shape(
                f"{ESTIMATED}:N",
                title="year",
                scale=alt.Scale(domain=[STATED_YEAR, ESTIMATED_YEAR], range=["circle", "triangle-up"]),
                # The symbol is explained only where a triangle is drawn.
                legend=alt.Legend(orient="bottom") if marked else None,
            ),
            **series_enc,
        )
    )
    if not color and "decisions" in keep:
        layers.append(
            drawn.transform_calculate(**{N_TEXT: "'n=' + datum.decisions"})
            .mark_text(dx=7, dy=-8, align="left", fontSize=10, color="#333")
            .encode(y=alt.Y(f"{y}:Q"), text=f"{N_TEXT}:N")
        )
    return alt.layer(*layers), notes


def _plain_spec(spec: library.ChartSpec, rows: list[dict[str, Any]]) -> Any:
    """A declared chart with no rate and no year axis, drawn as declared."""

    def kind(channel: library.Channel) -> str:
        return channel.type or ("Q" if _is_quantity(channel.column, rows) else "O")

    encodings: dict[str, Any] = {
        "x": alt.X(f"{spec.x.column}:{kind(spec.x)}", title=_title(spec.x.column), sort=None),
        "y": alt.Y(f"{spec.y.column}:{kind(spec.y)}", title=_title(spec.y.column), sort=None),
    }
    if spec.color:
        encodings["color"] = alt.Color(
            f"{spec.color.column}:{kind(spec.color)}", title=_title(spec.color.column)
        )
    data = [{c: r.get(c) for c in spec.columns} for r in rows]
    chart = alt.Chart(alt.InlineData(values=data))
    marked = chart.mark_area(opacity=0.7) if spec.mark == "area" else chart.mark_line(point=True)
    return (chart.mark_point(filled=True) if spec.mark == "point" else marked).encode(**encodings)


def chart_spec(
    query: library.StoredQuery,
    params: dict[str, Any],
    rows: list[dict[str, Any]],
    *,
    dataset: dict[str, Any] | None = None,
    sort: str | None = None,
) -> dict[str, Any]:
    """The Vega-Lite spec of `query`'s declared chart over `rows` (the data inline)."""
    spec = query.chart
    if spec is None:
        raise ChartError(f"{query.name} declares no chart")
    if rows:
        missing = [c for c in spec.columns if c not in rows[0]]
        if missing:
            raise ChartError(f"cypher/{query.name}.cypher: chart column(s) {', '.join(missing)} not returned")
    if spec.mark in ("line", "area", "point") and spec.x.column == "year":
        chart, notes = _year_spec(spec, rows)
    elif spec.mark == "bar":
        chart, notes = _bar_spec(spec, rows, sort)
    else:
        chart, notes = _plain_spec(spec, rows), []
    lines = [describe(params) if rows else "no rows for these parameters", *notes, caption(dataset)]
    horizontal_bars = spec.mark == "bar" and not (
        spec.x.type in ("N", "O") or not _is_quantity(spec.x.column, rows)
    )
    height: Any = alt.Step(BAR_STEP) if horizontal_bars and rows else LINE_HEIGHT
    titled = chart.properties(
        title=alt.TitleParams(query.title, subtitle=lines, anchor="start"), width=WIDTH, height=height
    )
    result: dict[str, Any] = titled.to_dict()
    return result
