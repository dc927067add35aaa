"""How a measure's Table is shown and written out: cells formatted for the page (counts with
thousands separators, shares as percentages, drill-down links on counts that lead to young
people) and rows written for a CSV file. Labels and counts only, like the Table itself."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from ..spreadsheet import safe_text
from .charts import render_chart
from .tables import Column, Row, Table

# Columns shown as numbers: right-aligned, and charted.
NUMERIC = ("count", "percent", "days")
# A table wider than this many columns scrolls in its own box on a narrow screen.
WIDE = 4


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool = False
    # A share with nothing to divide by: shown as a dash, read out as "not applicable".
    missing: bool = False
    # The drill-down listing the young people this count is made of, and what to call it.
    href: str = ""
    link_context: str = ""


@dataclass(frozen=True)
class ShownTable:
    table: Table
    chart: SafeString
    head: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    totals: tuple[Cell, ...] | None
    csv_url: str
    wide: bool

    @property
    def anchor(self) -> str:
        return self.table.key.replace("_", "-")


@dataclass(frozen=True)
class Section:
    title: str
    anchor: str
    tables: tuple[ShownTable, ...]


def drill_base() -> str:
    """The drill-down page's address, or "" while no such page is installed: counts are then
    shown without links."""
    try:
        return reverse("reporting:drill")
    except NoReverseMatch:
        return ""


def sections(
    tables: Iterable[Table], filter_params: dict[str, str], *, links: bool = True
) -> list[Section]:
    """The tables as the page shows them, grouped under their section headings in the order
    the measures come. ``links``: whether counts link to their drill-down, decided once for the
    page (reporting.drill.selectors.may_list_someone): a reader who can list no one there gets
    the numbers without links that would all lead to "counted but not listed"."""
    query = urlencode(filter_params)
    drill = drill_base() if links else ""
    grouped: dict[str, list[ShownTable]] = {}
    for table in tables:
        grouped.setdefault(table.section or "Other measures", []).append(
            shown(table, query=query, filter_params=filter_params, drill=drill)
        )
    return [
        Section(title=title, anchor=_slug(title), tables=tuple(shown_tables))
        for title, shown_tables in grouped.items()
    ]


def shown(table: Table, *, query: str, filter_params: dict[str, str], drill: str) -> ShownTable:
    csv_url = reverse("reporting:dashboard_csv", args=[table.key])
    return ShownTable(
        table=table,
        chart=render_chart(table),
        head=table.columns,
        rows=tuple(
            tuple(
                _cell(table, column, row, value, filter_params=filter_params, drill=drill)
                for column, value in zip(table.columns, row.cells, strict=True)
            )
            for row in table.rows
        ),
        totals=(
            tuple(
                _cell(table, column, None, value)
                for column, value in zip(table.columns, table.totals.cells, strict=True)
            )
            if table.totals is not None
            else None
        ),
        csv_url=f"{csv_url}?{query}" if query else csv_url,
        wide=len(table.columns) > WIDE,
    )


def format_value(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == "percent":
        return f"{value:g}%"
    if kind in NUMERIC and isinstance(value, int | float):
        return f"{value:,}"
    return str(value)


def _cell(table: Table, column: Column, row: Row | None, value, **drill_args) -> Cell:
    numeric = column.kind in NUMERIC
    if numeric and value is None:
        return Cell(text="", numeric=True, missing=True)
    text = format_value(value, column.kind)
    href = ""
    if row is not None and column.drill and row.key and value and drill_args.get("drill"):
        params = {"measure": table.key, "column": column.key, "key": row.key}
        params.update(drill_args["filter_params"])
        href = f"{drill_args['drill']}?{urlencode(params)}"
    return Cell(
        text=text,
        numeric=numeric,
        href=href,
        link_context=f"{column.label}, {row_label(table, row)}" if href else "",
    )


def row_label(table: Table, row: Row) -> str:
    """What a row is about, from every text cell ("Child criminal exploitation with Domestic
    abuse" in the co-occurrence table): links in different rows never share a name."""
    return " with ".join(
        str(value)
        for column, value in zip(table.columns, row.cells, strict=True)
        if column.kind == "text" and value not in (None, "")
    )


def _slug(title: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in title.lower()).split())


# --- CSV ----------------------------------------------------------------------------------------

# A spreadsheet treats a cell starting with one of these as a formula; labels come from
# administrators' configuration (team and harm type names), so they are never trusted.


def write_csv(table: Table, description: str, out: IO[str]) -> None:
    """The table as CSV: a first line naming the measure, its filters and its definition, then
    the column headings, the rows, the totals and any notes. Counts and shares are written as
    plain numbers (a share with nothing to divide by as an empty cell)."""
    writer = csv.writer(out)
    first = f"{table.title}. Filters: {description}."
    if table.definition:
        first += f" Definition: {table.definition}"
    writer.writerow([safe_text(first)])
    writer.writerow(
        [safe_text(c.label + (" (%)" if c.kind == "percent" else "")) for c in table.columns]
    )
    for row in table.rows:
        writer.writerow(_csv_cells(table, row.cells))
    if table.totals is not None:
        writer.writerow(_csv_cells(table, table.totals.cells))
    for note in table.notes:
        writer.writerow([safe_text(note)])


def _csv_cells(table: Table, cells: tuple) -> list:
    out = []
    for column, value in zip(table.columns, cells, strict=True):
        if value is None:
            out.append("")
        elif column.kind in NUMERIC and isinstance(value, int | float):
            out.append(value)
        else:
            out.append(safe_text(str(value)))
    return out
