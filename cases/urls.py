from django.urls import path

from . import referral_views, views

app_name = "cases"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/referrals/new/", referral_views.referral_new, name="referral_new"),
    path("referrals/new/", referral_views.referral_new_person, name="referral_new_person"),
    path("<int:pk>/access-log/", views.access_log, name="access_log"),
    path("<int:pk>/allocations/", views.allocate, name="allocate"),
    path(
        "<int:pk>/allocations/<int:allocation_pk>/end/",
        views.allocation_end,
        name="allocation_end",
    ),
]
