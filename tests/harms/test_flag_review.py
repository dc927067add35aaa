"""Recording a review of a current harm flag: the service ``harm_flag_review``, what it does to the
review reminders, the page /young-people/<id>/harm-flags/<id>/review/ and the API action
POST /api/v1/young-people/<id>/flags/<id>/review/, each for the allowed, forbidden and anonymous
user; and reminders are not sent for flags on closed cases."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import Allocation, AllocationKind, CaseStatus
from cases.services import flags as services
from cases.tasks import flag_review_reminders
from csafe.audit.models import AccessChannel, Event, EventKind, RecordAccess
from csafe.core.errors import ApplicationError
from csafe.notifications.models import Notification
from harms.models import FlagStatus, HarmFlag
from tests.harms.helpers import (
    NO_ACCESS,
    assert_error_page,
    days_ago,
    detail_url,
    error_summary,
    field_errors,
    messages_of,
    page_of,
    sign_in_redirect,
    today,
)
from tests.two_factor import verify_client

pytestmark = pytest.mark.django_db

CAN_CHANGE = ["practitioner", "team_manager"]
CANNOT_CHANGE = "You cannot change this young person's record"
NOT_CURRENT = "Only a current flag can be reviewed; reinstate it first"
NOT_IN_FUTURE = "The next review date must be in the future"
NO_NOTE = "Say what the review found"
NOTE = "Still going missing at weekends; safety plan updated with the family."
NO_YOUNG_PERSON = {"detail": "No young person found"}
UNAUTHENTICATED = {"detail": "Authentication credentials were not provided."}


def in_days(days: int) -> date:
    return today() + timedelta(days=days)


def review_events() -> list[Event]:
    return list(Event.objects.filter(kind=EventKind.FLAG_REVIEW_DATE_CHANGED).order_by("pk"))


def snapshot(flag: HarmFlag) -> tuple:
    """What a refused review must leave as it was: the flag, its history and the audit trail."""
    flag.refresh_from_db()
    return flag.review_date, flag.status, flag.history.count(), len(review_events())


@pytest.fixture
def flag(raise_flag, cse):
    """A current CSE flag raised 30 days ago, due for review yesterday."""
    return raise_flag(cse, identified_on=days_ago(30), review_date=days_ago(1))


@pytest.fixture
def review(practitioner):
    def _review(flag, *, actor=None, next_review_date=None, note=NOTE):
        return services.harm_flag_review(
            actor=actor or practitioner, flag=flag, next_review_date=next_review_date, note=note
        )

    return _review


@pytest.fixture
def on_day(monkeypatch):
    """``on_day(d)``: from now on, today is ``d`` (for the reminder task run "later")."""

    def _on_day(day: date) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)

    return _on_day


def reminders_for(flag) -> list[Notification]:
    return list(
        Notification.objects.filter(dedupe_key__startswith=f"flag-review:{flag.pk}:").order_by("pk")
    )


# === Service ====================================================================================


class TestReviewService:
    @pytest.mark.parametrize("role_holder", CAN_CHANGE)
    def test_records_the_next_review_date_with_history_and_event(
        self, request, young_person, cse, flag, review, role_holder
    ):
        user = request.getfixturevalue(role_holder)

        returned = review(flag, actor=user, next_review_date=in_days(28), note=f"  {NOTE}  ")

        flag.refresh_from_db()
        assert returned.pk == flag.pk
        assert flag.review_date == in_days(28)
        assert flag.status == FlagStatus.ACTIVE
        latest = flag.history.order_by("-history_id").first()
        assert (latest.history_user, latest.history_change_reason, latest.review_date) == (
            user,
            "Reviewed",
            in_days(28),
        )
        [event] = review_events()
        assert event.kind == "harm_flag.review_date_changed"
        assert (event.actor, event.young_person, event.target_id) == (
            user,
            young_person,
            str(flag.pk),
        )
        assert event.detail == {
            "harm_type": cse.pk,
            "previous": days_ago(1).isoformat(),
            "next": in_days(28).isoformat(),
            "reason": NOTE,
        }

    def test_changes_nothing_else_on_the_flag(self, practitioner, flag, review):
        before = HarmFlag.objects.values().get(pk=flag.pk)

        review(flag, next_review_date=in_days(14))

        after = HarmFlag.objects.values().get(pk=flag.pk)
        assert {k: v for k, v in after.items() if after[k] != before[k]} == {
            "review_date": in_days(14)
        }

    def test_a_flag_without_a_review_date_gets_one(self, raise_flag, cce, review):
        flag = raise_flag(cce)

        review(flag, next_review_date=in_days(1))

        flag.refresh_from_db()
        assert flag.review_date == in_days(1)
        assert review_events()[0].detail["previous"] is None

    def test_no_next_date_clears_the_review_date(self, flag, review):
        review(flag, next_review_date=None)

        flag.refresh_from_db()
        assert flag.review_date is None
        [event] = review_events()
        assert (event.detail["previous"], event.detail["next"]) == (days_ago(1).isoformat(), None)

    def test_each_review_is_a_separate_event(self, flag, review):
        review(flag, next_review_date=in_days(7), note="First look.")
        review(flag, next_review_date=in_days(35), note="Second look.")

        assert [
            (e.detail["previous"], e.detail["next"], e.detail["reason"]) for e in review_events()
        ] == [
            (days_ago(1).isoformat(), in_days(7).isoformat(), "First look."),
            (in_days(7).isoformat(), in_days(35).isoformat(), "Second look."),
        ]

    def test_an_archived_flag_is_refused(self, flag, review, archive_flag):
        archive_flag(flag)
        before = snapshot(flag)

        with pytest.raises(ApplicationError) as refused:
            review(flag, next_review_date=in_days(28))

        assert refused.value.message == NOT_CURRENT
        assert refused.value.field is None
        assert snapshot(flag) == before

    @pytest.mark.parametrize("days", [0, -1, -400], ids=["today", "yesterday", "last-year"])
    def test_a_next_review_date_today_or_earlier_is_refused(self, flag, review, days):
        before = snapshot(flag)

        with pytest.raises(ApplicationError) as refused:
            review(flag, next_review_date=in_days(days))

        assert refused.value.message == NOT_IN_FUTURE
        assert refused.value.field == "next_review_date"
        assert snapshot(flag) == before

    @pytest.mark.parametrize("note", ["", "   \n  "], ids=["empty", "blank"])
    def test_a_review_without_a_note_is_refused(self, flag, review, note):
        before = snapshot(flag)

        with pytest.raises(ApplicationError) as refused:
            review(flag, next_review_date=in_days(28), note=note)

        assert refused.value.message == NO_NOTE
        assert refused.value.field == "note"
        assert snapshot(flag) == before

    @pytest.mark.parametrize("role_holder", NO_ACCESS)
    def test_users_who_cannot_change_the_record_are_refused(
        self, request, flag, review, role_holder
    ):
        before = snapshot(flag)

        with pytest.raises(ApplicationError) as refused:
            review(flag, actor=request.getfixturevalue(role_holder), next_review_date=in_days(28))

        assert refused.value.message == CANNOT_CHANGE
        assert refused.value.code == "forbidden"
        assert snapshot(flag) == before

    def test_a_worker_whose_allocation_ended_is_refused(
        self, team_manager, practitioner, young_person, flag, review
    ):
        allocation = Allocation.objects.get(
            young_person=young_person, worker=practitioner, kind=AllocationKind.WORKER
        )
        case_services.young_person_deallocate_worker(
            actor=team_manager, allocation=allocation, reason="Moved team"
        )

        with pytest.raises(ApplicationError) as refused:
            review(flag, next_review_date=in_days(28))

        assert refused.value.message == CANNOT_CHANGE

    def test_permission_is_checked_before_anything_about_the_flag(
        self, teammate, flag, review, archive_flag
    ):
        # Someone without access learns nothing about the flag's state from the message.
        archive_flag(flag)

        with pytest.raises(ApplicationError) as refused:
            review(flag, actor=teammate, next_review_date=in_days(-1), note="")

        assert refused.value.message == CANNOT_CHANGE


# === Reminders ==================================================================================


class TestReviewAndReminders:
    def test_a_new_review_date_is_reminded_again_once_it_passes(self, flag, review, on_day):
        assert flag_review_reminders() == 1
        first_date, next_date = flag.review_date, in_days(28)

        review(flag, next_review_date=next_date)

        # Not before the new date has passed, whatever the day.
        assert flag_review_reminders() == 0
        on_day(next_date)
        assert flag_review_reminders() == 0
        on_day(next_date + timedelta(days=1))
        assert flag_review_reminders() == 1
        assert flag_review_reminders() == 0  # once per review date, however often beat runs
        first, second = reminders_for(flag)
        assert first.dedupe_key.endswith(f":{first_date:%Y-%m-%d}:{flag.raised_by_id}")
        assert second.dedupe_key.endswith(f":{next_date:%Y-%m-%d}:{flag.raised_by_id}")
        assert f"was due for review on {next_date:%d %B %Y}." in second.body
        assert second.recipient == flag.raised_by

    def test_a_review_date_moved_out_again_waits_for_the_newest_date(self, flag, review, on_day):
        week, two_months = in_days(7), in_days(60)
        review(flag, next_review_date=week)
        on_day(week + timedelta(days=1))
        assert flag_review_reminders() == 1

        review(flag, next_review_date=two_months)  # reviewed again once reminded
        on_day(two_months - timedelta(days=1))

        assert flag_review_reminders() == 0
        assert len(reminders_for(flag)) == 1
        on_day(two_months + timedelta(days=1))
        assert flag_review_reminders() == 1

    def test_clearing_the_review_date_stops_reminders(self, flag, review, on_day):
        assert flag_review_reminders() == 1

        review(flag, next_review_date=None, note="No further review needed; plan is working.")

        assert flag_review_reminders() == 0
        on_day(in_days(365))
        assert flag_review_reminders() == 0
        assert len(reminders_for(flag)) == 1

    def test_a_refused_review_leaves_the_reminder_due(self, flag, review):
        with pytest.raises(ApplicationError):
            review(flag, next_review_date=in_days(28), note="")

        assert flag_review_reminders() == 1


class TestClosedCases:
    @pytest.fixture
    def close(self, team_manager, young_person):
        def _close():
            return case_services.young_person_set_status(
                actor=team_manager,
                young_person=young_person,
                status=CaseStatus.CLOSED,
                reason="Case closed after step-down to early help",
            )

        return _close

    def test_flags_on_a_closed_case_are_not_reminded(self, flag, close):
        close()

        assert flag_review_reminders() == 0
        assert not Notification.objects.exists()

    def test_only_the_open_case_is_reminded(
        self, flag, close, other_team_practitioner, other_young_person, raise_flag, cce
    ):
        other = raise_flag(
            cce,
            actor=other_team_practitioner,
            on=other_young_person,
            identified_on=days_ago(10),
            review_date=days_ago(2),
        )
        close()

        assert flag_review_reminders() == 1
        [notification] = Notification.objects.all()
        assert notification.recipient == other_team_practitioner
        assert notification.dedupe_key.startswith(f"flag-review:{other.pk}:")

    def test_a_reopened_case_is_reminded_again(self, flag, close, team_manager, young_person):
        close()
        assert flag_review_reminders() == 0

        case_services.young_person_set_status(
            actor=team_manager,
            young_person=young_person,
            status=CaseStatus.OPEN,
            reason="Re-referred after going missing",
        )

        assert flag_review_reminders() == 1

    def test_closing_after_a_reminder_sends_no_more(self, flag, close, review, on_day):
        assert flag_review_reminders() == 1
        review(flag, next_review_date=in_days(7))
        close()

        on_day(in_days(8))

        assert flag_review_reminders() == 0
        assert len(reminders_for(flag)) == 1


# === Page =======================================================================================


def review_url(young_person, flag) -> str:
    return reverse("flags:review", args=[young_person.pk, flag.pk])


def review_form(next_review_date: date | None = None, note: str = NOTE) -> dict[str, str]:
    day = next_review_date
    return {
        "note": note,
        "next_review_date_day": str(day.day) if day else "",
        "next_review_date_month": str(day.month) if day else "",
        "next_review_date_year": str(day.year) if day else "",
    }


class TestReviewPage:
    @pytest.mark.parametrize("role_holder", CAN_CHANGE)
    def test_shows_the_flag_and_the_form(
        self, request, client_for, young_person, flag, role_holder
    ):
        user = request.getfixturevalue(role_holder)

        response = client_for(user).get(review_url(young_person, flag))

        assert response.status_code == 200
        page = page_of(response)
        assert "Record a review of the Child sexual exploitation flag" in page
        assert "If the harm no longer applies, archive the flag instead." in page
        assert "What did the review find?" in page
        assert 'id="id_next_review_date_0"' in page
        assert "<title>Review a harm flag" in page
        assert error_summary(response) == []
        assert RecordAccess.objects.filter(
            user=user, channel=AccessChannel.PAGE, resource=review_url(young_person, flag)
        ).exists()

    def test_the_record_links_to_it(self, client_for, practitioner, young_person, flag):
        page = page_of(client_for(practitioner).get(detail_url(young_person)))

        assert f'href="{review_url(young_person, flag)}"' in page
        assert 'Record a review<span class="govuk-visually-hidden"> of the Child sexual' in page

    @pytest.mark.parametrize("role_holder", CAN_CHANGE)
    def test_records_the_review_and_returns_to_the_record(
        self, request, client_for, young_person, flag, role_holder
    ):
        user = request.getfixturevalue(role_holder)
        client = client_for(user)

        response = client.post(review_url(young_person, flag), review_form(in_days(28)))

        assert response.status_code == 302
        assert response["Location"] == detail_url(young_person)
        flag.refresh_from_db()
        assert flag.review_date == in_days(28)
        [event] = review_events()
        assert (event.actor, event.detail["reason"]) == (user, NOTE)
        record = client.get(response["Location"])
        assert messages_of(record) == ["Review of the Child sexual exploitation flag recorded"]
        page = page_of(record)
        assert f"review {in_days(28):%-d %b %Y}" in page
        assert "Review overdue" not in page
        assert "Harm flag reviewed: Child sexual exploitation" in page
        assert NOTE in page

    def test_the_record_marks_an_overdue_review_until_it_is_reviewed(
        self, client_for, practitioner, young_person, flag
    ):
        client = client_for(practitioner)

        assert "Review overdue" in page_of(client.get(detail_url(young_person)))
        client.post(review_url(young_person, flag), review_form(in_days(1)))
        assert "Review overdue" not in page_of(client.get(detail_url(young_person)))

    def test_a_blank_date_clears_the_review_date(
        self, client_for, practitioner, young_person, flag
    ):
        response = client_for(practitioner).post(review_url(young_person, flag), review_form())

        assert response.status_code == 302
        flag.refresh_from_db()
        assert flag.review_date is None

    @pytest.mark.parametrize("role_holder", NO_ACCESS)
    def test_is_not_found_for_everyone_else(
        self, request, client_for, young_person, flag, role_holder
    ):
        user = request.getfixturevalue(role_holder)
        client = client_for(user)
        before = snapshot(flag)

        assert client.get(review_url(young_person, flag)).status_code == 404
        response = client.post(review_url(young_person, flag), review_form(in_days(28)))

        assert response.status_code == 404
        assert snapshot(flag) == before
        assert not RecordAccess.objects.filter(user=user).exists()

    def test_anonymous_is_sent_to_sign_in(self, client, young_person, flag):
        url = review_url(young_person, flag)
        before = snapshot(flag)

        assert client.get(url)["Location"] == sign_in_redirect(url)
        response = client.post(url, review_form(in_days(28)))

        assert response.status_code == 302
        assert response["Location"] == sign_in_redirect(url)
        assert snapshot(flag) == before

    def test_a_flag_of_another_young_person_is_not_found(
        self, client_for, other_team_practitioner, other_young_person, flag
    ):
        # The other team's practitioner may change their own record, but this flag is not on it.
        response = client_for(other_team_practitioner).post(
            review_url(other_young_person, flag), review_form(in_days(28))
        )

        assert response.status_code == 404
        flag.refresh_from_db()
        assert flag.review_date == days_ago(1)

    def test_an_empty_form_is_refused_and_saves_nothing(
        self, client_for, practitioner, young_person, flag
    ):
        before = snapshot(flag)

        response = client_for(practitioner).post(review_url(young_person, flag), {})

        assert_error_page(response, [NO_NOTE])
        assert field_errors(response) == {"id_note": NO_NOTE}
        assert "<title>Error: Review a harm flag" in page_of(response)
        assert 'href="#id_note"' in page_of(response)
        assert snapshot(flag) == before

    def test_a_blank_note_is_refused(self, client_for, practitioner, young_person, flag):
        before = snapshot(flag)

        response = client_for(practitioner).post(
            review_url(young_person, flag), review_form(in_days(28), note="   ")
        )

        assert_error_page(response, [NO_NOTE])
        assert snapshot(flag) == before

    @pytest.mark.parametrize("days", [0, -1], ids=["today", "yesterday"])
    def test_a_next_review_date_not_in_the_future_is_refused(
        self, client_for, practitioner, young_person, flag, days
    ):
        before = snapshot(flag)

        response = client_for(practitioner).post(
            review_url(young_person, flag), review_form(in_days(days))
        )

        assert_error_page(response, [NOT_IN_FUTURE])
        assert field_errors(response) == {"id_next_review_date": NOT_IN_FUTURE}
        assert 'href="#id_next_review_date_0"' in page_of(response)
        assert snapshot(flag) == before

    def test_an_impossible_date_is_refused(self, client_for, practitioner, young_person, flag):
        before = snapshot(flag)
        data = {**review_form(in_days(400)), "next_review_date_day": "31"}
        data["next_review_date_month"] = "2"

        response = client_for(practitioner).post(review_url(young_person, flag), data)

        assert_error_page(response, ["Next review date must be a real date"])
        assert snapshot(flag) == before

    @pytest.mark.parametrize(
        ("blank", "missing"),
        [(["year"], "year"), (["month", "year"], "month and year"), (["day"], "day")],
        ids=["no-year", "no-month-or-year", "no-day"],
    )
    def test_an_incomplete_date_names_the_missing_parts(
        self, client_for, practitioner, young_person, flag, blank, missing
    ):
        before = snapshot(flag)
        data = {**review_form(in_days(400)), **{f"next_review_date_{p}": "" for p in blank}}

        response = client_for(practitioner).post(review_url(young_person, flag), data)

        message = f"Next review date must include a {missing}"
        assert_error_page(response, [message])
        assert field_errors(response) == {"id_next_review_date": message}
        assert 'href="#id_next_review_date_0"' in page_of(response)
        assert snapshot(flag) == before

    def test_an_archived_flag_is_refused(
        self, client_for, team_manager, young_person, flag, archive_flag
    ):
        archive_flag(flag)
        before = snapshot(flag)

        response = client_for(team_manager).post(
            review_url(young_person, flag), review_form(in_days(28))
        )

        assert_error_page(response, [NOT_CURRENT])
        assert field_errors(response) == {}
        assert snapshot(flag) == before

    def test_other_methods_are_not_allowed(self, client_for, practitioner, young_person, flag):
        response = client_for(practitioner).put(review_url(young_person, flag))

        assert response.status_code == 405


# === API ========================================================================================


def api_review_url(young_person, flag) -> str:
    return reverse("young-person-flag-review", args=[young_person.pk, flag.pk])


def api_client(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    verify_client(client, user)  # past two-factor sign-in, for managers and administrators
    return client


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


class TestReviewApi:
    @pytest.mark.parametrize("role_holder", CAN_CHANGE)
    def test_records_the_review(self, request, young_person, cse, flag, role_holder):
        user = request.getfixturevalue(role_holder)

        response = post(
            api_client(user),
            api_review_url(young_person, flag),
            {"note": NOTE, "next_review_date": in_days(28).isoformat()},
        )

        assert response.status_code == 200
        body = response.json()
        assert (body["id"], body["harm_type"], body["status"]) == (flag.pk, cse.pk, "active")
        assert body["review_date"] == in_days(28).isoformat()
        flag.refresh_from_db()
        assert flag.review_date == in_days(28)
        [event] = review_events()
        assert event.actor == user
        assert event.detail["next"] == in_days(28).isoformat()
        assert RecordAccess.objects.filter(
            user=user, channel=AccessChannel.API, resource=api_review_url(young_person, flag)
        ).exists()

    @pytest.mark.parametrize("body", [{"note": NOTE}, {"note": NOTE, "next_review_date": None}])
    def test_without_a_next_date_the_review_date_is_cleared(
        self, practitioner, young_person, flag, body
    ):
        response = post(api_client(practitioner), api_review_url(young_person, flag), body)

        assert response.status_code == 200
        assert response.json()["review_date"] is None
        flag.refresh_from_db()
        assert flag.review_date is None

    @pytest.mark.parametrize(
        "body",
        [{}, {"note": ""}, {"note": "   "}, {"next_review_date": "2099-01-01"}],
        ids=["nothing", "empty-note", "blank-note", "date-only"],
    )
    def test_a_review_without_a_note_is_refused(self, practitioner, young_person, flag, body):
        before = snapshot(flag)

        response = post(api_client(practitioner), api_review_url(young_person, flag), body)

        assert response.status_code == 400
        assert response.json() == {"note": [NO_NOTE]}
        assert snapshot(flag) == before

    @pytest.mark.parametrize("days", [0, -1], ids=["today", "yesterday"])
    def test_a_next_review_date_not_in_the_future_is_refused(
        self, practitioner, young_person, flag, days
    ):
        before = snapshot(flag)

        response = post(
            api_client(practitioner),
            api_review_url(young_person, flag),
            {"note": NOTE, "next_review_date": in_days(days).isoformat()},
        )

        assert response.status_code == 400
        assert response.json() == {"next_review_date": [NOT_IN_FUTURE]}
        assert snapshot(flag) == before

    def test_a_malformed_date_is_refused(self, practitioner, young_person, flag):
        response = post(
            api_client(practitioner),
            api_review_url(young_person, flag),
            {"note": NOTE, "next_review_date": "next week"},
        )

        assert response.status_code == 400
        assert response.json()["next_review_date"][0].startswith("Date has wrong format.")
        flag.refresh_from_db()
        assert flag.review_date == days_ago(1)

    def test_an_archived_flag_is_refused(self, practitioner, young_person, flag, archive_flag):
        archive_flag(flag)
        before = snapshot(flag)

        response = post(
            api_client(practitioner),
            api_review_url(young_person, flag),
            {"note": NOTE, "next_review_date": in_days(28).isoformat()},
        )

        assert response.status_code == 400
        assert response.json() == {"non_field_errors": [NOT_CURRENT]}
        assert snapshot(flag) == before

    @pytest.mark.parametrize("role_holder", NO_ACCESS)
    def test_everyone_else_gets_404_and_nothing_changes(
        self, request, young_person, flag, role_holder
    ):
        before = snapshot(flag)

        response = post(
            api_client(request.getfixturevalue(role_holder)),
            api_review_url(young_person, flag),
            {"note": NOTE, "next_review_date": in_days(28).isoformat()},
        )

        assert response.status_code == 404
        assert response.json() == NO_YOUNG_PERSON
        assert snapshot(flag) == before

    def test_anonymous_gets_401(self, client, young_person, flag):
        before = snapshot(flag)

        response = post(
            client,
            api_review_url(young_person, flag),
            {"note": NOTE, "next_review_date": in_days(28).isoformat()},
        )

        assert response.status_code == 401
        assert response.json() == UNAUTHENTICATED
        assert snapshot(flag) == before

    def test_a_flag_of_another_young_person_is_not_found(
        self, other_team_practitioner, other_young_person, flag
    ):
        response = post(
            api_client(other_team_practitioner),
            api_review_url(other_young_person, flag),
            {"note": NOTE, "next_review_date": in_days(28).isoformat()},
        )

        assert response.status_code == 404
        flag.refresh_from_db()
        assert flag.review_date == days_ago(1)

    def test_get_is_not_allowed(self, practitioner, young_person, flag):
        response = api_client(practitioner).get(api_review_url(young_person, flag))

        assert response.status_code == 405
