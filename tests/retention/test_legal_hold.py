"""Legal holds: a manager's hold on a young person's record, placed and lifted with a reason;
the rule that holds every record with a flag or assessment factor of chosen harm types; that a
held record is never due for review and cannot be erased; and who may do each."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from cases.models import YoungPerson
from csafe.audit.models import Event, EventKind, RecordAccess
from csafe.core.errors import ApplicationError
from harms.models import HarmType
from retention import services
from retention.defaults import HOLD_CITATION
from retention.models import LegalHold, LegalHoldRule, RetentionDecision
from retention.selectors import legal_holds_for_young_person, records_due_for_review
from tests.cases.helpers import detail_url, sign_in_redirect
from tests.factories import YoungPersonFactory
from tests.harms.helpers import archive_flag, raise_flag
from tests.html_pages import error_summary
from tests.retention.helpers import (
    HOLD_REASON,
    born_years_ago,
    close_case,
    closed_young_person,
    complete_assessment,
    hold,
    return_assessment,
    today,
)

pytestmark = pytest.mark.django_db

LIFT_REASON = "The claim was settled in March"
CSE_REASON = (
    "Held by rule: a harm flag of child sexual exploitation (IICSA instruction, 2 July 2015)"
)
CSE_FACTOR_REASON = (
    "Held by rule: an assessment factor of child sexual exploitation "
    "(IICSA instruction, 2 July 2015)"
)
HELD_NOT_ERASED = "This record is under a legal hold and cannot be erased"
HOLD_REFUSED = "Only the record's team managers and service managers place and lift legal holds"


def cse() -> HarmType:
    return HarmType.objects.get(cin_code="11A")


def due_identifiers(user) -> list[str]:
    return [row.identifier for row in records_due_for_review(user=user, as_of=today()).young_people]


def held_rows(user) -> dict[str, tuple[str, ...]]:
    due = records_due_for_review(user=user, as_of=today())
    return {row.identifier: row.held_reasons for row in due.held}


def erase(actor, person):
    return services.retention_decide(
        actor=actor,
        record_kind="young_person",
        record_id=person.pk,
        decision="erase",
        reason="Retention period passed",
    )


def hold_url(person) -> str:
    return reverse("retention:hold", args=[person.pk])


def lift_url(person) -> str:
    return reverse("retention:hold_lift", args=[person.pk])


def review_date() -> dict[str, str]:
    day = today() + timedelta(days=180)
    return {
        "review_on_day": str(day.day),
        "review_on_month": str(day.month),
        "review_on_year": str(day.year),
    }


@pytest.fixture
def adult(team_manager):
    """Team A's closed case of a 30-year-old: due for review today under the default rule."""
    return closed_young_person(team_manager, born=born_years_ago(30), local_identifier="LH-ADULT")


@pytest.fixture
def other_adult(other_team_manager):
    return closed_young_person(
        other_team_manager, born=born_years_ago(30), local_identifier="LH-OTHER"
    )


def flagged_and_closed(actor, harm_type, *, identifier: str, archived: bool = False):
    """An adult's case with a flag of ``harm_type`` (archived, if asked), then closed."""
    person = YoungPersonFactory(
        actor=actor, date_of_birth=born_years_ago(30), local_identifier=identifier
    )
    flag = raise_flag(actor=actor, young_person=person, harm_type=harm_type)
    if archived:
        archive_flag(actor=actor, flag=flag)
    return close_case(actor, person)


