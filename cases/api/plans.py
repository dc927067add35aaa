"""API for plans and relocations, over the same services and selectors as the pages (and so the
same rules and access): view permission on the record to read, change permission to write, 404
without it. Lists are paginated like every list in the API.

A change of a plan's dates or summary carries the ``version`` the client last read; if someone
has saved since, the answer is 409 Conflict with the message and the version now saved.
"""

from __future__ import annotations

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from csafe.core.api import blank_or_choice, conflict_response_schema
from csafe.core.errors import ForbiddenError
from csafe.core.vocabulary import ContextKind

from .. import permissions
from ..access import young_person_for_request
from ..models import Plan, PlanAction, PlanReview, Relocation
from ..reference import (
    ActionProgress,
    PartnerAgency,
    PlanAddressesFactors,
    PlanKind,
    RelocationKind,
)
from ..selectors import assessments as assessment_selectors
from ..selectors import plans as plan_selectors
from ..selectors import records as record_selectors
from ..services import plans as plan_services
from ..services import relocations as relocation_services
from ._base import YoungPersonScoped
from .assessments import RefusedSerializer

NOT_A_MANAGER = OpenApiResponse(
    RefusedSerializer,
    description="The caller may view the record but is not a team manager of the holding team",
)

# --- Output ------------------------------------------------------------------------------------


class PlanActionSerializer(serializers.ModelSerializer):
    target_context_kind = blank_or_choice(PlanAction, "target_context_kind")
    partner_agency = blank_or_choice(PlanAction, "partner_agency")
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = PlanAction
        fields = [
            "id",
            "description",
            "is_contextual",
            "target_context_kind",
            "partner_agency",
            "factor",
            "owner",
            "due_date",
            "progress",
            "progress_note",
            "completed_on",
            "overdue",
            "created_at",
        ]
        read_only_fields = fields

    def get_overdue(self, action: PlanAction) -> bool:
        return plan_selectors.action_is_overdue(action, timezone.localdate())


class FactorGapSerializer(serializers.Serializer):
    reason = serializers.CharField()
    recorded_by = serializers.CharField(source="recorded_by.get_full_name")
    recorded_at = serializers.DateTimeField()


class FactorStatusSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="factor.pk")
    domain = serializers.ChoiceField(source="factor.domain", choices=ContextKind.choices)
    description = serializers.CharField(source="factor.description")
    state = serializers.ChoiceField(choices=["answered", "not_addressed", "open"])
    open = serializers.BooleanField(source="is_open")
    answered_by = serializers.SerializerMethodField()
    not_addressed = FactorGapSerializer(source="gap", allow_null=True)

    def get_answered_by(self, status) -> list[int]:
        return [action.pk for action in status.actions]


class PlanReviewSerializer(serializers.ModelSerializer):
    reviewed_by = serializers.CharField(source="reviewed_by.get_full_name")

    class Meta:
        model = PlanReview
        fields = ["id", "reviewed_on", "next_review_date", "summary", "reviewed_by", "created_at"]
        read_only_fields = fields


def _person(source: str) -> serializers.CharField:
    return serializers.CharField(source=f"{source}.get_full_name", default=None, allow_null=True)


