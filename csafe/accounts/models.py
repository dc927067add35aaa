"""Staff accounts, teams and roles.

Access to children's records is never decided by role alone: a role says what kind of work a
person does (and so which parts of the service they see), while object permissions granted by
allocation decide which young people they see. See cases/permissions.py.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    TEAM_MANAGER = "team_manager", "Team manager"
    SERVICE_MANAGER = "service_manager", "Service manager"
    ADMINISTRATOR = "administrator", "Administrator"


class Team(models.Model):
    name = models.CharField(max_length=120, unique=True)
    description = models.CharField(max_length=300, blank=True)
    # The guardian group through which the team's managers hold object permissions on the
    # young people allocated to the team. Membership is kept in step by accounts.services.
    managers_group = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="managed_team", editable=False
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PRACTITIONER)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    job_title = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=40, blank=True)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_practitioner(self) -> bool:
        return self.role == Role.PRACTITIONER

    @property
    def is_team_manager(self) -> bool:
        return self.role == Role.TEAM_MANAGER

    @property
    def is_service_manager(self) -> bool:
        return self.role == Role.SERVICE_MANAGER

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR


class ApiTokenVerification(models.Model):
    """Marks an API token as issued from a session verified by two-factor sign-in.

    A token of a team manager, service manager or administrator without this row is refused
    (csafe/accounts/api_auth.py), so a token made for them in Django's admin, or one they held
    before their role changed, cannot be used. Switching two-factor sign-in off removes the row.
    """

    token = models.OneToOneField(
        "authtoken.Token", primary_key=True, on_delete=models.CASCADE, related_name="verification"
    )
    # django-otp's persistent id of the device that verified the session ("otp_totp.totpdevice/3").
    device = models.CharField(max_length=100)
    verified_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Token for user {self.token.user_id} verified by {self.device}"
