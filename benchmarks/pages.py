"""The pages and API endpoints timed, each fetched through Django's test client with the whole
middleware stack, signed in as the user who would read it."""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client
from django.urls import reverse

from csafe.accounts.models import User
from tests.two_factor import api_token_for, verify_client

from .subjects import Subjects
from .timing import MANY_ROWS, BenchmarkError, QueryProbe, summary, time_calls

FLOOR = "floor"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@dataclass(frozen=True)
class Page:
    key: str
    url: str
    reader: str  # a key of the clients from clients_for()


def signed_in(user: User) -> Client:
    """A client with a session, past two-factor sign-in for the roles that need it, as
    tests/conftest.py ``client_for`` signs users in."""
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    verify_client(client, user)
    return client


def with_token(user: User) -> Client:
    """A client with no session that sends an API token issued as the token page issues it."""
    return Client(headers={"authorization": f"Token {api_token_for(user)}"})


def clients_for(subjects: Subjects) -> dict[str, Client]:
    practitioner = User.objects.get(pk=subjects.practitioner_id)
    team_manager = User.objects.get(pk=subjects.team_manager_id)
    service_manager = User.objects.get(pk=subjects.service_manager_id)
    return {
        "practitioner": signed_in(practitioner),
        "team_manager": signed_in(team_manager),
        "service_manager": signed_in(service_manager),
        "practitioner_token": with_token(practitioner),
        "service_manager_token": with_token(service_manager),
    }


def pages_for(subjects: Subjects) -> list[Page]:
    """Every page timed, the floor first. Dashboards and measures at their default filters."""
    young_person = {"young_person_pk": subjects.young_person_id}
    return [
        Page(FLOOR, reverse("bench-floor"), "practitioner"),
        Page("caseload", reverse("cases:caseload"), "practitioner"),
        Page(
            "young_person", reverse("cases:detail", args=[subjects.young_person_id]), "practitioner"
        ),
        Page(
            "chronology",
            reverse("cases:chronology", args=[subjects.young_person_id]),
            "practitioner",
        ),
        Page("context", reverse("contexts:detail", args=[subjects.context_id]), "practitioner"),
        Page("dashboard_team_manager", reverse("reporting:dashboard"), "team_manager"),
        Page("dashboard_service_manager", reverse("reporting:dashboard"), "service_manager"),
        Page("api_young_people", reverse("young-person-list"), "practitioner_token"),
        Page("api_flags", reverse("young-person-flags", kwargs=young_person), "practitioner_token"),
        Page(
            "api_referrals",
            reverse("young-person-referrals", kwargs=young_person),
            "practitioner_token",
        ),
        Page("api_contexts", reverse("context-list"), "practitioner_token"),
        Page("api_measures", reverse("reporting-measures"), "service_manager_token"),
        # Work for you: the team manager of the largest team, and the median practitioner.
        Page("worktray_team_manager", reverse("workspace:worktray"), "team_manager"),
        Page("worktray_practitioner", reverse("workspace:worktray"), "practitioner"),
    ]


# The header's "Work for you (N)", which every page of a practitioner or team manager pays for:
# timed alone, as the one query the shell makes for it (with the unread notifications).
HEADER_COUNTS = ("header_count_team_manager", "header_count_practitioner")


def bench_header_count(key: str, user: User, *, repeat: int, warmup: int) -> dict:
    from django.utils import timezone

    from workspace.worktray import shell_counts

    def call():
        return shell_counts(user=user, today=timezone.localdate())

    for _ in range(warmup):
        call()
    samples = time_calls(call, repeat=repeat)
    with QueryProbe() as probe:
        call()
    return {
        "key": key,
        "url": "(workspace.worktray.shell_counts)",
        "reader": key.removeprefix("header_count_"),
        "status": 200,
        **summary(samples),
        "queries": probe.count,
        "max_rows": probe.max_rows,
        "many_rows": probe.max_rows is not None and probe.max_rows > MANY_ROWS,
    }


def _get(client: Client, page: Page) -> None:
    response = client.get(page.url)
    if response.status_code != 200:
        raise BenchmarkError(
            f"{page.key}: GET {page.url} as {page.reader} answered {response.status_code}, not 200"
        )


def bench_page(page: Page, client: Client, *, repeat: int, warmup: int) -> dict:
    """Warm up, time ``repeat`` GETs, then count one more GET's queries (untimed: capturing
    queries costs time of its own). Every response must be 200."""
    for _ in range(warmup):
        _get(client, page)
    samples = time_calls(lambda: _get(client, page), repeat=repeat)
    with QueryProbe() as probe:
        _get(client, page)
    return {
        "key": page.key,
        "url": page.url,
        "reader": page.reader,
        "status": 200,
        **summary(samples),
        "queries": probe.count,
        "max_rows": probe.max_rows,
        "many_rows": probe.max_rows is not None and probe.max_rows > MANY_ROWS,
    }


def bench_pages(subjects: Subjects, *, repeat: int, warmup: int) -> list[dict]:
    clients = clients_for(subjects)
    results = [
        bench_page(page, clients[page.reader], repeat=repeat, warmup=warmup)
        for page in pages_for(subjects)
    ]
    readers = {
        "header_count_team_manager": subjects.team_manager_id,
        "header_count_practitioner": subjects.practitioner_id,
    }
    results += [
        bench_header_count(key, User.objects.get(pk=readers[key]), repeat=repeat, warmup=warmup)
        for key in HEADER_COUNTS
    ]
    floor = results[0]["median_ms"]
    for result in results:
        result["x_floor"] = round(result["median_ms"] / floor, 2) if floor else None
    return results
