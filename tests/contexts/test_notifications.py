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

from cases import services as case_services
from cases.reference import ActionProgress
from contexts.models import Context
from contexts.reference import ContextRecordKind
from contexts.services import work as work_services
from contexts.tasks import context_notify_change
from csafe.accounts.models import Role
from csafe.core.errors import ApplicationError
from csafe.notifications.models import Notification, NotificationKind
from tests.contexts.work_support import (
    add_action,
    add_record,
    end_link,
    link,
    open_context_for_test,
    today,
)
from tests.factories import UserFactory, YoungPersonFactory

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


CHANGES = {
    "assessment": (
        lambda actor, context: add_record(actor, context, kind=ContextRecordKind.ASSESSMENT),
        "Context assessment recorded",
    ),
    "meeting note": (
        lambda actor, context: add_record(actor, context, kind=ContextRecordKind.MEETING),
        "Meeting note recorded",
    ),
    "action": (lambda actor, context: add_action(actor, context), "Plan action added"),
    "progress": (
        lambda actor, context: work_services.context_action_update_progress(
            actor=actor,
            action=context.plan_actions.get(),
            progress=ActionProgress.DONE,
            completed_on=today(),
        ),
        "Plan action marked as done",
    ),
    "review date": (
        lambda actor, context: work_services.context_plan_review_set(
            actor=actor, context=context, review_date=today() + timedelta(days=28)
        ),
        None,  # worded with the date: checked below
    ),
}


def notified(context) -> dict[str, list[Notification]]:
    rows = Notification.objects.filter(url=reverse("contexts:detail", args=[context.pk]))
    by_user: dict[str, list[Notification]] = {}
    for row in rows.select_related("recipient").order_by("pk"):
        by_user.setdefault(row.recipient.username, []).append(row)
    return by_user


@pytest.mark.parametrize("change", list(CHANGES))
def test_each_change_tells_each_linked_practitioner_once(
    cast, change, team_manager, django_capture_on_commit_callbacks
):
    context = cast["context"]
    make, phrase = CHANGES[change]
    if change == "progress":
        add_action(team_manager, context)
    context = Context.objects.get(pk=context.pk)
    mail.outbox.clear()
    Notification.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        make(team_manager, context)

    context.refresh_from_db()
    phrase = phrase or f"Plan review date set to {today() + timedelta(days=28):%-d %B %Y}"
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
        assert notification.emailed_at is not None
    # One e-mail each, naming the change and the context.
    assert sorted(m.to[0] for m in mail.outbox) == [
        "outsider@csafe.invalid",
        "practitioner@csafe.invalid",
        "teammate@csafe.invalid",
    ]
    assert {m.subject for m in mail.outbox} == {f"csafe: {phrase}: {context.name}"}


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
    outputs = []
    for row in Notification.objects.all():
        outputs += [row.title, row.body, row.url]
    for message in mail.outbox:
        outputs += [message.subject, message.body]
    assert len(outputs) == 2 * 3 * 3 + 2 * 3 * 2
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
