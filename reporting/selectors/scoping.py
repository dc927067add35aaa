"""The filters every measure shares, written once as query expressions so that a measure is one
aggregate over the database whatever the scope. Nothing here evaluates rows in Python."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone

from cases.models import CaseStatus
from cases.reference import NatureOfHarm
from harms.models import FLAG_NOT_ARCHIVED, ArchiveReason, FlagStatus, HarmFlag, HarmType

from ..scope import ReportScope

# A referral or assessment "carries an extra-familial marker" when its marker is extra-familial or
# both: the research counts both as extra-familial harm seen by the service.
EXTRA_MARKERS = (NatureOfHarm.EXTRA_FAMILIAL, NatureOfHarm.BOTH)


def with_descendants(harm_type_id: int) -> tuple[int, ...]:
    """The chosen harm type and every type beneath it in the taxonomy (one query over the small
    taxonomy table), so that filtering by "Exploitation" counts its subtypes as well."""
    parents = dict(HarmType.objects.values_list("pk", "parent_id"))
    chosen = {harm_type_id}
    changed = True
    while changed:
        changed = False
        for pk, parent in parents.items():
            if parent in chosen and pk not in chosen:
                chosen.add(pk)
                changed = True
    return tuple(sorted(chosen))


def flag_counts(prefix: str = "") -> Q:
    """Flags that were ever true: everything except a flag archived as recorded in error.
    Written without a negation: across a join (``young_person__harm_flags__``) Django turns a
    negated condition into correlated subqueries, which are slow at a million flags."""
    return Q(**{f"{prefix}status": FlagStatus.ACTIVE}) | Q(
        **{f"{prefix}archive_reason__in": (ArchiveReason.NO_LONGER, ArchiveReason.NEVER)}
    )


def start_of(day: date) -> datetime:
    """Midnight at the start of ``day`` in the current time zone. A timestamp's local date is on
    or after ``day`` exactly when the timestamp is at or after this, so a period compares the
    column itself (which an index can serve) rather than casting every row to a local date
    (``__date``), which no index serves. Midnight is never skipped or repeated in Europe/London."""
    return timezone.make_aware(datetime.combine(day, time.min))


def flag_archived_or_never(prefix: str = "") -> Coalesce:
    """When the flag was archived, or FLAG_NOT_ARCHIVED while it is not: "not archived, or archived
    after X" becomes one range on this expression, which harms_flag_current indexes (see
    harms.models). Written exactly as that index is, or PostgreSQL cannot match the two."""
    return Coalesce(F(f"{prefix}archived_at"), Value(FLAG_NOT_ARCHIVED))


def flag_current_on(day: date, prefix: str = "") -> Q:
    """A flag current on ``day``: identified on or before it and not archived by the end of it.
    (A reinstated flag is current from its identification; the gap while it was archived is in
    its history, not in these columns.)"""
    return (
        Q(**{f"{prefix}identified_on__lte": day})
        # Not archived, or archived on a later (local) day.
        & Q(GreaterThanOrEqual(flag_archived_or_never(prefix), start_of(day + timedelta(days=1))))
        & flag_counts(prefix)
    )


def flag_current_during(start: date, end: date, prefix: str = "") -> Q:
    """A flag current at some point in the period."""
    return (
        Q(**{f"{prefix}identified_on__lte": end})
        # Not archived, or archived on the first (local) day of the period or later.
        & Q(GreaterThanOrEqual(flag_archived_or_never(prefix), start_of(start)))
        & flag_counts(prefix)
    )


def open_on(day: date, prefix: str = "") -> Q:
    """A young person open to the service on ``day``: open now, or closed after that day."""
    return Q(**{f"{prefix}status": CaseStatus.OPEN}) | Q(**{f"{prefix}closed_on__gt": day})


def young_person_scope(scope: ReportScope, prefix: str = "young_person__") -> Q:
    """The team filter (the team holding the record) and the harm-type filter (the young person
    has, or had, a flag of one of the chosen types that was not recorded in error), applied to a
    queryset reaching the young person through ``prefix``."""
    condition = Q()
    if scope.team_ids is not None:
        condition &= Q(**{f"{prefix}team_id__in": scope.team_ids})
    if scope.harm_type_ids is not None:
        young_person_ref = f"{prefix}pk" if prefix else "pk"
        condition &= Q(
            Exists(
                HarmFlag.objects.filter(
                    flag_counts(),
                    young_person=OuterRef(young_person_ref),
                    harm_type_id__in=scope.harm_type_ids,
                )
            )
        )
    return condition


def months_between(start: date, end: date) -> list[date]:
    """The first day of every month the period touches, so empty months still show as 0."""
    months = []
    current = start.replace(day=1)
    while current <= end:
        months.append(current)
        last = calendar.monthrange(current.year, current.month)[1]
        current = current.replace(day=last) + timedelta(days=1)
    return months


def month_key(day) -> str:
    """A TruncMonth value (a date, or a datetime on some backends) as "YYYY-MM"."""
    return f"{day.year:04d}-{day.month:02d}"


def share(part: int, whole: int) -> float | None:
    """A percentage to one decimal place, or None when there is nothing to divide by."""
    if not whole:
        return None
    return round(100 * part / whole, 1)
