"""Subject access export: a team manager of the team holding the case gets, for
one young person, a zip archive of everything csafe holds about them, with a readable index,
and nothing about any other child; asking for it and each download are logged.

Each part of the record gets a distinctive "Kestrel" detail for the subject; another child of
the same team, linked to the same context by another practitioner, gets "Osprey" details in
every part, none of which may appear anywhere in the archive.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from cases import files
from cases import services as case_services
from cases.models import Document, LocationType
from cases.services import assessments, documents, notes, plans, relocations
from cases.services.oversight import oversight_note_record
from contexts.linking import services as link_services
from csafe.accounts.models import Role
from csafe.audit.models import AccessChannel, Event, EventKind, RecordAccess
from csafe.core.vocabulary import ContextKind
from csafe.exports.models import ExportJob, ExportStatus
from csafe.exports.permissions import NO_ACCESS_MESSAGE
from csafe.exports.runner import export_job_run
from csafe.exports.services import (
    MAX_ACTIVE_JOBS_PER_USER,
    TOO_MANY_ACTIVE,
    export_inline,
    export_start,
)
from harms.models import ArchiveReason, HarmType
from tests.cases.helpers import detail_url, sign_in_redirect
from tests.cases.plan_support import put_in_force
from tests.contexts.links_support import open_context
from tests.factories import UserFactory, YoungPersonFactory
from tests.html_pages import error_summary, text_of
from workspace import subject_access

pytestmark = pytest.mark.django_db

NOT_ALLOWED = [
    "practitioner",  # allocated: sees the record, but not its access log
    "teammate",
    "other_team_practitioner",
    "other_team_manager",
    "service_manager",
    "administrator",
]
CCE = "Child criminal exploitation, including county lines"
GANGS = "Gangs"
DOCUMENT_BYTES = b"Kestrel school report\nAttendance 92%\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"


def page_url(young_person) -> str:
    return reverse("cases:subject_access", args=[young_person.pk])


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    """Documents and exports in this test's own folders."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CSAFE_EXPORT_ROOT = tmp_path / "exports"
    settings.CSAFE_EXPORT_TTL_HOURS = 24
    return tmp_path


# --- Building records, through the services --------------------------------------------------


@dataclass
class Planted:
    young_person: object
    context: object
    document: object
    png: object


