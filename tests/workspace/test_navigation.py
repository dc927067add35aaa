"""The service navigation by role, and the shell before the second step of sign-in: someone who
owes a two-factor code (or must set an app up) sees the header and "Sign out", nothing else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from csafe.accounts.models import Role
from tests.factories import UserFactory
from tests.html_pages import page_of
from tests.two_factor import app_for, fresh_code_for

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:login")
VERIFY = reverse("accounts:two_factor_verify")
SET_UP = reverse("accounts:two_factor_setup")
API_DOCS = reverse("api-docs")
WORKTRAY = reverse("workspace:worktray")


def main_navigation(page: str) -> str:
    if 'aria-label="Menu"' not in page:
        return ""
    return page.split('aria-label="Menu"', 1)[1].split("</nav>", 1)[0]


@pytest.mark.parametrize(
    ("role", "in_menu"),
    [
        (Role.PRACTITIONER, False),
        (Role.TEAM_MANAGER, False),
        (Role.SERVICE_MANAGER, False),
        (Role.ADMINISTRATOR, True),
    ],
)
def test_the_api_is_in_the_menu_only_for_administrators_and_in_everyones_footer(
    client_for, role, in_menu
):
    page = page_of(client_for(UserFactory(role=role)).get(reverse("workspace:home")))
    assert (f'href="{API_DOCS}"' in main_navigation(page)) is in_menu
    assert f'<a class="govuk-footer__link" href="{API_DOCS}">API documentation</a>' in page


@pytest.mark.parametrize(
    ("role", "has_tray"),
    [
        (Role.PRACTITIONER, True),
        (Role.TEAM_MANAGER, True),
        (Role.SERVICE_MANAGER, False),
        (Role.ADMINISTRATOR, False),
    ],
)
def test_work_for_you_is_offered_to_those_who_carry_casework(client_for, role, has_tray):
    page = page_of(client_for(UserFactory(role=role)).get(reverse("workspace:home")))
    assert (f'href="{WORKTRAY}"' in main_navigation(page)) is has_tray


def test_the_code_page_shows_no_navigation_until_the_code_is_entered(
    client, team_manager, password
):
    device = app_for(team_manager)
    client.post(SIGN_IN, {"username": team_manager.username, "password": password})
    page = page_of(client.get(VERIFY))
    assert '<h1 class="govuk-heading-l">Enter your sign-in code</h1>' in page
    assert main_navigation(page) == ""
    for absent in (WORKTRAY, f'href="{reverse("accounts:account")}"', API_DOCS, "Work for you"):
        assert absent not in page
    assert 'data-testid="sign-out"' in page
    response = client.post(VERIFY, {"code": fresh_code_for(device), "next": "/"})
    assert response.status_code == 302
    page = page_of(client.get(reverse("workspace:home")))
    assert f'href="{WORKTRAY}"' in main_navigation(page)
    assert f'href="{reverse("accounts:account")}"' in page


def test_the_set_up_page_shows_no_navigation_either(client, team_a, password):
    manager = UserFactory(role=Role.TEAM_MANAGER, team=team_a)
    client.post(SIGN_IN, {"username": manager.username, "password": password})
    page = page_of(client.get(SET_UP))
    assert main_navigation(page) == ""
    assert 'data-testid="sign-out"' in page
