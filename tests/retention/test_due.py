"""Which records are due for retention review on a given date, for whom, at what cost, and the
page that lists them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from retention import selectors, services
from retention.models import RetentionBasis, RuleKind
from retention.selectors import add_years, records_due_for_review
from tests.cases.helpers import sign_in_redirect
from tests.factories import YoungPersonFactory
from tests.retention.helpers import (
    born_years_ago,
    close_case,
    closed_context,
    closed_young_person,
    open_context,
    rule,
    today,
)

pytestmark = pytest.mark.django_db

DUE = reverse("retention:due")
REFUSED = "Only team managers and service managers review records for retention"


def identifiers(rows) -> list[str]:
    return [row.identifier for row in rows]


@pytest.fixture
def cast(team_manager, other_team_manager):
    """Team A: an adult's closed case (due now), a 15-year-old's closed case (due at 25), an
    open case, a closed case with a looked-after plan (due at 75), a context closed long ago (due)
    and one closed today (due in ten years), and an open context. Team B: an adult's closed case."""
    adult_born = born_years_ago(30)
    young_born = born_years_ago(15)
    records = {
        "adult": closed_young_person(team_manager, born=adult_born, local_identifier="RT-ADULT"),
        "young": closed_young_person(team_manager, born=young_born, local_identifier="RT-YOUNG"),
        "open": YoungPersonFactory(
            actor=team_manager, date_of_birth=adult_born, local_identifier="RT-OPEN"
        ),
        "looked_after": closed_young_person(
            team_manager, born=adult_born, looked_after=True, local_identifier="RT-LAC"
        ),
        "other_team": closed_young_person(
            other_team_manager, born=adult_born, local_identifier="RT-OTHER"
        ),
        "old_context": closed_context(team_manager, area="Oldfield", closed_on=date(2012, 6, 30)),
        "recent_context": closed_context(team_manager, area="Newfield", closed_on=today()),
        "open_context": open_context(team_manager, area="Openfield", opened_on=today()),
    }
    records["adult_born"] = adult_born
    records["young_born"] = young_born
    return records


class TestDueOnADate:
    def test_today_for_each_manager(self, cast, team_manager, other_team_manager, service_manager):
        old = cast["old_context"].name
        mine = records_due_for_review(user=team_manager, as_of=today())
        assert identifiers(mine.young_people) == ["RT-ADULT"]
        assert identifiers(mine.contexts) == [old]
        assert (mine.young_people_total, mine.contexts_total) == (1, 1)

        theirs = records_due_for_review(user=other_team_manager, as_of=today())
        assert identifiers(theirs.young_people) == ["RT-OTHER"]
        assert theirs.contexts == []

        everyone = records_due_for_review(user=service_manager, as_of=today())
        assert identifiers(everyone.young_people) == ["RT-ADULT", "RT-OTHER"]
        assert identifiers(everyone.contexts) == [old]

    def test_what_each_row_says(self, cast, team_manager):
        due = records_due_for_review(user=team_manager, as_of=today())
        (person,) = due.young_people
        assert (person.kind, person.pk, person.team) == ("young_person", cast["adult"].pk, "Team A")
        assert person.closed_on == today()
        assert person.rule == rule(RuleKind.YOUNG_PERSON)
        # Past 25 when the case closed: due from the day it closed.
        assert person.due_since == today()
        (context,) = due.contexts
        assert (context.kind, context.pk, context.detail) == (
            "context",
            cast["old_context"].pk,
            "Peer group",
        )
        assert context.closed_on == date(2012, 6, 30)
        assert context.due_since == date(2022, 6, 30)

    def test_a_young_persons_case_is_due_on_their_25th_birthday(self, cast, service_manager):
        birthday = add_years(cast["young_born"], 25)
        before = records_due_for_review(user=service_manager, as_of=birthday - timedelta(days=1))
        assert "RT-YOUNG" not in identifiers(before.young_people)
        on = records_due_for_review(user=service_manager, as_of=birthday)
        assert identifiers(on.young_people) == ["RT-ADULT", "RT-YOUNG", "RT-OTHER"]
        young = next(row for row in on.young_people if row.identifier == "RT-YOUNG")
        assert young.due_since == birthday

    def test_a_looked_after_childs_case_is_kept_until_75(self, cast, service_manager):
        seventy_fifth = add_years(cast["adult_born"], 75)
        before = records_due_for_review(user=service_manager, as_of=seventy_fifth - timedelta(1))
        assert "RT-LAC" not in identifiers(before.young_people)
        on = records_due_for_review(user=service_manager, as_of=seventy_fifth)
        lac = next(row for row in on.young_people if row.identifier == "RT-LAC")
        assert lac.rule == rule(RuleKind.LOOKED_AFTER)
        assert lac.detail == "Had a looked-after plan"
        assert lac.due_since == seventy_fifth
        # The open records are never due.
        assert "RT-OPEN" not in identifiers(on.young_people)
        assert cast["open_context"].name not in identifiers(on.contexts)

    def test_a_context_is_due_ten_years_after_its_last_closure(self, cast, service_manager):
        tenth = add_years(today(), 10)
        before = records_due_for_review(user=service_manager, as_of=tenth - timedelta(days=1))
        assert identifiers(before.contexts) == [cast["old_context"].name]
        on = records_due_for_review(user=service_manager, as_of=tenth)
        assert identifiers(on.contexts) == [cast["old_context"].name, cast["recent_context"].name]

    def test_a_reopened_case_is_not_due(self, cast, team_manager):
        from cases.services import young_person_set_status

        young_person_set_status(
            actor=team_manager, young_person=cast["adult"], status="open", reason="New referral"
        )
        assert records_due_for_review(user=team_manager, as_of=today()).young_people == []

    def test_a_rule_not_in_use_lists_nothing(self, cast, administrator, service_manager):
        for kind in (RuleKind.YOUNG_PERSON, RuleKind.CONTEXT):
            current = rule(kind)
            services.retention_rule_update(
                actor=administrator,
                rule=current,
                basis=current.basis,
                years=current.years,
                is_active=False,
            )
        due = records_due_for_review(user=service_manager, as_of=add_years(today(), 20))
        assert due.contexts == []
        # Only the looked-after rule is left in use, and it is not due yet.
        assert due.young_people == []

    def test_switching_off_the_looked_after_rule_never_falls_back(
        self, cast, administrator, service_manager
    ):
        current = rule(RuleKind.LOOKED_AFTER)
        services.retention_rule_update(
            actor=administrator, rule=current, basis=current.basis, years=75, is_active=False
        )
        due = records_due_for_review(user=service_manager, as_of=add_years(today(), 100))
        assert "RT-LAC" not in identifiers(due.young_people)

    def test_a_changed_rule_applies_at_once(self, cast, administrator, service_manager):
        services.retention_rule_update(
            actor=administrator,
            rule=rule(RuleKind.YOUNG_PERSON),
            basis=RetentionBasis.AFTER_CLOSURE,
            years=5,
            is_active=True,
        )
        assert records_due_for_review(user=service_manager, as_of=today()).young_people == []
        five = add_years(today(), 5)
        due = records_due_for_review(user=service_manager, as_of=five)
        assert identifiers(due.young_people) == ["RT-ADULT", "RT-YOUNG", "RT-OTHER"]
        assert {row.due_since for row in due.young_people} == {five}

    def test_nobody_else_has_a_list(self, cast, practitioner, administrator):
        for user in (practitioner, administrator):
            due = records_due_for_review(user=user, as_of=add_years(today(), 100))
            assert (due.young_people, due.contexts, due.total) == ([], [], 0)

    def test_the_list_is_capped_with_its_total(self, cast, service_manager, monkeypatch):
        monkeypatch.setattr(selectors, "LIST_LIMIT", 1)
        due = records_due_for_review(user=service_manager, as_of=today(), limit=1)
        assert identifiers(due.young_people) == ["RT-ADULT"]
        assert due.young_people_total == 2


