"""A Celery worker killed (SIGKILL) in the middle of a task: the task is run again by the next
worker and its effect happens exactly once.

Tasks are acknowledged late (CELERY_TASK_ACKS_LATE), so a message whose worker died is still
"unacked" in Redis and is handed out again once the broker's visibility timeout has passed. The
workers here are real processes (``celery worker --pool=solo``) started with a visibility timeout
of a few seconds, so the redelivery comes within the test rather than after the production hour.

What "exactly once in effect" means for each task:
- an export job: one finished file in the export folder (the half-written file of the killed run
  is removed), every row in it once, the job done after two attempts;
- a context change: one notification and one e-mail per practitioner, although the worker died
  while sending the first e-mail;
- a notification whose e-mail was marked sent, its worker killed before acknowledging the task:
  the task comes again and sends nothing (the send-once guard, ``emailed_at``).

And where exactly once cannot be had: a worker killed after the mail server took the e-mail but
before the mark was committed leaves the notification unmarked, so the next worker sends it again.
The mail server's taking a message and the database's commit cannot be one atomic step, so the
promise is "at least once, never again once marked", and both copies carry the same Message-ID
(and X-Csafe-Dedupe-Key), made from the notification, by which the mail system drops the second.

Needs Redis (REDIS_URL; skipped without it unless CSAFE_REQUIRE_SERVICES is set) and PostgreSQL:
the worker is another process, and the SQLite test database lives in the test process's memory.
"""

from __future__ import annotations

import csv
import email
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection

from csafe.exports import registry
from csafe.exports.files import export_path
from csafe.exports.registry import ExportSource
from csafe.exports.runner import PROGRESS_EVERY
from csafe.exports.services import export_start
from reporting.exports.access import sees_every_young_person
from tests.services import redis_url

