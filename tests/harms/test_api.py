"""/api/v1/harm-types/ and /api/v1/young-people/<id>/flags/: the same services and the same
object permissions as the pages; business errors as 400s with field errors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from csafe.audit.models import AccessChannel, Event, EventKind, RecordAccess
from harms import services
from harms.models import ArchiveReason, FlagStatus, HarmFlag, HarmType, IdentifiedAt, Nature
from tests.harms.helpers import EVERYONE, NO_ACCESS, NOT_ADMINISTRATORS, days_ago, today
from tests.two_factor import verify_client

pytestmark = pytest.mark.django_db

TYPES = "/api/v1/harm-types/"
NO_YOUNG_PERSON = {"detail": "No young person found"}
FORBIDDEN = {"detail": "You do not have permission to perform this action."}
UNAUTHENTICATED = {"detail": "Authentication credentials were not provided."}


def type_url(harm_type, action: str = "") -> str:
    return f"{TYPES}{harm_type.pk}/{action + '/' if action else ''}"


def flags_url(young_person) -> str:
    return reverse("young-person-flags", args=[young_person.pk])


def archive_url(young_person, flag) -> str:
    return reverse("young-person-flag-archive", args=[young_person.pk, flag.pk])


def reinstate_url(young_person, flag) -> str:
    return reverse("young-person-flag-reinstate", args=[young_person.pk, flag.pk])


def api_client(user) -> Client:
    """A separate client per user, so two users can act in one test."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    verify_client(client, user)  # past two-factor sign-in, for managers and administrators
    return client


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def raise_body(harm_type, **overrides) -> dict:
    body = {
        "harm_type": harm_type.pk,
        "identified_at": IdentifiedAt.ASSESSMENT,
        "identified_on": days_ago(4).isoformat(),
    }
    body.update(overrides)
    return body


# === Harm types =================================================================================


class TestHarmTypesRead:
    @pytest.mark.parametrize("role_holder", EVERYONE)
    def test_every_signed_in_role_reads_the_taxonomy(self, request, role_holder, cse, exploitation):
        response = api_client(request.getfixturevalue(role_holder)).get(TYPES)

        assert response.status_code == 200
        rows = {row["name"]: row for row in response.json()}
        assert len(rows) == 21
        assert rows["Child sexual exploitation"] == {
            "id": cse.pk,
            "name": "Child sexual exploitation",
            "parent": exploitation.pk,
            "nature": "extra_familial",
            "cin_code": "11A",
            "description": "",
            "is_active": True,
            "retired_at": None,
            "retired_reason": "",
        }

    def test_one_type(self, practitioner, cse):
        response = api_client(practitioner).get(type_url(cse))

        assert response.status_code == 200
        assert response.json()["cin_code"] == "11A"

    def test_anonymous_gets_401(self, client, cse):
        assert client.get(TYPES).status_code == 401
        response = client.get(type_url(cse))
        assert response.status_code == 401
        assert response.json() == UNAUTHENTICATED


