"""The home page: a summary of one's own work, and for a service manager the authority's."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from cases.selectors import home_summary_for_user
from csafe.accounts import permissions as role_permissions
from reporting.selectors import authority_summary


@require_GET
def home(request):
    user = request.user
    context = {
        "summary": home_summary_for_user(user=user),
        "active_section": "home",
        "manages_team": role_permissions.is_team_manager(user),
        "configures": role_permissions.can_configure(user),
    }
    if role_permissions.is_service_manager(user):
        context["authority"] = authority_summary()
    return render(request, "workspace/home.html", context)
