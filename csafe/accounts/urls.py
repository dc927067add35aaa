from django.urls import path

from csafe.core.throttling import throttle

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    # Sign-in and the two-factor code are rated per address and per person (as well as the
    # lock-out and the authenticator's own slowing down): settings.REST_FRAMEWORK's rates.
    path("sign-in/", throttle("sign_in")(views.SignInView.as_view()), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path(
        "two-factor/code/",
        throttle("two_factor")(views.two_factor_verify),
        name="two_factor_verify",
    ),
    # Replacing the app and minting a token ask for the password again: rated like the code.
    path(
        "two-factor/set-up/",
        throttle("two_factor")(views.two_factor_setup),
        name="two_factor_setup",
    ),
    path(
        "two-factor/recovery-codes/",
        views.two_factor_recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path(
        "two-factor/recovery-codes/new/",
        views.two_factor_recovery_codes_new,
        name="two_factor_recovery_codes_new",
    ),
    path("two-factor/switch-off/", views.two_factor_remove, name="two_factor_remove"),
    path("api-token/", throttle("two_factor")(views.api_token), name="api_token"),
    path("api-token/<bounded_int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    # Choosing one's own password from an invitation or reset link, and asking for a reset
    # (rated per address like sign-in: it sends e-mail).
    path(
        "set-password/<uidb64>/<token>/",
        views.PasswordSetView.as_view(),
        name="password_set",
    ),
    path(
        "forgotten-password/",
        throttle("sign_in")(views.password_forgot),
        name="password_forgot",
    ),
]
