"""Harm types from the default taxonomy, and flag helpers that go through the services."""

from __future__ import annotations

import pytest

from harms import services
from harms.models import Nature
from tests.harms import helpers


@pytest.fixture
def cse(db):
    return helpers.harm_type("Child sexual exploitation")


@pytest.fixture
def cce(db):
    return helpers.harm_type("Child criminal exploitation, including county lines")


@pytest.fixture
def domestic_abuse(db):
    return helpers.harm_type("Domestic abuse in the home")


@pytest.fixture
def exploitation(db):
    return helpers.harm_type("Exploitation")


@pytest.fixture
def either_type(administrator):
    """A local type that can be either extra- or intra-familial (the defaults have none)."""
    return services.harm_type_create(
        actor=administrator, name="Online grooming", nature=Nature.EITHER
    )


@pytest.fixture
def raise_flag(practitioner, young_person):
    """``raise_flag(harm_type, ...)``: raised by ``practitioner`` on ``young_person`` unless
    ``actor`` or ``young_person`` say otherwise."""

    def _raise(harm_type, *, actor=None, on=None, **extra):
        return helpers.raise_flag(
            actor=actor or practitioner,
            young_person=on or young_person,
            harm_type=harm_type,
            **extra,
        )

    return _raise


@pytest.fixture
def archive_flag(practitioner):
    def _archive(flag, *, actor=None, **extra):
        return helpers.archive_flag(actor=actor or practitioner, flag=flag, **extra)

    return _archive
