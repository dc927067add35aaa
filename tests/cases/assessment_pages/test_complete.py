"""Completing an assessment: the CIN factors ticked from the current flags, what is
saved, and the messages for refused input with nothing saved."""

from __future__ import annotations

import re

import pytest

from csafe.core.dates import long_date
from tests.cases.assessment_pages.support import hidden_version, url
from tests.cases.assessment_support import (
    CCE,
    CONCLUSION,
    CONFLICT,
    GANGS,
    SERIOUS_YOUTH_VIOLENCE,
    add_factor,
    days_ago,
    raise_flag,
    snapshot,
)
from tests.html_forms import date_fields
from tests.html_pages import error_summary, field_errors, page_of, section, text_of

pytestmark = pytest.mark.django_db


def ticked(html: str, name: str) -> list[str]:
    return [
        m.group(1)
        for m in re.finditer(rf'<input type="checkbox" name="{name}" value="([^"]+)"[^>]*>', html)
        if " checked" in m.group(0)
    ]


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

        html = page_of(
            client_for(practitioner).get(url("assessment_complete", young_person, in_progress.pk))
        )

        assert ticked(html, "cin_factors") == ["13A", "24A"]
        hint = re.search(r'id="id_cin_factors-hint" class="govuk-hint">(.*?)</div>', html, re.S)
        assert text_of(hint.group(1)) == (
            "Ticked from the young person's current harm flags: Gangs (13A); Child criminal "
            "exploitation (24A). Untick any the assessment did not confirm and tick any others "
            'it found. If no harm was found, choose "No factors identified" alone.'
        )
        assert 'class="govuk-checkboxes govuk-checkboxes--small"' in html
        assert hidden_version(html) == "2"

    def test_without_flags_nothing_is_ticked_and_the_hint_says_so(
        self, client_for, practitioner, young_person, in_progress
    ):
        html = page_of(
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
        assert ticked(page_of(response), "cin_factors") == ["21", "24A"]

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
        html = page_of(response)
        assert "My conclusion, typed with care" in html
        assert "Added in another tab" in section(html, "factors-to-confirm", "</ul>")
        assert hidden_version(html) == "3"
        assert snapshot() == before
