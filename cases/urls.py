from django.urls import include, path

from .views import chronology, referrals, young_people

# The caseload, the record's front page and the subject access export compose several apps and
# live in workspace/; csafe/urls.py puts them in this "cases" namespace beside these.
app_name = "cases"
urlpatterns = [
    path("<bounded_int:pk>/referrals/new/", referrals.referral_new, name="referral_new"),
    path("referrals/new/", referrals.referral_new_person, name="referral_new_person"),
    path("<bounded_int:pk>/details/", young_people.details_edit, name="details_edit"),
    path("<bounded_int:pk>/chronology/", chronology.chronology, name="chronology"),
    path("<bounded_int:pk>/access-log/", young_people.access_log, name="access_log"),
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
