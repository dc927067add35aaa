"""Each dashboard measure against its own SQL: the function as the dashboard calls it (queries,
then Python building the Table), and exactly the queries it issued, replayed with a plain cursor.
The ratio says how much the ORM and the Python around the aggregate add to it."""

from __future__ import annotations

from csafe.accounts.models import User
from reporting.dashboards.selectors import MEASURES
from reporting.scope import ReportScope, default_period, scope_for

from .subjects import Subjects
from .timing import QueryProbe, replay, summary, time_calls


def service_manager_scope(subjects: Subjects) -> ReportScope:
    """The dashboard's default filters for the service manager: the last twelve months, every
    team, every harm type; the widest scope, so the most rows aggregated."""
    start, end = default_period()
    user = User.objects.get(pk=subjects.service_manager_id)
    return scope_for(user=user, start=start, end=end)


def bench_measure(key: str, scope: ReportScope, *, repeat: int, warmup: int) -> dict:
    measure = MEASURES[key]
    for _ in range(warmup):
        measure(scope)
    timed = summary(time_calls(lambda: measure(scope), repeat=repeat))
    with QueryProbe() as probe:
        measure(scope)
    executed = probe.executed
    for _ in range(warmup):
        replay(executed)
    raw = summary(time_calls(lambda: replay(executed), repeat=repeat))
    return {
        "key": key,
        **timed,
        "raw_median_ms": raw["median_ms"],
        "raw_p95_ms": raw["p95_ms"],
        "raw_samples_ms": raw["samples_ms"],
        "x_raw": round(timed["median_ms"] / raw["median_ms"], 2) if raw["median_ms"] else None,
        "queries": probe.count,
        "max_rows": probe.max_rows,
    }


def bench_measures(subjects: Subjects, *, repeat: int, warmup: int) -> list[dict]:
    scope = service_manager_scope(subjects)
    return [bench_measure(key, scope, repeat=repeat, warmup=warmup) for key in MEASURES]
