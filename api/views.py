"""Thin views: fetch through the access helper, validate, call an action or selector, reply."""

from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers
from api.auth import NotAnIntegration
from api.pagination import PageInput, paginate
from api.problems import PreconditionFailed, PreconditionRequired
from passport.access import capabilities
from passport.access.passports import get_passport_for_user
from passport.access.policy import Action, Reach
from passport.care import area_figures, before_review, leaver_summary
from passport.models import Area, BeforeReview, Entry, UnknownItem
from passport.records import actions, sections, selectors


def etag(entry: Entry) -> str:
    return f'"{entry.pk}-v{entry.version}"'


def expected_version(request: Request, entry: Entry) -> int:
    """The version named by If-Match; the action checks it in the same UPDATE as the write."""
    header = (request.headers.get("If-Match") or "").strip()
    if not header:
        raise PreconditionRequired
    prefix = f'"{entry.pk}-v'
    number = header[len(prefix):-1]
    if not (header.startswith(prefix) and header.endswith('"') and number.isdigit()):
        raise PreconditionFailed
    return int(number)


class SectionApi(APIView):
    """Everything of one section the caller may see, every entry type at once."""

    @extend_schema(operation_id="section_read", responses=serializers.SectionOutput,
                   parameters=[OpenApiParameter(
        "not_known_yet", str, enum=["show"], description="The young person's own "
        "\"not known yet\" items, only when she asks")])
    def get(self, request: Request, passport_id: UUID, section: str) -> Response:
        sections.named(section)
        reach = get_passport_for_user(request.user, passport_id, section)
        # A young person sees what is not known yet only when she asks (?not_known_yet=show).
        show = not reach.is_owner or request.query_params.get("not_known_yet") == "show"
        view = selectors.section_view(reach, section, show_unknown=show)
        entries = [serializers.entry_output(type(e))(e).data
                   for _m, group in view.groups for e in group]
        unknown = [serializers.entry_output(UnknownItem)(e).data for e in view.unknown]
        return Response({"section": section, "title": view.title, "entries": entries,
                         "not_known_yet": unknown})


class EntryListApi(APIView):
    @extend_schema(operation_id="entries_list", summary="Entries of one type she may see",
                   responses=serializers.any_entry_output(many=True),
                   parameters=[PageInput, OpenApiParameter(
                       "updated_since", OpenApiTypes.DATETIME,
                       description="Only entries changed since then")])
    def get(self, request: Request, passport_id: UUID, section: str, type_key: str) -> Response:
        model = sections.type_named(section, type_key)
        reach = get_passport_for_user(request.user, passport_id, section)
        entries = selectors.entries_for(reach, section, type_key)
        since = request.query_params.get("updated_since")
        if since:  # what changed since a caller last looked (a sync)
            moment = parse_datetime(since)
            if moment is None:
                raise ValidationError({"updated_since": [_("Give a date and time, such as "
                                                           "2026-01-31T09:00:00Z.")]})
            entries = [e for e in entries if e.updated_at >= moment]
        page, headers = paginate(request, entries)
        return Response(serializers.entry_output(model)(page, many=True).data, headers=headers)

    @extend_schema(summary="Add an entry", request=serializers.any_entry_input(),
                   responses={201: serializers.any_entry_output()})
    def post(self, request: Request, passport_id: UUID, section: str, type_key: str) -> Response:
        model = sections.type_named(section, type_key)
        reach = get_passport_for_user(request.user, passport_id, section, Action.WRITE)
        data = serializers.entry_input(model)(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        opinion = fields.pop("hold_back_opinion", None)
        entry = actions.do_add(reach, section, type_key, fields, hold_opinion=opinion)
        return Response(serializers.entry_output(model)(entry).data, status=201,
                        headers={"ETag": etag(entry)})


class EntryDetailApi(APIView):
    @extend_schema(operation_id="entry_read", summary="One entry, with its ETag",
                   responses=serializers.any_entry_output())
    def get(self, request: Request, passport_id: UUID, section: str, type_key: str,
            entry_id: UUID) -> Response:
        model = sections.type_named(section, type_key)
        reach = get_passport_for_user(request.user, passport_id, section)
        entry = selectors.entry_for(reach, section, type_key, entry_id)
        return Response(serializers.entry_output(model)(entry).data,
                        headers={"ETag": etag(entry)})

    @extend_schema(summary="Change an entry (If-Match: the ETag you read)",
                   description="200 with the changed entry; 204 with the same ETag when what "
                   "was sent changes nothing (nothing is written).",
                   request=serializers.any_entry_input(amend=True),
                   responses={200: serializers.any_entry_output(), 204: None},
                   parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER,
                                                required=True)])
    def patch(self, request: Request, passport_id: UUID, section: str, type_key: str,
              entry_id: UUID) -> Response:
        model = sections.type_named(section, type_key)
        reach = get_passport_for_user(request.user, passport_id, section, Action.WRITE)
        entry = selectors.entry_to_change(reach, section, type_key, entry_id)
        version = expected_version(request, entry)
        data = serializers.entry_input(model, True)(data=request.data, partial=True,
                                                    context={"entry": entry})
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        reason = changes.pop("reason", "")
        entry = actions.do_amend_entry(reach, entry, expected_version=version, reason=reason,
                                       changes=changes)
        if entry.version == version:
            # Nothing changed, so nothing was written, and nothing is read out either: a body
            # here would be content that no audit row accounts for.
            return Response(status=204, headers={"ETag": etag(entry)})
        return Response(serializers.entry_output(model)(entry).data,
                        headers={"ETag": etag(entry)})


