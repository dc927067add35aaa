import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_allocated_practitioner_sees_record(client_for, practitioner, young_person):
    response = client_for(practitioner).get(reverse("cases:detail", args=[young_person.pk]))
    assert response.status_code == 200
    assert "Zephyrine" in response.content.decode()


@pytest.mark.django_db
def test_other_team_practitioner_gets_404(client_for, other_team_practitioner, young_person):
    response = client_for(other_team_practitioner).get(
        reverse("cases:detail", args=[young_person.pk])
    )
    assert response.status_code == 404
    assert "Zephyrine" not in response.content.decode()
