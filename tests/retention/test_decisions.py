"""A manager's decision on a record due for review: keeping it until a later review, or erasing
it by redaction, with nothing deleted, one audit event, the dashboards unchanged; who may
decide; and the decision page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from cases import files
from cases import services as case_services
from cases.models import Assessment, Document, YoungPerson
from contexts.linking.services import context_link_young_person
from contexts.models import Context, ContextLink
from csafe.audit.models import Event, EventKind
from csafe.core.errors import ApplicationError
from reporting.dashboards.selectors import dashboard_tables
from reporting.scope import ReportScope
from retention import services
from retention.models import RetentionDecision
from retention.redaction import MARKER
from retention.selectors import records_due_for_review
from tests.cases.helpers import sign_in_redirect
from tests.factories import YoungPersonFactory
from tests.html_pages import error_summary
from tests.retention.helpers import (
    born_years_ago,
    close_case,
    close_context,
    closed_context,
    fill_context,
    fill_young_persons_record,
    open_context,
    today,
)

pytestmark = pytest.mark.django_db

KEEP_REASON = "Linked to a live police investigation"
ERASE_REASON = "Retention period passed; no reason to keep"
NOT_DUE = "This record is not due for retention review"
REFUSED = "Only team managers and service managers review records for retention"

# Distinctive invented words written into every text of the record to erase, and of the record
# beside it that must survive untouched.
CANARY = "Quorndelphine"
NEIGHBOUR_CANARY = "Brackenfurze"
CONTEXT_CANARY = "Wyvernholt"


def decide_url(kind: str, pk: int) -> str:
    return reverse("retention:decide", args=[kind, pk])


def text_values(model) -> list[tuple[str, str]]:
    """Every (field, value) of every text field in ``model``'s table."""
    names = [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField))
    ]
    if not names:
        return []
    return [
        (name, value)
        for row in model._default_manager.values_list(*names)
        for name, value in zip(names, row, strict=True)
        if value
    ]


def case_and_context_models():
    """Every table of the record apps, history tables included, plus the audit events."""
    wanted = {"cases", "harms", "contexts"}
    return [m for m in apps.get_models() if m._meta.app_label in wanted] + [Event]


def holding(canary: str) -> set[str]:
    """The tables (and fields) anywhere in the record apps that still hold ``canary``."""
    found = set()
    for model in case_and_context_models():
        for name, value in text_values(model):
            if canary in value:
                found.add(f"{model._meta.label}.{name}")
        if model is Event:
            for detail in Event.objects.values_list("detail", flat=True):
                if canary in str(detail):
                    found.add("audit.Event.detail")
    return found


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def dashboards():
    return dashboard_tables(ReportScope(start=today() - timedelta(days=365), end=today()))


@pytest.fixture
def due_person(team_manager, practitioner):
    """An adult's case in team A with the canary in all its text, closed today, so due now."""
    person = YoungPersonFactory(
        actor=team_manager,
        first_name=CANARY,
        last_name="Ashgrove",
        preferred_name=f"{CANARY}y",
        gender_identity=f"{CANARY} says non-binary",
        address_line_1=f"1 {CANARY} Road",
        town="Northbridge",
        date_of_birth=date(1994, 8, 9),
        local_identifier="RT-ERASE",
    )
    case_services.young_person_allocate_worker(
        actor=team_manager, young_person=person, worker=practitioner
    )
    context = open_context(practitioner, area="Eastfield", opened_on=today() - timedelta(days=30))
    fill_young_persons_record(
        manager=team_manager,
        worker=practitioner,
        young_person=person,
        canary=CANARY,
        context=context,
    )
    # The closing reason goes into the history row and the audit event's detail.
    return close_case(team_manager, person, reason=f"{CANARY} has moved to Scotland")


@pytest.fixture
def neighbour(team_manager, practitioner):
    """Another young person of team A, closed and due too, with text of their own."""
    person = YoungPersonFactory(
        actor=team_manager, first_name=NEIGHBOUR_CANARY, date_of_birth=born_years_ago(30)
    )
    case_services.young_person_allocate_worker(
        actor=team_manager, young_person=person, worker=practitioner
    )
    fill_young_persons_record(
        manager=team_manager, worker=practitioner, young_person=person, canary=NEIGHBOUR_CANARY
    )
    return close_case(team_manager, person)


