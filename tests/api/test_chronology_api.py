"""/api/v1/young-people/<id>/chronology/: the chronology page's entries, as JSON."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases import services as case_services
from cases.services import documents, notes, relocations
from csafe.audit.models import RecordAccess
from harms.models import ArchiveReason, HarmType
from tests.api_support import api

pytestmark = pytest.mark.django_db

ALLOWED = ["practitioner", "team_manager"]
FORBIDDEN = [
    "teammate",
    "other_team_practitioner",
    "other_team_manager",
    "service_manager",
    "administrator",
]
NOT_FOUND = {"detail": "No young person found"}
GANGS = "Gangs"


def url(young_person) -> str:
    return f"/api/v1/young-people/{young_person.pk}/chronology/"


def note(actor, young_person, noted_on: date, subject: str, body: str = "Seen at home"):
    return notes.case_note_add(
        actor=actor, young_person=young_person, noted_on=noted_on, subject=subject, body=body
    )


@pytest.fixture
def record(practitioner, young_person):
    """Besides the two allocations of today: a referral received on 6 January 2025 (recorded
    today), a note about 3 February, a move on 4 March, and a flag raised on 20 January and
    archived today."""
    case_services.referral_record(
        actor=practitioner,
        young_person=young_person,
        received_on=date(2025, 1, 6),
        source="6",
        reason="Stopped by police with older young people",
        nature_of_harm="not_known",
        decision="advice",
    )
    note(practitioner, young_person, date(2025, 2, 3), "School meeting", "Met the head of year")
    relocations.relocation_record(
        actor=practitioner,
        young_person=young_person,
        moved_on=date(2025, 3, 4),
        kind="within_area",
        reason="Nearer to school",
        because_of_extra_familial_harm=False,
        plan_addresses_factors="no_plan",
    )
    flag = case_services.harm_flag_raise(
        actor=practitioner,
        young_person=young_person,
        harm_type=HarmType.objects.get(name=GANGS),
        identified_at="other",
        identified_on=date(2025, 1, 20),
    )
    case_services.harm_flag_archive(
        actor=practitioner, flag=flag, reason=ArchiveReason.NEVER, rationale="Not in a group"
    )


class TestChronology:
    @pytest.mark.parametrize("who", ALLOWED)
    def test_every_entry_newest_first(self, request, young_person, record, who):
        today = timezone.localdate().isoformat()

        response = api(request.getfixturevalue(who)).get(url(young_person))

        assert response.status_code == 200
        assert response.json() == [
            {
                "on": today,
                "kind": "flag",
                "title": "Harm flag archived: Gangs",
                "by": "Pat Tester",
                "detail": "Never a concern: assessed as absent.",
            },
            {
                "on": today,
                "kind": "allocation",
                "title": "Worker allocated: Pat Tester",
                "by": "Mona Tester",
                "detail": "",
            },
            {
                "on": today,
                "kind": "allocation",
                "title": "Team allocated: Team A",
                "by": "Mona Tester",
                "detail": "",
            },
            {
                "on": "2025-03-04",
                "kind": "relocation",
                "title": "Relocation: Move within the area",
                "by": "Pat Tester",
                "detail": "Plan addresses the contextual factors: No plan in force.",
            },
            {
                "on": "2025-02-03",
                "kind": "note",
                "title": "Case note: School meeting",
                "by": "Pat Tester",
                "detail": "Met the head of year",
            },
            {
                "on": "2025-01-20",
                "kind": "flag",
                "title": "Harm flag raised: Gangs",
                "by": "Pat Tester",
                "detail": "Extra-familial, identified at Other.",
            },
            {
                "on": "2025-01-06",
                "kind": "referral",
                "title": "Referral received",
                "by": "Pat Tester",
                "detail": (
                    "From Police. Nature of harm: Not yet known. Decision: Advice or signposting."
                ),
            },
        ]

    def test_one_kind(self, practitioner, young_person, record):
        response = api(practitioner).get(url(young_person), {"kind": "flag"})

        assert response.status_code == 200
        assert [(row["kind"], row["title"]) for row in response.json()] == [
            ("flag", "Harm flag archived: Gangs"),
            ("flag", "Harm flag raised: Gangs"),
        ]

    def test_several_kinds(self, practitioner, young_person, record):
        response = api(practitioner).get(url(young_person), {"kind": ["referral", "note"]})

        assert response.status_code == 200
        assert [(row["on"], row["title"]) for row in response.json()] == [
            ("2025-02-03", "Case note: School meeting"),
            ("2025-01-06", "Referral received"),
        ]

    def test_an_unknown_kind_beside_known_ones_is_ignored(self, practitioner, young_person, record):
        response = api(practitioner).get(url(young_person), {"kind": ["note", "nonsense"]})

        assert response.status_code == 200
        assert [row["title"] for row in response.json()] == ["Case note: School meeting"]

    @pytest.mark.parametrize("kind", ["nonsense", ""])
    def test_only_unknown_kinds_give_everything(self, practitioner, young_person, record, kind):
        everything = api(practitioner).get(url(young_person)).json()

        response = api(practitioner).get(url(young_person), {"kind": kind})

        assert response.status_code == 200
        assert response.json() == everything
        assert len(everything) == 7

    def test_same_day_entries_in_the_order_recorded(self, practitioner, young_person):
        day = date(2025, 5, 2)
        note(practitioner, young_person, day, "First")
        note(practitioner, young_person, day, "Second")
        note(practitioner, young_person, day, "Third")

        response = api(practitioner).get(url(young_person), {"kind": "note"})

        assert [row["title"] for row in response.json()] == [
            "Case note: Third",
            "Case note: Second",
            "Case note: First",
        ]

    def test_nothing_from_another_young_persons_record(
        self,
        settings,
        tmp_path,
        practitioner,
        young_person,
        other_team_practitioner,
        other_young_person,
    ):
        settings.MEDIA_ROOT = tmp_path
        note(
            other_team_practitioner,
            other_young_person,
            date(2025, 2, 2),
            "Seen with Peregrina Oddwhistle",
            "Bartholomew and Peregrina Oddwhistle were at the canal",
        )
        documents.document_upload(
            actor=other_team_practitioner,
            young_person=other_young_person,
            uploaded=SimpleUploadedFile("b.txt", b"About Bartholomew"),
            title="Bartholomew Nettlecombe school report",
        )
        note(practitioner, young_person, date(2025, 2, 2), "Own visit")

        response = api(practitioner).get(url(young_person))

        body = response.content.decode()
        assert response.status_code == 200
        for name in ("Bartholomew", "Nettlecombe", "Peregrina", "Oddwhistle"):
            assert name not in body
        assert [row["title"] for row in response.json()] == [
            "Worker allocated: Pat Tester",
            "Team allocated: Team A",
            "Case note: Own visit",
        ]

    @pytest.mark.parametrize("who", ALLOWED)
    def test_each_read_writes_one_access_log_row(self, request, young_person, who):
        user = request.getfixturevalue(who)

        api(user).get(url(young_person), {"kind": "note"})

        assert list(
            RecordAccess.objects.values_list("young_person", "user", "channel", "resource")
        ) == [(young_person.pk, user.pk, "api", url(young_person))]

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_others_get_404_and_no_access_is_logged(self, request, practitioner, young_person, who):
        note(practitioner, young_person, date(2025, 1, 2), "Phone call")

        response = api(request.getfixturevalue(who)).get(url(young_person))

        assert (response.status_code, response.json()) == (404, NOT_FOUND)
        assert "Phone call" not in response.content.decode()
        assert not RecordAccess.objects.exists()

    def test_an_unknown_young_person_is_404(self, practitioner, young_person):
        unknown = f"/api/v1/young-people/{young_person.pk + 1000}/chronology/"

        response = api(practitioner).get(unknown)

        assert (response.status_code, response.json()) == (404, NOT_FOUND)
        assert not RecordAccess.objects.exists()

    def test_anonymous_gets_401(self, young_person):
        response = api().get(url(young_person))

        assert response.status_code == 401
        assert response.json() == {"detail": "Authentication credentials were not provided."}
        assert not RecordAccess.objects.exists()

    def test_read_only(self, practitioner, young_person):
        response = api(practitioner).post(url(young_person), {}, format="json")

        assert response.status_code == 405
        assert not RecordAccess.objects.exists()

    def test_in_the_schema(self, practitioner):
        response = api(practitioner).get("/api/schema/", {"format": "json"})

        assert response.status_code == 200
        operation = response.json()["paths"]["/api/v1/young-people/{id}/chronology/"]["get"]
        kind = next(p for p in operation["parameters"] if p["name"] == "kind")
        assert sorted(kind["schema"]["items"]["enum"]) == [
            "allocation",
            "assessment",
            "document",
            "flag",
            "note",
            "oversight",
            "plan",
            "referral",
            "relocation",
        ]
        assert kind["in"] == "query"
