"""The dashboards' measures of extra-familial harm, each one or two aggregate queries whatever
the data size, each returned as a reporting.dashboards.tables.Table of labels and counts. No
function here returns or holds a young person; context measures are counts by kind, never a
context with its children.

Every function takes a ReportScope already narrowed to what the reader may see
(reporting.scope.scope_for); access is decided there, not here."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from cases.models import (
    Assessment,
    CaseStatus,
    ContextualFactor,
    LocationOfHarm,
    PlanAction,
    PlanFactorGap,
    Referral,
    Relocation,
)
from cases.reference import (
    ActionProgress,
    NatureOfHarm,
    PartnerAgency,
    PlanAddressesFactors,
    PlanStatus,
    RelocationKind,
)
from contexts.models import Context, ContextLink, ContextPlanAction, ContextStatusChange
from contexts.reference import ContextStatus
from contexts.selectors.core import kind_choices, peer_group_word
from csafe.core.dates import long_date
from harms.models import ArchiveReason, FlagStatus, HarmFlag, HarmType, Nature

from ..scope import (
    EXTRA_MARKERS,
    ReportScope,
    flag_counts,
    flag_current_during,
    flag_current_on,
    start_of,
    young_person_scope,
)
from .tables import Chart, Column, Row, Table

# A harm type recorded fewer times than this in the period is "rarely recorded".
RARE_THRESHOLD = 5
OUTSTANDING = (ActionProgress.NOT_STARTED, ActionProgress.IN_PROGRESS)

REFERRALS = "Referrals"
FLAGS = "Harm flags"
ASSESSMENTS = "Assessments and plans"
RELOCATIONS = "Relocations"
PLACES = "Where harm happens"
CONTEXTS = "Contexts"


def context_kind_labels() -> dict[str, str]:
    """Every kind of context, in order, as the service names it: a peer group in the word the
    administrator chose ("Network"...), read from contexts' configuration in one query. The
    dashboard reads it once for all its tables (dashboard_tables); so the page, its CSV files,
    the drill-down and the API say the same word."""
    return dict(kind_choices(peer_group_word()))


def open_on(day: date, prefix: str = "") -> Q:
    """A young person open to the service on ``day``: open now, or closed after that day."""
    return Q(**{f"{prefix}status": CaseStatus.OPEN}) | Q(**{f"{prefix}closed_on__gt": day})


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


def _month_label(key: str, start: date | None = None, end: date | None = None) -> str:
    """ "Mar 2026"; a month the period covers only part of says which days ("Dec 2025 (9–31)"),
    as the default period (a year to today) has at either end."""
    year, month = (int(part) for part in key.split("-"))
    label = date(year, month, 1).strftime("%b %Y")
    last = calendar.monthrange(year, month)[1]
    first_day = start.day if start and (start.year, start.month) == (year, month) else 1
    last_day = end.day if end and (end.year, end.month) == (year, month) else last
    if (first_day, last_day) != (1, last):
        label += f" ({first_day}–{last_day})"
    return label


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count:,} {singular if count == 1 else (plural or singular + 's')}"


def _were(count: int) -> str:
    return "was" if count == 1 else "were"


def _pct(value: float | None) -> str:
    return "no share: nothing to count" if value is None else f"{value:g}%"


# ---------------------------------------------------------------------------------------------
# Referrals


def _by_month(scope: ReportScope, grouped: dict, counts: tuple[str, ...]):
    """One row per month of the period (empty months as 0): the month, the first two counts, the
    second's share of the first, then any further counts; and the sum of each count."""
    rows = []
    sums = [0] * len(counts)
    for month in months_between(scope.start, scope.end):
        key = month_key(month)
        found = grouped.get(key, {})
        values = [found.get(name, 0) for name in counts]
        sums = [a + b for a, b in zip(sums, values, strict=True)]
        label = _month_label(key, scope.start, scope.end)
        cells = (label, values[0], values[1], share(values[1], values[0]), *values[2:])
        rows.append(Row(key=key, cells=cells))
    return rows, sums


def _referrals(scope: ReportScope):
    return Referral.objects.filter(
        young_person_scope(scope), received_on__range=(scope.start, scope.end)
    )


def _referral_counts() -> dict:
    return {
        "total": Count("pk"),
        "extra": Count("pk", filter=Q(nature_of_harm__in=EXTRA_MARKERS)),
        "not_known": Count("pk", filter=Q(nature_of_harm=NatureOfHarm.NOT_YET_KNOWN)),
    }


# What the share of extra-familial harm is a share of, said under every table that gives one.
# ("No harm found" is an assessment's finding: a referral is never marked with it, see
# cases.reference.REFERRAL_NATURES; one marked so elsewhere counts in the referrals, and only
# there.)
REFERRAL_MARKERS = (
    "Referrals by the date received. Extra-familial means a marker of extra-familial or both. "
    "The share extra-familial is of every referral received, including those marked not yet "
    "known, which are counted apart, never as extra-familial."
)


def _referral_columns(key: str, label: str) -> tuple[Column, ...]:
    return (
        Column(key, label, "text"),
        Column("total", "Referrals", drill="referrals"),
        Column("extra", "Extra-familial", drill="referrals_extra"),
        Column("share", "Share extra-familial", "percent"),
        Column("not_known", "Not yet known", drill="referrals_not_known"),
    )


