"""Telling the practitioners of linked young people that a context changed,
with tasks run in-process after commit: exactly one notification per practitioner, however many
of their young people are linked; none for the person who made the change, nor for workers whose
link or allocation has ended; nothing more when the task runs again; and no child named in the
notification or its e-mail."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.reference import ActionProgress
from contexts.models import Context
from contexts.reference import ContextRecordKind
from contexts.services import work as work_services
from contexts.tasks import context_notify_change
from csafe.accounts.models import Role
from csafe.core.errors import ApplicationError
from csafe.notifications.models import Notification, NotificationChange, NotificationKind
from tests.contexts.work_support import (
    add_action,
    add_record,
    end_link,
    link,
    open_context_for_test,
    today,
)
from tests.factories import UserFactory, YoungPersonFactory
from tests.notifications.digest_support import age_windows, end_windows

pytestmark = pytest.mark.django_db

CANARY_NAMES = [
    "Zephyrine",
    "Quillfeather",
    "Bartholomew",
    "Nettlecombe",
    "Marisol",
    "Thistlewood",
    "Ptolemy",
    "Oakenshaw",
]


@pytest.fixture
def cast(
    team_a,
    team_manager,
    practitioner,
    teammate,
    other_team_practitioner,
    young_person,
    other_young_person,
):
    """A context with, actively linked:
    - Zephyrine Quillfeather and Marisol Thistlewood, both allocated to ``practitioner``;
    - Bartholomew Nettlecombe, allocated to ``other_team_practitioner``;
    - Ptolemy Oakenshaw, allocated to ``teammate``, and before to ``leaver``.
    Zephyrine's second worker ``former`` was allocated, then de-allocated; ``unlinked_worker``'s
    young person was linked and the link ended."""
    context = open_context_for_test(lead=team_manager)
    second = YoungPersonFactory(actor=team_manager, first_name="Marisol", last_name="Thistlewood")
    case_services.young_person_allocate_worker(
        actor=team_manager, young_person=second, worker=practitioner
    )
    shared = YoungPersonFactory(actor=team_manager, first_name="Ptolemy", last_name="Oakenshaw")
    leaver = UserFactory(username="leaver", role=Role.PRACTITIONER, team=team_a)
    former = UserFactory(username="former", role=Role.PRACTITIONER, team=team_a)
    unlinked_worker = UserFactory(username="unlinked", role=Role.PRACTITIONER, team=team_a)
    for person, worker in [(shared, leaver), (young_person, former)]:
        case_services.young_person_allocate_worker(
            actor=team_manager, young_person=person, worker=worker
        )
    ended_child = YoungPersonFactory(actor=team_manager, first_name="Ended", last_name="Linkchild")
    case_services.young_person_allocate_worker(
        actor=team_manager, young_person=ended_child, worker=unlinked_worker
    )

    link(practitioner, context, young_person)
    link(practitioner, context, second)
    link(team_manager, context, shared)
    link(other_team_practitioner, context, other_young_person)
    end_link(team_manager, link(team_manager, context, ended_child))
    for person, worker in [(shared, leaver), (young_person, former)]:
        allocation = person.allocations.get(worker=worker, ended_at__isnull=True)
        case_services.young_person_deallocate_worker(
            actor=team_manager, allocation=allocation, reason="Moved to another team"
        )
    # Ptolemy keeps ``teammate`` as his current worker.
    case_services.young_person_allocate_worker(
        actor=team_manager, young_person=shared, worker=teammate
    )
    context.refresh_from_db()
    return {
        "context": context,
        "leaver": leaver,
        "former": former,
        "unlinked_worker": unlinked_worker,
        "young_people": [young_person, second, shared, other_young_person, ended_child],
    }


REVIEW_IN = timedelta(days=28)
CHANGES = [
    "assessment",
    "meeting note",
    "action",
    "progress",
    "review date",
]


def make_change(change: str, actor, context) -> str:
    """Make one kind of change to ``context``; returns the phrase it is told by. Dates are
    computed here, when the test runs (never at import: a run can cross midnight)."""
    if change == "assessment":
        add_record(actor, context, kind=ContextRecordKind.ASSESSMENT)
        return "Context assessment recorded"
    if change == "meeting note":
        add_record(actor, context, kind=ContextRecordKind.MEETING)
        return "Meeting note recorded"
    if change == "action":
        add_action(actor, context)
        return "Plan action added"
    if change == "progress":
        work_services.context_action_update_progress(
            actor=actor,
            action=context.plan_actions.get(),
            progress=ActionProgress.DONE,
            completed_on=today(),
        )
        return "Plan action marked as done"
    review_date = today() + REVIEW_IN
    work_services.context_plan_review_set(actor=actor, context=context, review_date=review_date)
    return f"Plan review date set to {review_date:%-d %B %Y}"


def notified(context) -> dict[str, list[Notification]]:
    rows = Notification.objects.filter(url=reverse("contexts:detail", args=[context.pk]))
    by_user: dict[str, list[Notification]] = {}
    for row in rows.select_related("recipient").order_by("pk"):
        by_user.setdefault(row.recipient.username, []).append(row)
    return by_user


@pytest.mark.parametrize("change", CHANGES)
def test_each_change_tells_each_linked_practitioner_once(
    cast, change, team_manager, django_capture_on_commit_callbacks
):
    context = cast["context"]
    if change == "progress":
        add_action(team_manager, context)
    context = Context.objects.get(pk=context.pk)
    mail.outbox.clear()
    NotificationChange.objects.all().delete()
    Notification.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        phrase = make_change(change, team_manager, context)

    context.refresh_from_db()
    by_user = notified(context)
    # practitioner: two young people linked, one notification. other_team_practitioner and
    # teammate: one each. Not the actor (team_manager), not the ended link's worker, not the
    # workers whose allocations ended.
    assert sorted(by_user) == ["outsider", "practitioner", "teammate"]
    for username, rows in by_user.items():
        [notification] = rows
        assert notification.kind == NotificationKind.CONTEXT_UPDATED
        assert notification.title == f"{phrase}: {context.name}"
        assert notification.body == (
            f"{phrase} on the context record {context.name}. You are told because a young "
            "person you work with is linked to this context."
        )
        assert notification.dedupe_key == (
            f"context:{context.pk}:v{context.version}:{notification.recipient_id}"
        )
        # Not e-mailed yet: the window stays open for more changes to this context.
        assert notification.emailed_at is None
        waits = notification.email_after - notification.created_at
        assert timedelta(minutes=15) - timedelta(seconds=5) < waits <= timedelta(minutes=15)
    assert mail.outbox == []

    assert end_windows(django_capture_on_commit_callbacks) == 3

    # One e-mail each, naming the change and the context.
    assert sorted(m.to[0] for m in mail.outbox) == [
        "outsider@csafe.invalid",
        "practitioner@csafe.invalid",
        "teammate@csafe.invalid",
    ]
    assert {m.subject for m in mail.outbox} == {f"csafe: {phrase}: {context.name}"}


def test_a_burst_of_changes_reaches_each_practitioner_as_one_notification_and_one_email(
    cast, team_manager, django_capture_on_commit_callbacks
):
    """The burst that made 15 notifications each: now one each, listing the 15 changes, and
    one e-mail each when the window ends, listing them once."""
    context = cast["context"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        phrases = [make_change("meeting note", team_manager, context) for _ in range(5)]
        phrases += [make_change("action", team_manager, context) for _ in range(9)]
        phrases.append(make_change("review date", team_manager, context))
    assert len(phrases) == 15

    by_user = notified(context)
    assert sorted(by_user) == ["outsider", "practitioner", "teammate"]
    for rows in by_user.values():
        [notification] = rows
        assert notification.title == f"15 changes: {context.name}"
        assert notification.body == (
            f"15 changes on the context record {context.name}: {'; '.join(phrases)}. You are "
            "told because a young person you work with is linked to this context."
        )
        assert list(notification.changes.values_list("summary", flat=True)) == phrases
    assert mail.outbox == []

    assert end_windows(django_capture_on_commit_callbacks) == 3
    assert end_windows(django_capture_on_commit_callbacks) == 0  # the sweep again: nothing more

    assert sorted(m.to[0] for m in mail.outbox) == [
        "outsider@csafe.invalid",
        "practitioner@csafe.invalid",
        "teammate@csafe.invalid",
    ]
    for message in mail.outbox:
        assert message.subject == f"csafe: 15 changes: {context.name}"
        listed = [line[2:] for line in message.body.splitlines() if line.startswith("- ")]
        assert listed == phrases


def test_a_change_after_the_window_or_once_read_is_a_new_notification(
    cast, team_manager, practitioner, django_capture_on_commit_callbacks
):
    context = cast["context"]
    with django_capture_on_commit_callbacks(execute=True):
        make_change("meeting note", team_manager, context)
    age_windows(minutes=16)
    with django_capture_on_commit_callbacks(execute=True):
        make_change("action", team_manager, context)
    Notification.objects.filter(recipient=practitioner, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        make_change("meeting note", team_manager, context)

    titles = [n.title for n in notified(context)["practitioner"]]
    assert titles == [
        f"Meeting note recorded: {context.name}",
        f"Plan action added: {context.name}",
        f"Meeting note recorded: {context.name}",
    ]
    # teammate read nothing: the second and third changes share a window.
    titles = [n.title for n in notified(context)["teammate"]]
    assert titles == [f"Meeting note recorded: {context.name}", f"2 changes: {context.name}"]


def test_with_no_window_each_change_is_told_and_emailed_at_once(
    cast, team_manager, settings, django_capture_on_commit_callbacks
):
    settings.CSAFE_CONTEXT_DIGEST_MINUTES = 0
    context = cast["context"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        make_change("meeting note", team_manager, context)
        make_change("action", team_manager, context)
    assert [len(rows) for rows in notified(context).values()] == [2, 2, 2]
    assert len(mail.outbox) == 6


def test_the_actor_is_not_told_of_their_own_change(
    cast, practitioner, django_capture_on_commit_callbacks
):
    context = cast["context"]
    with django_capture_on_commit_callbacks(execute=True):
        add_record(practitioner, context)
    assert sorted(notified(context)) == ["outsider", "teammate"]


def test_running_the_task_again_creates_nothing_and_sends_nothing(
    cast, team_manager, django_capture_on_commit_callbacks
):
    context = cast["context"]
    with django_capture_on_commit_callbacks(execute=True):
        add_record(team_manager, context, kind=ContextRecordKind.MEETING)
    context.refresh_from_db()
    count, sent = Notification.objects.count(), len(mail.outbox)

    with django_capture_on_commit_callbacks(execute=True):
        again = context_notify_change.delay(
            context.pk, "Meeting note recorded", team_manager.pk, context.version
        ).get()

    assert again == 0
    assert (Notification.objects.count(), len(mail.outbox)) == (count, sent)


def test_nothing_is_sent_until_the_change_commits(
    cast, team_manager, django_capture_on_commit_callbacks
):
    context = cast["context"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        add_record(team_manager, context)
        assert not Notification.objects.filter(kind=NotificationKind.CONTEXT_UPDATED).exists()
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_a_refused_change_tells_no_one(cast, team_manager, django_capture_on_commit_callbacks):
    context = cast["context"]
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ApplicationError),
    ):
        add_record(team_manager, context, functioning="", guardianship="", environment="")
    assert callbacks == []
    assert notified(context) == {}


def test_a_context_with_no_linked_young_people_tells_no_one(
    team_manager, practitioner, young_person, django_capture_on_commit_callbacks
):
    context = open_context_for_test(lead=team_manager, area="Quietbrook")
    with django_capture_on_commit_callbacks(execute=True):
        add_record(practitioner, context)
    assert notified(context) == {} and mail.outbox == []


def test_no_child_is_named_in_a_notification_or_its_email(
    cast, team_manager, django_capture_on_commit_callbacks
):
    context = cast["context"]
    with django_capture_on_commit_callbacks(execute=True):
        add_record(team_manager, context)
        add_action(team_manager, context)
    end_windows(django_capture_on_commit_callbacks)
    outputs = []
    for row in Notification.objects.all():
        outputs += [row.title, row.body, row.url]
    for message in mail.outbox:
        outputs += [message.subject, message.body]
    # Three practitioners, each told of both changes in one notification and one e-mail.
    assert len(outputs) == 3 * 3 + 3 * 2
    assert all("Plan action added" in message.body for message in mail.outbox)
    text = "\n".join(outputs)
    for name in CANARY_NAMES:
        assert name not in text
    for person in cast["young_people"]:
        assert person.local_identifier not in text
        assert f"{person.date_of_birth:%d/%m/%Y}" not in text
        assert f"{person.date_of_birth:%-d %B %Y}" not in text
        assert reverse("cases:detail", args=[person.pk]) not in text


class TestClosingWithEveryLinkEnded:
    def test_the_practitioners_of_the_linked_young_people_are_told(
        self, team_manager, practitioner, young_person, django_capture_on_commit_callbacks
    ):
        from contexts.linking import services as link_services
        from contexts.models import ContextLink
        from contexts.services import contexts as context_services
        from csafe.notifications.models import Notification

        context = context_services.context_open(
            actor=team_manager,
            kind="peer_group",
            area="Quarry Lane",
            opened_on=date(2026, 1, 5),
            confirmed_not_duplicate=True,
        )
        link_services.context_link_young_person(
            actor=practitioner, context=context, young_person=young_person, reason="Seen there"
        )
        Notification.objects.all().delete()

        with django_capture_on_commit_callbacks(execute=True):
            context_services.context_close(
                actor=team_manager,
                context=context,
                on=date(2026, 3, 1),
                reason="Safety increased",
                functioning_change="The group no longer meets",
                guardianship_change="Youth workers are there",
                environment_change="Lighting repaired",
                links_rule="end",
            )

        assert not ContextLink.objects.filter(ended_at__isnull=True).exists()
        assert list(Notification.objects.values_list("recipient_id", flat=True)) == [
            practitioner.pk
        ]
