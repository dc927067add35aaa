"""/api/v1/contexts/<id>/records/, /actions/, /actions/<id>/progress/ and /plan-review/: the work
on a context through the same services as the pages, so the same rules and messages. Every
practitioner and team manager reads and writes; a service manager reads and gets 403 on writes;
an administrator gets 404; anonymous requests get 401. No response carries a linked child."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from cases.reference import ActionProgress, PartnerAgency
from contexts.guard import NAME_MESSAGE as THEMATIC_MESSAGE
from contexts.models import ContextPlanAction, ContextRecord
from contexts.reference import ContextRecordKind
from csafe.core.vocabulary import ContextKind
from tests.api_support import api
from tests.contexts.work_support import (
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
from tests.dates import built

pytestmark = pytest.mark.django_db

WORKERS = ["practitioner", "teammate", "team_manager", "other_team_practitioner"]
NOT_FOUND = {"detail": "No context found"}
CLOSED_MESSAGE = (
    "This context is closed. Reopen it to record assessments, meeting notes or changes to its plan."
)
PEER_GROUP_HEADINGS = {
    "functioning": "Group functioning",
    "guardianship": "Guardianship capacity",
    "environment": "Environmental and family factors",
}


def base(context) -> str:
    return f"/api/v1/contexts/{context.pk}/"


@pytest.fixture
def context(team_manager):
    return open_context_for_test(lead=team_manager)


@pytest.fixture
def work(context, practitioner):
    return {
        "record": add_record(practitioner, context),
        "action": add_action(practitioner, context),
    }


def reads(context) -> list[str]:
    return [f"{base(context)}records/", f"{base(context)}actions/"]


def writes(context, work) -> list[tuple[str, dict]]:
    """Every write, with a valid body, so a refusal is the permission's doing."""
    return [
        (
            f"{base(context)}records/",
            {
                "kind": ContextRecordKind.MEETING,
                "held_on": today().isoformat(),
                "guardianship": "Shop staff now call the youth team.",
            },
        ),
        (
            f"{base(context)}actions/",
            {
                "side": ENVIRONMENT,
                "description": "Light the underpass",
                "partner_agency": PartnerAgency.COMMUNITY_SAFETY,
                "owner": "Community safety officer",
                "due_date": (today() + timedelta(days=10)).isoformat(),
            },
        ),
        (
            f"{base(context)}actions/{work['action'].pk}/progress/",
            {"progress": ActionProgress.IN_PROGRESS},
        ),
        (
            f"{base(context)}plan-review/",
            {"review_date": (today() + timedelta(days=30)).isoformat()},
        ),
    ]


class TestAccess:
    @pytest.mark.parametrize("who", [*WORKERS, "service_manager"])
    def test_readers_read(self, request, context, work, who):
        client = api(request.getfixturevalue(who))
        for path in reads(context):
            response = client.get(path)
            assert response.status_code == 200, path
            assert len(response.json()) == 1

    @pytest.mark.parametrize("who", WORKERS)
    def test_workers_of_any_team_write(self, request, context, work, who):
        client = api(request.getfixturevalue(who))
        for path, body in writes(context, work):
            response = client.post(path, body, format="json")
            assert response.status_code in {200, 201}, (path, response.json())

    def test_a_service_manager_may_not_write(self, service_manager, context, work):
        before = written()
        for path, body in writes(context, work):
            response = api(service_manager).post(path, body, format="json")
            assert response.status_code == 403, path
            assert response.json() == {"detail": "You cannot change context records"}
        assert written() == before

    def test_an_administrator_gets_404_everywhere(self, administrator, context, work):
        before = written()
        client = api(administrator)
        for path in reads(context):
            assert client.get(path).json() == NOT_FOUND
        for path, body in writes(context, work):
            response = client.post(path, body, format="json")
            assert (response.status_code, response.json()) == (404, NOT_FOUND)
        assert written() == before

    def test_anonymous_requests_are_refused(self, context, work):
        before = written()
        for path in reads(context):
            assert api().get(path).status_code == 401
        for path, body in writes(context, work):
            response = api().post(path, body, format="json")
            assert response.status_code == 401
            assert response.json() == {"detail": "Authentication credentials were not provided."}
        assert written() == before

    def test_no_such_context_or_an_action_of_another(self, practitioner, context, work):
        other = open_context_for_test(lead=practitioner, area="Southmead")
        client = api(practitioner)
        assert client.get("/api/v1/contexts/999999/records/").json() == NOT_FOUND
        response = client.post(
            f"{base(other)}actions/{work['action'].pk}/progress/",
            {"progress": ActionProgress.DONE, "completed_on": today().isoformat()},
            format="json",
        )
        assert (response.status_code, response.json()) == (404, {"detail": "No action found"})


