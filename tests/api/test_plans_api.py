"""/api/v1/young-people/<id>/plans/ and /relocations/: the same rules as the pages, through the
same services, with each plan's contextual factors and the open ones flagged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rest_framework.pagination import PageNumberPagination

from cases.models import Plan, PlanAction, PlanFactorGap, Relocation
from cases.services import plans as plan_services
from cases.services.relocations import relocation_record
from csafe.audit.models import Event, RecordAccess
from csafe.core.dates import long_date
from tests.api_support import api
from tests.cases.plan_support import (
    PEERS,
    SCHOOL,
    authorised_assessment,
    contextual_action,
    draft_plan,
    put_in_force,
    today,
)

pytestmark = pytest.mark.django_db

ALLOWED = ["practitioner", "team_manager"]
FORBIDDEN = ["teammate", "other_team_practitioner", "administrator"]
NOT_FOUND = {"detail": "No young person found"}


def plans_url(young_person) -> str:
    return f"/api/v1/young-people/{young_person.pk}/plans/"


def plan_url(young_person, plan, rest: str = "") -> str:
    return f"{plans_url(young_person)}{plan.pk}/{rest}"


def relocations_url(young_person) -> str:
    return f"/api/v1/young-people/{young_person.pk}/relocations/"


def written() -> dict[str, int]:
    return {
        "plans": Plan.objects.count(),
        "actions": PlanAction.objects.count(),
        "gaps": PlanFactorGap.objects.count(),
        "relocations": Relocation.objects.count(),
        "events": Event.objects.exclude(kind__startswith="assessment").count(),
        "versions": sum(Plan.objects.values_list("version", flat=True)),
    }


@pytest.fixture
def setup(practitioner, team_manager, young_person):
    """A draft plan whose assessment has two factors: peers answered, school open."""
    _, factors = authorised_assessment(practitioner, team_manager, young_person)
    plan = draft_plan(practitioner, young_person)
    action = contextual_action(practitioner, plan, factors[0])
    return {"plan": plan, "action": action, "factors": factors}


def requests(young_person, setup) -> list[tuple[str, str, dict]]:
    """Every endpoint, with a valid body, so that refusal is the permission's doing."""
    plan, action, factors = setup["plan"], setup["action"], setup["factors"]
    return [
        ("get", plans_url(young_person), {}),
        (
            "post",
            plans_url(young_person),
            {
                "kind": "early_help",
                "start_date": today().isoformat(),
                "review_date": today().isoformat(),
            },
        ),
        ("get", plan_url(young_person, plan), {}),
        ("patch", plan_url(young_person, plan), {"version": plan.version, "summary": "New"}),
        (
            "post",
            plan_url(young_person, plan, "actions/"),
            {"description": "Home visit", "owner": "Social worker"},
        ),
        (
            "post",
            plan_url(young_person, plan, f"actions/{action.pk}/progress/"),
            {"progress": "in_progress"},
        ),
        (
            "post",
            plan_url(young_person, plan, f"factors/{factors[1].pk}/not-addressed/"),
            {"reason": "School leads"},
        ),
        ("post", plan_url(young_person, plan, "finalise/"), {}),
        ("post", plan_url(young_person, plan, "assessment/"), {}),
        (
            "post",
            plan_url(young_person, plan, "review/"),
            {
                "reviewed_on": today().isoformat(),
                "next_review_date": (today() + timedelta(days=9)).isoformat(),
                "summary": "Fine",
            },
        ),
        (
            "post",
            plan_url(young_person, plan, "end/"),
            {"ended_on": today().isoformat(), "reason": "Closed"},
        ),
        ("get", relocations_url(young_person), {}),
        (
            "post",
            relocations_url(young_person),
            {
                "moved_on": today().isoformat(),
                "kind": "within_area",
                "reason": "Closer to school",
                "because_of_extra_familial_harm": False,
                "plan_addresses_factors": "no_plan",
            },
        ),
    ]


