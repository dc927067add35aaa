"""Export pages, in the "exports" namespace; csafe/urls.py mounts them under "reporting/exports/",
where they began."""

from django.urls import path

from . import views

app_name = "exports"
urlpatterns = [
    path("", views.export_list, name="export_list"),
    path("<bounded_int:pk>/", views.export_job, name="export_job"),
    path("<bounded_int:pk>/status/", views.export_job_status, name="export_job_status"),
    path("<bounded_int:pk>/download/", views.export_download, name="export_download"),
]
