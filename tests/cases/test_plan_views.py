"""The plan pages: allowed, forbidden (404, so a record's existence does not leak) and anonymous
users on every page; each rule's message shown in the GOV.UK error summary with nothing saved;
what reviewers see of the factors a plan leaves open; and the plan page's pinned query count.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from cases.models import Plan, PlanAction, PlanFactorGap
from cases.services import plans as plan_services
from csafe.audit.models import Event
from csafe.core.dates import long_date, short_date
from tests.cases.helpers import detail_url, error_summary, field_errors, sign_in_redirect, text_of
from tests.cases.test_plan_services import (
    ONLINE,
    PEERS,
    SCHOOL,
    authorised_assessment,
    contextual_action,
    draft_plan,
    today,
    written,
)

pytestmark = pytest.mark.django_db

ALLOWED = ["practitioner", "team_manager"]
FORBIDDEN = ["teammate", "other_team_practitioner", "administrator"]


def url(name: str, young_person, *args) -> str:
    return reverse(f"cases:{name}", args=[young_person.pk, *[a.pk for a in args]])


def date_fields(name: str, value: date) -> dict[str, str]:
    return {
        f"{name}_day": str(value.day),
        f"{name}_month": str(value.month),
        f"{name}_year": str(value.year),
    }


def banners(response) -> list[str]:
    return [
        text_of(body)
        for body in re.findall(
            r'<p class="govuk-notification-banner__heading">(.*?)</p>',
            response.content.decode(),
            re.S,
        )
    ]


def factor_rows(html: str) -> list[str]:
    """Each row of the plan page's factor table, as text."""
    return [text_of(row) for row in re.findall(r'data-testid="factor-row">(.*?)</tr>', html, re.S)]


def action_rows(html: str) -> list[str]:
    return [text_of(row) for row in re.findall(r'data-testid="action-row">(.*?)</tr>', html, re.S)]


@pytest.fixture
def setup(practitioner, team_manager, young_person):
    """A draft plan answering an assessment with two factors: the peer group factor answered by
    a contextual action, the school factor open."""
    assessment, factors = authorised_assessment(practitioner, team_manager, young_person)
    plan = draft_plan(practitioner, young_person)
    action = contextual_action(practitioner, plan, factors[0])
    return {"plan": plan, "action": action, "factors": factors, "assessment": assessment}


def page_urls(young_person, setup) -> dict[str, str]:
    plan, action, factors = setup["plan"], setup["action"], setup["factors"]
    return {
        "plan_list": url("plan_list", young_person),
        "plan_new": url("plan_new", young_person),
        "plan_detail": url("plan_detail", young_person, plan),
        "plan_edit": url("plan_edit", young_person, plan),
        "plan_action_add": url("plan_action_add", young_person, plan),
        "plan_action_progress": url("plan_action_progress", young_person, plan, action),
        "plan_factor_gap": url("plan_factor_gap", young_person, plan, factors[1]),
        "plan_finalise": url("plan_finalise", young_person, plan),
        "plan_review": url("plan_review", young_person, plan),
        "plan_end": url("plan_end", young_person, plan),
    }


# Valid input for each page that takes a POST, so that a refusal is the permission's doing.
def posts(setup) -> dict[str, dict]:
    return {
        "plan_new": {"kind": "early_help"}
        | date_fields("start_date", today())
        | date_fields("review_date", today() + timedelta(days=30)),
        "plan_edit": {"summary": "Changed", "version": "2"}
        | date_fields("start_date", today() - timedelta(days=20))
        | date_fields("review_date", today() + timedelta(days=30)),
        "plan_action_add": {
            "action_type": "ordinary",
            "description": "Weekly visit",
            "owner": "Social worker",
        },
        "plan_action_progress": {"progress": "in_progress"},
        "plan_factor_gap": {"reason": "The school leads on this"},
        "plan_finalise": {},
        "plan_review": {"summary": "Going well"}
        | date_fields("reviewed_on", today())
        | date_fields("next_review_date", today() + timedelta(days=60)),
        "plan_end": {"reason": "Closed"} | date_fields("ended_on", today()),
    }


PAGES = [
    "plan_list",
    "plan_new",
    "plan_detail",
    "plan_edit",
    "plan_action_add",
    "plan_action_progress",
    "plan_factor_gap",
    "plan_finalise",
    "plan_review",
    "plan_end",
]
POST_PAGES = [name for name in PAGES if name not in {"plan_list", "plan_detail"}]


