"""The dashboards' SVG charts: well-formed, described for screen readers, one mark per value with
its value written beside it, series told apart without colour, and nothing the content security
policy would refuse. Built from Table objects alone: no database."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from reporting.dashboards.charts import nice_ticks, render_chart
from reporting.dashboards.tables import Chart, Column, Row, Table

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def marks(root: ET.Element, name: str) -> list[ET.Element]:
    return [el for el in root.iter() if name in el.get("class", "").split()]


def texts(root: ET.Element, name: str) -> list[str]:
    return ["".join(el.itertext()) for el in marks(root, name)]


def table(kind: str, rows, *, values=("count",), labels=None, key="measure", summary="Summary."):
    labels = labels or [f"Series {i}" for i in range(len(values))]
    columns = (
        Column("label", "Category", "text"),
        *(
            Column(f"v{i}", label, "percent" if kind_ == "percent" else "count")
            for i, (label, kind_) in enumerate(zip(labels, values, strict=True))
        ),
    )
    return Table(
        key=key,
        title="A measure & its <title>",
        summary=summary,
        columns=columns,
        rows=tuple(Row(key=str(n), cells=cells) for n, cells in enumerate(rows)),
        chart=Chart(kind, "label", tuple(f"v{i}" for i in range(len(values)))),
    )


HARM_TYPES = [
    ("Child criminal exploitation, including county lines", 12),
    ("Gangs", 3),
    ("Serious youth violence", 7),
]


def test_bar_chart_is_an_image_named_by_its_title_and_described_by_the_summary():
    root = parse(render_chart(table("bar", HARM_TYPES, summary="Twelve young people had CCE.")))

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    by_id = {el.get("id"): el for el in root.iter() if el.get("id")}
    assert by_id[title_id].tag == f"{SVG}title"
    assert by_id[title_id].text == "A measure & its <title>"
    assert by_id[desc_id].tag == f"{SVG}desc"
    assert by_id[desc_id].text == (
        "Bar chart of series 0 by category. Twelve young people had CCE. The table that follows "
        "gives every figure."
    )


def test_bar_chart_has_one_bar_per_value_each_labelled_with_its_value():
    root = parse(render_chart(table("bar", HARM_TYPES)))

    bars = marks(root, "csafe-chart__bar")
    assert [b.get("data-value") for b in bars] == ["12", "3", "7"]
    widths = [float(b.get("width")) for b in bars]
    assert widths[0] > widths[2] > widths[1] > 0
    assert texts(root, "csafe-chart__value") == ["12", "3", "7"]
    assert texts(root, "csafe-chart__label")[1:] == ["Gangs", "Serious youth violence"]
    # One series: no legend, and the axis says what the bars count.
    assert marks(root, "csafe-chart__legend") == []
    assert texts(root, "csafe-chart__axis-title") == ["Series 0"]


def test_axis_has_round_ticks_from_zero_past_the_largest_value():
    root = parse(render_chart(table("bar", HARM_TYPES)))

    assert texts(root, "csafe-chart__tick") == ["0", "5", "10", "15"]


def test_a_long_label_is_shortened_in_the_chart():
    name = "A harm type whose name is much too long to fit beside its bar in the chart"
    root = parse(render_chart(table("bar", [(name, 1)])))

    [label] = texts(root, "csafe-chart__label")
    assert label.endswith("…")
    assert name.startswith(label[:-1])


def test_grouped_bars_draw_every_series_for_every_row_with_a_legend():
    rows = [("Peer group", 5, 3, 1), ("School", 2, 0, 0)]
    root = parse(
        render_chart(
            table("bar", rows, values=("count",) * 3, labels=("Open today", "Opened", "Closed"))
        )
    )

    bars = marks(root, "csafe-chart__bar")
    assert [(b.get("data-series"), b.get("data-value")) for b in bars] == [
        ("0", "5"),
        ("1", "3"),
        ("2", "1"),
        ("0", "2"),
        ("1", "0"),
        ("2", "0"),
    ]
    assert texts(root, "csafe-chart__legend-label") == ["Open today", "Opened", "Closed"]


def test_stacked_bars_differ_by_pattern_not_only_colour_and_label_totals():
    rows = [("Team A", 12, 3, 4, 1), ("Team B", 40, 7, 0, 2)]
    root = parse(render_chart(table("stacked_bar", rows, values=("count",) * 4)))

    bars = marks(root, "csafe-chart__bar")
    assert len(bars) == 8
    fills = {b.get("data-series"): b.get("fill") for b in bars}
    assert len(set(fills.values())) == 4
    # The first series is solid; the others are patterns defined in the chart itself.
    patterns = {p.get("id") for p in root.iter(f"{SVG}pattern")}
    assert fills["0"].startswith("#")
    for series in "123":
        assert fills[series] == f"url(#chart-measure-pattern-{series})"
        assert f"chart-measure-pattern-{series}" in patterns
    # Segments sit end to end.
    first_row = bars[:4]
    for left, right in zip(first_row, first_row[1:], strict=False):
        end = float(left.get("x")) + float(left.get("width"))
        assert float(right.get("x")) == pytest.approx(end, abs=0.1)
    assert texts(root, "csafe-chart__value--total") == ["20", "49"]


def test_line_chart_has_a_point_per_value_a_line_per_series_and_labelled_points():
    months = [("Jan 2026", 4, 1), ("Feb 2026", 6, 2), ("Mar 2026", 5, 5)]
    root = parse(
        render_chart(
            table("line", months, values=("count", "count"), labels=("Referrals", "Extra"))
        )
    )

    assert len(marks(root, "csafe-chart__line")) == 2
    points = marks(root, "csafe-chart__point")
    assert [(p.get("data-series"), p.get("data-value")) for p in points] == [
        ("0", "4"),
        ("0", "6"),
        ("0", "5"),
        ("1", "1"),
        ("1", "2"),
        ("1", "5"),
    ]
    # Where both series meet (5 in March) one label serves both.
    assert sorted(texts(root, "csafe-chart__value")) == sorted(["4", "1", "6", "2", "5"])
    # Months under the axis, a word a line.
    assert texts(root, "csafe-chart__label") == ["Jan2026", "Feb2026", "Mar2026"]
    # Each series has its own marker shape and line style, not only its own colour.
    lines = marks(root, "csafe-chart__line")
    assert lines[0].get("stroke-dasharray") is None
    assert lines[1].get("stroke-dasharray") == "8 4"
    assert {points[0].tag, points[3].tag} == {f"{SVG}circle", f"{SVG}rect"}


def test_a_long_line_chart_thins_its_labels_but_keeps_every_point():
    months = [(f"M{n} 2026", n * 137, n) for n in range(60)]
    root = parse(render_chart(table("line", months, values=("count", "count"))))

    assert len(marks(root, "csafe-chart__point")) == 120
    assert 0 < len(texts(root, "csafe-chart__label")) < 60
    assert 0 < len(texts(root, "csafe-chart__value")) < 120


@pytest.mark.parametrize("kind", ["bar", "stacked_bar", "line"])
def test_all_zero_data_still_draws_an_axis_and_zero_labels(kind):
    rows = [("Jan 2026", 0, 0), ("Feb 2026", 0, 0)]
    root = parse(render_chart(table(kind, rows, values=("count", "count"))))

    assert texts(root, "csafe-chart__tick") == ["0", "1"]
    values = marks(root, "csafe-chart__bar") or marks(root, "csafe-chart__point")
    assert len(values) == 4
    assert {v.get("data-value") for v in values} == {"0"}
    assert "0" in texts(root, "csafe-chart__value")


def test_no_rows_or_no_chart_draws_nothing():
    assert render_chart(table("bar", [])) == ""
    no_chart = Table(key="k", title="T", summary="S", columns=(Column("a", "A"),), rows=())
    assert render_chart(no_chart) == ""


def test_a_share_with_nothing_to_divide_by_draws_as_zero_and_shares_show_as_percentages():
    root = parse(render_chart(table("bar", [("A", 33.3), ("B", None)], values=("percent",))))

    assert [b.get("data-value") for b in marks(root, "csafe-chart__bar")] == ["33.3", "0"]
    assert texts(root, "csafe-chart__value") == ["33.3%", "0%"]
    assert texts(root, "csafe-chart__tick")[-1] == "40%"


@pytest.mark.parametrize("kind", ["bar", "stacked_bar", "line"])
def test_no_style_attribute_style_element_or_script(kind):
    rows = [('Team "<A>" & co', 3, 1), ("Team B", 2, 2)]
    markup = str(render_chart(table(kind, rows, values=("count", "count"))))
    root = parse(markup)

    assert all("style" not in el.attrib for el in root.iter())
    assert not list(root.iter(f"{SVG}style"))
    assert not list(root.iter(f"{SVG}script"))
    assert "<script" not in markup


def test_two_charts_on_one_page_have_different_ids():
    first = parse(render_chart(table("stacked_bar", [("A", 1, 1)], values=("count",) * 2, key="a")))
    second = parse(
        render_chart(table("stacked_bar", [("A", 1, 1)], values=("count",) * 2, key="b"))
    )

    ids = [el.get("id") for root in (first, second) for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("maximum", "whole", "expected"),
    [
        (0, True, [0, 1]),
        (1, True, [0, 1]),
        (7, True, [0, 2, 4, 6, 8]),
        (10, True, [0, 2, 4, 6, 8, 10]),
        (101, True, [0, 50, 100, 150]),
        (2128, True, [0, 500, 1000, 1500, 2000, 2500]),
        (0.5, False, [0, 0.1, 0.2, 0.3, 0.4, 0.5]),
        (33.3, False, [0, 10, 20, 30, 40]),
    ],
)
def test_nice_ticks(maximum, whole, expected):
    assert nice_ticks(maximum, whole=whole) == expected
