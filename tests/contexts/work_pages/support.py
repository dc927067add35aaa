"""URLs, readers and form data shared by the tests of the pages for the work on a context."""

from __future__ import annotations

import re
from datetime import timedelta

from django.template.loader import render_to_string
from django.urls import reverse

from cases.reference import ActionProgress, PartnerAgency
from contexts.models import Context
from contexts.reference import ContextRecordKind
from contexts.selectors.work import context_work_summary
from contexts.services import work as work_services
from tests.contexts.work_support import ENVIRONMENT, today
from tests.html_forms import date_fields
from tests.html_pages import text_of

SCHOOL_HEADINGS = [
    "Strengths and needs of students collectively",
    "Guardianship by staff and school policy",
    "School environment and routes to and from school",
]


def labels(response) -> list[str]:
    return [
        text_of(label)
        for label in re.findall(r"<label[^>]*>(.*?)</label>", response.content.decode(), re.S)
    ]


def url(name: str, context, *rows) -> str:
    return reverse(f"contexts:{name}", args=[context.pk, *[row.pk for row in rows]])


def detail(context) -> str:
    return reverse("contexts:detail", args=[context.pk])


def read_pages(context, work) -> dict[str, str]:
    return {
        "record_list": url("record_list", context),
        "record_detail": url("record_detail", context, work["record"]),
    }


def write_pages(context, work) -> dict[str, str]:
    return {
        "record_new": url("record_new", context),
        "action_new": url("action_new", context),
        "action_progress": url("action_progress", context, work["action"]),
        "plan_review_date": url("plan_review_date", context),
    }


def valid_posts(context, work) -> dict[str, dict]:
    """A valid body for each page that changes, so a refusal is the permission's doing."""
    return {
        "record_new": {
            "kind": ContextRecordKind.MEETING,
            **date_fields("held_on", today()),
            "functioning": "The group met at the precinct twice this week.",
            "weighting": "",
        },
        "action_new": {
            "side": ENVIRONMENT,
            "description": "Ask the council to light the underpass",
            "partner_agency": PartnerAgency.COMMUNITY_SAFETY,
            "owner": "Community safety officer",
            **date_fields("due_date", today() + timedelta(days=14)),
        },
        "action_progress": {"progress": ActionProgress.IN_PROGRESS, "note": "Started"},
        "plan_review_date": date_fields("review_date", today() + timedelta(days=30)),
    }


def section(context, user) -> str:
    context = Context.objects.get(pk=context.pk)
    return render_to_string(
        "contexts/work/_section.html",
        {"context": context, "work": context_work_summary(context=context, user=user)},
    )


def set_review_date_in_the_past(context, actor, days: int = 3) -> None:
    """Set the review date, then let time pass: the service accepts only today or later."""
    work_services.context_plan_review_set(
        actor=actor, context=context, review_date=today() + timedelta(days=1)
    )
    Context.objects.filter(pk=context.pk).update(plan_review_date=today() - timedelta(days=days))
