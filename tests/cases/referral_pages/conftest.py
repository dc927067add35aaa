"""Fixtures shared by the tests of the referral pages."""

from __future__ import annotations

import pytest

from harms import services as harm_services
from harms.models import HarmType


@pytest.fixture
def either_type(administrator) -> HarmType:
    """A type that can be either extra- or intra-familial (the seed taxonomy has none)."""
    return harm_services.harm_type_create(
        actor=administrator, name="Harmful sexual behaviour", nature="either"
    )
