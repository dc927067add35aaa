"""The drill-down page and its CSV: team and service managers only; the list holds only records
the reader may open; the download is written to each listed child's access log."""

from datetime import date
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.reference import NatureOfHarm
from csafe.audit.models import AccessChannel, RecordAccess
from csafe.exports.models import ExportJob
from tests.reporting.helpers import CCE, refer

FILTERS = {
    "start_day": "1",
    "start_month": "1",
    "start_year": "2026",
    "end_day": "30",
    "end_month": "6",
    "end_year": "2026",
}
DRILL = {"measure": "referrals_by_month", "column": "extra", "key": "2026-03"}


def settings_login_url():
    from django.conf import settings

    return reverse(settings.LOGIN_URL)


def drill_url(**extra):
    return reverse("reporting:drill") + "?" + urlencode({**DRILL, **FILTERS, **extra})


@pytest.fixture
def referred(young_person, other_young_person, practitioner, other_team_practitioner):
    for actor, person in (
        (practitioner, young_person),
        (other_team_practitioner, other_young_person),
    ):
        refer(actor, person, on=date(2026, 3, 10), nature=NatureOfHarm.EXTRA_FAMILIAL, harms=[CCE])


def test_team_manager_sees_their_teams_young_person_and_not_the_others(
    referred, client_for, team_manager, young_person, other_young_person
):
    response = client_for(team_manager).get(drill_url())
    assert response.status_code == 200
    page = response.content.decode()
    # A team manager's scope is their team: one referral on the dashboard, one young person.
    assert 'data-testid="drill-count">1<' in page
    assert 'data-testid="drill-behind">1<' in page
    assert 'data-testid="drill-visible">1<' in page
    assert "Quillfeather, Zephyrine" in page
    assert reverse("cases:detail", args=[young_person.pk]) in page
    assert other_young_person.last_name not in page
    assert "Referrals with an extra-familial marker: Mar 2026" in page


