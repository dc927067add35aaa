"""The production profile passes Django's deployment checks; the defaults deny by default."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    # Only this test's settings: CI exports DATABASE_URL and REDIS_URL, which must not leak in.
    ours = ("CSAFE_", "DJANGO_", "DATABASE_URL", "REDIS_URL", "CELERY_", "SECRET_KEY", "DEBUG")
    environment = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION_ENV = {
    "CSAFE_PROFILE": "production",
    "SECRET_KEY": "a-test-only-secret-key-that-is-long-and-random-enough-9f8e7d6c5b4a",
    "ALLOWED_HOSTS": "csafe.example",
    "DATABASE_URL": "sqlite:////tmp/csafe-check-deploy.sqlite3",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def test_production_profile_passes_check_deploy():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_profile_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set in the production profile" in result.stderr


def test_production_profile_refuses_an_in_memory_broker():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "REDIS_URL"}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "Set REDIS_URL (or CELERY_BROKER_URL) in the production profile" in result.stderr


def test_demo_profile_would_fail_check_deploy():
    # Proves the check is meaningful: the demo settings are not fit for production.
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", DATABASE_URL="sqlite:////tmp/x.sqlite3"
    )
    assert result.returncode != 0


def test_bad_boolean_is_a_clear_configuration_error():
    result = _manage("check", DEBUG="perhaps")
    assert result.returncode != 0
    assert "DEBUG must be true or false, not 'perhaps'" in result.stderr


def test_login_is_required_by_default_everywhere():
    assert "django.contrib.auth.middleware.LoginRequiredMiddleware" in settings.MIDDLEWARE
    assert settings.REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] == [
        "rest_framework.permissions.IsAuthenticated"
    ]


@pytest.mark.django_db
def test_browsable_api_is_off_outside_debug(client_for, practitioner, settings):
    settings.DEBUG = False
    browser_accept = "text/html,application/xhtml+xml,*/*;q=0.8"
    response = client_for(practitioner).get("/api/v1/young-people/", HTTP_ACCEPT=browser_accept)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_browsable_api_is_on_in_debug(client_for, practitioner, settings):
    settings.DEBUG = True
    response = client_for(practitioner).get("/api/v1/young-people/", HTTP_ACCEPT="text/html")
    assert response["Content-Type"].startswith("text/html")


def test_celery_is_configured_to_survive_worker_loss():
    from csafe.celery import app

    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