class TestQueryCount:
    def _many(self, team_manager, count):
        for n in range(count):
            closed_young_person(team_manager, born=born_years_ago(40), local_identifier=f"RQ-{n}")
            closed_context(team_manager, area=f"Area {n}", closed_on=date(2010, 1, n + 1))

    @pytest.mark.parametrize("count", [1, 6])
    def test_eight_queries_whatever_the_number(
        self, team_manager, service_manager, count, django_assert_num_queries
    ):
        self._many(team_manager, count)
        # The rules; young people due and their count; contexts due and their count; held young
        # people and their count (none here); the legal hold rule's harm types.
        with django_assert_num_queries(8):
            due = records_due_for_review(user=service_manager, as_of=today())
        assert (due.young_people_total, due.contexts_total) == (count, count)

    @pytest.mark.parametrize("count", [1, 6])
    def test_the_page_costs_the_same(
        self, team_manager, client_for, count, django_assert_num_queries
    ):
        self._many(team_manager, count)
        client = client_for(team_manager)
        # The session and user; the eight of records_due_for_review; the access-log rows for
        # the young people shown, in one INSERT; the unread notifications count in the header;
        # the session saved again (savepoint, update, release) by the idle sign-out clock.
        with django_assert_num_queries(15):
            response = client.get(DUE)
        assert response.status_code == 200


class TestDuePage:
    def test_a_team_manager_sees_their_teams_records_without_names(
        self, cast, client_for, team_manager
    ):
        response = client_for(team_manager).get(DUE)
        assert response.status_code == 200
        page = response.content.decode()
        assert "RT-ADULT" in page
        assert cast["old_context"].name in page
        assert "RT-OTHER" not in page
        assert cast["adult"].first_name not in page
        assert reverse("retention:decide", args=["young_person", cast["adult"].pk]) in page
        assert 'href="/retention/"' in page  # the navigation item

    def test_a_service_manager_sees_every_team(self, cast, client_for, service_manager):
        page = client_for(service_manager).get(DUE).content.decode()
        assert "RT-ADULT" in page and "RT-OTHER" in page

    def test_an_empty_list_says_so(self, client_for, team_manager):
        page = client_for(team_manager).get(DUE).content.decode()
        assert "No records are due for review." in page

    @pytest.mark.parametrize("who", ["practitioner", "administrator"])
    def test_others_are_refused(self, who, request, client_for):
        user = request.getfixturevalue(who)
        response = client_for(user).get(DUE)
        assert response.status_code == 403
        assert 'href="/retention/"' not in client_for(user).get("/").content.decode()

    def test_anonymous_visitors_sign_in(self, client):
        response = client.get(DUE)
        assert response.status_code == 302
        assert response["Location"] == sign_in_redirect(DUE)


def test_closing_a_case_dates_the_closure(team_manager):
    person = YoungPersonFactory(actor=team_manager, date_of_birth=born_years_ago(30))
    assert close_case(team_manager, person).closed_on == today()
