import pytest
from simple_history.models import HistoricalRecords

from csafe.accounts.models import Team
from csafe.audit.context import acting_as


@pytest.mark.django_db
def test_history_outside_a_request_is_attributed_to_the_acting_user(team_a, administrator):
    with acting_as(administrator):
        team = Team.objects.get(pk=team_a.pk)
        team.description = "Changed by a background job"
        team.save()
    latest = team.history.first()
    assert latest.history_user == administrator
    assert latest.description == "Changed by a background job"


@pytest.mark.django_db
def test_acting_as_restores_the_previous_state(administrator):
    with acting_as(administrator):
        pass
    assert getattr(HistoricalRecords.context, "request", None) is None
