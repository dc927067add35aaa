"""The load test's preparation: choose the accounts the simulated users sign in with, by query,
and write what they need to a credentials file.

Runs with Django set up, against the database the server under test uses (``run.py`` calls it
before locust starts; ``python -m benchmarks.loadtest.prepare --out FILE`` runs it alone).

* Practitioners: active, with at least one active worker allocation, with the ids of young people
  they are allocated to (and may view) and of contexts they may open, preferring contexts their
  young people are linked to.
* Managers: team managers (then service managers) who can read the dashboards and have a
  confirmed authenticator app (django-otp TOTPDevice) that is not throttled, with the app's key so
  that the simulated user can compute codes as the app would.
* API clients: team managers and practitioners with an API token issued as the API token page
  issues it (csafe.accounts.api_tokens.api_token_issue, with the password, verified by the
  manager's app), preferring people not already chosen to sign in to the pages. Tokens are stored
  hashed, so a key cannot be read back: each preparation revokes the load test's earlier tokens
  (named LOAD_TEST_TOKEN) and issues new ones.

The only writes are the API tokens issued, and, when asked, the synthetic password set on the
chosen accounts (``set_passwords``) and authenticator apps set up for managers without one
(``enrol_devices``): both are for a database made for load testing, never a live one.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.loadtest.common import KINDS, TotpSecret, staff_password

SAMPLE = 20  # young people and contexts kept per account: enough to vary the pages opened


class PreparationError(Exception):
    pass


def _rotated(items: list, start: int) -> list:
    if not items:
        return []
    start %= len(items)
    return items[start:] + items[:start]


def _interleaved(*lists: list) -> Iterable:
    for index in range(max((len(items) for items in lists), default=0)):
        for items in lists:
            if index < len(items):
                yield items[index]


def _totp(device) -> dict:
    return {
        "key": device.key,
        "step": device.step,
        "t0": device.t0,
        "digits": device.digits,
        "drift": device.drift,
        "last_t": device.last_t,
    }


def _contexts_for(user, young_people: list[int], fallback: list[int]) -> list[int]:
    from contexts.models import ContextLink
    from contexts.permissions import can_view_contexts

    if not can_view_contexts(user):
        return []
    linked = list(
        ContextLink.objects.filter(young_person_id__in=young_people, ended_at__isnull=True)
        .order_by("context_id")
        .values_list("context_id", flat=True)
        .distinct()[:SAMPLE]
    )
    return linked or fallback


def _allocated_young_people(user) -> list[int]:
    from cases.models import AllocationKind
    from cases.permissions import young_people_visible_to

    return list(
        young_people_visible_to(user)
        .filter(
            allocations__kind=AllocationKind.WORKER,
            allocations__worker=user,
            allocations__ended_at__isnull=True,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()[:SAMPLE]
    )


def _visible_young_people(user) -> list[int]:
    from cases.permissions import young_people_visible_to

    return list(young_people_visible_to(user).order_by("pk").values_list("pk", flat=True)[:SAMPLE])


def _practitioners(limit: int, fallback_contexts: list[int]) -> list[tuple]:
    from cases.models import AllocationKind
    from csafe.accounts.models import Role, User

    candidates = (
        User.objects.filter(
            role=Role.PRACTITIONER,
            is_active=True,
            allocations__kind=AllocationKind.WORKER,
            allocations__ended_at__isnull=True,
        )
        .distinct()
        .order_by("pk")
    )
    chosen = []
    for user in candidates[: limit * 2]:  # a few spare in case some hold no viewable record
        young_people = _allocated_young_people(user)
        if young_people:
            chosen.append(
                (user, young_people, _contexts_for(user, young_people, fallback_contexts))
            )
        if len(chosen) == limit:
            break
    return chosen


def _managers(limit: int, *, enrol_devices: bool) -> list[tuple]:
    from django.db.models import Case, IntegerField, Value, When
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from csafe.accounts import two_factor
    from csafe.accounts.models import Role, User
    from reporting.permissions import can_view_dashboards

    candidates = (
        User.objects.filter(is_active=True)
        .filter(role__in=[Role.TEAM_MANAGER, Role.SERVICE_MANAGER])
        .exclude(role=Role.TEAM_MANAGER, team__isnull=True)
        .annotate(
            role_order=Case(
                When(role=Role.TEAM_MANAGER, then=Value(0)), default=1, output_field=IntegerField()
            )
        )
        .order_by("role_order", "pk")
    )
    if not enrol_devices:
        candidates = candidates.filter(totpdevice__confirmed=True).distinct()
    chosen = []
    for user in candidates:
        if not can_view_dashboards(user):
            continue
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
        if device is None and enrol_devices:
            device = _enrol(user, two_factor)
        if device is None or not device.verify_is_allowed()[0]:
            continue
        young_people = _visible_young_people(user) if user.role == Role.TEAM_MANAGER else []
        chosen.append((user, device, young_people))
        if len(chosen) == limit:
            break
    return chosen


def _enrol(user, two_factor):
    """Set up an authenticator app through the same services as the set-up page."""
    device = two_factor.totp_enrolment_start(user=user)
    secret = TotpSecret(device.key, device.step, device.t0, device.digits, device.drift)
    return two_factor.totp_enrolment_confirm(
        user=user, device=device, code=secret.code_at(time.time())
    ).device


LOAD_TEST_TOKEN = "Load test"


def _token_for(user, device, password: str) -> str:
    from csafe.accounts import api_tokens, permissions

    for earlier in user.api_tokens.filter(name=LOAD_TEST_TOKEN, revoked_at__isnull=True):
        api_tokens.api_token_revoke(actor=user, token=earlier)
    verified_by = device.persistent_id if permissions.requires_two_factor(user) else None
    return api_tokens.api_token_issue(
        user=user, name=LOAD_TEST_TOKEN, password=password, verified_device_id=verified_by
    ).key


def _check_password(users: list, password: str) -> None:
    """One account of each kind is checked (each check costs a full password hash), so that a
    wrong password fails here rather than as a wave of refused sign-ins, which would also count
    towards django-axes' lock-out."""
    for user in users:
        if not user.check_password(password):
            raise PreparationError(
                f"The password given does not sign {user.username} in. Generated scale data "
                "uses the synthetic staff password; for demo data, pass --set-passwords to set "
                "it on the chosen accounts in this (load-test) database."
            )