@pytest.fixture
def due_context(team_manager):
    context = open_context(
        team_manager,
        area=f"{CONTEXT_CANARY} estate",
        opened_on=date(2010, 3, 1),
        incident=f"Robbery by the {CONTEXT_CANARY} crew",
        description=f"The {CONTEXT_CANARY} crew meets in the underpass",
    )
    fill_context(team_manager, context, canary=CONTEXT_CANARY)
    close_context(
        team_manager,
        context,
        on=date(2011, 5, 1),
        reason=f"The {CONTEXT_CANARY} crew has broken up",
    )
    return context


def erase(actor, kind, pk, reason=ERASE_REASON):
    return services.retention_decide(
        actor=actor, record_kind=kind, record_id=pk, decision="erase", reason=reason
    )


def refused(call, message: str, field: str | None = None) -> None:
    with pytest.raises(ApplicationError) as caught:
        call()
    assert (caught.value.message, caught.value.field) == (message, field)


class TestKeep:
    def test_keeping_hides_the_record_until_its_review_date(self, due_person, team_manager):
        review_on = today() + timedelta(days=365)
        decision = services.retention_decide(
            actor=team_manager,
            record_kind="young_person",
            record_id=due_person.pk,
            decision="keep",
            reason=KEEP_REASON,
            review_on=review_on,
        )
        assert (decision.decision, decision.review_on, decision.decided_by) == (
            "keep",
            review_on,
            team_manager,
        )
        assert records_due_for_review(user=team_manager, as_of=today()).young_people == []
        the_day_before = records_due_for_review(
            user=team_manager, as_of=review_on - timedelta(days=1)
        )
        assert the_day_before.young_people == []
        on_the_day = records_due_for_review(user=team_manager, as_of=review_on)
        assert [row.pk for row in on_the_day.young_people] == [due_person.pk]
        event = Event.objects.get(kind=EventKind.RETENTION_RECORD_KEPT)
        assert (event.actor, event.young_person, event.target_id) == (
            team_manager,
            due_person,
            str(due_person.pk),
        )
        assert event.detail == {
            "decision": decision.pk,
            "rule": "young_person",
            "review_on": review_on.isoformat(),
        }
        due_person.refresh_from_db()
        assert due_person.first_name == CANARY

    def test_a_review_date_in_the_future_is_needed(self, due_person, team_manager):
        for review_on, message in (
            (None, "Enter the date to review the record again"),
            (today(), "The date to review the record again must be in the future"),
        ):
            refused(
                lambda review_on=review_on: services.retention_decide(
                    actor=team_manager,
                    record_kind="young_person",
                    record_id=due_person.pk,
                    decision="keep",
                    reason=KEEP_REASON,
                    review_on=review_on,
                ),
                message,
                "review_on",
            )
        assert not RetentionDecision.objects.exists()

    def test_a_reason_is_needed(self, due_person, team_manager):
        refused(
            lambda: erase(team_manager, "young_person", due_person.pk, reason="   "),
            "Enter the reason for your decision",
            "reason",
        )
        assert not RetentionDecision.objects.exists()


