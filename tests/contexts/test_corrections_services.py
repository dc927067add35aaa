"""Correcting, withdrawing and redacting context text (contexts.services.corrections): who may,
the old text gone from the row, its history rows and the chronology, audit events without text,
the guard on every text, the version check and the change told to linked practitioners."""

from __future__ import annotations

import pytest

from contexts.guard import NAME_MESSAGE as NAME_MESSAGE
from contexts.models import Context, ContextPlanAction, ContextRecord
from contexts.selectors.core import context_chronology
from contexts.services import corrections
from csafe.core.errors import ApplicationError
from csafe.notifications.models import Notification
from tests.contexts.corrections_support import (
    CLEAN_NOTE,
    NOTE_WITH_NAME,
    SLIPPED,
    closure_and_reopening,
    history_texts,
    meeting_note,
    open_group,
    plan_action,
    text_events,
)

pytestmark = pytest.mark.django_db

FORBIDDEN = [
    "teammate",
    "other_team_practitioner",
    "other_team_manager",
    "service_manager",
    "administrator",
]


@pytest.fixture
def context(team_manager):
    return open_group(team_manager)


@pytest.fixture
def note(practitioner, context):
    return meeting_note(practitioner, context)


def refusal(call) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        call()
    return caught.value


def correct(actor, row, **overrides):
    context = Context.objects.get(pk=row.context_id)
    arguments = {
        "functioning": CLEAN_NOTE,
        "correction_reason": "A nickname was written in the note",
        "expected_version": context.version,
    }
    return corrections.context_text_correct(actor=actor, row=row, **arguments | overrides)


class TestCorrect:
    @pytest.mark.parametrize("who", ["practitioner", "team_manager"])
    def test_the_author_or_the_team_manager_corrects_and_the_old_text_is_gone(
        self, request, note, context, who
    ):
        actor = request.getfixturevalue(who)
        version = Context.objects.get(pk=context.pk).version

        corrected = correct(actor, note)

        corrected.refresh_from_db()
        assert corrected.functioning == CLEAN_NOTE
        assert corrected.corrected_by == actor
        assert corrected.correction_reason == "A nickname was written in the note"
        assert Context.objects.get(pk=context.pk).version == version + 1
        assert all(SLIPPED not in text for text in history_texts(note))
        assert ContextRecord.history.filter(id=note.pk).count() == 2
        # Fields not corrected keep their history.
        assert "No adult is at the lockups after 6pm." in history_texts(note)
        for entry in context_chronology(context=context):
            assert SLIPPED not in entry.title + entry.detail

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_anyone_else_is_refused_and_nothing_changes(self, request, note, who):
        error = refusal(lambda: correct(request.getfixturevalue(who), note))

        assert error.code == "forbidden"
        assert ContextRecord.objects.get(pk=note.pk).functioning == NOTE_WITH_NAME
        assert text_events(note.context) == []

    def test_the_audit_event_names_the_fields_and_holds_no_text(self, practitioner, note):
        correct(practitioner, note)

        [event] = text_events(note.context)
        assert event.kind == "context.text_corrected"
        assert event.detail == {
            "context": note.context_id,
            "part": "record",
            "id": note.pk,
            "fields": ["functioning"],
        }
        assert event.young_person_id is None

    def test_a_name_in_the_correction_is_refused(self, practitioner, note, young_person):
        error = refusal(
            lambda: correct(practitioner, note, functioning="Zephyrine Quillfeather was there")
        )

        assert error.message == NAME_MESSAGE
        assert error.field == "functioning"
        assert ContextRecord.objects.get(pk=note.pk).functioning == NOTE_WITH_NAME
        assert any(SLIPPED in text for text in history_texts(note))

    def test_a_name_in_the_reason_is_refused(self, practitioner, note, young_person):
        error = refusal(
            lambda: correct(practitioner, note, correction_reason="Zephyrine Quillfeather's name")
        )

        assert (error.message, error.field) == (NAME_MESSAGE, "correction_reason")

    def test_a_stale_version_is_a_conflict(self, practitioner, note, context):
        stale = Context.objects.get(pk=context.pk).version - 1

        error = refusal(lambda: correct(practitioner, note, expected_version=stale))

        assert error.code == "conflict"
        assert ContextRecord.objects.get(pk=note.pk).functioning == NOTE_WITH_NAME

    def test_the_rules_of_the_record_still_hold(self, practitioner, note):
        error = refusal(lambda: correct(practitioner, note, functioning="", guardianship=""))

        assert (error.message, error.field) == (
            "Write under at least one of the three headings",
            "functioning",
        )

    def test_a_reason_is_needed(self, practitioner, note):
        error = refusal(lambda: correct(practitioner, note, correction_reason="  "))

        assert (error.message, error.field) == (
            "Enter why you are correcting the text",
            "correction_reason",
        )

    def test_nothing_changed_is_refused(self, practitioner, note):
        error = refusal(lambda: correct(practitioner, note, functioning=NOTE_WITH_NAME))

        assert error.message == corrections.NOTHING_CHANGED

    def test_linked_practitioners_are_told_without_the_text(
        self, practitioner, team_manager, context, young_person, django_capture_on_commit_callbacks
    ):
        from tests.contexts.work_support import link

        link(practitioner, context, young_person)
        note = meeting_note(team_manager, context)
        Notification.objects.all().delete()

        with django_capture_on_commit_callbacks(execute=True):
            correct(team_manager, note)

        [notification] = Notification.objects.filter(recipient=practitioner)
        assert notification.title.startswith("Meeting note corrected: ")
        assert SLIPPED not in notification.title + notification.body

    def test_a_plan_action_is_corrected_by_its_author(self, practitioner, context):
        action = plan_action(practitioner, context)

        corrections.context_text_correct(
            actor=practitioner,
            row=action,
            description="Youth work at the lockups",
            correction_reason="A nickname was written",
        )

        assert (
            ContextPlanAction.objects.get(pk=action.pk).description == "Youth work at the lockups"
        )
        assert all(SLIPPED not in text for text in history_texts(action))

    def test_the_author_of_a_progress_note_may_correct_the_action(
        self, practitioner, teammate, context
    ):
        from contexts.services.work import context_action_update_progress

        action = plan_action(practitioner, context)
        context_action_update_progress(
            actor=teammate, action=action, progress="in_progress", note=f"{SLIPPED} came"
        )

        corrections.context_text_correct(
            actor=teammate,
            row=action,
            progress_note="One member came",
            correction_reason="A nickname",
        )

        assert all(f"{SLIPPED} came" not in text for text in history_texts(action))


