"""The home page shows each role counts computed from the records it may see."""

from datetime import date

import pytest
from django.urls import reverse

from cases import services as case_services
from harms.models import HarmType


def _raise(actor, young_person, name):
    return case_services.harm_flag_raise(
        actor=actor,
        young_person=young_person,
        harm_type=HarmType.objects.get(name=name),
        identified_at="referral",
        identified_on=date(2026, 2, 1),
    )


@pytest.mark.django_db
def test_service_manager_sees_authority_counts_and_no_names(
    client_for, service_manager, practitioner, young_person, other_young_person
):
    _raise(practitioner, young_person, "Child criminal exploitation, including county lines")
    _raise(practitioner, young_person, "Domestic abuse in the home")
    response = client_for(service_manager).get(reverse("workspace:home"))
    authority = response.context["authority"]
    assert authority.open_young_people == 2
    assert authority.open_with_extra_familial_flags == 1
    assert authority.open_with_both_natures == 1
    content = response.content.decode()
    for name in ("Zephyrine", "Quillfeather", "Bartholomew", "Nettlecombe"):
        assert name not in content


@pytest.mark.django_db
def test_practitioner_sees_own_counts(client_for, practitioner, young_person, other_young_person):
    response = client_for(practitioner).get(reverse("workspace:home"))
    summary = response.context["summary"]
    assert (summary.open_cases, summary.allocated_to_me) == (1, 1)
    assert "authority" not in response.context


@pytest.mark.django_db
def test_team_manager_sees_cases_without_a_worker(client_for, team_manager, young_person):
    from tests.factories import YoungPersonFactory

    YoungPersonFactory(actor=team_manager)  # opened by the manager, no worker allocated
    summary = client_for(team_manager).get(reverse("workspace:home")).context["summary"]
    assert (summary.open_cases, summary.without_worker) == (2, 1)


@pytest.mark.django_db
def test_home_needs_sign_in(client):
    assert client.get(reverse("workspace:home")).status_code == 302
