"""Timing and query probing shared by the page and measure benchmarks."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.test.utils import CaptureQueriesContext

# A single query returning more rows than this is flagged: no page should load a table into
# Python, and a page shows at most a few dozen rows.
MANY_ROWS = 1000


class BenchmarkError(Exception):
    """A benchmark cannot go on (a page did not answer 200, a subject is missing): the run stops
    with this message rather than print numbers that mean nothing."""


def time_calls(call: Callable[[], object], *, repeat: int) -> list[float]:
    """Call ``call`` ``repeat`` times; each call's wall time in milliseconds."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def percentile(samples: list[float], pct: float) -> float:
    """Nearest-rank percentile: the smallest sample with at least ``pct``% of samples at or
    below it (with 30 samples, the 95th is the 29th smallest)."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def summary(samples: list[float]) -> dict:
    return {
        "median_ms": round(statistics.median(samples), 3),
        "p95_ms": round(percentile(samples, 95), 3),
        "samples_ms": [round(s, 3) for s in samples],
    }


@dataclass(frozen=True)
class Executed:
    """One query as the database driver was handed it, and the rows it returned (None when the
    driver does not say: only PostgreSQL's is read)."""

    sql: str
    params: object
    many: bool
    rows: int | None


@dataclass
class QueryProbe:
    """Inside ``with QueryProbe() as probe``: ``probe.count`` is the number of queries as
    CaptureQueriesContext counts them (as the pinned-count tests do), ``probe.executed`` each
    query with its parameters, to be replayed, and ``probe.max_rows`` the most rows any one
    query returned. The rows are the driver's rowcount, read right after execution, so a
    query whose rows are never fetched still counts in full."""

    executed: list[Executed] = field(default_factory=list)

    def __enter__(self) -> QueryProbe:
        # SQLite's rowcount is -1 for a SELECT and arbitrary for some other statements.
        self._counts_rows = connection.vendor == "postgresql"
        self._capture = CaptureQueriesContext(connection)
        self._capture.__enter__()
        self._wrapper = connection.execute_wrapper(self._record)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc_info) -> None:
        self._wrapper.__exit__(*exc_info)
        self._capture.__exit__(*exc_info)

    def _record(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        cursor = context["cursor"]
        returns_rows = self._counts_rows and cursor.description is not None
        rows = cursor.rowcount if returns_rows and cursor.rowcount >= 0 else None
        self.executed.append(Executed(sql=sql, params=params, many=many, rows=rows))
        return result

    @property
    def count(self) -> int:
        return len(self._capture.captured_queries)

    @property
    def max_rows(self) -> int | None:
        counted = [q.rows for q in self.executed if q.rows is not None]
        return max(counted) if counted else None


def replay(executed: list[Executed]) -> None:
    """Run exactly these queries again with a plain cursor and fetch every row."""
    with connection.cursor() as cursor:
        for query in executed:
            if query.many:
                cursor.executemany(query.sql, query.params)
            else:
                cursor.execute(query.sql, query.params)
            if cursor.description is not None:
                cursor.fetchall()
