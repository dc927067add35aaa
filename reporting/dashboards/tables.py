"""The shape every dashboard measure takes: a titled table of aggregate rows, with a plain-language
summary and an optional chart, so that the page, its charts, the CSV export and the API all render
the same object. A table holds labels and counts only, never a young person."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ChartKind = Literal["bar", "stacked_bar", "line"]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    # Numbers are right-aligned, charted and written to CSV as numbers; "percent" cells hold a
    # share from 0 to 100 (or None where the denominator is zero).
    kind: Literal["text", "count", "percent", "days"] = "count"
    # The drill-down this column's counts open (a key of reporting.drill.selectors.DRILLS), or
    # None when the count cannot lead to young people (contexts, harm types never used).
    drill: str | None = None


@dataclass(frozen=True)
class Row:
    cells: tuple
    # What identifies this row to a drill-down: a month ("2026-03"), a harm type id, a kind...
    key: str = ""


@dataclass(frozen=True)
class Chart:
    kind: ChartKind
    # Which column labels the bars or points, and which columns are drawn.
    label_column: str
    value_columns: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    # What the numbers are, in one or two sentences, written from the numbers themselves.
    summary: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    # How the measure is defined (what counts, at which date), shown under the table.
    definition: str = ""
    chart: Chart | None = None
    # A section heading the page groups tables under.
    section: str = ""
    totals: Row | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    def values(self, key: str) -> list:
        index = [c.key for c in self.columns].index(key)
        return [row.cells[index] for row in self.rows]
