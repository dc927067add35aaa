"""Archived flags stop labelling the child on the caseload and in the API; current ones show."""

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
        identified_on=date(2026, 1, 5),
    )


@pytest.fixture
def flagged(practitioner, young_person):
    current = _raise(
        practitioner, young_person, "Child criminal exploitation, including county lines"
    )
    archived = _raise(practitioner, young_person, "Child sexual exploitation")
    case_services.harm_flag_archive(
        actor=practitioner, flag=archived, reason="never", rationale="Assessed as absent."
    )
    return current, archived


@pytest.mark.django_db
def test_caseload_shows_current_flags_only(client_for, practitioner, young_person, flagged):
    content = client_for(practitioner).get(reverse("cases:caseload")).content.decode()
    assert "Child criminal exploitation, including county lines" in content
    assert "Child sexual exploitation" not in content


@pytest.mark.django_db
def test_api_list_and_detail_show_current_flags_only(
    client_for, practitioner, young_person, flagged
):
    client = client_for(practitioner)
    listed = client.get("/api/v1/young-people/").json()["results"][0]["current_harm_flags"]
    detail = client.get(f"/api/v1/young-people/{young_person.pk}/").json()["current_harm_flags"]
    for flags in (listed, detail):
        assert [f["harm_type_name"] for f in flags] == [
            "Child criminal exploitation, including county lines"
        ]
        assert flags[0]["nature"] == "extra_familial"


@pytest.mark.django_db
def test_reinstated_flag_labels_again(client_for, practitioner, young_person, flagged):
    _, archived = flagged
    case_services.harm_flag_reinstate(actor=practitioner, flag=archived, reason="New information")
    content = client_for(practitioner).get(reverse("cases:caseload")).content.decode()
    assert "Child sexual exploitation" in content
