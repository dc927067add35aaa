"""Subject access export: everything csafe holds about one young person, as a zip archive with a
readable index, for a team manager of the team holding the case.

The archive is an ExportSource (csafe/exports/registry.py), so the export machinery decides
who may download the file and for how long, runs it as a background job with progress, and
writes the access log on each download (channel export). This module adds what is particular to
it: who may ask (``VIEW_ACCESS_LOG`` on the record, else 404), what goes in, and an audit event
when it is asked for and each time it is downloaded.

What goes in is read section by section, each in a fixed number of queries whatever the number
of rows, and only ever by this young person's id: a context appears by its name and kind, as the
child's own record shows it, never with its other links, the professionals working with it or
anything about another child. Possible duplicate records are not this child's data either.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.db import transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone

from cases import files, permissions
from cases.models import (
    AssessmentFactor,
    ContextualFactor,
    Document,
    PlanAction,
    PlanFactorGap,
    PlanReview,
    YoungPerson,
)
from cases.selectors import allocation_history_for_young_person, referrals_for_young_person
from cases.selectors.assessments import assessments_for_young_person
from cases.selectors.oversight import oversight_notes_for_young_person
from cases.selectors.plans import plans_for_young_person
from cases.selectors.records import (
    case_notes_for_young_person,
    documents_for_young_person,
    relocations_for_young_person,
)
from contexts.linking.selectors import links_for_young_person
from csafe.audit.models import Event, EventKind
from csafe.audit.selectors import access_log_for_young_person
from csafe.audit.services import event_record
from csafe.exports.models import ExportJob
from csafe.exports.registry import ExportSource, Progress
from csafe.exports.services import export_start
from harms.models import HarmFlag

SOURCE_KEY = "subject_access"
TITLE = "Subject access export"
NOT_FOUND = "No young person found"
INDEX_TEMPLATE = "cases/subject_access/index.html"
DOCUMENTS_FOLDER = "documents"
SECTIONS_FOLDER = "sections"
# The files every archive holds besides one CSV per section and the documents.
FIXED_FILES = ("index.html", "record.json")


# --- Who may ask ------------------------------------------------------------------------------


def _young_person_pk(params: dict) -> int:
    value = params.get("young_person")
    if isinstance(value, bool) or not isinstance(value, int):
        raise Http404(NOT_FOUND)
    return value


def young_person_for_export(*, user, pk: int) -> YoungPerson:
    """The young person ``pk`` with their team if ``user`` holds VIEW_ACCESS_LOG on the record
    (the team managers of the team holding the case); Http404 otherwise. Not written to the
    access log: handing over the file is (csafe.exports.services.export_download)."""
    young_person = (
        permissions.young_people_visible_to(user, permissions.VIEW_ACCESS_LOG)
        .filter(pk=pk)
        .select_related("team")
        .first()
    )
    if young_person is None:
        raise Http404(NOT_FOUND)
    return young_person


def _validate(user, params: dict) -> None:
    young_person_for_export(user=user, pk=_young_person_pk(params))


# --- What goes in -----------------------------------------------------------------------------


@dataclass
class Section:
    """One part of the record: a CSV file in the archive, a table in the index and a list in
    record.json. ``columns`` are (key, heading) pairs; each row is a dict by key. ``links``
    names the columns whose value is the path of a file inside the archive."""

    key: str
    title: str
    description: str
    columns: tuple[tuple[str, str], ...]
    rows: list[dict[str, Any]]
    links: frozenset[str] = field(default_factory=frozenset)

    @property
    def csv_path(self) -> str:
        return f"{SECTIONS_FOLDER}/{self.key}.csv"

    @property
    def table(self) -> list[list[dict[str, Any]]]:
        """The rows as cells in column order, for the index's tables."""
        return [
            [
                {"value": row.get(key, ""), "href": row.get(key) if key in self.links else ""}
                for key, _heading in self.columns
            ]
            for row in self.rows
        ]


