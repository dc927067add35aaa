"""Harm flags on the young person's page: current flags grouped by nature, archived flags with
their reason and rationale, and the timeline of flags raised, archived and reinstated."""

from __future__ import annotations

import re

import pytest

from cases.selectors import flag_timeline_for_young_person, flags_for_young_person
from cases.services import flags as services
from harms.models import ArchiveReason
from tests.harms.helpers import (
    NO_ACCESS,
    archive_url,
    detail_url,
    page_of,
    raise_url,
    reinstate_url,
    sign_in_redirect,
    text_of,
)

pytestmark = pytest.mark.django_db

CCE = "Child criminal exploitation, including county lines"
CSE = "Child sexual exploitation"
DOMESTIC_ABUSE = "Domestic abuse in the home"
# The badge is the first <strong> inside each element marked as a current flag.
_BADGE = re.compile(r'data-testid="current-flag"[^>]*>\s*<strong[^>]*>(.*?)</strong>', re.S)


def flags_section(response) -> str:
    page = page_of(response)
    start = page.index('data-testid="harm-flags"')
    return page[start : page.index("</section>", start)]


def current_flags(response) -> dict[str, list[str]]:
    """{"Extra-familial": [badge, ...], "Intra-familial": [...]} as the page groups them."""
    section = flags_section(response)
    if "Extra-familial</h3>" not in section:
        return {"Extra-familial": [], "Intra-familial": []}
    extra_start = section.index("Extra-familial</h3>")
    intra_start = section.index("Intra-familial</h3>")
    ends = [
        section.find(marker, intra_start)
        for marker in ("Raise a harm flag", 'data-testid="archived-flags"', "Flag timeline")
    ]
    intra_end = min([end for end in ends if end != -1], default=len(section))
    return {
        "Extra-familial": _BADGE.findall(section[extra_start:intra_start]),
        "Intra-familial": _BADGE.findall(section[intra_start:intra_end]),
    }


def archived_flags(response) -> list[str]:
    section = flags_section(response)
    return [
        text_of(block)
        for block in re.findall(r'data-testid="archived-flag">(.*?)</div>', section, re.S)
    ]


def timeline(response) -> list[str]:
    section = flags_section(response)
    if 'data-testid="flag-timeline"' not in section:
        return []
    items = section[section.index('data-testid="flag-timeline"') :].split(
        'class="moj-timeline__item"'
    )[1:]
    return [
        " | ".join(
            text_of(part)
            for part in re.findall(
                r'<(?:h4 class="moj-timeline__title"|p class="moj-timeline__byline"|'
                r'div class="moj-timeline__description")>(.*?)</(?:h4|p|div)>',
                item,
                re.S,
            )
        )
        for item in items
    ]


@pytest.fixture
def co_occurring(young_person, practitioner, team_manager, cce, cse, domestic_abuse, raise_flag):
    """Co-occurring harms: CCE (extra-familial) and domestic abuse (intra-familial) current,
    CSE archived as never a concern."""
    raise_flag(cce, review_date=None)
    raise_flag(domestic_abuse, actor=team_manager)
    services.harm_flag_archive(
        actor=practitioner,
        flag=raise_flag(cse),
        reason=ArchiveReason.NEVER,
        rationale="Assessment found no sexual exploitation.",
    )
    return young_person


