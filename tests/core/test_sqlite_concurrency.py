"""The demo on SQLite under two tabs: form posts and page loads at the same moment never lose a
write nor answer 500 "database is locked".

Every request writes (the session is saved on every request, a record page writes its access-log
rows), and SQLite lets one connection write at a time. Python opens its transactions DEFERRED:
one that reads and then writes cannot wait for the lock when another connection has written
since its read began, and fails at once with "database is locked" whatever the busy timeout.
csafe's settings open SQLite transactions IMMEDIATE (the write lock is taken at BEGIN, so a
request waits its turn), with a busy timeout, in write-ahead-log mode (readers never wait).

What is proven is the settings' own: the server here is csafe as ``manage.py runserver`` serves
it (a thread per request, one connection each) on a database file of its own, in a process of
its own whose environment names that file, so the test runs wherever the suite runs, CI's
PostgreSQL included (a property of SQLite, not of the database the suite is on). The schema is
made from the models rather than by the migrations (the locking does not depend on how the
tables were made, and the migrations take half a minute on SQLite).
"""

from __future__ import annotations

import html
import http.client
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
POSTS = 20
PAGE_LOADS = 40
STARTUP_TIMEOUT = 60  # seconds; the server usually answers within five
NOTE_SUBJECT = "Seen at the youth club, visit {:02d}"

# --- The server's side (run in its own process: ``serve`` below) -------------------------------


