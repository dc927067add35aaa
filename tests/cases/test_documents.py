"""Documents: recognising a file by its content, the size limit, storing under a random name
outside any URL, the permission-checked and logged download, and the list and upload pages.

Every test that stores a file points MEDIA_ROOT at its own temporary directory.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import time

import pytest
from django.conf import global_settings
from django.conf import settings as django_settings
from django.test import Client, RequestFactory
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from django.views.static import serve

from cases import files
from cases.models import Document
from cases.services.documents import document_orphans_remove, document_upload
from cases.views.records import PER_PAGE
from csafe.audit.models import AccessChannel, Event, RecordAccess
from csafe.core.errors import ApplicationError
from tests.cases.document_support import (
    EXE_BYTES,
    JPEG_BYTES,
    MACRO_MAIN,
    PDF_BYTES,
    PNG_BYTES,
    WRONG_TYPE,
    add_document,
    files_on_disk,
    plain_zip,
    upload,
    word_document,
)
from tests.cases.helpers import detail_url, sign_in_redirect
from tests.factories import YoungPersonFactory
from tests.html_pages import error_summary, field_errors, text_of

pytestmark = pytest.mark.django_db

ALLOWED = ["practitioner", "team_manager"]
FORBIDDEN = [
    "teammate",
    "other_team_practitioner",
    "other_team_manager",
    "service_manager",
    "administrator",
]
CANNOT_CHANGE = "You cannot change this young person's record"


def written() -> dict[str, int]:
    return {
        "documents": Document.objects.count(),
        "document history": Document.history.count(),
        "events": Event.objects.filter(kind="document.uploaded").count(),
    }


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """A MEDIA_ROOT of this test's own, for every test here, so that no test can leave a file
    in the real one."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def list_url(young_person) -> str:
    return reverse("cases:document_list", args=[young_person.pk])


def new_url(young_person) -> str:
    return reverse("cases:document_new", args=[young_person.pk])


def download_url(young_person, document) -> str:
    return reverse("cases:document_download", args=[young_person.pk, document.pk])


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


# --- Recognising a file by its content --------------------------------------------------------


