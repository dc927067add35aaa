"""Create the first administrator of a new installation (prompts for the password)."""

from __future__ import annotations

import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from csafe.accounts import services
from csafe.accounts.models import Role, User
from csafe.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Create an administrator account. Administrators configure csafe and see no child."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--first-name", required=True)
        parser.add_argument("--last-name", required=True)
        parser.add_argument(
            "--password-from-env",
            metavar="VARIABLE",
            help="Read the password from this environment variable instead of prompting",
        )

    def handle(self, *args, username, email, first_name, last_name, password_from_env, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user called {username} already exists")
        if password_from_env:
            password = os.environ.get(password_from_env, "")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords do not match")
        probe = User(username=username, email=email, first_name=first_name, last_name=last_name)
        try:
            validate_password(password, probe)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        try:
            with transaction.atomic():
                user = services.user_create(
                    actor=None,
                    username=username,
                    first_name=first_name,
                    last_name=last_name,
                    email=email,
                    role=Role.ADMINISTRATOR,
                )
                # The first administrator, at the console, chooses their own password; every
                # later account is invited to choose one (accounts.services.user_invite).
                services.user_password_set(user=user, password=password)
        except (ApplicationError, ValidationError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Administrator {user.username} created."))
