"""URLs and the sign-in redirect shared by the cases and API tests."""

from __future__ import annotations

from django.urls import reverse

SIGN_IN = "/accounts/sign-in/"


def sign_in_redirect(path: str) -> str:
    return f"{SIGN_IN}?next={path}"


def detail_url(young_person) -> str:
    return reverse("cases:detail", args=[young_person.pk])


def access_log_url(young_person) -> str:
    return reverse("cases:access_log", args=[young_person.pk])


def allocate_url(young_person) -> str:
    return reverse("cases:allocate", args=[young_person.pk])


def allocation_end_url(young_person, allocation) -> str:
    return reverse("cases:allocation_end", args=[young_person.pk, allocation.pk])


def api_list_url() -> str:
    return reverse("young-person-list")


def api_detail_url(young_person) -> str:
    return reverse("young-person-detail", args=[young_person.pk])
