"""/api/v1/young-people/<id>/context-links/: a young person's links to contexts, from the young
person's side only, with the pages' rules and messages. There is no endpoint listing a context's
young people."""

from __future__ import annotations

import pytest

from contexts.linking import services as link_services
from contexts.models import ContextLink
from csafe.audit.models import AccessChannel, RecordAccess
from tests.api_support import api
from tests.contexts.links_support import close, end, link, open_context, written

pytestmark = pytest.mark.django_db

ALLOWED = ["practitioner", "team_manager"]
FORBIDDEN = [
    "teammate",
    "other_team_practitioner",
    "other_team_manager",
    "service_manager",
    "administrator",
]
NOT_FOUND = {"detail": "No young person found"}
UNAUTHENTICATED = {"detail": "Authentication credentials were not provided."}


def links_url(young_person) -> str:
    return f"/api/v1/young-people/{young_person.pk}/context-links/"


def end_url(young_person, a_link) -> str:
    return f"/api/v1/young-people/{young_person.pk}/context-links/{a_link.pk}/end/"


@pytest.fixture
def group(practitioner):
    return open_context(practitioner)


@pytest.fixture
def school(practitioner):
    return open_context(practitioner, kind="school")


class TestList:
    @pytest.mark.parametrize("who", ALLOWED)
    def test_viewers_list_current_and_ended_links_newest_first(
        self, request, practitioner, team_manager, young_person, group, school, who
    ):
        older = link(practitioner, group, young_person, reason="First concern")
        end(team_manager, older, reason="Concern resolved")
        newer = link(practitioner, school, young_person, reason="Exclusions this term")

        response = api(request.getfixturevalue(who)).get(links_url(young_person))

        assert response.status_code == 200
        body = response.json()
        assert (body["count"], body["next"], body["previous"]) == (2, None, None)
        first, second = body["results"]
        assert first == {
            "id": newer.pk,
            "context": school.pk,
            "context_name": school.name,
            "context_kind": "school",
            "context_kind_label": "School or education setting",
            "context_status": "open",
            "reason": "Exclusions this term",
            "linked_by": "Pat Tester",
            "linked_at": first["linked_at"],
            "is_active": True,
            "ended_at": None,
            "ended_by": None,
            "end_reason": "",
        }
        assert (second["id"], second["is_active"], second["ended_by"], second["end_reason"]) == (
            older.pk,
            False,
            "Mona Tester",
            "Concern resolved",
        )
        assert RecordAccess.objects.filter(
            young_person=young_person, channel=AccessChannel.API
        ).exists()

    def test_only_this_young_persons_links(
        self, practitioner, young_person, group, other_team_practitioner, other_young_person
    ):
        link(other_team_practitioner, group, other_young_person)
        body = api(practitioner).get(links_url(young_person)).json()
        assert body["count"] == 0

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_others_get_not_found(self, request, practitioner, young_person, group, who):
        link(practitioner, group, young_person)
        response = api(request.getfixturevalue(who)).get(links_url(young_person))
        assert (response.status_code, response.json()) == (404, NOT_FOUND)

    def test_anonymous_is_refused(self, young_person):
        response = api().get(links_url(young_person))
        assert (response.status_code, response.json()) == (401, UNAUTHENTICATED)


