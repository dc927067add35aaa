"""The privacy invariant, proved: no context-facing output names a child.

Distinctive invented "canary" young people are linked to contexts by their own practitioners.
Then, signed in as those practitioners (who can see the children on their own records) and as
everyone else, every route under /contexts/ and /api/v1/context... is fetched, found by walking
the URL resolver, so a route added later is covered or fails this test until it is. The
notifications and e-mails that context changes send are read too. None may contain a canary's
names, local identifier, date of birth (in any of the usual formats), the reasons for their links,
or a link to any young person's record.

Then structurally: the context-facing selectors (contexts/selectors and the bridge
contexts.linked_professionals) are called and what they return is inspected for young people,
links or any row that points at a young person; and the import contract in pyproject.toml (which
``lint-imports`` runs in ``make lint`` and ``make test``) is checked to exist and to cover every
thematic module under contexts/. Every person here is invented.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import json
import pkgutil
import re
import tomllib
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import grimp
import pytest
from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.urls import resolve, reverse
from django.utils import timezone
from rest_framework.test import APIClient

import contexts.selectors as context_selectors
from cases import services as case_services
from cases.models import YoungPerson
from contexts import linked_professionals
from contexts.linking import services as link_services
from contexts.models import Context, ContextLink, ContextStatusChange
from contexts.reference import LinkEndRule
from contexts.services import contexts as context_services
from contexts.services import work as work_services
from csafe.core.vocabulary import ContextKind
from csafe.notifications import services as notification_services
from csafe.notifications.models import Notification, NotificationKind
from tests.contexts.links_support import close, end, link, open_context, place_of_harm
from tests.notifications.digest_support import end_windows
from tests.privacy_canary import (
    API_FORMS,
    as_json,
    assert_no_rendering,
    body_of,
    context_writes,
    email_texts,
    invalid_postings,
    post_forms_of,
    refused,
    renderings_found,
    rolled_back,
)
from tests.resolver_routes import routes

pytestmark = pytest.mark.django_db

LINK_REASON = "Reason-canary Marmalade Obelisk"
END_REASON = "End-reason-canary Pewter Lagoon"
REASONS = (LINK_REASON, END_REASON)

# Routes under /contexts/ that belong to the young person's record: each takes young_person_pk,
# needs change on that record, and is tested in tests/contexts/test_links.py. Any other route
# under /contexts/ taking a young person is a new way in and must be reviewed, then listed here.
YOUNG_PERSON_SIDE = {"contexts:link_new", "contexts:link_end", "contexts:location_link"}

USERS = [
    "practitioner",  # allocated to Quillon, Yzelde and Zephyrine: sees them on their records
    "other_team_practitioner",  # allocated to Jovrenna
    "team_manager",  # sees every Team A child
    "other_team_manager",
    "teammate",
    "service_manager",
    "administrator",
]

# The privacy wall's import contract in pyproject.toml, and the modules under contexts/ that are
# not its sources: the young person's side of links, the one bridge that reads links for context
# pages, and empty package markers. Every other module is thematic and must be a source.
PRIVACY_CONTRACT = "privacy-wall"
YOUNG_PERSON_SIDE_MODULES = {"contexts.linking", "contexts.templatetags.context_links"}
BRIDGE = "contexts.linked_professionals"
PACKAGE_MARKERS = {"contexts", "contexts.templatetags"}
# Each sanctioned door through the wall, as the contract writes it; a new one is reviewed here.
DOORS = {
    "contexts.linked_professionals -> cases.models",
    "cases.identity.sources -> cases.models",
    "cases.identity.sources -> cases.permissions",
}
CONTEXT_FACING_TEMPLATES = ["templates/contexts/core", "templates/contexts/work"]


@dataclasses.dataclass
class Scene:
    contexts: list
    records: dict
    actions: dict
    canaries: list[YoungPerson]
    status_changes: dict  # context pk -> its latest closure or reopening, where it has one


def _canary(actor, first, last, identifier, born, preferred="") -> YoungPerson:
    """Opened by a practitioner, who is allocated to the record by opening it."""
    return case_services.young_person_create(
        actor=actor,
        first_name=first,
        last_name=last,
        preferred_name=preferred,
        local_identifier=identifier,
        date_of_birth=born,
        postcode="NB3 9XY",
    )


def _work(actor, context):
    record = work_services.context_record_add(
        actor=actor,
        context=context,
        kind="assessment",
        held_on=date(2025, 3, 10),
        functioning="Older members recruit younger ones after school",
        guardianship="No detached youth work on weekday evenings",
        environment="Unlit underpass by the retail park",
        weighting="guardianship",
        weighting_reason="Adults present would change the group's routine first",
    )
    action = work_services.context_action_add(
        actor=actor,
        context=context,
        side="guardianship",
        description="Detached youth workers at the underpass on Fridays",
        partner_agency="youth_service",
        owner="Youth service manager",
        due_date=timezone.localdate() + timedelta(days=30),
    )
    work_services.context_action_update_progress(
        actor=actor, action=action, progress="in_progress", note="First two sessions held"
    )
    work_services.context_plan_review_set(
        actor=actor, context=context, review_date=timezone.localdate() + timedelta(days=60)
    )
    return record, action


@pytest.fixture
def scene(
    practitioner,
    team_manager,
    other_team_practitioner,
    young_person,
    django_capture_on_commit_callbacks,
    mailoutbox,
) -> Scene:
    """Canaries linked to three contexts by their practitioners; every kind of context change
    made after they were linked, with the on-commit notifications and e-mails delivered."""
    with django_capture_on_commit_callbacks(execute=True):
        # Names whose every part, and whose initials (QX, YJ, JQ; the fixture's ZQ), are
        # found nowhere by chance; an accent and an apostrophe, so escaping is read too.
        ottoline = _canary(
            practitioner,
            "Quillon",
            "Xandrel-Ombridge",
            "CNRY-QXO-4471",
            date(2010, 8, 19),
            preferred="Quilliebelle",
        )
        isembard = _canary(
            practitioner, "Yzëlde", "Jarnwicke-O'Vrey", "CNRY-YJ-3350", date(2011, 2, 27)
        )
        florizel = _canary(
            other_team_practitioner,
            "Jovrenna",
            "Quastwick",
            "CNRY-JQ-9028",
            date(2009, 12, 3),
        )
    # Only what context changes send is read below, not the allocation e-mails.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        group = open_context(practitioner)
        location = open_context(practitioner, kind=ContextKind.LOCATION)
        school = open_context(other_team_practitioner, kind=ContextKind.SCHOOL)

        for person, actor in [
            (ottoline, practitioner),
            (young_person, team_manager),
            (isembard, practitioner),
            (florizel, other_team_practitioner),
        ]:
            link(actor, group, person, reason=LINK_REASON)
        end(practitioner, ContextLink.objects.get(young_person=isembard), reason=END_REASON)
        link(practitioner, location, ottoline, reason=LINK_REASON)
        link(other_team_practitioner, school, florizel, reason=LINK_REASON)
        link(practitioner, school, ottoline, reason=LINK_REASON)
        place = place_of_harm(practitioner, ottoline, place_name="Canal towpath", postcode="")
        link_services.location_of_harm_link_context(
            actor=practitioner, location=place, context=location
        )

        records, actions = {}, {}
        for context in (group, location, school):
            records[context.pk], actions[context.pk] = _work(other_team_practitioner, context)
        group.refresh_from_db()
        context_services.context_update(
            actor=practitioner,
            context=group,
            expected_version=group.version,
            opened_on=group.opened_on,
            area=group.area,
            incident="A fight outside the leisure centre",
            description="A group meeting at the underpass after school",
        )
        school.refresh_from_db()
        close(other_team_practitioner, school, links_rule=LinkEndRule.END)
        context_services.context_reopen(
            actor=other_team_practitioner,
            context=school,
            on=timezone.localdate(),
            reason="A new incident at the school gates",
        )
        location.refresh_from_db()
        close(practitioner, location, links_rule=LinkEndRule.KEEP)
    for context in (group, location, school):
        context.refresh_from_db()
    return Scene(
        contexts=[group, location, school],
        records=records,
        actions=actions,
        canaries=[ottoline, isembard, florizel, young_person],
        status_changes={
            change.context_id: change
            for change in ContextStatusChange.objects.filter(
                context__in=[group, location, school]
            ).order_by("pk")
        },
    )


# --- Reading output ---------------------------------------------------------------------------

_RECORD_LINK = re.compile(r"/young-people/\d+")


def leaks(text: str, scene: Scene) -> list[str]:
    """Every rendering of a canary (tests/privacy_canary.py: names in every order, initials,
    birth year, date of birth, identifier, record links, escaped), the reasons for their links,
    and every link to any young person's record, found in ``text``."""
    found = renderings_found(text, scene.canaries, also=REASONS)
    return [str(f) for f in found] + _RECORD_LINK.findall(text)


