"""Staff accounts, teams and roles.

Access to children's records is never decided by role alone: a role says what kind of work a
person does (and so which parts of the service they see), while object permissions granted by
allocation decide which young people they see. See cases/permissions.py.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
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
    # Bumped by accounts.services.user_sessions_end (two-factor reset, switched off, new role or
    # team). It is part of the session's auth hash, so every session made before no longer
    # matches and Django signs it out at its next request: no need to find the sessions.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords(excluded_fields=["password", "last_login", "session_epoch"])

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_session_auth_hash(self) -> str:
        """Django's hash of the password, with the session epoch: a session remembers the hash it
        was made with, and django.contrib.auth.get_user ends it once the two differ."""
        return salted_hmac(
            "csafe.accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_epoch}",
            algorithm="sha256",
        ).hexdigest()

    @property
    def is_team_manager(self) -> bool:
        # For templates; code asks accounts.permissions.
        return self.role == Role.TEAM_MANAGER


class ApiToken(models.Model):
    """A named API token of one person. Only a SHA-256 digest of the key is kept: the key is a
    long random secret shown once (csafe/accounts/api_tokens.py), so a fast hash is enough and a
    copy of the database gives nobody a working token. A token is never deleted: it expires or
    is revoked, and stays listed with when.

    ``two_factor_device`` is the django-otp device that had verified the session the token was
    made from, or blank. A token of a team manager, service manager or administrator without
    one is refused (csafe/accounts/api_auth.py).
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=100)
    # The start of the key, not secret, so that the owner can tell their tokens apart.
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    two_factor_device = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["user"], condition=models.Q(revoked_at__isnull=True), name="api_token_live"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def has_expired(self) -> bool:
        return self.expires_at <= timezone.now()
