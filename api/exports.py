"""Exports through the API: the FHIR R4 patient summary, and the young person's own data."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from passport.access.passports import get_passport_for_user
from passport.outputs import export, fhir
from passport.outputs.downloads import json_download


class FhirExportApi(APIView):
    """The passport as a FHIR R4 document Bundle (International Patient Summary shape)."""

    @extend_schema(
        parameters=[OpenApiParameter("family_history", str, enum=["include"], description=(
            "FamilyMemberHistory beside the summary: only when the young person herself "
            "asks"))],
        responses={(200, "application/fhir+json"): OpenApiResponse(
            OpenApiTypes.OBJECT, description="A FHIR R4 Bundle of type document")})
    def get(self, request: Request, passport_id: UUID) -> HttpResponse:
        reach = get_passport_for_user(request.user, passport_id)
        data = fhir.bundle(reach, family_history=request.query_params.get(
            "family_history") == "include")
        return json_download(data, "patient-summary.fhir.json", "application/fhir+json")


class DataExportApi(APIView):
    """Everything she can see, as one JSON document (the young person only)."""

    @extend_schema(responses={(200, "application/json"): OpenApiResponse(
        OpenApiTypes.OBJECT,
        description="health-passport-export/1 (see passport/outputs/export.py)")})
    def get(self, request: Request, passport_id: UUID) -> HttpResponse:
        reach = get_passport_for_user(request.user, passport_id)
        return json_download(export.export_for(reach), "my-health-data.json",
                             "application/json")
