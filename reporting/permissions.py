"""Who reads what in reporting, and nothing else decides it: the dashboards (with their CSV files,
the drill-down and the API), the team each reader's figures may cover, and the CIN census files.

Team managers read their own team's figures; service managers read every team's, or one they
choose. Practitioners read their caseload and administrators configure: neither reads the
dashboards. Which *young people* a drill-down lists is decided by cases.permissions, never here.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from csafe.accounts import permissions as role_permissions
from csafe.accounts.models import Team

READERS_ONLY = "Only team and service managers read the dashboards"
CENSUS_PERMISSION = "reporting.download_census_return"
CENSUS_REFUSED = (
    "The census files identify children. Team managers download their own team's; a service "
    "manager needs the permission to download the census return, given by an administrator."
)


def can_view_dashboards(user) -> bool:
    """Team managers of a team, and service managers."""
    if not user.is_authenticated or not user.is_active:
        return False
    return role_permissions.is_service_manager(user) or role_permissions.manages_a_team(user)


def require_dashboard_reader(user) -> None:
    """Refuse (PermissionDenied, 403) anyone who does not read the dashboards: the pages'
    existence is no secret, so they are refused rather than hidden."""
    if not can_view_dashboards(user):
        raise PermissionDenied(READERS_ONLY)


def can_read_team(user, team: Team | None) -> bool:
    """Whether a dashboard reader may ask for ``team``'s figures (None: asking for no team in
    particular). A team manager may name their own team only; a service manager any team."""
    if not can_view_dashboards(user):
        return False
    return team is None or not role_permissions.is_team_manager(user) or team.pk == user.team_id


def own_team_only(user) -> bool:
    """Whether the reader's figures are always their own team's, whatever they ask for: true for
    a team manager, who is offered no choice of team."""
    return role_permissions.is_team_manager(user)


def teams_for(user) -> list[Team]:
    """The teams a reader may choose between: their own for a team manager, every active team for
    a service manager, none for anyone else."""
    if not can_view_dashboards(user):
        return []
    if role_permissions.is_team_manager(user):
        return [user.team]
    return list(Team.objects.filter(is_active=True).order_by("name"))


def can_download_census(user) -> bool:
    """The CIN census files identify children (LAchildID, date of birth, sex). A team manager
    may download their own team's; a service manager, who otherwise reads aggregates only, needs
    the model permission an administrator grants explicitly (the authority's census lead)."""
    if not can_view_dashboards(user):
        return False
    if role_permissions.is_team_manager(user):
        return True
    return CENSUS_PERMISSION in user.get_all_permissions()


def holds_census_without_allocation(user) -> bool:
    """A service manager holds no record; the census permission is their grant to the census
    files' young people. Anyone else holds a file only while they may see each child in it."""
    return role_permissions.is_service_manager(user) and can_download_census(user)
