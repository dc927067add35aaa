from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from csafe.core.forms import GovUKForm


class SignInForm(GovUKForm, AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been switched off. Ask your administrator.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "spellcheck": "false"}
        )
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["password"].widget = forms.PasswordInput(
            attrs={"class": "govuk-input", "autocomplete": "current-password"}
        )


class TwoFactorCodeForm(GovUKForm):
    """A code from the authenticator app or, where ``allow_recovery``, a recovery code."""

    code = forms.CharField(
        label="Code",
        max_length=20,
        error_messages={"required": "Enter the code from your authenticator app"},
    )

    def __init__(self, *args, allow_recovery: bool = True, label: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        if label:
            field.label = label
        if allow_recovery:
            field.help_text = (
                "The 6-digit code your authenticator app shows now. If you cannot use the app, "
                "enter one of your recovery codes instead."
            )
            self._describe(field, f"{self['code'].auto_id}-hint")
        field.widget.attrs.update(
            {
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "autocapitalize": "none",
                "class": "govuk-input govuk-input--width-10",
            }
        )
        if not allow_recovery:
            field.widget.attrs["inputmode"] = "numeric"


def _password_field(label: str, *, autocomplete: str, required_message: str, **kwargs):
    return forms.CharField(
        label=label,
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
        error_messages={"required": required_message},
        **kwargs,
    )


class PasswordAgainMixin(forms.Form):
    """Asked again before a change that a session left open must not be enough for."""

    password = _password_field(
        "Your password",
        autocomplete="current-password",
        required_message="Enter your password",
        help_text="Enter the password you sign in with, to show it is you.",
    )


class ReplaceAppForm(PasswordAgainMixin, TwoFactorCodeForm):
    """Setting up a new authenticator app in place of one already set up."""

    field_order = ["password", "code"]


class ApiTokenForm(PasswordAgainMixin, GovUKForm):
    name = forms.CharField(
        label="Name of the token",
        max_length=100,
        help_text="What it is for, so you can tell your tokens apart. For example, "
        "'Nightly sync to the data warehouse'.",
        error_messages={"required": "Enter a name for the token"},
    )
    field_order = ["name", "password"]


class SetPasswordForm(GovUKForm):
    """A new password chosen by the person, checked by the password validators in settings.
    The form is handed the user so that the similarity check can compare with their details."""

    new_password1 = _password_field(
        "New password",
        autocomplete="new-password",
        required_message="Enter a new password",
        help_text="At least 12 characters. Avoid common passwords and your name or username.",
    )
    new_password2 = _password_field(
        "Confirm the new password",
        autocomplete="new-password",
        required_message="Enter the new password again",
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_new_password1(self):
        password = self.cleaned_data["new_password1"]
        try:
            password_validation.validate_password(password, self.user)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return password

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", "The passwords do not match")
        return cleaned


class ForgotPasswordForm(GovUKForm):
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        help_text="The work e-mail address your account uses.",
        error_messages={
            "required": "Enter your e-mail address",
            "invalid": "Enter an e-mail address in the right format, like name@example.org",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})
