"""The CIN census return of "factors identified at the end of assessment" for a period.

For every child and family assessment completed in the period (``completed_on`` within it, the
young person held by a team in the scope) the return gives the census factor codes:

* the assessment's own CIN census factors, those not withdrawn, when it has any (source
  "assessment"); every assessment completed through csafe has at least one, so this is the rule;
* otherwise (records imported from an earlier system) codes mapped from the young person's harm
  flags current on the completion date, through the harm taxonomy (source "mapped from flags"):
  a flag's type gives its own CIN code; a type with no code gives its nearest ancestor's code
  (a local subtype such as "County lines" under "Child criminal exploitation" is exploitation the
  census knows); a type with no code on itself or any ancestor is an *unmapped local type*
  ("Serious youth violence", "Online harm") and is reported by name, never dropped silently.

Every code is checked against harms.reference.CINFactor. A code not in the list (an old taxonomy,
an old import) is reported as invalid and not written. "21" (no factors identified) is written
only when the assessment itself says so: mapped from flags it is invalid, since an absence of
flags is not an assessment's finding. An assessment that found no harm (outcome "No harm found")
is never mapped from flags, which would invent factors it did not find: it is written with its
own codes (21, "No factors identified", when it carries it) or with none. Factor 21 recorded
beside other factors is written as recorded and reported. An assessment left with no codes is
written with no ``<AssessmentFactors>`` and reported, so the person making the return can
correct the record.

Reads only: the selectors take a ReportScope already narrowed to what the reader may see
(reporting.scope). The rows identify children (LAchildID, date of birth, sex) and never name
them; the summary is counts only. reporting/exports/census.py offers the files as exports.
"""

from __future__ import annotations

import csv
import itertools
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import IO

from django.conf import settings
from django.db.models import F, QuerySet
from django.utils import timezone

from cases.models import Assessment, AssessmentFactor
from cases.reference import NatureOfHarm
from csafe.exports.registry import Progress
from harms.models import HarmFlag, HarmType
from harms.reference import CINFactor

from ..scope import (
    ReportScope,
    flag_counts,
    young_person_scope,
)
from ..spreadsheet import safe_text

# A census return is for one collection year; two allows a year's comparison, and keeps a
# request from walking every assessment ever recorded.
CENSUS_MAX_YEARS = 2
CENSUS_TOO_LONG = f"The period can be at most {CENSUS_MAX_YEARS} years long"

SOURCE_ASSESSMENT = "assessment"
SOURCE_FLAGS = "mapped from flags"
SOURCE_LABELS = {
    SOURCE_ASSESSMENT: "Recorded on the assessment",
    SOURCE_FLAGS: "Mapped from harm flags",
}

# Assessments read per query; the factors and flags of each batch come in one query each.
CHUNK_SIZE = 2000
# How often (in assessments written) an export reports its progress.
PROGRESS_EVERY = 500

_CENSUS_ORDER = {code: index for index, code in enumerate(CINFactor.values)}
_LABELS = dict(CINFactor.choices)


def factor_label(code: str) -> str:
    return _LABELS.get(code, "Not a CIN census code")


# ---------------------------------------------------------------------------------------------
# The taxonomy: from a harm type to a census code


class Taxonomy:
    """The harm taxonomy held in memory (one query over a table of tens of rows), resolving a
    type to the code it maps to through the rule in the module docstring."""

    def __init__(self, types: Iterable[tuple[int, str, int | None, str]]):
        self._types = {pk: (name, parent_id, code) for pk, name, parent_id, code in types}

    @classmethod
    def load(cls) -> Taxonomy:
        return cls(HarmType.objects.values_list("pk", "name", "parent_id", "cin_code"))

    def name(self, harm_type_id: int) -> str:
        return self._types[harm_type_id][0]

    def code_for(self, harm_type_id: int) -> str:
        """The type's own code, else its nearest ancestor's, else "" (an unmapped local type).
        A code is returned as stored, valid or not: checking it is the caller's job. The walk
        stops at a loop, which the database forbids only one step deep."""
        seen = set()
        current = harm_type_id
        while current is not None and current not in seen:
            seen.add(current)
            _name, parent_id, code = self._types[current]
            if code:
                return code
            current = parent_id
        return ""


def _census_sorted(codes: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(codes), key=lambda code: _CENSUS_ORDER[code]))


