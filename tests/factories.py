"""Factories that build state through the services, as the application does, so tests exercise
the same permissions, history and events as real use. Every person here is invented."""

from __future__ import annotations

from datetime import date

import factory

from cases import services as case_services
from cases.models import YoungPerson
from csafe.accounts import services as account_services
from csafe.accounts.models import Role, Team, User

PASSWORD = "a-long-test-password-1"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Test Team {n}")
    description = ""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return account_services.team_create(actor=None, **kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Staffname{n}")
    last_name = "Tester"
    email = factory.LazyAttribute(lambda u: f"{u.username}@csafe.invalid")
    role = Role.PRACTITIONER
    team = factory.LazyAttribute(
        lambda u: TeamFactory() if u.role in (Role.PRACTITIONER, Role.TEAM_MANAGER) else None
    )
    password = PASSWORD

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Accounts are made as the admin site makes them (no password), then given the known
        # test password through the demo-only path, so tests can sign in with it.
        password = kwargs.pop("password", None)
        user = account_services.user_create(actor=None, **kwargs)
        if password:
            account_services.user_demo_password_set(user=user, password=password)
        return user


class YoungPersonFactory(factory.django.DjangoModelFactory):
    """Opened by ``actor`` (a practitioner or team manager) for the actor's team."""

    class Meta:
        model = YoungPerson

    actor = factory.SubFactory(UserFactory, role=Role.TEAM_MANAGER)
    local_identifier = factory.Sequence(lambda n: f"TST{n:06d}")
    first_name = factory.Sequence(lambda n: f"Firstname{n}")
    last_name = "Testchild"
    date_of_birth = date(2011, 5, 17)
    postcode = "NB1 2AA"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return case_services.young_person_create(**kwargs)
