"""Opening, changing, closing and reopening context records.

Every write: practitioners and team managers in a team may open and change contexts (they are
thematic and open to all of them); closing and reopening is for the lead practitioner or a
manager of the team holding the context. Each locks the context, raises its version, writes one
audit event (with no young person: these belong to the context's chronology) in the same
transaction and, after commit, tells the practitioners of linked young people what changed.

A context is named by the naming convention for its kind, from its fields. A name is unique
among contexts: an open context of the same name is refused, a closed one is offered for
reopening (its chronology is kept) instead of being opened again, and near-duplicates must be
confirmed as different.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from csafe.accounts.models import User
from csafe.audit.models import EventKind
from csafe.audit.services import event_record
from csafe.core.dates import check_not_future, long_date
from csafe.core.errors import ApplicationError, ForbiddenError
from csafe.core.validators import normalise_postcode, postcode_district, validate_uk_postcode
from csafe.core.versioning import locked, versioned_save
from csafe.core.vocabulary import ContextKind

from .. import permissions
from ..guard import refuse_identities, thematic_write
from ..linked_professionals import linked_practitioner_ids
from ..models import Context, ContextConfiguration, ContextLink, ContextStatusChange
from ..naming import NameParts, normalise, private_address_postcode, render_name
from ..reference import ContextStatus, LinkEndRule, PeerGroupTerm, triangle_headings
from ..selectors.core import (
    NameMatches,
    context_name_matches,
    kind_label,
    naming_convention_for,
)
from ._common import check_version, notify_linked_practitioners

CANNOT_WORK = "Only practitioners and team managers in a team can open or change context records"
CHOOSE_KIND = "Choose the kind of context"
BAD_POSTCODE = "Enter a real postcode, like NB1 2AA"
BAD_LEAD = "The lead practitioner must be a practitioner or team manager in a team"
RETIRED_HARM_TYPE = "{harm_type} has been retired and cannot be added to a context"
NO_CONVENTION = "There is no naming convention for this kind of context. Ask an administrator."
CLOSED_CANNOT_CHANGE = "This context is closed. Reopen it to change its details."
POSSIBLE_DUPLICATE = (
    "There may already be a context for this. Check the contexts below, or confirm that this is "
    "a different one."
)
ALREADY_CLOSED = "This context is already closed"
ALREADY_OPEN = "This context is already open"
CLOSE_REASON = "Enter why the context is closing"
REOPEN_REASON = "Enter why the context is reopening"
CHOOSE_LINKS_RULE = (
    "Choose whether to end the links of the young people linked to this context or keep them"
)

DETAILS_CHANGE = "Details changed"
CLOSED_CHANGE = "Closure recorded"
REOPENED_CHANGE = "Reopening recorded"

# naming.render_name names the field a convention needs; these are the inputs that give them.
_INPUT_FOR_NAME_FIELD = {"district": "postcode", "opened": "opened_on", "term": "kind"}


def name_taken_message(name: str) -> str:
    return f"{name} is already open"


def closed_same_name_message(context: Context, closed_on: date | None) -> str:
    when = f" on {long_date(closed_on)}" if closed_on else ""
    return (
        f"{context.name} was closed{when}. Reopen it rather than opening a new context with the "
        "same name: reopening keeps its chronology."
    )


def close_refused_message(context: Context, action: str) -> str:
    return (
        f"Only the lead practitioner ({context.lead_practitioner}) or a manager of "
        f"{context.team} can {action} this context"
    )


def lead_refused_message(context: Context) -> str:
    return (
        f"Only the lead practitioner ({context.lead_practitioner}) or a manager of "
        f"{context.team} can change who leads this context"
    )


def closure_change_message(kind: str, side: str) -> str:
    """The message for a closure without what changed on one side of the triangle."""
    heading = triangle_headings(kind)[side]
    return f"Describe how {heading[:1].lower()}{heading[1:]} changed"


def closed_before_opened_message(context: Context) -> str:
    return (
        "The date closed must be on or after the date the context was opened, "
        f"{long_date(context.opened_on)}"
    )


def reopened_before_closed_message(closed_on: date) -> str:
    return (
        f"The date reopened must be on or after the date the context closed, {long_date(closed_on)}"
    )


class ContextNameTaken(ApplicationError):
    """An open context already has the name: refused, with the context to link to."""

    def __init__(self, context: Context):
        super().__init__(name_taken_message(context.name), field="name", code="name_taken")
        self.context = context


class ReopenInstead(ApplicationError):
    """A closed context has the name: it is to be reopened, not opened again."""

    def __init__(self, context: Context, closed_on: date | None):
        super().__init__(
            closed_same_name_message(context, closed_on), field="name", code="reopen_instead"
        )
        self.context = context


class PossibleDuplicateContexts(ApplicationError):
    """Contexts that may be the same one: shown, and opening needs a confirmation."""

    def __init__(self, name: str, candidates: list[Context]):
        super().__init__(
            POSSIBLE_DUPLICATE, field="confirm_not_duplicate", code="possible_duplicate"
        )
        self.name = name
        self.candidates = candidates


@dataclass(frozen=True)
class NameCheck:
    """What opening a context with these details would do: the name the convention gives it,
    and the contexts that may already be it."""

    name: str
    postcode: str
    matches: NameMatches


def _require_worker(actor: User) -> None:
    if not permissions.can_work_on_contexts(actor):
        raise ForbiddenError(CANNOT_WORK)


def _term(configuration: ContextConfiguration | None) -> str:
    value = configuration.peer_group_term if configuration else PeerGroupTerm.GROUP
    return PeerGroupTerm(value).label


def _clean_postcode(postcode: str) -> str:
    postcode = normalise_postcode((postcode or "").strip())
    try:
        validate_uk_postcode(postcode)
    except ValidationError as exc:
        raise ApplicationError(BAD_POSTCODE, field="postcode") from exc
    return postcode


def _check_opened_on(opened_on: date | None) -> None:
    if opened_on is None:
        raise ApplicationError("Enter the date the context was opened", field="opened_on")
    check_not_future(opened_on, "opened_on", "The date opened")


def context_name_for(
    *,
    kind: str,
    label: str = "",
    area: str = "",
    postcode: str = "",
    location_type=None,
    opened_on: date | None = None,
    configuration: ContextConfiguration | None = None,
) -> str:
    """The name the naming convention for ``kind`` gives a context with these details;
    ApplicationError naming the missing detail when the convention needs one that is empty.
    ``postcode`` is already validated and normalised."""
    if kind not in ContextKind.values:
        raise ApplicationError(CHOOSE_KIND, field="kind")
    convention = naming_convention_for(kind)
    if convention is None:
        raise ApplicationError(NO_CONVENTION, field="kind")
    if configuration is None:
        configuration = ContextConfiguration.objects.order_by("pk").first()
    term = _term(configuration)
    # Someone's home is not named by its full postcode (naming.private_address_postcode).
    private = getattr(location_type, "is_private_address", False)
    parts = NameParts(
        term=term,
        label=(label or "").strip(),
        area=(area or "").strip(),
        postcode=private_address_postcode(postcode) if private else postcode,
        district=postcode_district(postcode),
        location_type=str(location_type) if location_type else "",
        opened=opened_on,
        kind=kind_label(kind, term),
    )
    try:
        return render_name(convention.template, parts)
    except ApplicationError as error:
        field = _INPUT_FOR_NAME_FIELD.get(error.field, error.field)
        raise ApplicationError(error.message, field=field) from error


def context_name_check(
    *,
    actor: User,
    kind: str,
    label: str = "",
    area: str = "",
    postcode: str = "",
    location_type=None,
    opened_on: date | None = None,
    incident: str = "",
    description: str = "",
    exclude_pk: int | None = None,
    configuration: ContextConfiguration | None = None,
) -> NameCheck:
    """Check the details of a context about to be opened, without saving anything: the name
    the convention gives it and what the duplicate search finds. Refuses what opening would
    refuse for these details (bad postcode, a date to come, a detail the convention needs, a
    young person's full name in the name's parts or the text)."""
    _require_worker(actor)
    postcode = _clean_postcode(postcode)
    _check_opened_on(opened_on)
    name = context_name_for(
        kind=kind,
        label=label,
        area=area,
        postcode=postcode,
        location_type=location_type,
        opened_on=opened_on,
        configuration=configuration,
    )
    # The text, and the name the convention made as a whole: a name split across its parts
    # ("Tyler" as the label, "Wrackenbury" as the area) is refused against the first part it
    # is made from.
    refuse_identities(
        actor=actor,
        context=exclude_pk,
        label=label or "",
        area=area or "",
        incident=incident or "",
        description=description or "",
        also=[("label" if (label or "").strip() else "area", name)],
    )
    matches = context_name_matches(name=name, kind=kind, postcode=postcode, exclude_pk=exclude_pk)
    return NameCheck(name=name, postcode=postcode, matches=matches)


def _last_closed_on(context: Context) -> date | None:
    change = (
        ContextStatusChange.objects.filter(
            context=context, action=ContextStatusChange.Action.CLOSED
        )
        .order_by("-on", "-pk")
        .first()
    )
    return change.on if change else None


def refuse_exact_name(matches: NameMatches) -> None:
    """Refuse a name an open context has (ContextNameTaken), or a closed one (ReopenInstead)."""
    if matches.open_match is not None:
        raise ContextNameTaken(matches.open_match)
    if matches.closed_match is not None:
        closed = matches.closed_match
        raise ReopenInstead(closed, _last_closed_on(closed))


def _check_lead(lead: User) -> None:
    if not permissions.can_work_on_contexts(lead):
        raise ApplicationError(BAD_LEAD, field="lead_practitioner")


def _check_harm_types(harm_types, already: set[int]) -> list:
    harm_types = list(harm_types or [])
    for harm_type in harm_types:
        if harm_type.pk not in already and not harm_type.is_active:
            raise ApplicationError(
                RETIRED_HARM_TYPE.format(harm_type=harm_type), field="harm_types"
            )
    return harm_types


def _lock_configuration() -> ContextConfiguration | None:
    """Lock the configuration row. Opening contexts and renaming them queue here, so that two
    people opening a context of the same name at once cannot both pass the duplicate check;
    contexts are opened rarely enough that one queue costs nothing."""
    return ContextConfiguration.objects.select_for_update().order_by("pk").first()


@thematic_write
def context_open(
    *,
    actor: User,
    kind: str,
    opened_on: date,
    label: str = "",
    area: str = "",
    postcode: str = "",
    location_type=None,
    incident: str = "",
    description: str = "",
    harm_types=(),
    lead_practitioner: User | None = None,
    confirmed_not_duplicate: bool = False,
) -> Context:
    """Open a context named by the convention for its kind, led by ``lead_practitioner`` (the
    actor by default) for the lead's team.

    Refused when an open context has the name (ContextNameTaken) or a closed one does
    (ReopenInstead: reopen it instead); when contexts with a similar name, or of the same kind
    at the same postcode, exist, refused with them (PossibleDuplicateContexts) unless
    ``confirmed_not_duplicate``. Text (the name's parts too) containing a young person's full
    name is refused: the thematic-text guard."""
    _require_worker(actor)
    configuration = _lock_configuration()
    check = context_name_check(
        actor=actor,
        kind=kind,
        label=label,
        area=area,
        postcode=postcode,
        location_type=location_type,
        opened_on=opened_on,
        incident=incident,
        description=description,
        configuration=configuration,
    )
    refuse_exact_name(check.matches)
    if check.matches.near and not confirmed_not_duplicate:
        raise PossibleDuplicateContexts(check.name, check.matches.near)
    lead = lead_practitioner or actor
    _check_lead(lead)
    harm_types = _check_harm_types(harm_types, set())
    context = Context(
        kind=kind,
        name=check.name,
        normalised_name=normalise(check.name),
        label=(label or "").strip(),
        area=(area or "").strip(),
        postcode=check.postcode,
        postcode_district=postcode_district(check.postcode),
        location_type=location_type,
        opened_on=opened_on,
        incident=(incident or "").strip(),
        description=(description or "").strip(),
        lead_practitioner=lead,
        team=lead.team,
        created_by=actor,
    )
    context._history_user = actor
    context.full_clean()
    context.save()
    context.harm_types.set(harm_types)
    event_record(
        actor=actor,
        kind=EventKind.CONTEXT_OPENED,
        target=context,
        detail={"name": context.name, "kind": kind},
    )
    # Nobody is linked to a context yet, so there is no one to tell.
    return context


# The details of a context a change can touch, and how each is named in the chronology.
_DETAIL_LABELS = {
    "name": "name",
    "label": "name of the place, school or platform",
    "area": "area",
    "postcode": "postcode",
    "location_type": "type of location",
    "opened_on": "date opened",
    "incident": "what it was opened around",
    "description": "description",
    "lead_practitioner": "lead practitioner",
    "harm_types": "harm types",
}


@thematic_write
def context_update(
    *,
    actor: User,
    context: Context,
    expected_version: int | None,
    opened_on: date,
    label: str = "",
    area: str = "",
    postcode: str = "",
    location_type=None,
    incident: str = "",
    description: str = "",
    harm_types=(),
    lead_practitioner: User | None = None,
) -> Context:
    """Change an open context's details (its kind is fixed). ``expected_version`` is the version
    the editor loaded: if someone has saved since, nothing is saved. When a detail the name is
    made from changes, the convention names the context again (refused if another context has
    the name). Text containing a young person's full name (the name's parts too) is refused.
    Changing the lead practitioner, and so the team holding the context, is for those who may
    close it: the lead practitioner or a manager of its team. Nothing changes, and nobody is
    told, when the details are the same."""
    _require_worker(actor)
    configuration = _lock_configuration()
    context = locked(context)
    check_version(context, expected_version)
    if context.status != ContextStatus.OPEN:
        raise ApplicationError(CLOSED_CANNOT_CHANGE, code="locked")
    postcode = _clean_postcode(postcode)
    _check_opened_on(opened_on)
    label = (label or "").strip()
    area = (area or "").strip()
    incident = (incident or "").strip()
    description = (description or "").strip()
    naming = {
        "label": label,
        "area": area,
        "postcode": postcode,
        "location_type": location_type,
        "opened_on": opened_on,
    }
    name = context.name
    # Named again only when a detail a name is made from changes: a context keeps the name
    # people know it by, even after the convention for its kind has changed.
    if any(getattr(context, f) != value for f, value in naming.items()):
        name = context_name_for(kind=context.kind, configuration=configuration, **naming)
    # The text, and a new name as a whole against the first part it is made from, as in
    # context_name_check.
    renamed = [("label" if label else "area", name)] if name != context.name else []
    refuse_identities(
        actor=actor,
        context=context,
        label=label,
        area=area,
        incident=incident,
        description=description,
        also=renamed,
    )
    if name.lower() != context.name.lower():
        refuse_exact_name(context_name_matches(name=name, kind=context.kind, exclude_pk=context.pk))
    lead = lead_practitioner or context.lead_practitioner
    lead_changed = lead.pk != context.lead_practitioner_id
    if lead_changed:
        # On the locked row: the lead and team as they are now, not as the editor loaded them.
        if not permissions.can_close_or_reopen(actor, context):
            raise ApplicationError(lead_refused_message(context), field="lead_practitioner")
        _check_lead(lead)
    current_types = set(context.harm_types.values_list("pk", flat=True))
    harm_types = _check_harm_types(harm_types, current_types)
    new: dict[str, Any] = {
        "name": name,
        **naming,
        "incident": incident,
        "description": description,
        "lead_practitioner": lead,
    }
    changed = [f for f, value in new.items() if getattr(context, f) != value]
    types_changed = {h.pk for h in harm_types} != current_types
    if types_changed:
        changed.append("harm_types")
    if not changed:
        return context
    for field_name, value in new.items():
        setattr(context, field_name, value)
    context.normalised_name = normalise(name)
    context.postcode_district = postcode_district(postcode)
    if lead_changed:
        context.team = lead.team
    versioned_save(context, actor)
    if types_changed:
        context.harm_types.set(harm_types)
    event_record(
        actor=actor,
        kind=EventKind.CONTEXT_UPDATED,
        target=context,
        detail={"changed": [_DETAIL_LABELS[f] for f in changed]},
    )
    notify_linked_practitioners(context=context, change=DETAILS_CHANGE, actor=actor)
    return context


def _end_links(*, actor: User, context: Context, closed_on: date, reason: str) -> int:
    """End every active link of the (locked) context, with the closure as the reason. Each
    ending is an event on that young person's chronology, as when a link is ended by hand."""
    now = timezone.now()
    end_reason = f"The context closed on {long_date(closed_on)}: {reason}"
    ended = 0
    links = (
        ContextLink.objects.select_for_update(of=("self",))
        .filter(context=context, ended_at__isnull=True)
        .select_related("young_person")
    )
    for link in links:
        link.ended_at = now
        link.ended_by = actor
        link.end_reason = end_reason
        link._history_user = actor
        link.save(update_fields=["ended_at", "ended_by", "end_reason"])
        event_record(
            actor=actor,
            kind=EventKind.CONTEXT_LINK_ENDED,
            target=link,
            young_person=link.young_person,
            detail={"context": context.pk, "closure": True},
        )
        ended += 1
    return ended


