"""The API client of the API tests: ``api(user)`` is signed in as ``user`` (by
force_authenticate), ``api()`` is anonymous."""

from __future__ import annotations

from rest_framework.test import APIClient


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client
