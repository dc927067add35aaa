"""/api/v1/young-people/<id>/notes/ and /documents/: the same rules, messages and access as the
pages, with downloads logged as such."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases import files
from cases.models import CaseNote, Document
from cases.services.notes import case_note_add
from csafe.audit.models import AccessChannel, Event, RecordAccess
from tests.api_support import api
from tests.cases.document_support import (
    EXE_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    WRONG_TYPE,
    add_document,
    files_on_disk,
    word_document,
)
from tests.factories import YoungPersonFactory

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
NO_DOCUMENT = {"detail": "No document found"}
UNAUTHENTICATED = {"detail": "Authentication credentials were not provided."}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def notes_url(young_person) -> str:
    return f"/api/v1/young-people/{young_person.pk}/notes/"


def documents_url(young_person) -> str:
    return f"/api/v1/young-people/{young_person.pk}/documents/"


def file_url(young_person, document) -> str:
    return f"/api/v1/young-people/{young_person.pk}/documents/{document.pk}/file/"


def add_note(actor, young_person, **overrides) -> CaseNote:
    arguments = {"noted_on": date(2025, 3, 4), "subject": "Home visit", "body": "Seen."}
    return case_note_add(actor=actor, young_person=young_person, **(arguments | overrides))


def note_payload(**extra) -> dict:
    return {
        "noted_on": "2025-03-04",
        "subject": "Strategy discussion",
        "body": "Agreed a safety plan.",
    } | extra


def notes_written() -> dict[str, int]:
    return {
        "notes": CaseNote.objects.count(),
        "events": Event.objects.filter(kind="case_note.added").count(),
    }


def documents_written() -> dict[str, int]:
    return {
        "documents": Document.objects.count(),
        "events": Event.objects.filter(kind="document.uploaded").count(),
    }


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """A MEDIA_ROOT of this test's own, for every test here."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# --- Notes ---------------------------------------------------------------------------------


class TestNoteList:
    @pytest.mark.parametrize("who", ALLOWED)
    def test_viewers_list_the_notes_newest_first(self, request, practitioner, young_person, who):
        older = add_note(practitioner, young_person, noted_on=date(2025, 1, 2))
        newer = add_note(practitioner, young_person, noted_on=date(2025, 2, 3), subject="Later")

        response = api(request.getfixturevalue(who)).get(notes_url(young_person))

        assert response.status_code == 200
        body = response.json()
        assert (body["count"], body["next"], body["previous"]) == (2, None, None)
        assert [row["id"] for row in body["results"]] == [newer.pk, older.pk]
        assert body["results"][0] == {
            "id": newer.pk,
            "noted_on": "2025-02-03",
            "subject": "Later",
            "body": "Seen.",
            "author": "Pat Tester",
            "created_at": body["results"][0]["created_at"],
        }

    def test_only_this_young_persons_notes(
        self, practitioner, other_team_practitioner, young_person, other_young_person
    ):
        add_note(other_team_practitioner, other_young_person)

        response = api(practitioner).get(notes_url(young_person))

        assert (response.status_code, response.json()["results"]) == (200, [])

    def test_each_list_writes_the_access_log(self, practitioner, young_person):
        api(practitioner).get(notes_url(young_person))

        assert list(RecordAccess.objects.values_list("user", "channel", "resource")) == [
            (practitioner.pk, AccessChannel.API, notes_url(young_person))
        ]

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_others_get_404(self, request, practitioner, young_person, who):
        add_note(practitioner, young_person, subject="Private subject")

        response = api(request.getfixturevalue(who)).get(notes_url(young_person))

        assert (response.status_code, response.json()) == (404, NOT_FOUND)
        assert "Private subject" not in response.content.decode()
        assert not RecordAccess.objects.exists()

    def test_anonymous_gets_401(self, young_person):
        response = api().get(notes_url(young_person))

        assert (response.status_code, response.json()) == (401, UNAUTHENTICATED)


