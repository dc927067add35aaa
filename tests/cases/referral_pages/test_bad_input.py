"""The referral page for a young person already known: bad input shown in the GOV.UK
error summary with nothing saved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Referral
from tests.cases.referral_pages.support import (
    CCE,
    everything_written,
    place_id,
    referral_data,
    referral_url,
    type_id,
)
from tests.html_pages import error_summary, field_errors

pytestmark = pytest.mark.django_db

# Stands for the park location type's id in parameters, which are built before the database is.
PARK = "<park>"


class TestBadInput:
    @pytest.mark.parametrize(
        ("extra", "summary", "field_id"),
        [
            (
                {"locations-2-postcode": "NB1 2AB"},
                ["Choose the type of place"],
                "id_locations-2-location_type",
            ),
            (
                {"locations-2-location_type": PARK},
                ["Enter a postcode or a place name"],
                "id_locations-2-postcode",
            ),
            (
                {"locations-1-postcode": "QQ1 1AA"},
                ["Enter a real postcode, like NB1 2AA"],
                "id_locations-1-postcode",
            ),
            ({"referral-reason": ""}, ["Enter the reason for the referral"], "id_referral-reason"),
            ({"referral-source": ""}, ["Choose the source of the referral"], "id_referral-source"),
            (
                {
                    "referral-received_on_day": "",
                    "referral-received_on_month": "",
                    "referral-received_on_year": "",
                },
                ["Enter the date the referral came in"],
                "id_referral-received_on",
            ),
            (
                {"referral-received_on_year": ""},
                ["Date received must include a year"],
                "id_referral-received_on",
            ),
            (
                {"referral-received_on_day": "31", "referral-received_on_month": "2"},
                ["Date received must be a real date"],
                "id_referral-received_on",
            ),
            ({"referral-decision": ""}, ["Choose the decision"], "id_referral-decision"),
            (
                {"referral-nature_of_harm": ""},
                ["Choose the nature of harm"],
                "id_referral-nature_of_harm",
            ),
        ],
    )
    def test_form_errors_are_summarised_and_nothing_is_saved(
        self, client_for, practitioner, young_person, extra, summary, field_id
    ):
        extra = {key: place_id() if value == PARK else value for key, value in extra.items()}
        before = everything_written()

        response = client_for(practitioner).post(referral_url(young_person), referral_data(**extra))

        html = response.content.decode()
        assert response.status_code == 400
        assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
        assert error_summary(response) == summary
        assert field_errors(response) == {field_id: summary[0]}
        assert "<title>Error: Record a referral" in html
        assert everything_written() == before

    def test_several_problems_at_once(self, client_for, practitioner, young_person):
        response = client_for(practitioner).post(
            referral_url(young_person),
            referral_data(
                **{
                    "referral-reason": "",
                    "locations-1-location_type": "",
                    "locations-2-location_type": place_id("Bus stop"),
                }
            ),
        )

        assert response.status_code == 400
        assert error_summary(response) == [
            "Enter the reason for the referral",
            "Choose the type of place",
            "Enter a postcode or a place name",
        ]
        assert not Referral.objects.exists()

    def test_the_service_refuses_a_future_date_and_nothing_is_saved(
        self, client_for, practitioner, young_person
    ):
        tomorrow = timezone.localdate() + timedelta(days=1)
        before = everything_written()

        response = client_for(practitioner).post(
            referral_url(young_person),
            referral_data(
                **{
                    "referral-received_on_day": str(tomorrow.day),
                    "referral-received_on_month": str(tomorrow.month),
                    "referral-received_on_year": str(tomorrow.year),
                }
            ),
        )

        assert response.status_code == 400
        assert error_summary(response) == ["The date received must be today or in the past"]
        assert field_errors(response) == {
            "id_referral-received_on": "The date received must be today or in the past"
        }
        assert everything_written() == before

    @pytest.mark.parametrize("nature_of_harm", ["both", "not_known"])
    def test_an_either_type_the_referral_cannot_place_is_refused_beside_the_harm_types(
        self, client_for, practitioner, young_person, either_type, nature_of_harm
    ):
        before = everything_written()

        response = client_for(practitioner).post(
            referral_url(young_person),
            referral_data(
                **{
                    "referral-nature_of_harm": nature_of_harm,
                    "referral-harm_types": [type_id(CCE), str(either_type.pk)],
                }
            ),
        )

        message = (
            "Say whether Harmful sexual behaviour is extra- or intra-familial: choose "
            "Extra-familial or Intra-familial as the nature of harm, or leave Harmful sexual "
            "behaviour out and raise its flag from the record once you know"
        )
        assert response.status_code == 400
        assert error_summary(response) == [message]
        assert field_errors(response) == {"id_referral-harm_types": message}
        assert everything_written() == before

    def test_what_was_entered_is_kept(self, client_for, practitioner, young_person):
        response = client_for(practitioner).post(
            referral_url(young_person),
            referral_data(**{"referral-source": "", "locations-1-place_name": "Millbrook Rec"}),
        )

        html = response.content.decode()
        assert response.status_code == 400
        assert "Found with older young people at the station</textarea>" in html
        assert 'value="Millbrook Rec"' in html
        assert 'name="locations-0-postcode" value="nb1 2aa"' in html

    def test_more_than_ten_locations_is_refused(self, client_for, practitioner, young_person):
        data = referral_data(**{"locations-TOTAL_FORMS": "11"})
        for n in range(11):
            data[f"locations-{n}-location_type"] = place_id()
            data[f"locations-{n}-place_name"] = f"Place {n}"

        response = client_for(practitioner).post(referral_url(young_person), data)

        assert response.status_code == 400
        assert error_summary(response) == ["Please submit at most 10 forms."]
        assert not Referral.objects.exists()
