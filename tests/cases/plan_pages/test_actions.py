"""A plan's actions and the factors it does not address: adding and changing actions,
and the reason recorded for a factor left unaddressed."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from cases.models import PlanAction, PlanFactorGap
from cases.services import plans as plan_services
from tests.cases.plan_pages.support import url
from tests.cases.plan_support import PEERS, SCHOOL, today, written
from tests.html_forms import date_fields
from tests.html_pages import error_summary, field_errors

pytestmark = pytest.mark.django_db


class TestActions:
    def test_a_contextual_action_answering_a_factor(
        self, client_for, practitioner, young_person, setup
    ):
        plan, school = setup["plan"], setup["factors"][1]
        gap = plan_services.plan_factor_not_addressed(
            actor=practitioner, plan=plan, factor=school, reason="School leads"
        )
        data = {
            "action_type": "contextual",
            "description": "Safer schools officer at the gates at home time",
            "owner": "PC Lark, safer schools",
            "target_context_kind": "school",
            "partner_agency": "police",
            "factor": str(school.pk),
        } | date_fields("due_date", today() + timedelta(days=10))

        response = client_for(practitioner).post(url("plan_action_add", young_person, plan), data)

        assert response.status_code == 302
        action = PlanAction.objects.latest("pk")
        assert (
            action.is_contextual,
            action.target_context_kind,
            action.partner_agency,
            action.factor,
            action.due_date,
        ) == (True, "school", "police", school, today() + timedelta(days=10))
        gap.refresh_from_db()
        assert gap.withdrawn_at is not None

    def test_the_form_offers_the_plans_factors_open_first(
        self, client_for, practitioner, young_person, setup
    ):
        plan, (peers, school) = setup["plan"], setup["factors"]

        response = client_for(practitioner).get(
            url("plan_action_add", young_person, plan) + f"?factor={school.pk}"
        )

        assert response.context["form"]["factor"].field.choices == [
            ("", "None of them"),
            (str(school.pk), f"School or education setting: {SCHOOL[1]} (open)"),
            (str(peers.pk), f"Group: {PEERS[1]} (already planned for)"),
        ]
        html = response.content.decode()
        assert re.search(rf'value="{school.pk}"[^>]*checked', html)
        assert re.search(r'value="contextual"[^>]*checked', html)

    @pytest.mark.parametrize(
        ("data", "summary"),
        [
            (
                {"action_type": "contextual"},
                ["Choose the context the action targets", "Choose the partner agency"],
            ),
            (
                {"action_type": "ordinary", "factor": "<school>"},
                ["Only a contextual action can answer a contextual factor"],
            ),
            (
                {"action_type": "", "description": "", "owner": ""},
                [
                    "Choose what kind of action it is",
                    "Describe the action",
                    "Enter who is responsible for the action",
                ],
            ),
            (
                {"action_type": "ordinary", "owner": "x" * 201},
                ["Who is responsible must be 200 characters or fewer"],
            ),
        ],
    )
    def test_bad_actions_are_refused(
        self, client_for, practitioner, young_person, setup, data, summary
    ):
        plan = setup["plan"]
        base = {"description": "Meet the school", "owner": "Social worker"}
        data = {k: str(setup["factors"][1].pk) if v == "<school>" else v for k, v in data.items()}
        before = written()

        response = client_for(practitioner).post(
            url("plan_action_add", young_person, plan), base | data
        )

        assert response.status_code == 400
        assert error_summary(response) == summary
        assert written() == before

    def test_progress(self, client_for, practitioner, young_person, setup):
        plan, action = setup["plan"], setup["action"]
        client = client_for(practitioner)
        target = url("plan_action_progress", young_person, plan, action)

        refused = client.post(target, {"progress": "done"})
        assert refused.status_code == 400
        assert error_summary(refused) == ["Enter the date the action was done"]
        assert PlanAction.objects.get(pk=action.pk).progress == "not_started"

        response = client.post(
            target,
            {"progress": "done", "note": "Six sessions held"}
            | date_fields("completed_on", today()),
        )

        assert response.status_code == 302
        action.refresh_from_db()
        assert (action.progress, action.completed_on, action.progress_note) == (
            "done",
            today(),
            "Six sessions held",
        )


class TestFactorGap:
    def test_a_reason_is_recorded(self, client_for, practitioner, young_person, setup):
        plan, school = setup["plan"], setup["factors"][1]
        client = client_for(practitioner)
        target = url("plan_factor_gap", young_person, plan, school)

        refused = client.post(target, {"reason": ""})
        assert refused.status_code == 400
        assert error_summary(refused) == ["Explain why the plan does not address this factor"]
        assert not PlanFactorGap.objects.exists()

        response = client.post(target, {"reason": "The school's own safety plan covers it"})

        assert response.status_code == 302
        gap = PlanFactorGap.objects.get()
        assert (gap.factor, gap.reason, gap.recorded_by) == (
            school,
            "The school's own safety plan covers it",
            practitioner,
        )

    def test_an_answered_factor_cannot_be_marked(
        self, client_for, practitioner, young_person, setup
    ):
        plan, peers = setup["plan"], setup["factors"][0]

        response = client_for(practitioner).post(
            url("plan_factor_gap", young_person, plan, peers), {"reason": "Changed my mind"}
        )

        assert response.status_code == 400
        assert field_errors(response) == {
            "id_reason": "An action on this plan answers this factor, so it cannot be marked as "
            "not addressed"
        }
        assert not PlanFactorGap.objects.exists()
