"""The referral page for a young person already known: who may open it, a valid
referral shown on the record, and the access log the page writes."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import LocationOfHarm, Referral
from csafe.audit.models import RecordAccess
from harms.models import HarmFlag, HarmType
from tests.cases.helpers import detail_url, sign_in_redirect
from tests.cases.referral_pages.support import (
    CCE,
    GANGS,
    everything_written,
    referral_cards,
    referral_data,
    referral_url,
    type_id,
)
from tests.html_pages import banners, error_summary

pytestmark = pytest.mark.django_db

FORBIDDEN = ["teammate", "other_team_practitioner", "service_manager", "administrator"]


def access_log(young_person) -> list[tuple[int, str, str]]:
    return list(
        RecordAccess.objects.filter(young_person=young_person)
        .order_by("pk")
        .values_list("user_id", "channel", "resource")
    )


class TestReferralPageAccess:
    @pytest.mark.parametrize("who", ["practitioner", "team_manager"])
    def test_those_who_may_change_the_record_see_the_form(
        self, request, client_for, young_person, who
    ):
        response = client_for(request.getfixturevalue(who)).get(referral_url(young_person))

        html = response.content.decode()
        assert response.status_code == 200
        assert '<h2 class="govuk-heading-m">Record a referral</h2>' in html
        for name in (
            "referral-received_on_day",
            "referral-received_on_month",
            "referral-received_on_year",
            "referral-source",
            "referral-harm_types",
            "locations-TOTAL_FORMS",
            "locations-0-location_type",
            "locations-2-place_name",
        ):
            assert f'name="{name}"' in html
        assert html.count('data-testid="location-row"') == 3
        assert error_summary(response) == []

    def test_the_record_links_to_the_form(
        self, client_for, practitioner, team_manager, young_person
    ):
        link = f'href="{referral_url(young_person)}"'
        assert link in client_for(practitioner).get(detail_url(young_person)).content.decode()
        assert link in client_for(team_manager).get(detail_url(young_person)).content.decode()

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_others_get_404_and_save_nothing(self, request, client_for, young_person, who):
        client = client_for(request.getfixturevalue(who))
        before = everything_written()

        assert client.get(referral_url(young_person)).status_code == 404
        assert client.post(referral_url(young_person), referral_data()).status_code == 404
        assert everything_written() == before

    def test_an_unknown_record_is_404(self, client_for, practitioner, young_person):
        url = reverse("cases:referral_new", args=[young_person.pk + 1000])
        assert client_for(practitioner).get(url).status_code == 404

    def test_anonymous_is_sent_to_sign_in(self, client, young_person):
        url = referral_url(young_person)
        before = everything_written()

        for response in (client.get(url), client.post(url, referral_data())):
            assert response.status_code == 302
            assert response["Location"] == sign_in_redirect(url)
        assert everything_written() == before


class TestRecordingAReferral:
    def test_a_valid_referral_is_saved_and_shown_on_the_record(
        self, client_for, practitioner, young_person
    ):
        client = client_for(practitioner)

        response = client.post(referral_url(young_person), referral_data())

        assert response.status_code == 302
        assert response["Location"] == detail_url(young_person)
        referral = Referral.objects.get()
        assert (
            referral.young_person,
            referral.received_on.isoformat(),
            referral.source,
            referral.reason,
            referral.nature_of_harm,
            referral.decision,
            referral.recorded_by,
        ) == (
            young_person,
            "2025-03-04",
            "6",
            "Found with older young people at the station",
            "extra_familial",
            "assessment",
            practitioner,
        )
        assert [
            (p.location_type.name, p.postcode, p.postcode_district, p.place_name)
            for p in referral.locations.order_by("pk")
        ] == [
            ("Stairwell or communal area", "NB1 2AA", "NB1", ""),
            ("Park or open space", "", "", "Millbrook Rec"),
        ]
        assert sorted(
            referral.harm_flags.values_list("harm_type__name", "identified_at", "identified_on")
        ) == sorted(
            [
                (CCE, "referral", referral.received_on),
                (GANGS, "referral", referral.received_on),
            ]
        )

        page = client.get(response["Location"])
        html = page.content.decode()
        assert banners(html) == [f"Referral recorded; flags raised: {CCE}, {GANGS}"]
        [card] = referral_cards(html)
        flags = card.pop("Flags raised")
        assert card == {
            "title": "Received 4 March 2025",
            "Source": "Police",
            "Nature of harm": "Extra-familial",
            "Reason": "Found with older young people at the station",
            "Locations of harm": (
                "Stairwell or communal area: NB1 2AA Park or open space: Millbrook Rec"
            ),
            "Decision": "Child and family assessment",
            "Recorded by": "Pat Tester",
        }
        # Newest flag first; both named, once each.
        assert flags in {f"{CCE}, {GANGS}", f"{GANGS}, {CCE}"}

    def test_a_referral_without_locations_or_flags(self, client_for, team_manager, young_person):
        client = client_for(team_manager)
        data = referral_data(
            **{
                "referral-harm_types": [],
                "locations-0-location_type": "",
                "locations-0-postcode": "",
                "locations-1-location_type": "",
                "locations-1-place_name": "",
                "referral-decision": "nfa",
            }
        )

        response = client.post(referral_url(young_person), data)

        assert response.status_code == 302
        referral = Referral.objects.get()
        assert (referral.recorded_by, referral.decision) == (team_manager, "nfa")
        assert not LocationOfHarm.objects.exists()
        assert not HarmFlag.objects.exists()
        html = client.get(response["Location"]).content.decode()
        assert banners(html) == ["Referral recorded"]
        [card] = referral_cards(html)
        assert (card["Locations of harm"], card["Flags raised"], card["Decision"]) == (
            "None recorded",
            "None",
            "No further action",
        )

    @pytest.mark.parametrize("nature_of_harm", ["extra_familial", "intra_familial"])
    def test_an_either_type_is_flagged_with_the_nature_of_harm(
        self, client_for, practitioner, young_person, either_type, nature_of_harm
    ):
        client = client_for(practitioner)

        response = client.post(
            referral_url(young_person),
            referral_data(
                **{
                    "referral-nature_of_harm": nature_of_harm,
                    "referral-harm_types": [type_id(CCE), str(either_type.pk)],
                }
            ),
        )

        assert response.status_code == 302
        referral = Referral.objects.get()
        assert sorted(referral.harm_flags.values_list("harm_type__name", "nature")) == [
            (CCE, "extra_familial"),
            ("Harmful sexual behaviour", nature_of_harm),
        ]

    def test_the_form_says_how_either_types_are_flagged(
        self, client_for, practitioner, young_person
    ):
        html = client_for(practitioner).get(referral_url(young_person)).content.decode()

        assert (
            "A type that can be extra- or intra-familial is flagged as the nature of harm says."
            in html
        )

    def test_a_type_already_flagged_is_reported_back(self, client_for, practitioner, young_person):
        case_services.harm_flag_raise(
            actor=practitioner,
            young_person=young_person,
            harm_type=HarmType.objects.get(name=GANGS),
            identified_at="other",
            identified_on=timezone.localdate(),
        )
        client = client_for(practitioner)

        response = client.post(referral_url(young_person), referral_data())

        assert response.status_code == 302
        assert list(
            Referral.objects.get().harm_flags.values_list("harm_type__name", flat=True)
        ) == [CCE]
        assert HarmFlag.objects.filter(harm_type__name=GANGS).count() == 1
        assert banners(client.get(response["Location"]).content.decode()) == [
            f"Referral recorded; flags raised: {CCE}",
            f"Already flagged, so left as they were: {GANGS}",
        ]


class TestAccessLog:
    """The page shows the record's header (name and identifier) whether or not the form is
    accepted, so every answer that shows it is a view of the record and is logged, a refused
    form included. Only access refused (404) writes nothing."""

    def test_the_form_writes_the_access_log(self, client_for, practitioner, young_person):
        client_for(practitioner).get(referral_url(young_person))

        assert access_log(young_person) == [(practitioner.pk, "page", referral_url(young_person))]

    def test_a_refused_form_shows_the_record_and_is_logged(
        self, client_for, practitioner, young_person
    ):
        response = client_for(practitioner).post(
            referral_url(young_person), referral_data(**{"referral-reason": ""})
        )

        assert response.status_code == 400
        assert young_person.display_name in response.content.decode()
        assert access_log(young_person) == [(practitioner.pk, "page", referral_url(young_person))]

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_no_access_writes_nothing_to_the_log(self, request, client_for, young_person, who):
        client = client_for(request.getfixturevalue(who))

        client.get(referral_url(young_person))
        client.post(referral_url(young_person), referral_data(**{"referral-reason": ""}))

        assert access_log(young_person) == []
