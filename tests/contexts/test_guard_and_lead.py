"""Fixes from the review of contexts/: the thematic-text guard refuses every young person's full
name with one message that names no one and says nothing of links (so a refusal cannot be used to
learn who is linked), over every text of a context including what its name is made from; linking
is refused while the context's details name that child; the lead practitioner (and so the team)
is changed only by those who may close the context, and closing and reopening check that on the
row as it is when locked; staff who have left are not listed as professionals; closing with "end
every link" ends every link, whoever holds the child, with the closure as the reason.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases import permissions as case_permissions
from contexts.guard import NAME_MESSAGE
from contexts.linked_professionals import context_professionals
from contexts.linking.services import context_link_young_person, named_in_context_message
from contexts.models import Context, ContextLink
from contexts.reference import LinkEndRule
from contexts.services import contexts as services
from csafe.accounts.models import User
from csafe.core.errors import ApplicationError
from csafe.core.vocabulary import ContextKind
from tests.api_support import api
from tests.contexts.context_pages.support import editing, opening, url, with_lead
from tests.contexts.context_support import (
    closure,
    days_ago,
    long_date,
    open_group,
    refused,
    reopen,
    snapshot,
    today,
    update,
)
from tests.contexts.links_support import location_link_url, place_of_harm
from tests.factories import YoungPersonFactory
from tests.html_pages import error_summary, field_errors

pytestmark = pytest.mark.django_db

MESSAGE = NAME_MESSAGE


def refusal(act) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        act()
    return caught.value


# --- 1. The guard itself is tested in tests/contexts/test_guard.py ------------------------------


# --- 2. A child's name in what a context is called -------------------------------------------


class TestNamesInTheContextsDetails:
    @pytest.mark.parametrize(
        ("field", "extra"),
        [
            ("area", {"area": "Zephyrine Quillfeather"}),
            ("incident", {"incident": "Zephyrine Quillfeather was hurt"}),
            ("description", {"description": "Friends of Zephyrine Quillfeather"}),
        ],
    )
    def test_opening_is_refused(self, practitioner, young_person, field, extra):
        refused(lambda: open_group(practitioner, **extra), MESSAGE, field)

    def test_opening_a_school_named_after_a_child_is_refused(self, practitioner, young_person):
        refused(
            lambda: services.context_open(
                actor=practitioner,
                kind=ContextKind.SCHOOL,
                label="Zephyrine Quillfeather's tutor group",
                opened_on=days_ago(1),
                confirmed_not_duplicate=True,
            ),
            MESSAGE,
            "label",
        )

    def test_the_check_step_refuses_before_any_name_is_shown(
        self, client_for, practitioner, young_person
    ):
        response = client_for(practitioner).post(
            reverse("contexts:new"),
            with_lead(opening(area="Zephyrine Quillfeather"), practitioner),
        )
        assert response.status_code == 400
        assert field_errors(response)["id_area"] == MESSAGE
        assert not Context.objects.exists()

    @pytest.mark.parametrize("field", ["area", "label", "incident", "description"])
    def test_changing_is_refused(self, practitioner, young_person, field):
        context = open_group(practitioner)
        refused(
            lambda: update(practitioner, context, **{field: "Zephyrine Quillfeather"}),
            MESSAGE,
            field,
        )
        context.refresh_from_db()
        assert (context.version, context.area) == (1, "Eastfield")

    def test_a_child_named_in_the_context_cannot_be_linked_to_it(
        self, practitioner, team_manager, young_person
    ):
        # Written before the child's record existed, so the guard could not know the name (and
        # a surname alone is no name to the generic rules).
        context = open_group(practitioner, description="The Blackthorn brothers' friends meet here")
        ravenna = YoungPersonFactory(
            actor=team_manager, first_name="Ravenna", last_name="Blackthorn"
        )
        before = ContextLink.objects.count()
        error = refusal(
            lambda: context_link_young_person(
                actor=team_manager, context=context, young_person=ravenna, reason="Seen there"
            )
        )
        assert (error.field, error.message) == (
            "context",
            named_in_context_message("Ravenna Blackthorn"),
        )
        assert error.message == (
            "You cannot link Ravenna Blackthorn to this context because their name is in the "
            "context's details. Context records are thematic and everyone working on the context "
            "can read them: ask the lead practitioner to take it out of the context's details "
            "first."
        )
        assert ContextLink.objects.count() == before
        # Another child is linked as ever.
        context_link_young_person(
            actor=team_manager, context=context, young_person=young_person, reason="Seen there"
        )

    def test_opening_from_a_place_does_not_carry_its_name(
        self, client_for, practitioner, young_person
    ):
        place = place_of_harm(
            practitioner, young_person, place_name="Zephyrine's nan's flat", postcode="NB7 3QT"
        )
        response = client_for(practitioner).get(location_link_url(young_person, place))
        new_url = response.context["new_context_url"]
        assert new_url == (
            f"{reverse('contexts:new')}?kind=location&location_type={place.location_type_id}"
            "&postcode=NB7+3QT"
        )
        assert "Zephyrine" not in new_url and "label" not in new_url


# --- 4. Professionals who have left -------------------------------------------------------------


def test_staff_who_have_left_are_not_listed_as_professionals(
    practitioner, other_team_practitioner, young_person, other_young_person
):
    context = open_group(practitioner)
    for actor, person in [
        (practitioner, young_person),
        (other_team_practitioner, other_young_person),
    ]:
        context_link_young_person(
            actor=actor, context=context, young_person=person, reason="Seen there"
        )
    assert {p.user_id for p in context_professionals(context=context)} == {
        practitioner.pk,
        other_team_practitioner.pk,
    }
    # Accounts are switched off in the admin: there is no service for it.
    User.objects.filter(pk=other_team_practitioner.pk).update(is_active=False)
    assert [p.user_id for p in context_professionals(context=context)] == [practitioner.pk]


# --- 5. Who leads, closes and reopens -----------------------------------------------------------


def lead_refused(context) -> str:
    context = Context.objects.select_related("lead_practitioner", "team").get(pk=context.pk)
    return (
        f"Only the lead practitioner ({context.lead_practitioner}) or a manager of "
        f"{context.team} can change who leads this context"
    )


class TestTheLead:
    @pytest.mark.parametrize("who", ["teammate", "other_team_practitioner"])
    def test_others_cannot_make_themselves_lead(self, request, practitioner, who):
        context = open_group(practitioner)
        actor = request.getfixturevalue(who)
        message = lead_refused(context)
        assert message == (
            f"Only the lead practitioner ({practitioner}) or a manager of Team A can change who "
            "leads this context"
        )
        refused(
            lambda: update(actor, context, lead_practitioner=actor, area="Northgate"),
            message,
            "lead_practitioner",
        )
        context.refresh_from_db()
        assert (context.lead_practitioner, context.team, context.version, context.area) == (
            practitioner,
            practitioner.team,
            1,
            "Eastfield",
        )
        # Nor then close it.
        refused(
            lambda: services.context_close(actor=actor, context=context, **closure()),
            f"Only the lead practitioner ({practitioner}) or a manager of Team A can close this "
            "context",
        )

    def test_others_still_change_the_other_details(self, practitioner, teammate):
        context = open_group(practitioner)
        update(teammate, context, area="Northgate")
        context.refresh_from_db()
        assert (context.lead_practitioner, context.area) == (practitioner, "Northgate")

    @pytest.mark.parametrize("who", ["practitioner", "team_manager"])
    def test_the_lead_or_a_manager_hands_it_on_and_the_team_follows(
        self, request, practitioner, other_team_practitioner, who
    ):
        context = open_group(practitioner)
        update(request.getfixturevalue(who), context, lead_practitioner=other_team_practitioner)
        context.refresh_from_db()
        assert (context.lead_practitioner, context.team) == (
            other_team_practitioner,
            other_team_practitioner.team,
        )

    def test_the_page_refuses_it_with_the_message(self, client_for, practitioner, teammate):
        context = open_group(practitioner)
        response = client_for(teammate).post(
            url("edit", context), editing(context, lead_practitioner=str(teammate.pk))
        )
        assert response.status_code == 400
        assert error_summary(response) == [lead_refused(context)]
        context.refresh_from_db()
        assert context.lead_practitioner == practitioner

    def test_the_api_refuses_it_with_the_message(self, practitioner, teammate):
        context = open_group(practitioner)
        response = api(teammate).patch(
            reverse("context-detail", args=[context.pk]),
            {"version": 1, "lead_practitioner": teammate.pk},
            format="json",
        )
        assert response.status_code == 400
        assert response.data == {"lead_practitioner": [lead_refused(context)]}
        context.refresh_from_db()
        assert context.lead_practitioner == practitioner


class TestCheckedOnTheLockedRow:
    def test_a_lead_replaced_since_reading_cannot_close(self, practitioner, team_manager, teammate):
        context = open_group(practitioner)
        stale = Context.objects.get(pk=context.pk)
        update(team_manager, context, lead_practitioner=teammate)
        refused(
            lambda: services.context_close(actor=practitioner, context=stale, **closure()),
            f"Only the lead practitioner ({teammate}) or a manager of Team A can close this "
            "context",
        )

    def test_a_lead_replaced_since_reading_cannot_reopen(
        self, practitioner, team_manager, teammate
    ):
        context = open_group(practitioner)
        stale = Context.objects.get(pk=context.pk)
        update(team_manager, context, lead_practitioner=teammate)
        services.context_close(actor=team_manager, context=context, **closure())
        before = snapshot()
        with pytest.raises(ApplicationError) as caught:
            reopen(practitioner, stale)
        assert caught.value.message == (
            f"Only the lead practitioner ({teammate}) or a manager of Team A can reopen this "
            "context"
        )
        assert snapshot() == before


# --- 6. Closing ends every link, whoever holds the child -----------------------------------------


def test_closing_ends_the_links_of_children_the_closer_cannot_change(
    team_manager, practitioner, other_team_practitioner, young_person, other_young_person
):
    context = open_group(practitioner)
    context_link_young_person(
        actor=other_team_practitioner,
        context=context,
        young_person=other_young_person,
        reason="Seen there",
    )
    assert not case_permissions.user_has_perm(
        team_manager, case_permissions.CHANGE, other_young_person
    )
    services.context_close(
        actor=team_manager, context=context, **closure(links_rule=LinkEndRule.END)
    )
    link = ContextLink.objects.get(young_person=other_young_person)
    assert (link.is_active, link.ended_by) == (False, team_manager)
    assert link.end_reason == (
        f"The context closed on {long_date(today())}: Safety has increased: the group no longer "
        "meets at the skate park"
    )


def test_the_close_page_says_every_link_ends_whoever_holds_it(client_for, practitioner):
    context = open_group(practitioner)
    response = client_for(practitioner).get(url("close", context))
    assert response.status_code == 200
    assert (
        "0 young people are linked to this context now. Ending the links ends the link of every "
        "linked young person, whoever holds their record."
    ) in response.content.decode()


def test_dates_to_come_are_refused_with_the_shared_rule(practitioner):
    from datetime import timedelta

    tomorrow = today() + timedelta(days=1)
    refused(
        lambda: open_group(practitioner, opened_on=tomorrow),
        "The date opened must be today or in the past",
        "opened_on",
    )
    context = open_group(practitioner)
    refused(
        lambda: services.context_close(actor=practitioner, context=context, **closure(on=tomorrow)),
        "The date closed must be today or in the past",
        "on",
    )
