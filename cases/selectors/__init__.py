"""Every read of a young person's record, one module per part of the pathway. Access is decided
in cases/permissions.py and applied by ``young_person_get_for_user`` and
``young_person_list_for_user``; the other selectors take a record the caller has already fetched
through them."""

from .flags import (
    FLAG_EVENT_KINDS,
    FlagTimelineEntry,
    YoungPersonFlags,
    flag_timeline_for_young_person,
    flags_for_young_person,
    harm_flag_get_for_young_person,
    harm_flag_list_for_young_person,
)
from .young_people import (
    ORDERINGS,
    CaseloadFilters,
    HomeSummary,
    PossibleDuplicate,
    allocation_get_for_young_person,
    allocation_history_for_young_person,
    caseload_access_record,
    caseload_rows_to_log,
    home_summary_for_user,
    referrals_for_young_person,
    young_person_get_for_user,
    young_person_list_for_user,
    young_person_possible_duplicates,
)

__all__ = [
    "FLAG_EVENT_KINDS",
    "ORDERINGS",
    "CaseloadFilters",
    "FlagTimelineEntry",
    "HomeSummary",
    "PossibleDuplicate",
    "YoungPersonFlags",
    "allocation_get_for_young_person",
    "allocation_history_for_young_person",
    "caseload_access_record",
    "caseload_rows_to_log",
    "flag_timeline_for_young_person",
    "flags_for_young_person",
    "harm_flag_get_for_young_person",
    "harm_flag_list_for_young_person",
    "home_summary_for_user",
    "referrals_for_young_person",
    "young_person_get_for_user",
    "young_person_list_for_user",
    "young_person_possible_duplicates",
]
