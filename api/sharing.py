"""Passports, sharing and what she sees about her own passport, through the API: the same
actions and policy as the pages (passport/access/sharing.py and sharelinks.py,
passport/clinical/immunisation.py and growth.py)."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from api.serializers import StrictSerializer
from passport.access import sharelinks, sharing
from passport.access.passports import get_passport_for_user
from passport.access.policy import Action, reachable
from passport.clinical import growth
from passport.records import selectors
from passport.records.sections import TITLES


def _summary(reach) -> dict:
    return {"id": reach.passport.pk, "name": reach.passport.display_name,
            "bases": sorted(str(b) for b in reach.bases),
            "sections": [{"section": key, "title": str(TITLES[key]),
                          "read": reach.can(key), "write": reach.can(key, Action.WRITE)}
                         for key in TITLES if reach.can(key)]}


PassportOutput = inline_serializer("Passport", {
    "id": serializers.UUIDField(), "name": serializers.CharField(),
    "bases": serializers.ListField(child=serializers.CharField()),
    "sections": serializers.ListField(child=serializers.DictField())})


class PassportListApi(APIView):
    """The passports you reach, and on what basis."""

    @extend_schema(responses=inline_serializer(
        "PassportList", {"id": serializers.UUIDField(), "name": serializers.CharField(),
                         "bases": serializers.ListField(child=serializers.CharField()),
                         "sections": serializers.ListField(child=serializers.DictField())},
        many=True))
    def get(self, request: Request) -> Response:
        return Response([_summary(r) for r in reachable(request.user)])


class PassportDetailApi(APIView):
    """One passport: the sections you may read and write."""

    @extend_schema(responses=PassportOutput)
    def get(self, request: Request, passport_id: UUID) -> Response:
        reach = get_passport_for_user(request.user, passport_id)
        return Response(_summary(reach))


class ScheduleApi(APIView):
    """What looks due by the UK schedule, each line with why (advice, never a prescription)."""

    @extend_schema(responses=inline_serializer("ScheduleLine", {
        "programme": serializers.CharField(), "name": serializers.CharField(),
        "status": serializers.CharField(), "due_on": serializers.DateField(allow_null=True),
        "why": serializers.CharField()}, many=True))
    def get(self, request: Request, passport_id: UUID) -> Response:
        reach = get_passport_for_user(request.user, passport_id, "immunisations")
        # The section as she may see it (checked and logged once), read once.
        view = selectors.section_view(reach, "immunisations", show_unknown=False, extras=True)
        return Response([{"programme": line.key, "name": line.name, "status": line.status,
                          "due_on": line.due_on, "why": line.why}
                         for line in view.extra["schedule"]])


class GrowthApi(APIView):
    """Each measurement of her assessments with its centile and SDS on the UK-WHO references,
    newest first, for her health team. She reads hers in words (`in_words`), as on her page.
    Centiles need her sex: for anyone else they are null, with the reason, as for a record
    whose sex is not recorded."""

    @extend_schema(responses=inline_serializer("GrowthReading", {
        "measured_on": serializers.DateField(), "measurement": serializers.CharField(),
        "value": serializers.FloatField(),
        "unit": serializers.CharField(),
        "centile": serializers.FloatField(allow_null=True),
        "sds": serializers.FloatField(allow_null=True),
        "corrected_age": serializers.BooleanField(),
        "far_from_average": serializers.BooleanField(),
        "signed_off": serializers.BooleanField(),
        "why_no_centile": serializers.CharField(),
        "in_words": serializers.CharField()}, many=True))
    def get(self, request: Request, passport_id: UUID) -> Response:
        reach = get_passport_for_user(request.user, passport_id, "assessments")
        view = selectors.section_view(reach, "assessments", show_unknown=False)
        found = growth.measured(reach, view)
        numbers = not reach.is_owner  # her own: words, as decision 0031 says
        return Response([] if found is None else [
            {"measured_on": day, "measurement": r.field.removesuffix("_cm").removesuffix("_kg"),
             "value": float(r.shown), "unit": r.unit,
             "centile": round(r.centile, 1) if numbers and r.centile is not None else None,
             "sds": round(r.sds, 2) if numbers and r.sds is not None else None,
             "corrected_age": r.corrected and numbers,
             "far_from_average": r.far_out and numbers, "signed_off": not draft,
             "why_no_centile": r.why_none if numbers else "",
             "in_words": "" if numbers else r.for_her}
            for day, readings, draft in found.rows for r in readings])


class WhoHasLookedApi(APIView):
    """For the young person: what others did with her passport, newest first."""

    @extend_schema(responses=inline_serializer("Look", {
        "who": serializers.CharField(), "what": serializers.CharField(),
        "when": serializers.DateTimeField()}, many=True))
    def get(self, request: Request, passport_id: UUID) -> Response:
        reach = get_passport_for_user(request.user, passport_id)
        return Response([{"who": look.who, "what": str(look.what), "when": look.when}
                         for look in sharing.who_has_looked(reach)])


class GrantOutput(serializers.Serializer):
    id = serializers.UUIDField()
    grantee = serializers.CharField(source="grantee.display_name")
    sections = serializers.ListField(child=serializers.CharField())
    until = serializers.DateField(allow_null=True)
    granted_at = serializers.DateTimeField()


class GrantInput(StrictSerializer):
    username = serializers.CharField(max_length=150)
    sections = serializers.ListField(child=serializers.ChoiceField(choices=list(TITLES)),
                                     min_length=1)
    until = serializers.DateField(required=False, allow_null=True)
    wishes = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    family_history_understood = serializers.BooleanField(required=False, default=False)


class GrantListApi(APIView):
    """Who she shares which sections with; share with a named account."""

    throttle_scope = "grants"

    def get_throttles(self):
        extra = [ScopedRateThrottle()] if self.request.method == "POST" else []
        return super().get_throttles() + extra

    @extend_schema(responses=GrantOutput(many=True))
    def get(self, request: Request, passport_id: UUID) -> Response:
        reach = get_passport_for_user(request.user, passport_id)
        if not (reach.is_owner or sharing.who_decides(reach)):
            raise PermissionDenied
        return Response(GrantOutput(sharing.active_grants(reach), many=True).data)

    @extend_schema(request=GrantInput, responses={201: GrantOutput})
    def post(self, request: Request, passport_id: UUID) -> Response:
        reach = get_passport_for_user(request.user, passport_id)
        if sharing.who_decides(reach) is None:
            raise PermissionDenied  # before reading what was sent
        data = GrantInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        grant = sharing.do_grant_to(reach, username=values["username"],
                                    sections_=values["sections"], until=values.get("until"),
                                    wishes=values.get("wishes", ""),
                                    family_history_understood=values["family_history_understood"])
        return Response(GrantOutput(grant).data, status=201)


class WishesInput(StrictSerializer):
    wishes = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class GrantRevokeApi(APIView):
    """Stop a share (she may always; so may whoever manages her sharing)."""

    @extend_schema(request=WishesInput, responses={204: None})
    def post(self, request: Request, passport_id: UUID, grant_id: UUID) -> Response:
        reach = get_passport_for_user(request.user, passport_id)
        grant = sharing.grant_in(reach, grant_id)
        data = WishesInput(data=request.data)
        data.is_valid(raise_exception=True)
        sharing.do_revoke_grant(reach, grant, data.validated_data.get("wishes", ""))
        return Response(status=204)


class LinkInput(StrictSerializer):
    sections = serializers.ListField(child=serializers.ChoiceField(choices=list(TITLES)),
                                     min_length=1)
    hours = serializers.IntegerField(min_value=1, max_value=168, default=sharelinks.DEFAULT_HOURS)
    wishes = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    family_history_understood = serializers.BooleanField(required=False, default=False)


class ShareLinkListApi(APIView):
    """Her share links and who used them; make one (the link and its code shown once)."""

    @extend_schema(responses=inline_serializer("ShareLink", {
        "id": serializers.UUIDField(), "sections": serializers.ListField(),
        "expires_at": serializers.DateTimeField(), "state": serializers.CharField(),
        "uses": serializers.ListField(child=serializers.DictField())}, many=True))
    def get(self, request: Request, passport_id: UUID) -> Response:
        reach = get_passport_for_user(request.user, passport_id)
        return Response([{
            "id": row.link.pk, "sections": row.link.sections,
            "expires_at": row.link.expires_at, "state": str(row.state),
            "uses": [{"name": use.viewer_name, "organisation": use.organisation,
                      "at": use.at} for use in row.uses]}
            for row in sharelinks.links_of(reach)])

    @extend_schema(request=LinkInput, responses={201: inline_serializer("NewShareLink", {
        "id": serializers.UUIDField(), "url": serializers.URLField(),
        "code": serializers.CharField(), "expires_at": serializers.DateTimeField()})})
    def post(self, request: Request, passport_id: UUID) -> Response:
        reach = get_passport_for_user(request.user, passport_id)
        data = LinkInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        made = sharelinks.do_create_link(
            reach, sections_=values["sections"], hours=values["hours"],
            family_history_understood=values["family_history_understood"],
            wishes=values.get("wishes", ""))
        # The secret after "#": browsers never send it, so it reaches no server log.
        url = f"{request.build_absolute_uri(reverse('share-viewer'))}#{made.token}"
        return Response({"id": made.link.pk, "url": url, "code": sharelinks.display_code(
            made.code), "expires_at": made.link.expires_at}, status=201)


class ShareLinkRevokeApi(APIView):
    """Stop a link at once."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, passport_id: UUID, link_id: UUID) -> Response:
        reach = get_passport_for_user(request.user, passport_id)
        sharelinks.do_revoke_link(reach, link_id)
        return Response(status=204)


class HideNowInput(StrictSerializer):
    on = serializers.BooleanField()


class HideNowApi(APIView):
    """"Hide now" for the young person: on, or back as before."""

    @extend_schema(request=HideNowInput, responses={204: None})
    def post(self, request: Request, passport_id: UUID) -> Response:
        reach = get_passport_for_user(request.user, passport_id)
        if not reach.is_owner:
            raise PermissionDenied
        data = HideNowInput(data=request.data)
        data.is_valid(raise_exception=True)
        sharing.do_hide_now(reach, data.validated_data["on"])
        return Response(status=204)
