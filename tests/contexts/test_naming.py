"""Naming conventions and the word for a peer group: the configuration services (administrators
only, validated, previewed on a sample context, one event per change) and the configuration
pages (administrators 200, everyone else 404, the anonymous to sign in), with the Preview
button that shows the name without saving and the JSON the live preview script reads."""

from __future__ import annotations

import pytest
from django.urls import reverse

from contexts.models import ContextConfiguration, NamingConvention
from contexts.services import configuration as services
from csafe.audit.models import Event, EventKind
from csafe.core.errors import ApplicationError
from csafe.core.vocabulary import ContextKind
from tests.cases.helpers import sign_in_redirect
from tests.html_pages import error_summary, field_errors, text_of

pytestmark = pytest.mark.django_db

NOT_ADMIN = "Only administrators can change how context records are named"
OTHERS = [
    "practitioner",
    "team_manager",
    "other_team_practitioner",
    "service_manager",
]
CONVENTIONS = reverse("contexts:conventions")


def edit_url(kind: str) -> str:
    return reverse("contexts:convention_edit", args=[kind])


def preview_url(kind: str) -> str:
    return reverse("contexts:convention_preview", args=[kind])


def template_of(kind: str) -> str:
    return NamingConvention.objects.get(kind=kind).template


def term() -> str:
    return ContextConfiguration.objects.get().peer_group_term


def preview_shown(response) -> str:
    body = response.content.decode().split('data-testid="preview-name"', 1)[1]
    return text_of(body.split(">", 1)[1].split("</p>", 1)[0])


def naming_events() -> int:
    return Event.objects.filter(
        kind__in=[EventKind.NAMING_CONVENTION_CHANGED, EventKind.CONTEXT_CONFIGURATION_CHANGED]
    ).count()


class TestConventionService:
    def test_an_administrator_changes_a_convention(self, administrator):
        convention = services.convention_update(
            actor=administrator, kind="location", template="  {location_type}   near {district} "
        )
        assert convention.template == "{location_type} near {district}"
        assert convention.updated_by == administrator
        event = Event.objects.get(kind=EventKind.NAMING_CONVENTION_CHANGED)
        assert event.actor == administrator
        assert event.young_person is None
        assert event.detail == {
            "kind": "location",
            "before": "{location_type} – {postcode}",
            "after": "{location_type} near {district}",
        }

    def test_an_unchanged_convention_writes_nothing(self, administrator):
        services.convention_update(
            actor=administrator, kind="school", template=template_of("school")
        )
        assert naming_events() == 0

    @pytest.mark.parametrize("who", OTHERS)
    def test_nobody_else_changes_conventions(self, request, who):
        actor = request.getfixturevalue(who)
        with pytest.raises(ApplicationError) as caught:
            services.convention_update(actor=actor, kind="school", template="{label} school")
        assert caught.value.message == NOT_ADMIN
        assert template_of("school") == "{label}"
        assert naming_events() == 0

    @pytest.mark.parametrize(
        ("template", "message"),
        [
            ("", "Enter a naming convention"),
            ("School", "The template must use at least one field, such as {area}"),
            (
                "{label} – {town}",
                "{town} is not a field a name can use. Use {term}, {label}, {area}, {postcode}, "
                "{district}, {location_type}, {opened}, {kind}",
            ),
            ("{label", "The template has an unmatched { or }. Use {{ and }} for literal braces."),
            ("{label!r}", "Remove the ! conversion from the template"),
            ("{area:>10}", "Only {opened} can have a format (after the colon), not {area}"),
            ("{label}" + "x" * 200, "The naming convention must be 200 characters or fewer"),
        ],
    )
    def test_a_template_that_cannot_name_contexts_is_refused(
        self, administrator, template, message
    ):
        with pytest.raises(ApplicationError) as caught:
            services.convention_update(actor=administrator, kind="school", template=template)
        assert caught.value.message == message
        assert caught.value.field == "template"
        assert template_of("school") == "{label}"
        assert naming_events() == 0

    def test_the_preview_names_the_sample_context(self):
        assert (
            services.convention_preview(
                kind="peer_group", template="{term} – {area} – {opened:%B %Y}", term="Network"
            )
            == "Network – Eastfield – March 2025"
        )
        assert (
            services.convention_preview(
                kind="location", template="{location_type} – {postcode} ({kind})", term="Group"
            )
            == "Park or open space – NB1 2AA (Neighbourhood or location)"
        )
        assert (
            services.convention_preview(kind="peer_group", template="{kind} {area}", term="Network")
            == "Network Eastfield"
        )


class TestConfigurationService:
    def test_an_administrator_sets_the_word_for_a_peer_group(self, administrator):
        services.configuration_update(actor=administrator, peer_group_term="connection")
        assert term() == "connection"
        event = Event.objects.get(kind=EventKind.CONTEXT_CONFIGURATION_CHANGED)
        assert event.detail == {"peer_group_term": {"before": "group", "after": "connection"}}
        assert event.actor == administrator

    def test_unchanged_writes_nothing(self, administrator):
        services.configuration_update(actor=administrator, peer_group_term="group")
        assert naming_events() == 0

    def test_an_unknown_word_is_refused(self, administrator):
        with pytest.raises(ApplicationError) as caught:
            services.configuration_update(actor=administrator, peer_group_term="gang")
        assert caught.value.message == "Choose the word to show for a peer group"
        assert term() == "group"

    @pytest.mark.parametrize("who", OTHERS)
    def test_nobody_else_sets_it(self, request, who):
        actor = request.getfixturevalue(who)
        with pytest.raises(ApplicationError) as caught:
            services.configuration_update(actor=actor, peer_group_term="network")
        assert caught.value.message == NOT_ADMIN
        assert term() == "group"


