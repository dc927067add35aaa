"""Shared by the account tests: the admin's add and change forms as an administrator posts
them, and the link out of an account e-mail. A support module, imported by tests, never a test
file itself."""

from __future__ import annotations

import re

from django.urls import reverse

ADD = reverse("admin:accounts_user_add")
LINK = re.compile(r"https?://[^/\s]+(/accounts/set-password/[^/\s]+/[^/\s]+/)")


def change_url(user) -> str:
    return reverse("admin:accounts_user_change", args=[user.pk])


def change_data(user, **changes) -> dict:
    """The change form as the admin shows it filled in for ``user``, with ``changes``."""
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "job_title": user.job_title,
        "phone": user.phone,
        "role": user.role,
        "team": user.team_id or "",
        "is_active": "on" if user.is_active else "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None and value != ""}


def add_data(**changes) -> dict:
    data = {
        "username": "newperson",
        "first_name": "Nova",
        "last_name": "Staffer",
        "email": "newperson@csafe.invalid",
        "role": "practitioner",
    }
    data.update(changes)
    return data


def link_path(message) -> str:
    """The path of the set-password link in an e-mail (the one link it carries)."""
    found = LINK.findall(message.body)
    assert len(found) == 1, message.body
    return found[0]