pytestmark = [
    pytest.mark.integration,
    pytest.mark.postgres(reason="a worker in another process shares the test database"),
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL", "")
# Seconds an unacknowledged message stays with a (dead) worker before Redis hands it out again.
VISIBILITY_TIMEOUT = 3
WORKER_FLAG = "CSAFE_CRASH_TEST_WORKER"
MAIL_DIR = "CSAFE_CRASH_TEST_MAIL_DIR"
MAIL_DELAY = "CSAFE_CRASH_TEST_MAIL_DELAY"  # seconds before handing each e-mail over
HANDED_DELAY = "CSAFE_CRASH_TEST_HANDED_DELAY"  # seconds after, before the task goes on
ACK_DELAY = "CSAFE_CRASH_TEST_ACK_DELAY"  # seconds after a task returns, before its ack
NO_WINDOW = "CSAFE_CONTEXT_DIGEST_MINUTES"  # "0": each context change told on its own

# --- What the worker process loads (it imports this module with --include) --------------------

ROWS = 2000


def _write_slowly(user, params, out, progress):
    writer = csv.writer(out)
    writer.writerow(["row", "young_person"])
    for row in range(1, ROWS + 1):
        writer.writerow([row, params["young_person_id"]])
        progress(row)
        if row % 50 == 0:
            time.sleep(0.05)  # about two seconds in all: long enough to be killed part-way
    return [params["young_person_id"]]


SLOW_EXPORT = ExportSource(
    key="test-crash-slow-rows",
    title="Slow test rows",
    content_type="text/csv",
    extension="csv",
    holds_personal_data=True,
    validate=lambda user, params: None,
    count=lambda user, params: ROWS,
    write=_write_slowly,
    filename=lambda params: "slow-test-rows",
    may_hold=sees_every_young_person,
)

if os.environ.get(WORKER_FLAG) == "1":
    registry.register(SLOW_EXPORT)


class SlowFileEmailBackend(BaseEmailBackend):
    """Each message becomes a file named after its recipient: the mail server has it. Before
    sending it leaves a "sending" marker and waits, and after it may wait again, so the test can
    kill the worker mid-send, or once the e-mail is handed over but not yet marked sent."""

    def send_messages(self, email_messages):
        folder = Path(os.environ[MAIL_DIR])
        delay = float(os.environ.get(MAIL_DELAY, "0"))
        for message in email_messages:
            recipient = message.to[0]
            (folder / f"sending-{recipient}-{time.monotonic_ns()}").touch()
            time.sleep(delay)
            (folder / f"sent-{recipient}-{time.monotonic_ns()}.eml").write_bytes(
                message.message().as_bytes()
            )
            time.sleep(float(os.environ.get(HANDED_DELAY, "0")))
        return len(email_messages)


def _hold_the_acknowledgement(sender=None, task_id=None, **kwargs):
    """After a task has returned (its transaction committed) and before the worker acknowledges
    it (late acks: after this signal), leave a "ran" marker and wait, so the test can kill the
    worker while the broker still counts the task as unfinished."""
    folder = Path(os.environ[MAIL_DIR])
    (folder / f"ran-{sender.name}-{time.monotonic_ns()}").touch()
    time.sleep(float(os.environ.get(ACK_DELAY, "0")))


if os.environ.get(WORKER_FLAG) == "1":
    from celery.signals import task_postrun

    task_postrun.connect(_hold_the_acknowledgement, weak=False)


# --- The test's side ---------------------------------------------------------------------------


def _database_url() -> str:
    db = connection.settings_dict
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or "5432"
    return f"postgres://{user}:{password}@{host}:{port}/{db['NAME']}"


def _wait_for(predicate, timeout: float, what: str, logs: list[Path]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    tails = "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in logs if p.exists())
    pytest.fail(f"timed out waiting for {what}\n{tails}")


class Workers:
    """Starts and kills real worker processes sharing the test database and one Redis."""

    def __init__(self, tmp_path: Path, extra_env: dict[str, str]):
        self.tmp_path = tmp_path
        self.extra_env = extra_env
        self.processes: list[subprocess.Popen] = []
        self.logs: list[Path] = []

    def start(self, **env: str) -> subprocess.Popen:
        number = len(self.processes) + 1
        log = self.tmp_path / f"worker-{number}.log"
        environment = {
            k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "PYTEST_"))
        }
        environment.update(
            {
                "DJANGO_SETTINGS_MODULE": "csafe.settings",
                "DATABASE_URL": _database_url(),
                "REDIS_URL": REDIS_URL,
                WORKER_FLAG: "1",
                **self.extra_env,
                **env,
            }
        )
        # A short visibility timeout, swept every second, so a dead worker's message comes back
        # within seconds; everything else is the production Celery configuration.
        bootstrap = (
            "import sys\n"
            "from csafe.celery import app\n"
            "app.conf.broker_transport_options = {\n"
            f"    'visibility_timeout': {VISIBILITY_TIMEOUT},\n"
            "    'unacked_restore_interval': 1,\n"
            "    'unacked_restore_throttle': 1,\n"
            "}\n"
            "app.worker_main(sys.argv[1:])\n"
        )
        with log.open("w") as out:
            process = subprocess.Popen(  # noqa: S603 fixed arguments
                [
                    sys.executable,
                    "-c",
                    bootstrap,
                    "worker",
                    "--pool=solo",
                    "--loglevel=INFO",
                    "--without-mingle",
                    "--without-gossip",
                    "--without-heartbeat",
                    f"--hostname=crash-test-{number}-{os.getpid()}@%h",
                    "--include=tests.integration.test_worker_crash",
                ],
                cwd=ROOT,
                env=environment,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.processes.append(process)
        self.logs.append(log)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def mail(self, prefix: str) -> list[Path]:
        """What the mail backend and the workers left: "sent-" e-mails, "ran-" tasks."""
        return sorted(p for p in self.mail_dir.iterdir() if p.name.startswith(prefix))

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=10)


@pytest.fixture
def broker():
    """Publish to Redis for real (not eagerly), on a queue emptied before and after."""
    # PostgreSQL first, by the module's mark; a missing Redis fails where services are required.
    redis_url()
    from csafe.celery import app
    from tests.celery_worker import _reset_producer_pools

    previous = {
        "broker_url": app.conf.broker_url,
        "result_backend": app.conf.result_backend,
        "task_always_eager": app.conf.task_always_eager,
    }
    app.conf.update(broker_url=REDIS_URL, result_backend=REDIS_URL, task_always_eager=False)
    _reset_producer_pools()
    _purge(app)
    yield app
    _purge(app)
    app.conf.update(**previous)
    _reset_producer_pools()


