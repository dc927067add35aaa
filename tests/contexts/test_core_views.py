"""The pages of context records: the list, opening a context (details, then a check page with
the name and any duplicates), the context page, changing details, closing, reopening and the
chronology. Who may open each page (any practitioner or team manager works on contexts, a
service manager reads them, an administrator sees none, the anonymous sign in), what each shows
and saves, and the messages for refused input with nothing half-saved.

And the privacy invariant: whoever reads them, and whatever they may see elsewhere, no context
page carries a linked young person's name, identifier, date of birth or a link to their record.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from cases import services as case_services
from contexts.guard import NAME_MESSAGE as THEMATIC_MESSAGE
from contexts.linking.services import context_link_end
from contexts.models import Context, ContextLink
from contexts.reference import ContextStatus
from contexts.services import configuration as configuration_services
from csafe.accounts.models import Role
from tests.cases.helpers import error_summary, field_errors, sign_in_redirect, text_of
from tests.contexts.test_core_services import (
    CANARY_IDENTIFIER,
    CONFLICT,
    GANGS,
    canary_child,
    close,
    days_ago,
    group_name,
    harm_type,
    link,
    long_date,
    open_group,
    open_location,
    park,
    snapshot,
    today,
    update,
)
from tests.factories import UserFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db

WORKERS = ["practitioner", "team_manager", "teammate", "other_team_practitioner"]
READERS = [*WORKERS, "service_manager"]
LIST = reverse("contexts:list")
NEW = reverse("contexts:new")


def url(name: str, context) -> str:
    return reverse(f"contexts:{name}", args=[context.pk])


def page(response) -> str:
    return response.content.decode()


def date_fields(name: str, value: date) -> dict[str, str]:
    return {
        f"{name}_day": str(value.day),
        f"{name}_month": str(value.month),
        f"{name}_year": str(value.year),
    }


def section(html: str, testid: str, end: str) -> str:
    assert f'data-testid="{testid}"' in html, f"no {testid} on the page"
    return html.split(f'data-testid="{testid}"', 1)[1].split(end, 1)[0]


def summary_rows(html: str, testid: str) -> dict[str, str]:
    body = section(html, testid, "</dl>")
    return {
        text_of(key): text_of(value)
        for key, value in re.findall(r"<dt[^>]*>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", body, re.S)
    }


def table_rows(html: str, testid: str) -> list[list[str]]:
    body = section(html, testid, "</table>").split("<tbody", 1)[1]
    return [
        [text_of(cell) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def messages_shown(response) -> list[str]:
    return [
        text_of(body)
        for body in re.findall(
            r'<p class="govuk-notification-banner__heading">(.*?)</p>', page(response), re.S
        )
    ]


def opening(**overrides) -> dict[str, str]:
    """The form for a peer group in Eastfield opened 20 days ago (named group_name())."""
    return {
        "kind": "peer_group",
        "area": "Eastfield",
        "incident": "Fight at the skate park after school",
        **date_fields("opened_on", days_ago(20)),
        "harm_types": [str(harm_type(GANGS).pk)],
        "step": "check",
    } | overrides


def with_lead(data: dict, lead) -> dict:
    return data | {"lead_practitioner": str(lead.pk)}


# --- The list ------------------------------------------------------------------------------------


class TestList:
    @pytest.mark.parametrize("who", READERS)
    def test_readers_see_every_context_with_its_count_of_linked_young_people(
        self, request, client_for, practitioner, team_manager, young_person, who
    ):
        context = open_group(practitioner)
        link(practitioner, context, young_person)
        second = canary_child(team_manager, practitioner)
        ended = link(practitioner, context, second)
        context_link_end(actor=practitioner, link=ended, reason="Moved away")
        other = open_location(UserFactory(role=Role.PRACTITIONER))
        response = client_for(request.getfixturevalue(who)).get(LIST)
        assert response.status_code == 200
        html = page(response)
        assert text_of(section(html, "result-count", "</p>").split(">", 1)[1]) == "2 contexts"
        rows = table_rows(html, "contexts-table")
        assert rows[0] == [
            context.name,
            "Group",
            "Open",
            f"Team A {practitioner}",
            f"{days_ago(20).day} {days_ago(20):%b %Y}",
            "1",
        ]
        assert rows[1][0] == other.name
        assert rows[1][1] == "Neighbourhood or location"
        assert rows[1][5] == "0"
        can_open = who != "service_manager"
        assert ('data-testid="open-context"' in html) == can_open

    def test_administrators_see_no_contexts(self, client_for, administrator, practitioner):
        open_group(practitioner)
        assert client_for(administrator).get(LIST).status_code == 404

    def test_the_anonymous_sign_in(self, client):
        response = client.get(LIST)
        assert response.status_code == 302
        assert response.url == sign_in_redirect(LIST)

    def test_filters(self, client_for, practitioner):
        group = open_group(practitioner)
        location = open_location(practitioner, postcode="NB7 3QT")
        closed = open_group(practitioner, area="Northgate")
        close(practitioner, closed)
        client = client_for(practitioner)

        def names(**query) -> list[str]:
            return [row[0] for row in table_rows(page(client.get(LIST, query)), "contexts-table")]

        assert names() == [group.name, location.name, closed.name]  # open first, by name
        assert names(kind="location") == [location.name]
        assert names(status="closed") == [closed.name]
        assert names(q="northgate") == [closed.name]
        assert names(q="nb7") == [location.name]
        assert names(q="NB7 3QT") == [location.name]
        assert "No contexts match these filters" in page(client.get(LIST, {"q": "nowhere"}))

    def test_the_configured_word_shows_a_peer_groups_kind(
        self, client_for, practitioner, administrator
    ):
        open_group(practitioner)
        configuration_services.configuration_update(
            actor=administrator, peer_group_term="connection"
        )
        html = page(client_for(practitioner).get(LIST))
        assert table_rows(html, "contexts-table")[0][1] == "Non-familial connection"
        assert '<option value="peer_group">Non-familial connection</option>' in html


# --- Opening a context -------------------------------------------------------------------------


class TestOpenPage:
    @pytest.mark.parametrize("who", WORKERS)
    def test_workers_get_the_form_with_themselves_as_lead(self, request, client_for, who):
        actor = request.getfixturevalue(who)
        response = client_for(actor).get(NEW)
        assert response.status_code == 200
        assert re.search(rf'<option value="{actor.pk}" selected>', page(response))

    @pytest.mark.parametrize("who", ["service_manager", "administrator"])
    def test_others_have_no_such_page(self, request, client_for, who):
        client = client_for(request.getfixturevalue(who))
        assert client.get(NEW).status_code == 404
        assert client.post(NEW, opening(step="save")).status_code == 404
        assert Context.objects.count() == 0

    def test_the_anonymous_sign_in(self, client):
        response = client.post(NEW, opening(step="save"))
        assert response.status_code == 302
        assert response.url == sign_in_redirect(NEW)
        assert Context.objects.count() == 0

    def test_the_check_shows_the_name_and_saves_nothing(self, client_for, practitioner):
        before = snapshot()
        response = client_for(practitioner).post(NEW, with_lead(opening(), practitioner))
        assert response.status_code == 200
        html = page(response)
        assert text_of(section(html, "context-name", "</p>").split(">", 1)[1]) == group_name()
        details = summary_rows(html, "check-details")
        assert details["Kind"] == "Group"
        assert details["Area"] == "Eastfield"
        assert details["Harm types"] == GANGS
        assert details["Lead practitioner"] == f"{practitioner} (Team A)"
        # Everything typed is carried to the save step.
        assert '<input type="hidden" name="area" value="Eastfield">' in html
        assert 'name="step" value="save"' in html
        assert snapshot() == before

    def test_saving_from_the_check_opens_the_context(self, client_for, practitioner, teammate):
        response = client_for(practitioner).post(
            NEW, with_lead(opening(step="save"), teammate), follow=True
        )
        context = Context.objects.get()
        assert response.redirect_chain[-1][0] == url("detail", context)
        assert messages_shown(response) == [f"{group_name()} opened"]
        assert context.name == group_name()
        assert context.lead_practitioner == teammate
        assert context.created_by == practitioner
        assert list(context.harm_types.values_list("name", flat=True)) == [GANGS]

    def test_change_the_details_goes_back_to_the_form_as_typed(self, client_for, practitioner):
        response = client_for(practitioner).post(
            NEW, with_lead(opening(step="edit", area="Westfield"), practitioner)
        )
        assert response.status_code == 200
        assert 'value="Westfield"' in page(response)
        assert Context.objects.count() == 0

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"kind": ""}, "id_kind", "Choose the kind of context"),
            ({"postcode": "NB1 2A"}, "id_postcode", "Enter a real postcode, like NB1 2AA"),
            ({"area": ""}, "id_area", "The naming convention needs an area"),
            (
                {"kind": "location", "location_type": "", "postcode": ""},
                "id_postcode",
                "The naming convention needs a postcode",
            ),
            (
                date_fields("opened_on", today() + timedelta(days=1)),
                "id_opened_on",
                "The date opened must be today or in the past",
            ),
        ],
    )
    @pytest.mark.parametrize("step", ["check", "save"])
    def test_details_that_cannot_name_a_context_are_refused(
        self, client_for, practitioner, changes, field, message, step
    ):
        data = with_lead(opening(step=step) | changes, practitioner)
        if changes.get("kind") == "location":
            data["location_type"] = str(park().pk)
        response = client_for(practitioner).post(NEW, data)
        assert response.status_code == 400
        assert error_summary(response) == [message]
        assert field_errors(response)[field] == message
        assert Context.objects.count() == 0

    @pytest.mark.parametrize("step", ["check", "save"])
    def test_an_open_context_with_the_name_is_refused_with_a_link(
        self, client_for, practitioner, teammate, step
    ):
        existing = open_group(practitioner)
        before = snapshot()
        response = client_for(teammate).post(NEW, with_lead(opening(step=step), teammate))
        assert response.status_code == 400
        assert error_summary(response) == [f"{existing.name} is already open"]
        html = page(response)
        assert f'<a href="{url("detail", existing)}">{existing.name} is already open</a>' in html
        assert 'data-testid="save-context"' not in html
        assert snapshot() == before

    def test_a_closed_context_with_the_name_is_offered_for_reopening(
        self, client_for, practitioner, teammate
    ):
        existing = open_group(practitioner)
        close(practitioner, existing)
        before = snapshot()
        message = (
            f"{existing.name} was closed on {long_date(today())}. Reopen it rather than "
            "opening a new context with the same name: reopening keeps its chronology."
        )
        for actor, can_reopen in ((practitioner, True), (teammate, False)):
            response = client_for(actor).post(NEW, with_lead(opening(), actor))
            assert response.status_code == 400
            assert error_summary(response) == [message]
            html = page(response)
            offer = section(html, "existing-context", "</div>")
            assert f'href="{url("chronology", existing)}"' in offer
            assert ('data-testid="reopen-existing"' in offer) == can_reopen
            if can_reopen:
                assert f'href="{url("reopen", existing)}"' in offer
            else:
                assert f"Ask its lead practitioner, {practitioner}, or a manager of Team A" in (
                    text_of(offer)
                )
            assert 'data-testid="save-context"' not in html
            saving = client_for(actor).post(NEW, with_lead(opening(step="save"), actor))
            assert saving.status_code == 400
            assert error_summary(saving) == [message]
        assert snapshot() == before

    def test_near_duplicates_are_shown_and_need_confirming(self, client_for, practitioner):
        existing = open_group(practitioner, area="Eastfield Estate")
        client = client_for(practitioner)
        data = with_lead(opening(area="Eastfeld Estate"), practitioner)
        check = client.post(NEW, data)
        assert check.status_code == 200
        html = page(check)
        assert table_rows(html, "near-duplicates") == [
            [existing.name, "Group", "Open", "Team A", f"{days_ago(20):%-d %b %Y}"]
        ]
        assert "None of these is the same context: open a new one" in html
        before = snapshot()
        unconfirmed = client.post(NEW, data | {"step": "save"})
        assert unconfirmed.status_code == 400
        assert error_summary(unconfirmed) == [
            "There may already be a context for this. Check the contexts below, or confirm "
            "that this is a different one."
        ]
        assert table_rows(page(unconfirmed), "near-duplicates")[0][0] == existing.name
        assert snapshot() == before
        confirmed = client.post(NEW, data | {"step": "save", "confirm_not_duplicate": "on"})
        assert confirmed.status_code == 302
        assert Context.objects.filter(name=group_name("Eastfeld Estate")).exists()


# --- The context page -------------------------------------------------------------------------


def buttons(html: str) -> list[str]:
    return [
        text_of(a)
        for a in re.findall(r"<a [^>]*>(.*?)</a>", section(html, "context-actions", "</div>"))
    ]


class TestDetail:
    @pytest.mark.parametrize("who", READERS)
    def test_readers_see_the_context(
        self,
        request,
        client_for,
        practitioner,
        other_team_practitioner,
        young_person,
        other_young_person,
        who,
    ):
        context = open_group(practitioner, harm_types=[harm_type(GANGS)])
        link(practitioner, context, young_person)
        link(other_team_practitioner, context, other_young_person)
        response = client_for(request.getfixturevalue(who)).get(url("detail", context))
        assert response.status_code == 200
        html = page(response)
        assert f"<title>{context.name} – " in html
        details = summary_rows(html, "context-details")
        assert details["Kind"] == "Group"
        assert details["Status"] == "Open"
        assert details["Harm types"] == GANGS
        assert details["Lead practitioner"] == str(practitioner)
        assert details["Team"] == "Team A"
        assert details["What it was opened around"] == "Fight at the skate park after school"
        assert summary_rows(html, "link-counts")["Young people linked now"] == "2"
        professionals = [row[0] for row in table_rows(html, "professionals-table")]
        assert sorted(professionals) == sorted([str(practitioner), str(other_team_practitioner)])
        assert 'data-testid="context-records"' in html  # the work section is there
        assert (
            'aria-current="true"><strong class="govuk-service-navigation__active-fallback">Contexts'
            in html
        )

    def test_administrators_see_no_context(self, client_for, administrator, practitioner):
        context = open_group(practitioner)
        for name in ("detail", "chronology", "edit", "close", "reopen"):
            assert client_for(administrator).get(url(name, context)).status_code == 404

    def test_the_anonymous_sign_in(self, client, practitioner):
        context = open_group(practitioner)
        for name in ("detail", "chronology", "edit", "close", "reopen"):
            response = client.get(url(name, context))
            assert response.status_code == 302
            assert response.url == sign_in_redirect(url(name, context))

    def test_an_unknown_context_is_404(self, client_for, practitioner):
        assert client_for(practitioner).get("/contexts/999999/").status_code == 404

    @pytest.mark.parametrize(
        ("who", "expected"),
        [
            ("practitioner", ["Change details", "Close the context", "Chronology"]),
            ("team_manager", ["Change details", "Close the context", "Chronology"]),
            ("teammate", ["Change details", "Chronology"]),
            ("other_team_manager", ["Change details", "Chronology"]),
            ("service_manager", ["Chronology"]),
        ],
    )
    def test_what_each_may_do_on_an_open_context(
        self, request, client_for, practitioner, who, expected
    ):
        context = open_group(practitioner)
        html = page(client_for(request.getfixturevalue(who)).get(url("detail", context)))
        assert buttons(html) == expected

    @pytest.mark.parametrize(
        ("who", "expected"),
        [
            ("practitioner", ["Reopen the context", "Chronology"]),
            ("team_manager", ["Reopen the context", "Chronology"]),
            ("teammate", ["Chronology"]),
        ],
    )
    def test_a_closed_context_shows_its_closure_record(
        self, request, client_for, practitioner, who, expected
    ):
        context = open_group(practitioner)
        close(practitioner, context)
        html = page(client_for(request.getfixturevalue(who)).get(url("detail", context)))
        assert buttons(html) == expected
        record = summary_rows(html, "closure-record")
        assert record == {
            "Why it closed": "Safety has increased: the group no longer meets at the skate park",
            "Group functioning": "Fewer members; the older members have moved on",
            "Guardianship capacity": "Park wardens and detached youth workers are there most "
            "evenings",
            "Environmental and family factors": (
                "The park is lit and the gap in the fence is closed"
            ),
            "Links of young people": "Kept",
            "Closed by": str(practitioner),
        }


# --- Changing details --------------------------------------------------------------------------


def editing(context, **overrides) -> dict:
    return {
        "label": context.label,
        "area": context.area,
        "postcode": context.postcode,
        "location_type": str(context.location_type_id or ""),
        **date_fields("opened_on", context.opened_on),
        "incident": context.incident,
        "description": context.description,
        "harm_types": [str(pk) for pk in context.harm_types.values_list("pk", flat=True)],
        "lead_practitioner": str(context.lead_practitioner_id),
        "version": str(context.version),
    } | overrides


class TestEdit:
    @pytest.mark.parametrize("who", WORKERS)
    def test_workers_change_the_details_and_the_name_follows(
        self, request, client_for, practitioner, who
    ):
        context = open_group(practitioner, harm_types=[harm_type(GANGS)])
        client = client_for(request.getfixturevalue(who))
        form = client.get(url("edit", context))
        assert form.status_code == 200
        assert 'value="Eastfield"' in page(form)
        response = client.post(url("edit", context), editing(context, area="Northgate"))
        assert response.status_code == 302
        assert response.url == url("detail", context)
        context.refresh_from_db()
        assert context.name == group_name("Northgate")
        assert context.version == 2
        assert list(context.harm_types.values_list("name", flat=True)) == [GANGS]

    def test_service_managers_cannot(self, client_for, practitioner, service_manager):
        context = open_group(practitioner)
        client = client_for(service_manager)
        assert client.get(url("edit", context)).status_code == 404
        assert client.post(url("edit", context), editing(context, area="X")).status_code == 404
        context.refresh_from_db()
        assert context.version == 1

    def test_a_stale_version_keeps_the_typing_and_shows_what_is_saved(
        self, client_for, practitioner, teammate
    ):
        context = open_group(practitioner)
        stale = editing(context, description="My change")
        update(teammate, context, description="Their change")
        response = client_for(practitioner).post(url("edit", context), stale)
        assert response.status_code == 400
        assert error_summary(response) == [CONFLICT]
        html = page(response)
        assert "Their change" in section(html, "saved-now", "</dl>")
        assert "My change" in html
        assert 'name="version" value="2"' in html
        context.refresh_from_db()
        assert context.description == "Their change"

    def test_text_naming_a_linked_young_person_is_refused(
        self, client_for, practitioner, young_person
    ):
        context = open_group(practitioner)
        link(practitioner, context, young_person)
        context.refresh_from_db()
        response = client_for(practitioner).post(
            url("edit", context), editing(context, description="Zephyrine Quillfeather again")
        )
        assert response.status_code == 400
        message = THEMATIC_MESSAGE
        assert field_errors(response)["id_description"] == message
        context.refresh_from_db()
        assert context.description != "Zephyrine Quillfeather again"

    def test_a_closed_context_is_not_changed(self, client_for, practitioner):
        context = open_group(practitioner)
        close(practitioner, context)
        response = client_for(practitioner).get(url("edit", context), follow=True)
        assert messages_shown(response) == [
            "This context is closed. Reopen it to change its details."
        ]


# --- Closing and reopening ---------------------------------------------------------------------


def closing(context, **overrides) -> dict:
    return {
        **date_fields("on", today()),
        "functioning_change": "Fewer members",
        "guardianship_change": "Wardens most evenings",
        "environment_change": "The park is lit",
        "reason": "Safety has increased",
        "links_rule": "end",
        "version": str(context.version),
    } | overrides


class TestClose:
    @pytest.mark.parametrize("who", ["practitioner", "team_manager"])
    def test_the_form_uses_the_kinds_headings_and_shows_the_count(
        self, request, client_for, practitioner, team_manager, young_person, who
    ):
        context = open_location(practitioner)
        link(practitioner, context, young_person)
        link(practitioner, context, canary_child(team_manager, practitioner))
        response = client_for(request.getfixturevalue(who)).get(url("close", context))
        assert response.status_code == 200
        html = page(response)
        for heading in (
            "Strengths and needs of young people collectively",
            "Availability of guardianship",
            "Resources, physical environment and policy",
        ):
            assert f">{heading}</label>" in html
        assert text_of(section(html, "linked-count", "</p>").split(">", 1)[1]) == (
            "2 young people are linked to this context now."
        )
        assert "End every link, with the closure as the reason" in html
        assert "Keep the links, so they are there if the context reopens" in html

    @pytest.mark.parametrize("who", ["teammate", "other_team_manager", "service_manager"])
    def test_others_who_may_read_are_told_why_not(self, request, client_for, practitioner, who):
        context = open_group(practitioner)
        client = client_for(request.getfixturevalue(who))
        message = (
            f"Only the lead practitioner ({practitioner}) or a manager of Team A can close this "
            "context"
        )
        for response in (
            client.get(url("close", context)),
            client.post(url("close", context), closing(context)),
        ):
            assert response.status_code == 403
            assert error_summary(response) == [message]
        context.refresh_from_db()
        assert context.status == ContextStatus.OPEN

    def test_closing_without_the_record_is_refused_and_nothing_saved(
        self, client_for, practitioner, young_person
    ):
        context = open_group(practitioner)
        link(practitioner, context, young_person)
        context.refresh_from_db()
        before = snapshot()
        response = client_for(practitioner).post(
            url("close", context),
            closing(
                context,
                functioning_change="",
                guardianship_change=" ",
                environment_change="",
                reason="",
                links_rule="",
            ),
        )
        assert response.status_code == 400
        assert error_summary(response) == [
            "Describe how group functioning changed",
            "Describe how guardianship capacity changed",
            "Describe how environmental and family factors changed",
            "Enter why the context is closing",
            "Choose whether to end the links of the young people linked to this context or "
            "keep them",
        ]
        assert snapshot() == before

    def test_closing_ends_the_links_by_the_rule(self, client_for, practitioner, young_person):
        context = open_group(practitioner)
        row = link(practitioner, context, young_person)
        context.refresh_from_db()
        response = client_for(practitioner).post(
            url("close", context), closing(context), follow=True
        )
        assert messages_shown(response) == [f"{context.name} closed"]
        context.refresh_from_db()
        assert context.status == ContextStatus.CLOSED
        row.refresh_from_db()
        assert row.end_reason == f"The context closed on {long_date(today())}: Safety has increased"

    def test_a_closed_context_sends_the_form_back_to_the_page(self, client_for, practitioner):
        context = open_group(practitioner)
        close(practitioner, context)
        response = client_for(practitioner).get(url("close", context), follow=True)
        assert messages_shown(response) == ["This context is already closed"]


class TestReopen:
    def test_the_lead_reopens_with_a_reason(self, client_for, practitioner):
        context = open_group(practitioner)
        close(practitioner, context)
        context.refresh_from_db()
        client = client_for(practitioner)
        assert client.get(url("reopen", context)).status_code == 200
        refused = client.post(
            url("reopen", context),
            {**date_fields("on", today()), "reason": "", "version": str(context.version)},
        )
        assert refused.status_code == 400
        assert error_summary(refused) == ["Enter why the context is reopening"]
        response = client.post(
            url("reopen", context),
            {
                **date_fields("on", today()),
                "reason": "Meeting again",
                "version": str(context.version),
            },
            follow=True,
        )
        assert messages_shown(response) == [f"{context.name} reopened"]
        context.refresh_from_db()
        assert context.status == ContextStatus.OPEN

    def test_others_are_told_why_not(self, client_for, practitioner, teammate):
        context = open_group(practitioner)
        close(practitioner, context)
        response = client_for(teammate).get(url("reopen", context))
        assert response.status_code == 403
        assert error_summary(response) == [
            f"Only the lead practitioner ({practitioner}) or a manager of Team A can reopen this "
            "context"
        ]


class TestChronology:
    @pytest.mark.parametrize("who", READERS)
    def test_readers_see_the_story(self, request, client_for, practitioner, young_person, who):
        context = open_group(practitioner)
        link(practitioner, context, young_person)
        close(practitioner, context)
        response = client_for(request.getfixturevalue(who)).get(url("chronology", context))
        assert response.status_code == 200
        titles = [
            text_of(t)
            for t in re.findall(r'<h2 class="moj-timeline__title">(.*?)</h2>', page(response))
        ]
        assert titles == [
            "Context closed",
            "Young people linked: 1 more",
            "Context opened",
        ]


# --- The privacy invariant ---------------------------------------------------------------------


@pytest.fixture
def canary_context(
    practitioner, team_manager, young_person, other_team_practitioner, other_young_person
):
    """A group context with three invented children linked: Zephyrine Quillfeather (conftest),
    Perpetua Wolstenholme (CANARY0042) and Bartholomew Nettlecombe (team B), the first link
    ended with a reason that names her."""
    context = open_group(practitioner)
    first = link(practitioner, context, young_person, reason="Zephyrine was at the fight")
    link(practitioner, context, canary_child(team_manager, practitioner))
    link(other_team_practitioner, context, other_young_person)
    context_link_end(actor=practitioner, link=first, reason="Zephyrine Quillfeather moved away")
    link(practitioner, context, young_person, reason="Back with the group")
    context.refresh_from_db()
    return context


def assert_no_child(html: str, *people) -> None:
    for person in people:
        for secret in (
            person.first_name,
            person.last_name,
            person.local_identifier,
            f"{person.date_of_birth:%-d %B %Y}",
            f"{person.date_of_birth:%-d %b %Y}",
            person.date_of_birth.isoformat(),
        ):
            assert secret not in html, f"{secret!r} reached a context page"
    assert not re.search(r"/young-people/\d", html), "a link to a young person's record"


class TestNoChildOnContextPages:
    @pytest.mark.parametrize(
        "who", ["practitioner", "team_manager", "other_team_practitioner", "service_manager"]
    )
    def test_no_context_page_shows_a_linked_child(
        self, request, client_for, canary_context, young_person, other_young_person, who
    ):
        from cases.models import YoungPerson

        children = [
            young_person,
            other_young_person,
            YoungPerson.objects.get(local_identifier=CANARY_IDENTIFIER),
        ]
        viewer = request.getfixturevalue(who)
        client = client_for(viewer)
        paths = [
            LIST,
            f"{LIST}?q=Eastfield",
            url("detail", canary_context),
            url("chronology", canary_context),
        ]
        if who != "service_manager":
            paths += [url("edit", canary_context), NEW]
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            assert_no_child(page(response), *children)
        # The closure page (403 for those who may not close), and the check page of a context
        # with the same name.
        assert_no_child(page(client.get(url("close", canary_context))), *children)
        if who != "service_manager":
            check = client.post(NEW, with_lead(opening(), viewer))
            assert check.status_code == 400
            assert_no_child(page(check), *children)

    def test_nor_after_closing_with_the_links_ended(
        self, client_for, practitioner, canary_context, young_person, other_young_person
    ):
        from cases.models import YoungPerson

        children = [
            young_person,
            other_young_person,
            YoungPerson.objects.get(local_identifier=CANARY_IDENTIFIER),
        ]
        client = client_for(practitioner)
        response = client.post(url("close", canary_context), closing(canary_context), follow=True)
        assert response.status_code == 200
        assert_no_child(page(response), *children)
        assert (
            ContextLink.objects.filter(context=canary_context, ended_at__isnull=True).count() == 0
        )
        for name in ("detail", "chronology", "reopen"):
            assert_no_child(page(client.get(url(name, canary_context))), *children)


# --- Pinned query counts -----------------------------------------------------------------------


def count_second_request(client, path, django_assert_num_queries, expected):
    client.get(path)  # warm the process-wide caches (content types)
    with django_assert_num_queries(expected):
        response = client.get(path)
    assert response.status_code == 200
    return response


def linked_children(team_manager, context, workers, count: int) -> None:
    """``count`` young people of team A, each allocated to one of ``workers`` in turn and linked
    to ``context`` by the team manager."""
    for number in range(count):
        person = YoungPersonFactory(actor=team_manager)
        case_services.young_person_allocate_worker(
            actor=team_manager, young_person=person, worker=workers[number % len(workers)]
        )
        link(team_manager, context, person)


# The context page, whatever the number of links:
#  1 session, 2 user (authentication)
#  3 the context with its lead, team and type of location, and its link counts as two
#    subqueries (context_get_for_user with_link_counts)
#  4 the configuration (the word for a peer group)
#  5 harm types
#  6 professionals (one grouped query over allocations)
#  7-8 the work section: latest records, each carrying the count of all (a window count), and
#    the plan's actions
#  9 unread notifications (page shell)
#  10-12 SAVEPOINT, UPDATE of the session, RELEASE (see tests/cases/test_query_counts.py)
DETAIL_QUERIES = 12


@pytest.mark.parametrize("links", [1, 30])
def test_context_page_queries_do_not_grow_with_links(
    client_for, practitioner, teammate, team_manager, links, django_assert_num_queries
):
    context = open_group(practitioner, harm_types=[harm_type(GANGS)])
    workers = [practitioner, teammate] + [
        UserFactory(role=Role.PRACTITIONER, team=practitioner.team) for _ in range(min(links, 10))
    ]
    linked_children(team_manager, context, workers, links)
    response = count_second_request(
        client_for(practitioner), url("detail", context), django_assert_num_queries, DETAIL_QUERIES
    )
    assert summary_rows(page(response), "link-counts")["Young people linked now"] == str(links)


# The list, whatever the number of contexts on the page:
#  1 session, 2 user, 3 the configuration, 4 the count (paginator), 5 the page of contexts with
#  lead, team and the count of linked young people, 6 unread notifications, 7-9 the session save.
LIST_QUERIES = 9


@pytest.mark.parametrize("contexts", [1, 30])
def test_list_queries_do_not_grow_with_contexts(
    client_for, practitioner, team_manager, contexts, django_assert_num_queries
):
    for number in range(contexts):
        context = open_group(practitioner, area=f"Area {number:02d} of the borough")
        linked_children(team_manager, context, [practitioner], 1)
    response = count_second_request(
        client_for(practitioner), LIST, django_assert_num_queries, LIST_QUERIES
    )
    assert len(table_rows(page(response), "contexts-table")) == contexts


class TestOpenFromAPlace:
    def test_the_new_context_form_is_prefilled_from_the_query_string(
        self, client_for, practitioner
    ):
        from cases.models import LocationType

        bus_stop = LocationType.objects.get(name="Bus stop")
        response = client_for(practitioner).get(
            reverse("contexts:new"),
            {"kind": "location", "location_type": bus_stop.pk, "postcode": "NB1 2AA"},
        )

        assert response.status_code == 200
        form = response.context["form"]
        assert form["kind"].value() == "location"
        assert str(form["location_type"].value()) == str(bus_stop.pk)
        assert form["postcode"].value() == "NB1 2AA"
        assert not form.is_bound