class TestNoteListQueries:
    # 1 the young person, if the user may view it (guardian's lookups are subqueries inside);
    # 2 INSERT of the access log row; 3 COUNT of the notes (pagination); 4 one page of notes
    # with their authors joined. force_authenticate means no session or user queries.
    EXPECTED = 4

    @pytest.mark.parametrize("count", [1, 30])
    def test_the_same_for_one_note_or_many(
        self, practitioner, team_manager, young_person, django_assert_num_queries, count
    ):
        for number in range(count):
            add_note(team_manager if number % 2 else practitioner, young_person)
        client = api(practitioner)
        client.get(notes_url(young_person))  # warm the process-wide caches

        with django_assert_num_queries(self.EXPECTED):
            response = client.get(notes_url(young_person))

        assert len(response.json()["results"]) == count


class TestNoteCreate:
    @pytest.mark.parametrize("who", ALLOWED)
    def test_those_who_may_change_the_record_get_201(self, request, young_person, who):
        actor = request.getfixturevalue(who)

        response = api(actor).post(notes_url(young_person), note_payload(), format="json")

        assert response.status_code == 201
        note = CaseNote.objects.get()
        assert response.json() == {
            "id": note.pk,
            "noted_on": "2025-03-04",
            "subject": "Strategy discussion",
            "body": "Agreed a safety plan.",
            "author": actor.get_full_name(),
            "created_at": response.json()["created_at"],
        }
        assert (note.young_person, note.author) == (young_person, actor)
        assert Event.objects.filter(kind="case_note.added", young_person=young_person).count() == 1

    @pytest.mark.parametrize(
        ("payload", "errors"),
        [
            (
                {},
                {
                    "noted_on": ["Enter the date of the contact or event"],
                    "subject": ["Enter a subject for the note"],
                    "body": ["Enter the note"],
                },
            ),
            (
                note_payload(subject="  ", body=""),
                {"subject": ["Enter a subject for the note"], "body": ["Enter the note"]},
            ),
            (
                note_payload(subject="x" * 201),
                {"subject": ["The subject must be 200 characters or fewer"]},
            ),
        ],
    )
    def test_bad_input_is_400_with_field_errors(self, practitioner, young_person, payload, errors):
        before = notes_written()

        response = api(practitioner).post(notes_url(young_person), payload, format="json")

        assert (response.status_code, response.json()) == (400, errors)
        assert notes_written() == before

    def test_a_future_date_is_refused_by_the_service(self, practitioner, young_person):
        tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
        before = notes_written()

        response = api(practitioner).post(
            notes_url(young_person), note_payload(noted_on=tomorrow), format="json"
        )

        assert (response.status_code, response.json()) == (
            400,
            {"noted_on": ["The date of the contact or event must be today or in the past"]},
        )
        assert notes_written() == before

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_others_get_404_and_nothing_is_saved(self, request, young_person, who):
        response = api(request.getfixturevalue(who)).post(
            notes_url(young_person), note_payload(), format="json"
        )

        assert (response.status_code, response.json()) == (404, NOT_FOUND)
        assert notes_written() == {"notes": 0, "events": 0}

    def test_anonymous_gets_401_and_nothing_is_saved(self, young_person):
        response = api().post(notes_url(young_person), note_payload(), format="json")

        assert response.status_code == 401
        assert notes_written() == {"notes": 0, "events": 0}

    def test_notes_cannot_be_changed_or_deleted(self, practitioner, young_person):
        add_note(practitioner, young_person)
        client = api(practitioner)

        assert client.put(notes_url(young_person), note_payload()).status_code == 405
        assert client.delete(notes_url(young_person)).status_code == 405
        assert CaseNote.objects.get().subject == "Home visit"


# --- Documents -----------------------------------------------------------------------------


