from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import DEVICE_ID_SESSION_KEY

from csafe.core.errors import ApplicationError
from csafe.core.forms import add_service_error, posted

from . import api_tokens, permissions, services, two_factor
from .forms import (
    ApiTokenForm,
    ForgotPasswordForm,
    ReplaceAppForm,
    SetPasswordForm,
    SignInForm,
    TwoFactorCodeForm,
)
from .models import User
from .passwords import account_link_tokens


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    # A path only: redirect() would take "?next=home" for a URL name, and a word naming no
    # view ("?next=NaN") for a server error.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@require_http_methods(["GET"])
def account(request):
    """The person's own account: two-factor sign-in and API token."""
    app = two_factor.confirmed_app(request.user)
    context = {
        "app": app,
        "recovery_codes_left": two_factor.recovery_codes_left(request.user) if app else 0,
        "must_use": permissions.requires_two_factor(request.user),
    }
    return render(request, "accounts/two_factor/account.html", context)


@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """The second step of sign-in: a code from the app or a recovery code."""
    if two_factor.session_is_verified(request) or not two_factor.session_has_device(request):
        return redirect(_next_url(request))
    form = TwoFactorCodeForm(posted(request))
    if form.is_valid():
        try:
            result = two_factor.two_factor_verify(user=request.user, code=form.cleaned_data["code"])
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            target = _next_url(request)
            two_factor.session_mark_verified(request, result.device)
            if result.used_recovery_code:
                messages.warning(
                    request,
                    f"You used a recovery code. It cannot be used again: you have "
                    f"{result.recovery_codes_left} left. You can get new ones from your account.",
                )
            return redirect(target)
    return render(
        request,
        "accounts/two_factor/verify.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
    )


@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Set up an authenticator app (or replace one), confirmed by a code from it."""
    if two_factor.session_has_device(request) and not two_factor.session_is_verified(request):
        return redirect("accounts:two_factor_verify")
    device = two_factor.totp_enrolment_start(user=request.user)
    replacing = two_factor.confirmed_app(request.user) is not None
    form = (ReplaceAppForm if replacing else TwoFactorCodeForm)(
        posted(request), allow_recovery=False, label="Code from your new authenticator app"
    )
    if form.is_valid():
        try:
            result = two_factor.totp_enrolment_confirm(
                user=request.user,
                device=device,
                code=form.cleaned_data["code"],
                password=form.cleaned_data.get("password"),
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            two_factor.session_mark_verified(request, result.device)
            request.session[two_factor.NEW_RECOVERY_CODES_SESSION_KEY] = result.recovery_codes
            return redirect("accounts:two_factor_recovery_codes")
    context = {
        "form": form,
        "qr_code": two_factor.qr_code_svg(device),
        "secret": two_factor.secret_for_typing(device),
        "replacing": replacing,
        "must_use": permissions.requires_two_factor(request.user),
    }
    return render(request, "accounts/two_factor/setup.html", context)


@require_http_methods(["GET"])
def two_factor_recovery_codes(request):
    """New recovery codes, shown once: they are taken out of the session as the page is made."""
    codes = request.session.pop(two_factor.NEW_RECOVERY_CODES_SESSION_KEY, None)
    return render(request, "accounts/two_factor/recovery_codes.html", {"codes": codes})


@require_http_methods(["GET", "POST"])
def two_factor_recovery_codes_new(request):
    if two_factor.confirmed_app(request.user) is None:
        return redirect("accounts:account")
    form = TwoFactorCodeForm(posted(request))
    if form.is_valid():
        try:
            codes = two_factor.recovery_codes_regenerate(
                user=request.user, code=form.cleaned_data["code"]
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            request.session[two_factor.NEW_RECOVERY_CODES_SESSION_KEY] = codes
            return redirect("accounts:two_factor_recovery_codes")
    return render(request, "accounts/two_factor/recovery_codes_new.html", {"form": form})


@require_http_methods(["GET", "POST"])
def two_factor_remove(request):
    must_use = permissions.requires_two_factor(request.user)
    if two_factor.confirmed_app(request.user) is None:
        return redirect("accounts:account")
    form = TwoFactorCodeForm(posted(request)) if not must_use else None
    if form is not None and form.is_valid():
        try:
            two_factor.two_factor_remove(user=request.user, code=form.cleaned_data["code"])
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            two_factor.session_forget_device(request)
            messages.success(request, "Two-factor sign-in is switched off")
            return redirect("accounts:account")
    return render(request, "accounts/two_factor/remove.html", {"form": form, "must_use": must_use})


@require_http_methods(["GET", "POST"])
def api_token(request):
    """The person's API tokens, and a new one, shown once, after the password is entered again.
    For the roles that must use two-factor sign-in the token records that this session was
    verified, which the API checks on each use."""
    form = ApiTokenForm(posted(request))
    issued = None
    if form.is_valid():
        try:
            issued = api_tokens.api_token_issue(
                user=request.user,
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password"],
                verified_device_id=request.session.get(DEVICE_ID_SESSION_KEY),
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            form = ApiTokenForm()
    context = {
        "form": form,
        "issued": issued,
        "tokens": api_tokens.api_tokens_for_user(user=request.user),
        "token_days": settings.CSAFE_API_TOKEN_DAYS,
    }
    return render(request, "accounts/api_tokens.html", context, status=400 if form.errors else 200)


@require_POST
def api_token_revoke(request, pk: int):
    """Revoke one of one's own tokens; anyone else's is a 404, as if it did not exist."""
    token = api_tokens.api_token_get_for_user(user=request.user, pk=pk)
    if token is None:
        raise Http404
    api_tokens.api_token_revoke(actor=request.user, token=token)
    messages.success(request, f"The token {token.name} is revoked and no longer works")
    return redirect("accounts:api_token")


# --- Choosing a password from a link ------------------------------------------------------------


@method_decorator(login_not_required, name="dispatch")
class PasswordSetView(auth_views.PasswordResetConfirmView):
    """Choose a password from an invitation or reset link. Django's view checks the token and
    moves it out of the address into the session before the form is shown, so the link is not
    leaked in a Referer header; the password is set by accounts.services, which spends the link.
    The person then signs in (with their two-factor code, for the roles that need it)."""

    template_name = "accounts/password_set.html"
    form_class = SetPasswordForm
    token_generator = account_link_tokens
    reset_url_token = "set-password"  # noqa: S105 - the placeholder in the address, not a secret
    post_reset_login = False

    def form_valid(self, form):
        try:
            services.user_password_set(user=self.user, password=form.cleaned_data["new_password1"])
        except ApplicationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, "Your password is set. Sign in with it now.")
        return HttpResponseRedirect(reverse("accounts:login"))

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


@login_not_required
@require_http_methods(["GET", "POST"])
def password_forgot(request):
    """Ask for a reset link by e-mail address. The answer is the same whether or not the address
    has an account (and the work is only queued), so the page tells nobody who has one."""
    form = ForgotPasswordForm(posted(request))
    if form.is_valid():
        for user in User.objects.filter(email__iexact=form.cleaned_data["email"], is_active=True):
            services.user_password_reset_send(actor=None, user=user)
        return render(request, "accounts/password_forgot_sent.html")
    return render(
        request, "accounts/password_forgot.html", {"form": form}, status=400 if form.errors else 200
    )
