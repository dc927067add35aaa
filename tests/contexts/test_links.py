"""Linking a young person to a context and ending the link: the service rules (object permission
on the young person, an open context, one active link per child and context), the pages on the
young person's record, the record's contexts section, the caseload's contexts column, and tying
a referral's place of harm to a location context. Every person here is invented."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from contexts.linked_professionals import context_link_counts, context_professionals
from contexts.linking import services as link_services
from contexts.linking.selectors import context_names_for
from contexts.models import Context, ContextLink
from contexts.reference import ContextStatus, LinkEndRule
from contexts.services.contexts import context_reopen
from csafe.audit.models import Event
from csafe.core.errors import ApplicationError
from csafe.core.vocabulary import ContextKind
from csafe.notifications.models import Notification
from tests.cases.helpers import sign_in_redirect
from tests.contexts.links_support import (
    close,
    end,
    link,
    location_link_url,
    open_context,
    place_of_harm,
    written,
)
from tests.factories import YoungPersonFactory
from tests.html_pages import error_summary

pytestmark = pytest.mark.django_db

ALLOWED = ["practitioner", "team_manager"]
FORBIDDEN = [
    "teammate",
    "other_team_practitioner",
    "other_team_manager",
    "service_manager",
    "administrator",
]


# The helpers shared with other tests live in tests/contexts/links_support.py.


@pytest.fixture
def group(practitioner):
    return open_context(practitioner)


@pytest.fixture
def school(practitioner):
    return open_context(practitioner, kind=ContextKind.SCHOOL)


@pytest.fixture
def location_context(practitioner):
    return open_context(practitioner, kind=ContextKind.LOCATION)


# --- Services --------------------------------------------------------------------------------


class TestLinkService:
    @pytest.mark.parametrize("who", ALLOWED)
    def test_those_who_can_change_the_record_link_it(self, request, group, young_person, who):
        actor = request.getfixturevalue(who)
        version = group.version

        made = link(actor, group, young_person, reason="  Named by police as part of the group ")

        made.refresh_from_db()
        assert (made.context, made.young_person, made.linked_by) == (group, young_person, actor)
        assert made.reason == "Named by police as part of the group"
        assert made.is_active and made.end_reason == ""
        assert made.history.get().history_user == actor
        event = Event.objects.get(kind="context.linked")
        assert (event.actor, event.young_person, event.target_id) == (
            actor,
            young_person,
            str(made.pk),
        )
        assert event.detail == {"context": group.pk}
        group.refresh_from_db()
        # Linking changes the young person's record, not the context.
        assert group.version == version
        assert group.status == ContextStatus.OPEN

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_others_are_refused_and_nothing_is_saved(self, request, group, young_person, who):
        before = written()

        with pytest.raises(ApplicationError) as refused:
            link(request.getfixturevalue(who), group, young_person)

        assert refused.value.message == (
            "You can only link a young person to a context, or end their link, if you can "
            "change their record. Ask their allocated worker or their team manager."
        )
        assert refused.value.field is None
        assert written() == before

    def test_the_refusal_reads_the_same_for_a_record_the_user_cannot_see(
        self, group, practitioner, young_person, other_young_person
    ):
        with pytest.raises(ApplicationError) as unseen:
            link(practitioner, group, other_young_person)
        assert unseen.value.message == link_services.NO_PERMISSION
        assert "Nettlecombe" not in unseen.value.message

    def test_a_reason_is_needed(self, group, practitioner, young_person):
        before = written()
        with pytest.raises(ApplicationError) as refused:
            link(practitioner, group, young_person, reason="   ")
        assert (refused.value.message, refused.value.field) == (
            "Enter why the young person is linked to this context",
            "reason",
        )
        assert written() == before

    def test_a_closed_context_cannot_be_linked(self, group, practitioner, young_person):
        close(practitioner, group)
        before = written()
        with pytest.raises(ApplicationError) as refused:
            link(practitioner, group, young_person)
        assert (refused.value.message, refused.value.field) == (
            "This context is closed. Reopen it before linking anyone to it.",
            "context",
        )
        assert written() == before

    def test_a_second_active_link_is_refused(self, group, practitioner, team_manager, young_person):
        link(practitioner, group, young_person)
        before = written()

        with pytest.raises(ApplicationError) as refused:
            link(team_manager, group, young_person, reason="Again")

        assert (refused.value.message, refused.value.field) == (
            "This young person is already linked to this context",
            "context",
        )
        assert written() == before

    def test_the_same_child_may_be_linked_to_two_contexts(
        self, group, school, practitioner, young_person
    ):
        link(practitioner, group, young_person)
        link(practitioner, school, young_person)
        assert ContextLink.objects.filter(young_person=young_person, ended_at=None).count() == 2

    def test_a_race_past_the_check_meets_the_constraint_and_the_same_message(
        self, group, practitioner, young_person
    ):
        link(practitioner, group, young_person)
        before = written()

        # As if a second request had passed the "already linked" check before the first saved.
        with (
            mock.patch.object(link_services, "_active_link_exists", return_value=False),
            pytest.raises(ApplicationError) as refused,
        ):
            link(practitioner, group, young_person, reason="Twice")

        assert refused.value.message == "This young person is already linked to this context"
        assert refused.value.field == "context"
        # The savepoint kept the transaction usable, and nothing more was written.
        assert written() == before

    def test_the_database_holds_one_active_link_per_child_and_context(
        self, group, practitioner, young_person
    ):
        first = link(practitioner, group, young_person)
        duplicate = ContextLink(
            context=group,
            young_person=young_person,
            reason="Inserted behind the service's back",
            linked_by=practitioner,
            linked_at=first.linked_at,
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            duplicate.save()


class TestEndService:
    @pytest.mark.parametrize("who", ALLOWED)
    def test_those_who_can_change_the_record_end_the_link(
        self, request, group, practitioner, young_person, who
    ):
        made = link(practitioner, group, young_person)
        group.refresh_from_db()
        version = group.version
        actor = request.getfixturevalue(who)

        ended = end(actor, made, reason="  Moved school and no longer sees the group ")

        ended.refresh_from_db()
        assert not ended.is_active
        assert (ended.ended_by, ended.end_reason) == (
            actor,
            "Moved school and no longer sees the group",
        )
        assert ended.ended_at >= ended.linked_at
        event = Event.objects.get(kind="context.link_ended")
        assert (event.actor, event.young_person, event.detail) == (
            actor,
            young_person,
            {"context": group.pk},
        )
        group.refresh_from_db()
        assert (group.status, group.version) == (ContextStatus.OPEN, version)

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_others_are_refused_and_nothing_is_saved(
        self, request, group, practitioner, young_person, who
    ):
        made = link(practitioner, group, young_person)
        before = written()

        with pytest.raises(ApplicationError) as refused:
            end(request.getfixturevalue(who), made)

        assert refused.value.message == link_services.NO_PERMISSION
        assert written() == before
        made.refresh_from_db()
        assert made.is_active

    def test_a_reason_is_needed(self, group, practitioner, young_person):
        made = link(practitioner, group, young_person)
        before = written()
        with pytest.raises(ApplicationError) as refused:
            end(practitioner, made, reason="")
        assert (refused.value.message, refused.value.field) == (
            "Enter why the link is ending",
            "reason",
        )
        assert written() == before

    def test_an_ended_link_cannot_end_again(self, group, practitioner, young_person):
        made = link(practitioner, group, young_person)
        stale = ContextLink.objects.get(pk=made.pk)  # read before it ended, as a second tab
        end(practitioner, made)
        before = written()
        with pytest.raises(ApplicationError) as refused:
            end(practitioner, stale, reason="Again")
        assert refused.value.message == "This link has already ended"
        assert written() == before

    def test_relinking_after_an_ended_link_keeps_the_history(
        self, group, practitioner, team_manager, young_person
    ):
        first = link(practitioner, group, young_person, reason="First concern")
        end(practitioner, first, reason="Concern resolved")

        second = link(team_manager, group, young_person, reason="Seen with the group again")

        assert second.pk != first.pk
        rows = list(ContextLink.objects.filter(young_person=young_person).order_by("pk"))
        assert [(r.reason, r.end_reason, r.is_active) for r in rows] == [
            ("First concern", "Concern resolved", False),
            ("Seen with the group again", "", True),
        ]
        assert context_link_counts(context=group).active == 1
        assert context_link_counts(context=group).ever == 1  # one child, linked twice


class TestClosingAndLinks:
    """The rule for links when a context closes is the closing service's (contexts.services
    .contexts); these check it meets the links made here."""

    def test_closing_with_the_end_rule_ends_every_link_with_the_closure_as_reason(
        self, group, practitioner, young_person, other_team_practitioner, other_young_person
    ):
        link(practitioner, group, young_person)
        link(other_team_practitioner, group, other_young_person)

        close(practitioner, group, links_rule=LinkEndRule.END)

        links = ContextLink.objects.filter(context=group)
        assert [row.is_active for row in links] == [False, False]
        assert all(row.end_reason.startswith("The context closed on") for row in links)
        assert Event.objects.filter(kind="context.link_ended").count() == 2

    def test_closing_with_the_keep_rule_keeps_them_for_a_reopening(
        self, group, practitioner, young_person
    ):
        made = link(practitioner, group, young_person)

        close(practitioner, group, links_rule=LinkEndRule.KEEP)
        made.refresh_from_db()
        assert made.is_active
        assert context_names_for(young_people=[young_person]) == {
            young_person.pk: [f"{group.name} (closed)"]
        }

        context_reopen(
            actor=practitioner, context=group, on=timezone.localdate(), reason="New incident"
        )
        made.refresh_from_db()
        assert made.is_active
        assert context_names_for(young_people=[young_person]) == {young_person.pk: [group.name]}

    def test_a_link_kept_on_a_closed_context_can_still_be_ended(
        self, group, practitioner, young_person
    ):
        made = link(practitioner, group, young_person)
        close(practitioner, group, links_rule=LinkEndRule.KEEP)

        end(practitioner, made)

        group.refresh_from_db()
        assert group.status == ContextStatus.CLOSED
        assert not ContextLink.objects.get(pk=made.pk).is_active


class TestNotifications:
    def test_linking_and_ending_tell_nobody(
        self,
        group,
        practitioner,
        young_person,
        other_team_practitioner,
        other_young_person,
        django_capture_on_commit_callbacks,
        mailoutbox,
    ):
        """Practitioners are told of changes to the context, not of links; a notification per link
        would give the other practitioners a timeline of each child on the context side."""
        with django_capture_on_commit_callbacks(execute=True):
            link(other_team_practitioner, group, other_young_person)
        with django_capture_on_commit_callbacks(execute=True):
            made = link(practitioner, group, young_person)
        with django_capture_on_commit_callbacks(execute=True):
            end(practitioner, made)

        assert Notification.objects.count() == 0
        assert len(mailoutbox) == 0


class TestLocationOfHarm:
    @pytest.mark.parametrize("who", ALLOWED)
    def test_a_place_is_linked_to_a_location_context(
        self, request, practitioner, young_person, location_context, who
    ):
        place = place_of_harm(practitioner, young_person)
        actor = request.getfixturevalue(who)

        link_services.location_of_harm_link_context(
            actor=actor, location=place, context=location_context
        )

        place.refresh_from_db()
        assert place.context == location_context
        assert place.history.first().history_user == actor
        event = Event.objects.get(kind="location_of_harm.context_linked")
        assert (event.young_person, event.detail["location_of_harm"]) == (young_person, place.pk)
        # The place is linked, not the young person: that is a decision of its own.
        assert not ContextLink.objects.exists()

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_others_are_refused(self, request, practitioner, young_person, location_context, who):
        place = place_of_harm(practitioner, young_person)
        with pytest.raises(ApplicationError) as refused:
            link_services.location_of_harm_link_context(
                actor=request.getfixturevalue(who), location=place, context=location_context
            )
        assert refused.value.message == (
            "You can only link a place where harm happened to a context if you can change the "
            "young person's record. Ask their allocated worker or their team manager."
        )
        place.refresh_from_db()
        assert place.context is None
        assert not Event.objects.filter(kind="location_of_harm.context_linked").exists()

    def test_only_a_location_context(self, practitioner, young_person, group):
        place = place_of_harm(practitioner, young_person)
        with pytest.raises(ApplicationError) as refused:
            link_services.location_of_harm_link_context(
                actor=practitioner, location=place, context=group
            )
        assert (refused.value.message, refused.value.field) == (
            "Choose a neighbourhood or location context: a place can only be part of one",
            "context",
        )
        place.refresh_from_db()
        assert place.context is None

    def test_not_a_closed_one_nor_the_same_twice(
        self, practitioner, young_person, location_context
    ):
        place = place_of_harm(practitioner, young_person)
        link_services.location_of_harm_link_context(
            actor=practitioner, location=place, context=location_context
        )
        with pytest.raises(ApplicationError) as twice:
            link_services.location_of_harm_link_context(
                actor=practitioner, location=place, context=location_context
            )
        assert twice.value.message == "This place is already linked to this context"
        close(practitioner, location_context)
        other_place = place_of_harm(practitioner, young_person, place_name="Canal towpath")
        with pytest.raises(ApplicationError) as closed:
            link_services.location_of_harm_link_context(
                actor=practitioner, location=other_place, context=location_context
            )
        assert closed.value.message == link_services.CONTEXT_CLOSED
        other_place.refresh_from_db()
        assert other_place.context is None


# --- Pages -----------------------------------------------------------------------------------


def link_new_url(young_person, **query) -> str:
    url = reverse("contexts:link_new", args=[young_person.pk])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def link_end_url(young_person, a_link) -> str:
    return reverse("contexts:link_end", args=[young_person.pk, a_link.pk])


def detail_url(young_person) -> str:
    return reverse("cases:detail", args=[young_person.pk])


class TestLinkNewPage:
    @pytest.mark.parametrize("who", ALLOWED)
    def test_lists_open_contexts_to_choose_from(
        self, request, client_for, practitioner, young_person, group, school, who
    ):
        closed = open_context(practitioner, area="Old Quay")
        close(practitioner, closed)

        response = client_for(request.getfixturevalue(who)).get(link_new_url(young_person))

        assert response.status_code == 200
        page = response.content.decode()
        assert [c.pk for c in response.context["page"].object_list] == sorted(
            [group.pk, school.pk], key=lambda pk: Context.objects.get(pk=pk).name
        )
        assert closed.name not in page
        assert f"?context={group.pk}" in page
        assert f"<title>Link to a context – {young_person.local_identifier}" in page

    def test_search_by_name_area_and_kind(
        self, client_for, practitioner, young_person, group, school
    ):
        client = client_for(practitioner)

        by_area = client.get(link_new_url(young_person, q="riverside"))
        by_kind = client.get(link_new_url(young_person, kind="school"))
        nothing = client.get(link_new_url(young_person, q="Nowhere-at-all"))

        assert [c.pk for c in by_area.context["page"].object_list] == [group.pk]
        assert [c.pk for c in by_kind.context["page"].object_list] == [school.pk]
        assert list(nothing.context["page"].object_list) == []
        assert "No open contexts match your search." in nothing.content.decode()

    def test_contexts_already_linked_are_left_out(
        self, client_for, practitioner, young_person, group, school
    ):
        link(practitioner, group, young_person)
        response = client_for(practitioner).get(link_new_url(young_person))
        assert [c.pk for c in response.context["page"].object_list] == [school.pk]

    def test_the_list_is_paginated(self, client_for, practitioner, young_person):
        for number in range(22):
            open_context(practitioner, kind=ContextKind.SCHOOL, label=f"Academy {number:02d}")
        client = client_for(practitioner)

        first = client.get(link_new_url(young_person, kind="school"))
        second = client.get(link_new_url(young_person, kind="school", page=2))

        assert len(first.context["page"].object_list) == 20
        assert len(second.context["page"].object_list) == 2
        assert "kind=school&amp;page=2" in first.content.decode()

    def test_choosing_a_context_asks_why(self, client_for, practitioner, young_person, group):
        response = client_for(practitioner).get(link_new_url(young_person, context=group.pk))
        page = response.content.decode()
        assert response.status_code == 200
        assert response.context["chosen"] == group
        assert f"Link to {group.name}" in page
        assert f'name="context" value="{group.pk}"' in page

    @pytest.mark.parametrize("who", ALLOWED)
    def test_linking_returns_to_the_record(self, request, client_for, young_person, group, who):
        actor = request.getfixturevalue(who)
        response = client_for(actor).post(
            link_new_url(young_person), {"context": group.pk, "reason": "Seen with the group"}
        )
        assert response.status_code == 302
        assert response["Location"] == detail_url(young_person)
        made = ContextLink.objects.get()
        assert (made.context, made.young_person, made.linked_by, made.reason) == (
            group,
            young_person,
            actor,
            "Seen with the group",
        )
        followed = client_for(actor).get(detail_url(young_person))
        assert f"Linked to {group.name}" in followed.content.decode()

    def test_a_reason_is_needed(self, client_for, practitioner, young_person, group):
        before = written()
        response = client_for(practitioner).post(
            link_new_url(young_person), {"context": group.pk, "reason": ""}
        )
        assert response.status_code == 400
        assert error_summary(response) == ["Enter why the young person is linked to this context"]
        assert response.context["chosen"] == group  # still on the "why" step
        assert written() == before

    def test_a_context_is_needed(self, client_for, practitioner, young_person):
        before = written()
        for posted in ({"reason": "Why"}, {"context": "999999", "reason": "Why"}):
            response = client_for(practitioner).post(link_new_url(young_person), posted)
            assert response.status_code == 400
            assert error_summary(response) == ["Choose an open context to link to"]
        assert written() == before

    def test_a_second_active_link_is_refused_with_the_services_message(
        self, client_for, practitioner, young_person, group
    ):
        link(practitioner, group, young_person)
        before = written()
        response = client_for(practitioner).post(
            link_new_url(young_person), {"context": group.pk, "reason": "Again"}
        )
        assert response.status_code == 400
        assert error_summary(response) == ["This young person is already linked to this context"]
        assert written() == before

    def test_a_closed_context_is_refused(self, client_for, practitioner, young_person, group):
        close(practitioner, group)
        response = client_for(practitioner).post(
            link_new_url(young_person), {"context": group.pk, "reason": "Why"}
        )
        assert response.status_code == 400
        assert error_summary(response) == [link_services.CONTEXT_CLOSED]
        assert not ContextLink.objects.exists()

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_others_get_not_found_and_nothing_is_saved(
        self, request, client_for, young_person, group, who
    ):
        client = client_for(request.getfixturevalue(who))
        before = written()
        assert client.get(link_new_url(young_person)).status_code == 404
        response = client.post(link_new_url(young_person), {"context": group.pk, "reason": "x"})
        assert response.status_code == 404
        assert written() == before

    def test_anonymous_is_sent_to_sign_in(self, client, young_person, group):
        url = link_new_url(young_person)
        response = client.post(url, {"context": group.pk, "reason": "x"})
        assert (response.status_code, response["Location"]) == (302, sign_in_redirect(url))
        assert not ContextLink.objects.exists()


class TestLinkEndPage:
    @pytest.mark.parametrize("who", ALLOWED)
    def test_ending_returns_to_the_record(
        self, request, client_for, practitioner, young_person, group, who
    ):
        made = link(practitioner, group, young_person)
        client = client_for(request.getfixturevalue(who))

        page = client.get(link_end_url(young_person, made))
        response = client.post(link_end_url(young_person, made), {"reason": "Moved away"})

        assert page.status_code == 200
        assert f"End the link to {group.name}" in page.content.decode()
        assert (response.status_code, response["Location"]) == (302, detail_url(young_person))
        made.refresh_from_db()
        assert (made.is_active, made.end_reason) == (False, "Moved away")
        group.refresh_from_db()
        assert group.status == ContextStatus.OPEN

    def test_a_reason_is_needed(self, client_for, practitioner, young_person, group):
        made = link(practitioner, group, young_person)
        before = written()
        response = client_for(practitioner).post(link_end_url(young_person, made), {"reason": ""})
        assert response.status_code == 400
        assert error_summary(response) == ["Enter why the link is ending"]
        assert written() == before

    def test_an_ended_link_says_so(self, client_for, practitioner, young_person, group):
        made = link(practitioner, group, young_person)
        end(practitioner, made)
        client = client_for(practitioner)
        assert (
            "This link has already ended."
            in client.get(link_end_url(young_person, made)).content.decode()
        )
        response = client.post(link_end_url(young_person, made), {"reason": "Again"})
        assert response.status_code == 400
        assert error_summary(response) == ["This link has already ended"]

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_others_get_not_found(
        self, request, client_for, practitioner, young_person, group, who
    ):
        made = link(practitioner, group, young_person)
        client = client_for(request.getfixturevalue(who))
        before = written()
        assert client.get(link_end_url(young_person, made)).status_code == 404
        assert client.post(link_end_url(young_person, made), {"reason": "x"}).status_code == 404
        assert written() == before

    def test_a_link_of_another_record_is_not_found_through_this_one(
        self,
        client_for,
        practitioner,
        young_person,
        group,
        other_team_practitioner,
        other_young_person,
    ):
        theirs = link(other_team_practitioner, group, other_young_person)
        before = written()
        response = client_for(practitioner).post(
            link_end_url(young_person, theirs), {"reason": "Not mine to end"}
        )
        assert response.status_code == 404
        assert written() == before

    def test_anonymous_is_sent_to_sign_in(self, client, practitioner, young_person, group):
        made = link(practitioner, group, young_person)
        url = link_end_url(young_person, made)
        response = client.post(url, {"reason": "x"})
        assert (response.status_code, response["Location"]) == (302, sign_in_redirect(url))
        made.refresh_from_db()
        assert made.is_active


class TestLocationLinkPage:
    @pytest.mark.parametrize("who", ALLOWED)
    def test_lists_location_contexts_from_the_places_district_and_links_one(
        self, request, client_for, practitioner, young_person, location_context, group, who
    ):
        elsewhere = open_context(practitioner, kind=ContextKind.LOCATION, postcode="NB9 1AA")
        place = place_of_harm(practitioner, young_person)
        client = client_for(request.getfixturevalue(who))

        page = client.get(location_link_url(young_person, place))
        everywhere = client.get(location_link_url(young_person, place) + "?q=")
        response = client.post(
            location_link_url(young_person, place), {"context": location_context.pk}
        )

        assert page.status_code == 200
        assert [c.pk for c in page.context["page"].object_list] == [location_context.pk]
        assert {c.pk for c in everywhere.context["page"].object_list} == {
            location_context.pk,
            elsewhere.pk,
        }  # never the peer group
        assert (response.status_code, response["Location"]) == (302, detail_url(young_person))
        place.refresh_from_db()
        assert place.context == location_context

    def test_offers_a_new_location_context_filled_in_from_the_place(
        self, client_for, practitioner, young_person
    ):
        place = place_of_harm(practitioner, young_person)
        response = client_for(practitioner).get(location_link_url(young_person, place))
        assert response.context["new_context_url"] == (
            f"{reverse('contexts:new')}?kind=location&location_type={place.location_type_id}"
            "&postcode=NB7+3QT"
        )
        assert "Open a new location context from this place" in response.content.decode()

    def test_a_peer_group_is_refused(self, client_for, practitioner, young_person, group):
        place = place_of_harm(practitioner, young_person)
        response = client_for(practitioner).post(
            location_link_url(young_person, place), {"context": group.pk}
        )
        assert response.status_code == 400
        assert error_summary(response) == [link_services.NOT_A_LOCATION]
        place.refresh_from_db()
        assert place.context is None

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_others_get_not_found(
        self, request, client_for, practitioner, young_person, location_context, who
    ):
        place = place_of_harm(practitioner, young_person)
        client = client_for(request.getfixturevalue(who))
        assert client.get(location_link_url(young_person, place)).status_code == 404
        response = client.post(
            location_link_url(young_person, place), {"context": location_context.pk}
        )
        assert response.status_code == 404
        place.refresh_from_db()
        assert place.context is None

    def test_a_place_of_another_record_is_not_found_through_this_one(
        self,
        client_for,
        practitioner,
        young_person,
        location_context,
        other_team_practitioner,
        other_young_person,
    ):
        theirs = place_of_harm(other_team_practitioner, other_young_person)
        response = client_for(practitioner).post(
            location_link_url(young_person, theirs), {"context": location_context.pk}
        )
        assert response.status_code == 404
        theirs.refresh_from_db()
        assert theirs.context is None

    def test_anonymous_is_sent_to_sign_in(self, client, practitioner, young_person):
        place = place_of_harm(practitioner, young_person)
        url = location_link_url(young_person, place)
        assert client.get(url)["Location"] == sign_in_redirect(url)


class TestRecordSection:
    def test_lists_current_contexts_and_the_link_history(
        self, client_for, practitioner, team_manager, young_person, group, school
    ):
        first = link(practitioner, group, young_person, reason="First concern")
        end(team_manager, first, reason="Concern resolved")
        link(practitioner, school, young_person, reason="Exclusions this term")

        response = client_for(practitioner).get(detail_url(young_person))

        page = response.content.decode()
        assert response.status_code == 200
        current = page.split('data-testid="current-links"')[1].split("</table>")[0]
        ended = page.split('data-testid="ended-links"')[1].split("</details>")[0]
        assert school.name in current and "Exclusions this term" in current
        assert group.name not in current
        assert "Concern resolved" in ended and "First concern" in ended
        assert "Mona Tester" in ended  # who ended it
        assert reverse("contexts:detail", args=[group.pk]) in ended
        assert reverse("contexts:link_new", args=[young_person.pk]) in page
        assert "End link" in current

    def test_places_of_harm_offer_a_location_context(
        self, client_for, practitioner, young_person, location_context
    ):
        place = place_of_harm(practitioner, young_person)
        page = client_for(practitioner).get(detail_url(young_person)).content.decode()
        assert location_link_url(young_person, place) in page
        assert "Link to a location context" in page

        link_services.location_of_harm_link_context(
            actor=practitioner, location=place, context=location_context
        )
        page = client_for(practitioner).get(detail_url(young_person)).content.decode()
        assert "Part of <a" in page and location_context.name in page

    def test_nothing_linked(self, client_for, practitioner, young_person):
        page = client_for(practitioner).get(detail_url(young_person)).content.decode()
        assert "Not linked to any context now." in page
        assert 'data-testid="ended-links"' not in page


class TestCaseloadColumn:
    def test_each_row_names_the_contexts_linked_now(
        self, client_for, practitioner, young_person, group, school
    ):
        link(practitioner, group, young_person)
        ended = link(practitioner, school, young_person)
        end(practitioner, ended)

        response = client_for(practitioner).get(reverse("cases:caseload"))

        cell = response.content.decode().split('data-testid="context-names">')[1].split("</td>")[0]
        assert cell == group.name

    def test_one_query_whatever_the_number_of_young_people(
        self, practitioner, team_manager, group, school, django_assert_num_queries
    ):
        people = [YoungPersonFactory(actor=practitioner) for _ in range(6)]
        for person in people:
            link(practitioner, group, person)
            link(practitioner, school, person)

        with django_assert_num_queries(1):
            names = context_names_for(young_people=people)

        assert names == {p.pk: sorted([group.name, school.name]) for p in people}

    def test_no_query_for_an_empty_page(self, django_assert_num_queries):
        with django_assert_num_queries(0):
            assert context_names_for(young_people=[]) == {}


class TestProfessionalsPartial:
    def test_shows_professionals_and_counts_from_the_selectors(
        self, practitioner, young_person, other_team_practitioner, other_young_person, group
    ):
        link(practitioner, group, young_person)
        made = link(other_team_practitioner, group, other_young_person)
        end(other_team_practitioner, made)

        given = render_to_string(
            "contexts/links/_professionals.html",
            {
                "context": group,
                "professionals": context_professionals(context=group),
                "link_counts": context_link_counts(context=group),
            },
        )
        read_here = render_to_string("contexts/links/_professionals.html", {"context": group})

        assert given == read_here
        assert "Pat Tester" in given and "Team A" in given and "practitioner@csafe.invalid" in given
        assert "Otto Tester" not in given  # his young person's link ended
        assert 'Young people linked now</dt><dd class="govuk-summary-list__value">1<' in given
        assert 'Young people ever linked</dt><dd class="govuk-summary-list__value">2<' in given
        for child in (young_person, other_young_person):
            assert child.first_name not in given and child.last_name not in given


class TestQueryCounts:
    """The record's contexts section and the API list cost the same whatever the number of
    links: the links with their contexts and staff in one query, and the word for a peer group
    read at most once."""

    @staticmethod
    def _count(client, url) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.get(url)  # warm the process-wide caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def _link_many(self, practitioner, young_person, number):
        for index in range(number):
            kind = ContextKind.PEER_GROUP if index % 2 else ContextKind.SCHOOL
            details = {"area": f"Area {index}"} if index % 2 else {"label": f"School {index}"}
            made = link(
                practitioner, open_context(practitioner, kind=kind, **details), young_person
            )
            if index % 3 == 0:
                end(practitioner, made)

    def test_the_record_page(self, client_for, practitioner, young_person, group):
        client = client_for(practitioner)
        link(practitioner, group, young_person)
        one = self._count(client, detail_url(young_person))
        self._link_many(practitioner, young_person, 8)
        many = self._count(client, detail_url(young_person))
        assert many == one
        assert len(client.get(detail_url(young_person)).context["context_links"]) == 9

    def test_the_api_list(self, practitioner, young_person, group):
        from rest_framework.test import APIClient

        client = APIClient()
        client.force_authenticate(practitioner)
        url = f"/api/v1/young-people/{young_person.pk}/context-links/"
        link(practitioner, group, young_person)
        one = self._count(client, url)
        self._link_many(practitioner, young_person, 8)
        assert self._count(client, url) == one
        assert client.get(url).json()["count"] == 9
