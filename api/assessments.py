"""The health team's work through the API: an assessment's workflow (plan, review of
earlier actions, submit, quality review, addenda), contributions, the GP catch-up, the caseload
and the sign-off queue. The same actions and policy as the pages."""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.pagination import PageInput, paginate
from api.serializers import StrictSerializer, entry_input, entry_output
from api.views import etag, expected_version
from passport.access.passports import get_passport_for_user
from passport.access.policy import Action
from passport.care import assessments, caseload, contributions
from passport.models import (
    ActionDecision,
    Contributor,
    PlanAction,
    QualityDecision,
)
from passport.records import selectors

IF_MATCH = [OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=True)]


def _assessment(request: Request, passport_id: UUID, entry_id: UUID):
    reach = get_passport_for_user(request.user, passport_id, "assessments", Action.WRITE)
    reach.require_health_team("assessments")
    return reach, selectors.entry_for(reach, "assessments", "assessment", entry_id)


class WorkflowOutput(serializers.Serializer):
    id = serializers.UUIDField()
    version = serializers.IntegerField()
    state = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    submitted_by = serializers.CharField(source="submitted_by.display_name", allow_null=True,
                                         default=None)
    signed_off_at = serializers.DateTimeField(allow_null=True)
    signed_off_by = serializers.CharField(source="signed_off_by.display_name", allow_null=True,
                                          default=None)


class ReviewOutput(serializers.Serializer):
    action = serializers.UUIDField(source="action_id")
    decision = serializers.CharField()
    note = serializers.CharField()
    reviewed_by = serializers.CharField(source="reviewed_by.display_name")
    reviewed_at = serializers.DateTimeField()


class QualityOutput(serializers.Serializer):
    decision = serializers.CharField()
    checklist = serializers.JSONField()
    comments = serializers.CharField()
    reviewed_by = serializers.CharField(source="reviewed_by.display_name")
    reviewed_at = serializers.DateTimeField()


class AddendumOutput(serializers.Serializer):
    id = serializers.UUIDField()
    text = serializers.CharField()
    written_by = serializers.CharField(source="written_by.display_name")
    written_at = serializers.DateTimeField()


WorkflowState = inline_serializer("AssessmentWorkflow", {
    "assessment": WorkflowOutput(),
    "plan": serializers.ListField(child=serializers.DictField()),
    "to_review": serializers.ListField(child=serializers.DictField()),
    "submission_problems": serializers.DictField(),
    "quality_reviews": QualityOutput(many=True),
    "addenda": AddendumOutput(many=True),
})


def _workflow(reach, assessment) -> dict:
    earlier, reviews = assessments.to_review(assessment)
    action_output = entry_output(PlanAction)
    return {
        "assessment": WorkflowOutput(assessment).data,
        "plan": action_output(assessments.plan_of(assessment), many=True).data,
        "to_review": [{"action": action_output(a).data,
                       "review": ReviewOutput(reviews[a.pk]).data if a.pk in reviews else None}
                      for a in earlier],
        "submission_problems": (assessments.submission_errors(assessment)
                                if assessment.state in assessments.EDITABLE else {}),
        "quality_reviews": QualityOutput(assessments.quality_reviews(assessment),
                                         many=True).data,
        "addenda": AddendumOutput(assessments.addenda([assessment.pk]).get(assessment.pk, []),
                                  many=True).data,
    }


class WorkflowApi(APIView):
    """Where the assessment is: its state, plan, earlier actions to review, what stops it
    being submitted, its quality reviews and addenda."""

    @extend_schema(responses=WorkflowState)
    def get(self, request: Request, passport_id: UUID, entry_id: UUID) -> Response:
        reach, assessment = _assessment(request, passport_id, entry_id)
        return Response(_workflow(reach, assessment), headers={"ETag": etag(assessment)})


class PlanActionApi(APIView):
    @extend_schema(summary="Add an action to this assessment's plan",
                   request=entry_input(PlanAction), responses={201: entry_output(PlanAction)})
    def post(self, request: Request, passport_id: UUID, entry_id: UUID) -> Response:
        reach, assessment = _assessment(request, passport_id, entry_id)
        data = entry_input(PlanAction)(data={"status": "open"} | dict(request.data))
        data.is_valid(raise_exception=True)
        action = assessments.do_add_plan_action(reach, assessment, dict(data.validated_data))
        return Response(entry_output(PlanAction)(action).data, status=201,
                        headers={"ETag": etag(action)})


