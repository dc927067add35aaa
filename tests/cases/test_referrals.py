"""Referral services and the possible-duplicate selector.

State is built through the services, as the application does. Every refused case checks that
nothing at all was written: no referral, location, flag, event or history row.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import date, timedelta

import pytest
from django.utils import timezone

from cases import services
from cases.models import Allocation, LocationOfHarm, LocationType, Referral, YoungPerson
from cases.selectors import young_person_possible_duplicates
from csafe.audit.models import Event
from csafe.core.errors import ApplicationError
from harms import services as harm_services
from harms.models import HarmFlag, HarmType
from tests.factories import YoungPersonFactory

pytestmark = pytest.mark.django_db

RECEIVED = date(2025, 3, 4)
CCE = "Child criminal exploitation, including county lines"
GANGS = "Gangs"
DOMESTIC = "Domestic abuse in the home"
FORBIDDEN = ["teammate", "other_team_practitioner", "service_manager", "administrator"]
DUPLICATE_MESSAGE = (
    "There may already be a record for this young person. Check the records below, or "
    "confirm this is someone new."
)


def harm_type(name: str) -> HarmType:
    return HarmType.objects.get(name=name)


def place_type(name: str = "Park or open space") -> LocationType:
    return LocationType.objects.get(name=name)


def record(actor, young_person, **overrides):
    arguments = {
        "received_on": RECEIVED,
        "source": "6",
        "reason": "Found in a flat linked to drug supply",
        "nature_of_harm": "extra_familial",
        "decision": "assessment",
        "harms": [],
        "locations": [],
    } | overrides
    return services.referral_record(actor=actor, young_person=young_person, **arguments)


def everything_written() -> dict[str, int]:
    """Row counts of every table a referral writes to."""
    return {
        "referrals": Referral.objects.count(),
        "referral history": Referral.history.count(),
        "locations": LocationOfHarm.objects.count(),
        "location history": LocationOfHarm.history.count(),
        "flags": HarmFlag.objects.count(),
        "flag history": HarmFlag.history.count(),
        "events": Event.objects.count(),
        "young people": YoungPerson.objects.count(),
        "allocations": Allocation.objects.count(),
    }


def either_message(either: HarmType) -> str:
    return (
        f"Say whether {either} is extra- or intra-familial: choose Extra-familial or "
        f"Intra-familial as the nature of harm, or leave {either} out and raise its flag from "
        "the record once you know"
    )


@pytest.fixture
def either_type(administrator) -> HarmType:
    """A type that can be either extra- or intra-familial (the seed taxonomy has none)."""
    return harm_services.harm_type_create(
        actor=administrator, name="Harmful sexual behaviour", nature="either"
    )


def retire_location_type(location_type: LocationType) -> LocationType:
    # Location types have no service yet; they are configured in the admin.
    LocationType.objects.filter(pk=location_type.pk).update(is_active=False)
    location_type.refresh_from_db()
    return location_type


# --- referral_record ---------------------------------------------------------------------------


class TestRecord:
    def test_saves_the_referral_as_given(self, practitioner, young_person):
        outcome = record(
            practitioner,
            young_person,
            source="2A",
            reason="  Seen with older teenagers at the station  ",
            nature_of_harm="both",
            decision="strategy",
        )

        referral = Referral.objects.get()
        assert referral == outcome.referral
        assert (
            referral.young_person,
            referral.received_on,
            referral.source,
            referral.reason,
            referral.nature_of_harm,
            referral.decision,
            referral.recorded_by,
        ) == (
            young_person,
            RECEIVED,
            "2A",
            "Seen with older teenagers at the station",
            "both",
            "strategy",
            practitioner,
        )
        assert (outcome.flags_raised, outcome.already_flagged) == ([], [])
        assert not referral.locations.exists()

    def test_saves_locations_with_normalised_postcodes_and_districts(
        self, practitioner, young_person
    ):
        outcome = record(
            practitioner,
            young_person,
            locations=[
                services.LocationInput(
                    place_type("Stairwell or communal area"), postcode="nb1 2aa"
                ),
                services.LocationInput(place_type(), place_name="  Millbrook Rec  "),
                services.LocationInput(
                    place_type("Bus stop"), postcode="nb12ab", place_name="Stop K"
                ),
            ],
        )

        rows = LocationOfHarm.objects.order_by("pk")
        assert [
            (r.location_type.name, r.postcode, r.postcode_district, r.place_name) for r in rows
        ] == [
            ("Stairwell or communal area", "NB1 2AA", "NB1", ""),
            ("Park or open space", "", "", "Millbrook Rec"),
            ("Bus stop", "NB1 2AB", "NB1", "Stop K"),
        ]
        assert {(r.referral_id, r.young_person_id) for r in rows} == {
            (outcome.referral.pk, young_person.pk)
        }

    def test_raises_one_flag_per_named_type_linked_to_the_referral(
        self, practitioner, young_person
    ):
        outcome = record(
            practitioner,
            young_person,
            harms=[
                services.HarmInput(harm_type(CCE)),
                services.HarmInput(harm_type(DOMESTIC)),
            ],
        )

        flags = HarmFlag.objects.filter(young_person=young_person).order_by("harm_type__name")
        assert [
            (
                f.harm_type.name,
                f.nature,
                f.identified_at,
                f.identified_on,
                f.referral_id,
                f.raised_by,
                f.status,
            )
            for f in flags
        ] == [
            (
                CCE,
                "extra_familial",
                "referral",
                RECEIVED,
                outcome.referral.pk,
                practitioner,
                "active",
            ),
            (
                DOMESTIC,
                "intra_familial",
                "referral",
                RECEIVED,
                outcome.referral.pk,
                practitioner,
                "active",
            ),
        ]
        assert sorted(f.pk for f in outcome.flags_raised) == sorted(f.pk for f in flags)
        assert outcome.already_flagged == []

    def test_a_type_already_flagged_is_reported_and_not_raised_again(
        self, practitioner, young_person
    ):
        cce, gangs = harm_type(CCE), harm_type(GANGS)
        earlier = services.harm_flag_raise(
            actor=practitioner,
            young_person=young_person,
            harm_type=cce,
            identified_at="assessment",
            identified_on=date(2024, 6, 1),
        )

        outcome = record(
            practitioner,
            young_person,
            harms=[services.HarmInput(cce), services.HarmInput(gangs)],
        )

        assert outcome.already_flagged == [cce]
        assert [f.harm_type for f in outcome.flags_raised] == [gangs]
        assert HarmFlag.objects.filter(young_person=young_person, harm_type=cce).count() == 1
        earlier.refresh_from_db()
        assert (earlier.referral_id, earlier.identified_at, earlier.identified_on) == (
            None,
            "assessment",
            date(2024, 6, 1),
        )
        assert list(outcome.referral.harm_flags.values_list("harm_type__name", flat=True)) == [
            GANGS
        ]

    def test_a_type_flagged_by_an_earlier_referral_stays_with_that_referral(
        self, practitioner, young_person
    ):
        cce = harm_type(CCE)
        first = record(practitioner, young_person, harms=[services.HarmInput(cce)])

        second = record(practitioner, young_person, harms=[services.HarmInput(cce)])

        assert (second.flags_raised, second.already_flagged) == ([], [cce])
        assert list(
            HarmFlag.objects.filter(harm_type=cce, status="active").values_list(
                "referral_id", flat=True
            )
        ) == [first.referral.pk]
        assert not second.referral.harm_flags.exists()

    def test_a_type_named_twice_is_raised_once(self, practitioner, young_person):
        gangs = harm_type(GANGS)

        outcome = record(
            practitioner, young_person, harms=[services.HarmInput(gangs), services.HarmInput(gangs)]
        )

        assert [f.harm_type for f in outcome.flags_raised] == [gangs]
        assert outcome.already_flagged == [gangs]
        assert HarmFlag.objects.filter(harm_type=gangs).count() == 1

    def test_an_archived_flag_does_not_stop_a_new_one(self, practitioner, young_person):
        gangs = harm_type(GANGS)
        old = services.harm_flag_raise(
            actor=practitioner,
            young_person=young_person,
            harm_type=gangs,
            identified_at="other",
            identified_on=date(2023, 1, 9),
        )
        services.harm_flag_archive(
            actor=practitioner, flag=old, reason="no_longer", rationale="Moved away from the group"
        )

        outcome = record(practitioner, young_person, harms=[services.HarmInput(gangs)])

        assert outcome.already_flagged == []
        assert [f.harm_type for f in outcome.flags_raised] == [gangs]
        assert HarmFlag.objects.filter(harm_type=gangs, status="active").get().referral_id == (
            outcome.referral.pk
        )

    def test_the_team_manager_may_record_a_referral(self, team_manager, young_person):
        outcome = record(team_manager, young_person, harms=[services.HarmInput(harm_type(GANGS))])

        assert outcome.referral.recorded_by == team_manager
        assert outcome.flags_raised[0].raised_by == team_manager

    def test_a_received_date_of_today_is_accepted(self, practitioner, young_person):
        today = timezone.localdate()

        outcome = record(
            practitioner,
            young_person,
            received_on=today,
            harms=[services.HarmInput(harm_type(GANGS))],
        )

        assert outcome.referral.received_on == today
        assert outcome.flags_raised[0].identified_on == today


class TestEventsAndHistory:
    def test_referral_recorded_event_names_the_actor(self, practitioner, young_person):
        outcome = record(
            practitioner,
            young_person,
            nature_of_harm="extra_familial",
            decision="early_help",
            harms=[services.HarmInput(harm_type(GANGS))],
        )

        event = Event.objects.get(kind="referral.recorded")
        assert (
            event.actor,
            event.young_person,
            event.target_type.model,
            event.target_id,
            event.detail,
        ) == (
            practitioner,
            young_person,
            "referral",
            str(outcome.referral.pk),
            {"nature_of_harm": "extra_familial", "decision": "early_help"},
        )
        raised = Event.objects.get(kind="harm_flag.raised", young_person=young_person)
        assert (raised.actor, raised.target_id) == (practitioner, str(outcome.flags_raised[0].pk))

    def test_history_rows_are_attributed_to_the_actor(self, practitioner, young_person):
        outcome = record(
            practitioner,
            young_person,
            harms=[services.HarmInput(harm_type(GANGS))],
            locations=[services.LocationInput(place_type(), place_name="Millbrook Rec")],
        )
        referral = outcome.referral
        location = referral.locations.get()
        flag = outcome.flags_raised[0]

        assert [(h.history_type, h.history_user) for h in referral.history.all()] == [
            ("+", practitioner)
        ]
        assert [(h.history_type, h.history_user) for h in location.history.all()] == [
            ("+", practitioner)
        ]
        assert [(h.history_type, h.history_user) for h in flag.history.all()] == [
            ("+", practitioner)
        ]


class TestRefused:
    """Each refusal comes after a valid location and a valid harm type, so a half-saved
    referral would show up in the counts."""

    def good_parts(self):
        return {
            "harms": [services.HarmInput(harm_type(CCE))],
            "locations": [services.LocationInput(place_type(), place_name="Millbrook Rec")],
        }

    def assert_refused(self, actor, young_person, message, field, **overrides):
        before = everything_written()
        with pytest.raises(ApplicationError) as refused:
            record(actor, young_person, **(self.good_parts() | overrides))
        assert (refused.value.message, refused.value.field) == (message, field)
        assert everything_written() == before
        return refused.value

    def test_a_future_received_date(self, practitioner, young_person):
        self.assert_refused(
            practitioner,
            young_person,
            "The date received must be today or in the past",
            "received_on",
            received_on=timezone.localdate() + timedelta(days=1),
        )

    @pytest.mark.parametrize("reason", ["", "   \n  "])
    def test_an_empty_reason(self, practitioner, young_person, reason):
        self.assert_refused(
            practitioner,
            young_person,
            "Enter the reason for the referral",
            "reason",
            reason=reason,
        )

    def test_a_location_with_neither_postcode_nor_place(self, practitioner, young_person):
        self.assert_refused(
            practitioner,
            young_person,
            "Location 1: enter a postcode or a place name",
            "locations",
            locations=[services.LocationInput(place_type(), postcode="  ", place_name="  ")],
        )

    def test_the_message_names_the_location_that_is_wrong(self, practitioner, young_person):
        self.assert_refused(
            practitioner,
            young_person,
            "Location 2: enter a postcode or a place name",
            "locations",
            locations=[
                services.LocationInput(place_type(), place_name="Millbrook Rec"),
                services.LocationInput(place_type("Bus stop")),
            ],
        )

    @pytest.mark.parametrize("postcode", ["NOT A CODE", "NB1", "QQ1 1AA"])
    def test_an_invalid_postcode(self, practitioner, young_person, postcode):
        error = self.assert_refused(
            practitioner,
            young_person,
            "Location 1: Enter a real postcode, like NB1 2AA",
            "locations",
            locations=[services.LocationInput(place_type(), postcode=postcode)],
        )
        assert error.message.startswith("Location 1:")

    def test_an_invalid_postcode_names_its_location(self, practitioner, young_person):
        self.assert_refused(
            practitioner,
            young_person,
            "Location 2: Enter a real postcode, like NB1 2AA",
            "locations",
            locations=[
                services.LocationInput(place_type(), place_name="Millbrook Rec"),
                services.LocationInput(place_type("Bus stop"), postcode="NOT A CODE"),
            ],
        )

    def test_a_retired_location_type(self, practitioner, young_person):
        retired = retire_location_type(place_type("Bus stop"))
        self.assert_refused(
            practitioner,
            young_person,
            "Location 1: Bus stop is no longer in use",
            "locations",
            locations=[services.LocationInput(retired, postcode="NB1 2AA")],
        )

    def test_a_retired_harm_type_refuses_the_whole_referral(
        self, practitioner, administrator, young_person
    ):
        gangs = harm_services.harm_type_set_active(
            actor=administrator, harm_type=harm_type(GANGS), active=False, reason="No longer used"
        )
        # The first type would be raised before the retired one is reached.
        self.assert_refused(
            practitioner,
            young_person,
            "Gangs has been retired and cannot be used for new flags",
            "harm_types",
            harms=[services.HarmInput(harm_type(CCE)), services.HarmInput(gangs)],
        )

    @pytest.mark.parametrize("nature_of_harm", ["both", "not_known"])
    def test_an_either_type_when_the_referral_cannot_say_which(
        self, practitioner, young_person, either_type, nature_of_harm
    ):
        # The first type would be raised before the "either" one is reached.
        self.assert_refused(
            practitioner,
            young_person,
            either_message(either_type),
            "harm_types",
            nature_of_harm=nature_of_harm,
            harms=[services.HarmInput(harm_type(CCE)), services.HarmInput(either_type)],
        )

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_users_who_may_not_change_the_record(self, request, young_person, who):
        self.assert_refused(
            request.getfixturevalue(who),
            young_person,
            "You cannot change this young person's record",
            None,
        )

    def test_a_worker_whose_allocation_ended(self, practitioner, team_manager, young_person):
        allocation = young_person.allocations.get(worker=practitioner, ended_at__isnull=True)
        services.young_person_deallocate_worker(
            actor=team_manager, allocation=allocation, reason="Moved to another case"
        )
        self.assert_refused(
            practitioner, young_person, "You cannot change this young person's record", None
        )


class TestEitherTypes:
    """A type of nature "either" is flagged with the referral's nature of harm when that says
    extra- or intra-familial; refusals are in TestRefused."""

    @pytest.mark.parametrize("nature_of_harm", ["extra_familial", "intra_familial"])
    def test_takes_the_referrals_nature_of_harm(
        self, practitioner, young_person, either_type, nature_of_harm
    ):
        outcome = record(
            practitioner,
            young_person,
            nature_of_harm=nature_of_harm,
            harms=[services.HarmInput(either_type)],
        )

        flag = HarmFlag.objects.get(harm_type=either_type)
        assert outcome.flags_raised == [flag]
        assert (flag.nature, flag.referral_id, flag.identified_at) == (
            nature_of_harm,
            outcome.referral.pk,
            "referral",
        )
        raised = Event.objects.get(kind="harm_flag.raised", target_id=str(flag.pk))
        assert raised.detail == {"harm_type": either_type.pk, "nature": nature_of_harm}

    @pytest.mark.parametrize("nature_of_harm", ["intra_familial", "both", "not_known"])
    def test_fixed_types_keep_their_own_nature_whatever_the_marker(
        self, practitioner, young_person, nature_of_harm
    ):
        record(
            practitioner,
            young_person,
            nature_of_harm=nature_of_harm,
            harms=[services.HarmInput(harm_type(CCE)), services.HarmInput(harm_type(DOMESTIC))],
        )

        assert sorted(HarmFlag.objects.values_list("harm_type__name", "nature")) == [
            (CCE, "extra_familial"),
            (DOMESTIC, "intra_familial"),
        ]

    def test_fixed_and_either_types_together(self, practitioner, young_person, either_type):
        record(
            practitioner,
            young_person,
            nature_of_harm="intra_familial",
            harms=[services.HarmInput(harm_type(CCE)), services.HarmInput(either_type)],
        )

        assert sorted(HarmFlag.objects.values_list("harm_type__name", "nature")) == [
            (CCE, "extra_familial"),
            (either_type.name, "intra_familial"),
        ]

    @pytest.mark.parametrize("nature_of_harm", ["extra_familial", "both"])
    def test_a_nature_given_with_the_type_is_used(
        self, practitioner, young_person, either_type, nature_of_harm
    ):
        outcome = record(
            practitioner,
            young_person,
            nature_of_harm=nature_of_harm,
            harms=[services.HarmInput(either_type, "intra_familial")],
        )

        assert [(f.harm_type, f.nature) for f in outcome.flags_raised] == [
            (either_type, "intra_familial")
        ]

    def test_already_flagged_is_reported_even_when_the_marker_cannot_say(
        self, practitioner, young_person, either_type
    ):
        earlier = services.harm_flag_raise(
            actor=practitioner,
            young_person=young_person,
            harm_type=either_type,
            nature="extra_familial",
            identified_at="other",
            identified_on=date(2024, 6, 1),
        )

        outcome = record(
            practitioner,
            young_person,
            nature_of_harm="not_known",
            harms=[services.HarmInput(either_type)],
        )

        assert (outcome.flags_raised, outcome.already_flagged) == ([], [either_type])
        assert list(HarmFlag.objects.all()) == [earlier]

    def test_a_new_young_person_is_not_left_behind_when_refused(
        self, practitioner, young_person, either_type
    ):
        before = everything_written()

        with pytest.raises(ApplicationError) as refused:
            services.referral_record_for_new_young_person(
                actor=practitioner,
                person=new_person(first_name="Idris", last_name="Pennywhistle"),
                confirmed_new=False,
                **new_referral(
                    nature_of_harm="both",
                    harms=[services.HarmInput(harm_type(GANGS)), services.HarmInput(either_type)],
                ),
            )

        assert (refused.value.message, refused.value.field) == (
            either_message(either_type),
            "harm_types",
        )
        assert everything_written() == before


# --- Possible duplicates -----------------------------------------------------------------------


def find(user, first_name, last_name, date_of_birth):
    return young_person_possible_duplicates(
        user=user, first_name=first_name, last_name=last_name, date_of_birth=date_of_birth
    )


class TestPossibleDuplicates:
    # young_person is Zephyrine Quillfeather, born 17 May 2011, held by Team A and allocated to
    # the practitioner.
    BORN = date(2011, 5, 17)

    @pytest.mark.parametrize(
        ("first", "last"),
        [
            ("Zephyrine", "Quillfeather"),
            ("zEPHYRINE", "Somebody"),
            ("Somebody", "QUILLFEATHER"),
            ("  Zephyrine  ", "Else"),
        ],
    )
    def test_same_birth_date_and_either_name(self, practitioner, young_person, first, last):
        found = find(practitioner, first, last, self.BORN)

        assert [
            (c.pk, c.display_name, c.local_identifier, c.date_of_birth, c.team_name) for c in found
        ] == [
            (
                young_person.pk,
                "Zephyrine Quillfeather",
                young_person.local_identifier,
                self.BORN,
                "Team A",
            )
        ]
        assert found[0].visible is True

    def test_same_birth_date_and_neither_name_is_not_a_duplicate(self, practitioner, young_person):
        assert find(practitioner, "Ada", "Lovelace", self.BORN) == []

    @pytest.mark.parametrize("born", [date(2011, 5, 18), date(2010, 5, 17), date(2011, 6, 17)])
    def test_a_different_birth_date_is_not_a_duplicate(self, practitioner, young_person, born):
        assert find(practitioner, "Zephyrine", "Quillfeather", born) == []

    def test_day_and_month_swapped_with_the_same_names(self, team_manager):
        person = YoungPersonFactory(
            actor=team_manager,
            first_name="Ottilie",
            last_name="Brackwater",
            date_of_birth=date(2012, 3, 7),
        )

        assert [c.pk for c in find(team_manager, "ottilie", "BRACKWATER", date(2012, 7, 3))] == [
            person.pk
        ]
        # A swapped date needs both names: one name alone is too weak a match.
        assert find(team_manager, "Ottilie", "Different", date(2012, 7, 3)) == []

    def test_several_candidates_at_most_ten(self, team_manager):
        people = [
            YoungPersonFactory(
                actor=team_manager,
                first_name="Rowan",
                last_name=f"Ashby{n}",
                date_of_birth=self.BORN,
            )
            for n in range(12)
        ]

        found = find(team_manager, "Rowan", "Nobody", self.BORN)

        assert len(found) == 10
        assert {c.pk for c in found} <= {p.pk for p in people}

    @pytest.mark.parametrize("who", ["teammate", "other_team_practitioner", "other_team_manager"])
    def test_a_record_the_user_may_not_see_shows_only_its_team(self, request, young_person, who):
        found = find(request.getfixturevalue(who), "Zephyrine", "Quillfeather", self.BORN)

        assert len(found) == 1
        candidate = found[0]
        assert candidate.visible is False
        assert asdict(candidate) == {
            "team_name": "Team A",
            "pk": None,
            "display_name": "",
            "local_identifier": "",
            "date_of_birth": None,
        }
        shown = repr(candidate)
        for detail in ("Zephyrine", "Quillfeather", young_person.local_identifier, "2011"):
            assert detail not in shown
        event = Event.objects.get(kind="duplicate_check.matched_unseen")
        assert (event.actor, event.detail) == (request.getfixturevalue(who), {"unseen_matches": 1})

    @pytest.mark.parametrize("who", ["teammate", "other_team_practitioner"])
    @pytest.mark.parametrize(
        ("first", "last"), [("Zephyrine", "Nobody"), ("Nobody", "Quillfeather")]
    )
    def test_one_name_and_the_birth_date_reveal_nothing_unseen(
        self, request, young_person, who, first, last
    ):
        assert find(request.getfixturevalue(who), first, last, self.BORN) == []
        assert not Event.objects.filter(kind="duplicate_check.matched_unseen").exists()

    def test_visible_and_hidden_candidates_together(
        self, other_team_manager, young_person, other_young_person
    ):
        # Born the same day as Zephyrine, and held by Team B.
        same_day = YoungPersonFactory(
            actor=other_team_manager,
            first_name="Zephyrine",
            last_name="Marchbank",
            date_of_birth=self.BORN,
        )

        found = find(other_team_manager, "Zephyrine", "Quillfeather", self.BORN)

        # Team B's own record matches on one name; Team A's only because both names match.
        assert sorted((c.visible, c.pk, c.display_name, c.team_name) for c in found) == [
            (False, None, "", "Team A"),
            (True, same_day.pk, "Zephyrine Marchbank", "Team B"),
        ]


# --- referral_record_for_new_young_person ----------------------------------------------------


def new_person(**overrides):
    return {
        "first_name": "Zephyrine",
        "last_name": "Quillfeather",
        "date_of_birth": date(2011, 5, 17),
    } | overrides


def new_referral(**overrides):
    return {
        "received_on": RECEIVED,
        "source": "2A",
        "reason": "School concern about older associates",
        "nature_of_harm": "extra_familial",
        "decision": "assessment",
        "harms": [services.HarmInput(harm_type(CCE)), services.HarmInput(harm_type(GANGS))],
        "locations": [
            services.LocationInput(place_type(), place_name="Millbrook Rec"),
            services.LocationInput(place_type("Bus stop"), postcode="nb1 2aa"),
        ],
    } | overrides


class TestReferralForNewYoungPerson:
    def test_a_possible_duplicate_refuses_and_saves_nothing(self, practitioner, young_person):
        before = everything_written()

        with pytest.raises(services.PossibleDuplicateError) as refused:
            services.referral_record_for_new_young_person(
                actor=practitioner, person=new_person(), confirmed_new=False, **new_referral()
            )

        error = refused.value
        assert (error.message, error.field, error.code) == (
            DUPLICATE_MESSAGE,
            "confirm_new",
            "possible_duplicate",
        )
        assert [(c.pk, c.display_name) for c in error.candidates] == [
            (young_person.pk, "Zephyrine Quillfeather")
        ]
        assert everything_written() == before

    def test_a_possible_duplicate_the_user_cannot_see_still_refuses(
        self, other_team_practitioner, young_person
    ):
        with pytest.raises(services.PossibleDuplicateError) as refused:
            services.referral_record_for_new_young_person(
                actor=other_team_practitioner,
                person=new_person(),
                confirmed_new=False,
                **new_referral(),
            )

        assert [(c.visible, c.team_name) for c in refused.value.candidates] == [(False, "Team A")]
        assert YoungPerson.objects.count() == 1
        # The check that found a record the user may not see is kept, though nothing was saved.
        assert Event.objects.filter(
            kind="duplicate_check.matched_unseen", actor=other_team_practitioner
        ).exists()

    def test_one_name_off_a_record_the_user_cannot_see_is_not_a_duplicate_to_them(
        self, other_team_practitioner, young_person
    ):
        outcome = services.referral_record_for_new_young_person(
            actor=other_team_practitioner,
            person=new_person(first_name="Zeph"),
            confirmed_new=False,
            **new_referral(),
        )

        assert outcome.referral.young_person.first_name == "Zeph"

    def test_confirmed_new_creates_the_record_and_the_referral(self, practitioner, young_person):
        before = YoungPerson.objects.count()

        outcome = services.referral_record_for_new_young_person(
            actor=practitioner, person=new_person(), confirmed_new=True, **new_referral()
        )

        created = outcome.referral.young_person
        assert YoungPerson.objects.count() == before + 1
        assert created.pk != young_person.pk
        assert (created.first_name, created.last_name, created.date_of_birth) == (
            "Zephyrine",
            "Quillfeather",
            date(2011, 5, 17),
        )
        assert re.fullmatch(r"CS\d{7}", created.local_identifier)
        assert created.local_identifier == f"CS{created.pk:07d}"
        assert created.team == practitioner.team
        assert created.allocations.filter(ended_at__isnull=True).count() == 2
        assert created.allocations.get(kind="worker", ended_at__isnull=True).worker == practitioner
        assert created.allocations.get(kind="team", ended_at__isnull=True).team == practitioner.team
        assert [(p.location_type.name, p.postcode) for p in outcome.referral.locations.all()] == [
            ("Park or open space", ""),
            ("Bus stop", "NB1 2AA"),
        ]
        assert sorted(f.harm_type.name for f in outcome.flags_raised) == [CCE, GANGS]
        assert {f.young_person_id for f in outcome.flags_raised} == {created.pk}
        # The existing record is untouched.
        assert not young_person.referrals.exists()
        assert not young_person.harm_flags.exists()

    def test_no_candidates_creates_without_confirmation(self, practitioner, young_person):
        outcome = services.referral_record_for_new_young_person(
            actor=practitioner,
            person=new_person(first_name="Idris", last_name="Pennywhistle"),
            confirmed_new=False,
            **new_referral(),
        )

        created = outcome.referral.young_person
        assert (created.display_name, created.team) == ("Idris Pennywhistle", practitioner.team)
        assert Event.objects.filter(kind="young_person.created", young_person=created).count() == 1
        assert Event.objects.filter(kind="referral.recorded", young_person=created).count() == 1

    def test_a_team_manager_opens_a_record_held_by_the_team(self, team_manager):
        outcome = services.referral_record_for_new_young_person(
            actor=team_manager,
            person=new_person(first_name="Idris", last_name="Pennywhistle"),
            confirmed_new=False,
            **new_referral(),
        )

        created = outcome.referral.young_person
        assert created.team == team_manager.team
        assert not created.allocations.filter(kind="worker").exists()
        assert outcome.referral.recorded_by == team_manager

    def test_a_bad_referral_leaves_no_new_record_behind(self, practitioner, young_person):
        before = everything_written()

        with pytest.raises(ApplicationError) as refused:
            services.referral_record_for_new_young_person(
                actor=practitioner,
                person=new_person(first_name="Idris", last_name="Pennywhistle"),
                confirmed_new=False,
                **new_referral(
                    locations=[
                        services.LocationInput(place_type(), place_name="Millbrook Rec"),
                        services.LocationInput(place_type("Bus stop")),
                    ]
                ),
            )

        assert refused.value.message == "Location 2: enter a postcode or a place name"
        assert everything_written() == before
        assert not YoungPerson.objects.filter(last_name="Pennywhistle").exists()

    def test_a_future_birth_date_is_refused(self, practitioner):
        before = everything_written()

        with pytest.raises(ApplicationError) as refused:
            services.referral_record_for_new_young_person(
                actor=practitioner,
                person=new_person(date_of_birth=timezone.localdate() + timedelta(days=1)),
                confirmed_new=True,
                **new_referral(),
            )

        assert (refused.value.message, refused.value.field) == (
            "Date of birth must be in the past",
            "date_of_birth",
        )
        assert everything_written() == before

    @pytest.mark.parametrize("who", ["service_manager", "administrator"])
    def test_roles_without_a_caseload_cannot_open_a_record(self, request, young_person, who):
        actor = request.getfixturevalue(who)
        before = everything_written()

        with pytest.raises(ApplicationError) as refused:
            services.referral_record_for_new_young_person(
                actor=actor,
                person=new_person(),
                confirmed_new=False,
                **new_referral(),
            )

        # Refused for who they are, before any search that would say a record exists.
        assert type(refused.value) is ApplicationError
        assert refused.value.message == (
            "Only practitioners and team managers in a team can open a record"
        )
        assert everything_written() == before
