"""Configuration pages under /configuration/harm-types/: administrators only (404 for everyone
else, who have no configuration area at all), sign-in for the anonymous."""

from __future__ import annotations

import pytest
from django.urls import reverse

from csafe.audit.models import Event, EventKind
from harms import services
from harms.models import HarmType, Nature
from tests.harms.helpers import (
    NOT_ADMINISTRATORS,
    assert_error_page,
    error_summary,
    field_errors,
    harm_type,
    messages_of,
    page_of,
    sign_in_redirect,
)

pytestmark = pytest.mark.django_db

LIST = reverse("harms:type_list")
CREATE = reverse("harms:type_create")


def edit_url(harm_type) -> str:
    return reverse("harms:type_edit", args=[harm_type.pk])


def retire_url(harm_type) -> str:
    return reverse("harms:type_retire", args=[harm_type.pk])


def reactivate_url(harm_type) -> str:
    return reverse("harms:type_reactivate", args=[harm_type.pk])


def history_url(harm_type) -> str:
    return reverse("harms:type_history", args=[harm_type.pk])


def type_form(**overrides) -> dict[str, str]:
    data = {
        "name": "Financial exploitation",
        "parent": "",
        "nature": Nature.EXTRA_FAMILIAL,
        "cin_code": "",
        "description": "Money muling and debt bondage.",
    }
    data.update(overrides)
    return data


def edit_form(harm_type, **overrides) -> dict[str, str]:
    data = {
        "name": harm_type.name,
        "parent": str(harm_type.parent_id or ""),
        "nature": harm_type.nature,
        "cin_code": harm_type.cin_code,
        "description": harm_type.description,
    }
    data.update(overrides)
    return data


def get_urls(cse) -> list[str]:
    return [LIST, CREATE, edit_url(cse), history_url(cse), retire_url(cse)]


class TestAccess:
    @pytest.mark.parametrize("role_holder", NOT_ADMINISTRATORS)
    def test_every_page_is_not_found_for_non_administrators(
        self, request, client_for, cse, role_holder
    ):
        client = client_for(request.getfixturevalue(role_holder))

        for url in get_urls(cse):
            assert client.get(url).status_code == 404, url
        assert client.post(CREATE, type_form()).status_code == 404
        assert client.post(edit_url(cse), edit_form(cse, name="Renamed")).status_code == 404
        assert client.post(retire_url(cse), {"reason": "Gone"}).status_code == 404
        assert not HarmType.objects.filter(name__in=["Financial exploitation", "Renamed"]).exists()
        cse.refresh_from_db()
        assert cse.is_active is True

    def test_anonymous_is_sent_to_sign_in(self, client, cse):
        for url in get_urls(cse):
            assert client.get(url)["Location"] == sign_in_redirect(url)
        assert client.post(CREATE, type_form())["Location"] == sign_in_redirect(CREATE)
        assert client.post(retire_url(cse), {"reason": "Gone"})["Location"] == sign_in_redirect(
            retire_url(cse)
        )
        assert not HarmType.objects.filter(name="Financial exploitation").exists()
        cse.refresh_from_db()
        assert cse.is_active is True

    def test_administrator_sees_every_page(self, client_for, administrator, cse):
        client = client_for(administrator)

        for url in get_urls(cse):
            assert client.get(url).status_code == 200, url

    def test_an_unknown_type_is_not_found(self, client_for, administrator):
        client = client_for(administrator)

        assert client.get("/configuration/harm-types/999999/edit/").status_code == 404
        assert client.post("/configuration/harm-types/999999/retire/").status_code == 404


class TestList:
    def test_lists_the_tree_with_codes_and_current_flag_counts(
        self, client_for, administrator, cse, raise_flag
    ):
        raise_flag(cse)

        response = client_for(administrator).get(LIST)

        page = page_of(response)
        assert "Exploitation › Child sexual exploitation" in page
        assert "24A" in page and "11A" in page and "4B" in page
        nodes = {node.harm_type.name: node for node in response.context["nodes"]}
        assert nodes["Child sexual exploitation"].active_flags == 1
        assert nodes["Neglect"].active_flags == 0
        assert len(nodes) == 21