class TestFlagsOnTheRecord:
    @pytest.mark.parametrize("role_holder", ["practitioner", "team_manager"])
    def test_current_flags_are_grouped_by_nature_and_the_archived_one_is_not_current(
        self, request, client_for, co_occurring, role_holder
    ):
        response = client_for(request.getfixturevalue(role_holder)).get(detail_url(co_occurring))

        assert response.status_code == 200
        assert current_flags(response) == {
            "Extra-familial": [CCE],
            "Intra-familial": [DOMESTIC_ABUSE],
        }
        flags = response.context["flags"]
        assert [f.harm_type.name for f in flags.current] == [CCE, DOMESTIC_ABUSE]
        assert [f.harm_type.name for f in flags.archived] == [CSE]

    def test_archived_flags_show_reason_rationale_and_who(
        self, client_for, practitioner, co_occurring
    ):
        response = client_for(practitioner).get(detail_url(co_occurring))

        [archived] = archived_flags(response)
        assert archived.startswith(f"{CSE} Never a concern: assessed as absent")
        assert "Assessment found no sexual exploitation." in archived
        assert "by Pat Tester" in archived
        assert "Archived flags (1)" in flags_section(response)

    def test_the_timeline_lists_raised_and_archived_newest_first(
        self, client_for, practitioner, co_occurring
    ):
        response = client_for(practitioner).get(detail_url(co_occurring))

        assert timeline(response) == [
            f"Harm flag archived: {CSE} | by Pat Tester | Assessment found no sexual exploitation.",
            f"Harm flag raised: {CSE} | by Pat Tester",
            f"Harm flag raised: {DOMESTIC_ABUSE} | by Mona Tester",
            f"Harm flag raised: {CCE} | by Pat Tester",
        ]

    def test_a_reinstated_flag_is_current_again_and_the_timeline_says_why(
        self, client_for, practitioner, co_occurring
    ):
        archived = co_occurring.harm_flags.get(harm_type__name=CSE)
        services.harm_flag_reinstate(
            actor=practitioner, flag=archived, reason="Disclosure at school."
        )

        response = client_for(practitioner).get(detail_url(co_occurring))

        assert current_flags(response) == {
            "Extra-familial": [CCE, CSE],
            "Intra-familial": [DOMESTIC_ABUSE],
        }
        assert archived_flags(response) == []
        assert timeline(response)[0] == (
            f"Harm flag reinstated: {CSE} | by Pat Tester | Disclosure at school."
        )

    def test_actions_link_to_the_flag_pages(self, client_for, practitioner, co_occurring):
        response = client_for(practitioner).get(detail_url(co_occurring))

        section = flags_section(response)
        cce_flag = co_occurring.harm_flags.get(harm_type__name=CCE)
        cse_flag = co_occurring.harm_flags.get(harm_type__name=CSE)
        assert f'href="{raise_url(co_occurring)}"' in section
        assert f'href="{archive_url(co_occurring, cce_flag)}"' in section
        assert f'href="{reinstate_url(co_occurring, cse_flag)}"' in section
        # An archived flag offers no archive link.
        assert f'href="{archive_url(co_occurring, cse_flag)}"' not in section

    def test_a_record_without_flags_says_so(self, client_for, practitioner, young_person):
        response = client_for(practitioner).get(detail_url(young_person))

        section = flags_section(response)
        assert "No current harm flags." in section
        assert current_flags(response) == {"Extra-familial": [], "Intra-familial": []}
        assert archived_flags(response) == []
        assert timeline(response) == []

    def test_flags_of_another_young_person_do_not_appear(
        self,
        client_for,
        practitioner,
        young_person,
        other_young_person,
        other_team_practitioner,
        cse,
        raise_flag,
    ):
        raise_flag(cse, actor=other_team_practitioner, on=other_young_person)

        response = client_for(practitioner).get(detail_url(young_person))

        assert current_flags(response) == {"Extra-familial": [], "Intra-familial": []}
        assert timeline(response) == []

    @pytest.mark.parametrize("role_holder", NO_ACCESS)
    def test_the_record_is_not_found_for_everyone_else(
        self, request, client_for, co_occurring, role_holder
    ):
        response = client_for(request.getfixturevalue(role_holder)).get(detail_url(co_occurring))

        assert response.status_code == 404
        assert CCE not in page_of(response)

    def test_anonymous_is_sent_to_sign_in(self, client, co_occurring):
        response = client.get(detail_url(co_occurring))

        assert response["Location"] == sign_in_redirect(detail_url(co_occurring))


class TestSelectors:
    def test_flags_for_young_person_in_one_query(self, django_assert_num_queries, co_occurring):
        with django_assert_num_queries(1):
            flags = flags_for_young_person(young_person=co_occurring)
            names = [f.harm_type.name for f in flags.current + flags.archived]
            raisers = [str(f.raised_by) for f in flags.current]
            archivers = [str(f.archived_by) for f in flags.archived]

        assert names == [CCE, DOMESTIC_ABUSE, CSE]
        assert raisers == ["Pat Tester", "Mona Tester"]
        assert archivers == ["Pat Tester"]

    def test_archived_flags_newest_first(self, practitioner, young_person, cce, cse, raise_flag):
        first = services.harm_flag_archive(
            actor=practitioner, flag=raise_flag(cce), reason="no_longer", rationale="Moved away."
        )
        second = services.harm_flag_archive(
            actor=practitioner, flag=raise_flag(cse), reason="error", rationale="Wrong child."
        )

        archived = flags_for_young_person(young_person=young_person).archived

        assert [f.pk for f in archived] == [second.pk, first.pk]

    def test_timeline_in_two_queries(self, django_assert_num_queries, co_occurring):
        # 1. the events with their actors; 2. the flags with their types.
        with django_assert_num_queries(2):
            entries = flag_timeline_for_young_person(young_person=co_occurring)
            labels = [(e.event.actor.first_name, e.flag.harm_type.name) for e in entries]

        assert labels == [("Pat", CSE), ("Pat", CSE), ("Mona", DOMESTIC_ABUSE), ("Pat", CCE)]

    def test_timeline_names_the_flags_already_read_in_one_query(
        self, django_assert_num_queries, co_occurring
    ):
        flags = flags_for_young_person(young_person=co_occurring)
        # The events with their actors; the flags they name are those just read.
        with django_assert_num_queries(1):
            entries = flag_timeline_for_young_person(young_person=co_occurring, flags=flags)
            labels = [(e.event.actor.first_name, e.flag.harm_type.name) for e in entries]

        assert labels == [("Pat", CSE), ("Pat", CSE), ("Mona", DOMESTIC_ABUSE), ("Pat", CCE)]
        assert [e.kind_label for e in entries] == [e.event.kind_label for e in entries]