class TestPlacingAndLifting:
    def test_a_hold_takes_the_record_off_the_list_and_is_audited(self, team_manager, adult):
        assert due_identifiers(team_manager) == ["LH-ADULT"]
        placed = hold(team_manager, adult, reason=f"  {HOLD_REASON} ")
        assert (placed.reason, placed.placed_by, placed.lifted_at) == (
            HOLD_REASON,
            team_manager,
            None,
        )
        assert placed.review_on == today() + timedelta(days=180)
        assert due_identifiers(team_manager) == []
        assert held_rows(team_manager) == {
            "LH-ADULT": (
                f"Legal hold, to be reviewed on {placed.review_on.day} "
                f"{placed.review_on:%B %Y}: {HOLD_REASON}",
            )
        }
        [event] = Event.objects.filter(kind=EventKind.LEGAL_HOLD_PLACED)
        assert (event.actor, event.young_person, event.target_id) == (
            team_manager,
            adult,
            str(placed.pk),
        )
        # Ids and dates only: the reason is free text.
        assert event.detail == {"hold": placed.pk, "review_on": placed.review_on.isoformat()}

    def test_lifting_keeps_the_hold_and_lists_the_record_again(self, team_manager, adult):
        placed = hold(team_manager, adult)
        lifted = services.legal_hold_lift(
            actor=team_manager, young_person=adult, reason=f" {LIFT_REASON} "
        )
        assert lifted.pk == placed.pk
        lifted.refresh_from_db()
        assert (lifted.lifted_by, lifted.lift_reason) == (team_manager, LIFT_REASON)
        assert lifted.lifted_at is not None
        assert LegalHold.objects.count() == 1  # never deleted
        assert due_identifiers(team_manager) == ["LH-ADULT"]
        [event] = Event.objects.filter(kind=EventKind.LEGAL_HOLD_LIFTED)
        assert (event.actor, event.young_person) == (team_manager, adult)
        assert event.detail == {"hold": placed.pk, "placed_by": team_manager.pk}
        # And a new hold may be placed later, the old one kept beside it.
        hold(team_manager, adult)
        assert LegalHold.objects.filter(young_person=adult).count() == 2

    def test_a_service_manager_holds_a_closed_record_of_any_team(
        self, service_manager, other_adult, other_team_manager
    ):
        hold(service_manager, other_adult)
        assert due_identifiers(other_team_manager) == []
        assert list(held_rows(service_manager)) == ["LH-OTHER"]

    @pytest.mark.parametrize(
        ("reason", "review_in_days", "field", "message"),
        [
            ("  ", 30, "reason", "Enter the reason for the legal hold"),
            (HOLD_REASON, None, "review_on", "Enter the date to review the legal hold"),
            (
                HOLD_REASON,
                0,
                "review_on",
                "The date to review the legal hold must be in the future",
            ),
        ],
    )
    def test_bad_input_is_refused_and_nothing_saved(
        self, team_manager, adult, reason, review_in_days, field, message
    ):
        review_on = None if review_in_days is None else today() + timedelta(days=review_in_days)
        with pytest.raises(ApplicationError) as error:
            services.legal_hold_place(
                actor=team_manager, young_person=adult, reason=reason, review_on=review_on
            )
        assert (error.value.message, error.value.field) == (message, field)
        assert not LegalHold.objects.exists()
        assert not Event.objects.filter(kind=EventKind.LEGAL_HOLD_PLACED).exists()

    def test_one_hold_stands_at_a_time(self, team_manager, service_manager, adult):
        hold(team_manager, adult)
        with pytest.raises(ApplicationError) as error:
            hold(service_manager, adult)
        assert error.value.message == "This record is already under a legal hold"
        assert LegalHold.objects.count() == 1

    def test_lifting_a_record_with_no_hold(self, team_manager, adult):
        with pytest.raises(ApplicationError) as error:
            services.legal_hold_lift(actor=team_manager, young_person=adult, reason=LIFT_REASON)
        assert error.value.message == "This record has no legal hold to lift"

    def test_lifting_needs_a_reason(self, team_manager, adult):
        hold(team_manager, adult)
        with pytest.raises(ApplicationError) as error:
            services.legal_hold_lift(actor=team_manager, young_person=adult, reason=" ")
        assert error.value.message == "Enter the reason for lifting the legal hold"
        assert LegalHold.objects.get().lifted_at is None

    def test_an_erased_record_cannot_be_held(self, team_manager, adult):
        erase(team_manager, adult)
        with pytest.raises(ApplicationError) as error:
            hold(team_manager, adult)
        assert error.value.message == "This record has been erased, so it cannot be held"

    @pytest.mark.parametrize(
        "who", ["other_team_manager", "practitioner", "administrator", "teammate"]
    )
    def test_others_cannot_place_or_lift(self, who, request, team_manager, adult):
        user = request.getfixturevalue(who)
        with pytest.raises(ApplicationError) as error:
            hold(user, adult)
        assert error.value.message == HOLD_REFUSED
        hold(team_manager, adult)
        with pytest.raises(ApplicationError) as error:
            services.legal_hold_lift(actor=user, young_person=adult, reason=LIFT_REASON)
        assert error.value.message == HOLD_REFUSED
        assert LegalHold.objects.get().lifted_at is None

    def test_a_service_manager_cannot_hold_an_open_record(self, service_manager, young_person):
        with pytest.raises(ApplicationError) as error:
            hold(service_manager, young_person)
        assert error.value.message == HOLD_REFUSED


