"""Pages for context records (core). The names "list", "detail" and "conventions" are used by
the navigation, notifications and other parts; keep them."""

from django.urls import path

from .views import core as views

urlpatterns = [
    path("", views.context_list, name="list"),
    path("new/", views.context_new, name="new"),
    path("<bounded_int:pk>/", views.context_detail, name="detail"),
    path("<bounded_int:pk>/edit/", views.context_edit, name="edit"),
    path("<bounded_int:pk>/close/", views.context_close, name="close"),
    path("<bounded_int:pk>/reopen/", views.context_reopen, name="reopen"),
    path("<bounded_int:pk>/chronology/", views.context_chronology, name="chronology"),
    path("configuration/naming/", views.conventions, name="conventions"),
    path("configuration/naming/<str:kind>/", views.convention_edit, name="convention_edit"),
    path(
        "configuration/naming/<str:kind>/preview/",
        views.convention_preview,
        name="convention_preview",
    ),
]