class PlanSerializer(serializers.ModelSerializer):
    finalised_by = _person("finalised_by")
    submitted_by = _person("submitted_by")
    signed_off_by = _person("signed_off_by")
    returned_by = _person("returned_by")
    created_by = serializers.CharField(source="created_by.get_full_name")
    factors = FactorStatusSerializer(source="factor_status", many=True)
    open_factor_count = serializers.SerializerMethodField()
    actions = PlanActionSerializer(many=True)
    reviews = PlanReviewSerializer(many=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "kind",
            "status",
            "start_date",
            "review_date",
            "summary",
            "assessment",
            "finalised_on",
            "finalised_by",
            "conference_date",
            "submitted_on",
            "submitted_by",
            "signed_off_on",
            "signed_off_by",
            "sign_off_reason",
            "returned_on",
            "returned_by",
            "return_reason",
            "ended_on",
            "end_reason",
            "open_factor_count",
            "factors",
            "actions",
            "reviews",
            "created_by",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    def get_open_factor_count(self, plan: Plan) -> int:
        return sum(1 for status in plan.factor_status if status.is_open)


class RelocationSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField(source="recorded_by.get_full_name")

    class Meta:
        model = Relocation
        fields = [
            "id",
            "moved_on",
            "kind",
            "destination",
            "reason",
            "because_of_extra_familial_harm",
            "plan",
            "plan_addresses_factors",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = fields


# --- Input -------------------------------------------------------------------------------------
# Blank-field messages match the pages', so a rule reads the same in every channel.


def _required(message: str) -> dict:
    return {"required": message, "blank": message, "null": message}


class CreatePlanSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=PlanKind.choices, error_messages=_required("Choose the kind of plan")
    )
    start_date = serializers.DateField(error_messages=_required("Enter the start date"))
    review_date = serializers.DateField(error_messages=_required("Enter the next review date"))
    summary = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class UpdatePlanSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1,
        help_text="The version you read; a change since then is refused",
        error_messages=_required("Send the version of the plan you are changing"),
    )
    start_date = serializers.DateField(required=False)
    review_date = serializers.DateField(required=False)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class AddActionSerializer(serializers.Serializer):
    description = serializers.CharField(
        max_length=4000, error_messages=_required("Describe the action")
    )
    owner = serializers.CharField(
        max_length=plan_services.OWNER_MAX_LENGTH,
        error_messages={
            **_required("Enter who is responsible for the action"),
            "max_length": plan_services.OWNER_TOO_LONG,
        },
    )
    due_date = serializers.DateField(required=False, allow_null=True)
    is_contextual = serializers.BooleanField(default=False)
    target_context_kind = serializers.ChoiceField(
        choices=ContextKind.choices, required=False, allow_blank=True
    )
    partner_agency = serializers.ChoiceField(
        choices=PartnerAgency.choices, required=False, allow_blank=True
    )
    factor = serializers.IntegerField(
        required=False, allow_null=True, help_text="A contextual factor of the plan's assessment"
    )


class ActionProgressSerializer(serializers.Serializer):
    progress = serializers.ChoiceField(
        choices=ActionProgress.choices,
        error_messages=_required("Choose the progress of the action"),
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    completed_on = serializers.DateField(required=False, allow_null=True)


class NotAddressedSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=4000,
        error_messages=_required("Explain why the plan does not address this factor"),
    )


class GoIntoForceSerializer(serializers.Serializer):
    conference_date = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=(
            "A child protection plan only, and required for one: the date of the conference "
            "that made it, not in the future and not after the plan's start date"
        ),
    )


def _version_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        help_text="The version of the plan you read; a plan changed since then is refused (409)",
        error_messages=_required("Send the version of the plan you are signing off or returning"),
    )


class SignOffPlanSerializer(serializers.Serializer):
    version = _version_field()
    reason = serializers.CharField(
        max_length=4000, error_messages=_required(plan_services.ENTER_SIGN_OFF_REASON)
    )


class ReturnPlanSerializer(serializers.Serializer):
    version = _version_field()
    reason = serializers.CharField(
        max_length=4000, error_messages=_required(plan_services.ENTER_RETURN_REASON)
    )


class ReviewPlanSerializer(serializers.Serializer):
    reviewed_on = serializers.DateField(error_messages=_required("Enter the date of the review"))
    next_review_date = serializers.DateField(error_messages=_required("Enter the next review date"))
    summary = serializers.CharField(
        max_length=4000, error_messages=_required("Summarise what the review found")
    )


class EndPlanSerializer(serializers.Serializer):
    ended_on = serializers.DateField(error_messages=_required("Enter the date the plan ended"))
    reason = serializers.CharField(
        max_length=4000, error_messages=_required("Explain why the plan is ending")
    )


class RecordRelocationSerializer(serializers.Serializer):
    moved_on = serializers.DateField(error_messages=_required("Enter the date of the move"))
    kind = serializers.ChoiceField(
        choices=RelocationKind.choices, error_messages=_required("Choose the kind of move")
    )
    destination = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=relocation_services.DESTINATION_MAX_LENGTH,
        error_messages={"max_length": relocation_services.DESTINATION_TOO_LONG},
    )
    reason = serializers.CharField(
        max_length=4000, error_messages=_required("Enter the reason for the move")
    )
    because_of_extra_familial_harm = serializers.BooleanField(
        error_messages=_required("Say whether the move is because of extra-familial harm")
    )
    plan = serializers.IntegerField(required=False, allow_null=True)
    plan_addresses_factors = serializers.ChoiceField(
        choices=PlanAddressesFactors.choices,
        error_messages=_required(
            "Say whether the plan addresses the contextual factors that led to the move"
        ),
    )


# --- Views -------------------------------------------------------------------------------------


