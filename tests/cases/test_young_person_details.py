"""Correcting a young person's details: the version makes a second editor's save over the first a
clear conflict that shows what changed, and loses nothing."""

import threading
from datetime import date

import pytest
from django.urls import reverse

from cases.models import YoungPerson
from cases.services import young_people as services
from csafe.audit.models import Event, EventKind
from csafe.core.errors import ApplicationError
from tests.api_support import api
from tests.services import require_postgresql


def form_data(young_person, **changes):
    data = {
        "version": str(young_person.version),
        "first_name": young_person.first_name,
        "last_name": young_person.last_name,
        "preferred_name": young_person.preferred_name,
        "date_of_birth_day": str(young_person.date_of_birth.day),
        "date_of_birth_month": str(young_person.date_of_birth.month),
        "date_of_birth_year": str(young_person.date_of_birth.year),
        "sex": young_person.sex,
        "gender_identity": young_person.gender_identity,
        "ethnicity": young_person.ethnicity,
        "address_line_1": young_person.address_line_1,
        "address_line_2": young_person.address_line_2,
        "town": young_person.town,
        "postcode": young_person.postcode,
    }
    data.update(changes)
    return data


def edit_url(young_person):
    return reverse("cases:details_edit", args=[young_person.pk])


# --- The service -------------------------------------------------------------------------------


def test_update_saves_the_changes_raises_the_version_and_names_the_fields(
    practitioner, young_person
):
    saved = services.young_person_update(
        actor=practitioner,
        young_person=young_person,
        expected_version=1,
        address_line_1="  14 Orchard Row ",
        postcode="nb3 4xy",
        town=young_person.town,
    )
    saved.refresh_from_db()
    assert (saved.address_line_1, saved.postcode, saved.version) == ("14 Orchard Row", "NB3 4XY", 2)
    event = Event.objects.get(kind=EventKind.YOUNG_PERSON_UPDATED)
    # Field names, never their values: the event log holds no address.
    assert event.detail == {"fields": ["address_line_1", "postcode"]}
    assert "Orchard" not in str(event.detail)


def test_a_save_with_nothing_changed_keeps_the_version(practitioner, young_person):
    services.young_person_update(
        actor=practitioner,
        young_person=young_person,
        expected_version=1,
        first_name=young_person.first_name,
    )
    young_person.refresh_from_db()
    assert young_person.version == 1
    assert not Event.objects.filter(kind=EventKind.YOUNG_PERSON_UPDATED).exists()


def test_second_editor_with_the_old_version_is_refused_and_the_first_save_stands(
    practitioner, team_manager, young_person
):
    # Both loaded version 1; the practitioner saves first.
    services.young_person_update(
        actor=practitioner, young_person=young_person, expected_version=1, town="Northbridge"
    )
    with pytest.raises(ApplicationError) as refused:
        services.young_person_update(
            actor=team_manager, young_person=young_person, expected_version=1, town="Southholm"
        )
    assert refused.value.code == "conflict"
    assert refused.value.message == services.CONFLICT_MESSAGE
    young_person.refresh_from_db()
    assert (young_person.town, young_person.version) == ("Northbridge", 2)


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"date_of_birth": date(2099, 1, 1)}, "date_of_birth", "Date of birth must be in the past"),
        ({"postcode": "NOT A CODE"}, "postcode", "Enter a real postcode, like NB1 2AA"),
    ],
)
def test_bad_details_are_refused_and_nothing_is_saved(
    practitioner, young_person, changes, field, message
):
    with pytest.raises(ApplicationError) as refused:
        services.young_person_update(
            actor=practitioner,
            young_person=young_person,
            expected_version=1,
            town="Northbridge",
            **changes,
        )
    assert (refused.value.field, refused.value.message) == (field, message)
    young_person.refresh_from_db()
    assert (young_person.town, young_person.version) != ("Northbridge", 2)
    assert young_person.version == 1