def plant(worker, manager, young_person, tag: str, context, *, copies: int = 1) -> Planted:
    """One row (or ``copies`` rows) in every part of ``young_person``'s record, each carrying
    ``tag`` in its free text."""
    cce = HarmType.objects.get(name=CCE)
    place = LocationType.objects.order_by("pk").first()
    document = png = None
    for n in range(copies):
        mark = f"{tag}{n}"
        case_services.referral_record(
            actor=worker,
            young_person=young_person,
            received_on=date(2025, 1, 6 + n),
            source="2A",
            reason=f"{mark} referral reason",
            nature_of_harm="extra_familial",
            decision="assessment",
            harms=[case_services.HarmInput(cce)] if n == 0 else [],
            locations=[case_services.LocationInput(place, place_name=f"{mark} stairwell")],
        )
        flag = case_services.harm_flag_raise(
            actor=worker,
            young_person=young_person,
            harm_type=HarmType.objects.filter(nature="extra_familial", is_active=True)
            .exclude(name=CCE)
            .order_by("pk")[n],
            identified_at="assessment",
            identified_on=date(2025, 1, 20),
            note=f"{mark} flag note",
        )
        case_services.harm_flag_archive(
            actor=worker,
            flag=flag,
            reason=ArchiveReason.NO_LONGER,
            rationale=f"{mark} archive rationale",
        )
        case_services.harm_flag_reinstate(
            actor=worker, flag=flag, reason=f"{mark} reinstate reason"
        )
        assessment = assessments.assessment_start(
            actor=worker,
            young_person=young_person,
            started_on=date(2025, 1, 10),
            peers=f"{mark} peers prompt",
        )
        answered = assessments.contextual_factor_add(
            actor=worker,
            assessment=assessment,
            domain="peer_group",
            description=f"{mark} factor answered",
        )
        left_open = assessments.contextual_factor_add(
            actor=worker, assessment=assessment, domain="location", description=f"{mark} open"
        )
        assessments.assessment_complete(
            actor=worker,
            assessment=assessment,
            completed_on=date(2025, 2, 3),
            conclusion=f"{mark} conclusion",
            outcome_nature="extra_familial",
            decision="cin",
            cin_factor_codes=["24A"],
        )
        assessments.assessment_authorise(
            actor=manager,
            assessment=assessment,
            authorised_on=date(2025, 2, 5),
            reason=f"{mark} authorisation reasoning",
        )
        oversight_note_record(
            actor=manager,
            young_person=young_person,
            recorded_on=date(2025, 2, 6),
            decision=f"{mark} oversight decision",
            reasons=f"{mark} oversight reasons",
            next_review_on=date(2025, 5, 6),
        )
        plan = plans.plan_create(
            actor=worker,
            young_person=young_person,
            kind=["cin", "cp", "looked_after", "early_help"][n % 4],
            start_date=date(2025, 2, 10),
            review_date=date(2025, 5, 1),
            summary=f"{mark} plan summary",
        )
        plans.plan_action_add(
            actor=worker,
            plan=plan,
            description=f"{mark} detached youth work",
            owner="Youth service lead",
            is_contextual=True,
            target_context_kind="location",
            partner_agency="youth_service",
            factor=answered,
        )
        plans.plan_factor_not_addressed(
            actor=worker, plan=plan, factor=left_open, reason=f"{mark} gap reason"
        )
        put_in_force(worker, plan, finalised_on=date(2025, 2, 12))
        plans.plan_review(
            actor=worker,
            plan=plan,
            reviewed_on=date(2025, 3, 15),
            next_review_date=date(2025, 6, 15),
            summary=f"{mark} review summary",
        )
        relocations.relocation_record(
            actor=worker,
            young_person=young_person,
            moved_on=date(2025, 3, 20),
            kind="out_of_area",
            destination="Northshire",
            reason=f"{mark} relocation reason",
            because_of_extra_familial_harm=True,
            plan=plan,
            plan_addresses_factors="yes",
        )
        notes.case_note_add(
            actor=worker,
            young_person=young_person,
            noted_on=date(2025, 3, 25),
            subject=f"{mark} visit",
            body=f"{mark} note body <script>alert(1)</script>",
        )
        document = documents.document_upload(
            actor=worker,
            young_person=young_person,
            uploaded=SimpleUploadedFile(f"../../{mark} report <final>.txt", DOCUMENT_BYTES),
            title=f"{mark} school report",
        )
        png = documents.document_upload(
            actor=worker,
            young_person=young_person,
            uploaded=SimpleUploadedFile(f"{mark} map.png", PNG_BYTES),
            title=f"{mark} safety map picture",
        )
        if n:
            extra = open_context(worker, kind=ContextKind.SCHOOL, label=f"Academy {tag} {n}")
            link_services.context_link_young_person(
                actor=worker, context=extra, young_person=young_person, reason=f"{mark} school"
            )
        holiday = UserFactory(first_name=f"Cover{n}", role=Role.PRACTITIONER, team=manager.team)
        cover = case_services.young_person_allocate_worker(
            actor=manager, young_person=young_person, worker=holiday
        )
        case_services.young_person_deallocate_worker(
            actor=manager, allocation=cover, reason=f"{mark} cover over"
        )
    link_services.context_link_young_person(
        actor=worker, context=context, young_person=young_person, reason=f"{tag} link reason"
    )
    return Planted(young_person=young_person, context=context, document=document, png=png)


@pytest.fixture
def shared_context(practitioner):
    return open_context(practitioner, area="Riverside")


@pytest.fixture
def subject(team_manager, practitioner, shared_context):
    person = YoungPersonFactory(
        actor=team_manager,
        first_name="Zephyrine",
        last_name="Quillfeather",
        town="Kestrelford",
        gender_identity="Kestrel in her own words",
    )
    case_services.young_person_allocate_worker(
        actor=team_manager, young_person=person, worker=practitioner
    )
    return plant(practitioner, team_manager, person, "Kestrel", shared_context)


