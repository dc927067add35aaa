from django.urls import path

from . import views

app_name = "harms"
urlpatterns = [
    path("", views.type_list, name="type_list"),
    path("new/", views.type_create, name="type_create"),
    path("<bounded_int:pk>/edit/", views.type_edit, name="type_edit"),
    path("<bounded_int:pk>/retire/", views.type_retire, name="type_retire"),
    path("<bounded_int:pk>/reactivate/", views.type_reactivate, name="type_reactivate"),
    path("<bounded_int:pk>/history/", views.type_history, name="type_history"),
]
