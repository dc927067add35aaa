"""Reading retention rules and the records due for review.

Whether a record is due is decided in the database, with the rule turned into date bounds in
Python first (a rule of "25 years of age" becomes "born on or before this date"), so that no
database needs date arithmetic and the page costs the same few queries whatever the number of
records.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from cases import permissions as case_permissions
from cases.models import AssessmentFactor, CaseStatus, Plan, YoungPerson
from cases.reference import PlanKind
from cases.selectors import young_person_get_for_user
from contexts.models import Context, ContextStatusChange
from contexts.reference import ContextStatus
from csafe.accounts import permissions as role_permissions
from csafe.audit.models import AccessChannel
from csafe.audit.services import record_access_log
from csafe.core.dates import long_date
from harms.models import HarmFlag, HarmType

from . import permissions
from .models import (
    Decision,
    LegalHold,
    LegalHoldRule,
    RecordKind,
    RetentionBasis,
    RetentionDecision,
    RetentionRule,
    RuleKind,
)

# The most records of each kind one page lists, oldest closure first; the page gives the total.
LIST_LIMIT = 200


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (negative: earlier); 28 February for a 29 February the other
    year lacks."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def rule_due_q(rule: RetentionRule, as_of: date, *, closed: str, born: str | None = None) -> Q:
    """The condition on a record's closure date (and a young person's date of birth) under which
    ``rule`` has made it due on ``as_of``."""
    if rule.basis == RetentionBasis.UNTIL_AGE and born is not None:
        return Q(**{f"{closed}__lte": as_of, f"{born}__lte": add_years(as_of, -rule.years)})
    return Q(**{f"{closed}__lte": add_years(as_of, -rule.years)})


def rule_due_since(rule: RetentionRule, *, closed_on: date, born_on: date | None = None) -> date:
    """The day ``rule`` made a record closed on ``closed_on`` due (the later of closure and the
    age, for an age rule)."""
    if rule.basis == RetentionBasis.UNTIL_AGE and born_on is not None:
        return max(closed_on, add_years(born_on, rule.years))
    return add_years(closed_on, rule.years)


def retention_rules() -> list[RetentionRule]:
    """Every rule, with who last changed it: one query."""
    return list(RetentionRule.objects.select_related("updated_by").order_by("kind"))


def retention_rule_history(*, rule: RetentionRule) -> list:
    """Earlier versions of ``rule``, newest first, with who saved each: one query."""
    return list(rule.history.select_related("history_user").order_by("-history_date", "-pk"))


@dataclass(frozen=True)
class DueRecord:
    kind: str  # RecordKind
    pk: int
    identifier: str
    detail: str
    team: str
    closed_on: date
    rule: RetentionRule
    due_since: date
    # Why a record past its date is not due: a manager's hold, the legal hold rule, or both.
    held_reasons: tuple[str, ...] = ()

    @property
    def kind_label(self) -> str:
        return RecordKind(self.kind).label


@dataclass(frozen=True)
class DueRecords:
    young_people: list[DueRecord]
    young_people_total: int
    contexts: list[DueRecord]
    contexts_total: int
    # Young people past their rule's date but under a legal hold: shown, never offered erasure.
    held: tuple[DueRecord, ...] = ()
    held_total: int = 0

    @property
    def total(self) -> int:
        return self.young_people_total + self.contexts_total

    @property
    def young_person_ids(self) -> list[int]:
        """Every young person the lists show, for the access log."""
        return [row.pk for row in (*self.young_people, *self.held)]


# --- Legal holds ------------------------------------------------------------------------------
# A record is held while it has a standing LegalHold, or by the legal hold rule while it has, or
# ever had, a harm flag or a CIN assessment factor of one of the rule's harm types. The rule is
# a question asked in the database each time (these subqueries), never rows copied onto
# records, so a flag raised a moment ago holds its record at once.


def _rule_harm_type_ids() -> QuerySet:
    return LegalHoldRule.harm_types.through.objects.values("harmtype_id")


def _rule_flags(young_person) -> QuerySet:
    # Every status: an archived flag still says the record touched this harm.
    return HarmFlag.objects.filter(young_person=young_person, harm_type__in=_rule_harm_type_ids())


def _rule_factors(young_person) -> QuerySet:
    # Withdrawn factors too, for the same reason. A type with no census code has no factors.
    codes = (
        HarmType.objects.filter(pk__in=_rule_harm_type_ids())
        .exclude(cin_code="")
        .values("cin_code")
    )
    return AssessmentFactor.objects.filter(assessment__young_person=young_person, code__in=codes)


def _standing_holds(young_person) -> QuerySet:
    return LegalHold.objects.filter(young_person=young_person, lifted_at__isnull=True)


def held_q() -> Q:
    """The condition on young people under a legal hold, by a manager or by the rule."""
    young_person = OuterRef("pk")
    return (
        Q(Exists(_standing_holds(young_person)))
        | Q(Exists(_rule_flags(young_person)))
        | Q(Exists(_rule_factors(young_person)))
    )


def young_person_is_held(*, pk: int) -> bool:
    """Whether young person ``pk`` is under any legal hold now: one query. The erase service
    asks this with the record's row locked."""
    return YoungPerson.objects.filter(pk=pk).filter(held_q()).exists()


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def rule_hold_reason(*, source: str, harm_type_name: str, citation: str) -> str:
    """ "Held by rule: a harm flag of child sexual exploitation (IICSA instruction, 2 July
    2015)"; ``source`` is "flag" or "factor"."""
    what = "a harm flag" if source == "flag" else "an assessment factor"
    return f"Held by rule: {what} of {_lower_first(harm_type_name)} ({citation})"


