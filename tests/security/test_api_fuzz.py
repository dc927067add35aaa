"""Schemathesis over csafe's OpenAPI schema, in-process through Django's WSGI application.

Three passes over every operation the schema declares, each bounded and derandomized so that CI
runs the same cases every time:

- as a team manager with a token, against the records of ``world`` (tests/security/conftest.py):
  generated bodies and queries, valid and invalid, on paths that point at real objects. No answer
  is a server error, and every answer the schema declares matches its declared shape;
- as the same team manager, on the ids Hypothesis makes up (unknown, huge, zero): still no server
  error;
- with no credentials at all: every operation answers 401 or 403, never anything else.

The schema is generated from the code (drf-spectacular) rather than fetched, so that it needs no
signed-in request at import time. Requests run in the test's transaction: Django's handler would
close the connection at the end of each request, so that is switched off while the tests run, as
Django's own test client does.
"""

from __future__ import annotations

import json
import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import response_schema_conformance

pytestmark = pytest.mark.django_db

# Coverage and explicit-example phases are unbounded in count; the fuzzing phase obeys
# max_examples. Both valid and invalid data are generated.
CONFIG = SchemathesisConfig.from_dict(
    {
        "phases": {"coverage": {"enabled": False}, "examples": {"enabled": False}},
        "generation": {"mode": "all", "allow-x00": True},
    }
)


def _openapi() -> dict:
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))


application = get_wsgi_application()
schema = schemathesis.openapi.from_dict(_openapi(), config=CONFIG)
schema.app = application

BOUNDED = settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
FEW = settings(BOUNDED, max_examples=2)

# Which object of ``world`` a path parameter points at, by the part of the path before it. The
# first matching pattern wins, so longer paths come first.
KNOWN_OBJECTS = [
    (r"/plans/\{id\}/actions/\{action_pk\}", {"id": "plan", "action_pk": "plan_action"}),
    (r"/plans/\{id\}/factors/\{factor_pk\}", {"id": "plan", "factor_pk": "plan_factor"}),
    (r"/plans/\{id\}", {"id": "plan"}),
    (
        r"/assessments/\{id\}/factors/\{factor_pk\}",
        {"id": "assessment", "factor_pk": "assessment_factor"},
    ),
    (r"/assessments/\{id\}", {"id": "assessment"}),
    (r"/flags/\{id\}", {"id": "flag"}),
    (r"/documents/\{id\}", {"id": "document"}),
    (r"/context-links/\{id\}", {"id": "link"}),
    (r"/contexts/\{id\}/actions/\{action_pk\}", {"id": "context", "action_pk": "context_action"}),
    (r"/contexts/\{id\}/records/\{record_pk\}", {"id": "context", "record_pk": "context_record"}),
    (
        r"/contexts/\{id\}/status-changes/\{change_pk\}",
        {"id": "context", "change_pk": "status_change"},
    ),
    (r"/contexts/\{id\}", {"id": "context"}),
    (r"/harm-types/\{id\}", {"id": "harm_type"}),
    (r"/young-people/\{id\}", {"id": "young_person"}),
    (r"/measures/\{key\}", {"key": "measure"}),
]


def known_path_parameters(path: str, world) -> dict:
    """The path parameters of ``path`` set to the objects of ``world`` they name."""
    values = {}
    if "{young_person_pk}" in path:
        values["young_person_pk"] = world.objects["young_person"]
    for pattern, names in KNOWN_OBJECTS:
        if re.search(pattern, path):
            values.update({name: world.objects[key] for name, key in names.items()})
            break
    missing = set(re.findall(r"\{(\w+)\}", path)) - set(values)
    assert not missing, f"{path}: no known object for {sorted(missing)}; add it to KNOWN_OBJECTS"
    return values


@pytest.fixture
def in_process(settings, tmp_path):
    """Keep the test's connection open across requests; files go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CSAFE_EXPORT_ROOT = tmp_path / "exports"
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def token_header(world, who: str = "team_manager") -> dict:
    return {"Authorization": f"Token {world.tokens[who]}"}


CHECKS = [schemathesis.checks.not_a_server_error, response_schema_conformance]


def test_the_fuzzing_token_reaches_the_records(world, in_process):
    """Otherwise the passes below would only ever meet a refusal."""
    from werkzeug.test import Client

    path = f"/api/v1/young-people/{world.objects['young_person']}/"
    response = Client(application).get(path, headers=token_header(world))

    assert response.status_code == 200
    assert response.json["first_name"] == "Zephyrine"


@schema.parametrize()
@BOUNDED
def test_api_on_real_records_gives_no_server_error_and_matches_schema(case, world, in_process):
    case.path_parameters = {
        **(case.path_parameters or {}),
        **known_path_parameters(case.path, world),
    }
    response = case.call(headers=token_header(world))
    case.validate_response(response, checks=CHECKS)


@schema.include(path_regex=r"\{").parametrize()
@FEW
def test_api_on_made_up_ids_gives_no_server_error(case, world, in_process):
    response = case.call(headers=token_header(world))
    case.validate_response(response, checks=CHECKS)


@schema.parametrize()
@FEW
def test_api_refuses_every_operation_without_credentials(case, world, in_process):
    case.path_parameters = {
        **(case.path_parameters or {}),
        **known_path_parameters(case.path, world),
    }
    response = case.call()
    assert response.status_code in (401, 403), (
        f"{case.method} {case.formatted_path} answered {response.status_code} without credentials"
    )