class TestAccess:
    @pytest.mark.parametrize("who", ALLOWED)
    @pytest.mark.parametrize("name", PAGES)
    def test_those_who_may_change_the_record_see_every_page(
        self, request, client_for, young_person, setup, who, name
    ):
        response = client_for(request.getfixturevalue(who)).get(
            page_urls(young_person, setup)[name]
        )

        assert response.status_code == 200
        html = response.content.decode()
        assert young_person.local_identifier in html.split("<title>")[1].split("</title>")[0]
        # The child's name is in the page header, never in the title.
        assert "Zephyrine" not in html.split("<title>")[1].split("</title>")[0]

    @pytest.mark.parametrize("who", FORBIDDEN)
    @pytest.mark.parametrize("name", PAGES)
    def test_others_get_404_and_save_nothing(
        self, request, client_for, young_person, setup, who, name
    ):
        client = client_for(request.getfixturevalue(who))
        target = page_urls(young_person, setup)[name]
        before = written()

        assert client.get(target).status_code == 404
        if name in POST_PAGES:
            assert client.post(target, posts(setup)[name]).status_code == 404
        assert written() == before

    @pytest.mark.parametrize("name", PAGES)
    def test_anonymous_is_sent_to_sign_in(self, client, young_person, setup, name):
        target = page_urls(young_person, setup)[name]
        before = written()

        responses = [client.get(target)]
        if name in POST_PAGES:
            responses.append(client.post(target, posts(setup)[name]))

        for response in responses:
            assert response.status_code == 302
            assert response["Location"] == sign_in_redirect(target)
        assert written() == before

    def test_a_plan_of_another_young_person_is_404(
        self, client_for, other_team_practitioner, other_young_person, young_person, setup
    ):
        # The outsider may see their own young person, but not reach this plan through them.
        client = client_for(other_team_practitioner)
        plan, action = setup["plan"], setup["action"]
        for target in (
            url("plan_detail", other_young_person, plan),
            url("plan_edit", other_young_person, plan),
            url("plan_action_progress", other_young_person, plan, action),
        ):
            assert client.get(target).status_code == 404

    def test_a_factor_of_another_assessment_is_404(
        self, client_for, practitioner, team_manager, young_person, setup
    ):
        _, later = authorised_assessment(practitioner, team_manager, young_person, [ONLINE])

        response = client_for(practitioner).get(
            url("plan_factor_gap", young_person, setup["plan"], later[0])
        )

        assert response.status_code == 404

    def test_the_record_page_shows_plans_and_relocations(
        self, client_for, practitioner, teammate, young_person, setup
    ):
        html = client_for(practitioner).get(detail_url(young_person)).content.decode()

        section = html.split('data-testid="plans"', 1)[1].split("</section>", 1)[0]
        assert "Child in need plan" in text_of(section)
        assert f'href="{url("plan_detail", young_person, setup["plan"])}"' in section
        assert f'href="{url("plan_new", young_person)}"' in section
        relocations = html.split('data-testid="relocations"', 1)[1].split("</section>", 1)[0]
        assert "No relocations recorded." in relocations
        assert f'href="{url("relocation_new", young_person)}"' in relocations


