"""A service's error shown on a form marks the field as GOV.UK asks, as a form's own error does."""

from __future__ import annotations

from csafe.core.errors import ApplicationError
from csafe.core.forms import GovUKDateField, GovUKForm, add_service_error


class DateForm(GovUKForm):
    happened_on = GovUKDateField(label="Date it happened")


def test_a_service_error_on_a_date_field_marks_all_three_boxes():
    form = DateForm({"happened_on_day": "3", "happened_on_month": "3", "happened_on_year": "2026"})
    assert form.is_valid()

    add_service_error(
        form, ApplicationError("The date must be today or in the past", field="happened_on")
    )

    html = str(form["happened_on"])
    assert html.count("govuk-input--error") == 3
    assert "id_happened_on-error" in form.fields["happened_on"].widget.attrs["aria-describedby"]
    assert form.errors["happened_on"] == ["The date must be today or in the past"]


def test_a_service_error_without_a_field_marks_nothing():
    form = DateForm({"happened_on_day": "3", "happened_on_month": "3", "happened_on_year": "2026"})
    assert form.is_valid()

    add_service_error(form, ApplicationError("You cannot change this young person's record"))

    assert "govuk-input--error" not in str(form["happened_on"])
    assert form.non_field_errors() == ["You cannot change this young person's record"]
