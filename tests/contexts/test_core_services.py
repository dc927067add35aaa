"""The services for context records themselves: opening (named by the convention, with the
duplicate checks), changing details, closing (with the closure record under the triangle
headings and the explicit rule for links) and reopening. Who may make each change, each rule's
exact message with nothing half-saved, the audit events, the thematic-text guard and the
notifications of linked practitioners.

The builders shared with the page and API tests of context records are in
tests/contexts/context_support.py.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from cases.models import LocationType
from contexts.guard import NAME_MESSAGE as THEMATIC_MESSAGE
from contexts.linking.services import context_link_end
from contexts.models import ContextStatusChange
from contexts.reference import ContextStatus, LinkEndRule
from contexts.selectors import core as selectors
from contexts.services import configuration as configuration_services
from contexts.services import contexts as services
from csafe.accounts.models import Role
from csafe.audit.models import Event, EventKind
from csafe.core.vocabulary import ContextKind
from csafe.notifications.models import Notification
from tests.contexts.context_support import (
    CONFLICT,
    GANGS,
    close,
    days_ago,
    group_name,
    harm_type,
    link,
    long_date,
    open_group,
    open_location,
    refused,
    reopen,
    snapshot,
    today,
    update,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CANNOT_WORK = "Only practitioners and team managers in a team can open or change context records"
CCE = "Child criminal exploitation, including county lines"


# --- Opening ------------------------------------------------------------------------------------


class TestOpen:
    @pytest.mark.parametrize("who", ["practitioner", "team_manager", "other_team_practitioner"])
    def test_practitioners_and_team_managers_open_contexts_for_their_team(self, request, who):
        actor = request.getfixturevalue(who)
        context = open_group(actor, harm_types=[harm_type(GANGS), harm_type(CCE)])
        assert context.name == group_name()
        assert context.normalised_name == "groupeastfield" + f"{days_ago(20):%Y%m}"
        assert context.status == ContextStatus.OPEN
        assert context.lead_practitioner == actor
        assert context.team == actor.team
        assert context.created_by == actor
        assert context.version == 1
        assert {h.name for h in context.harm_types.all()} == {GANGS, CCE}
        event = Event.objects.get(kind=EventKind.CONTEXT_OPENED)
        assert event.actor == actor
        assert event.target_id == str(context.pk)
        assert event.young_person is None
        assert event.detail == {"name": context.name, "kind": "peer_group"}

    @pytest.mark.parametrize("who", ["service_manager", "administrator"])
    def test_others_cannot_open_contexts(self, request, who):
        actor = request.getfixturevalue(who)
        refused(lambda: open_group(actor), CANNOT_WORK)

    def test_the_lead_can_be_someone_else_and_the_team_is_theirs(
        self, practitioner, other_team_practitioner
    ):
        context = open_group(practitioner, lead_practitioner=other_team_practitioner)
        assert context.lead_practitioner == other_team_practitioner
        assert context.team == other_team_practitioner.team
        assert context.created_by == practitioner

    def test_the_lead_must_work_on_contexts(self, practitioner, service_manager):
        refused(
            lambda: open_group(practitioner, lead_practitioner=service_manager),
            "The lead practitioner must be a practitioner or team manager in a team",
            "lead_practitioner",
        )

    def test_a_location_is_named_by_type_and_postcode_normalised(self, practitioner):
        context = open_location(practitioner, postcode="nb1   2aa")
        assert context.name == "Park or open space – NB1 2AA"
        assert context.postcode == "NB1 2AA"
        assert context.postcode_district == "NB1"

    def test_a_name_that_needs_a_missing_postcode_is_refused(self, practitioner):
        refused(
            lambda: open_location(practitioner, postcode=""),
            "The naming convention needs a postcode",
            "postcode",
        )

    def test_a_bad_postcode_is_refused(self, practitioner):
        refused(
            lambda: open_location(practitioner, postcode="NB1 2A"),
            "Enter a real postcode, like NB1 2AA",
            "postcode",
        )

    def test_a_group_without_an_area_is_refused_naming_it(self, practitioner):
        refused(
            lambda: open_group(practitioner, area=""), "The naming convention needs an area", "area"
        )

    def test_a_missing_label_and_area_are_both_named(self, practitioner):
        refused(
            lambda: services.context_open(
                actor=practitioner, kind=ContextKind.OTHER, opened_on=days_ago(1)
            ),
            "The naming convention needs the name of the place, school or platform and an area",
            "label",
        )

    def test_the_date_opened_cannot_be_to_come(self, practitioner):
        refused(
            lambda: open_group(practitioner, opened_on=today() + timedelta(days=1)),
            "The date opened must be today or in the past",
            "opened_on",
        )

    def test_a_retired_harm_type_cannot_be_added(self, practitioner, administrator):
        from harms import services as harm_services

        retired = harm_services.harm_type_set_active(
            actor=administrator, harm_type=harm_type(GANGS), active=False, reason="No longer used"
        )
        refused(
            lambda: open_group(practitioner, harm_types=[retired]),
            "Gangs has been retired and cannot be added to a context",
            "harm_types",
        )

    def test_the_configured_word_names_groups(self, practitioner, administrator):
        configuration_services.configuration_update(actor=administrator, peer_group_term="network")
        context = open_group(practitioner)
        assert context.name == group_name().replace("Group", "Network")

    def test_the_convention_names_contexts(self, practitioner, administrator):
        configuration_services.convention_update(
            actor=administrator, kind="school", template="{label} ({district})"
        )
        context = services.context_open(
            actor=practitioner,
            kind=ContextKind.SCHOOL,
            label="Northgate Academy",
            postcode="NB3 7QT",
            opened_on=days_ago(3),
        )
        assert context.name == "Northgate Academy (NB3)"


class TestDuplicates:
    def test_an_open_context_with_the_name_is_refused_naming_it(self, practitioner, teammate):
        existing = open_group(practitioner)
        error = refused(
            lambda: open_group(teammate, confirmed_not_duplicate=True),
            f"{existing.name} is already open",
            "name",
        )
        assert isinstance(error, services.ContextNameTaken)
        assert error.context == existing

    def test_the_name_is_compared_without_case(self, practitioner):
        existing = open_location(practitioner, postcode="NB1 2AA")
        refused(
            lambda: open_location(practitioner, postcode="nb12aa"),
            f"{existing.name} is already open",
        )

    def test_a_closed_context_with_the_name_is_offered_for_reopening(self, practitioner, teammate):
        existing = open_group(practitioner)
        close(practitioner, existing)
        error = refused(
            lambda: open_group(teammate),
            f"{existing.name} was closed on {long_date(today())}. Reopen it rather than opening "
            "a new context with the same name: reopening keeps its chronology.",
            "name",
        )
        assert isinstance(error, services.ReopenInstead)
        assert error.context == existing

    def test_the_same_name_written_differently_needs_confirming(self, practitioner, teammate):
        existing = open_group(practitioner)
        configuration_services.convention_update(
            actor=UserFactory(role=Role.ADMINISTRATOR),
            kind="peer_group",
            template="{term} - {area} - {opened:%Y-%m}",  # hyphens, not dashes
        )
        error = refused(
            lambda: open_group(teammate, confirmed_not_duplicate=False),
            services.POSSIBLE_DUPLICATE,
            "confirm_not_duplicate",
        )
        assert isinstance(error, services.PossibleDuplicateContexts)
        assert error.name == group_name().replace("–", "-")
        assert error.candidates == [existing]
        confirmed = open_group(teammate, confirmed_not_duplicate=True)
        assert confirmed.name == error.name

    def test_the_same_kind_at_the_same_postcode_needs_confirming(self, practitioner):
        existing = open_location(practitioner, postcode="NB1 2AA")
        stairwell = LocationType.objects.get(name="Stairwell or communal area")
        error = refused(
            lambda: open_location(
                practitioner,
                postcode="NB1 2AA",
                location_type=stairwell,
                confirmed_not_duplicate=False,
            ),
            services.POSSIBLE_DUPLICATE,
        )
        assert error.candidates == [existing]

    def test_a_similar_name_of_the_same_kind_needs_confirming(self, practitioner):
        existing = open_group(practitioner, area="Eastfield Estate")
        error = refused(
            lambda: open_group(practitioner, area="Eastfeld Estate", confirmed_not_duplicate=False),
            services.POSSIBLE_DUPLICATE,
        )
        assert error.candidates == [existing]

    def test_a_different_name_or_kind_is_not_a_duplicate(self, practitioner):
        open_group(practitioner, area="Eastfield Estate")
        # Different enough to be another group; and a school of a similar name is another kind.
        assert open_group(practitioner, area="Northgate", confirmed_not_duplicate=False)
        assert services.context_open(
            actor=practitioner,
            kind=ContextKind.SCHOOL,
            label="Group Eastfield Estate",
            opened_on=days_ago(1),
        )

    def test_the_check_says_what_opening_would_find_without_saving(self, practitioner):
        existing = open_group(practitioner)
        before = snapshot()
        check = services.context_name_check(
            actor=practitioner,
            kind=ContextKind.PEER_GROUP,
            area="Eastfield",
            opened_on=days_ago(20),
        )
        assert check.name == existing.name
        assert check.matches.open_match == existing
        assert check.matches.closed_match is None
        assert snapshot() == before


# --- Changing details ---------------------------------------------------------------------------


class TestUpdate:
    @pytest.mark.parametrize("who", ["practitioner", "teammate", "other_team_practitioner"])
    def test_anyone_who_works_on_contexts_changes_details_and_the_name_follows(
        self, request, practitioner, who
    ):
        actor = request.getfixturevalue(who)
        context = open_group(practitioner)
        updated = update(
            actor, context, area="Northgate", description="Meets at the station now", harm_types=[]
        )
        assert updated.name == group_name("Northgate")
        assert updated.normalised_name == "groupnorthgate" + f"{days_ago(20):%Y%m}"
        assert updated.version == 2
        event = Event.objects.get(kind=EventKind.CONTEXT_UPDATED)
        assert event.actor == actor
        assert event.young_person is None
        assert event.detail == {"changed": ["name", "area", "description"]}

    def test_a_new_convention_renames_only_when_a_naming_detail_changes(
        self, practitioner, administrator
    ):
        context = open_group(practitioner)
        configuration_services.convention_update(
            actor=administrator, kind="peer_group", template="{area} {term}"
        )
        assert update(practitioner, context, description="Later").name == group_name()
        assert update(practitioner, context, area="Northgate").name == "Northgate Group"

    def test_a_stale_version_is_refused(self, practitioner, teammate):
        context = open_group(practitioner)
        update(teammate, context, description="First change")
        refused(
            lambda: update(practitioner, context, description="Second", expected_version=1),
            CONFLICT,
        )

    def test_nothing_changed_writes_nothing(self, practitioner):
        context = open_group(practitioner)
        before = snapshot()
        update(practitioner, context)
        context.refresh_from_db()
        assert context.version == 1
        assert snapshot() == before

    def test_a_new_name_another_context_has_is_refused(self, practitioner):
        other = open_group(practitioner, area="Northgate")
        context = open_group(practitioner)
        refused(
            lambda: update(practitioner, context, area="Northgate"), f"{other.name} is already open"
        )

    def test_a_closed_context_cannot_be_changed(self, practitioner):
        context = open_group(practitioner)
        close(practitioner, context)
        refused(
            lambda: update(practitioner, context, description="Late note"),
            "This context is closed. Reopen it to change its details.",
        )

    def test_service_managers_cannot_change_contexts(self, practitioner, service_manager):
        context = open_group(practitioner)
        refused(lambda: update(service_manager, context, description="x"), CANNOT_WORK)

    def test_text_naming_a_linked_young_person_is_refused(self, practitioner, young_person):
        context = open_group(practitioner)
        link(practitioner, context, young_person)
        refused(
            lambda: update(
                practitioner, context, incident="zephyrine QUILLFEATHER was seen at the park"
            ),
            THEMATIC_MESSAGE,
            "incident",
        )

    def test_a_change_tells_the_practitioners_of_linked_young_people(
        self,
        practitioner,
        other_team_practitioner,
        young_person,
        other_young_person,
        django_capture_on_commit_callbacks,
    ):
        context = open_group(practitioner)
        link(practitioner, context, young_person)
        link(other_team_practitioner, context, other_young_person)
        Notification.objects.all().delete()
        with django_capture_on_commit_callbacks(execute=True):
            update(practitioner, context, description="Meets later in the evening now")
        # Not the practitioner who made the change; once to everyone else.
        notes = list(Notification.objects.all())
        assert [n.recipient for n in notes] == [other_team_practitioner]
        assert "Details changed" in notes[0].title
        assert context.name in notes[0].title
        assert notes[0].body.startswith(f"Details changed on the context record {context.name}.")


# --- Closing ------------------------------------------------------------------------------------


class TestClose:
    @pytest.mark.parametrize("who", ["lead", "team_manager"])
    def test_the_lead_or_a_manager_of_the_team_closes(self, request, practitioner, who):
        actor = practitioner if who == "lead" else request.getfixturevalue(who)
        context = open_group(practitioner)
        change = close(actor, context)
        context.refresh_from_db()
        assert context.status == ContextStatus.CLOSED
        assert context.version == 2
        assert change.action == "closed"
        assert change.by == actor
        assert change.links_rule == "keep"
        assert change.functioning_change == "Fewer members; the older members have moved on"
        event = Event.objects.get(kind=EventKind.CONTEXT_CLOSED)
        assert event.young_person is None
        assert event.detail == {"status_change": change.pk, "links_rule": "keep", "links_ended": 0}

    @pytest.mark.parametrize(
        "who", ["teammate", "other_team_practitioner", "other_team_manager", "service_manager"]
    )
    def test_nobody_else_closes(self, request, practitioner, who):
        context = open_group(practitioner)
        actor = request.getfixturevalue(who)
        refused(
            lambda: close(actor, context),
            f"Only the lead practitioner ({practitioner}) or a manager of Team A can close "
            "this context",
        )

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
    def test_closing_without_the_closure_record_is_refused(self, practitioner, missing, message):
        context = open_group(practitioner)
        refused(lambda: close(practitioner, context, **{missing: "  "}), message, missing)
        context.refresh_from_db()
        assert context.status == ContextStatus.OPEN

    def test_the_headings_are_the_kinds(self, practitioner):
        context = open_location(practitioner)
        refused(
            lambda: close(practitioner, context, guardianship_change=""),
            "Describe how availability of guardianship changed",
        )

    def test_the_date_closed(self, practitioner):
        context = open_group(practitioner)
        refused(
            lambda: close(practitioner, context, on=today() + timedelta(days=1)),
            "The date closed must be today or in the past",
            "on",
        )
        refused(
            lambda: close(practitioner, context, on=days_ago(21)),
            "The date closed must be on or after the date the context was opened, "
            f"{long_date(days_ago(20))}",
            "on",
        )

    def test_a_closed_context_cannot_close_again(self, practitioner):
        context = open_group(practitioner)
        close(practitioner, context)
        refused(lambda: close(practitioner, context), "This context is already closed")

    def test_a_stale_version_is_refused(self, practitioner, teammate):
        context = open_group(practitioner)
        update(teammate, context, description="Changed")
        refused(lambda: close(practitioner, context, expected_version=1), CONFLICT)

    def test_closure_text_naming_a_linked_young_person_is_refused(self, practitioner, young_person):
        context = open_group(practitioner)
        link(practitioner, context, young_person)
        refused(
            lambda: close(practitioner, context, reason="Zephyrine Quillfeather moved away"),
            THEMATIC_MESSAGE,
            "reason",
        )

    def test_the_end_rule_ends_every_active_link_with_the_closure_as_reason(
        self, practitioner, team_manager, young_person, other_team_practitioner, other_young_person
    ):
        context = open_group(practitioner)
        first = link(practitioner, context, young_person)
        second = link(other_team_practitioner, context, other_young_person)
        ended_before = context_link_end(
            actor=practitioner, link=first, reason="Moved schools"
        )  # already ended: left as it was
        again = link(practitioner, context, young_person)
        close(team_manager, context, links_rule=LinkEndRule.END)
        for row in (second, again):
            row.refresh_from_db()
            assert row.ended_at is not None
            assert row.ended_by == team_manager
            assert row.end_reason == (
                f"The context closed on {long_date(today())}: Safety has increased: the group "
                "no longer meets at the skate park"
            )
        ended_before.refresh_from_db()
        assert ended_before.end_reason == "Moved schools"
        events = Event.objects.filter(
            kind=EventKind.CONTEXT_LINK_ENDED, detail__closure=True
        ).order_by("young_person_id")
        assert {e.young_person for e in events} == {young_person, other_young_person}
        assert {e.target_id for e in events} == {str(second.pk), str(again.pk)}
        closed = Event.objects.get(kind=EventKind.CONTEXT_CLOSED)
        assert closed.detail["links_ended"] == 2
        assert closed.detail["links_rule"] == "end"

    def test_the_keep_rule_keeps_the_links_through_closure_and_reopening(
        self, practitioner, young_person
    ):
        context = open_group(practitioner)
        row = link(practitioner, context, young_person)
        close(practitioner, context, links_rule=LinkEndRule.KEEP)
        row.refresh_from_db()
        assert row.ended_at is None
        assert not Event.objects.filter(kind=EventKind.CONTEXT_LINK_ENDED).exists()
        reopen(practitioner, context)
        assert (
            selectors.context_list_for_user(user=practitioner)
            .get(pk=context.pk)
            .linked_young_people
            == 1
        )

    def test_closing_tells_the_practitioners_of_linked_young_people(
        self,
        practitioner,
        other_team_practitioner,
        other_young_person,
        django_capture_on_commit_callbacks,
    ):
        context = open_group(practitioner)
        link(other_team_practitioner, context, other_young_person)
        Notification.objects.all().delete()
        with django_capture_on_commit_callbacks(execute=True):
            close(practitioner, context)
        note = Notification.objects.get()
        assert note.recipient == other_team_practitioner
        assert note.body.startswith(f"Closure recorded on the context record {context.name}.")


# --- Reopening ----------------------------------------------------------------------------------


class TestReopen:
    def test_reopening_needs_a_reason_and_keeps_everything(self, practitioner, team_manager):
        context = open_group(practitioner)
        close(practitioner, context)
        refused(
            lambda: reopen(team_manager, context, reason=""),
            "Enter why the context is reopening",
            "reason",
        )
        change = reopen(team_manager, context)
        context.refresh_from_db()
        assert context.status == ContextStatus.OPEN
        assert context.version == 3
        assert change.action == "reopened"
        assert change.reason == "The group is meeting again"
        assert list(
            ContextStatusChange.objects.filter(context=context)
            .order_by("pk")
            .values_list("action", flat=True)
        ) == ["closed", "reopened"]
        event = Event.objects.get(kind=EventKind.CONTEXT_REOPENED)
        assert event.actor == team_manager
        assert event.young_person is None

    def test_only_the_lead_or_a_manager_reopens(self, practitioner, teammate):
        context = open_group(practitioner)
        close(practitioner, context)
        refused(
            lambda: reopen(teammate, context),
            f"Only the lead practitioner ({practitioner}) or a manager of Team A can reopen "
            "this context",
        )

    def test_an_open_context_cannot_be_reopened(self, practitioner):
        context = open_group(practitioner)
        refused(lambda: reopen(practitioner, context), "This context is already open")

    def test_the_date_reopened(self, practitioner):
        context = open_group(practitioner)
        close(practitioner, context, on=days_ago(2))
        refused(
            lambda: reopen(practitioner, context, on=days_ago(3)),
            f"The date reopened must be on or after the date the context closed, "
            f"{long_date(days_ago(2))}",
            "on",
        )


# --- Chronology --------------------------------------------------------------------------------


class TestChronology:
    def test_the_whole_story_newest_first_with_links_as_counts_per_day_and_person(
        self,
        practitioner,
        team_manager,
        other_team_practitioner,
        young_person,
        other_young_person,
    ):
        context = open_group(practitioner, opened_on=days_ago(30))
        first = link(practitioner, context, young_person)
        link(other_team_practitioner, context, other_young_person)
        context_link_end(actor=practitioner, link=first, reason="Zephyrine moved away")
        update(practitioner, context, description="Meets at the station now")
        close(team_manager, context, on=days_ago(0))
        reopen(practitioner, context)
        entries = selectors.context_chronology(context=context)
        titles = [e.title for e in entries]
        assert titles[-1] == "Context opened"
        assert entries[-1].by == str(practitioner)
        assert entries[-1].on == days_ago(30)
        assert titles[:2] == ["Context reopened", "Context closed"]
        # Links as counts per day and per member of staff who made or ended them: a
        # professional's name, never a young person's, nor why they were linked or unlinked.
        link_entries = [e for e in entries if e.kind == "link"]
        assert sorted((e.on, e.title, e.by, e.detail) for e in link_entries) == [
            (days_ago(0), "Links ended: 1", str(practitioner), ""),
            (days_ago(0), "Young people linked: 1 more", str(other_team_practitioner), ""),
            (days_ago(0), "Young people linked: 1 more", str(practitioner), ""),
        ]
        assert "Details changed" in titles
        closed = next(e for e in entries if e.title == "Context closed")
        assert closed.detail == (
            "Reason: Safety has increased: the group no longer meets at the skate park\n"
            "Group functioning: Fewer members; the older members have moved on\n"
            "Guardianship capacity: Park wardens and detached youth workers are there most "
            "evenings\n"
            "Environmental and family factors: The park is lit and the gap in the fence is closed"
        )
        everything = " ".join(f"{e.title} {e.by} {e.detail}" for e in entries)
        for secret in ("Zephyrine", "Quillfeather", "Bartholomew", "Nettlecombe", "moved away"):
            assert secret not in everything

    def test_the_work_on_the_context_is_there_by_who_did_it(self, practitioner, teammate):
        from cases.reference import ActionProgress, PartnerAgency
        from contexts.reference import ContextRecordKind
        from contexts.services import work as work_services

        context = open_group(practitioner)
        work_services.context_record_add(
            actor=teammate,
            context=context,
            kind=ContextRecordKind.MEETING,
            held_on=days_ago(5),
            functioning="The group meets after school",
        )
        action = work_services.context_action_add(
            actor=practitioner,
            context=context,
            side="guardianship",
            description="Detached youth work at the skate park",
            partner_agency=PartnerAgency.YOUTH_SERVICE,
            owner="Youth service lead",
            due_date=today() + timedelta(days=30),
        )
        work_services.context_action_update_progress(
            actor=teammate,
            action=action,
            progress=ActionProgress.DONE,
            completed_on=today(),
        )
        context.refresh_from_db()
        work_services.context_plan_review_set(
            actor=practitioner, context=context, review_date=today() + timedelta(days=60)
        )
        entries = {e.title: e for e in selectors.context_chronology(context=context)}
        assert entries["Meeting note recorded"].by == str(teammate)
        assert entries["Meeting note recorded"].on == days_ago(5)
        assert entries["Plan action added"].detail == (
            "Guardianship capacity: Detached youth work at the skate park (Youth service, owner "
            f"Youth service lead, due {long_date(today() + timedelta(days=30))})"
        )
        assert entries["Plan action progress updated"].detail == "Done"
        assert entries["Plan action progress updated"].by == str(teammate)
        assert entries["Plan action done"].on == today()
        assert entries["Plan action done"].by == str(teammate)
        assert entries["Plan review date set"].detail == (
            f"Review on {long_date(today() + timedelta(days=60))}"
        )
