"""The chronology: everything on a young person's record, newest first (selector and page).

Every kind of record appears on the date it happened (not the date it was typed in) with its
title, who recorded it and a link to where it lives; entries on the same day keep the order they
were recorded in; the page filters by kind, pages at 100 and is seen only by those who may see
the record. Query counts are pinned in test_query_counts.py::TestChronology.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import OversightNote
from cases.selectors.chronology import ChronologyKind, chronology_for_young_person
from cases.services import assessments, documents, notes, oversight, plans, relocations
from csafe.accounts.models import Role
from csafe.audit.models import RecordAccess
from harms.models import ArchiveReason, HarmType
from tests.cases.helpers import detail_url, sign_in_redirect
from tests.cases.plan_support import put_in_force
from tests.factories import UserFactory
from tests.html_pages import text_of

pytestmark = pytest.mark.django_db

ALLOWED = ["practitioner", "team_manager"]
FORBIDDEN = [
    "teammate",
    "other_team_practitioner",
    "other_team_manager",
    "service_manager",
    "administrator",
]
CCE = "Child criminal exploitation, including county lines"
GANGS = "Gangs"


def chronology_url(young_person) -> str:
    return reverse("cases:chronology", args=[young_person.pk])


# --- Building records, through the services --------------------------------------------------


def note(actor, young_person, noted_on: date, subject: str, body: str = "Seen at home"):
    return notes.case_note_add(
        actor=actor, young_person=young_person, noted_on=noted_on, subject=subject, body=body
    )


def referral(actor, young_person, received_on: date, **extra):
    arguments = {
        "source": "2A",
        "reason": "Seen with older young people near the station",
        "nature_of_harm": "extra_familial",
        "decision": "assessment",
    } | extra
    return case_services.referral_record(
        actor=actor, young_person=young_person, received_on=received_on, **arguments
    )


def authorised_assessment(
    practitioner, manager, young_person, *, started_on, completed_on, authorised_on, **start
):
    """An assessment with one contextual factor, completed and authorised."""
    assessment = assessments.assessment_start(
        actor=practitioner, young_person=young_person, started_on=started_on, **start
    )
    factor = assessments.contextual_factor_add(
        actor=practitioner,
        assessment=assessment,
        domain="peer_group",
        description="Spends evenings with an older group at the retail park",
    )
    assessments.assessment_complete(
        actor=practitioner,
        assessment=assessment,
        completed_on=completed_on,
        conclusion="Harm outside the family, from an older peer group",
        outcome_nature="extra_familial",
        decision="cin",
        cin_factor_codes=["24A"],
    )
    assessments.assessment_authorise(
        actor=manager,
        assessment=assessment,
        authorised_on=authorised_on,
        reason="The evidence supports the conclusion and the decision",
    )
    return assessment, factor


@dataclass
class FullRecord:
    referral: object
    assessment: object
    plan: object
    relocation: object
    note: object
    document: object


@pytest.fixture
def full_record(settings, tmp_path, practitioner, team_manager, young_person) -> FullRecord:
    """One or more entries of every kind. The dated events are in 2025; allocations, added
    actions, archived and reinstated flags and documents are dated today, when they happened.
    The young person fixture already has its team and ``practitioner`` allocated (today)."""
    settings.MEDIA_ROOT = tmp_path
    outcome = referral(
        practitioner,
        young_person,
        date(2025, 1, 6),
        harms=[case_services.HarmInput(HarmType.objects.get(name=CCE))],
    )
    assessment, factor = authorised_assessment(
        practitioner,
        team_manager,
        young_person,
        started_on=date(2025, 1, 10),
        completed_on=date(2025, 2, 3),
        authorised_on=date(2025, 2, 5),
        referral=outcome.referral,
    )
    gangs = case_services.harm_flag_raise(
        actor=practitioner,
        young_person=young_person,
        harm_type=HarmType.objects.get(name=GANGS),
        identified_at="assessment",
        identified_on=date(2025, 1, 20),
    )
    plan = plans.plan_create(
        actor=practitioner,
        young_person=young_person,
        kind="cin",
        start_date=date(2025, 2, 10),
        review_date=date(2025, 5, 1),
    )
    plans.plan_action_add(
        actor=practitioner,
        plan=plan,
        description="Detached youth work at the retail park",
        owner="Youth service lead",
        is_contextual=True,
        target_context_kind="location",
        partner_agency="youth_service",
        factor=factor,
    )
    weekly = plans.plan_action_add(
        actor=practitioner, plan=plan, description="Weekly visits at home", owner="Pat Tester"
    )
    put_in_force(practitioner, plan, finalised_on=date(2025, 2, 12))
    plans.plan_action_update_progress(
        actor=practitioner, action=weekly, progress="done", completed_on=date(2025, 3, 10)
    )
    plans.plan_review(
        actor=practitioner,
        plan=plan,
        reviewed_on=date(2025, 3, 15),
        next_review_date=date(2025, 6, 15),
        summary="Going well",
    )
    relocation = relocations.relocation_record(
        actor=practitioner,
        young_person=young_person,
        moved_on=date(2025, 3, 20),
        kind="out_of_area",
        destination="Northshire",
        reason="Away from the group",
        because_of_extra_familial_harm=True,
        plan=plan,
        plan_addresses_factors="yes",
    )
    home_visit = note(
        practitioner,
        young_person,
        date(2025, 3, 25),
        "Home visit",
        "Seen at home with mum.\nSettled.",
    )
    plans.plan_end(
        actor=practitioner, plan=plan, ended_on=date(2025, 4, 1), reason="Needs met by the plan"
    )
    oversight.oversight_note_record(
        actor=team_manager,
        young_person=young_person,
        recorded_on=date(2025, 4, 10),
        decision="Close to the service",
        reasons="The plan met its aims",
        next_review_on=None,
    )
    case_services.harm_flag_archive(
        actor=practitioner, flag=gangs, reason=ArchiveReason.NO_LONGER, rationale="Left the group"
    )
    case_services.harm_flag_reinstate(
        actor=practitioner, flag=gangs, reason="Seen with the group again"
    )
    letter = documents.document_upload(
        actor=practitioner,
        young_person=young_person,
        uploaded=SimpleUploadedFile("letter.txt", b"A letter from school"),
        title="Letter from school",
    )
    walter = UserFactory(first_name="Walter", role=Role.PRACTITIONER, team=team_manager.team)
    cover = case_services.young_person_allocate_worker(
        actor=team_manager, young_person=young_person, worker=walter
    )
    case_services.young_person_deallocate_worker(
        actor=team_manager, allocation=cover, reason="Holiday cover over"
    )
    return FullRecord(
        referral=outcome.referral,
        assessment=assessment,
        plan=plan,
        relocation=relocation,
        note=home_visit,
        document=letter,
    )


# --- Reading the page -------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    kind: str
    title: str
    href: str
    by: str
    on: str  # the <time datetime>
    date_text: str
    tag: str
    detail: str


def shown_entries(response) -> list[Shown]:
    """The timeline items on the page, in order."""
    html = response.content.decode()
    rows = []
    for chunk in html.split('<div class="moj-timeline__item" data-kind="')[1:]:
        kind = chunk.split('"', 1)[0]
        title = re.search(r'<h3 class="moj-timeline__title">(.*?)</h3>', chunk, re.S).group(1)
        href = re.search(r'href="([^"]*)"', title)
        by = re.search(r'<p class="moj-timeline__byline">(.*?)</p>', chunk, re.S)
        when = re.search(r'<time datetime="([^"]+)">(.*?)</time>', chunk, re.S)
        tag = re.search(r'<strong class="govuk-tag govuk-tag--grey">(.*?)</strong>', chunk, re.S)
        detail = re.search(r'<div class="moj-timeline__description">(.*?)</div>', chunk, re.S)
        rows.append(
            Shown(
                kind=kind,
                title=text_of(title),
                href=href.group(1) if href else "",
                by=text_of(by.group(1)) if by else "",
                on=when.group(1),
                date_text=text_of(when.group(2)),
                tag=text_of(tag.group(1)),
                detail=detail.group(1).strip() if detail else "",
            )
        )
    return rows


def count_line(response) -> str:
    match = re.search(
        r'<p class="govuk-body" data-testid="chronology-count">(.*?)</p>',
        response.content.decode(),
        re.S,
    )
    return text_of(match.group(1))


def checked_kinds(response) -> list[str]:
    return re.findall(
        r'<input[^>]*name="kind"[^>]*value="([^"]+)"[^>]*checked', response.content.decode()
    )


CLEAR_FILTER = "Clear filter"


# --- The selector -----------------------------------------------------------------------------


class TestEveryKind:
    def test_each_kind_on_the_date_it_happened_newest_first(
        self, full_record, young_person, practitioner
    ):
        today = timezone.localdate()
        entries = chronology_for_young_person(young_person=young_person)

        assert [(e.on, e.kind, e.title, e.by) for e in entries] == [
            # Today, newest first in the order recorded.
            (today, "allocation", "Worker allocation ended: Walter Tester", "Mona Tester"),
            (today, "allocation", "Worker allocated: Walter Tester", "Mona Tester"),
            (today, "document", "Document added: Letter from school", "Pat Tester"),
            (today, "flag", "Harm flag reinstated: Gangs", "Pat Tester"),
            (today, "flag", "Harm flag archived: Gangs", "Pat Tester"),
            (today, "plan", "Plan action added", "Pat Tester"),
            (today, "plan", "Contextual action added", "Pat Tester"),
            (today, "allocation", "Worker allocated: Pat Tester", "Mona Tester"),
            (today, "allocation", "Team allocated: Team A", "Mona Tester"),
            # The dates things happened, as recorded.
            (date(2025, 4, 10), "oversight", "Management oversight", "Mona Tester"),
            (date(2025, 4, 1), "plan", "Child in need plan ended", "Pat Tester"),
            (date(2025, 3, 25), "note", "Case note: Home visit", "Pat Tester"),
            (date(2025, 3, 20), "relocation", "Relocation: Out-of-area placement", "Pat Tester"),
            (date(2025, 3, 15), "plan", "Child in need plan reviewed", "Pat Tester"),
            (date(2025, 3, 10), "plan", "Plan action done", "Pat Tester"),
            (date(2025, 2, 12), "plan", "Child in need plan signed off", "Mona Tester"),
            (date(2025, 2, 10), "plan", "Child in need plan starts", "Pat Tester"),
            (date(2025, 2, 5), "assessment", "Assessment authorised", "Mona Tester"),
            (date(2025, 2, 3), "assessment", "Assessment completed", "Pat Tester"),
            (date(2025, 1, 20), "flag", "Harm flag raised: Gangs", "Pat Tester"),
            (date(2025, 1, 10), "assessment", "Assessment started", "Pat Tester"),
            # Raised by the referral, so recorded just after it on the same day.
            (date(2025, 1, 6), "flag", f"Harm flag raised: {CCE}", "Pat Tester"),
            (date(2025, 1, 6), "referral", "Referral received", "Pat Tester"),
        ]
        assert {e.kind for e in entries} == set(ChronologyKind.values)

    def test_details(self, full_record, young_person):
        details = {
            e.title: e.detail for e in chronology_for_young_person(young_person=young_person)
        }

        assert details["Referral received"] == (
            "From Schools. Nature of harm: Extra-familial. Decision: Child and family assessment."
        )
        assert details["Assessment completed"] == (
            "Nature of harm found: Extra-familial. Decision: Child in need plan."
        )
        assert details["Harm flag raised: Gangs"] == "Extra-familial, identified at Assessment."
        assert details["Harm flag archived: Gangs"] == "No longer a concern."
        assert details["Contextual action added"] == (
            "Neighbourhood or location, with Youth service: Detached youth work at the retail park"
        )
        assert details["Plan action added"] == "Weekly visits at home"
        assert details["Plan action done"] == "Weekly visits at home"
        assert details["Child in need plan reviewed"] == "Next review 15 June 2025."
        assert details["Child in need plan ended"] == "Needs met by the plan"
        assert details["Management oversight"] == (
            "Decision: Close to the service\nReasons: The plan met its aims"
        )
        assert details["Assessment authorised"] == (
            "Authorised: Extra-familial; child in need plan. Reasoning: The evidence supports "
            "the conclusion and the decision"
        )
        assert details["Relocation: Out-of-area placement"] == (
            "To Northshire. Moved because of extra-familial harm. Plan addresses the contextual "
            "factors: Yes."
        )
        assert details["Case note: Home visit"] == "Seen at home with mum.\nSettled."
        assert details["Worker allocation ended: Walter Tester"] == "Holiday cover over"

    def test_links(self, full_record, young_person):
        record = detail_url(young_person)
        links = {e.title: e.url for e in chronology_for_young_person(young_person=young_person)}
        assessment = reverse(
            "cases:assessment_detail", args=[young_person.pk, full_record.assessment.pk]
        )
        plan = reverse("cases:plan_detail", args=[young_person.pk, full_record.plan.pk])

        assert links == {
            "Referral received": f"{record}#referral-{full_record.referral.pk}",
            f"Harm flag raised: {CCE}": f"{record}#harm-flags-heading",
            "Harm flag raised: Gangs": f"{record}#harm-flags-heading",
            "Harm flag archived: Gangs": f"{record}#harm-flags-heading",
            "Harm flag reinstated: Gangs": f"{record}#harm-flags-heading",
            "Assessment started": assessment,
            "Assessment completed": assessment,
            "Assessment authorised": assessment,
            "Child in need plan starts": plan,
            "Child in need plan signed off": plan,
            "Child in need plan reviewed": plan,
            "Child in need plan ended": plan,
            "Contextual action added": plan,
            "Plan action added": plan,
            "Plan action done": plan,
            "Relocation: Out-of-area placement": reverse(
                "cases:relocation_list", args=[young_person.pk]
            ),
            "Case note: Home visit": reverse("cases:note_list", args=[young_person.pk]),
            "Management oversight": reverse("cases:oversight_list", args=[young_person.pk])
            + f"#oversight-{OversightNote.objects.get().pk}",
            "Document added: Letter from school": reverse(
                "cases:document_download", args=[young_person.pk, full_record.document.pk]
            ),
            # Allocations live on the record's overview, which the page links to already.
            "Worker allocated: Pat Tester": "",
            "Team allocated: Team A": "",
            "Worker allocated: Walter Tester": "",
            "Worker allocation ended: Walter Tester": "",
        }

    def test_an_empty_kind_list_means_every_kind(self, full_record, young_person):
        everything = chronology_for_young_person(young_person=young_person)

        assert chronology_for_young_person(young_person=young_person, kinds=[]) == everything
        assert (
            chronology_for_young_person(young_person=young_person, kinds=ChronologyKind.values)
            == everything
        )

    def test_kinds_chosen_and_unknown_kinds_ignored(self, full_record, young_person):
        entries = chronology_for_young_person(
            young_person=young_person, kinds=["relocation", "note", "nonsense"]
        )

        assert [e.title for e in entries] == [
            "Case note: Home visit",
            "Relocation: Out-of-area placement",
        ]
        assert chronology_for_young_person(
            young_person=young_person, kinds=["nonsense"]
        ) == chronology_for_young_person(young_person=young_person)

    def test_a_quiet_record_has_its_allocations(self, young_person):
        assert [e.title for e in chronology_for_young_person(young_person=young_person)] == [
            "Worker allocated: Pat Tester",
            "Team allocated: Team A",
        ]


class TestSameDay:
    def test_entries_of_different_kinds_on_one_day_keep_the_order_recorded(
        self, practitioner, young_person
    ):
        day = date(2025, 5, 2)
        note(practitioner, young_person, day, "Call from school")
        referral(practitioner, young_person, day)
        note(practitioner, young_person, day, "Visit after the referral")
        note(practitioner, young_person, date(2025, 5, 1), "The day before")
        note(practitioner, young_person, date(2025, 5, 3), "The day after")

        entries = chronology_for_young_person(young_person=young_person, kinds=["note", "referral"])

        assert [(e.on, e.title) for e in entries] == [
            (date(2025, 5, 3), "Case note: The day after"),
            (day, "Case note: Visit after the referral"),
            (day, "Referral received"),
            (day, "Case note: Call from school"),
            (date(2025, 5, 1), "Case note: The day before"),
        ]

    def test_an_assessment_completed_and_authorised_on_one_day(
        self, practitioner, team_manager, young_person
    ):
        day = date(2025, 6, 2)
        authorised_assessment(
            practitioner,
            team_manager,
            young_person,
            started_on=day,
            completed_on=day,
            authorised_on=day,
        )

        entries = chronology_for_young_person(young_person=young_person, kinds=["assessment"])

        assert [e.title for e in entries] == [
            "Assessment authorised",
            "Assessment completed",
            "Assessment started",
        ]

    def test_a_note_between_completion_and_authorisation(
        self, practitioner, team_manager, young_person
    ):
        """Completed, then a note about the same day, then authorised the next day: the note
        was recorded after the completion, so it comes above it."""
        day = date(2025, 6, 2)
        assessment = assessments.assessment_start(
            actor=practitioner, young_person=young_person, started_on=date(2025, 6, 1)
        )
        assessments.assessment_complete(
            actor=practitioner,
            assessment=assessment,
            completed_on=day,
            conclusion="No concerns found",
            outcome_nature="not_known",
            decision="nfa",
            cin_factor_codes=["21"],
        )
        note(practitioner, young_person, day, "Told the family")
        assessments.assessment_authorise(
            actor=team_manager,
            assessment=assessment,
            authorised_on=date(2025, 6, 3),
            reason="The evidence supports the conclusion and the decision",
        )

        entries = chronology_for_young_person(
            young_person=young_person, kinds=["assessment", "note"]
        )

        assert [(e.on, e.title) for e in entries] == [
            (date(2025, 6, 3), "Assessment authorised"),
            (day, "Case note: Told the family"),
            (day, "Assessment completed"),
            (date(2025, 6, 1), "Assessment started"),
        ]

    def test_a_plan_started_finalised_reviewed_and_ended_on_one_day(
        self, practitioner, young_person
    ):
        day = date(2025, 7, 1)
        plan = plans.plan_create(
            actor=practitioner,
            young_person=young_person,
            kind="early_help",
            start_date=day,
            review_date=date(2025, 8, 1),
        )
        put_in_force(practitioner, plan, finalised_on=day)
        plans.plan_review(
            actor=practitioner,
            plan=plan,
            reviewed_on=day,
            next_review_date=date(2025, 8, 1),
            summary="Reviewed at the first meeting",
        )
        plans.plan_end(actor=practitioner, plan=plan, ended_on=day, reason="Family moved away")

        entries = chronology_for_young_person(young_person=young_person, kinds=["plan"])

        assert [e.title for e in entries] == [
            "Early help plan ended",
            "Early help plan reviewed",
            "Early help plan signed off",
            "Early help plan starts",
        ]

    def test_a_plan_finalised_before_an_action_was_added(self, practitioner, young_person):
        """Finalised today, then an action added: the action is the newer entry, although
        adding it touched the plan again."""
        plan = plans.plan_create(
            actor=practitioner,
            young_person=young_person,
            kind="cin",
            start_date=date(2025, 7, 1),
            review_date=date(2025, 8, 1),
        )
        put_in_force(practitioner, plan)
        plans.plan_action_add(
            actor=practitioner, plan=plan, description="Mentoring", owner="Mentor"
        )

        entries = chronology_for_young_person(young_person=young_person, kinds=["plan"])

        assert [(e.on, e.title) for e in entries] == [
            (timezone.localdate(), "Plan action added"),
            (timezone.localdate(), "Child in need plan signed off"),
            (date(2025, 7, 1), "Child in need plan starts"),
        ]


class TestFlagHistory:
    def test_every_archive_and_reinstatement_stays_on_the_chronology(
        self, practitioner, team_manager, young_person
    ):
        flag = case_services.harm_flag_raise(
            actor=practitioner,
            young_person=young_person,
            harm_type=HarmType.objects.get(name=GANGS),
            identified_at="referral",
            identified_on=date(2025, 1, 20),
        )
        case_services.harm_flag_archive(
            actor=practitioner, flag=flag, reason=ArchiveReason.ERROR, rationale="Wrong child"
        )
        case_services.harm_flag_reinstate(
            actor=team_manager, flag=flag, reason="It was the right child after all"
        )
        case_services.harm_flag_archive(
            actor=team_manager, flag=flag, reason=ArchiveReason.NO_LONGER, rationale="Moved on"
        )

        entries = chronology_for_young_person(young_person=young_person, kinds=["flag"])

        today = timezone.localdate()
        assert [(e.on, e.title, e.by, e.detail) for e in entries] == [
            (today, "Harm flag archived: Gangs", "Mona Tester", "No longer a concern."),
            (today, "Harm flag reinstated: Gangs", "Mona Tester", ""),
            (today, "Harm flag archived: Gangs", "Pat Tester", "Recorded in error."),
            (
                date(2025, 1, 20),
                "Harm flag raised: Gangs",
                "Pat Tester",
                "Extra-familial, identified at Referral.",
            ),
        ]


class TestOnlyThisYoungPerson:
    def test_nothing_from_another_young_persons_record(
        self,
        settings,
        tmp_path,
        client_for,
        practitioner,
        young_person,
        other_team_manager,
        other_team_practitioner,
        other_young_person,
    ):
        settings.MEDIA_ROOT = tmp_path
        other = other_team_practitioner
        referral(
            other,
            other_young_person,
            date(2025, 2, 1),
            harms=[case_services.HarmInput(HarmType.objects.get(name=GANGS))],
        )
        note(
            other,
            other_young_person,
            date(2025, 2, 2),
            "Seen with Peregrina Oddwhistle",
            "Bartholomew and Peregrina Oddwhistle were seen together at the canal",
        )
        relocations.relocation_record(
            actor=other,
            young_person=other_young_person,
            moved_on=date(2025, 2, 3),
            kind="within_area",
            destination="Nettlecombe Court",
            reason="Peregrina Oddwhistle lives nearby",
            because_of_extra_familial_harm=True,
            plan_addresses_factors="no_plan",
        )
        documents.document_upload(
            actor=other,
            young_person=other_young_person,
            uploaded=SimpleUploadedFile("b.txt", b"About Bartholomew"),
            title="Bartholomew Nettlecombe school report",
        )
        note(practitioner, young_person, date(2025, 2, 2), "Own visit", "Seen at home")

        response = client_for(practitioner).get(chronology_url(young_person))

        page = response.content.decode()
        assert response.status_code == 200
        for name in ("Bartholomew", "Nettlecombe", "Peregrina", "Oddwhistle"):
            assert name not in page
        assert [e.title for e in shown_entries(response)] == [
            "Worker allocated: Pat Tester",
            "Team allocated: Team A",
            "Case note: Own visit",
        ]


# --- The page ---------------------------------------------------------------------------------


class TestPage:
    def test_the_timeline(self, client_for, practitioner, young_person, full_record):
        response = client_for(practitioner).get(chronology_url(young_person))

        assert response.status_code == 200
        shown = shown_entries(response)
        selected = chronology_for_young_person(young_person=young_person)
        assert [(s.kind, s.title, s.href, s.on) for s in shown] == [
            (e.kind, e.title, e.url, e.on.isoformat()) for e in selected
        ]
        referral_row = shown[-1]
        assert referral_row == Shown(
            kind="referral",
            title="Referral received",
            href=f"{detail_url(young_person)}#referral-{full_record.referral.pk}",
            by="by Pat Tester",
            on="2025-01-06",
            date_text="6 January 2025",
            tag="Referrals",
            detail=(
                "From Schools. Nature of harm: Extra-familial. Decision: Child and family "
                "assessment."
            ),
        )
        note_row = next(s for s in shown if s.kind == "note")
        assert (note_row.date_text, note_row.tag, note_row.detail) == (
            "25 March 2025",
            "Case notes",
            "Seen at home with mum.<br>Settled.",
        )
        # An entry without a link is plain text; completing an assessment shows who did it,
        # from its audit event (the row keeps no completer).
        allocation = next(s for s in shown if s.title == "Team allocated: Team A")
        assert (allocation.href, allocation.tag) == ("", "Allocations")
        completed = next(s for s in shown if s.title == "Assessment completed")
        assert completed.by == "by Pat Tester"
        assert count_line(response) == "23 entries, newest first."
        page = response.content.decode()
        assert CLEAR_FILTER not in page
        assert checked_kinds(response) == []
        assert "<title>Chronology – " + young_person.local_identifier in page
        assert "Zephyrine" not in page.split("</title>")[0]
        assert f'href="{detail_url(young_person)}" class="govuk-back-link"' in page

    def test_nothing_recorded_of_the_kinds_chosen(self, client_for, practitioner, young_person):
        response = client_for(practitioner).get(chronology_url(young_person) + "?kind=note")

        assert response.status_code == 200
        assert shown_entries(response) == []
        assert count_line(response) == "0 entries shown by the filter, newest first."
        assert "Nothing recorded of the kinds chosen." in response.content.decode()

    def test_one_entry_is_singular(self, client_for, practitioner, young_person):
        note(practitioner, young_person, date(2025, 1, 2), "Phone call")

        response = client_for(practitioner).get(chronology_url(young_person) + "?kind=note")

        assert count_line(response) == "1 entry shown by the filter, newest first."


class TestFilter:
    def test_one_kind(self, client_for, practitioner, young_person, full_record):
        response = client_for(practitioner).get(chronology_url(young_person), {"kind": "plan"})

        assert response.status_code == 200
        assert [(s.kind, s.title) for s in shown_entries(response)] == [
            ("plan", "Plan action added"),
            ("plan", "Contextual action added"),
            ("plan", "Child in need plan ended"),
            ("plan", "Child in need plan reviewed"),
            ("plan", "Plan action done"),
            ("plan", "Child in need plan signed off"),
            ("plan", "Child in need plan starts"),
        ]
        assert checked_kinds(response) == ["plan"]
        assert count_line(response) == "7 entries shown by the filter, newest first."
        page = response.content.decode()
        assert CLEAR_FILTER in page
        assert f'<a class="govuk-link" href="{chronology_url(young_person)}">Clear filter</a>' in (
            page
        )

    def test_several_kinds(self, client_for, practitioner, young_person, full_record):
        response = client_for(practitioner).get(
            chronology_url(young_person), {"kind": ["referral", "note", "document"]}
        )

        assert [(s.kind, s.title) for s in shown_entries(response)] == [
            ("document", "Document added: Letter from school"),
            ("note", "Case note: Home visit"),
            ("referral", "Referral received"),
        ]
        assert checked_kinds(response) == ["referral", "note", "document"]
        assert CLEAR_FILTER in response.content.decode()

    @pytest.mark.parametrize("kind", ["nonsense", "", "<script>"])
    def test_an_unknown_kind_alone_shows_everything(
        self, client_for, practitioner, young_person, full_record, kind
    ):
        response = client_for(practitioner).get(chronology_url(young_person), {"kind": kind})

        assert response.status_code == 200
        assert len(shown_entries(response)) == 23
        page = response.content.decode()
        assert CLEAR_FILTER not in page
        assert "govuk-error-message" not in page
        form = page.split('data-testid="chronology-filter"')[1].split("</form>")[0]
        assert "script" not in form
        assert 'value="nonsense"' not in form

    def test_an_unknown_kind_beside_known_ones_is_ignored(
        self, client_for, practitioner, young_person, full_record
    ):
        response = client_for(practitioner).get(
            chronology_url(young_person), {"kind": ["note", "nonsense", "relocation"]}
        )

        assert response.status_code == 200
        assert [s.title for s in shown_entries(response)] == [
            "Case note: Home visit",
            "Relocation: Out-of-area placement",
        ]
        assert checked_kinds(response) == ["relocation", "note"]
        assert CLEAR_FILTER in response.content.decode()
        assert "govuk-error-message" not in response.content.decode()


class TestPagination:
    @pytest.fixture
    def long_record(self, practitioner, young_person):
        """101 notes, a day apart from 1 January 2024, and the two allocations of today."""
        for number in range(101):
            note(
                practitioner,
                young_person,
                date.fromordinal(date(2024, 1, 1).toordinal() + number),
                f"Visit {number + 1}",
            )

    def test_a_hundred_to_a_page(self, client_for, practitioner, young_person, long_record):
        client = client_for(practitioner)
        url = chronology_url(young_person)

        first = client.get(url)
        second = client.get(url, {"page": "2"})

        assert [s.title for s in shown_entries(first)][:3] == [
            "Worker allocated: Pat Tester",
            "Team allocated: Team A",
            "Case note: Visit 101",
        ]
        assert len(shown_entries(first)) == 100
        assert [s.title for s in shown_entries(second)] == [
            "Case note: Visit 3",
            "Case note: Visit 2",
            "Case note: Visit 1",
        ]
        assert count_line(first) == count_line(second) == "103 entries, newest first."
        assert "Page 1 of 2" in first.content.decode()
        assert 'href="?page=2" rel="next"' in first.content.decode()
        assert 'rel="prev"' not in first.content.decode()
        assert "Page 2 of 2" in second.content.decode()
        assert 'href="?page=1" rel="prev"' in second.content.decode()
        assert 'rel="next"' not in second.content.decode()

    def test_the_filter_is_kept_from_page_to_page(
        self, client_for, practitioner, young_person, long_record
    ):
        client = client_for(practitioner)
        url = chronology_url(young_person)

        first = client.get(url, {"kind": "note"})
        second = client.get(url, {"kind": "note", "page": "2"})

        assert 'href="?kind=note&amp;page=2" rel="next"' in first.content.decode()
        assert [s.title for s in shown_entries(second)] == ["Case note: Visit 1"]
        assert 'href="?kind=note&amp;page=1" rel="prev"' in second.content.decode()
        assert checked_kinds(second) == ["note"]

    @pytest.mark.parametrize(("asked", "shown"), [("99", "Page 2 of 2"), ("x", "Page 1 of 2")])
    def test_a_page_out_of_range(
        self, client_for, practitioner, young_person, long_record, asked, shown
    ):
        response = client_for(practitioner).get(chronology_url(young_person), {"page": asked})

        assert response.status_code == 200
        assert shown in response.content.decode()

    def test_one_page_has_no_pagination(self, client_for, practitioner, young_person):
        response = client_for(practitioner).get(chronology_url(young_person))

        assert "govuk-pagination" not in response.content.decode()


class TestAccess:
    @pytest.mark.parametrize("who", ALLOWED)
    def test_those_who_may_see_the_record(self, request, client_for, young_person, who):
        user = request.getfixturevalue(who)
        url = chronology_url(young_person)

        response = client_for(user).get(url, {"kind": "note"})

        assert response.status_code == 200
        assert list(
            RecordAccess.objects.values_list("young_person", "user", "channel", "resource")
        ) == [(young_person.pk, user.pk, "page", url)]

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_others_get_404_and_no_access_is_logged(
        self, request, client_for, practitioner, young_person, who
    ):
        note(practitioner, young_person, date(2025, 1, 2), "Phone call")

        response = client_for(request.getfixturevalue(who)).get(chronology_url(young_person))

        assert response.status_code == 404
        page = response.content.decode()
        assert "Phone call" not in page
        assert "Zephyrine" not in page
        assert not RecordAccess.objects.exists()

    def test_a_worker_whose_allocation_ended_gets_404(self, client_for, team_manager, young_person):
        worker = UserFactory(role=Role.PRACTITIONER, team=team_manager.team)
        allocation = case_services.young_person_allocate_worker(
            actor=team_manager, young_person=young_person, worker=worker
        )
        case_services.young_person_deallocate_worker(
            actor=team_manager, allocation=allocation, reason="Moved to another case"
        )

        response = client_for(worker).get(chronology_url(young_person))

        assert response.status_code == 404
        assert not RecordAccess.objects.filter(user=worker).exists()

    def test_an_unknown_young_person_is_404(self, client_for, practitioner, young_person):
        response = client_for(practitioner).get(
            reverse("cases:chronology", args=[young_person.pk + 1000])
        )

        assert response.status_code == 404
        assert not RecordAccess.objects.exists()

    def test_anonymous_is_sent_to_sign_in(self, client, young_person):
        url = chronology_url(young_person)

        response = client.get(url)

        assert (response.status_code, response["Location"]) == (302, sign_in_redirect(url))
        assert not RecordAccess.objects.exists()

    def test_only_get(self, client_for, practitioner, young_person):
        response = client_for(practitioner).post(chronology_url(young_person))

        assert response.status_code == 405
        assert not RecordAccess.objects.exists()

    def test_the_record_navigation_marks_the_chronology(
        self, client_for, practitioner, young_person
    ):
        response = client_for(practitioner).get(chronology_url(young_person))

        page = response.content.decode()
        assert response.status_code == 200
        assert re.findall(r'<a [^>]*aria-current="page">([^<]+)</a>', page) == ["Chronology"]


def test_every_kind_has_a_label_for_its_tag():
    assert dict(ChronologyKind.choices) == {
        "referral": "Referrals",
        "assessment": "Assessments",
        "flag": "Harm flags",
        "plan": "Plans and actions",
        "relocation": "Relocations",
        "note": "Case notes",
        "document": "Documents",
        "allocation": "Allocations",
        "oversight": "Management oversight",
    }
