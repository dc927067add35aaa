"""/api/v1/young-people/<id>/referrals/: the same rules and validation as the referral pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cases import services as case_services
from cases.models import LocationOfHarm, LocationType, Referral
from csafe.audit.models import Event, RecordAccess
from harms import services as harm_services
from harms.models import HarmFlag, HarmType
from tests.api_support import api

pytestmark = pytest.mark.django_db

FORBIDDEN = ["teammate", "other_team_practitioner", "service_manager", "administrator"]
NOT_FOUND = {"detail": "No young person found"}
CCE = "Child criminal exploitation, including county lines"
GANGS = "Gangs"


def url(young_person) -> str:
    return f"/api/v1/young-people/{young_person.pk}/referrals/"


def harm_type(name: str) -> HarmType:
    return HarmType.objects.get(name=name)


def place(name: str = "Park or open space") -> LocationType:
    return LocationType.objects.get(name=name)


def payload(**extra) -> dict:
    return {
        "received_on": "2025-03-04",
        "source": "6",
        "reason": "Found with older young people at the station",
        "nature_of_harm": "extra_familial",
        "decision": "assessment",
        "harm_types": [harm_type(CCE).pk, harm_type(GANGS).pk],
        "locations": [
            {"location_type": place("Stairwell or communal area").pk, "postcode": "nb1 2aa"},
            {"location_type": place().pk, "place_name": "Millbrook Rec"},
        ],
    } | extra


def everything_written() -> dict[str, int]:
    """Row counts of every table a create writes to, the access log included: a request
    refused for its input, or for want of access, has shown nothing of the record."""
    return {
        "referrals": Referral.objects.count(),
        "locations": LocationOfHarm.objects.count(),
        "flags": HarmFlag.objects.count(),
        "events": Event.objects.count(),
        "access log": RecordAccess.objects.count(),
    }


def either_message(name: str) -> str:
    return (
        f"Say whether {name} is extra- or intra-familial: choose Extra-familial or "
        f"Intra-familial as the nature of harm, or leave {name} out and raise its flag from the "
        "record once you know"
    )


@pytest.fixture
def either_type(administrator) -> HarmType:
    """A type that can be either extra- or intra-familial (the seed taxonomy has none)."""
    return harm_services.harm_type_create(
        actor=administrator, name="Harmful sexual behaviour", nature="either"
    )


def recorded(actor, young_person, **overrides):
    arguments = {
        "received_on": timezone.localdate() - timedelta(days=30),
        "source": "2A",
        "reason": "An earlier referral from school",
        "nature_of_harm": "not_known",
        "decision": "advice",
    } | overrides
    return case_services.referral_record(actor=actor, young_person=young_person, **arguments)


class TestList:
    @pytest.mark.parametrize("who", ["practitioner", "team_manager"])
    def test_viewers_list_the_referrals_newest_first(
        self, request, practitioner, young_person, who
    ):
        older = recorded(
            practitioner,
            young_person,
            received_on=timezone.localdate() - timedelta(days=60),
            locations=[case_services.LocationInput(place(), place_name="Millbrook Rec")],
        ).referral
        newer = recorded(
            practitioner,
            young_person,
            harms=[case_services.HarmInput(harm_type(GANGS))],
        )

        response = api(request.getfixturevalue(who)).get(url(young_person))

        assert response.status_code == 200
        body = response.json()
        assert [row["id"] for row in body] == [newer.referral.pk, older.pk]
        assert body[0] == {
            "id": newer.referral.pk,
            "received_on": newer.referral.received_on.isoformat(),
            "source": "2A",
            "reason": "An earlier referral from school",
            "nature_of_harm": "not_known",
            "decision": "advice",
            "locations": [],
            "harm_flags": [newer.flags_raised[0].pk],
            "recorded_by": "Pat Tester",
            "created_at": body[0]["created_at"],
        }
        assert body[1]["locations"] == [
            {
                "location_type_name": "Park or open space",
                "postcode": "",
                "place_name": "Millbrook Rec",
            }
        ]

    def test_only_this_young_persons_referrals(
        self, practitioner, other_team_practitioner, young_person, other_young_person
    ):
        recorded(other_team_practitioner, other_young_person)

        response = api(practitioner).get(url(young_person))

        assert (response.status_code, response.json()) == (200, [])

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_others_get_404(self, request, practitioner, young_person, who):
        recorded(practitioner, young_person)

        response = api(request.getfixturevalue(who)).get(url(young_person))

        assert (response.status_code, response.json()) == (404, NOT_FOUND)
        assert "Zephyrine" not in response.content.decode()

    def test_anonymous_gets_401(self, young_person):
        response = api().get(url(young_person))

        assert response.status_code == 401
        assert response.json() == {"detail": "Authentication credentials were not provided."}

    def test_each_list_writes_the_access_log(self, practitioner, young_person):
        client = api(practitioner)
        client.get(url(young_person))
        client.get(url(young_person))

        rows = RecordAccess.objects.filter(young_person=young_person, user=practitioner)
        assert list(rows.values_list("channel", "resource")) == [
            ("api", url(young_person)),
            ("api", url(young_person)),
        ]

    def test_a_refused_list_writes_no_access_log(self, teammate, young_person):
        api(teammate).get(url(young_person))

        assert not RecordAccess.objects.filter(user=teammate).exists()


class TestListQueries:
    """The list costs the same with one referral as with many. force_authenticate: no session
    or user queries. 1 the young person with team, if the user may view it (guardian
    subqueries inside); 2 INSERT of the access log row; 3 the referrals with recorder; 4 their
    locations with location type; 5 the flags they raised (ids only are shown, so no harm
    type is read)."""

    EXPECTED = 5

    @pytest.mark.parametrize("referrals", [1, 6])
    def test_the_same_for_one_referral_or_many(
        self, practitioner, young_person, django_assert_num_queries, referrals
    ):
        for number in range(referrals):
            recorded(
                practitioner,
                young_person,
                received_on=timezone.localdate() - timedelta(days=30 + number),
                locations=[case_services.LocationInput(place(), place_name=f"Place {number}")],
                harms=[case_services.HarmInput(harm_type(GANGS if number % 2 else CCE))],
            )
        client = api(practitioner)
        client.get(url(young_person))  # warm the process-wide caches

        with django_assert_num_queries(self.EXPECTED):
            response = client.get(url(young_person))

        assert len(response.json()) == referrals
        assert all(row["locations"] and row["harm_flags"] for row in response.json()[:2])


class TestCreate:
    @pytest.mark.parametrize("who", ["practitioner", "team_manager"])
    def test_those_who_may_change_the_record_get_201(self, request, young_person, who):
        actor = request.getfixturevalue(who)

        response = api(actor).post(url(young_person), payload(), format="json")

        assert response.status_code == 201
        referral = Referral.objects.get()
        body = response.json()
        flags = HarmFlag.objects.filter(referral=referral)
        assert body == {
            "id": referral.pk,
            "received_on": "2025-03-04",
            "source": "6",
            "reason": "Found with older young people at the station",
            "nature_of_harm": "extra_familial",
            "decision": "assessment",
            "locations": [
                {
                    "location_type_name": "Stairwell or communal area",
                    "postcode": "NB1 2AA",
                    "place_name": "",
                },
                {
                    "location_type_name": "Park or open space",
                    "postcode": "",
                    "place_name": "Millbrook Rec",
                },
            ],
            "harm_flags": body["harm_flags"],
            "recorded_by": actor.get_full_name(),
            "created_at": body["created_at"],
        }
        assert sorted(body["harm_flags"]) == sorted(f.pk for f in flags)
        assert sorted(
            flags.values_list("harm_type__name", "identified_at", "identified_on", "raised_by")
        ) == [
            (CCE, "referral", referral.received_on, actor.pk),
            (GANGS, "referral", referral.received_on, actor.pk),
        ]
        assert [
            (p.young_person_id, p.postcode, p.postcode_district)
            for p in referral.locations.order_by("pk")
        ] == [(young_person.pk, "NB1 2AA", "NB1"), (young_person.pk, "", "")]
        event = Event.objects.get(kind="referral.recorded")
        assert (event.actor, event.young_person, event.target_id) == (
            actor,
            young_person,
            str(referral.pk),
        )

    def test_the_smallest_referral(self, practitioner, young_person):
        response = api(practitioner).post(
            url(young_person),
            payload(harm_types=[], locations=[]),
            format="json",
        )

        assert response.status_code == 201
        assert (response.json()["locations"], response.json()["harm_flags"]) == ([], [])

    def test_a_type_already_flagged_is_not_raised_again(self, practitioner, young_person):
        earlier = case_services.harm_flag_raise(
            actor=practitioner,
            young_person=young_person,
            harm_type=harm_type(GANGS),
            identified_at="other",
            identified_on=timezone.localdate(),
        )

        response = api(practitioner).post(url(young_person), payload(), format="json")

        assert response.status_code == 201
        assert len(response.json()["harm_flags"]) == 1
        assert earlier.pk not in response.json()["harm_flags"]
        assert HarmFlag.objects.filter(harm_type__name=GANGS).count() == 1

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_others_get_404_and_nothing_is_saved(self, request, young_person, who):
        client = api(request.getfixturevalue(who))
        before = everything_written()

        response = client.post(url(young_person), payload(), format="json")

        assert (response.status_code, response.json()) == (404, NOT_FOUND)
        assert everything_written() == before

    def test_anonymous_gets_401_and_nothing_is_saved(self, young_person):
        before = everything_written()

        response = api().post(url(young_person), payload(), format="json")

        assert response.status_code == 401
        assert everything_written() == before

    def test_each_create_writes_the_access_log(self, practitioner, young_person):
        api(practitioner).post(url(young_person), payload(), format="json")

        assert list(
            RecordAccess.objects.filter(young_person=young_person).values_list(
                "user", "channel", "resource"
            )
        ) == [(practitioner.pk, "api", url(young_person))]

    @pytest.mark.parametrize("nature_of_harm", ["extra_familial", "intra_familial"])
    def test_an_either_type_is_flagged_with_the_nature_of_harm(
        self, practitioner, young_person, either_type, nature_of_harm
    ):
        response = api(practitioner).post(
            url(young_person),
            payload(nature_of_harm=nature_of_harm, harm_types=[harm_type(CCE).pk, either_type.pk]),
            format="json",
        )

        assert response.status_code == 201
        flags = HarmFlag.objects.filter(pk__in=response.json()["harm_flags"])
        assert sorted(flags.values_list("harm_type__name", "nature")) == [
            (CCE, "extra_familial"),
            ("Harmful sexual behaviour", nature_of_harm),
        ]


class TestBadInput:
    @pytest.mark.parametrize(
        ("extra", "errors"),
        [
            ({"reason": ""}, {"reason": ["Enter the reason for the referral"]}),
            ({"reason": None}, {"reason": ["This field may not be null."]}),
            ({"source": "99"}, {"source": ['"99" is not a valid choice.']}),
            (
                {"received_on": "4 March 2025"},
                {
                    "received_on": [
                        "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."
                    ]
                },
            ),
            ({"decision": "maybe"}, {"decision": ['"maybe" is not a valid choice.']}),
            (
                {"harm_types": [999999]},
                {"harm_types": ['Invalid pk "999999" - object does not exist.']},
            ),
        ],
    )
    def test_serializer_errors_are_400_with_field_errors(
        self, practitioner, young_person, extra, errors
    ):
        before = everything_written()

        response = api(practitioner).post(url(young_person), payload(**extra), format="json")

        assert response.status_code == 400
        assert response.json() == errors
        assert everything_written() == before

    def test_a_blank_reason_after_trimming_is_refused_by_the_service(
        self, practitioner, young_person
    ):
        before = everything_written()

        response = api(practitioner).post(url(young_person), payload(reason="   "), format="json")

        assert response.status_code == 400
        assert response.json() == {"reason": ["Enter the reason for the referral"]}
        assert everything_written() == before

    def test_a_future_date_is_refused_by_the_service(self, practitioner, young_person):
        tomorrow = timezone.localdate() + timedelta(days=1)
        before = everything_written()

        response = api(practitioner).post(
            url(young_person), payload(received_on=tomorrow.isoformat()), format="json"
        )

        assert response.status_code == 400
        assert response.json() == {
            "received_on": ["The date received must be today or in the past"]
        }
        assert everything_written() == before

    @pytest.mark.parametrize(
        ("location", "message"),
        [
            ({}, "Location 1: enter a postcode or a place name"),
            ({"postcode": "", "place_name": "  "}, "Location 1: enter a postcode or a place name"),
            ({"postcode": "QQ1 1AA"}, "Location 1: Enter a real postcode, like NB1 2AA"),
        ],
    )
    def test_a_location_error_is_refused_by_the_service(
        self, practitioner, young_person, location, message
    ):
        before = everything_written()

        response = api(practitioner).post(
            url(young_person),
            payload(locations=[{"location_type": place().pk, **location}]),
            format="json",
        )

        assert response.status_code == 400
        assert response.json() == {"locations": [message]}
        assert everything_written() == before

    def test_the_second_location_is_named(self, practitioner, young_person):
        response = api(practitioner).post(
            url(young_person),
            payload(
                locations=[
                    {"location_type": place().pk, "place_name": "Millbrook Rec"},
                    {"location_type": place("Bus stop").pk},
                ]
            ),
            format="json",
        )

        assert response.status_code == 400
        assert response.json() == {"locations": ["Location 2: enter a postcode or a place name"]}
        assert not Referral.objects.exists()

    def test_a_retired_location_type_is_refused(self, practitioner, young_person):
        bus_stop = place("Bus stop")
        LocationType.objects.filter(pk=bus_stop.pk).update(is_active=False)
        before = everything_written()

        response = api(practitioner).post(
            url(young_person),
            payload(locations=[{"location_type": bus_stop.pk, "postcode": "NB1 2AA"}]),
            format="json",
        )

        assert response.status_code == 400
        assert response.json() == {"locations": ["Location 1: Bus stop is no longer in use"]}
        assert everything_written() == before

    def test_a_retired_harm_type_refuses_the_whole_referral(
        self, practitioner, administrator, young_person
    ):
        harm_services.harm_type_set_active(
            actor=administrator, harm_type=harm_type(GANGS), active=False, reason="No longer used"
        )
        before = everything_written()

        response = api(practitioner).post(url(young_person), payload(), format="json")

        assert response.status_code == 400
        assert response.json() == {
            "harm_types": ["Gangs has been retired and cannot be used for new flags"]
        }
        assert everything_written() == before

    @pytest.mark.parametrize("nature_of_harm", ["both", "not_known"])
    def test_an_either_type_the_referral_cannot_place_is_refused(
        self, practitioner, young_person, either_type, nature_of_harm
    ):
        before = everything_written()

        response = api(practitioner).post(
            url(young_person),
            payload(nature_of_harm=nature_of_harm, harm_types=[harm_type(CCE).pk, either_type.pk]),
            format="json",
        )

        assert response.status_code == 400
        assert response.json() == {"harm_types": [either_message("Harmful sexual behaviour")]}
        assert everything_written() == before


class TestAccessLog:
    """A create is logged only when it records a referral: no access is a 404 before the
    payload is read, and a request refused for its input shows nothing of the record."""

    def test_a_payload_the_serializer_refuses_writes_no_access_log(
        self, practitioner, young_person
    ):
        response = api(practitioner).post(url(young_person), payload(source="99"), format="json")

        assert response.status_code == 400
        assert not RecordAccess.objects.exists()

    def test_a_payload_the_service_refuses_writes_no_access_log(self, practitioner, young_person):
        tomorrow = timezone.localdate() + timedelta(days=1)

        response = api(practitioner).post(
            url(young_person), payload(received_on=tomorrow.isoformat()), format="json"
        )

        assert response.status_code == 400
        assert not RecordAccess.objects.exists()

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_no_access_is_404_before_the_payload_is_read(self, request, young_person, who):
        actor = request.getfixturevalue(who)

        response = api(actor).post(url(young_person), {"source": "99"}, format="json")

        assert (response.status_code, response.json()) == (404, NOT_FOUND)
        assert not RecordAccess.objects.exists()

    def test_a_refusal_then_a_success_logs_once(self, practitioner, young_person):
        client = api(practitioner)

        refused = client.post(url(young_person), payload(reason=""), format="json")
        created = client.post(url(young_person), payload(), format="json")

        assert (refused.status_code, created.status_code) == (400, 201)
        assert list(
            RecordAccess.objects.filter(young_person=young_person).values_list(
                "user", "channel", "resource"
            )
        ) == [(practitioner.pk, "api", url(young_person))]
