from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services


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
