"""Request rates: the API's anonymous and signed-in rates, the stricter ones on the look-ups that
could be used to probe (sign-in, the two-factor code, the caseload search on the page and in the
API, the duplicate check on a new referral), each answered 429 with ``Retry-After``; and the
counts kept in Redis, where every process reads them, whenever Redis is configured.

The clock is stopped ten seconds into a window (``stopped_clock``), so the counts cannot cross
into the next window halfway through a test and every Retry-After is known exactly.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.urls import reverse
from rest_framework.test import APIClient

from csafe.core.throttling import WindowRateThrottle
from csafe.settings import redis_cache_url
from tests.services import redis_url
from tests.two_factor import api_token_for, app_for

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
API = "/api/v1/harm-types/"
YOUNG_PEOPLE_API = "/api/v1/young-people/"
SIGN_IN = reverse("accounts:login")
VERIFY = reverse("accounts:two_factor_verify")
CASELOAD = reverse("cases:caseload")
NEW_PERSON = reverse("cases:referral_new_person")

# 1 800 000 000 is a whole number of minutes and of hours: ten seconds into both windows.
WINDOW_START = 1_800_000_000
NOW = WINDOW_START + 10


def configured(scope: str) -> int:
    """How many requests the configured rate allows in its window."""
    return int(django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope].split("/")[0])


def message(wait: str) -> str:
    return f"There have been too many requests in a short time. Try again in {wait}."


@pytest.fixture
def stopped_clock(monkeypatch):
    clock = {"now": float(NOW)}
    monkeypatch.setattr(WindowRateThrottle, "timer", staticmethod(lambda: clock["now"]))
    return clock


@pytest.fixture
def rates(settings):
    """Set some rates for one test: ``rates(user="5/minute")``."""

    def _set(**changed):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {
                **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                **changed,
            },
        }

    return _set


def assert_api_throttled(response, seconds: int, wait: str = "50 seconds") -> None:
    assert response.status_code == 429
    assert response["Retry-After"] == str(seconds)
    assert response.json() == {"detail": message(wait)}


def assert_page_throttled(response, seconds: int, wait: str = "50 seconds") -> None:
    assert response.status_code == 429
    assert response["Retry-After"] == str(seconds)
    page = response.content.decode()
    assert '<h1 class="govuk-heading-l">Too many requests</h1>' in page
    assert message(wait) in page


def signed_in(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


# --- The API ----------------------------------------------------------------------------------


def test_anonymous_api_requests_meet_429_at_the_configured_rate(stopped_clock):
    """Refused for want of credentials, yet counted: DRF would answer 401 before throttling."""
    client = APIClient()
    allowed = configured("anon")
    answers = [client.get(API).status_code for _ in range(allowed)]
    assert answers == [401] * allowed

    assert_api_throttled(client.get(API), 50)


def test_guessing_tokens_meets_429_at_the_anonymous_rate(stopped_clock, rates):
    rates(anon="5/minute")
    client = APIClient()
    answers = []
    for guess in range(5):
        client.credentials(HTTP_AUTHORIZATION=f"Token {guess:040x}")
        answers.append(client.get(API).status_code)
    assert answers == [401] * 5

    assert_api_throttled(client.get(API), 50)


def test_a_new_forwarded_address_on_each_request_does_not_escape_the_rate(stopped_clock, rates):
    """No proxy is configured (CSAFE_PROXY_COUNT 0), so X-Forwarded-For is not believed."""
    rates(anon="5/minute")
    client = APIClient()
    for n in range(5):
        assert client.get(API, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code == 401

    assert_api_throttled(client.get(API, HTTP_X_FORWARDED_FOR="198.51.100.99"), 50)


def test_a_signed_in_api_user_meets_429_at_the_user_rate(stopped_clock, rates, practitioner):
    rates(user="8/minute")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(practitioner)}")
    assert [client.get(API).status_code for _ in range(8)] == [200] * 8

    assert_api_throttled(client.get(API), 50)


def test_the_count_is_per_person_across_token_and_session(
    stopped_clock, rates, practitioner, teammate
):
    rates(user="8/minute")
    by_token = APIClient()
    by_token.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(practitioner)}")
    by_session = signed_in(APIClient(), practitioner)
    for _ in range(4):
        assert by_token.get(API).status_code == 200
        assert by_session.get(API).status_code == 200

    assert_api_throttled(by_session.get(API), 50)
    assert_api_throttled(by_token.get(API), 50)
    # A colleague has a count of their own.
    assert signed_in(APIClient(), teammate).get(API).status_code == 200


def test_the_next_window_starts_a_new_count(stopped_clock, rates, practitioner):
    rates(user="3/minute")
    client = signed_in(APIClient(), practitioner)
    assert [client.get(API).status_code for _ in range(4)] == [200, 200, 200, 429]

    stopped_clock["now"] = WINDOW_START + 60
    assert client.get(API).status_code == 200


def test_the_configured_figures_leave_the_strict_look_ups_lower_than_the_api():
    rates = django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert rates == {
        "anon": "60/minute",
        "user": "600/minute",
        "search": "30/minute",
        "duplicate_check": "30/hour",
        "sign_in": "20/minute",
        "two_factor": "10/minute",
    }
    assert django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] == [
        "csafe.core.throttling.AnonRateThrottle",
        "csafe.core.throttling.UserRateThrottle",
    ]


# --- The look-ups that could be used to probe ---------------------------------------------------


def test_sign_in_attempts_from_one_address_meet_429_sooner(stopped_clock, client, db):
    """Password spraying: a different username each time, so the lock-out (per username and
    address) never starts; the rate per address stops it."""
    allowed = configured("sign_in")
    assert allowed < configured("anon")
    for n in range(allowed):
        response = client.post(SIGN_IN, {"username": f"nobody{n}", "password": "wrong-password"})
        assert response.status_code == 200  # the form again, with its error

    assert_page_throttled(
        client.post(SIGN_IN, {"username": "nobody-else", "password": "wrong-password"}), 50
    )
    # Only attempts count: the page itself still opens.
    assert client.get(SIGN_IN).status_code == 200


def test_two_factor_codes_meet_429_sooner(stopped_clock, client, team_manager, password):
    app_for(team_manager)
    client.post(SIGN_IN, {"username": team_manager.username, "password": password})
    assert client.get(VERIFY).status_code == 200  # signed in, the code still to come
    allowed = configured("two_factor")
    assert allowed < configured("sign_in")
    for _ in range(allowed):
        assert client.post(VERIFY, {"code": "000000"}).status_code == 200

    assert_page_throttled(client.post(VERIFY, {"code": "000000"}), 50)


def test_caseload_searches_meet_429_sooner(stopped_clock, client, practitioner, young_person):
    signed_in(client, practitioner)
    allowed = configured("search")
    assert allowed < configured("anon")
    for n in range(allowed):
        assert client.get(CASELOAD, {"q": f"Quill{n}"}).status_code == 200

    assert_page_throttled(client.get(CASELOAD, {"q": "Quillfeather"}), 50)
    # The caseload itself is not a search.
    assert client.get(CASELOAD).status_code == 200
    assert client.get(CASELOAD, {"q": " "}).status_code == 200


def test_api_searches_meet_429_sooner(stopped_clock, practitioner, young_person):
    client = signed_in(APIClient(), practitioner)
    allowed = configured("search")
    for n in range(allowed):
        assert client.get(YOUNG_PEOPLE_API, {"search": f"Quill{n}"}).status_code == 200

    assert_api_throttled(client.get(YOUNG_PEOPLE_API, {"search": "Quillfeather"}), 50)
    assert client.get(YOUNG_PEOPLE_API).status_code == 200


def test_page_and_api_searches_share_one_count(stopped_clock, rates, client, practitioner):
    rates(search="4/minute")
    signed_in(client, practitioner)
    api = signed_in(APIClient(), practitioner)
    assert client.get(CASELOAD, {"q": "a"}).status_code == 200
    assert api.get(YOUNG_PEOPLE_API, {"search": "b"}).status_code == 200
    assert client.get(CASELOAD, {"q": "c"}).status_code == 200
    assert api.get(YOUNG_PEOPLE_API, {"search": "d"}).status_code == 200

    assert_page_throttled(client.get(CASELOAD, {"q": "e"}), 50)


def test_duplicate_checks_meet_429_sooner(stopped_clock, client, practitioner):
    """Each post of the new-person referral searches for a record that may already exist."""
    signed_in(client, practitioner)
    allowed = configured("duplicate_check")
    for _ in range(allowed):
        assert client.post(NEW_PERSON, {}).status_code == 400  # the form, with its errors

    # An hour's window, ten seconds gone.
    assert_page_throttled(client.post(NEW_PERSON, {}), 3590, "60 minutes")
    assert client.get(NEW_PERSON).status_code == 200


def test_two_clients_of_one_person_share_the_count(stopped_clock, rates, practitioner):
    rates(search="4/minute")
    first, second = signed_in(APIClient(), practitioner), signed_in(APIClient(), practitioner)
    assert first.session.session_key != second.session.session_key
    for client in (first, second, first, second):
        assert client.get(YOUNG_PEOPLE_API, {"search": "x"}).status_code == 200

    assert_api_throttled(second.get(YOUNG_PEOPLE_API, {"search": "x"}), 50)


# --- Where the counts are kept ----------------------------------------------------------------


def _settings_in_a_fresh_process(**env) -> subprocess.CompletedProcess:
    ours = ("CSAFE_", "DJANGO_", "DATABASE_URL", "REDIS_URL", "CELERY_", "SECRET_KEY", "DEBUG")
    environment = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    environment.update(env, DJANGO_SETTINGS_MODULE="csafe.settings")
    script = (
        "from django.conf import settings; c = settings.CACHES['default'];"
        "print(c['BACKEND'], c['LOCATION'], settings.CELERY_BROKER_URL)"
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


REDIS = "django.core.cache.backends.redis.RedisCache"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "django.core.cache.backends.locmem.LocMemCache csafe memory://localhost/"),
        (
            {"REDIS_URL": "redis://cache.example:6379/0"},
            f"{REDIS} redis://cache.example:6379/1 redis://cache.example:6379/0",
        ),
        (
            {"REDIS_URL": "redis://:secret@cache.example:6380"},
            f"{REDIS} redis://:secret@cache.example:6380/1 redis://:secret@cache.example:6380",
        ),
        # 15 is the last of Redis's sixteen databases by default: the one before it.
        (
            {"REDIS_URL": "redis://127.0.0.1:6379/15"},
            f"{REDIS} redis://127.0.0.1:6379/14 redis://127.0.0.1:6379/15",
        ),
        (
            {"REDIS_URL": "redis://a:6379/0", "CSAFE_CACHE_URL": "redis://b:6379/7"},
            f"{REDIS} redis://b:6379/7 redis://a:6379/0",
        ),
    ],
)
def test_the_cache_is_redis_when_redis_is_configured_on_a_database_of_its_own(env, expected):
    result = _settings_in_a_fresh_process(**env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


@pytest.mark.parametrize(
    ("env", "error"),
    [
        (
            {"REDIS_URL": "redis://a:6379/0", "CSAFE_CACHE_URL": "redis://a:6379/0"},
            "CSAFE_CACHE_URL must name another Redis database than the Celery broker's and "
            "results'",
        ),
        (
            {
                "CSAFE_PROFILE": "production",
                "SECRET_KEY": "a-test-only-secret-key-that-is-long-and-random-enough-9f8e7d6c",
                "CELERY_BROKER_URL": "redis://a:6379/0",
            },
            "Set REDIS_URL (or CSAFE_CACHE_URL) in the production profile",
        ),
        (
            {"CSAFE_THROTTLE_SEARCH": "30 a minute"},
            "CSAFE_THROTTLE_SEARCH must be a number of requests per second, minute, hour or "
            "day, like 60/minute, not '30 a minute'",
        ),
    ],
)
def test_a_cache_or_rate_that_cannot_work_is_a_configuration_error(env, error):
    result = _settings_in_a_fresh_process(**env)
    assert result.returncode != 0
    assert error in result.stderr


def _redis_cache_url() -> str:
    """CSAFE_CACHE_URL, or the cache's database beside REDIS_URL's; without either, a skip (a
    failure where the real services are required)."""
    return os.environ.get("CSAFE_CACHE_URL") or redis_cache_url(redis_url())


@pytest.mark.integration
def test_on_redis_the_count_is_kept_where_every_process_reads_it(
    stopped_clock, rates, settings, practitioner
):
    """What a second process sees: a second connection to Redis reads the count the requests
    made, and a count it adds is honoured by the next request."""
    url = _redis_cache_url()
    prefix = f"csafe-test-throttling-{os.getpid()}"
    settings.CACHES = {"default": {"BACKEND": REDIS, "LOCATION": url, "KEY_PREFIX": prefix}}
    rates(search="6/minute")
    elsewhere = caches.create_connection("default")  # its own connection pool
    key = f"throttle:search:user-{practitioner.pk}:{NOW // 60}"
    try:
        first, second = signed_in(APIClient(), practitioner), signed_in(APIClient(), practitioner)
        for client in (first, second):
            assert client.get(YOUNG_PEOPLE_API, {"search": "x"}).status_code == 200
        assert elsewhere.get(key) == 2

        elsewhere.incr(key, 4)
        assert_api_throttled(first.get(YOUNG_PEOPLE_API, {"search": "x"}), 50)
    finally:
        client = elsewhere._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        if keys:
            client.delete(*keys)
        elsewhere.close()
