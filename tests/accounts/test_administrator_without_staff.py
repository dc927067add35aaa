"""An administrator is the administrator role *and* Django admin access (is_staff, which
accounts.services keeps in step with the role). An account whose two flags disagree configures
nothing, on the pages or through the API: every configuration area asks the one predicate,
csafe.accounts.permissions.can_configure."""

import pytest
from django.urls import reverse

from csafe.accounts import permissions
from csafe.accounts.models import User
from workspace.navigation import navigation_for

pytestmark = pytest.mark.django_db

HARM_TYPES = reverse("harms:type_list")
HARM_TYPES_API = "/api/v1/harm-types/"
NAMING = reverse("contexts:conventions")
NAMING_API = "/api/v1/context-configuration/naming/"
RETENTION_RULES = reverse("retention:rules")
ADMIN = "/admin/"
CONFIGURATION_SECTIONS = {"harm_types", "context_naming", "retention_rules", "configuration"}


@pytest.fixture
def administrator_without_staff(administrator):
    # The services never leave the flags apart; an account edited in the database might.
    User.objects.filter(pk=administrator.pk).update(is_staff=False)
    administrator.refresh_from_db()
    return administrator


def _configuration_sections(user) -> set[str]:
    return {item.section for item in navigation_for(user)} & CONFIGURATION_SECTIONS


def test_the_predicate_needs_the_role_and_staff_access(administrator, administrator_without_staff):
    assert permissions.can_configure(administrator_without_staff) is False
    administrator_without_staff.is_staff = True
    assert permissions.can_configure(administrator_without_staff) is True
    administrator_without_staff.is_active = False
    assert permissions.can_configure(administrator_without_staff) is False


def test_an_administrator_with_staff_access_configures_everything(client_for, administrator):
    client = client_for(administrator)
    assert client.get(HARM_TYPES).status_code == 200
    assert client.get(HARM_TYPES_API).status_code == 200
    created = client.post(
        HARM_TYPES_API, {"name": "Knife crime", "nature": "either"}, content_type="application/json"
    )
    assert created.status_code == 201
    assert client.get(NAMING).status_code == 200
    assert client.get(NAMING_API).status_code == 200
    assert client.get(RETENTION_RULES).status_code == 200
    assert client.get(ADMIN).status_code == 200
    assert _configuration_sections(administrator) == CONFIGURATION_SECTIONS


def test_an_administrator_without_staff_access_configures_nothing(
    client_for, administrator_without_staff
):
    client = client_for(administrator_without_staff)
    assert client.get(HARM_TYPES).status_code == 404
    refused = client.post(
        HARM_TYPES_API, {"name": "Knife crime", "nature": "either"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert client.get(NAMING).status_code == 404
    assert client.get(NAMING_API).status_code == 404
    assert client.get(RETENTION_RULES).status_code == 403
    response = client.get(ADMIN)
    assert (response.status_code, response["Location"]) == (302, "/admin/login/?next=/admin/")
    assert _configuration_sections(administrator_without_staff) == set()
