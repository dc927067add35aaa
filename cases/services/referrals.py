"""Recording referrals, with their locations of harm and the harm flags they raise."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from csafe.accounts.models import User
from csafe.audit.models import EventKind
from csafe.audit.services import event_record
from csafe.core.errors import ApplicationError
from csafe.core.validators import normalise_postcode, postcode_district, validate_uk_postcode
from csafe.core.versioning import locked
from harms.models import HarmType, Nature

from .. import permissions
from ..models import LocationOfHarm, LocationType, Referral, YoungPerson
from ..reference import NatureOfHarm
from .flags import harm_flag_raise
from .young_people import young_person_create


@dataclass(frozen=True)
class LocationInput:
    location_type: LocationType
    postcode: str = ""
    place_name: str = ""


@dataclass(frozen=True)
class HarmInput:
    harm_type: HarmType
    # Only for a type of nature "either", and only when the caller knows it for this type;
    # otherwise the referral's nature of harm decides (see referral_record).
    nature: str | None = None


@dataclass
class ReferralOutcome:
    referral: Referral
    flags_raised: list = field(default_factory=list)
    # Types the young person was already flagged for: linked to nothing, reported back.
    already_flagged: list = field(default_factory=list)


@transaction.atomic
def referral_record(
    *,
    actor: User,
    young_person: YoungPerson,
    received_on: date,
    source: str,
    reason: str,
    nature_of_harm: str,
    decision: str,
    harms: list[HarmInput] = (),
    locations: list[LocationInput] = (),
) -> ReferralOutcome:
    """Record a referral with its locations of harm, and raise a harm flag for each harm type
    named (through ``harm_flag_raise``, so the one-active-flag rule and its events apply). A type
    already flagged is reported back rather than refused. All or nothing.

    A flag's nature: a type that is always extra- or always intra-familial keeps its own,
    whatever the referral's marker says (a referral marked extra-familial may still flag domestic
    abuse at home). A type of nature "either" takes the ``nature`` given with it if any, and
    otherwise the referral's ``nature_of_harm`` when that is extra- or intra-familial. When the
    marker is "both" or "not yet known" the referral cannot say which applies to that type, so
    the whole referral is refused against ``harm_types`` naming the type, rather than guessing:
    the practitioner leaves the type out and raises its flag from the record once known.

    Checks for itself that ``actor`` may change the young person's record."""
    young_person = locked(young_person)
    if not permissions.user_has_perm(actor, permissions.CHANGE, young_person):
        raise ApplicationError("You cannot change this young person's record")
    if received_on > timezone.localdate():
        raise ApplicationError(
            "The date received must be today or in the past", field="received_on"
        )
    if not reason.strip():
        raise ApplicationError("Enter the reason for the referral", field="reason")
    if nature_of_harm == NatureOfHarm.NONE_FOUND:
        # An assessment's finding, not a referral's marker (cases.reference.REFERRAL_NATURES).
        raise ApplicationError("Choose the nature of harm", field="nature_of_harm")
    referral = Referral(
        young_person=young_person,
        received_on=received_on,
        source=source,
        reason=reason.strip(),
        nature_of_harm=nature_of_harm,
        decision=decision,
        recorded_by=actor,
    )
    referral._history_user = actor
    referral.full_clean()
    referral.save()
    for index, location in enumerate(locations):
        _location_add(actor=actor, referral=referral, location=location, index=index)
    outcome = ReferralOutcome(referral=referral)
    active = set(
        young_person.harm_flags.filter(status="active").values_list("harm_type_id", flat=True)
    )
    for harm in harms:
        if harm.harm_type.pk in active:
            outcome.already_flagged.append(harm.harm_type)
            continue
        try:
            flag = harm_flag_raise(
                actor=actor,
                young_person=young_person,
                harm_type=harm.harm_type,
                nature=_flag_nature(harm, nature_of_harm),
                identified_at="referral",
                identified_on=received_on,
                referral=referral,
            )
        except ApplicationError as exc:
            # Against the referral's own field (the form's and the API's "harm_types"), not the
            # flag service's "harm_type", which neither has.
            # The same kind of error, so a refusal keeps its status.
            raise type(exc)(exc.message, field="harm_types", code=exc.code) from exc
        outcome.flags_raised.append(flag)
        active.add(harm.harm_type.pk)
    event_record(
        actor=actor,
        kind=EventKind.REFERRAL_RECORDED,
        target=referral,
        young_person=young_person,
        detail={"nature_of_harm": nature_of_harm, "decision": decision},
    )
    return outcome


