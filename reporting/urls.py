from .census.urls import urlpatterns as census_urlpatterns
from .dashboards.urls import urlpatterns as dashboard_urlpatterns
from .drill.urls import urlpatterns as drill_urlpatterns

app_name = "reporting"

urlpatterns = [
    *dashboard_urlpatterns,
    *drill_urlpatterns,
    *census_urlpatterns,
]
