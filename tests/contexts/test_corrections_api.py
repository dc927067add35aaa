"""The API that corrects, withdraws and redacts a context's text: 200 for the author or the team
manager, 403 for anyone else who may read contexts, 404 for an administrator, 401 signed out;
400 with field errors; 409 for a stale version; withdrawn rows show no text."""

from __future__ import annotations

import pytest

from contexts.models import Context, ContextRecord
from tests.api_support import api
from tests.contexts.corrections_support import (
    CLEAN_NOTE,
    NOTE_WITH_NAME,
    SLIPPED,
    history_texts,
    meeting_note,
    open_group,
)

pytestmark = pytest.mark.django_db

FORBIDDEN = ["teammate", "other_team_practitioner", "other_team_manager", "service_manager"]
VERBS = ["correct", "withdraw", "redact"]


@pytest.fixture
def context(team_manager):
    return open_group(team_manager)


@pytest.fixture
def note(practitioner, context):
    return meeting_note(practitioner, context)


def path(context, note, verb):
    return f"/api/v1/contexts/{context.pk}/records/{note.pk}/{verb}/"


def version(context) -> int:
    return Context.objects.get(pk=context.pk).version


@pytest.mark.parametrize("verb", VERBS)
def test_signed_out_is_401(context, note, verb):
    assert api().post(path(context, note, verb), {}, format="json").status_code == 401


@pytest.mark.parametrize("who", FORBIDDEN)
@pytest.mark.parametrize("verb", VERBS)
def test_anyone_else_is_403(request, context, note, who, verb):
    response = api(request.getfixturevalue(who)).post(path(context, note, verb), {}, format="json")
    assert response.status_code == 403


@pytest.mark.parametrize("verb", VERBS)
def test_an_administrator_is_404(administrator, context, note, verb):
    response = api(administrator).post(path(context, note, verb), {}, format="json")
    assert response.status_code == 404


def test_the_author_may_not_redact(practitioner, context, note):
    response = api(practitioner).post(path(context, note, "redact"), {}, format="json")
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["practitioner", "team_manager"])
def test_a_correction_takes_the_old_text_out_of_the_api(request, context, note, who):
    client = api(request.getfixturevalue(who))

    response = client.post(
        path(context, note, "correct"),
        {"functioning": CLEAN_NOTE, "correction_reason": "A nickname", "version": version(context)},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["functioning"] == CLEAN_NOTE
    listed = client.get(f"/api/v1/contexts/{context.pk}/records/").content.decode()
    assert SLIPPED not in listed
    chronology = client.get(f"/api/v1/contexts/{context.pk}/chronology/").content.decode()
    assert SLIPPED not in chronology
    assert all(SLIPPED not in text for text in history_texts(note))


def test_an_empty_post_is_400_with_field_errors(practitioner, context, note):
    response = api(practitioner).post(path(context, note, "correct"), {}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "correction_reason": ["Enter why you are correcting the text"],
        "version": ["Send the version of the context you last read"],
    }


def test_a_name_is_refused_with_400(practitioner, context, note, young_person):
    response = api(practitioner).post(
        path(context, note, "correct"),
        {
            "functioning": "Zephyrine Quillfeather was there",
            "correction_reason": "A nickname",
            "version": version(context),
        },
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["functioning"]
    assert ContextRecord.objects.get(pk=note.pk).functioning == NOTE_WITH_NAME


def test_a_stale_version_is_409(practitioner, context, note):
    response = api(practitioner).post(
        path(context, note, "correct"),
        {"functioning": CLEAN_NOTE, "correction_reason": "A nickname", "version": 1},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["current_version"] == version(context)


def test_a_withdrawn_record_shows_withdrawn_and_no_text(practitioner, context, note):
    client = api(practitioner)

    response = client.post(
        path(context, note, "withdraw"),
        {"withdrawal_reason": "Wrong context", "version": version(context)},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert body["withdrawn"] is True
    assert body["withdrawn_by"] == practitioner.get_full_name()
    assert (body["functioning"], body["guardianship"], body["weighting_reason"]) == ("", "", "")


def test_the_team_manager_redacts(team_manager, context, note):
    response = api(team_manager).post(
        path(context, note, "redact"),
        {
            "field": "functioning",
            "passage": SLIPPED,
            "redaction_reason": "A nickname",
            "version": version(context),
        },
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["functioning"].startswith("[redacted] and two older")


@pytest.mark.parametrize("records", [1, 6])
def test_the_record_list_costs_the_same_with_withdrawn_rows(
    practitioner, context, django_assert_num_queries, records
):
    from contexts.services.corrections import context_text_withdraw

    for _ in range(records):
        context_text_withdraw(
            actor=practitioner, row=meeting_note(practitioner, context), withdrawal_reason="Wrong"
        )
    client = api(practitioner)
    # The context with its lead, team and location type (1), the records with who recorded and
    # who withdrew each (1).
    with django_assert_num_queries(2):
        response = client.get(f"/api/v1/contexts/{context.pk}/records/")
    assert len(response.json()) == records
