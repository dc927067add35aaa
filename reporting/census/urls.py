"""The CIN census return: the page and its two downloads. No app_name: reporting/urls.py adds
these to its own patterns (the views reverse each other within whatever namespace that is)."""

from django.urls import path

from . import views

urlpatterns = [
    path("cin-census/", views.census, name="census"),
    path("cin-census/factors.csv", views.census_csv, name="census_csv"),
    path("cin-census/factors.xml", views.census_xml, name="census_xml"),
]
