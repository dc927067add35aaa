from django.urls import include, path

from .views import chronology, referrals, subject_access, young_people

app_name = "cases"
urlpatterns = [
    path("", young_people.caseload, name="caseload"),
    path("<bounded_int:pk>/", young_people.detail, name="detail"),
    path("<bounded_int:pk>/referrals/new/", referrals.referral_new, name="referral_new"),
    path("referrals/new/", referrals.referral_new_person, name="referral_new_person"),
    path("<bounded_int:pk>/details/", young_people.details_edit, name="details_edit"),
    path("<bounded_int:pk>/chronology/", chronology.chronology, name="chronology"),
    path("<bounded_int:pk>/access-log/", young_people.access_log, name="access_log"),
    path("<bounded_int:pk>/subject-access/", subject_access.subject_access, name="subject_access"),
    path("<bounded_int:pk>/allocations/", young_people.allocate, name="allocate"),
    path(
        "<bounded_int:pk>/allocations/<bounded_int:allocation_pk>/end/",
        young_people.allocation_end,
        name="allocation_end",
    ),
    # Each part of the pathway names its pages "cases:<name>" with young_person_pk in the path.
    path("<bounded_int:young_person_pk>/", include("cases.urls_assessments")),
    path("<bounded_int:young_person_pk>/", include("cases.urls_plans")),
    path("<bounded_int:young_person_pk>/", include("cases.urls_records")),
]
