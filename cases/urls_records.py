"""Pages for case notes, documents and management oversight, under
/young-people/<young_person_pk>/."""

from django.urls import path

from .views import oversight, records

urlpatterns = [
    path("oversight/", oversight.oversight_list, name="oversight_list"),
    path("oversight/new/", oversight.oversight_new, name="oversight_new"),
    path("notes/", records.note_list, name="note_list"),
    path("notes/new/", records.note_new, name="note_new"),
    path("documents/", records.document_list, name="document_list"),
    path("documents/new/", records.document_new, name="document_new"),
    path(
        "documents/<bounded_int:pk>/download/",
        records.document_download,
        name="document_download",
    ),
]
