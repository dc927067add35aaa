"""Fixtures shared by the tests of the pages for the work on a context: a context, and work
recorded on it."""

from __future__ import annotations

import pytest

from tests.contexts.work_support import add_action, add_record, open_context_for_test


@pytest.fixture
def context(team_manager):
    return open_context_for_test(lead=team_manager)


@pytest.fixture
def work(context, practitioner):
    """One assessment and one action on the context."""
    return {
        "record": add_record(practitioner, context),
        "action": add_action(practitioner, context),
    }