class ActionReviewInput(StrictSerializer):
    action = serializers.UUIDField()
    decision = serializers.ChoiceField(choices=ActionDecision.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    due_on = serializers.DateField(required=False, allow_null=True)


class ActionReviewApi(APIView):
    @extend_schema(summary="Review an open action of an earlier plan",
                   request=ActionReviewInput, responses={201: ReviewOutput})
    def post(self, request: Request, passport_id: UUID, entry_id: UUID) -> Response:
        reach, assessment = _assessment(request, passport_id, entry_id)
        data = ActionReviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        action = assessments.earlier_action(reach, values["action"])
        review = assessments.do_review_action(
            reach, assessment, action, decision=values["decision"],
            note=values.get("note", ""), due_on=values.get("due_on"))
        return Response(ReviewOutput(review).data, status=201)


class SubmitApi(APIView):
    """Submit for sign-off; If-Match names the version you read."""

    @extend_schema(request=None, responses=WorkflowOutput, parameters=IF_MATCH)
    def post(self, request: Request, passport_id: UUID, entry_id: UUID) -> Response:
        reach, assessment = _assessment(request, passport_id, entry_id)
        version = expected_version(request, assessment)
        assessment = assessments.do_submit(reach, assessment, expected_version=version)
        return Response(WorkflowOutput(assessment).data, headers={"ETag": etag(assessment)})


class QualityInput(StrictSerializer):
    decision = serializers.ChoiceField(choices=QualityDecision.choices)
    checklist = serializers.DictField(child=serializers.ChoiceField(choices=assessments.ANSWERS),
                                      required=False)
    comments = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class QualityReviewApi(APIView):
    """Sign off against the checklist, or return with comments; If-Match as for submit."""

    @extend_schema(request=QualityInput, responses={201: QualityOutput}, parameters=IF_MATCH)
    def post(self, request: Request, passport_id: UUID, entry_id: UUID) -> Response:
        reach, assessment = _assessment(request, passport_id, entry_id)
        version = expected_version(request, assessment)
        data = QualityInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        review = assessments.do_quality_review(
            reach, assessment, decision=values["decision"],
            checklist=values.get("checklist", {}), comments=values.get("comments", ""),
            expected_version=version)
        return Response(QualityOutput(review).data, status=201)


class AddendumInput(StrictSerializer):
    text = serializers.CharField(max_length=4000)


class AddendumApi(APIView):
    @extend_schema(summary="Add an addendum to a signed-off assessment",
                   request=AddendumInput, responses={201: AddendumOutput})
    def post(self, request: Request, passport_id: UUID, entry_id: UUID) -> Response:
        reach, assessment = _assessment(request, passport_id, entry_id)
        data = AddendumInput(data=request.data)
        data.is_valid(raise_exception=True)
        addendum = assessments.do_add_addendum(reach, assessment, data.validated_data["text"])
        return Response(AddendumOutput(addendum).data, status=201)


class ContributionOutput(serializers.Serializer):
    id = serializers.UUIDField()
    contributor = serializers.CharField()
    contact = serializers.CharField()
    requested_on = serializers.DateField()
    wanted_by = serializers.DateField(allow_null=True)
    requested_by = serializers.CharField(source="requested_by.display_name")
    received_on = serializers.DateField(allow_null=True)
    summary = serializers.CharField(allow_null=True)


class ContributionInput(StrictSerializer):
    contributor = serializers.ChoiceField(choices=Contributor.choices)
    contact = serializers.CharField(required=False, allow_blank=True, max_length=200)
    requested_on = serializers.DateField(required=False, allow_null=True)
    wanted_by = serializers.DateField(required=False, allow_null=True)


def _health_team(request: Request, passport_id: UUID, section: str = "assessments"):
    reach = get_passport_for_user(request.user, passport_id, section, Action.WRITE)
    reach.require_health_team(section)
    return reach


class ContributionListApi(APIView):
    @extend_schema(summary="Contributions asked for, awaited first",
                   responses=ContributionOutput(many=True))
    def get(self, request: Request, passport_id: UUID) -> Response:
        reach = _health_team(request, passport_id)
        return Response(ContributionOutput(contributions.requests_for(reach), many=True).data)

    @extend_schema(summary="Ask a service for its contribution", request=ContributionInput,
                   responses={201: ContributionOutput})
    def post(self, request: Request, passport_id: UUID) -> Response:
        reach = _health_team(request, passport_id)
        data = ContributionInput(data=request.data)
        data.is_valid(raise_exception=True)
        made = contributions.do_request(reach, **data.validated_data)
        return Response(ContributionOutput(made).data, status=201)


class ReceivedInput(StrictSerializer):
    summary = serializers.CharField(max_length=4000)
    received_on = serializers.DateField(required=False, allow_null=True)


class ContributionReceivedApi(APIView):
    @extend_schema(summary="Mark a contribution received", request=ReceivedInput,
                   responses=ContributionOutput)
    def post(self, request: Request, passport_id: UUID, request_id: UUID) -> Response:
        reach = _health_team(request, passport_id)
        data = ReceivedInput(data=request.data)
        data.is_valid(raise_exception=True)
        done = contributions.do_mark_received(reach, request_id, **data.validated_data)
        return Response(ContributionOutput(done).data)


class CatchUpInput(StrictSerializer):
    step = serializers.ChoiceField(choices=[("asked", "asked"), ("confirmed", "confirmed")])
    on = serializers.DateField(required=False, allow_null=True)


class CatchUpApi(APIView):
    """The catch-up asked of the GP, and the GP's confirmation (on the immunisation status)."""

    @extend_schema(request=CatchUpInput, responses=inline_serializer("CatchUp", {
        "gp_catch_up_requested_on": serializers.DateField(allow_null=True),
        "gp_catch_up_confirmed_on": serializers.DateField(allow_null=True)}))
    def post(self, request: Request, passport_id: UUID) -> Response:
        reach = _health_team(request, passport_id, "immunisations")
        data = CatchUpInput(data=request.data)
        data.is_valid(raise_exception=True)
        status = contributions.do_catch_up(reach, data.validated_data["step"],
                                           data.validated_data.get("on"))
        return Response({"gp_catch_up_requested_on": status.gp_catch_up_requested_on,
                         "gp_catch_up_confirmed_on": status.gp_catch_up_confirmed_on},
                        headers={"ETag": etag(status)})


class CaseloadApi(APIView):
    """The caseload, what needs doing first at the top (health roles; others get an empty
    list)."""

    @extend_schema(responses=inline_serializer("CaseloadRow", {
        "passport": serializers.UUIDField(), "name": serializers.CharField(),
        "age": serializers.IntegerField(allow_null=True),
        "placement": serializers.CharField(),
        "next_assessment": serializers.DictField(allow_null=True),
        "plan_actions_past_date_since": serializers.DateField(allow_null=True),
        "before_review_sent_on": serializers.DateField(allow_null=True),
        "corrections_asked": serializers.IntegerField(),
        "vaccines_look_due": serializers.BooleanField(),
        "sdq_to_request": serializers.BooleanField(),
        "contributions_awaited": serializers.IntegerField(),
        "history_items_asked": serializers.IntegerField(),
        "catch_up_awaiting_gp": serializers.BooleanField(),
        "draft_assessments": serializers.IntegerField(),
        "returned_assessments": serializers.IntegerField(),
        "nurses": serializers.CharField()}, many=True), parameters=[PageInput])
    def get(self, request: Request) -> Response:
        rows = []
        for row in caseload.caseload(request.user):
            rows.append({
                "passport": row.passport_id, "name": row.name, "age": row.age,
                "placement": row.placement,
                "next_assessment": None if row.due is None else {
                    "kind": row.due.kind, "due_on": row.due.due_on,
                    "overdue": row.due.overdue, "why": row.due.why},
                "plan_actions_past_date_since": row.actions_late_since,
                "before_review_sent_on": row.her_say_since,
                "corrections_asked": row.corrections,
                "vaccines_look_due": row.vaccines_due,
                "sdq_to_request": row.sdq_to_request,
                "contributions_awaited": row.contributions_awaited,
                "history_items_asked": row.history_asked,
                "catch_up_awaiting_gp": row.catch_up_awaited,
                "draft_assessments": row.drafts, "returned_assessments": row.returned,
                "nurses": row.nurses,
            })
        page, headers = paginate(request, rows)  # most urgent first, a stable order
        return Response(page, headers=headers)


class SignOffQueueApi(APIView):
    """Submitted assessments this clinician may sign off."""

    @extend_schema(responses=inline_serializer("SignOffItem", {
        "passport": serializers.UUIDField(), "assessment": serializers.UUIDField(),
        "submitted_at": serializers.DateTimeField(),
        "submitted_by": serializers.CharField(allow_null=True)}, many=True))
    def get(self, request: Request) -> Response:
        return Response([{"passport": a.passport_id, "assessment": a.pk,
                          "submitted_at": a.submitted_at,
                          "submitted_by": a.submitted_by.display_name if a.submitted_by
                          else None}
                         for a in assessments.waiting_for_sign_off(request.user)])

