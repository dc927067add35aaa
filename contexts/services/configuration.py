"""Administrators' configuration of context records: the word shown for a peer group, and the
naming convention for each kind of context.

A convention names contexts when they are opened; changing it does not rename contexts already
open, whose names people know them by.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from csafe.accounts.models import User
from csafe.audit.models import EventKind
from csafe.audit.services import event_record
from csafe.core.errors import ApplicationError, ForbiddenError
from csafe.core.vocabulary import ContextKind

from .. import permissions
from ..models import ContextConfiguration, NamingConvention
from ..naming import NameParts, render_name, template_fields
from ..reference import PeerGroupTerm
from ..selectors.core import kind_label

NOT_AN_ADMINISTRATOR = "Only administrators can change how context records are named"
CHOOSE_A_WORD = "Choose the word to show for a peer group"
ENTER_A_TEMPLATE = "Enter a naming convention"
TEMPLATE_MAX_LENGTH = 200
TOO_LONG = f"The naming convention must be {TEMPLATE_MAX_LENGTH} characters or fewer"

# The invented context a convention is previewed on. One sample per kind, every field filled, so
# that the preview shows whatever fields the template uses.
SAMPLE_OPENED = date(2025, 3, 14)
_SAMPLE_LABELS = {
    ContextKind.PEER_GROUP: "Eastfield skate park group",
    ContextKind.SCHOOL: "Northgate Academy",
    ContextKind.LOCATION: "Millbrook Recreation Ground",
    ContextKind.ONLINE: "Northgate year 9 chat",
    ContextKind.OTHER: "Eastfield youth club",
}
SAMPLE_AREA = "Eastfield"
SAMPLE_POSTCODE = "NB1 2AA"
SAMPLE_DISTRICT = "NB1"
SAMPLE_LOCATION_TYPE = "Park or open space"


def sample_parts(*, kind: str, term: str) -> NameParts:
    """The sample context of ``kind``, with ``term`` as the word for a peer group."""
    return NameParts(
        term=term,
        label=_SAMPLE_LABELS.get(kind, _SAMPLE_LABELS[ContextKind.OTHER]),
        area=SAMPLE_AREA,
        postcode=SAMPLE_POSTCODE,
        district=SAMPLE_DISTRICT,
        location_type=SAMPLE_LOCATION_TYPE,
        opened=SAMPLE_OPENED,
        kind=kind_label(kind, term),
    )


def convention_preview(*, kind: str, template: str, term: str) -> str:
    """The name ``template`` would give the sample context of ``kind``; ApplicationError (on
    ``template``) for a template that cannot name contexts."""
    template = (template or "").strip()
    if not template:
        raise ApplicationError(ENTER_A_TEMPLATE, field="template")
    template_fields(template)
    try:
        return render_name(template, sample_parts(kind=kind, term=term))
    except ApplicationError as error:
        raise ApplicationError(error.message, field="template") from error


def _require_administrator(actor: User) -> None:
    if not permissions.can_configure_contexts(actor):
        raise ForbiddenError(NOT_AN_ADMINISTRATOR)


def _locked_configuration() -> ContextConfiguration:
    configuration = ContextConfiguration.objects.select_for_update().order_by("pk").first()
    if configuration is None:  # the data migration makes it; only an emptied table lacks it
        configuration = ContextConfiguration.objects.create()
    return configuration


@transaction.atomic
def configuration_update(*, actor: User, peer_group_term: str) -> ContextConfiguration:
    """Set the word shown for a peer group. Nothing is written when it is unchanged."""
    _require_administrator(actor)
    if peer_group_term not in PeerGroupTerm.values:
        raise ApplicationError(CHOOSE_A_WORD, field="peer_group_term")
    configuration = _locked_configuration()
    before = configuration.peer_group_term
    if before == peer_group_term:
        return configuration
    configuration.peer_group_term = peer_group_term
    configuration.updated_by = actor
    configuration._history_user = actor
    configuration.full_clean()
    configuration.save()
    event_record(
        actor=actor,
        kind=EventKind.CONTEXT_CONFIGURATION_CHANGED,
        target=configuration,
        detail={"peer_group_term": {"before": before, "after": peer_group_term}},
    )
    return configuration


@transaction.atomic
def convention_update(*, actor: User, kind: str, template: str) -> NamingConvention:
    """Set the naming convention for ``kind``. The template must use only known fields and must
    name the sample context; contexts already opened keep their names. Nothing is written when
    the template is unchanged."""
    _require_administrator(actor)
    if kind not in ContextKind.values:
        raise ApplicationError("Choose a kind of context", field="kind")
    template = " ".join((template or "").split())
    if len(template) > TEMPLATE_MAX_LENGTH:
        raise ApplicationError(TOO_LONG, field="template")
    configuration = _locked_configuration()
    convention_preview(
        kind=kind, template=template, term=PeerGroupTerm(configuration.peer_group_term).label
    )
    convention = NamingConvention.objects.select_for_update().filter(kind=kind).first()
    before = convention.template if convention else ""
    if convention is not None and before == template:
        return convention
    convention = convention or NamingConvention(kind=kind)
    convention.template = template
    convention.updated_by = actor
    convention._history_user = actor
    convention.full_clean()
    convention.save()
    event_record(
        actor=actor,
        kind=EventKind.NAMING_CONVENTION_CHANGED,
        target=convention,
        detail={"kind": kind, "before": before, "after": template},
    )
    return convention