def referrals_by_month(scope: ReportScope) -> Table:
    """Referrals received each month, how many carry an extra-familial marker (extra-familial or
    both) and their share of all referrals; "not yet known" is shown apart, neither counted as
    extra-familial nor dropped."""
    grouped = {
        month_key(row["month"]): row
        for row in _referrals(scope)
        .annotate(month=TruncMonth("received_on"))
        .values("month")
        .annotate(**_referral_counts())
        .order_by("month")
    }
    rows, (total, extra, not_known) = _by_month(scope, grouped, ("total", "extra", "not_known"))
    return Table(
        key="referrals_by_month",
        section=REFERRALS,
        title="Referrals with an extra-familial marker, by month",
        summary=(
            f"{_plural(extra, 'referral')} of {total:,} received between {long_date(scope.start)} "
            f"and {long_date(scope.end)} carried an extra-familial marker "
            f"({_pct(share(extra, total))}); {not_known:,} {_were(not_known)} marked not yet "
            "known."
        ),
        definition=REFERRAL_MARKERS,
        columns=_referral_columns("month", "Month"),
        rows=tuple(rows),
        totals=Row(cells=("Total", total, extra, share(extra, total), not_known)),
        chart=Chart("line", "month", ("total", "extra")),
    )


def referrals_by_team(scope: ReportScope) -> Table:
    """The same counts by the team holding each young person's record."""
    rows = [
        Row(
            key=str(row["young_person__team_id"] or ""),
            cells=(
                row["young_person__team__name"] or "No team",
                row["total"],
                row["extra"],
                share(row["extra"], row["total"]),
                row["not_known"],
            ),
        )
        for row in _referrals(scope)
        .values("young_person__team_id", "young_person__team__name")
        .annotate(**_referral_counts())
        .order_by("young_person__team__name")
    ]
    highest = max(rows, key=lambda r: r.cells[3] or 0, default=None)
    summary = (
        f"{highest.cells[0]} had the highest share of extra-familial referrals "
        f"({_pct(highest.cells[3])} of {highest.cells[1]:,})."
        if highest and highest.cells[1]
        else "No referrals were received in the period."
    )
    return Table(
        key="referrals_by_team",
        section=REFERRALS,
        title="Referrals with an extra-familial marker, by team",
        summary=summary,
        definition=f"{REFERRAL_MARKERS} Teams are those holding each young person's record today.",
        columns=_referral_columns("team", "Team"),
        rows=tuple(rows),
        chart=Chart("bar", "team", ("total", "extra")),
    )


# ---------------------------------------------------------------------------------------------
# Harm flags


def _current_flags(scope: ReportScope, *, of_chosen_types: bool = True):
    """Extra-familial flags current at the end of the period on young people open then; of the
    chosen harm types only unless ``of_chosen_types`` is False."""
    flags = HarmFlag.objects.filter(
        flag_current_on(scope.end),
        open_on(scope.end, "young_person__"),
        young_person_scope(scope),
        nature=Nature.EXTRA_FAMILIAL,
    )
    if of_chosen_types and scope.harm_type_ids is not None:
        flags = flags.filter(harm_type_id__in=scope.harm_type_ids)
    return flags


def _young_people(flags) -> int:
    """How many young people the flags belong to. Counted over the distinct young people (a
    subquery PostgreSQL answers with a hash) rather than with COUNT(DISTINCT), which sorts every
    flag first."""
    return flags.values("young_person").distinct().count()


def _pairs(scope: ReportScope):
    """Each current extra-familial flag joined to each current intra-familial flag of the same
    young person. With harm types chosen, a pair counts when either side is of those types: a
    manager filtering by domestic abuse asks what extra-familial harm comes with it."""
    # The conditions on the second flag sit in one filter() so they apply to the same join.
    either = Q()
    if scope.harm_type_ids is not None:
        either = Q(harm_type_id__in=scope.harm_type_ids) | Q(
            young_person__harm_flags__harm_type_id__in=scope.harm_type_ids
        )
    return _current_flags(scope, of_chosen_types=False).filter(
        either,
        flag_current_on(scope.end, "young_person__harm_flags__"),
        young_person__harm_flags__nature=Nature.INTRA_FAMILIAL,
    )


def open_with_flags_by_type(scope: ReportScope) -> Table:
    """Young people open to the service with a current extra-familial flag at the end of the
    period, by harm type. A young person with two types is counted under each, once in the total."""
    flags = _current_flags(scope)
    by_type = list(
        flags.values("harm_type_id", "harm_type__name")
        .annotate(young_people=Count("young_person", distinct=True))
        .order_by("-young_people", "harm_type__name")
    )
    total = _young_people(flags)
    top = by_type[0] if by_type else None
    summary = (
        f"On {long_date(scope.end)}, {_plural(total, 'young person', 'young people')} open to "
        "the service had at least one current extra-familial harm flag"
        + (
            f"; {top['harm_type__name']} was the most common ({top['young_people']:,})."
            if top
            else "."
        )
    )
    return Table(
        key="open_with_flags_by_type",
        section=FLAGS,
        title="Young people open with current extra-familial flags, by harm type",
        summary=summary,
        definition=(
            f"Young people open to the service on {long_date(scope.end)} (the end of the period) "
            "with a flag of an extra-familial type identified by then and not archived by then. "
            "Flags archived as recorded in error never count."
        ),
        columns=(
            Column("harm_type", "Harm type", "text"),
            Column("young_people", "Young people", drill="open_with_flag"),
        ),
        rows=tuple(
            Row(key=str(r["harm_type_id"]), cells=(r["harm_type__name"], r["young_people"]))
            for r in by_type
        ),
        totals=Row(cells=("Young people with any extra-familial flag", total)),
        chart=Chart("bar", "harm_type", ("young_people",)),
    )


