from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from csafe.core import views as core_views

admin.site.site_header = "csafe configuration"
admin.site.site_title = "csafe configuration"
admin.site.index_title = "Teams and staff accounts"

core_patterns = (
    [path("", core_views.home, name="home")],
    "core",
)

urlpatterns = [
    path("", include(core_patterns)),
    path("accounts/", include("csafe.accounts.urls")),
    path("young-people/", include("cases.urls")),
    path("young-people/<bounded_int:young_person_pk>/harm-flags/", include("harms.flag_urls")),
    path("configuration/harm-types/", include("harms.urls")),
    path("contexts/", include("contexts.urls")),
    path("notifications/", include("csafe.notifications.urls")),
    path("reporting/", include("reporting.urls")),
    path("retention/", include("csafe.retention.urls")),
    path("api/v1/", include("csafe.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The docs page is HTML for people: send anonymous visitors to sign in rather than a 401.
    path(
        "api/docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
    path("healthz", core_views.healthz, name="healthz"),
]

handler500 = "csafe.core.views.server_error"
