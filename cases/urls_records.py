"""Pages for relocations, case notes and documents, under /young-people/<young_person_pk>/."""

from django.urls import path

from .views import records

urlpatterns = [
    path(
        "documents/<int:pk>/download/",
        records.document_download,
        name="document_download",
    ),
]
