"""Holds, corrections, placements, care ending, who manages sharing and break glass through
the API: the same actions as the pages (passport/access/held_back.py, sharing.py and
breakglass.py, passport/records/corrections.py, passport/care/placements.py)."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers import StrictSerializer
from passport.access import breakglass, held_back, sharing
from passport.access.passports import get_passport_for_user
from passport.care import placements
from passport.models import Control, EpisodeOutcome
from passport.records import corrections, sections, selectors

Done = inline_serializer("Done", {"ok": serializers.BooleanField()})


def _entry(reach, section: str, type_key: str, entry_id: UUID):
    try:
        sections.entry_model(section, type_key)
    except Exception:
        raise Http404 from None
    return selectors.entry_for(reach, section, type_key, entry_id)


class HoldInput(StrictSerializer):
    section = serializers.ChoiceField(choices=["birth_history", "family_history"])
    type = serializers.CharField(max_length=40)
    entry_id = serializers.UUIDField()
    opinion = serializers.CharField(max_length=4000)


class HoldApi(APIView):
    """Hold an entry of birth or family history back (the serious-harm test; health team)."""

    @extend_schema(request=HoldInput, responses={201: inline_serializer("Hold", {
        "id": serializers.UUIDField(), "review_due_on": serializers.DateField()})})
    def post(self, request: Request, passport_id: UUID) -> Response:
        reach = get_passport_for_user(request.user, passport_id)
        if not reach.sees_held:
            raise PermissionDenied
        data = HoldInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        entry = _entry(reach, values["section"], values["type"], values["entry_id"])
        hold = held_back.do_hold_back(reach, entry, opinion=values["opinion"])
        return Response({"id": hold.pk, "review_due_on": hold.review_due_on}, status=201)


class HoldStepInput(StrictSerializer):
    step = serializers.ChoiceField(choices=["review", "release"])
    note = serializers.CharField(max_length=4000)
    conversation_on = serializers.DateField(required=False, allow_null=True)


class HoldStepApi(APIView):
    """Review a hold (still meets the test), or release it after the planned conversation."""

    @extend_schema(operation_id="hold_review_or_release", request=HoldStepInput, responses=Done)
    def post(self, request: Request, passport_id: UUID, hold_id: UUID) -> Response:
        reach = get_passport_for_user(request.user, passport_id)
        hold = held_back.hold_in(reach, hold_id)
        data = HoldStepInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if values["step"] == "review":
            held_back.do_review_hold(reach, hold, note=values["note"])
        else:
            held_back.do_release(reach, hold, conversation_on=values.get("conversation_on"),
                                  note=values["note"])
        return Response({"ok": True})


class CorrectionInput(StrictSerializer):
    message = serializers.CharField(max_length=2000)


class NotRightApi(APIView):
    """The young person says an entry isn't right: it goes to her nurse."""

    @extend_schema(request=CorrectionInput, responses={201: Done})
    def post(self, request: Request, passport_id: UUID, section: str, type_key: str,
             entry_id: UUID) -> Response:
        reach = get_passport_for_user(request.user, passport_id, None)
        if section not in sections.TITLES or not reach.can(section):
            raise Http404
        entry = _entry(reach, section, type_key, entry_id)
        data = CorrectionInput(data=request.data)
        data.is_valid(raise_exception=True)
        corrections.do_ask_correction(reach, entry, data.validated_data["message"])
        return Response({"ok": True}, status=201)


class CorrectionListApi(APIView):
    """For her health team: what she asked to be corrected, section by section."""

    @extend_schema(responses=inline_serializer("Correction", {
        "id": serializers.UUIDField(), "section": serializers.CharField(),
        "entry_type": serializers.CharField(), "entry_id": serializers.UUIDField(),
        "message": serializers.CharField(), "asked_at": serializers.DateTimeField()},
        many=True))
    def get(self, request: Request, passport_id: UUID) -> Response:
        reach = get_passport_for_user(request.user, passport_id)
        return Response([{"id": r.pk, "section": r.section, "entry_type": r.entry_type,
                          "entry_id": r.entry_id, "message": r.message, "asked_at": r.asked_at}
                         for key in sections.TITLES if reach.can(key)
                         for r in corrections.open_requests(reach, key)])


