"""The services for the work on a context: assessments and meeting notes under the triangle
headings, the context plan and its review date. Who may make each change, each rule's exact
message with nothing half-saved, the thematic-text guard, the version and the audit event.

The helpers (opening a context, linking young people, recording work) are in
tests/contexts/work_support.py, shared by the other tests of the contexts' work.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cases import services as case_services
from cases.reference import ActionProgress, PartnerAgency
from contexts.guard import NAME_MESSAGE as THEMATIC_MESSAGE
from contexts.models import Context
from contexts.reference import ContextRecordKind
from contexts.services import work as work_services
from csafe.audit.models import Event, EventKind
from csafe.core.errors import ApplicationError
from csafe.core.vocabulary import ContextKind
from tests.contexts.work_support import (
    ENVIRONMENT,
    FUNCTIONING,
    GUARDIANSHIP,
    add_action,
    add_record,
    close_for_test,
    end_link,
    link,
    open_context_for_test,
    today,
    written,
)
from tests.dates import built
from tests.factories import YoungPersonFactory

pytestmark = pytest.mark.django_db

ALLOWED = ["practitioner", "team_manager", "other_team_practitioner", "teammate"]


def refusal(call) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        call()
    return caught.value


@pytest.fixture
def context(team_manager):
    return open_context_for_test(lead=team_manager)


@pytest.fixture
def linked(context, practitioner, other_team_practitioner, young_person, other_young_person):
    """Zephyrine Quillfeather (Team A, practitioner) and Bartholomew Nettlecombe (Team B,
    other_team_practitioner) linked to the context by their own workers."""
    link(practitioner, context, young_person)
    link(other_team_practitioner, context, other_young_person)
    context.refresh_from_db()
    return context


# --- Assessments and meeting notes -------------------------------------------------------------


class TestRecordAdd:
    @pytest.mark.parametrize("who", ALLOWED)
    @pytest.mark.parametrize("kind", ContextRecordKind.values)
    def test_practitioners_and_managers_of_any_team_record(self, request, context, who, kind):
        actor = request.getfixturevalue(who)
        version = context.version

        record = add_record(
            actor,
            context,
            kind=kind,
            functioning="  Older members recruit younger ones.  ",
            guardianship="",
            environment="",
            weighting="",
            weighting_reason="",
        )

        record.refresh_from_db()
        assert (record.kind, record.functioning, record.guardianship, record.weighting) == (
            kind,
            "Older members recruit younger ones.",
            "",
            "",
        )
        assert record.recorded_by == actor
        assert record.history.get().history_user == actor
        context.refresh_from_db()
        assert context.version == version + 1
        [event] = Event.objects.filter(kind=EventKind.CONTEXT_RECORD_ADDED)
        assert (event.actor, event.target_id, event.young_person) == (actor, str(record.pk), None)
        assert event.detail == {"context": context.pk, "kind": kind, "weighting": ""}

    def test_the_weighting_and_its_reason_are_kept(self, context, practitioner):
        record = add_record(practitioner, context)
        assert (record.weighting, record.weighting_reason) == (
            GUARDIANSHIP,
            "Guardians in place would change how the group uses the space.",
        )

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            (
                {"functioning": " ", "guardianship": "", "environment": "\n"},
                "functioning",
                "Write under at least one of the three headings",
            ),
            (
                {"held_on": lambda: date.today() + timedelta(days=2)},
                "held_on",
                "The date of the assessment or meeting must be today or in the past",
            ),
            (
                {"held_on": None},
                "held_on",
                "Enter the date of the assessment or meeting",
            ),
            (
                {"kind": "review"},
                "kind",
                "Choose whether this is a context assessment or a meeting note",
            ),
            ({"weighting": "family"}, "weighting", "Choose which side must change first"),
            (
                {"weighting": GUARDIANSHIP, "weighting_reason": "  "},
                "weighting_reason",
                "Explain why guardianship capacity must change first",
            ),
            (
                {"weighting": "", "weighting_reason": "Because the adults are not there"},
                "weighting",
                "Choose which side must change first, or leave the reason blank",
            ),
        ],
    )
    def test_each_rule_has_its_message_and_nothing_is_saved(
        self, context, practitioner, overrides, field, message
    ):
        before = written()

        error = refusal(lambda: add_record(practitioner, context, **built(overrides)))

        assert (error.field, error.message) == (field, message)
        assert written() == before

    @pytest.mark.parametrize(
        ("kind", "message"),
        [
            (ContextKind.PEER_GROUP, "Explain why group functioning must change first"),
            (
                ContextKind.SCHOOL,
                "Explain why strengths and needs of students collectively must change first",
            ),
            (
                ContextKind.LOCATION,
                "Explain why strengths and needs of young people collectively must change first",
            ),
        ],
    )
    def test_the_weighting_reason_message_names_the_side_as_this_kind_calls_it(
        self, team_manager, practitioner, kind, message
    ):
        context = open_context_for_test(lead=team_manager, kind=kind)
        error = refusal(
            lambda: add_record(practitioner, context, weighting=FUNCTIONING, weighting_reason="")
        )
        assert error.message == message

    @pytest.mark.parametrize("who", ["service_manager", "administrator"])
    def test_those_who_may_not_work_on_contexts_are_refused(self, request, context, who):
        before = written()
        error = refusal(lambda: add_record(request.getfixturevalue(who), context))
        assert error.message == (
            "Only practitioners and team managers in a team can change context records"
        )
        assert written() == before

    def test_a_closed_context_takes_no_new_records(self, context, practitioner):
        close_for_test(context)
        before = written()
        error = refusal(lambda: add_record(practitioner, context))
        assert error.message == (
            "This context is closed. Reopen it to record assessments, meeting notes or changes "
            "to its plan."
        )
        assert written() == before


class TestThematicGuard:
    @pytest.mark.parametrize(
        "field", ["functioning", "guardianship", "environment", "weighting_reason"]
    )
    def test_text_naming_a_linked_young_person_is_refused(self, linked, practitioner, field):
        before = written()

        error = refusal(
            lambda: add_record(
                practitioner,
                linked,
                **{field: "Seen with zephyrine  QUILLFEATHER near the shops."},
            )
        )

        assert error.field == field
        assert error.message == THEMATIC_MESSAGE
        assert "Zephyrine" not in error.message and "linked" not in error.message
        assert written() == before

    def test_a_preferred_name_with_the_last_name_is_refused(
        self, context, team_manager, practitioner
    ):
        person = YoungPersonFactory(
            actor=team_manager, first_name="Isolde", last_name="Wrackenbury", preferred_name="Dilly"
        )
        case_services.young_person_allocate_worker(
            actor=team_manager, young_person=person, worker=practitioner
        )
        link(practitioner, context, person)

        error = refusal(
            lambda: add_action(practitioner, context, owner="Mentor of Dilly Wrackenbury")
        )

        assert (error.field, error.message) == (
            "owner",
            THEMATIC_MESSAGE,
        )

    @pytest.mark.parametrize(
        "text", ["Zephyrine Quillfeather's friends meet here", "Zephyrine Quillfeather’s friends"]
    )
    def test_a_possessive_does_not_hide_the_name(self, linked, practitioner, text):
        before = written()
        error = refusal(lambda: add_record(practitioner, linked, functioning=text))
        assert error.message == THEMATIC_MESSAGE
        assert written() == before

    def test_a_young_person_whose_link_ended_is_still_guarded(
        self, context, practitioner, young_person
    ):
        end_link(practitioner, link(practitioner, context, young_person))
        error = refusal(
            lambda: add_action(practitioner, context, description="Check on Zephyrine Quillfeather")
        )
        assert error.field == "description"

    def test_a_first_name_or_a_last_name_alone_is_allowed(
        self, context, practitioner, young_person, other_young_person
    ):
        link(practitioner, context, young_person)
        record = add_record(
            practitioner,
            context,
            functioning="Zephyrine is a common name here; the Nettlecombe estate is nearby.",
        )
        assert record.pk is not None

    def test_an_unlinked_young_persons_name_is_refused_alike(
        self, context, practitioner, young_person, other_young_person
    ):
        """Every young person's name is refused, with the same message, so a refusal says
        nothing about who is linked."""
        link(practitioner, context, young_person)
        before = written()
        linked_error = refusal(
            lambda: add_record(
                practitioner, context, functioning="Zephyrine Quillfeather was there"
            )
        )
        unlinked_error = refusal(
            lambda: add_record(
                practitioner, context, functioning="Bartholomew Nettlecombe was there"
            )
        )
        assert linked_error.message == unlinked_error.message == THEMATIC_MESSAGE
        assert written() == before

    def test_the_progress_note_is_guarded(self, linked, practitioner):
        action = add_action(practitioner, linked)
        before = written()
        error = refusal(
            lambda: work_services.context_action_update_progress(
                actor=practitioner,
                action=action,
                progress=ActionProgress.IN_PROGRESS,
                note="Bartholomew Nettlecombe attended the first session",
            )
        )
        assert (error.field, error.message) == (
            "note",
            THEMATIC_MESSAGE,
        )
        assert written() == before


# --- The plan ----------------------------------------------------------------------------------


class TestActionAdd:
    @pytest.mark.parametrize("who", ALLOWED)
    def test_adds_an_action_against_a_side(self, request, context, who):
        actor = request.getfixturevalue(who)
        version = context.version

        action = add_action(actor, context, side=ENVIRONMENT, owner="  Community safety team ")

        action.refresh_from_db()
        assert (action.side, action.owner, action.progress, action.created_by) == (
            ENVIRONMENT,
            "Community safety team",
            ActionProgress.NOT_STARTED,
            actor,
        )
        context.refresh_from_db()
        assert context.version == version + 1
        [event] = Event.objects.filter(kind=EventKind.CONTEXT_ACTION_ADDED)
        assert (event.target_id, event.young_person) == (str(action.pk), None)
        assert event.detail == {
            "context": context.pk,
            "side": ENVIRONMENT,
            "partner_agency": PartnerAgency.YOUTH_SERVICE,
            "due_date": (today() + timedelta(days=30)).isoformat(),
        }

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"side": "family"}, "side", "Choose what the action works on"),
            ({"description": "  "}, "description", "Describe the action"),
            ({"partner_agency": "mi5"}, "partner_agency", "Choose the partner agency"),
            ({"owner": ""}, "owner", "Enter who is responsible for the action"),
            ({"due_date": None}, "due_date", "Enter the due date"),
        ],
    )
    def test_each_rule_has_its_message_and_nothing_is_saved(
        self, context, practitioner, overrides, field, message
    ):
        before = written()
        error = refusal(lambda: add_action(practitioner, context, **overrides))
        assert (error.field, error.message) == (field, message)
        assert written() == before

    def test_refused_on_a_closed_context_and_for_a_service_manager(
        self, context, practitioner, service_manager
    ):
        before = written()
        assert refusal(lambda: add_action(service_manager, context)).message == (
            "Only practitioners and team managers in a team can change context records"
        )
        assert written() == before
        close_for_test(context)
        before = written()
        assert refusal(lambda: add_action(practitioner, context)).code == "locked"
        assert written() == before


class TestActionProgress:
    @pytest.fixture
    def action(self, context, practitioner):
        return add_action(practitioner, context)

    def progress(self, actor, action, **fields):
        return work_services.context_action_update_progress(actor=actor, action=action, **fields)

    def test_done_with_its_date(self, context, action, other_team_practitioner):
        version = Context.objects.get(pk=context.pk).version
        done_on = today() - timedelta(days=1)

        self.progress(
            other_team_practitioner,
            action,
            progress=ActionProgress.DONE,
            completed_on=done_on,
            note=" Sessions running twice a week ",
        )

        action.refresh_from_db()
        assert (action.progress, action.completed_on, action.progress_note) == (
            ActionProgress.DONE,
            done_on,
            "Sessions running twice a week",
        )
        assert Context.objects.get(pk=context.pk).version == version + 1
        [event] = Event.objects.filter(kind=EventKind.CONTEXT_ACTION_PROGRESS)
        assert (event.target_id, event.young_person, event.actor) == (
            str(context.pk),
            None,
            other_team_practitioner,
        )
        assert event.detail == {
            "action": action.pk,
            "from": ActionProgress.NOT_STARTED,
            "progress": ActionProgress.DONE,
        }

    def test_any_other_progress_clears_the_date_done(self, action, practitioner):
        self.progress(practitioner, action, progress=ActionProgress.DONE, completed_on=today())
        self.progress(
            practitioner, action, progress=ActionProgress.IN_PROGRESS, completed_on=today()
        )
        action.refresh_from_db()
        assert (action.progress, action.completed_on) == (ActionProgress.IN_PROGRESS, None)

    @pytest.mark.parametrize(
        ("fields", "field", "message"),
        [
            ({"progress": "abandoned"}, "progress", "Choose the progress of the action"),
            (
                {"progress": ActionProgress.DONE},
                "completed_on",
                "Enter the date the action was done",
            ),
            (
                {
                    "progress": ActionProgress.DONE,
                    "completed_on": lambda: date.today() + timedelta(2),
                },
                "completed_on",
                "The date done must be today or in the past",
            ),
        ],
    )
    def test_each_rule_has_its_message_and_nothing_is_saved(
        self, action, practitioner, fields, field, message
    ):
        before = written()
        error = refusal(lambda: self.progress(practitioner, action, **built(fields)))
        assert (error.field, error.message) == (field, message)
        assert written() == before

    def test_saving_what_is_there_changes_nothing(self, action, practitioner):
        self.progress(practitioner, action, progress=ActionProgress.IN_PROGRESS, note="Started")
        before = written()
        self.progress(practitioner, action, progress=ActionProgress.IN_PROGRESS, note="Started ")
        assert written() == before

    def test_refused_once_the_context_is_closed(self, context, action, practitioner):
        close_for_test(context)
        before = written()
        error = refusal(
            lambda: self.progress(practitioner, action, progress=ActionProgress.STOPPED)
        )
        assert error.code == "locked"
        assert written() == before


class TestPlanReviewDate:
    def test_sets_the_review_date(self, context, team_manager):
        review = today() + timedelta(days=42)
        version = context.version

        work_services.context_plan_review_set(
            actor=team_manager, context=context, review_date=review
        )

        context.refresh_from_db()
        assert (context.plan_review_date, context.version) == (review, version + 1)
        assert context.history.latest().history_user == team_manager
        [event] = Event.objects.filter(kind=EventKind.CONTEXT_PLAN_REVIEW_SET)
        assert (event.target_id, event.young_person) == (str(context.pk), None)
        assert event.detail == {"from": None, "to": review.isoformat()}

    def test_changing_it_records_the_previous_date(self, context, practitioner):
        first, second = today() + timedelta(days=10), today() + timedelta(days=20)
        work_services.context_plan_review_set(
            actor=practitioner, context=context, review_date=first
        )
        work_services.context_plan_review_set(
            actor=practitioner, context=context, review_date=second
        )
        latest = Event.objects.filter(kind=EventKind.CONTEXT_PLAN_REVIEW_SET).latest("pk")
        assert latest.detail == {"from": first.isoformat(), "to": second.isoformat()}

    @pytest.mark.parametrize(
        ("review_date", "message"),
        [
            (None, "Enter the plan review date"),
            (
                lambda: date.today() - timedelta(days=2),
                "The plan review date must be today or in the future",
            ),
        ],
    )
    def test_each_rule_has_its_message_and_nothing_is_saved(
        self, context, practitioner, review_date, message
    ):
        before = written()
        error = refusal(
            lambda: work_services.context_plan_review_set(
                actor=practitioner, context=context, review_date=built(review_date)
            )
        )
        assert (error.field, error.message) == ("review_date", message)
        assert written() == before

    def test_the_same_date_again_changes_nothing(self, context, practitioner):
        review = today() + timedelta(days=5)
        work_services.context_plan_review_set(
            actor=practitioner, context=context, review_date=review
        )
        before = written()
        work_services.context_plan_review_set(
            actor=practitioner, context=context, review_date=review
        )
        assert written() == before

    def test_a_service_manager_is_refused(self, context, service_manager):
        before = written()
        error = refusal(
            lambda: work_services.context_plan_review_set(
                actor=service_manager, context=context, review_date=today()
            )
        )
        assert error.message == (
            "Only practitioners and team managers in a team can change context records"
        )
        assert written() == before
