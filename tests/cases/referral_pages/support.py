"""Form data, readers and counts shared by the tests of the referral pages."""

from __future__ import annotations

import re

from django.urls import reverse

from cases.models import Allocation, LocationOfHarm, LocationType, Referral, YoungPerson
from csafe.audit.models import Event
from harms.models import HarmFlag, HarmType
from tests.html_pages import text_of

CCE = "Child criminal exploitation, including county lines"
GANGS = "Gangs"


def referral_url(young_person) -> str:
    return reverse("cases:referral_new", args=[young_person.pk])


def type_id(name: str) -> str:
    return str(HarmType.objects.get(name=name).pk)


def place_id(name: str = "Park or open space") -> str:
    return str(LocationType.objects.get(name=name).pk)


def referral_data(**extra) -> dict:
    """A valid referral form: the date in GOV.UK day, month and year boxes, two harm types and
    two locations in a formset of three rows (the third left empty)."""
    return {
        "referral-received_on_day": "4",
        "referral-received_on_month": "3",
        "referral-received_on_year": "2025",
        "referral-source": "6",
        "referral-reason": "Found with older young people at the station",
        "referral-nature_of_harm": "extra_familial",
        "referral-harm_types": [type_id(CCE), type_id(GANGS)],
        "referral-decision": "assessment",
        "locations-TOTAL_FORMS": "3",
        "locations-INITIAL_FORMS": "0",
        "locations-MIN_NUM_FORMS": "0",
        "locations-MAX_NUM_FORMS": "10",
        "locations-0-location_type": place_id("Stairwell or communal area"),
        "locations-0-postcode": "nb1 2aa",
        "locations-0-place_name": "",
        "locations-1-location_type": place_id(),
        "locations-1-postcode": "",
        "locations-1-place_name": "Millbrook Rec",
        "locations-2-location_type": "",
        "locations-2-postcode": "",
        "locations-2-place_name": "",
    } | extra


def everything_written() -> dict[str, int]:
    return {
        "young people": YoungPerson.objects.count(),
        "allocations": Allocation.objects.count(),
        "referrals": Referral.objects.count(),
        "locations": LocationOfHarm.objects.count(),
        "flags": HarmFlag.objects.count(),
        "referral events": Event.objects.filter(kind="referral.recorded").count(),
        "flag events": Event.objects.filter(kind="harm_flag.raised").count(),
        "created events": Event.objects.filter(kind="young_person.created").count(),
    }


def referral_cards(html: str) -> list[dict[str, str]]:
    """Each referral card on a young person's record: its title, then each row's key and value."""
    section = html.split('data-testid="referrals"', 1)[1].split("</section>", 1)[0]
    cards = []
    for card in re.findall(r'data-testid="referral"[^>]*>(.*?)</dl>', section, re.S):
        title = re.search(r'<h3 class="govuk-summary-card__title">(.*?)</h3>', card, re.S)
        rows = re.findall(r"<dt[^>]*>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", card, re.S)
        cards.append({"title": text_of(title.group(1))} | {text_of(k): text_of(v) for k, v in rows})
    return cards
