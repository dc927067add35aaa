"""The load test's preparation and helpers (benchmarks/loadtest): which accounts it chooses, and
that what the simulated users do (read the CSRF token, compute an app code, wait for a fresh
step, post the dashboard's filters) is what the real sign-in and pages accept. The locustfile
itself is not imported: locust patches the standard library as it loads."""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from benchmarks.loadtest.common import (
    StepLedger,
    TotpSecret,
    account_for,
    count_exceptions,
    csrf_token_from,
    dashboard_period,
    format_summary,
    parse_mix,
    read_stats,
    session_cpu_seconds,
    total_failures,
    users_per_kind,
)
from benchmarks.loadtest.prepare import PreparationError, prepare
from benchmarks.loadtest.run import parse_duration
from csafe.accounts.models import ApiToken
from reporting.dashboards.forms import DashboardFilterForm
from tests.contexts.links_support import link, open_context
from tests.two_factor import app_for, code_for


def _secret(device: TOTPDevice) -> TotpSecret:
    return TotpSecret(device.key, device.step, device.t0, device.digits, device.drift)


# --- Pure helpers --------------------------------------------------------------------------


def test_parse_mix_gives_a_weight_per_kind_and_refuses_nonsense():
    assert parse_mix("3:1:1") == {"practitioners": 3, "managers": 1, "api_clients": 1}
    assert parse_mix("0:1:0") == {"practitioners": 0, "managers": 1, "api_clients": 0}
    for bad in ("3:1", "a:b:c", "0:0:0", "-1:2:2"):
        with pytest.raises(ValueError):
            parse_mix(bad)


def test_users_per_kind_shares_every_user_by_weight():
    assert users_per_kind(50, parse_mix("3:1:1")) == {
        "practitioners": 30,
        "managers": 10,
        "api_clients": 10,
    }
    shared = users_per_kind(7, parse_mix("1:1:1"))
    assert sum(shared.values()) == 7
    assert sorted(shared.values()) == [2, 2, 3]


def test_account_for_goes_round_and_says_when_an_account_is_shared():
    accounts = [{"username": "a"}, {"username": "b"}]
    assert account_for(accounts, 0) == ({"username": "a"}, False)
    assert account_for(accounts, 1) == ({"username": "b"}, False)
    assert account_for(accounts, 2) == ({"username": "a"}, True)
    with pytest.raises(ValueError):
        account_for([], 0)


def test_a_code_is_fresh_only_in_a_later_step():
    secret = TotpSecret(key="00" * 20, step=30)
    at = 30 * 1000 + 10  # step 1000, 20 seconds before the next
    assert secret.step_at(at) == 1000
    assert secret.seconds_until_fresh(last_used_step=999, at=at) == 0
    assert secret.seconds_until_fresh(last_used_step=1000, at=at) == pytest.approx(20.5)
    assert secret.seconds_until_fresh(last_used_step=1001, at=at) == pytest.approx(50.5)


def test_the_ledger_makes_a_second_user_of_an_account_wait_for_the_next_step():
    secret = TotpSecret(key="ab" * 20, step=30)
    at = 30 * 2000 + 5
    ledger = StepLedger({"mona": 1999})
    code, wait = ledger.claim("mona", secret, at=at)
    assert code == secret.code_at(at) and wait == 0
    assert ledger.claim("mona", secret, at=at + 1) == (None, pytest.approx(24.5))
    assert ledger.claim("olga", secret, at=at + 1)[0] is not None  # another account is free
    code, wait = ledger.claim("mona", secret, at=at + 25)
    assert code == secret.code_at(at + 25) and code is not None


def test_dashboard_period_crosses_the_year():
    fields = dashboard_period(date(2026, 1, 15), 3)
    assert fields == {
        "start_day": "1",
        "start_month": "11",
        "start_year": "2025",
        "end_day": "15",
        "end_month": "1",
        "end_year": "2026",
    }


@pytest.mark.parametrize("text,seconds", [("120", 120), ("90s", 90), ("2m", 120), ("1h1m", 3660)])
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds


STATS = """Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,\
Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,\
90%,95%,98%,99%,99.9%,99.99%,100%
GET,caseload,10,0,120,130,50,300,5000,2.5,0,120,130,140,150,200,250,280,300,300,300,300
GET,home,4,1,70,80,40,90,3000,1.0,0.25,70,75,80,85,90,90,90,90,90,90,90
,Aggregated,14,1,100,115,40,300,4400,3.5,0.25,100,120,130,140,200,240,280,300,300,300,300
"""


def test_the_summary_reads_locusts_csv(tmp_path: Path):
    path = tmp_path / "locust_stats.csv"
    path.write_text(STATS)
    rows = read_stats(path)
    assert [r.name for r in rows] == ["caseload", "home", "Aggregated"]
    assert total_failures(rows) == 1
    text = format_summary(rows)
    lines = text.splitlines()
    assert lines[2].split() == ["GET", "caseload", "10", "0", "2.50", "120", "250", "300"]
    assert lines[-1].split() == ["total", "14", "1", "3.50", "100", "240", "300"]