class YoungPersonPlanViewSet(YoungPersonScoped):
    """A young person's plans, each with the status of every contextual factor it must answer
    (open ones flagged), its actions and its reviews."""

    serializer_class = PlanSerializer
    queryset = Plan.objects.none()

    def _plan(self, perm: str) -> Plan:
        young_person = young_person_for_request(self.request, self.kwargs["young_person_pk"], perm)
        return plan_selectors.plan_get_for_young_person(
            young_person=young_person, pk=self.kwargs["pk"]
        )

    def _fresh(self, plan: Plan) -> Response:
        """The plan as it is after a change, in the same shape as a read."""
        current = plan_selectors.plan_get_for_young_person(
            young_person=plan.young_person, pk=plan.pk
        )
        return Response(PlanSerializer(current).data)

    @extend_schema(responses=PlanSerializer(many=True))
    def list(self, request, young_person_pk=None):
        """The young person's plans, newest first, a page at a time."""
        young_person = young_person_for_request(request, young_person_pk, permissions.VIEW)
        page = self.paginate_queryset(
            plan_selectors.plans_with_details_queryset(young_person=young_person)
        )
        plan_selectors.attach_factor_status(page)
        return self.get_paginated_response(PlanSerializer(page, many=True).data)

    @extend_schema(request=CreatePlanSerializer, responses={201: PlanSerializer})
    def create(self, request, young_person_pk=None):
        """Draft a plan. It answers the latest authorised assessment's contextual factors."""
        young_person = young_person_for_request(request, young_person_pk, permissions.CHANGE)
        data = self._valid(CreatePlanSerializer, request.data)
        plan = plan_services.plan_create(actor=request.user, young_person=young_person, **data)
        current = plan_selectors.plan_get_for_young_person(young_person=young_person, pk=plan.pk)
        return Response(PlanSerializer(current).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=PlanSerializer)
    def retrieve(self, request, young_person_pk=None, pk=None):
        """One plan, with the status of each contextual factor."""
        return Response(PlanSerializer(self._plan(permissions.VIEW)).data)

    @extend_schema(
        request=UpdatePlanSerializer,
        responses={200: PlanSerializer, 409: conflict_response_schema("plan")},
    )
    def partial_update(self, request, young_person_pk=None, pk=None):
        """Change the dates or summary. Send the ``version`` you last read: if someone has saved
        since, the answer is 409 with the message and the version now saved, and nothing is
        changed."""
        plan = self._plan(permissions.CHANGE)
        data = dict(self._valid(UpdatePlanSerializer, request.data))
        plan = plan_services.plan_update(
            actor=request.user, plan=plan, expected_version=data.pop("version"), **data
        )
        return self._fresh(plan)

    @extend_schema(request=None, responses=PlanSerializer)
    def answer_latest_assessment(self, request, young_person_pk=None, pk=None):
        """Make the plan answer the young person's latest authorised assessment, when one was
        authorised after the plan was made: its contextual factors are then the ones the plan
        must answer before it can be finalised or reviewed (both are refused until then)."""
        plan = self._plan(permissions.CHANGE)
        return self._fresh(plan_services.plan_assessment_update(actor=request.user, plan=plan))

    @extend_schema(request=AddActionSerializer, responses={201: PlanActionSerializer})
    def add_action(self, request, young_person_pk=None, pk=None):
        """Add an action. A contextual action needs a target context and a partner agency, and
        may answer a factor (which withdraws any "not addressed" record for it)."""
        young_person = young_person_for_request(request, young_person_pk, permissions.CHANGE)
        plan = plan_selectors.plan_get_for_young_person(young_person=young_person, pk=pk)
        data = self._valid(AddActionSerializer, request.data)
        factor = None
        if data.get("factor") is not None:
            # Only a factor of this young person's: any other id is refused with the same
            # message, so nothing is learnt about other records by trying ids.
            factor = assessment_selectors.contextual_factor_find_for_young_person(
                young_person=young_person, pk=data["factor"]
            )
            if factor is None:
                raise serializers.ValidationError({"factor": [plan_services.FACTOR_NOT_ON_PLAN]})
        action = plan_services.plan_action_add(
            actor=request.user,
            plan=plan,
            description=data["description"],
            owner=data["owner"],
            due_date=data.get("due_date"),
            is_contextual=data["is_contextual"],
            target_context_kind=data.get("target_context_kind", ""),
            partner_agency=data.get("partner_agency", ""),
            factor=factor,
        )
        return Response(PlanActionSerializer(action).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ActionProgressSerializer, responses=PlanActionSerializer)
    def action_progress(self, request, young_person_pk=None, pk=None, action_pk=None):
        """Record progress on an action; "done" needs ``completed_on``."""
        plan = self._plan(permissions.CHANGE)
        action = plan_selectors.plan_action_get_for_plan(plan=plan, pk=action_pk)
        data = self._valid(ActionProgressSerializer, request.data)
        action = plan_services.plan_action_update_progress(
            actor=request.user,
            action=action,
            progress=data["progress"],
            note=data.get("note", ""),
            completed_on=data.get("completed_on"),
        )
        return Response(PlanActionSerializer(action).data)

    @extend_schema(request=NotAddressedSerializer, responses=PlanSerializer)
    def not_addressed(self, request, young_person_pk=None, pk=None, factor_pk=None):
        """Mark a factor as one the plan does not address, with the reason."""
        plan = self._plan(permissions.CHANGE)
        factor = plan_selectors.plan_factor_get_for_plan(plan=plan, pk=factor_pk)
        data = self._valid(NotAddressedSerializer, request.data)
        plan_services.plan_factor_not_addressed(
            actor=request.user, plan=plan, factor=factor, reason=data["reason"]
        )
        return self._fresh(plan)

    @extend_schema(request=GoIntoForceSerializer, responses=PlanSerializer)
    def finalise(self, request, young_person_pk=None, pk=None):
        """Put a draft plan in force today. Refused while any factor is open, and for a kind of
        plan that needs a team manager's sign-off (submit it instead). A child protection plan
        needs ``conference_date``."""
        plan = self._plan(permissions.CHANGE)
        data = self._valid(GoIntoForceSerializer, request.data)
        return self._fresh(
            plan_services.plan_finalise(
                actor=request.user, plan=plan, conference_date=data.get("conference_date")
            )
        )

    @extend_schema(request=GoIntoForceSerializer, responses=PlanSerializer)
    def submit(self, request, young_person_pk=None, pk=None):
        """Submit a draft plan of a kind that needs sign-off to the holding team's managers,
        who are told. It is read-only until one of them signs it off or returns it. Refused as
        finalising is (an open factor, a newer assessment)."""
        plan = self._plan(permissions.CHANGE)
        data = self._valid(GoIntoForceSerializer, request.data)
        return self._fresh(
            plan_services.plan_submit(
                actor=request.user, plan=plan, conference_date=data.get("conference_date")
            )
        )

    def _as_manager(self, refused_message: str) -> Plan:
        """The role, then view access (404 without), before the payload is read: anyone but a
        team manager of the holding team is told so whatever they sent (403), leaving no
        access-log row. The service checks the role again under its lock."""
        if permissions.sees_but_cannot_sign_off_plans(
            self.request.user, self.kwargs["young_person_pk"]
        ):
            raise ForbiddenError(refused_message)
        return self._plan(permissions.VIEW)

    @extend_schema(
        request=SignOffPlanSerializer,
        responses={
            200: PlanSerializer,
            403: NOT_A_MANAGER,
            409: conflict_response_schema("plan"),
        },
    )
    def sign_off(self, request, young_person_pk=None, pk=None):
        """A team manager of the holding team signs off a plan awaiting sign-off, with their
        reasoning: it is in force from today. Send the ``version`` you read."""
        plan = self._as_manager(plan_services.SIGN_OFF_REFUSED_MESSAGE)
        data = self._valid(SignOffPlanSerializer, request.data)
        plan = plan_services.plan_sign_off(
            actor=request.user, plan=plan, reason=data["reason"], expected_version=data["version"]
        )
        return self._fresh(plan)

    @extend_schema(
        request=ReturnPlanSerializer,
        responses={
            200: PlanSerializer,
            403: NOT_A_MANAGER,
            409: conflict_response_schema("plan"),
        },
    )
    def return_for_work(self, request, young_person_pk=None, pk=None):
        """A team manager of the holding team returns a plan awaiting sign-off to draft, saying
        what more is needed; whoever submitted it is told. Send the ``version`` you read."""
        plan = self._as_manager(plan_services.RETURN_REFUSED_MESSAGE)
        data = self._valid(ReturnPlanSerializer, request.data)
        plan = plan_services.plan_return(
            actor=request.user, plan=plan, reason=data["reason"], expected_version=data["version"]
        )
        return self._fresh(plan)

    @extend_schema(request=ReviewPlanSerializer, responses=PlanSerializer)
    def review(self, request, young_person_pk=None, pk=None):
        """Record a review and the next review date. Refused while any factor is open."""
        plan = self._plan(permissions.CHANGE)
        data = self._valid(ReviewPlanSerializer, request.data)
        plan_services.plan_review(actor=request.user, plan=plan, **data)
        return self._fresh(plan)

    @extend_schema(request=EndPlanSerializer, responses=PlanSerializer)
    def end(self, request, young_person_pk=None, pk=None):
        """End the plan, with the date and the reason."""
        plan = self._plan(permissions.CHANGE)
        data = self._valid(EndPlanSerializer, request.data)
        return self._fresh(plan_services.plan_end(actor=request.user, plan=plan, **data))


