from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from csafe.core.forms import posted
from csafe.core.pages import render_page

from . import selectors, services
from .forms import NotificationSettingsForm


@require_GET
def notification_list(request):
    page = Paginator(selectors.notifications_for_user(user=request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request, "notifications/list.html", {"page": page, "active_section": "notifications"}
    )


@require_POST
def notification_open(request, pk: int):
    """Mark as read and go to what it is about (only a path on this site)."""
    notification = selectors.notification_get_for_user(user=request.user, pk=pk)
    services.notification_mark_read(user=request.user, notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@require_POST
def notification_mark_all_read(request):
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read")
    return redirect("notifications:list")


@require_http_methods(["GET", "POST"])
def notification_settings(request):
    """The signed-in person's own e-mail choice; nobody sets another person's."""
    form = NotificationSettingsForm(
        posted(request), initial={"email": selectors.email_choice_for_user(user=request.user)}
    )
    if form.is_valid():
        services.notification_preference_set(user=request.user, email=form.cleaned_data["email"])
        messages.success(request, "Your notification settings have been saved")
        return redirect("notifications:list")
    return render_page(
        request, "notifications/settings.html", {"form": form}, section="notifications"
    )
