"""Case notes: the service's rules, the list and add pages, and the record page's section.

Allowed (the allocated practitioner and the team manager), forbidden (404, so a record's
existence does not leak) and anonymous users; exact messages; nothing half-saved after a refusal.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import CaseNote
from cases.services.notes import case_note_add
from cases.views.records import PER_PAGE
from csafe.accounts.models import Role
from csafe.audit.models import AccessChannel, Event, RecordAccess
from csafe.core.errors import ApplicationError
from tests.cases.helpers import detail_url, sign_in_redirect
from tests.factories import UserFactory, YoungPersonFactory
from tests.html_pages import error_summary, field_errors, text_of

pytestmark = pytest.mark.django_db

ALLOWED = ["practitioner", "team_manager"]
FORBIDDEN = [
    "teammate",
    "other_team_practitioner",
    "other_team_manager",
    "service_manager",
    "administrator",
]
CANNOT_CHANGE = "You cannot change this young person's record"
FUTURE = "The date of the contact or event must be today or in the past"


def list_url(young_person) -> str:
    return reverse("cases:note_list", args=[young_person.pk])


def new_url(young_person) -> str:
    return reverse("cases:note_new", args=[young_person.pk])


def add_note(actor, young_person, **overrides) -> CaseNote:
    arguments = {
        "noted_on": date(2025, 3, 4),
        "subject": "Home visit",
        "body": "Seen at home with mum.\nSpoke about the park.",
    } | overrides
    return case_note_add(actor=actor, young_person=young_person, **arguments)


def form_data(on: date | None = date(2025, 3, 4), **extra) -> dict:
    return {
        "noted_on_day": str(on.day) if on else "",
        "noted_on_month": str(on.month) if on else "",
        "noted_on_year": str(on.year) if on else "",
        "subject": "Strategy discussion",
        "body": "Agreed a safety plan with the school.",
    } | extra


def written() -> dict[str, int]:
    return {
        "notes": CaseNote.objects.count(),
        "note history": CaseNote.history.count(),
        "events": Event.objects.filter(kind="case_note.added").count(),
    }


def note_cards(html: str) -> list[dict[str, str]]:
    """Each note on the list page: its title (date and subject), body and byline."""
    cards = []
    for card in re.findall(r'data-testid="note">(.*?)</div>\s*</div>', html, re.S):
        title = re.search(r'<h3 class="govuk-summary-card__title">(.*?)</h3>', card, re.S)
        body = re.search(r'data-testid="note-body">(.*?)</p>', card, re.S)
        byline = re.search(r'<p class="govuk-body-s[^"]*">(.*?)</p>', card, re.S)
        cards.append(
            {
                "title": text_of(title.group(1)),
                "body": body.group(1).strip(),
                "byline": text_of(byline.group(1)),
            }
        )
    return cards


# --- The service ------------------------------------------------------------------------------


class TestCaseNoteAdd:
    @pytest.mark.parametrize("who", ALLOWED)
    def test_adds_a_note_with_its_author_history_and_event(self, request, young_person, who):
        actor = request.getfixturevalue(who)

        note = add_note(
            actor, young_person, subject="  Home visit  ", body="  Seen at home.\n\nAll well.  "
        )

        note.refresh_from_db()
        assert (note.young_person, note.noted_on, note.subject, note.body, note.author) == (
            young_person,
            date(2025, 3, 4),
            "Home visit",
            "Seen at home.\n\nAll well.",
            actor,
        )
        assert [h.history_user for h in note.history.all()] == [actor]
        event = Event.objects.get(kind="case_note.added")
        assert (event.actor, event.young_person, event.target_id, event.detail) == (
            actor,
            young_person,
            str(note.pk),
            {"noted_on": "2025-03-04"},
        )

    def test_today_is_allowed(self, practitioner, young_person):
        note = add_note(practitioner, young_person, noted_on=timezone.localdate())

        assert note.noted_on == timezone.localdate()

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"noted_on": "tomorrow"}, "noted_on", FUTURE),
            ({"subject": ""}, "subject", "Enter a subject for the note"),
            ({"subject": "   "}, "subject", "Enter a subject for the note"),
            ({"subject": "x" * 201}, "subject", "The subject must be 200 characters or fewer"),
            ({"body": ""}, "body", "Enter the note"),
            ({"body": " \n\t "}, "body", "Enter the note"),
        ],
    )
    def test_refusals_name_the_field_and_save_nothing(
        self, practitioner, young_person, overrides, field, message
    ):
        if overrides.get("noted_on") == "tomorrow":
            overrides = {"noted_on": timezone.localdate() + timedelta(days=1)}
        before = written()

        with pytest.raises(ApplicationError) as refused:
            add_note(practitioner, young_person, **overrides)

        assert (refused.value.field, refused.value.message) == (field, message)
        assert written() == before

    def test_a_subject_of_200_characters_is_kept(self, practitioner, young_person):
        assert add_note(practitioner, young_person, subject="x" * 200).subject == "x" * 200

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_those_who_may_not_change_the_record_are_refused(self, request, young_person, who):
        before = written()

        with pytest.raises(ApplicationError) as refused:
            add_note(request.getfixturevalue(who), young_person)

        assert (refused.value.field, refused.value.message) == (None, CANNOT_CHANGE)
        assert written() == before

    def test_a_worker_whose_allocation_ended_is_refused(
        self, practitioner, team_manager, young_person
    ):
        allocation = young_person.allocations.get(worker=practitioner, ended_at__isnull=True)
        case_services.young_person_deallocate_worker(
            actor=team_manager, allocation=allocation, reason="Moved to another case"
        )

        with pytest.raises(ApplicationError, match=CANNOT_CHANGE):
            add_note(practitioner, young_person)
        assert CaseNote.objects.count() == 0


# --- The list page ----------------------------------------------------------------------------


class TestNoteList:
    @pytest.mark.parametrize("who", ALLOWED)
    def test_viewers_see_every_note_newest_first(
        self, request, client_for, practitioner, young_person, who
    ):
        add_note(practitioner, young_person, noted_on=date(2025, 1, 10), subject="Oldest")
        add_note(practitioner, young_person, noted_on=date(2025, 3, 1), subject="Newest date")
        add_note(
            practitioner,
            young_person,
            noted_on=date(2025, 2, 1),
            subject="Middle <b>",
            body="Line one\nLine <two>",
        )
        add_note(practitioner, young_person, noted_on=date(2025, 3, 1), subject="Same date, later")

        response = client_for(request.getfixturevalue(who)).get(list_url(young_person))

        assert response.status_code == 200
        cards = note_cards(response.content.decode())
        assert [c["title"] for c in cards] == [
            "1 March 2025: Same date, later",
            "1 March 2025: Newest date",
            "1 February 2025: Middle <b>",
            "10 January 2025: Oldest",
        ]
        assert cards[2]["body"] == "Line one<br>Line &lt;two&gt;"
        assert cards[0]["byline"].startswith("Written by Pat Tester on ")

    def test_the_page_offers_to_add_a_note(self, client_for, practitioner, young_person):
        html = client_for(practitioner).get(list_url(young_person)).content.decode()

        assert f'href="{new_url(young_person)}"' in html
        assert "No case notes recorded." in html
        assert "<title>Case notes – TST" in html
        assert "Zephyrine" not in html.split("<title>", 1)[1].split("</title>", 1)[0]

    def test_only_this_young_persons_notes(
        self, client_for, practitioner, other_team_practitioner, young_person, other_young_person
    ):
        add_note(other_team_practitioner, other_young_person, subject="Somebody else's note")

        html = client_for(practitioner).get(list_url(young_person)).content.decode()

        assert note_cards(html) == []
        assert "Somebody else" not in html

    def test_notes_come_in_pages(self, client_for, practitioner, young_person):
        for day in range(1, PER_PAGE + 2):
            add_note(practitioner, young_person, noted_on=date(2025, 1, day), subject=f"Day {day}")
        client = client_for(practitioner)

        first = note_cards(client.get(list_url(young_person)).content.decode())
        second = note_cards(client.get(list_url(young_person), {"page": 2}).content.decode())

        assert len(first) == PER_PAGE
        assert first[0]["title"] == f"{PER_PAGE + 1} January 2025: Day {PER_PAGE + 1}"
        assert [c["title"] for c in second] == ["1 January 2025: Day 1"]

    def test_each_view_is_logged(self, client_for, practitioner, young_person):
        client_for(practitioner).get(list_url(young_person), {"page": "2"})

        assert list(
            RecordAccess.objects.values_list("user", "channel", "resource", "young_person")
        ) == [(practitioner.pk, AccessChannel.PAGE, list_url(young_person), young_person.pk)]

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_others_get_404(self, request, client_for, practitioner, young_person, who):
        add_note(practitioner, young_person, subject="Private subject")

        response = client_for(request.getfixturevalue(who)).get(list_url(young_person))

        assert response.status_code == 404
        assert "Private subject" not in response.content.decode()
        assert not RecordAccess.objects.exists()

    def test_anonymous_is_sent_to_sign_in(self, client, young_person):
        response = client.get(list_url(young_person))

        assert (response.status_code, response["Location"]) == (
            302,
            sign_in_redirect(list_url(young_person)),
        )


class TestNoteListQueries:
    """The list page costs the same with one note as with a full page of them."""

    # 1 session; 2 user; 3 the young person with their team, if the user may view it
    # (guardian's permission lookups are subqueries inside it); 4 INSERT of the access log row;
    # 5 COUNT of the notes (the paginator); 6-7 the user's and their groups' permissions on the
    # record (may they add a note?); 8 unread notifications for the page shell; 9 one page of
    # notes, each with its author joined; 10-12 savepoint, session update, release (see
    # test_query_counts.py).
    EXPECTED = 12

    def count(self, client, young_person, django_assert_num_queries):
        client.get(list_url(young_person))  # warm the process-wide caches
        with django_assert_num_queries(self.EXPECTED):
            response = client.get(list_url(young_person))
        assert response.status_code == 200
        return note_cards(response.content.decode())

    def test_one_note(self, client_for, practitioner, young_person, django_assert_num_queries):
        add_note(practitioner, young_person)

        cards = self.count(client_for(practitioner), young_person, django_assert_num_queries)

        assert len(cards) == 1

    def test_a_full_page_by_many_authors(
        self, client_for, practitioner, team_manager, young_person, django_assert_num_queries
    ):
        authors = [practitioner, team_manager]
        for _ in range(3):
            worker = UserFactory(role=Role.PRACTITIONER, team=team_manager.team)
            case_services.young_person_allocate_worker(
                actor=team_manager, young_person=young_person, worker=worker
            )
            authors.append(worker)
        for number in range(PER_PAGE + 5):
            add_note(authors[number % len(authors)], young_person, subject=f"Note {number}")

        cards = self.count(client_for(practitioner), young_person, django_assert_num_queries)

        assert len(cards) == PER_PAGE
        assert len({c["byline"].split(" on ")[0] for c in cards}) == len(authors)


# --- The add page -----------------------------------------------------------------------------


class TestNoteNew:
    @pytest.mark.parametrize("who", ALLOWED)
    def test_the_form(self, request, client_for, young_person, who):
        response = client_for(request.getfixturevalue(who)).get(new_url(young_person))

        html = response.content.decode()
        assert response.status_code == 200
        for name in ("noted_on_day", "noted_on_month", "noted_on_year", "subject", "body"):
            assert f'name="{name}"' in html
        assert error_summary(response) == []

    @pytest.mark.parametrize("who", ALLOWED)
    def test_saving_a_note(self, request, client_for, young_person, who):
        actor = request.getfixturevalue(who)

        response = client_for(actor).post(new_url(young_person), form_data(), follow=True)

        assert response.redirect_chain == [(list_url(young_person), 302)]
        note = CaseNote.objects.get()
        assert (note.young_person, note.noted_on, note.subject, note.body, note.author) == (
            young_person,
            date(2025, 3, 4),
            "Strategy discussion",
            "Agreed a safety plan with the school.",
            actor,
        )
        assert "Case note added" in response.content.decode()
        assert [c["title"] for c in note_cards(response.content.decode())] == [
            "4 March 2025: Strategy discussion"
        ]

    def test_an_empty_form_names_every_missing_field(self, client_for, practitioner, young_person):
        before = written()

        response = client_for(practitioner).post(
            new_url(young_person), form_data(on=None, subject="", body="  ")
        )

        assert response.status_code == 400
        assert error_summary(response) == [
            "Enter the date of the contact or event",
            "Enter a subject for the note",
            "Enter the note",
        ]
        assert field_errors(response) == {
            "id_noted_on": "Enter the date of the contact or event",
            "id_subject": "Enter a subject for the note",
            "id_body": "Enter the note",
        }
        assert "<title>Error: Add a case note" in response.content.decode()
        assert written() == before

    def test_a_future_date_is_refused_by_the_service(self, client_for, practitioner, young_person):
        before = written()

        response = client_for(practitioner).post(
            new_url(young_person), form_data(on=timezone.localdate() + timedelta(days=1))
        )

        assert response.status_code == 400
        assert error_summary(response) == [FUTURE]
        assert field_errors(response) == {"id_noted_on": FUTURE}
        assert written() == before

    @pytest.mark.parametrize(
        ("extra", "message"),
        [
            ({"noted_on_year": ""}, "Date of the contact or event must include a year"),
            (
                {"noted_on_day": "31", "noted_on_month": "2"},
                "Date of the contact or event must be a real date",
            ),
            ({"subject": "x" * 201}, "The subject must be 200 characters or fewer"),
        ],
    )
    def test_bad_input_is_shown_and_nothing_saved(
        self, client_for, practitioner, young_person, extra, message
    ):
        before = written()

        response = client_for(practitioner).post(new_url(young_person), form_data(**extra))

        assert response.status_code == 400
        assert error_summary(response) == [message]
        assert written() == before

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_others_get_404_and_save_nothing(self, request, client_for, young_person, who):
        client = client_for(request.getfixturevalue(who))
        before = written()

        assert client.get(new_url(young_person)).status_code == 404
        assert client.post(new_url(young_person), form_data()).status_code == 404
        assert written() == before

    def test_anonymous_is_sent_to_sign_in(self, client, young_person):
        url = new_url(young_person)
        before = written()

        for response in (client.get(url), client.post(url, form_data())):
            assert (response.status_code, response["Location"]) == (302, sign_in_redirect(url))
        assert written() == before


# --- The record page --------------------------------------------------------------------------


class TestRecordPageSection:
    def section(self, html: str) -> str:
        return html.split('data-testid="notes"', 1)[1].split("</section>", 1)[0]

    def test_the_five_newest_notes_with_links(self, client_for, practitioner, young_person):
        for day in range(1, 8):
            add_note(practitioner, young_person, noted_on=date(2025, 4, day), subject=f"Day {day}")

        section = self.section(
            client_for(practitioner).get(detail_url(young_person)).content.decode()
        )

        rows = re.findall(r"<dt[^>]*>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", section, re.S)
        assert [(text_of(k), text_of(v)) for k, v in rows] == [
            (f"{day} April 2025", f"Day {day} By Pat Tester") for day in (7, 6, 5, 4, 3)
        ]
        assert f'href="{list_url(young_person)}"' in section
        assert f'href="{new_url(young_person)}"' in section

    def test_no_notes_yet(self, client_for, team_manager, young_person):
        section = self.section(
            client_for(team_manager).get(detail_url(young_person)).content.decode()
        )

        assert "No case notes recorded." in section
        assert f'href="{list_url(young_person)}"' not in section
        assert f'href="{new_url(young_person)}"' in section

    def test_the_record_page_costs_no_more_with_many_notes(
        self, client_for, team_manager, practitioner
    ):
        """Both records have notes by two authors; the busier one costs the same queries."""
        quiet, busy = (YoungPersonFactory(actor=team_manager) for _ in range(2))
        for person, count in ((quiet, 2), (busy, 12)):
            case_services.young_person_allocate_worker(
                actor=team_manager, young_person=person, worker=practitioner
            )
            for number in range(count):
                add_note(team_manager if number % 2 else practitioner, person)
        client = client_for(team_manager)
        client.get(detail_url(quiet))  # warm the process-wide caches

        with CaptureQueriesContext(connection) as quiet_queries:
            client.get(detail_url(quiet))
        with CaptureQueriesContext(connection) as busy_queries:
            busy_page = client.get(detail_url(busy)).content.decode()

        assert len(busy_queries) == len(quiet_queries)
        assert self.section(busy_page).count('data-testid="note"') == 5