def _purge(app) -> None:
    # Waiting messages, and those left unacknowledged by a killed worker.
    app.control.purge()
    with app.connection_for_write() as conn:
        client = conn.default_channel.client
        client.delete("unacked", "unacked_index", "unacked_mutex")


@pytest.fixture
def workers(tmp_path, settings):
    exports_root = tmp_path / "exports"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    settings.CSAFE_EXPORT_ROOT = exports_root
    pool = Workers(
        tmp_path,
        {
            "CSAFE_EXPORT_ROOT": str(exports_root),
            "EMAIL_BACKEND": f"{__name__}.SlowFileEmailBackend",
            MAIL_DIR: str(mail_dir),
        },
    )
    pool.exports_root = exports_root
    pool.mail_dir = mail_dir
    yield pool
    pool.stop_all()


def test_an_export_killed_part_way_is_finished_once_by_the_next_worker(
    monkeypatch, team_manager, young_person, broker, workers
):
    from csafe.exports.models import ExportJob, ExportStatus

    monkeypatch.setitem(registry._REGISTRY, SLOW_EXPORT.key, SLOW_EXPORT)
    first = workers.start()
    job = export_start(
        user=team_manager,
        source_key=SLOW_EXPORT.key,
        params={"young_person_id": young_person.pk},
    )

    def part_written() -> bool:
        job.refresh_from_db()
        return job.status == ExportStatus.RUNNING and job.rows_written >= PROGRESS_EVERY

    _wait_for(part_written, 30, "the first worker to be part-way through", workers.logs)
    workers.kill(first)
    job.refresh_from_db()
    killed_ticket = job.stored_name
    assert job.status == ExportStatus.RUNNING
    assert 0 < job.rows_written < ROWS
    assert job.attempts == 1
    # The killed run's half-written file is on disk until the next run takes the job over.
    assert [p.name for p in workers.exports_root.iterdir()] == [killed_ticket]

    workers.start()

    def finished() -> bool:
        job.refresh_from_db()
        return job.status not in {ExportStatus.QUEUED, ExportStatus.RUNNING}

    _wait_for(finished, 40, "the next worker to finish the export", workers.logs)
    assert (job.status, job.attempts, job.rows_written) == (ExportStatus.DONE, 2, ROWS)
    assert job.stored_name != killed_ticket
    assert job.young_person_ids == [young_person.pk]
    # One file, the finished one, holding every row exactly once.
    assert [p.name for p in workers.exports_root.iterdir()] == [job.stored_name]
    with export_path(job.stored_name).open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["row", "young_person"]
    assert [int(r[0]) for r in rows[1:]] == list(range(1, ROWS + 1))
    assert ExportJob.objects.count() == 1


def test_a_worker_killed_while_e_mailing_a_context_change_tells_each_person_once(
    team_manager,
    practitioner,
    other_team_practitioner,
    young_person,
    other_young_person,
    broker,
    workers,
):
    from contexts.models import Context
    from contexts.reference import ContextRecordKind
    from csafe.notifications.models import Notification, NotificationKind
    from tests.contexts.work_support import add_record, link, open_context_for_test

    context = open_context_for_test(lead=team_manager)
    link(practitioner, context, young_person)
    link(other_team_practitioner, context, other_young_person)
    # The first worker takes three seconds over each e-mail: long enough to be killed mid-send.
    # Each change is told and e-mailed at once (no gathering window), as this test is about the
    # e-mail of one change; gathered changes are e-mailed by the same send task.
    first = workers.start(**{MAIL_DELAY: "3", NO_WINDOW: "0"})

    add_record(team_manager, context, kind=ContextRecordKind.ASSESSMENT)
    version = Context.objects.get(pk=context.pk).version
    told = Notification.objects.filter(
        kind=NotificationKind.CONTEXT_UPDATED, dedupe_key__startswith=f"context:{context.pk}:"
    )

    def mail(prefix: str) -> list[str]:
        return sorted(p.name for p in workers.mail_dir.iterdir() if p.name.startswith(prefix))

    _wait_for(lambda: mail("sending-"), 30, "the first worker to start an e-mail", workers.logs)
    workers.kill(first)
    assert mail("sent-") == []
    assert told.count() == 2
    assert told.filter(emailed_at__isnull=False).count() == 0

    workers.start(**{MAIL_DELAY: "0", NO_WINDOW: "0"})
    _wait_for(
        lambda: told.filter(emailed_at__isnull=False).count() == 2,
        40,
        "the next worker to send both e-mails",
        workers.logs,
    )
    # Time for a (wrong) second delivery of either task to arrive before counting.
    time.sleep(VISIBILITY_TIMEOUT + 1)
    sent = mail("sent-")
    assert len(sent) == 2
    # One e-mail each: "sent-<address>-<clock>.eml".
    assert sorted(name[len("sent-") :].rsplit("-", 1)[0] for name in sent) == sorted(
        [practitioner.email, other_team_practitioner.email]
    )
    assert sorted(told.values_list("recipient__username", "dedupe_key")) == [
        ("outsider", f"context:{context.pk}:v{version}:{other_team_practitioner.pk}"),
        ("practitioner", f"context:{context.pk}:v{version}:{practitioner.pk}"),
    ]
    # Neither worker's log names a child: identifiers only.
    worker_logs = "".join(log.read_text() for log in workers.logs)
    for name in ("Zephyrine", "Quillfeather", "Bartholomew", "Nettlecombe"):
        assert name not in worker_logs