class TestCreate:
    def test_adds_a_type(self, client_for, administrator, exploitation):
        client = client_for(administrator)

        response = client.post(CREATE, type_form(parent=str(exploitation.pk), cin_code="20"))

        assert response.status_code == 302
        assert response["Location"] == LIST
        created = HarmType.objects.get(name="Financial exploitation")
        assert (created.parent, created.cin_code, created.nature) == (
            exploitation,
            "20",
            Nature.EXTRA_FAMILIAL,
        )
        assert created.history.get().history_user == administrator
        assert messages_of(client.get(LIST)) == ["Financial exploitation added"]

    def test_an_empty_form_lists_every_problem(self, client_for, administrator):
        before = HarmType.objects.count()

        response = client_for(administrator).post(CREATE, {})

        assert_error_page(
            response, ["Enter a name for the harm type", "Choose the nature of this harm type"]
        )
        assert field_errors(response) == {
            "id_name": "Enter a name for the harm type",
            "id_nature": "Choose the nature of this harm type",
        }
        assert HarmType.objects.count() == before

    def test_a_duplicate_name_is_refused_whatever_the_case(self, client_for, administrator):
        before = HarmType.objects.count()

        response = client_for(administrator).post(
            CREATE, type_form(name="neglect", nature=Nature.INTRA_FAMILIAL)
        )

        assert_error_page(
            response, ["There is already a harm type called neglect at the top level"]
        )
        assert field_errors(response) == {
            "id_name": "There is already a harm type called neglect at the top level"
        }
        assert HarmType.objects.count() == before

    def test_an_unknown_cin_code_is_refused(self, client_for, administrator):
        response = client_for(administrator).post(CREATE, type_form(cin_code="99Z"))

        assert_error_page(
            response, ["Select a valid choice. 99Z is not one of the available choices."]
        )
        assert not HarmType.objects.filter(name="Financial exploitation").exists()


class TestEdit:
    def test_shows_the_current_values(self, client_for, administrator, cse, exploitation):
        response = client_for(administrator).get(edit_url(cse))

        form = response.context["form"]
        assert form.initial["name"] == "Child sexual exploitation"
        assert form.initial["parent"] == exploitation.pk
        assert form.initial["cin_code"] == "11A"
        assert "Change Child sexual exploitation" in page_of(response)

    def test_renames_recodes_and_moves(self, client_for, administrator, cse):
        group = harm_type("Peer-on-peer abuse")
        client = client_for(administrator)

        response = client.post(
            edit_url(cse), edit_form(cse, name="Sexual exploitation", parent=str(group.pk))
        )

        assert response["Location"] == LIST
        cse.refresh_from_db()
        assert (cse.name, cse.parent) == ("Sexual exploitation", group)
        assert Event.objects.get(kind=EventKind.HARM_TYPE_UPDATED).actor == administrator
        assert messages_of(client.get(LIST)) == ["Sexual exploitation saved"]

    def test_moving_under_its_own_sub_type_is_refused(
        self, client_for, administrator, exploitation, cse
    ):
        response = client_for(administrator).post(
            edit_url(exploitation), edit_form(exploitation, parent=str(cse.pk))
        )

        message = "A harm type cannot be moved under itself or one of its own sub-types"
        assert_error_page(response, [message])
        assert field_errors(response) == {"id_parent": message}
        exploitation.refresh_from_db()
        assert exploitation.parent is None

    def test_a_clash_with_a_sibling_is_refused(self, client_for, administrator, cse):
        response = client_for(administrator).post(
            edit_url(cse), edit_form(cse, name="Trafficking and Modern Slavery")
        )

        assert error_summary(response) == [
            "There is already a harm type called Trafficking and Modern Slavery under Exploitation"
        ]
        assert response.status_code == 400
        cse.refresh_from_db()
        assert cse.name == "Child sexual exploitation"


