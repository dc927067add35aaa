from django.urls import path

from . import views

app_name = "harms"
urlpatterns = [
    path("", views.type_list, name="type_list"),
    path("new/", views.type_create, name="type_create"),
    path("<int:pk>/edit/", views.type_edit, name="type_edit"),
    path("<int:pk>/retire/", views.type_set_active, {"active": False}, name="type_retire"),
    path("<int:pk>/reactivate/", views.type_set_active, {"active": True}, name="type_reactivate"),
    path("<int:pk>/history/", views.type_history, name="type_history"),
]
