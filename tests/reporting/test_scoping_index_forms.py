"""The dashboards compare archived_at with local midnights (scoping.start_of) and ask "not archived,
or archived after X" as one range on COALESCE(archived_at, FLAG_NOT_ARCHIVED), so that PostgreSQL
can answer from an index (docs/benchmarks/explain-dashboard.md). These tests hold the index-friendly
forms to the plain definitions they replaced, on both backends, for flags archived either side of
local midnight, on both days the clocks change, and for periods ending on those days; and, on
PostgreSQL, check that the planner can still match the query to its index, which it cannot if the
two expressions drift apart."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import Q

from cases import services as case_services
from harms.models import ArchiveReason, FlagStatus, HarmFlag, HarmType, IdentifiedAt, Nature
from reporting.scope import (
    flag_counts,
    flag_current_during,
    flag_current_on,
    start_of,
)
from tests.factories import YoungPersonFactory
from tests.reporting.dataset import Clock

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")

# Archive moments, London time: either side of midnight, and on the days British Summer Time
# starts (30 March 2025: 01:00 becomes 02:00) and ends (26 October 2025: 02:00 becomes 01:00,
# so 01:30 happens twice).
MOMENTS = [
    datetime(2025, 3, 29, 23, 30, tzinfo=LONDON),
    datetime(2025, 3, 30, 0, 30, tzinfo=LONDON),
    datetime(2025, 3, 30, 23, 59, 59, tzinfo=LONDON),
    datetime(2025, 3, 31, 0, 0, tzinfo=LONDON),
    datetime(2025, 6, 30, 23, 30, tzinfo=LONDON),
    datetime(2025, 7, 1, 0, 30, tzinfo=LONDON),
    datetime(2025, 10, 25, 23, 30, tzinfo=LONDON),
    datetime(2025, 10, 26, 0, 30, tzinfo=LONDON),
    datetime(2025, 10, 26, 1, 30, fold=0, tzinfo=LONDON),
    datetime(2025, 10, 26, 1, 30, fold=1, tzinfo=LONDON),
    datetime(2025, 10, 26, 23, 59, 59, tzinfo=LONDON),
    datetime(2025, 10, 27, 0, 0, tzinfo=LONDON),
]
DAYS = (
    [date(2025, 3, 28) + timedelta(days=n) for n in range(5)]
    + [date(2025, 6, 29) + timedelta(days=n) for n in range(4)]
    + [date(2025, 10, 24) + timedelta(days=n) for n in range(5)]
)


@pytest.fixture
def flags(monkeypatch, team_manager):
    """One flag archived at each moment (as never a concern, recorded in error or no longer a
    concern in turn), and one never archived."""
    clock = Clock(monkeypatch, now=datetime(2025, 11, 1, 12, 0, tzinfo=LONDON))
    person = YoungPersonFactory(actor=team_manager)
    harm_type = HarmType.objects.filter(nature=Nature.EXTRA_FAMILIAL, is_active=True).first()
    reasons = [ArchiveReason.NEVER, ArchiveReason.ERROR, ArchiveReason.NO_LONGER]

    def raise_flag():
        return case_services.harm_flag_raise(
            actor=team_manager,
            young_person=person,
            harm_type=harm_type,
            identified_at=IdentifiedAt.OTHER,
            identified_on=date(2025, 1, 10),
        )

    for i, moment in enumerate(MOMENTS):
        flag = raise_flag()
        with clock.at(moment):
            case_services.harm_flag_archive(
                actor=team_manager, flag=flag, reason=reasons[i % 3], rationale="Reviewed."
            )
    raise_flag()
    assert HarmFlag.objects.filter(status=FlagStatus.ARCHIVED).count() == len(MOMENTS)
    return HarmFlag.objects.all()


def ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_current_on_a_day_is_the_plain_definition(flags, day):
    plain = (
        Q(identified_on__lte=day)
        & (Q(archived_at__isnull=True) | Q(archived_at__date__gt=day))
        & flag_counts()
    )
    assert ids(flags.filter(flag_current_on(day))) == ids(flags.filter(plain))


@pytest.mark.parametrize("start", DAYS, ids=str)
def test_current_during_a_period_is_the_plain_definition(flags, start):
    end = start + timedelta(days=1)
    plain = (
        Q(identified_on__lte=end)
        & (Q(archived_at__isnull=True) | Q(archived_at__date__gte=start))
        & flag_counts()
    )
    assert ids(flags.filter(flag_current_during(start, end))) == ids(flags.filter(plain))


@pytest.mark.parametrize("start", DAYS, ids=str)
def test_archived_in_a_period_is_the_plain_definition(flags, start):
    end = start + timedelta(days=1)
    ranged = flags.filter(
        archived_at__gte=start_of(start), archived_at__lt=start_of(end + timedelta(days=1))
    )
    plain = flags.filter(archived_at__date__range=(start, end))
    assert ids(ranged) == ids(plain)


def test_archived_in_a_period_counts_both_ends_of_its_days(flags):
    # 30 March at 00:30 and at 23:59:59, and 31 March at midnight: not 29 March at 23:30.
    ranged = flags.filter(
        archived_at__gte=start_of(date(2025, 3, 30)), archived_at__lt=start_of(date(2025, 4, 1))
    )
    assert ranged.count() == 3


def test_start_of_is_local_midnight_either_side_of_the_clock_change():
    assert start_of(date(2025, 3, 30)).isoformat() == "2025-03-30T00:00:00+00:00"
    assert start_of(date(2025, 3, 31)).isoformat() == "2025-03-31T00:00:00+01:00"
    assert start_of(date(2025, 10, 26)).isoformat() == "2025-10-26T00:00:00+01:00"
    assert start_of(date(2025, 10, 27)).isoformat() == "2025-10-27T00:00:00+00:00"


def plan_of(queryset) -> str:
    """PostgreSQL's plan for the queryset with everything but index-only scans made a last
    resort, so that on a handful of rows (and whatever statistics earlier tests left) the plan
    shows whether the index covering the query can serve it, and with which conditions."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        for scan in ("seqscan", "bitmapscan", "indexscan"):
            cursor.execute(f"SET LOCAL enable_{scan} = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.postgres(reason="the index is matched by PostgreSQL's planner")
def test_postgresql_matches_the_current_flags_to_their_index(flags):
    current = (
        HarmFlag.objects.filter(flag_current_on(date(2025, 6, 30)), nature=Nature.EXTRA_FAMILIAL)
        .order_by()
        .values("young_person_id", "harm_type_id")
    )
    plan = plan_of(current)
    assert "harms_flag_current" in plan
    # The range itself bounds the index scan, not only filters what it read.
    assert re.search(r"Index Cond: .*COALESCE\(archived_at", plan), plan


@pytest.mark.postgres(reason="the index is matched by PostgreSQL's planner")
def test_postgresql_reads_flags_archived_in_a_period_from_their_index(flags):
    archived = HarmFlag.objects.filter(
        status=FlagStatus.ARCHIVED,
        archived_at__gte=start_of(date(2025, 4, 1)),
        archived_at__lt=start_of(date(2025, 7, 1)),
    ).values("harm_type_id", "archive_reason")
    assert "harms_flag_archived_period" in plan_of(archived)
