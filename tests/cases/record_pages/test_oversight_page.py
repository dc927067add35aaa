"""The management oversight pages of a young person's record: the list (everyone who may view
the record) and the form (a team manager of the holding team), for allowed, forbidden and
anonymous users, with the list's queries pinned."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import OversightNote
from cases.services.oversight import oversight_note_record
from csafe.core.dates import long_date
from tests.cases.helpers import sign_in_redirect
from tests.cases.record_pages.support import NO_ACCESS
from tests.html_forms import date_fields
from tests.html_pages import banners, error_summary, field_errors, page_of, section, text_of
from tests.query_counts import count_second_request

pytestmark = pytest.mark.django_db

REFUSED = "Only a team manager of the team holding this case can record management oversight"


def list_url(young_person) -> str:
    return reverse("cases:oversight_list", args=[young_person.pk])


def new_url(young_person) -> str:
    return reverse("cases:oversight_new", args=[young_person.pk])


def today():
    return timezone.localdate()


def posted(**overrides) -> dict:
    data = {
        **date_fields("recorded_on", today()),
        "decision": "Strategy discussion this week",
        "reasons": "New intelligence about the location",
        "next_review_on_day": "",
        "next_review_on_month": "",
        "next_review_on_year": "",
    }
    return data | overrides


def add_note(manager, young_person, days_ago: int, decision: str) -> OversightNote:
    return oversight_note_record(
        actor=manager,
        young_person=young_person,
        recorded_on=today() - timedelta(days=days_ago),
        decision=decision,
        reasons="Reviewed with the worker",
    )


# === The list =================================================================================


class TestList:
    def test_the_practitioner_reads_the_notes_newest_first_and_cannot_add(
        self, client_for, practitioner, team_manager, young_person
    ):
        add_note(team_manager, young_person, 30, "Older decision")
        add_note(team_manager, young_person, 2, "Newer decision")

        response = client_for(practitioner).get(list_url(young_person))

        assert response.status_code == 200
        notes = section(response, "oversight-list", "<footer")
        assert text_of(notes).index("Newer decision") < text_of(notes).index("Older decision")
        assert "Recorded by Mona Tester on" in text_of(notes)
        assert new_url(young_person) not in page_of(response)

    def test_the_team_manager_is_offered_the_form(self, client_for, team_manager, young_person):
        response = client_for(team_manager).get(list_url(young_person))

        assert response.status_code == 200
        assert "No management oversight recorded." in page_of(response)
        assert new_url(young_person) in page_of(response)

    def test_the_record_navigation_marks_it(self, client_for, practitioner, young_person):
        page = page_of(client_for(practitioner).get(list_url(young_person)))
        nav = section(page, "record-navigation", "</nav>")
        assert f'href="{list_url(young_person)}" aria-current="page">Management oversight' in nav

    @pytest.mark.parametrize("user", NO_ACCESS)
    def test_no_access_is_404(self, request, client_for, team_manager, young_person, user):
        add_note(team_manager, young_person, 1, "Private decision")

        response = client_for(request.getfixturevalue(user)).get(list_url(young_person))

        assert response.status_code == 404
        assert "Private decision" not in page_of(response)

    def test_anonymous_is_sent_to_sign_in(self, client, young_person):
        response = client.get(list_url(young_person))
        assert (response.status_code, response["Location"]) == (
            302,
            sign_in_redirect(list_url(young_person)),
        )


class TestListQueries:
    # 1 session; 2 user; 3 the young person with their team; 4 INSERT of the access log row;
    # (may this user record oversight? the role and team answer, with no query); 5 count of
    # notes for the paginator; 6 unread notifications; 7 the page of notes with who recorded
    # each; 8-10 savepoint, session update, release.
    EXPECTED = 10

    @pytest.mark.parametrize("notes", [1, 30])
    def test_pinned_with_one_and_many(
        self, client_for, team_manager, young_person, django_assert_num_queries, notes
    ):
        for number in range(notes):
            add_note(team_manager, young_person, number + 1, f"Decision {number}")

        response = count_second_request(
            client_for(team_manager),
            list_url(young_person),
            django_assert_num_queries,
            self.EXPECTED,
        )

        assert len(response.context["page"].object_list) == min(notes, 25)


# === The form =================================================================================


class TestNew:
    def test_the_team_manager_records_oversight(self, client_for, team_manager, young_person):
        client = client_for(team_manager)
        due = today() + timedelta(days=90)

        opened = client.get(new_url(young_person))
        response = client.post(
            new_url(young_person),
            posted(**date_fields("next_review_on", due)),
        )

        assert opened.status_code == 200
        assert response.status_code == 302
        assert response["Location"] == list_url(young_person)
        note = OversightNote.objects.get()
        assert (note.young_person, note.recorded_by, note.recorded_on, note.next_review_on) == (
            young_person,
            team_manager,
            today(),
            due,
        )
        after = client.get(response["Location"])
        assert banners(after) == ["Management oversight recorded"]
        assert "Strategy discussion this week" in page_of(after)

    def test_every_error_is_shown_at_once_and_nothing_saved(
        self, client_for, team_manager, young_person
    ):
        tomorrow = today() + timedelta(days=1)
        response = client_for(team_manager).post(
            new_url(young_person),
            posted(
                **date_fields("recorded_on", tomorrow),
                decision="",
                reasons=" ",
                **date_fields("next_review_on", tomorrow),
            ),
        )

        assert response.status_code == 400
        assert error_summary(response) == [
            "The date of the oversight must be today or in the past",
            "Enter what you decided",
            "Enter your reasons for the decision",
            "The date the next oversight is due must be after the date of this oversight "
            f"({long_date(tomorrow)})",
        ]
        assert set(field_errors(response)) >= {"id_decision", "id_reasons"}
        assert not OversightNote.objects.exists()

    def test_an_empty_form_names_every_required_field(self, client_for, team_manager, young_person):
        response = client_for(team_manager).post(
            new_url(young_person),
            posted(recorded_on_day="", recorded_on_month="", recorded_on_year="", decision=""),
        )

        assert response.status_code == 400
        assert error_summary(response) == [
            "Enter the date of the oversight",
            "Enter what you decided",
        ]

    @pytest.mark.parametrize("who", ["practitioner"])
    def test_a_practitioner_who_sees_the_record_is_refused_with_no_form(
        self, request, client_for, young_person, who
    ):
        client = client_for(request.getfixturevalue(who))

        opened = client.get(new_url(young_person))
        response = client.post(new_url(young_person), posted())

        for refused in (opened, response):
            assert refused.status_code == 403
            assert error_summary(refused) == [REFUSED]
            assert "<form" not in page_of(refused).split("</header>", 1)[1].split("<footer", 1)[0]
        assert not OversightNote.objects.exists()

    @pytest.mark.parametrize("user", NO_ACCESS)
    def test_no_access_is_404_and_nothing_saved(self, request, client_for, young_person, user):
        client = client_for(request.getfixturevalue(user))

        assert client.get(new_url(young_person)).status_code == 404
        assert client.post(new_url(young_person), posted()).status_code == 404
        assert not OversightNote.objects.exists()

    def test_anonymous_is_sent_to_sign_in_and_nothing_saved(self, client, young_person):
        response = client.post(new_url(young_person), posted())

        assert (response.status_code, response["Location"]) == (
            302,
            sign_in_redirect(new_url(young_person)),
        )
        assert not OversightNote.objects.exists()
