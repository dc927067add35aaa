"""The link-time check: linking a young person to a context is refused while any text already on
the context identifies that child (contexts.linking.services.context_link_young_person), in any
rendering cases.identity recognises, with a message saying where the text is so the lead
practitioner can correct it.

Every text here is written before the child's record exists, as happens when a context is
opened about an incident and the child is referred later: the write-time guard could not know
the child then. The forms used (surname alone, an address) are ones only a known identity
matches, so they pass that guard. Every person here is invented."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.reference import ActionProgress, PartnerAgency
from contexts.linking.services import context_link_young_person, named_in_context_message
from contexts.models import ContextLink
from contexts.reference import ContextRecordKind, LinkEndRule, TriangleSide
from contexts.services import contexts as context_services
from contexts.services import work as work_services
from csafe.core.dates import long_date
from csafe.core.errors import ApplicationError
from csafe.core.vocabulary import ContextKind
from tests.factories import YoungPersonFactory

pytestmark = pytest.mark.django_db

SURNAME = "Blackthorn"


def today() -> date:
    return timezone.localdate()


def open_group(actor, **extra):
    fields = {
        "kind": ContextKind.PEER_GROUP,
        "area": "Eastfield",
        "opened_on": today() - timedelta(days=20),
        "incident": "Fight at the skate park after school",
        "description": "Older and younger members meet at the skate park most evenings",
        "confirmed_not_duplicate": True,
    } | extra
    return context_services.context_open(actor=actor, **fields)


def add_record(actor, context, **overrides):
    fields = {
        "kind": ContextRecordKind.MEETING,
        "held_on": today() - timedelta(days=3),
        "functioning": "The group meets daily at the precinct.",
    } | overrides
    return work_services.context_record_add(actor=actor, context=context, **fields)


def add_action(actor, context, **overrides):
    fields = {
        "side": TriangleSide.GUARDIANSHIP,
        "description": "Detached youth work at the precinct on weekday evenings",
        "partner_agency": PartnerAgency.YOUTH_SERVICE,
        "owner": "Detached youth work lead",
        "due_date": today() + timedelta(days=30),
    } | overrides
    return work_services.context_action_add(actor=actor, context=context, **fields)


def close_and_reopen(actor, context, closing: dict | None = None, reopening: str = ""):
    context_services.context_close(
        actor=actor,
        context=context,
        **{
            "on": today(),
            "reason": "The group no longer meets at the skate park",
            "functioning_change": "Fewer members; the older members have moved on",
            "guardianship_change": "Park wardens are there most evenings",
            "environment_change": "The park is lit and the fence is mended",
            "links_rule": LinkEndRule.KEEP,
        }
        | (closing or {}),
    )
    context.refresh_from_db()
    context_services.context_reopen(
        actor=actor,
        context=context,
        on=today(),
        reason=reopening or "The group is meeting again",
    )
    context.refresh_from_db()


def ravenna(team_manager, **extra):
    return YoungPersonFactory(actor=team_manager, first_name="Ravenna", last_name=SURNAME, **extra)


def link(actor, context, young_person):
    return context_link_young_person(
        actor=actor, context=context, young_person=young_person, reason="Seen with the group"
    )


def refusal(call) -> ApplicationError:
    before = ContextLink.objects.count()
    with pytest.raises(ApplicationError) as caught:
        call()
    assert ContextLink.objects.count() == before
    return caught.value


# (where the surname is written, how the refusal names the place). The dates are filled in by
# ``dated`` inside the test: built at collection, they are yesterday's when a run crosses midnight.
PLACES = [
    ("description", "the context's details"),
    ("incident", "the context's details"),
    ("meeting:functioning", "the meeting note of {met}"),
    ("meeting:guardianship", "the meeting note of {met}"),
    ("meeting:environment", "the meeting note of {met}"),
    ("assessment:weighting_reason", "the context assessment of {met}"),
    ("action:description", "the plan action due {due}"),
    ("action:owner", "the plan action due {due}"),
    ("action:progress_note", "the plan action due {due}"),
    ("closure:reason", "the closure of {now}"),
    ("closure:functioning_change", "the closure of {now}"),
    ("closure:guardianship_change", "the closure of {now}"),
    ("closure:environment_change", "the closure of {now}"),
    ("reopening:reason", "the reopening of {now}"),
]


def dated(where: str) -> str:
    return where.format(
        met=long_date(today() - timedelta(days=3)),
        due=long_date(today() + timedelta(days=30)),
        now=long_date(today()),
    )


def surname_written_at(place: str, practitioner):
    """A context open with the surname of the child to be linked written at ``place``."""
    text = f"The {SURNAME} brothers were seen there"
    kind, _, field = place.partition(":")
    if not field:
        return open_group(practitioner, **{kind: text})
    context = open_group(practitioner)
    if kind in {"meeting", "assessment"}:
        extra = {"weighting": TriangleSide.GUARDIANSHIP} if field == "weighting_reason" else {}
        add_record(practitioner, context, kind=kind, **{field: text}, **extra)
    elif kind == "action" and field == "progress_note":
        action = add_action(practitioner, context)
        work_services.context_action_update_progress(
            actor=practitioner, action=action, progress=ActionProgress.IN_PROGRESS, note=text
        )
    elif kind == "action":
        add_action(practitioner, context, **{field: text})
    elif kind == "closure":
        close_and_reopen(practitioner, context, closing={field: text})
    else:
        close_and_reopen(practitioner, context, reopening=text)
    return context


class TestEveryTextOnTheContextIsChecked:
    @pytest.mark.parametrize(("place", "where"), PLACES, ids=[p for p, _ in PLACES])
    def test_the_child_is_refused_with_where_the_text_is(
        self, practitioner, team_manager, young_person, place, where
    ):
        context = surname_written_at(place, practitioner)
        child = ravenna(team_manager)
        where = dated(where)

        error = refusal(lambda: link(team_manager, context, child))

        assert (error.field, error.message) == (
            "context",
            f"You cannot link Ravenna {SURNAME} to this context because their name is in "
            f"{where}. Context records are thematic and everyone working on the context can "
            f"read them: ask the lead practitioner to take it out of {where} first.",
        )
        # Only that child: another is linked as ever.
        link(team_manager, context, young_person)

    def test_an_address_is_found_as_well_as_a_name(self, practitioner, team_manager):
        context = open_group(practitioner, description="They meet outside 14 Larkspur Row")
        child = ravenna(team_manager, address_line_1="14 Larkspur Row")

        error = refusal(lambda: link(team_manager, context, child))

        assert error.message == named_in_context_message(
            f"Ravenna {SURNAME}", "the context's details", "their address"
        )

    def test_a_context_that_names_nobody_links(self, practitioner, team_manager):
        context = open_group(practitioner)
        add_record(practitioner, context)
        add_action(practitioner, context)
        close_and_reopen(practitioner, context)

        assert link(team_manager, context, ravenna(team_manager)).context_id == context.pk


class TestQueries:
    def test_the_texts_are_read_in_the_same_queries_however_many_rows(
        self, practitioner, team_manager
    ):
        """The check reads records, plan actions and closures or reopenings in one query each,
        not one per row: linking to a context with one of each costs what linking to one with
        four of each does."""

        def linking_queries(rows: int) -> int:
            context = open_group(practitioner, area=f"Area {rows}")
            for _ in range(rows):
                add_record(practitioner, context)
                add_action(practitioner, context)
                close_and_reopen(practitioner, context)
            child = YoungPersonFactory(actor=team_manager)
            with CaptureQueriesContext(connection) as queries:
                link(team_manager, context, child)
            return len(queries)

        assert linking_queries(1) == linking_queries(4)