class TestRecords:
    def test_lists_records_with_the_headings_for_the_kind(self, service_manager, context, work):
        record = work["record"]
        [body] = api(service_manager).get(f"{base(context)}records/").json()
        assert body == {
            "id": record.pk,
            "kind": "assessment",
            "held_on": record.held_on.isoformat(),
            "functioning": record.functioning,
            "guardianship": record.guardianship,
            "environment": record.environment,
            "weighting": GUARDIANSHIP,
            "weighting_heading": "Guardianship capacity",
            "weighting_reason": record.weighting_reason,
            "headings": PEER_GROUP_HEADINGS,
            "recorded_by": "Pat Tester",
            "created_at": body["created_at"],
            "withdrawn": False,
            "withdrawn_by": None,
            "withdrawn_at": None,
            "withdrawal_reason": "",
            "corrected_at": None,
            "correction_reason": "",
        }

    def test_records_an_assessment(self, other_team_practitioner, team_manager):
        school = open_context_for_test(lead=team_manager, kind=ContextKind.SCHOOL)
        response = api(other_team_practitioner).post(
            f"{base(school)}records/",
            {
                "kind": "assessment",
                "held_on": today().isoformat(),
                "functioning": "Year 9 students gather at the gates after school.",
                "weighting": FUNCTIONING,
                "weighting_reason": "Peer norms drive the rest.",
            },
            format="json",
        )
        assert response.status_code == 201
        body = response.json()
        record = ContextRecord.objects.get()
        assert body["id"] == record.pk
        assert body["weighting_heading"] == "Strengths and needs of students collectively"
        assert (record.recorded_by, record.functioning) == (
            other_team_practitioner,
            "Year 9 students gather at the gates after school.",
        )

    @pytest.mark.parametrize(
        ("payload", "errors"),
        [
            (
                {},
                {
                    "kind": ["Choose whether this is a context assessment or a meeting note"],
                    "held_on": ["Enter the date of the assessment or meeting"],
                },
            ),
            (
                {"kind": "assessment", "held_on": "2026-01-10"},
                {"functioning": ["Write under at least one of the three headings"]},
            ),
            (
                {
                    "kind": "meeting",
                    "held_on": "2026-01-10",
                    "environment": "No lighting",
                    "weighting": "environment",
                },
                {
                    "weighting_reason": [
                        "Explain why environmental and family factors must change first"
                    ]
                },
            ),
            (
                {
                    "kind": "meeting",
                    "held_on": lambda: (today() + timedelta(days=3)).isoformat(),
                    "environment": "No lighting",
                },
                {"held_on": ["The date of the assessment or meeting must be today or in the past"]},
            ),
        ],
    )
    def test_400_with_field_errors_and_nothing_saved(self, practitioner, context, payload, errors):
        before = written()
        response = api(practitioner).post(f"{base(context)}records/", built(payload), format="json")
        assert (response.status_code, response.json()) == (400, errors)
        assert written() == before

    def test_text_naming_a_linked_young_person_is_refused(
        self, practitioner, context, young_person
    ):
        link(practitioner, context, young_person)
        before = written()
        response = api(practitioner).post(
            f"{base(context)}records/",
            {
                "kind": "meeting",
                "held_on": today().isoformat(),
                "weighting_reason": "",
                "guardianship": "Mentoring for zephyrine quillfeather",
            },
            format="json",
        )
        assert (response.status_code, response.json()) == (
            400,
            {"guardianship": [THEMATIC_MESSAGE]},
        )
        assert written() == before

    def test_a_closed_context_is_refused(self, practitioner, context, work):
        close_for_test(context)
        before = written()
        for path, body in writes(context, work):
            response = api(practitioner).post(path, body, format="json")
            assert (response.status_code, response.json()) == (
                400,
                {"non_field_errors": [CLOSED_MESSAGE]},
            )
        assert written() == before


