"""Naming conventions built from their parts (no format strings to write), every format
validated (unknown fields, date codes strftime would pass through), and the data migration that
puts a refused stored convention back to its default."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.test import Client
from django.urls import reverse

from contexts.defaults import DEFAULT_CONVENTIONS
from contexts.models import NamingConvention
from contexts.naming import build_template, builder_initial, template_fields
from contexts.services import configuration as services
from csafe.core.errors import ApplicationError
from tests.html_pages import error_summary, text_of

pytestmark = pytest.mark.django_db

CODES = "Use %Y, %y, %m, %B, %b or %d"


def edit_url(kind: str) -> str:
    return reverse("contexts:convention_edit", args=[kind])


def preview_shown(response) -> str:
    body = response.content.decode().split('data-testid="preview-name"', 1)[1]
    return text_of(body.split(">", 1)[1].split("</p>", 1)[0])


def built(**choices) -> dict[str, str]:
    """A builder form post: every part empty unless given, saved unless ``action`` says not."""
    data = {f"part_{i}": "" for i in range(1, 6)} | {"words": "", "separator": " – "}
    data |= {"template": "", "loaded": "", "action": "save"}
    return data | choices


class TestFormatsValidated:
    @pytest.mark.parametrize(
        ("template", "message"),
        [
            ("{opened:%Q}", f"%Q is not a date code a name can use. {CODES}"),
            ("{area} {opened:%-d}", f"%- is not a date code a name can use. {CODES}"),
            ("{opened:%}", f"A % on its own is not a date code a name can use. {CODES}"),
            (
                "{opened:soon}",
                "The date format after {opened:} must use a date code: %Y, %y, %m, %B, %b or %d",
            ),
            ("{school}", None),
        ],
    )
    def test_refused_with_a_clear_message(self, administrator, template, message):
        with pytest.raises(ApplicationError) as refused:
            services.convention_update(actor=administrator, kind="school", template=template)
        if message:
            assert refused.value.message == message
        else:
            assert refused.value.message.startswith("{school} is not a field a name can use")
        assert NamingConvention.objects.get(kind="school").template == "{label}"

    def test_the_preview_refuses_percent_q_instead_of_showing_it(self, client_for, administrator):
        response = client_for(administrator).post(
            edit_url("online"), {"template": "{label} {opened:%Q}", "action": "preview"}
        )

        assert response.status_code == 400
        assert error_summary(response) == [f"%Q is not a date code a name can use. {CODES}"]
        assert "%Q</p>" not in response.content.decode()

    def test_every_default_passes(self):
        for template in DEFAULT_CONVENTIONS.values():
            assert template_fields(str(template))


class TestBuilder:
    def test_the_page_shows_the_parts_of_the_saved_convention(self, client_for, administrator):
        html = client_for(administrator).get(edit_url("peer_group")).content.decode()

        assert 'data-testid="convention-builder"' in html
        assert '<option value="{term}" selected>' in html
        assert '<option value="{opened:%Y-%m}" selected>' in html
        assert "Write the convention yourself" in html

    def test_building_saves_the_template_and_previews_a_real_name(self, client_for, administrator):
        client = client_for(administrator)
        choices = built(
            words="Online",
            part_1="{label}",
            part_2="{opened:%B %Y}",
            separator=", ",
        )

        preview = client.post(edit_url("online"), choices | {"action": "preview"})
        saved = client.post(edit_url("online"), choices)

        assert preview_shown(preview) == "Online, Northgate year 9 chat, March 2025"
        assert saved.status_code == 302
        assert NamingConvention.objects.get(kind="online").template == (
            "Online, {label}, {opened:%B %Y}"
        )

    def test_the_unchanged_written_convention_gives_way_to_the_built_one(
        self, client_for, administrator
    ):
        response = client_for(administrator).post(
            edit_url("school"),
            built(part_1="{label}", part_2="{area}", template="{label}", loaded="{label}"),
        )

        assert response.status_code == 302
        assert NamingConvention.objects.get(kind="school").template == "{label} – {area}"

    def test_nothing_chosen_says_so(self, client_for, administrator):
        response = client_for(administrator).post(edit_url("school"), built(separator=""))

        assert response.status_code == 400
        assert error_summary(response) == ["Choose the first part of the name"]
        assert NamingConvention.objects.get(kind="school").template == "{label}"

    def test_two_parts_need_a_separator(self, client_for, administrator):
        response = client_for(administrator).post(
            edit_url("school"), built(part_1="{label}", part_2="{area}", separator="")
        )

        assert error_summary(response) == ["Choose what goes between the parts of the name"]

    def test_a_part_that_is_not_offered_is_refused(self, client_for, administrator):
        response = client_for(administrator).post(edit_url("school"), built(part_1="{opened:%Q}"))

        assert response.status_code == 400
        assert NamingConvention.objects.get(kind="school").template == "{label}"

    @pytest.mark.parametrize("who", ["practitioner", "team_manager", "service_manager"])
    def test_nobody_else_builds(self, request, client_for, who):
        response = client_for(request.getfixturevalue(who)).post(
            edit_url("school"), built(part_1="{area}")
        )

        assert response.status_code == 404
        assert NamingConvention.objects.get(kind="school").template == "{label}"

    def test_the_anonymous_are_sent_to_sign_in(self):
        response = Client().post(edit_url("school"), built(part_1="{area}"))

        assert response.status_code == 302
        assert NamingConvention.objects.get(kind="school").template == "{label}"

    @pytest.mark.parametrize("template", [str(t) for t in DEFAULT_CONVENTIONS.values()])
    def test_every_default_round_trips_through_the_builder(self, template):
        initial = builder_initial(template)
        parts = [initial.get(f"part_{i}", "") for i in range(1, 6)]

        assert (
            build_template(words=initial["words"], parts=parts, separator=initial["separator"])
            == template
        )


class TestDataMigration:
    def test_a_refused_convention_goes_back_to_its_default_and_a_good_one_stays(self):
        NamingConvention.objects.filter(kind="online").update(template="Online {opened:%Q}")
        NamingConvention.objects.filter(kind="school").update(template="{label} ({area})")
        migration = importlib.import_module("contexts.migrations.0006_validate_conventions")

        migration.reset_refused_conventions(django_apps, None)

        assert NamingConvention.objects.get(kind="online").template == "Online – {label}"
        assert NamingConvention.objects.get(kind="school").template == "{label} ({area})"