def resolve_codes(
    own_codes: Iterable[str],
    flag_type_ids: Iterable[int],
    taxonomy: Taxonomy,
    *,
    found_no_harm: bool = False,
) -> tuple[tuple[str, ...], str, tuple[str, ...], tuple[str, ...]]:
    """(codes to write, source, unmapped local type names, invalid codes) for one assessment
    from its current CIN factor codes and the harm types of the flags current on its completion
    date. Codes come in census order; names and invalid codes sorted. An assessment that found
    no harm (``found_no_harm``) keeps to its own codes, and to none when it has none."""
    own_codes = list(own_codes)
    valid, invalid, unmapped = [], set(), set()
    if own_codes or found_no_harm:
        source = SOURCE_ASSESSMENT
        for code in own_codes:
            if code in _CENSUS_ORDER:
                valid.append(code)
            else:
                invalid.add(code)
    else:
        source = SOURCE_FLAGS
        for harm_type_id in flag_type_ids:
            code = taxonomy.code_for(harm_type_id)
            if not code:
                unmapped.add(taxonomy.name(harm_type_id))
            elif code in _CENSUS_ORDER and code != CINFactor.NO_FACTORS:
                valid.append(code)
            else:
                invalid.add(code)
    return _census_sorted(valid), source, tuple(sorted(unmapped)), tuple(sorted(invalid))


# ---------------------------------------------------------------------------------------------
# Rows: one per assessment


@dataclass(frozen=True)
class CensusRow:
    """One assessment in the return. Identifies the child by the local identifier (the census
    LAchildID), date of birth and sex, as the census does; never by name."""

    assessment_id: int
    young_person_id: int
    la_child_id: str
    birth_date: date
    sex: str
    referral_id: int | None
    referral_date: date | None
    referral_source: str
    started_on: date
    completed_on: date
    authorised_on: date | None
    codes: tuple[str, ...]
    source: str
    unmapped_types: tuple[str, ...]
    invalid_codes: tuple[str, ...]
    # The assessment's outcome was "No harm found": its factors are its own, or none.
    found_no_harm: bool = False

    @property
    def problems(self) -> tuple[str, ...]:
        """What the person making the return should check, in plain words."""
        problems = []
        if not self.codes:
            if self.found_no_harm and not self.invalid_codes:
                problems.append(
                    "No factors: the assessment found no harm and records no factors. Record "
                    "21 (No factors identified) on it if it identified none"
                )
            elif self.source == SOURCE_ASSESSMENT:
                problems.append("No valid factors: the assessment's own codes are not in the list")
            else:
                problems.append(
                    "No factors: the assessment records none and the harm flags map to none"
                )
        if CINFactor.NO_FACTORS in self.codes and len(self.codes) > 1:
            problems.append(
                "21 (No factors identified) is recorded with other factors: keep one or the other"
            )
        if self.unmapped_types:
            problems.append("Harm types with no CIN census code: " + ", ".join(self.unmapped_types))
        if self.invalid_codes:
            problems.append("Codes not written: " + ", ".join(self.invalid_codes))
        return tuple(problems)


def completed_assessments(scope: ReportScope) -> QuerySet[Assessment]:
    """Assessments completed in the period whose young person is held by a team in the scope
    (and, when the scope names harm types, has had a flag of one)."""
    return Assessment.objects.filter(
        young_person_scope(scope),
        completed_on__gte=scope.start,
        completed_on__lte=scope.end,
    )


def census_count(scope: ReportScope) -> int:
    return completed_assessments(scope).count()


_ROW_FIELDS = (
    "pk",
    "young_person_id",
    "young_person__local_identifier",
    "young_person__date_of_birth",
    "young_person__sex",
    "referral_id",
    "referral__received_on",
    "referral__source",
    "started_on",
    "completed_on",
    "authorised_on",
    "outcome_nature",
)


