from __future__ import annotations

from django import forms

from csafe.accounts.models import Role, Team, User
from csafe.core.forms import GovUKForm

from .models import CaseStatus
from .selectors import ORDERINGS, CaseloadFilters


class CaseloadFilterForm(GovUKForm):
    q = forms.CharField(
        label="Name or local identifier",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Open and closed"), *CaseStatus.choices]
    )
    mine = forms.BooleanField(label="Only young people allocated to me", required=False)
    order = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[("name", "Last name"), ("-updated", "Recently updated"), ("dob", "Date of birth")],
    )

    def filters(self) -> CaseloadFilters:
        if not self.is_valid():
            return CaseloadFilters()
        data = self.cleaned_data
        return CaseloadFilters(
            search=data["q"],
            status=data["status"],
            allocated_to_me=data["mine"],
            ordering=data["order"] if data["order"] in ORDERINGS else "name",
        )


class AllocateWorkerForm(GovUKForm):
    worker = forms.ModelChoiceField(
        label="Worker to allocate",
        queryset=User.objects.none(),
        empty_label="Choose a worker",
        error_messages={"required": "Choose a worker to allocate"},
    )

    def __init__(self, *args, team: Team | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = User.objects.filter(
            team=team, is_active=True, role__in=[Role.PRACTITIONER, Role.TEAM_MANAGER]
        ).order_by("last_name", "first_name")


class EndAllocationForm(GovUKForm):
    reason = forms.CharField(
        label="Why is this allocation ending?",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the allocation is ending"},
    )
