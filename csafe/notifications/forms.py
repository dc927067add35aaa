from __future__ import annotations

from django import forms

from csafe.core.forms import GovUKForm

from .models import EmailChoice


class NotificationSettingsForm(GovUKForm):
    email = forms.ChoiceField(
        label="How do you want to be e-mailed about your notifications?",
        widget=forms.RadioSelect,
        choices=EmailChoice.choices,
        help_text=(
            "Your notifications are always shown in the service. Changes to one context made "
            "close together come as one notification."
        ),
        error_messages={
            "required": "Choose how you want to be e-mailed about your notifications",
            "invalid_choice": "Choose how you want to be e-mailed about your notifications",
        },
    )
