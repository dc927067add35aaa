"""The pages for the work on a context: assessments and meeting notes, the context plan and its
review date, and the work section of the context page.

Who sees what: every practitioner and team manager (any team) reads and changes; a service
manager reads, and gets 403 on the pages that change (a reader knows the context exists, so
there is nothing to hide with a 404); an administrator, who may not use context records, gets
404; anonymous visitors are sent to sign in. Each rule's message is shown in the GOV.UK error
summary with nothing saved; no page shows a linked child; the record list and the work section
cost the same number of queries with one row as with many.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from cases.reference import ActionProgress, PartnerAgency
from contexts.guard import NAME_MESSAGE as THEMATIC_MESSAGE
from contexts.models import Context, ContextPlanAction, ContextRecord
from contexts.reference import ContextKind, ContextRecordKind
from contexts.selectors.work import context_work_summary
from contexts.services import work as work_services
from tests.cases.helpers import error_summary, field_errors, sign_in_redirect, text_of
from tests.contexts.test_work_services import (
    ENVIRONMENT,
    FUNCTIONING,
    GUARDIANSHIP,
    add_action,
    add_record,
    close_for_test,
    link,
    open_context_for_test,
    today,
    written,
)

pytestmark = pytest.mark.django_db

WORKERS = ["practitioner", "teammate", "team_manager", "other_team_practitioner"]
CLOSED_MESSAGE = (
    "This context is closed. Reopen it to record assessments, meeting notes or changes to its plan."
)
PEER_GROUP_HEADINGS = [
    "Group functioning",
    "Guardianship capacity",
    "Environmental and family factors",
]
SCHOOL_HEADINGS = [
    "Strengths and needs of students collectively",
    "Guardianship by staff and school policy",
    "School environment and routes to and from school",
]


def date_fields(name: str, value: date) -> dict[str, str]:
    return {
        f"{name}_day": str(value.day),
        f"{name}_month": str(value.month),
        f"{name}_year": str(value.year),
    }


def labels(response) -> list[str]:
    return [
        text_of(label)
        for label in re.findall(r"<label[^>]*>(.*?)</label>", response.content.decode(), re.S)
    ]


def banners(response) -> list[str]:
    return [
        text_of(body)
        for body in re.findall(
            r'<p class="govuk-notification-banner__heading">(.*?)</p>',
            response.content.decode(),
            re.S,
        )
    ]


def url(name: str, context, *rows) -> str:
    return reverse(f"contexts:{name}", args=[context.pk, *[row.pk for row in rows]])


def detail(context) -> str:
    return reverse("contexts:detail", args=[context.pk])


@pytest.fixture
def context(team_manager):
    return open_context_for_test(lead=team_manager)


@pytest.fixture
def work(context, practitioner):
    """One assessment and one action on the context."""
    return {
        "record": add_record(practitioner, context),
        "action": add_action(practitioner, context),
    }


def read_pages(context, work) -> dict[str, str]:
    return {
        "record_list": url("record_list", context),
        "record_detail": url("record_detail", context, work["record"]),
    }


def write_pages(context, work) -> dict[str, str]:
    return {
        "record_new": url("record_new", context),
        "action_new": url("action_new", context),
        "action_progress": url("action_progress", context, work["action"]),
        "plan_review_date": url("plan_review_date", context),
    }


def valid_posts(context, work) -> dict[str, dict]:
    """A valid body for each page that changes, so a refusal is the permission's doing."""
    return {
        "record_new": {
            "kind": ContextRecordKind.MEETING,
            **date_fields("held_on", today()),
            "functioning": "The group met at the precinct twice this week.",
            "weighting": "",
        },
        "action_new": {
            "side": ENVIRONMENT,
            "description": "Ask the council to light the underpass",
            "partner_agency": PartnerAgency.COMMUNITY_SAFETY,
            "owner": "Community safety officer",
            **date_fields("due_date", today() + timedelta(days=14)),
        },
        "action_progress": {"progress": ActionProgress.IN_PROGRESS, "note": "Started"},
        "plan_review_date": date_fields("review_date", today() + timedelta(days=30)),
    }


# --- Who may use each page ---------------------------------------------------------------------


