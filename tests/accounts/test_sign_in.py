"""Sign-in, sign-out, throttling, idle sessions and role-aware navigation."""

import pytest
from django.conf import settings
from django.urls import reverse

from csafe.accounts.models import Role
from tests.factories import UserFactory

SIGN_IN = "/accounts/sign-in/"


def _sign_in(client, username, password):
    return client.post(SIGN_IN, {"username": username, "password": password})


@pytest.mark.django_db
def test_sign_in_page_is_open_to_anonymous_users(client):
    response = client.get(SIGN_IN)
    assert response.status_code == 200
    assert b'<h1 class="govuk-heading-l">Sign in</h1>' in response.content


@pytest.mark.django_db
def test_anonymous_user_is_sent_to_sign_in(client):
    response = client.get(reverse("workspace:home"))
    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN}?next=/"


@pytest.mark.django_db
def test_correct_password_signs_in(client, practitioner, password):
    response = _sign_in(client, "practitioner", password)
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:home")
    assert client.get(reverse("workspace:home")).context["user"] == practitioner


@pytest.mark.django_db
def test_empty_form_shows_error_summary(client):
    response = client.post(SIGN_IN, {"username": "", "password": ""})
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert '<a href="#id_username">Enter your username</a>' in content
    assert '<a href="#id_password">Enter your password</a>' in content
    assert "<title>Error: Sign in" in content


@pytest.mark.django_db
def test_wrong_password_is_refused_with_a_clear_message(client, practitioner):
    response = _sign_in(client, "practitioner", "not-the-password")
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_repeated_failures_lock_the_username_and_address(client, practitioner, password):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "practitioner", "wrong-password-here")
    locked = _sign_in(client, "practitioner", password)
    assert locked.status_code == 429
    assert "You cannot sign in at the moment" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lockout_does_not_lock_a_colleague_on_the_same_network(
    client, practitioner, teammate, password
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "practitioner", "wrong-password-here")
    response = _sign_in(client, "teammate", password)
    assert response.status_code == 302


@pytest.mark.django_db
def test_sign_out_needs_post_and_ends_the_session(client_for, practitioner):
    client = client_for(practitioner)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == SIGN_IN
    assert client.get(reverse("workspace:home")).status_code == 302


@pytest.mark.django_db
def test_each_request_pushes_the_session_expiry_forward_by_the_idle_time(client_for, practitioner):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = client_for(practitioner)
    client.get(reverse("workspace:home"))
    session = Session.objects.get(session_key=client.session.session_key)
    expected = timezone.now() + timedelta(minutes=settings.SESSION_IDLE_MINUTES)
    assert abs((session.expire_date - expected).total_seconds()) < 30


@pytest.mark.django_db
def test_idle_session_is_signed_out(client_for, practitioner):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = client_for(practitioner)
    assert client.get(reverse("workspace:home")).status_code == 200
    # Simulate the idle time passing with no request.
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(reverse("workspace:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)


@pytest.mark.django_db
def test_idle_time_is_configurable_and_the_cookie_ends_with_the_browser(
    client_for, practitioner, settings
):
    settings.SESSION_COOKIE_AGE = 5 * 60
    client = client_for(practitioner)
    response = client.get(reverse("workspace:home"))
    assert client.session.get_expiry_age() == 300
    # No persistent cookie: closing the browser also ends the session.
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected", "absent"),
    [
        (
            Role.PRACTITIONER,
            ["Home", "Work for you", "Caseload", "Contexts", "Notifications"],
            ["Harm types", "Dashboards", "Retention review", "Retention rules", "API"],
        ),
        (
            Role.TEAM_MANAGER,
            [
                "Home",
                "Work for you",
                "Caseload",
                "Contexts",
                "Dashboards",
                "Retention review",
                "Notifications",
            ],
            ["Harm types", "Retention rules", "API"],
        ),
        (
            Role.SERVICE_MANAGER,
            ["Home", "Contexts", "Dashboards", "Retention review", "Notifications"],
            ["Work for you", "Caseload", "Harm types", "Retention rules", "API"],
        ),
        (
            Role.ADMINISTRATOR,
            [
                "Home",
                "Harm types",
                "Context naming",
                "Plan sign-off",
                "Retention rules",
                "Teams and users",
                "Notifications",
                "API",
            ],
            ["Work for you", "Caseload", "Contexts", "Dashboards", "Retention review"],
        ),
    ],
)
def test_navigation_shows_each_role_what_it_may_use(client_for, role, expected, absent):
    user = UserFactory(role=role)
    response = client_for(user).get(reverse("workspace:home"))
    labels = [item.label for item in response.context["navigation"]]
    assert labels == expected
    for label in absent:
        assert label not in labels


@pytest.mark.django_db
def test_authenticated_pages_are_not_cached(client_for, practitioner):
    response = client_for(practitioner).get(reverse("workspace:home"))
    assert "no-store" in response["Cache-Control"]