class TestNewPlan:
    def test_the_form_says_which_assessment_the_plan_answers(
        self, client_for, practitioner, team_manager, young_person
    ):
        assessment, _ = authorised_assessment(practitioner, team_manager, young_person)

        response = client_for(practitioner).get(url("plan_new", young_person))

        assert text_of(
            response.content.decode().split('data-testid="plan-assessment">')[1].split("</p>")[0]
        ) == (
            f"The plan will answer the assessment authorised on "
            f"{long_date(assessment.authorised_on)}, which identified 2 contextual factors. "
            "Before the plan can be finalised, each must be answered by an action or marked as "
            "not addressed."
        )

    def test_a_valid_plan_is_drafted(self, client_for, practitioner, young_person):
        client = client_for(practitioner)
        data = {"kind": "cp", "summary": "Safety at the Larkspur estate"}
        data |= date_fields("start_date", date(2026, 3, 4))
        data |= date_fields("review_date", date(2026, 4, 4))

        response = client.post(url("plan_new", young_person), data)

        plan = Plan.objects.get()
        assert response.status_code == 302
        assert response["Location"] == url("plan_detail", young_person, plan)
        assert (plan.kind, plan.start_date, plan.review_date, plan.summary, plan.status) == (
            "cp",
            date(2026, 3, 4),
            date(2026, 4, 4),
            "Safety at the Larkspur estate",
            "draft",
        )
        assert banners(client.get(response["Location"])) == ["Child protection plan drafted"]

    def test_a_review_date_before_the_start_is_refused(
        self, client_for, practitioner, young_person
    ):
        data = {"kind": "cin"} | date_fields("start_date", date(2025, 3, 4))
        data |= date_fields("review_date", date(2025, 3, 3))

        response = client_for(practitioner).post(url("plan_new", young_person), data)

        message = "The next review date must be the same as or after the start date (4 March 2025)"
        assert response.status_code == 400
        assert error_summary(response) == [message]
        assert field_errors(response) == {"id_review_date": message}
        assert f"<title>Error: New plan – {young_person.local_identifier}" in (
            response.content.decode()
        )
        assert not Plan.objects.exists()

    def test_missing_answers(self, client_for, practitioner, young_person):
        response = client_for(practitioner).post(url("plan_new", young_person), {})

        assert response.status_code == 400
        assert error_summary(response) == [
            "Choose the kind of plan",
            "Enter the start date",
            "Enter the next review date",
        ]
        assert not Plan.objects.exists()

    def test_a_second_current_plan_of_a_kind_is_refused(
        self, client_for, practitioner, young_person, setup
    ):
        data = {"kind": "cin"} | date_fields("start_date", today())
        data |= date_fields("review_date", today() + timedelta(days=1))
        before = written()

        response = client_for(practitioner).post(url("plan_new", young_person), data)

        assert response.status_code == 400
        assert field_errors(response) == {
            "id_kind": "This young person already has a child in need plan in draft or in "
            "force. Change that plan, or end it before starting another."
        }
        assert written() == before


class TestPlanPage:
    def test_reviewers_see_open_and_not_addressed_factors(
        self, client_for, practitioner, team_manager, young_person
    ):
        _, factors = authorised_assessment(
            practitioner, team_manager, young_person, [PEERS, SCHOOL, ONLINE]
        )
        plan = draft_plan(practitioner, young_person)
        contextual_action(practitioner, plan, factors[0])
        plan_services.plan_factor_not_addressed(
            actor=practitioner,
            plan=plan,
            factor=factors[2],
            reason="Police online team already working with the platform",
        )

        response = client_for(team_manager).get(url("plan_detail", young_person, plan))

        html = response.content.decode()
        assert text_of(html.split('data-testid="open-count">')[1].split("</p>")[0]) == (
            "1 of 3 extra-familial factors is open."
        )
        rows = factor_rows(html)
        assert rows[0].startswith(f"Peer group {PEERS[1]} Answered Detached youth work")
        assert rows[1].startswith(f"School or education setting {SCHOOL[1]} Open")
        assert rows[2].startswith(
            f"Online space {ONLINE[1]} Not addressed Reason: Police online team already "
            "working with the platform Recorded by Pat Tester"
        )
        assert '<strong class="govuk-tag govuk-tag--red">Open</strong>' in html
        # The open factor offers both ways to close it.
        assert f'href="{url("plan_action_add", young_person, plan)}?factor={factors[1].pk}"' in html
        assert f'href="{url("plan_factor_gap", young_person, plan, factors[1])}"' in html

    def test_overdue_actions_are_tagged(self, client_for, practitioner, young_person, setup):
        plan = setup["plan"]
        contextual_action(
            practitioner,
            plan,
            description="Meet the Ferrisby Road safer schools officer",
            due_date=today() - timedelta(days=2),
        )

        html = client_for(practitioner).get(url("plan_detail", young_person, plan)).content.decode()

        rows = action_rows(html)
        assert len(rows) == 2
        assert "Meet the Ferrisby Road safer schools officer" in rows[0]
        assert "Overdue" in rows[0]
        assert "Overdue" not in rows[1]
        assert html.count('data-testid="overdue"') == 1

    def test_an_ended_plan_offers_no_changes(self, client_for, practitioner, young_person, setup):
        plan = setup["plan"]
        plan_services.plan_end(actor=practitioner, plan=plan, ended_on=today(), reason="Closed")

        html = client_for(practitioner).get(url("plan_detail", young_person, plan)).content.decode()

        assert url("plan_edit", young_person, plan) not in html
        assert url("plan_action_add", young_person, plan) not in html
        assert "Ended</dt>" in html

    def test_the_plans_list(self, client_for, practitioner, young_person, setup):
        response = client_for(practitioner).get(url("plan_list", young_person))

        rows = re.findall(r'data-testid="plan-row">(.*?)</tr>', response.content.decode(), re.S)
        assert [text_of(row) for row in rows] == [
            f"Child in need plan Draft {short_date(setup['plan'].start_date)} "
            f"{short_date(setup['plan'].review_date)} 1 open None"
        ]


