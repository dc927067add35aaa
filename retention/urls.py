from django.urls import path

from . import views

app_name = "retention"
urlpatterns = [
    path("", views.due_list, name="due"),
    path("<str:record_kind>/<bounded_int:pk>/", views.decide, name="decide"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/<bounded_int:pk>/edit/", views.rule_edit, name="rule_edit"),
    path("rules/legal-hold/", views.hold_rule_edit, name="hold_rule_edit"),
    path("young-people/<bounded_int:pk>/hold/", views.hold, name="hold"),
    path("young-people/<bounded_int:pk>/hold/lift/", views.hold_lift, name="hold_lift"),
]