class TestEraseYoungPerson:
    def test_erasing_redacts_every_text_and_its_history_and_deletes_nothing(
        self, due_person, neighbour, team_manager, django_capture_on_commit_callbacks
    ):
        document = Document.objects.get(young_person=due_person)
        neighbours_document = Document.objects.get(young_person=neighbour)
        assert files.path_for(document.stored_name).exists()
        before = holding(CANARY)  # the canary really is everywhere to begin with
        assert {
            "cases.YoungPerson.first_name",
            "cases.HistoricalYoungPerson.first_name",
            "cases.HistoricalYoungPerson.history_change_reason",
            "cases.HistoricalCaseNote.body",
            "contexts.ContextLink.reason",
            "audit.Event.detail",
        } <= before
        neighbour_before = holding(NEIGHBOUR_CANARY)
        counts_before = row_counts()
        dashboards_before = dashboards()

        with django_capture_on_commit_callbacks(execute=True):
            decision = erase(team_manager, "young_person", due_person.pk)

        assert holding(CANARY) == set()
        assert holding(NEIGHBOUR_CANARY) == neighbour_before
        counts_after = row_counts()
        assert counts_after.pop("retention.RetentionDecision") == (
            counts_before.pop("retention.RetentionDecision") + 1
        )
        assert counts_after.pop("audit.Event") == counts_before.pop("audit.Event") + 1
        assert counts_after == counts_before
        assert dashboards() == dashboards_before

        due_person.refresh_from_db()
        assert (due_person.first_name, due_person.last_name) == (MARKER, MARKER)
        assert (due_person.address_line_2, due_person.postcode) == ("", "")
        assert due_person.date_of_birth == date(1994, 1, 1)
        assert due_person.local_identifier == "RT-ERASE"
        assert {h.first_name for h in due_person.history.all()} == {MARKER}
        document.refresh_from_db()
        assert (document.title, document.original_name) == (MARKER, MARKER)
        assert not files.path_for(document.stored_name).exists()
        assert files.path_for(neighbours_document.stored_name).exists()

        event = Event.objects.get(kind=EventKind.RETENTION_RECORD_ERASED)
        assert (event.actor, event.young_person, event.target_id) == (
            team_manager,
            due_person,
            str(due_person.pk),
        )
        assert event.detail == {
            "decision": decision.pk,
            "rule": "young_person",
            "documents_removed": 1,
        }
        assert ERASE_REASON not in str(event.detail)

    def test_an_erased_record_is_never_listed_or_erased_again(self, due_person, team_manager):
        erase(team_manager, "young_person", due_person.pk)
        far = date(today().year + 100, 1, 1)
        assert records_due_for_review(user=team_manager, as_of=far).young_people == []
        refused(lambda: erase(team_manager, "young_person", due_person.pk), NOT_DUE)
        assert RetentionDecision.objects.count() == 1

    def test_a_stale_edit_cannot_bring_the_text_back(self, due_person, team_manager):
        # An editor who loaded the assessment before the erasure holds the old version, which
        # the version check then refuses.
        version = Assessment.objects.get(young_person=due_person).version
        erase(team_manager, "young_person", due_person.pk)
        assert Assessment.objects.get(young_person=due_person).version == version + 1


class TestEraseContext:
    def test_erasing_a_context_redacts_its_text_and_deletes_nothing(
        self, due_context, team_manager
    ):
        assert holding(CONTEXT_CANARY)
        counts_before = row_counts()

        erase(team_manager, "context", due_context.pk)

        assert holding(CONTEXT_CANARY) == set()
        counts_after = row_counts()
        assert counts_after.pop("retention.RetentionDecision") == (
            counts_before.pop("retention.RetentionDecision") + 1
        )
        assert counts_after.pop("audit.Event") == counts_before.pop("audit.Event") + 1
        assert counts_after == counts_before
        context = Context.objects.get(pk=due_context.pk)
        assert (context.name, context.area, context.normalised_name) == (MARKER, "", "")
        assert context.postcode_district == due_context.postcode_district
        event = Event.objects.get(kind=EventKind.RETENTION_RECORD_ERASED)
        assert event.young_person is None
        assert event.detail == {
            "decision": RetentionDecision.objects.get().pk,
            "rule": "context",
        }

    def test_a_childs_link_reason_survives_the_contexts_erasure(
        self, team_manager, practitioner, young_person
    ):
        context = open_context(practitioner, area="Southfield", opened_on=date(2010, 1, 1))
        context_link_young_person(
            actor=practitioner,
            context=context,
            young_person=young_person,
            reason="Seen with the group at the station",
        )
        close_context(team_manager, context, on=date(2011, 1, 1))
        erase(team_manager, "context", context.pk)
        link = ContextLink.objects.get(context=context)
        assert link.reason == "Seen with the group at the station"


class TestWhoMayDecide:
    def test_a_team_manager_of_another_team_cannot(self, due_person, other_team_manager):
        refused(lambda: erase(other_team_manager, "young_person", due_person.pk), NOT_DUE)

    def test_a_service_manager_can(self, due_person, service_manager):
        erase(service_manager, "young_person", due_person.pk)
        assert YoungPerson.objects.get(pk=due_person.pk).first_name == MARKER

    @pytest.mark.parametrize("who", ["practitioner", "administrator"])
    def test_others_cannot(self, due_person, who, request):
        refused(lambda: erase(request.getfixturevalue(who), "young_person", due_person.pk), REFUSED)
        assert not RetentionDecision.objects.exists()

    def test_a_record_not_yet_due_cannot_be_decided(self, team_manager):
        person = YoungPersonFactory(actor=team_manager, date_of_birth=born_years_ago(15))
        close_case(team_manager, person)
        refused(lambda: erase(team_manager, "young_person", person.pk), NOT_DUE)

    def test_a_context_of_another_team_cannot(self, team_manager, other_team_manager):
        context = closed_context(other_team_manager, area="Westfield", closed_on=date(2010, 2, 1))
        refused(lambda: erase(team_manager, "context", context.pk), NOT_DUE)
        erase(other_team_manager, "context", context.pk)


