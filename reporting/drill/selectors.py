"""Drill-down: from a count on the dashboard to the young people behind it, narrowed to the records
the reader may already see. Each drill rebuilds the measure's own query for one row, so the list
always agrees with the count it came from, and returns young people only through
cases.permissions.young_people_visible_to. Context measures have no drill: they never lead to
children."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR

from django.db.models import Q, QuerySet

from cases.models import (
    Assessment,
    Relocation,
    YoungPerson,
)
from cases.permissions import young_people_visible_to
from cases.reference import NatureOfHarm, PlanAddressesFactors
from csafe.core.converters import LARGEST_KEY
from harms.models import ArchiveReason, FlagStatus, HarmFlag

from ..dashboards.selectors import _current_flags, _factors, _locations, _pairs, _referrals
from ..scope import (
    EXTRA_MARKERS,
    ReportScope,
    flag_counts,
    young_person_scope,
)


class UnknownDrill(LookupError):
    """The measure, column or row asked for has no drill-down (or a malformed key)."""


def _month(row_key: str) -> tuple[int, int]:
    try:
        year, month = (int(part) for part in row_key.split("-"))
    except ValueError as exc:
        raise UnknownDrill(row_key) from exc
    # A year outside Python's dates would fail in the year lookup, as a server error.
    if not (1 <= month <= 12 and MINYEAR <= year <= MAXYEAR):
        raise UnknownDrill(row_key)
    return year, month


def _int(row_key: str) -> int:
    """A row's id: a number past any database key (99999999999999999999) would fail in the
    database driver, as a server error, rather than match nothing."""
    try:
        number = int(row_key)
    except ValueError as exc:
        raise UnknownDrill(row_key) from exc
    if not 0 <= number <= LARGEST_KEY:
        raise UnknownDrill(row_key)
    return number


# Each drill: (scope, row key) -> a queryset whose "young_person" column holds the ids behind
# the count. They filter exactly as the measure did.


def _referrals_month(marker: Q) -> Callable:
    def drill(scope: ReportScope, key: str):
        year, month = _month(key)
        return _referrals(scope).filter(marker, received_on__year=year, received_on__month=month)

    return drill


def _referrals_team(marker: Q) -> Callable:
    def drill(scope: ReportScope, key: str):
        if key == "":
            return _referrals(scope).filter(marker, young_person__team__isnull=True)
        return _referrals(scope).filter(marker, young_person__team_id=_int(key))

    return drill


ANY = Q()
EXTRA = Q(nature_of_harm__in=EXTRA_MARKERS)
NOT_KNOWN = Q(nature_of_harm=NatureOfHarm.NOT_YET_KNOWN)


def _open_with_flag(scope, key):
    return _current_flags(scope).filter(harm_type_id=_int(key))


def _co_occurrence(scope, key):
    try:
        extra, intra = (_int(part) for part in key.split("-"))
    except ValueError as exc:
        raise UnknownDrill(key) from exc
    return _pairs(scope).filter(harm_type_id=extra, young_person__harm_flags__harm_type_id=intra)


def _assessments(marker: Q) -> Callable:
    def drill(scope, key):
        year, month = _month(key)
        return Assessment.objects.filter(
            marker,
            young_person_scope(scope),
            authorised_on__range=(scope.start, scope.end),
            authorised_on__year=year,
            authorised_on__month=month,
        )

    return drill


def _factors_in(state: str | None) -> Callable:
    def drill(scope, key):
        factors = _factors(scope).filter(domain=key)
        if state == "planned":
            factors = factors.filter(is_planned=True)
        elif state == "done":
            factors = factors.filter(is_planned=True, is_done=True)
        elif state == "gap":
            factors = factors.filter(is_planned=False, has_gap=True)
        elif state == "open":
            factors = factors.filter(is_planned=False, has_gap=False)
        return factors

    return drill


def _relocations(addressed_only: bool) -> Callable:
    def drill(scope, key):
        moves = Relocation.objects.filter(
            young_person_scope(scope),
            moved_on__range=(scope.start, scope.end),
            because_of_extra_familial_harm=True,
            kind=key,
        )
        if addressed_only:
            moves = moves.filter(plan_addresses_factors=PlanAddressesFactors.YES)
        return moves

    return drill


def _locations_type(scope, key):
    return _locations(scope).filter(location_type_id=_int(key))


def _locations_district(scope, key):
    return _locations(scope).filter(postcode_district=key)


def _flags_never(scope, key):
    flags = HarmFlag.objects.filter(
        young_person_scope(scope),
        status=FlagStatus.ARCHIVED,
        archived_at__date__range=(scope.start, scope.end),
        archive_reason=ArchiveReason.NEVER,
        harm_type_id=_int(key),
    )
    return flags


def _flags_identified(scope, key):
    flags = HarmFlag.objects.filter(
        flag_counts(),
        identified_on__range=(scope.start, scope.end),
        harm_type_id=_int(key),
    )
    if scope.team_ids is not None:
        flags = flags.filter(young_person__team_id__in=scope.team_ids)
    return flags


@dataclass(frozen=True)
class Drill:
    # What the list is, for the page heading: "Referrals with an extra-familial marker".
    describes: str
    rows: Callable[[ReportScope, str], QuerySet]


# (table key, column key) -> drill. A column whose Column.drill is set must be here (tested).
DRILLS: dict[tuple[str, str], Drill] = {
    ("referrals_by_month", "total"): Drill("Referrals received", _referrals_month(ANY)),
    ("referrals_by_month", "extra"): Drill(
        "Referrals with an extra-familial marker", _referrals_month(EXTRA)
    ),
    ("referrals_by_month", "not_known"): Drill(
        "Referrals marked not yet known", _referrals_month(NOT_KNOWN)
    ),
    ("referrals_by_team", "total"): Drill("Referrals received", _referrals_team(ANY)),
    ("referrals_by_team", "extra"): Drill(
        "Referrals with an extra-familial marker", _referrals_team(EXTRA)
    ),
    ("referrals_by_team", "not_known"): Drill(
        "Referrals marked not yet known", _referrals_team(NOT_KNOWN)
    ),
    ("open_with_flags_by_type", "young_people"): Drill(
        "Young people open with a current flag of this type", _open_with_flag
    ),
    ("co_occurrence", "young_people"): Drill(
        "Young people with both harms current", _co_occurrence
    ),
    ("assessments_by_month", "total"): Drill("Assessments authorised", _assessments(ANY)),
    ("assessments_by_month", "extra"): Drill(
        "Assessments authorised with an extra-familial outcome",
        _assessments(Q(outcome_nature__in=EXTRA_MARKERS)),
    ),
    ("assessments_by_month", "not_known"): Drill(
        "Assessments authorised with the outcome not yet known",
        _assessments(Q(outcome_nature=NatureOfHarm.NOT_YET_KNOWN)),
    ),
    ("assessments_by_month", "none_found"): Drill(
        "Assessments authorised that found no harm",
        _assessments(Q(outcome_nature=NatureOfHarm.NONE_FOUND)),
    ),
    ("contextual_factors_addressed", "identified"): Drill(
        "Contextual factors identified", _factors_in(None)
    ),
    ("contextual_factors_addressed", "planned"): Drill(
        "Contextual factors planned for by a plan action", _factors_in("planned")
    ),
    ("contextual_factors_addressed", "done"): Drill(
        "Contextual factors with a plan action done", _factors_in("done")
    ),
    ("contextual_factors_addressed", "gap"): Drill(
        "Contextual factors marked not addressed", _factors_in("gap")
    ),
    ("contextual_factors_addressed", "open"): Drill(
        "Contextual factors not yet planned for", _factors_in("open")
    ),
    ("relocations", "moves"): Drill(
        "Relocations because of extra-familial harm", _relocations(False)
    ),
    ("relocations", "yes"): Drill(
        "Relocations whose plan addressed the contextual factors", _relocations(True)
    ),
    ("locations_by_type", "young_people"): Drill(
        "Young people with a location of harm of this type", _locations_type
    ),
    ("locations_by_district", "young_people"): Drill(
        "Young people with a location of harm in this district", _locations_district
    ),
    ("flags_never_a_concern", "never"): Drill('Flags archived as "never a concern"', _flags_never),
    ("harm_types_rarely_recorded", "flags"): Drill(
        "Flags identified of this type", _flags_identified
    ),
}


def drill_for(table_key: str, column_key: str) -> Drill:
    try:
        return DRILLS[(table_key, column_key)]
    except KeyError as exc:
        raise UnknownDrill(f"{table_key}.{column_key}") from exc


def may_list_someone(*, user, scope: ReportScope) -> bool:
    """Whether a drill-down in ``scope`` could list anyone to ``user``: they may open at least
    one young person in the scope's teams and harm types (the same permission the list reads).
    One query, asked once for a whole dashboard page: a service manager, who holds no records,
    gets counts without links rather than links that all lead to "counted but not listed"."""
    return young_people_visible_to(user).filter(young_person_scope(scope, prefix="")).exists()


@dataclass(frozen=True)
class DrillResult:
    describes: str
    # Every young person behind the count, whoever holds them: a number only.
    behind: int
    # The ones the reader may open, as a queryset to paginate (team loaded for the list).
    visible: QuerySet[YoungPerson]


def drill_young_people(
    *, user, scope: ReportScope, table_key: str, column_key: str, row_key: str
) -> DrillResult:
    """The young people behind one count, in two parts: how many there are in all (a number, as
    the dashboard already shows), and those among them the reader may see. A service manager,
    who holds no records, sees the number and an empty list. Raises UnknownDrill for a measure,
    column or key with no drill-down."""
    drill = drill_for(table_key, column_key)
    ids = drill.rows(scope, row_key).values("young_person_id")
    behind = YoungPerson.objects.filter(pk__in=ids).count()
    visible = (
        young_people_visible_to(user)
        .filter(pk__in=ids)
        .select_related("team")
        .order_by("last_name", "first_name", "pk")
    )
    return DrillResult(describes=drill.describes, behind=behind, visible=visible)
