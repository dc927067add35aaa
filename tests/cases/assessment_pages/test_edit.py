"""Editing an assessment, with the version check that keeps what the user typed."""

from __future__ import annotations

import pytest

from cases.services import assessments as services
from tests.cases.assessment_pages.support import hidden_version, url
from tests.cases.assessment_support import CONFLICT, LOCKED, days_ago, snapshot
from tests.html_forms import date_fields
from tests.html_pages import banners, error_summary, page_of, section

pytestmark = pytest.mark.django_db


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
        html = page_of(
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
        html = page_of(response)
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
        assert "<li>This page is out of date" in page_of(response)
        assert 'href="#id_version"' not in page_of(response)
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
        assert banners(client.get(opened["Location"])) == [LOCKED]

        posted = client.post(path, edit_data(awaiting.version, school="Too late"))
        assert posted.status_code == 400
        assert error_summary(posted) == [LOCKED]
        assert snapshot() == before
