"""The default taxonomy from the data migration, the taxonomy services and the tree selector."""

from __future__ import annotations

import pytest

from csafe.audit.models import Event, EventKind
from csafe.core.errors import ApplicationError
from harms import selectors, services
from harms.models import FlagStatus, HarmType, Nature
from tests.harms.helpers import NOT_ADMINISTRATORS, harm_type

pytestmark = pytest.mark.django_db

ONLY_ADMINISTRATORS = "Only administrators can change the harm taxonomy"
CYCLE = "A harm type cannot be moved under itself or one of its own sub-types"

# The codes the taxonomy carries, from the CIN census "factors identified at the end of assessment".
DEFAULT_CODES = {
    "Child sexual exploitation": "11A",
    "Child criminal exploitation, including county lines": "24A",
    "Trafficking and modern slavery": "12A",
    "Gangs": "13A",
    "Going missing": "10A",
    "Peer-on-peer physical abuse": "18B",
    "Peer-on-peer sexual abuse": "19B",
    "Domestic abuse in the home": "3A",
    "Neglect": "16A",
    "Emotional abuse": "17A",
    "Physical abuse by an adult": "18C",
    "Sexual abuse by an adult": "19C",
    "Parental alcohol misuse": "1B",
    "Parental drug misuse": "2B",
    "Parental mental health": "4B",
}
LOCAL_TYPES = [
    "Serious youth violence",
    "Teenage relationship abuse",
    "Online harm",
    "Radicalisation",
]
INTRA_FAMILIAL = {
    "Domestic abuse in the home",
    "Neglect",
    "Emotional abuse",
    "Physical abuse by an adult",
    "Sexual abuse by an adult",
    "Parental alcohol misuse",
    "Parental drug misuse",
    "Parental mental health",
}


def events(kind) -> list[Event]:
    return list(Event.objects.filter(kind=kind).order_by("pk"))


# === The default taxonomy =======================================================================


class TestDefaultTaxonomy:
    def test_coded_types_carry_exactly_the_cin_codes_of_the_issue(self):
        coded = dict(HarmType.objects.exclude(cin_code="").values_list("name", "cin_code"))

        assert coded == DEFAULT_CODES

    @pytest.mark.parametrize("name", LOCAL_TYPES)
    def test_local_types_exist_without_a_code(self, name):
        local = harm_type(name)

        assert local.cin_code == ""
        assert local.nature == Nature.EXTRA_FAMILIAL
        assert local.parent is None

    def test_exploitation_groups_cse_cce_and_trafficking(self, exploitation):
        children = set(exploitation.children.values_list("name", flat=True))

        assert children == {
            "Child sexual exploitation",
            "Child criminal exploitation, including county lines",
            "Trafficking and modern slavery",
        }
        assert exploitation.parent is None
        assert exploitation.nature == Nature.EXTRA_FAMILIAL

    def test_peer_on_peer_abuse_groups_the_child_on_child_codes(self):
        group = harm_type("Peer-on-peer abuse")

        assert dict(group.children.values_list("name", "cin_code")) == {
            "Peer-on-peer physical abuse": "18B",
            "Peer-on-peer sexual abuse": "19B",
        }

    def test_nature_of_every_default_type(self):
        natures = dict(HarmType.objects.values_list("name", "nature"))

        assert {n for n, nature in natures.items() if nature == Nature.INTRA_FAMILIAL} == (
            INTRA_FAMILIAL
        )
        assert Nature.EITHER not in natures.values()
        assert harm_type("Gangs").is_extra_familial is True
        assert harm_type("Neglect").is_extra_familial is False

    def test_every_default_type_is_in_use_and_there_are_no_others(self):
        assert HarmType.objects.count() == 21
        assert not HarmType.objects.filter(is_active=False).exists()


# === Taxonomy services ==========================================================================