class TestAccess:
    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_others_get_404_everywhere_and_change_nothing(self, request, young_person, setup, who):
        client = api(request.getfixturevalue(who))
        before = written()

        for method, target, body in requests(young_person, setup):
            response = getattr(client, method)(target, body, format="json")
            assert (method, target, response.status_code) == (method, target, 404)
            assert response.json() == NOT_FOUND
        assert written() == before

    def test_anonymous_is_refused_everywhere(self, young_person, setup):
        before = written()

        for method, target, body in requests(young_person, setup):
            response = getattr(api(), method)(target, body, format="json")
            assert response.status_code in {401, 403}
            assert response.json() == {"detail": "Authentication credentials were not provided."}
        assert written() == before

    @pytest.mark.parametrize("who", ALLOWED)
    def test_viewing_is_logged_as_an_api_access(self, request, young_person, setup, who):
        user = request.getfixturevalue(who)

        response = api(user).get(plan_url(young_person, setup["plan"]))

        assert response.status_code == 200
        entry = RecordAccess.objects.filter(user=user).latest("pk")
        assert (entry.channel, entry.resource) == ("api", plan_url(young_person, setup["plan"]))

    def test_a_plan_of_another_young_person_is_404(
        self, other_team_practitioner, other_young_person, setup
    ):
        response = api(other_team_practitioner).get(plan_url(other_young_person, setup["plan"]))

        assert response.status_code == 404
        assert response.json() == {"detail": "No plan found"}


class TestPlans:
    @pytest.mark.parametrize("who", ALLOWED)
    def test_the_plan_with_its_factors_open_ones_flagged(
        self, request, practitioner, young_person, setup, who
    ):
        plan, action, (peers, school) = setup["plan"], setup["action"], setup["factors"]

        response = api(request.getfixturevalue(who)).get(plan_url(young_person, plan))

        body = response.json()
        assert response.status_code == 200
        assert {k: body[k] for k in ("id", "kind", "status", "version", "open_factor_count")} == {
            "id": plan.pk,
            "kind": "cin",
            "status": "draft",
            "version": 2,
            "open_factor_count": 1,
        }
        assert body["factors"] == [
            {
                "id": peers.pk,
                "domain": "peer_group",
                "description": PEERS[1],
                "state": "answered",
                "open": False,
                "answered_by": [action.pk],
                "not_addressed": None,
            },
            {
                "id": school.pk,
                "domain": "school",
                "description": SCHOOL[1],
                "state": "open",
                "open": True,
                "answered_by": [],
                "not_addressed": None,
            },
        ]
        assert [a["id"] for a in body["actions"]] == [action.pk]
        assert body["actions"][0]["overdue"] is False
        assert body["created_by"] == "Pat Tester"
        assert body["finalised_by"] is None

    def test_list_and_create(self, practitioner, young_person, setup):
        client = api(practitioner)

        created = client.post(
            plans_url(young_person),
            {
                "kind": "early_help",
                "start_date": today().isoformat(),
                "review_date": (today() + timedelta(days=30)).isoformat(),
                "summary": "Family support alongside",
            },
            format="json",
        )

        assert created.status_code == 201
        body = created.json()
        assert (body["kind"], body["status"], body["summary"], body["open_factor_count"]) == (
            "early_help",
            "draft",
            "Family support alongside",
            2,
        )
        listed = client.get(plans_url(young_person)).json()
        assert (listed["count"], listed["next"], listed["previous"]) == (2, None, None)
        assert sorted(row["id"] for row in listed["results"]) == sorted(
            [setup["plan"].pk, body["id"]]
        )

    @pytest.mark.parametrize(
        ("body", "errors"),
        [
            (
                {
                    "kind": "cp",
                    "start_date": "2025-03-04",
                    "review_date": "2025-03-03",
                },
                {
                    "review_date": [
                        "The next review date must be the same as or after the start date "
                        "(4 March 2025)"
                    ]
                },
            ),
            (
                {"kind": "cin", "start_date": "2025-03-04", "review_date": "2025-03-04"},
                {
                    "kind": [
                        "This young person already has a child in need plan in draft, awaiting "
                        "sign-off or in force. Change that plan, or end it before starting another."
                    ]
                },
            ),
            (
                {},
                {
                    "kind": ["Choose the kind of plan"],
                    "start_date": ["Enter the start date"],
                    "review_date": ["Enter the next review date"],
                },
            ),
        ],
    )
    def test_bad_plans_are_refused(self, practitioner, young_person, setup, body, errors):
        before = written()

        response = api(practitioner).post(plans_url(young_person), body, format="json")

        assert response.status_code == 400
        assert response.json() == errors
        assert written() == before

    def test_patch_checks_the_version(self, practitioner, team_manager, young_person, setup):
        plan = setup["plan"]
        client = api(practitioner)

        saved = client.patch(
            plan_url(young_person, plan), {"version": 2, "summary": "First"}, format="json"
        )
        assert saved.status_code == 200
        assert (saved.json()["summary"], saved.json()["version"]) == ("First", 3)

        before = written()
        stale = api(team_manager).patch(
            plan_url(young_person, plan), {"version": 2, "summary": "Second"}, format="json"
        )
        assert stale.status_code == 409
        assert stale.json() == {
            "non_field_errors": [
                "Someone else changed this plan after you opened it. Your changes have not been "
                "saved: check the plan as it is now and make them again."
            ],
            "current_version": 3,
        }
        assert written() == before
        no_version = client.patch(plan_url(young_person, plan), {"summary": "x"}, format="json")
        assert no_version.json() == {"version": ["Send the version of the plan you are changing"]}
        assert Plan.objects.get().summary == "First"