class TestRetireAndReactivate:
    def test_the_confirmation_page_counts_the_current_flags_and_asks_why(
        self,
        client_for,
        administrator,
        cse,
        raise_flag,
        archive_flag,
        other_young_person,
        other_team_practitioner,
    ):
        archive_flag(raise_flag(cse))  # archived: not counted
        raise_flag(cse)
        raise_flag(cse, on=other_young_person, actor=other_team_practitioner)

        response = client_for(administrator).get(retire_url(cse))

        assert response.status_code == 200
        page = page_of(response)
        assert "Retire Child sexual exploitation" in page
        assert (
            "2 young people have a current flag of this type. "
            "Their flags stay and show as a retired type."
        ) in page
        assert "Why is this type being retired?" in page
        cse.refresh_from_db()
        assert cse.is_active is True

    def test_retire_with_a_reason_then_bring_back(self, client_for, administrator, cse):
        client = client_for(administrator)

        response = client.post(retire_url(cse), {"reason": "Merged into sexual abuse"})

        assert response["Location"] == LIST
        cse.refresh_from_db()
        assert cse.is_active is False
        assert cse.retired_reason == "Merged into sexual abuse"
        assert cse.retired_by == administrator
        assert cse.retired_at is not None
        assert cse.history.first().history_user == administrator
        event = Event.objects.get(kind=EventKind.HARM_TYPE_RETIRED)
        assert (event.actor, event.detail) == (
            administrator,
            {"reason": "Merged into sexual abuse"},
        )
        assert messages_of(client.get(LIST)) == ["Child sexual exploitation retired"]
        assert "Retired: Merged into sexual abuse" in page_of(client.get(history_url(cse)))

        response = client.post(reactivate_url(cse))

        cse.refresh_from_db()
        assert cse.is_active is True
        assert (cse.retired_at, cse.retired_by, cse.retired_reason) == (None, None, "")
        assert messages_of(client.get(LIST)) == ["Child sexual exploitation brought back into use"]

    @pytest.mark.parametrize("reason", ["", "   "])
    def test_a_reason_is_required(self, client_for, administrator, cse, reason):
        response = client_for(administrator).post(retire_url(cse), {"reason": reason})

        assert response.status_code == 400
        assert error_summary(response) == ["Enter why this harm type is being retired"]
        assert field_errors(response) == {"id_reason": "Enter why this harm type is being retired"}
        cse.refresh_from_db()
        assert cse.is_active is True
        assert not Event.objects.filter(kind=EventKind.HARM_TYPE_RETIRED).exists()

    def test_retiring_a_retired_type_says_so(self, client_for, administrator, cse):
        services.harm_type_set_active(
            actor=administrator, harm_type=cse, active=False, reason="No longer used"
        )
        client = client_for(administrator)

        response = client.post(retire_url(cse), {"reason": "Again"})

        assert response["Location"] == LIST
        assert messages_of(client.get(LIST)) == ["Child sexual exploitation is already retired"]
        assert Event.objects.filter(kind=EventKind.HARM_TYPE_RETIRED).count() == 1

    def test_the_list_links_to_the_confirmation_page(self, client_for, administrator, cse):
        page = client_for(administrator).get(LIST).content.decode()

        assert f'href="{retire_url(cse)}">Retire<span class="govuk-visually-hidden">' in page

    @pytest.mark.parametrize("role_holder", NOT_ADMINISTRATORS)
    def test_the_confirmation_page_is_not_found_for_non_administrators(
        self, request, client_for, cse, role_holder
    ):
        client = client_for(request.getfixturevalue(role_holder))

        assert client.get(retire_url(cse)).status_code == 404
        assert client.post(retire_url(cse), {"reason": "Gone"}).status_code == 404
        cse.refresh_from_db()
        assert cse.is_active is True

    def test_anonymous_is_sent_to_sign_in_from_the_confirmation_page(self, client, cse):
        assert client.get(retire_url(cse))["Location"] == sign_in_redirect(retire_url(cse))
        response = client.post(retire_url(cse), {"reason": "Gone"})
        assert response["Location"] == sign_in_redirect(retire_url(cse))
        cse.refresh_from_db()
        assert cse.is_active is True


class TestHistory:
    def test_shows_each_version_with_who_changed_it(self, client_for, administrator, cse):
        services.harm_type_update(
            actor=administrator,
            harm_type=cse,
            name="Sexual exploitation",
            nature=cse.nature,
            parent=cse.parent,
            cin_code=cse.cin_code,
            description="",
        )
        services.harm_type_set_active(
            actor=administrator, harm_type=cse, active=False, reason="No longer used"
        )

        response = client_for(administrator).get(history_url(cse))

        history = list(response.context["history"])
        assert [(h.name, h.is_active, h.history_user) for h in history] == [
            ("Sexual exploitation", False, administrator),
            ("Sexual exploitation", True, administrator),
            ("Child sexual exploitation", True, None),  # loaded with the default taxonomy
        ]
        page = page_of(response)
        assert "History of Sexual exploitation" in page
        assert "Ada Tester" in page
        assert "Retired" in page

    def test_a_renamed_default_type_keeps_its_original_name_in_its_history(
        self, client_for, administrator, cse
    ):
        services.harm_type_update(
            actor=administrator,
            harm_type=cse,
            name="Sexual exploitation",
            nature=cse.nature,
            parent=cse.parent,
            cin_code=cse.cin_code,
            description="",
        )

        response = client_for(administrator).get(history_url(cse))

        names = [h.name for h in response.context["history"]]
        assert names == ["Sexual exploitation", "Child sexual exploitation"]
