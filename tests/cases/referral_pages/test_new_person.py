"""The referral page for someone new to the service: who may open it, and the check for
a possible duplicate record before anything is made."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Referral, YoungPerson
from tests.cases.helpers import detail_url, sign_in_redirect
from tests.cases.referral_pages.support import everything_written, referral_cards, referral_data
from tests.html_pages import error_summary, field_errors

pytestmark = pytest.mark.django_db

DUPLICATE_MESSAGE = (
    "There may already be a record for this young person. Check the records below, or "
    "confirm this is someone new."
)


def new_person_url() -> str:
    return reverse("cases:referral_new_person")


def person_data(**extra) -> dict:
    return {
        "person-first_name": "Idris",
        "person-last_name": "Pennywhistle",
        "person-preferred_name": "",
        "person-date_of_birth_day": "9",
        "person-date_of_birth_month": "10",
        "person-date_of_birth_year": "2010",
        "person-sex": "M",
        "person-ethnicity": "NOBT",
        "person-address_line_1": "",
        "person-town": "",
        "person-postcode": "",
    } | extra


def zephyrine(**extra) -> dict:
    """The details of the fixture ``young_person``, as someone might type them again."""
    return person_data(
        **{
            "person-first_name": "Zephyrine",
            "person-last_name": "Quillfeather",
            "person-date_of_birth_day": "17",
            "person-date_of_birth_month": "5",
            "person-date_of_birth_year": "2011",
            "person-sex": "F",
        }
        | extra
    )


class TestNewPersonPageAccess:
    @pytest.mark.parametrize("who", ["practitioner", "team_manager", "other_team_practitioner"])
    def test_caseload_roles_see_the_form(self, request, client_for, who):
        response = client_for(request.getfixturevalue(who)).get(new_person_url())

        html = response.content.decode()
        assert response.status_code == 200
        assert "Referral for a young person new to the service</h1>" in html
        for name in ("person-first_name", "person-date_of_birth_day", "referral-reason"):
            assert f'name="{name}"' in html
        # No duplicate yet, so no warning and no box to confirm past it.
        assert 'data-testid="possible-duplicates"' not in html
        assert 'name="confirm-confirm_new"' not in html

    @pytest.mark.parametrize("who", ["service_manager", "administrator"])
    def test_roles_without_a_caseload_get_404(self, request, client_for, young_person, who):
        client = client_for(request.getfixturevalue(who))
        before = everything_written()

        assert client.get(new_person_url()).status_code == 404
        data = person_data(**referral_data(), **{"confirm-confirm_new": "on"})
        assert client.post(new_person_url(), data).status_code == 404
        assert everything_written() == before

    def test_anonymous_is_sent_to_sign_in(self, client, team_a):
        before = everything_written()

        for response in (
            client.get(new_person_url()),
            client.post(new_person_url(), person_data(**referral_data())),
        ):
            assert response.status_code == 302
            assert response["Location"] == sign_in_redirect(new_person_url())
        assert everything_written() == before


class TestReferralForSomeoneNew:
    def test_someone_with_no_likely_record_is_created_straight_away(
        self, client_for, practitioner, young_person
    ):
        client = client_for(practitioner)

        response = client.post(new_person_url(), person_data(**referral_data()))

        created = YoungPerson.objects.get(last_name="Pennywhistle")
        assert response.status_code == 302
        assert response["Location"] == detail_url(created)
        assert re.fullmatch(r"CS\d{7}", created.local_identifier)
        assert (created.team, created.sex) == (practitioner.team, "M")
        assert created.allocations.get(kind="worker", ended_at__isnull=True).worker == practitioner
        referral = Referral.objects.get()
        assert referral.young_person == created
        assert referral.locations.count() == 2
        assert referral.harm_flags.count() == 2
        html = client.get(response["Location"]).content.decode()
        assert "Idris Pennywhistle" in html
        assert created.local_identifier in html
        assert len(referral_cards(html)) == 1

    def test_a_possible_duplicate_is_shown_before_anything_is_made(
        self, client_for, practitioner, young_person
    ):
        client = client_for(practitioner)
        before = everything_written()

        response = client.post(new_person_url(), zephyrine(**referral_data()))

        html = response.content.decode()
        assert response.status_code == 400
        assert 'data-testid="possible-duplicates"' in html
        assert 'name="confirm-confirm_new"' in html
        assert error_summary(response) == [DUPLICATE_MESSAGE]
        assert field_errors(response) == {"id_confirm-confirm_new": DUPLICATE_MESSAGE}
        # The practitioner may see the record, so it is named and linked.
        assert f'href="{detail_url(young_person)}">Zephyrine Quillfeather</a>' in html
        assert f"({young_person.local_identifier}), held by Team A" in html
        assert everything_written() == before

        confirmed = client.post(
            new_person_url(), zephyrine(**referral_data(), **{"confirm-confirm_new": "on"})
        )

        created = YoungPerson.objects.exclude(pk=young_person.pk).get()
        assert confirmed.status_code == 302
        assert confirmed["Location"] == detail_url(created)
        assert (created.first_name, created.last_name) == ("Zephyrine", "Quillfeather")
        assert created.local_identifier == f"CS{created.pk:07d}"
        assert Referral.objects.get().young_person == created
        assert not young_person.referrals.exists()

    def test_a_record_the_user_cannot_see_is_described_only_by_its_team(
        self, client_for, other_team_practitioner, young_person
    ):
        response = client_for(other_team_practitioner).post(
            new_person_url(), zephyrine(**referral_data())
        )

        html = response.content.decode()
        assert response.status_code == 400
        assert (
            "A record held by Team A that you cannot see. Ask that team before opening a new one."
            in html
        )
        assert detail_url(young_person) not in html
        assert young_person.local_identifier not in html
        assert YoungPerson.objects.count() == 1

    def test_ticking_the_box_without_a_duplicate_changes_nothing(
        self, client_for, practitioner, young_person
    ):
        response = client_for(practitioner).post(
            new_person_url(), person_data(**referral_data(), **{"confirm-confirm_new": "on"})
        )

        assert response.status_code == 302
        assert YoungPerson.objects.filter(last_name="Pennywhistle").count() == 1

    @pytest.mark.parametrize(
        ("extra", "summary"),
        [
            ({"person-first_name": ""}, ["Enter a first name"]),
            ({"person-last_name": ""}, ["Enter a last name"]),
            (
                {
                    "person-date_of_birth_day": "",
                    "person-date_of_birth_month": "",
                    "person-date_of_birth_year": "",
                },
                ["Enter a date of birth"],
            ),
            ({"person-postcode": "QQ1 1AA"}, ["Enter a real postcode, like NB1 2AA"]),
            ({"referral-reason": ""}, ["Enter the reason for the referral"]),
            ({"locations-2-postcode": "NB1 2AB"}, ["Choose the type of place"]),
        ],
    )
    def test_bad_input_is_summarised_and_nothing_is_made(
        self, client_for, practitioner, young_person, extra, summary
    ):
        before = everything_written()

        response = client_for(practitioner).post(
            new_person_url(), person_data(**referral_data(**extra))
        )

        assert response.status_code == 400
        assert "There is a problem" in response.content.decode()
        assert error_summary(response) == summary
        assert everything_written() == before

    def test_a_future_birth_date_is_refused_beside_the_field(self, client_for, practitioner):
        tomorrow = timezone.localdate() + timedelta(days=1)
        before = everything_written()

        response = client_for(practitioner).post(
            new_person_url(),
            person_data(
                **referral_data(),
                **{
                    "person-date_of_birth_day": str(tomorrow.day),
                    "person-date_of_birth_month": str(tomorrow.month),
                    "person-date_of_birth_year": str(tomorrow.year),
                },
            ),
        )

        assert response.status_code == 400
        assert error_summary(response) == ["Date of birth must be in the past"]
        assert field_errors(response) == {
            "id_person-date_of_birth": "Date of birth must be in the past"
        }
        assert everything_written() == before

    def test_a_refused_referral_leaves_no_new_record_behind(self, client_for, practitioner):
        tomorrow = timezone.localdate() + timedelta(days=1)
        before = everything_written()

        response = client_for(practitioner).post(
            new_person_url(),
            person_data(
                **referral_data(
                    **{
                        "referral-received_on_day": str(tomorrow.day),
                        "referral-received_on_month": str(tomorrow.month),
                        "referral-received_on_year": str(tomorrow.year),
                    }
                )
            ),
        )

        assert response.status_code == 400
        assert error_summary(response) == ["The date received must be today or in the past"]
        assert everything_written() == before
        assert not YoungPerson.objects.filter(last_name="Pennywhistle").exists()
