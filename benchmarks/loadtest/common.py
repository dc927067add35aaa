"""Pure helpers shared by the load test's runner, its locustfile and its tests.

Nothing here imports Django's settings or locust (which patches the standard library with gevent
as it is imported), so the tests can import this module safely.
"""

from __future__ import annotations

import csv
import html
import math
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django_otp.oath import TOTP

# The synthetic password the scale generator gives every staff account it makes. The generator
# (demo.scale) owns the value; this copy is only for a checkout that does not have it yet.
FALLBACK_STAFF_PASSWORD = "synthetic-scale-only"

KINDS = ("practitioners", "managers", "api_clients")

_CSRF_INPUT = re.compile(
    r"<input[^>]*name=[\"']csrfmiddlewaretoken[\"'][^>]*>", re.IGNORECASE | re.DOTALL
)
_VALUE = re.compile(r"value=[\"']([^\"']+)[\"']", re.IGNORECASE)


def staff_password() -> str:
    try:
        from demo.scale import STAFF_PASSWORD
    except ImportError:
        return FALLBACK_STAFF_PASSWORD
    return STAFF_PASSWORD


def csrf_token_from(page: str) -> str | None:
    """The CSRF token of the first form on a page, as a browser would post it back."""
    found = _CSRF_INPUT.search(page)
    if found is None:
        return None
    value = _VALUE.search(found.group(0))
    return html.unescape(value.group(1)) if value else None


# --- Authenticator app codes ---------------------------------------------------------------


@dataclass(frozen=True)
class TotpSecret:
    """What an authenticator app holds for one device (django_otp's TOTPDevice fields)."""

    key: str  # hex, as TOTPDevice.key
    step: int = 30
    t0: int = 0
    digits: int = 6
    drift: int = 0

    def step_at(self, at: float) -> int:
        """The time step the app is in at Unix time ``at`` (TOTPDevice.last_t counts these)."""
        return int(math.floor((at - self.t0) / self.step)) + self.drift

    def code_at(self, at: float) -> str:
        totp = TOTP(bytes.fromhex(self.key), self.step, self.t0, self.digits, self.drift)
        totp.time = at
        return f"{totp.token():0{self.digits}d}"

    def seconds_until_fresh(self, *, last_used_step: int, at: float) -> float:
        """How long to wait before the app shows a code that has not been used: django-otp
        refuses a code from a step at or before the last one accepted for the device. A small
        margin keeps clear of the boundary."""
        if self.step_at(at) > last_used_step:
            return 0.0
        next_step_starts = self.t0 + (last_used_step + 1 - self.drift) * self.step
        return max(0.0, next_step_starts - at) + 0.5


class StepLedger:
    """The last time step used per manager account, across the simulated users of one process.

    Several simulated users may share one manager account when the database has fewer managers
    than the mix asks for; each must then wait for a step nobody has used, exactly as a person
    signing in on a second device would have to."""

    def __init__(self, initial: dict[str, int] | None = None):
        self._last = dict(initial or {})

    def claim(self, username: str, secret: TotpSecret, *, at: float) -> tuple[str | None, float]:
        """(code, 0) when a fresh code can be used now, else (None, seconds to wait). Claiming
        records the step, so the next caller for the same account waits for a later one."""
        wait = secret.seconds_until_fresh(last_used_step=self._last.get(username, -1), at=at)
        if wait > 0:
            return None, wait
        self._last[username] = secret.step_at(at)
        return secret.code_at(at), 0.0


def account_for(accounts: list[dict], index: int) -> tuple[dict, bool]:
    """The account the ``index``-th simulated user of a kind signs in with, and whether that
    account is shared with another simulated user (more users than accounts)."""
    if not accounts:
        raise ValueError("No accounts of this kind were prepared")
    return accounts[index % len(accounts)], index >= len(accounts)


# --- The mix and the dashboard's filters ---------------------------------------------------


def parse_mix(text: str) -> dict[str, int]:
    """Weights for practitioners, managers and API clients from "3:1:1" (each at least 0, the sum
    more than 0)."""
    parts = text.split(":")
    if len(parts) != len(KINDS):
        raise ValueError(f"Give the mix as practitioners:managers:api_clients, not {text!r}")
    try:
        weights = [int(part) for part in parts]
    except ValueError as exc:
        raise ValueError(f"The mix must be whole numbers, not {text!r}") from exc
    if any(w < 0 for w in weights) or sum(weights) == 0:
        raise ValueError(f"The mix needs non-negative weights with at least one above 0: {text!r}")
    return dict(zip(KINDS, weights, strict=True))


