"""Pages for plans and relocations on a young person's record, under
/young-people/<young_person_pk>/."""

from django.urls import path

from .views import plans

urlpatterns = [
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/new/", plans.plan_new, name="plan_new"),
    path("plans/<bounded_int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<bounded_int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<bounded_int:pk>/actions/new/", plans.plan_action_add, name="plan_action_add"),
    path(
        "plans/<bounded_int:pk>/actions/<bounded_int:action_pk>/progress/",
        plans.plan_action_progress,
        name="plan_action_progress",
    ),
    path(
        "plans/<bounded_int:pk>/factors/<bounded_int:factor_pk>/not-addressed/",
        plans.plan_factor_gap,
        name="plan_factor_gap",
    ),
    path("plans/<bounded_int:pk>/finalise/", plans.plan_finalise, name="plan_finalise"),
    path("plans/<bounded_int:pk>/submit/", plans.plan_submit, name="plan_submit"),
    path("plans/<bounded_int:pk>/sign-off/", plans.plan_sign_off, name="plan_sign_off"),
    path("plans/<bounded_int:pk>/return/", plans.plan_return, name="plan_return"),
    path("plans/<bounded_int:pk>/review/", plans.plan_review, name="plan_review"),
    path("plans/<bounded_int:pk>/end/", plans.plan_end, name="plan_end"),
    path("relocations/", plans.relocation_list, name="relocation_list"),
    path("relocations/new/", plans.relocation_new, name="relocation_new"),
]