class TestAccess:
    @pytest.mark.parametrize("who", [*WORKERS, "service_manager"])
    @pytest.mark.parametrize("page", ["record_list", "record_detail"])
    def test_readers_see_the_read_pages(self, request, client_for, context, work, who, page):
        response = client_for(request.getfixturevalue(who)).get(read_pages(context, work)[page])
        assert response.status_code == 200
        assert "Northbrook" in response.content.decode()

    @pytest.mark.parametrize("who", WORKERS)
    @pytest.mark.parametrize(
        "page", ["record_new", "action_new", "action_progress", "plan_review_date"]
    )
    def test_workers_of_any_team_see_the_forms(self, request, client_for, context, work, who, page):
        response = client_for(request.getfixturevalue(who)).get(write_pages(context, work)[page])
        assert response.status_code == 200

    @pytest.mark.parametrize(
        "page", ["record_new", "action_new", "action_progress", "plan_review_date"]
    )
    def test_a_service_manager_reads_but_may_not_change(
        self, client_for, service_manager, context, work, page
    ):
        client = client_for(service_manager)
        before = written()
        assert client.get(write_pages(context, work)[page]).status_code == 403
        post = client.post(write_pages(context, work)[page], valid_posts(context, work)[page])
        assert post.status_code == 403
        assert written() == before

    @pytest.mark.parametrize(
        "page",
        [
            "record_list",
            "record_detail",
            "record_new",
            "action_new",
            "action_progress",
            "plan_review_date",
        ],
    )
    def test_an_administrator_gets_404_and_changes_nothing(
        self, client_for, administrator, context, work, page
    ):
        pages = read_pages(context, work) | write_pages(context, work)
        client = client_for(administrator)
        before = written()
        assert client.get(pages[page]).status_code == 404
        assert client.post(pages[page], valid_posts(context, work).get(page, {})).status_code in {
            404,
            405,
        }
        assert written() == before

    def test_anonymous_visitors_are_sent_to_sign_in(self, client, context, work):
        pages = read_pages(context, work) | write_pages(context, work)
        before = written()
        for path in pages.values():
            response = client.get(path)
            assert (response.status_code, response["Location"]) == (302, sign_in_redirect(path))
        for page, body in valid_posts(context, work).items():
            assert client.post(pages[page], body).status_code == 302
        assert written() == before

    @pytest.mark.parametrize(
        "page", ["record_new", "action_new", "action_progress", "plan_review_date"]
    )
    def test_a_closed_context_sends_each_form_back_to_the_context_page(
        self, client_for, practitioner, context, work, page
    ):
        close_for_test(context)
        client = client_for(practitioner)
        before = written()
        path = write_pages(context, work)[page]
        for response in [client.get(path), client.post(path, valid_posts(context, work)[page])]:
            assert (response.status_code, response["Location"]) == (302, detail(context))
        assert written() == before

    def test_no_such_context_record_or_action(self, client_for, practitioner, context, work):
        other = open_context_for_test(lead=practitioner, area="Southmead")
        client = client_for(practitioner)
        missing = [
            reverse("contexts:record_list", args=[999999]),
            reverse("contexts:record_new", args=[999999]),
            reverse("contexts:plan_review_date", args=[999999]),
            # A record or action of another context, through this one's address.
            reverse("contexts:record_detail", args=[other.pk, work["record"].pk]),
            reverse("contexts:action_progress", args=[other.pk, work["action"].pk]),
        ]
        for path in missing:
            assert client.get(path).status_code == 404, path


# --- Assessments and meeting notes -------------------------------------------------------------


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
                date_fields("held_on", date.today() + timedelta(days=3)),
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
        response = client_for(practitioner).post(url("record_new", context), body | fields)
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


# --- The plan ----------------------------------------------------------------------------------


class TestActionNew:
    def test_the_sides_are_worded_for_the_kind(self, client_for, practitioner, team_manager):
        school = open_context_for_test(lead=team_manager, kind=ContextKind.SCHOOL)
        response = client_for(practitioner).get(url("action_new", school))
        assert labels(response)[:4] == [*SCHOOL_HEADINGS, "Action"]

    def test_adds_an_action(self, client_for, other_team_practitioner, context):
        response = client_for(other_team_practitioner).post(
            url("action_new", context), valid_posts(context, None)["action_new"], follow=True
        )
        assert response.redirect_chain == [(detail(context), 302)]
        assert banners(response) == ["Action added to the plan"]
        action = ContextPlanAction.objects.get()
        assert (action.side, action.partner_agency, action.owner, action.due_date) == (
            ENVIRONMENT,
            PartnerAgency.COMMUNITY_SAFETY,
            "Community safety officer",
            today() + timedelta(days=14),
        )

    def test_an_empty_form_names_each_missing_answer(self, client_for, practitioner, context):
        before = written()
        response = client_for(practitioner).post(url("action_new", context), {})
        assert response.status_code == 400
        assert error_summary(response) == [
            "Choose what the action works on",
            "Describe the action",
            "Choose the partner agency",
            "Enter who is responsible for the action",
            "Enter the due date",
        ]
        assert written() == before

    def test_an_owner_naming_a_linked_young_person_is_refused(
        self, client_for, practitioner, other_team_practitioner, context, other_young_person
    ):
        link(other_team_practitioner, context, other_young_person)
        body = valid_posts(context, None)["action_new"] | {
            "owner": "Bartholomew Nettlecombe's youth worker, Bartholomew Nettlecombe"
        }
        before = written()
        response = client_for(practitioner).post(url("action_new", context), body)
        assert response.status_code == 400
        message = THEMATIC_MESSAGE
        assert field_errors(response) == {"id_owner": message}
        assert written() == before


