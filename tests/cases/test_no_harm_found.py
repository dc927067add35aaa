"""An assessment that finds no harm says so: "No harm found" as its outcome, CIN factor 21
("No factors identified") alone, and "Authorised: No harm found; no further action" on the
record. A referral is never marked "No harm found": it is an assessment's finding."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.forms.young_people import ReferralForm
from cases.selectors.chronology import chronology_for_young_person
from cases.services import assessments as services
from csafe.core.errors import ApplicationError
from tests.cases.assessment_support import CCE, complete, days_ago, raise_flag, start
from tests.html_forms import date_fields
from tests.html_pages import error_summary, page_of, section, text_of

pytestmark = pytest.mark.django_db

NO_HARM_FACTORS = 'When no harm was found, choose "No factors identified" and no other factor'


def no_harm(actor, assessment, **overrides):
    arguments = {"outcome_nature": "none", "decision": "nfa", "cin_factor_codes": ["21"]}
    return complete(actor, assessment, **(arguments | overrides))


class TestCompleting:
    def test_no_harm_found_with_no_factors_identified(self, practitioner, young_person):
        assessment = no_harm(practitioner, start(practitioner, young_person))

        assert assessment.get_outcome_nature_display() == "No harm found"
        assert [row.code for row in assessment.cin_factors.all()] == ["21"]

    def test_no_factor_given_records_21(self, practitioner, young_person):
        assessment = no_harm(practitioner, start(practitioner, young_person), cin_factor_codes=[])
        assert [row.code for row in assessment.cin_factors.all()] == ["21"]

    def test_other_factors_are_refused(self, practitioner, young_person):
        assessment = start(practitioner, young_person)

        with pytest.raises(ApplicationError) as refused:
            no_harm(practitioner, assessment, cin_factor_codes=["24A"])

        assert (refused.value.message, refused.value.field) == (NO_HARM_FACTORS, "cin_factors")
        assessment.refresh_from_db()
        assert assessment.completed_on is None

    def test_21_with_other_factors_is_still_refused(self, practitioner, young_person):
        with pytest.raises(ApplicationError) as refused:
            complete(
                practitioner, start(practitioner, young_person), cin_factor_codes=["21", "24A"]
            )
        assert refused.value.message == (
            '"No factors identified" cannot be chosen with other factors'
        )

    def test_harm_found_still_needs_a_factor(self, practitioner, young_person):
        with pytest.raises(ApplicationError) as refused:
            complete(practitioner, start(practitioner, young_person), cin_factor_codes=[])
        assert refused.value.message == (
            'Choose the factors identified, or "No factors identified"'
        )


class TestSuggestion:
    def test_no_harm_found_suggests_21_whatever_the_flags(self, practitioner, young_person):
        raise_flag(practitioner, young_person, CCE)

        assert services.cin_factor_suggestions(young_person=young_person) == ["24A"]
        assert services.cin_factor_suggestions(
            young_person=young_person, outcome_nature="none"
        ) == ["21"]

    def test_the_completion_page_of_a_returned_no_harm_assessment_ticks_21(
        self, client_for, practitioner, team_manager, young_person
    ):
        raise_flag(practitioner, young_person, CCE)
        assessment = no_harm(practitioner, start(practitioner, young_person))
        services.assessment_return(actor=team_manager, assessment=assessment, reason="Check")

        response = client_for(practitioner).get(
            reverse("cases:assessment_complete", args=[young_person.pk, assessment.pk])
        )

        assert response.context["form"].initial["cin_factors"] == ["21"]


class TestTheCompletionPage:
    def test_offers_no_harm_found(self, client_for, practitioner, young_person):
        assessment = start(practitioner, young_person)
        response = client_for(practitioner).get(
            reverse("cases:assessment_complete", args=[young_person.pk, assessment.pk])
        )
        assert ("none", "No harm found") in response.context["form"].fields[
            "outcome_nature"
        ].choices

    def test_every_error_at_once_with_the_no_harm_rule(
        self, client_for, practitioner, young_person
    ):
        assessment = start(practitioner, young_person)

        response = client_for(practitioner).post(
            reverse("cases:assessment_complete", args=[young_person.pk, assessment.pk]),
            {
                "version": assessment.version,
                **date_fields("completed_on", days_ago(1)),
                "conclusion": "",
                "outcome_nature": "none",
                "cin_factors": ["24A"],
            },
        )

        assert response.status_code == 400
        assert error_summary(response) == [
            "Enter the conclusion of the assessment",
            "Choose the decision",
            NO_HARM_FACTORS,
        ]

    def test_no_factor_ticked_with_no_harm_found_completes_with_21(
        self, client_for, practitioner, young_person
    ):
        assessment = start(practitioner, young_person)

        response = client_for(practitioner).post(
            reverse("cases:assessment_complete", args=[young_person.pk, assessment.pk]),
            {
                "version": assessment.version,
                **date_fields("completed_on", days_ago(1)),
                "conclusion": "The concerns were not borne out",
                "outcome_nature": "none",
                "decision": "nfa",
            },
        )

        assert response.status_code == 302
        assert [row.code for row in assessment.cin_factors.all()] == ["21"]


class TestAuthorisedSummary:
    def test_the_record_and_the_chronology_read_no_harm_found(
        self, client_for, practitioner, team_manager, young_person
    ):
        assessment = no_harm(practitioner, start(practitioner, young_person))
        services.assessment_authorise(
            actor=team_manager,
            assessment=assessment,
            authorised_on=days_ago(1),
            reason="Nothing in the home or outside it puts the young person at risk",
        )

        page = page_of(
            client_for(practitioner).get(reverse("cases:detail", args=[young_person.pk]))
        )
        # text_of puts a space for each tag: the colon is in a span of its own, heard by a
        # screen reader after the status tag ("Authorised: No harm found; ...").
        summary = text_of(section(page, "assessment-summary", "</div>")).replace(" :", ":")
        assert summary.endswith(
            "Started {} Authorised: No harm found; no further action".format(
                f"{days_ago(20).day} {days_ago(20):%B %Y}"
            )
        )

        authorised = next(
            e
            for e in chronology_for_young_person(young_person=young_person)
            if e.title == "Assessment authorised"
        )
        assert authorised.by == "Mona Tester"
        assert authorised.detail == (
            "Authorised: No harm found; no further action. Reasoning: Nothing in the home or "
            "outside it puts the young person at risk"
        )


class TestReferrals:
    def test_the_referral_form_does_not_offer_no_harm_found(self):
        values = [value for value, _label in ReferralForm.base_fields["nature_of_harm"].choices]
        assert "none" not in values
        assert "not_known" in values

    def test_the_service_refuses_it(self, practitioner, young_person):
        from cases import services as case_services

        with pytest.raises(ApplicationError) as refused:
            case_services.referral_record(
                actor=practitioner,
                young_person=young_person,
                received_on=days_ago(1),
                source="1A",
                reason="Seen at the station",
                nature_of_harm="none",
                decision="assessment",
            )
        assert (refused.value.message, refused.value.field) == (
            "Choose the nature of harm",
            "nature_of_harm",
        )
