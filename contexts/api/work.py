"""API for the work on a context: assessments and meeting notes, and the context plan. Over the
same services and selectors as the pages, so the same rules: anyone who may view contexts reads
(404 otherwise); changing needs ``can_work_on_contexts``, and a reader who may not change them (a
service manager) gets 403. Staff and counts only: nothing here carries a young person."""

from __future__ import annotations

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from cases.reference import ActionProgress, PartnerAgency
from csafe.core.api import blank_or_choice

from ..access import context_for_request, context_text_row_for_request
from ..models import Context, ContextPlanAction, ContextRecord, ContextStatusChange
from ..reference import ContextRecordKind, TriangleSide, triangle_headings
from ..selectors import work as work_selectors
from ..services import corrections
from ..services import work as work_services
from .core import CONFLICT, REFUSED

# --- Output ------------------------------------------------------------------------------------


class _WithdrawableSerializer(serializers.ModelSerializer):
    """A row whose text may have been withdrawn: then ``withdrawn`` is true, its text fields are
    empty, and who withdrew it, when and why are given instead."""

    withdrawn = serializers.SerializerMethodField()
    withdrawn_by = serializers.SerializerMethodField()
    text_fields: tuple[str, ...] = ()

    def get_withdrawn(self, row) -> bool:
        return row.is_withdrawn

    def get_withdrawn_by(self, row) -> str | None:
        return row.withdrawn_by.get_full_name() if row.withdrawn_by_id else None

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.is_withdrawn:
            data.update({name: "" for name in self.text_fields})
        return data


_CORRECTION_OUTPUT = [
    "withdrawn",
    "withdrawn_at",
    "withdrawn_by",
    "withdrawal_reason",
    "corrected_at",
    "correction_reason",
]


class ContextRecordSerializer(_WithdrawableSerializer):
    headings = serializers.SerializerMethodField(
        help_text="What each side of the triangle is called for this kind of context"
    )
    weighting = blank_or_choice(ContextRecord, "weighting")
    weighting_heading = serializers.SerializerMethodField()
    recorded_by = serializers.CharField(source="recorded_by.get_full_name")

    class Meta:
        model = ContextRecord
        fields = [
            "id",
            "kind",
            "held_on",
            "functioning",
            "guardianship",
            "environment",
            "weighting",
            "weighting_heading",
            "weighting_reason",
            "headings",
            "recorded_by",
            "created_at",
            *_CORRECTION_OUTPUT,
        ]
        read_only_fields = fields

    text_fields = corrections.PARTS["record"].texts

    def get_headings(self, record: ContextRecord) -> dict[str, str]:
        return triangle_headings(self.context["context"].kind)

    def get_weighting_heading(self, record: ContextRecord) -> str:
        return work_selectors.heading_for(self.context["context"], record.weighting)


class ContextPlanActionSerializer(_WithdrawableSerializer):
    side_heading = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField(
        help_text="Due before today and neither done nor stopped"
    )

    class Meta:
        model = ContextPlanAction
        fields = [
            "id",
            "side",
            "side_heading",
            "description",
            "partner_agency",
            "owner",
            "due_date",
            "progress",
            "progress_note",
            "completed_on",
            "overdue",
            "created_at",
            *_CORRECTION_OUTPUT,
        ]
        read_only_fields = fields

    text_fields = corrections.PARTS["action"].texts

    def get_side_heading(self, action: ContextPlanAction) -> str:
        return work_selectors.heading_for(self.context["context"], action.side)

    def get_overdue(self, action: ContextPlanAction) -> bool:
        return work_selectors.action_is_overdue(action, timezone.localdate())


class ContextPlanReviewSerializer(serializers.ModelSerializer):
    review_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Context
        fields = ["id", "plan_review_date", "review_overdue", "version"]
        read_only_fields = fields

    def get_review_overdue(self, context: Context) -> bool:
        return work_selectors.review_is_overdue(context, timezone.localdate())


# --- Input -------------------------------------------------------------------------------------
# Blank-field messages match the pages', so a rule reads the same in every channel.


def _required(message: str) -> dict:
    return {"required": message, "blank": message, "null": message}


def _text(**kwargs):
    return serializers.CharField(required=False, allow_blank=True, max_length=10000, **kwargs)


class ContextAddRecordSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=ContextRecordKind.choices,
        error_messages=_required("Choose whether this is a context assessment or a meeting note"),
    )
    held_on = serializers.DateField(
        error_messages=_required("Enter the date of the assessment or meeting")
    )
    functioning = _text(help_text="The first side of the triangle (see headings)")
    guardianship = _text()
    environment = _text()
    weighting = serializers.ChoiceField(
        choices=TriangleSide.choices,
        required=False,
        allow_blank=True,
        help_text="Which side must change first for safety to increase",
    )
    weighting_reason = _text(help_text="Why; needed with a side")


class ContextAddActionSerializer(serializers.Serializer):
    side = serializers.ChoiceField(
        choices=TriangleSide.choices, error_messages=_required("Choose what the action works on")
    )
    description = serializers.CharField(
        max_length=10000, error_messages=_required("Describe the action")
    )
    partner_agency = serializers.ChoiceField(
        choices=PartnerAgency.choices, error_messages=_required("Choose the partner agency")
    )
    owner = serializers.CharField(
        max_length=200, error_messages=_required("Enter who is responsible for the action")
    )
    due_date = serializers.DateField(error_messages=_required("Enter the due date"))


class ContextActionProgressSerializer(serializers.Serializer):
    progress = serializers.ChoiceField(
        choices=ActionProgress.choices,
        error_messages=_required("Choose the progress of the action"),
    )
    note = _text()
    completed_on = serializers.DateField(
        required=False, allow_null=True, help_text="Needed when the action is done"
    )


class ContextSetReviewDateSerializer(serializers.Serializer):
    review_date = serializers.DateField(error_messages=_required("Enter the plan review date"))


# --- Views -------------------------------------------------------------------------------------