class TestContentSniffing:
    @pytest.mark.parametrize(
        ("content", "expected"),
        [
            (PDF_BYTES, "application/pdf"),
            (PNG_BYTES, "image/png"),
            (JPEG_BYTES, "image/jpeg"),
            (
                word_document(),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
            (b"Visit notes\r\nSeen at school.\tAll well.\n", "text/plain"),
            ("Bus fare £2.50, café on the corner".encode(), "text/plain"),
            ("\ufeffWith a byte order mark".encode(), "text/plain"),
            # Windows-1252, as an older Notepad saves "£" and curly quotes.
            (b"Cost \xa312 \x93quoted\x94\n", "text/plain"),
        ],
    )
    def test_allowed_types_are_recognised(self, content, expected):
        assert files.sniff_content_type(upload("whatever.bin", content)) == expected

    @pytest.mark.parametrize(
        "content",
        [
            pytest.param(EXE_BYTES, id="windows program"),
            pytest.param(b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8, id="linux program"),
            pytest.param(plain_zip(), id="zip that is not a docx"),
            pytest.param(word_document(MACRO_MAIN), id="macro-enabled word document"),
            pytest.param(
                word_document(extra={"word/vbaProject.bin": b"\x00macro"}), id="docx with macros"
            ),
            pytest.param(b"PK\x03\x04 truncated, not really a zip", id="broken zip"),
            pytest.param(b"Meeting notes\x00\x00\x00more", id="text with NUL bytes"),
            pytest.param(b"A" * 5000 + b"\x00" + b"B" * 10, id="NUL after the first 4 KB"),
            pytest.param(b"text with a bell \x07 in it", id="control character"),
            pytest.param(b"GIF89a\x01\x00\x01\x00\x80\x00\x00", id="gif"),
            pytest.param(b"Mixed \xe9 then \x81 undefined", id="neither utf-8 nor cp1252"),
        ],
    )
    def test_anything_else_is_refused(self, content):
        assert files.sniff_content_type(upload("report.pdf", content)) is None

    def test_sniffing_leaves_the_file_at_its_start(self):
        uploaded = upload("notes.docx", word_document())

        files.sniff_content_type(uploaded)

        assert uploaded.read(4) == b"PK\x03\x04"


class TestUploadRefusals:
    @pytest.mark.parametrize(
        ("name", "content", "claimed"),
        [
            ("report.pdf", EXE_BYTES, "application/pdf"),
            ("minutes.docx", plain_zip(), "application/vnd.openxmlformats-officedocument"),
            ("notes.txt", b"Seen at school\x00\x00", "text/plain"),
            ("photo.png", b"<html><script>alert(1)</script>\x00", "image/png"),
        ],
    )
    def test_a_file_whose_content_is_not_allowed_is_refused_whatever_its_name(
        self, media, practitioner, young_person, name, content, claimed
    ):
        before = written()

        with pytest.raises(ApplicationError) as refused:
            document_upload(
                actor=practitioner,
                young_person=young_person,
                uploaded=upload(name, content, claimed),
                title="Report",
            )

        assert (refused.value.field, refused.value.message) == ("file", WRONG_TYPE)
        assert written() == before
        assert files_on_disk(media) == []

    @pytest.mark.parametrize(
        ("limit", "size", "message"),
        [
            (1024, 1025, "The selected file must be 1 KB or smaller"),
            (2 * 1024 * 1024, 2 * 1024 * 1024 + 1, "The selected file must be 2 MB or smaller"),
            (1000, 1001, "The selected file must be 1,000 bytes or smaller"),
        ],
    )
    def test_a_file_over_the_size_limit_is_refused(
        self, settings, media, practitioner, young_person, limit, size, message
    ):
        settings.CSAFE_DOCUMENT_MAX_BYTES = limit
        before = written()

        with pytest.raises(ApplicationError) as refused:
            add_document(practitioner, young_person, content=PDF_BYTES.ljust(size, b" "))

        assert (refused.value.field, refused.value.message) == ("file", message)
        assert written() == before
        assert files_on_disk(media) == []

    def test_a_file_of_exactly_the_limit_is_kept(self, settings, media, practitioner, young_person):
        settings.CSAFE_DOCUMENT_MAX_BYTES = 1024

        document = add_document(practitioner, young_person, content=PDF_BYTES.ljust(1024, b" "))

        assert document.size == 1024

    @pytest.mark.parametrize(
        ("arguments", "field", "message"),
        [
            ({"uploaded": None}, "file", "Select a file to upload"),
            ({"uploaded": upload("empty.pdf", b"")}, "file", "The selected file is empty"),
            ({"title": "  "}, "title", "Enter a title for the document"),
            ({"title": "x" * 201}, "title", "The title must be 200 characters or fewer"),
        ],
    )
    def test_missing_or_bad_input(
        self, media, practitioner, young_person, arguments, field, message
    ):
        before = written()

        with pytest.raises(ApplicationError) as refused:
            document_upload(
                actor=practitioner,
                young_person=young_person,
                **({"uploaded": upload("a.pdf", PDF_BYTES), "title": "Minutes"} | arguments),
            )

        assert (refused.value.field, refused.value.message) == (field, message)
        assert written() == before
        assert files_on_disk(media) == []

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_those_who_may_not_change_the_record_are_refused(
        self, request, media, young_person, who
    ):
        with pytest.raises(ApplicationError) as refused:
            add_document(request.getfixturevalue(who), young_person)

        assert refused.value.message == CANNOT_CHANGE
        assert Document.objects.count() == 0
        assert files_on_disk(media) == []

    def test_a_failure_after_the_bytes_are_written_removes_them(
        self, media, monkeypatch, practitioner, young_person
    ):
        def broken_event(**kwargs):
            raise RuntimeError("the audit table is unavailable")

        monkeypatch.setattr("cases.services.documents.event_record", broken_event)

        with pytest.raises(RuntimeError):
            add_document(practitioner, young_person)

        assert written() == {"documents": 0, "document history": 0, "events": 0}
        assert files_on_disk(media) == []


# --- Storing -----------------------------------------------------------------------------------


class TestStoring:
    @pytest.mark.parametrize("who", ALLOWED)
    def test_the_file_is_kept_under_a_random_name_outside_any_url(
        self, request, media, young_person, who
    ):
        actor = request.getfixturevalue(who)

        document = add_document(actor, young_person, name="Strategy minutes.pdf")

        assert re.fullmatch(r"[0-9a-f]{48}", document.stored_name)
        assert "minutes" not in document.stored_name.lower()
        path = media / "documents" / document.stored_name[:2] / document.stored_name
        assert files_on_disk(media) == [path]
        assert path.read_bytes() == PDF_BYTES
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        document.refresh_from_db()
        assert (
            document.young_person,
            document.kind,
            document.title,
            document.original_name,
            document.content_type,
            document.size,
            document.uploaded_by,
        ) == (
            young_person,
            "general",
            "Minutes",
            "Strategy minutes.pdf",
            "application/pdf",
            len(PDF_BYTES),
            actor,
        )
        assert document.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
        event = Event.objects.get(kind="document.uploaded")
        assert (event.actor, event.young_person, event.target_id, event.detail) == (
            actor,
            young_person,
            str(document.pk),
            {"kind": "general", "content_type": "application/pdf", "size": len(PDF_BYTES)},
        )
        assert [h.history_user for h in document.history.all()] == [actor]

    def test_two_uploads_of_the_same_file_get_different_names(
        self, media, practitioner, young_person
    ):
        first = add_document(practitioner, young_person)
        second = add_document(practitioner, young_person)

        assert first.stored_name != second.stored_name
        assert len(files_on_disk(media)) == 2

    def test_a_real_pdf_named_as_text_is_kept_as_a_pdf(self, media, practitioner, young_person):
        document = add_document(practitioner, young_person, name="notes.txt")

        assert (document.original_name, document.content_type) == ("notes.txt", "application/pdf")

    def test_a_real_word_document_is_accepted(self, media, practitioner, young_person):
        content = word_document()

        document = add_document(practitioner, young_person, name="plan.docx", content=content)

        assert document.content_type == (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        assert files.path_for(document.stored_name).read_bytes() == content

    def test_the_original_name_loses_paths_and_control_characters(
        self, media, practitioner, young_person
    ):
        document = add_document(
            practitioner, young_person, name="C:\\Users\\pat\\Desktop\\visit\r\nnotes.pdf"
        )

        assert document.original_name == "visitnotes.pdf"

    def test_no_url_serves_media_root(self, media, client_for, practitioner, young_person):
        document = add_document(practitioner, young_person)
        relative = f"documents/{document.stored_name[:2]}/{document.stored_name}"

        assert not django_settings.is_overridden("MEDIA_URL")
        assert global_settings.MEDIA_URL == ""
        assert serve not in list(_every_view(get_resolver().url_patterns))
        client = client_for(practitioner)
        for guess in (f"/{relative}", f"/media/{relative}", f"/{document.stored_name}"):
            with pytest.raises(Resolver404):
                resolve(guess)
            assert client.get(guess).status_code == 404

    def test_path_for_refuses_anything_but_a_stored_name(self):
        for bad in ("", "../../etc/passwd", "ABCDEF", "a b"):
            with pytest.raises(ValueError):
                files.path_for(bad)


def _every_view(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _every_view(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            yield pattern.callback


class TestSizeLimitWhileReading:
    """On the upload page and endpoint, bytes past the limit are not even kept in memory or a
    temporary file: the view gets a stand-in with the true size and no content."""

    def test_an_oversized_upload_arrives_without_its_bytes(self, settings):
        settings.CSAFE_DOCUMENT_MAX_BYTES = 1024
        request = RequestFactory().post(
            "/", {"file": upload("big.pdf", PDF_BYTES.ljust(5000, b" ")), "title": "Big"}
        )
        request.upload_handlers.insert(0, files.SizeLimitUploadHandler(request))

        received = request.FILES["file"]

        assert isinstance(received, files.OversizedUpload)
        assert (received.name, received.size, received.read()) == ("big.pdf", 5000, b"")
        assert request.POST["title"] == "Big"

    def test_an_upload_within_the_limit_arrives_whole(self, settings):
        settings.CSAFE_DOCUMENT_MAX_BYTES = 1024
        request = RequestFactory().post("/", {"file": upload("small.pdf", PDF_BYTES)})
        request.upload_handlers.insert(0, files.SizeLimitUploadHandler(request))

        received = request.FILES["file"]

        assert not isinstance(received, files.OversizedUpload)
        assert (received.size, received.read()) == (len(PDF_BYTES), PDF_BYTES)


class TestOrphans:
    def test_files_no_row_names_are_removed_once_old(self, media, practitioner, young_person):
        kept = add_document(practitioner, young_person)
        old_orphan = files.store(upload("x.pdf", PDF_BYTES), "application/pdf")
        new_orphan = files.store(upload("y.pdf", PDF_BYTES), "application/pdf")
        a_day_ago = time.time() - 2 * 24 * 60 * 60
        for name in (kept.stored_name, old_orphan.stored_name):
            os.utime(files.path_for(name), (a_day_ago, a_day_ago))

        assert document_orphans_remove() == 1

        assert files_on_disk(media) == sorted(
            [files.path_for(kept.stored_name), files.path_for(new_orphan.stored_name)]
        )

    def test_nothing_to_do_without_a_documents_folder(self, media):
        assert document_orphans_remove() == 0


# --- Downloading -------------------------------------------------------------------------------


class TestDownload:
    @pytest.mark.parametrize("who", ALLOWED)
    def test_those_who_may_view_the_record_get_the_bytes_as_an_attachment(
        self, request, media, client_for, practitioner, young_person, who
    ):
        document = add_document(practitioner, young_person, name="Strategy minutes.pdf")
        viewer = request.getfixturevalue(who)
        url = download_url(young_person, document)

        response = client_for(viewer).get(url)

        assert response.status_code == 200
        assert body_of(response) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="Strategy minutes.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert "no-store" in response["Cache-Control"]
        assert list(
            RecordAccess.objects.values_list("user", "young_person", "channel", "resource")
        ) == [(viewer.pk, young_person.pk, AccessChannel.DOWNLOAD, url)]

    @pytest.mark.parametrize(
        ("name", "content", "saved_as", "content_type"),
        [
            ("notes.txt", PDF_BYTES, "notes.txt.pdf", "application/pdf"),
            ("page.html", b"<p>Seen at school</p>", "page.html.txt", "text/plain"),
            ("photo.JPG", JPEG_BYTES, "photo.JPG", "image/jpeg"),
        ],
    )
    def test_the_saved_name_ends_as_the_file_really_is(
        self, media, client_for, practitioner, young_person, name, content, saved_as, content_type
    ):
        document = add_document(practitioner, young_person, name=name, content=content)

        response = client_for(practitioner).get(download_url(young_person, document))

        assert response["Content-Disposition"] == f'attachment; filename="{saved_as}"'
        assert response["Content-Type"] == content_type
        assert body_of(response) == content

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_others_get_404_no_bytes_and_no_log(
        self, request, media, client_for, practitioner, young_person, who
    ):
        document = add_document(practitioner, young_person)

        response = client_for(request.getfixturevalue(who)).get(
            download_url(young_person, document)
        )

        assert response.status_code == 404
        assert PDF_BYTES not in response.content
        assert not RecordAccess.objects.exists()

    def test_another_young_persons_document_through_this_record_is_404(
        self, media, client_for, team_manager, young_person
    ):
        """The team manager may see both records, and still only through the right one."""
        other = YoungPersonFactory(actor=team_manager)
        theirs = add_document(team_manager, other, content=PDF_BYTES + b"% theirs\n")
        client = client_for(team_manager)

        response = client.get(reverse("cases:document_download", args=[young_person.pk, theirs.pk]))

        assert response.status_code == 404
        assert b"theirs" not in response.content
        assert not RecordAccess.objects.exists()
        assert client.get(download_url(other, theirs)).status_code == 200

    def test_an_unknown_document_is_404_without_a_log(
        self, media, client_for, practitioner, young_person
    ):
        url = reverse("cases:document_download", args=[young_person.pk, 999])

        assert client_for(practitioner).get(url).status_code == 404
        assert not RecordAccess.objects.exists()

    def test_a_missing_file_is_404_without_a_log(
        self, media, client_for, practitioner, young_person
    ):
        document = add_document(practitioner, young_person)
        files.discard(document.stored_name)

        response = client_for(practitioner).get(download_url(young_person, document))

        assert response.status_code == 404
        # Nothing was given, so nothing is logged: the file is opened before the log is written.
        assert not RecordAccess.objects.exists()

    def test_anonymous_is_sent_to_sign_in(self, media, client, practitioner, young_person):
        document = add_document(practitioner, young_person)
        url = download_url(young_person, document)

        response = client.get(url)

        assert (response.status_code, response["Location"]) == (302, sign_in_redirect(url))
        assert not RecordAccess.objects.exists()

    def test_a_download_appears_in_the_access_log_page(
        self, media, client_for, practitioner, team_manager, young_person
    ):
        document = add_document(practitioner, young_person)
        client_for(practitioner).get(download_url(young_person, document))

        page = client_for(team_manager).get(reverse("cases:access_log", args=[young_person.pk]))

        assert "Document download" in page.content.decode()


# --- The pages ---------------------------------------------------------------------------------


def document_rows(html: str) -> list[list[str]]:
    table = html.split('data-testid="document-list"', 1)[1].split("</table>", 1)[0]
    return [
        [text_of(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r'data-testid="document">(.*?)</tr>', table, re.S)
    ]


class TestDocumentList:
    @pytest.mark.parametrize("who", ALLOWED)
    def test_viewers_see_the_documents_newest_first(
        self, request, media, client_for, practitioner, young_person, who
    ):
        older = add_document(practitioner, young_person, title="Strategy minutes")
        newer = add_document(
            practitioner, young_person, name="map.png", content=PNG_BYTES, title="Photo <map>"
        )

        response = client_for(request.getfixturevalue(who)).get(list_url(young_person))

        html = response.content.decode()
        assert response.status_code == 200
        rows = document_rows(html)
        assert [row[0] for row in rows] == ["Photo <map> (download)", "Strategy minutes (download)"]
        assert rows[0][1:3] == ["Document", f"PNG image, {len(PNG_BYTES)} bytes map.png"]
        assert rows[1][3].endswith("by Pat Tester")
        for document in (older, newer):
            assert f'href="{download_url(young_person, document)}"' in html
        assert f'href="{new_url(young_person)}"' in html
        assert "<title>Documents – TST" in html

    def test_documents_come_in_pages(self, media, client_for, practitioner, young_person):
        for number in range(PER_PAGE + 1):
            add_document(practitioner, young_person, title=f"Document {number}")
        client = client_for(practitioner)

        first = document_rows(client.get(list_url(young_person)).content.decode())
        second = document_rows(client.get(list_url(young_person), {"page": 2}).content.decode())

        assert len(first) == PER_PAGE
        assert [row[0] for row in second] == ["Document 0 (download)"]

    def test_none_yet(self, client_for, practitioner, young_person):
        html = client_for(practitioner).get(list_url(young_person)).content.decode()

        assert "No documents uploaded." in html

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_others_get_404(self, request, media, client_for, practitioner, young_person, who):
        add_document(practitioner, young_person, title="Private title")

        response = client_for(request.getfixturevalue(who)).get(list_url(young_person))

        assert response.status_code == 404
        assert "Private title" not in response.content.decode()

    def test_anonymous_is_sent_to_sign_in(self, client, young_person):
        url = list_url(young_person)

        response = client.get(url)

        assert (response.status_code, response["Location"]) == (302, sign_in_redirect(url))


class TestDocumentListQueryCount:
    """The documents page costs the same with one document as with a full page of them.

    1 session; 2 user; 3 the young person with team (guardian subqueries inside); 4 INSERT of
    the access log row; 5 count of documents for the paginator; 6 the page of documents with
    uploader and assessment; 7-8 the user's user- and group-object permissions on the record
    (may they upload?); 9 unread notifications for the page shell; 10-12 savepoint, session
    update, release (see test_query_counts.py).
    """

    EXPECTED = 12

    def count_second_request(self, client, young_person, django_assert_num_queries):
        client.get(list_url(young_person))  # warm the process-wide caches (content types)
        with django_assert_num_queries(self.EXPECTED):
            response = client.get(list_url(young_person))
        assert response.status_code == 200
        return response

    def test_one_document(
        self, media, client_for, practitioner, young_person, django_assert_num_queries
    ):
        add_document(practitioner, young_person)

        response = self.count_second_request(
            client_for(practitioner), young_person, django_assert_num_queries
        )
        assert len(response.context["page"].object_list) == 1

    def test_a_full_page_of_documents_and_maps(
        self, media, client_for, practitioner, team_manager, young_person, django_assert_num_queries
    ):
        from cases.services import assessments

        assessment = assessments.assessment_start(
            actor=practitioner, young_person=young_person, started_on=timezone.localdate()
        )
        for number in range(PER_PAGE):
            if number % 2:
                add_document(team_manager, young_person, title=f"Document {number}")
            else:
                document_upload(
                    actor=practitioner,
                    young_person=young_person,
                    uploaded=upload("map.png", PNG_BYTES),
                    title=f"Map {number}",
                    kind="peer_map",
                    assessment=assessment,
                    shaped_conclusion="Showed the group",
                )

        response = self.count_second_request(
            client_for(team_manager), young_person, django_assert_num_queries
        )
        assert len(response.context["page"].object_list) == PER_PAGE


class TestDocumentNew:
    @pytest.mark.parametrize("who", ALLOWED)
    def test_the_form_is_a_gov_uk_file_upload(self, request, client_for, young_person, who):
        response = client_for(request.getfixturevalue(who)).get(new_url(young_person))

        html = response.content.decode()
        assert response.status_code == 200
        assert 'enctype="multipart/form-data"' in html
        assert re.search(r'<input type="file" name="file"[^>]*class="govuk-file-upload"', html)
        assert f'accept="{files.ACCEPT}"' in html
        assert (
            "A PDF, Word document (.docx), PNG, JPEG or plain text file, 10 MB or smaller" in html
        )
        assert 'name="title"' in html
        assert 'name="description"' not in html

    @pytest.mark.parametrize("who", ALLOWED)
    def test_uploading_a_document(self, request, media, client_for, young_person, who):
        actor = request.getfixturevalue(who)

        response = client_for(actor).post(
            new_url(young_person),
            {"title": "Safety plan", "file": upload("plan.docx", word_document())},
            follow=True,
        )

        assert response.redirect_chain == [(list_url(young_person), 302)]
        document = Document.objects.get()
        assert (document.title, document.original_name, document.uploaded_by) == (
            "Safety plan",
            "plan.docx",
            actor,
        )
        assert files_on_disk(media) == [files.path_for(document.stored_name)]
        assert "Safety plan uploaded" in response.content.decode()

    @pytest.mark.parametrize(
        ("data", "summary", "fields"),
        [
            (
                {"title": ""},
                ["Enter a title for the document", "Select a file to upload"],
                {
                    "id_title": "Enter a title for the document",
                    "id_file": "Select a file to upload",
                },
            ),
            (
                {"title": "Report", "file": ("report.pdf", EXE_BYTES)},
                [WRONG_TYPE],
                {"id_file": WRONG_TYPE},
            ),
            (
                {"title": "Report", "file": ("report.pdf", b"")},
                ["The selected file is empty"],
                {"id_file": "The selected file is empty"},
            ),
            (
                {"title": "Report", "file": ("report.pdf", PDF_BYTES.ljust(5000, b" "))},
                ["The selected file must be 1 KB or smaller"],
                {"id_file": "The selected file must be 1 KB or smaller"},
            ),
            (
                {"title": "x" * 201, "file": ("report.pdf", PDF_BYTES)},
                ["The title must be 200 characters or fewer"],
                {"id_title": "The title must be 200 characters or fewer"},
            ),
        ],
    )
    def test_refusals_are_shown_and_nothing_is_saved(
        self, settings, media, client_for, practitioner, young_person, data, summary, fields
    ):
        settings.CSAFE_DOCUMENT_MAX_BYTES = 1024
        if "file" in data:
            data = data | {"file": upload(*data["file"])}
        before = written()

        response = client_for(practitioner).post(new_url(young_person), data)

        assert response.status_code == 400
        assert error_summary(response) == summary
        assert field_errors(response) == fields
        assert "<title>Error: Upload a document" in response.content.decode()
        assert written() == before
        assert files_on_disk(media) == []

    def test_the_csrf_check_still_applies(self, media, practitioner, young_person):
        client = Client(enforce_csrf_checks=True)
        client.force_login(practitioner, backend="django.contrib.auth.backends.ModelBackend")

        response = client.post(
            new_url(young_person), {"title": "Minutes", "file": upload("m.pdf", PDF_BYTES)}
        )

        assert response.status_code == 403
        assert Document.objects.count() == 0
        assert files_on_disk(media) == []

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_others_get_404_and_save_nothing(self, request, media, client_for, young_person, who):
        client = client_for(request.getfixturevalue(who))

        assert client.get(new_url(young_person)).status_code == 404
        response = client.post(
            new_url(young_person), {"title": "Minutes", "file": upload("m.pdf", PDF_BYTES)}
        )
        assert response.status_code == 404
        assert written() == {"documents": 0, "document history": 0, "events": 0}
        assert files_on_disk(media) == []

    def test_anonymous_is_sent_to_sign_in(self, media, client, young_person):
        url = new_url(young_person)

        responses = (
            client.get(url),
            client.post(url, {"title": "Minutes", "file": upload("m.pdf", PDF_BYTES)}),
        )

        for response in responses:
            assert (response.status_code, response["Location"]) == (302, sign_in_redirect(url))
        assert Document.objects.count() == 0
        assert files_on_disk(media) == []


class TestRecordPageSection:
    def section(self, html: str) -> str:
        return html.split('data-testid="documents"', 1)[1].split("</section>", 1)[0]

    def test_the_five_newest_documents_with_download_links(
        self, media, client_for, practitioner, young_person
    ):
        documents = [
            add_document(practitioner, young_person, title=f"Document {n}") for n in range(7)
        ]

        section = self.section(
            client_for(practitioner).get(detail_url(young_person)).content.decode()
        )

        rows = section.split("</dl>", 1)[0]
        titles = re.findall(r'class="govuk-link" href="[^"]+">(.*?)</a>', rows, re.S)
        assert [text_of(t) for t in titles] == [
            f"Download document: Document {n}" for n in (6, 5, 4, 3, 2)
        ]
        assert f'href="{download_url(young_person, documents[6])}"' in section
        assert f'href="{list_url(young_person)}"' in section
        assert f'href="{new_url(young_person)}"' in section

    def test_none_yet(self, client_for, team_manager, young_person):
        section = self.section(
            client_for(team_manager).get(detail_url(young_person)).content.decode()
        )

        assert "No documents uploaded." in section
        assert f'href="{new_url(young_person)}"' in section
