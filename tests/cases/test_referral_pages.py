"""Referral pages and API for the allowed, forbidden and anonymous user."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases.models import LocationType, Referral

pytestmark = pytest.mark.django_db

FORBIDDEN = ["teammate", "other_team_practitioner", "service_manager", "administrator"]


def _url(young_person):
    return reverse("cases:referral_new", args=[young_person.pk])


def _form(**extra):
    park = LocationType.objects.get(name="Park or open space")
    data = {
        "referral-received_on_day": "4",
        "referral-received_on_month": "3",
        "referral-received_on_year": "2026",
        "referral-source": "6",
        "referral-reason": "Found with older young people",
        "referral-nature_of_harm": "extra_familial",
        "referral-decision": "assessment",
        "locations-TOTAL_FORMS": "3",
        "locations-INITIAL_FORMS": "0",
        "locations-MIN_NUM_FORMS": "0",
        "locations-MAX_NUM_FORMS": "10",
        "locations-0-location_type": str(park.pk),
        "locations-0-place_name": "Millbrook Rec",
    }
    return data | extra


@pytest.mark.parametrize("who", ["practitioner", "team_manager"])
def test_those_who_may_change_the_record_see_the_form(request, client_for, young_person, who):
    response = client_for(request.getfixturevalue(who)).get(_url(young_person))
    assert response.status_code == 200
    assert "Record a referral" in response.content.decode()


@pytest.mark.parametrize("who", FORBIDDEN)
def test_others_get_404(request, client_for, young_person, who):
    assert client_for(request.getfixturevalue(who)).get(_url(young_person)).status_code == 404
    assert (
        client_for(request.getfixturevalue(who)).post(_url(young_person), _form()).status_code
        == 404
    )
    assert not Referral.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, young_person):
    response = client.get(_url(young_person))
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/sign-in/?next={_url(young_person)}"


def test_a_valid_referral_is_saved_and_shown_on_the_record(client_for, practitioner, young_person):
    client = client_for(practitioner)
    response = client.post(_url(young_person), _form())
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[young_person.pk])
    referral = Referral.objects.get()
    assert referral.locations.get().place_name == "Millbrook Rec"
    page = client.get(response["Location"]).content.decode()
    assert "Park or open space: Millbrook Rec" in page


def test_bad_input_shows_the_error_summary_and_saves_nothing(
    client_for, practitioner, young_person
):
    response = client_for(practitioner).post(
        _url(young_person),
        _form(**{"referral-reason": "", "locations-1-postcode": "NB1 2AA"}),
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in content
    assert "Enter the reason for the referral" in content
    assert "Choose the type of place" in content
    assert not Referral.objects.exists()


def test_new_person_page_is_for_caseload_roles(client, client_for, practitioner, service_manager):
    url = reverse("cases:referral_new_person")
    assert client_for(practitioner).get(url).status_code == 200
    assert client_for(service_manager).get(url).status_code == 404
    assert client.get(url).status_code in (302, 404)


def test_new_person_possible_duplicate_is_shown_before_anything_is_made(
    client_for, practitioner, young_person
):
    url = reverse("cases:referral_new_person")
    person = {
        "person-first_name": "Zephyrine",
        "person-last_name": "Quillfeather",
        "person-date_of_birth_day": "17",
        "person-date_of_birth_month": "5",
        "person-date_of_birth_year": "2011",
        "person-sex": "U",
        "person-ethnicity": "NOBT",
    }
    client = client_for(practitioner)
    first = client.post(url, _form(**person))
    assert first.status_code == 400
    assert 'data-testid="possible-duplicates"' in first.content.decode()
    assert not Referral.objects.exists()
    confirmed = client.post(url, _form(**person, **{"confirm-confirm_new": "on"}))
    assert confirmed.status_code == 302
    assert Referral.objects.get().young_person_id != young_person.pk


def _api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _api_url(young_person):
    return f"/api/v1/young-people/{young_person.pk}/referrals/"


def _payload(**extra):
    park = LocationType.objects.get(name="Park or open space")
    return {
        "received_on": "2026-03-04",
        "source": "6",
        "reason": "Found with older young people",
        "nature_of_harm": "extra_familial",
        "decision": "assessment",
        "locations": [{"location_type": park.pk, "place_name": "Millbrook Rec"}],
    } | extra


def test_api_records_and_lists_referrals(practitioner, young_person):
    client = _api(practitioner)
    created = client.post(_api_url(young_person), _payload(), format="json")
    assert created.status_code == 201
    assert created.json()["locations"][0]["location_type_name"] == "Park or open space"
    listed = client.get(_api_url(young_person)).json()
    assert [r["reason"] for r in listed] == ["Found with older young people"]


@pytest.mark.parametrize("who", FORBIDDEN)
def test_api_is_404_for_others(request, young_person, who):
    client = _api(request.getfixturevalue(who))
    assert client.get(_api_url(young_person)).status_code == 404
    assert client.post(_api_url(young_person), _payload(), format="json").status_code == 404


def test_api_anonymous_is_401(young_person):
    assert _api().get(_api_url(young_person)).status_code == 401


def test_api_bad_input_is_400_with_field_errors(practitioner, young_person):
    client = _api(practitioner)
    blank = client.post(_api_url(young_person), _payload(reason=""), format="json")
    assert blank.status_code == 400
    assert blank.json() == {"reason": ["Enter the reason for the referral"]}
    park = LocationType.objects.get(name="Park or open space")
    nowhere = client.post(
        _api_url(young_person), _payload(locations=[{"location_type": park.pk}]), format="json"
    )
    assert nowhere.status_code == 400
    assert nowhere.json() == {"locations": ["Location 1: enter a postcode or a place name"]}
    assert not Referral.objects.exists()
