"""Relocations, case notes and documents on a young person's record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ..reference import DocumentKind, PlanAddressesFactors, RelocationKind


class Relocation(models.Model):
    """A move of the young person: counted on the dashboards, so that a council can say how
    often it relocates young people because of extra-familial harm without reading files."""

    young_person = models.ForeignKey(
        "cases.YoungPerson", on_delete=models.PROTECT, related_name="relocations"
    )
    moved_on = models.DateField("date of the move")
    kind = models.CharField(max_length=20, choices=RelocationKind.choices)
    destination = models.CharField(
        "where to", max_length=200, blank=True, help_text="An area or council, not an address"
    )
    reason = models.TextField()
    because_of_extra_familial_harm = models.BooleanField()
    plan = models.ForeignKey(
        "cases.Plan", null=True, blank=True, on_delete=models.PROTECT, related_name="relocations"
    )
    plan_addresses_factors = models.CharField(
        "does the plan address the contextual factors that led to the move",
        max_length=10,
        choices=PlanAddressesFactors.choices,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-moved_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="relocation_no_plan_matches_plan",
                condition=Q(plan__isnull=True, plan_addresses_factors="no_plan")
                | (Q(plan__isnull=False) & ~Q(plan_addresses_factors="no_plan")),
            )
        ]
        indexes = [
            models.Index(
                fields=["moved_on", "because_of_extra_familial_harm"],
                name="cases_reloc_date_efh",
            ),
            models.Index(fields=["young_person", "-moved_on"], name="cases_reloc_yp_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.moved_on:%d %b %Y}"


class CaseNote(models.Model):
    """A case note. Notes are never edited or deleted; a correction is a further note."""

    young_person = models.ForeignKey(
        "cases.YoungPerson", on_delete=models.PROTECT, related_name="case_notes"
    )
    noted_on = models.DateField("date of the contact or event")
    subject = models.CharField(max_length=200)
    body = models.TextField("note")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-noted_on", "-pk"]
        indexes = [
            models.Index(fields=["young_person", "-noted_on"], name="cases_note_yp_date"),
        ]

    def __str__(self) -> str:
        return f"Note of {self.noted_on:%d %b %Y}"


class Document(models.Model):
    """A file on the record. The bytes live outside the web root under ``stored_name`` (random,
    never the uploader's file name) and are served only by a view that checks the young person's
    permission and writes the access log. Peer and safety maps belong to an assessment and say
    how they shaped its conclusion."""

    young_person = models.ForeignKey(
        "cases.YoungPerson", on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(max_length=20, choices=DocumentKind.choices, default="general")
    assessment = models.ForeignKey(
        "cases.Assessment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    title = models.CharField(max_length=200)
    shaped_conclusion = models.TextField("how this shaped the assessment's conclusion", blank=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    stored_name = models.CharField(max_length=80, unique=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="map_belongs_to_assessment_with_note",
                condition=Q(kind="general")
                | (Q(assessment__isnull=False) & ~Q(shaped_conclusion="")),
            )
        ]
        indexes = [
            models.Index(fields=["young_person", "-uploaded_at"], name="cases_doc_yp_time"),
        ]

    def __str__(self) -> str:
        return self.title
