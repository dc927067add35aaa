"""The hostile values, the routes and the asking shared by the fuzzing of every GET route
(tests/security/test_query_fuzz.py, test_query_fuzz_api.py, test_path_id_fuzz.py; their
method is told in test_query_fuzz.py)."""

from __future__ import annotations

import re

from django.apps import apps
from django.db import connection
from django.http import QueryDict
from django.test import Client

from csafe.core.converters import LARGEST_KEY
from tests.project_apps import is_project_app
from tests.resolver_routes import Route, routes, view_methods

from .access_table import SKIPPED_NAMESPACES
from .route_objects import route_kwargs

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


def route_id(route: Route) -> str:
    return route.name or route.pattern


def route_path(route: Route, values: dict) -> str:
    """The route's path with ``values`` for its parameters, as written (no reverse(), which
    would refuse a hostile id before the resolver is asked)."""

    def value(match):
        return str(values[match.group(1) or match.group(2)])

    text = re.sub(r"\(\?P<(\w+)>[^)]*\)|<(?:\w+:)?(\w+)>", value, route.pattern)
    return "/" + text.replace("^", "").replace("$", "").replace("\\", "")


def int_parameters(route: Route) -> list[str]:
    """The path parameters that are ids: the bounded converter's, or a DRF router's lookup."""
    return re.findall(r"<bounded_int:(\w+)>", route.pattern) + re.findall(
        r"\(\?P<(\w+)>", route.pattern
    )


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


def client_as(world, who: str) -> Client:
    client = Client(raise_request_exception=False)
    if world.users[who] is not None:
        world.sign_in(client, who)
    return client


def asker(world, route: Route, path: str, query: dict) -> str:
    for who in ASKERS:
        if client_as(world, who).get(path, query).status_code == 200:
            return who
    return "team_manager"  # nobody is answered 200 without more: fuzz the refusal


def row_counts() -> dict[str, int]:
    """Rows in every table of csafe's apps but the access log (which records each view of a
    record), in one query."""
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models()
            if is_project_app(model._meta.app_config)
            and model._meta.label_lower != "audit.recordaccess"
            and model._meta.managed
            and not model._meta.proxy
        }
    )
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables))
        return dict(zip(tables, cursor.fetchone(), strict=True))


def describe(value) -> str:
    text = repr(value)
    return text if len(text) < 60 else text[:57] + "..."


def fuzz_query_strings(route, world, monkeypatch) -> None:
    """Ask ``route`` with hostile values in each query parameter it reads (module docstring):
    no answer may be a server error, and nothing may be written."""
    path = route_path(route, route_kwargs(world, route_id(route), route.pattern, route.parameters))
    own = world.query_for(path)
    who = asker(world, route, path, own)
    client = client_as(world, who)

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
            failures.append(f"{shown}={describe(value)}: {response.status_code}")
    assert failures == [], f"GET {path} as {who}"
    assert row_counts() == before, f"GET {path} as {who} wrote something"


INT_ROUTES = [route for route in GET_ROUTES if int_parameters(route)]
# The API (and the OpenAPI schema and docs) apart from the pages: two units of work.
API_ROUTES = [route for route in GET_ROUTES if route.pattern.startswith("api/")]
PAGE_ROUTES = [route for route in GET_ROUTES if not route.pattern.startswith("api/")]
