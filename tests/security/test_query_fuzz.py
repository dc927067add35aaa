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
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.urls.converters import IntConverter

from csafe.core.converters import LARGEST_KEY
from tests.resolver_routes import Route, routes, view_methods

from .access_table import SKIPPED_NAMESPACES
from .route_objects import route_kwargs

pytestmark = pytest.mark.django_db

# Numbers past any integer type, dates Python cannot hold or that do not exist, and text that
# is no number at all: each has been a server error somewhere.
HOSTILE = [
    "99999999999999999999",
    str(LARGEST_KEY + 1),
    "-1",
    "0",
    "1e309",
    "NaN",
    "",
    "x" * 10_000,
    "\x00",
    "e\u0301\u202e\u0645\U0001f4a5",
    "<script>alert(1)</script>",
    "2024-02-30",
    "99999-01-01",
    "2025-13",
    "2025-99999999999999999999",
    "99999999999999999999-1",
    "1-99999999999999999999",
]
REPEATED = [["1", "99999999999999999999"]]
# Names read somewhere in csafe, or commonly by Django and DRF, sent to every route.
COMMON = [
    "page",
    "page_size",
    "limit",
    "offset",
    "search",
    "q",
    "key",
    "measure",
    "column",
    "from",
    "to",
    "start",
    "end",
    "date_from",
    "date_to",
    "start_day",
    "start_month",
    "start_year",
    "end_day",
    "end_month",
    "end_year",
    "year",
    "team",
    "harm_type",
    "kind",
    "status",
    "state",
    "mine",
    "order",
    "ordering",
    "format",
    "next",
    "factor",
    "context",
    "template",
    "location_type",
    "postcode",
    "label",
    "area",
    "step",
    "id",
    "pk",
    "young_person",
    "record_kind",
]
# A few of HOSTILE for the broad passes: an overflowing number, a nonsense date, NUL, text.
BROAD = ["99999999999999999999", "99999-01-01", "\x00", "x" * 10_000, "-1", "NaN"]
PATH_IDS = ["99999999999999999999", str(LARGEST_KEY + 1), str(LARGEST_KEY), "0"]

# Asked in this order; the first to be answered 200 fuzzes the route. The owner is allocated
# to the world's young person; the managers reach the dashboards, exports and configuration.
ASKERS = ("owner", "team_manager", "service_manager", "administrator", "anonymous")
BIND = {"fuzz": "1"}  # so that `Form(request.GET or None)` is bound and reads its fields


# --- The routes -----------------------------------------------------------------------------


def _get_routes() -> list[Route]:
    found = []
    for route in routes():
        if route.namespace.split(":")[0] in SKIPPED_NAMESPACES or "format" in route.parameters:
            continue
        methods = view_methods(route.view)
        if methods is None or "GET" in methods:
            found.append(route)
    return found


GET_ROUTES = _get_routes()


def _key(route: Route) -> str:
    return route.name or route.pattern


def _path(route: Route, values: dict) -> str:
    """The route's path with ``values`` for its parameters, as written (no reverse(), which
    would refuse a hostile id before the resolver is asked)."""

    def value(match):
        return str(values[match.group(1) or match.group(2)])

    text = re.sub(r"\(\?P<(\w+)>[^)]*\)|<(?:\w+:)?(\w+)>", value, route.pattern)
    return "/" + text.replace("^", "").replace("$", "").replace("\\", "")


def _int_parameters(route: Route) -> list[str]:
    """The path parameters that are ids: the bounded converter's, or a DRF router's lookup."""
    return re.findall(r"<bounded_int:(\w+)>", route.pattern) + re.findall(
        r"\(\?P<(\w+)>", route.pattern
    )


# --- Asking ---------------------------------------------------------------------------------


