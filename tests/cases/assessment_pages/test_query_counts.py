"""The query counts of the assessment list and the assessment page, pinned with one
row and with many."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.services import assessments as services
from cases.services.documents import document_upload
from tests.cases.assessment_pages.support import PDF, url
from tests.cases.assessment_support import add_factor, complete, days_ago, start
from tests.html_pages import table_rows
from tests.query_counts import count_second_request

pytestmark = pytest.mark.django_db


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
    # cached); 12 unread notifications; 13 the configured word for a peer group (the factors'
    # context labels); 14-16 savepoint, session update, release.
    DETAIL = 16

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
                    actor=team_manager,
                    assessment=assessment,
                    authorised_on=days_ago(5),
                    reason="The evidence supports the conclusion and the decision",
                )

        response = count_second_request(
            client_for(practitioner),
            url("assessment_list", young_person),
            django_assert_num_queries,
            self.LIST,
        )
        assert len(table_rows(response, "assessment-list")) == 12

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
        assert len(table_rows(response, "contextual-factors")) == 9
        assert len(table_rows(response, "maps")) == 8
