"""Relocations: the service's rules with their messages, and the pages (list and record) for
allowed, forbidden and anonymous users, with the plan in force pre-selected on the form."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from cases.models import Relocation
from cases.services import plans as plan_services
from cases.services import relocations as relocation_services
from csafe.audit.models import Event
from csafe.core.dates import long_date, short_date
from csafe.core.errors import ApplicationError
from tests.cases.helpers import sign_in_redirect
from tests.cases.plan_support import (
    authorised_assessment,
    draft_plan,
    in_force_plan,
    put_in_force,
    today,
)
from tests.html_pages import error_summary, field_errors, text_of
from tests.query_counts import count_second_request

pytestmark = pytest.mark.django_db

FORBIDDEN = ["teammate", "other_team_practitioner", "administrator"]


def list_url(young_person) -> str:
    return reverse("cases:relocation_list", args=[young_person.pk])


def new_url(young_person) -> str:
    return reverse("cases:relocation_new", args=[young_person.pk])


def record(actor, young_person, **overrides) -> Relocation:
    arguments = {
        "moved_on": today() - timedelta(days=3),
        "kind": "out_of_area",
        "destination": "Northbury council",
        "reason": "Away from the group exploiting her at the Larkspur estate",
        "because_of_extra_familial_harm": True,
        "plan": None,
        "plan_addresses_factors": "no_plan",
    } | overrides
    return relocation_services.relocation_record(
        actor=actor, young_person=young_person, **arguments
    )


def form_data(**extra) -> dict:
    moved = today() - timedelta(days=3)
    return {
        "moved_on_day": str(moved.day),
        "moved_on_month": str(moved.month),
        "moved_on_year": str(moved.year),
        "kind": "out_of_area",
        "destination": "Northbury council",
        "reason": "Away from the group exploiting her at the Larkspur estate",
        "because_of_extra_familial_harm": "yes",
        "plan": "",
        "plan_addresses_factors": "no_plan",
    } | extra


def counts() -> dict[str, int]:
    return {
        "relocations": Relocation.objects.count(),
        "events": Event.objects.filter(kind="relocation.recorded").count(),
    }


class TestService:
    def test_a_move_with_the_plan_in_force(self, practitioner, team_manager, young_person):
        _, factors = authorised_assessment(practitioner, team_manager, young_person)
        plan = in_force_plan(practitioner, young_person, factors)

        relocation = record(practitioner, young_person, plan=plan, plan_addresses_factors="partly")

        relocation.refresh_from_db()
        assert (
            relocation.young_person,
            relocation.kind,
            relocation.destination,
            relocation.because_of_extra_familial_harm,
            relocation.plan,
            relocation.plan_addresses_factors,
            relocation.recorded_by,
        ) == (young_person, "out_of_area", "Northbury council", True, plan, "partly", practitioner)
        event = Event.objects.get(kind="relocation.recorded")
        assert (event.actor, event.young_person, event.target_id) == (
            practitioner,
            young_person,
            str(relocation.pk),
        )
        assert event.detail == {
            "kind": "out_of_area",
            "because_of_extra_familial_harm": True,
            "plan": plan.pk,
            "plan_addresses_factors": "partly",
        }

    def test_a_move_without_a_plan(self, team_manager, young_person):
        relocation = record(team_manager, young_person, because_of_extra_familial_harm=False)

        assert (relocation.plan, relocation.plan_addresses_factors) == (None, "no_plan")

    @pytest.mark.parametrize(
        ("overrides", "message", "field"),
        [
            (
                {"moved_on": "tomorrow"},
                "The date of the move must be today or in the past",
                "moved_on",
            ),
            ({"kind": "holiday"}, "Choose the kind of move", "kind"),
            (
                {"destination": "14 Larch Close, NB1 2AA"},
                "Enter an area or a council, not an address or a full postcode",
                "destination",
            ),
            (
                {"destination": "nb12aa"},
                "Enter an area or a council, not an address or a full postcode",
                "destination",
            ),
            (
                {"destination": "x" * 201},
                "Where the young person moved to must be 200 characters or fewer",
                "destination",
            ),
            ({"reason": "  "}, "Enter the reason for the move", "reason"),
            (
                {"plan_addresses_factors": "yes"},
                'Choose the plan, or answer "No plan in force"',
                "plan_addresses_factors",
            ),
            (
                {"plan_addresses_factors": "maybe"},
                "Say whether the plan addresses the contextual factors that led to the move",
                "plan_addresses_factors",
            ),
            (
                {"plan": "<plan>", "plan_addresses_factors": "no_plan"},
                "You chose a plan, so say whether it addresses the contextual factors that led "
                "to the move",
                "plan_addresses_factors",
            ),
            (
                {"plan": "<other plan>", "plan_addresses_factors": "yes"},
                "Choose one of this young person's plans",
                "plan",
            ),
        ],
    )
    def test_bad_moves_are_refused_and_nothing_saved(
        self,
        practitioner,
        young_person,
        other_team_practitioner,
        other_young_person,
        overrides,
        message,
        field,
    ):
        named = {
            "tomorrow": today() + timedelta(days=1),
            "<plan>": draft_plan(practitioner, young_person),
            "<other plan>": draft_plan(other_team_practitioner, other_young_person),
        }
        overrides = {key: named.get(value, value) for key, value in overrides.items()}

        with pytest.raises(ApplicationError) as caught:
            record(practitioner, young_person, **overrides)

        assert (caught.value.message, caught.value.field) == (message, field)
        assert counts() == {"relocations": 0, "events": 0}

    def test_a_destination_of_200_characters_is_kept(self, practitioner, young_person):
        destination = "Northbury " + "x" * 190

        assert record(practitioner, young_person, destination=f" {destination} ").destination == (
            destination
        )

    def test_a_postcode_district_is_an_area(self, practitioner, young_person):
        assert record(practitioner, young_person, destination="NB1, Northbury").destination == (
            "NB1, Northbury"
        )

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_those_who_cannot_change_the_record_are_refused(self, request, young_person, who):
        with pytest.raises(ApplicationError) as caught:
            record(request.getfixturevalue(who), young_person)

        assert caught.value.message == "You cannot change this young person's record"
        assert counts() == {"relocations": 0, "events": 0}


class TestPagesAccess:
    @pytest.mark.parametrize("who", ["practitioner", "team_manager"])
    def test_those_who_may_change_the_record_see_both_pages(
        self, request, client_for, young_person, who
    ):
        client = client_for(request.getfixturevalue(who))

        listing = client.get(list_url(young_person))
        form = client.get(new_url(young_person))

        assert listing.status_code == 200
        assert f'href="{new_url(young_person)}"' in listing.content.decode()
        assert form.status_code == 200
        assert (
            f"<title>Record a relocation – {young_person.local_identifier}" in form.content.decode()
        )

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_others_get_404_and_save_nothing(self, request, client_for, young_person, who):
        client = client_for(request.getfixturevalue(who))

        assert client.get(list_url(young_person)).status_code == 404
        assert client.get(new_url(young_person)).status_code == 404
        assert client.post(new_url(young_person), form_data()).status_code == 404
        assert counts() == {"relocations": 0, "events": 0}

    def test_anonymous_is_sent_to_sign_in(self, client, young_person):
        for target, response in (
            (list_url(young_person), client.get(list_url(young_person))),
            (new_url(young_person), client.get(new_url(young_person))),
            (new_url(young_person), client.post(new_url(young_person), form_data())),
        ):
            assert response.status_code == 302
            assert response["Location"] == sign_in_redirect(target)
        assert counts() == {"relocations": 0, "events": 0}


def checked(html: str, name: str) -> list[str]:
    """The values of the checked radios called ``name``."""
    return re.findall(rf'<input type="radio" name="{name}" value="([^"]*)"[^>]*checked', html)


def hint(html: str) -> str:
    return text_of(
        html.split('id="id_plan_addresses_factors-hint" class="govuk-hint">')[1].split("</div>")[0]
    )


class TestForm:
    def test_no_plan_in_force_suggests_no_plan(self, client_for, practitioner, young_person):
        html = client_for(practitioner).get(new_url(young_person)).content.decode()

        assert checked(html, "plan") == [""]
        assert checked(html, "plan_addresses_factors") == ["no_plan"]
        assert hint(html) == (
            'No plan is in force, so we suggest "No plan in force". If one of the plans above '
            "covers this move, choose it and answer for that plan."
        )

    def test_a_plan_in_force_with_no_open_factors_suggests_yes(
        self, client_for, practitioner, team_manager, young_person
    ):
        _, factors = authorised_assessment(practitioner, team_manager, young_person)
        plan = in_force_plan(practitioner, young_person, factors)
        draft_plan(practitioner, young_person, kind="early_help")

        response = client_for(practitioner).get(new_url(young_person))

        html = response.content.decode()
        assert checked(html, "plan") == [str(plan.pk)]
        assert checked(html, "plan_addresses_factors") == ["yes"]
        assert hint(html) == (
            f"We have chosen the plan in force (Child in need plan from "
            f"{long_date(plan.start_date)}). It answers every contextual factor of its "
            'assessment, so we suggest "Yes": check that those are the factors behind this move.'
        )
        labels = [label for _, label in response.context["form"]["plan"].field.choices]
        assert labels[0] == "No plan"
        assert sorted(labels[1:]) == sorted(
            [
                f"Child in need plan from {short_date(plan.start_date)} (in force)",
                f"Early help plan from {short_date(plan.start_date)} (draft)",
            ]
        )

    def test_a_plan_in_force_with_open_factors_suggests_nothing(
        self, client_for, practitioner, team_manager, young_person
    ):
        _, factors = authorised_assessment(practitioner, team_manager, young_person)
        plan = in_force_plan(practitioner, young_person, factors)
        # Stop the only action answering the first factor: it is open again.
        action = plan.actions.get(factor=factors[0])
        plan_services.plan_action_update_progress(
            actor=practitioner, action=action, progress="stopped"
        )

        html = client_for(practitioner).get(new_url(young_person)).content.decode()

        assert checked(html, "plan") == [str(plan.pk)]
        assert checked(html, "plan_addresses_factors") == []
        assert hint(html) == (
            f"We have chosen the plan in force (Child in need plan from "
            f"{long_date(plan.start_date)}). It leaves 1 contextual factor open, so check whether "
            'it addresses the factors behind this move before answering "Yes".'
        )

    def test_a_plan_in_force_without_factors(self, client_for, practitioner, young_person):
        plan = draft_plan(practitioner, young_person)
        put_in_force(practitioner, plan)

        html = client_for(practitioner).get(new_url(young_person)).content.decode()

        assert checked(html, "plan_addresses_factors") == ["yes"]
        assert "It has no contextual factors to answer" in hint(html)

    def test_a_move_is_recorded_and_listed(
        self, client_for, practitioner, team_manager, young_person
    ):
        _, factors = authorised_assessment(practitioner, team_manager, young_person)
        plan = in_force_plan(practitioner, young_person, factors)
        client = client_for(practitioner)

        response = client.post(
            new_url(young_person),
            form_data(plan=str(plan.pk), plan_addresses_factors="yes", kind="secure"),
        )

        assert response.status_code == 302
        assert response["Location"] == list_url(young_person)
        relocation = Relocation.objects.get()
        assert (relocation.kind, relocation.plan, relocation.plan_addresses_factors) == (
            "secure",
            plan,
            "yes",
        )
        listing = client.get(response["Location"]).content.decode()
        card = text_of(listing.split('data-testid="relocation">')[1].split("</dl>")[0])
        assert card == (
            f"Secure accommodation, {long_date(relocation.moved_on)} Where to Northbury council "
            "Reason Away from the group exploiting her at the Larkspur estate Because of "
            f"extra-familial harm Yes Plan Child in need plan from {short_date(plan.start_date)} "
            "Plan addresses the factors behind the move Yes"
        )
        record_page = client.get(reverse("cases:detail", args=[young_person.pk])).content.decode()
        section = record_page.split('data-testid="relocations"')[1].split("</section>")[0]
        assert "Secure accommodation to Northbury council" in text_of(section)
        assert "Extra-familial harm" in section

    @pytest.mark.parametrize(
        ("extra", "summary", "field_id"),
        [
            (
                {"plan_addresses_factors": "yes"},
                ['Choose the plan, or answer "No plan in force"'],
                "id_plan_addresses_factors",
            ),
            (
                {"destination": "14 Larch Close, NB1 2AA"},
                ["Enter an area or a council, not an address or a full postcode"],
                "id_destination",
            ),
            (
                {"destination": "Northbury " + "x" * 200},
                ["Where the young person moved to must be 200 characters or fewer"],
                "id_destination",
            ),
            (
                {"because_of_extra_familial_harm": ""},
                ["Say whether the move is because of extra-familial harm"],
                "id_because_of_extra_familial_harm",
            ),
            ({"reason": ""}, ["Enter the reason for the move"], "id_reason"),
            (
                {"moved_on_day": "", "moved_on_month": "", "moved_on_year": ""},
                ["Enter the date of the move"],
                "id_moved_on",
            ),
        ],
    )
    def test_bad_input_is_summarised_and_nothing_saved(
        self, client_for, practitioner, young_person, extra, summary, field_id
    ):
        response = client_for(practitioner).post(new_url(young_person), form_data(**extra))

        assert response.status_code == 400
        assert error_summary(response) == summary
        assert field_errors(response) == {field_id: summary[0]}
        assert counts() == {"relocations": 0, "events": 0}

    def test_a_plan_of_another_young_person_is_not_a_choice(
        self, client_for, practitioner, young_person, other_team_practitioner, other_young_person
    ):
        theirs = draft_plan(other_team_practitioner, other_young_person)

        response = client_for(practitioner).post(
            new_url(young_person), form_data(plan=str(theirs.pk), plan_addresses_factors="yes")
        )

        assert response.status_code == 400
        assert field_errors(response)["id_plan"].startswith("Select a valid choice.")
        assert counts() == {"relocations": 0, "events": 0}


def test_the_relocation_list_is_newest_first(client_for, practitioner, young_person):
    older = record(practitioner, young_person, moved_on=date(2025, 1, 5), kind="within_area")
    newer = record(practitioner, young_person, moved_on=date(2025, 6, 5))

    html = client_for(practitioner).get(list_url(young_person)).content.decode()

    titles = re.findall(r'<h3 class="govuk-summary-card__title">(.*?)</h3>', html)
    assert titles == ["Out-of-area placement, 5 June 2025", "Move within the area, 5 January 2025"]
    assert [newer.pk, older.pk] == list(Relocation.objects.values_list("pk", flat=True))


class TestRelocationListQueryCount:
    """The relocations page costs the same with one move as with many.

    1 session; 2 user; 3 the young person with team (guardian subqueries inside); 4 INSERT
    of the access log row; 5-6 the user's user- and group-object permissions on the record
    (may they record a move?); 7 unread notifications for the page shell; 8 the relocations
    with the plan each names; 9-11 savepoint, session update, release (see
    test_query_counts.py).
    """

    EXPECTED = 11

    def test_one_move(self, client_for, practitioner, young_person, django_assert_num_queries):
        record(practitioner, young_person)

        response = count_second_request(
            client_for(practitioner),
            list_url(young_person),
            django_assert_num_queries,
            self.EXPECTED,
        )
        assert response.content.decode().count('data-testid="relocation"') == 1

    def test_many_moves_with_plans(
        self, client_for, practitioner, team_manager, young_person, django_assert_num_queries
    ):
        _, factors = authorised_assessment(practitioner, team_manager, young_person)
        plan = in_force_plan(practitioner, young_person, factors)
        for days in range(8):
            record(
                practitioner,
                young_person,
                moved_on=today() - timedelta(days=days),
                plan=plan if days % 2 else None,
                plan_addresses_factors="yes" if days % 2 else "no_plan",
            )

        response = count_second_request(
            client_for(team_manager),
            list_url(young_person),
            django_assert_num_queries,
            self.EXPECTED,
        )
        assert response.content.decode().count('data-testid="relocation"') == 8