@thematic_write
def context_close(
    *,
    actor: User,
    context: Context,
    on: date,
    reason: str,
    functioning_change: str,
    guardianship_change: str,
    environment_change: str,
    links_rule: str,
    expected_version: int | None = None,
) -> ContextStatusChange:
    """Close an open context. Needs a record, under the triangle headings for its kind, of how
    functioning, guardianship and the environment changed, a reason, and an explicit rule for
    the links of young people: end each with the closure as its reason, or keep them for if
    the context reopens. For the lead practitioner or a manager of the context's team."""
    if not permissions.can_close_or_reopen(actor, context):
        raise ForbiddenError(close_refused_message(context, "close"))
    context = locked(context)
    # Again on the locked row: the lead or team may have changed since the caller read it.
    if not permissions.can_close_or_reopen(actor, context):
        raise ForbiddenError(close_refused_message(context, "close"))
    check_version(context, expected_version)
    if context.status != ContextStatus.OPEN:
        raise ApplicationError(ALREADY_CLOSED, code="locked")
    if on is None:
        raise ApplicationError("Enter the date the context closed", field="on")
    check_not_future(on, "on", "The date closed")
    if on < context.opened_on:
        raise ApplicationError(closed_before_opened_message(context), field="on")
    texts = {
        "functioning_change": (functioning_change or "").strip(),
        "guardianship_change": (guardianship_change or "").strip(),
        "environment_change": (environment_change or "").strip(),
    }
    for field_name, text in texts.items():
        if not text:
            side = field_name.removesuffix("_change")
            raise ApplicationError(closure_change_message(context.kind, side), field=field_name)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(CLOSE_REASON, field="reason")
    if links_rule not in LinkEndRule.values:
        raise ApplicationError(CHOOSE_LINKS_RULE, field="links_rule")
    refuse_identities(actor=actor, context=context, **texts, reason=reason)
    change = ContextStatusChange(
        context=context,
        action=ContextStatusChange.Action.CLOSED,
        on=on,
        reason=reason,
        links_rule=links_rule,
        by=actor,
        **texts,
    )
    change._history_user = actor
    change.full_clean()
    change.save()
    # Read before the links end, so the practitioners of linked young people hear of the closure.
    recipients = linked_practitioner_ids(context=context)
    ended = 0
    if links_rule == LinkEndRule.END:
        ended = _end_links(actor=actor, context=context, closed_on=on, reason=reason)
    context.status = ContextStatus.CLOSED
    versioned_save(context, actor, only=("status",))
    event_record(
        actor=actor,
        kind=EventKind.CONTEXT_CLOSED,
        target=context,
        detail={"status_change": change.pk, "links_rule": links_rule, "links_ended": ended},
    )
    notify_linked_practitioners(
        context=context, change=CLOSED_CHANGE, actor=actor, recipient_ids=recipients
    )
    return change


