"""Every GET route of the API (and its schema and documentation) asked with hostile query
strings: never a server error, and nothing written (tests/security/test_query_fuzz.py tells
how the routes are found and asked)."""

from __future__ import annotations

import pytest

from .query_fuzz_support import API_ROUTES, fuzz_query_strings, route_id

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("route", API_ROUTES, ids=route_id)
def test_hostile_query_strings_give_no_server_error_and_write_nothing(
    route, world, monkeypatch, throttle_rates_raised
):
    fuzz_query_strings(route, world, monkeypatch)
