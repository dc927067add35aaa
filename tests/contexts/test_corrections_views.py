"""The pages that correct, withdraw and redact a context's text: allowed (the author, the team
manager), forbidden (anyone else: 403; an administrator: 404), anonymous (sign in); the old text
gone from the pages; the GOV.UK error summary with the input kept and nothing saved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from contexts.guard import NAME_MESSAGE
from contexts.models import Context, ContextRecord
from tests.cases.helpers import sign_in_redirect
from tests.contexts.corrections_support import (
    CLEAN_NOTE,
    NOTE_WITH_NAME,
    SLIPPED,
    history_texts,
    meeting_note,
    open_group,
    plan_action,
)
from tests.html_pages import error_summary

pytestmark = pytest.mark.django_db

FORBIDDEN = ["teammate", "other_team_practitioner", "other_team_manager", "service_manager"]
PAGES = [
    ("record_correct", "record_pk"),
    ("record_withdraw", "record_pk"),
    ("record_redact", "record_pk"),
    ("action_correct", "action_pk"),
    ("action_withdraw", "action_pk"),
    ("action_redact", "action_pk"),
]


@pytest.fixture
def context(team_manager):
    return open_group(team_manager)


@pytest.fixture
def rows(practitioner, context):
    return {
        "record_pk": meeting_note(practitioner, context),
        "action_pk": plan_action(practitioner, context),
    }


def url(name, context, row):
    return reverse(f"contexts:{name}", args=[context.pk, row.pk])


@pytest.mark.parametrize(("name", "key"), PAGES)
def test_the_team_manager_opens_every_page(client_for, team_manager, context, rows, name, key):
    assert client_for(team_manager).get(url(name, context, rows[key])).status_code == 200


@pytest.mark.parametrize(("name", "key"), [p for p in PAGES if "redact" not in p[0]])
def test_the_author_corrects_and_withdraws(client_for, practitioner, context, rows, name, key):
    assert client_for(practitioner).get(url(name, context, rows[key])).status_code == 200


@pytest.mark.parametrize(("name", "key"), [p for p in PAGES if "redact" in p[0]])
def test_the_author_may_not_redact(client_for, practitioner, context, rows, name, key):
    assert client_for(practitioner).get(url(name, context, rows[key])).status_code == 403


@pytest.mark.parametrize("who", FORBIDDEN)
@pytest.mark.parametrize(("name", "key"), PAGES)
def test_anyone_else_is_refused(request, client_for, context, rows, who, name, key):
    client = client_for(request.getfixturevalue(who))
    assert client.get(url(name, context, rows[key])).status_code == 403
    assert client.post(url(name, context, rows[key]), {}).status_code == 403


@pytest.mark.parametrize(("name", "key"), PAGES)
def test_an_administrator_gets_404(client_for, administrator, context, rows, name, key):
    assert client_for(administrator).get(url(name, context, rows[key])).status_code == 404


@pytest.mark.parametrize(("name", "key"), PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, context, rows, name, key):
    path = url(name, context, rows[key])
    response = client.get(path)
    assert (response.status_code, response["Location"]) == (302, sign_in_redirect(path))


def _correction(context, record, **overrides):
    data = {
        "functioning": CLEAN_NOTE,
        "guardianship": record.guardianship,
        "environment": record.environment,
        "weighting_reason": record.weighting_reason,
        "correction_reason": "A nickname was in the note",
        "version": str(Context.objects.get(pk=context.pk).version),
    }
    return data | overrides


def test_a_correction_takes_the_old_text_off_the_pages(client_for, practitioner, context, rows):
    record = rows["record_pk"]
    client = client_for(practitioner)

    response = client.post(url("record_correct", context, record), _correction(context, record))

    detail = reverse("contexts:record_detail", args=[context.pk, record.pk])
    assert (response.status_code, response["Location"]) == (302, detail)
    for page in (
        detail,
        reverse("contexts:record_list", args=[context.pk]),
        reverse("contexts:chronology", args=[context.pk]),
    ):
        html = client.get(page).content.decode()
        assert NOTE_WITH_NAME not in html
    assert CLEAN_NOTE in client.get(detail).content.decode()


def test_a_refused_correction_keeps_the_input_and_saves_nothing(
    client_for, practitioner, context, rows, young_person
):
    record = rows["record_pk"]
    typed = "Zephyrine Quillfeather meets the group"

    response = client_for(practitioner).post(
        url("record_correct", context, record), _correction(context, record, functioning=typed)
    )

    assert response.status_code == 400
    assert error_summary(response) == [NAME_MESSAGE]
    assert typed in response.content.decode()
    assert ContextRecord.objects.get(pk=record.pk).functioning == NOTE_WITH_NAME


def test_a_stale_version_is_shown_as_a_conflict(client_for, practitioner, context, rows):
    record = rows["record_pk"]

    response = client_for(practitioner).post(
        url("record_correct", context, record), _correction(context, record, version="1")
    )

    assert response.status_code == 400
    assert "Someone else changed this context" in error_summary(response)[0]
    # The input again, carrying the version saved now: saving again is a deliberate choice.
    saved = Context.objects.get(pk=context.pk).version
    assert saved > 1
    html = response.content.decode()
    assert f'name="version" value="{saved}"' in html
    assert CLEAN_NOTE in html
    assert ContextRecord.objects.get(pk=record.pk).functioning == NOTE_WITH_NAME


def test_a_withdrawn_record_shows_who_when_and_why(client_for, practitioner, context, rows):
    record = rows["record_pk"]
    client = client_for(practitioner)

    client.post(
        url("record_withdraw", context, record),
        {
            "withdrawal_reason": "Wrong context",
            "version": str(Context.objects.get(pk=context.pk).version),
        },
    )

    html = client.get(reverse("contexts:record_detail", args=[context.pk, record.pk])).content
    html = html.decode()
    assert "Withdrawn" in html and "Wrong context" in html
    assert SLIPPED not in html


def test_the_team_manager_redacts_a_passage(client_for, team_manager, context, rows):
    record = rows["record_pk"]

    response = client_for(team_manager).post(
        url("record_redact", context, record),
        {
            "field": "functioning",
            "passage": SLIPPED,
            "redaction_reason": "A nickname",
            "version": str(Context.objects.get(pk=context.pk).version),
        },
    )

    assert response.status_code == 302
    assert all(SLIPPED not in text for text in history_texts(record))


def test_the_buttons_show_for_those_allowed_only(client_for, practitioner, teammate, context, rows):
    detail = reverse("contexts:record_detail", args=[context.pk, rows["record_pk"].pk])
    author = client_for(practitioner).get(detail).content.decode()
    assert "Correct</a>" in author and "Withdraw</a>" in author
    assert "Redact a passage" not in author
    other = client_for(teammate).get(detail).content.decode()
    assert "Correct</a>" not in other and "Redact a passage" not in other