def serve(folder: str) -> None:
    """Make the database, a practitioner and the young person they hold, sign the practitioner
    in, write what the test needs to ``ready.json`` and serve csafe until killed."""
    import django

    django.setup()
    from django.apps import apps
    from django.conf import settings
    from django.core.management import call_command
    from django.core.servers.basehttp import (
        ThreadedWSGIServer,
        WSGIRequestHandler,
        get_internal_wsgi_application,
    )
    from django.test import Client

    from cases import services as case_services
    from csafe.accounts.models import Role
    from tests.factories import TeamFactory, UserFactory, YoungPersonFactory

    # The tables straight from the models, as Django's test runner does with MIGRATE False.
    settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}
    call_command("migrate", run_syncdb=True, verbosity=0)

    team = TeamFactory(name="Team A")
    manager = UserFactory(username="manager", role=Role.TEAM_MANAGER, team=team)
    practitioner = UserFactory(username="practitioner", role=Role.PRACTITIONER, team=team)
    young_person = YoungPersonFactory(actor=manager, first_name="Zephyrine", last_name="Quill")
    case_services.young_person_allocate_worker(
        actor=manager, young_person=young_person, worker=practitioner
    )
    client = Client()
    client.force_login(practitioner, backend="django.contrib.auth.backends.ModelBackend")

    class Server(ThreadedWSGIServer):
        # Every request of the burst is let in at once: the default backlog is 10.
        request_queue_size = 128

    server = Server(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(get_internal_wsgi_application())
    ready = {
        "port": server.server_address[1],
        "young_person": young_person.pk,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
    }
    partial = Path(folder) / "ready.part"
    partial.write_text(json.dumps(ready))
    partial.replace(Path(folder) / "ready.json")
    server.serve_forever()


# --- The test's side ---------------------------------------------------------------------------


class Demo:
    """csafe served from its own SQLite file in another process."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.database = folder / "csafe.sqlite3"
        self.log = folder / "server.log"
        environment = {
            name: value
            for name, value in os.environ.items()
            # Nothing of the suite's own services: the demo's defaults, on its own file.
            if not name.startswith(("PYTEST_", "CELERY_", "DJANGO_"))
            and name not in {"DATABASE_URL", "REDIS_URL", "CSAFE_CACHE_URL"}
        }
        environment.update(
            DJANGO_SETTINGS_MODULE="csafe.settings",
            DATABASE_URL=f"sqlite:///{self.database}",
            CSAFE_VAR_DIR=str(folder),
            PYTHONPATH=str(ROOT),
        )
        bootstrap = f"from {__name__} import serve; serve({str(folder)!r})"
        with self.log.open("w") as out:
            self.process = subprocess.Popen(  # noqa: S603 fixed arguments
                [sys.executable, "-c", bootstrap],
                cwd=ROOT,
                env=environment,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.ready = self._wait_until_ready()
        self.port = self.ready["port"]

    def _wait_until_ready(self) -> dict:
        ready = self.folder / "ready.json"
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if ready.exists():
                return json.loads(ready.read_text())
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        pytest.fail(f"the demo server did not start:\n{self.log.read_text()[-4000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def request(self, method: str, path: str, cookies: dict, form: dict | None = None):
        """One request on a connection of its own; the answer's status, Location and body."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # Django's CSRF check on a plain HTTP origin compares the Referer loosely; the
            # Origin header is what a browser sends with a form post.
            headers["Origin"] = f"http://127.0.0.1:{self.port}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheader("Location"), response.read(), response
        finally:
            connection.close()

    def errors(self) -> list[str]:
        return sorted(set(re.findall(r"\w*Error: [^\n]+", self.log.read_text())))


@pytest.fixture
def demo(tmp_path):
    server = Demo(tmp_path)
    yield server
    server.stop()


def test_form_posts_and_page_loads_at_once_all_succeed_and_every_write_is_kept(demo):
    young_person = demo.ready["young_person"]
    cookies = {demo.ready["session_cookie"]: demo.ready["session"]}
    note_new = reverse("cases:note_new", kwargs={"young_person_pk": young_person})
    note_list = reverse("cases:note_list", kwargs={"young_person_pk": young_person})
    pages = [
        note_list,
        reverse("cases:detail", kwargs={"pk": young_person}),
        reverse("workspace:home"),
    ]

    # The form's page, as a browser loads it before posting: its CSRF cookie and token.
    status, _, body, response = demo.request("GET", note_new, cookies)
    assert status == 200, body[-2000:]
    set_cookie = response.getheader("Set-Cookie") or ""
    csrf_cookie = re.search(rf"{demo.ready['csrf_cookie']}=([^;]+)", set_cookie).group(1)
    token = html.unescape(
        re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    )
    cookies[demo.ready["csrf_cookie"]] = csrf_cookie
    today = date.today()

    def post(number: int):
        form = {
            "csrfmiddlewaretoken": token,
            "noted_on_day": today.day,
            "noted_on_month": today.month,
            "noted_on_year": today.year,
            "subject": NOTE_SUBJECT.format(number),
            "body": "Talked about the new college course and the Friday football.",
        }
        return demo.request("POST", note_new, cookies, form)[:2]

    def load(number: int):
        return demo.request("GET", pages[number % len(pages)], cookies)[:2]

    work = [(post, n) for n in range(POSTS)] + [(load, n) for n in range(PAGE_LOADS)]
    start = threading.Barrier(len(work))
    answers: dict[tuple[str, int], tuple] = {}

    def run(action, number):
        start.wait()
        try:
            answers[action.__name__, number] = action(number)
        except OSError as error:
            answers[action.__name__, number] = (type(error).__name__, str(error))

    threads = [threading.Thread(target=run, args=item) for item in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    demo.stop()

    posted = {n: answer for (kind, n), answer in answers.items() if kind == "post"}
    loaded = {n: answer for (kind, n), answer in answers.items() if kind == "load"}
    wrong_posts = {n: a for n, a in posted.items() if a != (302, note_list)}
    wrong_loads = {n: a for n, a in loaded.items() if a[0] != 200}
    assert (len(posted), len(loaded)) == (POSTS, PAGE_LOADS)
    assert (wrong_posts, wrong_loads) == ({}, {}), f"the server said: {demo.errors()}"
    with sqlite3.connect(demo.database) as database:
        saved = [row[0] for row in database.execute("SELECT subject FROM cases_casenote")]
        journal_mode = database.execute("PRAGMA journal_mode").fetchone()[0]
    assert sorted(saved) == [NOTE_SUBJECT.format(n) for n in range(POSTS)]
    assert journal_mode == "wal"