class TestHarmTypesWrite:
    def test_administrator_creates_a_type(self, administrator, exploitation):
        response = post(
            api_client(administrator),
            TYPES,
            {
                "name": "Financial exploitation",
                "nature": "extra_familial",
                "parent": exploitation.pk,
            },
        )

        assert response.status_code == 201
        created = HarmType.objects.get(name="Financial exploitation")
        assert response.json() == {
            "id": created.pk,
            "name": "Financial exploitation",
            "parent": exploitation.pk,
            "nature": "extra_familial",
            "cin_code": "",
            "description": "",
            "is_active": True,
            "retired_at": None,
            "retired_reason": "",
        }
        assert created.history.get().history_user == administrator
        assert Event.objects.get(kind=EventKind.HARM_TYPE_CREATED).actor == administrator

    def test_administrator_creates_a_top_level_type_without_a_parent(self, administrator):
        response = post(
            api_client(administrator), TYPES, {"name": "Knife crime", "nature": "either"}
        )

        assert response.status_code == 201
        assert HarmType.objects.get(name="Knife crime").parent is None

    @pytest.mark.parametrize("role_holder", NOT_ADMINISTRATORS)
    def test_other_roles_cannot_write(self, request, role_holder, cse):
        client = api_client(request.getfixturevalue(role_holder))

        responses = [
            post(client, TYPES, {"name": "Financial exploitation", "nature": "extra_familial"}),
            patch(client, type_url(cse), {"name": "Renamed"}),
            post(client, type_url(cse, "retire")),
        ]

        assert [r.status_code for r in responses] == [403, 403, 403]
        assert responses[0].json() == FORBIDDEN
        assert not HarmType.objects.filter(name__in=["Financial exploitation", "Renamed"]).exists()
        cse.refresh_from_db()
        assert (cse.name, cse.is_active) == ("Child sexual exploitation", True)

    @pytest.mark.parametrize("role_holder", NOT_ADMINISTRATORS)
    def test_other_roles_cannot_reactivate(self, request, administrator, role_holder, cse):
        services.harm_type_set_active(
            actor=administrator, harm_type=cse, active=False, reason="No longer used"
        )

        response = post(
            api_client(request.getfixturevalue(role_holder)), type_url(cse, "reactivate")
        )

        assert response.status_code == 403
        cse.refresh_from_db()
        assert cse.is_active is False

    def test_anonymous_cannot_write(self, client, cse):
        responses = [
            post(client, TYPES, {"name": "Financial exploitation", "nature": "extra_familial"}),
            patch(client, type_url(cse), {"name": "Renamed"}),
            post(client, type_url(cse, "retire")),
            post(client, type_url(cse, "reactivate")),
        ]

        assert [r.status_code for r in responses] == [401, 401, 401, 401]
        assert not HarmType.objects.filter(name="Financial exploitation").exists()
        cse.refresh_from_db()
        assert cse.is_active is True

    def test_administrator_renames_with_patch(self, administrator, cse, exploitation):
        response = patch(api_client(administrator), type_url(cse), {"name": "Sexual exploitation"})

        assert response.status_code == 200
        cse.refresh_from_db()
        # Fields the PATCH left out keep their values.
        assert (cse.name, cse.parent, cse.cin_code) == ("Sexual exploitation", exploitation, "11A")
        assert response.json()["name"] == "Sexual exploitation"

    def test_retire_and_reactivate(self, administrator, cse):
        client = api_client(administrator)

        unexplained = post(client, type_url(cse, "retire"))
        assert unexplained.status_code == 400
        assert unexplained.json() == {"reason": ["Enter why this harm type is being retired"]}
        retired = post(client, type_url(cse, "retire"), {"reason": "Merged into sexual abuse"})
        assert retired.status_code == 200
        assert retired.json()["is_active"] is False
        assert retired.json()["retired_reason"] == "Merged into sexual abuse"
        again = post(client, type_url(cse, "retire"), {"reason": "Again"})
        assert again.status_code == 400
        assert again.json() == {
            "non_field_errors": ["Child sexual exploitation is already retired"]
        }

        reactivated = post(client, type_url(cse, "reactivate"))
        assert reactivated.status_code == 200
        assert reactivated.json()["is_active"] is True
        cse.refresh_from_db()
        assert cse.is_active is True

    def test_a_duplicate_name_is_a_field_error(self, administrator, exploitation):
        before = HarmType.objects.count()

        response = post(
            api_client(administrator),
            TYPES,
            {
                "name": "Child sexual exploitation",
                "nature": "extra_familial",
                "parent": exploitation.pk,
            },
        )

        assert response.status_code == 400
        assert response.json() == {
            "name": [
                "There is already a harm type called Child sexual exploitation under Exploitation"
            ]
        }
        assert HarmType.objects.count() == before

    def test_a_duplicate_name_in_another_case_is_a_field_error(self, administrator):
        response = post(api_client(administrator), TYPES, {"name": "GANGS", "nature": "either"})

        assert response.status_code == 400
        assert response.json() == {
            "name": ["There is already a harm type called GANGS at the top level"]
        }

    def test_moving_under_a_sub_type_is_refused(self, administrator, exploitation, cse):
        response = patch(api_client(administrator), type_url(exploitation), {"parent": cse.pk})

        assert response.status_code == 400
        assert response.json() == {
            "parent": ["A harm type cannot be moved under itself or one of its own sub-types"]
        }
        exploitation.refresh_from_db()
        assert exploitation.parent is None

    def test_missing_fields_are_field_errors(self, administrator):
        response = post(api_client(administrator), TYPES, {"nature": "sideways"})

        assert response.status_code == 400
        assert response.json() == {
            "name": ["This field is required."],
            "nature": ['"sideways" is not a valid choice.'],
        }

    def test_delete_is_not_offered(self, administrator, cse):
        assert api_client(administrator).delete(type_url(cse)).status_code == 405
        assert HarmType.objects.filter(pk=cse.pk).exists()