class TestActionsAndFactors:
    def test_an_action_answering_the_open_factor(self, practitioner, young_person, setup):
        plan, school = setup["plan"], setup["factors"][1]
        client = api(practitioner)

        response = client.post(
            plan_url(young_person, plan, "actions/"),
            {
                "description": "Safer schools officer at the gates",
                "owner": "PC Lark",
                "due_date": (today() - timedelta(days=1)).isoformat(),
                "is_contextual": True,
                "target_context_kind": "school",
                "partner_agency": "police",
                "factor": school.pk,
            },
            format="json",
        )

        assert response.status_code == 201
        body = response.json()
        assert (body["factor"], body["is_contextual"], body["overdue"]) == (school.pk, True, True)
        after = client.get(plan_url(young_person, plan)).json()
        assert after["open_factor_count"] == 0
        assert after["factors"][1]["answered_by"] == [body["id"]]

    def test_a_factor_of_another_young_person_is_refused_as_unknown(
        self,
        practitioner,
        team_manager,
        other_team_practitioner,
        other_team_manager,
        other_young_person,
        young_person,
        setup,
    ):
        _, theirs = authorised_assessment(
            other_team_practitioner, other_team_manager, other_young_person
        )
        before = written()

        responses = [
            api(practitioner).post(
                plan_url(young_person, setup["plan"], "actions/"),
                {
                    "description": "Meet the school",
                    "owner": "Social worker",
                    "is_contextual": True,
                    "target_context_kind": "school",
                    "partner_agency": "education",
                    "factor": factor_pk,
                },
                format="json",
            )
            for factor_pk in (theirs[1].pk, 999999)
        ]

        # The same answer as for an id that does not exist: nothing is learnt by trying ids.
        for response in responses:
            assert (response.status_code, response.json()) == (
                400,
                {
                    "factor": [
                        "Choose one of the contextual factors of the assessment this plan answers"
                    ]
                },
            )
        assert written() == before

    @pytest.mark.parametrize(
        ("body", "errors"),
        [
            (
                {"is_contextual": True, "partner_agency": "police"},
                {"target_context_kind": ["Choose the context the action targets"]},
            ),
            (
                {"factor": "<school>"},
                {"factor": ["Only a contextual action can answer a contextual factor"]},
            ),
            (
                {"factor": 999999},
                {
                    "factor": [
                        "Choose one of the contextual factors of the assessment this plan answers"
                    ]
                },
            ),
            (
                {"description": "", "owner": ""},
                {
                    "description": ["Describe the action"],
                    "owner": ["Enter who is responsible for the action"],
                },
            ),
            (
                {"owner": "x" * 201},
                {"owner": ["Who is responsible must be 200 characters or fewer"]},
            ),
        ],
    )
    def test_bad_actions_are_refused(self, practitioner, young_person, setup, body, errors):
        plan = setup["plan"]
        base = {"description": "Meet the school", "owner": "Social worker"}
        body = {k: setup["factors"][1].pk if v == "<school>" else v for k, v in body.items()}
        before = written()

        response = api(practitioner).post(
            plan_url(young_person, plan, "actions/"), base | body, format="json"
        )

        assert response.status_code == 400
        assert response.json() == errors
        assert written() == before

    def test_progress(self, practitioner, young_person, setup):
        plan, action = setup["plan"], setup["action"]
        target = plan_url(young_person, plan, f"actions/{action.pk}/progress/")
        client = api(practitioner)

        refused = client.post(target, {"progress": "done"}, format="json")
        assert refused.status_code == 400
        assert refused.json() == {"completed_on": ["Enter the date the action was done"]}

        done = client.post(
            target,
            {"progress": "done", "completed_on": today().isoformat(), "note": "Held"},
            format="json",
        )
        assert done.status_code == 200
        assert (done.json()["progress"], done.json()["completed_on"]) == (
            "done",
            today().isoformat(),
        )

    def test_an_action_of_another_plan_is_404(self, practitioner, young_person, setup):
        other = draft_plan(practitioner, young_person, kind="cp")

        response = api(practitioner).post(
            plan_url(young_person, other, f"actions/{setup['action'].pk}/progress/"),
            {"progress": "in_progress"},
            format="json",
        )

        assert response.status_code == 404
        assert response.json() == {"detail": "No action found"}

    def test_not_addressed_then_finalise(self, practitioner, team_manager, young_person, setup):
        plan, school = setup["plan"], setup["factors"][1]
        client = api(team_manager)

        refused = client.post(plan_url(young_person, plan, "submit/"), format="json")
        assert refused.status_code == 400
        assert refused.json() == {
            "non_field_errors": [
                "The plan cannot be submitted for sign-off while 1 contextual factor is open "
                "(School or "
                f"education setting: {SCHOOL[1]}). Answer each one with an action, or mark it "
                "as not addressed and say why."
            ]
        }
        assert Plan.objects.get().status == "draft"

        blank = client.post(
            plan_url(young_person, plan, f"factors/{school.pk}/not-addressed/"),
            {"reason": ""},
            format="json",
        )
        assert blank.json() == {"reason": ["Explain why the plan does not address this factor"]}

        marked = client.post(
            plan_url(young_person, plan, f"factors/{school.pk}/not-addressed/"),
            {"reason": "The school's safety plan covers it"},
            format="json",
        )
        assert marked.status_code == 200
        assert marked.json()["factors"][1] | {"not_addressed": None} == {
            "id": school.pk,
            "domain": "school",
            "description": SCHOOL[1],
            "state": "not_addressed",
            "open": False,
            "answered_by": [],
            "not_addressed": None,
        }
        assert marked.json()["factors"][1]["not_addressed"]["reason"] == (
            "The school's safety plan covers it"
        )
        assert marked.json()["factors"][1]["not_addressed"]["recorded_by"] == "Mona Tester"

        submitted = client.post(plan_url(young_person, plan, "submit/"), format="json")
        assert submitted.status_code == 200
        assert submitted.json()["status"] == "submitted"
        finalised = client.post(
            plan_url(young_person, plan, "sign-off/"),
            {"version": submitted.json()["version"], "reason": "The plan answers the risks"},
            format="json",
        )
        assert finalised.status_code == 200
        assert (finalised.json()["status"], finalised.json()["finalised_by"]) == (
            "active",
            "Mona Tester",
        )

    def test_review_and_end(self, practitioner, young_person, setup):
        plan, school = setup["plan"], setup["factors"][1]
        plan_services.plan_factor_not_addressed(
            actor=practitioner, plan=plan, factor=school, reason="School leads"
        )
        put_in_force(practitioner, plan)
        client = api(practitioner)

        early = client.post(
            plan_url(young_person, plan, "review/"),
            {
                "reviewed_on": (plan.start_date - timedelta(days=1)).isoformat(),
                "next_review_date": today().isoformat(),
                "summary": "Before it began",
            },
            format="json",
        )
        assert early.status_code == 400
        assert early.json() == {
            "reviewed_on": [
                "The date of the review must be the same as or after the plan's start date "
                f"({long_date(plan.start_date)})"
            ]
        }

        reviewed = client.post(
            plan_url(young_person, plan, "review/"),
            {
                "reviewed_on": today().isoformat(),
                "next_review_date": (today() + timedelta(days=60)).isoformat(),
                "summary": "On track",
            },
            format="json",
        )
        assert reviewed.status_code == 200
        assert reviewed.json()["review_date"] == (today() + timedelta(days=60)).isoformat()
        assert [r["summary"] for r in reviewed.json()["reviews"]] == ["On track"]

        missing = client.post(plan_url(young_person, plan, "end/"), {}, format="json")
        assert missing.json() == {
            "ended_on": ["Enter the date the plan ended"],
            "reason": ["Explain why the plan is ending"],
        }
        ended = client.post(
            plan_url(young_person, plan, "end/"),
            {"ended_on": today().isoformat(), "reason": "Moved away"},
            format="json",
        )
        assert ended.status_code == 200
        assert (ended.json()["status"], ended.json()["end_reason"]) == ("ended", "Moved away")