def _child_keys(value, path="") -> Iterator[str]:
    """Keys of a JSON document that name a young person."""
    if isinstance(value, dict):
        for key, item in value.items():
            if "young_person" in key and not key.startswith("linked_young_people"):
                yield f"{path}.{key}"
            yield from _child_keys(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _child_keys(item, f"{path}[{index}]")


# --- The URL resolver -------------------------------------------------------------------------


def context_routes() -> list[tuple[str, str, tuple]]:
    """(pattern, name, parameters) of every route under /contexts/ and /api/v1/context..."""
    found = []
    for route in routes():
        plain = route.pattern.replace("^", "").replace("\\", "")
        if plain.startswith(("contexts/", "api/v1/context")):
            found.append((route.pattern, route.name, route.parameters))
    return found


def context_urls(scene: Scene) -> dict[str, list[str]]:
    """{route: urls for each context}. Fails for a route whose parameters this test cannot fill,
    so that a new route is covered here before it is merged."""
    urls: dict[str, list[str]] = {}
    young_person_side = set()
    for pattern, name, parameters in context_routes():
        if name is None:
            pytest.fail(f"Route {pattern} has no name: name it so this test can build its URL")
        if "young_person_pk" in parameters:
            young_person_side.add(name)
            continue
        for context in scene.contexts:
            values = {
                "pk": context.pk,
                "record_pk": scene.records[context.pk].pk,
                "action_pk": scene.actions[context.pk].pk,
                "kind": context.kind,
                "format": "json",
            }
            # A closure or reopening, for the contexts that have had one (not the group).
            if context.pk in scene.status_changes:
                values["change_pk"] = scene.status_changes[context.pk].pk
            elif "change_pk" in parameters:
                continue
            unknown = [p for p in parameters if p not in values]
            if unknown:
                pytest.fail(
                    f"Route {name} ({pattern}) takes {unknown}: add them to the values in "
                    "tests/contexts/test_privacy.py so the route is checked"
                )
            url = reverse(name, kwargs={p: values[p] for p in parameters})
            urls.setdefault(name, [])
            if url not in urls[name]:
                urls[name].append(url)
    assert young_person_side == YOUNG_PERSON_SIDE, (
        "Routes under /contexts/ taking a young person changed: review them for the privacy "
        "invariant, test them, then list them in YOUNG_PERSON_SIDE"
    )
    return urls


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


class TestContextFacingOutput:
    def test_the_detector_finds_the_canaries_where_they_belong(
        self, scene, client_for, practitioner
    ):
        """The young person's own record does show them: the check below can fail."""
        ottoline = scene.canaries[0]
        page = _text(client_for(practitioner).get(reverse("cases:detail", args=[ottoline.pk])))
        found = {f.rendering for f in renderings_found(page, scene.canaries, also=REASONS)}
        assert {
            "Quilliebelle Xandrel-Ombridge",
            "CNRY-QXO-4471",
            "19 August 2010",
            f"/young-people/{ottoline.pk}",
        } <= found
        assert LINK_REASON in found  # the record's contexts section gives the reasons
        assert scene.contexts[0].name in page  # and names the contexts
        with pytest.raises(pytest.fail.Exception, match="Quilliebelle Xandrel-Ombridge"):
            assert_no_rendering(page, scene.canaries, where="the record")

    def test_no_route_under_contexts_shows_a_child_to_anyone(self, scene, client_for, request):
        urls = context_urls(scene)
        assert {"contexts:detail", "contexts:chronology", "context-detail"} <= set(urls)
        answered: dict[str, set[int]] = {name: set() for name in urls}
        problems = []
        for who in USERS:
            client = client_for(request.getfixturevalue(who))
            for name, route_urls in urls.items():
                for url in route_urls:
                    response = client.get(url)
                    answered[name].add(response.status_code)
                    if response.status_code == 405:
                        # A POST-only endpoint: its refusal of an empty request is output too.
                        response = client.post(url, {})
                    body = _text(response)
                    problems += [(who, url, leak) for leak in leaks(body, scene)]
                    if response.get("Content-Type", "").startswith("application/json"):
                        problems += [(who, url, key) for key in _child_keys(json.loads(body))]
        assert problems == []
        # Each route was really read by someone, so its parameters were right.
        unread = {n: s for n, s in answered.items() if not s & {200, 405}}
        assert unread == {}

    def test_the_context_page_shows_the_professionals_and_counts(
        self, scene, client_for, practitioner
    ):
        group = scene.contexts[0]
        page = _text(client_for(practitioner).get(reverse("contexts:detail", args=[group.pk])))
        table = page.split('data-testid="professionals-table"')[1].split("</table>")[0]
        # Pat (Quillon, Zephyrine) and Otto (Jovrenna); Yzëlde's link has ended.
        assert "Pat Tester" in table and "Otto Tester" in table
        assert 'govuk-table__cell--numeric">2<' in table
        assert 'govuk-table__cell--numeric">1<' in table
        counts = page.split('data-testid="link-counts"')[1].split("</dl>")[0]
        assert "Young people linked now" in counts and ">3<" in counts
        assert "Young people ever linked" in counts and ">4<" in counts

    def test_searching_contexts_by_a_childs_name_finds_nothing(
        self, scene, client_for, practitioner
    ):
        from contexts.selectors.core import ContextFilters, context_list_for_user

        for person in scene.canaries:
            for term in (person.first_name, person.last_name, person.local_identifier):
                filters = ContextFilters(search=term)
                assert list(context_list_for_user(user=practitioner, filters=filters)) == []
        response = client_for(practitioner).get("/api/v1/contexts/", {"search": "Xandrel"})
        assert response.status_code == 200
        body = response.json()
        rows = body["results"] if isinstance(body, dict) else body
        assert rows == []

    def test_notifications_and_emails_name_no_child(
        self, scene, mailoutbox, client_for, request, django_capture_on_commit_callbacks
    ):
        # The changes came in a burst, so each context's are gathered into one notification per
        # practitioner; "outsider" chose the daily e-mail, the practitioner one for each.
        outsider = request.getfixturevalue("other_team_practitioner")
        notification_services.notification_preference_set(user=outsider, email="daily")
        end_windows(django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            assert notification_services.email_digests_make() == 1
        notes = list(Notification.objects.filter(kind=NotificationKind.CONTEXT_UPDATED))
        # Every practitioner of a linked child was told of the changes, so there is output.
        assert {n.recipient.username for n in notes} == {"practitioner", "outsider"}
        assert len(notes) >= 3
        assert any(n.changes.count() > 1 for n in notes)
        told_one_by_one = [n for n in notes if n.recipient.username == "practitioner"]
        [digest] = [m for m in mailoutbox if m.to == [outsider.email]]
        assert sorted(m.subject for m in mailoutbox if m is not digest) == sorted(
            f"{settings.SERVICE_NAME}: {n.title}" for n in told_one_by_one
        )
        for note in notes:
            if note.recipient_id == outsider.pk:
                assert f"- {note.title}\n" in digest.body
        for note in notes:
            assert leaks(f"{note.title}\n{note.body}\n{note.url}", scene) == []
        for message in mailoutbox:
            assert leaks(email_texts(message), scene) == []
        # And where they are read: the list of notifications, the home page, and where each
        # leads, for each recipient and for everyone else.
        for who in USERS:
            client = client_for(request.getfixturevalue(who))
            for url in [reverse("notifications:list"), reverse("workspace:home")]:
                response = client.get(url)
                assert response.status_code == 200
                assert_no_rendering(
                    body_of(response), scene.canaries, where=f"{who} {url}", also=REASONS
                )
        for note in notes:
            client = client_for(note.recipient)
            listed = body_of(client.get(reverse("notifications:list")))
            assert note.title in listed
            opened = rolled_back(
                lambda note=note: client.post(
                    reverse("notifications:open", args=[note.pk]), follow=True
                )
            )
            assert opened.status_code == 200
            assert_no_rendering(
                body_of(opened), scene.canaries, where=f"opening {note.title}", also=REASONS
            )


# --- Error pages, 400 bodies, exports, notifications -------------------------------------------

# Who posts the context forms wrongly: the practitioner who sees Quillon, Yzëlde and Zephyrine on
# their records, the one who sees only Jovrenna, a team-mate who sees none of them, and an
# administrator (no children's records; the only one who may post the naming configuration).
FORM_POSTERS = [
    "practitioner",
    "other_team_practitioner",
    "teammate",
    "administrator",
    "team_manager",  # the only one who may redact Team A's text
]
# Who finds the forms on the pages: between them, every form of every context.
# The team manager alone is shown the redaction forms of Team A's contexts.
FORM_FINDERS = ["practitioner", "other_team_practitioner", "administrator", "team_manager"]


def _api_kwargs(api_name: str, page_kwargs: dict) -> dict:
    """The API URL's kwargs from its page form's: the same pk and action_pk; the naming
    configuration is one resource for every kind."""
    return {} if api_name == "context-naming" else page_kwargs


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


class TestErrorsExportsAndMessages:
    def test_context_forms_filled_in_wrongly_show_no_child(self, scene, client_for, request):
        """Every form on every context page, filled in and then wrong in each way it can be (a
        date in the future, a date that does not exist, blank text, a bad postcode, a choice not
        offered, nothing), posted by those who can and who cannot see the canaries; and the
        same postings sent to the API operation behind the form. Every error page and 400 body
        is read."""
        writes = context_writes()
        page_forms = {name for name in writes if name.startswith("contexts:")}
        api_writes = {(n, m) for n, (_p, _a, methods) in writes.items() for m in methods} - {
            (name, "POST") for name in page_forms
        }
        assert api_writes <= set(API_FORMS), "a context API write with no form in API_FORMS"
        api_of = {form: op for op, form in API_FORMS.items() if op in api_writes}
        users = {who: request.getfixturevalue(who) for who in FORM_POSTERS}
        forms: dict[str, tuple[str, dict, dict]] = {}  # action -> (route, kwargs, fields)
        for who in FORM_FINDERS:
            client = client_for(users[who])
            for name, route_urls in context_urls(scene).items():
                for url in route_urls if name.startswith("contexts:") else []:
                    response = client.get(url)
                    if response.status_code != 200:
                        continue
                    for action, fields in post_forms_of(body_of(response), url).items():
                        match = resolve(action)
                        if match.view_name in page_forms and action not in forms:
                            forms[action] = (match.view_name, match.kwargs, fields)
        assert {route for route, _kwargs, _fields in forms.values()} == page_forms

        problems, refusals = [], set()
        for who, user in users.items():
            for action, (route, kwargs, fields) in forms.items():
                for wrong, posting in invalid_postings(fields).items():
                    client = client_for(user)
                    answers = [("page", rolled_back(lambda: client.post(action, posting)))]
                    if route in api_of:
                        api_name, method = api_of[route]
                        api_url = reverse(api_name, kwargs=_api_kwargs(api_name, kwargs))
                        send = getattr(_api(user), method.lower())
                        data = as_json(posting)
                        answers.append(
                            ("API", rolled_back(lambda: send(api_url, data, format="json")))
                        )
                    for channel, response in answers:
                        if refused(response):
                            refusals.add((route, channel))
                        where = f"{who} {channel} {route} with {wrong}"
                        problems += [f"{where}: {leak}" for leak in leaks(body_of(response), scene)]
        assert problems == []
        # Each form, and each API operation, really answered with an error that was read.
        assert {r for r, channel in refusals if channel == "page"} == page_forms
        assert {r for r, channel in refusals if channel == "API"} == set(api_of)

    def test_not_found_and_forbidden_answers_show_no_child(self, scene, client_for, request):
        group = scene.contexts[0]
        child, missing = scene.canaries[0], 999_999
        pages = [
            f"/contexts/{missing}/",
            f"/contexts/{child.pk}/chronology/",  # a child's pk where a context's goes
            reverse("contexts:record_detail", args=[group.pk, missing]),
            reverse("contexts:action_progress", args=[group.pk, missing]),
            reverse("contexts:close", args=[group.pk]),  # 403 to all but the lead and managers
            reverse("contexts:convention_edit", args=["not-a-kind"]),
            "/contexts/not-a-page/",
            f"/api/v1/contexts/{missing}/",
            f"/api/v1/contexts/{child.pk}/chronology/",
            reverse("context-action-progress", args=[group.pk, missing]),
            reverse("context-close", args=[group.pk]),
            "/api/v1/contexts/not-an-endpoint/",
        ]
        problems, statuses = [], set()
        for who in USERS:
            user = request.getfixturevalue(who)
            for url in pages:
                for method in ("get", "post"):
                    send = getattr(client_for(user), method)
                    response = rolled_back(lambda: send(url))
                    statuses.add(response.status_code)
                    where = f"{who} {method.upper()} {url}"
                    problems += [f"{where}: {leak}" for leak in leaks(body_of(response), scene)]
        assert problems == []
        assert {403, 404, 405} <= statuses

    def test_dashboards_and_their_exports_show_no_child(self, scene, client_for, request):
        """The dashboard, every table's CSV (the context measures among them) and the
        reporting API, for every kind of viewer; and no drill-down from a context measure."""
        from reporting.dashboards.selectors import MEASURES

        today = timezone.localdate()
        period = {
            **{"start_day": "1", "start_month": "1", "start_year": "2025"},
            **{"end_day": str(today.day), "end_month": str(today.month)},
            "end_year": str(today.year),
        }
        context_measures = [key for key in MEASURES if "context" in key]
        assert len(context_measures) >= 4
        problems, read = [], []
        for who in USERS:
            client = client_for(request.getfixturevalue(who))
            urls = [reverse("reporting:dashboard")]
            urls += [reverse("reporting:dashboard_csv", args=[key]) for key in MEASURES]
            urls += [reverse("reporting-measure", args=[key]) for key in context_measures]
            for url in urls:
                response = client.get(url, period)
                body = body_of(response)
                if response.status_code == 200:
                    read.append((who, url, body))
                problems += [f"{who} {url}: {leak}" for leak in leaks(body, scene)]
            for key in context_measures:
                drill = {"measure": key, "column": "linked", "key": str(scene.contexts[0].pk)}
                response = client.get(reverse("reporting:drill"), period | drill)
                assert response.status_code != 200 or "govuk-error-summary" in body_of(response)
                problems += [
                    f"{who} drill {key}: {leak}" for leak in leaks(body_of(response), scene)
                ]
        assert problems == []
        # The managers really read the context measures, each a CSV and through the API.
        for who in ("team_manager", "service_manager"):
            assert {
                key for key in context_measures for w, url, _body in read if w == who and key in url
            } == set(context_measures)


# --- Structure --------------------------------------------------------------------------------


def _points_at_a_child(model) -> bool:
    """A YoungPerson, or a row with a foreign key to one (a link, an allocation, a referral, a
    place of harm, an event on a child's chronology...)."""
    if issubclass(model, YoungPerson):
        return True
    return any(
        field.is_relation
        and field.many_to_one
        and field.related_model is not None
        and issubclass(field.related_model, YoungPerson)
        for field in model._meta.get_fields()
    )


def _children_in(value, seen=None) -> Iterator[str]:
    """What in ``value`` (a selector's result) is or points at a young person."""
    # Keyed by id, holding the value itself: the lists built below are temporaries, and once
    # one is freed a new one can take its id and be skipped as if already seen.
    seen = seen if seen is not None else {}
    if id(value) in seen or value is None or isinstance(value, str | int | float | bool | date):
        return
    seen[id(value)] = value
    if isinstance(value, QuerySet):
        if _points_at_a_child(value.model):
            yield f"a queryset of {value.model.__name__}"
        for row in value:
            if isinstance(row, dict):
                yield from (f"column {k}" for k in row if k.startswith("young_person"))
            yield from _children_in(row, seen)
    elif isinstance(value, models.Model):
        if _points_at_a_child(type(value)):
            yield f"a {type(value).__name__}"
        yield from _children_in(list(value._state.fields_cache.values()), seen)
        yield from _children_in(
            [list(qs) for qs in getattr(value, "_prefetched_objects_cache", {}).values()], seen
        )
        # And whatever else a selector set on it: prefetched lists (to_attr), counts.
        yield from _children_in(
            [v for k, v in vars(value).items() if k not in {"_state", "_prefetched_objects_cache"}],
            seen,
        )
    elif dataclasses.is_dataclass(value):
        yield from _children_in([getattr(value, f.name) for f in dataclasses.fields(value)], seen)
    elif isinstance(value, dict):
        yield from _children_in(list(value.keys()) + list(value.values()), seen)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _children_in(item, seen)


def context_facing_selector_modules() -> list:
    modules = [context_selectors, linked_professionals]
    for info in pkgutil.iter_modules(context_selectors.__path__):
        modules.append(importlib.import_module(f"contexts.selectors.{info.name}"))
    return modules


class TestSelectorsHoldNoChild:
    def test_every_context_facing_selector_returns_no_young_person_or_link(
        self, scene, practitioner
    ):
        from contexts.selectors.core import ContextFilters

        group = scene.contexts[0]
        record, action = scene.records[group.pk], scene.actions[group.pk]
        by_name = {
            "context": group,
            "user": practitioner,
            "pk": group.pk,
            "for_change": True,
            "today": timezone.localdate(),
            "record": record,
            "action": action,
            "actions": [action],
            "side": "functioning",
            "part": "record",
            "kind": group.kind,
            "term": "Group",
            "name": group.name,
            "filters": ContextFilters(),
            "configuration": None,
            "search": "",
            "contexts": Context.objects.filter(pk=group.pk),
        }
        # Selectors whose "pk" is not the context's, and optional reads worth checking too.
        overrides = {
            "context_record_get": {"pk": record.pk},
            "context_action_get": {"pk": action.pk},
            "context_text_row_get": {"pk": record.pk},
            # The group has never been closed: the location's closure, of its own context.
            "context_status_change_get": {
                "context": scene.contexts[1],
                "pk": scene.status_changes[scene.contexts[1].pk].pk,
            },
            "context_get_for_user": {"with_link_counts": True},
        }
        called, problems = [], []
        for module in context_facing_selector_modules():
            for function_name, function in inspect.getmembers(module, inspect.isfunction):
                if function_name.startswith("_") or function.__module__ != module.__name__:
                    continue
                arguments = {}
                for parameter in inspect.signature(function).parameters.values():
                    if parameter.default is not inspect.Parameter.empty:
                        continue
                    if parameter.name not in by_name:
                        pytest.fail(
                            f"{module.__name__}.{function_name} takes {parameter.name}: give it "
                            "a value in tests/contexts/test_privacy.py so it is checked"
                        )
                    arguments[parameter.name] = by_name[parameter.name]
                arguments |= overrides.get(function_name, {})
                try:
                    result = function(**arguments)
                except Http404:
                    pytest.fail(f"{function_name} found nothing: give it the right values")
                called.append(function_name)
                problems += [(function_name, p) for p in _children_in(result)]
                # Nor any of their names, identifiers or dates of birth, as text.
                problems += [(function_name, leak) for leak in leaks(repr(result), scene)]
        assert problems == []
        assert {"context_professionals", "context_link_counts", "linked_practitioner_ids"} <= set(
            called
        )

    def test_the_checker_catches_a_child(self, scene):
        """The young person's own selector does hand out links: the check above can fail."""
        from contexts.linking.selectors import links_for_young_person

        found = list(_children_in(links_for_young_person(young_person=scene.canaries[0])))
        assert "a queryset of ContextLink" in found and "a YoungPerson" not in found
        assert "a ContextLink" in found

    def test_the_checker_reads_lists_a_selector_sets_on_a_row(self, scene):
        """A prefetch into a list (``to_attr``) is no field and no prefetch cache: still read."""
        context = Context.objects.get(pk=scene.contexts[0].pk)
        context.harm_type_list = [scene.canaries[0]]
        assert "a YoungPerson" in list(_children_in(context))


def privacy_contract() -> dict:
    with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as f:
        contracts = tomllib.load(f)["tool"]["importlinter"]["contracts"]
    found = [c for c in contracts if c.get("id") == PRIVACY_CONTRACT]
    assert len(found) == 1, f"pyproject.toml must hold one import contract {PRIVACY_CONTRACT!r}"
    return found[0]


def _within(module: str, packages) -> bool:
    return any(module == p or module.startswith(f"{p}.") for p in packages)


class TestContextCodeDoesNotReachForChildren:
    def test_the_import_contract_forbids_thematic_code_a_young_person(self):
        contract = privacy_contract()
        assert contract["type"] == "forbidden"
        assert {
            "cases.models",
            "cases.selectors",
            "cases.services.young_people",
            "contexts.linking",
        } <= set(contract["forbidden_modules"])
        # Indirect imports count: a helper that imports cases.models is no way round the wall.
        assert str(contract.get("allow_indirect_imports", False)).lower() != "true"
        assert contract.get("as_packages", True) is True
        assert set(contract.get("ignore_imports", [])) == DOORS

    def test_every_module_under_contexts_is_on_one_side_of_the_wall(self):
        import contexts

        sources = privacy_contract()["source_modules"]
        modules = {"contexts"} | {
            info.name for info in pkgutil.walk_packages(contexts.__path__, "contexts.")
        }
        assert len(modules) > 30
        unplaced = sorted(
            m
            for m in modules
            if not _within(m, sources)
            and not _within(m, YOUNG_PERSON_SIDE_MODULES)
            and m != BRIDGE
            and m not in PACKAGE_MARKERS
        )
        assert unplaced == [], (
            "Modules under contexts/ that are neither sources of the privacy contract in "
            "pyproject.toml nor on the young person's side: add each to source_modules (thematic) "
            "or move it into contexts.linking"
        )
        # Nor may a source contain the other side, which would exempt it (import-linter skips a
        # source and a forbidden module that overlap).
        assert not [s for s in sources if _within(BRIDGE, [s]) or _within("contexts.linking", [s])]

    def test_the_young_person_side_tags_import_only_from_contexts_linking(self):
        graph = grimp.build_graph("contexts", cache_dir=None)
        imported = graph.find_modules_directly_imported_by("contexts.templatetags.context_links")
        assert {m for m in imported if m.startswith("contexts")} == {"contexts.linking.selectors"}

    def test_context_templates_hold_no_young_person(self):
        paths = [
            *[
                p
                for folder in CONTEXT_FACING_TEMPLATES
                for p in (Path(settings.BASE_DIR) / folder).rglob("*.html")
            ],
            Path(settings.BASE_DIR) / "templates/contexts/links/_professionals.html",
        ]
        assert len(paths) > 3
        problems = [(p.name, f) for p in paths for f in forbidden_in_template(p.read_text())]
        assert problems == []

    def test_the_checks_would_catch_a_template_reaching_for_a_child(self):
        template = "<a href=\"{% url 'cases:detail' link.young_person.pk %}\">"
        assert forbidden_in_template(template) == ["young_person", "cases:detail"]


def forbidden_in_template(text: str) -> list[str]:
    return [word for word in ("young_person", "cases:detail", "context_links") if word in text]