def _text(value: Any) -> Any:
    """A value as the archive shows it: dates as YYYY-MM-DD, times in local time to the second,
    yes or no, people and teams by name, nothing as an empty string."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return value
    return str(value)


def _row(**values: Any) -> dict[str, Any]:
    return {key: _text(value) for key, value in values.items()}


def _name(obj) -> str:
    return str(obj) if obj is not None else ""


def _context(context) -> str:
    # A context by its name and kind only, as the child's own record names it.
    if context is None:
        return ""
    return f"{context.name} ({context.get_kind_display()})"


# The details columns shared by the record now and each saved version of it.
_DETAIL_COLUMNS = (
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("preferred_name", "Preferred name"),
    ("date_of_birth", "Date of birth"),
    ("sex", "Sex"),
    ("gender_identity", "Gender identity"),
    ("ethnicity", "Ethnicity"),
    ("address_line_1", "Address line 1"),
    ("address_line_2", "Address line 2"),
    ("town", "Town"),
    ("postcode", "Postcode"),
    ("status", "Open or closed"),
    ("team", "Team holding the case"),
)


def _details_of(record) -> dict:
    """_DETAIL_COLUMNS' values from a young person or one of its historical versions."""
    plain = {key: getattr(record, key) for key, _label in _DETAIL_COLUMNS}
    return {
        **plain,
        "sex": record.get_sex_display(),
        "ethnicity": record.get_ethnicity_display(),
        "status": record.get_status_display(),
        "team": _name(record.team),
    }


def _details(young_person: YoungPerson) -> Section:
    return Section(
        key="personal_details",
        title="Personal details",
        description="The details held on the record now.",
        columns=(
            ("local_identifier", "Local identifier"),
            *_DETAIL_COLUMNS,
            ("closed_on", "Closed on"),
            ("created_at", "Record created"),
            ("updated_at", "Last changed"),
        ),
        rows=[
            _row(
                local_identifier=young_person.local_identifier,
                **_details_of(young_person),
                closed_on=young_person.closed_on,
                created_at=young_person.created_at,
                updated_at=young_person.updated_at,
            )
        ],
    )


def _details_history(young_person: YoungPerson) -> Section:
    history = (
        YoungPerson.history.filter(id=young_person.pk)
        .select_related("history_user", "team")
        .order_by("-history_date", "-history_id")
    )
    return Section(
        key="personal_details_history",
        title="Changes to personal details",
        description="Each saved version of the details, newest first, with who saved it.",
        columns=(
            ("changed_at", "When"),
            ("change", "Change"),
            ("changed_by", "By"),
            *_DETAIL_COLUMNS,
        ),
        rows=[
            _row(
                changed_at=version.history_date,
                change=version.get_history_type_display(),
                changed_by=_name(version.history_user),
                **_details_of(version),
            )
            for version in history
        ],
    )


def _allocations(young_person: YoungPerson) -> Section:
    return Section(
        key="allocations",
        title="Allocations",
        description="Every worker and team who has held the case, newest first.",
        columns=(
            ("kind", "Kind"),
            ("holder", "Worker or team"),
            ("started_at", "From"),
            ("started_by", "Allocated by"),
            ("ended_at", "To"),
            ("ended_by", "Ended by"),
            ("end_reason", "Why it ended"),
        ),
        rows=[
            _row(
                kind=allocation.get_kind_display(),
                holder=_name(allocation.worker or allocation.team),
                started_at=allocation.started_at,
                started_by=_name(allocation.started_by),
                ended_at=allocation.ended_at,
                ended_by=_name(allocation.ended_by),
                end_reason=allocation.end_reason,
            )
            for allocation in allocation_history_for_young_person(young_person=young_person)
        ],
    )


def _flags(young_person: YoungPerson) -> Section:
    # Not harms.selectors.flags_for_young_person: the record page never names who reinstated a
    # flag, so that selector does not fetch them, and here it would cost a query per flag.
    flags = (
        HarmFlag.objects.filter(young_person=young_person)
        .select_related("harm_type", "raised_by", "archived_by", "reinstated_by")
        .order_by("status", "harm_type__name", "-identified_on", "-pk")
    )
    return Section(
        key="harm_flags",
        title="Harm flags",
        description="Current flags, then archived flags (which no longer label the young "
        "person), each by harm type.",
        columns=(
            ("id", "Flag"),
            ("harm_type", "Harm type"),
            ("nature", "Nature"),
            ("status", "Status"),
            ("identified_at", "Where identified"),
            ("identified_on", "Date identified"),
            ("raised_by", "Raised by"),
            ("review_date", "Review date"),
            ("note", "Note"),
            ("referral", "Raised on referral"),
            ("archived_at", "Archived"),
            ("archived_by", "Archived by"),
            ("archive_reason", "Archive reason"),
            ("archive_rationale", "Archive rationale"),
            ("reinstated_at", "Reinstated"),
            ("reinstated_by", "Reinstated by"),
            ("reinstate_reason", "Why reinstated"),
        ),
        rows=[
            _row(
                id=flag.pk,
                harm_type=_name(flag.harm_type),
                nature=flag.get_nature_display(),
                status=flag.get_status_display(),
                identified_at=flag.get_identified_at_display(),
                identified_on=flag.identified_on,
                raised_by=_name(flag.raised_by),
                review_date=flag.review_date,
                note=flag.note,
                referral=flag.referral_id,
                archived_at=flag.archived_at,
                archived_by=_name(flag.archived_by),
                archive_reason=flag.get_archive_reason_display(),
                archive_rationale=flag.archive_rationale,
                reinstated_at=flag.reinstated_at,
                reinstated_by=_name(flag.reinstated_by),
                reinstate_reason=flag.reinstate_reason,
            )
            for flag in flags
        ],
    )


