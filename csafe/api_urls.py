"""Version 1 of the API. Each app contributes its viewsets here."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from cases.api import assessments, plans, records
from cases.api.young_people import YoungPersonReferralViewSet, YoungPersonViewSet
from contexts.api import core as context_core
from contexts.api import work as context_work
from contexts.linking import api as context_links
from harms.api import HarmTypeViewSet, YoungPersonFlagViewSet
from reporting import api as reporting_api

# No format-suffix twins (…/1.json): JSON is the only format, and the twins reached actions
# that take no format argument.
router = DefaultRouter()
router.include_format_suffixes = False
router.register("young-people", YoungPersonViewSet, basename="young-person")
router.register("harm-types", HarmTypeViewSet, basename="harm-type")

flags = YoungPersonFlagViewSet
urlpatterns = [
    *router.urls,
    path(
        "young-people/<bounded_int:young_person_pk>/referrals/",
        YoungPersonReferralViewSet.as_view({"get": "list", "post": "create"}),
        name="young-person-referrals",
    ),
    path(
        "young-people/<bounded_int:young_person_pk>/flags/",
        flags.as_view({"get": "list", "post": "create"}),
        name="young-person-flags",
    ),
    path(
        "young-people/<bounded_int:young_person_pk>/flags/<bounded_int:pk>/archive/",
        flags.as_view({"post": "archive"}),
        name="young-person-flag-archive",
    ),
    path(
        "young-people/<bounded_int:young_person_pk>/flags/<bounded_int:pk>/review/",
        flags.as_view({"post": "review"}),
        name="young-person-flag-review",
    ),
    path(
        "young-people/<bounded_int:young_person_pk>/flags/<bounded_int:pk>/reinstate/",
        flags.as_view({"post": "reinstate"}),
        name="young-person-flag-reinstate",
    ),
    *assessments.urlpatterns,
    *plans.urlpatterns,
    *records.urlpatterns,
    *context_core.urlpatterns,
    *context_work.urlpatterns,
    *context_links.urlpatterns,
    *reporting_api.urlpatterns,
]
