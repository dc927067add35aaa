"""The harm taxonomy and harm flags.

A young person can carry any number of active flags at once and none is "primary": the research
behind csafe found that one static harm type per child blinds practitioners to what else is going
on. A flag that turns out not to apply is archived with a reason and rationale, so it stops
labelling the child but stays in the record's history. Nothing here is ever deleted.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from .reference import CINFactor


class Nature(models.TextChoices):
    EXTRA_FAMILIAL = "extra_familial", "Extra-familial"
    INTRA_FAMILIAL = "intra_familial", "Intra-familial"
    EITHER = "either", "Either"


class HarmType(models.Model):
    """A node in the administrator-configured harm taxonomy (e.g. Exploitation > CCE)."""

    name = models.CharField(max_length=120)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    nature = models.CharField(max_length=20, choices=Nature.choices)
    cin_code = models.CharField(
        "CIN census factor",
        max_length=3,
        choices=CINFactor.choices,
        blank=True,
        help_text="The children in need census assessment factor this type maps to, if any",
    )
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True, db_index=True)
    # Who retired the type, when and why; cleared when it is brought back into use (the type's
    # history keeps every earlier retirement).
    retired_at = models.DateTimeField(null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    retired_reason = models.TextField("why it was retired", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="harm_type_unique_name_in_parent"
            ),
            # NULL parents are distinct in a plain unique index, so top-level names need their own.
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(parent__isnull=True),
                name="harm_type_unique_top_level_name",
            ),
            models.CheckConstraint(
                name="harm_type_not_own_parent", condition=~Q(parent=models.F("pk"))
            ),
            # A retired type says who retired it, when and why; one in use carries none of it.
            models.CheckConstraint(
                name="harm_type_retired_has_reason",
                condition=Q(is_active=True, retired_at__isnull=True, retired_reason="")
                | (Q(is_active=False, retired_at__isnull=False) & ~Q(retired_reason="")),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_extra_familial(self) -> bool:
        """Whether this type falls under the overarching category "extra-familial harm".

        Types of either nature count when a flag records them as extra-familial; see
        HarmFlag.is_extra_familial.
        """
        return self.nature == Nature.EXTRA_FAMILIAL


# Stands in for archived_at while a flag is not archived, in the index harms_flag_current and in
# the dashboards' "current on a day" (reporting.scope.flag_archived_or_never), so that
# "not archived, or archived after X" is one range an index can serve.
FLAG_NOT_ARCHIVED = datetime(9999, 12, 31, tzinfo=UTC)


class IdentifiedAt(models.TextChoices):
    REFERRAL = "referral", "Referral"
    ASSESSMENT = "assessment", "Assessment"
    REVIEW = "review", "Review"
    OTHER = "other", "Other"


class FlagStatus(models.TextChoices):
    ACTIVE = "active", "Current"
    ARCHIVED = "archived", "Archived"


class ArchiveReason(models.TextChoices):
    NO_LONGER = "no_longer", "No longer a concern"
    NEVER = "never", "Never a concern: assessed as absent"
    ERROR = "error", "Recorded in error"


class HarmFlag(models.Model):
    young_person = models.ForeignKey(
        "cases.YoungPerson", on_delete=models.PROTECT, related_name="harm_flags"
    )
    harm_type = models.ForeignKey(HarmType, on_delete=models.PROTECT, related_name="flags")
    nature = models.CharField(
        max_length=20,
        choices=[
            (Nature.EXTRA_FAMILIAL, "Extra-familial"),
            (Nature.INTRA_FAMILIAL, "Intra-familial"),
        ],
    )
    identified_at = models.CharField(
        "where identified", max_length=20, choices=IdentifiedAt.choices
    )
    identified_on = models.DateField("date identified")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    review_date = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    # The referral the flag was raised on, when it was raised from one.
    referral = models.ForeignKey(
        "cases.Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="harm_flags"
    )
    status = models.CharField(max_length=10, choices=FlagStatus.choices, default=FlagStatus.ACTIVE)
    archived_at = models.DateTimeField(null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    archive_reason = models.CharField(max_length=20, choices=ArchiveReason.choices, blank=True)
    archive_rationale = models.TextField(blank=True)
    reinstated_at = models.DateTimeField(null=True, blank=True)
    reinstated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reinstate_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-identified_on", "-pk"]
        constraints = [
            # Two practitioners raising the same flag at once get one row: the second insert waits
            # on this index and then fails, and the service turns that into a clear message.
            models.UniqueConstraint(
                fields=["young_person", "harm_type"],
                condition=Q(status="active"),
                name="one_active_flag_per_type",
            ),
            models.CheckConstraint(
                name="archived_flag_has_reason_and_rationale",
                condition=Q(status="active")
                | (
                    Q(status="archived", archived_at__isnull=False)
                    & ~Q(archive_reason="")
                    & ~Q(archive_rationale="")
                ),
            ),
            models.CheckConstraint(
                name="flag_nature_is_extra_or_intra",
                condition=Q(nature__in=["extra_familial", "intra_familial"]),
            ),
        ]
        indexes = [
            models.Index(fields=["young_person", "status"], name="harms_flag_yp_status"),
            models.Index(
                fields=["review_date"],
                condition=Q(status="active"),
                name="harms_flag_active_review",
            ),
            models.Index(fields=["harm_type", "status"], name="harms_flag_type_status"),
            # The dashboards' flags of each type identified in a period, over the flags that
            # count, covering the young person for a team's scope.
            models.Index(
                fields=["harm_type", "identified_on"],
                include=["young_person"],
                condition=Q(status="active") | Q(archive_reason__in=["no_longer", "never"]),
                name="harms_flag_identified",
            ),
            # The dashboards' flags archived in a period, by type and reason; covering what they
            # read (the young person for a team's scope), so PostgreSQL answers from the index.
            models.Index(
                fields=["archived_at"],
                include=["harm_type", "archive_reason", "young_person"],
                condition=Q(status="archived"),
                name="harms_flag_archived_period",
            ),
            # The dashboards' flags current on a day (reporting.scope): by nature,
            # one range on when the flag was archived (or never), over the flags that count, and
            # covering what the measures read so that PostgreSQL answers from the index alone.
            models.Index(
                models.F("nature"),
                Coalesce("archived_at", Value(FLAG_NOT_ARCHIVED)),
                include=["identified_on", "young_person", "harm_type", "archived_at"],
                condition=Q(status="active") | Q(archive_reason__in=["no_longer", "never"]),
                name="harms_flag_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.harm_type} ({self.get_status_display().lower()})"

    @property
    def is_active(self) -> bool:
        return self.status == FlagStatus.ACTIVE

    @property
    def is_extra_familial(self) -> bool:
        return self.nature == Nature.EXTRA_FAMILIAL
