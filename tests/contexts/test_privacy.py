"""The privacy invariant, proved: no context-facing output names a child.

Distinctive invented "canary" young people are linked to contexts by their own practitioners.
Then, signed in as those practitioners (who can see the children on their own records) and as
everyone else, every route under /contexts/ and /api/v1/context... is fetched, found by walking
the URL resolver, so a route added later is covered or fails this test until it is. The
notifications and e-mails that context changes send are read too. None may contain a canary's
names, local identifier, date of birth (in any of the usual formats), the reasons for their links,
or a link to any young person's record.

Then structurally: the context-facing selectors (contexts/selectors, all but young_person_side)
are called and what they return is inspected for young people, links or any row that points at a
young person; and the context pages and API are checked not to import the one selector module
that joins a child to contexts. Every person here is invented.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import json
import pkgutil
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from django.utils import timezone

import contexts.selectors as context_selectors
from cases import services as case_services
from cases.models import YoungPerson
from contexts.models import Context, ContextLink
from contexts.reference import ContextKind, LinkEndRule
from contexts.services import contexts as context_services
from contexts.services import links as link_services
from contexts.services import work as work_services
from csafe.notifications.models import Notification, NotificationKind
from tests.contexts.test_links import close, end, link, open_context, place_of_harm

pytestmark = pytest.mark.django_db

LINK_REASON = "Reason-canary Marmalade Obelisk"
END_REASON = "End-reason-canary Pewter Lagoon"

# Routes under /contexts/ that belong to the young person's record: each takes young_person_pk,
# needs change on that record, and is tested in tests/contexts/test_links.py. Any other route
# under /contexts/ taking a young person is a new way in and must be reviewed, then listed here.
YOUNG_PERSON_SIDE = {"contexts:link_new", "contexts:link_end", "contexts:location_link"}

USERS = [
    "practitioner",  # allocated to Ottoline, Isembard and Zephyrine: sees them on their records
    "other_team_practitioner",  # allocated to Florizel
    "team_manager",  # sees every Team A child
    "other_team_manager",
    "teammate",
    "service_manager",
    "administrator",
]

CONTEXT_FACING_SOURCES = [
    "contexts/views/core.py",
    "contexts/views/work.py",
    "contexts/api/core.py",
    "contexts/api/work.py",
    "contexts/forms/core.py",
    "contexts/forms/work.py",
    "contexts/tasks.py",
    "contexts/templatetags/context_professionals.py",
]
CONTEXT_FACING_TEMPLATES = ["templates/contexts/core", "templates/contexts/work"]


def _date_formats(born: date) -> list[str]:
    return [
        born.isoformat(),
        f"{born:%d/%m/%Y}",
        f"{born.day}/{born.month}/{born.year}",
        f"{born:%d-%m-%Y}",
        f"{born:%d.%m.%Y}",
        f"{born:%m/%d/%Y}",
        f"{born:%Y%m%d}",
        f"{born.day} {born:%B %Y}",
        f"{born:%d %B %Y}",
        f"{born.day} {born:%b %Y}",
        f"{born:%d %b %Y}",
        f"{born:%B} {born.day}, {born.year}",
        f"{born:%b}. {born.day}, {born.year}",
    ]


@dataclasses.dataclass
class Scene:
    contexts: list
    records: dict
    actions: dict
    canaries: list[YoungPerson]

    def strings(self) -> list[str]:
        found = [LINK_REASON, END_REASON]
        for person in self.canaries:
            found += [person.first_name, person.last_name, person.local_identifier]
            found += [person.preferred_name] if person.preferred_name else []
            found += _date_formats(person.date_of_birth)
        return found


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
        ottoline = _canary(
            practitioner,
            "Ottoline",
            "Brackenridge-Vane",
            "CNRY-OBV-4471",
            date(2010, 8, 19),
            preferred="Lottiebelle",
        )
        isembard = _canary(
            practitioner, "Isembard", "Thistlewaite", "CNRY-IT-3350", date(2011, 2, 27)
        )
        florizel = _canary(
            other_team_practitioner,
            "Florizel",
            "Quintavalle",
            "CNRY-FQ-9028",
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
    )


# --- Reading output ---------------------------------------------------------------------------

_RECORD_LINK = re.compile(r"/young-people/\d+")


def leaks(text: str, scene: Scene) -> list[str]:
    """Every canary string, and every link to a young person's record, found in ``text``."""
    lowered = text.lower()
    found = [s for s in scene.strings() if s.lower() in lowered]
    return found + _RECORD_LINK.findall(text)


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


