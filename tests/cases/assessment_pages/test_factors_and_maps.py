"""Contextual factors and safety maps on an assessment: adding, withdrawing, the
messages for refused input, and the safety map's file checks."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cases import files
from cases.files import ALLOWED_DESCRIPTION
from cases.models import Document
from cases.services.documents import document_upload
from tests.cases.assessment_pages.support import PDF, url
from tests.cases.assessment_support import LOCKED, snapshot
from tests.html_pages import banners, error_summary, page_of, table_rows

pytestmark = pytest.mark.django_db


class TestFactors:
    def test_add_a_factor(self, client_for, practitioner, young_person, in_progress):
        response = client_for(practitioner).post(
            url("assessment_factor_add", young_person, in_progress.pk),
            {"domain": "online", "description": "Contacted on a gaming platform"},
        )

        assert response.status_code == 302
        assert list(in_progress.contextual_factors.values_list("domain", "description")) == [
            ("peer_group", "Older peers at the rec"),
            ("online", "Contacted on a gaming platform"),
        ]

    def test_missing_answers_are_shown_and_nothing_saved(
        self, client_for, practitioner, young_person, in_progress
    ):
        before = snapshot()

        response = client_for(practitioner).post(
            url("assessment_factor_add", young_person, in_progress.pk), {"description": ""}
        )

        assert response.status_code == 400
        assert error_summary(response) == [
            "Choose the context the factor sits in",
            "Describe the contextual factor",
        ]
        assert snapshot() == before

    def test_withdraw_a_factor(self, client_for, practitioner, young_person, in_progress):
        factor = in_progress.contextual_factors.get()
        path = url("assessment_factor_withdraw", young_person, in_progress.pk, factor.pk)
        client = client_for(practitioner)

        confirm = client.get(path)
        response = client.post(path)

        assert "Older peers at the rec" in page_of(confirm)
        assert response.status_code == 302
        factor.refresh_from_db()
        assert factor.withdrawn_by == practitioner

    def test_withdraw_on_a_completed_assessment_is_refused(
        self, client_for, practitioner, young_person, awaiting
    ):
        factor = awaiting.contextual_factors.get()
        before = snapshot()

        response = client_for(practitioner).post(
            url("assessment_factor_withdraw", young_person, awaiting.pk, factor.pk)
        )

        assert response.status_code == 400
        assert error_summary(response) == [LOCKED]
        assert snapshot() == before


class TestMaps:
    @pytest.fixture(autouse=True)
    def _media(self, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path

    def test_upload_a_safety_map(self, client_for, practitioner, young_person, in_progress):
        client = client_for(practitioner)
        path = url("assessment_map_add", young_person, in_progress.pk)

        form = page_of(client.get(path))
        response = client.post(
            path,
            {
                "kind": "safety_map",
                "title": "Safety map",
                "file": SimpleUploadedFile("map.pdf", PDF, content_type="application/pdf"),
                "shaped_conclusion": "Showed where she feels safe",
            },
        )

        assert 'enctype="multipart/form-data"' in form
        assert response.status_code == 302
        document = Document.objects.get()
        assert (document.kind, document.assessment, document.shaped_conclusion) == (
            "safety_map",
            in_progress,
            "Showed where she feels safe",
        )
        shown = client.get(response["Location"])
        assert banners(shown) == ["Safety map added"]
        assert table_rows(shown, "maps")[0][:2] == [
            "Safety map: Safety map (download)",
            "Showed where she feels safe",
        ]

    def test_missing_answers_are_shown_and_nothing_saved(
        self, client_for, practitioner, young_person, in_progress, tmp_path
    ):
        before = snapshot()

        response = client_for(practitioner).post(
            url("assessment_map_add", young_person, in_progress.pk), {"kind": "peer_map"}
        )

        assert response.status_code == 400
        assert error_summary(response) == [
            "Enter a title for the document",
            "Select a file to upload",
            "Say how the peer map shaped the assessment's conclusion",
        ]
        assert snapshot() == before

    def test_the_file_field_is_the_document_forms(
        self, client_for, practitioner, young_person, in_progress
    ):
        html = page_of(
            client_for(practitioner).get(url("assessment_map_add", young_person, in_progress.pk))
        )

        assert re.search(r'<input type="file" name="file"[^>]*class="govuk-file-upload"', html)
        assert f'accept="{files.ACCEPT}"' in html
        assert (
            '<div id="id_file-hint" class="govuk-hint">A PDF, Word document (.docx), PNG, JPEG '
            "or plain text file, 10 MB or smaller</div>"
        ) in html

    def test_an_empty_file_gets_the_document_message(
        self, client_for, practitioner, young_person, in_progress
    ):
        response = client_for(practitioner).post(
            url("assessment_map_add", young_person, in_progress.pk),
            {
                "kind": "peer_map",
                "title": "Peer map",
                "file": SimpleUploadedFile("map.pdf", b""),
                "shaped_conclusion": "Showed the group",
            },
        )

        assert response.status_code == 400
        assert error_summary(response) == ["The selected file is empty"]

    def test_an_oversized_file_is_dropped_while_reading_and_refused(
        self, monkeypatch, settings, client_for, practitioner, young_person, in_progress, tmp_path
    ):
        """The size-limit handler runs on this page as on the document page: the service gets
        a stand-in with the true size and none of the bytes."""
        settings.CSAFE_DOCUMENT_MAX_BYTES = 1024
        received = []

        def spy(**arguments):
            uploaded = arguments["uploaded"]
            received.append((type(uploaded), uploaded.size, uploaded.read()))
            uploaded.seek(0)
            return document_upload(**arguments)

        monkeypatch.setattr("cases.views.assessments.document_upload", spy)
        before = snapshot()

        response = client_for(practitioner).post(
            url("assessment_map_add", young_person, in_progress.pk),
            {
                "kind": "peer_map",
                "title": "Peer map",
                "file": SimpleUploadedFile("map.pdf", PDF.ljust(5000, b" ")),
                "shaped_conclusion": "Showed the group",
            },
        )

        assert response.status_code == 400
        assert error_summary(response) == ["The selected file must be 1 KB or smaller"]
        assert received == [(files.OversizedUpload, 5000, b"")]
        assert snapshot() == before
        assert not any(p.is_file() for p in tmp_path.rglob("*"))

    def test_the_csrf_check_still_applies(self, practitioner, young_person, in_progress):
        client = Client(enforce_csrf_checks=True)
        client.force_login(practitioner, backend="django.contrib.auth.backends.ModelBackend")
        before = snapshot()

        response = client.post(
            url("assessment_map_add", young_person, in_progress.pk),
            {
                "kind": "peer_map",
                "title": "Peer map",
                "file": SimpleUploadedFile("map.pdf", PDF),
                "shaped_conclusion": "Showed the group",
            },
        )

        assert response.status_code == 403
        assert snapshot() == before

    def test_a_file_of_the_wrong_type_is_refused_and_nothing_stored(
        self, client_for, practitioner, young_person, in_progress, tmp_path
    ):
        before = snapshot()

        response = client_for(practitioner).post(
            url("assessment_map_add", young_person, in_progress.pk),
            {
                "kind": "peer_map",
                "title": "Peer map",
                "file": SimpleUploadedFile("map.pdf", b"MZ\x90\x00 not a pdf"),
                "shaped_conclusion": "Showed the group",
            },
        )

        assert response.status_code == 400
        assert error_summary(response) == [f"The selected file must be a {ALLOWED_DESCRIPTION}"]
        assert snapshot() == before
        assert not any(p.is_file() for p in tmp_path.rglob("*"))
