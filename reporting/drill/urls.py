"""The drill-down from a dashboard count and its download. No app_name: reporting/urls.py adds
these to its own patterns, under the "reporting" namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("young-people/", views.drill, name="drill"),
    path("young-people/export/", views.drill_export, name="drill_export"),
]
