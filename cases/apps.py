from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Young people and their cases"

    def ready(self):
        # A person who moves team, stops carrying a caseload or is switched off loses the
        # access their old allocations gave, in the transaction that changes their account.
        from csafe.accounts.services import on_access_change

        from .services import worker_allocations_end_outside_team

        def end_allocations_outside_team(*, actor, user):
            worker_allocations_end_outside_team(
                actor=actor, worker=user, reason="Worker changed team or role"
            )

        on_access_change(end_allocations_outside_team)
