"""The fixed cast of users from STYLE.md, and records shared by the tests.

Team A: ``practitioner`` (allocated to ``young_person``), ``teammate`` (same team, not allocated)
and ``team_manager``. Team B: ``other_team_practitioner`` and ``other_team_manager``, who hold
``other_young_person``. ``service_manager`` and ``administrator`` belong to no team.
"""

from __future__ import annotations

import pytest

from cases import services as case_services
from csafe.accounts.models import Role
from tests.factories import PASSWORD, TeamFactory, UserFactory, YoungPersonFactory
from tests.two_factor import verify_client

# The real-worker fixture (redis_worker) for integration tests.
pytest_plugins = ["tests.celery_worker"]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _eager_celery():
    """Unit tests run tasks in-process even where REDIS_URL is set (as in CI); the integration
    tests in tests/integration switch this off to use a real worker."""
    from csafe.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _default_taxonomy(request):
    """Tests that commit (live server, real worker) end with a flush that empties the tables the
    migrations filled; put the default harm taxonomy and location types back for whichever test
    comes next."""
    uses_db = {"db", "transactional_db", "live_server", "django_db_setup"} & set(
        request.fixturenames
    ) or request.node.get_closest_marker("django_db")
    if uses_db:
        from harms.defaults import load_default_taxonomy
        from harms.models import HarmType

        request.getfixturevalue(
            "transactional_db"
            if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames
            else "db"
        )
        if not HarmType.objects.exists():
            load_default_taxonomy(HarmType, HarmType.history.model)
        from cases.defaults import load_default_location_types
        from cases.models import LocationType

        if not LocationType.objects.exists():
            load_default_location_types(LocationType)
        from contexts.defaults import load_default_conventions
        from contexts.models import ContextConfiguration, NamingConvention

        if not NamingConvention.objects.exists():
            load_default_conventions(NamingConvention, ContextConfiguration)


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def team_a(db):
    return TeamFactory(name="Team A")


@pytest.fixture
def team_b(db):
    return TeamFactory(name="Team B")


@pytest.fixture
def practitioner(team_a):
    return UserFactory(
        username="practitioner", first_name="Pat", role=Role.PRACTITIONER, team=team_a
    )


@pytest.fixture
def teammate(team_a):
    return UserFactory(username="teammate", first_name="Tam", role=Role.PRACTITIONER, team=team_a)


@pytest.fixture
def team_manager(team_a):
    return UserFactory(username="manager", first_name="Mona", role=Role.TEAM_MANAGER, team=team_a)


@pytest.fixture
def other_team_practitioner(team_b):
    return UserFactory(username="outsider", first_name="Otto", role=Role.PRACTITIONER, team=team_b)


@pytest.fixture
def other_team_manager(team_b):
    return UserFactory(username="othermgr", first_name="Olga", role=Role.TEAM_MANAGER, team=team_b)


@pytest.fixture
def service_manager(db):
    return UserFactory(username="servicemgr", first_name="Sid", role=Role.SERVICE_MANAGER)


@pytest.fixture
def administrator(db):
    return UserFactory(username="admin", first_name="Ada", role=Role.ADMINISTRATOR)


@pytest.fixture
def young_person(team_manager, practitioner):
    """Held by team A and allocated to ``practitioner``."""
    person = YoungPersonFactory(
        actor=team_manager, first_name="Zephyrine", last_name="Quillfeather"
    )
    case_services.young_person_allocate_worker(
        actor=team_manager, young_person=person, worker=practitioner
    )
    return person


@pytest.fixture
def other_young_person(other_team_manager, other_team_practitioner):
    """Held by team B and allocated to ``other_team_practitioner``."""
    person = YoungPersonFactory(
        actor=other_team_manager, first_name="Bartholomew", last_name="Nettlecombe"
    )
    case_services.young_person_allocate_worker(
        actor=other_team_manager, young_person=person, worker=other_team_practitioner
    )
    return person


@pytest.fixture
def client_for(client):
    """Sign a user in on the test client: ``client_for(practitioner).get(...)``."""

    def _sign_in(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        # Managers and administrators must pass two-factor sign-in; tests about other things
        # start past it (tests/accounts/test_two_factor.py tests the step itself).
        verify_client(client, user)
        return client

    return _sign_in