def _flag_history(young_person: YoungPerson) -> Section:
    history = (
        HarmFlag.history.filter(young_person_id=young_person.pk)
        .select_related("history_user", "harm_type")
        .order_by("-history_date", "-history_id")
    )
    return Section(
        key="harm_flag_history",
        title="Harm flag history",
        description="Each saved version of each flag, newest first: raised, reviewed, archived, "
        "reinstated.",
        columns=(
            ("changed_at", "When"),
            ("change", "Change"),
            ("changed_by", "By"),
            ("flag", "Flag"),
            ("harm_type", "Harm type"),
            ("status", "Status"),
            ("review_date", "Review date"),
            ("note", "Note"),
            ("archive_reason", "Archive reason"),
            ("archive_rationale", "Archive rationale"),
            ("reinstate_reason", "Why reinstated"),
        ),
        rows=[
            _row(
                changed_at=version.history_date,
                change=version.get_history_type_display(),
                changed_by=_name(version.history_user),
                flag=version.id,
                harm_type=_name(version.harm_type),
                status=version.get_status_display(),
                review_date=version.review_date,
                note=version.note,
                archive_reason=version.get_archive_reason_display(),
                archive_rationale=version.archive_rationale,
                reinstate_reason=version.reinstate_reason,
            )
            for version in history
        ],
    )


def _referrals(young_person: YoungPerson) -> tuple[Section, Section]:
    referrals = list(referrals_for_young_person(young_person=young_person))
    referral_section = Section(
        key="referrals",
        title="Referrals",
        description="Newest first, with the harm flags each raised.",
        columns=(
            ("id", "Referral"),
            ("received_on", "Date received"),
            ("source", "Source"),
            ("reason", "Reason"),
            ("nature_of_harm", "Nature of harm"),
            ("decision", "Decision"),
            ("flags_raised", "Harm flags raised"),
            ("recorded_by", "Recorded by"),
            ("created_at", "Recorded at"),
        ),
        rows=[
            _row(
                id=referral.pk,
                received_on=referral.received_on,
                source=referral.get_source_display(),
                reason=referral.reason,
                nature_of_harm=referral.get_nature_of_harm_display(),
                decision=referral.get_decision_display(),
                flags_raised="; ".join(_name(flag.harm_type) for flag in referral.harm_flags.all()),
                recorded_by=_name(referral.recorded_by),
                created_at=referral.created_at,
            )
            for referral in referrals
        ],
    )
    location_section = Section(
        key="locations_of_harm",
        title="Locations of harm",
        description="The places where harm happened, as recorded on each referral.",
        columns=(
            ("referral", "Referral"),
            ("location_type", "Type of place"),
            ("place_name", "Place"),
            ("postcode", "Postcode"),
            ("context", "Location context"),
        ),
        rows=[
            _row(
                referral=referral.pk,
                location_type=_name(location.location_type),
                place_name=location.place_name,
                postcode=location.postcode,
                context=_context(location.context),
            )
            for referral in referrals
            for location in referral.locations.all()
        ],
    )
    return referral_section, location_section