class TestDecisionPage:
    def test_the_page_shows_the_record_without_its_name(self, due_person, client_for, team_manager):
        response = client_for(team_manager).get(decide_url("young_person", due_person.pk))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Retention review of RT-ERASE" in page
        assert CANARY not in page

    def test_keeping(self, due_person, client_for, team_manager):
        review_on = today() + timedelta(days=30)
        response = client_for(team_manager).post(
            decide_url("young_person", due_person.pk),
            {
                "decision": "keep",
                "reason": KEEP_REASON,
                "review_on_day": str(review_on.day),
                "review_on_month": str(review_on.month),
                "review_on_year": str(review_on.year),
            },
            follow=True,
        )
        assert response.redirect_chain == [(reverse("retention:due"), 302)]
        expected = f"RT-ERASE kept until {review_on.day} {review_on:%B %Y}"
        assert expected in response.content.decode()
        assert RetentionDecision.objects.get().decision == "keep"

    def test_erasing_needs_the_confirmation(self, due_person, client_for, team_manager):
        response = client_for(team_manager).post(
            decide_url("young_person", due_person.pk),
            {"decision": "erase", "reason": ERASE_REASON},
        )
        assert response.status_code == 400
        assert error_summary(response) == ["Confirm that you understand erasing cannot be undone"]
        assert not RetentionDecision.objects.exists()
        assert YoungPerson.objects.get(pk=due_person.pk).first_name == CANARY

    def test_keeping_needs_a_date_and_everything_needs_a_reason(
        self, due_person, client_for, team_manager
    ):
        response = client_for(team_manager).post(
            decide_url("young_person", due_person.pk), {"decision": "keep"}
        )
        assert response.status_code == 400
        assert error_summary(response) == [
            "Enter the reason for your decision",
            "Enter the date to review the record again",
        ]
        response = client_for(team_manager).post(decide_url("young_person", due_person.pk), {})
        assert error_summary(response) == [
            "Choose whether to erase or keep the record",
            "Enter the reason for your decision",
        ]

    def test_erasing(self, due_person, client_for, team_manager):
        response = client_for(team_manager).post(
            decide_url("young_person", due_person.pk),
            {"decision": "erase", "reason": ERASE_REASON, "confirm_erase": "on"},
            follow=True,
        )
        assert response.redirect_chain == [(reverse("retention:due"), 302)]
        assert "RT-ERASE erased" in response.content.decode()
        assert YoungPerson.objects.get(pk=due_person.pk).first_name == MARKER
        # Decided: the page for it is gone.
        again = client_for(team_manager).get(decide_url("young_person", due_person.pk))
        assert again.status_code == 404

    def test_erasing_a_context(self, due_context, client_for, service_manager):
        response = client_for(service_manager).post(
            decide_url("context", due_context.pk),
            {"decision": "erase", "reason": ERASE_REASON, "confirm_erase": "on"},
            follow=True,
        )
        assert f"Context record {due_context.name} erased" in response.content.decode()

    def test_a_manager_of_another_team_gets_404(self, due_person, client_for, other_team_manager):
        client = client_for(other_team_manager)
        url = decide_url("young_person", due_person.pk)
        assert client.get(url).status_code == 404
        response = client.post(
            url, {"decision": "erase", "reason": ERASE_REASON, "confirm_erase": "on"}
        )
        assert response.status_code == 404
        assert YoungPerson.objects.get(pk=due_person.pk).first_name == CANARY

    def test_an_unknown_kind_is_404(self, client_for, team_manager):
        assert client_for(team_manager).get(decide_url("plan", 1)).status_code == 404

    @pytest.mark.parametrize("who", ["practitioner", "administrator"])
    def test_others_are_refused(self, due_person, who, request, client_for):
        client = client_for(request.getfixturevalue(who))
        url = decide_url("young_person", due_person.pk)
        assert client.get(url).status_code == 403
        response = client.post(
            url, {"decision": "erase", "reason": ERASE_REASON, "confirm_erase": "on"}
        )
        assert response.status_code == 403
        assert YoungPerson.objects.get(pk=due_person.pk).first_name == CANARY

    def test_anonymous_visitors_sign_in(self, due_person, client):
        url = decide_url("young_person", due_person.pk)
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, sign_in_redirect(url))
