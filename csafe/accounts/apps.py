from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "csafe.accounts"
    label = "accounts"
    verbose_name = "Accounts and teams"

    def ready(self):
        # Connects the sign-in signal that starts the two-factor step for each new session.
        from . import two_factor  # noqa: F401
