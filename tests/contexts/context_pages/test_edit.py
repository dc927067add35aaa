"""Changing a context's details, with the version check."""

from __future__ import annotations

import pytest

from contexts.guard import NAME_MESSAGE as THEMATIC_MESSAGE
from tests.contexts.context_pages.support import WORKERS, editing, url
from tests.contexts.context_support import (
    CONFLICT,
    GANGS,
    close,
    group_name,
    harm_type,
    link,
    open_group,
    update,
)
from tests.html_pages import banners, error_summary, field_errors, page_of, section

pytestmark = pytest.mark.django_db


class TestEdit:
    @pytest.mark.parametrize("who", WORKERS)
    def test_workers_change_the_details_and_the_name_follows(
        self, request, client_for, practitioner, who
    ):
        context = open_group(practitioner, harm_types=[harm_type(GANGS)])
        client = client_for(request.getfixturevalue(who))
        form = client.get(url("edit", context))
        assert form.status_code == 200
        assert 'value="Eastfield"' in page_of(form)
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
        html = page_of(response)
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
        assert banners(response) == ["This context is closed. Reopen it to change its details."]