class YoungPersonRelocationViewSet(YoungPersonScoped):
    """A young person's relocations: view permission to list, change permission to record."""

    serializer_class = RelocationSerializer
    queryset = Relocation.objects.none()

    @extend_schema(responses=RelocationSerializer(many=True))
    def list(self, request, young_person_pk=None):
        """The young person's relocations, newest first, a page at a time."""
        young_person = young_person_for_request(request, young_person_pk, permissions.VIEW)
        relocations = record_selectors.relocations_for_young_person(
            young_person=young_person
        ).select_related("recorded_by")
        page = self.paginate_queryset(relocations)
        return self.get_paginated_response(RelocationSerializer(page, many=True).data)

    @extend_schema(request=RecordRelocationSerializer, responses={201: RelocationSerializer})
    def create(self, request, young_person_pk=None):
        """Record a move. ``plan_addresses_factors`` is "no_plan" exactly when no ``plan`` is
        given."""
        young_person = young_person_for_request(request, young_person_pk, permissions.CHANGE)
        payload = RecordRelocationSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        plan_pk = data.pop("plan", None)
        plan = None
        if plan_pk is not None:
            # Only this young person's plans: any other id is refused with the same message,
            # so the answer does not tell whether a plan with that number exists.
            plan = plan_selectors.plan_find_for_young_person(young_person=young_person, pk=plan_pk)
            if plan is None:
                raise serializers.ValidationError({"plan": [relocation_services.PLAN_NOT_THEIRS]})
        relocation = relocation_services.relocation_record(
            actor=request.user, young_person=young_person, plan=plan, **data
        )
        return Response(RelocationSerializer(relocation).data, status=status.HTTP_201_CREATED)


