"""Export pages, included by reporting/urls.py under "exports/" in the "reporting" namespace
(views_exports.NAMESPACE)."""

from django.urls import path

from . import views_exports as views

urlpatterns = [
    path("", views.export_list, name="export_list"),
    path("<bounded_int:pk>/", views.export_job, name="export_job"),
    path("<bounded_int:pk>/status/", views.export_job_status, name="export_job_status"),
    path("<bounded_int:pk>/download/", views.export_download, name="export_download"),
]
