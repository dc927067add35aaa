"""One of everything a route of csafe can point at, built once per module through the services.

``world`` makes the cast of tests/security/access_table.py (the user classes, each a real user
with an API token) and, on one young person held by team A and allocated to the ``owner``: a
referral with a place of harm, harm flags (current and archived), assessments (in progress with
a factor, and authorised), plans (a draft with an open factor and an action, one in force), a
relocation, a case note, a document, links to contexts; a context with an assessment record and a
plan action; a notification and a finished export for their owners. ``route_values`` turns a
route's parameter names into those objects' keys.

Building all that takes a few seconds, so it is made once for the module inside a transaction
that is rolled back when the module ends (as tests/reporting/test_measures.py does for its
dataset); each test runs in a savepoint within it, so a request that changes something is undone
before the next one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from cases import services as case_services
from cases.services import assessments as assessment_services
from cases.services import plans as plan_services
from cases.services.documents import document_upload
from cases.services.notes import case_note_add
from cases.services.relocations import relocation_record
from contexts.reference import ContextRecordKind, LinkEndRule, TriangleSide
from contexts.services import work as context_work
from contexts.services.contexts import context_close, context_reopen
from csafe.accounts.api_tokens import api_token_create
from csafe.accounts.models import Role
from csafe.core.vocabulary import ContextKind
from csafe.exports.runner import export_job_run
from csafe.exports.services import export_start
from csafe.notifications.models import NotificationKind
from csafe.notifications.services import notification_create
from harms.models import ArchiveReason, HarmType, IdentifiedAt
from reporting.census.selectors import census_params
from tests.cases.plan_support import (
    ONLINE,
    authorised_assessment,
    contextual_action,
    draft_plan,
    put_in_force,
)
from tests.contexts.links_support import link, open_context, place_of_harm
from tests.factories import TeamFactory, UserFactory, YoungPersonFactory
from tests.reporting.dataset import load_defaults
from tests.two_factor import api_token_for, verify_client

from .access_table import USER_CLASSES

# A dashboard measure and a naming-convention kind, for the routes that take a key or a kind.
MEASURE_KEY = "referrals_by_month"
CONVENTION_KIND = ContextKind.PEER_GROUP


# Query strings for the routes that need one to show anything: the drill-down of the month of
# the referral made by place_of_harm (3 February 2025), as the dashboard links to it.
QUERIES = {
    "/reporting/young-people/": {
        "measure": "referrals_by_month",
        "column": "extra",
        "key": "2025-02",
        "start_day": "1",
        "start_month": "1",
        "start_year": "2025",
        "end_day": "30",
        "end_month": "6",
        "end_year": "2025",
    },
}


@dataclass
class World:
    users: dict  # user class (access_table.USER_CLASSES) -> user, None for anonymous
    tokens: dict  # user class -> API token key
    sessions: dict = field(default_factory=dict)  # user class -> session key
    objects: dict = field(default_factory=dict)  # object key -> pk (or slug)

    def sign_in(self, client, who: str) -> None:
        """Put ``who``'s session on ``client``. Made once for the module (see ``_sign_in``):
        a request that changes or ends it is rolled back with its test."""
        client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[who]

    def query_for(self, url: str) -> dict:
        return QUERIES.get(url, {})


def _days_ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def _cast() -> tuple[dict, dict]:
    team_a, team_b = TeamFactory(name="Team A"), TeamFactory(name="Team B")
    users = {
        "anonymous": None,
        "outsider": UserFactory(username="outsider", role=Role.PRACTITIONER, team=team_b),
        "outsider_manager": UserFactory(username="othermgr", role=Role.TEAM_MANAGER, team=team_b),
        "teammate": UserFactory(username="teammate", role=Role.PRACTITIONER, team=team_a),
        "owner": UserFactory(username="practitioner", role=Role.PRACTITIONER, team=team_a),
        "team_manager": UserFactory(username="manager", role=Role.TEAM_MANAGER, team=team_a),
        "service_manager": UserFactory(username="servicemgr", role=Role.SERVICE_MANAGER),
        "administrator": UserFactory(username="admin", role=Role.ADMINISTRATOR),
    }
    assert set(users) == set(USER_CLASSES)
    # As the API token page issues them: for managers and administrators, from a verified
    # session (tests/two_factor.py gives them an authenticator app).
    tokens = {who: api_token_for(user) for who, user in users.items() if user is not None}
    return users, tokens


def _sign_in(user) -> str:
    """The key of a session as after signing in, and passing two-factor sign-in for those who
    must use it."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    verify_client(client, user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _young_persons_records(users: dict) -> dict:
    """The owner's young person with every kind of record the pathway holds."""
    owner, manager = users["owner"], users["team_manager"]
    person = YoungPersonFactory(actor=manager, first_name="Zephyrine", last_name="Quillfeather")
    allocation = case_services.young_person_allocate_worker(
        actor=manager, young_person=person, worker=owner
    )
    place = place_of_harm(owner, person)
    flag = case_services.harm_flag_raise(
        actor=owner,
        young_person=person,
        harm_type=HarmType.objects.get(name="Going missing"),
        identified_at=IdentifiedAt.REFERRAL,
        identified_on=_days_ago(20),
        review_date=_days_ago(1),
    )
    archived = case_services.harm_flag_archive(
        actor=owner,
        flag=case_services.harm_flag_raise(
            actor=owner,
            young_person=person,
            harm_type=HarmType.objects.get(name="Child sexual exploitation"),
            identified_at=IdentifiedAt.REFERRAL,
            identified_on=_days_ago(30),
        ),
        reason=ArchiveReason.NEVER,
        rationale="The assessment found no indicators.",
    )

    authorised, (peers, school) = authorised_assessment(owner, manager, person)
    in_force = draft_plan(owner, person, kind="cin")
    contextual_action(owner, in_force, factor=peers)
    plan_services.plan_factor_not_addressed(
        actor=owner, plan=in_force, factor=school, reason="The school has its own plan."
    )
    put_in_force(owner, in_force)
    draft = draft_plan(owner, person, kind="early_help")
    action = contextual_action(owner, draft, factor=peers)

    in_progress = assessment_services.assessment_start(
        actor=owner, young_person=person, started_on=_days_ago(6)
    )
    factor = assessment_services.contextual_factor_add(
        actor=owner, assessment=in_progress, domain=ONLINE[0], description=ONLINE[1]
    )
    relocation_record(
        actor=owner,
        young_person=person,
        moved_on=_days_ago(5),
        kind="out_of_area",
        destination="Westmarsh Council",
        reason="Away from the estate.",
        because_of_extra_familial_harm=True,
        plan=in_force,
        plan_addresses_factors="partly",
    )
    case_note_add(
        actor=owner,
        young_person=person,
        noted_on=_days_ago(3),
        subject="Home visit",
        body="Talked about the estate.",
    )
    document = document_upload(
        actor=owner,
        young_person=person,
        uploaded=SimpleUploadedFile("minutes.txt", b"Minutes.\n", content_type="text/plain"),
        title="Strategy meeting minutes",
    )
    return {
        "young_person": person.pk,
        "allocation": allocation.pk,
        "place": place.pk,
        "flag": flag.pk,
        "archived_flag": archived.pk,
        "assessment": in_progress.pk,
        "assessment_factor": factor.pk,
        "authorised_assessment": authorised.pk,
        "plan": draft.pk,
        "plan_action": action.pk,
        "plan_factor": school.pk,  # answered on the plan in force, still open on the draft
        "plan_in_force": in_force.pk,
        "document": document.pk,
    }