def _assessments(young_person: YoungPerson) -> tuple[Section, Section, Section]:
    assessments = Section(
        key="assessments",
        title="Assessments",
        description="Child and family assessments, newest first.",
        columns=(
            ("id", "Assessment"),
            ("referral", "From referral"),
            ("status", "Status"),
            ("started_on", "Started"),
            ("completed_on", "Completed"),
            ("authorised_on", "Authorised"),
            ("authorised_by", "Authorised by"),
            ("authorisation_reason", "Manager's reasoning"),
            ("peers", "Peers and friendships"),
            ("school", "School or education"),
            ("neighbourhood", "Neighbourhood and public spaces"),
            ("online", "Online"),
            ("capacity_undermining", "External factors that undermine parental capacity"),
            ("capacity_boosting", "External factors that boost parental capacity"),
            ("conclusion", "Conclusion"),
            ("outcome_nature", "Nature of harm found"),
            ("decision", "Decision"),
            ("returned_on", "Last returned for more work"),
            ("returned_by", "Returned by"),
            ("return_reason", "What more was needed"),
            ("recorded_by", "Recorded by"),
        ),
        rows=[
            _row(
                id=a.pk,
                referral=a.referral_id,
                status=a.get_status_display(),
                started_on=a.started_on,
                completed_on=a.completed_on,
                authorised_on=a.authorised_on,
                authorised_by=_name(a.authorised_by),
                authorisation_reason=a.authorisation_reason,
                peers=a.peers,
                school=a.school,
                neighbourhood=a.neighbourhood,
                online=a.online,
                capacity_undermining=a.capacity_undermining,
                capacity_boosting=a.capacity_boosting,
                conclusion=a.conclusion,
                outcome_nature=a.get_outcome_nature_display(),
                decision=a.get_decision_display(),
                returned_on=a.returned_on,
                returned_by=_name(a.returned_by),
                return_reason=a.return_reason,
                recorded_by=_name(a.recorded_by),
            )
            for a in assessments_for_young_person(young_person=young_person)
        ],
    )
    cin_factors = Section(
        key="assessment_cin_factors",
        title="CIN census factors at the end of assessments",
        description="Withdrawn codes were removed when an assessment was completed again.",
        columns=(
            ("assessment", "Assessment"),
            ("code", "Code"),
            ("factor", "Factor"),
            ("withdrawn_at", "Withdrawn"),
        ),
        rows=[
            _row(
                assessment=factor.assessment_id,
                code=factor.code,
                factor=factor.get_code_display(),
                withdrawn_at=factor.withdrawn_at,
            )
            for factor in AssessmentFactor.objects.filter(
                assessment__young_person=young_person
            ).order_by("assessment_id", "pk")
        ],
    )
    contextual = Section(
        key="contextual_factors",
        title="Contextual factors",
        description="What each assessment found in the contexts of the young person's life.",
        columns=(
            ("id", "Factor"),
            ("assessment", "Assessment"),
            ("domain", "Context"),
            ("context", "Context record"),
            ("description", "Description"),
            ("recorded_by", "Recorded by"),
            ("created_at", "Recorded at"),
            ("withdrawn_at", "Withdrawn"),
            ("withdrawn_by", "Withdrawn by"),
        ),
        rows=[
            _row(
                id=factor.pk,
                assessment=factor.assessment_id,
                domain=factor.get_domain_display(),
                context=_context(factor.context),
                description=factor.description,
                recorded_by=_name(factor.recorded_by),
                created_at=factor.created_at,
                withdrawn_at=factor.withdrawn_at,
                withdrawn_by=_name(factor.withdrawn_by),
            )
            for factor in ContextualFactor.objects.filter(young_person=young_person)
            .select_related("context", "recorded_by", "withdrawn_by")
            .order_by("assessment_id", "pk")
        ],
    )
    return assessments, cin_factors, contextual


