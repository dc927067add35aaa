from django.urls import path

from . import views, worktray_views

app_name = "workspace"
urlpatterns = [
    path("", views.home, name="home"),
    path("work/", worktray_views.worktray, name="worktray"),
]
