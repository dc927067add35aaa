"""Pages for the work on a context: assessments and meeting notes, and the context plan."""

from django.urls import path

from .views import work

urlpatterns = [
    path("<int:pk>/records/", work.record_list, name="record_list"),
    path("<int:pk>/records/new/", work.record_new, name="record_new"),
    path("<int:pk>/records/<int:record_pk>/", work.record_detail, name="record_detail"),
    path("<int:pk>/plan/actions/new/", work.action_new, name="action_new"),
    path(
        "<int:pk>/plan/actions/<int:action_pk>/progress/",
        work.action_progress,
        name="action_progress",
    ),
    path("<int:pk>/plan/review-date/", work.plan_review_date, name="plan_review_date"),
    # Correcting, withdrawing and redacting text (contexts.services.corrections).
    *(
        path(
            f"<int:pk>/{prefix}/<int:{key}>/{verb}/",
            getattr(work, f"{part}_{verb}"),
            name=f"{part}_{verb}",
        )
        for prefix, key, part in (
            ("records", "record_pk", "record"),
            ("plan/actions", "action_pk", "action"),
            ("status-changes", "change_pk", "status_change"),
        )
        for verb in ("correct", "withdraw", "redact")
    ),
]
