from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "csafe.accounts"
    label = "accounts"
    verbose_name = "Accounts and teams"

    def ready(self):
        # Connects the sign-in signal that starts the two-factor step for each new session.
        # Imported here: two_factor reads models, which are not loaded while AppConfig classes
        # are.
        from . import two_factor  # noqa: F401
