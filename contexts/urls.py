from django.urls import include, path

app_name = "contexts"
urlpatterns = [
    path("", include("contexts.urls_core")),
    path("", include("contexts.urls_work")),
    path("", include("contexts.linking.urls")),
]
