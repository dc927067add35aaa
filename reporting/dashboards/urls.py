"""The dashboards and the CSV file of each table. No app_name: reporting/urls.py adds these to
its own patterns, under the "reporting" namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<slug:key>.csv", views.dashboard_csv, name="dashboard_csv"),
]
