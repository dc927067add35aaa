"""The simulated users of the csafe load test: practitioners, managers and API clients.

Each page user signs in once through the real sign-in form (the page, its CSRF token, the
password; managers then the code their authenticator app would show, computed from the device's
key), then works through realistic reads with a pause between them. API clients send a token.

Read by locust, never imported by the tests (locust patches the standard library as it loads).
Configured through the environment by run.py:

* CSAFE_LOADTEST_CREDENTIALS: the credentials file written by prepare.py (required);
* CSAFE_LOADTEST_MIX: weights practitioners:managers:api_clients (default 3:1:1);
* CSAFE_LOADTEST_WAIT: think time between two requests of a user, "MIN:MAX" seconds (1:3);
* CSAFE_LOADTEST_TIMEOUT: seconds before an unanswered request counts as failed (30).

Every request must answer 200 exactly (redirects are not followed), so a lapsed session, a
refused permission or a sign-in that did not take counts as a failure rather than passing as the
sign-in page.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import random
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import gevent
from locust import HttpUser, between, task
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.loadtest.common import (  # noqa: E402 - after the path is set
    StepLedger,
    TotpSecret,
    account_for,
    csrf_token_from,
    dashboard_period,
    parse_mix,
)

log = logging.getLogger("csafe.loadtest")

_credentials_path = os.environ.get("CSAFE_LOADTEST_CREDENTIALS")
if not _credentials_path:
    raise RuntimeError("Set CSAFE_LOADTEST_CREDENTIALS (run the load test through run.py)")
CREDENTIALS = json.loads(Path(_credentials_path).read_text())
MIX = parse_mix(os.environ.get("CSAFE_LOADTEST_MIX", "3:1:1"))
WAIT_MIN, WAIT_MAX = (float(x) for x in os.environ.get("CSAFE_LOADTEST_WAIT", "1:3").split(":"))
TIMEOUT = float(os.environ.get("CSAFE_LOADTEST_TIMEOUT", "30"))

SIGN_IN = "/accounts/sign-in/"
CODE = "/accounts/two-factor/code/"

_next_index = {kind: itertools.count() for kind in MIX}
_steps = StepLedger({m["username"]: m["totp"]["last_t"] for m in CREDENTIALS["managers"]})
_rng = random.Random()  # noqa: S311 - choosing pages to open, not secrets


def _path(location: str) -> str:
    return urlsplit(location).path


class _CsafeUser(HttpUser):
    abstract = True
    kind = ""
    wait_time = between(WAIT_MIN, WAIT_MAX)

    def on_start(self) -> None:
        self.account, shared = account_for(CREDENTIALS[self.kind], next(_next_index[self.kind]))
        if shared:
            log.info("%s shares account %s", self.kind, self.account["username"])

    # --- Requests ----------------------------------------------------------------------------

    def get_ok(self, url: str, name: str, params: dict | None = None):
        """GET that must answer 200 itself (no redirect followed)."""
        with self.client.get(
            url,
            params=params,
            name=name,
            allow_redirects=False,
            timeout=TIMEOUT,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                where = response.headers.get("Location", "")
                response.failure(f"{response.status_code} {where}".strip())
            return response

    def _expect_redirect(self, response, *, not_to: str) -> str | None:
        location = response.headers.get("Location", "")
        if response.status_code != 302 or _path(location) == not_to:
            response.failure(f"{response.status_code}, expected a redirect away from {not_to}")
            return None
        return location

    def _form_token(self, url: str, name: str) -> str:
        """A form page, and the CSRF token the browser would post back from it."""
        token = None
        with self.client.get(
            url, name=name, allow_redirects=False, timeout=TIMEOUT, catch_response=True
        ) as response:
            if response.status_code == 200:
                token = csrf_token_from(response.text or "")
            if token is None:
                where = response.headers.get("Location", "")
                response.failure(f"{response.status_code} {where}, no form".strip())
        if token is None:
            raise StopUser()
        return token

    def sign_in_with_password(self) -> str:
        """The sign-in form, then the password; returns where the server sends the browser."""
        token = self._form_token(SIGN_IN, "sign-in: form")
        with self.client.post(
            SIGN_IN,
            data={
                "username": self.account["username"],
                "password": CREDENTIALS["password"],
                "csrfmiddlewaretoken": token,
            },
            name="sign-in: password",
            allow_redirects=False,
            timeout=TIMEOUT,
            catch_response=True,
        ) as response:
            location = self._expect_redirect(response, not_to=SIGN_IN)
        if location is None:
            raise StopUser()
        return location

    def pick(self, key: str):
        values = self.account.get(key) or []
        return _rng.choice(values) if values else None


class Practitioner(_CsafeUser):
    """Works a caseload: the list, a young person's record, its chronology and flags, and the
    context records the young person is linked to."""

    kind = "practitioners"
    weight = MIX["practitioners"]

    def on_start(self) -> None:
        super().on_start()
        self.sign_in_with_password()
        self.get_ok("/", "home")

    @task(3)
    def open_caseload(self) -> None:
        params = _rng.choice([None, {"mine": "on"}, {"order": "-updated"}, {"status": "open"}])
        self.get_ok("/young-people/", "caseload", params)

    @task(4)
    def open_young_person(self) -> None:
        self.get_ok(f"/young-people/{self.pick('young_people')}/", "/young-people/[id]/")

    @task(2)
    def open_chronology(self) -> None:
        pk = self.pick("young_people")
        self.get_ok(f"/young-people/{pk}/chronology/", "/young-people/[id]/chronology/")

    @task(2)
    def open_flags(self) -> None:
        # A record's harm flags over time: the chronology filtered to flags.
        pk = self.pick("young_people")
        self.get_ok(
            f"/young-people/{pk}/chronology/",
            "/young-people/[id]/chronology/?kind=flag",
            {"kind": "flag"},
        )

    @task(2)
    def open_context(self) -> None:
        pk = self.pick("contexts")
        if pk is None:
            self.get_ok("/contexts/", "/contexts/")
        else:
            self.get_ok(f"/contexts/{pk}/", "/contexts/[id]/")

    @task(1)
    def open_contexts(self) -> None:
        self.get_ok("/contexts/", "/contexts/")

    @task(1)
    def open_home(self) -> None:
        self.get_ok("/", "home")


class Manager(_CsafeUser):
    """Oversees a team: the dashboard, sometimes filtered, the team's caseload and records.
    Signs in with a password and an authenticator app code."""

    kind = "managers"
    weight = MIX["managers"]

    def on_start(self) -> None:
        super().on_start()
        self.is_team_manager = self.account["role"] == "team_manager"
        self.sign_in_with_password()
        with self.client.get(
            "/",
            name="sign-in: held for code",
            allow_redirects=False,
            timeout=TIMEOUT,
            catch_response=True,
        ) as response:
            location = self._expect_redirect(response, not_to="/")
        if location is None or _path(location) != CODE:
            raise StopUser()
        token = self._form_token(location, "sign-in: code form")
        code = self._fresh_code()
        with self.client.post(
            CODE,
            data={"code": code, "next": "/", "csrfmiddlewaretoken": token},
            name="sign-in: code",
            allow_redirects=False,
            timeout=TIMEOUT,
            catch_response=True,
        ) as response:
            location = self._expect_redirect(response, not_to=CODE)
        if location is None:
            raise StopUser()
        self.get_ok("/", "home")

    def _fresh_code(self) -> str:
        secret = TotpSecret(**{k: v for k, v in self.account["totp"].items() if k != "last_t"})
        while True:
            code, wait = _steps.claim(self.account["username"], secret, at=time.time())
            if code is not None:
                return code
            gevent.sleep(wait)

    @task(3)
    def open_dashboard(self) -> None:
        self.get_ok("/reporting/dashboard/", "/reporting/dashboard/")

    @task(2)
    def open_dashboard_filtered(self) -> None:
        params = dashboard_period(date.today(), _rng.choice([3, 6, 12, 24]))
        harm_type = _rng.choice([None, *CREDENTIALS["harm_types"]])
        if harm_type is not None:
            params["harm_type"] = str(harm_type)
        if not self.is_team_manager and CREDENTIALS["teams"] and _rng.random() < 0.5:
            params["team"] = str(_rng.choice(CREDENTIALS["teams"]))
        self.get_ok("/reporting/dashboard/", "/reporting/dashboard/?filters", params)

    @task(3)
    def open_team_caseload(self) -> None:
        if not self.is_team_manager:  # service managers have no caseload
            self.open_dashboard()
            return
        params = _rng.choice([None, {"status": "open"}, {"order": "-updated"}])
        self.get_ok("/young-people/", "caseload", params)

    @task(1)
    def open_young_person(self) -> None:
        pk = self.pick("young_people")
        if pk is None:
            self.open_dashboard()
            return
        self.get_ok(f"/young-people/{pk}/", "/young-people/[id]/")

    @task(1)
    def open_home(self) -> None:
        self.get_ok("/", "home")


class ApiClient(_CsafeUser):
    """A system reading the API with a token: young people, a child's flags, contexts, and (for
    a manager's token) the reporting measures."""

    kind = "api_clients"
    weight = MIX["api_clients"]

    def on_start(self) -> None:
        super().on_start()
        self.client.headers["Authorization"] = f"Token {self.account['token']}"
        self.client.headers["Accept"] = "application/json"

    def get_json(self, url: str, name: str, params: dict | None = None) -> None:
        response = self.get_ok(url, f"API {name}", params)
        if response.status_code == 200:
            try:
                response.json()
            except ValueError:
                response.failure("not JSON")

    @task(3)
    def open_young_people(self) -> None:
        self.get_json("/api/v1/young-people/", "/api/v1/young-people/")

    @task(3)
    def open_flags(self) -> None:
        pk = self.pick("young_people")
        self.get_json(f"/api/v1/young-people/{pk}/flags/", "/api/v1/young-people/[id]/flags/")

    @task(2)
    def open_contexts(self) -> None:
        self.get_json("/api/v1/contexts/", "/api/v1/contexts/")

    @task(1)
    def open_context(self) -> None:
        pk = self.pick("contexts")
        if pk is None:
            self.open_contexts()
            return
        self.get_json(f"/api/v1/contexts/{pk}/", "/api/v1/contexts/[id]/")

    @task(1)
    def open_measures(self) -> None:
        if not self.account["reads_measures"]:
            self.open_young_people()
            return
        self.get_json("/api/v1/reporting/measures/", "/api/v1/reporting/measures/")

    @task(1)
    def open_measure(self) -> None:
        if not self.account["reads_measures"]:
            self.open_flags()
            return
        key = _rng.choice(CREDENTIALS["measures"])
        self.get_json(f"/api/v1/reporting/measures/{key}/", "/api/v1/reporting/measures/[key]/")


# A kind with no weight, or no account prepared, takes no part (locust skips abstract classes).
# (In a function: locust collects every user class the module holds, a loop variable included.)
def _leave_out_empty_kinds() -> None:
    for user_class in (Practitioner, Manager, ApiClient):
        if not user_class.weight or not CREDENTIALS[user_class.kind]:
            user_class.abstract = True


_leave_out_empty_kinds()
