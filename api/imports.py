"""FHIR immunisation import through the API (passport/outputs/fhir_import.py)."""

from __future__ import annotations

from uuid import UUID

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers import StrictSerializer
from passport.access import capabilities
from passport.access.passports import get_passport_for_user
from passport.outputs import fhir_import


class ForIntegrations:
    """Only a connected system's credential."""

    def has_permission(self, request, view) -> bool:
        return capabilities.is_connected_system(getattr(request, "user", None))


class RowOutput(serializers.Serializer):
    index = serializers.IntegerField()
    vaccine = serializers.CharField()
    name = serializers.CharField()
    given_on = serializers.DateField(allow_null=True)
    dose_number = serializers.IntegerField(allow_null=True)
    batch = serializers.CharField()
    site = serializers.CharField()
    duplicate = serializers.BooleanField()
    date_sent = serializers.CharField(help_text=gettext_lazy(
        "The date as sent, when it was not a whole day."))


class ImportOutput(serializers.Serializer):
    id = serializers.UUIDField()
    source = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    rows = serializers.SerializerMethodField()

    def get_rows(self, imported) -> list[dict]:
        return RowOutput(fhir_import.rows(imported), many=True).data


class SystemImportApi(APIView):
    """A connected system sends Immunization resources for the child its Patient names (by
    NHS number). The answer is the same whether or not the child is known here."""

    permission_classes = [ForIntegrations]

    @extend_schema(request=OpenApiTypes.OBJECT, responses={202: inline_serializer(
        "Received", {"status": serializers.CharField()})})
    def post(self, request: Request) -> Response:
        fhir_import.do_submit_from_system(request.user, request.data)
        return Response({"status": "received"}, status=202)


class ImportListApi(APIView):
    """Imports waiting for her nurse: each with its preview (duplicates marked)."""

    @extend_schema(responses=ImportOutput(many=True))
    def get(self, request: Request, passport_id: UUID) -> Response:
        reach = get_passport_for_user(request.user, passport_id, "immunisations")
        return Response(ImportOutput(fhir_import.pending(reach), many=True).data)

    @extend_schema(summary="Send in a GP record export (a Bundle or an Immunization)",
                   request=OpenApiTypes.OBJECT, responses={201: ImportOutput})
    def post(self, request: Request, passport_id: UUID) -> Response:
        reach = get_passport_for_user(request.user, passport_id, "immunisations")
        imported = fhir_import.do_submit(reach, request.data, source="GP record export")
        return Response(ImportOutput(imported).data, status=201)


class ConfirmInput(StrictSerializer):
    rows = serializers.ListField(child=serializers.IntegerField(min_value=0), max_length=200)


class ImportConfirmApi(APIView):
    """Save the chosen rows (never a duplicate); the import is then closed."""

    @extend_schema(request=ConfirmInput, responses=inline_serializer(
        "Imported", {"saved": serializers.IntegerField()}))
    def post(self, request: Request, passport_id: UUID, import_id: UUID) -> Response:
        reach = get_passport_for_user(request.user, passport_id, "immunisations")
        data = ConfirmInput(data=request.data)
        data.is_valid(raise_exception=True)
        saved = fhir_import.do_confirm(reach, import_id, data.validated_data["rows"])
        return Response({"saved": saved})