class TestRelocations:
    def test_record_and_list(self, practitioner, team_manager, young_person, setup):
        plan = setup["plan"]
        client = api(team_manager)

        created = client.post(
            relocations_url(young_person),
            {
                "moved_on": today().isoformat(),
                "kind": "out_of_area",
                "destination": "Northbury council",
                "reason": "Away from the estate",
                "because_of_extra_familial_harm": True,
                "plan": plan.pk,
                "plan_addresses_factors": "partly",
            },
            format="json",
        )

        assert created.status_code == 201
        body = created.json()
        assert body == {
            "id": body["id"],
            "moved_on": today().isoformat(),
            "kind": "out_of_area",
            "destination": "Northbury council",
            "reason": "Away from the estate",
            "because_of_extra_familial_harm": True,
            "plan": plan.pk,
            "plan_addresses_factors": "partly",
            "recorded_by": "Mona Tester",
            "created_at": body["created_at"],
        }
        listed = client.get(relocations_url(young_person)).json()
        assert (listed["count"], [row["id"] for row in listed["results"]]) == (1, [body["id"]])

    @pytest.mark.parametrize(
        ("body", "errors"),
        [
            (
                {"plan": None, "plan_addresses_factors": "yes"},
                {"plan_addresses_factors": ['Choose the plan, or answer "No plan in force"']},
            ),
            ({"plan": 999999}, {"plan": ["Choose one of this young person's plans"]}),
            ({"plan": "<their plan>"}, {"plan": ["Choose one of this young person's plans"]}),
            (
                {"destination": "x" * 201},
                {
                    "destination": [
                        "Where the young person moved to must be 200 characters or fewer"
                    ]
                },
            ),
            (
                {"because_of_extra_familial_harm": None},
                {
                    "because_of_extra_familial_harm": [
                        "Say whether the move is because of extra-familial harm"
                    ]
                },
            ),
        ],
    )
    def test_bad_moves_are_refused(
        self,
        practitioner,
        young_person,
        other_team_practitioner,
        other_young_person,
        body,
        errors,
    ):
        theirs = draft_plan(other_team_practitioner, other_young_person)
        body = {k: theirs.pk if v == "<their plan>" else v for k, v in body.items()}
        payload = {
            "moved_on": today().isoformat(),
            "kind": "within_area",
            "reason": "Closer to school",
            "because_of_extra_familial_harm": False,
            "plan_addresses_factors": "yes",
        } | body

        response = api(practitioner).post(relocations_url(young_person), payload, format="json")

        assert response.status_code == 400
        assert response.json() == errors
        assert not Relocation.objects.exists()