@thematic_write
def context_reopen(
    *,
    actor: User,
    context: Context,
    on: date,
    reason: str,
    expected_version: int | None = None,
) -> ContextStatusChange:
    """Reopen a closed context, with a reason. Everything recorded stays, and links kept at
    closure are active again with it; links ended at closure stay ended. Refused while another
    open context has its name. For the lead practitioner or a manager of the context's team."""
    if not permissions.can_close_or_reopen(actor, context):
        raise ForbiddenError(close_refused_message(context, "reopen"))
    _lock_configuration()  # names: see context_open
    context = locked(context)
    # Again on the locked row: the lead or team may have changed since the caller read it.
    if not permissions.can_close_or_reopen(actor, context):
        raise ForbiddenError(close_refused_message(context, "reopen"))
    check_version(context, expected_version)
    if context.status != ContextStatus.CLOSED:
        raise ApplicationError(ALREADY_OPEN, code="locked")
    if on is None:
        raise ApplicationError("Enter the date the context reopened", field="on")
    check_not_future(on, "on", "The date reopened")
    closed_on = _last_closed_on(context)
    if closed_on is not None and on < closed_on:
        raise ApplicationError(reopened_before_closed_message(closed_on), field="on")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(REOPEN_REASON, field="reason")
    clash = context_name_matches(name=context.name, kind=context.kind, exclude_pk=context.pk)
    if clash.open_match is not None:
        raise ContextNameTaken(clash.open_match)
    refuse_identities(actor=actor, context=context, reason=reason)
    change = ContextStatusChange(
        context=context,
        action=ContextStatusChange.Action.REOPENED,
        on=on,
        reason=reason,
        by=actor,
    )
    change._history_user = actor
    change.full_clean()
    change.save()
    context.status = ContextStatus.OPEN
    versioned_save(context, actor, only=("status",))
    event_record(
        actor=actor,
        kind=EventKind.CONTEXT_REOPENED,
        target=context,
        detail={"status_change": change.pk},
    )
    notify_linked_practitioners(context=context, change=REOPENED_CHANGE, actor=actor)
    return change
