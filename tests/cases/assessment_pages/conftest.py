"""Fixtures shared by the tests of the assessment pages: an assessment in progress, and one
awaiting authorisation."""

from __future__ import annotations

import pytest

from tests.cases.assessment_support import add_factor, complete, days_ago, start


@pytest.fixture
def in_progress(practitioner, young_person):
    """An assessment with one contextual factor, started 20 days ago."""
    assessment = start(practitioner, young_person, peers="Older peers at the rec")
    add_factor(practitioner, assessment, "peer_group", "Older peers at the rec")
    return assessment


@pytest.fixture
def awaiting(practitioner, in_progress):
    return complete(practitioner, in_progress, completed_on=days_ago(5))
