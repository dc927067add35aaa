"""Types still in use stay choosable when their parent is retired; forms do not count flags."""

import pytest

from cases import services as case_services
from harms import services
from harms.models import HarmType
from harms.selectors import harm_type_choices, harm_type_tree

pytestmark = pytest.mark.django_db


def test_children_of_a_retired_parent_are_still_offered(administrator):
    exploitation = HarmType.objects.get(name="Exploitation", parent=None)
    services.harm_type_set_active(
        actor=administrator, harm_type=exploitation, active=False, reason="No longer used"
    )
    labels = [label for _, label in harm_type_choices()]
    assert "Exploitation" not in labels
    assert "Exploitation › Child sexual exploitation" in labels
    assert "Exploitation › Child criminal exploitation, including county lines" in labels


def test_forms_do_not_aggregate_the_flags_table(django_assert_num_queries):
    with django_assert_num_queries(1):  # the harm types, and nothing over harm flags
        harm_type_choices()


def test_the_administrators_list_counts_current_flags(practitioner, young_person):
    from datetime import date

    gangs = HarmType.objects.get(name="Gangs")
    case_services.harm_flag_raise(
        actor=practitioner,
        young_person=young_person,
        harm_type=gangs,
        identified_at="referral",
        identified_on=date(2026, 1, 2),
    )
    counts = {n.harm_type.name: n.active_flags for n in harm_type_tree(with_counts=True)}
    assert counts["Gangs"] == 1
    assert counts["Neglect"] == 0


def test_a_non_numeric_record_id_in_the_api_is_404(client_for, practitioner):
    assert client_for(practitioner).get("/api/v1/young-people/abc/").status_code == 404
