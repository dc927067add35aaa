"""Builders and readers shared by the tests of the young person pages."""

from __future__ import annotations

from cases.models import Allocation, AllocationKind

NO_ACCESS = [
    "teammate",
    "other_team_practitioner",
    "other_team_manager",
    "service_manager",
    "administrator",
]


def worker_allocation(young_person, worker) -> Allocation:
    return Allocation.objects.get(
        young_person=young_person, kind=AllocationKind.WORKER, worker=worker
    )


def team_allocation(young_person) -> Allocation:
    return Allocation.objects.get(
        young_person=young_person, kind=AllocationKind.TEAM, ended_at__isnull=True
    )
