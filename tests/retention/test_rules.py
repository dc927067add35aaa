"""Retention rules: the starting rules, changing them (administrators only, with history and an
audit event), and the pages that list and change them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from csafe.audit.models import Event, EventKind
from csafe.core.errors import ApplicationError
from retention import services
from retention.defaults import STARTING_POINT
from retention.models import RetentionBasis, RetentionRule, RuleKind
from tests.cases.helpers import sign_in_redirect
from tests.html_pages import error_summary, field_errors
from tests.retention.helpers import rule

pytestmark = pytest.mark.django_db

RULES = reverse("retention:rules")
NOT_ADMINISTRATORS = ["practitioner", "team_manager", "service_manager"]


def edit_url(kind: str) -> str:
    return reverse("retention:rule_edit", args=[rule(kind).pk])


def refused(call, message: str, field: str | None = None) -> None:
    with pytest.raises(ApplicationError) as caught:
        call()
    assert (caught.value.message, caught.value.field) == (message, field)


def test_the_starting_rules():
    rules = {r.kind: (r.basis, r.years, r.is_active) for r in RetentionRule.objects.all()}
    assert rules == {
        RuleKind.YOUNG_PERSON: (RetentionBasis.UNTIL_AGE, 25, True),
        RuleKind.LOOKED_AFTER: (RetentionBasis.UNTIL_AGE, 75, True),
        RuleKind.CONTEXT: (RetentionBasis.AFTER_CLOSURE, 10, True),
    }
    assert set(RetentionRule.objects.values_list("policy_note", flat=True)) == {STARTING_POINT}


class TestRuleUpdate:
    def test_an_administrator_changes_a_rule(self, administrator):
        changed = services.retention_rule_update(
            actor=administrator,
            rule=rule(RuleKind.YOUNG_PERSON),
            basis=RetentionBasis.AFTER_CLOSURE,
            years=15,
            is_active=True,
            policy_note="  Schedule 4.2  ",
        )
        changed.refresh_from_db()
        assert (changed.basis, changed.years, changed.policy_note) == (
            "after_closure",
            15,
            "Schedule 4.2",
        )
        assert changed.updated_by == administrator
        assert changed.period_label == "15 years after closure"
        (version,) = changed.history.all()
        assert (version.history_user, version.years) == (administrator, 15)
        event = Event.objects.get(kind=EventKind.RETENTION_RULE_CHANGED)
        assert event.actor == administrator
        assert event.detail == {
            "rule": "young_person",
            "before": {"basis": "until_age", "years": 25, "is_active": True},
            "after": {"basis": "after_closure", "years": 15, "is_active": True},
        }

    @pytest.mark.parametrize("who", NOT_ADMINISTRATORS)
    def test_only_administrators(self, who, request):
        user = request.getfixturevalue(who)
        refused(
            lambda: services.retention_rule_update(
                actor=user,
                rule=rule(RuleKind.CONTEXT),
                basis="after_closure",
                years=1,
                is_active=True,
            ),
            "Only administrators can change retention rules",
        )
        assert rule(RuleKind.CONTEXT).years == 10

    def test_a_context_has_no_age(self, administrator):
        refused(
            lambda: services.retention_rule_update(
                actor=administrator,
                rule=rule(RuleKind.CONTEXT),
                basis="until_age",
                years=25,
                is_active=True,
            ),
            "A context record can only be kept for a number of years after it closed",
            "basis",
        )

    @pytest.mark.parametrize("years", [None, 0, 121])
    def test_years_in_range(self, administrator, years):
        refused(
            lambda: services.retention_rule_update(
                actor=administrator,
                rule=rule(RuleKind.YOUNG_PERSON),
                basis="until_age",
                years=years,
                is_active=True,
            ),
            "Enter a number of years from 1 to 120",
            "years",
        )
        assert not Event.objects.filter(kind=EventKind.RETENTION_RULE_CHANGED).exists()


class TestRulePages:
    def test_the_list(self, client_for, administrator):
        response = client_for(administrator).get(RULES)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Until age 25 (and at least until closure)" in page
        assert "10 years after closure" in page
        assert "not legal advice" in page
        assert edit_url(RuleKind.CONTEXT) in page
        assert 'href="/retention/rules/"' in client_for(administrator).get("/").content.decode()

    def test_changing_a_rule(self, client_for, administrator):
        client = client_for(administrator)
        url = edit_url(RuleKind.LOOKED_AFTER)
        assert client.get(url).status_code == 200
        response = client.post(
            url, {"basis": "until_age", "years": "80", "is_active": "on", "policy_note": ""}
        )
        assert response.status_code == 302
        assert response["Location"] == RULES
        assert rule(RuleKind.LOOKED_AFTER).years == 80
        page = client.get(RULES).content.decode()
        assert "Retention rule for young person&#x27;s case with a looked-after plan saved" in page
        history = client.get(url).content.decode()
        assert "Until age 80" in history

    def test_a_refused_change_shows_why(self, client_for, administrator):
        response = client_for(administrator).post(
            edit_url(RuleKind.YOUNG_PERSON), {"basis": "until_age", "years": "0"}
        )
        assert response.status_code == 400
        assert error_summary(response) == ["Enter a number of years from 1 to 120"]
        assert field_errors(response) == {"id_years": "Enter a number of years from 1 to 120"}
        assert rule(RuleKind.YOUNG_PERSON).years == 25

    def test_a_context_rule_offers_only_years_after_closure(self, client_for, administrator):
        client = client_for(administrator)
        page = client.get(edit_url(RuleKind.CONTEXT)).content.decode()
        assert 'value="until_age"' not in page
        response = client.post(edit_url(RuleKind.CONTEXT), {"basis": "until_age", "years": "3"})
        assert response.status_code == 400
        assert error_summary(response) == [
            "Select a valid choice. until_age is not one of the available choices."
        ]

    @pytest.mark.parametrize("who", NOT_ADMINISTRATORS)
    def test_others_are_refused(self, who, request, client_for):
        client = client_for(request.getfixturevalue(who))
        url = edit_url(RuleKind.YOUNG_PERSON)
        assert client.get(RULES).status_code == 403
        assert client.get(url).status_code == 403
        assert client.post(url, {"basis": "until_age", "years": "1"}).status_code == 403
        assert rule(RuleKind.YOUNG_PERSON).years == 25

    def test_anonymous_visitors_sign_in(self, client):
        for url in (RULES, edit_url(RuleKind.YOUNG_PERSON)):
            response = client.get(url)
            assert (response.status_code, response["Location"]) == (302, sign_in_redirect(url))