class TestActionProgress:
    def test_shows_the_action_and_whether_it_is_overdue(self, client_for, practitioner, context):
        late = add_action(practitioner, context, due_date=today() - timedelta(days=3))
        response = client_for(practitioner).get(url("action_progress", context, late))
        page = response.content.decode()
        assert 'data-testid="overdue"' in page
        assert "Guardianship capacity" in text_of(page)

    def test_done_needs_its_date(self, client_for, practitioner, context, work):
        before = written()
        response = client_for(practitioner).post(
            url("action_progress", context, work["action"]), {"progress": ActionProgress.DONE}
        )
        assert response.status_code == 400
        assert field_errors(response) == {"id_completed_on": "Enter the date the action was done"}
        assert written() == before

    def test_records_progress(self, client_for, team_manager, context, work):
        response = client_for(team_manager).post(
            url("action_progress", context, work["action"]),
            {"progress": ActionProgress.DONE, **date_fields("completed_on", today())},
            follow=True,
        )
        assert banners(response) == ["Progress recorded"]
        work["action"].refresh_from_db()
        assert (work["action"].progress, work["action"].completed_on) == (
            ActionProgress.DONE,
            today(),
        )


class TestPlanReviewDate:
    def test_sets_the_review_date(self, client_for, practitioner, context):
        review = today() + timedelta(days=30)
        response = client_for(practitioner).post(
            url("plan_review_date", context), date_fields("review_date", review), follow=True
        )
        assert banners(response) == ["Plan review date saved"]
        assert Context.objects.get(pk=context.pk).plan_review_date == review

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({}, "Enter the plan review date"),
            (
                date_fields("review_date", date.today() - timedelta(days=2)),
                "The plan review date must be today or in the future",
            ),
        ],
    )
    def test_each_rule_has_its_message(self, client_for, practitioner, context, body, message):
        before = written()
        response = client_for(practitioner).post(url("plan_review_date", context), body)
        assert response.status_code == 400
        assert field_errors(response) == {"id_review_date": message}
        assert written() == before


# --- The work section of the context page ------------------------------------------------------


def section(context, user) -> str:
    context = Context.objects.get(pk=context.pk)
    return render_to_string(
        "contexts/work/_section.html",
        {"context": context, "work": context_work_summary(context=context, user=user)},
    )


def plan_rows(html: str) -> list[str]:
    return [text_of(row) for row in re.findall(r'data-testid="plan-action">(.*?)</tr>', html, re.S)]


def set_review_date_in_the_past(context, actor, days: int = 3) -> None:
    """Set the review date, then let time pass: the service accepts only today or later."""
    work_services.context_plan_review_set(
        actor=actor, context=context, review_date=today() + timedelta(days=1)
    )
    Context.objects.filter(pk=context.pk).update(plan_review_date=today() - timedelta(days=days))


