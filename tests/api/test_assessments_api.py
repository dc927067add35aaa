"""/api/v1/young-people/<id>/assessments/: the same rules and messages as the assessment pages.

Allowed (the allocated practitioner and the holding team's manager), 404 for everyone without
access to the record, 401 for the anonymous; 409 for a stale version; 403 with the service's
message for anyone but the team manager who tries to authorise or return."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases import services as case_services
from cases.files import ALLOWED_DESCRIPTION, OversizedUpload
from cases.models import Document
from cases.services import assessments as services
from cases.services.documents import document_upload
from csafe.audit.models import RecordAccess
from csafe.core.dates import long_date
from tests.api_support import api
from tests.cases.assessment_support import (
    AUTHORISE_REFUSED,
    CCE,
    CONCLUSION,
    CONFLICT,
    GANGS,
    LOCKED,
    RETURN_REFUSED,
    add_factor,
    complete,
    days_ago,
    raise_flag,
    snapshot,
    start,
    today,
)
from tests.dates import built

pytestmark = pytest.mark.django_db

ALLOWED = ["practitioner", "team_manager"]
NO_ACCESS = [
    "teammate",
    "other_team_practitioner",
    "other_team_manager",
    "service_manager",
    "administrator",
]
NOT_FOUND = {"detail": "No young person found"}
NOT_SIGNED_IN = {"detail": "Authentication credentials were not provided."}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def base(young_person) -> str:
    return f"/api/v1/young-people/{young_person.pk}/assessments/"


def detail(young_person, assessment, suffix: str = "") -> str:
    return f"{base(young_person)}{assessment.pk}/{suffix}"


@pytest.fixture
def in_progress(practitioner, young_person):
    assessment = start(practitioner, young_person, peers="Older peers at the rec")
    add_factor(practitioner, assessment, "peer_group", "Older peers at the rec")
    return assessment  # version 2


@pytest.fixture
def awaiting(practitioner, in_progress):
    return complete(practitioner, in_progress, completed_on=days_ago(5))


def every_endpoint(young_person, assessment, factor) -> list[tuple[str, str, dict]]:
    return [
        ("get", base(young_person), {}),
        ("post", base(young_person), {"started_on": str(days_ago(1))}),
        ("get", detail(young_person, assessment), {}),
        ("patch", detail(young_person, assessment), {"version": 1, "peers": "x"}),
        ("post", detail(young_person, assessment, "factors/"), {"domain": "online"}),
        ("post", detail(young_person, assessment, f"factors/{factor.pk}/withdraw/"), {}),
        ("post", detail(young_person, assessment, "complete/"), {"completed_on": str(today())}),
        ("post", detail(young_person, assessment, "authorise/"), {"authorised_on": str(today())}),
        ("post", detail(young_person, assessment, "return/"), {"reason": "More"}),
        ("post", detail(young_person, assessment, "maps/"), {"title": "Map"}),
    ]


class TestAccess:
    @pytest.mark.parametrize("who", NO_ACCESS)
    def test_no_access_is_404_everywhere_and_nothing_is_saved(
        self, request, young_person, awaiting, who
    ):
        client = api(request.getfixturevalue(who))
        factor = awaiting.contextual_factors.get()
        before = snapshot()

        for method, path, data in every_endpoint(young_person, awaiting, factor):
            response = getattr(client, method)(path, data, format="json")
            assert (response.status_code, response.json()) == (404, NOT_FOUND), (method, path)

        assert snapshot() == before
        assert "Zephyrine" not in response.content.decode()

    def test_anonymous_gets_401_everywhere(self, young_person, awaiting):
        factor = awaiting.contextual_factors.get()
        before = snapshot()

        for method, path, data in every_endpoint(young_person, awaiting, factor):
            response = getattr(api(), method)(path, data, format="json")
            assert (response.status_code, response.json()) == (401, NOT_SIGNED_IN), path

        assert snapshot() == before

    def test_another_young_persons_assessment_is_404(
        self, practitioner, young_person, other_young_person, other_team_practitioner
    ):
        theirs = start(other_team_practitioner, other_young_person)

        response = api(practitioner).get(f"{base(young_person)}{theirs.pk}/")

        assert response.status_code == 404

    def test_reads_write_the_access_log(self, practitioner, young_person, in_progress):
        client = api(practitioner)
        client.get(base(young_person))
        client.get(detail(young_person, in_progress))

        rows = RecordAccess.objects.filter(user=practitioner, young_person=young_person)
        assert list(rows.order_by("pk").values_list("channel", "resource")) == [
            ("api", base(young_person)),
            ("api", detail(young_person, in_progress)),
        ]


class TestRead:
    @pytest.mark.parametrize("who", ALLOWED)
    def test_the_list_shows_everything_recorded(
        self, request, practitioner, team_manager, young_person, settings, tmp_path, who
    ):
        settings.MEDIA_ROOT = tmp_path
        raise_flag(practitioner, young_person, CCE)
        raise_flag(practitioner, young_person, GANGS)
        older = start(practitioner, young_person, started_on=days_ago(40), school="Excluded")
        factor = add_factor(practitioner, older, "location", "The underpass")
        withdrawn = add_factor(practitioner, older, "online", "In error")
        services.contextual_factor_withdraw(actor=practitioner, factor=withdrawn)
        peer_map = document_upload(
            actor=practitioner,
            young_person=young_person,
            uploaded=SimpleUploadedFile("map.pdf", PDF),
            title="Peer map",
            kind="peer_map",
            assessment=older,
            shaped_conclusion="Showed the older group",
        )
        complete(practitioner, older, completed_on=days_ago(30), cin_factor_codes=["24A"])
        services.assessment_authorise(
            actor=team_manager,
            assessment=older,
            authorised_on=days_ago(29),
            reason="The evidence supports the conclusion and the decision",
        )
        newer = start(practitioner, young_person, started_on=days_ago(2))

        response = api(request.getfixturevalue(who)).get(base(young_person))

        assert response.status_code == 200
        page = response.json()
        assert (page["count"], page["next"], page["previous"]) == (2, None, None)
        body = page["results"]
        assert [row["id"] for row in body] == [newer.pk, older.pk]
        assert body[1] == {
            "id": older.pk,
            "status": "authorised",
            "version": 7,  # started, two factors, one withdrawn, a map, completed, authorised
            "referral": None,
            "started_on": str(days_ago(40)),
            "completed_on": str(days_ago(30)),
            "authorised_on": str(days_ago(29)),
            "authorised_by": "Mona Tester",
            "authorisation_reason": "The evidence supports the conclusion and the decision",
            "returned_on": None,
            "returned_by": None,
            "return_reason": "",
            "peers": "",
            "school": "Excluded",
            "neighbourhood": "",
            "online": "",
            "capacity_undermining": "",
            "capacity_boosting": "",
            "conclusion": CONCLUSION,
            "outcome_nature": "extra_familial",
            "decision": "cin",
            "cin_factors": ["24A"],
            "suggested_cin_factors": ["13A", "24A"],
            "contextual_factors": [
                {
                    "id": factor.pk,
                    "domain": "location",
                    "domain_label": "Neighbourhood or location",
                    "description": "The underpass",
                    "recorded_by": "Pat Tester",
                    "created_at": body[1]["contextual_factors"][0]["created_at"],
                    "withdrawn_at": None,
                    "withdrawn_by": None,
                },
                {
                    "id": withdrawn.pk,
                    "domain": "online",
                    "domain_label": "Online space",
                    "description": "In error",
                    "recorded_by": "Pat Tester",
                    "created_at": body[1]["contextual_factors"][1]["created_at"],
                    "withdrawn_at": body[1]["contextual_factors"][1]["withdrawn_at"],
                    "withdrawn_by": "Pat Tester",
                },
            ],
            "maps": [
                {
                    "id": peer_map.pk,
                    "kind": "peer_map",
                    "title": "Peer map",
                    "shaped_conclusion": "Showed the older group",
                    "file": f"/api/v1/young-people/{young_person.pk}/documents/{peer_map.pk}/file/",
                }
            ],
            "recorded_by": "Pat Tester",
            "created_at": body[1]["created_at"],
            "updated_at": body[1]["updated_at"],
        }
        assert body[1]["contextual_factors"][1]["withdrawn_at"] is not None
        assert (body[0]["status"], body[0]["cin_factors"], body[0]["maps"]) == (
            "in_progress",
            [],
            [],
        )

    def test_one_assessment(self, team_manager, young_person, awaiting):
        response = api(team_manager).get(detail(young_person, awaiting))

        assert response.status_code == 200
        body = response.json()
        assert (body["id"], body["status"], body["cin_factors"]) == (
            awaiting.pk,
            "completed",
            ["24A", "13A"],
        )

    def test_the_list_costs_the_same_with_many(
        self, practitioner, young_person, django_assert_num_queries
    ):
        # 1 young person with team (guardian subqueries inside); 2 INSERT of the access log
        # row; 3 count of assessments for the paginator; 4 the page of assessments with
        # referral, recorder and authoriser; 5 their contextual factors; 6 current CIN factors;
        # 7 maps; 8 the suggested CIN factors; 9 the configured word for a peer group (for
        # the factors' context labels).
        client = api(practitioner)
        for number in range(6):
            assessment = start(practitioner, young_person, started_on=days_ago(10 + number))
            add_factor(practitioner, assessment)
            complete(practitioner, assessment, completed_on=days_ago(3))
        client.get(base(young_person))  # warm the content-type cache

        with django_assert_num_queries(9):
            response = client.get(base(young_person))

        assert len(response.json()["results"]) == 6

    def test_the_list_comes_in_pages(self, monkeypatch, practitioner, young_person):
        from rest_framework.pagination import PageNumberPagination

        monkeypatch.setattr(PageNumberPagination, "page_size", 2)
        made = [start(practitioner, young_person, started_on=days_ago(n)) for n in (1, 2, 3)]
        client = api(practitioner)

        first = client.get(base(young_person)).json()
        second = client.get(first["next"]).json()

        assert first["count"] == 3
        assert [row["id"] for row in first["results"] + second["results"]] == [a.pk for a in made]


class TestStart:
    @pytest.mark.parametrize("who", ALLOWED)
    def test_those_who_may_change_the_record_start_one(self, request, young_person, who):
        actor = request.getfixturevalue(who)

        response = api(actor).post(
            base(young_person),
            {"started_on": str(days_ago(3)), "peers": " Older peers ", "online": "Gaming chat"},
            format="json",
        )

        assert response.status_code == 201
        body = response.json()
        assert (body["status"], body["version"], body["started_on"]) == (
            "in_progress",
            1,
            str(days_ago(3)),
        )
        assert (body["peers"], body["online"], body["recorded_by"]) == (
            "Older peers",
            "Gaming chat",
            actor.get_full_name(),
        )

    def test_from_one_of_the_young_persons_referrals(self, practitioner, young_person):
        referral = case_services.referral_record(
            actor=practitioner,
            young_person=young_person,
            received_on=days_ago(10),
            source="6",
            reason="Seen with older young people",
            nature_of_harm="extra_familial",
            decision="assessment",
        ).referral

        response = api(practitioner).post(
            base(young_person),
            {"started_on": str(days_ago(3)), "referral": referral.pk},
            format="json",
        )

        assert (response.status_code, response.json()["referral"]) == (201, referral.pk)

    def test_refused_input_gets_the_services_messages_and_nothing_is_saved(
        self, practitioner, young_person, other_young_person, other_team_practitioner
    ):
        theirs = case_services.referral_record(
            actor=other_team_practitioner,
            young_person=other_young_person,
            received_on=days_ago(10),
            source="6",
            reason="Seen at the station",
            nature_of_harm="extra_familial",
            decision="assessment",
        ).referral
        client = api(practitioner)
        before = snapshot()

        future = client.post(
            base(young_person), {"started_on": str(today() + timedelta(days=1))}, format="json"
        )
        other = client.post(
            base(young_person),
            {"started_on": str(days_ago(1)), "referral": theirs.pk},
            format="json",
        )
        missing = client.post(base(young_person), {}, format="json")

        assert (future.status_code, future.json()) == (
            400,
            {"started_on": ["The date started must be today or in the past"]},
        )
        assert (other.status_code, other.json()) == (
            400,
            {"referral": ["Choose one of this young person's referrals"]},
        )
        assert (missing.status_code, missing.json()) == (
            400,
            {"started_on": ["Enter the date the assessment started"]},
        )
        assert snapshot() == before


class TestUpdate:
    def test_changes_text_with_the_current_version(self, practitioner, young_person, in_progress):
        response = api(practitioner).patch(
            detail(young_person, in_progress),
            {"version": 2, "school": "Excluded twice", "started_on": str(days_ago(15))},
            format="json",
        )

        assert response.status_code == 200
        body = response.json()
        assert (body["version"], body["school"], body["started_on"]) == (
            3,
            "Excluded twice",
            str(days_ago(15)),
        )
        assert body["peers"] == "Older peers at the rec"  # fields not sent are left alone

    def test_a_stale_version_is_409_and_nothing_is_saved(
        self, practitioner, team_manager, young_person, in_progress
    ):
        services.assessment_update(
            actor=team_manager, assessment=in_progress, expected_version=2, online="Note"
        )
        before = snapshot()

        response = api(practitioner).patch(
            detail(young_person, in_progress), {"version": 2, "online": "Mine"}, format="json"
        )

        assert (response.status_code, response.json()) == (
            409,
            {"non_field_errors": [CONFLICT], "current_version": 3},
        )
        assert snapshot() == before

    def test_the_version_is_required(self, practitioner, young_person, in_progress):
        response = api(practitioner).patch(
            detail(young_person, in_progress), {"online": "Mine"}, format="json"
        )

        assert (response.status_code, response.json()) == (
            400,
            {"version": ["Give the version of the assessment you last read"]},
        )

    def test_a_completed_assessment_cannot_be_changed(self, practitioner, young_person, awaiting):
        before = snapshot()

        response = api(practitioner).patch(
            detail(young_person, awaiting),
            {"version": awaiting.version, "online": "Too late"},
            format="json",
        )

        assert (response.status_code, response.json()) == (400, {"non_field_errors": [LOCKED]})
        assert snapshot() == before


class TestFactors:
    def test_add_and_withdraw(self, practitioner, young_person, in_progress):
        client = api(practitioner)

        added = client.post(
            detail(young_person, in_progress, "factors/"),
            {"domain": "school", "description": "Excluded twice"},
            format="json",
        )
        new = added.json()["contextual_factors"][-1]
        withdrawn = client.post(
            detail(young_person, in_progress, f"factors/{new['id']}/withdraw/"), format="json"
        )

        assert added.status_code == 201
        assert (new["domain"], new["description"], new["withdrawn_at"]) == (
            "school",
            "Excluded twice",
            None,
        )
        assert withdrawn.status_code == 200
        [row] = [f for f in withdrawn.json()["contextual_factors"] if f["id"] == new["id"]]
        assert row["withdrawn_by"] == "Pat Tester"
        assert withdrawn.json()["version"] == 4

    def test_refused_input_gets_the_services_messages(
        self, practitioner, young_person, in_progress
    ):
        client = api(practitioner)
        before = snapshot()

        bad_domain = client.post(
            detail(young_person, in_progress, "factors/"),
            {"domain": "household", "description": "x"},
            format="json",
        )
        blank = client.post(
            detail(young_person, in_progress, "factors/"), {"domain": "online"}, format="json"
        )

        assert (bad_domain.status_code, bad_domain.json()) == (
            400,
            {"domain": ["Choose the context the factor sits in"]},
        )
        assert (blank.status_code, blank.json()) == (
            400,
            {"description": ["Describe the contextual factor"]},
        )
        assert snapshot() == before

    def test_another_assessments_factor_is_404(self, practitioner, young_person, in_progress):
        other = start(practitioner, young_person, started_on=days_ago(1))
        factor = in_progress.contextual_factors.get()

        response = api(practitioner).post(
            detail(young_person, other, f"factors/{factor.pk}/withdraw/"), format="json"
        )

        assert response.status_code == 404


def complete_payload(**extra) -> dict:
    return {
        "completed_on": str(days_ago(5)),
        "conclusion": CONCLUSION,
        "outcome_nature": "extra_familial",
        "decision": "cin",
        "cin_factors": ["24A", "13A"],
        "version": 2,
    } | extra


class TestComplete:
    def test_completes_it(self, practitioner, young_person, in_progress):
        response = api(practitioner).post(
            detail(young_person, in_progress, "complete/"), complete_payload(), format="json"
        )

        assert response.status_code == 200
        body = response.json()
        assert (body["status"], body["completed_on"], body["cin_factors"], body["version"]) == (
            "completed",
            str(days_ago(5)),
            ["24A", "13A"],
            3,
        )

    @pytest.mark.parametrize(
        ("extra", "errors"),
        [
            (
                {"completed_on": lambda: str(days_ago(21))},
                {
                    "completed_on": [
                        "The date completed must be the same as or after the date started "
                        "({started})"
                    ]
                },
            ),
            ({"conclusion": ""}, {"conclusion": ["Enter the conclusion of the assessment"]}),
            (
                {"outcome_nature": "odd"},
                {"outcome_nature": ["Choose the nature of the harm found"]},
            ),
            ({"decision": ""}, {"decision": ["Choose the decision"]}),
            (
                {"cin_factors": []},
                {"cin_factors": ['Choose the factors identified, or "No factors identified"']},
            ),
            (
                {"cin_factors": ["21", "13A"]},
                {"cin_factors": ['"No factors identified" cannot be chosen with other factors']},
            ),
        ],
    )
    def test_refused_input_gets_the_services_message_and_nothing_is_saved(
        self, practitioner, young_person, in_progress, extra, errors
    ):
        before = snapshot()

        response = api(practitioner).post(
            detail(young_person, in_progress, "complete/"),
            complete_payload(**built(extra)),
            format="json",
        )

        started = long_date(days_ago(20))
        expected = {k: [m.format(started=started) for m in v] for k, v in errors.items()}
        assert (response.status_code, response.json()) == (400, expected)
        assert snapshot() == before

    def test_the_version_is_required(self, practitioner, young_person, in_progress):
        payload = complete_payload()
        del payload["version"]
        before = snapshot()

        response = api(practitioner).post(
            detail(young_person, in_progress, "complete/"), payload, format="json"
        )

        assert (response.status_code, response.json()) == (
            400,
            {"version": ["Give the version of the assessment you last read"]},
        )
        assert snapshot() == before

    def test_a_stale_version_is_409(self, practitioner, young_person, in_progress):
        before = snapshot()

        response = api(practitioner).post(
            detail(young_person, in_progress, "complete/"),
            complete_payload(version=1),
            format="json",
        )

        assert (response.status_code, response.json()) == (
            409,
            {"non_field_errors": [CONFLICT], "current_version": 2},
        )
        assert snapshot() == before

    def test_the_suggestions_follow_the_current_flags(
        self, practitioner, young_person, in_progress
    ):
        raise_flag(practitioner, young_person, GANGS)

        response = api(practitioner).get(detail(young_person, in_progress))

        assert response.json()["suggested_cin_factors"] == ["13A"]


REASONING = "The conclusion follows from the direct work"


def authorising(days: int) -> dict:
    return {"authorised_on": str(days_ago(days)), "reason": REASONING}


class TestAuthorise:
    def test_the_team_manager_authorises_with_their_reasoning(
        self, team_manager, young_person, awaiting
    ):
        response = api(team_manager).post(
            detail(young_person, awaiting, "authorise/"), authorising(1), format="json"
        )

        assert response.status_code == 200
        body = response.json()
        assert (
            body["status"],
            body["authorised_on"],
            body["authorised_by"],
            body["authorisation_reason"],
        ) == ("authorised", str(days_ago(1)), "Mona Tester", REASONING)

    def test_the_reasoning_is_needed_with_the_date_errors_at_once(
        self, team_manager, young_person, awaiting
    ):
        before = snapshot()

        response = api(team_manager).post(
            detail(young_person, awaiting, "authorise/"), {"reason": " "}, format="json"
        )

        assert (response.status_code, response.json()) == (
            400,
            {
                "authorised_on": ["Enter the date the assessment was authorised"],
                "reason": ["Enter your reasoning for authorising the assessment"],
            },
        )
        assert snapshot() == before

    def test_anonymous_gets_401(self, young_person, awaiting):
        before = snapshot()

        response = api().post(
            detail(young_person, awaiting, "authorise/"), authorising(1), format="json"
        )

        assert response.status_code == 401
        assert snapshot() == before

    def test_a_practitioner_gets_403_with_the_message(self, practitioner, young_person, awaiting):
        before = snapshot()

        for data in (authorising(1), {}):
            response = api(practitioner).post(
                detail(young_person, awaiting, "authorise/"), data, format="json"
            )
            assert (response.status_code, response.json()) == (
                403,
                {"detail": AUTHORISE_REFUSED},
            )

        assert snapshot() == before
        # Refused before anything of the record was read: no access log row.
        assert not RecordAccess.objects.exists()

    def test_the_team_manager_is_logged(self, team_manager, young_person, awaiting):
        path = detail(young_person, awaiting, "authorise/")

        api(team_manager).post(path, authorising(1), format="json")

        assert list(RecordAccess.objects.values_list("user", "channel", "resource")) == [
            (team_manager.pk, "api", path)
        ]

    def test_dates_out_of_order_are_refused(self, team_manager, young_person, awaiting):
        before = snapshot()

        response = api(team_manager).post(
            detail(young_person, awaiting, "authorise/"),
            authorising(6),
            format="json",
        )

        assert (response.status_code, response.json()) == (
            400,
            {
                "authorised_on": [
                    "The date authorised must be the same as or after the date completed "
                    f"({long_date(days_ago(5))})"
                ]
            },
        )
        assert snapshot() == before

    def test_an_assessment_in_progress_is_refused(self, team_manager, young_person, in_progress):
        response = api(team_manager).post(
            detail(young_person, in_progress, "authorise/"),
            authorising(0),
            format="json",
        )

        assert (response.status_code, response.json()) == (
            400,
            {"non_field_errors": ["The assessment must be completed before it can be authorised"]},
        )


class TestReturn:
    def test_the_team_manager_returns_it(self, team_manager, young_person, awaiting):
        response = api(team_manager).post(
            detail(young_person, awaiting, "return/"), {"reason": "Speak to school"}, format="json"
        )

        assert response.status_code == 200
        body = response.json()
        assert (
            body["status"],
            body["completed_on"],
            body["returned_on"],
            body["returned_by"],
            body["return_reason"],
        ) == ("in_progress", None, str(today()), "Mona Tester", "Speak to school")

    def test_a_reason_is_needed(self, team_manager, young_person, awaiting):
        before = snapshot()

        response = api(team_manager).post(
            detail(young_person, awaiting, "return/"), {"reason": " "}, format="json"
        )

        assert (response.status_code, response.json()) == (
            400,
            {"reason": ["Say what more is needed"]},
        )
        assert snapshot() == before

    def test_a_practitioner_gets_403_with_the_message(self, practitioner, young_person, awaiting):
        before = snapshot()

        response = api(practitioner).post(
            detail(young_person, awaiting, "return/"), {"reason": "Please"}, format="json"
        )

        assert (response.status_code, response.json()) == (403, {"detail": RETURN_REFUSED})
        assert snapshot() == before
        assert not RecordAccess.objects.exists()


class TestMaps:
    """POST .../assessments/<id>/maps/ (multipart): the page's rules, messages and size limit."""

    @pytest.fixture(autouse=True)
    def _media(self, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        return tmp_path

    def payload(self, **extra) -> dict:
        return {
            "kind": "safety_map",
            "title": "Safety map",
            "file": SimpleUploadedFile("map.pdf", PDF, content_type="application/pdf"),
            "shaped_conclusion": "Showed where she feels safe",
        } | extra

    @pytest.mark.parametrize("who", ALLOWED)
    def test_those_who_may_change_the_record_attach_a_map(
        self, request, young_person, in_progress, who
    ):
        actor = request.getfixturevalue(who)

        response = api(actor).post(
            detail(young_person, in_progress, "maps/"), self.payload(), format="multipart"
        )

        assert response.status_code == 201
        document = Document.objects.get()
        assert (
            document.kind,
            document.assessment,
            document.title,
            document.shaped_conclusion,
            document.uploaded_by,
        ) == ("safety_map", in_progress, "Safety map", "Showed where she feels safe", actor)
        body = response.json()
        assert (body["id"], body["version"]) == (in_progress.pk, 3)
        assert body["maps"] == [
            {
                "id": document.pk,
                "kind": "safety_map",
                "title": "Safety map",
                "shaped_conclusion": "Showed where she feels safe",
                "file": f"/api/v1/young-people/{young_person.pk}/documents/{document.pk}/file/",
            }
        ]

    @pytest.mark.parametrize(
        ("extra", "errors"),
        [
            ({"kind": "general"}, {"kind": ["Choose whether this is a peer map or a safety map"]}),
            (
                {"shaped_conclusion": " "},
                {
                    "shaped_conclusion": [
                        "Say how the safety map shaped the assessment's conclusion"
                    ]
                },
            ),
            ({"title": ""}, {"title": ["Enter a title for the document"]}),
            (
                {"file": SimpleUploadedFile("map.pdf", b"MZ\x90\x00 not a pdf")},
                {"file": [f"The selected file must be a {ALLOWED_DESCRIPTION}"]},
            ),
            (
                {"file": SimpleUploadedFile("map.pdf", b"")},
                {"file": ["The selected file is empty"]},
            ),
        ],
    )
    def test_refused_input_gets_the_pages_messages_and_nothing_is_saved(
        self, practitioner, young_person, in_progress, _media, extra, errors
    ):
        before = snapshot()

        response = api(practitioner).post(
            detail(young_person, in_progress, "maps/"), self.payload(**extra), format="multipart"
        )

        assert (response.status_code, response.json()) == (400, errors)
        assert snapshot() == before
        assert not any(p.is_file() for p in _media.rglob("*"))

    def test_a_missing_file_gets_the_pages_message(self, practitioner, young_person, in_progress):
        payload = self.payload()
        del payload["file"]

        response = api(practitioner).post(
            detail(young_person, in_progress, "maps/"), payload, format="multipart"
        )

        assert (response.status_code, response.json()) == (
            400,
            {"file": ["Select a file to upload"]},
        )

    def test_an_oversized_file_is_dropped_while_reading_and_refused(
        self, monkeypatch, settings, practitioner, young_person, in_progress, _media
    ):
        settings.CSAFE_DOCUMENT_MAX_BYTES = 1024
        received = []

        def spy(**arguments):
            uploaded = arguments["uploaded"]
            received.append((type(uploaded), uploaded.size, uploaded.read()))
            uploaded.seek(0)
            return document_upload(**arguments)

        monkeypatch.setattr("cases.api.assessments.document_upload", spy)
        before = snapshot()

        response = api(practitioner).post(
            detail(young_person, in_progress, "maps/"),
            self.payload(file=SimpleUploadedFile("map.pdf", PDF.ljust(5000, b" "))),
            format="multipart",
        )

        assert (response.status_code, response.json()) == (
            400,
            {"file": ["The selected file must be 1 KB or smaller"]},
        )
        assert received == [(OversizedUpload, 5000, b"")]
        assert snapshot() == before
        assert not any(p.is_file() for p in _media.rglob("*"))

    def test_a_completed_assessment_takes_no_more_maps(self, practitioner, young_person, awaiting):
        before = snapshot()

        response = api(practitioner).post(
            detail(young_person, awaiting, "maps/"), self.payload(), format="multipart"
        )

        assert (response.status_code, response.json()) == (
            400,
            {
                "assessment": [
                    "This assessment is completed, so a safety map can no longer be attached"
                ]
            },
        )
        assert snapshot() == before

    def test_another_young_persons_assessment_is_404(
        self, practitioner, young_person, other_team_practitioner, other_young_person
    ):
        theirs = start(other_team_practitioner, other_young_person)
        before = snapshot()

        response = api(practitioner).post(
            detail(young_person, theirs, "maps/"), self.payload(), format="multipart"
        )

        assert response.status_code == 404
        assert snapshot() == before


def test_the_schema_documents_the_endpoints_and_the_conflict(client_for, practitioner):
    response = client_for(practitioner).get("/api/schema/")

    assert response.status_code == 200
    schema = response.content.decode()
    for path in (
        "/api/v1/young-people/{young_person_pk}/assessments/:",
        "/api/v1/young-people/{young_person_pk}/assessments/{id}/:",
        "/api/v1/young-people/{young_person_pk}/assessments/{id}/factors/:",
        "/api/v1/young-people/{young_person_pk}/assessments/{id}/factors/{factor_pk}/withdraw/:",
        "/api/v1/young-people/{young_person_pk}/assessments/{id}/complete/:",
        "/api/v1/young-people/{young_person_pk}/assessments/{id}/authorise/:",
        "/api/v1/young-people/{young_person_pk}/assessments/{id}/return/:",
        "/api/v1/young-people/{young_person_pk}/assessments/{id}/maps/:",
    ):
        assert path in schema
    assert "'409':" in schema
    assert "current_version" in schema
