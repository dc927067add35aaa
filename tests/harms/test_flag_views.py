"""Flag pages under /young-people/<id>/harm-flags/: raise, archive and reinstate, each for the
allowed, forbidden and anonymous user, with bad input shown in the GOV.UK error summary."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from cases import services as case_services
from csafe.audit.models import AccessChannel, Event, EventKind, RecordAccess
from harms import services
from harms.models import ArchiveReason, FlagStatus, HarmFlag, IdentifiedAt, Nature
from tests.factories import YoungPersonFactory
from tests.harms.helpers import (
    NO_ACCESS,
    archive_url,
    assert_error_page,
    days_ago,
    detail_url,
    error_summary,
    field_errors,
    messages_of,
    page_of,
    raise_url,
    reinstate_url,
    sign_in_redirect,
    today,
)

pytestmark = pytest.mark.django_db

CAN_CHANGE = ["practitioner", "team_manager"]


def date_fields(prefix: str, value) -> dict[str, str]:
    return {
        f"{prefix}_day": str(value.day),
        f"{prefix}_month": str(value.month),
        f"{prefix}_year": str(value.year),
    }


def raise_form(harm_type, **overrides) -> dict[str, str]:
    data = {
        "harm_type": str(harm_type.pk),
        "identified_at": IdentifiedAt.REFERRAL,
        **date_fields("identified_on", days_ago(2)),
        "note": "Found with a second phone.",
    }
    data.update(overrides)
    return data


def flag_count() -> int:
    return HarmFlag.objects.count()


# === Raise ======================================================================================


class TestRaisePage:
    @pytest.mark.parametrize("role_holder", CAN_CHANGE)
    def test_shows_the_form_to_those_who_may_change_the_record(
        self, request, client_for, young_person, role_holder, administrator
    ):
        retired = services.harm_type_create(
            actor=administrator, name="Old local type", nature=Nature.EXTRA_FAMILIAL
        )
        services.harm_type_set_active(
            actor=administrator, harm_type=retired, active=False, reason="No longer used"
        )

        response = client_for(request.getfixturevalue(role_holder)).get(raise_url(young_person))

        assert response.status_code == 200
        page = page_of(response)
        assert "Raise a harm flag" in page
        assert "Exploitation › Child criminal exploitation, including county lines" in page
        assert "Old local type" not in page
        assert error_summary(response) == []

    @pytest.mark.parametrize("role_holder", NO_ACCESS)
    def test_is_not_found_for_everyone_else(self, request, client_for, young_person, role_holder):
        user = request.getfixturevalue(role_holder)

        response = client_for(user).get(raise_url(young_person))

        assert response.status_code == 404
        assert not RecordAccess.objects.filter(user=user).exists()

    def test_anonymous_is_sent_to_sign_in(self, client, young_person):
        response = client.get(raise_url(young_person))

        assert response.status_code == 302
        assert response["Location"] == sign_in_redirect(raise_url(young_person))

    def test_an_unknown_young_person_is_not_found(self, client_for, practitioner):
        assert (
            client_for(practitioner).get("/young-people/999999/harm-flags/new/").status_code == 404
        )


class TestRaise:
    @pytest.mark.parametrize("role_holder", CAN_CHANGE)
    def test_raises_the_flag_and_returns_to_the_record(
        self, request, client_for, young_person, cce, role_holder
    ):
        user = request.getfixturevalue(role_holder)
        client = client_for(user)

        response = client.post(
            raise_url(young_person),
            raise_form(cce, **date_fields("review_date", today() + timedelta(days=28))),
        )

        assert response.status_code == 302
        assert response["Location"] == detail_url(young_person)
        flag = HarmFlag.objects.get()
        assert (flag.young_person, flag.harm_type, flag.raised_by) == (young_person, cce, user)
        assert flag.nature == Nature.EXTRA_FAMILIAL
        assert flag.identified_on == days_ago(2)
        assert flag.review_date == today() + timedelta(days=28)
        assert flag.note == "Found with a second phone."
        assert Event.objects.get(kind=EventKind.FLAG_RAISED).actor == user
        assert RecordAccess.objects.filter(
            user=user, channel=AccessChannel.PAGE, resource=raise_url(young_person)
        ).exists()
        followed = client.get(response["Location"])
        assert messages_of(followed) == [
            "Child criminal exploitation, including county lines flag raised"
        ]

    @pytest.mark.parametrize("role_holder", NO_ACCESS)
    def test_post_is_not_found_and_saves_nothing_for_everyone_else(
        self, request, client_for, young_person, cce, role_holder
    ):
        response = client_for(request.getfixturevalue(role_holder)).post(
            raise_url(young_person), raise_form(cce)
        )

        assert response.status_code == 404
        assert flag_count() == 0

    def test_anonymous_post_is_sent_to_sign_in_and_saves_nothing(self, client, young_person, cce):
        response = client.post(raise_url(young_person), raise_form(cce))

        assert response["Location"] == sign_in_redirect(raise_url(young_person))
        assert flag_count() == 0

    def test_an_empty_form_lists_every_problem(self, client_for, practitioner, young_person):
        response = client_for(practitioner).post(raise_url(young_person), {})

        assert_error_page(
            response,
            [
                "Choose the type of harm",
                "Choose where the harm was identified",
                "Enter the date identified",
            ],
        )
        assert field_errors(response) == {
            "id_harm_type": "Choose the type of harm",
            "id_identified_at": "Choose where the harm was identified",
            "id_identified_on": "Enter the date identified",
        }
        assert "Error: Raise a harm flag" in page_of(response)
        assert flag_count() == 0

    def test_a_form_submitted_blank_lists_every_problem(
        self, client_for, practitioner, young_person
    ):
        blank = {
            "harm_type": "",
            "nature": "",
            "identified_on_day": "",
            "identified_on_month": "",
            "identified_on_year": "",
            "review_date_day": "",
            "review_date_month": "",
            "review_date_year": "",
            "note": "",
        }

        response = client_for(practitioner).post(raise_url(young_person), blank)

        assert_error_page(
            response,
            [
                "Choose the type of harm",
                "Choose where the harm was identified",
                "Enter the date identified",
            ],
        )
        assert flag_count() == 0

    def test_a_second_current_flag_of_the_same_type_is_refused(
        self, client_for, team_manager, young_person, cce, raise_flag
    ):
        raise_flag(cce)

        response = client_for(team_manager).post(raise_url(young_person), raise_form(cce))

        message = (
            "Child criminal exploitation, including county lines is already flagged for this "
            "young person"
        )
        assert_error_page(response, [message])
        assert field_errors(response) == {"id_harm_type": message}
        assert flag_count() == 1
        assert Event.objects.filter(kind=EventKind.FLAG_RAISED).count() == 1

    def test_a_retired_type_is_refused(
        self, client_for, practitioner, administrator, young_person, cse
    ):
        services.harm_type_set_active(
            actor=administrator, harm_type=cse, active=False, reason="No longer used"
        )

        response = client_for(practitioner).post(raise_url(young_person), raise_form(cse))

        assert_error_page(
            response,
            ["Child sexual exploitation has been retired and cannot be used for new flags"],
        )
        assert flag_count() == 0

    def test_a_future_date_is_refused(self, client_for, practitioner, young_person, cse):
        response = client_for(practitioner).post(
            raise_url(young_person),
            raise_form(cse, **date_fields("identified_on", today() + timedelta(days=1))),
        )

        assert_error_page(response, ["The date identified must be today or in the past"])
        assert field_errors(response) == {
            "id_identified_on": "The date identified must be today or in the past"
        }
        assert flag_count() == 0

    def test_a_review_before_the_date_identified_is_refused(
        self, client_for, practitioner, young_person, cse
    ):
        response = client_for(practitioner).post(
            raise_url(young_person),
            raise_form(cse, **date_fields("review_date", days_ago(3))),
        )

        assert_error_page(response, ["The review date must be on or after the date identified"])
        assert flag_count() == 0

    def test_an_impossible_date_is_refused(self, client_for, practitioner, young_person, cse):
        response = client_for(practitioner).post(
            raise_url(young_person),
            raise_form(cse, identified_on_day="31", identified_on_month="2"),
        )

        assert_error_page(response, ["Date identified must be a real date"])
        assert flag_count() == 0

    def test_an_either_type_without_a_nature_is_refused(
        self, client_for, practitioner, young_person, either_type
    ):
        response = client_for(practitioner).post(raise_url(young_person), raise_form(either_type))

        assert_error_page(
            response, ["Say whether Online grooming is extra-familial or intra-familial here"]
        )
        assert field_errors(response) == {
            "id_nature": "Say whether Online grooming is extra-familial or intra-familial here"
        }
        assert flag_count() == 0

    def test_an_either_type_with_a_nature_is_raised(
        self, client_for, practitioner, young_person, either_type
    ):
        response = client_for(practitioner).post(
            raise_url(young_person), raise_form(either_type, nature=Nature.INTRA_FAMILIAL)
        )

        assert response.status_code == 302
        assert HarmFlag.objects.get().nature == Nature.INTRA_FAMILIAL


# === Archive ====================================================================================


class TestArchive:
    @pytest.fixture
    def flag(self, raise_flag, cse):
        return raise_flag(cse)

    @pytest.mark.parametrize("role_holder", CAN_CHANGE)
    def test_shows_the_flag_and_the_form(
        self, request, client_for, young_person, flag, role_holder
    ):
        response = client_for(request.getfixturevalue(role_holder)).get(
            archive_url(young_person, flag)
        )

        assert response.status_code == 200
        page = page_of(response)
        assert "Archive the Child sexual exploitation flag" in page
        assert "Never a concern: assessed as absent" in page

    @pytest.mark.parametrize("role_holder", NO_ACCESS)
    def test_is_not_found_for_everyone_else(
        self, request, client_for, young_person, flag, role_holder
    ):
        client = client_for(request.getfixturevalue(role_holder))

        assert client.get(archive_url(young_person, flag)).status_code == 404
        response = client.post(
            archive_url(young_person, flag),
            {"reason": ArchiveReason.NEVER, "rationale": "Not a concern."},
        )
        assert response.status_code == 404
        flag.refresh_from_db()
        assert flag.status == FlagStatus.ACTIVE

    def test_anonymous_is_sent_to_sign_in(self, client, young_person, flag):
        url = archive_url(young_person, flag)

        assert client.get(url)["Location"] == sign_in_redirect(url)
        response = client.post(url, {"reason": ArchiveReason.NEVER, "rationale": "Not a concern."})
        assert response["Location"] == sign_in_redirect(url)
        flag.refresh_from_db()
        assert flag.status == FlagStatus.ACTIVE

    def test_archives_with_reason_and_rationale(self, client_for, practitioner, young_person, flag):
        client = client_for(practitioner)

        response = client.post(
            archive_url(young_person, flag),
            {"reason": ArchiveReason.NEVER, "rationale": "Assessment found no exploitation."},
        )

        assert response.status_code == 302
        assert response["Location"] == detail_url(young_person)
        flag.refresh_from_db()
        assert (flag.status, flag.archive_reason, flag.archive_rationale, flag.archived_by) == (
            FlagStatus.ARCHIVED,
            ArchiveReason.NEVER,
            "Assessment found no exploitation.",
            practitioner,
        )
        assert messages_of(client.get(detail_url(young_person))) == [
            "Child sexual exploitation flag archived"
        ]

    def test_without_reason_or_rationale_nothing_is_archived(
        self, client_for, practitioner, young_person, flag
    ):
        response = client_for(practitioner).post(archive_url(young_person, flag), {})

        assert_error_page(
            response,
            ["Choose why the flag is being archived", "Explain why the flag is being archived"],
        )
        assert field_errors(response) == {
            "id_reason": "Choose why the flag is being archived",
            "id_rationale": "Explain why the flag is being archived",
        }
        flag.refresh_from_db()
        assert flag.status == FlagStatus.ACTIVE
        assert not Event.objects.filter(kind=EventKind.FLAG_ARCHIVED).exists()

    def test_an_empty_post_with_the_csrf_token_in_a_header_is_refused(
        self, practitioner, young_person, flag
    ):
        # A script posting no fields, with the token in X-CSRFToken, gets the errors, not the
        # blank form again with 200 (the views used ``request.POST or None``).
        client = Client(enforce_csrf_checks=True)
        client.force_login(practitioner, backend="django.contrib.auth.backends.ModelBackend")
        client.get(archive_url(young_person, flag))
        token = client.cookies["csrftoken"].value

        response = client.post(archive_url(young_person, flag), {}, headers={"X-CSRFToken": token})

        assert_error_page(
            response,
            ["Choose why the flag is being archived", "Explain why the flag is being archived"],
        )
        flag.refresh_from_db()
        assert flag.status == FlagStatus.ACTIVE

    def test_a_blank_rationale_is_refused(self, client_for, practitioner, young_person, flag):
        response = client_for(practitioner).post(
            archive_url(young_person, flag), {"reason": ArchiveReason.ERROR, "rationale": "   "}
        )

        assert_error_page(response, ["Explain why the flag is being archived"])
        flag.refresh_from_db()
        assert flag.status == FlagStatus.ACTIVE

    def test_an_unknown_reason_is_refused(self, client_for, practitioner, young_person, flag):
        response = client_for(practitioner).post(
            archive_url(young_person, flag), {"reason": "resolved", "rationale": "Resolved."}
        )

        assert_error_page(
            response,
            ["Select a valid choice. resolved is not one of the available choices."],
        )
        flag.refresh_from_db()
        assert flag.status == FlagStatus.ACTIVE

    def test_archiving_an_archived_flag_is_refused(
        self, client_for, team_manager, young_person, flag, archive_flag
    ):
        archive_flag(flag)

        response = client_for(team_manager).post(
            archive_url(young_person, flag),
            {"reason": ArchiveReason.ERROR, "rationale": "Recorded twice."},
        )

        assert_error_page(response, ["This flag is already archived"])
        flag.refresh_from_db()
        assert flag.archive_reason == ArchiveReason.NO_LONGER
        assert Event.objects.filter(kind=EventKind.FLAG_ARCHIVED).count() == 1

    def test_a_flag_of_another_young_person_is_not_found(
        self, client_for, team_manager, practitioner, flag
    ):
        # Both records are the practitioner's, but the flag belongs to the other one.
        second = YoungPersonFactory(actor=team_manager)
        case_services.young_person_allocate_worker(
            actor=team_manager, young_person=second, worker=practitioner
        )

        response = client_for(practitioner).post(
            archive_url(second, flag),
            {"reason": ArchiveReason.NEVER, "rationale": "Not a concern."},
        )

        assert response.status_code == 404
        flag.refresh_from_db()
        assert flag.status == FlagStatus.ACTIVE


# === Reinstate ==================================================================================


class TestReinstate:
    @pytest.fixture
    def archived(self, raise_flag, archive_flag, cse):
        return archive_flag(
            raise_flag(cse), reason=ArchiveReason.NEVER, rationale="Assessed as absent."
        )

    @pytest.mark.parametrize("role_holder", CAN_CHANGE)
    def test_shows_why_it_was_archived(
        self, request, client_for, young_person, archived, role_holder
    ):
        response = client_for(request.getfixturevalue(role_holder)).get(
            reinstate_url(young_person, archived)
        )

        assert response.status_code == 200
        page = page_of(response)
        assert "Reinstate the Child sexual exploitation flag" in page
        assert 'Archived as "Never a concern: assessed as absent": Assessed as absent.' in page

    @pytest.mark.parametrize("role_holder", NO_ACCESS)
    def test_is_not_found_for_everyone_else(
        self, request, client_for, young_person, archived, role_holder
    ):
        client = client_for(request.getfixturevalue(role_holder))

        assert client.get(reinstate_url(young_person, archived)).status_code == 404
        response = client.post(reinstate_url(young_person, archived), {"reason": "Back"})
        assert response.status_code == 404
        archived.refresh_from_db()
        assert archived.status == FlagStatus.ARCHIVED

    def test_anonymous_is_sent_to_sign_in(self, client, young_person, archived):
        url = reinstate_url(young_person, archived)

        assert client.get(url)["Location"] == sign_in_redirect(url)
        assert client.post(url, {"reason": "Back"})["Location"] == sign_in_redirect(url)
        archived.refresh_from_db()
        assert archived.status == FlagStatus.ARCHIVED

    def test_reinstates_with_a_reason(self, client_for, team_manager, young_person, archived):
        client = client_for(team_manager)

        response = client.post(
            reinstate_url(young_person, archived), {"reason": "New intelligence from police."}
        )

        assert response["Location"] == detail_url(young_person)
        archived.refresh_from_db()
        assert (archived.status, archived.reinstated_by, archived.reinstate_reason) == (
            FlagStatus.ACTIVE,
            team_manager,
            "New intelligence from police.",
        )
        assert messages_of(client.get(detail_url(young_person))) == [
            "Child sexual exploitation flag reinstated"
        ]

    def test_without_a_reason_nothing_changes(
        self, client_for, practitioner, young_person, archived
    ):
        response = client_for(practitioner).post(
            reinstate_url(young_person, archived), {"reason": "  "}
        )

        assert_error_page(response, ["Explain why the flag is being reinstated"])
        assert field_errors(response) == {"id_reason": "Explain why the flag is being reinstated"}
        archived.refresh_from_db()
        assert archived.status == FlagStatus.ARCHIVED

    def test_reinstating_a_current_flag_is_refused(
        self, client_for, practitioner, young_person, raise_flag, cce
    ):
        current = raise_flag(cce)

        response = client_for(practitioner).post(
            reinstate_url(young_person, current), {"reason": "Still a concern"}
        )

        assert_error_page(response, ["This flag is already current"])
        assert not Event.objects.filter(kind=EventKind.FLAG_REINSTATED).exists()

    def test_reinstating_beside_a_current_flag_of_the_type_is_refused(
        self, client_for, practitioner, young_person, archived, raise_flag, cse
    ):
        raise_flag(cse)

        response = client_for(practitioner).post(
            reinstate_url(young_person, archived), {"reason": "Back again"}
        )

        assert_error_page(
            response,
            ["Child sexual exploitation is already flagged as current for this young person"],
        )
        archived.refresh_from_db()
        assert archived.status == FlagStatus.ARCHIVED
        assert HarmFlag.objects.filter(status=FlagStatus.ACTIVE).count() == 1
