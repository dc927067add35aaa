"""The composed record pages, named in the "cases" namespace beside cases' own pages (see
csafe/urls.py), so a link to the record reads the same wherever it is written."""

from django.urls import path

from . import record_views

urlpatterns = [
    path("", record_views.caseload, name="caseload"),
    path("<bounded_int:pk>/", record_views.detail, name="detail"),
    path("<bounded_int:pk>/subject-access/", record_views.subject_access, name="subject_access"),
]