def _flag_nature(harm: HarmInput, nature_of_harm: str) -> str | None:
    """The nature to ask the flag service for (None: the type's own)."""
    if harm.harm_type.nature != Nature.EITHER or harm.nature:
        return harm.nature
    if nature_of_harm in {NatureOfHarm.EXTRA_FAMILIAL, NatureOfHarm.INTRA_FAMILIAL}:
        # The two choice sets share these values; the flag service checks them all the same.
        return nature_of_harm
    raise ApplicationError(
        f"Say whether {harm.harm_type} is extra- or intra-familial: choose Extra-familial or "
        f"Intra-familial as the nature of harm, or leave {harm.harm_type} out and raise its flag "
        "from the record once you know",
        field="harm_types",
    )


def _location_add(*, actor: User, referral: Referral, location: LocationInput, index: int):
    if not location.location_type.is_active:
        raise ApplicationError(
            f"Location {index + 1}: {location.location_type} is no longer in use",
            field="locations",
        )
    postcode = normalise_postcode(location.postcode)
    place_name = location.place_name.strip()
    if not postcode and not place_name:
        raise ApplicationError(
            f"Location {index + 1}: enter a postcode or a place name", field="locations"
        )
    if postcode:
        try:
            validate_uk_postcode(postcode)
        except ValidationError as exc:
            # One clear message, before the length checks repeat the same complaint.
            raise ApplicationError(
                f"Location {index + 1}: {exc.messages[0]}", field="locations"
            ) from exc
    row = LocationOfHarm(
        referral=referral,
        young_person=referral.young_person,
        location_type=location.location_type,
        postcode=postcode,
        postcode_district=postcode_district(postcode),
        place_name=place_name,
    )
    row._history_user = actor
    try:
        row.full_clean(exclude=["referral", "young_person"])
    except ValidationError as exc:
        messages = "; ".join(m for ms in exc.message_dict.values() for m in ms)
        raise ApplicationError(f"Location {index + 1}: {messages}", field="locations") from exc
    row.save()
    return row


class PossibleDuplicateError(ApplicationError):
    """Raised instead of creating a record that may already exist; carries the candidates."""

    def __init__(self, candidates):
        super().__init__(
            "There may already be a record for this young person. Check the records below, or "
            "confirm this is someone new.",
            field="confirm_new",
            code="possible_duplicate",
        )
        self.candidates = candidates


def referral_record_for_new_young_person(
    *,
    actor: User,
    person: dict,
    confirmed_new: bool,
    **referral,
) -> ReferralOutcome:
    """Open a record for a young person not known to the service and record their referral,
    in one transaction. Unless ``confirmed_new``, refuses when a record may already exist.

    The duplicate search runs before that transaction, so the audit row it writes when it finds
    a record the user may not see is kept when the referral is refused."""
    from ..selectors import young_person_possible_duplicates

    # Before the search, so that someone who may not open a record cannot use it to learn
    # which team holds a child of a given name and date of birth.
    if not permissions.can_open_case(actor):
        raise ApplicationError("Only practitioners and team managers in a team can open a record")
    if not confirmed_new:
        candidates = young_person_possible_duplicates(
            user=actor,
            first_name=person["first_name"],
            last_name=person["last_name"],
            date_of_birth=person["date_of_birth"],
        )
        if candidates:
            raise PossibleDuplicateError(candidates)
    with transaction.atomic():
        young_person = young_person_create(actor=actor, **person)
        return referral_record(actor=actor, young_person=young_person, **referral)
