from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

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