def prepare(
    *,
    count: int,
    password: str,
    set_passwords: bool = False,
    enrol_devices: bool = False,
) -> dict:
    """Choose up to ``count`` accounts of each kind and return the credentials document."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from contexts.models import Context, ContextStatus
    from csafe.accounts.models import Role, Team, User
    from harms.models import HarmType
    from reporting.dashboards.selectors import MEASURES

    open_contexts = list(
        Context.objects.filter(status=ContextStatus.OPEN)
        .order_by("pk")
        .values_list("pk", flat=True)[:SAMPLE]
    )
    practitioners = _practitioners(count, open_contexts)
    managers = _managers(count, enrol_devices=enrol_devices)
    if not practitioners:
        raise PreparationError("No practitioner has an active worker allocation to a young person")
    if not managers:
        hint = "" if enrol_devices else " (pass --enrol-devices to set one up for them)"
        raise PreparationError(f"No manager with a confirmed authenticator app was found{hint}")

    page_users = [user for user, *_ in practitioners] + [user for user, *_ in managers]
    if set_passwords:
        hashed = make_password(password)
        User.objects.filter(pk__in=[u.pk for u in page_users]).update(password=hashed)
        for user in page_users:  # the tokens below ask for the password again, of these copies
            user.password = hashed
    else:
        _check_password([practitioners[0][0], managers[0][0]], password)

    # API clients: team managers (who may also read the measures) and practitioners, starting
    # after the ones signing in to the pages so that, where there are enough, nobody is both.
    api_managers = [m for m in managers if m[0].role == Role.TEAM_MANAGER and m[2]]
    api_candidates = _interleaved(
        [("manager", m) for m in _rotated(api_managers, count)],
        [("practitioner", p) for p in _rotated(practitioners, count)],
    )
    api_clients = []
    for kind, entry in api_candidates:
        if len(api_clients) == count:
            break
        if kind == "manager":
            user, device, young_people = entry
            contexts = _contexts_for(user, young_people, open_contexts)
        else:
            user, young_people, contexts = entry
            device = None
        api_clients.append(
            {
                "username": user.username,
                "role": user.role,
                "token": _token_for(user, device, password),
                "reads_measures": kind == "manager",
                "young_people": young_people,
                "contexts": contexts,
            }
        )

    return {
        "prepared_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": connection.settings_dict.get("NAME"),
        "password": password,
        "practitioners": [
            {"username": user.username, "young_people": young_people, "contexts": contexts}
            for user, young_people, contexts in practitioners
        ],
        "managers": [
            {
                "username": user.username,
                "role": user.role,
                "young_people": young_people,
                "totp": _totp(device),
            }
            for user, device, young_people in managers
        ],
        "api_clients": api_clients,
        "harm_types": list(
            HarmType.objects.filter(is_active=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:SAMPLE]
        ),
        "teams": list(
            Team.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)[:SAMPLE]
        ),
        "measures": list(MEASURES),
    }


def write_credentials(document: dict, path: Path) -> None:
    """Written readable by the owner only: it holds a password, app keys and API tokens (for
    synthetic accounts, but still)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        json.dump(document, handle, indent=2)


def describe(document: dict) -> str:
    counts = ", ".join(f"{len(document[kind])} {kind.replace('_', ' ')}" for kind in KINDS)
    return f"Prepared {counts} from database {document['database']}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="credentials file to write")
    parser.add_argument("--count", type=int, default=50, help="accounts of each kind (at most)")
    parser.add_argument("--password", default=None, help="staff password (default: synthetic)")
    parser.add_argument("--set-passwords", action="store_true")
    parser.add_argument("--enrol-devices", action="store_true")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csafe.settings")
    import django

    django.setup()
    try:
        document = prepare(
            count=args.count,
            password=args.password or staff_password(),
            set_passwords=args.set_passwords,
            enrol_devices=args.enrol_devices,
        )
    except PreparationError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    write_credentials(document, args.out)
    print(describe(document))
    return 0


if __name__ == "__main__":
    sys.exit(main())