class TestCreate:
    def test_administrator_adds_a_type_with_history_and_an_event(self, administrator, exploitation):
        created = services.harm_type_create(
            actor=administrator,
            name="  Financial exploitation  ",
            nature=Nature.EXTRA_FAMILIAL,
            parent=exploitation,
            cin_code="20",
            description="  Money muling.  ",
        )

        created.refresh_from_db()
        assert (created.name, created.parent, created.cin_code, created.description) == (
            "Financial exploitation",
            exploitation,
            "20",
            "Money muling.",
        )
        assert created.is_active is True
        history = list(created.history.all())
        assert [(h.history_type, h.history_user) for h in history] == [("+", administrator)]
        [event] = events(EventKind.HARM_TYPE_CREATED)
        assert (event.actor, event.target_id) == (administrator, str(created.pk))

    @pytest.mark.parametrize("role_holder", NOT_ADMINISTRATORS)
    def test_only_administrators_add_types(self, request, role_holder):
        before = HarmType.objects.count()

        with pytest.raises(ApplicationError) as refused:
            services.harm_type_create(
                actor=request.getfixturevalue(role_holder),
                name="Financial exploitation",
                nature=Nature.EXTRA_FAMILIAL,
            )

        assert refused.value.message == ONLY_ADMINISTRATORS
        assert HarmType.objects.count() == before
        assert events(EventKind.HARM_TYPE_CREATED) == []

    def test_duplicate_name_under_the_same_parent_is_refused_whatever_the_case(
        self, administrator, exploitation
    ):
        before = HarmType.objects.count()

        with pytest.raises(ApplicationError) as refused:
            services.harm_type_create(
                actor=administrator,
                name="child SEXUAL exploitation",
                nature=Nature.EXTRA_FAMILIAL,
                parent=exploitation,
            )

        assert refused.value.message == (
            "There is already a harm type called child SEXUAL exploitation under Exploitation"
        )
        assert refused.value.field == "name"
        assert HarmType.objects.count() == before

    def test_duplicate_top_level_name_is_refused(self, administrator):
        with pytest.raises(ApplicationError) as refused:
            services.harm_type_create(
                actor=administrator, name=" NEGLECT ", nature=Nature.INTRA_FAMILIAL
            )

        assert (
            refused.value.message == "There is already a harm type called NEGLECT at the top level"
        )
        assert HarmType.objects.filter(name__iexact="neglect").count() == 1

    def test_the_same_name_under_another_parent_is_allowed(self, administrator):
        group = harm_type("Peer-on-peer abuse")

        created = services.harm_type_create(
            actor=administrator,
            name="Child sexual exploitation",
            nature="extra_familial",
            parent=group,
        )

        assert HarmType.objects.filter(name="Child sexual exploitation").count() == 2
        assert created.parent == group