class TestSection:
    def test_overdue_actions_and_an_overdue_review_are_tagged(self, practitioner, context):
        late = add_action(
            practitioner, context, description="Lighting survey", due_date=today() - timedelta(1)
        )
        done_late = add_action(
            practitioner, context, description="Meet the head", due_date=today() - timedelta(5)
        )
        stopped_late = add_action(
            practitioner, context, description="Letter to shops", due_date=today() - timedelta(4)
        )
        add_action(practitioner, context, description="Youth work", due_date=today())
        for action, progress in [(done_late, ActionProgress.DONE), (stopped_late, "stopped")]:
            work_services.context_action_update_progress(
                actor=practitioner, action=action, progress=progress, completed_on=today()
            )
        set_review_date_in_the_past(context, practitioner)

        html = section(context, practitioner)

        rows = plan_rows(html)
        overdue = [row for row in rows if "Overdue" in row]
        assert len(overdue) == 1 and overdue[0].startswith(late.description)
        assert [row.split(" ")[0] for row in rows] == ["Meet", "Letter", "Lighting", "Youth"]
        assert 'data-testid="review-overdue"' in html
        counts = re.search(r'data-testid="plan-counts">(.*?)</dd>', html).group(1)
        assert counts == "2 open, 1 overdue, 1 done"

    def test_a_review_date_today_or_later_is_not_overdue(self, practitioner, context):
        work_services.context_plan_review_set(
            actor=practitioner, context=context, review_date=today()
        )
        html = section(context, practitioner)
        assert f"{today():%-d %B %Y}" in text_of(html)
        assert "Review overdue" not in html

    def test_the_sides_are_worded_for_the_kind(self, practitioner, team_manager):
        school = open_context_for_test(lead=team_manager, kind=ContextKind.SCHOOL)
        add_action(practitioner, school, side=FUNCTIONING)
        assert SCHOOL_HEADINGS[0] in plan_rows(section(school, practitioner))[0]

    @pytest.mark.parametrize("who", ["service_manager"])
    def test_no_buttons_for_a_reader(self, request, context, work, who):
        html = section(context, request.getfixturevalue(who))
        assert "govuk-button" not in html
        assert reverse("contexts:action_progress", args=[context.pk, work["action"].pk]) not in html

    def test_no_buttons_once_closed(self, practitioner, context, work):
        close_for_test(context)
        html = section(context, practitioner)
        assert "govuk-button" not in html
        assert "Add an action" not in html

    def test_buttons_for_a_worker(self, other_team_practitioner, context, work):
        html = section(context, other_team_practitioner)
        for name in ["record_new", "action_new", "plan_review_date"]:
            assert reverse(f"contexts:{name}", args=[context.pk]) in html
        assert reverse("contexts:action_progress", args=[context.pk, work["action"].pk]) in html

    def test_shows_the_latest_five_records_and_the_count(self, practitioner, context):
        for days in range(7):
            add_record(practitioner, context, held_on=today() - timedelta(days=days))
        html = section(context, practitioner)
        assert html.count('data-testid="record-summary"') == 5
        assert "See all assessments and meeting notes (7)" in text_of(html)

    def test_the_context_page_includes_the_section(self, client_for, practitioner, context, work):
        page = client_for(practitioner).get(detail(context)).content.decode()
        assert 'data-testid="context-plan"' in page
        assert work["action"].description in page


# --- Privacy and cost --------------------------------------------------------------------------

CANARIES = ["Zephyrine", "Quillfeather", "Bartholomew", "Nettlecombe"]


def test_no_page_of_the_work_shows_a_linked_child(
    client_for,
    practitioner,
    other_team_practitioner,
    context,
    work,
    young_person,
    other_young_person,
):
    """Even to the practitioner allocated to both children seen elsewhere."""
    link(practitioner, context, young_person)
    link(other_team_practitioner, context, other_young_person)
    set_review_date_in_the_past(context, practitioner)
    client = client_for(practitioner)
    pages = read_pages(context, work) | write_pages(context, work)
    outputs = [client.get(path).content.decode() for path in pages.values()]
    outputs.append(section(context, practitioner))
    assert len(outputs) == 7
    for html in outputs:
        for name in CANARIES:
            assert name not in html
        for person in (young_person, other_young_person):
            assert person.local_identifier not in html
            assert reverse("cases:detail", args=[person.pk]) not in html
            assert f"{person.date_of_birth:%-d %B %Y}" not in html


@pytest.mark.parametrize("rows", [1, 12])
def test_the_record_list_costs_the_same_whatever_its_length(
    client_for, practitioner, context, django_assert_num_queries, rows
):
    for days in range(rows):
        add_record(practitioner, context, held_on=today() - timedelta(days=days))
    client = client_for(practitioner)
    path = url("record_list", context)
    client.get(path)
    # Session and user (2), the context with its lead, team and location type (1), the records
    # with who recorded each (1), the unread notifications badge (1), and the session save
    # wrapped in a savepoint (3: see tests/cases/test_query_counts.py).
    with django_assert_num_queries(8):
        response = client.get(path)
    assert response.content.decode().count('data-testid="record"') == rows


@pytest.mark.parametrize(("records", "actions"), [(0, 0), (1, 1), (9, 15)])
def test_the_work_section_costs_the_same_whatever_its_length(
    practitioner, context, django_assert_num_queries, records, actions
):
    for days in range(records):
        add_record(practitioner, context, held_on=today() - timedelta(days=days))
    for days in range(actions):
        add_action(practitioner, context, due_date=today() + timedelta(days=days - 3))
    context = Context.objects.get(pk=context.pk)
    # The latest records with who recorded each, each carrying how many records there are (1),
    # the actions (1).
    with django_assert_num_queries(2):
        work = context_work_summary(context=context, user=practitioner)
        html = render_to_string("contexts/work/_section.html", {"context": context, "work": work})
    assert html.count('data-testid="plan-action"') == actions
    assert work.record_count == records
    assert len(work.latest_records) == min(records, 5)