def manual_hold_reason(*, reason: str, review_on: date) -> str:
    return f"Legal hold, to be reviewed on {long_date(review_on)}: {reason}"


@dataclass(frozen=True)
class RuleTypes:
    """The legal hold rule's harm types, by id and by census code, and its citation."""

    by_id: dict[int, HarmType]
    by_code: dict[str, HarmType]
    citation: str


def _rule_types() -> RuleTypes:
    # One query: the rule's rows of harm types, each with its type and the rule (for the
    # citation). No types, no rule holds, so no citation is needed.
    rows = list(
        LegalHoldRule.harm_types.through.objects.select_related("harmtype", "legalholdrule")
    )
    types = [row.harmtype for row in rows]
    return RuleTypes(
        by_id={t.pk: t for t in types},
        by_code={t.cin_code: t for t in sorted(types, key=lambda t: t.pk) if t.cin_code},
        citation=rows[0].legalholdrule.citation if rows else "",
    )


@dataclass(frozen=True)
class RecordHolds:
    """What holds a young person's record: the standing hold (if any), the reasons the rule
    holds it, and every hold it has had, newest first."""

    standing: LegalHold | None
    rule_reasons: list[str]
    holds: list[LegalHold]

    @property
    def is_held(self) -> bool:
        return self.standing is not None or bool(self.rule_reasons)


def legal_holds_for_young_person(*, young_person: YoungPerson) -> RecordHolds:
    """The holds on a record the caller has fetched through an access check: two queries (the
    record's holds with who placed and lifted them; the rule's harm types this record has a flag
    or factor of)."""
    holds = list(
        LegalHold.objects.filter(young_person=young_person)
        .select_related("placed_by", "lifted_by")
        .order_by("-placed_at", "-pk")
    )
    matched = (
        LegalHoldRule.harm_types.through.objects.select_related("harmtype", "legalholdrule")
        .annotate(
            flagged=Exists(
                HarmFlag.objects.filter(young_person=young_person, harm_type=OuterRef("harmtype"))
            ),
            factored=Exists(
                AssessmentFactor.objects.filter(
                    assessment__young_person=young_person, code=OuterRef("harmtype__cin_code")
                )
            ),
        )
        .filter(Q(flagged=True) | Q(factored=True))
        .order_by("harmtype__name", "pk")
    )
    reasons = []
    for row in matched:
        for source, present in (("flag", row.flagged), ("factor", row.factored)):
            if present:
                reasons.append(
                    rule_hold_reason(
                        source=source,
                        harm_type_name=row.harmtype.name,
                        citation=row.legalholdrule.citation,
                    )
                )
    standing = next((hold for hold in holds if hold.is_standing), None)
    return RecordHolds(standing=standing, rule_reasons=reasons, holds=holds)


def young_person_for_hold(*, user, pk: int, resource: str) -> YoungPerson:
    """The young person ``pk`` for the legal hold pages, if ``user`` may hold it; otherwise
    Http404, so that a record's existence does not leak. The view is written to the access log.
    Team managers reach it through cases' one fetch-and-check helper, as the managers the
    record's access log is granted to; service managers, who hold no child's record, reach
    closed records of any team (the records they review for retention) and see no more of them
    than the retention review shows. Assumes ``permissions.can_manage_holds(user)``."""
    if not role_permissions.is_service_manager(user):
        return young_person_get_for_user(
            user=user,
            pk=pk,
            channel=AccessChannel.PAGE,
            resource=resource,
            perm=case_permissions.VIEW_ACCESS_LOG,
        )
    young_person = (
        YoungPerson.objects.filter(pk=pk, status=CaseStatus.CLOSED).select_related("team").first()
    )
    if young_person is None:
        raise Http404("No young person found")
    record_access_log(
        user=user, young_person=young_person, channel=AccessChannel.PAGE, resource=resource
    )
    return young_person