def _batches(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _flag_current_on(flag: dict, day: date) -> bool:
    """reporting.scope.flag_current_on in Python, for a flag already filtered by flag_counts():
    raised on or before ``day`` and not archived by the end of it."""
    if flag["identified_on"] > day:
        return False
    archived_at = flag["archived_at"]
    return archived_at is None or timezone.localdate(archived_at) > day


def census_rows(scope: ReportScope, *, chunk_size: int = CHUNK_SIZE) -> Iterator[CensusRow]:
    """Every assessment completed in the scope's period, one CensusRow each, ordered by young
    person, then referral, then completion date, so the XML can group a child's assessments as
    it streams. Queries: the taxonomy once, then per ``chunk_size`` assessments one for the
    assessments, one for their current factors and (when some have none) one for the flags of
    those young people: a constant number for any return that fits one chunk."""
    taxonomy = Taxonomy.load()
    assessments = (
        completed_assessments(scope)
        .order_by("young_person_id", F("referral_id").asc(nulls_first=True), "completed_on", "pk")
        .values(*_ROW_FIELDS)
    )
    for batch in _batches(assessments.iterator(chunk_size=chunk_size), chunk_size):
        yield from _rows_for(batch, taxonomy)


def _rows_for(batch: list[dict], taxonomy: Taxonomy) -> Iterator[CensusRow]:
    own_codes: dict[int, list[str]] = defaultdict(list)
    factors = AssessmentFactor.objects.filter(
        assessment_id__in=[a["pk"] for a in batch], withdrawn_at__isnull=True
    ).order_by("pk")
    for assessment_id, code in factors.values_list("assessment_id", "code"):
        own_codes[assessment_id].append(code)

    flags: dict[int, list[dict]] = defaultdict(list)
    # Flags are read only for assessments they may be mapped for (no codes of their own, and a
    # finding other than no harm).
    without = [a for a in batch if a["pk"] not in own_codes and not _found_no_harm(a)]
    if without:
        current = HarmFlag.objects.filter(
            flag_counts(),
            young_person_id__in={a["young_person_id"] for a in without},
            identified_on__lte=max(a["completed_on"] for a in without),
        ).values("young_person_id", "harm_type_id", "identified_on", "archived_at")
        for flag in current:
            flags[flag["young_person_id"]].append(flag)

    for a in batch:
        completed_on = a["completed_on"]
        found_no_harm = _found_no_harm(a)
        flag_types = (
            []
            if own_codes.get(a["pk"]) or found_no_harm
            else [
                f["harm_type_id"]
                for f in flags.get(a["young_person_id"], ())
                if _flag_current_on(f, completed_on)
            ]
        )
        codes, source, unmapped, invalid = resolve_codes(
            own_codes.get(a["pk"], ()), flag_types, taxonomy, found_no_harm=found_no_harm
        )
        yield CensusRow(
            assessment_id=a["pk"],
            young_person_id=a["young_person_id"],
            la_child_id=a["young_person__local_identifier"],
            birth_date=a["young_person__date_of_birth"],
            sex=a["young_person__sex"],
            referral_id=a["referral_id"],
            referral_date=a["referral__received_on"],
            referral_source=a["referral__source"] or "",
            started_on=a["started_on"],
            completed_on=completed_on,
            authorised_on=a["authorised_on"],
            codes=codes,
            source=source,
            unmapped_types=unmapped,
            invalid_codes=invalid,
            found_no_harm=found_no_harm,
        )


def _found_no_harm(assessment: dict) -> bool:
    return assessment["outcome_nature"] == NatureOfHarm.NONE_FOUND


# ---------------------------------------------------------------------------------------------
# Summary: counts only


@dataclass(frozen=True)
class CodeCount:
    code: str
    label: str
    assessments: int


@dataclass(frozen=True)
class NameCount:
    name: str
    assessments: int


@dataclass(frozen=True)
class CensusSummary:
    """What the return holds, as counts: no child in it."""

    scope: ReportScope
    assessments: int
    # Codes written, in census order, each with how many assessments carry it.
    codes: tuple[CodeCount, ...]
    # Assessments whose codes came from each source (SOURCE_ASSESSMENT, SOURCE_FLAGS).
    by_source: dict[str, int]
    without_codes: int
    # Local harm types with no census code, and how many assessments each left out of the
    # mapping; most first.
    unmapped_types: tuple[NameCount, ...]
    invalid_codes: tuple[NameCount, ...]

    @property
    def source_rows(self) -> list[tuple[str, int]]:
        return [(SOURCE_LABELS[key], self.by_source.get(key, 0)) for key in SOURCE_LABELS]


def census_summary(scope: ReportScope) -> CensusSummary:
    """The return's counts per code, per source, and its problems, read through census_rows
    so the page and the files can never disagree (same queries as census_rows)."""
    assessments = without_codes = 0
    codes: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    unmapped: Counter[str] = Counter()
    invalid: Counter[str] = Counter()
    for row in census_rows(scope):
        assessments += 1
        codes.update(row.codes)
        sources[row.source] += 1
        unmapped.update(row.unmapped_types)
        invalid.update(row.invalid_codes)
        if not row.codes:
            without_codes += 1

    def most_first(counter: Counter) -> tuple[NameCount, ...]:
        ordered = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
        return tuple(NameCount(name, count) for name, count in ordered)

    return CensusSummary(
        scope=scope,
        assessments=assessments,
        codes=tuple(
            CodeCount(code, factor_label(code), codes[code]) for code in _census_sorted(codes)
        ),
        by_source=dict(sources),
        without_codes=without_codes,
        unmapped_types=most_first(unmapped),
        invalid_codes=most_first(invalid),
    )


# ---------------------------------------------------------------------------------------------
# Files


CSV_HEADER = (
    "LAchildID",
    "Assessment ID",
    "Date started",
    "Date completed",
    "Date authorised",
    "Factors",
    "Source of factors",
    "Unmapped local harm types",
    "Codes not written",
    "To check",
)


def write_census_csv(rows: Iterable[CensusRow], out: IO[str], progress: Progress) -> list[int]:
    """One line per assessment; several codes in one cell, separated by spaces as the census
    lists them. Returns the ids of the young people in the file, each once."""
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    young_people: dict[int, None] = {}
    written = 0
    for row in rows:
        writer.writerow(
            (
                safe_text(row.la_child_id),
                row.assessment_id,
                row.started_on.isoformat(),
                row.completed_on.isoformat(),
                row.authorised_on.isoformat() if row.authorised_on else "",
                " ".join(row.codes),
                row.source,
                safe_text("; ".join(row.unmapped_types)),
                safe_text(" ".join(row.invalid_codes)),
                "; ".join(row.problems),
            )
        )
        young_people[row.young_person_id] = None
        written += 1
        if written % PROGRESS_EVERY == 0:
            progress(written)
    progress(written)
    return list(young_people)


def _text(parent: ET.Element, tag: str, value) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = value.isoformat() if isinstance(value, date) else str(value)
    return element


def _header(reference_date: date) -> ET.Element:
    header = ET.Element("Header")
    collection = ET.SubElement(header, "CollectionDetails")
    _text(collection, "Collection", "CIN")
    # The census year is named by the year its reference date falls in (31 March 2025: 2025).
    _text(collection, "Year", reference_date.year)
    _text(collection, "ReferenceDate", reference_date)
    source = ET.SubElement(header, "Source")
    _text(source, "SourceLevel", "L")
    _text(source, "LEA", settings.CSAFE_LA_CODE)
    _text(source, "SoftwareCode", "csafe")
    _text(source, "DateTime", timezone.localtime().replace(microsecond=0, tzinfo=None))
    content = ET.SubElement(header, "Content")
    levels = ET.SubElement(content, "CBDSLevels")
    _text(levels, "CBDSLevel", "Child")
    return header


def _child(rows: list[CensusRow]) -> ET.Element:
    """One <Child>: its identifiers, then one <CINdetails> per referral (an episode of need in
    the census), each with the assessments completed under it."""
    first = rows[0]
    child = ET.Element("Child")
    identifiers = ET.SubElement(child, "ChildIdentifiers")
    _text(identifiers, "LAchildID", first.la_child_id)
    _text(identifiers, "PersonBirthDate", first.birth_date)
    _text(identifiers, "Sex", first.sex)
    for _referral_id, episode in itertools.groupby(rows, key=lambda row: row.referral_id):
        episode = list(episode)
        details = ET.SubElement(child, "CINdetails")
        if episode[0].referral_date is not None:
            _text(details, "CINreferralDate", episode[0].referral_date)
            if episode[0].referral_source:
                _text(details, "ReferralSource", episode[0].referral_source)
        assessments = ET.SubElement(details, "Assessments")
        for row in episode:
            assessment = ET.SubElement(assessments, "Assessment")
            _text(assessment, "AssessmentActualStartDate", row.started_on)
            # csafe's "completed" is the practitioner handing the assessment to a manager for
            # review: the census's internal review date. Authorisation is the manager's sign-off.
            _text(assessment, "AssessmentInternalReviewDate", row.completed_on)
            if row.authorised_on is not None:
                _text(assessment, "AssessmentAuthorisationDate", row.authorised_on)
            # An assessment with no codes has no <AssessmentFactors> (the census wants at least
            # one inside it); the CSV and the page report it.
            if row.codes:
                factors = ET.SubElement(assessment, "AssessmentFactors")
                for code in row.codes:
                    _text(factors, "AssessmentFactor", code)
    return child


def _write_element(out: IO[str], element: ET.Element, level: int) -> None:
    ET.indent(element, space="  ", level=level)
    out.write("  " * level)
    out.write(ET.tostring(element, encoding="unicode"))
    out.write("\n")


def write_census_xml(
    rows: Iterable[CensusRow], out: IO[str], progress: Progress, *, reference_date: date
) -> list[int]:
    """The return as XML in the shape of the DfE CIN census message, one <Child> at a time so
    a return of tens of thousands of assessments never sits in memory. ``rows`` must come
    grouped by young person, as census_rows gives them. Returns the young people's ids."""
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<Message>\n')
    _write_element(out, _header(reference_date), 1)
    out.write("  <Children>\n")
    young_people = []
    written = 0
    for young_person_id, child_rows in itertools.groupby(rows, key=lambda r: r.young_person_id):
        child_rows = list(child_rows)
        _write_element(out, _child(child_rows), 2)
        young_people.append(young_person_id)
        before, written = written, written + len(child_rows)
        if written // PROGRESS_EVERY != before // PROGRESS_EVERY:
            progress(written)
    out.write("  </Children>\n</Message>\n")
    progress(written)
    return young_people


# ---------------------------------------------------------------------------------------------
# The parameters of a census file (reporting/exports/census.py makes the files export sources)


def census_params(*, start: date, end: date, team_id: int | None) -> dict:
    return {"start": start.isoformat(), "end": end.isoformat(), "team": team_id}
