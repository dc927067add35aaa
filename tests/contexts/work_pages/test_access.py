"""Who may use each page of the work on a context: every practitioner and team manager
(any team) reads and changes; a service manager reads, and gets 403 on the pages that
change; an administrator gets 404; anonymous visitors are sent to sign in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.cases.helpers import sign_in_redirect
from tests.contexts.work_pages.support import detail, read_pages, valid_posts, write_pages
from tests.contexts.work_support import close_for_test, open_context_for_test, written

pytestmark = pytest.mark.django_db

WORKERS = ["practitioner", "teammate", "team_manager", "other_team_practitioner"]


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