class TestDocumentList:
    @pytest.mark.parametrize("who", ALLOWED)
    def test_viewers_list_the_documents_newest_first(
        self, request, media, practitioner, young_person, who
    ):
        older = add_document(practitioner, young_person, title="Minutes")
        newer = add_document(
            practitioner, young_person, name="map.png", content=PNG_BYTES, title="Map"
        )

        response = api(request.getfixturevalue(who)).get(documents_url(young_person))

        assert response.status_code == 200
        body = response.json()
        assert [row["id"] for row in body["results"]] == [newer.pk, older.pk]
        assert body["results"][0] == {
            "id": newer.pk,
            "kind": "general",
            "assessment": None,
            "title": "Map",
            "shaped_conclusion": "",
            "original_name": "map.png",
            "content_type": "image/png",
            "size": len(PNG_BYTES),
            "sha256": newer.sha256,
            "uploaded_by": "Pat Tester",
            "uploaded_at": body["results"][0]["uploaded_at"],
            "file": file_url(young_person, newer),
        }
        assert newer.stored_name not in response.content.decode()

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_others_get_404(self, request, media, practitioner, young_person, who):
        add_document(practitioner, young_person, title="Private title")

        response = api(request.getfixturevalue(who)).get(documents_url(young_person))

        assert (response.status_code, response.json()) == (404, NOT_FOUND)
        assert "Private title" not in response.content.decode()

    def test_anonymous_gets_401(self, young_person):
        assert api().get(documents_url(young_person)).status_code == 401

    # 1 the young person (guardian subqueries inside); 2 INSERT of the access log row; 3 COUNT
    # of the documents; 4 one page of documents with uploader and assessment joined.
    @pytest.mark.parametrize("count", [1, 30])
    def test_query_count_is_the_same_for_one_or_many(
        self, media, practitioner, team_manager, young_person, django_assert_num_queries, count
    ):
        for number in range(count):
            add_document(team_manager if number % 2 else practitioner, young_person)
        client = api(practitioner)
        client.get(documents_url(young_person))

        with django_assert_num_queries(4):
            response = client.get(documents_url(young_person))

        assert len(response.json()["results"]) == count


class TestDocumentUpload:
    @pytest.mark.parametrize("who", ALLOWED)
    def test_uploading_a_word_document(self, request, media, young_person, who):
        actor = request.getfixturevalue(who)
        content = word_document()

        response = api(actor).post(
            documents_url(young_person),
            {"title": "Safety plan", "file": SimpleUploadedFile("plan.docx", content)},
            format="multipart",
        )

        assert response.status_code == 201
        document = Document.objects.get()
        assert response.json() | {"uploaded_at": None} == {
            "id": document.pk,
            "kind": "general",
            "assessment": None,
            "title": "Safety plan",
            "shaped_conclusion": "",
            "original_name": "plan.docx",
            "content_type": DOCX,
            "size": len(content),
            "sha256": document.sha256,
            "uploaded_by": actor.get_full_name(),
            "uploaded_at": None,
            "file": file_url(young_person, document),
        }
        assert files_on_disk(media) == [
            media / "documents" / document.stored_name[:2] / document.stored_name
        ]

    @pytest.mark.parametrize(
        ("data", "errors"),
        [
            (
                {},
                {
                    "file": ["Select a file to upload"],
                    "title": ["Enter a title for the document"],
                },
            ),
            ({"title": "Report", "file": ("report.pdf", EXE_BYTES)}, {"file": [WRONG_TYPE]}),
            ({"title": "Report", "file": ("r.pdf", b"")}, {"file": ["The selected file is empty"]}),
            (
                {"title": "Report", "file": ("r.pdf", PDF_BYTES.ljust(2048, b" "))},
                {"file": ["The selected file must be 1 KB or smaller"]},
            ),
            (
                {"title": "x" * 201, "file": ("r.pdf", PDF_BYTES)},
                {"title": ["The title must be 200 characters or fewer"]},
            ),
        ],
    )
    def test_refusals_are_400_and_nothing_is_saved(
        self, settings, media, practitioner, young_person, data, errors
    ):
        settings.CSAFE_DOCUMENT_MAX_BYTES = 1024
        if "file" in data:
            data = data | {"file": SimpleUploadedFile(*data["file"])}
        before = documents_written()

        response = api(practitioner).post(documents_url(young_person), data, format="multipart")

        assert (response.status_code, response.json()) == (400, errors)
        assert documents_written() == before
        assert files_on_disk(media) == []

    def test_json_is_not_accepted(self, media, practitioner, young_person):
        response = api(practitioner).post(
            documents_url(young_person), {"title": "Minutes", "file": "JVBERi0="}, format="json"
        )

        assert response.status_code == 415
        assert documents_written() == {"documents": 0, "events": 0}

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_others_get_404_and_nothing_is_saved(self, request, media, young_person, who):
        response = api(request.getfixturevalue(who)).post(
            documents_url(young_person),
            {"title": "Minutes", "file": SimpleUploadedFile("m.pdf", PDF_BYTES)},
            format="multipart",
        )

        assert (response.status_code, response.json()) == (404, NOT_FOUND)
        assert documents_written() == {"documents": 0, "events": 0}
        assert files_on_disk(media) == []

    def test_anonymous_gets_401_and_nothing_is_saved(self, media, young_person):
        response = api().post(
            documents_url(young_person),
            {"title": "Minutes", "file": SimpleUploadedFile("m.pdf", PDF_BYTES)},
            format="multipart",
        )

        assert response.status_code == 401
        assert documents_written() == {"documents": 0, "events": 0}
        assert files_on_disk(media) == []


