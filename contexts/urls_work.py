"""Pages for the work on a context: assessments and meeting notes, and the context plan."""

from django.urls import path

from .views import work

urlpatterns = [
    path("<bounded_int:pk>/records/", work.record_list, name="record_list"),
    path("<bounded_int:pk>/records/new/", work.record_new, name="record_new"),
    path(
        "<bounded_int:pk>/records/<bounded_int:record_pk>/",
        work.record_detail,
        name="record_detail",
    ),
    path("<bounded_int:pk>/plan/actions/new/", work.action_new, name="action_new"),
    path(
        "<bounded_int:pk>/plan/actions/<bounded_int:action_pk>/progress/",
        work.action_progress,
        name="action_progress",
    ),
    path("<bounded_int:pk>/plan/review-date/", work.plan_review_date, name="plan_review_date"),
    # Correcting, withdrawing and redacting text (contexts.services.corrections).
    *(
        path(
            f"<bounded_int:pk>/{prefix}/<bounded_int:{key}>/{verb}/",
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
