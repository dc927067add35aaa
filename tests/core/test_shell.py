"""Security headers, the Content Security Policy, error pages and the health check."""

import json

import pytest
from django.test import Client
from django.urls import reverse


@pytest.mark.django_db
def test_content_security_policy_has_no_unsafe_inline(client):
    response = client.get("/accounts/sign-in/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


@pytest.mark.django_db
def test_pages_carry_security_headers(client):
    response = client.get("/accounts/sign-in/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_no_inline_script_in_the_shell(client):
    content = client.get("/accounts/sign-in/").content.decode()
    for chunk in content.split("<script")[1:]:
        assert "src=" in chunk.split(">")[0], "every script is loaded from a file"


@pytest.mark.django_db
def test_demo_banner_is_shown_when_demo_data_is_on(client, settings):
    settings.DEMO_DATA = True
    assert b'data-testid="demo-banner"' in client.get("/accounts/sign-in/").content
    settings.DEMO_DATA = False
    assert b'data-testid="demo-banner"' not in client.get("/accounts/sign-in/").content


@pytest.mark.django_db
def test_404_page_is_styled_and_says_nothing_about_records(client_for, practitioner):
    response = client_for(practitioner).get("/no-such-page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Page not found" in content
    assert "govuk-template" in content


@pytest.mark.django_db
def test_500_page_is_styled_and_needs_no_database(rf):
    from csafe.core.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


@pytest.mark.django_db
def test_unhandled_error_shows_the_500_page(practitioner, monkeypatch):
    from workspace import views

    def explode(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "home_summary_for_user", explode)
    client = Client(raise_request_exception=False)
    client.force_login(practitioner, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("workspace:home"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


@pytest.mark.django_db
def test_healthz_is_open_and_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body == {"status": "ok", "database": "ok", "broker": "eager"}


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_unreachable(client):
    from csafe.celery import app

    previous = app.conf.broker_url
    app.conf.task_always_eager = False  # restored by the autouse _eager_celery fixture
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = previous
    assert response.status_code == 503
    assert json.loads(response.content)["broker"] == "unavailable"


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_fails(client, monkeypatch):
    from csafe.core import views

    monkeypatch.setattr(views, "_database_ok", lambda: False)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "unavailable"


@pytest.mark.django_db
def test_api_schema_needs_sign_in(client, client_for, practitioner):
    assert client.get("/api/schema/").status_code == 401
    docs = client.get("/api/docs/")
    assert docs.status_code == 302
    assert docs["Location"].startswith("/accounts/sign-in/")
    signed_in = client_for(practitioner)
    assert signed_in.get("/api/schema/").status_code == 200
    assert signed_in.get("/api/docs/").status_code == 200