class TestAnswerLatestAssessment:
    def test_the_plan_takes_on_an_assessment_authorised_since(
        self, practitioner, team_manager, young_person, setup
    ):
        plan, school = setup["plan"], setup["factors"][1]
        plan_services.plan_factor_not_addressed(
            actor=practitioner, plan=plan, factor=school, reason="School leads"
        )
        newer, (online,) = authorised_assessment(
            practitioner, team_manager, young_person, [("online", "A gaming platform")]
        )
        client = api(practitioner)
        before = written()

        refused = client.post(plan_url(young_person, plan, "submit/"), format="json")
        assert (refused.status_code, refused.json()) == (
            400,
            {
                "non_field_errors": [
                    "The plan cannot be submitted for sign-off until it answers the latest "
                    "assessment, "
                    f'authorised on {long_date(newer.authorised_on)}. Choose "Answer the latest '
                    "assessment\" on the plan, then answer each of that assessment's contextual "
                    "factors."
                ]
            },
        )
        assert written() == before

        response = client.post(plan_url(young_person, plan, "assessment/"), format="json")

        assert response.status_code == 200
        body = response.json()
        # Versions: drafted, an action, a "not addressed" record, then the new assessment.
        assert (body["assessment"], body["version"], body["open_factor_count"]) == (newer.pk, 4, 1)
        assert [(row["id"], row["state"]) for row in body["factors"]] == [(online.pk, "open")]
        assert Event.objects.filter(kind="plan.updated").get().detail == {
            "fields": ["assessment"],
            "assessment": newer.pk,
            "previous": plan.assessment_id,
        }

    def test_refused_when_it_already_answers_the_latest(self, practitioner, young_person, setup):
        before = written()

        response = api(practitioner).post(
            plan_url(young_person, setup["plan"], "assessment/"), format="json"
        )

        assert (response.status_code, response.json()) == (
            400,
            {"non_field_errors": ["This plan already answers the latest authorised assessment"]},
        )
        assert written() == before


