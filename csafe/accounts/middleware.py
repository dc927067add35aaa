"""The one place that holds a signed-in session at the second step of sign-in."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse

from . import two_factor

# Reachable whatever step is owed: signing in and out, and the health check.
ALWAYS_OPEN = frozenset({"accounts:login", "accounts:logout", "healthz"})
# Reachable only while that step is owed: someone who owes a code may not set up a new app.
OPEN_DURING = {
    two_factor.VERIFY: frozenset({"accounts:two_factor_verify"}),
    two_factor.ENROL: frozenset({"accounts:two_factor_setup"}),
}
API_REFUSAL = {
    two_factor.VERIFY: "Enter your two-factor sign-in code before using the API.",
    two_factor.ENROL: "Set up two-factor sign-in before using the API.",
}


class TwoFactorMiddleware:
    """A signed-in person who has an authenticator app but has not entered a code this session is
    sent to the code page; a team manager, service manager or administrator without one is sent to
    set one up. Nothing else answers until then: pages redirect, the API answers 403. Static files
    are served before this (WhiteNoise). API requests with a token are checked by
    csafe/accounts/api_auth.py, since they carry no session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        step = two_factor.pending_step(request)
        if step is None:
            return None
        view_name = request.resolver_match.view_name if request.resolver_match else ""
        if view_name in ALWAYS_OPEN or view_name in OPEN_DURING[step]:
            return None
        if request.path.startswith("/api/") and view_name != "api-docs":  # docs are a page
            return JsonResponse({"detail": API_REFUSAL[step]}, status=403)
        if step == two_factor.VERIFY:
            target = reverse("accounts:two_factor_verify")
            return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return HttpResponseRedirect(reverse("accounts:two_factor_setup"))
