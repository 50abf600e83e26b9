"""The booklet through the API: the same choices as the page, the PDF as the answer."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.views import APIView

from api.serializers import StrictSerializer
from passport.access.passports import get_passport_for_user
from passport.outputs import booklet
from passport.outputs.downloads import pdf_download


class BookletInput(StrictSerializer):
    preset = serializers.ChoiceField(choices=[*booklet.PRESETS, "choose"], default="everything")
    sections = serializers.ListField(child=serializers.ChoiceField(choices=booklet.ORDER),
                                     required=False, default=list)
    show_unknown = serializers.BooleanField(required=False, default=False)
    language = serializers.ChoiceField(choices=[code for code, _name in settings.LANGUAGES],
                                       default="en-gb")
    password = serializers.CharField(required=False, allow_blank=True, max_length=128,
                                     trim_whitespace=False, write_only=True, default="")


class BookletApi(APIView):
    """POST the choices; the answer is the PDF (Content-Disposition: attachment, never
    cached). The password, if any, is never stored or logged."""

    @extend_schema(summary="Make the booklet (PDF)", request=BookletInput, responses={
        (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY,
                                                  description="The booklet, as an attachment")})
    def post(self, request: Request, passport_id: UUID):
        reach = get_passport_for_user(request.user, passport_id)
        data = BookletInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        chosen = booklet.choose(booklet.may_make(reach), values["preset"], values["sections"])
        pdf = booklet.render(reach, chosen, language=values["language"],
                             password=values["password"], show_unknown=values["show_unknown"])
        return pdf_download(pdf)
