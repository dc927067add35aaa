"""Small builders shared by the reporting tests (the fixed dataset is in dataset.py)."""

from cases.models import LocationType
from cases.reference import ReferralDecision
from cases.services import referrals as referral_services
from cases.services.referrals import HarmInput, LocationInput
from harms.models import HarmType

CCE = "Child criminal exploitation, including county lines"


def refer(actor, person, *, on, nature, harms=(), postcode=""):
    locations = ()
    if postcode:
        locations = (
            LocationInput(
                location_type=LocationType.objects.get(name="Park or open space"),
                postcode=postcode,
            ),
        )
    return referral_services.referral_record(
        actor=actor,
        young_person=person,
        received_on=on,
        source="2A",
        reason="Seen with older young people at the park late at night.",
        nature_of_harm=nature,
        decision=ReferralDecision.ASSESSMENT,
        harms=[HarmInput(harm_type=HarmType.objects.get(name=name)) for name in harms],
        locations=locations,
    )