def _plans(young_person: YoungPerson) -> tuple[Section, Section, Section, Section]:
    plans = Section(
        key="plans",
        title="Plans",
        description="Newest first.",
        columns=(
            ("id", "Plan"),
            ("kind", "Kind"),
            ("status", "Status"),
            ("assessment", "Answers assessment"),
            ("start_date", "Start"),
            ("review_date", "Next review"),
            ("summary", "What the plan is for"),
            ("finalised_on", "Finalised"),
            ("finalised_by", "Finalised by"),
            ("ended_on", "Ended"),
            ("end_reason", "Why it ended"),
            ("created_by", "Drafted by"),
        ),
        rows=[
            _row(
                id=plan.pk,
                kind=plan.get_kind_display(),
                status=plan.get_status_display(),
                assessment=plan.assessment_id,
                start_date=plan.start_date,
                review_date=plan.review_date,
                summary=plan.summary,
                finalised_on=plan.finalised_on,
                finalised_by=_name(plan.finalised_by),
                ended_on=plan.ended_on,
                end_reason=plan.end_reason,
                created_by=_name(plan.created_by),
            )
            for plan in plans_for_young_person(young_person=young_person).select_related(
                "finalised_by", "created_by"
            )
        ],
    )
    actions = Section(
        key="plan_actions",
        title="Plan actions",
        description="Every action on every plan; contextual actions name their target context.",
        columns=(
            ("plan", "Plan"),
            ("description", "Action"),
            ("is_contextual", "Contextual"),
            ("target_context_kind", "Target context"),
            ("target_context", "Target context record"),
            ("factor", "Contextual factor answered"),
            ("partner_agency", "Partner agency"),
            ("owner", "Owner"),
            ("due_date", "Due"),
            ("progress", "Progress"),
            ("progress_note", "Progress note"),
            ("completed_on", "Completed"),
            ("created_by", "Added by"),
        ),
        rows=[
            _row(
                plan=action.plan_id,
                description=action.description,
                is_contextual=action.is_contextual,
                target_context_kind=action.get_target_context_kind_display(),
                target_context=_context(action.target_context),
                factor=action.factor_id,
                partner_agency=action.get_partner_agency_display(),
                owner=action.owner,
                due_date=action.due_date,
                progress=action.get_progress_display(),
                progress_note=action.progress_note,
                completed_on=action.completed_on,
                created_by=_name(action.created_by),
            )
            for action in PlanAction.objects.filter(young_person=young_person)
            .select_related("target_context", "created_by")
            .order_by("plan_id", "pk")
        ],
    )
    gaps = Section(
        key="plan_factor_gaps",
        title="Contextual factors plans leave open",
        description="Factors a plan records as not addressed, with the reason; withdrawn when an "
        "action later answered the factor.",
        columns=(
            ("plan", "Plan"),
            ("factor", "Contextual factor"),
            ("factor_description", "Factor"),
            ("reason", "Why not addressed"),
            ("recorded_by", "Recorded by"),
            ("recorded_at", "Recorded at"),
            ("withdrawn_at", "Withdrawn"),
        ),
        rows=[
            _row(
                plan=gap.plan_id,
                factor=gap.factor_id,
                factor_description=gap.factor.description,
                reason=gap.reason,
                recorded_by=_name(gap.recorded_by),
                recorded_at=gap.recorded_at,
                withdrawn_at=gap.withdrawn_at,
            )
            for gap in PlanFactorGap.objects.filter(plan__young_person=young_person)
            .select_related("factor", "recorded_by")
            .order_by("plan_id", "pk")
        ],
    )
    reviews = Section(
        key="plan_reviews",
        title="Plan reviews",
        description="Newest first.",
        columns=(
            ("plan", "Plan"),
            ("reviewed_on", "Reviewed on"),
            ("next_review_date", "Next review"),
            ("summary", "Summary"),
            ("reviewed_by", "Reviewed by"),
        ),
        rows=[
            _row(
                plan=review.plan_id,
                reviewed_on=review.reviewed_on,
                next_review_date=review.next_review_date,
                summary=review.summary,
                reviewed_by=_name(review.reviewed_by),
            )
            for review in PlanReview.objects.filter(plan__young_person=young_person)
            .select_related("reviewed_by")
            .order_by("-reviewed_on", "-pk")
        ],
    )
    return plans, actions, gaps, reviews


def _relocations(young_person: YoungPerson) -> Section:
    return Section(
        key="relocations",
        title="Relocations",
        description="Newest first.",
        columns=(
            ("moved_on", "Date of the move"),
            ("kind", "Kind"),
            ("destination", "Where to"),
            ("reason", "Reason"),
            ("because_of_extra_familial_harm", "Because of extra-familial harm"),
            ("plan", "Plan"),
            ("plan_addresses_factors", "Plan addresses the contextual factors"),
            ("recorded_by", "Recorded by"),
        ),
        rows=[
            _row(
                moved_on=move.moved_on,
                kind=move.get_kind_display(),
                destination=move.destination,
                reason=move.reason,
                because_of_extra_familial_harm=move.because_of_extra_familial_harm,
                plan=move.plan_id,
                plan_addresses_factors=move.get_plan_addresses_factors_display(),
                recorded_by=_name(move.recorded_by),
            )
            for move in relocations_for_young_person(young_person=young_person).select_related(
                "recorded_by"
            )
        ],
    )