class TestPlan:
    def test_lists_actions_soonest_first_with_overdue_flagged(self, practitioner, context):
        late = add_action(practitioner, context, due_date=today() - timedelta(days=2))
        later = add_action(practitioner, context, side=FUNCTIONING, due_date=today())
        body = api(practitioner).get(f"{base(context)}actions/").json()
        assert [(row["id"], row["overdue"], row["side_heading"]) for row in body] == [
            (late.pk, True, "Guardianship capacity"),
            (later.pk, False, "Group functioning"),
        ]
        assert body[0] == {
            "id": late.pk,
            "side": GUARDIANSHIP,
            "side_heading": "Guardianship capacity",
            "description": late.description,
            "partner_agency": "youth_service",
            "owner": "Detached youth work lead",
            "due_date": late.due_date.isoformat(),
            "progress": "not_started",
            "progress_note": "",
            "completed_on": None,
            "overdue": True,
            "created_at": body[0]["created_at"],
            "withdrawn": False,
            "withdrawn_by": None,
            "withdrawn_at": None,
            "withdrawal_reason": "",
            "corrected_at": None,
            "correction_reason": "",
        }

    def test_adds_an_action(self, team_manager, context, work):
        path, payload = writes(context, work)[1]
        response = api(team_manager).post(path, payload, format="json")
        assert response.status_code == 201
        action = ContextPlanAction.objects.get(pk=response.json()["id"])
        assert (action.side, action.created_by) == (ENVIRONMENT, team_manager)
        assert response.json()["side_heading"] == "Environmental and family factors"

    def test_an_empty_action_names_each_field(self, practitioner, context):
        before = written()
        response = api(practitioner).post(f"{base(context)}actions/", {}, format="json")
        assert (response.status_code, response.json()) == (
            400,
            {
                "side": ["Choose what the action works on"],
                "description": ["Describe the action"],
                "partner_agency": ["Choose the partner agency"],
                "owner": ["Enter who is responsible for the action"],
                "due_date": ["Enter the due date"],
            },
        )
        assert written() == before

    def test_progress_done_needs_its_date_then_is_recorded(self, practitioner, context, work):
        path = f"{base(context)}actions/{work['action'].pk}/progress/"
        before = written()
        refused = api(practitioner).post(path, {"progress": "done"}, format="json")
        assert (refused.status_code, refused.json()) == (
            400,
            {"completed_on": ["Enter the date the action was done"]},
        )
        assert written() == before

        done = api(practitioner).post(
            path, {"progress": "done", "completed_on": today().isoformat()}, format="json"
        )
        assert done.status_code == 200
        assert (done.json()["progress"], done.json()["completed_on"]) == (
            "done",
            today().isoformat(),
        )

    def test_sets_the_plan_review_date(self, practitioner, context):
        review = today() + timedelta(days=21)
        response = api(practitioner).post(
            f"{base(context)}plan-review/", {"review_date": review.isoformat()}, format="json"
        )
        assert response.status_code == 200
        assert response.json() == {
            "id": context.pk,
            "plan_review_date": review.isoformat(),
            "review_overdue": False,
            "version": context.version + 1,
        }

    @pytest.mark.parametrize(
        ("payload", "message"),
        [
            ({}, "Enter the plan review date"),
            (
                {"review_date": lambda: (today() - timedelta(days=3)).isoformat()},
                "The plan review date must be today or in the future",
            ),
        ],
    )
    def test_a_review_date_is_needed_and_not_in_the_past(
        self, practitioner, context, payload, message
    ):
        before = written()
        response = api(practitioner).post(
            f"{base(context)}plan-review/", built(payload), format="json"
        )
        assert (response.status_code, response.json()) == (400, {"review_date": [message]})
        assert written() == before


def test_no_response_carries_a_linked_child(
    practitioner, other_team_practitioner, context, work, young_person, other_young_person
):
    link(practitioner, context, young_person)
    link(other_team_practitioner, context, other_young_person)
    client = api(practitioner)
    outputs = [json.dumps(client.get(path).json()) for path in reads(context)]
    for path, body in writes(context, work):
        outputs.append(json.dumps(client.post(path, body, format="json").json()))
    assert len(outputs) == 6
    for text in outputs:
        for name in ("Zephyrine", "Quillfeather", "Bartholomew", "Nettlecombe"):
            assert name not in text
        for person in (young_person, other_young_person):
            assert person.local_identifier not in text
            assert f"/young-people/{person.pk}/" not in text


@pytest.mark.parametrize("rows", [1, 15])
def test_the_lists_cost_the_same_whatever_their_length(
    practitioner, context, django_assert_num_queries, rows
):
    for days in range(rows):
        add_record(practitioner, context, held_on=today() - timedelta(days=days))
        add_action(practitioner, context, due_date=today() + timedelta(days=days))
    client = api(practitioner)
    client.get(f"{base(context)}records/")
    # The context with its lead, team and location type (1), the records with who recorded each
    # (1); force_authenticate needs no session or token query.
    with django_assert_num_queries(2):
        assert len(client.get(f"{base(context)}records/").json()) == rows
    # The context (1), the actions (1).
    with django_assert_num_queries(2):
        assert len(client.get(f"{base(context)}actions/").json()) == rows


def test_the_endpoints_are_in_the_schema(practitioner):
    schema = api(practitioner).get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert set(paths["/api/v1/contexts/{id}/records/"]) >= {"get", "post"}
    assert set(paths["/api/v1/contexts/{id}/actions/"]) >= {"get", "post"}
    assert "post" in paths["/api/v1/contexts/{id}/actions/{action_pk}/progress/"]
    assert "post" in paths["/api/v1/contexts/{id}/plan-review/"]