class ContextWorkViewSet(viewsets.GenericViewSet):
    """A context's assessments and meeting notes, and its plan."""

    queryset = Context.objects.none()
    serializer_class = ContextRecordSerializer
    pagination_class = None

    @staticmethod
    def _valid(serializer_class, data) -> dict:
        payload = serializer_class(data=data)
        payload.is_valid(raise_exception=True)
        return payload.validated_data

    @extend_schema(responses=ContextRecordSerializer(many=True))
    def records(self, request, pk=None):
        """The context's assessments and meeting notes, newest first."""
        context = context_for_request(request, pk)
        records = work_selectors.records_for_context(context=context)
        return Response(
            ContextRecordSerializer(records, many=True, context={"context": context}).data
        )

    @extend_schema(request=ContextAddRecordSerializer, responses={201: ContextRecordSerializer})
    def add_record(self, request, pk=None):
        """Record a context assessment or meeting note under the triangle headings (at least
        one), with the weighting and why. Text naming a young person linked to the context is
        refused."""
        context = context_for_request(request, pk, change=True)
        data = self._valid(ContextAddRecordSerializer, request.data)
        record = work_services.context_record_add(actor=request.user, context=context, **data)
        record = work_selectors.context_record_get(context=context, pk=record.pk)
        return Response(
            ContextRecordSerializer(record, context={"context": context}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(responses=ContextPlanActionSerializer(many=True))
    def actions(self, request, pk=None):
        """The actions of the context's plan, soonest due first, overdue ones flagged."""
        context = context_for_request(request, pk)
        actions = work_selectors.plan_actions_for_context(context=context)
        return Response(
            ContextPlanActionSerializer(actions, many=True, context={"context": context}).data
        )

    @extend_schema(request=ContextAddActionSerializer, responses={201: ContextPlanActionSerializer})
    def add_action(self, request, pk=None):
        """Add an action to the context's plan, against one side of the triangle."""
        context = context_for_request(request, pk, change=True)
        data = self._valid(ContextAddActionSerializer, request.data)
        action = work_services.context_action_add(actor=request.user, context=context, **data)
        return Response(
            ContextPlanActionSerializer(action, context={"context": context}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=ContextActionProgressSerializer, responses=ContextPlanActionSerializer)
    def action_progress(self, request, pk=None, action_pk=None):
        """Record progress on an action; "done" needs ``completed_on``."""
        context = context_for_request(request, pk, change=True)
        action = work_selectors.context_action_get(context=context, pk=action_pk)
        data = self._valid(ContextActionProgressSerializer, request.data)
        action = work_services.context_action_update_progress(
            actor=request.user,
            action=action,
            progress=data["progress"],
            note=data.get("note", ""),
            completed_on=data.get("completed_on"),
        )
        return Response(ContextPlanActionSerializer(action, context={"context": context}).data)

    @extend_schema(request=ContextSetReviewDateSerializer, responses=ContextPlanReviewSerializer)
    def plan_review(self, request, pk=None):
        """Set the date the context's plan is next reviewed (today or later)."""
        context = context_for_request(request, pk, change=True)
        data = self._valid(ContextSetReviewDateSerializer, request.data)
        context = work_services.context_plan_review_set(
            actor=request.user, context=context, review_date=data["review_date"]
        )
        return Response(ContextPlanReviewSerializer(context).data)


class ContextStatusChangeSerializer(_WithdrawableSerializer):
    by = serializers.CharField(source="by.get_full_name")

    class Meta:
        model = ContextStatusChange
        fields = [
            "id",
            "action",
            "on",
            "reason",
            "functioning_change",
            "guardianship_change",
            "environment_change",
            "by",
            "created_at",
            *_CORRECTION_OUTPUT,
        ]
        read_only_fields = fields

    text_fields = corrections.PARTS["status_change"].texts


_MISSING_VERSION = "Send the version of the context you last read"


def _version():
    return serializers.IntegerField(
        min_value=1,
        help_text="The context's version as last read (GET /api/v1/contexts/{id}/)",
        error_messages={"required": _MISSING_VERSION, "null": _MISSING_VERSION},
    )


def _reason(message: str):
    return serializers.CharField(
        max_length=10000,
        help_text="Read by everyone working on the context: name no young person",
        error_messages=_required(message),
    )


def _corrected(help_text: str = "") -> serializers.CharField:
    return serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=10000,
        help_text=help_text or "The corrected text; left out, it stays as it is",
    )


class RecordCorrectionSerializer(serializers.Serializer):
    functioning = _corrected()
    guardianship = _corrected()
    environment = _corrected()
    weighting_reason = _corrected()
    correction_reason = _reason(corrections.CORRECTION_REASON_REQUIRED)
    version = _version()


class ActionCorrectionSerializer(serializers.Serializer):
    description = _corrected()
    owner = serializers.CharField(required=False, max_length=200)
    progress_note = _corrected()
    correction_reason = _reason(corrections.CORRECTION_REASON_REQUIRED)
    version = _version()


class StatusChangeCorrectionSerializer(serializers.Serializer):
    reason = _corrected("The corrected reason for the closure or reopening")
    functioning_change = _corrected()
    guardianship_change = _corrected()
    environment_change = _corrected()
    correction_reason = _reason(corrections.CORRECTION_REASON_REQUIRED)
    version = _version()


class WithdrawalSerializer(serializers.Serializer):
    withdrawal_reason = _reason(corrections.WITHDRAWAL_REASON_REQUIRED)
    version = _version()


def _redaction_serializer(part: str) -> type[serializers.Serializer]:
    fields = (*corrections.PARTS[part].texts, *corrections.REASON_FIELDS)
    return type(
        f"{part.title().replace('_', '')}RedactionSerializer",
        (serializers.Serializer,),
        {
            "field": serializers.ChoiceField(
                choices=fields, error_messages=_required(corrections.CHOOSE_FIELD)
            ),
            "passage": serializers.CharField(
                max_length=10000,
                help_text="Copied exactly from the text: it becomes [redacted] there and in "
                "every earlier version",
                error_messages=_required(corrections.PASSAGE_REQUIRED),
            ),
            "redaction_reason": _reason(corrections.REDACTION_REASON_REQUIRED),
            "version": _version(),
        },
    )


_CORRECTIONS = {
    # part: (URL keyword of the row, output, correction input, redaction input)
    "record": (
        "record_pk",
        ContextRecordSerializer,
        RecordCorrectionSerializer,
        _redaction_serializer("record"),
    ),
    "action": (
        "action_pk",
        ContextPlanActionSerializer,
        ActionCorrectionSerializer,
        _redaction_serializer("action"),
    ),
    "status_change": (
        "change_pk",
        ContextStatusChangeSerializer,
        StatusChangeCorrectionSerializer,
        _redaction_serializer("status_change"),
    ),
}


class _TextChangeViewSet(viewsets.GenericViewSet):
    """Correcting, withdrawing and redacting the text of one kind of context row
    (contexts.services.corrections): for the row's author or a team manager of the context's
    team (redaction: that manager only), 403 for anyone else who may read contexts. A change
    carries the context's ``version``; if someone has saved since, the answer is 409."""

    part = ""
    queryset = Context.objects.none()
    pagination_class = None

    def _change(self, request, serializer_class, service, *, redact: bool = False):
        key = _CORRECTIONS[self.part][0]
        context, row = context_text_row_for_request(
            request, self.kwargs["pk"], self.part, self.kwargs[key], redact=redact
        )
        payload = serializer_class(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        version = data.pop("version")
        service(actor=request.user, row=row, expected_version=version, **data)
        row = work_selectors.context_text_row_get(context=context, part=self.part, pk=row.pk)
        output = _CORRECTIONS[self.part][1]
        return Response(output(row, context={"context": context}).data)

    def correct(self, request, **kwargs):
        return self._change(request, _CORRECTIONS[self.part][2], corrections.context_text_correct)

    def withdraw(self, request, **kwargs):
        return self._change(request, WithdrawalSerializer, corrections.context_text_withdraw)

    def redact(self, request, **kwargs):
        return self._change(
            request, _CORRECTIONS[self.part][3], corrections.context_text_redact, redact=True
        )


def _text_change_viewset(part: str, noun: str) -> type[_TextChangeViewSet]:
    _, output, correction, redaction = _CORRECTIONS[part]
    responses = {200: output, 403: REFUSED, 409: CONFLICT}

    class ViewSet(_TextChangeViewSet):
        @extend_schema(
            request=correction,
            responses=responses,
            description=f"Correct the text of {noun}, with a reason: the text replaced is "
            "removed from it and from its history. Text naming a young person is refused.",
        )
        def correct(self, request, **kwargs):
            return super().correct(request, **kwargs)

        @extend_schema(
            request=WithdrawalSerializer,
            responses=responses,
            description=f"Withdraw the whole text of {noun}, with a reason: the row stays "
            "(its dates and kind), its text is gone from it and from its history.",
        )
        def withdraw(self, request, **kwargs):
            return super().withdraw(request, **kwargs)

        @extend_schema(
            request=redaction,
            responses=responses,
            description=f"Redact a passage of {noun} found to name a young person: it "
            "becomes [redacted] in the row and every earlier version. For a team manager of "
            "the context's team.",
        )
        def redact(self, request, **kwargs):
            return super().redact(request, **kwargs)

    ViewSet.part = part
    ViewSet.__name__ = ViewSet.__qualname__ = f"{part.title().replace('_', '')}TextViewSet"
    return ViewSet


_TEXT_VIEWSETS = (
    ("records", "record", "an assessment or meeting note"),
    ("actions", "action", "a plan action"),
    ("status-changes", "status_change", "a closure or reopening"),
)

work = ContextWorkViewSet
base = "contexts/<bounded_int:pk>/"
urlpatterns = [
    path(
        f"{base}records/",
        work.as_view({"get": "records", "post": "add_record"}),
        name="context-records",
    ),
    path(
        f"{base}actions/",
        work.as_view({"get": "actions", "post": "add_action"}),
        name="context-actions",
    ),
    path(
        f"{base}actions/<bounded_int:action_pk>/progress/",
        work.as_view({"post": "action_progress"}),
        name="context-action-progress",
    ),
    path(f"{base}plan-review/", work.as_view({"post": "plan_review"}), name="context-plan-review"),
]
for segment, part, noun in _TEXT_VIEWSETS:
    viewset = _text_change_viewset(part, noun)
    key = _CORRECTIONS[part][0]
    urlpatterns += [
        path(
            f"{base}{segment}/<bounded_int:{key}>/{verb}/",
            viewset.as_view({"post": verb}),
            name=f"context-{segment.removesuffix('s')}-{verb}",
        )
        for verb in ("correct", "withdraw", "redact")
    ]