def co_occurrence(scope: ReportScope) -> Table:
    """Young people open at the end of the period with a current extra-familial flag and a current
    intra-familial flag at once, by pair of harm types, and in all."""
    day = scope.end
    pairs = _pairs(scope)
    rows = list(
        pairs.values(
            "harm_type_id",
            "harm_type__name",
            "young_person__harm_flags__harm_type_id",
            "young_person__harm_flags__harm_type__name",
        )
        .annotate(young_people=Count("young_person", distinct=True))
        .order_by("-young_people", "harm_type__name", "young_person__harm_flags__harm_type__name")
    )
    both = _young_people(pairs)
    everyone = _young_people(_current_flags(scope, of_chosen_types=False))
    top = rows[0] if rows else None
    summary = (
        f"{_plural(both, 'young person', 'young people')} with a current extra-familial flag "
        f"({_pct(share(both, everyone))} of {everyone:,}) also had a current intra-familial flag "
        f"on "
        f"{long_date(day)}"
        + (
            f"; the most common pair was {top['harm_type__name']} with "
            f"{top['young_person__harm_flags__harm_type__name']} ({top['young_people']:,})."
            if top
            else "."
        )
    )
    return Table(
        key="co_occurrence",
        section=FLAGS,
        title="Extra-familial and intra-familial harm on the same young person",
        summary=summary,
        definition=(
            f"Young people open on {long_date(day)} with a current extra-familial flag and a "
            "current intra-familial flag. A young person with several pairs is counted under each "
            "pair, once in the total."
        ),
        columns=(
            Column("extra", "Extra-familial harm", "text"),
            Column("intra", "Intra-familial harm", "text"),
            Column("young_people", "Young people", drill="co_occurrence"),
        ),
        rows=tuple(
            Row(
                key=f"{r['harm_type_id']}-{r['young_person__harm_flags__harm_type_id']}",
                cells=(
                    r["harm_type__name"],
                    r["young_person__harm_flags__harm_type__name"],
                    r["young_people"],
                ),
            )
            for r in rows
        ),
        totals=Row(cells=("Young people with both", "", both)),
    )


def flags_never_a_concern(scope: ReportScope) -> Table:
    """Flags archived in the period, and how many as "never a concern (assessed as absent)": the
    labels csafe helped avoid, by harm type."""
    archived = HarmFlag.objects.filter(
        young_person_scope(scope),
        status=FlagStatus.ARCHIVED,
        # Archived on a (local) day of the period: a range on the column itself, which the index
        # harms_flag_archived_period serves, where archived_at__date would cast every row.
        archived_at__gte=start_of(scope.start),
        archived_at__lt=start_of(scope.end + timedelta(days=1)),
    )
    if scope.harm_type_ids is not None:
        archived = archived.filter(harm_type_id__in=scope.harm_type_ids)
    rows = list(
        archived.values("harm_type_id", "harm_type__name")
        # Counted on archived_at (never null here) rather than the id, so that PostgreSQL counts
        # from harms_flag_archived_period alone.
        .annotate(
            archived=Count("archived_at"),
            never=Count("archived_at", filter=Q(archive_reason=ArchiveReason.NEVER)),
        )
        .order_by("-never", "harm_type__name")
    )
    total = sum(r["archived"] for r in rows)
    never = sum(r["never"] for r in rows)
    return Table(
        key="flags_never_a_concern",
        section=FLAGS,
        title='Flags archived as "never a concern"',
        summary=(
            f"Of {_plural(total, 'flag')} archived in the period, {never:,} {_were(never)} "
            f"archived as never a concern ({_pct(share(never, total))}): labels that no longer "
            "follow a young person."
        ),
        definition=(
            "Flags archived in the period and still archived, by the reason given. Never a "
            "concern means the harm was assessed as absent."
        ),
        columns=(
            Column("harm_type", "Harm type", "text"),
            Column("archived", "Archived"),
            Column("never", "Never a concern", drill="flags_never"),
            Column("share", "Share never a concern", "percent"),
        ),
        rows=tuple(
            Row(
                key=str(r["harm_type_id"]),
                cells=(
                    r["harm_type__name"],
                    r["archived"],
                    r["never"],
                    share(r["never"], r["archived"]),
                ),
            )
            for r in rows
        ),
        totals=Row(cells=("Total", total, never, share(never, total))),
        chart=Chart("bar", "harm_type", ("archived", "never")),
    )


def harm_types_rarely_recorded(scope: ReportScope) -> Table:
    """Harm types in use that were flagged fewer than RARE_THRESHOLD times in the period (none at
    all included): types that may be unknown to practitioners, or too finely drawn."""
    identified = HarmFlag.objects.filter(
        flag_counts(),
        harm_type=OuterRef("pk"),
        identified_on__range=(scope.start, scope.end),
    )
    if scope.team_ids is not None:
        identified = identified.filter(young_person__team_id__in=scope.team_ids)
    # Each type's count is a subquery over the index harms_flag_identified (type, date), reading
    # only that type's flags in the period: counted through a join, with the period in the
    # aggregate's FILTER, PostgreSQL read every flag there is. Counted on identified_on (never
    # null) so the index alone answers.
    per_type = identified.order_by().values("harm_type").annotate(n=Count("identified_on"))
    types = HarmType.objects.filter(is_active=True)
    if scope.harm_type_ids is not None:
        types = types.filter(pk__in=scope.harm_type_ids)
    rows = [
        r
        for r in types.annotate(flags_identified=Coalesce(Subquery(per_type.values("n")), 0))
        .values("pk", "name", "nature", "cin_code", "flags_identified")
        .order_by("flags_identified", "name")
        # Kept here rather than in SQL, where the subquery would run a second time per type.
        if r["flags_identified"] < RARE_THRESHOLD
    ]
    natures = dict(Nature.choices)
    never = sum(1 for r in rows if r["flags_identified"] == 0)
    return Table(
        key="harm_types_rarely_recorded",
        section=FLAGS,
        title="Harm types rarely recorded",
        summary=(
            f"{_plural(len(rows), 'harm type')} in use {'was' if len(rows) == 1 else 'were'} "
            f"flagged fewer than {RARE_THRESHOLD} times in the period; {never:,} not at all."
        ),
        definition=(
            f"Harm types in use with fewer than {RARE_THRESHOLD} flags identified in the period "
            "(flags recorded in error not counted)."
        ),
        columns=(
            Column("harm_type", "Harm type", "text"),
            Column("nature", "Nature", "text"),
            Column("cin_code", "CIN census code", "text"),
            Column("flags", "Flags identified", drill="flags_identified"),
        ),
        rows=tuple(
            Row(
                key=str(r["pk"]),
                cells=(
                    r["name"],
                    natures.get(r["nature"], r["nature"]),
                    r["cin_code"] or "Local type",
                    r["flags_identified"],
                ),
            )
            for r in rows
        ),
    )


