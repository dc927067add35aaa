"""GOV.UK Design System forms for Django.

``GovUKForm`` gives every widget its GOV.UK class and the ``aria-describedby`` links to its hint and
error message; ``GovUKFormRenderer`` renders each field with templates/govuk/field.html. Pages show
``templates/govuk/error_summary.html`` above the form when it has errors.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils import timezone

from .errors import ApplicationError


class GovUKFormRenderer(TemplatesSetting):
    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"


_WIDGET_CLASSES = {
    "text": "govuk-input",
    "email": "govuk-input",
    "password": "govuk-input",
    "number": "govuk-input",
    "date": "govuk-input",
    "url": "govuk-input",
    "search": "govuk-input",
    "select": "govuk-select",
    "textarea": "govuk-textarea",
    "checkbox": "govuk-checkboxes__input",
    "radioselect": "govuk-radios__input",
    "checkboxselectmultiple": "govuk-checkboxes__input",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
}
_ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-select": "govuk-select--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


class GovUKForm(forms.Form):
    # GOV.UK pages say "There is a problem" in the summary and the message beside each field.
    error_css_class = "govuk-form-group--error"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            bound = self[name]
            css = _WIDGET_CLASSES.get(bound.widget_type)
            if css:
                existing = field.widget.attrs.get("class", "")
                field.widget.attrs["class"] = f"{css} {existing}".strip()
            if field.help_text:
                self._describe(field, f"{bound.auto_id}-hint")

    @staticmethod
    def _describe(field: forms.Field, element_id: str) -> None:
        ids = field.widget.attrs.get("aria-describedby", "").split()
        if element_id not in ids:
            ids.append(element_id)
        field.widget.attrs["aria-describedby"] = " ".join(ids)

    def full_clean(self) -> None:
        super().full_clean()
        self.mark_errors()

    def mark_errors(self) -> None:
        """Give each field in error its GOV.UK error class and point it at its message; run
        after validation and again when a service's error is added to the form."""
        for name in self.errors:
            if name not in self.fields:
                continue
            field = self.fields[name]
            self._describe(field, f"{self[name].auto_id}-error")
            widgets = getattr(field.widget, "widgets", None) or [field.widget]
            for widget in widgets:
                classes = widget.attrs.get("class", "").split()
                extra = [_ERROR_CLASSES[c] for c in classes if c in _ERROR_CLASSES]
                widget.attrs["class"] = " ".join(dict.fromkeys(classes + extra))

    def error_summary_items(self) -> list[dict[str, str]]:
        """(message, anchor) pairs for the error summary, in the order fields appear. A hidden
        field's error has no anchor: there is nothing on the page to take the user to."""
        items = [{"message": e, "href": ""} for e in self.non_field_errors()]
        for name in self.fields:
            if name not in self.errors:
                continue
            bound = self[name]
            href = f"#{bound.auto_id}"
            if bound.is_hidden:
                href = ""
            elif bound.widget_type in {"radioselect", "checkboxselectmultiple", "govukdate"}:
                href = f"#{bound.auto_id}_0"
            items.extend({"message": e, "href": href} for e in self.errors[name])
        return items


DATE_HINT = "For example, 27 3 2026"


def text_area(
    label: str, required_message: str | None = None, *, rows: int = 4, max_length: int = 4000, **kw
) -> forms.CharField:
    """A GOV.UK textarea field: required (with ``required_message``) or optional."""
    if required_message:
        kw["error_messages"] = {"required": required_message}
    else:
        kw["required"] = False
    return forms.CharField(
        label=label, widget=forms.Textarea(attrs={"rows": rows}), max_length=max_length, **kw
    )


def posted(request):
    """The form data for a POST, or None for a GET. Not ``request.POST or None``: a POST with no
    fields (the CSRF token in a header) must be validated and refused, not shown as a blank form."""
    return request.POST if request.method == "POST" else None


def rebind_after_conflict(form: forms.Form, current_version: int, **kwargs) -> forms.Form:
    """After a ``ConflictError``: the user's input again, in a new form of the same class
    carrying the version now saved (``kwargs`` as the form was made with). The page shows what is
    saved beside it, and saving again is a deliberate choice to replace it."""
    data = form.data.copy()
    data["version"] = str(current_version)
    rebound = type(form)(data, **kwargs)
    rebound.is_valid()
    return rebound


def add_service_error(form: forms.Form, error: ApplicationError) -> None:
    """Show a service's business error on the form, against its field when the form has one."""
    for field, messages in error.as_field_errors().items():
        form.add_error(field if field in form.fields else None, messages)
    if hasattr(form, "mark_errors"):
        form.mark_errors()


class GovUKDateWidget(forms.MultiWidget):
    """The GOV.UK date input: separate day, month and year boxes."""

    template_name = "govuk/date_input.html"

    def __init__(self, attrs=None):
        widgets = {
            "day": forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": "govuk-input govuk-date-input__input govuk-input--width-2",
                }
            ),
            "month": forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": "govuk-input govuk-date-input__input govuk-input--width-2",
                }
            ),
            "year": forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": "govuk-input govuk-date-input__input govuk-input--width-4",
                }
            ),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if value:
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovUKDateField(forms.MultiValueField):
    """A date from day, month and year boxes, with GOV.UK's error messages."""

    widget = GovUKDateWidget

    def __init__(self, *args, not_future: str | None = None, **kwargs):
        # ``not_future``: the message for a date after today, refused here with the other errors
        # of the form in the words of the service's own check, which stays for the API.
        self.not_future = not_future
        # Not required one by one, so compress() can name the parts that are missing.
        fields = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        super().__init__(fields, *args, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        label = self.label or "The date"
        if not (day and month and year):
            missing = [n for n, v in (("day", day), ("month", month), ("year", year)) if not v]
            raise forms.ValidationError(f"{label} must include a {' and '.join(missing)}")
        try:
            if len(year) != 4:
                raise ValueError
            value = date(int(year), int(month), int(day))
        except (ValueError, OverflowError) as exc:  # OverflowError: a day or month past C's int
            raise forms.ValidationError(f"{label} must be a real date") from exc
        if self.not_future and value > timezone.localdate():
            raise forms.ValidationError(self.not_future)
        return value


def all_valid(*forms_and_formsets) -> bool:
    """Validate every form and formset of a page, so one submit shows every error at once.
    Not ``a.is_valid() and b.is_valid()``: ``and`` stops at the first invalid form, and the
    errors of the others appear one submit later."""
    results = [part.is_valid() for part in forms_and_formsets if part is not None]
    return all(results)


class CombinedErrors:
    """One GOV.UK error summary for a page with several forms (and formsets)."""

    def __init__(self, *forms_and_formsets):
        self.parts = forms_and_formsets

    def _forms(self):
        for part in self.parts:
            if isinstance(part, forms.BaseFormSet):
                yield from part.forms
            elif part is not None:
                yield part

    @property
    def errors(self) -> bool:
        if any(getattr(p, "non_form_errors", lambda: [])() for p in self.parts if p is not None):
            return True
        return any(f.errors for f in self._forms())

    def error_summary_items(self) -> list[dict[str, str]]:
        items = []
        for part in self.parts:
            if isinstance(part, forms.BaseFormSet):
                items.extend({"message": e, "href": ""} for e in part.non_form_errors())
        for form in self._forms():
            if form.errors and hasattr(form, "error_summary_items"):
                items.extend(form.error_summary_items())
        return items
