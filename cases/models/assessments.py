"""Child and family assessments, with the contextual factors they identify and the CIN census
factors recorded at their end."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from csafe.core.vocabulary import ContextKind
from harms.reference import CINFactor

from ..reference import AssessmentDecision, NatureOfHarm


class AssessmentStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    AWAITING_AUTHORISATION = "completed", "Awaiting authorisation"
    AUTHORISED = "authorised", "Authorised"


class Assessment(models.Model):
    """A child and family assessment. Its status follows from its dates: completed when the
    practitioner completes it, authorised when a team manager signs it off, after which it is
    read-only."""

    young_person = models.ForeignKey(
        "cases.YoungPerson", on_delete=models.PROTECT, related_name="assessments"
    )
    referral = models.ForeignKey(
        "cases.Referral",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    started_on = models.DateField("date started")
    completed_on = models.DateField("date completed", null=True, blank=True)
    authorised_on = models.DateField("date authorised", null=True, blank=True)
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The extra-familial prompts: what the practitioner found in each context of the child's life.
    peers = models.TextField("peers and friendships", blank=True)
    school = models.TextField("school or education", blank=True)
    neighbourhood = models.TextField("neighbourhood and public spaces", blank=True)
    online = models.TextField("online", blank=True)
    capacity_undermining = models.TextField(
        "external factors that undermine parental capacity", blank=True
    )
    capacity_boosting = models.TextField(
        "external factors that boost parental capacity", blank=True
    )
    conclusion = models.TextField(blank=True)
    outcome_nature = models.CharField(
        "nature of harm found", max_length=20, choices=NatureOfHarm.choices, blank=True
    )
    decision = models.CharField(max_length=20, choices=AssessmentDecision.choices, blank=True)
    # The last time a team manager sent it back for more work, and what they asked for. Kept
    # here, not in the audit event, which holds no free text; earlier returns are in history.
    returned_on = models.DateField("date returned for more work", null=True, blank=True)
    return_reason = models.TextField("what more is needed", blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The team manager's reasoning when authorising: part of the management oversight Ofsted
    # looks for on the child's file.
    authorisation_reason = models.TextField("the manager's reasoning", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Raised by every change, so a second practitioner cannot silently save over the first.
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="assessment_completed_after_start",
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=F("started_on")),
            ),
            models.CheckConstraint(
                name="assessment_authorised_after_completion",
                condition=Q(authorised_on__isnull=True)
                | Q(
                    completed_on__isnull=False,
                    authorised_on__gte=F("completed_on"),
                    authorised_by__isnull=False,
                ),
            ),
            models.CheckConstraint(
                name="completed_assessment_has_outcome",
                condition=Q(completed_on__isnull=True)
                | (~Q(outcome_nature="") & ~Q(decision="") & ~Q(conclusion="")),
            ),
        ]
        indexes = [
            models.Index(fields=["young_person", "-started_on"], name="cases_assess_yp_start"),
            # The dashboards' assessments authorised in a period by outcome; covering the id
            # (for their contextual factors) and the young person (for a team), so PostgreSQL
            # reads the period's assessments from the index alone.
            models.Index(
                fields=["authorised_on", "outcome_nature"],
                include=["id", "young_person"],
                name="cases_assess_period",
            ),
            models.Index(fields=["completed_on"], name="cases_assess_completed"),
        ]

    def __str__(self) -> str:
        return f"Assessment started {self.started_on:%d %b %Y}"

    @property
    def status(self) -> str:
        if self.authorised_on:
            return AssessmentStatus.AUTHORISED
        if self.completed_on:
            return AssessmentStatus.AWAITING_AUTHORISATION
        return AssessmentStatus.IN_PROGRESS

    def get_status_display(self) -> str:
        return AssessmentStatus(self.status).label

    @property
    def is_editable(self) -> bool:
        return self.completed_on is None


class AssessmentFactor(models.Model):
    """One CIN census "factor identified at the end of assessment" (the 2024 code list)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="cin_factors")
    code = models.CharField(max_length=3, choices=CINFactor.choices)
    # Set when an assessment returned for more work is completed again without this code.
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "code"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_cin_factor_code_per_assessment",
            )
        ]

    def __str__(self) -> str:
        return self.code


class ContextualFactor(models.Model):
    """Something in a context of the child's life (peers, school, neighbourhood, online) that
    the assessment found to cause or reduce harm, kept as a row so that plans must answer it
    and reports can count it. Withdrawn, never deleted, while the assessment is in progress."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="contextual_factors"
    )
    # Kept here too so reports of factors by young person need no join through assessments.
    young_person = models.ForeignKey(
        "cases.YoungPerson", on_delete=models.PROTECT, related_name="contextual_factors"
    )
    domain = models.CharField("context", max_length=20, choices=ContextKind.choices)
    description = models.TextField()
    # The context record the factor sits in, when there is one; the domain names its kind.
    context = models.ForeignKey(
        "contexts.Context",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contextual_factors",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["young_person", "domain"], name="cases_factor_yp_domain"),
        ]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}: {self.description[:60]}"
