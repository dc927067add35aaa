"""The assessment pages: who may open each (allowed, 404 for those without access to the record,
sign-in for the anonymous), what each shows and saves, the messages for refused input, the
version conflict that keeps what the user typed, and the authorisation only a team manager of
the holding team may give."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases import files
from cases.files import ALLOWED_DESCRIPTION
from cases.models import Assessment, Document
from cases.services import assessments as services
from cases.services.documents import document_upload
from csafe.core.dates import short_date
from tests.cases.helpers import detail_url, error_summary, field_errors, sign_in_redirect, text_of
from tests.cases.test_assessment_services import (
    AUTHORISE_REFUSED,
    CCE,
    CONCLUSION,
    CONFLICT,
    GANGS,
    LOCKED,
    RETURN_REFUSED,
    SERIOUS_YOUTH_VIOLENCE,
    add_factor,
    complete,
    days_ago,
    long_date,
    raise_flag,
    snapshot,
    start,
    today,
)

pytestmark = pytest.mark.django_db

ALLOWED = ["practitioner", "team_manager"]
NO_ACCESS = [
    "teammate",
    "other_team_practitioner",
    "other_team_manager",
    "service_manager",
    "administrator",
]
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def url(name: str, young_person, *args) -> str:
    return reverse(f"cases:{name}", args=[young_person.pk, *args])


def date_fields(name: str, value) -> dict[str, str]:
    return {
        f"{name}_day": str(value.day),
        f"{name}_month": str(value.month),
        f"{name}_year": str(value.year),
    }


def page(response) -> str:
    return response.content.decode()


def messages_shown(response) -> list[str]:
    return [
        text_of(body)
        for body in re.findall(
            r'<p class="govuk-notification-banner__heading">(.*?)</p>', page(response), re.S
        )
    ]


def section(html: str, testid: str, end: str) -> str:
    """The markup from the element marked ``testid`` to the first ``end`` after it."""
    assert f'data-testid="{testid}"' in html, f"no {testid} on the page"
    return html.split(f'data-testid="{testid}"', 1)[1].split(end, 1)[0]


def status_shown(html: str) -> str:
    return text_of(re.search(r'data-testid="assessment-status">(.*?)</strong>', html).group(1))


def summary_rows(html: str, testid: str) -> dict[str, str]:
    body = html.split(f'data-testid="{testid}"', 1)[1].split("</dl>", 1)[0]
    return {
        text_of(key): text_of(value)
        for key, value in re.findall(r"<dt[^>]*>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", body, re.S)
    }


def table_rows(html: str, testid: str) -> list[list[str]]:
    body = html.split(f'data-testid="{testid}"', 1)[1].split("</table>", 1)[0]
    body = body.split("<tbody", 1)[1]
    return [
        [text_of(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def actions(html: str) -> list[str]:
    """The action buttons on an assessment page; [] when it shows none."""
    if 'data-testid="assessment-actions"' not in html:
        return []
    body = html.split('data-testid="assessment-actions"', 1)[1].split("</div>", 1)[0]
    return [text_of(a) for a in re.findall(r"<a [^>]*>(.*?)</a>", body, re.S)]


def ticked(html: str, name: str) -> list[str]:
    return [
        m.group(1)
        for m in re.finditer(rf'<input type="checkbox" name="{name}" value="([^"]+)"[^>]*>', html)
        if " checked" in m.group(0)
    ]


def hidden_version(html: str) -> str:
    return re.search(r'<input type="hidden" name="version" value="(\d+)"', html).group(1)


@pytest.fixture
def in_progress(practitioner, young_person):
    """An assessment with one contextual factor, started 20 days ago."""
    assessment = start(practitioner, young_person, peers="Older peers at the rec")
    add_factor(practitioner, assessment, "peer_group", "Older peers at the rec")
    return assessment


@pytest.fixture
def awaiting(practitioner, in_progress):
    return complete(practitioner, in_progress, completed_on=days_ago(5))


def every_page(young_person, assessment, factor) -> dict[str, str]:
    return {
        "assessment_list": url("assessment_list", young_person),
        "assessment_detail": url("assessment_detail", young_person, assessment.pk),
        "assessment_new": url("assessment_new", young_person),
        "assessment_edit": url("assessment_edit", young_person, assessment.pk),
        "assessment_factor_add": url("assessment_factor_add", young_person, assessment.pk),
        "assessment_factor_withdraw": url(
            "assessment_factor_withdraw", young_person, assessment.pk, factor.pk
        ),
        "assessment_map_add": url("assessment_map_add", young_person, assessment.pk),
        "assessment_complete": url("assessment_complete", young_person, assessment.pk),
        "assessment_authorise": url("assessment_authorise", young_person, assessment.pk),
        "assessment_return": url("assessment_return", young_person, assessment.pk),
    }


READ_ONLY_PAGES = {"assessment_list", "assessment_detail"}  # a POST is 405
IN_PROGRESS_PAGES = [
    "assessment_list",
    "assessment_detail",
    "assessment_new",
    "assessment_edit",
    "assessment_factor_add",
    "assessment_factor_withdraw",
    "assessment_map_add",
    "assessment_complete",
]


# --- Access -----------------------------------------------------------------------------------


class TestAccess:
    @pytest.mark.parametrize("who", ALLOWED)
    @pytest.mark.parametrize("name", IN_PROGRESS_PAGES)
    def test_those_who_may_change_the_record_open_every_page(
        self, request, client_for, young_person, in_progress, who, name
    ):
        factor = in_progress.contextual_factors.get()
        response = client_for(request.getfixturevalue(who)).get(
            every_page(young_person, in_progress, factor)[name]
        )

        assert response.status_code == 200
        assert response.context["active_section"] == "caseload"
        # The child's name is not in the page title; the local identifier is.
        title = re.search(r"<title>(.*?)</title>", page(response), re.S).group(1)
        assert young_person.local_identifier in title
        assert young_person.first_name not in title

    @pytest.mark.parametrize("who", NO_ACCESS)
    def test_no_access_is_404_for_every_page_and_every_post(
        self, request, client_for, young_person, awaiting, who
    ):
        client = client_for(request.getfixturevalue(who))
        factor = awaiting.contextual_factors.get()
        before = snapshot()

        for name, path in every_page(young_person, awaiting, factor).items():
            assert client.get(path).status_code == 404, name
            if name not in READ_ONLY_PAGES:
                assert client.post(path, {"reason": "x"}).status_code == 404, name

        assert snapshot() == before

    def test_anonymous_is_sent_to_sign_in(self, client, young_person, awaiting):
        factor = awaiting.contextual_factors.get()
        before = snapshot()

        for path in every_page(young_person, awaiting, factor).values():
            for response in (client.get(path), client.post(path, {"reason": "x"})):
                assert response.status_code == 302
                assert response["Location"] == sign_in_redirect(path)

        assert snapshot() == before

    def test_another_young_persons_assessment_is_404(
        self, client_for, practitioner, young_person, other_young_person, other_team_practitioner
    ):
        theirs = start(other_team_practitioner, other_young_person)

        response = client_for(practitioner).get(url("assessment_detail", young_person, theirs.pk))

        assert response.status_code == 404


# --- Record page section and list ------------------------------------------------------------


class TestSectionAndList:
    def test_the_record_page_lists_assessments_with_links(
        self, client_for, practitioner, young_person, awaiting
    ):
        second = start(practitioner, young_person, started_on=days_ago(2))

        html = page(client_for(practitioner).get(detail_url(young_person)))

        body = section(html, "assessments", "</section>")
        assert "Assessments" in text_of(body)
        rows = [
            text_of(r)
            for r in re.findall(r'data-testid="assessment-summary">(.*?)</dd>', html, re.S)
        ]
        assert rows == [
            f"Started {long_date(days_ago(2))} In progress",
            f"Started {long_date(days_ago(20))} Awaiting authorisation Extra-familial; "
            "child in need plan 1 contextual factor",
        ]
        assert url("assessment_detail", young_person, second.pk) in html
        assert url("assessment_list", young_person) in html
        assert url("assessment_new", young_person) in html

    def test_the_list_shows_every_assessment_newest_first(
        self, client_for, team_manager, practitioner, young_person, awaiting
    ):
        services.assessment_authorise(
            actor=team_manager, assessment=awaiting, authorised_on=days_ago(1)
        )
        start(practitioner, young_person, started_on=days_ago(1))

        html = page(client_for(team_manager).get(url("assessment_list", young_person)))

        assert table_rows(html, "assessment-list") == [
            [
                short_date(days_ago(1)),
                "In progress",
                "–",
                "–",
                "–",
                "–",
                "0",
            ],
            [
                short_date(days_ago(20)),
                "Authorised",
                short_date(days_ago(5)),
                f"{short_date(days_ago(1))} by Mona Tester",
                "Extra-familial",
                "Child in need plan",
                "1",
            ],
        ]


# --- Starting ---------------------------------------------------------------------------------


class TestStart:
    def test_a_valid_start_is_saved_and_shown(self, client_for, practitioner, young_person):
        client = client_for(practitioner)

        response = client.post(
            url("assessment_new", young_person),
            {
                **date_fields("started_on", days_ago(3)),
                "referral": "",
                "peers": "Older peers at the rec",
                "school": "",
                "neighbourhood": "The underpass",
                "online": "",
                "capacity_undermining": "Mum works nights",
                "capacity_boosting": "An aunt nearby",
            },
        )

        assessment = Assessment.objects.get()
        assert response.status_code == 302
        assert response["Location"] == url("assessment_detail", young_person, assessment.pk)
        assert (assessment.started_on, assessment.peers, assessment.capacity_boosting) == (
            days_ago(3),
            "Older peers at the rec",
            "An aunt nearby",
        )
        shown = client.get(response["Location"])
        assert messages_shown(shown) == ["Assessment started"]

    def test_missing_and_impossible_dates_are_shown_and_nothing_saved(
        self, client_for, practitioner, young_person
    ):
        client = client_for(practitioner)
        before = snapshot()

        empty = client.post(url("assessment_new", young_person), {})
        impossible = client.post(
            url("assessment_new", young_person),
            {"started_on_day": "31", "started_on_month": "2", "started_on_year": "2025"},
        )
        future = client.post(
            url("assessment_new", young_person), date_fields("started_on", today() + timedelta(1))
        )

        assert [r.status_code for r in (empty, impossible, future)] == [400, 400, 400]
        assert error_summary(empty) == ["Enter the date the assessment started"]
        assert error_summary(impossible) == ["Date started must be a real date"]
        assert error_summary(future) == ["The date started must be today or in the past"]
        assert field_errors(future) == {
            "id_started_on": "The date started must be today or in the past"
        }
        assert snapshot() == before

    def test_only_this_young_persons_referrals_are_offered(
        self, client_for, practitioner, young_person, other_young_person, other_team_practitioner
    ):
        from cases import services as case_services

        theirs = case_services.referral_record(
            actor=other_team_practitioner,
            young_person=other_young_person,
            received_on=days_ago(10),
            source="6",
            reason="Seen at the station",
            nature_of_harm="extra_familial",
            decision="assessment",
        ).referral
        before = snapshot()

        response = client_for(practitioner).post(
            url("assessment_new", young_person),
            {**date_fields("started_on", days_ago(3)), "referral": str(theirs.pk)},
        )

        assert response.status_code == 400
        assert error_summary(response) == ["Choose one of this young person's referrals"]
        assert snapshot() == before


# --- The assessment page ----------------------------------------------------------------------


class TestDetail:
    def test_shows_everything_recorded(
        self, client_for, practitioner, team_manager, young_person, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        from cases.services.documents import document_upload

        assessment = start(
            practitioner,
            young_person,
            peers="Older peers at the rec",
            school="Excluded twice",
            online="Contacted on a gaming platform",
            capacity_undermining="Mum works nights",
            capacity_boosting="An aunt nearby",
        )
        add_factor(practitioner, assessment, "location", "The underpass by the station")
        withdrawn = add_factor(practitioner, assessment, "school", "Recorded in error")
        services.contextual_factor_withdraw(actor=practitioner, factor=withdrawn)
        peer_map = document_upload(
            actor=practitioner,
            young_person=young_person,
            uploaded=SimpleUploadedFile("map.pdf", PDF, content_type="application/pdf"),
            title="Peer map, March",
            kind="peer_map",
            assessment=assessment,
            shaped_conclusion="Showed the older group at the centre",
        )
        complete(practitioner, assessment, completed_on=days_ago(5))
        services.assessment_authorise(
            actor=team_manager, assessment=assessment, authorised_on=days_ago(2)
        )

        response = client_for(practitioner).get(
            url("assessment_detail", young_person, assessment.pk)
        )

        assert response.status_code == 200
        html = page(response)
        assert status_shown(html) == "Authorised"
        assert summary_rows(html, "assessment-dates") == {
            "Status": "Authorised",
            "Date started": long_date(days_ago(20)),
            "Date completed": long_date(days_ago(5)),
            "Date authorised": f"{long_date(days_ago(2))} by Mona Tester",
            "Referral": "Not linked to a referral",
            "Started by": "Pat Tester",
        }
        assert summary_rows(html, "assessment-prompts") == {
            "Peers and friendships": "Older peers at the rec",
            "School or education": "Excluded twice",
            "Neighbourhood and public spaces": "Not written yet",
            "Online": "Contacted on a gaming platform",
            "External factors that undermine parental capacity": "Mum works nights",
            "External factors that boost parental capacity": "An aunt nearby",
        }
        factors = table_rows(html, "contextual-factors")
        assert [row[:2] for row in factors] == [
            ["Neighbourhood or location", "The underpass by the station"],
            ["School or education setting", "Recorded in error"],
        ]
        assert "Withdrawn" in factors[1][2]
        assert "Withdrawn" not in factors[0][2]
        assert table_rows(html, "maps") == [
            [
                "Peer map: Peer map, March (download)",
                "Showed the older group at the centre",
                f"{short_date(timezone.localtime(peer_map.uploaded_at))} by Pat Tester",
            ]
        ]
        assert reverse("cases:document_download", args=[young_person.pk, peer_map.pk]) in html
        assert summary_rows(html, "assessment-outcome") == {
            "Conclusion": CONCLUSION,
            "Nature of harm found": "Extra-familial",
            "Decision": "Child in need plan",
            "Factors identified (CIN census)": "Child criminal exploitation (24A) Gangs (13A)",
        }
        # Authorised: nothing more to do, and no withdraw links.
        assert actions(html) == []
        assert "assessment_factor_withdraw" not in html
        assert "/withdraw/" not in html

    def test_in_progress_the_practitioner_sees_what_they_may_do(
        self, client_for, practitioner, young_person, in_progress
    ):
        html = page(
            client_for(practitioner).get(url("assessment_detail", young_person, in_progress.pk))
        )

        assert status_shown(html) == "In progress"
        assert actions(html) == [
            "Complete assessment",
            "Edit assessment",
            "Add a contextual factor",
            "Add a peer or safety map",
        ]
        factor = in_progress.contextual_factors.get()
        assert url("assessment_factor_withdraw", young_person, in_progress.pk, factor.pk) in html

    def test_awaiting_authorisation_only_the_team_manager_sees_authorise(
        self, client_for, practitioner, team_manager, young_person, awaiting
    ):
        path = url("assessment_detail", young_person, awaiting.pk)

        as_practitioner = page(client_for(practitioner).get(path))
        as_manager = page(client_for(team_manager).get(path))

        assert status_shown(as_practitioner) == "Awaiting authorisation"
        assert actions(as_practitioner) == []
        assert url("assessment_authorise", young_person, awaiting.pk) not in as_practitioner
        assert "A team manager of Team A needs to authorise this assessment." in text_of(
            as_practitioner
        )
        assert actions(as_manager) == ["Authorise assessment", "Return for more work"]

    def test_a_returned_assessment_shows_why(
        self, client_for, practitioner, team_manager, young_person, awaiting
    ):
        services.assessment_return(
            actor=team_manager, assessment=awaiting, reason="Speak to the school first"
        )

        html = page(
            client_for(practitioner).get(url("assessment_detail", young_person, awaiting.pk))
        )

        assert summary_rows(html, "assessment-dates")["Returned for more work"] == (
            f"{long_date(today())} by Mona Tester: Speak to the school first"
        )


# --- Editing, with the version check ---------------------------------------------------------


def edit_data(version, **extra) -> dict:
    return {
        "version": str(version),
        **date_fields("started_on", days_ago(20)),
        "peers": "Older peers at the rec",
        "school": "Excluded twice this term",
        "neighbourhood": "",
        "online": "",
        "capacity_undermining": "",
        "capacity_boosting": "",
        "conclusion": "",
    } | extra


class TestEdit:
    def test_the_form_carries_the_version(
        self, client_for, practitioner, young_person, in_progress
    ):
        html = page(
            client_for(practitioner).get(url("assessment_edit", young_person, in_progress.pk))
        )

        assert hidden_version(html) == "2"  # started, then a factor added
        assert "Older peers at the rec" in html

    def test_a_valid_edit_is_saved(self, client_for, practitioner, young_person, in_progress):
        response = client_for(practitioner).post(
            url("assessment_edit", young_person, in_progress.pk), edit_data(2)
        )

        assert response.status_code == 302
        in_progress.refresh_from_db()
        assert in_progress.school == "Excluded twice this term"
        assert in_progress.version == 3

    def test_a_stale_version_keeps_what_the_user_typed_and_saves_nothing(
        self, client_for, practitioner, team_manager, young_person, in_progress
    ):
        services.assessment_update(
            actor=team_manager, assessment=in_progress, expected_version=2, online="Manager's note"
        )
        before = snapshot()
        client = client_for(practitioner)

        response = client.post(
            url("assessment_edit", young_person, in_progress.pk),
            edit_data(2, school="My careful notes about school"),
        )

        assert response.status_code == 400
        assert error_summary(response) == [CONFLICT]
        html = page(response)
        assert "My careful notes about school" in html  # what they typed, still in the form
        assert "Manager&#x27;s note" in section(html, "saved-now", "</dl>")  # what is saved now
        assert hidden_version(html) == "3"
        assert snapshot() == before

        # Saving again, having seen the other change, is a deliberate choice and succeeds.
        again = client.post(
            url("assessment_edit", young_person, in_progress.pk),
            edit_data(hidden_version(html), school="My careful notes about school"),
        )
        assert again.status_code == 302
        in_progress.refresh_from_db()
        assert in_progress.school == "My careful notes about school"

    def test_a_page_without_its_version_saves_nothing(
        self, client_for, practitioner, young_person, in_progress
    ):
        data = edit_data(2)
        del data["version"]
        before = snapshot()

        response = client_for(practitioner).post(
            url("assessment_edit", young_person, in_progress.pk), data
        )

        assert response.status_code == 400
        assert error_summary(response) == [
            "This page is out of date: open the assessment again and make your changes"
        ]
        # Not a link to the hidden field: there is nothing on the page to go to.
        assert "<li>This page is out of date" in page(response)
        assert 'href="#id_version"' not in page(response)
        assert snapshot() == before

    def test_a_completed_assessment_cannot_be_edited(
        self, client_for, practitioner, young_person, awaiting
    ):
        client = client_for(practitioner)
        path = url("assessment_edit", young_person, awaiting.pk)
        before = snapshot()

        opened = client.get(path)
        assert opened.status_code == 302
        assert opened["Location"] == url("assessment_detail", young_person, awaiting.pk)
        assert messages_shown(client.get(opened["Location"])) == [LOCKED]

        posted = client.post(path, edit_data(awaiting.version, school="Too late"))
        assert posted.status_code == 400
        assert error_summary(posted) == [LOCKED]
        assert snapshot() == before


# --- Contextual factors and maps -------------------------------------------------------------


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

        assert "Older peers at the rec" in page(confirm)
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

        form = page(client.get(path))
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
        assert messages_shown(shown) == ["Safety map added"]
        assert table_rows(page(shown), "maps")[0][:2] == [
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
        html = page(
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


# --- Completing -------------------------------------------------------------------------------


def complete_data(version, **extra) -> dict:
    return {
        "version": str(version),
        **date_fields("completed_on", days_ago(5)),
        "conclusion": CONCLUSION,
        "outcome_nature": "extra_familial",
        "decision": "cin",
        "cin_factors": ["24A", "13A"],
    } | extra


class TestComplete:
    def test_cin_factors_are_ticked_from_the_current_flags(
        self, client_for, practitioner, young_person, in_progress
    ):
        raise_flag(practitioner, young_person, CCE)
        raise_flag(practitioner, young_person, GANGS)
        raise_flag(practitioner, young_person, SERIOUS_YOUTH_VIOLENCE)

        html = page(
            client_for(practitioner).get(url("assessment_complete", young_person, in_progress.pk))
        )

        assert ticked(html, "cin_factors") == ["13A", "24A"]
        hint = re.search(r'id="id_cin_factors-hint" class="govuk-hint">(.*?)</div>', html, re.S)
        assert text_of(hint.group(1)) == (
            "Ticked from the young person's current harm flags: Gangs (13A); Child criminal "
            "exploitation (24A). Untick any the assessment did not confirm and tick any others "
            "it found."
        )
        assert 'class="govuk-checkboxes govuk-checkboxes--small"' in html
        assert hidden_version(html) == "2"

    def test_without_flags_nothing_is_ticked_and_the_hint_says_so(
        self, client_for, practitioner, young_person, in_progress
    ):
        html = page(
            client_for(practitioner).get(url("assessment_complete", young_person, in_progress.pk))
        )

        assert ticked(html, "cin_factors") == []
        assert "None of the young person&#x27;s current harm flags suggests a factor." in html

    def test_a_valid_completion_is_saved(self, client_for, practitioner, young_person, in_progress):
        response = client_for(practitioner).post(
            url("assessment_complete", young_person, in_progress.pk), complete_data(2)
        )

        assert response.status_code == 302
        in_progress.refresh_from_db()
        assert in_progress.status == "completed"
        assert sorted(in_progress.cin_factors.values_list("code", flat=True)) == ["13A", "24A"]

    def test_completed_before_it_started_is_refused_and_nothing_saved(
        self, client_for, practitioner, young_person, in_progress
    ):
        before = snapshot()

        response = client_for(practitioner).post(
            url("assessment_complete", young_person, in_progress.pk),
            complete_data(2, **date_fields("completed_on", days_ago(21))),
        )

        assert response.status_code == 400
        message = (
            "The date completed must be the same as or after the date started "
            f"({long_date(days_ago(20))})"
        )
        assert error_summary(response) == [message]
        assert field_errors(response) == {"id_completed_on": message}
        assert snapshot() == before

    def test_missing_answers_are_all_shown(
        self, client_for, practitioner, young_person, in_progress
    ):
        before = snapshot()

        response = client_for(practitioner).post(
            url("assessment_complete", young_person, in_progress.pk), {"version": "2"}
        )

        assert response.status_code == 400
        assert error_summary(response) == [
            "Enter the date the assessment was completed",
            "Enter the conclusion of the assessment",
            "Choose the nature of the harm found",
            "Choose the decision",
            'Choose the factors identified, or "No factors identified"',
        ]
        assert snapshot() == before

    def test_no_factors_with_other_factors_is_refused(
        self, client_for, practitioner, young_person, in_progress
    ):
        response = client_for(practitioner).post(
            url("assessment_complete", young_person, in_progress.pk),
            complete_data(2, cin_factors=["21", "24A"]),
        )

        assert response.status_code == 400
        assert error_summary(response) == [
            '"No factors identified" cannot be chosen with other factors'
        ]
        assert ticked(page(response), "cin_factors") == ["21", "24A"]

    def test_a_stale_version_keeps_the_answers(
        self, client_for, practitioner, young_person, in_progress
    ):
        add_factor(practitioner, in_progress, "online", "Added in another tab")  # version 3
        before = snapshot()

        response = client_for(practitioner).post(
            url("assessment_complete", young_person, in_progress.pk),
            complete_data(2, conclusion="My conclusion, typed with care"),
        )

        assert response.status_code == 400
        assert error_summary(response) == [CONFLICT]
        html = page(response)
        assert "My conclusion, typed with care" in html
        assert "Added in another tab" in section(html, "factors-to-confirm", "</ul>")
        assert hidden_version(html) == "3"
        assert snapshot() == before


# --- Authorising and returning ----------------------------------------------------------------


class TestAuthorise:
    def test_the_team_manager_authorises(self, client_for, team_manager, young_person, awaiting):
        client = client_for(team_manager)
        path = url("assessment_authorise", young_person, awaiting.pk)

        form = client.get(path)
        response = client.post(path, date_fields("authorised_on", days_ago(1)))

        assert form.status_code == 200
        assert response.status_code == 302
        awaiting.refresh_from_db()
        assert (awaiting.authorised_on, awaiting.authorised_by) == (days_ago(1), team_manager)
        assert messages_shown(client.get(response["Location"])) == ["Assessment authorised"]

    def test_a_practitioner_is_refused_with_the_services_message(
        self, client_for, practitioner, young_person, awaiting
    ):
        client = client_for(practitioner)
        path = url("assessment_authorise", young_person, awaiting.pk)
        before = snapshot()

        opened = client.get(path)
        response = client.post(path, date_fields("authorised_on", days_ago(1)))

        for refused in (opened, response):
            assert refused.status_code == 403
            assert error_summary(refused) == [AUTHORISE_REFUSED]
            assert "<form" not in page(refused).split("</header>", 1)[1].split("<footer", 1)[0]
        assert snapshot() == before

    def test_authorised_before_completed_is_refused_and_nothing_saved(
        self, client_for, team_manager, young_person, awaiting
    ):
        before = snapshot()

        response = client_for(team_manager).post(
            url("assessment_authorise", young_person, awaiting.pk),
            date_fields("authorised_on", days_ago(6)),
        )

        assert response.status_code == 400
        assert error_summary(response) == [
            "The date authorised must be the same as or after the date completed "
            f"({long_date(days_ago(5))})"
        ]
        assert snapshot() == before

    def test_an_assessment_in_progress_cannot_be_authorised(
        self, client_for, team_manager, young_person, in_progress
    ):
        client = client_for(team_manager)
        path = url("assessment_authorise", young_person, in_progress.pk)
        before = snapshot()

        opened = client.get(path)
        assert opened.status_code == 302
        assert messages_shown(client.get(opened["Location"])) == [
            "The assessment must be completed before it can be authorised"
        ]

        response = client.post(path, date_fields("authorised_on", today()))
        assert response.status_code == 400
        assert error_summary(response) == [
            "The assessment must be completed before it can be authorised"
        ]
        assert snapshot() == before


class TestReturn:
    def test_the_team_manager_returns_it(self, client_for, team_manager, young_person, awaiting):
        response = client_for(team_manager).post(
            url("assessment_return", young_person, awaiting.pk),
            {"reason": "Speak to the school first"},
        )

        assert response.status_code == 302
        awaiting.refresh_from_db()
        assert awaiting.status == "in_progress"

    def test_a_reason_is_needed(self, client_for, team_manager, young_person, awaiting):
        before = snapshot()

        response = client_for(team_manager).post(
            url("assessment_return", young_person, awaiting.pk), {"reason": ""}
        )

        assert response.status_code == 400
        assert error_summary(response) == ["Say what more is needed"]
        assert snapshot() == before

    def test_a_practitioner_is_refused(self, client_for, practitioner, young_person, awaiting):
        before = snapshot()

        response = client_for(practitioner).post(
            url("assessment_return", young_person, awaiting.pk), {"reason": "Please"}
        )

        assert response.status_code == 403
        assert error_summary(response) == [RETURN_REFUSED]
        assert snapshot() == before


# --- Query counts -----------------------------------------------------------------------------


def count_second_request(client, path, django_assert_num_queries, expected):
    client.get(path)  # warm the process-wide caches (content types)
    with django_assert_num_queries(expected):
        response = client.get(path)
    assert response.status_code == 200
    return response


class TestQueryCounts:
    # 1 session; 2 user; 3 young person with team (guardian subqueries inside); 4 INSERT of
    # the access log row; 5-6 user- and group-object permissions (can change?); 7 unread
    # notifications for the page shell; 8 the assessments with recorder and authoriser and
    # their count of current factors; 9-11 savepoint, session update, release.
    LIST = 11

    # 1 session; 2 user; 3 young person; 4 access log INSERT; 5 the assessment with referral,
    # recorder and authoriser; 6 its contextual factors with who recorded and withdrew them;
    # 7 its current CIN factors; 8 its maps with uploader; 9-10 user- and group-object
    # permissions; 11 the most recent return event with its actor (the content type is
    # cached); 12 unread notifications; 13-15 savepoint, session update, release.
    DETAIL = 15

    def test_list_with_one_assessment(
        self, client_for, practitioner, young_person, in_progress, django_assert_num_queries
    ):
        count_second_request(
            client_for(practitioner),
            url("assessment_list", young_person),
            django_assert_num_queries,
            self.LIST,
        )

    def test_list_with_many_assessments(
        self, client_for, practitioner, team_manager, young_person, django_assert_num_queries
    ):
        for number in range(12):
            assessment = start(practitioner, young_person, started_on=days_ago(30 + number))
            add_factor(practitioner, assessment)
            complete(practitioner, assessment, completed_on=days_ago(10))
            if number % 2:
                services.assessment_authorise(
                    actor=team_manager, assessment=assessment, authorised_on=days_ago(5)
                )

        response = count_second_request(
            client_for(practitioner),
            url("assessment_list", young_person),
            django_assert_num_queries,
            self.LIST,
        )
        assert len(table_rows(page(response), "assessment-list")) == 12

    def test_detail_with_little(
        self, client_for, practitioner, young_person, in_progress, django_assert_num_queries
    ):
        count_second_request(
            client_for(practitioner),
            url("assessment_detail", young_person, in_progress.pk),
            django_assert_num_queries,
            self.DETAIL,
        )

    def test_detail_with_much(
        self,
        client_for,
        practitioner,
        team_manager,
        young_person,
        in_progress,
        settings,
        tmp_path,
        django_assert_num_queries,
    ):
        settings.MEDIA_ROOT = tmp_path
        from cases.services.documents import document_upload

        for number in range(8):
            factor = add_factor(practitioner, in_progress, "online", f"Factor {number}")
            if number % 2:
                services.contextual_factor_withdraw(actor=team_manager, factor=factor)
            document_upload(
                actor=practitioner,
                young_person=young_person,
                uploaded=SimpleUploadedFile(f"m{number}.pdf", PDF),
                title=f"Map {number}",
                kind="peer_map" if number % 2 else "safety_map",
                assessment=in_progress,
                shaped_conclusion="Shaped it",
            )
        complete(practitioner, in_progress, cin_factor_codes=["24A", "13A", "10A"])
        services.assessment_return(actor=team_manager, assessment=in_progress, reason="More")

        response = count_second_request(
            client_for(practitioner),
            url("assessment_detail", young_person, in_progress.pk),
            django_assert_num_queries,
            self.DETAIL,
        )
        assert len(table_rows(page(response), "contextual-factors")) == 9
        assert len(table_rows(page(response), "maps")) == 8