# --- Pages ---------------------------------------------------------------------------------------


class TestConventionsPage:
    def test_administrators_see_every_kind_with_a_sample_name(self, client_for, administrator):
        response = client_for(administrator).get(CONVENTIONS)
        assert response.status_code == 200
        html = response.content.decode()
        row = html.split('data-testid="convention-location"', 1)[1].split("</tr>", 1)[0]
        assert "{location_type} – {postcode}" in row
        assert "Park or open space – NB1 2AA" in row
        assert html.count('data-testid="convention-') == len(ContextKind.values)
        assert 'aria-current="true"' in html and "Context naming" in html

    @pytest.mark.parametrize("who", OTHERS)
    def test_nobody_else_has_the_page(self, request, client_for, who):
        client = client_for(request.getfixturevalue(who))
        assert client.get(CONVENTIONS).status_code == 404
        assert client.post(CONVENTIONS, {"peer_group_term": "network"}).status_code == 404
        assert client.get(edit_url("school")).status_code == 404
        assert client.post(edit_url("school"), {"template": "{label} x"}).status_code == 404
        assert client.get(preview_url("school"), {"template": "{label}"}).status_code == 404
        assert term() == "group"
        assert template_of("school") == "{label}"

    def test_the_anonymous_are_sent_to_sign_in(self, client):
        for path in (CONVENTIONS, edit_url("school"), preview_url("school")):
            response = client.get(path)
            assert response.status_code == 302
            assert response.url == sign_in_redirect(path)

    def test_the_word_for_a_peer_group_is_saved_and_used(self, client_for, administrator):
        client = client_for(administrator)
        response = client.post(CONVENTIONS, {"peer_group_term": "association"})
        assert response.status_code == 302
        assert term() == "association"
        html = client.get(CONVENTIONS).content.decode()
        row = html.split('data-testid="convention-peer_group"', 1)[1].split("</tr>", 1)[0]
        assert "Association" in text_of(row)
        assert "Association – Eastfield – 2025-03" in row

    def test_no_word_chosen_is_refused(self, client_for, administrator):
        response = client_for(administrator).post(CONVENTIONS, {})
        assert response.status_code == 400
        assert error_summary(response) == ["Choose the word to show for a peer group"]


class TestConventionEditPage:
    def test_the_page_shows_the_convention_and_its_preview(self, client_for, administrator):
        response = client_for(administrator).get(edit_url("location"))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'value="{location_type} – {postcode}"' in html
        assert preview_shown(response) == "Park or open space – NB1 2AA"
        assert "js/context-naming-preview" in html
        assert "<script>" not in html  # the CSP forbids inline script

    def test_preview_shows_the_name_without_saving(self, client_for, administrator):
        response = client_for(administrator).post(
            edit_url("location"),
            {"template": "{location_type} near {district}", "action": "preview"},
        )
        assert response.status_code == 200
        assert preview_shown(response) == "Park or open space near NB1"
        assert template_of("location") == "{location_type} – {postcode}"
        assert naming_events() == 0

    def test_preview_of_a_bad_template_says_why(self, client_for, administrator):
        response = client_for(administrator).post(
            edit_url("school"), {"template": "{school}", "action": "preview"}
        )
        assert response.status_code == 400
        assert error_summary(response)[0].startswith("{school} is not a field a name can use")
        assert template_of("school") == "{label}"

    def test_saving_changes_the_convention(self, client_for, administrator):
        response = client_for(administrator).post(
            edit_url("online"), {"template": "Online – {label} – {area}", "action": "save"}
        )
        assert response.status_code == 302
        assert response.url == CONVENTIONS
        assert template_of("online") == "Online – {label} – {area}"
        assert naming_events() == 1

    def test_saving_a_bad_template_is_refused_and_nothing_saved(self, client_for, administrator):
        response = client_for(administrator).post(
            edit_url("online"), {"template": "{opened:%Y", "action": "save"}
        )
        assert response.status_code == 400
        assert field_errors(response) == {
            "id_template": "The template has an unmatched { or }. Use {{ and }} for literal braces."
        }
        assert template_of("online") == "Online – {label}"
        assert naming_events() == 0

    def test_an_unknown_kind_is_404(self, client_for, administrator):
        assert client_for(administrator).get(edit_url("street")).status_code == 404

    def test_the_live_preview_reads_json(self, client_for, administrator):
        client = client_for(administrator)
        good = client.get(preview_url("peer_group"), {"template": "{term} in {area}"})
        assert good.json() == {"name": "Group in Eastfield", "problem": ""}
        bad = client.get(preview_url("peer_group"), {"template": "{area"})
        assert bad.json() == {
            "name": "",
            "problem": "The template has an unmatched { or }. Use {{ and }} for literal braces.",
        }
        assert naming_events() == 0