class TestHeldRecordsAreNeverErased:
    def test_the_erase_service_refuses_a_held_record(self, team_manager, adult):
        first_name = adult.first_name
        hold(team_manager, adult)
        with pytest.raises(ApplicationError) as error:
            erase(team_manager, adult)
        assert (error.value.message, error.value.code) == (HELD_NOT_ERASED, "conflict")
        adult.refresh_from_db()
        assert adult.first_name == first_name
        assert not RetentionDecision.objects.exists()
        assert not Event.objects.filter(kind=EventKind.RETENTION_RECORD_ERASED).exists()

    def test_nor_keeps_it_under_review(self, service_manager, team_manager, adult):
        hold(team_manager, adult)
        with pytest.raises(ApplicationError) as error:
            services.retention_decide(
                actor=service_manager,
                record_kind="young_person",
                record_id=adult.pk,
                decision="keep",
                reason="Keep it",
                review_on=today() + timedelta(days=30),
            )
        assert error.value.message == (
            "This record is under a legal hold, so it is kept and not due for review"
        )

    def test_another_teams_manager_learns_nothing_of_the_hold(
        self, team_manager, other_team_manager, adult
    ):
        hold(team_manager, adult)
        with pytest.raises(ApplicationError) as error:
            erase(other_team_manager, adult)
        assert error.value.message == "This record is not due for retention review"

    def test_a_rule_held_record_cannot_be_erased(self, team_manager):
        person = flagged_and_closed(team_manager, cse(), identifier="LH-CSE")
        with pytest.raises(ApplicationError) as error:
            erase(team_manager, person)
        assert error.value.message == HELD_NOT_ERASED
        assert not RetentionDecision.objects.exists()

    def test_once_lifted_it_can_be_erased(self, team_manager, adult):
        hold(team_manager, adult)
        services.legal_hold_lift(actor=team_manager, young_person=adult, reason=LIFT_REASON)
        assert erase(team_manager, adult).decision == "erase"