class TestEdit:
    def edit_data(self, plan, **extra) -> dict:
        return (
            {"summary": "My new summary", "version": str(plan.version)}
            | date_fields("start_date", plan.start_date)
            | date_fields("review_date", plan.review_date + timedelta(days=7))
            | extra
        )

    def test_a_valid_edit_is_saved(self, client_for, practitioner, young_person, setup):
        plan = Plan.objects.get()

        response = client_for(practitioner).post(
            url("plan_edit", young_person, plan), self.edit_data(plan)
        )

        assert response.status_code == 302
        assert response["Location"] == url("plan_detail", young_person, plan)
        changed = Plan.objects.get()
        assert (changed.summary, changed.review_date, changed.version) == (
            "My new summary",
            plan.review_date + timedelta(days=7),
            plan.version + 1,
        )

    def test_the_form_carries_the_version(self, client_for, practitioner, young_person, setup):
        plan = Plan.objects.get()

        html = client_for(practitioner).get(url("plan_edit", young_person, plan)).content.decode()

        assert f'<input type="hidden" name="version" value="{plan.version}"' in html

    def test_a_page_without_its_version_saves_nothing(
        self, client_for, practitioner, young_person, setup
    ):
        plan = Plan.objects.get()
        data = self.edit_data(plan)
        del data["version"]
        before = written()

        response = client_for(practitioner).post(url("plan_edit", young_person, plan), data)

        assert response.status_code == 400
        message = "This page is out of date: open the plan again and make your changes"
        assert error_summary(response) == [message]
        # Not a link to the hidden field: there is nothing on the page to go to.
        assert f"<li>{message}</li>" in response.content.decode()
        assert 'href="#id_version"' not in response.content.decode()
        assert written() == before

    def test_a_conflict_keeps_the_users_input_and_shows_the_plan_as_it_is(
        self, client_for, practitioner, team_manager, young_person, setup
    ):
        loaded = Plan.objects.get()
        data = self.edit_data(loaded)
        plan_services.plan_update(actor=team_manager, plan=loaded, summary="The manager's summary")
        client = client_for(practitioner)

        response = client.post(url("plan_edit", young_person, loaded), data)

        html = response.content.decode()
        assert response.status_code == 400
        assert error_summary(response) == [
            "Someone else changed this plan after you opened it. Your changes have not been "
            "saved: check the plan as it is now and make them again."
        ]
        assert "My new summary</textarea>" in html
        assert "The manager&#x27;s summary" in html.split('data-testid="plan-summary"')[1]
        assert f'<input type="hidden" name="version" value="{loaded.version + 1}"' in html
        assert Plan.objects.get().summary == "The manager's summary"

        # Having looked, saving again is a deliberate choice, and goes through.
        again = client.post(
            url("plan_edit", young_person, loaded), data | {"version": str(loaded.version + 1)}
        )
        assert again.status_code == 302
        assert Plan.objects.get().summary == "My new summary"


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
            (str(peers.pk), f"Peer group: {PEERS[1]} (already answered)"),
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


