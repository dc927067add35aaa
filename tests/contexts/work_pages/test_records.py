"""Assessments and meeting notes of a context: recording one under the triangle
headings, each rule's message with nothing saved, and their pages."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from contexts.guard import NAME_MESSAGE as THEMATIC_MESSAGE
from contexts.models import ContextRecord
from contexts.reference import ContextRecordKind
from csafe.core.vocabulary import ContextKind
from tests.contexts.work_pages.support import SCHOOL_HEADINGS, detail, labels, url
from tests.contexts.work_support import (
    ENVIRONMENT,
    GUARDIANSHIP,
    add_record,
    close_for_test,
    link,
    open_context_for_test,
    today,
    written,
)
from tests.dates import built
from tests.html_forms import date_fields
from tests.html_pages import banners, error_summary, field_errors, text_of

pytestmark = pytest.mark.django_db

CLOSED_MESSAGE = (
    "This context is closed. Reopen it to record assessments, meeting notes or changes to its plan."
)
PEER_GROUP_HEADINGS = [
    "Group functioning",
    "Guardianship capacity",
    "Environmental and family factors",
]


class TestRecordNew:
    @pytest.mark.parametrize(
        ("kind", "headings"),
        [(ContextKind.PEER_GROUP, PEER_GROUP_HEADINGS), (ContextKind.SCHOOL, SCHOOL_HEADINGS)],
    )
    def test_the_headings_and_weighting_are_worded_for_the_kind(
        self, client_for, team_manager, practitioner, kind, headings
    ):
        context = open_context_for_test(lead=team_manager, kind=kind)
        response = client_for(practitioner).get(url("record_new", context))
        assert labels(response) == [
            "Context assessment",
            "Meeting note",
            "Day",
            "Month",
            "Year",
            *headings,
            *headings,
            "Not decided yet",
            "Why must it change first?",
        ]

    def test_records_a_meeting_note(self, client_for, practitioner, context):
        response = client_for(practitioner).post(
            url("record_new", context),
            {
                "kind": ContextRecordKind.MEETING,
                **date_fields("held_on", today() - timedelta(days=1)),
                "functioning": "",
                "guardianship": "Shop staff agreed to call the youth team.",
                "environment": "",
                "weighting": GUARDIANSHIP,
                "weighting_reason": "Adults nearby change what the group does.",
            },
            follow=True,
        )
        assert response.redirect_chain == [(detail(context), 302)]
        assert banners(response) == ["Meeting note recorded"]
        record = ContextRecord.objects.get()
        assert (record.kind, record.held_on, record.guardianship, record.weighting) == (
            ContextRecordKind.MEETING,
            today() - timedelta(days=1),
            "Shop staff agreed to call the youth team.",
            GUARDIANSHIP,
        )

    def test_an_empty_form_names_each_missing_answer(self, client_for, practitioner, context):
        before = written()
        response = client_for(practitioner).post(url("record_new", context), {})
        assert response.status_code == 400
        assert error_summary(response) == [
            "Choose whether this is a context assessment or a meeting note",
            "Enter the date of the assessment or meeting",
        ]
        assert written() == before

    @pytest.mark.parametrize(
        ("fields", "field_id", "message"),
        [
            (
                {"functioning": "", "guardianship": " ", "environment": ""},
                "id_functioning",
                "Write under at least one of the three headings",
            ),
            (
                {"weighting": GUARDIANSHIP, "weighting_reason": ""},
                "id_weighting_reason",
                "Explain why guardianship capacity must change first",
            ),
            (
                {"weighting": "", "weighting_reason": "Because"},
                "id_weighting",
                "Choose which side must change first, or leave the reason blank",
            ),
            (
                lambda: date_fields("held_on", date.today() + timedelta(days=3)),
                "id_held_on",
                "The date of the assessment or meeting must be today or in the past",
            ),
            (
                {"held_on_day": "31", "held_on_month": "2", "held_on_year": "2026"},
                "id_held_on",
                "Date of the assessment or meeting must be a real date",
            ),
        ],
    )
    def test_each_rule_is_shown_beside_its_field_with_nothing_saved(
        self, client_for, practitioner, context, fields, field_id, message
    ):
        body = {
            "kind": ContextRecordKind.ASSESSMENT,
            **date_fields("held_on", today()),
            "functioning": "Older members recruit younger ones.",
            "weighting": "",
        }
        before = written()
        response = client_for(practitioner).post(url("record_new", context), body | built(fields))
        assert response.status_code == 400
        assert error_summary(response) == [message]
        assert field_errors(response) == {field_id: message}
        assert written() == before

    def test_text_naming_a_linked_young_person_is_refused_with_the_reason(
        self, client_for, practitioner, context, young_person
    ):
        link(practitioner, context, young_person)
        before = written()
        response = client_for(practitioner).post(
            url("record_new", context),
            {
                "kind": ContextRecordKind.ASSESSMENT,
                **date_fields("held_on", today()),
                "environment": "Zephyrine Quillfeather was seen in the underpass.",
                "weighting": "",
            },
        )
        assert response.status_code == 400
        message = THEMATIC_MESSAGE
        assert error_summary(response) == [message]
        assert field_errors(response) == {"id_environment": message}
        assert written() == before

    def test_a_closed_context_takes_no_new_record(self, client_for, practitioner, context):
        close_for_test(context)
        before = written()
        client = client_for(practitioner)
        body = {
            "kind": ContextRecordKind.ASSESSMENT,
            **date_fields("held_on", today()),
            "functioning": "The group has stopped meeting.",
            "weighting": "",
        }
        for response in [
            client.get(url("record_new", context), follow=True),
            client.post(url("record_new", context), body, follow=True),
        ]:
            assert response.redirect_chain == [(detail(context), 302)]
            assert banners(response) == [CLOSED_MESSAGE]
        assert written() == before

    def test_a_context_closed_while_the_form_was_open_is_refused_on_the_form(
        self, client_for, practitioner, context, monkeypatch
    ):
        """The page checked the context was open; the service, which locks it, finds it closed."""
        from contexts.views import work as work_views

        monkeypatch.setattr(work_views, "_closed", lambda request, context: None)
        close_for_test(context)
        before = written()
        response = client_for(practitioner).post(
            url("record_new", context),
            {
                "kind": ContextRecordKind.ASSESSMENT,
                **date_fields("held_on", today()),
                "functioning": "The group has stopped meeting.",
                "weighting": "",
            },
        )
        assert response.status_code == 400
        assert error_summary(response) == [CLOSED_MESSAGE]
        assert written() == before


class TestRecordPages:
    def test_the_detail_page_shows_each_heading_as_this_kind_calls_it(
        self, client_for, service_manager, team_manager, practitioner
    ):
        school = open_context_for_test(lead=team_manager, kind=ContextKind.SCHOOL)
        record = add_record(
            practitioner,
            school,
            guardianship="",
            weighting=ENVIRONMENT,
            weighting_reason="The route home passes the bookmakers.",
        )
        response = client_for(service_manager).get(url("record_detail", school, record))
        row = r'<div class="govuk-summary-list__row"[^>]*>\s*<dt[^>]*>(.*?)</dt>\s*'
        rows = re.findall(row + r"<dd[^>]*>(.*?)</dd>", response.content.decode(), re.S)
        assert [(text_of(key), text_of(value)) for key, value in rows] == [
            (SCHOOL_HEADINGS[0], record.functioning),
            (SCHOOL_HEADINGS[1], "Nothing recorded"),
            (SCHOOL_HEADINGS[2], record.environment),
            (
                "Must change first",
                f"{SCHOOL_HEADINGS[2]} The route home passes the bookmakers.",
            ),
            ("Recorded by", f"Pat Tester, {record.created_at:%-d %B %Y}"),
        ]

    def test_the_list_shows_every_record_newest_first(self, client_for, practitioner, context):
        older = add_record(practitioner, context, held_on=today() - timedelta(days=40))
        newer = add_record(practitioner, context, kind=ContextRecordKind.MEETING, held_on=today())
        response = client_for(practitioner).get(url("record_list", context))
        titles = re.findall(
            r'<h3 class="govuk-summary-card__title"><a class="govuk-link" href="([^"]+)">(.*?)</a>',
            response.content.decode(),
        )
        assert titles == [
            (url("record_detail", context, newer), f"Meeting note, {today():%-d %B %Y}"),
            (
                url("record_detail", context, older),
                f"Context assessment, {older.held_on:%-d %B %Y}",
            ),
        ]

    def test_the_add_button_is_for_those_who_may_work_on_an_open_context(
        self, client_for, practitioner, service_manager, context
    ):
        button = "Record an assessment or meeting note"
        assert button in client_for(practitioner).get(url("record_list", context)).content.decode()
        assert button not in (
            client_for(service_manager).get(url("record_list", context)).content.decode()
        )
        close_for_test(context)
        assert button not in (
            client_for(practitioner).get(url("record_list", context)).content.decode()
        )