class TestHeldByRule:
    def test_the_default_rule_holds_child_sexual_abuse_and_exploitation(self):
        rule = LegalHoldRule.objects.get()
        assert rule.citation == HOLD_CITATION
        assert sorted(rule.harm_types.values_list("cin_code", "name")) == [
            ("11A", "Child sexual exploitation"),
            ("19B", "Peer-on-peer sexual abuse"),
            ("19C", "Sexual abuse by an adult"),
        ]

    def test_a_cse_flag_holds_the_record(self, team_manager, service_manager, adult):
        flagged_and_closed(team_manager, cse(), identifier="LH-CSE")
        assert due_identifiers(team_manager) == ["LH-ADULT"]
        assert held_rows(service_manager) == {"LH-CSE": (CSE_REASON,)}

    def test_an_archived_flag_still_holds_it(self, team_manager):
        flagged_and_closed(team_manager, cse(), identifier="LH-CSE", archived=True)
        assert due_identifiers(team_manager) == []
        assert held_rows(team_manager) == {"LH-CSE": (CSE_REASON,)}

    def test_a_flag_of_another_type_does_not(self, team_manager):
        missing = HarmType.objects.get(name="Going missing")
        flagged_and_closed(team_manager, missing, identifier="LH-MISSING")
        assert due_identifiers(team_manager) == ["LH-MISSING"]
        assert held_rows(team_manager) == {}

    def test_a_flag_raised_on_a_closed_record_holds_it_at_once(self, team_manager, adult):
        # The rule is asked each time, not copied: nothing else needs to run.
        from cases.services import young_person_set_status

        young_person_set_status(
            actor=team_manager, young_person=adult, status="open", reason="New referral"
        )
        raise_flag(actor=team_manager, young_person=adult, harm_type=cse())
        close_case(team_manager, YoungPerson.objects.get(pk=adult.pk))
        assert due_identifiers(team_manager) == []
        assert list(held_rows(team_manager)) == ["LH-ADULT"]

    def test_an_assessment_factor_holds_it_even_when_withdrawn(self, team_manager):
        person = YoungPersonFactory(
            actor=team_manager, date_of_birth=born_years_ago(30), local_identifier="LH-FACTOR"
        )
        assessment = complete_assessment(team_manager, person, codes=["11A"])
        # Sent back and completed again without it: the factor is withdrawn, not deleted.
        return_assessment(team_manager, assessment)
        complete_assessment(team_manager, person, codes=["16A"], assessment=assessment)
        assert assessment.cin_factors.get(code="11A").withdrawn_at is not None
        close_case(team_manager, person)
        assert due_identifiers(team_manager) == []
        assert held_rows(team_manager) == {"LH-FACTOR": (CSE_FACTOR_REASON,)}

    def test_the_record_page_says_why(self, team_manager, adult):
        flagged = flagged_and_closed(team_manager, cse(), identifier="LH-CSE")
        hold(team_manager, flagged)
        holds = legal_holds_for_young_person(young_person=flagged)
        assert holds.rule_reasons == [CSE_REASON]
        assert holds.standing.reason == HOLD_REASON
        assert legal_holds_for_young_person(young_person=adult).is_held is False


class TestChangingTheRule:
    def test_an_administrator_changes_it_and_it_applies_at_once(self, administrator, team_manager):
        flagged_and_closed(team_manager, cse(), identifier="LH-CSE")
        rule = LegalHoldRule.objects.get()
        before = sorted(rule.harm_types.values_list("pk", flat=True))
        kept = [t for t in rule.harm_types.all() if t.cin_code != "11A"]
        missing = HarmType.objects.get(name="Going missing")
        services.legal_hold_rule_update(
            actor=administrator, harm_types=[*kept, missing], citation=HOLD_CITATION
        )
        assert due_identifiers(team_manager) == ["LH-CSE"]
        [event] = Event.objects.filter(kind=EventKind.LEGAL_HOLD_RULE_CHANGED)
        after = sorted([t.pk for t in kept] + [missing.pk])
        assert event.actor == administrator
        assert event.detail == {
            "before": before,
            "after": after,
            "added": [missing.pk],
            "removed": [cse().pk],
            "citation_changed": False,
        }

    @pytest.mark.parametrize("who", ["service_manager", "team_manager", "practitioner"])
    def test_nobody_else_may(self, who, request):
        user = request.getfixturevalue(who)
        with pytest.raises(ApplicationError) as error:
            services.legal_hold_rule_update(actor=user, harm_types=[], citation="Anything")
        assert error.value.message == "Only administrators can change the legal hold rule"
        assert LegalHoldRule.objects.get().harm_types.count() == 3
        assert not Event.objects.filter(kind=EventKind.LEGAL_HOLD_RULE_CHANGED).exists()

    def test_a_citation_is_needed(self, administrator):
        with pytest.raises(ApplicationError) as error:
            services.legal_hold_rule_update(actor=administrator, harm_types=[], citation=" ")
        assert error.value.message == (
            "Enter the short citation shown with every record the rule holds"
        )
        assert LegalHoldRule.objects.get().harm_types.count() == 3


