from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "csafe.accounts"
    label = "accounts"
    verbose_name = "Accounts and teams"