# ---------------------------------------------------------------------------------------------
# Assessments and plans


def assessments_by_month(scope: ReportScope) -> Table:
    """Assessments authorised each month, and how many with an extra-familial outcome marker."""
    grouped = {
        month_key(row["month"]): row
        for row in Assessment.objects.filter(
            young_person_scope(scope), authorised_on__range=(scope.start, scope.end)
        )
        .annotate(month=TruncMonth("authorised_on"))
        .values("month")
        .annotate(
            total=Count("pk"),
            extra=Count("pk", filter=Q(outcome_nature__in=EXTRA_MARKERS)),
            not_known=Count("pk", filter=Q(outcome_nature=NatureOfHarm.NOT_YET_KNOWN)),
            none_found=Count("pk", filter=Q(outcome_nature=NatureOfHarm.NONE_FOUND)),
        )
        .order_by("month")
    }
    rows, (total, extra, not_known, none_found) = _by_month(
        scope, grouped, ("total", "extra", "not_known", "none_found")
    )
    busiest = max(rows, key=lambda r: r.cells[2], default=None)
    return Table(
        key="assessments_by_month",
        section=ASSESSMENTS,
        title="Assessments authorised with an extra-familial outcome, by month",
        summary=(
            f"{_plural(extra, 'assessment')} of {total:,} authorised in the period concluded "
            f"with an "
            f"extra-familial outcome marker ({_pct(share(extra, total))})"
            + (
                f"; the most in one month was {busiest.cells[2]:,} ({busiest.cells[0]})"
                if busiest and busiest.cells[2]
                else ""
            )
            + f". {none_found:,} found no harm and {not_known:,} {_were(not_known)} not yet known."
        ),
        definition=(
            "Child and family assessments by the date authorised. Extra-familial means an outcome "
            "marker of extra-familial or both. The share extra-familial is of every assessment "
            "authorised, including those that found no harm or whose outcome is not yet known; "
            "those two are counted apart, never as extra-familial."
        ),
        columns=(
            Column("month", "Month", "text"),
            Column("total", "Authorised", drill="assessments"),
            Column("extra", "Extra-familial outcome", drill="assessments_extra"),
            Column("share", "Share extra-familial", "percent"),
            Column("not_known", "Not yet known", drill="assessments_not_known"),
            Column("none_found", "No harm found", drill="assessments_none_found"),
        ),
        rows=tuple(rows),
        totals=Row(cells=("Total", total, extra, share(extra, total), not_known, none_found)),
        chart=Chart("bar", "month", ("extra",)),
    )


def _factors(scope: ReportScope):
    """Contextual factors (not withdrawn) from assessments authorised in the period, each marked
    whether an action on a finalised plan is planned for it (any progress but stopped: a stopped
    action no longer counts, as on the plan page), whether such an action is done, and whether a
    plan records why it is not addressed."""
    # Each written as "the factor is in this set" rather than an EXISTS per factor: PostgreSQL
    # reads each set once, from cases_action_factor, and looks factors up in a hash; EXISTS was
    # planned as an index probe per factor, costed high enough to be JIT-compiled on every load.
    # (The set leaves out actions answering no factor: a NULL in it would make IN unknown.) Each
    # set is narrowed to factors of young people in scope, which changes nothing for the factors
    # counted (all in scope) but keeps a team's sets as small as the team.
    in_scope = young_person_scope(scope, "factor__young_person__")
    planned = PlanAction.objects.filter(
        in_scope,
        factor__isnull=False,
        plan__status__in=(PlanStatus.ACTIVE, PlanStatus.ENDED),
    ).exclude(progress=ActionProgress.STOPPED)
    done = planned.filter(progress=ActionProgress.DONE)
    gaps = PlanFactorGap.objects.filter(in_scope, withdrawn_at__isnull=True).values("factor_id")
    return ContextualFactor.objects.filter(
        young_person_scope(scope),
        withdrawn_at__isnull=True,
        assessment__authorised_on__range=(scope.start, scope.end),
    ).annotate(
        is_planned=ExpressionWrapper(
            Q(pk__in=planned.values("factor_id")), output_field=BooleanField()
        ),
        is_done=ExpressionWrapper(Q(pk__in=done.values("factor_id")), output_field=BooleanField()),
        has_gap=ExpressionWrapper(Q(pk__in=gaps), output_field=BooleanField()),
    )