class TestUpdate:
    def test_rename_keeps_flags_and_records_who_and_the_old_name(
        self, administrator, cse, exploitation, raise_flag
    ):
        flag = raise_flag(cse)

        services.harm_type_update(
            actor=administrator,
            harm_type=cse,
            name="Sexual exploitation",
            nature=Nature.EXTRA_FAMILIAL,
            parent=exploitation,
            cin_code="11A",
            description="Renamed locally.",
        )

        flag.refresh_from_db()
        assert flag.harm_type.name == "Sexual exploitation"
        assert flag.status == FlagStatus.ACTIVE
        latest = cse.history.order_by("-history_id").first()
        assert (latest.history_type, latest.history_user, latest.name) == (
            "~",
            administrator,
            "Sexual exploitation",
        )
        [event] = events(EventKind.HARM_TYPE_UPDATED)
        assert event.actor == administrator
        assert event.detail["before"] == {
            "name": "Child sexual exploitation",
            "parent": exploitation.pk,
            "cin_code": "11A",
        }

    def test_move_to_another_parent(self, administrator, cse):
        group = harm_type("Peer-on-peer abuse")

        services.harm_type_update(
            actor=administrator,
            harm_type=cse,
            name=cse.name,
            nature=cse.nature,
            parent=group,
            cin_code=cse.cin_code,
            description="",
        )

        cse.refresh_from_db()
        assert cse.parent == group
        assert cse.history.order_by("-history_id").first().parent_id == group.pk

    def test_renaming_to_its_own_name_in_another_case_is_not_a_clash(self, administrator):
        neglect = harm_type("Neglect")

        services.harm_type_update(
            actor=administrator,
            harm_type=neglect,
            name="NEGLECT",
            nature=neglect.nature,
            parent=None,
            cin_code=neglect.cin_code,
            description="",
        )

        neglect.refresh_from_db()
        assert neglect.name == "NEGLECT"

    def test_rename_onto_a_sibling_is_refused(self, administrator, cse, exploitation):
        with pytest.raises(ApplicationError) as refused:
            services.harm_type_update(
                actor=administrator,
                harm_type=cse,
                name="trafficking and modern slavery",
                nature=cse.nature,
                parent=exploitation,
                cin_code=cse.cin_code,
                description="",
            )

        assert refused.value.message == (
            "There is already a harm type called trafficking and modern slavery under Exploitation"
        )
        cse.refresh_from_db()
        assert cse.name == "Child sexual exploitation"

    def test_moving_under_itself_is_refused(self, administrator, exploitation):
        with pytest.raises(ApplicationError) as refused:
            self._move(administrator, exploitation, exploitation)

        assert (refused.value.message, refused.value.field) == (CYCLE, "parent")

    def test_moving_under_a_child_is_refused(self, administrator, exploitation, cse):
        with pytest.raises(ApplicationError) as refused:
            self._move(administrator, exploitation, cse)

        assert refused.value.message == CYCLE
        exploitation.refresh_from_db()
        assert exploitation.parent is None
        assert events(EventKind.HARM_TYPE_UPDATED) == []

    def test_moving_under_a_grandchild_is_refused(self, administrator, exploitation, cse):
        grandchild = services.harm_type_create(
            actor=administrator, name="Online CSE", nature=Nature.EXTRA_FAMILIAL, parent=cse
        )

        with pytest.raises(ApplicationError) as refused:
            self._move(administrator, exploitation, grandchild)

        assert refused.value.message == CYCLE
        exploitation.refresh_from_db()
        assert exploitation.parent is None

    @pytest.mark.parametrize("role_holder", NOT_ADMINISTRATORS)
    def test_only_administrators_change_types(self, request, role_holder, cse):
        with pytest.raises(ApplicationError) as refused:
            services.harm_type_update(
                actor=request.getfixturevalue(role_holder),
                harm_type=cse,
                name="Renamed",
                nature=cse.nature,
                parent=None,
                cin_code="",
                description="",
            )

        assert refused.value.message == ONLY_ADMINISTRATORS
        cse.refresh_from_db()
        assert (cse.name, cse.cin_code) == ("Child sexual exploitation", "11A")
        assert cse.history.count() == 1  # only the row the default taxonomy was loaded with

    @staticmethod
    def _move(actor, harm_type, parent):
        return services.harm_type_update(
            actor=actor,
            harm_type=harm_type,
            name=harm_type.name,
            nature=harm_type.nature,
            parent=parent,
            cin_code=harm_type.cin_code,
            description=harm_type.description,
        )


