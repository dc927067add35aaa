from django.urls import include, path

from . import views, views_drill
from .urls_census import urlpatterns as census_urlpatterns

app_name = "reporting"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<slug:key>.csv", views.dashboard_csv, name="dashboard_csv"),
    path("young-people/", views_drill.drill, name="drill"),
    path("young-people/export/", views_drill.drill_export, name="drill_export"),
    path("exports/", include("reporting.urls_exports")),
    *census_urlpatterns,
]
