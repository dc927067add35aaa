"""The route walk's privacy half: every context route that takes a write, found from the URL
resolver (tests/privacy_canary.py ``context_writes``), is sent filled-in forms with invalid
values (a date in the future, a date that does not exist, blank text, a bad postcode, a choice
not offered, nothing) by the practitioner allocated to the world's young person, who is linked to
the context (tests/security/conftest.py). Each error page and 400 body is read for any
rendering of that child (``assert_no_rendering``): the poster may see the child elsewhere, and
still no context answer may show them. A new context route that writes is walked here without
being listed, or fails until its form can be found.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cases.models import YoungPerson
from tests.privacy_canary import (
    API_FORMS,
    as_json,
    assert_no_rendering,
    body_of,
    context_writes,
    invalid_postings,
    post_forms_of,
    refused,
    rolled_back,
)

pytestmark = pytest.mark.django_db

POSTER = "owner"  # the practitioner allocated to the linked child
# Where a route's parameters point in the world.
OBJECTS = {
    "pk": "context",
    "record_pk": "context_record",
    "action_pk": "context_action",
    "kind": "convention_kind",
    "change_pk": "status_change",
}
# Pages holding the form of a route that has no page of its own, and who can read its fields.
FORM_PAGES = ["contexts:detail", "contexts:plan_review_date"]
FIELD_READERS = [POSTER, "administrator"]  # the naming configuration is the administrators'
# Redaction is for a team manager of the context's team only: its forms are shown to them alone,
# so the redact routes are posted to, and their fields read, as that manager.
REDACTOR = "team_manager"


def _poster(name: str) -> str:
    return REDACTOR if name.endswith("redact") else POSTER


# Routes that need the context closed first; its links are kept, so the child is still linked.
NEEDS_CLOSED = {"contexts:reopen", "context-reopen"}


def _close_keeping_links(world) -> None:
    from django.utils import timezone

    from contexts.models import Context
    from contexts.reference import LinkEndRule
    from contexts.services.contexts import context_close

    context_close(
        actor=world.users[POSTER],
        context=Context.objects.get(pk=world.objects["context"]),
        on=timezone.localdate(),
        reason="The group no longer meets",
        functioning_change="Members have moved on to college courses",
        guardianship_change="Youth workers now run the Friday session",
        environment_change="The underpass is lit and watched",
        links_rule=LinkEndRule.KEEP,
    )


def _kwargs(world, parameters) -> dict:
    missing = [p for p in parameters if world.objects.get(OBJECTS.get(p, p)) is None]
    if missing:
        pytest.fail(
            f"No object in the world for {missing}: add it to OBJECTS here and to "
            "tests/security/conftest.py's world, so the route is walked"
        )
    return {p: world.objects[OBJECTS[p]] for p in parameters}


def _fields(world, name: str, url: str, readers=FIELD_READERS) -> dict:
    """The fields of the form that posts to ``url``, read from its page as the owner (or, for
    the naming configuration, an administrator)."""
    pages = [url] + [reverse(p, kwargs={"pk": world.objects["context"]}) for p in FORM_PAGES]
    for who in readers:
        client = Client()
        world.sign_in(client, who)
        for page in pages:
            response = client.get(page)
            if response.status_code == 200:
                found = post_forms_of(body_of(response), page).get(url)
                if found is not None:
                    return found
    pytest.fail(f"No form posting to {url} ({name}) found: teach FORM_PAGES where it is")


WRITES = context_writes()
CASES = [
    pytest.param(name, method, id=f"{name} {method}")
    for name, (_pattern, _parameters, methods) in sorted(WRITES.items())
    for method in sorted(methods)
]


def test_every_context_api_write_has_its_form():
    """An API write is sent its page form's postings: a new one needs its row in API_FORMS."""
    api = {(n, m) for n, m in (case.values for case in CASES) if not n.startswith("contexts:")}
    assert api <= set(API_FORMS)
    assert len(CASES) >= 18  # pages and API, as found when this was written


@pytest.mark.parametrize(("name", "method"), CASES)
def test_invalid_input_to_a_context_route_shows_no_child(world, name, method):
    child = YoungPerson.objects.get(pk=world.objects["young_person"])
    _pattern, parameters, _methods = WRITES[name]
    url = reverse(name, kwargs=_kwargs(world, parameters))
    if name in NEEDS_CLOSED:
        _close_keeping_links(world)
    poster = _poster(name)
    readers = [poster] if poster != POSTER else FIELD_READERS
    if name.startswith("contexts:"):
        client = Client()
        world.sign_in(client, poster)
        assert method == "POST"
        postings = invalid_postings(_fields(world, name, url, readers))
        answers = {
            wrong: rolled_back(lambda p=posting: client.post(url, p))
            for wrong, posting in postings.items()
        }
    else:
        form = API_FORMS[(name, method)]
        _form_pattern, form_parameters, _ = WRITES[form]
        form_url = reverse(form, kwargs=_kwargs(world, form_parameters))
        postings = invalid_postings(_fields(world, form, form_url, readers))
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[poster]}")
        send = getattr(client, method.lower())
        answers = {
            wrong: rolled_back(lambda p=posting: send(url, as_json(p), format="json"))
            for wrong, posting in postings.items()
        }
        answers["a body that is not an object"] = rolled_back(
            lambda: send(url, ["not", "an", "object"], format="json")
        )
    for wrong, response in answers.items():
        assert_no_rendering(body_of(response), [child], where=f"{method} {url} with {wrong}")
    # The invalid values were refused, so error pages and 400 bodies were read.
    assert any(refused(response) for response in answers.values()), (
        f"{method} {url}: nothing refused {sorted(answers)}"
    )