def _parameters(pattern) -> list[str]:
    if isinstance(pattern, RoutePattern):
        return list(pattern.converters)
    return list(pattern.regex.groupindex)


def _routes(patterns, prefix="", namespace="", parameters=()) -> Iterator[tuple]:
    for entry in patterns:
        here = tuple(_parameters(entry.pattern))
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _routes(
                entry.url_patterns, prefix + str(entry.pattern), inner, parameters + here
            )
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield prefix + str(entry.pattern), name, parameters + here


def context_routes() -> list[tuple[str, str, tuple]]:
    """(pattern, name, parameters) of every route under /contexts/ and /api/v1/context..."""
    found = []
    for pattern, name, parameters in _routes(get_resolver().url_patterns):
        plain = pattern.replace("^", "").replace("\\", "")
        if plain.startswith(("contexts/", "api/v1/context")):
            found.append((pattern, name, parameters))
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
        found = leaks(page, scene)
        assert {"Ottoline", "Brackenridge-Vane", "CNRY-OBV-4471", "19 August 2010"} <= set(found)
        assert LINK_REASON in found  # the record's contexts section gives the reasons
        assert scene.contexts[0].name in page  # and names the contexts

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
        # Pat (Ottoline, Zephyrine) and Otto (Florizel); Isembard's link has ended.
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
        response = client_for(practitioner).get("/api/v1/contexts/", {"search": "Brackenridge"})
        assert response.status_code == 200
        body = response.json()
        rows = body["results"] if isinstance(body, dict) else body
        assert rows == []

    def test_notifications_and_emails_name_no_child(self, scene, mailoutbox):
        notes = list(Notification.objects.filter(kind=NotificationKind.CONTEXT_UPDATED))
        # Every practitioner of a linked child was told of the changes, so there is output.
        assert {n.recipient.username for n in notes} == {"practitioner", "outsider"}
        assert len(notes) >= 10
        assert sorted(m.subject for m in mailoutbox) == sorted(
            f"{settings.SERVICE_NAME}: {n.title}" for n in notes
        )
        for note in notes:
            assert leaks(f"{note.title}\n{note.body}\n{note.url}", scene) == []
        for message in mailoutbox:
            assert leaks(f"{message.subject}\n{message.body}", scene) == []


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
    modules = [context_selectors]
    for info in pkgutil.iter_modules(context_selectors.__path__):
        if info.name != "young_person_side":
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
        from contexts.selectors.young_person_side import links_for_young_person

        found = list(_children_in(links_for_young_person(young_person=scene.canaries[0])))
        assert "a queryset of ContextLink" in found and "a YoungPerson" not in found
        assert "a ContextLink" in found

    def test_the_checker_reads_lists_a_selector_sets_on_a_row(self, scene):
        """A prefetch into a list (``to_attr``) is no field and no prefetch cache: still read."""
        context = Context.objects.get(pk=scene.contexts[0].pk)
        context.harm_type_list = [scene.canaries[0]]
        assert "a YoungPerson" in list(_children_in(context))


class TestContextCodeDoesNotReachForChildren:
    @pytest.mark.parametrize("source", CONTEXT_FACING_SOURCES)
    def test_context_pages_and_api_do_not_import_the_young_person_side(self, source):
        path = Path(settings.BASE_DIR) / source
        if not path.exists():
            pytest.fail(f"{source} is gone: update CONTEXT_FACING_SOURCES")
        assert forbidden_in_source(path.read_text()) == []

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

    def test_the_checks_would_catch_a_view_reaching_for_a_child(self):
        view = (
            "from ..selectors.young_person_side import links_for_young_person\n"
            "from cases.models import YoungPerson\n"
        )
        template = "<a href=\"{% url 'cases:detail' link.young_person.pk %}\">"
        assert forbidden_in_source(view) == [
            "young_person_side",
            "YoungPerson",
            "links_for_young_person",
        ]
        assert forbidden_in_template(template) == ["young_person", "cases:detail"]
        # The young person's own pages may, and do.
        own = (Path(settings.BASE_DIR) / "contexts/views/links.py").read_text()
        assert forbidden_in_source(own) == ["young_person_side"]


def forbidden_in_source(text: str) -> list[str]:
    words = ("young_person_side", "YoungPerson", "ContextLink", "links_for_young_person")
    return [word for word in words if word in text]


def forbidden_in_template(text: str) -> list[str]:
    return [word for word in ("young_person", "cases:detail", "context_links") if word in text]
