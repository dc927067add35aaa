"""The age beside every date of birth: ``with_age``, computed with today's local date."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from csafe.core.dates import age_on
from csafe.core.templatetags.csafe_dates import with_age


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2010, 3, 12), date(2026, 3, 11), 15),
        (date(2010, 3, 12), date(2026, 3, 12), 16),
        (date(2008, 2, 29), date(2026, 2, 28), 17),
        (date(2008, 2, 29), date(2026, 3, 1), 18),
    ],
)
def test_age_on(born, on, age):
    assert age_on(born, on) == age


def test_long_and_short_forms():
    with mock.patch("csafe.core.templatetags.csafe_dates.timezone.localdate") as today:
        today.return_value = date(2026, 12, 8)
        assert with_age(date(2010, 3, 12)) == "12 March 2010 (age 16)"
        assert with_age(date(2010, 3, 12), "short") == "12 Mar 2010 (age 16)"
        assert with_age(None) == ""


def test_the_local_date_not_utc(settings):
    """Just after midnight in London in summer it is still yesterday in UTC: the birthday counts."""
    settings.TIME_ZONE = "Europe/London"
    moment = datetime(2026, 6, 1, 0, 30, tzinfo=ZoneInfo("Europe/London"))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        assert with_age(date(2010, 6, 1)) == "1 June 2010 (age 16)"


def test_in_a_template():
    born = timezone.localdate() - timedelta(days=365 * 12 + 10)
    rendered = Template("{% load csafe_dates %}{{ born|with_age }}").render(Context({"born": born}))
    assert rendered.endswith("(age 12)")


@pytest.mark.django_db
def test_the_record_page_and_caseload_show_the_age(client_for, practitioner, young_person):
    client = client_for(practitioner)
    expected = age_on(young_person.date_of_birth, timezone.localdate())

    record = client.get(reverse("cases:detail", args=[young_person.pk])).content.decode()
    caseload = client.get(reverse("cases:caseload")).content.decode()

    assert f"{young_person.date_of_birth.year} (age {expected})</dd>" in record
    assert f"{young_person.date_of_birth.year} (age {expected})</td>" in caseload
