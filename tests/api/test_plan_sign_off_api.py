"""/api/v1/young-people/<id>/plans/<id>/submit/, sign-off/ and return/: the pages' rules through
the same services. A team manager of the holding team signs off or returns (others who may see
the record: 403 with the message); those who may not see the record: 404; anonymous: refused."""

from __future__ import annotations

import pytest

from cases.models import Plan
from cases.services import plans as plan_services
from csafe.audit.models import Event
from csafe.notifications.models import Notification, NotificationKind
from tests.api_support import api
from tests.cases.plan_support import (
    SIGN_OFF_REASON,
    answer_all,
    authorised_assessment,
    draft_plan,
    today,
)

pytestmark = pytest.mark.django_db

SIGN_OFF_REFUSED = "Only a team manager of the team holding this case can sign off its plans"
RETURN_REFUSED = "Only a team manager of the team holding this case can return its plans"


def plan_url(young_person, plan, rest: str) -> str:
    return f"/api/v1/young-people/{young_person.pk}/plans/{plan.pk}/{rest}"


def written() -> tuple:
    return (
        list(Plan.objects.values_list("status", "version")),
        Event.objects.filter(kind__startswith="plan").count(),
    )


@pytest.fixture
def ready(practitioner, team_manager, young_person):
    _, factors = authorised_assessment(practitioner, team_manager, young_person)
    plan = draft_plan(practitioner, young_person)
    answer_all(practitioner, plan, factors)
    return plan


@pytest.fixture
def submitted(practitioner, ready):
    return plan_services.plan_submit(actor=practitioner, plan=ready)


class TestSubmit:
    def test_the_practitioner_submits(
        self, practitioner, young_person, ready, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = api(practitioner).post(
                plan_url(young_person, ready, "submit/"), format="json"
            )

        assert response.status_code == 200
        body = response.json()
        assert (body["status"], body["submitted_on"], body["submitted_by"]) == (
            "submitted",
            today().isoformat(),
            "Pat Tester",
        )
        assert (
            Notification.objects.filter(kind=NotificationKind.PLAN_AWAITING_SIGN_OFF).count() == 1
        )

    def test_finalising_a_plan_that_needs_sign_off_is_refused(
        self, practitioner, young_person, ready
    ):
        before = written()
        response = api(practitioner).post(plan_url(young_person, ready, "finalise/"), format="json")

        assert (response.status_code, response.json()) == (
            400,
            {
                "non_field_errors": [
                    "A child in need plan goes into force when a team manager of the team "
                    "holding the case signs it off: submit it for sign-off"
                ]
            },
        )
        assert written() == before

    def test_a_child_protection_plan_needs_its_conference_date(self, practitioner, young_person):
        plan = draft_plan(practitioner, young_person, kind="cp")
        client = api(practitioner)

        missing = client.post(plan_url(young_person, plan, "finalise/"), {}, format="json")
        bad = client.post(
            plan_url(young_person, plan, "finalise/"), {"conference_date": "soon"}, format="json"
        )
        done = client.post(
            plan_url(young_person, plan, "finalise/"),
            {"conference_date": plan.start_date.isoformat()},
            format="json",
        )

        assert (missing.status_code, missing.json()) == (
            400,
            {"conference_date": ["Enter the date of the child protection conference"]},
        )
        assert bad.status_code == 400 and list(bad.json()) == ["conference_date"]
        assert (done.status_code, done.json()["conference_date"]) == (
            200,
            plan.start_date.isoformat(),
        )


class TestSignOffAndReturn:
    def test_the_manager_signs_off(self, team_manager, young_person, submitted):
        response = api(team_manager).post(
            plan_url(young_person, submitted, "sign-off/"),
            {"version": submitted.version, "reason": SIGN_OFF_REASON},
            format="json",
        )

        assert response.status_code == 200
        body = response.json()
        assert (body["status"], body["signed_off_by"], body["sign_off_reason"]) == (
            "active",
            "Mona Tester",
            SIGN_OFF_REASON,
        )
        assert (body["finalised_on"], body["finalised_by"]) == (today().isoformat(), "Mona Tester")

    def test_the_manager_returns(self, team_manager, young_person, submitted):
        response = api(team_manager).post(
            plan_url(young_person, submitted, "return/"),
            {"version": submitted.version, "reason": "Name the school's lead"},
            format="json",
        )

        assert response.status_code == 200
        body = response.json()
        assert (body["status"], body["returned_by"], body["return_reason"]) == (
            "draft",
            "Mona Tester",
            "Name the school's lead",
        )

    @pytest.mark.parametrize("rest", ["sign-off/", "return/"])
    def test_every_field_error_at_once(self, team_manager, young_person, submitted, rest):
        response = api(team_manager).post(
            plan_url(young_person, submitted, rest), {}, format="json"
        )

        assert response.status_code == 400
        assert response.json() == {
            "version": ["Send the version of the plan you are signing off or returning"],
            "reason": [
                plan_services.ENTER_SIGN_OFF_REASON
                if rest == "sign-off/"
                else plan_services.ENTER_RETURN_REASON
            ],
        }

    def test_a_plan_changed_since_it_was_read_is_409(self, team_manager, young_person, submitted):
        response = api(team_manager).post(
            plan_url(young_person, submitted, "sign-off/"),
            {"version": submitted.version - 1, "reason": SIGN_OFF_REASON},
            format="json",
        )

        assert response.status_code == 409
        assert response.json()["current_version"] == submitted.version
        assert Plan.objects.get().status == "submitted"

    @pytest.mark.parametrize("who", ["practitioner", "service_manager"])
    @pytest.mark.parametrize(
        ("rest", "message"), [("sign-off/", SIGN_OFF_REFUSED), ("return/", RETURN_REFUSED)]
    )
    def test_others_who_see_the_record_get_403(
        self, request, young_person, submitted, who, rest, message
    ):
        user = request.getfixturevalue(who)
        before = written()

        response = api(user).post(
            plan_url(young_person, submitted, rest),
            {"version": submitted.version, "reason": "Fine by me"},
            format="json",
        )

        if who == "service_manager":  # sees no record at all
            assert response.status_code == 404
        else:
            assert (response.status_code, response.json()) == (403, {"detail": message})
        assert written() == before

    @pytest.mark.parametrize("who", ["teammate", "other_team_manager", "administrator"])
    @pytest.mark.parametrize("rest", ["submit/", "sign-off/", "return/"])
    def test_those_who_cannot_see_the_record_get_404(
        self, request, young_person, submitted, who, rest
    ):
        before = written()

        response = api(request.getfixturevalue(who)).post(
            plan_url(young_person, submitted, rest),
            {"version": submitted.version, "reason": "Fine"},
            format="json",
        )

        assert response.status_code == 404
        assert written() == before

    @pytest.mark.parametrize("rest", ["submit/", "sign-off/", "return/"])
    def test_anonymous_is_refused(self, young_person, submitted, rest):
        before = written()

        response = api().post(
            plan_url(young_person, submitted, rest),
            {"version": submitted.version, "reason": "Fine"},
            format="json",
        )

        assert response.status_code in {401, 403}
        assert response.json() == {"detail": "Authentication credentials were not provided."}
        assert written() == before