def legal_hold_rule() -> LegalHoldRule:
    """The legal hold rule with its harm types and who last changed it: two queries. The row is
    made by a data migration (retention.defaults.load_default_hold_rule)."""
    rule = (
        LegalHoldRule.objects.select_related("updated_by")
        .prefetch_related("harm_types")
        .filter(pk=LegalHoldRule.SINGLE_ROW)
        .first()
    )
    if rule is None:
        raise LegalHoldRule.DoesNotExist("Load it with load_default_hold_rule")
    return rule


def _settled(record_kind: str, as_of: date) -> Exists:
    """A decision that takes the record off the list on ``as_of``: an erasure, or a decision to
    keep it whose review date has not come."""
    return Exists(
        RetentionDecision.objects.filter(record_kind=record_kind, record_id=OuterRef("pk")).filter(
            Q(decision=Decision.ERASE) | Q(decision=Decision.KEEP, review_on__gt=as_of)
        )
    )


def _active_rules() -> dict[str, RetentionRule]:
    return {rule.kind: rule for rule in RetentionRule.objects.filter(is_active=True)}


def young_people_due(
    *,
    as_of: date,
    rules: dict[str, RetentionRule],
    team_id: int | None = None,
    held: bool = False,
):
    """Closed young people's cases past their rule's date on ``as_of`` and not settled by a
    decision, annotated with ``looked_after``: those under no legal hold, or (``held``) only
    those under one. A child who ever had a looked-after plan follows the looked-after rule
    only: if that rule is switched off they are never listed, rather than falling back to the
    shorter general rule."""
    condition = Q(pk__in=[])
    for kind, looked_after in ((RuleKind.YOUNG_PERSON, False), (RuleKind.LOOKED_AFTER, True)):
        rule = rules.get(kind)
        if rule is not None:
            due = rule_due_q(rule, as_of, closed="closed_on", born="date_of_birth")
            condition |= Q(looked_after=looked_after) & due
    queryset = (
        YoungPerson.objects.filter(status=CaseStatus.CLOSED, closed_on__isnull=False)
        .annotate(
            looked_after=Exists(
                Plan.objects.filter(young_person=OuterRef("pk"), kind=PlanKind.LOOKED_AFTER)
            )
        )
        .filter(condition)
        .exclude(_settled(RecordKind.YOUNG_PERSON, as_of))
    )
    # A held record is never due, whatever its dates.
    queryset = queryset.filter(held_q()) if held else queryset.exclude(held_q())
    if team_id is not None:
        queryset = queryset.filter(team_id=team_id)
    return queryset


def contexts_due(*, as_of: date, rules: dict[str, RetentionRule], team_id: int | None = None):
    """Closed contexts past the context rule's date on ``as_of`` (counted from their last
    closure) and not settled by a decision, annotated with ``closed_on``."""
    rule = rules.get(RuleKind.CONTEXT)
    last_closed = (
        ContextStatusChange.objects.filter(
            context=OuterRef("pk"), action=ContextStatusChange.Action.CLOSED
        )
        .order_by("-on", "-pk")
        .values("on")[:1]
    )
    queryset = (
        Context.objects.filter(status=ContextStatus.CLOSED)
        .annotate(closed_on=Subquery(last_closed))
        .exclude(_settled(RecordKind.CONTEXT, as_of))
    )
    if rule is None:
        return queryset.none()
    queryset = queryset.filter(rule_due_q(rule, as_of, closed="closed_on"))
    if team_id is not None:
        queryset = queryset.filter(team_id=team_id)
    return queryset


def _young_person_row(person, rules) -> DueRecord:
    rule = rules[RuleKind.LOOKED_AFTER if person.looked_after else RuleKind.YOUNG_PERSON]
    return DueRecord(
        kind=RecordKind.YOUNG_PERSON,
        pk=person.pk,
        identifier=person.local_identifier,
        detail="Had a looked-after plan" if person.looked_after else "",
        team=person.team.name if person.team else "",
        closed_on=person.closed_on,
        rule=rule,
        due_since=rule_due_since(rule, closed_on=person.closed_on, born_on=person.date_of_birth),
    )