class TestRetireAndReactivate:
    def test_retiring_keeps_every_flag_that_used_the_type(
        self, administrator, cse, raise_flag, archive_flag
    ):
        current = raise_flag(cse)

        services.harm_type_set_active(
            actor=administrator, harm_type=cse, active=False, reason="No longer used"
        )

        cse.refresh_from_db()
        current.refresh_from_db()
        assert cse.is_active is False
        assert current.harm_type == cse
        assert current.status == FlagStatus.ACTIVE
        assert cse.flags.count() == 1
        latest = cse.history.order_by("-history_id").first()
        assert (latest.history_user, latest.is_active) == (administrator, False)
        [event] = events(EventKind.HARM_TYPE_RETIRED)
        assert event.actor == administrator
        # The kept flag can still be archived after its type is retired.
        archive_flag(current)
        current.refresh_from_db()
        assert current.status == FlagStatus.ARCHIVED

    def test_reactivate_brings_a_type_back(self, administrator, cse):
        services.harm_type_set_active(
            actor=administrator, harm_type=cse, active=False, reason="No longer used"
        )

        services.harm_type_set_active(actor=administrator, harm_type=cse, active=True)

        cse.refresh_from_db()
        assert cse.is_active is True
        [event] = events(EventKind.HARM_TYPE_REACTIVATED)
        assert event.actor == administrator
        # The default taxonomy's own row, then retired, then back in use.
        assert [h.is_active for h in cse.history.order_by("history_id")] == [True, False, True]

    def test_retiring_twice_is_refused(self, administrator, cse):
        services.harm_type_set_active(
            actor=administrator, harm_type=cse, active=False, reason="No longer used"
        )

        with pytest.raises(ApplicationError) as refused:
            services.harm_type_set_active(
                actor=administrator, harm_type=cse, active=False, reason="No longer used"
            )

        assert refused.value.message == "Child sexual exploitation is already retired"
        assert len(events(EventKind.HARM_TYPE_RETIRED)) == 1

    def test_reactivating_a_type_in_use_is_refused(self, administrator, cse):
        with pytest.raises(ApplicationError) as refused:
            services.harm_type_set_active(actor=administrator, harm_type=cse, active=True)

        assert refused.value.message == "Child sexual exploitation is already in use"

    def test_a_child_comes_back_only_after_its_parent(self, administrator, cse, exploitation):
        services.harm_type_set_active(
            actor=administrator, harm_type=cse, active=False, reason="No longer used"
        )
        services.harm_type_set_active(
            actor=administrator, harm_type=exploitation, active=False, reason="No longer used"
        )

        with pytest.raises(ApplicationError) as refused:
            services.harm_type_set_active(actor=administrator, harm_type=cse, active=True)

        assert refused.value.message == "Bring Exploitation back into use first"
        cse.refresh_from_db()
        assert cse.is_active is False

    @pytest.mark.parametrize("role_holder", NOT_ADMINISTRATORS)
    def test_only_administrators_retire(self, request, role_holder, cse):
        with pytest.raises(ApplicationError) as refused:
            services.harm_type_set_active(
                actor=request.getfixturevalue(role_holder),
                harm_type=cse,
                active=False,
                reason="No longer used",
            )

        assert refused.value.message == ONLY_ADMINISTRATORS
        cse.refresh_from_db()
        assert cse.is_active is True


# === Tree selector ==============================================================================


class TestTree:
    def test_depth_first_with_paths_and_active_flag_counts(
        self, cse, cce, raise_flag, archive_flag
    ):
        raise_flag(cse)
        archive_flag(raise_flag(cce))

        nodes = {node.harm_type.name: node for node in selectors.harm_type_tree(with_counts=True)}
        paths = [node.path for node in selectors.harm_type_tree()]

        start = paths.index("Exploitation")
        assert paths[start : start + 4] == [
            "Exploitation",
            "Exploitation › Child criminal exploitation, including county lines",
            "Exploitation › Child sexual exploitation",
            "Exploitation › Trafficking and modern slavery",
        ]
        assert nodes["Child sexual exploitation"].depth == 1
        assert nodes["Exploitation"].depth == 0
        assert nodes["Child sexual exploitation"].active_flags == 1
        # Archived flags no longer count as current.
        assert nodes["Child criminal exploitation, including county lines"].active_flags == 0
        assert len(paths) == 21

    def test_choices_leave_out_retired_types_unless_asked(self, administrator, cse):
        services.harm_type_set_active(
            actor=administrator, harm_type=cse, active=False, reason="No longer used"
        )

        assert (cse.pk, "Exploitation › Child sexual exploitation") not in (
            selectors.harm_type_choices()
        )
        assert (cse.pk, "Exploitation › Child sexual exploitation") in (
            selectors.harm_type_choices(include_retired=True)
        )
        assert len(selectors.harm_type_choices()) == 20
