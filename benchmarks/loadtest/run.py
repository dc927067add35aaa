"""Load test: csafe under gunicorn on PostgreSQL, on loopback, driven by locust for a bounded time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME python -m benchmarks.loadtest.run
    python -m benchmarks.loadtest.run --smoke          # 5 users for 15 seconds

Steps: choose accounts from the database and write their credentials (prepare.py); start
gunicorn (csafe.wsgi, csafe.settings with DEBUG off, 2 x cores + 1 sync workers) on a free port
of 127.0.0.1, wait for /healthz and load a few sign-in pages so every worker is warm; run locust
headless (50 users, 10 a second, for 2 minutes unless told otherwise); write locust's CSV
statistics and HTML report to the results folder (var/loadtest/<time>/ by default); print
throughput and latency percentiles per request type and in total, gunicorn's CPU time per
request, the load average (other work on the machine skews every latency) and the failure
count. Gunicorn is stopped whatever happens. Exits 1 if any request failed or a simulated user
raised an error, 2 if the run could not be set up.

Demo data (manage.py load_demo) has a handful of staff and its own password: pass
--set-passwords to set the synthetic one on the chosen accounts of that load-test database.
Generated data (manage.py load_scale_data) needs no flag.

Static files are not requested: a browser caches them after the first page, and WhiteNoise
serves them without touching Django's views or the database.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # run as a script rather than with -m
    sys.path.insert(0, str(REPO))

from benchmarks.loadtest.common import (  # noqa: E402
    count_exceptions,
    format_summary,
    parse_mix,
    read_stats,
    session_cpu_seconds,
    staff_password,
    total_failures,
    users_per_kind,
)

LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
HEALTH_WAIT_SECONDS = 60
# Locust stops itself at the end of --run-time; this is the backstop if it does not.
LOCUST_GRACE_SECONDS = 120


class SetupError(Exception):
    pass


def parse_duration(text: str) -> int:
    """Seconds in a locust duration: "120", "90s", "2m", "1h30m"."""
    if text.isdigit():
        return int(text)
    parts = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", text)
    if not text or parts is None:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (e.g. 90s, 2m, 1h30m)")
    hours, minutes, seconds = (int(p or 0) for p in parts.groups())
    return hours * 3600 + minutes * 60 + seconds


def default_workers() -> int:
    return 2 * (os.cpu_count() or 1) + 1


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Load test csafe under gunicorn with locust.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("-u", "--users", type=int, default=50)
    parser.add_argument("-r", "--spawn-rate", type=float, default=10)
    parser.add_argument("-t", "--run-time", default="2m", help="e.g. 90s, 2m")
    parser.add_argument("--smoke", action="store_true", help="5 users for 15 seconds")
    parser.add_argument("--mix", default="3:1:1", help="weights practitioners:managers:api_clients")
    parser.add_argument("--wait", default="1:3", help="think time MIN:MAX seconds per user")
    parser.add_argument("--workers", type=int, default=default_workers(), help="gunicorn's")
    parser.add_argument("--timeout", type=float, default=30, help="seconds per request")
    parser.add_argument("--password", default=None, help="staff password (default: synthetic)")
    parser.add_argument(
        "--set-passwords",
        action="store_true",
        help="set the password on the chosen accounts first (demo data in a load-test database)",
    )
    parser.add_argument(
        "--enrol-devices",
        action="store_true",
        help="set up an authenticator app for chosen managers without one",
    )
    parser.add_argument(
        "--accounts", type=int, default=None, help="accounts of each kind (default: --users)"
    )
    parser.add_argument(
        "--no-warm-up", action="store_true", help="skip loading a few pages before the clock"
    )
    parser.add_argument("--results", type=Path, default=None, help="folder for the results")
    args = parser.parse_args(argv)
    if args.smoke:
        args.users, args.spawn_rate, args.run_time = 5, 5, "15s"
    args.run_seconds = parse_duration(args.run_time)
    try:
        args.mix_weights = parse_mix(args.mix)
        wait_min, wait_max = (float(x) for x in args.wait.split(":"))
    except ValueError as error:
        parser.error(str(error))
    if not 0 <= wait_min <= wait_max:
        parser.error("--wait needs 0 <= MIN <= MAX")
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("the load test runs on PostgreSQL: set DATABASE_URL or --database-url")
    if args.results is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        args.results = REPO / "var" / "loadtest" / stamp
    return args


def _server_environment(args) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": args.database_url,
            "DJANGO_SETTINGS_MODULE": "csafe.settings",
            "DEBUG": "false",
            "PYTHONPATH": str(REPO),
        }
    )
    return env


def _prepare(args, env: dict[str, str], credentials: Path) -> dict:
    command = [
        sys.executable,
        "-m",
        "benchmarks.loadtest.prepare",
        "--out",
        str(credentials),
        "--count",
        str(args.accounts or args.users),
        "--password",
        args.password or staff_password(),
    ]
    if args.set_passwords:
        command.append("--set-passwords")
    if args.enrol_devices:
        command.append("--enrol-devices")
    done = subprocess.run(command, cwd=REPO, env=env, check=False)  # noqa: S603
    if done.returncode != 0:
        raise SetupError("preparing the accounts failed (see above)")
    return json.loads(credentials.read_text())


def _start_gunicorn(args, env: dict[str, str], port: int) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "csafe.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--timeout",
        str(int(args.timeout) + 30),
        "--access-logfile",
        str(args.results / "gunicorn-access.log"),
        "--error-logfile",
        str(args.results / "gunicorn.log"),
    ]
    output = (args.results / "server-output.log").open("w")
    # A session of its own, so that stopping it reaches every worker it forked.
    return subprocess.Popen(  # noqa: S603
        command, cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
    )


def _wait_until_healthy(server: subprocess.Popen, base_url: str) -> None:
    deadline = time.monotonic() + HEALTH_WAIT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SetupError(f"gunicorn exited with {server.returncode} before answering")
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise SetupError(f"gunicorn did not answer /healthz within {HEALTH_WAIT_SECONDS} seconds")


def _warm_up(base_url: str, workers: int) -> None:
    """A few sign-in pages, several at once, so that each worker has imported the URL
    configuration and compiled the templates before the clock starts: the test measures a
    server in service, not one just deployed."""
    from concurrent.futures import ThreadPoolExecutor

    def fetch(_):
        with urllib.request.urlopen(f"{base_url}/accounts/sign-in/", timeout=30) as answer:  # noqa: S310
            answer.read()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(fetch, range(workers * 4)))


def _stop(process: subprocess.Popen | None, *, group: bool) -> None:
    """Stop a process we started (and, for gunicorn, the workers in its session): TERM, then
    KILL if it has not gone in 15 seconds."""
    if process is None or process.poll() is not None:
        return
    send = (lambda sig: os.killpg(process.pid, sig)) if group else process.send_signal
    try:
        send(signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        send(signal.SIGKILL)
        process.wait(timeout=15)
    except ProcessLookupError:
        pass


def _run_locust(args, env: dict[str, str], base_url: str, credentials: Path) -> int:
    locust_env = {
        **env,
        "CSAFE_LOADTEST_CREDENTIALS": str(credentials),
        "CSAFE_LOADTEST_MIX": args.mix,
        "CSAFE_LOADTEST_WAIT": args.wait,
        "CSAFE_LOADTEST_TIMEOUT": str(args.timeout),
    }
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        f"{args.run_seconds}s",
        "--host",
        base_url,
        "--csv",
        str(args.results / "locust"),
        "--html",
        str(args.results / "report.html"),
        "--only-summary",
        "--loglevel",
        "INFO",
        "--logfile",
        str(args.results / "locust.log"),
    ]
    locust = None
    with (args.results / "locust-output.log").open("w") as output:
        try:
            locust = subprocess.Popen(  # noqa: S603
                command, cwd=REPO, env=locust_env, stdout=output, stderr=subprocess.STDOUT
            )
            return locust.wait(timeout=args.run_seconds + LOCUST_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            print("locust did not stop by itself; stopping it", file=sys.stderr)
            return 1
        finally:
            _stop(locust, group=False)


def _accounts_note(document: dict, args) -> list[str]:
    planned = users_per_kind(args.users, args.mix_weights)
    lines = []
    for kind, users in planned.items():
        accounts = len(document[kind])
        label = kind.replace("_", " ")
        share = " (some accounts shared)" if users > accounts else ""
        lines.append(f"  {label}: about {users} simulated users on {accounts} accounts{share}")
    return lines


def _cpu_line(before: float | None, after: float | None, total) -> str:
    if before is None or after is None or total is None or not total.requests:
        return "gunicorn CPU: not measured"
    used = after - before
    return (
        f"gunicorn CPU: {used:.0f} s over the run, {1000 * used / total.requests:.0f} ms "
        "per request (database not included)"
    )


def _on_terminate(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    args.results.mkdir(parents=True, exist_ok=True)
    env = _server_environment(args)
    credentials = args.results / "credentials.json"
    signal.signal(signal.SIGTERM, _on_terminate)
    server = None
    try:
        document = _prepare(args, env, credentials)
        port = _free_port()
        base_url = f"http://127.0.0.1:{port}"
        server = _start_gunicorn(args, env, port)
        _wait_until_healthy(server, base_url)
        if not args.no_warm_up:
            _warm_up(base_url, args.workers)
        print(
            f"gunicorn ({args.workers} workers) on {base_url}, database {document['database']}; "
            f"locust: {args.users} users at {args.spawn_rate}/s for {args.run_seconds} s, "
            f"mix {args.mix}, think time {args.wait} s",
            flush=True,
        )
        cpu_before = session_cpu_seconds(server.pid)
        load_before = os.getloadavg()[0]
        locust_code = _run_locust(args, env, base_url, credentials)
        cpu_after = session_cpu_seconds(server.pid)
        load_after = os.getloadavg()[0]
    except SetupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        _stop(server, group=True)

    stats_file = args.results / "locust_stats.csv"
    if not stats_file.exists():
        print(f"error: locust wrote no statistics (see {args.results}/locust.log)", file=sys.stderr)
        return 2
    rows = read_stats(stats_file)
    failures = total_failures(rows)
    exceptions = count_exceptions(args.results / "locust_exceptions.csv")
    total = rows[-1] if rows else None
    lines = [
        f"csafe load test, {datetime.now():%Y-%m-%d %H:%M}: {args.users} users "
        f"(spawn {args.spawn_rate}/s) for {args.run_seconds} s, mix {args.mix}, "
        f"think time {args.wait} s, gunicorn {args.workers} workers, "
        f"database {document['database']}",
        *_accounts_note(document, args),
        "",
        format_summary(rows),
        "",
        f"throughput: {total.per_second:.1f} requests/s ({total.requests} requests)"
        if total
        else "throughput: no requests",
        _cpu_line(cpu_before, cpu_after, total),
        f"load average (1 min) before / after the run: {load_before:.1f} / {load_after:.1f} "
        f"on {os.cpu_count()} cores (anything else running on the machine shows here)",
        f"failures: {failures}",
        f"errors in the simulated users' code: {exceptions}",
        f"results: {args.results}",
    ]
    summary = "\n".join(lines)
    print(summary)
    (args.results / "summary.txt").write_text(summary + "\n")
    failures_file = args.results / "locust_failures.csv"
    if failures and failures_file.exists():
        print("\nFailures (method, name, error, occurrences):")
        print(failures_file.read_text())
    if exceptions:
        print(f"\nErrors in the simulated users' code: see {args.results}/locust.log")
    if failures or exceptions or locust_code != 0:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