def _held_young_people_rows(queryset, rules, limit=None) -> list[DueRecord]:
    """Rows for held young people, each with why it is held: the standing hold's reason and
    review date, and the first flag and factor of the rule's types, read as subqueries of the
    one list query; the names and citation come from ``_rule_types`` (one more query)."""
    young_person = OuterRef("pk")
    standing = _standing_holds(young_person).order_by("-pk")
    queryset = queryset.annotate(
        hold_reason=Subquery(standing.values("reason")[:1]),
        hold_review_on=Subquery(standing.values("review_on")[:1]),
        rule_flag_type=Subquery(_rule_flags(young_person).order_by("pk").values("harm_type")[:1]),
        rule_factor_code=Subquery(_rule_factors(young_person).order_by("pk").values("code")[:1]),
    )
    people = _young_people_rows(queryset, rules, limit, annotated=True)
    types = _rule_types()
    rows = []
    for person, row in people:
        reasons = []
        if person.hold_reason:
            reasons.append(
                manual_hold_reason(reason=person.hold_reason, review_on=person.hold_review_on)
            )
        flag_type = types.by_id.get(person.rule_flag_type)
        if flag_type is not None:
            reasons.append(
                rule_hold_reason(
                    source="flag", harm_type_name=flag_type.name, citation=types.citation
                )
            )
        factor_type = types.by_code.get(person.rule_factor_code)
        if factor_type is not None:
            reasons.append(
                rule_hold_reason(
                    source="factor", harm_type_name=factor_type.name, citation=types.citation
                )
            )
        rows.append(replace(row, held_reasons=tuple(reasons)))
    return rows


def _context_row(context, rules) -> DueRecord:
    rule = rules[RuleKind.CONTEXT]
    return DueRecord(
        kind=RecordKind.CONTEXT,
        pk=context.pk,
        identifier=context.name,
        detail=context.get_kind_display(),
        team=context.team.name,
        closed_on=context.closed_on,
        rule=rule,
        due_since=rule_due_since(rule, closed_on=context.closed_on),
    )


def _young_people_rows(queryset, rules, limit=None, *, annotated: bool = False):
    """DueRecords for ``queryset``, oldest closure first; with ``annotated``, (person, row)
    pairs, for a caller that reads more annotations off the people."""
    # Only what the list shows: no name, no address, never the record's text.
    queryset = queryset.select_related("team").only(
        "pk", "local_identifier", "closed_on", "date_of_birth", "team__name"
    )
    queryset = queryset.order_by("closed_on", "pk")
    if limit is not None:
        queryset = queryset[:limit]
    if annotated:
        return [(person, _young_person_row(person, rules)) for person in queryset]
    return [_young_person_row(person, rules) for person in queryset]


def _context_rows(queryset, rules, limit=None) -> list[DueRecord]:
    queryset = queryset.select_related("team").only("pk", "name", "kind", "team__name")
    queryset = queryset.order_by("closed_on", "pk")
    if limit is not None:
        queryset = queryset[:limit]
    return [_context_row(context, rules) for context in queryset]


def records_due_for_review(*, user, as_of: date, limit: int | None = LIST_LIMIT) -> DueRecords:
    """The closed records ``user`` reviews that are due on ``as_of``, oldest closure first, at
    most ``limit`` of each kind, with the totals, and the young people past their date but
    under a legal hold, with why. Team managers see the young people their team holds and their
    team's contexts; service managers see every team's. Eight queries (the rules; a list and a
    count for each kind; the held young people, their count and the hold rule's harm types).
    Assumes ``can_review_retention(user)``."""
    if not permissions.can_review_retention(user):
        return DueRecords([], 0, [], 0)
    team_id = permissions.team_scope(user)
    rules = _active_rules()
    people = young_people_due(as_of=as_of, rules=rules, team_id=team_id)
    held = young_people_due(as_of=as_of, rules=rules, team_id=team_id, held=True)
    contexts = contexts_due(as_of=as_of, rules=rules, team_id=team_id)
    return DueRecords(
        young_people=_young_people_rows(people, rules, limit),
        young_people_total=people.count(),
        contexts=_context_rows(contexts, rules, limit),
        contexts_total=contexts.count(),
        held=tuple(_held_young_people_rows(held, rules, limit)),
        held_total=held.count(),
    )


def due_record_for_user(*, user, record_kind: str, pk: int, as_of: date) -> DueRecord | None:
    """One record ``user`` reviews that is due on ``as_of``, or None (not theirs, not closed,
    not yet due, under a legal hold, or already decided): two queries."""
    if not permissions.can_review_retention(user) or record_kind not in RecordKind.values:
        return None
    team_id = permissions.team_scope(user)
    rules = _active_rules()
    if record_kind == RecordKind.YOUNG_PERSON:
        queryset: QuerySet = young_people_due(as_of=as_of, rules=rules, team_id=team_id)
        rows = _young_people_rows(queryset.filter(pk=pk), rules)
    else:
        queryset = contexts_due(as_of=as_of, rules=rules, team_id=team_id)
        rows = _context_rows(queryset.filter(pk=pk), rules)
    return rows[0] if rows else None


def decisions_for_record(*, record_kind: str, pk: int) -> list[RetentionDecision]:
    """Earlier decisions on one record, newest first, with who made them: one query."""
    return list(
        RetentionDecision.objects.filter(record_kind=record_kind, record_id=pk)
        .select_related("decided_by")
        .order_by("-decided_at", "-pk")
    )
