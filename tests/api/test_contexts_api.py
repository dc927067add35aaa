"""/api/v1/contexts/ and /api/v1/context-configuration/naming/: the same rules and messages as
the pages. Readers (practitioners, team managers, service managers) 200; administrators 404 on
contexts and 200 on the naming configuration (which is 404 for everyone else); the anonymous
401. Writes by a reader who may not make them are 403 with the reason; a stale version is 409.
No answer carries a linked young person: counts and professionals only."""

from __future__ import annotations

import json
import re

import pytest

from contexts.linking.services import context_link_end
from contexts.models import Context, ContextLink, NamingConvention
from contexts.reference import ContextStatus
from csafe.audit.models import Event
from tests.api_support import api
from tests.contexts.context_support import (
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
    park,
    snapshot,
    today,
    update,
)
from tests.dates import built

pytestmark = pytest.mark.django_db

LIST = "/api/v1/contexts/"
NAMING = "/api/v1/context-configuration/naming/"
READERS = ["practitioner", "team_manager", "teammate", "other_team_practitioner", "service_manager"]
WORKERS = ["practitioner", "team_manager", "teammate", "other_team_practitioner"]
NOT_FOUND = {"detail": "No context found"}
NOT_SIGNED_IN = {"detail": "Authentication credentials were not provided."}
CANNOT_WORK = {
    "detail": "Only practitioners and team managers in a team can open or change context records"
}


def detail(context) -> str:
    return f"{LIST}{context.pk}/"


def opening(**overrides) -> dict:
    return {
        "kind": "peer_group",
        "area": "Eastfield",
        "opened_on": days_ago(20).isoformat(),
        "incident": "Fight at the skate park after school",
        "harm_types": [harm_type(GANGS).pk],
    } | overrides


def closing(**overrides) -> dict:
    return {
        "on": today().isoformat(),
        "functioning_change": "Fewer members",
        "guardianship_change": "Wardens most evenings",
        "environment_change": "The park is lit",
        "reason": "Safety has increased",
        "links_rule": "keep",
    } | overrides


class TestList:
    @pytest.mark.parametrize("who", READERS)
    def test_readers_list_contexts_with_counts(
        self, request, practitioner, young_person, other_team_practitioner, other_young_person, who
    ):
        context = open_group(practitioner, harm_types=[harm_type(GANGS)])
        link(practitioner, context, young_person)
        link(other_team_practitioner, context, other_young_person)
        response = api(request.getfixturevalue(who)).get(LIST)
        assert response.status_code == 200
        assert response.data["count"] == 1
        row = response.data["results"][0]
        assert row["name"] == context.name
        assert row["kind"] == "peer_group"
        assert row["kind_label"] == "Group"
        assert row["status"] == "open"
        assert row["linked_young_people"] == 2
        assert row["lead_practitioner"] == {"id": practitioner.pk, "name": str(practitioner)}
        assert row["team"]["name"] == "Team A"
        assert row["harm_types"] == [{"id": harm_type(GANGS).pk, "name": GANGS}]
        assert "professionals" not in row

    def test_filters(self, practitioner):
        group = open_group(practitioner)
        closed = open_group(practitioner, area="Northgate")
        close(practitioner, closed)
        client = api(practitioner)

        def names(**query):
            return [row["name"] for row in client.get(LIST, query).data["results"]]

        assert names() == [group.name, closed.name]
        assert names(status="closed") == [closed.name]
        assert names(kind="school") == []
        assert names(search="northgate") == [closed.name]

    def test_administrators_get_404(self, administrator, practitioner):
        open_group(practitioner)
        response = api(administrator).get(LIST)
        assert response.status_code == 404
        assert response.data == NOT_FOUND

    def test_the_anonymous_get_401(self):
        response = api().get(LIST)
        assert response.status_code == 401
        assert response.data == NOT_SIGNED_IN


