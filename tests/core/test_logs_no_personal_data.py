"""Logs and error reports carry identifiers, never names or case text.

Each test writes distinctive canary names where a careless log line or error report would pick
them up (a form's POST, a query string, a database error's DETAIL line, a failed task), then reads
what actually went out: the console handler configured in settings.LOGGING (which every logger,
the Celery worker's included, writes through), the error e-mail to ADMINS and the debug page.
"""

from __future__ import annotations

import inspect
import io
import logging

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from csafe.core.logging import REMOVED, PersonalDataFilter, scrub

CANARIES = ["Zephyrine", "Quillfeather", "Marisol", "Thistlewood", "Peregrine-Oakhollow"]
HIDDEN = "********************"
# What PostgreSQL says when a unique value is repeated: it quotes the value.
PG_DUPLICATE = (
    'duplicate key value violates unique constraint "cases_youngperson_name"\n'
    "DETAIL:  Key (first_name, last_name)=(Zephyrine, Quillfeather) already exists."
)


@pytest.fixture
def console():
    """What the configured console handler writes, while the test runs."""
    handlers = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, PersonalDataFilter) for f in handler.filters)
    ]
    assert len(handlers) == 1, "settings.LOGGING has one console handler with the filter"
    out = io.StringIO()
    previous = handlers[0].setStream(out)
    yield out
    handlers[0].setStream(previous)


def assert_no_canary(text: str) -> None:
    for name in CANARIES:
        assert name not in text, f"{name!r} reached the output"


