"""The fixed cast of users from STYLE.md, and records shared by the tests.

Team A: ``practitioner`` (allocated to ``young_person``), ``teammate`` (same team, not allocated)
and ``team_manager``. Team B: ``other_team_practitioner`` and ``other_team_manager``, who hold
``other_young_person``. ``service_manager`` and ``administrator`` belong to no team.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from cases import services as case_services
from csafe.accounts.models import Role
from tests.factories import PASSWORD, TeamFactory, UserFactory, YoungPersonFactory
from tests.migration_data import load_the_migrations_data
from tests.two_factor import verify_client

# The real-worker fixture (redis_worker) for integration tests.
pytest_plugins = ["tests.celery_worker"]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test marked ``postgres`` is skipped elsewhere, and fails where CSAFE_REQUIRE_SERVICES
    is set (tests/services.py); first, so before any fixture makes a database."""
    from tests.services import require_marked_services

    require_marked_services(item)


# --- Tests that commit, and running on two workers ----------------------------------------------
#
# ``make test`` runs the suite on two pytest-xdist workers, each with a test database of its own.
# The tests that commit (a transactional database, a live server, a real Celery worker) share
# Redis, the browser and the timing of real processes, so they run one after another on one
# worker, as the first unit of work handed out; every other test module is a unit of its own, so
# that a module-scoped fixture is built once. Without -n none of this changes anything.

COMMITTING = "commits"
COMMITTING_LIST = "csafe-committing-tests.json"  # written by the workers, read by the scheduler


def commits(item: pytest.Item) -> bool:
    """Whether the test commits, after which pytest-django empties the database."""
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        # django_db(transaction=False, reset_sequences=False, ...), as pytest-django reads it.
        transactional = marker.kwargs.get("transaction", marker.args[0] if marker.args else False)
        reset_sequences = marker.kwargs.get(
            "reset_sequences", marker.args[1] if len(marker.args) > 1 else False
        )
        if transactional or reset_sequences:
            return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """On a worker: tell the scheduler which tests commit. Both workers collect the same tests
    and write the same list, next to their own temporary folders (the scheduler only sees test
    ids, so it cannot read markers itself). First, so that the list is written before
    pytest-xdist's own hook sends the collection and the scheduler may read it."""
    worker_temp = getattr(session.config, "workerinput", None) and session.config.option.basetemp
    if not worker_temp:
        return
    import json
    import os
    from pathlib import Path

    listed = Path(worker_temp).parent / COMMITTING_LIST
    partial = listed.with_suffix(f".{os.getpid()}")
    partial.write_text(json.dumps([item.nodeid for item in session.items if commits(item)]))
    os.replace(partial, listed)


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist's, known only where it is installed
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """Units of work: every test that commits in one unit, handed out first (it is the longest,
    so it should not start last); each other module a unit, largest first. pytest-xdist's own
    ``--dist loadgroup`` cannot do this with pytest 9, which no longer lets it rename a test."""
    if config.getvalue("dist") == "each":  # every test on every worker: nothing to group
        return None
    import json

    from xdist.scheduler import LoadScopeScheduling

    class CommittingTestsOnOneWorker(LoadScopeScheduling):
        committing: frozenset[str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.committing is None:
                # Read once all workers have collected, when the first unit is made.
                listed = config._tmp_path_factory.getbasetemp() / COMMITTING_LIST
                self.committing = frozenset(json.loads(listed.read_text()))
            return COMMITTING if nodeid in self.committing else nodeid.split("::")[0]

        def _assign_work_unit(self, node) -> None:
            if COMMITTING in self.workqueue:
                self.workqueue.move_to_end(COMMITTING, last=False)
            scope, work_unit = self.workqueue.popitem(last=False)
            self.assigned_work.setdefault(node, {})[scope] = work_unit
            # Every place the unit's ids hold in the collection: under pytest 9 schemathesis
            # gives all the tests of one fuzzing function the same id, and the base class would
            # send only the first of them (tests/security/test_api_fuzz.py would run 3 tests of
            # its 190).
            pending = {nodeid for nodeid, done in work_unit.items() if not done}
            collection = self.registered_collections[node]
            node.send_runtest_some([i for i, nodeid in enumerate(collection) if nodeid in pending])

    return CommittingTestsOnOneWorker(config, log)


TEST_DATABASE_READY = pytest.StashKey[bool]()


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):
    """pytest-django's test database, holding what the migrations loaded even where it was
    kept from an earlier run (--reuse-db) that ended on a test that commits."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_the_migrations_data()
    request.config.stash[TEST_DATABASE_READY] = True
    yield
    # Torn down before pytest-django's fixture drops the test database and points the
    # connection back at the real one.
    request.config.stash[TEST_DATABASE_READY] = False


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """After a test that commits, pytest-django has emptied every table: put back, committed,
    what the migrations loaded, so that whatever test comes next (on a worker, any may) starts
    from the database the migrations made."""
    yield
    # Only while the test database is there: before it is set up and after it is dropped (in
    # the last test's teardown), the connection points at the real database.
    if not commits(item) or not item.config.stash.get(TEST_DATABASE_READY, False):
        return
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock(), transaction.atomic():
        load_the_migrations_data()


# --- Throttle counts ---------------------------------------------------------------------------
#
# The throttles (csafe/core/throttling.py) count in the default cache: each process's memory, or
# Redis where REDIS_URL (or CSAFE_CACHE_URL) is set, as in CI. Every test starts with no counts,
# and runs at the configured rates. On Redis each test process keeps its keys under a prefix of
# its own (the xdist worker and the process), and clears only those: never FLUSHDB, which would
# clear another worker's counts, or another run's, under its feet.


@pytest.fixture(scope="session", autouse=True)
def _cache_of_this_process():
    import copy
    import os

    from django.conf import settings
    from django.test import override_settings

    caches = copy.deepcopy(settings.CACHES)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    caches["default"]["KEY_PREFIX"] = f"csafe-test-{worker}-{os.getpid()}"
    with override_settings(CACHES=caches):
        yield


def clear_throttle_counts() -> None:
    """Forget every count this process has made (and nothing else on that Redis)."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        cache.clear()  # this process's own memory
        return
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=cache.make_key("*"), count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _throttle_counts_cleared(_cache_of_this_process):
    clear_throttle_counts()


@pytest.fixture
def throttle_rates_raised(settings):
    """Every throttle rate at 100000 a minute, for a test that sends many requests in one go
    (Hypothesis over one form or operation) and means to reach the code behind the limit,
    not the limit: the throttles themselves are tested in tests/security/test_throttling.py."""
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": dict.fromkeys(rates, "100000/minute"),
    }


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