class TestListQueries:
    """The list costs the same with one context as with many, and counts links for the page
    only. force_authenticate: no session or user queries. 1 COUNT of the contexts for the
    paginator, which reads no link (the count of linked young people is a subquery, left out of
    it); 2 the page of contexts with lead, team and type of location, each counting its active
    links in a correlated subquery; 3 their harm types; 4 the configuration (the word for a
    peer group)."""

    EXPECTED = 4

    @pytest.mark.parametrize("contexts", [1, 12])
    def test_the_same_for_one_context_or_many(
        self, practitioner, young_person, django_assert_num_queries, contexts
    ):
        opened = [
            open_group(practitioner, area=f"Area {n:02d}", harm_types=[harm_type(GANGS)])
            for n in range(contexts)
        ]
        link(practitioner, opened[0], young_person)
        client = api(practitioner)
        client.get(LIST)  # warm the process-wide caches

        with django_assert_num_queries(self.EXPECTED) as captured:
            response = client.get(LIST)

        assert response.data["count"] == contexts
        counts = {row["id"]: row["linked_young_people"] for row in response.data["results"]}
        assert counts == {c.pk: 1 if c == opened[0] else 0 for c in opened}
        paginator_count = captured.captured_queries[0]["sql"]
        assert paginator_count.startswith("SELECT COUNT(*)")
        assert "contextlink" not in paginator_count.lower()

    def test_an_ended_link_is_not_counted(self, practitioner, young_person, teammate):
        context = open_group(practitioner)
        first = link(practitioner, context, young_person)
        context_link_end(actor=practitioner, link=first, reason="Moved out of the area")
        row = api(teammate).get(LIST).data["results"][0]
        assert row["linked_young_people"] == 0


class TestCreate:
    @pytest.mark.parametrize("who", WORKERS)
    def test_workers_open_contexts_named_by_the_convention(self, request, who):
        actor = request.getfixturevalue(who)
        response = api(actor).post(LIST, opening(), format="json")
        assert response.status_code == 201
        context = Context.objects.get()
        assert response.data["id"] == context.pk
        assert response.data["name"] == group_name()
        assert response.data["lead_practitioner"]["id"] == actor.pk
        assert response.data["linked_young_people"] == 0
        assert response.data["professionals"] == []
        assert response.data["version"] == 1

    def test_service_managers_get_403(self, service_manager):
        response = api(service_manager).post(LIST, opening(), format="json")
        assert response.status_code == 403
        assert response.data == CANNOT_WORK
        assert Context.objects.count() == 0

    def test_administrators_get_404_and_the_anonymous_401(self, administrator):
        assert api(administrator).post(LIST, opening(), format="json").status_code == 404
        assert api().post(LIST, opening(), format="json").status_code == 401
        assert Context.objects.count() == 0

    @pytest.mark.parametrize(
        ("changes", "errors"),
        [
            ({"kind": "gang"}, {"kind": ["Choose the kind of context"]}),
            ({"area": ""}, {"area": ["The naming convention needs an area"]}),
            (
                {"kind": "location", "location_type": None, "postcode": "NB1 2A"},
                {"postcode": ["Enter a real postcode, like NB1 2AA"]},
            ),
            (
                {"opened_on": lambda: (today().replace(year=today().year + 1)).isoformat()},
                {"opened_on": ["The date opened must be today or in the past"]},
            ),
        ],
    )
    def test_bad_input_is_a_400_with_field_errors(self, practitioner, changes, errors):
        response = api(practitioner).post(LIST, opening(**built(changes)), format="json")
        assert response.status_code == 400
        assert response.data == errors
        assert Context.objects.count() == 0

    def test_a_location_needs_its_postcode(self, practitioner):
        response = api(practitioner).post(
            LIST,
            {"kind": "location", "location_type": park().pk, "opened_on": today().isoformat()},
            format="json",
        )
        assert response.status_code == 400
        assert response.data == {"postcode": ["The naming convention needs a postcode"]}

    def test_an_open_context_with_the_name_is_refused_with_it(self, practitioner, teammate):
        existing = open_group(practitioner)
        before = snapshot()
        response = api(teammate).post(LIST, opening(), format="json")
        assert response.status_code == 400
        assert response.data["name"] == [f"{existing.name} is already open"]
        assert response.data["existing_context"]["id"] == existing.pk
        assert response.data["existing_context"]["url"] == detail(existing)
        assert snapshot() == before

    def test_a_closed_context_with_the_name_is_offered_for_reopening(self, practitioner):
        existing = open_group(practitioner)
        close(practitioner, existing)
        response = api(practitioner).post(LIST, opening(), format="json")
        assert response.status_code == 400
        assert response.data["name"] == [
            f"{existing.name} was closed on {long_date(today())}. Reopen it rather than opening "
            "a new context with the same name: reopening keeps its chronology."
        ]
        assert response.data["existing_context"]["status"] == "closed"
        assert (
            response.data["existing_context"]["chronology_url"] == f"{detail(existing)}chronology/"
        )
        assert Context.objects.count() == 1

    def test_near_duplicates_need_confirming(self, practitioner):
        existing = open_group(practitioner, area="Eastfield Estate")
        client = api(practitioner)
        refused = client.post(LIST, opening(area="Eastfeld Estate"), format="json")
        assert refused.status_code == 400
        assert refused.data["confirm_not_duplicate"] == [
            "There may already be a context for this. Check the contexts below, or confirm that "
            "this is a different one."
        ]
        assert refused.data["name"] == group_name("Eastfeld Estate")
        assert [c["id"] for c in refused.data["possible_duplicates"]] == [existing.pk]
        assert Context.objects.count() == 1
        confirmed = client.post(
            LIST, opening(area="Eastfeld Estate", confirm_not_duplicate=True), format="json"
        )
        assert confirmed.status_code == 201


