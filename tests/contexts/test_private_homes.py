"""A context for someone's home is named by the postcode sector and a reference, never by the
full postcode, so that everyone who reads the context list does not learn an adult's address;
the same home still gets the same name, so the duplicate checks find it."""

from __future__ import annotations

import pytest

from cases.models import LocationType
from contexts.services.contexts import ContextNameTaken, context_open
from csafe.core.vocabulary import ContextKind
from tests.contexts.context_support import days_ago

pytestmark = pytest.mark.django_db


def open_at(actor, type_name: str, postcode: str):
    return context_open(
        actor=actor,
        kind=ContextKind.LOCATION,
        location_type=LocationType.objects.get(name=type_name),
        postcode=postcode,
        opened_on=days_ago(2),
        confirmed_not_duplicate=True,
    )


def test_the_default_types_that_are_homes_are_flagged():
    homes = set(LocationType.objects.filter(is_private_address=True).values_list("name", flat=True))
    assert homes == {"Home of an adult", "Party or gathering at a private address"}


def test_a_home_is_named_by_its_sector_and_a_reference(practitioner):
    context = open_at(practitioner, "Home of an adult", "NB7 3QT")
    assert context.name.startswith("Home of an adult – NB7 3 · ref ")
    assert "3QT" not in context.name
    # The postcode is kept on the record for the duplicate checks and the dashboards.
    assert (context.postcode, context.postcode_district) == ("NB7 3QT", "NB7")


def test_other_places_keep_their_full_postcode(practitioner):
    context = open_at(practitioner, "Bus stop", "NB7 3QT")
    assert context.name == "Bus stop – NB7 3QT"


def test_two_homes_in_one_sector_get_different_names(practitioner):
    first = open_at(practitioner, "Home of an adult", "NB7 3QT")
    second = open_at(practitioner, "Home of an adult", "NB7 3QU")
    assert first.name != second.name


def test_the_same_home_is_found_again(practitioner):
    open_at(practitioner, "Home of an adult", "NB7 3QT")
    with pytest.raises(ContextNameTaken):
        open_at(practitioner, "Home of an adult", "nb7 3qt")


def test_the_reference_cannot_be_worked_out_without_the_sites_secret(practitioner, settings):
    name = open_at(practitioner, "Home of an adult", "NB7 3QT").name
    settings.SECRET_KEY = "another-site-" + "x" * 40
    other = open_at(practitioner, "Home of an adult", "NB7 3QT").name
    assert other != name