class TestHoldPages:
    def test_a_team_manager_places_a_hold_from_the_record(self, client_for, team_manager, adult):
        client = client_for(team_manager)
        record = client.get(detail_url(adult)).content.decode()
        assert "This record is not under a legal hold." in record
        assert hold_url(adult) in record
        page = client.get(hold_url(adult))
        assert page.status_code == 200
        assert "LH-ADULT" in page.content.decode()
        assert adult.first_name not in page.content.decode()
        response = client.post(hold_url(adult), {"reason": HOLD_REASON, **review_date()})
        assert response.status_code == 302
        assert response["Location"] == detail_url(adult)
        record = client.get(detail_url(adult)).content.decode()
        assert "Held</strong>" in record
        assert HOLD_REASON in record
        assert lift_url(adult) in record
        assert LegalHold.objects.get().placed_by == team_manager

    def test_the_form_says_what_is_missing(self, client_for, team_manager, adult):
        response = client_for(team_manager).post(hold_url(adult), {"reason": ""})
        assert response.status_code == 400
        assert error_summary(response) == [
            "Enter the reason for the legal hold",
            "Enter the date to review the legal hold",
        ]
        assert not LegalHold.objects.exists()

    def test_lifting_from_the_page(self, client_for, team_manager, adult):
        hold(team_manager, adult)
        client = client_for(team_manager)
        page = client.get(lift_url(adult)).content.decode()
        assert HOLD_REASON in page
        refused = client.post(lift_url(adult), {"lift_reason": ""})
        assert error_summary(refused) == ["Enter the reason for lifting the legal hold"]
        response = client.post(lift_url(adult), {"lift_reason": LIFT_REASON})
        assert response.status_code == 302
        assert LegalHold.objects.get().lift_reason == LIFT_REASON
        # Nothing stands now, so there is nothing to lift.
        assert client.get(lift_url(adult)).status_code == 404

    def test_the_record_page_shows_a_rule_hold(self, client_for, team_manager):
        person = flagged_and_closed(team_manager, cse(), identifier="LH-CSE")
        page = client_for(team_manager).get(detail_url(person)).content.decode()
        assert CSE_REASON in page

    def test_the_record_page_shows_practitioners_no_hold_section(
        self, client_for, practitioner, team_manager, young_person
    ):
        page = client_for(practitioner).get(detail_url(young_person)).content.decode()
        assert 'data-testid="record-legal-hold"' not in page
        manager_page = client_for(team_manager).get(detail_url(young_person)).content.decode()
        assert 'data-testid="record-legal-hold"' in manager_page

    def test_a_service_manager_holds_a_closed_record_from_the_review(
        self, client_for, service_manager, other_adult, young_person
    ):
        client = client_for(service_manager)
        decide = client.get(reverse("retention:decide", args=["young_person", other_adult.pk]))
        assert hold_url(other_adult) in decide.content.decode()
        response = client.post(hold_url(other_adult), {"reason": HOLD_REASON, **review_date()})
        assert response.status_code == 302
        assert response["Location"] == reverse("retention:due")
        # An open record is not theirs to hold: it answers as if it did not exist.
        assert client.get(hold_url(young_person)).status_code == 404

    @pytest.mark.parametrize("url", [hold_url, lift_url])
    def test_another_teams_manager_gets_404(
        self, url, client_for, team_manager, other_team_manager, adult
    ):
        hold(team_manager, adult)  # so that the lift page has a hold to refuse
        client = client_for(other_team_manager)
        assert client.get(url(adult)).status_code == 404
        posted = client.post(url(adult), {"reason": HOLD_REASON, "lift_reason": LIFT_REASON})
        assert posted.status_code == 404
        assert LegalHold.objects.get().lifted_at is None

    @pytest.mark.parametrize("who", ["practitioner", "administrator"])
    @pytest.mark.parametrize("url", [hold_url, lift_url])
    def test_other_roles_are_refused(self, who, url, request, client_for, adult):
        client = client_for(request.getfixturevalue(who))
        assert client.get(url(adult)).status_code == 403
        assert client.post(url(adult), {"reason": HOLD_REASON, **review_date()}).status_code == (
            403
        )
        assert not LegalHold.objects.exists()

    @pytest.mark.parametrize("url", [hold_url, lift_url])
    def test_anonymous_visitors_sign_in(self, url, client, adult):
        response = client.get(url(adult))
        assert response.status_code == 302
        assert response["Location"] == sign_in_redirect(url(adult))