def users_per_kind(users: int, mix: dict[str, int]) -> dict[str, int]:
    """Roughly how locust shares ``users`` among the kinds by weight (largest remainder)."""
    total = sum(mix.values())
    exact = {kind: users * weight / total for kind, weight in mix.items()}
    counts = {kind: int(value) for kind, value in exact.items()}
    by_remainder = sorted(mix, key=lambda kind: exact[kind] - counts[kind], reverse=True)
    for kind in by_remainder[: users - sum(counts.values())]:
        counts[kind] += 1
    return counts


def dashboard_period(today: date, months: int) -> dict[str, str]:
    """The dashboard form's date fields for the ``months`` calendar months ending today."""
    month_index = today.year * 12 + today.month - 1 - (months - 1)
    start = date(month_index // 12, month_index % 12 + 1, 1)
    fields = {}
    for prefix, day in (("start", start), ("end", today)):
        fields[f"{prefix}_day"] = str(day.day)
        fields[f"{prefix}_month"] = str(day.month)
        fields[f"{prefix}_year"] = str(day.year)
    return fields


# --- Reading locust's results --------------------------------------------------------------


@dataclass(frozen=True)
class StatsRow:
    method: str
    name: str
    requests: int
    failures: int
    per_second: float
    median_ms: float
    p95_ms: float
    p99_ms: float


def _number(raw: str) -> float:
    try:
        return float(raw)
    except (TypeError, ValueError):
        return float("nan")


def read_stats(path: Path) -> list[StatsRow]:
    """Rows of locust's ``*_stats.csv``; the last is the aggregate ("Aggregated")."""
    with path.open(newline="") as handle:
        return [
            StatsRow(
                method=row["Type"],
                name=row["Name"],
                requests=int(row["Request Count"]),
                failures=int(row["Failure Count"]),
                per_second=_number(row["Requests/s"]),
                median_ms=_number(row["50%"]),
                p95_ms=_number(row["95%"]),
                p99_ms=_number(row["99%"]),
            )
            for row in csv.DictReader(handle)
        ]


def format_summary(rows: list[StatsRow]) -> str:
    """A plain table: requests, failures, throughput and latency percentiles per request type,
    then the total."""
    if not rows:
        return "No requests were made."
    width = max(len(f"{r.method} {r.name}") for r in rows)
    header = (
        f"{'request':<{width}}  {'reqs':>6}  {'fails':>5}  {'req/s':>7}  "
        f"{'p50 ms':>7}  {'p95 ms':>7}  {'p99 ms':>7}"
    )
    lines = [header, "-" * len(header)]

    def line(row: StatsRow, label: str) -> str:
        return (
            f"{label:<{width}}  {row.requests:>6}  {row.failures:>5}  {row.per_second:>7.2f}  "
            f"{row.median_ms:>7.0f}  {row.p95_ms:>7.0f}  {row.p99_ms:>7.0f}"
        )

    *each, total = rows
    for row in sorted(each, key=lambda r: r.name):
        lines.append(line(row, f"{row.method} {row.name}"))
    lines.append("-" * len(header))
    lines.append(line(total, "total"))
    return "\n".join(lines)


def total_failures(rows: list[StatsRow]) -> int:
    return rows[-1].failures if rows else 0


def session_cpu_seconds(session_id: int, proc: Path = Path("/proc")) -> float | None:
    """CPU time (user and system) used so far by the live processes of one session, such as a
    gunicorn master and its workers, read from Linux's /proc; None where there is no /proc."""
    if not proc.is_dir():
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone since the listing
            continue
        # After the command name in parentheses: state, ppid, pgrp, session, ... utime, stime.
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[3]) == session_id:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def count_exceptions(path: Path) -> int:
    """Errors raised in the simulated users' own code (locust's ``*_exceptions.csv``): they stop
    a user without being counted as a failed request, so the runner counts them as errors too."""
    if not path.exists():
        return 0
    with path.open(newline="") as handle:
        return sum(int(row["Count"]) for row in csv.DictReader(handle))
