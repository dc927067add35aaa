"""/api/v1/young-people/<id>/oversight/: management oversight notes, read by everyone who may
view the record and recorded by a team manager of the holding team, with the pages' messages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import OversightNote
from cases.services.oversight import oversight_note_record
from csafe.audit.models import AccessChannel, RecordAccess
from tests.api_support import api

pytestmark = pytest.mark.django_db

NO_ACCESS = [
    "teammate",
    "other_team_practitioner",
    "other_team_manager",
    "service_manager",
    "administrator",
]
NOT_FOUND = {"detail": "No young person found"}
UNAUTHENTICATED = {"detail": "Authentication credentials were not provided."}
REFUSED = "Only a team manager of the team holding this case can record management oversight"


def oversight_url(young_person) -> str:
    return reverse("young-person-oversight", args=[young_person.pk])


def today():
    return timezone.localdate()


def payload(**overrides) -> dict:
    return {
        "recorded_on": str(today()),
        "decision": "Step down to early help at the next review",
        "reasons": "Attendance is up; no missing episodes",
    } | overrides


class TestList:
    @pytest.mark.parametrize("who", ["practitioner", "team_manager"])
    def test_readers_get_the_notes_newest_first(self, request, team_manager, young_person, who):
        for days, decision in ((20, "Older"), (3, "Newer")):
            oversight_note_record(
                actor=team_manager,
                young_person=young_person,
                recorded_on=today() - timedelta(days=days),
                decision=decision,
                reasons="Reviewed",
                next_review_on=None,
            )

        response = api(request.getfixturevalue(who)).get(oversight_url(young_person))

        assert response.status_code == 200
        rows = response.json()["results"]
        assert [(r["decision"], r["recorded_by"]) for r in rows] == [
            ("Newer", "Mona Tester"),
            ("Older", "Mona Tester"),
        ]
        assert set(rows[0]) == {
            "id",
            "recorded_on",
            "decision",
            "reasons",
            "next_review_on",
            "recorded_by",
            "created_at",
        }
        assert RecordAccess.objects.filter(channel=AccessChannel.API).count() == 1

    @pytest.mark.parametrize("who", NO_ACCESS)
    def test_others_get_404(self, request, young_person, who):
        response = api(request.getfixturevalue(who)).get(oversight_url(young_person))
        assert (response.status_code, response.json()) == (404, NOT_FOUND)

    def test_anonymous_gets_401(self, young_person):
        response = api().get(oversight_url(young_person))
        assert (response.status_code, response.json()) == (401, UNAUTHENTICATED)


class TestRecord:
    def test_the_team_manager_records_it(self, team_manager, young_person):
        due = today() + timedelta(days=90)

        response = api(team_manager).post(
            oversight_url(young_person), payload(next_review_on=str(due)), format="json"
        )

        assert response.status_code == 201
        body = response.json()
        assert (body["recorded_by"], body["next_review_on"]) == ("Mona Tester", str(due))
        assert OversightNote.objects.get().recorded_by == team_manager

    def test_every_missing_field_at_once(self, team_manager, young_person):
        response = api(team_manager).post(
            oversight_url(young_person), {"decision": "", "reasons": ""}, format="json"
        )

        assert (response.status_code, response.json()) == (
            400,
            {
                "recorded_on": ["Enter the date of the oversight"],
                "decision": ["Enter what you decided"],
                "reasons": ["Enter your reasons for the decision"],
            },
        )
        assert not OversightNote.objects.exists()

    def test_the_services_rules_answer_400(self, team_manager, young_person):
        response = api(team_manager).post(
            oversight_url(young_person),
            payload(recorded_on=str(today() + timedelta(days=1))),
            format="json",
        )

        assert (response.status_code, response.json()) == (
            400,
            {"recorded_on": ["The date of the oversight must be today or in the past"]},
        )

    def test_a_practitioner_gets_403_whatever_they_send(self, practitioner, young_person):
        for data in (payload(), {}):
            response = api(practitioner).post(oversight_url(young_person), data, format="json")
            assert (response.status_code, response.json()) == (403, {"detail": REFUSED})
        assert not OversightNote.objects.exists()

    @pytest.mark.parametrize("who", NO_ACCESS)
    def test_others_get_404_and_nothing_is_saved(self, request, young_person, who):
        response = api(request.getfixturevalue(who)).post(
            oversight_url(young_person), payload(), format="json"
        )
        assert (response.status_code, response.json()) == (404, NOT_FOUND)
        assert not OversightNote.objects.exists()

    def test_anonymous_gets_401_and_nothing_is_saved(self, young_person):
        response = api().post(oversight_url(young_person), payload(), format="json")
        assert (response.status_code, response.json()) == (401, UNAUTHENTICATED)
        assert not OversightNote.objects.exists()