class TestFinaliseReviewEnd:
    OPEN_SCHOOL = (
        "The plan cannot be {doing} while 1 contextual factor is open (School or education "
        f"setting: {SCHOOL[1]}). Answer each one with an action, or mark it as not addressed "
        "and say why."
    )

    def test_finalise_is_refused_while_a_factor_is_open(
        self, client_for, team_manager, young_person, setup
    ):
        plan = setup["plan"]
        client = client_for(team_manager)
        target = url("plan_finalise", young_person, plan)

        page = client.get(target)
        assert [
            text_of(li)
            for li in re.findall(
                r"<li>(.*?)</li>",
                page.content.decode().split('data-testid="open-factors">')[1].split("</ul>")[0],
                re.S,
            )
        ] == [f"Open School or education setting: {SCHOOL[1]}"]

        before = written()
        response = client.post(target, {})

        assert response.status_code == 400
        assert error_summary(response) == [self.OPEN_SCHOOL.format(doing="finalised")]
        assert Plan.objects.get().status == "draft"
        assert written() == before

    def test_finalise_then_review_then_end(
        self, client_for, practitioner, team_manager, young_person, setup
    ):
        plan, school = setup["plan"], setup["factors"][1]
        plan_services.plan_factor_not_addressed(
            actor=practitioner, plan=plan, factor=school, reason="School leads"
        )
        client = client_for(team_manager)

        finalised = client.post(url("plan_finalise", young_person, plan), {})
        assert finalised.status_code == 302
        assert banners(client.get(finalised["Location"])) == ["Plan finalised: it is now in force"]
        assert Plan.objects.get().status == "active"

        review = {"summary": "Attending the hub"} | date_fields("reviewed_on", today())
        too_soon = client.post(
            url("plan_review", young_person, plan),
            review | date_fields("next_review_date", today()),
        )
        assert too_soon.status_code == 400
        assert field_errors(too_soon) == {
            "id_next_review_date": "The next review date must be after the date of the review"
        }

        reviewed = client.post(
            url("plan_review", young_person, plan),
            review | date_fields("next_review_date", today() + timedelta(days=90)),
        )
        assert reviewed.status_code == 302
        assert Plan.objects.get().review_date == today() + timedelta(days=90)
        page = client.get(url("plan_detail", young_person, plan)).content.decode()
        assert "Attending the hub" in page.split('data-testid="plan-reviews"')[1]

        missing = client.post(url("plan_end", young_person, plan), {})
        assert missing.status_code == 400
        assert error_summary(missing) == [
            "Enter the date the plan ended",
            "Explain why the plan is ending",
        ]
        ended = client.post(
            url("plan_end", young_person, plan),
            {"reason": "Moved to another council"} | date_fields("ended_on", today()),
        )
        assert ended.status_code == 302
        assert (Plan.objects.get().status, Plan.objects.get().end_reason) == (
            "ended",
            "Moved to another council",
        )

    def test_review_of_a_draft_is_refused(self, client_for, practitioner, young_person, setup):
        response = client_for(practitioner).post(
            url("plan_review", young_person, setup["plan"]),
            {"summary": "Early look"}
            | date_fields("reviewed_on", today())
            | date_fields("next_review_date", today() + timedelta(days=30)),
        )

        assert response.status_code == 400
        assert error_summary(response) == ["Finalise the plan before reviewing it"]


def count_second_request(client, target, django_assert_num_queries, expected):
    client.get(target)  # warm the process-wide caches (content types)
    with django_assert_num_queries(expected):
        response = client.get(target)
    assert response.status_code == 200
    return response


