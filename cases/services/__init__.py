"""Every write to a young person's record, one module per part of the pathway.

Each service takes the acting user, checks what it may do through cases/permissions.py, locks the
rows it changes, writes its history and audit event in the same transaction, and enqueues side
effects only after commit. The names below are the ones the rest of csafe imports.
"""

from .flags import (
    flag_nature_for,
    harm_flag_archive,
    harm_flag_raise,
    harm_flag_reinstate,
    harm_flag_review,
)
from .referrals import (
    HarmInput,
    LocationInput,
    PossibleDuplicateError,
    ReferralOutcome,
    referral_record,
    referral_record_for_new_young_person,
)
from .young_people import (
    worker_allocations_end_outside_team,
    young_person_allocate_worker,
    young_person_create,
    young_person_deallocate_worker,
    young_person_set_status,
    young_person_transfer_team,
    young_person_update,
)

__all__ = [
    "HarmInput",
    "LocationInput",
    "PossibleDuplicateError",
    "ReferralOutcome",
    "flag_nature_for",
    "harm_flag_archive",
    "harm_flag_raise",
    "harm_flag_reinstate",
    "harm_flag_review",
    "referral_record",
    "referral_record_for_new_young_person",
    "worker_allocations_end_outside_team",
    "young_person_allocate_worker",
    "young_person_create",
    "young_person_deallocate_worker",
    "young_person_set_status",
    "young_person_update",
    "young_person_transfer_team",
]