@pytest.fixture
def other_child(team_manager, teammate, shared_context):
    """Held by the same team (so the same manager may export them too), worked by ``teammate``,
    linked to the same context."""
    person = YoungPersonFactory(
        actor=team_manager,
        first_name="Ottoline",
        last_name="Vexworth",
        town="Ospreyton",
        local_identifier="OSPREY-0001",
    )
    case_services.young_person_allocate_worker(
        actor=team_manager, young_person=person, worker=teammate
    )
    return plant(teammate, team_manager, person, "Osprey", shared_context)


# --- Getting the archive ----------------------------------------------------------------------


def start(client, young_person, capture):
    """Ask for the export on the page; the job runs (eagerly) once the request commits."""
    with capture(execute=True):
        response = client.post(page_url(young_person))
    job = ExportJob.objects.filter(source_key=subject_access.SOURCE_KEY).latest("pk")
    return response, job


def download(client, job):
    response = client.post(reverse("exports:export_download", args=[job.pk]))
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response, body


def archive_of(body: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def section_rows(contents: dict[str, bytes], key: str) -> list[dict[str, str]]:
    text = contents[f"sections/{key}.csv"].decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def exported(
    client_for, practitioner, team_manager, subject, other_child, django_capture_on_commit_callbacks
):
    # The allocated practitioner has looked at the record: the access log has their row.
    assert client_for(practitioner).get(detail_url(subject.young_person)).status_code == 200
    client = client_for(team_manager)
    response, job = start(client, subject.young_person, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response.url == reverse("exports:export_job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    download_response, body = download(client, job)
    assert download_response.status_code == 200
    return job, download_response, archive_of(body)


# --- What the archive holds -------------------------------------------------------------------


def test_the_archive_holds_an_index_the_whole_record_and_a_csv_per_section(exported):
    job, response, contents = exported
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        f'attachment; filename="subject-access-export-{job.params["young_person"]}.zip"'
    )
    keys = [
        "personal_details",
        "personal_details_history",
        "allocations",
        "harm_flags",
        "harm_flag_history",
        "referrals",
        "locations_of_harm",
        "assessments",
        "assessment_cin_factors",
        "contextual_factors",
        "plans",
        "plan_actions",
        "plan_factor_gaps",
        "plan_reviews",
        "relocations",
        "case_notes",
        "management_oversight",
        "documents",
        "context_links",
        "access_log",
        "audit_events",
    ]
    assert {"index.html", "record.json"} | {f"sections/{key}.csv" for key in keys} <= set(contents)
    record = json.loads(contents["record.json"])
    assert list(record["sections"]) == keys
    assert [s["title"] for s in record["sections"].values()] == list(subject_access.SECTION_TITLES)
    index = contents["index.html"].decode()
    contents_list = index.split('<h2 id="contents">Contents</h2>')[1].split("</ol>")[0]
    assert [
        text_of(item).split(" (")[0] for item in re.findall(r"<li>(.*?)</li>", contents_list)
    ] == (list(subject_access.SECTION_TITLES))
    for key in keys:
        assert f'href="sections/{key}.csv"' in index
        assert f'id="{key}"' in index


# (section, column, a detail planted in that part of the subject's record)
CANARIES = [
    ("personal_details", "Town", "Kestrelford"),
    ("personal_details", "Gender identity", "Kestrel in her own words"),
    ("personal_details_history", "Town", "Kestrelford"),
    ("allocations", "Why it ended", "Kestrel0 cover over"),
    ("harm_flags", "Note", "Kestrel0 flag note"),
    ("harm_flags", "Why reinstated", "Kestrel0 reinstate reason"),
    ("harm_flag_history", "Archive rationale", "Kestrel0 archive rationale"),
    ("referrals", "Reason", "Kestrel0 referral reason"),
    ("referrals", "Harm flags raised", CCE),
    ("locations_of_harm", "Place", "Kestrel0 stairwell"),
    ("assessments", "Peers and friendships", "Kestrel0 peers prompt"),
    ("assessments", "Conclusion", "Kestrel0 conclusion"),
    ("assessments", "Manager's reasoning", "Kestrel0 authorisation reasoning"),
    ("management_oversight", "Reasons", "Kestrel0 oversight reasons"),
    ("management_oversight", "Recorded by", "Mona Tester"),
    ("assessment_cin_factors", "Code", "24A"),
    ("contextual_factors", "Description", "Kestrel0 factor answered"),
    ("plans", "What the plan is for", "Kestrel0 plan summary"),
    ("plan_actions", "Action", "Kestrel0 detached youth work"),
    ("plan_factor_gaps", "Why not addressed", "Kestrel0 gap reason"),
    ("plan_reviews", "Summary", "Kestrel0 review summary"),
    ("relocations", "Reason", "Kestrel0 relocation reason"),
    ("case_notes", "Note", "Kestrel0 note body <script>alert(1)</script>"),
    ("documents", "Title", "Kestrel0 school report"),
    ("context_links", "Why linked", "Kestrel link reason"),
    ("context_links", "Context", "Riverside"),
    ("access_log", "Who", "Pat Tester"),
    ("audit_events", "What happened", "Subject access export asked for"),
]


def test_each_part_of_the_record_is_in_its_section_and_the_index(exported):
    _job, _response, contents = exported
    index = contents["index.html"].decode()
    missing = []
    for key, column, expected in CANARIES:
        values = [row[column] for row in section_rows(contents, key)]
        if not any(expected in value for value in values):
            missing.append((key, column, expected, values))
        # In the index too, escaped.
        if escape(expected) not in index:
            missing.append(("index.html", key, expected))
    assert missing == []


def test_nothing_about_another_child_is_in_the_archive(exported, subject, other_child, teammate):
    _job, _response, contents = exported
    person = other_child.young_person
    forbidden = [
        "Osprey",
        "Ottoline",
        "Vexworth",
        person.local_identifier,
        # The other child's worker: a professional-level detail of that context's other links.
        str(teammate),
    ]
    for name, data in contents.items():
        text = data.decode("utf-8", errors="replace")
        for canary in forbidden:
            assert canary not in text, f"{canary!r} found in {name}"
    links = section_rows(contents, "context_links")
    assert [row["Why linked"] for row in links if row["Context"] == subject.context.name] == [
        "Kestrel link reason"
    ]


def test_the_documents_are_in_the_archive_byte_for_byte_under_safe_names(exported, subject):
    _job, _response, contents = exported
    report = f"documents/{subject.document.pk}-Kestrel0_report_final_.txt"
    picture = f"documents/{subject.png.pk}-Kestrel0_map.png"
    assert sorted(n for n in contents if n.startswith("documents/")) == sorted([report, picture])
    assert contents[report] == DOCUMENT_BYTES
    assert contents[picture] == PNG_BYTES
    index = contents["index.html"].decode()
    assert f'<a href="{report}">{report}</a>' in index
    assert [row["File in this archive"] for row in section_rows(contents, "documents")] == [
        picture,
        report,
    ]


def test_the_index_is_self_contained_and_escapes_what_people_typed(exported, team_manager):
    _job, _response, contents = exported
    index = contents["index.html"].decode()
    assert "<script" not in index
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", index)
    assert "<link" not in index
    assert "Produced by</dt><dd>Mona Tester</dd>" in index
    assert "<h1>Everything held about Zephyrine Quillfeather</h1>" in index


def test_a_cell_that_looks_like_a_formula_is_not_run_by_a_spreadsheet(
    client_for, team_manager, practitioner, django_capture_on_commit_callbacks
):
    person = YoungPersonFactory(actor=team_manager)
    notes.case_note_add(
        actor=team_manager,
        young_person=person,
        noted_on=date(2025, 3, 1),
        subject='=HYPERLINK("http://example.invalid")',
        body="Seen",
    )
    client = client_for(team_manager)
    _response, job = start(client, person, django_capture_on_commit_callbacks)
    _download, body = download(client, job)
    contents = archive_of(body)
    assert [row["Subject"] for row in section_rows(contents, "case_notes")] == [
        '\'=HYPERLINK("http://example.invalid")'
    ]
    record = json.loads(contents["record.json"])
    assert record["sections"]["case_notes"]["rows"][0]["subject"] == (
        '=HYPERLINK("http://example.invalid")'
    )


def test_a_document_missing_from_storage_is_listed_as_missing(
    client_for, team_manager, subject, django_capture_on_commit_callbacks
):
    files.path_for(subject.png.stored_name).unlink()
    client = client_for(team_manager)
    _response, job = start(client, subject.young_person, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    _download, body = download(client, job)
    contents = archive_of(body)
    assert [n for n in contents if n.startswith("documents/")] == [
        f"documents/{subject.document.pk}-Kestrel0_report_final_.txt"
    ]
    assert (
        "1 document could not be read from storage and is not in this archive. "
        "Tell your system administrator."
    ) in text_of(contents["index.html"].decode())


# --- Who may have it --------------------------------------------------------------------------


def test_the_team_manager_sees_the_page_and_the_link_on_the_record(
    client_for, team_manager, young_person
):
    client = client_for(team_manager)
    response = client.get(page_url(young_person))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="subject-access-start"' in html
    listed = re.search(r'data-testid="subject-access-sections">(.*?)</ul>', html, re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", listed) == list(subject_access.SECTION_TITLES)
    record = client.get(detail_url(young_person)).content.decode()
    assert f'href="{page_url(young_person)}" data-testid="subject-access-link"' in record


@pytest.mark.parametrize("user", NOT_ALLOWED)
def test_everyone_else_gets_404_and_no_export(request, client_for, user, young_person):
    client = client_for(request.getfixturevalue(user))
    assert client.get(page_url(young_person)).status_code == 404
    assert client.post(page_url(young_person)).status_code == 404
    assert not ExportJob.objects.exists()
    assert not Event.objects.filter(kind=EventKind.SUBJECT_ACCESS_REQUESTED).exists()


def test_the_allocated_practitioner_sees_no_link_on_the_record(
    client_for, practitioner, young_person
):
    record = client_for(practitioner).get(detail_url(young_person)).content.decode()
    assert 'data-testid="subject-access-link"' not in record


def test_anonymous_visitors_are_sent_to_sign_in(client, young_person):
    url = page_url(young_person)
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302
        assert response.url == sign_in_redirect(url)
    assert not ExportJob.objects.exists()


def test_an_unknown_record_is_404(client_for, team_manager):
    assert (
        client_for(team_manager).get(reverse("cases:subject_access", args=[999999])).status_code
        == 404
    )


def test_only_the_person_who_asked_may_download(
    client_for, team_manager, young_person, django_capture_on_commit_callbacks
):
    _response, job = start(
        client_for(team_manager), young_person, django_capture_on_commit_callbacks
    )
    colleague = UserFactory(role=Role.TEAM_MANAGER, team=team_manager.team)
    response, _body = download(client_for(colleague), job)
    assert response.status_code == 404


def test_a_manager_who_lost_the_case_cannot_download_it(
    client_for, team_manager, team_b, young_person, django_capture_on_commit_callbacks
):
    client = client_for(team_manager)
    _response, job = start(client, young_person, django_capture_on_commit_callbacks)
    case_services.young_person_transfer_team(
        actor=team_manager, young_person=young_person, team=team_b, reason="Moved area"
    )
    logged = RecordAccess.objects.count()
    response, _body = download(client, job)
    assert response.status_code == 404
    assert RecordAccess.objects.count() == logged
    assert not Event.objects.filter(kind=EventKind.SUBJECT_ACCESS_DOWNLOADED).exists()


def test_a_job_run_after_access_was_lost_fails_without_a_file(
    client_for, team_manager, team_b, young_person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        client_for(team_manager).post(page_url(young_person))
    job = ExportJob.objects.get()
    case_services.young_person_transfer_team(
        actor=team_manager, young_person=young_person, team=team_b, reason="Moved area"
    )
    assert export_job_run(job_id=job.pk) == ExportStatus.FAILED
    job.refresh_from_db()
    assert job.error == NO_ACCESS_MESSAGE
    assert job.stored_name == ""


@pytest.mark.parametrize("value", ["1", None, True, 1.0])
def test_params_that_are_not_a_record_id_are_refused(team_manager, young_person, value):
    with pytest.raises(Http404):
        export_start(
            user=team_manager, source_key=subject_access.SOURCE_KEY, params={"young_person": value}
        )


def test_too_many_exports_at_once_is_refused_with_a_message(
    client_for, team_manager, young_person, django_capture_on_commit_callbacks
):
    for _ in range(MAX_ACTIVE_JOBS_PER_USER):
        other = YoungPersonFactory(actor=team_manager)
        with django_capture_on_commit_callbacks(execute=False):
            subject_access.subject_access_export_request(
                actor=team_manager, young_person_pk=other.pk
            )
    response = client_for(team_manager).post(page_url(young_person))
    assert response.status_code == 400
    assert error_summary(response) == [TOO_MANY_ACTIVE]
    assert not Event.objects.filter(
        kind=EventKind.SUBJECT_ACCESS_REQUESTED, young_person=young_person
    ).exists()


# --- Logging ----------------------------------------------------------------------------------


def test_asking_and_each_download_are_logged(
    client_for, team_manager, young_person, django_capture_on_commit_callbacks
):
    client = client_for(team_manager)
    _response, job = start(client, young_person, django_capture_on_commit_callbacks)
    asked = Event.objects.get(kind=EventKind.SUBJECT_ACCESS_REQUESTED)
    assert (asked.actor, asked.young_person, asked.target_id, asked.detail) == (
        team_manager,
        young_person,
        str(young_person.pk),
        {"export_job": job.pk},
    )
    exported_rows = RecordAccess.objects.filter(channel=AccessChannel.EXPORT)
    assert not exported_rows.exists()

    for times in (1, 2):
        response, _body = download(client, job)
        assert response.status_code == 200
        assert (
            list(exported_rows.values_list("user", "young_person", "resource"))
            == [(team_manager.pk, young_person.pk, f"export:{job.pk}")] * times
        )
        downloads = Event.objects.filter(kind=EventKind.SUBJECT_ACCESS_DOWNLOADED)
        assert (
            list(downloads.values_list("actor", "young_person", "detail"))
            == [(team_manager.pk, young_person.pk, {"export": f"export:{job.pk}"})] * times
        )


def test_written_at_once_it_is_a_zip_and_is_logged_the_same_way(team_manager, young_person):
    result = export_inline(
        user=team_manager,
        source_key=subject_access.SOURCE_KEY,
        params={"young_person": young_person.pk},
    )
    assert isinstance(result.content, bytes)
    assert result.filename == f"subject-access-export-{young_person.pk}.zip"
    contents = archive_of(result.content)
    assert section_rows(contents, "personal_details")[0]["Last name"] == "Quillfeather"
    resource = f"export:inline:{subject_access.SOURCE_KEY}"
    assert (
        RecordAccess.objects.filter(
            young_person=young_person, channel=AccessChannel.EXPORT, resource=resource
        ).count()
        == 1
    )
    assert (
        Event.objects.filter(
            kind=EventKind.SUBJECT_ACCESS_DOWNLOADED, detail={"export": resource}
        ).count()
        == 1
    )


# --- Cost -------------------------------------------------------------------------------------


def queries_to_write(user, young_person) -> int:
    # Fetched as the export fetches it (with its team), before counting.
    young_person = subject_access.young_person_for_export(user=user, pk=young_person.pk)
    with CaptureQueriesContext(connection) as queries:
        subject_access.write_archive(
            user=user, young_person=young_person, out=io.BytesIO(), progress=lambda rows: None
        )
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_record(
    team_manager, practitioner, teammate, shared_context
):
    one = YoungPersonFactory(actor=team_manager)
    case_services.young_person_allocate_worker(
        actor=team_manager, young_person=one, worker=practitioner
    )
    plant(practitioner, team_manager, one, "One", shared_context)
    many = YoungPersonFactory(actor=team_manager)
    case_services.young_person_allocate_worker(
        actor=team_manager, young_person=many, worker=teammate
    )
    plant(teammate, team_manager, many, "Many", shared_context, copies=4)
    assert Document.objects.filter(young_person=many).count() == 8
    # 1 details history; 1 allocations; 1 flags; 1 flag history; 3 referrals (referrals,
    # locations, flags raised with their harm types joined); 1 assessments; 1 CIN factors;
    # 1 contextual factors; 1 plans; 1 actions; 1 gaps; 1 reviews; 1 relocations; 1 notes;
    # 1 management oversight; 1 documents; 1 context links; 1 access log; 1 events.
    expected = 21
    assert queries_to_write(team_manager, one) == expected
    assert queries_to_write(team_manager, many) == expected
