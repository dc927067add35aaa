"""The "Work for you" page (workspace:worktray) and the header's count: who may use it, what
each role's rows show and link to, the worker filter and the list access log."""

from __future__ import annotations

import pytest
from django.urls import reverse

from csafe.audit.models import AccessChannel, RecordAccess
from tests.html_pages import page_of, table_rows, text_of
from tests.workspace import worktray_support as support

pytestmark = pytest.mark.django_db

WORKTRAY = reverse("workspace:worktray")
SIGN_IN = reverse("accounts:login")


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(WORKTRAY)
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)


@pytest.mark.parametrize("who", ["service_manager", "administrator"])
def test_people_without_casework_are_refused(client_for, request, who):
    user = request.getfixturevalue(who)
    response = client_for(user).get(WORKTRAY)
    assert response.status_code == 403
    assert "You cannot use this page" in page_of(response)
    # Nor is the page offered to them, nor a count.
    home = client_for(user).get(reverse("workspace:home"))
    assert WORKTRAY not in page_of(home)
    assert home.context["work_count"] is None


def test_a_team_manager_finds_the_completed_assessment_and_opens_it(
    client_for, practitioner, team_manager, young_person
):
    assessment = support.completed_assessment(practitioner, young_person, completed_days_ago=3)
    response = client_for(team_manager).get(WORKTRAY)
    assert response.status_code == 200
    page = page_of(response)
    assert table_rows(page, "worktray-table") == [
        [
            "Assessments awaiting authorisation "
            # text_of reads the visually hidden span as a word of its own.
            f"Assessment completed {support.long(support.days_ago(3))} , "
            f"Zephyrine Quillfeather ({young_person.local_identifier})",
            f"Zephyrine Quillfeather ({young_person.local_identifier})",
            str(practitioner),
            f"Since {support.short(support.days_ago(3))}",
        ],
    ]
    url = reverse("cases:assessment_detail", args=[young_person.pk, assessment.pk])
    assert f'href="{url}"' in page
    assert "Work for you (1)" in text_of(page)


def test_another_teams_manager_and_practitioner_see_nothing_of_it(
    client_for, practitioner, young_person, other_team_manager, other_team_practitioner, teammate
):
    # Work for the manager and for the allocated practitioner, none of it anyone else's.
    support.completed_assessment(practitioner, young_person)
    support.flag(practitioner, young_person, review_days=-1)
    for user in (other_team_manager, other_team_practitioner, teammate):
        page = page_of(client_for(user).get(WORKTRAY))
        assert "Quillfeather" not in page
        assert young_person.local_identifier not in page
        assert "Nothing is waiting for you." in page
        assert "Work for you (0)" in text_of(page)


def test_authorising_takes_the_row_and_the_count_away(
    client_for, practitioner, team_manager, young_person
):
    assessment = support.completed_assessment(practitioner, young_person)
    client = client_for(team_manager)
    assert "Work for you (1)" in text_of(page_of(client.get(reverse("workspace:home"))))
    support.authorise(team_manager, assessment)
    page = page_of(client.get(WORKTRAY))
    assert "Nothing is waiting for you." in page
    assert "Work for you (0)" in text_of(page)


def test_a_practitioner_sees_work_returned_to_them(
    client_for, practitioner, team_manager, young_person
):
    assessment = support.completed_assessment(practitioner, young_person)
    support.return_for_more_work(team_manager, assessment)
    page = page_of(client_for(practitioner).get(WORKTRAY))
    rows = table_rows(page, "worktray-table")
    assert rows[0][0] == (
        "Assessments returned for more work "
        f"Assessment returned {support.long(support.today())} , "
        f"Zephyrine Quillfeather ({young_person.local_identifier})"
    )
    # A practitioner's tray has no worker filter.
    assert 'name="worker"' not in page


def test_the_manager_filters_by_worker(
    client_for, practitioner, teammate, team_manager, young_person
):
    theirs = support.allocated_young_person(team_manager, teammate, last_name="Ravensworth")
    support.completed_assessment(practitioner, young_person)
    support.completed_assessment(teammate, theirs)
    client = client_for(team_manager)
    page = page_of(client.get(WORKTRAY, {"worker": teammate.pk}))
    assert "Ravensworth" in page
    assert "Quillfeather" not in page
    assert f'<option value="{teammate.pk}" selected>' in page
    page = page_of(client.get(WORKTRAY))
    assert "Ravensworth" in page and "Quillfeather" in page


def test_the_filter_offers_only_the_teams_workers(
    client_for, practitioner, teammate, team_manager, other_team_practitioner
):
    page = page_of(client_for(team_manager).get(WORKTRAY))
    assert f'<option value="{practitioner.pk}">' in page
    assert f'<option value="{teammate.pk}">' in page
    assert f'<option value="{other_team_practitioner.pk}">' not in page
    # Someone else's id shows the whole tray, as an unknown choice does.
    response = client_for(team_manager).get(WORKTRAY, {"worker": other_team_practitioner.pk})
    assert response.status_code == 200


def test_the_young_people_listed_are_written_to_the_access_log(
    client_for, practitioner, teammate, team_manager, young_person
):
    support.completed_assessment(practitioner, young_person)
    client_for(team_manager).get(WORKTRAY)
    logged = RecordAccess.objects.filter(channel=AccessChannel.LIST, user=team_manager)
    assert list(logged.values_list("young_person_id", "resource")) == [(young_person.pk, WORKTRAY)]
    # One's own allocated young people, seen every day as one's work, are not logged.
    support.return_for_more_work(team_manager, young_person.assessments.get())
    client_for(practitioner).get(WORKTRAY)
    assert not RecordAccess.objects.filter(channel=AccessChannel.LIST, user=practitioner).exists()
