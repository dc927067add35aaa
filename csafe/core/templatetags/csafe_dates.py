"""Date filters for templates: ``{% load csafe_dates %}``."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils import timezone

from ..dates import age_on, long_date, short_date

register = template.Library()


@register.filter
def with_age(born: date | None, style: str = "long") -> str:
    """A date of birth with the age today (the site's local date): "12 March 2010 (age 16)",
    or "12 Mar 2010 (age 16)" with ``style`` "short". Nothing for no date."""
    if not born:
        return ""
    written = short_date(born) if style == "short" else long_date(born)
    return f"{written} (age {age_on(born, timezone.localdate())})"