class TestCreate:
    @pytest.mark.parametrize("who", ALLOWED)
    def test_those_who_can_change_the_record_link_it(self, request, young_person, group, who):
        actor = request.getfixturevalue(who)

        response = api(actor).post(
            links_url(young_person), {"context": group.pk, "reason": "Seen with the group"}
        )

        assert response.status_code == 201
        made = ContextLink.objects.get()
        assert (made.context, made.young_person, made.linked_by) == (group, young_person, actor)
        assert response.json()["id"] == made.pk
        assert response.json()["is_active"] is True

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_others_get_not_found_and_nothing_is_saved(self, request, young_person, group, who):
        before = written()
        response = api(request.getfixturevalue(who)).post(
            links_url(young_person), {"context": group.pk, "reason": "x"}
        )
        assert (response.status_code, response.json()) == (404, NOT_FOUND)
        assert written() == before

    def test_a_record_that_does_not_exist_answers_as_one_the_user_cannot_see(
        self, practitioner, young_person, other_young_person, group
    ):
        missing = api(practitioner).post(
            "/api/v1/young-people/999999/context-links/", {"context": group.pk, "reason": "x"}
        )
        unseen = api(practitioner).post(
            links_url(other_young_person), {"context": group.pk, "reason": "x"}
        )
        assert (missing.status_code, missing.json()) == (unseen.status_code, unseen.json())
        assert (unseen.status_code, unseen.json()) == (404, NOT_FOUND)

    def test_anonymous_is_refused(self, young_person, group):
        response = api().post(links_url(young_person), {"context": group.pk, "reason": "x"})
        assert response.status_code == 401
        assert not ContextLink.objects.exists()

    @pytest.mark.parametrize(
        ("payload", "errors"),
        [
            ({"reason": "Why"}, {"context": ["Choose an open context to link to"]}),
            (
                {"context": "a group", "reason": "Why"},
                {"context": ["Choose an open context to link to"]},
            ),
            (
                {"context": 999999, "reason": "Why"},
                {"context": ["Choose an open context to link to"]},
            ),
            (
                {"context": "GROUP", "reason": ""},
                {"reason": ["Enter why the young person is linked to this context"]},
            ),
            (
                {"context": "GROUP", "reason": "   "},
                {"reason": ["Enter why the young person is linked to this context"]},
            ),
        ],
    )
    def test_bad_input_is_refused_with_the_pages_messages(
        self, practitioner, young_person, group, payload, errors
    ):
        if payload.get("context") == "GROUP":
            payload = payload | {"context": group.pk}
        before = written()
        response = api(practitioner).post(links_url(young_person), payload, format="json")
        assert (response.status_code, response.json()) == (400, errors)
        assert written() == before

    def test_a_second_active_link_is_refused(self, practitioner, young_person, group):
        link(practitioner, group, young_person)
        before = written()
        response = api(practitioner).post(
            links_url(young_person), {"context": group.pk, "reason": "Again"}
        )
        assert (response.status_code, response.json()) == (
            400,
            {"context": ["This young person is already linked to this context"]},
        )
        assert written() == before

    def test_a_closed_context_is_refused(self, practitioner, young_person, group):
        close(practitioner, group)
        response = api(practitioner).post(
            links_url(young_person), {"context": group.pk, "reason": "Why"}
        )
        assert (response.status_code, response.json()) == (
            400,
            {"context": [link_services.CONTEXT_CLOSED]},
        )
        assert not ContextLink.objects.exists()


class TestEnd:
    @pytest.mark.parametrize("who", ALLOWED)
    def test_those_who_can_change_the_record_end_the_link(
        self, request, practitioner, young_person, group, who
    ):
        made = link(practitioner, group, young_person)
        actor = request.getfixturevalue(who)

        response = api(actor).post(end_url(young_person, made), {"reason": "Moved away"})

        assert response.status_code == 200
        assert (response.json()["is_active"], response.json()["end_reason"]) == (
            False,
            "Moved away",
        )
        made.refresh_from_db()
        assert (made.is_active, made.ended_by) == (False, actor)

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_others_get_not_found(self, request, practitioner, young_person, group, who):
        made = link(practitioner, group, young_person)
        before = written()
        response = api(request.getfixturevalue(who)).post(
            end_url(young_person, made), {"reason": "x"}
        )
        assert (response.status_code, response.json()) == (404, NOT_FOUND)
        assert written() == before

    def test_anonymous_is_refused(self, practitioner, young_person, group):
        made = link(practitioner, group, young_person)
        assert api().post(end_url(young_person, made), {"reason": "x"}).status_code == 401
        made.refresh_from_db()
        assert made.is_active

    def test_a_reason_is_needed(self, practitioner, young_person, group):
        made = link(practitioner, group, young_person)
        before = written()
        response = api(practitioner).post(end_url(young_person, made), {"reason": ""})
        assert (response.status_code, response.json()) == (
            400,
            {"reason": ["Enter why the link is ending"]},
        )
        assert written() == before

    def test_an_ended_link_cannot_end_again(self, practitioner, young_person, group):
        made = link(practitioner, group, young_person)
        end(practitioner, made)
        response = api(practitioner).post(end_url(young_person, made), {"reason": "Again"})
        assert (response.status_code, response.json()) == (
            400,
            {"non_field_errors": ["This link has already ended"]},
        )

    def test_a_link_of_another_record_is_not_found_through_this_one(
        self,
        practitioner,
        young_person,
        group,
        other_team_practitioner,
        other_young_person,
    ):
        theirs = link(other_team_practitioner, group, other_young_person)
        before = written()
        response = api(practitioner).post(end_url(young_person, theirs), {"reason": "Not mine"})
        assert (response.status_code, response.json()) == (404, {"detail": "No link found"})
        assert written() == before


class TestSchema:
    def test_the_endpoints_are_in_the_schema_and_none_lists_a_contexts_young_people(
        self, practitioner
    ):
        response = api(practitioner).get("/api/schema/", {"format": "json"})
        assert response.status_code == 200
        paths = response.json()["paths"]
        assert set(paths["/api/v1/young-people/{young_person_pk}/context-links/"]) >= {
            "get",
            "post",
        }
        assert "post" in paths["/api/v1/young-people/{young_person_pk}/context-links/{id}/end/"]
        for path in paths:
            if path.startswith("/api/v1/contexts/"):
                assert "young" not in path and "link" not in path, path