class Reads:
    """Records every name looked up in a query string while it is open."""

    def __init__(self, monkeypatch):
        self.names: set[str] = set()
        self.walked = False
        for method in ("__getitem__", "get", "getlist", "__contains__"):
            original = getattr(QueryDict, method)
            monkeypatch.setattr(QueryDict, method, self._recording(original))
        for method in ("items", "lists", "keys", "dict", "__iter__"):
            original = getattr(QueryDict, method)
            monkeypatch.setattr(QueryDict, method, self._walking(original))

    def _recording(self, original):
        def lookup(querydict, key, *args, **kwargs):
            self.names.add(key)
            return original(querydict, key, *args, **kwargs)

        return lookup

    def _walking(self, original):
        def walk(querydict, *args, **kwargs):
            self.walked = True
            return original(querydict, *args, **kwargs)

        return walk


def _client(world, who: str) -> Client:
    client = Client(raise_request_exception=False)
    if world.users[who] is not None:
        world.sign_in(client, who)
    return client


def _asker(world, route: Route, path: str, query: dict) -> str:
    for who in ASKERS:
        if _client(world, who).get(path, query).status_code == 200:
            return who
    return "team_manager"  # nobody is answered 200 without more: fuzz the refusal


PROJECT_PACKAGES = {"csafe", "cases", "contexts", "harms", "reporting"}


def row_counts() -> dict[str, int]:
    """Rows in every table of csafe's apps but the access log (which records each view of a
    record), in one query."""
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models()
            if model.__module__.split(".")[0] in PROJECT_PACKAGES
            and model._meta.label_lower != "audit.recordaccess"
            and model._meta.managed
            and not model._meta.proxy
        }
    )
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables))
        return dict(zip(tables, cursor.fetchone(), strict=True))


def _describe(value) -> str:
    text = repr(value)
    return text if len(text) < 60 else text[:57] + "..."


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
    client = _client(world, "team_manager")
    response = client.get(_path(drill, {}), {**world.query_for("/reporting/young-people/")})
    assert response.status_code == 200
    assert {"measure", "column", "key", "page", "start_day", "team", "harm_type"} <= reads.names


@pytest.mark.parametrize("route", GET_ROUTES, ids=_key)
def test_hostile_query_strings_give_no_server_error_and_write_nothing(
    route, world, monkeypatch, throttle_rates_raised
):
    path = _path(route, route_kwargs(world, _key(route), route.pattern, route.parameters))
    own = world.query_for(path)
    who = _asker(world, route, path, own)
    client = _client(world, who)

    with monkeypatch.context() as patch:
        reads = Reads(patch)
        client.get(path, {**BIND, **own})
    read = sorted(reads.names - set(BIND))

    asks = [(name, value) for name in read for value in HOSTILE + REPEATED]
    asks += [(tuple(COMMON), value) for value in BROAD]
    if reads.walked:
        asks += [(name, value) for name in COMMON for value in BROAD]

    before = row_counts()
    failures = []
    for names, value in asks:
        changed = dict.fromkeys(names if isinstance(names, tuple) else [names], value)
        response = client.get(path, {**BIND, **own, **changed})
        if response.status_code >= 500:
            shown = "all of COMMON" if isinstance(names, tuple) else names
            failures.append(f"{shown}={_describe(value)}: {response.status_code}")
    assert failures == [], f"GET {path} as {who}"
    assert row_counts() == before, f"GET {path} as {who} wrote something"


INT_ROUTES = [route for route in GET_ROUTES if _int_parameters(route)]


@pytest.mark.parametrize("route", INT_ROUTES, ids=_key)
def test_hostile_path_ids_give_no_server_error(route, world):
    kwargs = route_kwargs(world, _key(route), route.pattern, route.parameters)
    good = _path(route, kwargs)
    who = _asker(world, route, good, world.query_for(good))
    client = _client(world, who)
    failures = []
    for name in _int_parameters(route):
        for value in PATH_IDS:
            path = _path(route, {**kwargs, name: value})
            response = client.get(path)
            if response.status_code >= 500:
                failures.append(f"{path}: {response.status_code}")
            elif value != str(kwargs[name]) and response.status_code == 200:
                failures.append(f"{path}: 200 for an id that names nothing")
    assert failures == [], f"as {who}"
