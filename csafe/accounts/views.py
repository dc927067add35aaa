from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import DEVICE_ID_SESSION_KEY

from csafe.core.errors import ApplicationError
from csafe.core.forms import add_service_error, posted

from . import two_factor
from .forms import SignInForm, TwoFactorCodeForm


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
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
        "must_use": two_factor.requires_two_factor(request.user),
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
    form = TwoFactorCodeForm(
        posted(request), allow_recovery=False, label="Code from your authenticator app"
    )
    if form.is_valid():
        try:
            result = two_factor.totp_enrolment_confirm(
                user=request.user, device=device, code=form.cleaned_data["code"]
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
        "replacing": two_factor.confirmed_app(request.user) is not None,
        "must_use": two_factor.requires_two_factor(request.user),
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
    must_use = two_factor.requires_two_factor(request.user)
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
    """Issue a new API token, shown once. For the roles that must use two-factor sign-in the
    token records that this session was verified, which the API checks on each use."""
    token = None
    error = None
    if request.method == "POST":
        try:
            token = two_factor.api_token_issue(
                user=request.user,
                verified_device_id=request.session.get(DEVICE_ID_SESSION_KEY),
            )
        except ApplicationError as exc:
            error = exc.message
    return render(request, "accounts/two_factor/api_token.html", {"token": token, "error": error})
