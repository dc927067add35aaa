"""csafe's routes plus the framework floor: the cheapest signed-in page there can be, which every
page's time is compared with."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from csafe.urls import handler500  # noqa: F401 (the same error page as csafe.urls)
from csafe.urls import urlpatterns as csafe_urlpatterns


@login_required
def floor(request):
    """Passes the whole middleware stack (session, sign-in, two-factor, CSP...) and does nothing."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [*csafe_urlpatterns, path("_bench/floor/", floor, name="bench-floor")]