plans = YoungPersonPlanViewSet
base = "young-people/<bounded_int:young_person_pk>/plans/"
urlpatterns = [
    path(base, plans.as_view({"get": "list", "post": "create"}), name="young-person-plans"),
    path(
        f"{base}<bounded_int:pk>/",
        plans.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="young-person-plan",
    ),
    path(
        f"{base}<bounded_int:pk>/actions/",
        plans.as_view({"post": "add_action"}),
        name="young-person-plan-actions",
    ),
    path(
        f"{base}<bounded_int:pk>/actions/<bounded_int:action_pk>/progress/",
        plans.as_view({"post": "action_progress"}),
        name="young-person-plan-action-progress",
    ),
    path(
        f"{base}<bounded_int:pk>/factors/<bounded_int:factor_pk>/not-addressed/",
        plans.as_view({"post": "not_addressed"}),
        name="young-person-plan-factor-not-addressed",
    ),
    path(
        f"{base}<bounded_int:pk>/finalise/",
        plans.as_view({"post": "finalise"}),
        name="young-person-plan-finalise",
    ),
    path(
        f"{base}<bounded_int:pk>/submit/",
        plans.as_view({"post": "submit"}),
        name="young-person-plan-submit",
    ),
    path(
        f"{base}<bounded_int:pk>/sign-off/",
        plans.as_view({"post": "sign_off"}),
        name="young-person-plan-sign-off",
    ),
    path(
        f"{base}<bounded_int:pk>/return/",
        plans.as_view({"post": "return_for_work"}),
        name="young-person-plan-return",
    ),
    path(
        f"{base}<bounded_int:pk>/review/",
        plans.as_view({"post": "review"}),
        name="young-person-plan-review",
    ),
    path(
        f"{base}<bounded_int:pk>/end/", plans.as_view({"post": "end"}), name="young-person-plan-end"
    ),
    path(
        f"{base}<bounded_int:pk>/assessment/",
        plans.as_view({"post": "answer_latest_assessment"}),
        name="young-person-plan-assessment",
    ),
    path(
        "young-people/<bounded_int:young_person_pk>/relocations/",
        YoungPersonRelocationViewSet.as_view({"get": "list", "post": "create"}),
        name="young-person-relocations",
    ),
]
