"""The service's own 404 page in every profile: a record another team holds, opened while DEBUG
is on (as a developer runs the demo), shows templates/404.html, not Django's technical page."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

SERVICE_PAGE = "If you followed a link to a record, it may not be allocated to you."


@pytest.mark.parametrize("debug", [True, False])
def test_another_teams_record_shows_the_service_404(
    client_for, other_team_practitioner, young_person, settings, debug
):
    settings.DEBUG = debug

    response = client_for(other_team_practitioner).get(
        reverse("cases:detail", args=[young_person.pk])
    )

    assert response.status_code == 404
    page = response.content.decode()
    assert SERVICE_PAGE in page
    assert "Page not found" in page
    assert "technical_404" not in page and "Django tried these URL patterns" not in page


def test_the_owner_still_sees_the_record_with_debug_on(
    client_for, practitioner, young_person, settings
):
    settings.DEBUG = True

    response = client_for(practitioner).get(reverse("cases:detail", args=[young_person.pk]))

    assert response.status_code == 200


def test_anonymous_is_sent_to_sign_in_with_debug_on(client, young_person, settings):
    settings.DEBUG = True
    url = reverse("cases:detail", args=[young_person.pk])

    assert client.get(url)["Location"].startswith("/accounts/sign-in/")


def test_the_api_keeps_its_json_404_with_debug_on(client_for, other_team_practitioner, settings):
    settings.DEBUG = True

    response = client_for(other_team_practitioner).get("/api/v1/young-people/999999/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_debug_is_off_by_default_in_the_demo_profile():
    # The test runner forces DEBUG off, so ask a fresh process with no DEBUG in its environment.
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "CSAFE_PROFILE"}}
    result = subprocess.run(
        [sys.executable, "-c", "import csafe.settings as s; print(s.PROFILE, s.DEBUG)"],
        cwd=Path(__file__).resolve().parents[2],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.stdout.strip() == "demo False", result.stderr
    assert "csafe.core.middleware.ServiceNotFoundMiddleware" in django_settings.MIDDLEWARE
