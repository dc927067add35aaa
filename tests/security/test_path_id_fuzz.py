"""Every GET route with an id in its path asked with hostile ids: each integer in a path set
past any database key, to a key of that size that holds nothing, and to zero; never a
server error, and never a 200 for an id that names nothing (tests/security/test_query_fuzz.py
tells how the routes are found and asked)."""

from __future__ import annotations

import pytest

from .query_fuzz_support import (
    INT_ROUTES,
    PATH_IDS,
    asker,
    client_as,
    int_parameters,
    route_id,
    route_path,
)
from .route_objects import route_kwargs

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("route", INT_ROUTES, ids=route_id)
def test_hostile_path_ids_give_no_server_error(route, world):
    kwargs = route_kwargs(world, route_id(route), route.pattern, route.parameters)
    good = route_path(route, kwargs)
    who = asker(world, route, good, world.query_for(good))
    client = client_as(world, who)
    failures = []
    for name in int_parameters(route):
        for value in PATH_IDS:
            path = route_path(route, {**kwargs, name: value})
            response = client.get(path)
            if response.status_code >= 500:
                failures.append(f"{path}: {response.status_code}")
            elif value != str(kwargs[name]) and response.status_code == 200:
                failures.append(f"{path}: 200 for an id that names nothing")
    assert failures == [], f"as {who}"