def _notify(recipient):
    """A notification, its e-mail task published when the notification is committed."""
    from csafe.notifications.models import NotificationKind
    from csafe.notifications.services import notification_create

    notification, created = notification_create(
        recipient=recipient,
        kind=NotificationKind.FLAG_REVIEW_DUE,
        title="Harm flag review overdue for TST000123",
        body="",
        url="/young-people/1/",
        dedupe_key="crash-test:review-due",
    )
    assert created
    return notification


def test_a_worker_killed_after_handing_an_e_mail_over_sends_it_again_under_one_message_id(
    practitioner, broker, workers
):
    """At least once, not exactly once: the mail server has the e-mail, the mark died with the
    worker's transaction, so the next worker sends it again; both copies carry the same
    Message-ID, so the mail system can keep one."""
    from csafe.notifications.services import notification_message_id

    # Once the e-mail is handed over, the first worker waits before marking it sent.
    first = workers.start(**{HANDED_DELAY: "30"})
    notification = _notify(practitioner)
    _wait_for(lambda: workers.mail("sent-"), 30, "the e-mail to be handed over", workers.logs)
    workers.kill(first)
    notification.refresh_from_db()
    assert notification.emailed_at is None
    assert len(workers.mail("sent-")) == 1

    workers.start()
    _wait_for(
        lambda: (
            type(notification).objects.filter(pk=notification.pk, emailed_at__isnull=False).exists()
        ),
        40,
        "the next worker to send the e-mail and mark it sent",
        workers.logs,
    )
    time.sleep(VISIBILITY_TIMEOUT + 1)  # time for a (wrong) third delivery to arrive
    sent = [email.message_from_bytes(path.read_bytes()) for path in workers.mail("sent-")]
    assert [message["To"] for message in sent] == [practitioner.email] * 2
    expected = notification_message_id(notification_id=notification.pk)
    assert [message["Message-ID"] for message in sent] == [expected] * 2
    assert [message["X-Csafe-Dedupe-Key"] for message in sent] == [expected.strip("<>")] * 2


def test_a_task_delivered_again_after_its_e_mail_was_marked_sent_sends_nothing(
    practitioner, broker, workers
):
    """The worker marks the e-mail sent (committed) and dies before acknowledging the task, so
    the broker hands it out again: the next worker finds it marked and sends nothing."""
    first = workers.start(**{ACK_DELAY: "30"})
    notification = _notify(practitioner)
    _wait_for(lambda: workers.mail("ran-"), 30, "the first worker to run the task", workers.logs)
    workers.kill(first)
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert len(workers.mail("sent-")) == 1

    workers.start()
    _wait_for(
        lambda: len(workers.mail("ran-")) == 2,
        40,
        "the task to be delivered again and run by the next worker",
        workers.logs,
    )
    assert len(workers.mail("sent-")) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None