def test_exceptions_in_the_users_code_are_counted(tmp_path: Path):
    path = tmp_path / "locust_exceptions.csv"
    assert count_exceptions(path) == 0
    path.write_text('Count,Message,Traceback,Nodes\n3,boom,"tb",local\n2,bang,"tb",local\n')
    assert count_exceptions(path) == 5


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_session_cpu_seconds_counts_this_session():
    deadline = time.process_time() + 0.05
    while time.process_time() < deadline:
        pass
    assert session_cpu_seconds(os.getsid(0)) > 0
    assert session_cpu_seconds(os.getsid(0), proc=Path("/nonexistent")) is None


# --- What the simulated users do, against the real pages -----------------------------------


@pytest.mark.django_db
def test_a_manager_signs_in_as_the_locustfile_does(team_manager, password):
    """The form's CSRF token, the password, the hold at the code page, a code computed from the
    device's key, and then the home page: each step answers what the locustfile expects."""
    device = app_for(team_manager)
    client = Client(enforce_csrf_checks=True)
    token = csrf_token_from(client.get("/accounts/sign-in/").content.decode())
    assert token
    response = client.post(
        "/accounts/sign-in/",
        {"username": team_manager.username, "password": password, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/"
    held = client.get("/")
    assert held.status_code == 302
    assert held.headers["Location"].startswith("/accounts/two-factor/code/")
    token = csrf_token_from(client.get(held.headers["Location"]).content.decode())
    code, _ = StepLedger().claim(team_manager.username, _secret(device), at=time.time())
    assert code == code_for(device)
    response = client.post(
        "/accounts/two-factor/code/", {"code": code, "next": "/", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("months", [3, 12, 24])
def test_the_dashboard_accepts_the_filtered_periods(team_manager, months):
    data = dashboard_period(date.today(), months)
    form = DashboardFilterForm(data, user=team_manager)
    assert form.is_valid(), form.errors


# --- Choosing the accounts -----------------------------------------------------------------


@pytest.mark.django_db
def test_prepare_chooses_allocated_practitioners_and_managers_with_an_app(
    young_person, practitioner, teammate, team_manager, other_team_manager, password
):
    device = app_for(team_manager)
    context = open_context(practitioner)
    link(practitioner, context, young_person)

    document = prepare(count=10, password=password)

    assert [p["username"] for p in document["practitioners"]] == ["practitioner"]
    assert document["practitioners"][0]["young_people"] == [young_person.pk]
    assert document["practitioners"][0]["contexts"] == [context.pk]
    # The other team's manager has no authenticator app, so cannot sign in as the test does.
    [manager] = document["managers"]
    assert manager["username"] == "manager"
    assert manager["totp"]["key"] == device.key
    assert manager["young_people"] == [young_person.pk]
    assert "teammate" not in str(document)
    assert document["password"] == password
    assert document["measures"] and document["harm_types"]


@pytest.mark.django_db
def test_prepare_issues_api_tokens_the_api_accepts(young_person, team_manager, password):
    app_for(team_manager)
    document = prepare(count=10, password=password)

    by_user = {c["username"]: c for c in document["api_clients"]}
    assert set(by_user) == {"manager", "practitioner"}
    assert by_user["manager"]["reads_measures"] is True
    assert by_user["practitioner"]["reads_measures"] is False
    api = Client()
    manager_token = f"Token {by_user['manager']['token']}"
    assert (
        api.get("/api/v1/reporting/measures/", HTTP_AUTHORIZATION=manager_token).status_code == 200
    )
    practitioner_token = f"Token {by_user['practitioner']['token']}"
    flags = f"/api/v1/young-people/{young_person.pk}/flags/"
    assert api.get(flags, HTTP_AUTHORIZATION=practitioner_token).status_code == 200
    # Keys are stored hashed and cannot be read back: a second preparation revokes the first
    # tokens (kept, with revoked_at) and issues new ones.
    again = prepare(count=10, password=password)
    assert not {c["token"] for c in again["api_clients"]} & {c["token"] for c in by_user.values()}
    assert ApiToken.objects.count() == 4
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 2
    assert api.get(flags, HTTP_AUTHORIZATION=practitioner_token).status_code == 401


@pytest.mark.django_db
def test_prepare_refuses_a_wrong_password_unless_asked_to_set_it(
    young_person, practitioner, team_manager
):
    app_for(team_manager)
    with pytest.raises(PreparationError, match="--set-passwords"):
        prepare(count=10, password="synthetic-scale-only")
    prepare(count=10, password="synthetic-scale-only", set_passwords=True)
    practitioner.refresh_from_db()
    team_manager.refresh_from_db()
    assert practitioner.check_password("synthetic-scale-only")
    assert team_manager.check_password("synthetic-scale-only")


@pytest.mark.django_db
def test_prepare_can_set_up_an_app_through_the_services(young_person, team_manager, password):
    with pytest.raises(PreparationError, match="--enrol-devices"):
        prepare(count=10, password=password)
    document = prepare(count=10, password=password, enrol_devices=True)
    device = TOTPDevice.objects.get(user=team_manager, confirmed=True)
    assert document["managers"][0]["totp"]["key"] == device.key
    # The code used to confirm it is spent: the ledger starts from that step.
    assert document["managers"][0]["totp"]["last_t"] == device.last_t >= 0