def _oversight(young_person: YoungPerson) -> Section:
    return Section(
        key="management_oversight",
        title="Management oversight",
        description="What a team manager decided on reviewing the case, and why, newest first.",
        columns=(
            ("recorded_on", "Date"),
            ("decision", "Decision"),
            ("reasons", "Reasons"),
            ("next_review_on", "Next oversight due"),
            ("recorded_by", "Recorded by"),
            ("created_at", "Recorded at"),
        ),
        rows=[
            _row(
                recorded_on=note.recorded_on,
                decision=note.decision,
                reasons=note.reasons,
                next_review_on=note.next_review_on,
                recorded_by=_name(note.recorded_by),
                created_at=note.created_at,
            )
            for note in oversight_notes_for_young_person(young_person=young_person)
        ],
    )


def _notes(young_person: YoungPerson) -> Section:
    return Section(
        key="case_notes",
        title="Case notes",
        description="Newest first, by the date of the contact or event.",
        columns=(
            ("noted_on", "Date"),
            ("subject", "Subject"),
            ("body", "Note"),
            ("author", "Written by"),
            ("created_at", "Written at"),
        ),
        rows=[
            _row(
                noted_on=note.noted_on,
                subject=note.subject,
                body=note.body,
                author=_name(note.author),
                created_at=note.created_at,
            )
            for note in case_notes_for_young_person(young_person=young_person)
        ],
    )


def archive_name_for(document) -> str:
    """Where a document goes in the archive: under documents/, prefixed with its id (so two
    files of the same name do not collide), its original name reduced to letters, digits and
    ``._-`` with the extension its content really has. Never a path outside the folder."""
    name = files.download_name(document.original_name, document.content_type)
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._")
    if len(name) > 100:
        stem, dot, extension = name.rpartition(".")
        name = f"{stem[: 99 - len(extension)]}.{extension}" if dot and stem else name[:100]
    return f"{DOCUMENTS_FOLDER}/{document.pk}-{name or 'document'}"


def _documents(young_person: YoungPerson) -> tuple[Section, list]:
    documents = list(documents_for_young_person(young_person=young_person))
    return (
        Section(
            key="documents",
            title="Documents",
            description="Newest first. Each file is in the documents folder of this archive.",
            columns=(
                ("title", "Title"),
                ("kind", "Kind"),
                ("assessment", "Assessment"),
                ("shaped_conclusion", "How it shaped the assessment's conclusion"),
                ("original_name", "File name when uploaded"),
                ("content_type", "Type"),
                ("size", "Size (bytes)"),
                ("sha256", "SHA-256"),
                ("uploaded_by", "Uploaded by"),
                ("uploaded_at", "Uploaded at"),
                ("file", "File in this archive"),
            ),
            rows=[
                _row(
                    title=document.title,
                    kind=document.get_kind_display(),
                    assessment=document.assessment_id,
                    shaped_conclusion=document.shaped_conclusion,
                    original_name=document.original_name,
                    content_type=files.type_label(document.content_type),
                    size=document.size,
                    sha256=document.sha256,
                    uploaded_by=_name(document.uploaded_by),
                    uploaded_at=document.uploaded_at,
                    file=archive_name_for(document),
                )
                for document in documents
            ],
            links=frozenset({"file"}),
        ),
        documents,
    )


def _context_links(young_person: YoungPerson) -> Section:
    return Section(
        key="context_links",
        title="Links to contexts",
        description="The groups, places and settings this young person has been linked to. "
        "Contexts are thematic records: who else is linked to them is not part of this "
        "young person's record and is not included.",
        columns=(
            ("context", "Context"),
            ("kind", "Kind"),
            ("context_status", "Context open or closed"),
            ("linked_at", "Linked"),
            ("linked_by", "Linked by"),
            ("reason", "Why linked"),
            ("ended_at", "Link ended"),
            ("ended_by", "Ended by"),
            ("end_reason", "Why it ended"),
        ),
        rows=[
            _row(
                context=link.context.name,
                kind=link.context.get_kind_display(),
                context_status=link.context.get_status_display(),
                linked_at=link.linked_at,
                linked_by=_name(link.linked_by),
                reason=link.reason,
                ended_at=link.ended_at,
                ended_by=_name(link.ended_by),
                end_reason=link.end_reason,
            )
            for link in links_for_young_person(young_person=young_person).order_by(
                "-linked_at", "-pk"
            )
        ],
    )