class TestReviewPage:
    DUE = reverse("retention:due")

    def test_held_records_are_shown_as_held_and_never_offered_for_review(
        self, client_for, team_manager, adult
    ):
        flagged = flagged_and_closed(team_manager, cse(), identifier="LH-CSE")
        page = client_for(team_manager).get(self.DUE).content.decode()
        assert 'data-testid="held-young-people"' in page
        assert CSE_REASON in page
        assert reverse("retention:decide", args=["young_person", flagged.pk]) not in page
        assert reverse("retention:decide", args=["young_person", adult.pk]) in page

    def test_the_decision_page_of_a_held_record_is_not_found(self, client_for, team_manager, adult):
        hold(team_manager, adult)
        url = reverse("retention:decide", args=["young_person", adult.pk])
        client = client_for(team_manager)
        assert client.get(url).status_code == 404
        posted = client.post(url, {"decision": "erase", "reason": "Passed", "confirm_erase": "on"})
        assert posted.status_code == 404
        assert not RetentionDecision.objects.exists()

    def test_each_young_person_shown_is_in_the_access_log(
        self, client_for, service_manager, team_manager, adult, other_adult, young_person
    ):
        flagged = flagged_and_closed(team_manager, cse(), identifier="LH-CSE")
        client_for(service_manager).get(self.DUE)
        rows = RecordAccess.objects.filter(user=service_manager).values_list(
            "young_person_id", "channel", "resource"
        )
        # The two due (both teams) and the held one: one row each.
        assert sorted(rows) == sorted(
            (pk, "list", self.DUE) for pk in (adult.pk, other_adult.pk, flagged.pk)
        )
        # The open record nobody listed has no row.
        assert not young_person.access_log.filter(user=service_manager).exists()

    def test_a_team_manager_is_logged_for_their_own_teams_rows_only(
        self, client_for, team_manager, adult, other_adult
    ):
        client_for(team_manager).get(self.DUE)
        logged = RecordAccess.objects.filter(user=team_manager, channel="list")
        assert list(logged.values_list("young_person_id", flat=True)) == [adult.pk]


class TestRulePage:
    URL = reverse("retention:hold_rule_edit")

    def test_an_administrator_changes_the_rule(self, client_for, administrator):
        client = client_for(administrator)
        rules = client.get(reverse("retention:rules")).content.decode()
        assert self.URL in rules
        assert HOLD_CITATION in rules
        page = client.get(self.URL).content.decode()
        assert "Exploitation: Child sexual exploitation" in page
        missing = HarmType.objects.get(name="Going missing")
        response = client.post(
            self.URL, {"harm_types": [missing.pk], "citation": "Local inquiry, 2030"}
        )
        assert response.status_code == 302
        rule = LegalHoldRule.objects.get()
        assert list(rule.harm_types.all()) == [missing]
        assert (rule.citation, rule.updated_by) == ("Local inquiry, 2030", administrator)
        assert Event.objects.filter(
            kind=EventKind.LEGAL_HOLD_RULE_CHANGED, actor=administrator
        ).exists()

    def test_a_citation_is_needed(self, client_for, administrator):
        response = client_for(administrator).post(self.URL, {"citation": ""})
        assert response.status_code == 400
        assert error_summary(response) == [
            "Enter the short citation shown with every record the rule holds"
        ]
        assert LegalHoldRule.objects.get().harm_types.count() == 3

    @pytest.mark.parametrize("who", ["service_manager", "team_manager", "practitioner"])
    def test_others_are_refused(self, who, request, client_for):
        client = client_for(request.getfixturevalue(who))
        assert client.get(self.URL).status_code == 403
        assert client.post(self.URL, {"citation": "Nothing"}).status_code == 403
        assert LegalHoldRule.objects.get().citation == HOLD_CITATION

    def test_anonymous_visitors_sign_in(self, client):
        response = client.get(self.URL)
        assert response["Location"] == sign_in_redirect(self.URL)
