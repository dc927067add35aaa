"""Every route of csafe asked by every class of user, the answers checked against the one table of
who may see what (tests/security/access_table.py).

The routes are found, not listed: Django's URL resolver is walked for every pattern, and the
OpenAPI schema is read for every path and method of the API. Each (route, method, user class) is
one test. A route with no entry in the table fails, naming the route; an entry naming a route
that no longer exists fails too, so the table cannot drift from the code.

Pages are asked with a signed-in session; the API with a token, as its clients use it. Routes
that only take POST (and, for forms, the POST as well as the GET) are posted an empty body: a
user who may not act must be refused before the input is read, so the answer is 404 or 403,
never 400 or a form with errors. Young-person data answers 404 to everyone without access, so
that nobody learns a record exists.

The objects the routes point at are built once for the module (tests/security/conftest.py);
each test runs in a savepoint, so a request that changes something is undone before the next.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import resolve, reverse
from rest_framework.test import APIClient

from tests.resolver_routes import routes as all_routes

from .access_table import (
    API,
    LOGIN,
    PAGES,
    REFUSED_BY_ROLE_BEFORE_THE_RECORD,
    SKIPPED_NAMESPACES,
    USER_CLASSES,
    WITHOUT_YOUNG_PERSON_ACCESS,
    Bug,
)
from .route_objects import object_for, route_kwargs

pytestmark = pytest.mark.django_db

# --- Finding the routes -----------------------------------------------------------------------


@dataclass(frozen=True)
class PageRoute:
    key: str  # the table's key: "namespace:name", with ".<format>" for a format-suffix pattern
    name: str  # for reverse()
    pattern: str  # the whole pattern, for messages and for naming the objects it points at
    parameters: tuple[str, ...]


def resolver_routes() -> tuple[list[PageRoute], list[str]]:
    """(routes to check, problems): every pattern outside SKIPPED_NAMESPACES. A pattern without
    a name cannot be reversed, and two patterns under one key cannot be told apart by the
    table, so each is a problem to fix rather than a route to skip."""
    routes, problems, seen = [], [], {}
    for route in all_routes():
        if route.namespace.split(":")[0] in SKIPPED_NAMESPACES:
            continue
        if not route.url_name:
            problems.append(f"Route {route.pattern} has no name: name it so that it can be checked")
            continue
        key = f"{route.name}.<format>" if "format" in route.parameters else route.name
        if key in seen:
            problems.append(f"Routes {seen[key]} and {route.pattern} share the name {route.name}")
            continue
        seen[key] = route.pattern
        routes.append(
            PageRoute(key=key, name=route.name, pattern=route.pattern, parameters=route.parameters)
        )
    return routes, problems


@dataclass(frozen=True)
class ApiOperation:
    method: str
    path: str  # the schema's template, e.g. /api/v1/young-people/{id}/

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def parameters(self) -> tuple[str, ...]:
        return tuple(re.findall(r"{(\w+)}", self.path))


@functools.cache
def schema_operations() -> tuple[ApiOperation, ...]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    methods = {"get", "post", "put", "patch", "delete"}
    return tuple(
        ApiOperation(method=method.upper(), path=path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in methods
    )


# --- Filling a route's parameters from the world: tests/security/route_objects.py -------------


def takes_a_young_person(route_key: str, pattern: str, parameters) -> bool:
    return any(
        object_for(route_key, pattern, parameter) == "young_person"
        for parameter in parameters
        if parameter != "format"
    )


# --- Asking -----------------------------------------------------------------------------------


def answer_of(response) -> int | str:
    """The status, or LOGIN for a redirect to the sign-in page."""
    sign_in = resolve_url(settings.LOGIN_URL)
    if response.status_code in (301, 302) and response["Location"].startswith(sign_in):
        return LOGIN
    return response.status_code


def ask_page(world, who: str, method: str, url: str):
    client = Client(raise_request_exception=False)
    if world.users[who] is not None:
        world.sign_in(client, who)
    if method == "GET":
        return client.get(url, world.query_for(url))
    return client.generic(method, url, b"", content_type="application/x-www-form-urlencoded")


def ask_api(world, who: str, method: str, url: str):
    client = APIClient(raise_request_exception=False)
    if world.users[who] is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[who]}")
    if method == "GET":
        return client.get(url, world.query_for(url))
    return client.generic(method, url, b"{}", content_type="application/json")


def _wanted(expected):
    return expected.should if isinstance(expected, Bug) else expected


# --- The cases --------------------------------------------------------------------------------


def _case(route_key: str, method: str, who: str, expected, route):
    marks = []
    if isinstance(expected, Bug):
        marks.append(pytest.mark.xfail(strict=True, reason=f"BUG: {expected.why}"))
    return pytest.param(
        route_key, method, who, expected, route, marks=marks, id=f"{route_key} {method} {who}"
    )


def _unchecked(route_key: str, message: str):
    """A case that fails with ``message``: a route without a row, or a row without a route."""
    return pytest.param(route_key, None, None, message, None, id=f"{route_key} unchecked")


@functools.cache
def _api_route_names() -> frozenset[str]:
    """The names of the resolver's patterns that serve the schema's paths."""
    names = set()
    for operation in schema_operations():
        url = re.sub(r"{(\w+)}", "1", operation.path)
        names.add(resolve(url).url_name)
    return frozenset(names)


def page_routes() -> dict[str, PageRoute]:
    """The resolver's routes that PAGES answers for: all but the API's own (checked from the
    schema, method by method), keyed as the table is."""
    routes, _problems = resolver_routes()
    api_names = _api_route_names()
    return {
        route.key: route
        for route in routes
        if not (route.name in api_names and route.key == route.name)
    }


def _page_cases():
    routes, problems = resolver_routes()
    cases = [_unchecked("unnamed route", problem) for problem in problems]
    found = page_routes()
    for key, route in found.items():
        entry = PAGES.get(key)
        if entry is None:
            cases.append(
                _unchecked(
                    key,
                    f"Route {key} ({route.pattern}) has no row in tests/security/access_table.py "
                    "PAGES: decide who may use it and declare it there",
                )
            )
            continue
        for method, answers in entry.items():
            for who in USER_CLASSES:
                cases.append(_case(key, method, who, answers[who], route))
    for key in sorted(set(PAGES) - set(found)):
        cases.append(
            _unchecked(key, f"PAGES row {key} names no route of the URL resolver: remove it")
        )
    return cases


def _api_cases():
    found = {operation.key: operation for operation in schema_operations()}
    cases = []
    for key, operation in found.items():
        entry = API.get(key)
        if entry is None:
            cases.append(
                _unchecked(
                    key,
                    f"API operation {key} has no row in tests/security/access_table.py API: "
                    "decide who may use it and declare it there",
                )
            )
            continue
        for who in USER_CLASSES:
            cases.append(_case(key, operation.method, who, entry[who], operation))
    for key in sorted(set(API) - set(found)):
        cases.append(
            _unchecked(key, f"API row {key} names no operation of the OpenAPI schema: remove it")
        )
    return cases


@pytest.mark.parametrize(("route_key", "method", "who", "expected", "route"), _page_cases())
def test_page_route_answers_as_the_table_says(world, route_key, method, who, expected, route):
    if method is None:
        pytest.fail(expected)
    kwargs = route_kwargs(world, route_key, route.pattern, route.parameters)
    url = reverse(route.name, kwargs=kwargs)
    answer = answer_of(ask_page(world, who, method, url))
    assert answer == _wanted(expected), (
        f"{method} {url} ({route_key}) as {who}: answered {answer}, the table says "
        f"{_wanted(expected)}"
    )


@pytest.mark.parametrize(("route_key", "method", "who", "expected", "operation"), _api_cases())
def test_api_operation_answers_as_the_table_says(
    world, route_key, method, who, expected, operation
):
    if method is None:
        pytest.fail(expected)
    kwargs = route_kwargs(world, route_key, operation.path, operation.parameters)
    url = operation.path.format(**kwargs)
    answer = answer_of(ask_api(world, who, method, url))
    assert answer == _wanted(expected), (
        f"{method} {url} as {who}: answered {answer}, the table says {_wanted(expected)}"
    )


def test_every_row_answers_for_every_user_class():
    incomplete = [
        f"{key} {method}"
        for key, entry in PAGES.items()
        for method, answers in entry.items()
        if tuple(answers) != USER_CLASSES
    ] + [key for key, answers in API.items() if tuple(answers) != USER_CLASSES]
    assert incomplete == []


def test_the_table_answers_404_for_young_person_data_to_everyone_without_access():
    """The rule over the table itself, so that nobody declares a 403 (which would
    tell an outsider the record exists) for a route that takes a young person: every such route
    answers 404 (or sends to sign in) to every class that holds no access to that young person,
    unless a Bug row records that it does not yet."""
    checked, wrong = 0, []
    rows = [
        (key, route.pattern, route.parameters, entry)
        for key, route in page_routes().items()
        if (entry := PAGES.get(key)) is not None
    ] + [
        (op.key, op.path, op.parameters, {op.method: API[op.key]})
        for op in schema_operations()
        if op.key in API
    ]
    for key, pattern, parameters, entry in rows:
        if not takes_a_young_person(key, pattern, parameters):
            continue
        for method, answers in entry.items():
            for who in WITHOUT_YOUNG_PERSON_ACCESS:
                checked += 1
                answer = _wanted(answers[who])
                if answer == 404:
                    continue
                if answer == 403 and key in REFUSED_BY_ROLE_BEFORE_THE_RECORD:
                    continue
                wrong.append(f"{key} {method} {who}: {answer}")
    assert checked > 300  # the record routes were found
    assert wrong == []
