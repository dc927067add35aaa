"""The sign-off pages: a practitioner submits a child in need plan, a team manager of the
holding team signs it off or returns it, and the plan page says where it stands; the child
protection conference date on finalising; the administrator's page of which plans need
sign-off."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from cases.models import Plan, PlanSignOffRule
from cases.services import plans as plan_services
from csafe.core.dates import long_date
from tests.cases.helpers import sign_in_redirect
from tests.cases.plan_pages.support import url
from tests.cases.plan_support import SIGN_OFF_REASON, draft_plan, today, written
from tests.html_forms import date_fields
from tests.html_pages import banners, error_summary, text_of

pytestmark = pytest.mark.django_db

REFUSED = "Only a team manager of the team holding this case can sign off its plans"
CONFIGURATION = "/configuration/plan-sign-off/"


@pytest.fixture
def ready(practitioner, setup):
    """The ``setup`` plan with its open factor marked, so it may be submitted."""
    plan_services.plan_factor_not_addressed(
        actor=practitioner, plan=setup["plan"], factor=setup["factors"][1], reason="School leads"
    )
    return setup["plan"]


@pytest.fixture
def submitted(practitioner, ready):
    return plan_services.plan_submit(actor=practitioner, plan=ready)


def state(response) -> str:
    html = response.content.decode()
    after = html.split('data-testid="sign-off-state"', 1)[1].split(">", 1)[1]
    # Without the warning icon's "!" (hidden from screen readers, which read "Warning").
    return text_of(after.split("</div>", 1)[0]).removeprefix("! ")


class TestSubmitPage:
    def test_the_practitioner_submits_and_the_plan_then_waits(
        self, client_for, practitioner, young_person, ready
    ):
        client = client_for(practitioner)
        page = client.get(url("plan_detail", young_person, ready)).content.decode()
        assert f'href="{url("plan_submit", young_person, ready)}"' in page
        assert f'href="{url("plan_finalise", young_person, ready)}"' not in page

        response = client.post(url("plan_submit", young_person, ready), {})

        assert response.status_code == 302
        shown = client.get(response["Location"])
        assert banners(shown) == ["Plan submitted for sign-off: the team's managers have been told"]
        assert state(shown) == (
            f"Awaiting sign-off since {long_date(today())}, submitted by Pat Tester. The plan "
            "cannot be changed until a team manager signs it off or returns it."
        )
        html = shown.content.decode()
        # Read-only: no change, action or factor links; ending stays possible.
        for name in ("plan_edit", "plan_action_add", "plan_sign_off"):
            assert f'href="{url(name, young_person, ready)}"' not in html
        assert f'href="{url("plan_end", young_person, ready)}"' in html
        assert Plan.objects.get().status == "submitted"

    def test_an_open_factor_is_refused_on_the_page(
        self, client_for, practitioner, young_person, setup
    ):
        before = written()
        response = client_for(practitioner).post(url("plan_submit", young_person, setup["plan"]))

        assert response.status_code == 400
        assert error_summary(response) == [
            "The plan cannot be submitted for sign-off while 1 contextual factor is open (School "
            "or education setting: Excluded from lessons; waits alone at the Ferrisby Road "
            "gates). Answer each one with an action, or mark it as not addressed and say why."
        ]
        assert written() == before


class TestSignOffAndReturnPages:
    def test_the_manager_signs_it_off_with_their_reasoning(
        self, client_for, team_manager, young_person, submitted
    ):
        client = client_for(team_manager)
        plan_page = client.get(url("plan_detail", young_person, submitted)).content.decode()
        assert f'href="{url("plan_sign_off", young_person, submitted)}"' in plan_page
        assert f'href="{url("plan_return", young_person, submitted)}"' in plan_page
        target = url("plan_sign_off", young_person, submitted)
        assert client.get(target).status_code == 200

        missing = client.post(target, {"version": str(submitted.version)})
        assert missing.status_code == 400
        assert error_summary(missing) == ["Enter your reasoning for signing off the plan"]

        done = client.post(target, {"version": str(submitted.version), "reason": SIGN_OFF_REASON})

        assert done.status_code == 302
        shown = client.get(done["Location"])
        assert banners(shown) == ["Plan signed off: it is now in force"]
        assert state(shown) == (
            f"Signed off by Mona Tester on {long_date(today())}: {SIGN_OFF_REASON}"
        )
        plan = Plan.objects.get()
        assert (plan.status, plan.finalised_by, plan.sign_off_reason) == (
            "active",
            team_manager,
            SIGN_OFF_REASON,
        )

    def test_the_manager_returns_it_saying_what_more_is_needed(
        self, client_for, practitioner, team_manager, young_person, submitted
    ):
        target = url("plan_return", young_person, submitted)
        client = client_for(team_manager)

        missing = client.post(target, {"version": str(submitted.version)})
        assert missing.status_code == 400
        assert error_summary(missing) == ["Say what more is needed"]
        done = client.post(
            target, {"version": str(submitted.version), "reason": "Name the school's lead"}
        )

        assert done.status_code == 302
        assert banners(client.get(done["Location"])) == [
            "Plan returned for more work: the practitioner has been told"
        ]
        shown = client_for(practitioner).get(url("plan_detail", young_person, submitted))
        assert state(shown) == (
            f"Warning Returned by Mona Tester on {long_date(today())}: Name the school's lead"
        )
        assert Plan.objects.get().status == "draft"

    def test_a_plan_changed_since_the_page_was_opened_is_not_signed_off(
        self, client_for, team_manager, young_person, submitted
    ):
        response = client_for(team_manager).post(
            url("plan_sign_off", young_person, submitted),
            {"version": str(submitted.version - 1), "reason": SIGN_OFF_REASON},
        )

        assert response.status_code == 400
        assert error_summary(response) == [plan_services.CONFLICT_MESSAGE]
        assert Plan.objects.get().status == "submitted"

    def test_opening_it_for_a_plan_not_awaiting_sign_off_goes_back_to_the_plan(
        self, client_for, team_manager, young_person, ready
    ):
        client = client_for(team_manager)
        response = client.get(url("plan_sign_off", young_person, ready))

        assert response["Location"] == url("plan_detail", young_person, ready)
        assert banners(client.get(response["Location"])) == [
            "Only a plan awaiting sign-off can be signed off or returned"
        ]

    @pytest.mark.parametrize("name", ["plan_sign_off", "plan_return"])
    def test_the_practitioner_is_refused(
        self, client_for, practitioner, young_person, submitted, name
    ):
        client = client_for(practitioner)
        target = url(name, young_person, submitted)
        before = written()

        for response in (
            client.get(target),
            client.post(target, {"version": "9", "reason": "I approve my own plan"}),
        ):
            assert response.status_code == 403
            assert error_summary(response) == [
                REFUSED if name == "plan_sign_off" else plan_services.RETURN_REFUSED_MESSAGE
            ]
            assert "<textarea" not in response.content.decode()
        assert written() == before
        assert Plan.objects.get().status == "submitted"

    @pytest.mark.parametrize("who", ["teammate", "other_team_manager", "administrator"])
    @pytest.mark.parametrize("name", ["plan_sign_off", "plan_return", "plan_submit"])
    def test_those_who_cannot_see_the_record_get_404(
        self, request, client_for, young_person, submitted, who, name
    ):
        client = client_for(request.getfixturevalue(who))
        target = url(name, young_person, submitted)
        before = written()

        assert client.get(target).status_code == 404
        assert client.post(target, {"version": "2", "reason": "Fine"}).status_code == 404
        assert written() == before

    @pytest.mark.parametrize("name", ["plan_sign_off", "plan_return", "plan_submit"])
    def test_anonymous_is_sent_to_sign_in(self, client, young_person, submitted, name):
        target = url(name, young_person, submitted)
        before = written()

        for response in (client.get(target), client.post(target, {"reason": "Fine"})):
            assert (response.status_code, response["Location"]) == (
                302,
                sign_in_redirect(target),
            )
        assert written() == before


class TestConferenceDate:
    def test_a_child_protection_plan_needs_its_conference_date(
        self, client_for, practitioner, young_person
    ):
        plan = draft_plan(practitioner, young_person, kind="cp")
        client = client_for(practitioner)
        target = url("plan_finalise", young_person, plan)
        assert 'name="conference_date_day"' in client.get(target).content.decode()

        missing = client.post(target, {})
        future = client.post(target, date_fields("conference_date", today() + timedelta(days=1)))
        done = client.post(target, date_fields("conference_date", plan.start_date))

        assert missing.status_code == future.status_code == 400
        assert error_summary(missing) == ["Enter the date of the child protection conference"]
        assert error_summary(future) == [
            "The date of the child protection conference must be today or in the past"
        ]
        assert done.status_code == 302
        assert Plan.objects.get().conference_date == plan.start_date
        page = text_of(client.get(done["Location"]).content.decode())
        assert f"Child protection conference {long_date(plan.start_date)}" in page

    def test_other_plans_ask_for_none(self, client_for, practitioner, young_person):
        plan = draft_plan(practitioner, young_person, kind="looked_after")
        html = client_for(practitioner).get(url("plan_finalise", young_person, plan))
        assert "conference_date" not in html.content.decode()


class TestConfigurationPage:
    def test_the_administrator_chooses_the_kinds(self, client_for, administrator):
        client = client_for(administrator)
        page = client.get(CONFIGURATION)
        assert page.status_code == 200
        html = page.content.decode()
        checked = [
            kind
            for kind in ("cin", "cp", "looked_after", "early_help")
            if f'value="{kind}"' in html
            and "checked" in html.split(f'value="{kind}"', 1)[1].split(">", 1)[0]
        ]
        assert checked == ["cin", "early_help"]
        assert f'href="{CONFIGURATION}"' in html  # in the administrator's navigation

        response = client.post(CONFIGURATION, {"kinds": ["cin", "cp"]})

        assert response.status_code == 302
        assert banners(client.get(response["Location"])) == ["Plan sign-off saved"]
        assert dict(PlanSignOffRule.objects.values_list("kind", "needs_sign_off")) == {
            "cin": True,
            "cp": True,
            "looked_after": False,
            "early_help": False,
        }

    def test_an_unknown_kind_is_refused(self, client_for, administrator):
        response = client_for(administrator).post(CONFIGURATION, {"kinds": ["tea"]})

        assert response.status_code == 400
        assert error_summary(response) == ["Choose kinds of plan from the list"]
        assert PlanSignOffRule.objects.filter(needs_sign_off=True).count() == 2

    @pytest.mark.parametrize("who", ["team_manager", "practitioner", "service_manager"])
    def test_other_roles_get_404(self, request, client_for, who):
        client = client_for(request.getfixturevalue(who))

        assert client.get(CONFIGURATION).status_code == 404
        assert client.post(CONFIGURATION, {"kinds": []}).status_code == 404
        assert PlanSignOffRule.objects.filter(needs_sign_off=True).count() == 2
        assert (
            f'href="{CONFIGURATION}"' not in client.get(reverse("workspace:home")).content.decode()
        )

    def test_anonymous_is_sent_to_sign_in(self, client):
        for response in (client.get(CONFIGURATION), client.post(CONFIGURATION, {"kinds": []})):
            assert (response.status_code, response["Location"]) == (
                302,
                sign_in_redirect(CONFIGURATION),
            )
        assert PlanSignOffRule.objects.filter(needs_sign_off=True).count() == 2