class TestRetrieveAndUpdate:
    @pytest.mark.parametrize("who", READERS)
    def test_readers_get_the_context_with_professionals(
        self, request, practitioner, young_person, other_team_practitioner, other_young_person, who
    ):
        context = open_group(practitioner)
        link(practitioner, context, young_person)
        link(other_team_practitioner, context, other_young_person)
        response = api(request.getfixturevalue(who)).get(detail(context))
        assert response.status_code == 200
        assert response.data["linked_young_people"] == 2
        assert response.data["linked_young_people_ever"] == 2
        assert sorted(p["name"] for p in response.data["professionals"]) == sorted(
            [str(practitioner), str(other_team_practitioner)]
        )
        assert {p["linked_young_people"] for p in response.data["professionals"]} == {1}

    def test_administrators_404_and_anonymous_401(self, administrator, practitioner):
        context = open_group(practitioner)
        for path in (detail(context), f"{detail(context)}chronology/"):
            assert api(administrator).get(path).data == NOT_FOUND
            assert api().get(path).status_code == 401
        assert api(administrator).patch(detail(context), {"version": 1}).status_code == 404
        assert api(administrator).post(f"{detail(context)}close/", closing()).status_code == 404

    def test_a_worker_changes_details_and_the_name_follows(self, practitioner, teammate):
        context = open_group(practitioner, harm_types=[harm_type(GANGS)])
        response = api(teammate).patch(
            detail(context), {"version": 1, "area": "Northgate"}, format="json"
        )
        assert response.status_code == 200
        assert response.data["name"] == group_name("Northgate")
        assert response.data["version"] == 2
        assert response.data["harm_types"] == [{"id": harm_type(GANGS).pk, "name": GANGS}]
        assert response.data["incident"] == "Fight at the skate park after school"

    def test_the_version_is_required_and_a_stale_one_is_409(self, practitioner, teammate):
        context = open_group(practitioner)
        missing = api(practitioner).patch(detail(context), {"area": "X"}, format="json")
        assert missing.status_code == 400
        assert missing.data == {"version": ["Send the version of the context you last read"]}
        update(teammate, context, description="Theirs")
        stale = api(practitioner).patch(
            detail(context), {"version": 1, "description": "Mine"}, format="json"
        )
        assert stale.status_code == 409
        assert stale.data == {"non_field_errors": [CONFLICT], "current_version": 2}
        context.refresh_from_db()
        assert context.description == "Theirs"

    def test_service_managers_cannot_change(self, practitioner, service_manager):
        context = open_group(practitioner)
        response = api(service_manager).patch(
            detail(context), {"version": 1, "area": "X"}, format="json"
        )
        assert response.status_code == 403
        assert response.data == CANNOT_WORK

    def test_text_naming_a_linked_child_is_a_400(self, practitioner, young_person):
        context = open_group(practitioner)
        link(practitioner, context, young_person)
        context.refresh_from_db()
        response = api(practitioner).patch(
            detail(context),
            {"version": context.version, "description": "Zephyrine Quillfeather was there"},
            format="json",
        )
        assert response.status_code == 400
        assert list(response.data) == ["description"]
        assert response.data["description"][0].startswith("Take out the person\u2019s name")