def _context_work(users: dict, young_person_pk: int) -> dict:
    owner = users["owner"]
    group = open_context(owner)
    from cases.models import YoungPerson

    a_link = link(owner, group, YoungPerson.objects.get(pk=young_person_pk))
    record = context_work.context_record_add(
        actor=owner,
        context=group,
        kind=ContextRecordKind.ASSESSMENT,
        held_on=_days_ago(10),
        functioning="Two older members lead the group.",
        guardianship="No adult is at the skate park after 6pm.",
        environment="The parade of shops is unlit.",
    )
    action = context_work.context_action_add(
        actor=owner,
        context=group,
        side=TriangleSide.GUARDIANSHIP,
        description="Detached youth work at the skate park",
        partner_agency="youth_service",
        owner="Youth work lead",
        due_date=_days_ago(-14),
    )
    # A closure and a reopening, so the context is open again and has a closure whose text
    # can be corrected, withdrawn and redacted.
    closure = context_close(
        actor=owner,
        context=group,
        on=_days_ago(2),
        reason="The group stopped meeting.",
        functioning_change="Members meet less.",
        guardianship_change="Youth workers are there.",
        environment_change="The park is lit.",
        links_rule=LinkEndRule.KEEP,
    )
    context_reopen(actor=owner, context=group, on=_days_ago(1), reason="It meets again.")
    return {
        "context": group.pk,
        "status_change": closure.pk,
        "context_record": record.pk,
        "context_action": action.pk,
        "link": a_link.pk,
    }


def _owned_by_others(users: dict) -> dict:
    """A notification for the owner and a finished export for the team manager: each readable
    by that one person only."""
    notification, _ = notification_create(
        recipient=users["owner"],
        kind=NotificationKind.CONTEXT_UPDATED,
        title="Riverside group updated",
        body="A meeting note was added.",
        url="/contexts/",
        dedupe_key="security-routes",
    )
    today = timezone.localdate()
    job = export_start(
        user=users["team_manager"],
        source_key="cin_census_csv",
        params=census_params(start=today - timedelta(days=90), end=today, team_id=None),
    )
    # The task would run after commit, which this module's transaction never reaches.
    assert export_job_run(job_id=job.pk) == "done"
    return {
        "notification": notification.pk,
        "export_job": job.pk,
        "harm_type": HarmType.objects.get(name="Going missing").pk,
        "measure": MEASURE_KEY,
        "convention_kind": str(CONVENTION_KIND),
        # A token of the owner's of its own (revoking it leaves world.tokens working), and a
        # set-password link that does not work (the page answers alike for everyone).
        "api_token": api_token_create(
            user=users["owner"], name="Route check", verified_device_id=None
        ).token.pk,
        "password_link_uid": "MQ",
        "password_link_token": "not-a-real-link",
        **_retention(),
    }


def _retention() -> dict:
    """A retention rule (the defaults are loaded by the app's migration), and the kind of record
    the retention pages take with a young person's pk."""
    from django.apps import apps

    if not apps.is_installed("retention"):
        return {}
    from retention.models import RecordKind, RetentionRule

    rule = RetentionRule.objects.order_by("pk").first()
    return {"retention_rule": rule.pk if rule else 0, "record_kind": str(RecordKind.YOUNG_PERSON)}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    files = tmp_path_factory.mktemp("security-files")
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=files / "media",
            CSAFE_EXPORT_ROOT=files / "exports",
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        transaction.atomic(),
    ):
        from cases.models import LocationType

        if not LocationType.objects.exists():
            load_defaults()
        users, tokens = _cast()
        built = World(users=users, tokens=tokens)
        built.sessions = {who: _sign_in(user) for who, user in users.items() if user}
        built.objects.update(_young_persons_records(users))
        built.objects.update(_context_work(users, built.objects["young_person"]))
        built.objects.update(_owned_by_others(users))
        yield built
        transaction.set_rollback(True)