# === A young person's flags =====================================================================


class TestFlagList:
    @pytest.mark.parametrize("role_holder", ["practitioner", "team_manager"])
    def test_lists_current_and_archived_flags(
        self, request, young_person, cse, cce, raise_flag, archive_flag, role_holder
    ):
        current = raise_flag(cce)
        archived = archive_flag(raise_flag(cse), reason="never", rationale="Assessed as absent.")
        user = request.getfixturevalue(role_holder)
        client = api_client(user)

        everything = client.get(flags_url(young_person))
        active = client.get(flags_url(young_person), {"status": "active"})
        gone = client.get(flags_url(young_person), {"status": "archived"})

        assert everything.status_code == 200
        assert {row["id"] for row in everything.json()} == {current.pk, archived.pk}
        assert [row["id"] for row in active.json()] == [current.pk]
        [row] = gone.json()
        assert row["id"] == archived.pk
        assert row["status"] == "archived"
        assert (row["archive_reason"], row["archive_rationale"]) == ("never", "Assessed as absent.")
        assert row["harm_type_name"] == "Child sexual exploitation"
        assert row["raised_by"] == "Pat Tester"
        assert (
            RecordAccess.objects.filter(
                user=user, young_person=young_person, channel=AccessChannel.API
            ).count()
            == 3
        )

    def test_an_unknown_status_filter_lists_everything(
        self, practitioner, young_person, cse, raise_flag
    ):
        raise_flag(cse)

        response = api_client(practitioner).get(flags_url(young_person), {"status": "deleted"})

        assert len(response.json()) == 1

    @pytest.mark.parametrize("role_holder", NO_ACCESS)
    def test_is_not_found_for_everyone_else(
        self, request, young_person, cse, raise_flag, role_holder
    ):
        raise_flag(cse)

        response = api_client(request.getfixturevalue(role_holder)).get(flags_url(young_person))

        assert response.status_code == 404
        assert response.json() == NO_YOUNG_PERSON

    def test_anonymous_gets_401(self, client, young_person):
        response = client.get(flags_url(young_person))

        assert response.status_code == 401
        assert response.json() == UNAUTHENTICATED

    @pytest.mark.parametrize("flags", [1, 3])
    def test_costs_the_same_with_one_flag_or_many(
        self,
        practitioner,
        young_person,
        cse,
        cce,
        domestic_abuse,
        raise_flag,
        flags,
        django_assert_num_queries,
    ):
        for harm_type in [cse, cce, domestic_abuse][:flags]:
            raise_flag(harm_type)
        client = api_client(practitioner)
        client.get(flags_url(young_person))  # warm the process-wide caches

        # 1 session; 2 user; 3 the young person with team, if the user may view it (guardian
        # subqueries inside); 4 INSERT of the access log row; 5 the flags with type and raiser;
        # 6-8 savepoint, session update, release (see tests/cases/test_query_counts.py).
        with django_assert_num_queries(8):
            response = client.get(flags_url(young_person))

        assert len(response.json()) == flags


