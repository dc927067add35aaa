"""Flag pages live under the young person's record: /young-people/<id>/harm-flags/..."""

from django.urls import path

from .views import flags

app_name = "flags"
urlpatterns = [
    path("new/", flags.flag_raise, name="raise"),
    path("<bounded_int:pk>/archive/", flags.flag_archive, name="archive"),
    path("<bounded_int:pk>/reinstate/", flags.flag_reinstate, name="reinstate"),
    path("<bounded_int:pk>/review/", flags.flag_review, name="review"),
]