FACTOR_ANSWERS = ("identified", "planned", "done", "gap", "open")


def contextual_factors_addressed(
    scope: ReportScope, *, kinds: dict[str, str] | None = None
) -> Table:
    """Contextual factors identified in assessments authorised in the period, by context, and how
    a plan stands towards each: planned for (an action on a finalised plan, whatever its progress
    but stopped), and of those done (such an action is done); otherwise marked not addressed with
    a reason, or not yet planned for. (The table's key keeps its old name, which addresses and
    the API use; "addressed" read as done to a social worker, so the page no longer says it.)"""
    kinds = kinds if kinds is not None else context_kind_labels()
    # Grouped by every answer, then added up here: each factor is looked up in each set once.
    # Counted with a FILTER for each column instead, PostgreSQL looked it up once per column.
    grouped: dict[str, dict[str, int]] = {}
    for r in (
        _factors(scope)
        .values("domain", "is_planned", "is_done", "has_gap")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts = grouped.setdefault(r["domain"], dict.fromkeys(FACTOR_ANSWERS, 0))
        counts["identified"] += r["n"]
        if r["is_planned"]:
            counts["planned"] += r["n"]
            if r["is_done"]:
                counts["done"] += r["n"]
        elif r["has_gap"]:
            counts["gap"] += r["n"]
        else:
            counts["open"] += r["n"]
    rows = []
    sums = [0] * len(FACTOR_ANSWERS)
    for kind, label in kinds.items():
        r = grouped.get(kind)
        if r is None:
            continue
        counts = tuple(r[answer] for answer in FACTOR_ANSWERS)
        sums = [a + b for a, b in zip(sums, counts, strict=True)]
        rows.append(
            Row(
                key=kind,
                cells=(
                    label,
                    *counts,
                    share(r["planned"], r["identified"]),
                    share(r["done"], r["identified"]),
                ),
            )
        )
    identified, planned, done, gaps, still_open = sums
    return Table(
        key="contextual_factors_addressed",
        section=ASSESSMENTS,
        title="Contextual factors identified, planned for and done",
        summary=(
            f"{_plural(identified, 'contextual factor')} identified in assessments authorised in "
            f"the period: {planned:,} planned for by a plan action "
            f"({_pct(share(planned, identified))}), of which {done:,} done "
            f"({_pct(share(done, identified))} of all); {gaps:,} marked not addressed with a "
            f"reason, {still_open:,} not yet planned for."
        ),
        definition=(
            "Factors (not withdrawn) from assessments authorised in the period. Planned for: an "
            "action on a finalised plan names the factor, whatever its progress (not started, in "
            "progress or done; a stopped action does not count). Done: one of those actions is "
            "done. Marked not addressed: no action, and a plan records why not. Shares are of "
            "the factors identified."
        ),
        columns=(
            Column("context", "Context", "text"),
            Column("identified", "Identified", drill="factors"),
            Column("planned", "Planned for", drill="factors_planned"),
            Column("done", "Done", drill="factors_done"),
            Column("gap", "Marked not addressed", drill="factors_gap"),
            Column("open", "Not yet planned for", drill="factors_open"),
            Column("share_planned", "Share planned for", "percent"),
            Column("share_done", "Share done", "percent"),
        ),
        rows=tuple(rows),
        totals=Row(cells=("Total", *sums, share(planned, identified), share(done, identified))),
        chart=Chart("stacked_bar", "context", ("planned", "gap", "open")),
    )


def outstanding_contextual_actions(
    scope: ReportScope, *, kinds: dict[str, str] | None = None
) -> Table:
    """Contextual actions not yet done, by the kind of context they target and the partner agency
    they rely on, on young people's plans in force and on open contexts' plans: where
    commissioning gaps show. Overdue means due before today."""
    today = timezone.localdate()
    counts = {
        "outstanding": Count("pk"),
        "overdue": Count("pk", filter=Q(due_date__lt=today)),
    }
    young_people = {
        (r["target_context_kind"], r["partner_agency"]): r
        for r in PlanAction.objects.filter(
            young_person_scope(scope),
            is_contextual=True,
            progress__in=OUTSTANDING,
            plan__status=PlanStatus.ACTIVE,
        )
        .values("target_context_kind", "partner_agency")
        .annotate(**counts)
    }
    contexts = {
        (r["context__kind"], r["partner_agency"]): r
        for r in ContextPlanAction.objects.filter(
            _context_scope(scope, "context__"),
            progress__in=OUTSTANDING,
            context__status=ContextStatus.OPEN,
        )
        .values("context__kind", "partner_agency")
        .annotate(**counts)
    }
    kinds = kinds if kinds is not None else context_kind_labels()
    agencies = dict(PartnerAgency.choices)
    empty = {"outstanding": 0, "overdue": 0}
    rows = []
    for key in sorted(
        set(young_people) | set(contexts),
        key=lambda k: (list(kinds).index(k[0]) if k[0] in kinds else 99, agencies.get(k[1], "")),
    ):
        person, context = young_people.get(key, empty), contexts.get(key, empty)
        rows.append(
            Row(
                key=f"{key[0]}:{key[1]}",
                cells=(
                    kinds.get(key[0], "Not given"),
                    agencies.get(key[1], "Not given"),
                    person["outstanding"],
                    person["overdue"],
                    context["outstanding"],
                    context["overdue"],
                ),
            )
        )
    outstanding = sum(r.cells[2] + r.cells[4] for r in rows)
    overdue = sum(r.cells[3] + r.cells[5] for r in rows)
    by_agency: dict[str, int] = {}
    for r in rows:
        by_agency[r.cells[1]] = by_agency.get(r.cells[1], 0) + r.cells[3] + r.cells[5]
    worst = max(by_agency.items(), key=lambda item: item[1], default=None)
    return Table(
        key="outstanding_contextual_actions",
        section=CONTEXTS,
        title="Outstanding contextual actions, by context and partner agency",
        summary=(
            f"{_plural(outstanding, 'contextual action')} outstanding today, {overdue:,} overdue"
            + (f"; most overdue rely on {worst[0]} ({worst[1]:,})." if worst and worst[1] else ".")
        ),
        definition=(
            "Actions not started or in progress today: contextual actions on young people's plans "
            "in force, and actions on the plans of open contexts. Overdue: due before today."
        ),
        columns=(
            Column("context_kind", "Context", "text"),
            Column("partner", "Partner agency", "text"),
            Column("plan_outstanding", "Young people's plans: outstanding"),
            Column("plan_overdue", "Young people's plans: overdue"),
            Column("context_outstanding", "Context plans: outstanding"),
            Column("context_overdue", "Context plans: overdue"),
        ),
        rows=tuple(rows),
    )


# ---------------------------------------------------------------------------------------------
# Relocations


def relocations(scope: ReportScope) -> Table:
    """Relocations because of extra-familial harm in the period by kind, whether the plan in
    force addressed the contextual factors behind each, and the rate: young people relocated per
    100 with a current extra-familial flag during the period."""
    moves = Relocation.objects.filter(
        young_person_scope(scope),
        moved_on__range=(scope.start, scope.end),
        because_of_extra_familial_harm=True,
    )
    grouped = {
        r["kind"]: r
        for r in moves.values("kind").annotate(
            moves=Count("pk"),
            yes=Count("pk", filter=Q(plan_addresses_factors=PlanAddressesFactors.YES)),
            partly=Count("pk", filter=Q(plan_addresses_factors=PlanAddressesFactors.PARTLY)),
            no=Count("pk", filter=Q(plan_addresses_factors=PlanAddressesFactors.NO)),
            no_plan=Count("pk", filter=Q(plan_addresses_factors=PlanAddressesFactors.NO_PLAN)),
        )
    }
    relocated = moves.aggregate(n=Count("young_person", distinct=True))["n"]
    flags = HarmFlag.objects.filter(
        flag_current_during(scope.start, scope.end),
        young_person_scope(scope),
        # Any extra-familial type: the harm-type filter has already chosen the young people
        # (young_person_scope), and the rate is of those with extra-familial harm at all.
        nature=Nature.EXTRA_FAMILIAL,
    )
    with_flags = _young_people(flags)
    rows = []
    sums = [0, 0, 0, 0, 0]
    for kind, label in RelocationKind.choices:
        r = grouped.get(kind)
        if r is None:
            continue
        counts = (r["moves"], r["yes"], r["partly"], r["no"], r["no_plan"])
        sums = [a + b for a, b in zip(sums, counts, strict=True)]
        rows.append(Row(key=kind, cells=(label, *counts, share(r["yes"], r["moves"]))))
    rate = None if not with_flags else round(100 * relocated / with_flags, 1)
    return Table(
        key="relocations",
        section=RELOCATIONS,
        title="Relocations because of extra-familial harm",
        summary=(
            f"{_plural(sums[0], 'relocation')} because of extra-familial harm in the period "
            f"({_plural(relocated, 'young person', 'young people')}: "
            f"{'no rate' if rate is None else f'{rate:g} per 100'} young people with a current "
            f"extra-familial flag); the plan in force fully addressed the contextual factors "
            f"behind "
            f"{_pct(share(sums[1], sums[0]))} of them."
        ),
        definition=(
            "Moves dated in the period and recorded as because of extra-familial harm. Rate: "
            "young people relocated per 100 young people with an extra-familial flag current at "
            f"any time in the period ({with_flags:,})."
        ),
        columns=(
            Column("kind", "Kind of move", "text"),
            Column("moves", "Relocations", drill="relocations"),
            Column("yes", "Plan addressed the factors", drill="relocations_addressed"),
            Column("partly", "Partly"),
            Column("no", "Not addressed"),
            Column("no_plan", "No plan in force"),
            Column("share", "Share fully addressed", "percent"),
        ),
        rows=tuple(rows),
        totals=Row(cells=("Total", *sums, share(sums[1], sums[0]))),
        chart=Chart("stacked_bar", "kind", ("yes", "partly", "no", "no_plan")),
        notes=(
            f"Young people relocated: {relocated:,}",
            f"Young people with a current extra-familial flag in the period: {with_flags:,}",
            f"Rate per 100: {'none' if rate is None else f'{rate:g}'}",
        ),
    )


# ---------------------------------------------------------------------------------------------
# Where harm happens


def _locations(scope: ReportScope):
    return LocationOfHarm.objects.filter(
        young_person_scope(scope), referral__received_on__range=(scope.start, scope.end)
    )


def locations_by_type(scope: ReportScope) -> Table:
    rows = list(
        _locations(scope)
        .values("location_type_id", "location_type__name")
        .annotate(locations=Count("pk"), young_people=Count("young_person", distinct=True))
        .order_by("-locations", "location_type__name")
    )
    total = sum(r["locations"] for r in rows)
    top = rows[0] if rows else None
    return Table(
        key="locations_by_type",
        section=PLACES,
        title="Locations of harm, by type of place",
        summary=(
            f"{_plural(total, 'location')} of harm recorded on referrals received in the period"
            + (
                f"; the most common type was {top['location_type__name']} ({top['locations']:,})."
                if top
                else "."
            )
        ),
        definition="Locations of harm recorded on referrals received in the period.",
        columns=(
            Column("location_type", "Type of place", "text"),
            Column("locations", "Locations recorded"),
            Column("young_people", "Young people", drill="locations_type"),
        ),
        rows=tuple(
            Row(
                key=str(r["location_type_id"]),
                cells=(r["location_type__name"], r["locations"], r["young_people"]),
            )
            for r in rows
        ),
        chart=Chart("bar", "location_type", ("locations",)),
    )


def locations_by_district(scope: ReportScope) -> Table:
    rows = list(
        _locations(scope)
        .exclude(postcode_district="")
        .values("postcode_district")
        .annotate(locations=Count("pk"), young_people=Count("young_person", distinct=True))
        .order_by("-locations", "postcode_district")
    )
    top = rows[:3]
    return Table(
        key="locations_by_district",
        section=PLACES,
        title="Locations of harm, by postcode district",
        summary=(
            "Most locations of harm were recorded in "
            + ", ".join(f"{r['postcode_district']} ({r['locations']:,})" for r in top)
            + "."
            if top
            else "No locations of harm with a postcode were recorded in the period."
        ),
        definition=(
            "Locations with a postcode, on referrals received in the period, by postcode district "
            "(the part before the space). Places recorded by name only are counted by type."
        ),
        columns=(
            Column("district", "Postcode district", "text"),
            Column("locations", "Locations recorded"),
            Column("young_people", "Young people", drill="locations_district"),
        ),
        rows=tuple(
            Row(
                key=r["postcode_district"],
                cells=(r["postcode_district"], r["locations"], r["young_people"]),
            )
            for r in rows
        ),
        chart=Chart("bar", "district", ("locations",)),
    )


# ---------------------------------------------------------------------------------------------
# Contexts: counts by kind only. No measure here reaches a young person's identity.


def _context_scope(scope: ReportScope, prefix: str = "") -> Q:
    condition = Q()
    if scope.team_ids is not None:
        condition &= Q(**{f"{prefix}team_id__in": scope.team_ids})
    if scope.harm_type_ids is not None:
        context_ref = f"{prefix}pk" if prefix else "pk"
        condition &= Q(
            Exists(
                Context.harm_types.through.objects.filter(
                    context_id=OuterRef(context_ref), harmtype_id__in=scope.harm_type_ids
                )
            )
        )
    return condition


def contexts_by_kind(scope: ReportScope, *, kinds: dict[str, str] | None = None) -> Table:
    """Contexts open today, opened and closed in the period, and young people linked today, by
    kind; counts only."""
    kinds = kinds if kinds is not None else context_kind_labels()
    # "In this set of contexts" rather than an EXISTS per context: PostgreSQL reads each set once
    # into a hash, where the EXISTS probes were costed high enough to be JIT-compiled each time.
    linked = ContextLink.objects.filter(ended_at__isnull=True).values("context_id")
    closed_in_period = ContextStatusChange.objects.filter(
        action=ContextStatusChange.Action.CLOSED, on__range=(scope.start, scope.end)
    ).values("context_id")
    grouped = {
        r["kind"]: r
        for r in Context.objects.filter(_context_scope(scope))
        .annotate(
            has_links=ExpressionWrapper(Q(pk__in=linked), output_field=BooleanField()),
            was_closed=ExpressionWrapper(Q(pk__in=closed_in_period), output_field=BooleanField()),
        )
        .values("kind")
        .annotate(
            open=Count("pk", filter=Q(status=ContextStatus.OPEN)),
            opened=Count("pk", filter=Q(opened_on__range=(scope.start, scope.end))),
            closed=Count("pk", filter=Q(was_closed=True)),
            open_unlinked=Count("pk", filter=Q(status=ContextStatus.OPEN, has_links=False)),
        )
    }
    active_links = ContextLink.objects.filter(
        _context_scope(scope, "context__"),
        ended_at__isnull=True,
        context__status=ContextStatus.OPEN,
    )
    linked = {
        r["context__kind"]: r["young_people"]
        for r in active_links.values("context__kind").annotate(
            young_people=Count("young_person", distinct=True)
        )
    }
    # A young person linked to a group and a school is one young person in the total.
    linked_total = active_links.aggregate(n=Count("young_person", distinct=True))["n"]
    rows = []
    sums = [0, 0, 0, 0, 0]
    for kind, label in kinds.items():
        r = grouped.get(kind)
        if r is None:
            continue
        counts = (r["open"], r["opened"], r["closed"], linked.get(kind, 0), r["open_unlinked"])
        sums = [a + b for a, b in zip(sums, counts, strict=True)]
        rows.append(Row(key=kind, cells=(label, *counts)))
    sums[3] = linked_total
    return Table(
        key="contexts_by_kind",
        section=CONTEXTS,
        title="Contexts open and closed, by kind",
        summary=(
            f"{_plural(sums[0], 'context')} open today; {sums[1]:,} opened and {sums[2]:,} "
            f"closed in "
            f"the period; {_plural(sums[3], 'young person', 'young people')} linked to open "
            f"contexts."
        ),
        definition=(
            "Open: open today. Opened: opened in the period. Closed: closed in the period (a "
            "context reopened since still counts). Linked young people: over links not ended, on "
            "open contexts, once per kind and once in the total. Teams: the team holding the "
            "context. Counts only: no child is named."
        ),
        columns=(
            Column("kind", "Kind", "text"),
            Column("open", "Open today"),
            Column("opened", "Opened in the period"),
            Column("closed", "Closed in the period"),
            Column("linked", "Young people linked"),
            Column("unlinked", "Open with no linked young people"),
        ),
        rows=tuple(rows),
        totals=Row(cells=("Total", *sums)),
        chart=Chart("bar", "kind", ("open", "opened", "closed")),
    )


TIME_OPEN_BANDS = (
    ("under_3m", "Under 3 months", 0, 91),
    ("3_12m", "3 to 12 months", 91, 365),
    ("1_2y", "1 to 2 years", 365, 730),
    ("over_2y", "Over 2 years", 730, None),
)


def contexts_time_open(scope: ReportScope, *, kinds: dict[str, str] | None = None) -> Table:
    """Open contexts by how long they have been open (from the date opened to today)."""
    kinds = kinds if kinds is not None else context_kind_labels()
    today = timezone.localdate()
    bands = {}
    for key, _label, low, high in TIME_OPEN_BANDS:
        condition = Q(opened_on__lte=today - timedelta(days=low))
        if high is not None:
            condition &= Q(opened_on__gt=today - timedelta(days=high))
        bands[key] = Count("pk", filter=condition)
    grouped = {
        r["kind"]: r
        for r in Context.objects.filter(_context_scope(scope), status=ContextStatus.OPEN)
        .values("kind")
        .annotate(**bands)
    }
    rows = [
        Row(key=kind, cells=(label, *(grouped[kind][b[0]] for b in TIME_OPEN_BANDS)))
        for kind, label in kinds.items()
        if kind in grouped
    ]
    long_open = sum(r.cells[3] + r.cells[4] for r in rows)
    total = sum(sum(r.cells[1:]) for r in rows)
    return Table(
        key="contexts_time_open",
        section=CONTEXTS,
        title="Open contexts, by time open",
        summary=(
            f"Of {_plural(total, 'open context')}, {long_open:,} "
            f"{'has' if long_open == 1 else 'have'} been open for a year or more."
        ),
        definition="Contexts open today, by the time since the date they were opened.",
        columns=(
            Column("kind", "Kind", "text"),
            *(Column(key, label) for key, label, _low, _high in TIME_OPEN_BANDS),
        ),
        rows=tuple(rows),
        chart=Chart("stacked_bar", "kind", tuple(b[0] for b in TIME_OPEN_BANDS)),
    )


def context_plan_progress(scope: ReportScope, *, kinds: dict[str, str] | None = None) -> Table:
    """Actions on the plans of open contexts by progress, by kind of context."""
    kinds = kinds if kinds is not None else context_kind_labels()
    today = timezone.localdate()
    grouped = {
        r["context__kind"]: r
        for r in ContextPlanAction.objects.filter(
            _context_scope(scope, "context__"), context__status=ContextStatus.OPEN
        )
        .values("context__kind")
        .annotate(
            **{
                progress: Count("pk", filter=Q(progress=progress))
                for progress in ActionProgress.values
            },
            overdue=Count("pk", filter=Q(progress__in=OUTSTANDING, due_date__lt=today)),
        )
    }
    rows = [
        Row(
            key=kind,
            cells=(
                label,
                *(grouped[kind][p] for p in ActionProgress.values),
                grouped[kind]["overdue"],
            ),
        )
        for kind, label in kinds.items()
        if kind in grouped
    ]
    done_index = 1 + list(ActionProgress.values).index(ActionProgress.DONE)
    done = sum(r.cells[done_index] for r in rows)
    total = sum(sum(r.cells[1 : 1 + len(ActionProgress.values)]) for r in rows)
    overdue = sum(r.cells[-1] for r in rows)
    return Table(
        key="context_plan_progress",
        section=CONTEXTS,
        title="Progress of context plans, by kind",
        summary=(
            f"Of {_plural(total, 'action')} on open contexts' plans, {done:,} "
            f"{'is' if done == 1 else 'are'} done ({_pct(share(done, total))}) and {overdue:,} "
            f"{'is' if overdue == 1 else 'are'} overdue."
        ),
        definition="Actions on the plans of contexts open today, by their progress today.",
        columns=(
            Column("kind", "Kind", "text"),
            *(Column(value, label) for value, label in ActionProgress.choices),
            Column("overdue", "Overdue"),
        ),
        rows=tuple(rows),
        chart=Chart("stacked_bar", "kind", tuple(ActionProgress.values)),
    )


# The dashboard's tables in the order the page shows them. Each is a function of the scope alone.
MEASURES = {
    measure.__name__: measure
    for measure in (
        referrals_by_month,
        referrals_by_team,
        open_with_flags_by_type,
        co_occurrence,
        assessments_by_month,
        contextual_factors_addressed,
        relocations,
        locations_by_type,
        locations_by_district,
        contexts_by_kind,
        contexts_time_open,
        context_plan_progress,
        outstanding_contextual_actions,
        flags_never_a_concern,
        harm_types_rarely_recorded,
    )
}


# The measures that name kinds of context, and so take the configured word for a peer group.
WORDED = frozenset(
    {
        "contextual_factors_addressed",
        "contexts_by_kind",
        "contexts_time_open",
        "context_plan_progress",
        "outstanding_contextual_actions",
    }
)


def dashboard_tables(scope: ReportScope) -> list[Table]:
    """Every measure for one scope, in page order; the configured words read once for all."""
    kinds = context_kind_labels()
    return [
        measure(scope, kinds=kinds) if key in WORDED else measure(scope)
        for key, measure in MEASURES.items()
    ]


def dashboard_table(scope: ReportScope, key: str) -> Table:
    """One measure by its key; KeyError for an unknown key."""
    return MEASURES[key](scope)
