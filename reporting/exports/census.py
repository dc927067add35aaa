"""The CIN census return's two files (reporting/census/selectors.py writes them) as export
sources: who may ask, how many rows, what to call the file. Registered by ReportingConfig.ready.
"""

from __future__ import annotations

from typing import IO

from django.core.exceptions import PermissionDenied

from csafe.core.errors import ApplicationError
from csafe.exports.registry import ExportSource, Progress

from ..census.selectors import (
    CENSUS_MAX_YEARS,
    CENSUS_TOO_LONG,
    census_count,
    census_rows,
    write_census_csv,
    write_census_xml,
)
from ..permissions import CENSUS_REFUSED, can_download_census, holds_census_without_allocation
from ..scope import ReportScope, scope_from_params, years_before
from .access import sees_every_young_person


def _scope(user, params: dict) -> ReportScope:
    team = params.get("team")
    if team not in (None, ""):
        try:
            params = {**params, "team": int(team)}
        except (TypeError, ValueError) as exc:
            raise ApplicationError("That team does not exist") from exc
    else:
        params = {**params, "team": None}
    # The census return is by team only; a harm type in the params is not part of it.
    params.pop("harm_type", None)
    return scope_from_params(user=user, params=params)


def _validate(user, params: dict) -> None:
    if not can_download_census(user):
        raise PermissionDenied(CENSUS_REFUSED)
    scope = _scope(user, params)
    if scope.start < years_before(scope.end, CENSUS_MAX_YEARS):
        raise ApplicationError(CENSUS_TOO_LONG)


def _count(user, params: dict) -> int:
    return census_count(_scope(user, params))


def _write_csv(user, params: dict, out: IO[str], progress: Progress) -> list[int]:
    return write_census_csv(census_rows(_scope(user, params)), out, progress)


def _write_xml(user, params: dict, out: IO[str], progress: Progress) -> list[int]:
    scope = _scope(user, params)
    return write_census_xml(census_rows(scope), out, progress, reference_date=scope.end)


def _may_hold(user, young_person_ids: set[int]) -> bool:
    # A service manager's census permission is their grant to the file's young people; anyone
    # else holds it only while they may see each child in it.
    return holds_census_without_allocation(user) or sees_every_young_person(user, young_person_ids)


def _filename(params: dict) -> str:
    name = f"cin-census-factors-{params.get('start', '')}-to-{params.get('end', '')}"
    if params.get("team") not in (None, ""):
        name += f"-team-{params['team']}"
    return name


CENSUS_CSV = ExportSource(
    key="cin_census_csv",
    title="CIN census assessment factors (CSV)",
    content_type="text/csv",
    extension="csv",
    # Each line carries the child's LAchildID, which identifies the child.
    holds_personal_data=True,
    validate=_validate,
    count=_count,
    write=_write_csv,
    filename=_filename,
    may_hold=_may_hold,
)

CENSUS_XML = ExportSource(
    key="cin_census_xml",
    title="CIN census assessment factors (XML)",
    content_type="application/xml",
    extension="xml",
    holds_personal_data=True,
    validate=_validate,
    count=_count,
    write=_write_xml,
    filename=_filename,
    may_hold=_may_hold,
)

CENSUS_SOURCES = {source.key: source for source in (CENSUS_CSV, CENSUS_XML)}
