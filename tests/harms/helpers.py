"""Helpers shared by the harms and notifications tests: state built through the harms services,
and small readers of rendered pages."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from cases.services import flags as services
from harms.models import ArchiveReason, HarmFlag, HarmType, IdentifiedAt

# The shared page readers, which the harms tests take from here.
from tests.html_pages import error_summary as error_summary
from tests.html_pages import field_errors as field_errors
from tests.html_pages import page_of as page_of
from tests.html_pages import text_of as text_of

SIGN_IN = "/accounts/sign-in/"

# Everyone in the fixed cast who holds no permission on ``young_person`` (team A, allocated to
# ``practitioner``; ``team_manager`` manages the team holding it).
NO_ACCESS = [
    "teammate",
    "other_team_practitioner",
    "other_team_manager",
    "service_manager",
    "administrator",
]
NOT_ADMINISTRATORS = [
    "practitioner",
    "teammate",
    "team_manager",
    "other_team_practitioner",
    "other_team_manager",
    "service_manager",
]
EVERYONE = [*NOT_ADMINISTRATORS, "administrator"]


# --- State ----------------------------------------------------------------------------------


def today() -> date:
    return timezone.localdate()


def days_ago(days: int) -> date:
    return today() - timedelta(days=days)


def harm_type(name: str) -> HarmType:
    """A type from the default taxonomy loaded by harms/migrations/0002_default_taxonomy.py."""
    return HarmType.objects.get(name=name)


def raise_flag(
    *,
    actor,
    young_person,
    harm_type: HarmType,
    identified_at: str = IdentifiedAt.REFERRAL,
    identified_on: date | None = None,
    **extra,
) -> HarmFlag:
    return services.harm_flag_raise(
        actor=actor,
        young_person=young_person,
        harm_type=harm_type,
        identified_at=identified_at,
        identified_on=identified_on or days_ago(7),
        **extra,
    )


def archive_flag(
    *,
    actor,
    flag: HarmFlag,
    reason: str = ArchiveReason.NO_LONGER,
    rationale: str = "Safety plan in place and the concern has passed.",
) -> HarmFlag:
    return services.harm_flag_archive(actor=actor, flag=flag, reason=reason, rationale=rationale)


# --- Pages ----------------------------------------------------------------------------------


def assert_error_page(response, messages: list[str]) -> None:
    """A 400 with the GOV.UK error summary listing exactly ``messages``."""
    assert response.status_code == 400
    assert "There is a problem" in page_of(response)
    assert error_summary(response) == messages


def sign_in_redirect(path: str) -> str:
    return f"{SIGN_IN}?next={path}"


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- URLs -----------------------------------------------------------------------------------


def detail_url(young_person) -> str:
    return reverse("cases:detail", args=[young_person.pk])


def raise_url(young_person) -> str:
    return reverse("flags:raise", args=[young_person.pk])


def archive_url(young_person, flag) -> str:
    return reverse("flags:archive", args=[young_person.pk, flag.pk])


def reinstate_url(young_person, flag) -> str:
    return reverse("flags:reinstate", args=[young_person.pk, flag.pk])