def test_someone_without_change_permission_is_refused(teammate, young_person):
    with pytest.raises(ApplicationError) as refused:
        services.young_person_update(
            actor=teammate, young_person=young_person, expected_version=1, town="Elsewhere"
        )
    assert refused.value.message == "You cannot change this young person's record"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_edits_one_wins_and_the_other_is_told(
    practitioner, team_manager, young_person
):
    """Two editors who both loaded version 1 save at the same moment: the row lock queues them,
    the first saves, the second is refused as a conflict, and nothing is half-saved."""
    require_postgresql("row locks: SQLite locks the whole database")
    barrier = threading.Barrier(2)
    outcomes = {}

    def save(actor, town):
        from django.db import connection as thread_connection

        barrier.wait()
        try:
            services.young_person_update(
                actor=actor,
                young_person=YoungPerson.objects.get(pk=young_person.pk),
                expected_version=1,
                town=town,
            )
            outcomes[town] = "saved"
        except ApplicationError as error:
            outcomes[town] = error.code
        finally:
            thread_connection.close()

    threads = [
        threading.Thread(target=save, args=(practitioner, "Northbridge")),
        threading.Thread(target=save, args=(team_manager, "Southholm")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["conflict", "saved"]
    young_person.refresh_from_db()
    winner = next(town for town, outcome in outcomes.items() if outcome == "saved")
    assert (young_person.town, young_person.version) == (winner, 2)
    assert Event.objects.filter(kind=EventKind.YOUNG_PERSON_UPDATED).count() == 1


# --- The page ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["practitioner", "team_manager"])
def test_allowed_users_correct_the_details(client_for, request, young_person, who):
    user = request.getfixturevalue(who)
    client = client_for(user)
    page = client.get(edit_url(young_person))
    assert page.status_code == 200
    assert 'value="Zephyrine"' in page.content.decode()
    response = client.post(edit_url(young_person), form_data(young_person, town="Northbridge"))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[young_person.pk])
    young_person.refresh_from_db()
    assert young_person.town == "Northbridge"
    record = client.get(reverse("cases:detail", args=[young_person.pk])).content.decode()
    assert "Details saved" in record
    assert 'data-testid="change-details"' in record


@pytest.mark.parametrize(
    "who", ["teammate", "other_team_practitioner", "other_team_manager", "administrator"]
)
def test_others_get_404(client_for, request, young_person, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(edit_url(young_person)).status_code == 404
    response = client.post(edit_url(young_person), form_data(young_person, town="Elsewhere"))
    assert response.status_code == 404
    young_person.refresh_from_db()
    assert young_person.town != "Elsewhere"


def test_anonymous_is_sent_to_sign_in(client, young_person):
    response = client.get(edit_url(young_person))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_bad_input_shows_the_error_summary_and_saves_nothing(
    client_for, practitioner, young_person
):
    response = client_for(practitioner).post(
        edit_url(young_person), form_data(young_person, first_name="", postcode="NOPE")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Enter a first name" in page
    young_person.refresh_from_db()
    assert young_person.version == 1


def test_conflict_keeps_the_input_and_shows_what_someone_else_changed(
    client_for, practitioner, team_manager, young_person
):
    loaded = form_data(young_person)  # the practitioner opens the form at version 1
    services.young_person_update(
        actor=team_manager,
        young_person=young_person,
        expected_version=1,
        town="Northbridge",
        address_line_1="2 Mill Lane",
    )
    client = client_for(practitioner)
    response = client.post(
        edit_url(young_person), {**loaded, "address_line_1": "9 Quarry Close", "town": ""}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Someone else changed these details while you were editing." in page
    assert 'data-testid="differences"' in page
    # Each differing field: saved now, then the practitioner's own.
    assert "2 Mill Lane" in page and "9 Quarry Close" in page
    assert "Northbridge" in page
    # The input is kept, and the form now carries the saved version: saving again replaces.
    assert 'value="9 Quarry Close"' in page
    assert 'name="version" value="2"' in page
    young_person.refresh_from_db()
    assert (young_person.address_line_1, young_person.town) == ("2 Mill Lane", "Northbridge")
    again = client.post(
        edit_url(young_person),
        {**loaded, "version": "2", "address_line_1": "9 Quarry Close", "town": ""},
    )
    assert again.status_code == 302
    young_person.refresh_from_db()
    assert (young_person.address_line_1, young_person.version) == ("9 Quarry Close", 3)


# --- The API -----------------------------------------------------------------------------------


def api_url(young_person):
    return f"/api/v1/young-people/{young_person.pk}/"


def test_api_patch_corrects_details_and_returns_the_new_version(practitioner, young_person):
    response = api(practitioner).patch(
        api_url(young_person), {"version": 1, "town": "Northbridge"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["town"], response.json()["version"]) == ("Northbridge", 2)


def test_api_conflict_is_409_with_the_version_now_saved(practitioner, team_manager, young_person):
    services.young_person_update(
        actor=team_manager, young_person=young_person, expected_version=1, town="Northbridge"
    )
    response = api(practitioner).patch(
        api_url(young_person), {"version": 1, "town": "Southholm"}, format="json"
    )
    assert response.status_code == 409
    assert response.json() == {
        "non_field_errors": [services.CONFLICT_MESSAGE],
        "current_version": 2,
    }
    young_person.refresh_from_db()
    assert young_person.town == "Northbridge"


def test_api_bad_input_is_400_with_field_errors(practitioner, young_person):
    response = api(practitioner).patch(
        api_url(young_person), {"version": 1, "postcode": "NOPE"}, format="json"
    )
    assert response.status_code == 400
    assert "postcode" in response.json()
    missing = api(practitioner).patch(api_url(young_person), {"town": "X"}, format="json")
    assert missing.status_code == 400
    assert missing.json() == {"version": ["This field is required."]}


@pytest.mark.parametrize("who", ["teammate", "other_team_practitioner", "administrator"])
def test_api_others_get_404(request, young_person, who):
    response = api(request.getfixturevalue(who)).patch(
        api_url(young_person), {"version": 1, "town": "Elsewhere"}, format="json"
    )
    assert response.status_code == 404


def test_api_anonymous_is_refused(young_person):
    response = api().patch(api_url(young_person), {"version": 1, "town": "X"}, format="json")
    assert response.status_code in (401, 403)
    young_person.refresh_from_db()
    assert young_person.town != "X"
