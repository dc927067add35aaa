"""Reading retention rules and the records due for review.

Whether a record is due is decided in the database, with the rule turned into date bounds in
Python first (a rule of "25 years of age" becomes "born on or before this date"), so that no
database needs date arithmetic and the page costs the same few queries whatever the number of
records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from cases.models import CaseStatus, Plan, YoungPerson
from cases.reference import PlanKind
from contexts.models import Context, ContextStatusChange
from contexts.reference import ContextStatus

from . import permissions
from .models import Decision, RecordKind, RetentionBasis, RetentionDecision, RetentionRule, RuleKind

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

    @property
    def kind_label(self) -> str:
        return RecordKind(self.kind).label


@dataclass(frozen=True)
class DueRecords:
    young_people: list[DueRecord]
    young_people_total: int
    contexts: list[DueRecord]
    contexts_total: int

    @property
    def total(self) -> int:
        return self.young_people_total + self.contexts_total


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


def young_people_due(*, as_of: date, rules: dict[str, RetentionRule], team_id: int | None = None):
    """Closed young people's cases past their rule's date on ``as_of`` and not settled by a
    decision, annotated with ``looked_after``. A child who ever had a looked-after plan follows
    the looked-after rule only: if that rule is switched off they are never listed, rather than
    falling back to the shorter general rule."""
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


def _young_people_rows(queryset, rules, limit=None) -> list[DueRecord]:
    # Only what the list shows: no name, no address, never the record's text.
    queryset = queryset.select_related("team").only(
        "pk", "local_identifier", "closed_on", "date_of_birth", "team__name"
    )
    queryset = queryset.order_by("closed_on", "pk")
    if limit is not None:
        queryset = queryset[:limit]
    return [_young_person_row(person, rules) for person in queryset]


def _context_rows(queryset, rules, limit=None) -> list[DueRecord]:
    queryset = queryset.select_related("team").only("pk", "name", "kind", "team__name")
    queryset = queryset.order_by("closed_on", "pk")
    if limit is not None:
        queryset = queryset[:limit]
    return [_context_row(context, rules) for context in queryset]


def records_due_for_review(*, user, as_of: date, limit: int | None = LIST_LIMIT) -> DueRecords:
    """The closed records ``user`` reviews that are due on ``as_of``, oldest closure first, at
    most ``limit`` of each kind, with the totals. Team managers see the young people their team
    holds and their team's contexts; service managers see every team's. Five queries (the
    rules, then a list and a count for each kind). Assumes ``can_review_retention(user)``."""
    if not permissions.can_review_retention(user):
        return DueRecords([], 0, [], 0)
    team_id = permissions.team_scope(user)
    rules = _active_rules()
    people = young_people_due(as_of=as_of, rules=rules, team_id=team_id)
    contexts = contexts_due(as_of=as_of, rules=rules, team_id=team_id)
    return DueRecords(
        young_people=_young_people_rows(people, rules, limit),
        young_people_total=people.count(),
        contexts=_context_rows(contexts, rules, limit),
        contexts_total=contexts.count(),
    )


def due_record_for_user(*, user, record_kind: str, pk: int, as_of: date) -> DueRecord | None:
    """One record ``user`` reviews that is due on ``as_of``, or None (not theirs, not closed,
    not yet due, or already decided): two queries."""
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
