"""Pages for assessments on a young person's record, under /young-people/<young_person_pk>/."""

from django.urls import path

from .views import assessments

urlpatterns = [
    path("assessments/", assessments.assessment_list, name="assessment_list"),
    path("assessments/new/", assessments.assessment_new, name="assessment_new"),
    path("assessments/<bounded_int:pk>/", assessments.assessment_detail, name="assessment_detail"),
    path("assessments/<bounded_int:pk>/edit/", assessments.assessment_edit, name="assessment_edit"),
    path(
        "assessments/<bounded_int:pk>/factors/new/",
        assessments.assessment_factor_add,
        name="assessment_factor_add",
    ),
    path(
        "assessments/<bounded_int:pk>/factors/<bounded_int:factor_pk>/withdraw/",
        assessments.assessment_factor_withdraw,
        name="assessment_factor_withdraw",
    ),
    path(
        "assessments/<bounded_int:pk>/maps/new/",
        assessments.assessment_map_add,
        name="assessment_map_add",
    ),
    path(
        "assessments/<bounded_int:pk>/complete/",
        assessments.assessment_complete,
        name="assessment_complete",
    ),
    path(
        "assessments/<bounded_int:pk>/authorise/",
        assessments.assessment_authorise,
        name="assessment_authorise",
    ),
    path(
        "assessments/<bounded_int:pk>/return/",
        assessments.assessment_return,
        name="assessment_return",
    ),
]
