"""The worktray page: "Work for you"."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from csafe.audit.services import record_list_access
from csafe.core.forms import GovUKForm

from .worktray import has_worktray, team_workers, worktray_for

NO_WORKTRAY = (
    "Work for you lists casework: the work of practitioners and team managers. "
    "Your account carries no casework."
)


class WorkerFilterForm(GovUKForm):
    worker = forms.ChoiceField(label="Worker", required=False)

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = [
            ("", "Everyone in the team"),
            *((str(w.pk), w.get_full_name() or w.username) for w in workers),
        ]

    def worker_id(self) -> int | None:
        if not self.is_bound or not self.is_valid() or not self.cleaned_data["worker"]:
            return None
        return int(self.cleaned_data["worker"])


@require_GET
def worktray(request):
    user = request.user
    if not has_worktray(user):
        raise PermissionDenied(NO_WORKTRAY)
    form = None
    worker_id = None
    if user.is_team_manager:
        form = WorkerFilterForm(request.GET or None, workers=list(team_workers(user=user)))
        worker_id = form.worker_id()
    tray = worktray_for(user=user, today=timezone.localdate(), worker_id=worker_id)
    # A list of young people, logged as the caseload is: filtered by a worker, every young
    # person shown; unfiltered, those shown whom the reader is not allocated to as a worker.
    shown = tray.young_people_shown()
    if worker_id is None:
        shown = [pk for pk in shown if pk not in tray.allocated_to_reader]
    record_list_access(user=user, young_people=shown, resource=request.path)
    return render(
        request,
        "workspace/worktray.html",
        {
            "tray": tray,
            "form": form,
            "filtered": worker_id is not None,
            "active_section": "worktray",
        },
    )
