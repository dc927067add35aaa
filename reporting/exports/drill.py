"""The drill-down's list as an export: only the young people the reader may see, as the page
lists them (reporting/drill/selectors.py finds them). Registered by ReportingConfig.ready."""

from __future__ import annotations

import csv

from csafe.core.errors import ApplicationError
from csafe.exports.registry import ExportSource

from ..drill.selectors import DrillResult, UnknownDrill, drill_young_people
from ..permissions import require_dashboard_reader
from ..scope import scope_from_params
from ..spreadsheet import safe_text
from .access import sees_every_young_person


def _drill_from_params(user, params: dict) -> DrillResult:
    scope = scope_from_params(user=user, params=params)
    return drill_young_people(
        user=user,
        scope=scope,
        table_key=str(params.get("measure", "")),
        column_key=str(params.get("column", "")),
        row_key=str(params.get("key", "")),
    )


def _drill_validate(user, params: dict) -> None:
    require_dashboard_reader(user)
    # The whole drill, row key included, as the page checks it: a malformed key ("-") is
    # refused here with a 400 rather than raised later from the count or the file.
    try:
        _drill_from_params(user, params)
    except (UnknownDrill, KeyError) as exc:
        raise ApplicationError("That count has no list of young people behind it") from exc


def _drill_count(user, params: dict) -> int:
    return _drill_from_params(user, params).visible.count()


DRILL_CSV_HEADER = ("Local identifier", "Last name", "First name", "Date of birth", "Team")


def _drill_write(user, params: dict, out, progress) -> list[int]:
    result = _drill_from_params(user, params)
    writer = csv.writer(out)
    writer.writerow((f"{result.describes} (young people you may see)",))
    writer.writerow(DRILL_CSV_HEADER)
    ids = []
    for written, person in enumerate(result.visible.iterator(chunk_size=2000), start=1):
        writer.writerow(
            (
                safe_text(person.local_identifier),
                safe_text(person.last_name),
                safe_text(person.first_name),
                person.date_of_birth.isoformat(),
                safe_text(person.team.name) if person.team else "",
            )
        )
        ids.append(person.pk)
        if written % 500 == 0:
            progress(written)
    progress(len(ids))
    return ids


def _drill_filename(params: dict) -> str:
    return f"csafe-young-people-{params.get('measure', 'list')}-{params.get('end', '')}"


DRILL_EXPORT = ExportSource(
    key="drill",
    title="List of young people behind a dashboard count",
    content_type="text/csv",
    extension="csv",
    holds_personal_data=True,
    validate=_drill_validate,
    count=_drill_count,
    write=_drill_write,
    filename=_drill_filename,
    may_hold=sees_every_young_person,
)