def _failing_note(monkeypatch, practitioner, young_person, *, debug: bool, settings):
    """Post a case note full of names to a view whose service then fails unexpectedly."""
    from cases.views import records

    def explode(**kwargs):
        raise RuntimeError("the note could not be written")

    monkeypatch.setattr(records, "case_note_add", explode)
    settings.DEBUG = debug
    settings.ADMINS = [("Operations", "ops@example.org")]
    client = Client(raise_request_exception=False)
    client.force_login(practitioner, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("cases:note_new", args=[young_person.pk])
    return url, client.post(
        f"{url}?search=Peregrine-Oakhollow",
        {
            "noted_on_day": "4",
            "noted_on_month": "3",
            "noted_on_year": "2025",
            "subject": "Seen with Marisol Thistlewood",
            "body": "Zephyrine Quillfeather was seen at the park after school.",
        },
    )


@pytest.mark.django_db
def test_a_500_is_logged_and_reported_with_the_path_but_no_name(
    monkeypatch, settings, console, practitioner, young_person
):
    mail.outbox.clear()
    url, response = _failing_note(
        monkeypatch, practitioner, young_person, debug=False, settings=settings
    )
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()

    logged = console.getvalue()
    assert f"ERROR django.request Internal Server Error: {url}" in logged
    assert "RuntimeError: the note could not be written" in logged
    assert_no_canary(logged)

    [report] = [m for m in mail.outbox if m.to == ["ops@example.org"]]
    assert report.subject.endswith(f"Internal Server Error: {url}")
    assert "RuntimeError" in report.body
    # The fields are named, so the report still says what was posted, but not their values.
    for field in ("subject", "body", "noted_on_day", "search"):
        assert field in report.body
    assert HIDDEN in report.body
    assert_no_canary(report.body)
    assert_no_canary(report.subject)


@pytest.mark.django_db
def test_the_debug_page_hides_posted_values_and_local_variables(
    monkeypatch, settings, console, practitioner, young_person
):
    _url, response = _failing_note(
        monkeypatch, practitioner, young_person, debug=True, settings=settings
    )
    assert response.status_code == 500
    page = response.content.decode()
    # Django's technical page, with the request's parts named and their values hidden.
    assert "RuntimeError" in page and "the note could not be written" in page
    assert "young_person" in page and HIDDEN in page
    assert_no_canary(page)
    assert_no_canary(console.getvalue())


def test_a_failed_task_is_logged_by_id_with_its_database_detail_removed(console, monkeypatch):
    from csafe.notifications import tasks

    def fail(*, notification_id):
        raise IntegrityError(PG_DUPLICATE)

    monkeypatch.setattr(tasks.services, "notification_send_email", fail)
    result = tasks.notification_send_email.apply(args=[424242], throw=False)
    assert result.failed()

    logged = console.getvalue()
    assert f"csafe.notifications.tasks.notification_send_email[{result.id}]" in logged
    assert "IntegrityError" in logged
    assert REMOVED in logged
    assert_no_canary(logged)


@pytest.mark.postgres(reason="only PostgreSQL quotes the row's values in its errors")
@pytest.mark.django_db
def test_a_real_postgresql_error_quoting_a_name_is_logged_without_it(console):
    # Built here so that no source line in the logged traceback spells it out.
    name = " ".join(CANARIES[:2])
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE canary_names (name text UNIQUE)")
        cursor.execute("INSERT INTO canary_names VALUES (%s)", [name])
        with pytest.raises(IntegrityError) as raised, transaction.atomic():
            cursor.execute("INSERT INTO canary_names VALUES (%s)", [name])
    # Proves the test means something: the raw error does hold the name.
    assert "Zephyrine" in str(raised.value)
    try:
        raise raised.value
    except IntegrityError:
        logging.getLogger("csafe.test").exception("Saving the record failed")
    logged = console.getvalue()
    assert "ERROR csafe.test Saving the record failed" in logged
    assert "UniqueViolation" in logged or "IntegrityError" in logged
    assert_no_canary(logged)


def test_the_filter_drops_a_failed_tasks_arguments_from_the_record():
    record = logging.LogRecord(
        "celery.app.trace",
        logging.ERROR,
        __file__,
        1,
        "Task %(name)s[%(id)s] %(description)s: %(exc)s",
        None,
        None,
    )
    record.args = {
        "name": "cases.tasks.example",
        "id": "abc",
        "description": "raised unexpected",
        "exc": "ValueError('no')",
        "args": "['Zephyrine Quillfeather']",
        "kwargs": "{'name': 'Marisol'}",
    }
    assert PersonalDataFilter().filter(record) is True
    assert (
        record.getMessage() == "Task cases.tasks.example[abc] raised unexpected: ValueError('no')"
    )
    assert_no_canary(repr(record.__dict__))


def test_scrub_removes_each_kind_of_quoted_row():
    assert scrub(PG_DUPLICATE) == (
        'duplicate key value violates unique constraint "cases_youngperson_name"\n'
        f"DETAIL: {REMOVED}"
    )
    assert scrub("new row violates check constraint\nFailing row contains (1, Marisol).") == (
        f"new row violates check constraint\nFailing row contains  {REMOVED}"
    )
    assert scrub("UNIQUE constraint failed: cases_youngperson.local_identifier") == (
        "UNIQUE constraint failed: cases_youngperson.local_identifier"
    )


# A task's arguments travel through Redis and appear in the worker's records of it: they are ids,
# or a value that is never personal data, named here with the reason.
NOT_PERSONAL = {
    "version": "the context's version number",
    "change": "a fixed phrase chosen by the service, such as 'Meeting note recorded'",
    "purpose": "which account e-mail to send: 'invitation' or 'reset', chosen by the service",
}


def test_every_task_takes_identifiers_only():
    from csafe.celery import app

    app.loader.import_default_modules()
    ours = {
        name: task
        for name, task in app.tasks.items()
        if name.split(".")[0] in {"cases", "harms", "contexts", "reporting", "csafe"}
    }
    assert {
        "cases.tasks.allocation_notify_worker",
        "contexts.tasks.context_notify_change",
        "csafe.notifications.tasks.notification_send_email",
        "csafe.exports.tasks.run_export",
    } <= ours.keys()
    for name, task in ours.items():
        for parameter in inspect.signature(task.run).parameters:
            assert parameter.endswith(("_id", "_ids")) or parameter in NOT_PERSONAL, (
                f"{name} takes {parameter!r}: pass an id and load the record in the task"
            )
