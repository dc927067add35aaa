"""Pages for linking young people to contexts. They belong to the young person's record (each
takes ``young_person_pk`` and needs ``change`` on that record); no page under /contexts/<pk>/
lists or links to a context's young people."""

from django.urls import path

from . import views

urlpatterns = [
    path("young-people/<bounded_int:young_person_pk>/link/", views.link_new, name="link_new"),
    path(
        "young-people/<bounded_int:young_person_pk>/links/<bounded_int:pk>/end/",
        views.link_end,
        name="link_end",
    ),
    path(
        "young-people/<bounded_int:young_person_pk>/locations-of-harm/<bounded_int:pk>/link/",
        views.location_link,
        name="location_link",
    ),
]
