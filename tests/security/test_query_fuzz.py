"""Every GET route of csafe asked with hostile query strings and hostile path ids: never a server
error, and nothing written.

The routes are found by walking Django's URL resolver (tests/resolver_routes.py), pages and API
alike; their path parameters point at the records of ``world`` (tests/security/conftest.py,
tests/security/route_objects.py). Each route is asked by the first of a few users who may see it,
so the hostile values reach the code behind the access check.

Which query parameters a route reads is found, not listed: the route is first asked with a
query string that binds its forms, and every name its view, forms, filters and paginator look up
in it is recorded. Each of those is then sent, one at a time on top of the route's own query
(the drill-down's measure, column and key), every value of ``HOSTILE`` and repeated values;
and all of ``COMMON`` together, for parameters a view reads only on some paths. A route that
walks its whole query string (the reporting API) has each of ``COMMON`` sent alone.

Hostile path ids: each integer in a path set past any database key, to a key of that size that
holds nothing, and to zero. Every integer in a path goes through the bounded converter
(csafe/core/converters.py); Django's own ``int`` would pass a number past any key to the
database driver.

Requests are many for one person in one test, so the throttles are raised here
(``throttle_rates_raised``): otherwise a search route would answer 429 from its 31st value, and
the values after it would never reach the code. tests/security/test_throttling.py tests the
throttles.

The fuzzing is three modules, so that pytest-xdist can run them side by side: the page
routes here, the API's in tests/security/test_query_fuzz_api.py, the hostile path ids in
tests/security/test_path_id_fuzz.py; the values, the routes and the asking they share are
in tests/security/query_fuzz_support.py.
"""

from __future__ import annotations

import pytest
from django.urls import URLResolver, get_resolver
from django.urls.converters import IntConverter

from .access_table import SKIPPED_NAMESPACES
from .query_fuzz_support import (
    GET_ROUTES,
    PAGE_ROUTES,
    Reads,
    client_as,
    fuzz_query_strings,
    route_id,
    route_path,
)

pytestmark = pytest.mark.django_db


# --- The tests ------------------------------------------------------------------------------


def test_every_integer_in_a_path_is_bounded():
    """A new route written with Django's ``<int:...>`` would take a number past any key to the
    database: bounded_int instead (csafe/core/converters.py)."""
    unbounded = []

    def walk(patterns, prefix=""):
        for entry in patterns:
            converters = getattr(entry.pattern, "converters", {})
            for name, converter in converters.items():
                if isinstance(converter, IntConverter):
                    unbounded.append(f"{prefix}{entry.pattern} ({name})")
            # Not the admin site's own (SKIPPED_NAMESPACES): it looks up by primary key, which
            # Django bounds itself.
            if isinstance(entry, URLResolver) and entry.namespace not in SKIPPED_NAMESPACES:
                walk(entry.url_patterns, prefix + str(entry.pattern))

    walk(get_resolver().url_patterns)
    assert unbounded == []


def test_the_fuzz_finds_the_routes_and_what_they_read(world, monkeypatch):
    """Otherwise the tests below could pass by asking nothing."""
    assert len(GET_ROUTES) > 80
    drill = next(r for r in GET_ROUTES if r.name == "reporting:drill")
    reads = Reads(monkeypatch)
    client = client_as(world, "team_manager")
    response = client.get(route_path(drill, {}), {**world.query_for("/reporting/young-people/")})
    assert response.status_code == 200
    assert {"measure", "column", "key", "page", "start_day", "team", "harm_type"} <= reads.names


@pytest.mark.parametrize("route", PAGE_ROUTES, ids=route_id)
def test_hostile_query_strings_give_no_server_error_and_write_nothing(
    route, world, monkeypatch, throttle_rates_raised
):
    fuzz_query_strings(route, world, monkeypatch)
