"""Version 1 of the API. Each app contributes its viewsets here."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from cases.api import assessments, flags, plans, records
from cases.api.young_people import YoungPersonReferralViewSet, YoungPersonViewSet
from contexts.api import core as context_core
from contexts.api import work as context_work
from contexts.linking import api as context_links
from harms.api import HarmTypeViewSet
from reporting import api as reporting_api

# No format-suffix twins (…/1.json): JSON is the only format, and the twins reached actions
# that take no format argument.
router = DefaultRouter()
router.include_format_suffixes = False
router.register("young-people", YoungPersonViewSet, basename="young-person")
router.register("harm-types", HarmTypeViewSet, basename="harm-type")

urlpatterns = [
    *router.urls,
    path(
        "young-people/<bounded_int:young_person_pk>/referrals/",
        YoungPersonReferralViewSet.as_view({"get": "list", "post": "create"}),
        name="young-person-referrals",
    ),
    *flags.urlpatterns,
    *assessments.urlpatterns,
    *plans.urlpatterns,
    *records.urlpatterns,
    *context_core.urlpatterns,
    *context_work.urlpatterns,
    *context_links.urlpatterns,
    *reporting_api.urlpatterns,
]