class TestFlagRaise:
    @pytest.mark.parametrize("role_holder", ["practitioner", "team_manager"])
    def test_raises_a_flag(self, request, young_person, cce, role_holder):
        user = request.getfixturevalue(role_holder)

        response = post(
            api_client(user),
            flags_url(young_person),
            raise_body(cce, review_date=(today() + timedelta(days=14)).isoformat(), note="CL"),
        )

        assert response.status_code == 201
        flag = HarmFlag.objects.get()
        body = response.json()
        assert body["id"] == flag.pk
        assert (body["harm_type"], body["nature"], body["status"]) == (
            cce.pk,
            "extra_familial",
            "active",
        )
        assert body["identified_on"] == days_ago(4).isoformat()
        assert body["review_date"] == (today() + timedelta(days=14)).isoformat()
        assert (flag.raised_by, flag.note, flag.identified_at) == (user, "CL", "assessment")
        assert Event.objects.get(kind=EventKind.FLAG_RAISED).actor == user

    def test_an_either_type_takes_the_nature_given(self, practitioner, young_person, either_type):
        response = post(
            api_client(practitioner),
            flags_url(young_person),
            raise_body(either_type, nature="intra_familial"),
        )

        assert response.status_code == 201
        assert HarmFlag.objects.get().nature == Nature.INTRA_FAMILIAL

    @pytest.mark.parametrize("role_holder", NO_ACCESS)
    def test_is_not_found_for_everyone_else(self, request, young_person, cse, role_holder):
        response = post(
            api_client(request.getfixturevalue(role_holder)),
            flags_url(young_person),
            raise_body(cse),
        )

        assert response.status_code == 404
        assert response.json() == NO_YOUNG_PERSON
        assert not HarmFlag.objects.exists()

    def test_anonymous_gets_401(self, client, young_person, cse):
        assert post(client, flags_url(young_person), raise_body(cse)).status_code == 401
        assert not HarmFlag.objects.exists()

    def test_a_duplicate_is_a_harm_type_error(self, team_manager, young_person, cse, raise_flag):
        raise_flag(cse)

        response = post(api_client(team_manager), flags_url(young_person), raise_body(cse))

        assert response.status_code == 400
        assert response.json() == {
            "harm_type": ["Child sexual exploitation is already flagged for this young person"]
        }
        assert HarmFlag.objects.count() == 1

    def test_a_retired_type_is_refused(self, administrator, practitioner, young_person, cse):
        services.harm_type_set_active(
            actor=administrator, harm_type=cse, active=False, reason="No longer used"
        )

        response = post(api_client(practitioner), flags_url(young_person), raise_body(cse))

        assert response.status_code == 400
        assert response.json() == {
            "harm_type": [
                "Child sexual exploitation has been retired and cannot be used for new flags"
            ]
        }
        assert not HarmFlag.objects.exists()

    def test_a_future_date_is_refused(self, practitioner, young_person, cse):
        response = post(
            api_client(practitioner),
            flags_url(young_person),
            raise_body(cse, identified_on=(today() + timedelta(days=1)).isoformat()),
        )

        assert response.status_code == 400
        assert response.json() == {
            "identified_on": ["The date identified must be today or in the past"]
        }
        assert not HarmFlag.objects.exists()

    def test_an_either_type_without_a_nature_is_refused(
        self, practitioner, young_person, either_type
    ):
        response = post(api_client(practitioner), flags_url(young_person), raise_body(either_type))

        assert response.status_code == 400
        assert response.json() == {
            "nature": ["Say whether Online grooming is extra-familial or intra-familial here"]
        }

    def test_missing_and_invalid_fields_are_field_errors(self, practitioner, young_person):
        response = post(
            api_client(practitioner),
            flags_url(young_person),
            {"harm_type": 999999, "identified_at": "school", "identified_on": "yesterday"},
        )

        assert response.status_code == 400
        body = response.json()
        assert body["harm_type"] == ['Invalid pk "999999" - object does not exist.']
        assert body["identified_at"] == ['"school" is not a valid choice.']
        assert body["identified_on"][0].startswith("Date has wrong format.")
        assert not HarmFlag.objects.exists()


