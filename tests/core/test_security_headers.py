"""Every security header csafe sets, read off real responses: a young person's record
as its practitioner sees it in the demo profile, and the sign-in page served by the production
profile in its own process (HSTS, the HTTPS redirect and secure cookies exist only there).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


@pytest.fixture
def record_page(client_for, practitioner, young_person):
    response = client_for(practitioner).get(reverse("cases:detail", args=[young_person.pk]))
    assert response.status_code == 200
    return response


@pytest.mark.django_db
def test_a_record_page_carries_every_security_header(record_page):
    assert record_page["X-Frame-Options"] == "DENY"
    assert record_page["X-Content-Type-Options"] == "nosniff"
    assert record_page["Referrer-Policy"] == "same-origin"
    assert record_page["Cross-Origin-Opener-Policy"] == "same-origin"
    # A child's record is never kept by the browser or a proxy.
    assert "no-store" in record_page["Cache-Control"]
    assert "private" in record_page["Cache-Control"]


@pytest.mark.django_db
def test_the_content_security_policy_allows_no_inline_script_or_style(record_page):
    policy = directives(record_page["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'"
    # Besides 'self', at most the response's nonce (added when a template asks for it).
    for source in policy["script-src"][1:]:
        assert re.fullmatch(r"'nonce-[A-Za-z0-9+/=_-]+'", source), source
    for directive in ("script-src", "style-src", "default-src"):
        assert "'unsafe-inline'" not in policy[directive]
        assert "'unsafe-eval'" not in policy[directive]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]


@pytest.mark.django_db
def test_the_record_page_has_no_inline_script_or_style_for_the_policy_to_block(record_page):
    html = record_page.content.decode()
    assert "<script" in html
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, f"inline script: {tag}"
    assert not re.search(r"\sstyle\s*=", html), "an inline style attribute"
    assert "<style" not in html


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_http_only(client, client_for, practitioner):
    sign_in = client.get(reverse("accounts:login"))
    csrf = sign_in.cookies["csrftoken"]
    assert csrf["httponly"] is True
    assert csrf["samesite"] == "Lax"

    # The session cookie is renewed on every request (idle timeout), so any page sets it.
    page = client_for(practitioner).get(reverse("workspace:home"))
    session = page.cookies["sessionid"]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    # Outside production the demo runs on plain HTTP, so the cookies cannot be marked secure.
    assert session["secure"] == ""


PRODUCTION_PROBE = """
import json
import django
django.setup()
from django.conf import settings

# The hashed static files need collectstatic, which has nothing to do with headers: name them
# plainly for this probe only.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
from django.test import Client

client = Client(SERVER_NAME="csafe.example")
plain = client.get("/accounts/sign-in/")
secure = client.get("/accounts/sign-in/", secure=True)
csrf = secure.cookies["csrftoken"]
print(json.dumps({
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location", ""),
    "status": secure.status_code,
    "headers": {k: v for k, v in secure.items()},
    "csrf_cookie": {"secure": csrf["secure"], "httponly": csrf["httponly"]},
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY,
}))
"""


def test_the_production_profile_adds_hsts_the_https_redirect_and_secure_cookies(tmp_path):
    ours = ("CSAFE_", "DJANGO_", "DATABASE_URL", "REDIS_URL", "CELERY_", "SECRET_KEY", "DEBUG")
    environment = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "csafe.settings",
            "CSAFE_PROFILE": "production",
            "SECRET_KEY": "a-test-only-secret-key-that-is-long-and-random-enough-1a2b3c4d5e6f",
            "ALLOWED_HOSTS": "csafe.example",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'headers.sqlite3'}",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "CSAFE_VAR_DIR": str(tmp_path),
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])

    assert seen["plain_status"] == 301
    assert seen["plain_location"] == "https://csafe.example/accounts/sign-in/"
    assert seen["status"] == 200
    headers = seen["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    policy = directives(headers["Content-Security-Policy"])
    assert "'unsafe-inline'" not in policy["script-src"] + policy["style-src"]
    assert seen["csrf_cookie"] == {"secure": True, "httponly": True}
    assert seen["session_cookie_secure"] is True
    assert seen["session_cookie_httponly"] is True
