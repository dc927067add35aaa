"""The young person and the allocation of work.

Access to a young person's record is object-level: django-guardian rows in the two direct
foreign-key tables below, written and removed only by the allocation services in
cases/services/young_people.py through cases/permissions.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from csafe.core.validators import validate_uk_postcode

from ..reference import NatureOfHarm, ReferralDecision, ReferralSource


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    UNKNOWN = "U", "Not known or not recorded"


class Ethnicity(models.TextChoices):
    """The ethnicity codes of the DfE children in need census (Department for Education,
    'Children in need census: guide', ethnicity code set)."""

    WBRI = "WBRI", "White - British"
    WIRI = "WIRI", "White - Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WOTH = "WOTH", "Any other White background"
    WROM = "WROM", "Gypsy/Roma"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Black Caribbean"
    BAFR = "BAFR", "Black - African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class YoungPerson(models.Model):
    local_identifier = models.CharField(
        "local identifier",
        max_length=30,
        unique=True,
        help_text="The council's own reference for this young person",
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    gender_identity = models.CharField(
        max_length=100, blank=True, help_text="In the young person's own words, if they have said"
    )
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True, validators=[validate_uk_postcode])
    status = models.CharField(
        max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN, db_index=True
    )
    # The day the case was last closed (cleared on reopening), so the dashboards can count young
    # people open to the service at a past date. Set only by young_person_set_status.
    closed_on = models.DateField(null=True, blank=True, editable=False)
    # Raised by every change to the details, so an editor who loaded an older version is told
    # rather than overwritten (young_person_update).
    version = models.PositiveIntegerField(default=1)
    # The team currently holding the case, kept in step with the active team Allocation by
    # cases.services so that lists can filter and show it without a join through allocations.
    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="young_people",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "young person"
        verbose_name_plural = "young people"
        ordering = ["last_name", "first_name", "pk"]
        permissions = [("view_access_log", "Can read who has viewed this young person's record")]
        indexes = [
            models.Index(fields=["last_name", "first_name"], name="cases_yp_name"),
            models.Index(fields=["team", "status"], name="cases_yp_team_status"),
            # The duplicate check on new referrals searches by date of birth.
            models.Index(fields=["date_of_birth"], name="cases_yp_dob"),
            # The dashboards' "open on a day" (status open, or closed after it): with this, the
            # second half is an index scan too, and PostgreSQL reads only the young people open
            # rather than every one.
            models.Index(fields=["closed_on"], name="cases_yp_closed_on"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.first_name
        return f"{first} {self.last_name}"


class YoungPersonUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(YoungPerson, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False


class YoungPersonGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(YoungPerson, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False


class AllocationKind(models.TextChoices):
    WORKER = "worker", "Allocated worker"
    TEAM = "team", "Allocated team"


class Allocation(models.Model):
    """A period during which a worker or a team held a young person's case.

    Ending an allocation sets ``ended_at``; rows are never deleted, so the record shows everyone
    who has ever held the case.
    """

    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.PROTECT, related_name="allocations"
    )
    kind = models.CharField(max_length=10, choices=AllocationKind.choices)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="allocations"
    )
    started_at = models.DateTimeField()
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end_reason = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="allocation_worker_xor_team",
                condition=(
                    Q(kind="worker", worker__isnull=False, team__isnull=True)
                    | Q(kind="team", team__isnull=False, worker__isnull=True)
                ),
            ),
            models.UniqueConstraint(
                fields=["young_person", "worker"],
                condition=Q(kind="worker", ended_at__isnull=True),
                name="one_active_allocation_per_worker",
            ),
            models.UniqueConstraint(
                fields=["young_person"],
                condition=Q(kind="team", ended_at__isnull=True),
                name="one_active_team_allocation",
            ),
            models.CheckConstraint(
                name="allocation_ends_after_start",
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
            ),
        ]
        indexes = [
            models.Index(
                fields=["worker"],
                condition=Q(ended_at__isnull=True),
                name="cases_alloc_active_worker",
            ),
        ]

    def __str__(self) -> str:
        holder = self.worker if self.kind == AllocationKind.WORKER else self.team
        return f"{holder} for young person {self.young_person_id}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class LocationType(models.Model):
    """Where harm happened, as a configurable list (park, stairwell, bus stop, ...), so that
    locations of harm are counted rather than buried in case notes."""

    name = models.CharField(max_length=80, unique=True)
    is_active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=100)
    # Someone's home: a context for it is named by the postcode sector, not the full postcode
    # (contexts.naming.private_address_postcode says why).
    is_private_address = models.BooleanField("a private address", default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Referral(models.Model):
    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.PROTECT, related_name="referrals"
    )
    received_on = models.DateField("date received")
    source = models.CharField(max_length=3, choices=ReferralSource.choices)
    reason = models.TextField()
    nature_of_harm = models.CharField(max_length=20, choices=NatureOfHarm.choices)
    decision = models.CharField(max_length=20, choices=ReferralDecision.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(fields=["young_person", "-received_on"], name="cases_referral_yp_date"),
            # The dashboards' referrals in a period by marker; covering the young person (for a
            # team) and the id (for the locations recorded on them), so that PostgreSQL reads
            # the period's referrals from the index alone.
            models.Index(
                fields=["received_on", "nature_of_harm"],
                include=["young_person", "id"],
                name="cases_referral_period",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral received {self.received_on:%d %b %Y}"


class LocationOfHarm(models.Model):
    """One place where harm happened, recorded on a referral as a reportable row."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="locations")
    # Kept here too so reports of locations by young person need no join through referrals.
    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.PROTECT, related_name="locations_of_harm"
    )
    location_type = models.ForeignKey(
        LocationType, on_delete=models.PROTECT, related_name="locations"
    )
    postcode = models.CharField(max_length=8, blank=True, validators=[validate_uk_postcode])
    # The outward code (NB1 of NB1 2AA), for reporting by district without parsing postcodes.
    postcode_district = models.CharField(max_length=4, blank=True, db_index=True)
    place_name = models.CharField(max_length=200, blank=True)
    # The location context this place is part of, when one has been opened or linked.
    context = models.ForeignKey(
        "contexts.Context",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="locations_of_harm",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                name="location_of_harm_has_postcode_or_place",
                condition=~Q(postcode="") | ~Q(place_name=""),
            )
        ]

    def __str__(self) -> str:
        where = self.place_name or self.postcode
        return f"{self.location_type}: {where}"
