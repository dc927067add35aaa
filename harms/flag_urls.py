"""Flag pages live under the young person's record: /young-people/<id>/harm-flags/..."""

from django.urls import path

from . import views

app_name = "flags"
urlpatterns = [
    path("new/", views.flag_raise, name="raise"),
    path("<bounded_int:pk>/archive/", views.flag_archive, name="archive"),
    path("<bounded_int:pk>/reinstate/", views.flag_reinstate, name="reinstate"),
    path("<bounded_int:pk>/review/", views.flag_review, name="review"),
]
