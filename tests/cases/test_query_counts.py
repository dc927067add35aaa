"""Pinned query counts for the young person pages: the same with one row as with thirty.

Each test makes one request first so that process-wide caches (content types, which guardian and
the audit service look up) are warm, as they are in a running server, then counts the second.

Every count ends with the same three queries: SAVEPOINT, UPDATE of the session (
SESSION_SAVE_EVERY_REQUEST refreshes the idle timeout), RELEASE SAVEPOINT. The savepoint is there
because each test runs inside a transaction; it is emitted on SQLite and PostgreSQL alike, so the
numbers hold on both. Outside tests the session save is an outermost transaction, so the count is
two lower (no SAVEPOINT or RELEASE; BEGIN and COMMIT are not recorded as queries).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from cases import selectors
from cases import services as case_services
from cases.models import LocationType
from csafe.accounts.models import Role
from csafe.audit.models import AccessChannel
from harms.models import ArchiveReason, HarmType, IdentifiedAt, Nature
from tests.cases.helpers import access_log_url, detail_url
from tests.cases.plan_support import put_in_force
from tests.factories import UserFactory, YoungPersonFactory
from tests.query_counts import count_second_request

pytestmark = pytest.mark.django_db

CASELOAD = reverse("cases:caseload")


@pytest.fixture
def thirty_on_the_caseload(team_manager, practitioner, teammate, young_person):
    """young_person and 29 more in team A, each with both practitioner and teammate allocated, so
    every row shows two workers (each with a team) that would cost queries if not prefetched."""
    case_services.young_person_allocate_worker(
        actor=team_manager, young_person=young_person, worker=teammate
    )
    for _ in range(29):
        person = YoungPersonFactory(actor=team_manager)
        for worker in (practitioner, teammate):
            case_services.young_person_allocate_worker(
                actor=team_manager, young_person=person, worker=worker
            )


def raise_flags(actor, young_person, count: int) -> None:
    """Raise ``count`` harm flags of different types, archiving every second one, so the record
    has current flags, archived flags and a timeline of events that each name a flag."""
    harm_types = HarmType.objects.filter(is_active=True).exclude(nature=Nature.EITHER)[:count]
    assert len(harm_types) == count
    for number, harm_type in enumerate(harm_types):
        flag = case_services.harm_flag_raise(
            actor=actor,
            young_person=young_person,
            harm_type=harm_type,
            identified_at=IdentifiedAt.REFERRAL,
            identified_on=date(2025, 1, 6),
        )
        if number % 2:
            case_services.harm_flag_archive(
                actor=actor, flag=flag, reason=ArchiveReason.ERROR, rationale="Wrong child"
            )


@pytest.fixture
def quiet_record(team_manager, young_person):
    """young_person as the fixture makes it (the team and one worker) with one harm flag. One,
    not none: with no flag events the timeline skips its second query, which is not a cost that
    grows with rows."""
    raise_flags(team_manager, young_person, 1)
    record_referrals(team_manager, young_person, 1)


def record_referrals(actor, young_person, count):
    """Referrals each with two locations of harm; one, not none, on the quiet record for the
    same reason as the flag: with no referrals their prefetches are skipped."""
    park = LocationType.objects.get(name="Park or open space")
    for number in range(count):
        case_services.referral_record(
            actor=actor,
            young_person=young_person,
            received_on=date(2026, 1, 1 + number),
            source="6",
            reason="Seen with older young people",
            nature_of_harm="extra_familial",
            decision="assessment",
            locations=[
                case_services.LocationInput(location_type=park, place_name=f"Park {number}"),
                case_services.LocationInput(location_type=park, postcode="NB1 2AA"),
            ],
        )


def record_pathway(actor, young_person, count: int) -> None:
    """``count`` of each part of the pathway: assessments (all but the last authorised, each
    with two contextual factors and a peer map), plans of two kinds with actions answering the
    factors and reviews, relocations, case notes and documents."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cases.services import assessments, documents, notes, plans, relocations

    for number in range(count):
        assessment = assessments.assessment_start(
            actor=actor, young_person=young_person, started_on=date(2025, 1, 1 + number)
        )
        for domain in ("peer_group", "location"):
            assessments.contextual_factor_add(
                actor=actor, assessment=assessment, domain=domain, description="Older group"
            )
        documents.document_upload(
            actor=actor,
            young_person=young_person,
            uploaded=SimpleUploadedFile(f"map{number}.pdf", b"%PDF-1.4\n%test\n"),
            title=f"Peer map {number}",
            kind="peer_map",
            assessment=assessment,
            shaped_conclusion="Showed who the young person is safe with",
        )
        documents.document_upload(
            actor=actor,
            young_person=young_person,
            uploaded=SimpleUploadedFile(f"letter{number}.txt", b"A letter from school"),
            title=f"Letter {number}",
        )
        if number < count - 1:
            assessments.assessment_complete(
                actor=actor,
                assessment=assessment,
                completed_on=date(2025, 2, 1 + number),
                conclusion="Harm outside the family",
                outcome_nature="extra_familial",
                decision="cin",
                cin_factor_codes=["24A"],
            )
            assessments.assessment_authorise(
                actor=actor,
                assessment=assessment,
                authorised_on=date(2025, 2, 10 + number),
                reason="The evidence supports the conclusion and the decision",
            )
        notes.case_note_add(
            actor=actor,
            young_person=young_person,
            noted_on=date(2025, 3, 1 + number),
            subject=f"Visit {number}",
            body="Seen at home",
        )
    for kind in ("cin", "early_help"):
        plan = plans.plan_create(
            actor=actor,
            young_person=young_person,
            kind=kind,
            start_date=date(2025, 3, 1),
            review_date=date(2025, 6, 1),
        )
        for factor in plan.assessment.contextual_factors.all() if plan.assessment else []:
            plans.plan_action_add(
                actor=actor,
                plan=plan,
                description="Detached youth work with the group",
                owner="Youth service lead",
                due_date=date(2025, 5, 1),
                is_contextual=True,
                target_context_kind=factor.domain,
                partner_agency="youth_service",
                factor=factor,
            )
        put_in_force(actor, plan, finalised_on=date(2025, 3, 1))
        plans.plan_review(
            actor=actor,
            plan=plan,
            reviewed_on=date(2025, 6, 1),
            next_review_date=date(2025, 9, 1),
            summary="Continues",
        )
        for number in range(count // 2):
            relocations.relocation_record(
                actor=actor,
                young_person=young_person,
                moved_on=date(2025, 7, 1 + number),
                kind="out_of_area",
                reason="Away from the group",
                because_of_extra_familial_harm=True,
                plan=plan,
                plan_addresses_factors="yes",
            )


@pytest.fixture
def busy_record(team_manager, young_person, settings, tmp_path):
    """young_person with 30 more workers allocated (15 of them since ended), 15 views logged,
    10 harm flags (5 archived), 12 referrals and six of every part of the pathway: a long
    allocation history, a long list of workers to choose from, a full access log, flags in
    every group, a flag timeline and a long chronology."""
    settings.MEDIA_ROOT = tmp_path
    raise_flags(team_manager, young_person, 10)
    record_referrals(team_manager, young_person, 12)
    record_pathway(team_manager, young_person, 6)
    for number in range(30):
        worker = UserFactory(role=Role.PRACTITIONER, team=team_manager.team)
        allocation = case_services.young_person_allocate_worker(
            actor=team_manager, young_person=young_person, worker=worker
        )
        if number % 2:
            case_services.young_person_deallocate_worker(
                actor=team_manager, allocation=allocation, reason="Handed back"
            )
        else:
            selectors.young_person_get_for_user(
                user=worker,
                pk=young_person.pk,
                channel=AccessChannel.PAGE,
                resource=detail_url(young_person),
            )


class TestCaseloadPractitioner:
    # 1 session; 2 user; 3 count of the young people the practitioner may see (guardian's
    # user- and group-permission lookups are subqueries inside it, not queries of their own);
    # 4 unread notifications for the page shell; 5 the page of young people with their team
    # joined; 6 their active worker allocations, with the worker and the worker's team joined
    # (one prefetch for the whole page); 7 their current harm flags with type (one prefetch);
    # 8 the contexts the page's young people are linked to, with the contexts' names;
    # 9-11 savepoint, session update, release. No access-log INSERT: an unfiltered caseload of
    # one's own allocated young people is not logged (cases.selectors.caseload_rows_to_log).
    EXPECTED = 11

    def test_one_young_person(
        self, client_for, practitioner, young_person, django_assert_num_queries
    ):
        response = count_second_request(
            client_for(practitioner), CASELOAD, django_assert_num_queries, self.EXPECTED
        )
        assert len(response.context["page"].object_list) == 1

    def test_thirty_young_people(
        self, client_for, practitioner, thirty_on_the_caseload, django_assert_num_queries
    ):
        response = count_second_request(
            client_for(practitioner), CASELOAD, django_assert_num_queries, self.EXPECTED
        )
        assert len(response.context["page"].object_list) == 30
        assert response.content.decode().count("Tam Tester") == 30

    def test_a_search_adds_one_insert_for_the_whole_page(
        self, client_for, practitioner, thirty_on_the_caseload, django_assert_num_queries
    ):
        # As above, plus one INSERT of the access-log rows for the 29 young people the search
        # shows (record_list_access writes them in bulk), between 7 and 8.
        response = count_second_request(
            client_for(practitioner),
            f"{CASELOAD}?q=Testchild",
            django_assert_num_queries,
            self.EXPECTED + 1,
        )
        assert len(response.context["page"].object_list) == 29


class TestCaseloadTeamManager:
    # As for the practitioner, plus the signed-in manager's own team, read once for the sentence
    # "Young people held by Team A ..." ({{ user.team }}), and the access-log rows: the team's
    # young people are not allocated to the manager, so each shown is logged.
    # 1 session; 2 user; 3 count (guardian subqueries inside); 4 unread notifications; 5 the
    # manager's team; 6 the page of young people with their team; 7 active worker allocations
    # with worker and worker's team; 8 current harm flags with type; 9 one INSERT of the
    # access-log rows for the whole page; 10 the page's context links with context names;
    # 11-13 savepoint, session update, release.
    EXPECTED = 13

    def test_one_young_person(
        self, client_for, team_manager, young_person, django_assert_num_queries
    ):
        response = count_second_request(
            client_for(team_manager), CASELOAD, django_assert_num_queries, self.EXPECTED
        )
        assert len(response.context["page"].object_list) == 1

    def test_thirty_young_people(
        self, client_for, team_manager, thirty_on_the_caseload, django_assert_num_queries
    ):
        response = count_second_request(
            client_for(team_manager), CASELOAD, django_assert_num_queries, self.EXPECTED
        )
        assert len(response.context["page"].object_list) == 30

    def test_search_and_filters_cost_nothing_extra(
        self, client_for, team_manager, thirty_on_the_caseload, django_assert_num_queries
    ):
        url = f"{CASELOAD}?q=Testchild&status=open&mine=&order=-updated"
        response = count_second_request(
            client_for(team_manager), url, django_assert_num_queries, self.EXPECTED
        )
        assert len(response.context["page"].object_list) == 29  # all but Quillfeather


class TestDetailTeamManager:
    # 1 session; 2 user; 3 the young person with their team, if the manager may view it
    # (guardian subqueries inside); 4 INSERT of the access log row; 5-6 the manager's user- and
    # group-object permissions on the record, read once (access log? change?); 7 harm flags with
    # type, raiser and archiver; 8 flag events with actor (the flags they name are those of 7);
    # 9 referrals with their recorder; 10 their locations with type and context; 11 the flags
    # they raised with type joined; 12 unread notifications for the page shell; 13 the
    # allocation history with worker and team joined; 14 the workers the allocation form
    # offers; 15 the five most recent access log rows with viewer and viewer's team; 16-20 the
    # five newest of each: assessments (with their factor counts), plans, relocations with
    # plan, case notes with author, documents with uploader; 21 the young person's context
    # links with context, linker and ender; 22-23 the legal holds (the record's holds with
    # placer and lifter; the hold rule's harm types it has a flag or factor of); 24 the
    # configured word for a peer group (the record's contexts section); 25-27 savepoint,
    # session update, release.
    EXPECTED = 27

    def test_quiet_record(
        self, client_for, team_manager, young_person, quiet_record, django_assert_num_queries
    ):
        response = count_second_request(
            client_for(team_manager),
            detail_url(young_person),
            django_assert_num_queries,
            self.EXPECTED,
        )
        assert len(response.context["allocations"]) == 2  # the team and the practitioner
        assert len(response.context["flag_timeline"]) == 1

    def test_busy_record(
        self, client_for, team_manager, young_person, busy_record, django_assert_num_queries
    ):
        response = count_second_request(
            client_for(team_manager),
            detail_url(young_person),
            django_assert_num_queries,
            self.EXPECTED,
        )
        assert len(response.context["allocations"]) == 32
        assert len(response.context["recent_access"]) == 5
        # The empty choice, the practitioner, the manager and the 30 new workers.
        assert len(response.context["allocate_form"].fields["worker"].choices) == 33
        assert len(response.context["flags"].current) == 5
        assert len(response.context["flags"].archived) == 5
        assert len(response.context["flag_timeline"]) == 15


class TestDetailPractitioner:
    # As for the manager without the allocation form and the access log (14 and 15 above):
    # 1 session; 2 user; 3 young person with team; 4 INSERT of the access log row; 5-6 user-
    # and group-object permissions, read once; 7 harm flags; 8 flag events; 9-11 referrals,
    # their locations, their flags; 12 unread notifications; 13 the allocation history;
    # 14-18 the five newest assessments, plans, relocations, notes and documents; 19 context
    # links; 20 the configured word for a peer group; 21-23 savepoint, session update, release.
    EXPECTED = 23

    def test_quiet_record(
        self, client_for, practitioner, young_person, quiet_record, django_assert_num_queries
    ):
        count_second_request(
            client_for(practitioner),
            detail_url(young_person),
            django_assert_num_queries,
            self.EXPECTED,
        )

    def test_busy_record(
        self, client_for, practitioner, young_person, busy_record, django_assert_num_queries
    ):
        response = count_second_request(
            client_for(practitioner),
            detail_url(young_person),
            django_assert_num_queries,
            self.EXPECTED,
        )
        assert len(response.context["allocations"]) == 32


class TestAccessLogPage:
    # 1 session; 2 user; 3 the young person, if the manager holds view_access_log on it;
    # 4 INSERT of the access log row; 5 count of log rows for the paginator; 6 unread
    # notifications; 7 the page of log rows with viewer and viewer's team; 8-10 savepoint,
    # session update, release.
    EXPECTED = 10

    def test_short_log(self, client_for, team_manager, young_person, django_assert_num_queries):
        count_second_request(
            client_for(team_manager),
            access_log_url(young_person),
            django_assert_num_queries,
            self.EXPECTED,
        )

    def test_long_log(
        self, client_for, team_manager, young_person, busy_record, django_assert_num_queries
    ):
        response = count_second_request(
            client_for(team_manager),
            access_log_url(young_person),
            django_assert_num_queries,
            self.EXPECTED,
        )
        assert len(response.context["page"].object_list) == 17  # 15 workers, 2 by the manager


class TestChronology:
    # 1 session; 2 user; 3 the young person with their team; 4 INSERT of the access log row;
    # 5 unread notifications; one query per kind of record: 6 referrals, 7 assessments, 8 harm
    # flags, 9 plans, 10 plan reviews, 11 plan actions, 12 relocations, 13 case notes,
    # 14 documents, 15 allocations, 16 management oversight; 17-19 savepoint, session update,
    # release.
    EXPECTED = 19

    def url(self, young_person):
        return reverse("cases:chronology", args=[young_person.pk])

    def test_quiet_record(
        self, client_for, practitioner, young_person, quiet_record, django_assert_num_queries
    ):
        response = count_second_request(
            client_for(practitioner),
            self.url(young_person),
            django_assert_num_queries,
            self.EXPECTED,
        )
        assert response.context["page"].paginator.count == 4  # 2 allocations, flag, referral

    def test_busy_record(
        self, client_for, practitioner, young_person, busy_record, django_assert_num_queries
    ):
        response = count_second_request(
            client_for(practitioner),
            self.url(young_person),
            django_assert_num_queries,
            self.EXPECTED,
        )
        # Allocations 47 (team, practitioner, 30 workers, 15 of them ended), flags 15 (10 raised,
        # 5 archived), referrals 12, assessments 16 (6 started, 5 completed, 5 authorised),
        # plans 10 (2 starts, 2 finalised, 2 reviews, 4 actions), relocations 6, notes 6,
        # documents 12.
        assert response.context["page"].paginator.count == 124
        assert len(response.context["page"].object_list) == 100

    def test_a_filter_reads_only_the_kinds_chosen(
        self, client_for, practitioner, young_person, busy_record, django_assert_num_queries
    ):
        # 1-5 as above; 6 case notes; 7 documents; 8-10 savepoint, session update, release.
        response = count_second_request(
            client_for(practitioner),
            self.url(young_person) + "?kind=note&kind=document",
            django_assert_num_queries,
            10,
        )
        assert {e.kind for e in response.context["page"].object_list} == {"note", "document"}
        assert response.context["page"].paginator.count == 18  # 6 notes, 12 documents