class CorrectionDoneApi(APIView):
    """Mark a correction request dealt with (health team)."""

    @extend_schema(request=None, responses=Done)
    def post(self, request: Request, passport_id: UUID, request_id: UUID) -> Response:
        reach = get_passport_for_user(request.user, passport_id)
        corrections.do_mark_dealt_with(reach, request_id)
        return Response({"ok": True})


class PlacementStepInput(StrictSerializer):
    step = serializers.ChoiceField(choices=["confirm", "end"])
    ended_on = serializers.DateField(required=False, allow_null=True)


class PlacementApi(APIView):
    """Confirm she still lives with this carer (access runs 6 more months), or end it."""

    @extend_schema(request=PlacementStepInput, responses=Done)
    def post(self, request: Request, passport_id: UUID, placement_id: UUID) -> Response:
        reach = get_passport_for_user(request.user, passport_id)
        data = PlacementStepInput(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data["step"] == "confirm":
            placements.do_confirm_placement(reach, placement_id)
        else:
            placements.do_end_placement(reach, placement_id, data.validated_data.get("ended_on"))
        return Response({"ok": True})


class CareEndingInput(StrictSerializer):
    ended_on = serializers.DateField(required=False, allow_null=True)
    outcome = serializers.ChoiceField(choices=EpisodeOutcome.choices)
    adviser_agreed = serializers.BooleanField(required=False, default=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    sealing_confirmed = serializers.BooleanField(required=False, default=False)


class CareEndingApi(APIView):
    """Record when and how care ends (nurse or social worker)."""

    @extend_schema(request=CareEndingInput, responses=Done)
    def post(self, request: Request, passport_id: UUID) -> Response:
        reach = get_passport_for_user(request.user, passport_id)
        data = CareEndingInput(data=request.data)
        data.is_valid(raise_exception=True)
        placements.do_record_care_ending(reach, **data.validated_data)
        return Response({"ok": True})


class ControlInput(StrictSerializer):
    control = serializers.ChoiceField(choices=Control.choices)
    reason = serializers.CharField(max_length=2000)


class ControlApi(APIView):
    """Record who manages her sharing, and why (her health team)."""

    @extend_schema(request=ControlInput, responses=Done)
    def post(self, request: Request, passport_id: UUID) -> Response:
        reach = get_passport_for_user(request.user, passport_id)
        data = ControlInput(data=request.data)
        data.is_valid(raise_exception=True)
        sharing.do_set_control(reach, data.validated_data["control"],
                               reason=data.validated_data["reason"])
        return Response({"ok": True})


class BreakGlassInput(StrictSerializer):
    nhs_number = serializers.CharField(max_length=20)
    section = serializers.ChoiceField(choices=list(sections.TITLES))
    reason = serializers.CharField(max_length=2000)
    code = serializers.CharField(max_length=20)
    delay_days = serializers.IntegerField(required=False, default=0, min_value=0, max_value=30)
    delay_reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class BreakGlassApi(APIView):
    """Break glass (emergencies only): one section for 24 hours, with your second-factor code
    again; every use is reviewed by the Caldicott guardian."""

    @extend_schema(request=BreakGlassInput, responses={201: inline_serializer("BreakGlass", {
        "id": serializers.UUIDField(), "passport": serializers.UUIDField(),
        "section": serializers.CharField(), "until": serializers.DateTimeField()})})
    def post(self, request: Request) -> Response:
        data = BreakGlassInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        passport = breakglass.find_passport(values.pop("nhs_number"))
        glass = breakglass.do_break_glass(request.user, passport, **values)
        return Response({"id": glass.pk, "passport": glass.passport_id,
                         "section": glass.section, "until": glass.expires_at}, status=201)
