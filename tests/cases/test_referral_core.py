"""Referrals with locations of harm: the service's rules, all-or-nothing saving, duplicates."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cases import services
from cases.models import LocationOfHarm, LocationType, Referral
from cases.selectors import young_person_possible_duplicates
from csafe.audit.models import Event
from csafe.core.errors import ApplicationError
from harms.models import HarmFlag, HarmType

pytestmark = pytest.mark.django_db


def _type(name):
    return HarmType.objects.get(name=name)


def _place(name="Park or open space"):
    return LocationType.objects.get(name=name)


def _record(actor, young_person, **overrides):
    arguments = {
        "received_on": date(2026, 3, 4),
        "source": "6",
        "reason": "Found in a flat linked to drug supply",
        "nature_of_harm": "extra_familial",
        "decision": "assessment",
        "harms": [],
        "locations": [],
    } | overrides
    return services.referral_record(actor=actor, young_person=young_person, **arguments)


def _counts():
    return (
        Referral.objects.count(),
        LocationOfHarm.objects.count(),
        HarmFlag.objects.count(),
        Event.objects.filter(kind="referral.recorded").count(),
    )


def test_records_locations_and_raises_flags(practitioner, young_person):
    outcome = _record(
        practitioner,
        young_person,
        harms=[
            services.HarmInput(_type("Child criminal exploitation, including county lines")),
            services.HarmInput(_type("Domestic abuse in the home")),
        ],
        locations=[
            services.LocationInput(_place("Stairwell or communal area"), postcode="nb1 2aa"),
            services.LocationInput(_place(), place_name="Millbrook Rec"),
        ],
    )
    referral = outcome.referral
    places = list(referral.locations.order_by("pk"))
    assert [(p.postcode, p.postcode_district, p.place_name) for p in places] == [
        ("NB1 2AA", "NB1", ""),
        ("", "", "Millbrook Rec"),
    ]
    assert all(p.young_person == young_person for p in places)
    flags = HarmFlag.objects.filter(referral=referral).order_by("harm_type__name")
    assert [(f.harm_type.name, f.nature, f.identified_at, f.identified_on) for f in flags] == [
        (
            "Child criminal exploitation, including county lines",
            "extra_familial",
            "referral",
            date(2026, 3, 4),
        ),
        ("Domestic abuse in the home", "intra_familial", "referral", date(2026, 3, 4)),
    ]
    event = Event.objects.get(kind="referral.recorded")
    assert (event.actor, event.young_person) == (practitioner, young_person)
    assert referral.history.first().history_user == practitioner


def test_a_type_already_flagged_is_reported_not_raised_again(practitioner, young_person):
    cce = _type("Child criminal exploitation, including county lines")
    _record(practitioner, young_person, harms=[services.HarmInput(cce)])
    second = _record(practitioner, young_person, harms=[services.HarmInput(cce)])
    assert second.already_flagged == [cce]
    assert second.flags_raised == []
    assert HarmFlag.objects.filter(harm_type=cce, status="active").count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"received_on": timezone.localdate() + timedelta(days=1)},
            "The date received must be today or in the past",
        ),
        ({"reason": "   "}, "Enter the reason for the referral"),
    ],
)
def test_bad_referrals_are_refused_and_nothing_is_saved(
    practitioner, young_person, overrides, message
):
    before = _counts()
    with pytest.raises(ApplicationError) as refused:
        _record(practitioner, young_person, **overrides)
    assert refused.value.message == message
    assert _counts() == before


def test_a_location_needs_a_postcode_or_a_place_and_nothing_is_saved(practitioner, young_person):
    before = _counts()
    with pytest.raises(ApplicationError) as refused:
        _record(
            practitioner,
            young_person,
            harms=[services.HarmInput(_type("Gangs"))],
            locations=[services.LocationInput(_place())],
        )
    assert refused.value.message == "Location 1: enter a postcode or a place name"
    assert refused.value.field == "locations"
    assert _counts() == before


def test_an_invalid_postcode_names_the_location(practitioner, young_person):
    with pytest.raises(ApplicationError) as refused:
        _record(
            practitioner,
            young_person,
            locations=[
                services.LocationInput(_place(), place_name="Rec"),
                services.LocationInput(_place(), postcode="NOT A CODE"),
            ],
        )
    assert refused.value.message == "Location 2: Enter a real postcode, like NB1 2AA"


def test_a_retired_location_type_is_refused(practitioner, young_person):
    retired = _place("Bus stop")
    LocationType.objects.filter(pk=retired.pk).update(is_active=False)
    retired.refresh_from_db()
    with pytest.raises(ApplicationError) as refused:
        _record(practitioner, young_person, locations=[services.LocationInput(retired, "NB1 2AA")])
    assert refused.value.message == "Location 1: Bus stop is no longer in use"


@pytest.mark.parametrize(
    "who", ["teammate", "other_team_practitioner", "service_manager", "administrator"]
)
def test_only_those_who_may_change_the_record_can_record_a_referral(request, who, young_person):
    before = _counts()
    with pytest.raises(ApplicationError) as refused:
        _record(request.getfixturevalue(who), young_person)
    assert refused.value.message == "You cannot change this young person's record"
    assert _counts() == before


def test_duplicates_show_details_only_for_records_the_user_may_see(
    practitioner, other_team_practitioner, young_person
):
    # young_person is Zephyrine Quillfeather, born 17 May 2011, held by Team A.
    mine = young_person_possible_duplicates(
        user=practitioner,
        first_name="zephyrine",
        last_name="Other",
        date_of_birth=date(2011, 5, 17),
    )
    assert [(c.pk, c.display_name, c.team_name) for c in mine] == [
        (young_person.pk, "Zephyrine Quillfeather", "Team A")
    ]
    theirs = young_person_possible_duplicates(
        user=other_team_practitioner,
        first_name="Zephyrine",
        last_name="Quillfeather",
        date_of_birth=date(2011, 5, 17),
    )
    assert [(c.visible, c.pk, c.display_name, c.team_name) for c in theirs] == [
        (False, None, "", "Team A")
    ]
    assert not young_person_possible_duplicates(
        user=practitioner,
        first_name="Zephyrine",
        last_name="Quillfeather",
        date_of_birth=date(2010, 5, 17),
    )


def test_day_and_month_swapped_is_a_possible_duplicate(practitioner, team_manager):
    from tests.factories import YoungPersonFactory

    person = YoungPersonFactory(
        actor=team_manager,
        first_name="Ottilie",
        last_name="Brackwater",
        date_of_birth=date(2012, 3, 7),
    )
    found = young_person_possible_duplicates(
        user=team_manager,
        first_name="Ottilie",
        last_name="Brackwater",
        date_of_birth=date(2012, 7, 3),
    )
    assert [c.pk for c in found] == [person.pk]


def test_new_young_person_referral_checks_for_duplicates_first(practitioner, young_person):
    person = {
        "first_name": "Zephyrine",
        "last_name": "Quillfeather",
        "date_of_birth": date(2011, 5, 17),
    }
    referral = {
        "received_on": date(2026, 3, 4),
        "source": "2A",
        "reason": "School concern",
        "nature_of_harm": "not_known",
        "decision": "advice",
    }
    before = _counts()
    with pytest.raises(services.PossibleDuplicateError) as refused:
        services.referral_record_for_new_young_person(
            actor=practitioner, person=person, confirmed_new=False, **referral
        )
    assert [c.pk for c in refused.value.candidates] == [young_person.pk]
    assert _counts() == before

    outcome = services.referral_record_for_new_young_person(
        actor=practitioner, person=person, confirmed_new=True, **referral
    )
    created = outcome.referral.young_person
    assert created.pk != young_person.pk
    assert created.local_identifier == f"CS{created.pk:07d}"
    assert created.team == practitioner.team
    assert created.allocations.filter(worker=practitioner, ended_at__isnull=True).exists()
