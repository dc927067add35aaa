"""Every error of a form at once: one submit of the referral form or the close-context form
shows every problem, the date rules included, and one bad postcode gets one message."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cases.models import Referral
from contexts.reference import ContextStatus
from tests.cases.referral_pages.support import place_id, referral_data, referral_url
from tests.contexts.context_pages.support import closing, url
from tests.contexts.context_support import long_date, open_group
from tests.html_forms import date_fields
from tests.html_pages import error_summary, field_errors

pytestmark = pytest.mark.django_db


def _date(prefix: str, value) -> dict[str, str]:
    return {
        f"{prefix}_day": str(value.day),
        f"{prefix}_month": str(value.month),
        f"{prefix}_year": str(value.year),
    }


class TestReferralForm:
    def test_one_submit_shows_the_future_date_with_the_other_errors(
        self, client_for, practitioner, young_person
    ):
        tomorrow = timezone.localdate() + timedelta(days=1)

        response = client_for(practitioner).post(
            referral_url(young_person),
            referral_data(
                **_date("referral-received_on", tomorrow),
                **{
                    "referral-reason": "",
                    "locations-1-location_type": "",
                    "locations-2-location_type": place_id("Bus stop"),
                },
            ),
        )

        assert response.status_code == 400
        assert error_summary(response) == [
            "The date received must be today or in the past",
            "Enter the reason for the referral",
            "Choose the type of place",
            "Enter a postcode or a place name",
        ]
        assert not Referral.objects.exists()

    def test_a_bad_location_shows_with_a_good_referral_and_a_bad_one(
        self, client_for, practitioner, young_person
    ):
        # The page once validated the locations only when the referral itself was valid.
        response = client_for(practitioner).post(
            referral_url(young_person),
            referral_data(**{"referral-decision": "", "locations-1-location_type": ""}),
        )

        assert error_summary(response) == ["Choose the decision", "Choose the type of place"]

    def test_a_new_persons_future_birth_date_shows_with_the_referrals_errors(
        self, client_for, practitioner
    ):
        from django.urls import reverse

        tomorrow = timezone.localdate() + timedelta(days=1)
        data = referral_data(**_date("referral-received_on", tomorrow)) | {
            "person-first_name": "Idris",
            "person-last_name": "Pennywhistle",
            "person-preferred_name": "",
            **_date("person-date_of_birth", tomorrow),
            "person-sex": "M",
            "person-ethnicity": "NOBT",
            "person-address_line_1": "",
            "person-town": "",
            "person-postcode": "",
        }

        response = client_for(practitioner).post(reverse("cases:referral_new_person"), data)

        assert response.status_code == 400
        assert error_summary(response) == [
            "Date of birth must be in the past",
            "The date received must be today or in the past",
        ]

    def test_others_and_the_anonymous_see_no_form(
        self, client_for, other_team_practitioner, young_person
    ):
        data = referral_data(**{"referral-reason": ""})
        assert (
            client_for(other_team_practitioner).post(referral_url(young_person), data).status_code
            == 404
        )
        assert Client().post(referral_url(young_person), data).status_code == 302
        assert not Referral.objects.exists()


class TestOneMessagePerProblem:
    def test_a_bad_postcode_has_one_message(self, client_for, practitioner, young_person):
        response = client_for(practitioner).post(
            referral_url(young_person), referral_data(**{"locations-0-postcode": "QQ1 1AA"})
        )

        assert error_summary(response) == ["Enter a real postcode, like NB1 2AA"]
        assert field_errors(response) == {
            "id_locations-0-postcode": "Enter a real postcode, like NB1 2AA"
        }

    def test_a_bad_postcode_with_no_type_of_place_says_both_at_once(
        self, client_for, practitioner, young_person
    ):
        response = client_for(practitioner).post(
            referral_url(young_person),
            referral_data(**{"locations-2-postcode": "QQ1 1AA"}),
        )

        assert error_summary(response) == [
            "Choose the type of place",
            "Enter a real postcode, like NB1 2AA",
        ]


class TestCloseContextForm:
    @pytest.mark.parametrize("days", [+1, -30])
    def test_one_submit_shows_the_date_rule_with_the_missing_text(
        self, client_for, practitioner, days
    ):
        context = open_group(practitioner)
        on = timezone.localdate() + timedelta(days=days)
        expected = (
            "The date closed must be today or in the past"
            if days > 0
            else "The date closed must be on or after the date the context was opened, "
            f"{long_date(context.opened_on)}"
        )

        response = client_for(practitioner).post(
            url("close", context),
            closing(context, **date_fields("on", on), reason="", functioning_change=""),
        )

        assert response.status_code == 400
        summary = error_summary(response)
        # The date's rule, then the two texts left empty: all three from one submit.
        assert summary[0] == expected
        assert len(summary) == 3
        context.refresh_from_db()
        assert context.status == ContextStatus.OPEN

    def test_others_may_not_close(self, client_for, practitioner, teammate):
        context = open_group(practitioner)
        assert client_for(teammate).post(url("close", context), closing(context)).status_code == 403
        assert Client().post(url("close", context), closing(context)).status_code == 302
        context.refresh_from_db()
        assert context.status == ContextStatus.OPEN