class TestCloseAndReopen:
    def test_the_lead_closes_with_the_record_and_reopens(self, practitioner, young_person):
        context = open_group(practitioner)
        row = link(practitioner, context, young_person)
        client = api(practitioner)
        closed = client.post(f"{detail(context)}close/", closing(links_rule="end"), format="json")
        assert closed.status_code == 200
        assert closed.data["status"] == "closed"
        assert closed.data["linked_young_people"] == 0
        row.refresh_from_db()
        assert row.ended_by == practitioner
        reopened = client.post(
            f"{detail(context)}reopen/", {"reason": "Meeting again"}, format="json"
        )
        assert reopened.status_code == 400
        assert reopened.data == {"on": ["Enter the date the context reopened"]}
        reopened = client.post(
            f"{detail(context)}reopen/",
            {"reason": "Meeting again", "on": today().isoformat()},
            format="json",
        )
        assert reopened.status_code == 200
        assert reopened.data["status"] == "open"

    @pytest.mark.parametrize(
        ("missing", "message"),
        [
            ("functioning_change", "Describe how group functioning changed"),
            ("guardianship_change", "Describe how guardianship capacity changed"),
            ("environment_change", "Describe how environmental and family factors changed"),
            ("reason", "Enter why the context is closing"),
            (
                "links_rule",
                "Choose whether to end the links of the young people linked to this context "
                "or keep them",
            ),
        ],
    )
    def test_closing_without_the_record_is_a_400_and_nothing_saved(
        self, practitioner, young_person, missing, message
    ):
        context = open_group(practitioner)
        link(practitioner, context, young_person)
        before = snapshot()
        body = closing()
        del body[missing]
        response = api(practitioner).post(f"{detail(context)}close/", body, format="json")
        assert response.status_code == 400
        assert response.data == {missing: [message]}
        assert snapshot() == before

    @pytest.mark.parametrize("who", ["teammate", "other_team_manager", "service_manager"])
    def test_others_get_403_with_the_reason(self, request, practitioner, who):
        context = open_group(practitioner)
        response = api(request.getfixturevalue(who)).post(
            f"{detail(context)}close/", closing(), format="json"
        )
        assert response.status_code == 403
        # The service's ForbiddenError, answered by the one API handler in DRF's 403 shape.
        assert response.data == {
            "detail": f"Only the lead practitioner ({practitioner}) or a manager of Team A can "
            "close this context"
        }
        context.refresh_from_db()
        assert context.status == ContextStatus.OPEN

    def test_a_stale_version_is_409(self, practitioner, teammate):
        context = open_group(practitioner)
        update(teammate, context, description="Theirs")
        response = api(practitioner).post(
            f"{detail(context)}close/", closing(version=1), format="json"
        )
        assert response.status_code == 409
        assert response.data["current_version"] == 2


class TestChronology:
    def test_readers_get_the_chronology(self, practitioner, service_manager, young_person):
        context = open_group(practitioner)
        link(practitioner, context, young_person)
        response = api(service_manager).get(f"{detail(context)}chronology/")
        assert response.status_code == 200
        assert [e["title"] for e in response.data] == [
            "Young people linked: 1 more",
            "Context opened",
        ]


