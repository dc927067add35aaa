"""E-mail of the links by which a person sets their own password."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import User
from .passwords import account_link_tokens

SUBJECTS = {
    "invitation": "Set your password",
    "reset": "Reset your password",
}


def account_link(user: User) -> str:
    """The full address of a fresh single-use link for ``user`` to choose a password."""
    path = reverse(
        "accounts:password_set",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": account_link_tokens.make_token(user),
        },
    )
    return f"{settings.CSAFE_BASE_URL.rstrip('/')}{path}"


# The mail server is down (OSError): retry with backoff, as csafe.notifications does. A second
# copy (a worker dying after the mail server took it) carries a link as good as the first, and
# the first one used spends both, so at-least-once is safe here.
@shared_task(
    autoretry_for=(OSError,),
    retry_backoff=60,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=5,
)
def account_link_send(user_id: int, purpose: str) -> bool:
    """E-mail ``purpose`` ("invitation" or "reset") to the person. The link is made here, from
    the account as it is now, so a link is never stored anywhere but in the e-mail. Nothing is
    sent to an account since switched off."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    days = settings.CSAFE_INVITATION_DAYS
    lifetime = f"{days} day{'s' if days != 1 else ''}"
    opening = (
        f"An account has been made for you on {settings.SERVICE_NAME}. Your username is "
        f"{user.get_username()}."
        if purpose == "invitation"
        else f"Someone asked to reset the password of your {settings.SERVICE_NAME} account "
        f"({user.get_username()}). If it was not you, tell your administrator."
    )
    # Staff details only: an account e-mail never carries anything about a child.
    EmailMessage(
        subject=f"{settings.SERVICE_NAME}: {SUBJECTS[purpose]}",
        body=(
            f"{opening}\n\nChoose your password here:\n\n{account_link(user)}\n\n"
            f"The link works once and for {lifetime}. Nobody else, administrators included, "
            "will ever know your password or ask you for it.\n"
        ),
        to=[user.email],
    ).send()
    return True
