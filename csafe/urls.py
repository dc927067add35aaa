from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from cases import urls as case_urls
from csafe.core import views as core_views
from workspace import urls_record as workspace_record_urls

admin.site.site_header = "csafe configuration"
admin.site.site_title = "csafe configuration"
admin.site.index_title = "Teams and staff accounts"

urlpatterns = [
    path("", include("workspace.urls")),
    path("accounts/", include("csafe.accounts.urls")),
    # The record's composed pages (workspace) and cases' own, in one "cases" namespace.
    path(
        "young-people/",
        include(([*workspace_record_urls.urlpatterns, *case_urls.urlpatterns], "cases")),
    ),
    path("young-people/<bounded_int:young_person_pk>/harm-flags/", include("cases.urls_flags")),
    path("configuration/harm-types/", include("harms.urls")),
    path("configuration/", include("cases.urls_configuration")),
    path("contexts/", include("contexts.urls")),
    path("notifications/", include("csafe.notifications.urls")),
    # Export jobs began in reporting and keep their addresses; ahead of reporting's own pages.
    path("reporting/exports/", include("csafe.exports.urls")),
    path("reporting/", include("reporting.urls")),
    path("retention/", include("retention.urls")),
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