def _access_log(young_person: YoungPerson) -> Section:
    return Section(
        key="access_log",
        title="Access log",
        description="Every time someone looked at this record, in any channel, newest first.",
        columns=(
            ("accessed_at", "When"),
            ("user", "Who"),
            ("team", "Team"),
            ("channel", "How"),
            ("resource", "What"),
        ),
        rows=[
            _row(
                accessed_at=entry.accessed_at,
                user=_name(entry.user),
                team=_name(entry.user.team),
                channel=entry.get_channel_display(),
                resource=entry.resource,
            )
            for entry in access_log_for_young_person(young_person=young_person)
        ],
    )


def _events(young_person: YoungPerson) -> Section:
    events = (
        Event.objects.filter(young_person=young_person)
        .select_related("actor", "target_type")
        .order_by("-occurred_at", "-pk")
    )
    return Section(
        key="audit_events",
        title="Recorded events",
        description="Each change to this record as the audit trail holds it, newest first.",
        columns=(
            ("occurred_at", "When"),
            ("event", "What happened"),
            ("actor", "By"),
            ("target", "On"),
            ("detail", "Detail"),
        ),
        rows=[
            _row(
                occurred_at=event.occurred_at,
                event=event.kind_label,
                actor=_name(event.actor),
                target=f"{event.target_type.name} {event.target_id}",
                detail=json.dumps(event.detail, sort_keys=True, ensure_ascii=False),
            )
            for event in events
        ],
    )


def record_sections(*, young_person: YoungPerson) -> tuple[list[Section], list]:
    """Every section of the record, in the order the index shows them, and the documents whose
    files go in the archive. The caller has checked access (``young_person_for_export``).
    A fixed number of queries whatever the number of rows: one or two per section (referrals:
    four, with their locations and the flags they raised)."""
    documents_section, documents = _documents(young_person)
    sections = [
        _details(young_person),
        _details_history(young_person),
        _allocations(young_person),
        _flags(young_person),
        _flag_history(young_person),
        *_referrals(young_person),
        *_assessments(young_person),
        *_plans(young_person),
        _relocations(young_person),
        _notes(young_person),
        _oversight(young_person),
        documents_section,
        _context_links(young_person),
        _access_log(young_person),
        _events(young_person),
    ]
    return sections, documents


# --- Writing the archive ----------------------------------------------------------------------

# A spreadsheet runs a cell starting with one of these as a formula; every cell here was typed
# by someone.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return f"'{value}"
    return value


def _section_csv(section: Section) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([heading for _key, heading in section.columns])
    for row in section.rows:
        writer.writerow([_csv_cell(row.get(key, "")) for key, _heading in section.columns])
    # With a byte order mark, so that a spreadsheet opens accented names as they were typed.
    return buffer.getvalue().encode("utf-8-sig")


