"""The one guard on context text (contexts.guard): which field and why, naming no one; an audit
event for every refusal, without the text, that survives the refused write's rollback; a pause
after repeated refusals; and no oracle: probing the names of another team's young people gets
exactly the answers that probing invented names gets.

What the recogniser finds is tested in tests/identity/; these tests are about the guard."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from contexts.guard import (
    MESSAGES,
    NAME_MESSAGE,
    IdentityCheckThrottled,
    IdentityRefused,
    refuse_identities,
)
from contexts.models import ContextRecord
from csafe.audit.models import Event, EventKind
from tests.contexts.context_support import open_group
from tests.contexts.work_support import add_record
from tests.factories import YoungPersonFactory

pytestmark = pytest.mark.django_db

REFUSED = EventKind.CONTEXT_TEXT_REFUSED


def refusals(actor) -> list[Event]:
    return list(Event.objects.filter(kind=REFUSED, actor=actor).order_by("pk"))


def answer(act):
    """What a writer learns from one attempt: the field errors, or that it was saved."""
    try:
        act()
    except IdentityRefused as error:
        return error.as_field_errors()
    return "saved"


class TestARefusal:
    def test_says_which_field_and_why_and_names_no_one(self, practitioner, young_person):
        context = open_group(practitioner)
        with pytest.raises(IdentityRefused) as caught:
            add_record(
                practitioner,
                context,
                functioning="Zephyrine Quillfeather leads the group.",
                environment="Seen near TST004217's flat, born 14/03/2011.",
            )
        errors = caught.value.as_field_errors()
        assert errors == {
            "functioning": [NAME_MESSAGE],
            "environment": [MESSAGES[caught.value.errors["environment"]]],
        }
        assert "Zephyrine" not in str(errors) and "Quillfeather" not in str(errors)
        assert not ContextRecord.objects.filter(context=context).exists()

    def test_writes_one_audit_event_without_the_text(self, practitioner, young_person):
        context = open_group(practitioner)
        with pytest.raises(IdentityRefused):
            add_record(practitioner, context, guardianship="Quillfeather, Zephyrine was there")
        (event,) = refusals(practitioner)
        assert event.detail == {
            "context": context.pk,
            "fields": ["guardianship"],
            "rules": ["name"],
        }
        assert event.target_id == str(context.pk)
        assert "Quillfeather" not in str(event.detail)

    def test_opening_a_context_is_refused_and_audited_once(self, practitioner):
        # context_open calls context_name_check: both are guarded writes, nested; the event
        # is written once, after both have rolled back.
        with pytest.raises(IdentityRefused):
            open_group(practitioner, description="Tyler Wrackenbury's friends meet here")
        (event,) = refusals(practitioner)
        assert event.detail["context"] is None
        assert event.detail["fields"] == ["description"]

    def test_text_without_a_person_is_saved_and_nothing_is_audited(self, practitioner):
        context = open_group(practitioner)
        add_record(practitioner, context, functioning="The group meets in Victoria Park.")
        assert refusals(practitioner) == []

    def test_empty_text_asks_the_database_nothing(self, practitioner):
        with CaptureQueriesContext(connection) as queries:
            refuse_identities(actor=practitioner, description="", note="  ")
        assert len(queries) == 0

    def test_three_queries_whatever_the_length_of_the_text(self, practitioner, young_person):
        text = " ".join(f"Word{n}" for n in range(2000))
        # The throttle, the young people the writer can see, the staff names.
        with CaptureQueriesContext(connection) as queries:
            refuse_identities(actor=practitioner, description=text, note=text)
        assert len(queries) == 3


class TestNoOracle:
    """A practitioner of team A probes for team B's child (whom they cannot open) and for
    invented people who are not in csafe: the answers must be the same in kind."""

    PROBES = [
        "{first} {last} was seen at the shops",
        "{last}, {first} was seen at the shops",
        "{last} was seen at the shops",
        "the {last} family",
        "{first} was seen at the shops",
        "{first_lower} {last_lower} at the park",
    ]

    def probe(self, practitioner, context, first, last):
        answers = []
        for probe in self.PROBES:
            text = probe.format(
                first=first, last=last, first_lower=first.lower(), last_lower=last.lower()
            )
            answers.append(answer(lambda t=text: add_record(practitioner, context, functioning=t)))
        return answers

    def test_another_teams_child_reads_as_an_invented_person(
        self, settings, practitioner, other_young_person
    ):
        settings.CSAFE_GUARD_REFUSAL_LIMIT = 1000
        context = open_group(practitioner)
        # Another team's young person, held by csafe (other_young_person is Bartholomew
        # Nettlecombe, and a second with a rarer name), against invented people who are not.
        hidden = YoungPersonFactory(
            actor=other_young_person.team.members.first(),
            first_name="Oswin",
            last_name="Thistlewaite",
        )
        known = [(other_young_person.first_name, other_young_person.last_name)]
        known.append((hidden.first_name, hidden.last_name))
        invented = [("Bartholomew", "Ashdown-Pryce"), ("Oswin", "Fennimore")]
        held = [self.probe(practitioner, context, f, last) for f, last in known]
        not_held = [self.probe(practitioner, context, f, last) for f, last in invented]
        assert held == not_held

    def test_the_writers_own_child_is_refused_in_more_forms(self, practitioner, young_person):
        """The writer can open Zephyrine Quillfeather's record: refusing her surname alone
        tells them nothing they could not read."""
        context = open_group(practitioner)
        assert (
            answer(lambda: add_record(practitioner, context, functioning="the Quillfeather family"))
            != "saved"
        )
        assert (
            answer(lambda: add_record(practitioner, context, functioning="the Thistledown family"))
            == "saved"
        )


class TestThrottle:
    def test_refusals_past_the_limit_pause_every_check(self, settings, practitioner):
        settings.CSAFE_GUARD_REFUSAL_LIMIT = 3
        context = open_group(practitioner)
        for _ in range(3):
            with pytest.raises(IdentityRefused):
                add_record(practitioner, context, functioning="Tyler Wrackenbury was there")
        # Now even clean text is not checked, and so not saved.
        with pytest.raises(IdentityCheckThrottled) as caught:
            add_record(practitioner, context, functioning="The group meets in the park.")
        assert caught.value.message.startswith("Too much of your context text has been refused")
        assert not ContextRecord.objects.filter(context=context).exists()
        throttled = Event.objects.filter(kind=EventKind.CONTEXT_TEXT_THROTTLED, actor=practitioner)
        assert throttled.count() == 1

    def test_others_are_not_paused(self, settings, practitioner, teammate):
        settings.CSAFE_GUARD_REFUSAL_LIMIT = 1
        context = open_group(practitioner)
        with pytest.raises(IdentityRefused):
            add_record(practitioner, context, functioning="Tyler Wrackenbury was there")
        add_record(teammate, context, functioning="The group meets in the park.")

    def test_the_api_answers_429(self, settings, practitioner):
        settings.CSAFE_GUARD_REFUSAL_LIMIT = 1
        context = open_group(practitioner)
        with pytest.raises(IdentityRefused):
            add_record(practitioner, context, functioning="Tyler Wrackenbury was there")
        client = APIClient()
        client.force_authenticate(practitioner)
        response = client.post(
            f"/api/v1/contexts/{context.pk}/records/",
            {"kind": "meeting", "held_on": "2026-12-01", "functioning": "Clean text"},
            format="json",
        )
        assert response.status_code == 429
        assert "Too much of your context text" in str(response.json())


def test_the_api_gives_a_400_with_every_refused_field(practitioner, young_person):
    context = open_group(practitioner)
    client = APIClient()
    client.force_authenticate(practitioner)
    response = client.post(
        f"/api/v1/contexts/{context.pk}/records/",
        {
            "kind": "meeting",
            "held_on": "2026-12-01",
            "functioning": "Zephyrine Quillfeather",
            "guardianship": "See /young-people/12/",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "functioning": [NAME_MESSAGE],
        "guardianship": [MESSAGES["record_link"]],
    }
    assert len(refusals(practitioner)) == 1


def test_an_anonymous_request_is_refused_before_any_check(client):
    response = APIClient().post("/api/v1/contexts/1/records/", {"functioning": "x"}, format="json")
    assert response.status_code in (401, 403)
    assert not Event.objects.filter(kind=REFUSED).exists()


def test_a_name_split_across_the_details_is_refused_in_the_name(practitioner):
    """Neither "Tyler" nor "Wrackenbury" is a name on its own; the name the convention makes
    of them ("Tyler – Wrackenbury") is, and is refused against the first detail it comes from."""
    with pytest.raises(IdentityRefused) as caught:
        open_group(practitioner, kind="other", label="Tyler", area="Wrackenbury")
    assert caught.value.as_field_errors() == {"label": [NAME_MESSAGE]}
    (event,) = refusals(practitioner)
    assert event.detail["fields"] == ["label"]
