"""The sub-navigation between the parts of a young person's record."""

from __future__ import annotations

from django import template
from django.urls import reverse

register = template.Library()

# (label, url name, the url-name prefixes of the pages that belong to the section)
SECTIONS = [
    (
        "Overview",
        "cases:detail",
        ("detail", "access_log", "allocat", "referral", "subject_access"),
    ),
    ("Chronology", "cases:chronology", ("chronology",)),
    ("Assessments", "cases:assessment_list", ("assessment_",)),
    ("Plans", "cases:plan_list", ("plan_",)),
    ("Relocations", "cases:relocation_list", ("relocation_",)),
    ("Case notes", "cases:note_list", ("note_",)),
    ("Documents", "cases:document_list", ("document_",)),
    ("Management oversight", "cases:oversight_list", ("oversight_",)),
]


@register.inclusion_tag("cases/_record_navigation.html", takes_context=True)
def record_navigation(context, young_person):
    match = getattr(context.get("request"), "resolver_match", None)
    current = match.url_name if match and match.namespace == "cases" else ""
    items = []
    for label, name, prefixes in SECTIONS:
        url = reverse(name, args=[young_person.pk])
        items.append(
            {
                "label": label,
                "url": url,
                "current": current.startswith(prefixes) if current else False,
            }
        )
    return {"items": items}