def _entry(name: str, produced_at: datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=timezone.localtime(produced_at).timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    return info


def _record_json(young_person, sections: list[Section], produced: dict) -> bytes:
    record = {
        "young_person_id": young_person.pk,
        "produced_at": produced["at_text"],
        "produced_by": produced["by"],
        "sections": {
            section.key: {
                "title": section.title,
                "description": section.description,
                "columns": dict(section.columns),
                "rows": section.rows,
            }
            for section in sections
        },
    }
    return json.dumps(record, ensure_ascii=False, indent=2).encode("utf-8")


def write_archive(
    *, user, young_person: YoungPerson, out: IO[bytes], progress: Progress
) -> list[int]:
    """Write the archive of ``young_person`` to ``out``: index.html, record.json, one CSV per
    section under sections/, and each document's file under documents/. ``progress`` is told
    the number of files written so far. Returns [young_person.pk], for the access log."""
    sections, documents = record_sections(young_person=young_person)
    produced_at = timezone.now()
    produced = {"at": produced_at, "at_text": _text(produced_at), "by": _name(user)}
    missing: set[int] = set()
    written = 0
    with zipfile.ZipFile(out, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:
        for document in documents:
            try:
                handle = files.open_stored(document.stored_name)
            except Http404:
                # Listed in the index as missing rather than failing the whole export.
                missing.add(document.pk)
                continue
            with handle, archive.open(_entry(archive_name_for(document), produced_at), "w") as to:
                shutil.copyfileobj(handle, to, length=64 * 1024)
            written += 1
            progress(written)
        if missing:
            documents_section = next(s for s in sections if s.key == "documents")
            for document, row in zip(documents, documents_section.rows, strict=True):
                if document.pk in missing:
                    row["file"] = ""
        for section in sections:
            archive.writestr(_entry(section.csv_path, produced_at), _section_csv(section))
            written += 1
            progress(written)
        archive.writestr(
            _entry("record.json", produced_at), _record_json(young_person, sections, produced)
        )
        index = render_to_string(
            INDEX_TEMPLATE,
            {
                "young_person": young_person,
                "produced": produced,
                "sections": sections,
                "missing_documents": len(missing),
                "document_count": len(documents) - len(missing),
            },
        )
        archive.writestr(_entry("index.html", produced_at), index.encode("utf-8"))
        written += 2
        progress(written)
    return [young_person.pk]


# --- The export source ------------------------------------------------------------------------


def _count(user, params: dict) -> int:
    # The files the archive will hold, for the progress bar.
    documents = Document.objects.filter(young_person_id=_young_person_pk(params)).count()
    return len(FIXED_FILES) + len(SECTION_TITLES) + documents


def _write(user, params: dict, out: IO[bytes], progress: Progress) -> list[int]:
    young_person = young_person_for_export(user=user, pk=_young_person_pk(params))
    return write_archive(user=user, young_person=young_person, out=out, progress=progress)


def _on_download(user, params: dict, resource: str) -> None:
    # Access is asked again: a manager who has since left the team gets 404, not the file.
    young_person = young_person_for_export(user=user, pk=_young_person_pk(params))
    event_record(
        actor=user,
        kind=EventKind.SUBJECT_ACCESS_DOWNLOADED,
        target=young_person,
        young_person=young_person,
        detail={"export": resource},
    )


def _may_hold(user, young_person_ids: set[int]) -> bool:
    # Before a finished archive is handed over, as for every file that names young people: the
    # young person is still one the user may see (on_download then asks for VIEW_ACCESS_LOG).
    visible = permissions.young_people_visible_to(user).filter(pk__in=young_person_ids).count()
    return visible == len(young_person_ids)


def _filename(params: dict) -> str:
    return f"subject-access-export-{params.get('young_person', '')}"


# Registered by CasesConfig.ready.
SUBJECT_ACCESS_EXPORT = ExportSource(
    key=SOURCE_KEY,
    title=TITLE,
    content_type="application/zip",
    extension="zip",
    holds_personal_data=True,
    validate=_validate,
    count=_count,
    write=_write,
    filename=_filename,
    binary=True,
    on_download=_on_download,
    may_hold=_may_hold,
)


# --- Asking for it ----------------------------------------------------------------------------


@transaction.atomic
def subject_access_export_request(*, actor, young_person_pk: int) -> ExportJob:
    """Start the subject access export of young person ``young_person_pk`` for ``actor`` as a
    background job (always: with its documents it is heavy), and record that it was asked for
    in the same transaction. Http404 unless ``actor`` holds VIEW_ACCESS_LOG on the record;
    ApplicationError when ``actor`` already has too many exports running. Asking again while
    the first is still running gives that job back (and records the request again)."""
    young_person = young_person_for_export(user=actor, pk=young_person_pk)
    job = export_start(user=actor, source_key=SOURCE_KEY, params={"young_person": young_person.pk})
    event_record(
        actor=actor,
        kind=EventKind.SUBJECT_ACCESS_REQUESTED,
        target=young_person,
        young_person=young_person,
        detail={"export_job": job.pk},
    )
    return job


# The sections every archive holds, in order, for the page that offers the export (a test checks
# they match ``record_sections``).
SECTION_TITLES = (
    "Personal details",
    "Changes to personal details",
    "Allocations",
    "Harm flags",
    "Harm flag history",
    "Referrals",
    "Locations of harm",
    "Assessments",
    "CIN census factors at the end of assessments",
    "Contextual factors",
    "Plans",
    "Plan actions",
    "Contextual factors plans leave open",
    "Plan reviews",
    "Relocations",
    "Case notes",
    "Management oversight",
    "Documents",
    "Links to contexts",
    "Access log",
    "Recorded events",
)