class TestDocumentFile:
    @pytest.mark.parametrize("who", ALLOWED)
    def test_viewers_get_the_bytes_and_the_download_is_logged(
        self, request, media, practitioner, young_person, who
    ):
        document = add_document(practitioner, young_person, name="minutes.pdf")
        viewer = request.getfixturevalue(who)

        response = api(viewer).get(file_url(young_person, document))

        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="minutes.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert list(
            RecordAccess.objects.values_list("user", "young_person", "channel", "resource")
        ) == [
            (viewer.pk, young_person.pk, AccessChannel.DOWNLOAD, file_url(young_person, document))
        ]

    def test_asking_for_the_files_own_type_is_not_refused(self, media, practitioner, young_person):
        document = add_document(practitioner, young_person)

        response = api(practitioner).get(
            file_url(young_person, document), HTTP_ACCEPT="application/pdf"
        )

        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_others_get_404_and_no_bytes(self, request, media, practitioner, young_person, who):
        document = add_document(practitioner, young_person)

        response = api(request.getfixturevalue(who)).get(file_url(young_person, document))

        assert (response.status_code, response.json()) == (404, NO_DOCUMENT)
        assert PDF_BYTES not in response.content
        assert not RecordAccess.objects.exists()

    def test_another_young_persons_document_through_this_record_is_404(
        self, media, team_manager, young_person
    ):
        other = YoungPersonFactory(actor=team_manager)
        theirs = add_document(team_manager, other)

        response = api(team_manager).get(
            f"/api/v1/young-people/{young_person.pk}/documents/{theirs.pk}/file/"
        )

        assert (response.status_code, response.json()) == (404, NO_DOCUMENT)
        assert not RecordAccess.objects.exists()

    def test_anonymous_gets_401(self, media, practitioner, young_person):
        document = add_document(practitioner, young_person)

        response = api().get(file_url(young_person, document))

        assert (response.status_code, response.json()) == (401, UNAUTHENTICATED)
        assert not RecordAccess.objects.exists()

    def test_a_missing_file_is_404_without_a_log(self, media, practitioner, young_person):
        document = add_document(practitioner, young_person)
        files.discard(document.stored_name)

        response = api(practitioner).get(file_url(young_person, document))

        assert (response.status_code, response.json()) == (
            404,
            {"detail": "The file for this document is missing"},
        )
        # The file is opened before the log is written: nothing given, nothing logged.
        assert not RecordAccess.objects.exists()


class TestSchema:
    def test_upload_is_multipart_and_the_file_is_binary(self, practitioner):
        response = api(practitioner).get("/api/schema/", {"format": "json"})

        paths = response.json()["paths"]
        upload = paths["/api/v1/young-people/{young_person_pk}/documents/"]["post"]
        assert list(upload["requestBody"]["content"]) == ["multipart/form-data"]
        download = paths["/api/v1/young-people/{young_person_pk}/documents/{id}/file/"]["get"]
        content = download["responses"]["200"]["content"]
        assert content["application/pdf"]["schema"] == {"type": "string", "format": "binary"}
        assert set(content) == {"application/pdf", "image/png", "image/jpeg", DOCX, "text/plain"}
        notes = paths["/api/v1/young-people/{young_person_pk}/notes/"]
        assert set(notes) >= {"get", "post"}