class TestPaginatedLists:
    @pytest.fixture
    def page_of_two(self, monkeypatch):
        monkeypatch.setattr(PageNumberPagination, "page_size", 2)

    def test_plans_come_in_pages(self, page_of_two, practitioner, young_person, setup):
        for kind in ("cp", "early_help"):
            draft_plan(practitioner, young_person, kind=kind)
        client = api(practitioner)

        first = client.get(plans_url(young_person)).json()
        second = client.get(first["next"]).json()

        assert (first["count"], len(first["results"]), first["previous"]) == (3, 2, None)
        assert (len(second["results"]), second["next"]) == (1, None)
        assert second["results"][0]["factors"]  # the details come with every page
        ids = [row["id"] for row in first["results"] + second["results"]]
        assert ids == list(Plan.objects.values_list("pk", flat=True))

    def test_relocations_come_in_pages(self, page_of_two, practitioner, young_person):
        for days in range(3):
            relocation_record(
                actor=practitioner,
                young_person=young_person,
                moved_on=today() - timedelta(days=days),
                kind="within_area",
                reason="Closer to school",
                because_of_extra_familial_harm=False,
                plan_addresses_factors="no_plan",
            )
        client = api(practitioner)

        first = client.get(relocations_url(young_person)).json()
        second = client.get(first["next"]).json()

        assert (first["count"], len(first["results"]), len(second["results"])) == (3, 2, 1)
        ids = [row["id"] for row in first["results"] + second["results"]]
        assert ids == list(Relocation.objects.values_list("pk", flat=True))


def count_second_request(client, target, django_assert_num_queries, expected):
    client.get(target)  # warm the process-wide caches (content types)
    with django_assert_num_queries(expected):
        response = client.get(target)
    assert response.status_code == 200
    return response.json()