def test_service_manager_sees_the_count_and_no_child(
    referred, client_for, service_manager, young_person, other_young_person
):
    response = client_for(service_manager).get(drill_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="drill-behind">2<' in page
    assert 'data-testid="drill-visible">0<' in page
    assert "You hold none of these records, so they are counted but not listed." in page
    assert young_person.last_name not in page
    assert other_young_person.last_name not in page
    assert 'data-testid="drill-download"' not in page


def test_service_manager_narrowed_to_a_team(referred, client_for, service_manager, team_a):
    response = client_for(service_manager).get(drill_url(team=team_a.pk))
    assert 'data-testid="drill-behind">1<' in response.content.decode()


@pytest.mark.parametrize("who", ["practitioner", "administrator"])
def test_practitioners_and_administrators_are_refused(referred, client_for, request, who):
    user = request.getfixturevalue(who)
    assert client_for(user).get(drill_url()).status_code == 403
    assert (
        client_for(user).post(reverse("reporting:drill_export"), {**DRILL, **FILTERS}).status_code
        == 403
    )


def test_anonymous_is_sent_to_sign_in(referred, client):
    for response in (
        client.get(drill_url()),
        client.post(reverse("reporting:drill_export"), {**DRILL, **FILTERS}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(settings_login_url())


@pytest.mark.parametrize(
    "extra",
    [
        {"column": "share"},
        {"measure": "contexts_by_kind", "column": "open", "key": "peer_group"},
        {"key": "2026-04x"},
        {"key": "2025-03"},  # a month outside the period: no such row
        {"end_year": "2025"},  # filters with errors
    ],
)
def test_counts_without_a_list_answer_404(referred, client_for, team_manager, extra):
    assert client_for(team_manager).get(drill_url(**extra)).status_code == 404


OWN_TEAM_ONLY = "You can only see figures for your own team\n"


def test_a_team_manager_naming_their_own_team_drills_into_it(
    referred, client_for, team_manager, team_a, young_person
):
    response = client_for(team_manager).get(drill_url(team=team_a.pk))

    assert response.status_code == 200
    assert 'data-testid="drill-visible">1<' in response.content.decode()


def test_a_team_manager_naming_another_team_is_refused(
    referred, client_for, team_manager, team_b, other_young_person
):
    before = RecordAccess.objects.count()
    client = client_for(team_manager)
    page = client.get(drill_url(team=team_b.pk))
    export = client.post(reverse("reporting:drill_export"), {**DRILL, **FILTERS, "team": team_b.pk})

    for response in (page, export):
        assert response.status_code == 400
        assert response.content.decode() == OWN_TEAM_ONLY
        assert other_young_person.last_name not in response.content.decode()
    assert RecordAccess.objects.count() == before
    assert not ExportJob.objects.exists()


def test_a_service_manager_may_name_any_team(referred, client_for, service_manager, team_b):
    response = client_for(service_manager).get(drill_url(team=team_b.pk))

    assert response.status_code == 200
    assert 'data-testid="drill-count">1<' in response.content.decode()


def test_anonymous_visitors_naming_a_team_are_sent_to_sign_in(referred, client, team_b):
    response = client.get(drill_url(team=team_b.pk))

    assert response.status_code == 302
    assert response["Location"].startswith(settings_login_url())


def test_csv_download_lists_the_visible_young_people_and_logs_each(
    referred, client_for, team_manager, young_person, other_young_person
):
    before = RecordAccess.objects.count()
    response = client_for(team_manager).post(
        reverse("reporting:drill_export"), {**DRILL, **FILTERS}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    text = response.content.decode()
    assert young_person.local_identifier in text
    assert other_young_person.local_identifier not in text
    logged = RecordAccess.objects.order_by("pk")[before:]
    assert [(a.young_person_id, a.user_id, a.channel) for a in logged] == [
        (young_person.pk, team_manager.pk, AccessChannel.EXPORT)
    ]


def test_long_list_becomes_a_job_for_the_requester(referred, client_for, team_manager, settings):
    settings.CSAFE_EXPORT_INLINE_ROWS = 0
    response = client_for(team_manager).post(
        reverse("reporting:drill_export"), {**DRILL, **FILTERS}
    )
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert job.requested_by == team_manager
    assert job.params["measure"] == "referrals_by_month"
    assert job.params["start"] == "2026-01-01"


def test_page_costs_the_same_queries_with_one_and_many_young_people(
    client_for, team_manager, practitioner, young_person
):
    from cases.services import young_people as case_services
    from tests.factories import YoungPersonFactory

    refer(practitioner, young_person, on=date(2026, 3, 10), nature=NatureOfHarm.EXTRA_FAMILIAL)
    client = client_for(team_manager)
    with CaptureQueriesContext(connection) as one:
        assert client.get(drill_url()).status_code == 200
    for number in range(6):
        person = YoungPersonFactory(actor=team_manager, last_name=f"Drillby{number}")
        case_services.young_person_allocate_worker(
            actor=team_manager, young_person=person, worker=practitioner
        )
        refer(practitioner, person, on=date(2026, 3, 11), nature=NatureOfHarm.BOTH)
    with CaptureQueriesContext(connection) as many:
        response = client.get(drill_url())
    assert 'data-testid="drill-visible">7<' in response.content.decode()
    assert len(many) == len(one)


def test_a_finished_list_cannot_be_downloaded_after_the_manager_loses_the_team(
    referred,
    client_for,
    team_manager,
    team_b,
    administrator,
    settings,
    django_capture_on_commit_callbacks,
):
    """Access is checked again when the file is handed over, not only when it was written."""
    from csafe.accounts.services import user_update
    from csafe.audit.models import RecordAccess

    settings.CSAFE_EXPORT_INLINE_ROWS = 0
    client = client_for(team_manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reporting:drill_export"), {**DRILL, **FILTERS})
    job = ExportJob.objects.get()
    download = reverse("exports:export_download", args=[job.pk])
    assert client.get(download).status_code == 405  # a download is a POST
    assert client.post(download).status_code == 200
    logged = RecordAccess.objects.count()

    user_update(actor=administrator, user=team_manager, role=team_manager.role, team=team_b)
    response = client_for(team_manager).post(download)
    assert response.status_code == 404
    assert RecordAccess.objects.count() == logged
