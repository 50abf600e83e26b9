"""Thin views: fetch through the access helper, validate, call an action or selector, reply."""

from uuid import UUID

from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers
from api.problems import PreconditionFailed, PreconditionRequired
from passport import actions, selectors
from passport.access import get_passport_for_user
from passport.models import Condition
from passport.policy import Action

SECTION = Condition.SECTION


def etag(entry: Condition) -> str:
    return f'"{entry.pk}-v{entry.version}"'


def expected_version(request: Request, entry: Condition) -> int:
    """The version named by If-Match; the action checks it in the same UPDATE as the write."""
    header = (request.headers.get("If-Match") or "").strip()
    if not header:
        raise PreconditionRequired
    prefix = f'"{entry.pk}-v'
    number = header[len(prefix):-1]
    if not (header.startswith(prefix) and header.endswith('"') and number.isdigit()):
        raise PreconditionFailed
    return int(number)


class ConditionListApi(APIView):
    def get(self, request: Request, passport_id: UUID) -> Response:
        reach = get_passport_for_user(request.user, passport_id, SECTION)
        entries = selectors.conditions_for(reach)
        return Response(serializers.ConditionOutput(entries, many=True).data)

    def post(self, request: Request, passport_id: UUID) -> Response:
        reach = get_passport_for_user(request.user, passport_id, SECTION, Action.WRITE)
        data = serializers.ConditionInput(data=request.data)
        data.is_valid(raise_exception=True)
        entry = actions.do_add_condition(reach, data.validated_data)
        return Response(serializers.ConditionOutput(entry).data, status=201,
                        headers={"ETag": etag(entry)})


class ConditionDetailApi(APIView):
    def get(self, request: Request, passport_id: UUID, entry_id: UUID) -> Response:
        reach = get_passport_for_user(request.user, passport_id, SECTION)
        entry = selectors.condition_for(reach, entry_id)
        return Response(serializers.ConditionOutput(entry).data, headers={"ETag": etag(entry)})

    def patch(self, request: Request, passport_id: UUID, entry_id: UUID) -> Response:
        reach = get_passport_for_user(request.user, passport_id, SECTION, Action.WRITE)
        entry = selectors.condition_for(reach, entry_id)
        version = expected_version(request, entry)
        data = serializers.ConditionAmendInput(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        reason = changes.pop("reason")
        entry = actions.do_amend_condition(reach, entry, expected_version=version,
                                           reason=reason, changes=changes)
        return Response(serializers.ConditionOutput(entry).data, headers={"ETag": etag(entry)})


class ConditionRevisionsApi(APIView):
    def get(self, request: Request, passport_id: UUID, entry_id: UUID) -> Response:
        reach = get_passport_for_user(request.user, passport_id, SECTION)
        entry = selectors.condition_for(reach, entry_id)
        revisions = selectors.condition_history(reach, entry)
        return Response(serializers.RevisionOutput(revisions, many=True).data)
