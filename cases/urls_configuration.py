"""The administrator's configuration pages that belong to cases, under /configuration/."""

from django.urls import path

from .views import configuration

app_name = "case_configuration"
urlpatterns = [
    path("plan-sign-off/", configuration.plan_sign_off_rules, name="plan_sign_off"),
]
