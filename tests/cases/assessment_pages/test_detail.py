"""The assessment page: everything recorded, and what each person may do from it in
each state."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.services import assessments as services
from cases.services.documents import document_upload
from csafe.core.dates import long_date, short_date
from tests.cases.assessment_pages.support import PDF, url
from tests.cases.assessment_support import CONCLUSION, add_factor, complete, days_ago, start, today
from tests.html_pages import page_of, summary_rows, table_rows, text_of

pytestmark = pytest.mark.django_db


def status_shown(html: str) -> str:
    return text_of(re.search(r'data-testid="assessment-status">(.*?)</strong>', html).group(1))


def actions(html: str) -> list[str]:
    """The action buttons on an assessment page; [] when it shows none."""
    if 'data-testid="assessment-actions"' not in html:
        return []
    body = html.split('data-testid="assessment-actions"', 1)[1].split("</div>", 1)[0]
    return [text_of(a) for a in re.findall(r"<a [^>]*>(.*?)</a>", body, re.S)]


class TestDetail:
    def test_shows_everything_recorded(
        self, client_for, practitioner, team_manager, young_person, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path

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
            actor=team_manager,
            assessment=assessment,
            authorised_on=days_ago(2),
            reason="The evidence supports the conclusion and the decision",
        )

        response = client_for(practitioner).get(
            url("assessment_detail", young_person, assessment.pk)
        )

        assert response.status_code == 200
        html = page_of(response)
        assert status_shown(html) == "Authorised"
        assert summary_rows(html, "assessment-dates") == {
            "Status": "Authorised",
            "Date started": long_date(days_ago(20)),
            "Date completed": long_date(days_ago(5)),
            "Date authorised": f"{long_date(days_ago(2))} by Mona Tester",
            "Manager's reasoning": "The evidence supports the conclusion and the decision",
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
        html = page_of(
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

        as_practitioner = page_of(client_for(practitioner).get(path))
        as_manager = page_of(client_for(team_manager).get(path))

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

        html = page_of(
            client_for(practitioner).get(url("assessment_detail", young_person, awaiting.pk))
        )

        assert summary_rows(html, "assessment-dates")["Returned for more work"] == (
            f"{long_date(today())} by Mona Tester: Speak to the school first"
        )
