"""Retention rules (configured by administrators) and retention decisions (made by managers).

A rule says how long one kind of closed record is kept. A decision is a manager's answer for one
record that has reached its rule's date: keep it until a later review, or erase it. An erasure
decision is also what marks a record as erased, so the case and context tables need no field of
their own, and a record is never listed again once erased.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class RuleKind(models.TextChoices):
    """What a rule applies to. A young person who has ever had a looked-after plan follows the
    looked-after rule instead of the general one, since councils commonly keep those records
    far longer."""

    YOUNG_PERSON = "young_person", "Young person's case"
    LOOKED_AFTER = "looked_after", "Young person's case with a looked-after plan"
    CONTEXT = "context", "Context record"


class RecordKind(models.TextChoices):
    YOUNG_PERSON = "young_person", "Young person's case"
    CONTEXT = "context", "Context record"


class RetentionBasis(models.TextChoices):
    AFTER_CLOSURE = "after_closure", "A number of years after the record closed"
    UNTIL_AGE = "until_age", "Until the young person reaches an age"


class RetentionRule(models.Model):
    kind = models.CharField("applies to", max_length=20, choices=RuleKind.choices, unique=True)
    basis = models.CharField(max_length=20, choices=RetentionBasis.choices)
    # Years after closure, or the young person's age in years, depending on ``basis``.
    years = models.PositiveSmallIntegerField()
    is_active = models.BooleanField("in use", default=True)
    policy_note = models.TextField(
        "policy reference",
        blank=True,
        help_text="Where this period comes from in your council's retention schedule",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.CheckConstraint(
                name="retention_rule_years_in_range",
                condition=Q(years__gte=1, years__lte=120),
            ),
            # A context has no date of birth: only years after closure make sense for it.
            models.CheckConstraint(
                name="retention_rule_context_after_closure",
                condition=~Q(kind="context") | Q(basis="after_closure"),
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def period_label(self) -> str:
        unit = "year" if self.years == 1 else "years"
        if self.basis == RetentionBasis.UNTIL_AGE:
            return f"Until age {self.years} (and at least until closure)"
        return f"{self.years} {unit} after closure"


class Decision(models.TextChoices):
    ERASE = "erase", "Erase the record"
    KEEP = "keep", "Keep the record for now"


class RetentionDecision(models.Model):
    """One manager's decision on one record. Rows are only ever added: a later review of a kept
    record is a new decision."""

    record_kind = models.CharField(max_length=20, choices=RecordKind.choices)
    record_id = models.PositiveBigIntegerField()
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reason = models.TextField()
    review_on = models.DateField("review again on", null=True, blank=True)
    # The rule that made the record due, for the audit trail (rules change over time).
    rule = models.ForeignKey(RetentionRule, on_delete=models.PROTECT, related_name="decisions")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(name="retention_decision_has_reason", condition=~Q(reason="")),
            models.CheckConstraint(
                name="retention_keep_has_review_date",
                condition=Q(decision="keep", review_on__isnull=False)
                | Q(decision="erase", review_on__isnull=True),
            ),
            # A record is erased once; two managers deciding at once cannot both erase it.
            models.UniqueConstraint(
                fields=["record_kind", "record_id"],
                condition=Q(decision="erase"),
                name="one_erasure_per_record",
            ),
        ]
        indexes = [
            models.Index(fields=["record_kind", "record_id"], name="retention_decision_record"),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.record_kind} {self.record_id}"


class LegalHold(models.Model):
    """A manager's hold on one young person's record, for litigation, an inquiry or a complaint:
    while it stands the record is never listed for retention review and cannot be erased.
    A hold is lifted with a reason, never deleted, so the record shows every hold it has had.
    One hold stands at a time; a second matter is written into the standing hold's reason."""

    young_person = models.ForeignKey(
        "cases.YoungPerson", on_delete=models.PROTECT, related_name="legal_holds"
    )
    reason = models.TextField()
    review_on = models.DateField("review the hold on")
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lift_reason = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-placed_at", "-pk"]
        constraints = [
            models.CheckConstraint(name="legal_hold_has_reason", condition=~Q(reason="")),
            models.CheckConstraint(
                name="legal_hold_lifted_with_reason",
                condition=Q(lifted_at__isnull=True, lifted_by__isnull=True, lift_reason="")
                | (Q(lifted_at__isnull=False, lifted_by__isnull=False) & ~Q(lift_reason="")),
            ),
            # Two managers placing a hold at once get one: the second insert fails here.
            models.UniqueConstraint(
                fields=["young_person"],
                condition=Q(lifted_at__isnull=True),
                name="one_standing_legal_hold_per_record",
            ),
        ]

    def __str__(self) -> str:
        state = "lifted" if self.lifted_at else "standing"
        return f"Legal hold on young person {self.young_person_id} ({state})"

    @property
    def is_standing(self) -> bool:
        return self.lifted_at is None


class LegalHoldRule(models.Model):
    """The one rule (a single row) holding every young person's record that has ever had a harm
    flag, or a CIN assessment factor, of the chosen harm types. Nothing is copied onto the
    records: the selectors ask the question each time, so a flag raised today holds the record
    today, and a change to the rule applies at once. Archived flags and withdrawn factors
    count: a flag once raised still touches the harm the rule is about."""

    SINGLE_ROW = 1

    harm_types = models.ManyToManyField("harms.HarmType", blank=True, related_name="+")
    citation = models.CharField(
        "short citation",
        max_length=200,
        help_text="Shown with every record the rule holds, like: IICSA instruction, 2 July 2015",
    )
    policy_note = models.TextField("why records are held", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(name="legal_hold_rule_single_row", condition=Q(id=1)),
            models.CheckConstraint(name="legal_hold_rule_has_citation", condition=~Q(citation="")),
        ]

    def __str__(self) -> str:
        return f"Legal hold rule ({self.citation})"
