from django.urls import path

from . import views

app_name = "retention"
urlpatterns = [
    path("", views.due_list, name="due"),
    path("<str:record_kind>/<int:pk>/", views.decide, name="decide"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/<int:pk>/edit/", views.rule_edit, name="rule_edit"),
]
