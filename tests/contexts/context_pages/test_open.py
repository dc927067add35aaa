"""Opening a context: the details, then a check page with the name and any duplicates;
and opening one from a place where harm happened."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from contexts.models import Context
from tests.cases.helpers import sign_in_redirect
from tests.contexts.context_pages.support import NEW, WORKERS, opening, url, with_lead
from tests.contexts.context_support import (
    GANGS,
    close,
    days_ago,
    group_name,
    long_date,
    open_group,
    park,
    snapshot,
    today,
)
from tests.dates import built
from tests.html_forms import date_fields
from tests.html_pages import (
    banners,
    error_summary,
    field_errors,
    page_of,
    section,
    summary_rows,
    table_rows,
    text_of,
)

pytestmark = pytest.mark.django_db


class TestOpenPage:
    @pytest.mark.parametrize("who", WORKERS)
    def test_workers_get_the_form_with_themselves_as_lead(self, request, client_for, who):
        actor = request.getfixturevalue(who)
        response = client_for(actor).get(NEW)
        assert response.status_code == 200
        assert re.search(rf'<option value="{actor.pk}" selected>', page_of(response))

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
        html = page_of(response)
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
        assert banners(response) == [f"{group_name()} opened"]
        assert context.name == group_name()
        assert context.lead_practitioner == teammate
        assert context.created_by == practitioner
        assert list(context.harm_types.values_list("name", flat=True)) == [GANGS]

    def test_change_the_details_goes_back_to_the_form_as_typed(self, client_for, practitioner):
        response = client_for(practitioner).post(
            NEW, with_lead(opening(step="edit", area="Westfield"), practitioner)
        )
        assert response.status_code == 200
        assert 'value="Westfield"' in page_of(response)
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
                lambda: date_fields("opened_on", today() + timedelta(days=1)),
                "id_opened_on",
                "The date opened must be today or in the past",
            ),
        ],
    )
    @pytest.mark.parametrize("step", ["check", "save"])
    def test_details_that_cannot_name_a_context_are_refused(
        self, client_for, practitioner, changes, field, message, step
    ):
        changes = built(changes)
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
        html = page_of(response)
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
            html = page_of(response)
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
        html = page_of(check)
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
        assert table_rows(unconfirmed, "near-duplicates")[0][0] == existing.name
        assert snapshot() == before
        confirmed = client.post(NEW, data | {"step": "save", "confirm_not_duplicate": "on"})
        assert confirmed.status_code == 302
        assert Context.objects.filter(name=group_name("Eastfeld Estate")).exists()


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