class TestWithdraw:
    @pytest.mark.parametrize("who", ["practitioner", "team_manager"])
    def test_the_text_is_replaced_by_a_marker_in_the_row_and_its_history(self, request, note, who):
        actor = request.getfixturevalue(who)

        corrections.context_text_withdraw(
            actor=actor, row=note, withdrawal_reason="Written on the wrong context"
        )

        note = ContextRecord.objects.get(pk=note.pk)
        assert note.is_withdrawn and note.withdrawn_by == actor
        marker = note.functioning
        assert marker.startswith("[withdrawn on ")
        assert marker.endswith(f"by {actor.get_full_name()}: Written on the wrong context]")
        assert note.environment == ""  # empty stays empty
        assert note.held_on and note.kind == "meeting"
        assert all(SLIPPED not in text for text in history_texts(note))
        assert ContextRecord.objects.filter(pk=note.pk).exists()
        [event] = text_events(note.context)
        assert "Written on the wrong context" not in str(event.detail)

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_anyone_else_is_refused(self, request, note, who):
        error = refusal(
            lambda: corrections.context_text_withdraw(
                actor=request.getfixturevalue(who), row=note, withdrawal_reason="Wrong context"
            )
        )

        assert error.code == "forbidden"
        assert not ContextRecord.objects.get(pk=note.pk).is_withdrawn

    def test_once_only_and_not_corrected_after(self, practitioner, note):
        corrections.context_text_withdraw(actor=practitioner, row=note, withdrawal_reason="Wrong")

        assert (
            refusal(
                lambda: corrections.context_text_withdraw(
                    actor=practitioner, row=note, withdrawal_reason="Again"
                )
            ).message
            == corrections.ALREADY_WITHDRAWN
        )
        assert refusal(lambda: correct(practitioner, note)).message == (
            corrections.WITHDRAWN_NOT_CORRECTED
        )

    def test_a_closure_is_withdrawn_and_its_constraints_still_hold(self, team_manager, context):
        closure, _ = closure_and_reopening(team_manager, context)

        corrections.context_text_withdraw(
            actor=team_manager, row=closure, withdrawal_reason="Recorded in error"
        )

        closure.refresh_from_db()
        assert closure.reason.startswith("[withdrawn on ")
        assert all(SLIPPED not in text for text in history_texts(closure))
        for entry in context_chronology(context=context):
            assert SLIPPED not in entry.detail


class TestRedact:
    def test_the_team_manager_redacts_a_passage_in_the_row_and_its_history(
        self, team_manager, note
    ):
        corrections.context_text_redact(
            actor=team_manager,
            row=note,
            field="functioning",
            passage=SLIPPED,
            redaction_reason="A nickname of a young person",
        )

        note = ContextRecord.objects.get(pk=note.pk)
        assert (
            note.functioning == "[redacted] and two older members meet at the lockups after dark."
        )
        assert note.redacted_by == team_manager
        assert all(SLIPPED not in text for text in history_texts(note))
        [event] = text_events(note.context)
        assert SLIPPED not in str(event.detail)
        assert event.detail["field"] == "functioning"

    @pytest.mark.parametrize("who", ["practitioner", *FORBIDDEN])
    def test_anyone_else_even_the_author_is_refused(self, request, note, who):
        error = refusal(
            lambda: corrections.context_text_redact(
                actor=request.getfixturevalue(who),
                row=note,
                field="functioning",
                passage=SLIPPED,
                redaction_reason="A nickname",
            )
        )

        assert error.code == "forbidden"
        assert ContextRecord.objects.get(pk=note.pk).functioning == NOTE_WITH_NAME

    def test_a_passage_not_in_the_field_is_refused(self, team_manager, note):
        error = refusal(
            lambda: corrections.context_text_redact(
                actor=team_manager,
                row=note,
                field="guardianship",
                passage=SLIPPED,
                redaction_reason="A nickname",
            )
        )

        assert (error.message, error.field) == (corrections.PASSAGE_NOT_FOUND, "passage")

    def test_a_passage_only_in_an_earlier_version_is_redacted_there(
        self, practitioner, team_manager, context
    ):
        action = plan_action(practitioner, context)
        from contexts.services.work import context_action_update_progress

        context_action_update_progress(
            actor=practitioner, action=action, progress="in_progress", note=f"Met {SLIPPED}"
        )
        context_action_update_progress(
            actor=practitioner, action=action, progress="in_progress", note="Met the group"
        )

        corrections.context_text_redact(
            actor=team_manager,
            row=action,
            field="progress_note",
            passage=f"Met {SLIPPED}",
            redaction_reason="A nickname",
        )

        assert all(SLIPPED not in text for text in history_texts(action) if "Met" in text)
