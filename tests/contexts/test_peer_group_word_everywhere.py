"""The administrator's word for a peer group ("Network") outside reporting: the contexts list,
the young person's page, the contextual factor form and the pages showing factors, and the
labels of the API. Reporting's pages are tested with reporting."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from contexts.services.configuration import configuration_update
from tests.cases.assessment_support import add_factor, start
from tests.two_factor import verify_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(administrator):
    configuration_update(actor=administrator, peer_group_term="network")


def api_client(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    verify_client(client, user)
    return client


def test_the_contexts_list_intro(client_for, practitioner, network):
    page = client_for(practitioner).get(reverse("contexts:list")).content.decode()

    assert "Networks, schools, locations and online spaces" in page


def test_the_young_persons_page(client_for, practitioner, young_person, network):
    page = (
        client_for(practitioner).get(reverse("cases:detail", args=[young_person.pk])).content
    ).decode()

    assert "Networks, schools, places and online spaces" in page
    assert "Peer groups, schools" not in page


def test_the_factor_form_and_the_assessment_page(client_for, practitioner, young_person, network):
    assessment = start(practitioner, young_person)
    add_factor(practitioner, assessment, domain="peer_group")
    client = client_for(practitioner)

    form = client.get(
        reverse("cases:assessment_factor_add", args=[young_person.pk, assessment.pk])
    ).content.decode()
    detail = client.get(
        reverse("cases:assessment_detail", args=[young_person.pk, assessment.pk])
    ).content.decode()

    assert 'value="peer_group"' in form
    assert ">\n      Network\n" in form or ">Network<" in form or "Network</label>" in form
    assert ">Peer group<" not in form and "Peer group</label>" not in form
    assert '<td class="govuk-table__cell">Network</td>' in detail


def test_the_default_word_is_group(client_for, practitioner, young_person):
    assessment = start(practitioner, young_person)
    add_factor(practitioner, assessment, domain="peer_group")

    detail = (
        client_for(practitioner)
        .get(reverse("cases:assessment_detail", args=[young_person.pk, assessment.pk]))
        .content.decode()
    )

    assert '<td class="govuk-table__cell">Group</td>' in detail


def test_the_api_labels(practitioner, young_person, network):
    assessment = start(practitioner, young_person)
    add_factor(practitioner, assessment, domain="peer_group")
    add_factor(practitioner, assessment, domain="school", description="Excluded twice")

    response = api_client(practitioner).get(
        reverse("young-person-assessment-detail", args=[young_person.pk, assessment.pk])
    )

    assert response.status_code == 200
    body = response.json()
    factors = body.get("contextual_factors") or body.get("factors")
    assert {f["domain"]: f["domain_label"] for f in factors} == {
        "peer_group": "Network",
        "school": "School or education setting",
    }


def test_others_and_the_anonymous_see_no_assessment(
    client_for, other_team_practitioner, practitioner, young_person, network
):
    assessment = start(practitioner, young_person)
    url = reverse("cases:assessment_detail", args=[young_person.pk, assessment.pk])

    assert client_for(other_team_practitioner).get(url).status_code == 404
    assert Client().get(url).status_code == 302
