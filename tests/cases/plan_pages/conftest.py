"""Fixtures shared by the tests of the plan pages."""

from __future__ import annotations

import pytest

from tests.cases.plan_support import (
    FINALISED_KIND,
    authorised_assessment,
    contextual_action,
    draft_plan,
)


@pytest.fixture
def setup(practitioner, team_manager, young_person):
    """A draft plan answering an assessment with two factors: the peer group factor answered by
    a contextual action, the school factor open."""
    assessment, factors = authorised_assessment(practitioner, team_manager, young_person)
    plan = draft_plan(practitioner, young_person)
    action = contextual_action(practitioner, plan, factors[0])
    return {"plan": plan, "action": action, "factors": factors, "assessment": assessment}


@pytest.fixture
def finalisable(practitioner, team_manager, young_person):
    """As ``setup``, but the draft plan is of a kind its practitioner finalises (no sign-off)."""
    assessment, factors = authorised_assessment(practitioner, team_manager, young_person)
    plan = draft_plan(practitioner, young_person, kind=FINALISED_KIND)
    action = contextual_action(practitioner, plan, factors[0])
    return {"plan": plan, "action": action, "factors": factors, "assessment": assessment}