class BeforeReviewSendApi(APIView):
    """She sends what she wrote before her review to her health team (If-Match: the ETag she
    read). From then on her health team reads it, and it stays as it is."""

    @extend_schema(summary="Send her say before a review to her health team",
                   request=None, responses=serializers.entry_output(BeforeReview),
                   parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER,
                                                required=True)])
    def post(self, request: Request, passport_id: UUID, entry_id: UUID) -> Response:
        reach = get_passport_for_user(request.user, passport_id, BeforeReview.SECTION)
        entry = selectors.entry_to_change(reach, BeforeReview.SECTION, BeforeReview.TYPE,
                                          entry_id)
        entry = before_review.do_send(reach, entry, expected_version=expected_version(
            request, entry))
        return Response(serializers.entry_output(BeforeReview)(entry).data,
                        headers={"ETag": etag(entry)})


class EntryRevisionsApi(APIView):
    @extend_schema(summary="Every earlier version of an entry",
                   responses=serializers.RevisionOutput(many=True), parameters=[PageInput])
    def get(self, request: Request, passport_id: UUID, section: str, type_key: str,
            entry_id: UUID) -> Response:
        sections.type_named(section, type_key)
        reach = get_passport_for_user(request.user, passport_id, section)
        entry = selectors.entry_for(reach, section, type_key, entry_id)
        revisions = selectors.entry_history(reach, entry)
        page, headers = paginate(request, revisions)
        return Response(serializers.RevisionOutput(page, many=True).data, headers=headers)


class ServiceListApi(APIView):
    """The directory is public reference data."""

    # Anyone (AllowAny also tells the schema so), but a connected system reads nothing.
    permission_classes = [AllowAny, NotAnIntegration]

    @extend_schema(summary="Search the services directory (public)",
                   parameters=[serializers.ServiceFilterInput, PageInput],
                   responses=serializers.ServiceOutput(many=True))
    def get(self, request: Request) -> Response:
        filters = serializers.ServiceFilterInput(data=request.query_params)
        filters.is_valid(raise_exception=True)
        values = dict(filters.validated_data)
        for name in ("area", "placed_by"):
            if name in values:
                values[name] = Area.objects.filter(pk=values[name]).first()
        found = list(selectors.services(**values))
        page, headers = paginate(request, found)
        return Response(serializers.ServiceOutput(page, many=True).data, headers=headers)


class FiguresApi(APIView):
    """The area figures: counts for the designated professional and the team lead,
    nothing about any one child."""

    @extend_schema(summary="Area figures per quarter (counts only)",
                   responses=serializers.FiguresOutput)
    def get(self, request: Request) -> Response:
        if not capabilities.can_view_figures(request.user):
            raise PermissionDenied
        areas = area_figures.areas_for(request.user)
        quarters = area_figures.by_quarter(request.user, areas) if areas else []
        return Response(serializers.FiguresOutput({"areas": areas, "quarters": quarters}).data)


def _leaver_summary(reach: Reach) -> dict:
    rows = leaver_summary.rows(reach)  # refuses anyone but her health team
    summary = leaver_summary.summary_of(reach)
    ready = summary is not None and summary.ready_at is not None
    return serializers.LeaverSummaryOutput({
        "sections": rows, "held": leaver_summary.held_plans(reach),
        "ready_at": summary.ready_at if ready else None,
        "ready_by": str(summary.ready_by) if ready else None,
    }).data


class LeaverSummaryApi(APIView):
    """The care leaver's health summary (her health team only): read it, or save the whole
    checklist, which takes away the mark that it is ready."""

    @extend_schema(summary="The care leaver's health summary",
                   responses=serializers.LeaverSummaryOutput)
    def get(self, request: Request, passport_id: UUID) -> Response:
        reach = get_passport_for_user(request.user, passport_id)
        return Response(_leaver_summary(reach))

    @extend_schema(summary="Save the whole checklist", request=serializers.LeaverChecklistInput,
                   responses=serializers.LeaverSummaryOutput)
    def put(self, request: Request, passport_id: UUID) -> Response:
        reach = get_passport_for_user(request.user, passport_id)
        if not leaver_summary.is_health_team(reach):
            raise PermissionDenied  # before reading what was sent
        data = serializers.LeaverChecklistInput(data=request.data)
        data.is_valid(raise_exception=True)
        leaver_summary.do_save(reach, data.validated_data["checklist"])
        return Response(_leaver_summary(reach))


class LeaverSummaryReadyApi(APIView):
    @extend_schema(summary="Mark the summary ready for the booklet", request=None,
                   responses=serializers.LeaverSummaryOutput)
    def post(self, request: Request, passport_id: UUID) -> Response:
        reach = get_passport_for_user(request.user, passport_id)
        leaver_summary.do_mark_ready(reach)  # a 400 listing what is missing, if it is not ready
        return Response(_leaver_summary(reach))