class TestNoChildInTheApi:
    def test_no_answer_carries_a_linked_child(
        self,
        practitioner,
        team_manager,
        young_person,
        other_team_practitioner,
        other_young_person,
    ):
        context = open_group(practitioner)
        first = link(practitioner, context, young_person, reason="Zephyrine was at the fight")
        canary = canary_child(team_manager, practitioner)
        link(practitioner, context, canary)
        link(other_team_practitioner, context, other_young_person)
        context_link_end(actor=practitioner, link=first, reason="Zephyrine Quillfeather moved")
        link(practitioner, context, young_person)
        context.refresh_from_db()
        client = api(practitioner)  # who may see two of the three children elsewhere
        answers = [
            client.get(LIST),
            client.get(detail(context)),
            client.get(f"{detail(context)}chronology/"),
            client.patch(
                detail(context), {"version": context.version, "description": "Later"}, format="json"
            ),
            client.post(LIST, opening(), format="json"),  # refused: names the context only
            client.post(f"{detail(context)}close/", closing(links_rule="end"), format="json"),
            client.get(f"{detail(context)}chronology/"),
            client.post(
                f"{detail(context)}reopen/",
                {"reason": "Again", "on": today().isoformat()},
                format="json",
            ),
        ]
        assert [a.status_code for a in answers] == [200, 200, 200, 200, 400, 200, 200, 200]
        assert ContextLink.objects.filter(context=context, ended_at__isnull=True).count() == 0
        for answer in answers:
            text = json.dumps(answer.data, default=str)
            for person in (young_person, canary, other_young_person):
                for secret in (
                    person.first_name,
                    person.last_name,
                    person.local_identifier,
                    person.date_of_birth.isoformat(),
                ):
                    assert secret not in text
            assert not re.search(r"young-people/\d", text)
            assert "young_person" not in text.replace("linked_young_people", "")
        assert canary.local_identifier == CANARY_IDENTIFIER


# --- Naming configuration ----------------------------------------------------------------------


class TestNamingConfiguration:
    def test_administrators_read_it(self, administrator):
        response = api(administrator).get(NAMING)
        assert response.status_code == 200
        assert response.data["peer_group_term"] == "group"
        assert response.data["peer_group_word"] == "Group"
        location = next(c for c in response.data["conventions"] if c["kind"] == "location")
        assert location == {
            "kind": "location",
            "kind_label": "Neighbourhood or location",
            "template": "{location_type} – {postcode}",
            "sample_name": "Park or open space – NB1 2AA",
        }

    @pytest.mark.parametrize("who", READERS)
    def test_nobody_else_has_it(self, request, who):
        client = api(request.getfixturevalue(who))
        assert client.get(NAMING).status_code == 404
        assert client.put(NAMING, {"peer_group_term": "network"}, format="json").status_code == 404

    def test_the_anonymous_get_401(self):
        assert api().get(NAMING).status_code == 401

    def test_administrators_change_the_word_and_conventions(self, administrator):
        response = api(administrator).put(
            NAMING,
            {"peer_group_term": "network", "conventions": {"school": "{label} ({district})"}},
            format="json",
        )
        assert response.status_code == 200
        assert response.data["peer_group_word"] == "Network"
        school = next(c for c in response.data["conventions"] if c["kind"] == "school")
        assert school["sample_name"] == "Northgate Academy (NB1)"
        group = next(c for c in response.data["conventions"] if c["kind"] == "peer_group")
        assert group["kind_label"] == "Network"
        assert group["sample_name"] == "Network – Eastfield – 2025-03"

    def test_all_or_nothing(self, administrator):
        events = Event.objects.count()
        response = api(administrator).put(
            NAMING,
            {
                "peer_group_term": "network",
                "conventions": {"school": "{label} school", "online": "{platform}"},
            },
            format="json",
        )
        assert response.status_code == 400
        assert response.data["conventions"]["online"][0].startswith(
            "{platform} is not a field a name can use"
        )
        assert NamingConvention.objects.get(kind="school").template == "{label}"
        assert api(administrator).get(NAMING).data["peer_group_term"] == "group"
        assert Event.objects.count() == events

    def test_bad_input(self, administrator):
        response = api(administrator).put(
            NAMING, {"peer_group_term": "gang", "conventions": {"street": "{area}"}}, format="json"
        )
        assert response.status_code == 400
        assert response.data["peer_group_term"] == ["Choose the word to show for a peer group"]
        assert response.data["conventions"] == [
            "Not a kind of context: street. Use peer_group, school, location, online, other"
        ]
