"""The referral pages: for a young person already known, and for someone new to the service.

Allowed, forbidden (404, so a record's existence does not leak) and anonymous users; a valid
referral shown on the record; bad input shown in the GOV.UK error summary with nothing saved.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Allocation, LocationOfHarm, LocationType, Referral, YoungPerson
from csafe.audit.models import Event, RecordAccess
from harms import services as harm_services
from harms.models import HarmFlag, HarmType
from tests.cases.helpers import detail_url, error_summary, field_errors, sign_in_redirect, text_of

pytestmark = pytest.mark.django_db

FORBIDDEN = ["teammate", "other_team_practitioner", "service_manager", "administrator"]
CCE = "Child criminal exploitation, including county lines"
GANGS = "Gangs"
# Stands for the park location type's id in parameters, which are built before the database is.
PARK = "<park>"
DUPLICATE_MESSAGE = (
    "There may already be a record for this young person. Check the records below, or "
    "confirm this is someone new."
)


def referral_url(young_person) -> str:
    return reverse("cases:referral_new", args=[young_person.pk])


def new_person_url() -> str:
    return reverse("cases:referral_new_person")


def type_id(name: str) -> str:
    return str(HarmType.objects.get(name=name).pk)


def place_id(name: str = "Park or open space") -> str:
    return str(LocationType.objects.get(name=name).pk)


def referral_data(**extra) -> dict:
    """A valid referral form: the date in GOV.UK day, month and year boxes, two harm types and
    two locations in a formset of three rows (the third left empty)."""
    return {
        "referral-received_on_day": "4",
        "referral-received_on_month": "3",
        "referral-received_on_year": "2025",
        "referral-source": "6",
        "referral-reason": "Found with older young people at the station",
        "referral-nature_of_harm": "extra_familial",
        "referral-harm_types": [type_id(CCE), type_id(GANGS)],
        "referral-decision": "assessment",
        "locations-TOTAL_FORMS": "3",
        "locations-INITIAL_FORMS": "0",
        "locations-MIN_NUM_FORMS": "0",
        "locations-MAX_NUM_FORMS": "10",
        "locations-0-location_type": place_id("Stairwell or communal area"),
        "locations-0-postcode": "nb1 2aa",
        "locations-0-place_name": "",
        "locations-1-location_type": place_id(),
        "locations-1-postcode": "",
        "locations-1-place_name": "Millbrook Rec",
        "locations-2-location_type": "",
        "locations-2-postcode": "",
        "locations-2-place_name": "",
    } | extra


def person_data(**extra) -> dict:
    return {
        "person-first_name": "Idris",
        "person-last_name": "Pennywhistle",
        "person-preferred_name": "",
        "person-date_of_birth_day": "9",
        "person-date_of_birth_month": "10",
        "person-date_of_birth_year": "2010",
        "person-sex": "M",
        "person-ethnicity": "NOBT",
        "person-address_line_1": "",
        "person-town": "",
        "person-postcode": "",
    } | extra


def zephyrine(**extra) -> dict:
    """The details of the fixture ``young_person``, as someone might type them again."""
    return person_data(
        **{
            "person-first_name": "Zephyrine",
            "person-last_name": "Quillfeather",
            "person-date_of_birth_day": "17",
            "person-date_of_birth_month": "5",
            "person-date_of_birth_year": "2011",
            "person-sex": "F",
        }
        | extra
    )


def everything_written() -> dict[str, int]:
    return {
        "young people": YoungPerson.objects.count(),
        "allocations": Allocation.objects.count(),
        "referrals": Referral.objects.count(),
        "locations": LocationOfHarm.objects.count(),
        "flags": HarmFlag.objects.count(),
        "referral events": Event.objects.filter(kind="referral.recorded").count(),
        "flag events": Event.objects.filter(kind="harm_flag.raised").count(),
        "created events": Event.objects.filter(kind="young_person.created").count(),
    }


@pytest.fixture
def either_type(administrator) -> HarmType:
    """A type that can be either extra- or intra-familial (the seed taxonomy has none)."""
    return harm_services.harm_type_create(
        actor=administrator, name="Harmful sexual behaviour", nature="either"
    )


def access_log(young_person) -> list[tuple[int, str, str]]:
    return list(
        RecordAccess.objects.filter(young_person=young_person)
        .order_by("pk")
        .values_list("user_id", "channel", "resource")
    )


def referral_cards(html: str) -> list[dict[str, str]]:
    """Each referral card on a young person's record: its title, then each row's key and value."""
    section = html.split('data-testid="referrals"', 1)[1].split("</section>", 1)[0]
    cards = []
    for card in re.findall(r'data-testid="referral"[^>]*>(.*?)</dl>', section, re.S):
        title = re.search(r'<h3 class="govuk-summary-card__title">(.*?)</h3>', card, re.S)
        rows = re.findall(r"<dt[^>]*>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", card, re.S)
        cards.append({"title": text_of(title.group(1))} | {text_of(k): text_of(v) for k, v in rows})
    return cards


def banners(html: str) -> list[str]:
    return [
        text_of(body)
        for body in re.findall(
            r'<p class="govuk-notification-banner__heading">(.*?)</p>', html, re.S
        )
    ]


# --- A referral for a young person already known ----------------------------------------------


class TestReferralPageAccess:
    @pytest.mark.parametrize("who", ["practitioner", "team_manager"])
    def test_those_who_may_change_the_record_see_the_form(
        self, request, client_for, young_person, who
    ):
        response = client_for(request.getfixturevalue(who)).get(referral_url(young_person))

        html = response.content.decode()
        assert response.status_code == 200
        assert '<h2 class="govuk-heading-m">Record a referral</h2>' in html
        for name in (
            "referral-received_on_day",
            "referral-received_on_month",
            "referral-received_on_year",
            "referral-source",
            "referral-harm_types",
            "locations-TOTAL_FORMS",
            "locations-0-location_type",
            "locations-2-place_name",
        ):
            assert f'name="{name}"' in html
        assert html.count('data-testid="location-row"') == 3
        assert error_summary(response) == []

    def test_the_record_links_to_the_form(
        self, client_for, practitioner, team_manager, young_person
    ):
        link = f'href="{referral_url(young_person)}"'
        assert link in client_for(practitioner).get(detail_url(young_person)).content.decode()
        assert link in client_for(team_manager).get(detail_url(young_person)).content.decode()

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_others_get_404_and_save_nothing(self, request, client_for, young_person, who):
        client = client_for(request.getfixturevalue(who))
        before = everything_written()

        assert client.get(referral_url(young_person)).status_code == 404
        assert client.post(referral_url(young_person), referral_data()).status_code == 404
        assert everything_written() == before

    def test_an_unknown_record_is_404(self, client_for, practitioner, young_person):
        url = reverse("cases:referral_new", args=[young_person.pk + 1000])
        assert client_for(practitioner).get(url).status_code == 404

    def test_anonymous_is_sent_to_sign_in(self, client, young_person):
        url = referral_url(young_person)
        before = everything_written()

        for response in (client.get(url), client.post(url, referral_data())):
            assert response.status_code == 302
            assert response["Location"] == sign_in_redirect(url)
        assert everything_written() == before


class TestRecordingAReferral:
    def test_a_valid_referral_is_saved_and_shown_on_the_record(
        self, client_for, practitioner, young_person
    ):
        client = client_for(practitioner)

        response = client.post(referral_url(young_person), referral_data())

        assert response.status_code == 302
        assert response["Location"] == detail_url(young_person)
        referral = Referral.objects.get()
        assert (
            referral.young_person,
            referral.received_on.isoformat(),
            referral.source,
            referral.reason,
            referral.nature_of_harm,
            referral.decision,
            referral.recorded_by,
        ) == (
            young_person,
            "2025-03-04",
            "6",
            "Found with older young people at the station",
            "extra_familial",
            "assessment",
            practitioner,
        )
        assert [
            (p.location_type.name, p.postcode, p.postcode_district, p.place_name)
            for p in referral.locations.order_by("pk")
        ] == [
            ("Stairwell or communal area", "NB1 2AA", "NB1", ""),
            ("Park or open space", "", "", "Millbrook Rec"),
        ]
        assert sorted(
            referral.harm_flags.values_list("harm_type__name", "identified_at", "identified_on")
        ) == sorted(
            [
                (CCE, "referral", referral.received_on),
                (GANGS, "referral", referral.received_on),
            ]
        )

        page = client.get(response["Location"])
        html = page.content.decode()
        assert banners(html) == [f"Referral recorded; flags raised: {CCE}, {GANGS}"]
        [card] = referral_cards(html)
        flags = card.pop("Flags raised")
        assert card == {
            "title": "Received 4 March 2025",
            "Source": "Police",
            "Nature of harm": "Extra-familial",
            "Reason": "Found with older young people at the station",
            "Locations of harm": (
                "Stairwell or communal area: NB1 2AA Park or open space: Millbrook Rec"
            ),
            "Decision": "Child and family assessment",
            "Recorded by": "Pat Tester",
        }
        # Newest flag first; both named, once each.
        assert flags in {f"{CCE}, {GANGS}", f"{GANGS}, {CCE}"}

    def test_a_referral_without_locations_or_flags(self, client_for, team_manager, young_person):
        client = client_for(team_manager)
        data = referral_data(
            **{
                "referral-harm_types": [],
                "locations-0-location_type": "",
                "locations-0-postcode": "",
                "locations-1-location_type": "",
                "locations-1-place_name": "",
                "referral-decision": "nfa",
            }
        )

        response = client.post(referral_url(young_person), data)

        assert response.status_code == 302
        referral = Referral.objects.get()
        assert (referral.recorded_by, referral.decision) == (team_manager, "nfa")
        assert not LocationOfHarm.objects.exists()
        assert not HarmFlag.objects.exists()
        html = client.get(response["Location"]).content.decode()
        assert banners(html) == ["Referral recorded"]
        [card] = referral_cards(html)
        assert (card["Locations of harm"], card["Flags raised"], card["Decision"]) == (
            "None recorded",
            "None",
            "No further action",
        )

    @pytest.mark.parametrize("nature_of_harm", ["extra_familial", "intra_familial"])
    def test_an_either_type_is_flagged_with_the_nature_of_harm(
        self, client_for, practitioner, young_person, either_type, nature_of_harm
    ):
        client = client_for(practitioner)

        response = client.post(
            referral_url(young_person),
            referral_data(
                **{
                    "referral-nature_of_harm": nature_of_harm,
                    "referral-harm_types": [type_id(CCE), str(either_type.pk)],
                }
            ),
        )

        assert response.status_code == 302
        referral = Referral.objects.get()
        assert sorted(referral.harm_flags.values_list("harm_type__name", "nature")) == [
            (CCE, "extra_familial"),
            ("Harmful sexual behaviour", nature_of_harm),
        ]

    def test_the_form_says_how_either_types_are_flagged(
        self, client_for, practitioner, young_person
    ):
        html = client_for(practitioner).get(referral_url(young_person)).content.decode()

        assert (
            "A type that can be extra- or intra-familial is flagged as the nature of harm says."
            in html
        )

    def test_a_type_already_flagged_is_reported_back(self, client_for, practitioner, young_person):
        harm_services.harm_flag_raise(
            actor=practitioner,
            young_person=young_person,
            harm_type=HarmType.objects.get(name=GANGS),
            identified_at="other",
            identified_on=timezone.localdate(),
        )
        client = client_for(practitioner)

        response = client.post(referral_url(young_person), referral_data())

        assert response.status_code == 302
        assert list(
            Referral.objects.get().harm_flags.values_list("harm_type__name", flat=True)
        ) == [CCE]
        assert HarmFlag.objects.filter(harm_type__name=GANGS).count() == 1
        assert banners(client.get(response["Location"]).content.decode()) == [
            f"Referral recorded; flags raised: {CCE}",
            f"Already flagged, so left as they were: {GANGS}",
        ]


class TestBadInput:
    @pytest.mark.parametrize(
        ("extra", "summary", "field_id"),
        [
            (
                {"locations-2-postcode": "NB1 2AB"},
                ["Choose the type of place"],
                "id_locations-2-location_type",
            ),
            (
                {"locations-2-location_type": PARK},
                ["Enter a postcode or a place name"],
                "id_locations-2-postcode",
            ),
            (
                {"locations-1-postcode": "QQ1 1AA"},
                ["Enter a real postcode, like NB1 2AA"],
                "id_locations-1-postcode",
            ),
            ({"referral-reason": ""}, ["Enter the reason for the referral"], "id_referral-reason"),
            ({"referral-source": ""}, ["Choose the source of the referral"], "id_referral-source"),
            (
                {
                    "referral-received_on_day": "",
                    "referral-received_on_month": "",
                    "referral-received_on_year": "",
                },
                ["Enter the date the referral came in"],
                "id_referral-received_on",
            ),
            (
                {"referral-received_on_year": ""},
                ["Date received must include a year"],
                "id_referral-received_on",
            ),
            (
                {"referral-received_on_day": "31", "referral-received_on_month": "2"},
                ["Date received must be a real date"],
                "id_referral-received_on",
            ),
            ({"referral-decision": ""}, ["Choose the decision"], "id_referral-decision"),
            (
                {"referral-nature_of_harm": ""},
                ["Choose the nature of harm"],
                "id_referral-nature_of_harm",
            ),
        ],
    )
    def test_form_errors_are_summarised_and_nothing_is_saved(
        self, client_for, practitioner, young_person, extra, summary, field_id
    ):
        extra = {key: place_id() if value == PARK else value for key, value in extra.items()}
        before = everything_written()

        response = client_for(practitioner).post(referral_url(young_person), referral_data(**extra))

        html = response.content.decode()
        assert response.status_code == 400
        assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
        assert error_summary(response) == summary
        assert field_errors(response) == {field_id: summary[0]}
        assert "<title>Error: Record a referral" in html
        assert everything_written() == before

    def test_several_problems_at_once(self, client_for, practitioner, young_person):
        response = client_for(practitioner).post(
            referral_url(young_person),
            referral_data(
                **{
                    "referral-reason": "",
                    "locations-1-location_type": "",
                    "locations-2-location_type": place_id("Bus stop"),
                }
            ),
        )

        assert response.status_code == 400
        assert error_summary(response) == [
            "Enter the reason for the referral",
            "Choose the type of place",
            "Enter a postcode or a place name",
        ]
        assert not Referral.objects.exists()

    def test_the_service_refuses_a_future_date_and_nothing_is_saved(
        self, client_for, practitioner, young_person
    ):
        tomorrow = timezone.localdate() + timedelta(days=1)
        before = everything_written()

        response = client_for(practitioner).post(
            referral_url(young_person),
            referral_data(
                **{
                    "referral-received_on_day": str(tomorrow.day),
                    "referral-received_on_month": str(tomorrow.month),
                    "referral-received_on_year": str(tomorrow.year),
                }
            ),
        )

        assert response.status_code == 400
        assert error_summary(response) == ["The date received must be today or in the past"]
        assert field_errors(response) == {
            "id_referral-received_on": "The date received must be today or in the past"
        }
        assert everything_written() == before

    @pytest.mark.parametrize("nature_of_harm", ["both", "not_known"])
    def test_an_either_type_the_referral_cannot_place_is_refused_beside_the_harm_types(
        self, client_for, practitioner, young_person, either_type, nature_of_harm
    ):
        before = everything_written()

        response = client_for(practitioner).post(
            referral_url(young_person),
            referral_data(
                **{
                    "referral-nature_of_harm": nature_of_harm,
                    "referral-harm_types": [type_id(CCE), str(either_type.pk)],
                }
            ),
        )

        message = (
            "Say whether Harmful sexual behaviour is extra- or intra-familial: choose "
            "Extra-familial or Intra-familial as the nature of harm, or leave Harmful sexual "
            "behaviour out and raise its flag from the record once you know"
        )
        assert response.status_code == 400
        assert error_summary(response) == [message]
        assert field_errors(response) == {"id_referral-harm_types": message}
        assert everything_written() == before

    def test_what_was_entered_is_kept(self, client_for, practitioner, young_person):
        response = client_for(practitioner).post(
            referral_url(young_person),
            referral_data(**{"referral-source": "", "locations-1-place_name": "Millbrook Rec"}),
        )

        html = response.content.decode()
        assert response.status_code == 400
        assert "Found with older young people at the station</textarea>" in html
        assert 'value="Millbrook Rec"' in html
        assert 'name="locations-0-postcode" value="nb1 2aa"' in html

    def test_more_than_ten_locations_is_refused(self, client_for, practitioner, young_person):
        data = referral_data(**{"locations-TOTAL_FORMS": "11"})
        for n in range(11):
            data[f"locations-{n}-location_type"] = place_id()
            data[f"locations-{n}-place_name"] = f"Place {n}"

        response = client_for(practitioner).post(referral_url(young_person), data)

        assert response.status_code == 400
        assert error_summary(response) == ["Please submit at most 10 forms."]
        assert not Referral.objects.exists()


class TestAccessLog:
    """The page shows the record's header (name and identifier) whether or not the form is
    accepted, so every answer that shows it is a view of the record and is logged, a refused
    form included. Only access refused (404) writes nothing."""

    def test_the_form_writes_the_access_log(self, client_for, practitioner, young_person):
        client_for(practitioner).get(referral_url(young_person))

        assert access_log(young_person) == [(practitioner.pk, "page", referral_url(young_person))]

    def test_a_refused_form_shows_the_record_and_is_logged(
        self, client_for, practitioner, young_person
    ):
        response = client_for(practitioner).post(
            referral_url(young_person), referral_data(**{"referral-reason": ""})
        )

        assert response.status_code == 400
        assert young_person.display_name in response.content.decode()
        assert access_log(young_person) == [(practitioner.pk, "page", referral_url(young_person))]

    @pytest.mark.parametrize("who", FORBIDDEN)
    def test_no_access_writes_nothing_to_the_log(self, request, client_for, young_person, who):
        client = client_for(request.getfixturevalue(who))

        client.get(referral_url(young_person))
        client.post(referral_url(young_person), referral_data(**{"referral-reason": ""}))

        assert access_log(young_person) == []


# --- A referral for someone new to the service -------------------------------------------------


class TestNewPersonPageAccess:
    @pytest.mark.parametrize("who", ["practitioner", "team_manager", "other_team_practitioner"])
    def test_caseload_roles_see_the_form(self, request, client_for, who):
        response = client_for(request.getfixturevalue(who)).get(new_person_url())

        html = response.content.decode()
        assert response.status_code == 200
        assert "Referral for a young person new to the service</h1>" in html
        for name in ("person-first_name", "person-date_of_birth_day", "referral-reason"):
            assert f'name="{name}"' in html
        # No duplicate yet, so no warning and no box to confirm past it.
        assert 'data-testid="possible-duplicates"' not in html
        assert 'name="confirm-confirm_new"' not in html

    @pytest.mark.parametrize("who", ["service_manager", "administrator"])
    def test_roles_without_a_caseload_get_404(self, request, client_for, young_person, who):
        client = client_for(request.getfixturevalue(who))
        before = everything_written()

        assert client.get(new_person_url()).status_code == 404
        data = person_data(**referral_data(), **{"confirm-confirm_new": "on"})
        assert client.post(new_person_url(), data).status_code == 404
        assert everything_written() == before

    def test_anonymous_is_sent_to_sign_in(self, client, team_a):
        before = everything_written()

        for response in (
            client.get(new_person_url()),
            client.post(new_person_url(), person_data(**referral_data())),
        ):
            assert response.status_code == 302
            assert response["Location"] == sign_in_redirect(new_person_url())
        assert everything_written() == before


class TestReferralForSomeoneNew:
    def test_someone_with_no_likely_record_is_created_straight_away(
        self, client_for, practitioner, young_person
    ):
        client = client_for(practitioner)

        response = client.post(new_person_url(), person_data(**referral_data()))

        created = YoungPerson.objects.get(last_name="Pennywhistle")
        assert response.status_code == 302
        assert response["Location"] == detail_url(created)
        assert re.fullmatch(r"CS\d{7}", created.local_identifier)
        assert (created.team, created.sex) == (practitioner.team, "M")
        assert created.allocations.get(kind="worker", ended_at__isnull=True).worker == practitioner
        referral = Referral.objects.get()
        assert referral.young_person == created
        assert referral.locations.count() == 2
        assert referral.harm_flags.count() == 2
        html = client.get(response["Location"]).content.decode()
        assert "Idris Pennywhistle" in html
        assert created.local_identifier in html
        assert len(referral_cards(html)) == 1

    def test_a_possible_duplicate_is_shown_before_anything_is_made(
        self, client_for, practitioner, young_person
    ):
        client = client_for(practitioner)
        before = everything_written()

        response = client.post(new_person_url(), zephyrine(**referral_data()))

        html = response.content.decode()
        assert response.status_code == 400
        assert 'data-testid="possible-duplicates"' in html
        assert 'name="confirm-confirm_new"' in html
        assert error_summary(response) == [DUPLICATE_MESSAGE]
        assert field_errors(response) == {"id_confirm-confirm_new": DUPLICATE_MESSAGE}
        # The practitioner may see the record, so it is named and linked.
        assert f'href="{detail_url(young_person)}">Zephyrine Quillfeather</a>' in html
        assert f"({young_person.local_identifier}), held by Team A" in html
        assert everything_written() == before

        confirmed = client.post(
            new_person_url(), zephyrine(**referral_data(), **{"confirm-confirm_new": "on"})
        )

        created = YoungPerson.objects.exclude(pk=young_person.pk).get()
        assert confirmed.status_code == 302
        assert confirmed["Location"] == detail_url(created)
        assert (created.first_name, created.last_name) == ("Zephyrine", "Quillfeather")
        assert created.local_identifier == f"CS{created.pk:07d}"
        assert Referral.objects.get().young_person == created
        assert not young_person.referrals.exists()

    def test_a_record_the_user_cannot_see_is_described_only_by_its_team(
        self, client_for, other_team_practitioner, young_person
    ):
        response = client_for(other_team_practitioner).post(
            new_person_url(), zephyrine(**referral_data())
        )

        html = response.content.decode()
        assert response.status_code == 400
        assert (
            "A record held by Team A that you cannot see. Ask that team before opening a new one."
            in html
        )
        assert detail_url(young_person) not in html
        assert young_person.local_identifier not in html
        assert YoungPerson.objects.count() == 1

    def test_ticking_the_box_without_a_duplicate_changes_nothing(
        self, client_for, practitioner, young_person
    ):
        response = client_for(practitioner).post(
            new_person_url(), person_data(**referral_data(), **{"confirm-confirm_new": "on"})
        )

        assert response.status_code == 302
        assert YoungPerson.objects.filter(last_name="Pennywhistle").count() == 1

    @pytest.mark.parametrize(
        ("extra", "summary"),
        [
            ({"person-first_name": ""}, ["Enter a first name"]),
            ({"person-last_name": ""}, ["Enter a last name"]),
            (
                {
                    "person-date_of_birth_day": "",
                    "person-date_of_birth_month": "",
                    "person-date_of_birth_year": "",
                },
                ["Enter a date of birth"],
            ),
            ({"person-postcode": "QQ1 1AA"}, ["Enter a real postcode, like NB1 2AA"]),
            ({"referral-reason": ""}, ["Enter the reason for the referral"]),
            ({"locations-2-postcode": "NB1 2AB"}, ["Choose the type of place"]),
        ],
    )
    def test_bad_input_is_summarised_and_nothing_is_made(
        self, client_for, practitioner, young_person, extra, summary
    ):
        before = everything_written()

        response = client_for(practitioner).post(
            new_person_url(), person_data(**referral_data(**extra))
        )

        assert response.status_code == 400
        assert "There is a problem" in response.content.decode()
        assert error_summary(response) == summary
        assert everything_written() == before

    def test_a_future_birth_date_is_refused_beside_the_field(self, client_for, practitioner):
        tomorrow = timezone.localdate() + timedelta(days=1)
        before = everything_written()

        response = client_for(practitioner).post(
            new_person_url(),
            person_data(
                **referral_data(),
                **{
                    "person-date_of_birth_day": str(tomorrow.day),
                    "person-date_of_birth_month": str(tomorrow.month),
                    "person-date_of_birth_year": str(tomorrow.year),
                },
            ),
        )

        assert response.status_code == 400
        assert error_summary(response) == ["Date of birth must be in the past"]
        assert field_errors(response) == {
            "id_person-date_of_birth": "Date of birth must be in the past"
        }
        assert everything_written() == before

    def test_a_refused_referral_leaves_no_new_record_behind(self, client_for, practitioner):
        tomorrow = timezone.localdate() + timedelta(days=1)
        before = everything_written()

        response = client_for(practitioner).post(
            new_person_url(),
            person_data(
                **referral_data(
                    **{
                        "referral-received_on_day": str(tomorrow.day),
                        "referral-received_on_month": str(tomorrow.month),
                        "referral-received_on_year": str(tomorrow.year),
                    }
                )
            ),
        )

        assert response.status_code == 400
        assert error_summary(response) == ["The date received must be today or in the past"]
        assert everything_written() == before
        assert not YoungPerson.objects.filter(last_name="Pennywhistle").exists()
