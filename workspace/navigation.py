"""The service navigation, built from what each role may use (accounts/permissions.py)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from contexts.permissions import can_view_contexts
from csafe.accounts import permissions as role_permissions
from reporting.permissions import can_view_dashboards
from retention import permissions as retention_permissions

from .worktray import has_worktray


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    section: str


def navigation_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    items = [NavItem("Home", reverse("workspace:home"), "home")]
    if has_worktray(user):
        # The shell adds the count: "Work for you (3)".
        items.append(NavItem("Work for you", reverse("workspace:worktray"), "worktray"))
    if role_permissions.can_use_caseload(user):
        items.append(NavItem("Caseload", reverse("cases:caseload"), "caseload"))
    if can_view_contexts(user):
        items.append(NavItem("Contexts", reverse("contexts:list"), "contexts"))
    if can_view_dashboards(user):
        items.append(NavItem("Dashboards", reverse("reporting:dashboard"), "dashboards"))
    if retention_permissions.can_review_retention(user):
        items.append(NavItem("Retention review", reverse("retention:due"), "retention"))
    if role_permissions.can_configure(user):
        items.append(NavItem("Harm types", reverse("harms:type_list"), "harm_types"))
        items.append(NavItem("Context naming", reverse("contexts:conventions"), "context_naming"))
        items.append(
            NavItem("Plan sign-off", reverse("case_configuration:plan_sign_off"), "plan_sign_off")
        )
        items.append(NavItem("Retention rules", reverse("retention:rules"), "retention_rules"))
        items.append(NavItem("Teams and users", reverse("admin:index"), "configuration"))
    items.append(NavItem("Notifications", reverse("notifications:list"), "notifications"))
    # The API is for building integrations, which administrators set up; everyone else reaches
    # its documentation from the footer ("API documentation") and their tokens from their account.
    if role_permissions.can_configure(user):
        items.append(NavItem("API", reverse("api-docs"), "api"))
    return items