class TestPlanPageQueryCount:
    """The plan page costs the same with one action and factor as with many.

    1 session; 2 user; 3 the young person with team, if the user may view it (guardian
    subqueries inside); 4 INSERT of the access log row; 5 the plan with its assessment,
    finaliser and drafter joined; 6 its actions with the factor each answers; 7 its reviews
    with reviewer; 8 the current contextual factors of its assessment; 9 its current "not
    addressed" records with recorder; 10-11 the user's user- and group-object permissions on
    the record (may they change it?); 12 the young person's latest authorised assessment (is
    it newer than the plan's?); 13 unread notifications for the page shell; 14-16 savepoint,
    session update, release (see test_query_counts.py).
    """

    EXPECTED = 16

    def test_one_action_and_one_factor(
        self, client_for, practitioner, team_manager, young_person, django_assert_num_queries
    ):
        _, factors = authorised_assessment(practitioner, team_manager, young_person, [PEERS])
        plan = draft_plan(practitioner, young_person)
        contextual_action(practitioner, plan, factors[0])

        response = count_second_request(
            client_for(practitioner),
            url("plan_detail", young_person, plan),
            django_assert_num_queries,
            self.EXPECTED,
        )
        assert len(response.context["actions"]) == 1
        assert len(response.context["factor_status"]) == 1

    def test_many_actions_factors_gaps_and_reviews(
        self, client_for, practitioner, team_manager, young_person, django_assert_num_queries
    ):
        many = [
            (kind, f"Factor number {n}")
            for n, kind in enumerate(["peer_group"] * 4 + ["school"] * 4)
        ]
        _, factors = authorised_assessment(practitioner, team_manager, young_person, many)
        plan = draft_plan(practitioner, young_person)
        for factor in factors[:5]:
            contextual_action(practitioner, plan, factor)
            contextual_action(practitioner, plan, factor, due_date=today() - timedelta(days=1))
        for factor in factors[5:]:
            plan_services.plan_factor_not_addressed(
                actor=practitioner, plan=plan, factor=factor, reason="Another agency leads"
            )
        plan_services.plan_action_add(
            actor=practitioner, plan=plan, description="Home visit", owner="Social worker"
        )
        plan_services.plan_finalise(actor=practitioner, plan=plan)
        for days in (3, 2, 1):
            plan_services.plan_review(
                actor=team_manager,
                plan=plan,
                reviewed_on=today() - timedelta(days=days),
                next_review_date=today() + timedelta(days=30),
                summary="On track",
            )

        response = count_second_request(
            client_for(team_manager),
            url("plan_detail", young_person, plan),
            django_assert_num_queries,
            self.EXPECTED,
        )
        assert len(response.context["actions"]) == 11
        assert len(response.context["factor_status"]) == 8
        assert len(response.context["not_addressed"]) == 3
        assert len(response.context["reviews"]) == 3
        assert response.content.decode().count('data-testid="overdue"') == 5


class TestAnswerLatestAssessment:
    """An assessment authorised after the plan was made: the plan page says so and offers the
    button (a POST to the plan page) that makes the plan answer it."""

    BUTTON = "Answer the latest assessment"

    @pytest.fixture
    def newer(self, practitioner, team_manager, young_person, setup):
        assessment, factors = authorised_assessment(
            practitioner, team_manager, young_person, [ONLINE]
        )
        return assessment, factors

    def warning(self, html: str) -> str | None:
        if 'data-testid="newer-assessment"' not in html:
            return None
        return text_of(html.split('data-testid="newer-assessment">', 1)[1].split("</div>")[0])

    @pytest.mark.parametrize("who", ALLOWED)
    def test_the_plan_page_says_so_and_offers_the_button(
        self, request, client_for, young_person, setup, newer, who
    ):
        assessment, _ = newer

        html = (
            client_for(request.getfixturevalue(who))
            .get(url("plan_detail", young_person, setup["plan"]))
            .content.decode()
        )

        assert self.warning(html) == (
            f"! Warning An assessment was authorised on {long_date(assessment.authorised_on)}, "
            "after this plan was made. The plan cannot be finalised or reviewed until it "
            "answers that assessment's contextual factors."
        )
        form = html.split('data-testid="answer-latest-assessment"', 1)[1].split("</form>")[0]
        assert 'name="csrfmiddlewaretoken"' in form
        assert text_of(form.split("<button", 1)[1].split(">", 1)[1]) == self.BUTTON

    def test_nothing_is_said_when_the_plan_answers_the_latest(
        self, client_for, practitioner, young_person, setup
    ):
        html = (
            client_for(practitioner)
            .get(url("plan_detail", young_person, setup["plan"]))
            .content.decode()
        )

        assert self.warning(html) is None
        assert self.BUTTON not in html

    def test_an_ended_plan_is_not_asked_to(
        self, client_for, practitioner, young_person, setup, newer
    ):
        plan = setup["plan"]
        plan_services.plan_end(actor=practitioner, plan=plan, ended_on=today(), reason="Closed")

        html = client_for(practitioner).get(url("plan_detail", young_person, plan)).content.decode()

        assert self.warning(html) is None
        assert self.BUTTON not in html

    def test_the_button_makes_the_plan_answer_it(
        self, client_for, practitioner, young_person, setup, newer
    ):
        plan = setup["plan"]
        assessment, factors = newer
        client = client_for(practitioner)

        response = client.post(url("plan_detail", young_person, plan), {})

        assert response.status_code == 302
        assert response["Location"] == url("plan_detail", young_person, plan)
        shown = client.get(response["Location"])
        assert banners(shown) == [
            "The plan now answers the assessment authorised on "
            f"{long_date(assessment.authorised_on)}: answer each of its contextual factors"
        ]
        assert Plan.objects.get().assessment == assessment
        [row] = factor_rows(shown.content.decode())
        assert row.startswith(f"Online space {factors[0].description} Open Answer with an action")
        assert self.warning(shown.content.decode()) is None

    def test_refused_when_it_already_answers_the_latest(
        self, client_for, practitioner, young_person, setup
    ):
        client = client_for(practitioner)
        before = written()

        response = client.post(url("plan_detail", young_person, setup["plan"]), {})

        assert response.status_code == 302
        assert banners(client.get(response["Location"])) == [
            "This plan already answers the latest authorised assessment"
        ]
        assert written() == before

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_others_get_404_and_change_nothing(
        self, request, client_for, young_person, setup, newer, who
    ):
        before = written()

        response = client_for(request.getfixturevalue(who)).post(
            url("plan_detail", young_person, setup["plan"]), {}
        )

        assert response.status_code == 404
        assert written() == before
        assert Plan.objects.get().assessment == setup["assessment"]

    def test_anonymous_is_sent_to_sign_in(self, client, young_person, setup, newer):
        target = url("plan_detail", young_person, setup["plan"])

        response = client.post(target, {})

        assert (response.status_code, response["Location"]) == (302, sign_in_redirect(target))
        assert Plan.objects.get().assessment == setup["assessment"]

    def test_finalising_says_what_to_do(self, client_for, practitioner, young_person, setup, newer):
        plan, school = setup["plan"], setup["factors"][1]
        plan_services.plan_factor_not_addressed(
            actor=practitioner, plan=plan, factor=school, reason="School leads"
        )
        assessment, _ = newer
        before = written()

        response = client_for(practitioner).post(url("plan_finalise", young_person, plan), {})

        assert response.status_code == 400
        assert error_summary(response) == [
            "The plan cannot be finalised until it answers the latest assessment, authorised "
            f'on {long_date(assessment.authorised_on)}. Choose "Answer the latest assessment" '
            "on the plan, then answer each of that assessment's contextual factors."
        ]
        assert written() == before
        assert not Event.objects.filter(kind="plan.finalised").exists()