class TestFlagArchiveAndReinstate:
    def test_archive_then_reinstate(self, practitioner, young_person, cse, raise_flag):
        flag = raise_flag(cse)
        client = api_client(practitioner)

        archived = post(
            client,
            archive_url(young_person, flag),
            {"reason": "error", "rationale": "Recorded on the wrong record."},
        )

        assert archived.status_code == 200
        assert (archived.json()["status"], archived.json()["archive_reason"]) == (
            "archived",
            "error",
        )
        flag.refresh_from_db()
        assert (flag.status, flag.archived_by) == (FlagStatus.ARCHIVED, practitioner)

        reinstated = post(client, reinstate_url(young_person, flag), {"reason": "It was right."})

        assert reinstated.status_code == 200
        assert reinstated.json()["status"] == "active"
        assert reinstated.json()["reinstate_reason"] == "It was right."
        flag.refresh_from_db()
        assert (flag.status, flag.reinstated_by) == (FlagStatus.ACTIVE, practitioner)

    def test_archive_needs_a_rationale(self, practitioner, young_person, cse, raise_flag):
        flag = raise_flag(cse)
        client = api_client(practitioner)

        missing = post(client, archive_url(young_person, flag), {"reason": "never"})
        blank = post(client, archive_url(young_person, flag), {"reason": "never", "rationale": " "})

        assert missing.status_code == 400
        # The same words as the page's error message.
        assert missing.json() == {"rationale": ["Explain why the flag is being archived"]}
        assert blank.status_code == 400
        assert blank.json() == {"rationale": ["Explain why the flag is being archived"]}
        flag.refresh_from_db()
        assert flag.status == FlagStatus.ACTIVE

    def test_archive_needs_a_known_reason(self, practitioner, young_person, cse, raise_flag):
        flag = raise_flag(cse)

        response = post(
            api_client(practitioner),
            archive_url(young_person, flag),
            {"reason": "resolved", "rationale": "Done."},
        )

        assert response.status_code == 400
        assert response.json() == {"reason": ['"resolved" is not a valid choice.']}
        flag.refresh_from_db()
        assert flag.status == FlagStatus.ACTIVE

    def test_archiving_twice_is_refused(
        self, practitioner, young_person, cse, raise_flag, archive_flag
    ):
        flag = archive_flag(raise_flag(cse))

        response = post(
            api_client(practitioner),
            archive_url(young_person, flag),
            {"reason": "error", "rationale": "Again."},
        )

        assert response.status_code == 400
        assert response.json() == {"non_field_errors": ["This flag is already archived"]}
        flag.refresh_from_db()
        assert flag.archive_reason == ArchiveReason.NO_LONGER

    def test_reinstating_a_current_flag_is_refused(
        self, practitioner, young_person, cse, raise_flag
    ):
        flag = raise_flag(cse)

        response = post(
            api_client(practitioner), reinstate_url(young_person, flag), {"reason": "x"}
        )

        assert response.status_code == 400
        assert response.json() == {"non_field_errors": ["This flag is already current"]}

    def test_reinstate_needs_a_reason(
        self, practitioner, young_person, cse, raise_flag, archive_flag
    ):
        flag = archive_flag(raise_flag(cse))

        response = post(api_client(practitioner), reinstate_url(young_person, flag), {})

        assert response.status_code == 400
        assert response.json() == {"reason": ["Explain why the flag is being reinstated"]}
        flag.refresh_from_db()
        assert flag.status == FlagStatus.ARCHIVED

    def test_reinstating_beside_a_current_flag_of_the_type_is_refused(
        self, practitioner, young_person, cse, raise_flag, archive_flag
    ):
        archived = archive_flag(raise_flag(cse))
        raise_flag(cse)

        response = post(
            api_client(practitioner), reinstate_url(young_person, archived), {"reason": "x"}
        )

        assert response.status_code == 400
        assert response.json() == {
            "non_field_errors": [
                "Child sexual exploitation is already flagged as current for this young person"
            ]
        }
        archived.refresh_from_db()
        assert archived.status == FlagStatus.ARCHIVED

    @pytest.mark.parametrize("role_holder", NO_ACCESS)
    def test_everyone_else_gets_404_and_nothing_changes(
        self, request, young_person, cse, cce, raise_flag, archive_flag, role_holder
    ):
        current = raise_flag(cse)
        archived = archive_flag(raise_flag(cce))
        client = api_client(request.getfixturevalue(role_holder))

        archive = post(
            client, archive_url(young_person, current), {"reason": "never", "rationale": "No."}
        )
        reinstate = post(client, reinstate_url(young_person, archived), {"reason": "Back"})

        assert (archive.status_code, reinstate.status_code) == (404, 404)
        assert archive.json() == NO_YOUNG_PERSON
        current.refresh_from_db()
        archived.refresh_from_db()
        assert (current.status, archived.status) == (FlagStatus.ACTIVE, FlagStatus.ARCHIVED)

    def test_anonymous_gets_401(self, client, young_person, cse, raise_flag):
        flag = raise_flag(cse)

        response = post(
            client, archive_url(young_person, flag), {"reason": "never", "rationale": "No."}
        )

        assert response.status_code == 401
        flag.refresh_from_db()
        assert flag.status == FlagStatus.ACTIVE

    def test_a_flag_of_another_young_person_is_not_found(
        self, other_team_practitioner, other_young_person, young_person, cse, raise_flag
    ):
        flag = raise_flag(cse)

        # The other team's practitioner may change their own record, but this flag is not on it.
        response = post(
            api_client(other_team_practitioner),
            archive_url(other_young_person, flag),
            {"reason": "never", "rationale": "No."},
        )

        assert response.status_code == 404
        assert response.json() == {"detail": "No HarmFlag matches the given query."}
        flag.refresh_from_db()
        assert flag.status == FlagStatus.ACTIVE