class TestListQueryCounts:
    """Each list costs the same with one row as with many."""

    # 1 the young person with team, if the user may view it (guardian subqueries inside);
    # 2 INSERT of the access log row; 3 count of plans for the paginator; 4 the page of plans
    # with assessment, finaliser and drafter joined; 5 their actions with the factor each
    # answers; 6 their reviews with reviewer; 7 the current contextual factors of their
    # assessments; 8 their current "not addressed" records with recorder.
    PLANS = 8
    # 1-2 as above; 3 count of relocations; 4 the page of relocations with plan and recorder.
    RELOCATIONS = 4

    def test_one_plan(self, practitioner, young_person, setup, django_assert_num_queries):
        body = count_second_request(
            api(practitioner), plans_url(young_person), django_assert_num_queries, self.PLANS
        )
        assert body["count"] == 1

    def test_many_plans(
        self, practitioner, team_manager, young_person, setup, django_assert_num_queries
    ):
        for kind in ("cp", "looked_after", "early_help"):
            plan = draft_plan(practitioner, young_person, kind=kind)
            for factor in setup["factors"]:
                contextual_action(practitioner, plan, factor)
            put_in_force(practitioner, plan)
            plan_services.plan_review(
                actor=team_manager,
                plan=plan,
                reviewed_on=today(),
                next_review_date=today() + timedelta(days=30),
                summary="On track",
            )
        plan_services.plan_factor_not_addressed(
            actor=practitioner, plan=setup["plan"], factor=setup["factors"][1], reason="Later"
        )

        body = count_second_request(
            api(team_manager), plans_url(young_person), django_assert_num_queries, self.PLANS
        )
        assert body["count"] == 4
        assert sum(len(row["reviews"]) for row in body["results"]) == 3

    def test_one_relocation(self, practitioner, young_person, django_assert_num_queries):
        relocation_record(
            actor=practitioner,
            young_person=young_person,
            moved_on=today(),
            kind="within_area",
            reason="Closer to school",
            because_of_extra_familial_harm=False,
            plan_addresses_factors="no_plan",
        )

        body = count_second_request(
            api(practitioner),
            relocations_url(young_person),
            django_assert_num_queries,
            self.RELOCATIONS,
        )
        assert body["count"] == 1

    def test_many_relocations(
        self, practitioner, team_manager, young_person, setup, django_assert_num_queries
    ):
        for days in range(8):
            relocation_record(
                actor=team_manager if days % 2 else practitioner,
                young_person=young_person,
                moved_on=today() - timedelta(days=days),
                kind="out_of_area",
                reason="Away from the estate",
                because_of_extra_familial_harm=True,
                plan=setup["plan"],
                plan_addresses_factors="partly",
            )

        body = count_second_request(
            api(team_manager),
            relocations_url(young_person),
            django_assert_num_queries,
            self.RELOCATIONS,
        )
        assert body["count"] == 8


def test_the_schema_lists_the_plan_and_relocation_endpoints(client_for, practitioner):
    schema = client_for(practitioner).get("/api/schema/").content.decode()

    for path in (
        "/api/v1/young-people/{young_person_pk}/plans/:",
        "/api/v1/young-people/{young_person_pk}/plans/{id}/:",
        "/api/v1/young-people/{young_person_pk}/plans/{id}/actions/:",
        "/api/v1/young-people/{young_person_pk}/plans/{id}/actions/{action_pk}/progress/:",
        "/api/v1/young-people/{young_person_pk}/plans/{id}/factors/{factor_pk}/not-addressed/:",
        "/api/v1/young-people/{young_person_pk}/plans/{id}/finalise/:",
        "/api/v1/young-people/{young_person_pk}/plans/{id}/submit/:",
        "/api/v1/young-people/{young_person_pk}/plans/{id}/sign-off/:",
        "/api/v1/young-people/{young_person_pk}/plans/{id}/return/:",
        "/api/v1/young-people/{young_person_pk}/plans/{id}/review/:",
        "/api/v1/young-people/{young_person_pk}/plans/{id}/end/:",
        "/api/v1/young-people/{young_person_pk}/plans/{id}/assessment/:",
        "/api/v1/young-people/{young_person_pk}/relocations/:",
    ):
        assert path in schema
    assert "'409':" in schema.split("/plans/{id}/:", 1)[1].split("/plans/{id}/actions/:")[0]