class TestPlanListQueryCount:
    """The plans page costs the same with one plan as with many.

    1 session; 2 user; 3 the young person with team (guardian subqueries inside); 4 INSERT
    of the access log row; 5 the plans with assessment, finaliser and drafter joined; 6 their
    actions with the factor each answers; 7 their reviews with reviewer; 8 the current
    contextual factors of their assessments; 9 their current "not addressed" records with
    recorder; 10-11 the user's user- and group-object permissions on the record (may they add
    a plan?); 12 unread notifications for the page shell; 13-15 savepoint, session update,
    release (see test_query_counts.py).
    """

    EXPECTED = 15

    def test_one_plan(
        self, client_for, practitioner, young_person, setup, django_assert_num_queries
    ):
        response = count_second_request(
            client_for(practitioner),
            url("plan_list", young_person),
            django_assert_num_queries,
            self.EXPECTED,
        )
        assert len(response.context["rows"]) == 1

    def test_many_plans(
        self, client_for, practitioner, team_manager, young_person, setup, django_assert_num_queries
    ):
        for kind in ("cp", "looked_after", "early_help"):
            plan = draft_plan(practitioner, young_person, kind=kind)
            for factor in setup["factors"]:
                contextual_action(practitioner, plan, factor)
            contextual_action(practitioner, plan, due_date=today() - timedelta(days=1))
            plan_services.plan_finalise(actor=practitioner, plan=plan)
            plan_services.plan_review(
                actor=team_manager,
                plan=plan,
                reviewed_on=today(),
                next_review_date=today() + timedelta(days=30),
                summary="On track",
            )
            plan_services.plan_end(
                actor=team_manager, plan=plan, ended_on=today(), reason="Stepped down"
            )
            draft_plan(practitioner, young_person, kind=kind)

        response = count_second_request(
            client_for(team_manager),
            url("plan_list", young_person),
            django_assert_num_queries,
            self.EXPECTED,
        )
        assert len(response.context["rows"]) == 7
        assert sum(row["overdue_actions"] for row in response.context["rows"]) == 3
