from django.urls import path

from api import assessments, booklet, care, exports, imports, schema, sharing, views

section = "v1/passports/<uuid:passport_id>/<slug:section>/"
entries = section + "<slug:type_key>/"
entry = entries + "<uuid:entry_id>/"

passport = "v1/passports/<uuid:passport_id>/"
assessment = passport + "assessments/<uuid:entry_id>/workflow/"
leaver = passport + "leaving-care-summary/"

urlpatterns = [
    path("v1/schema/", schema.SchemaView.as_view(), name="api-schema"),
    path("v1/docs/", schema.DocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("v1/services/", views.ServiceListApi.as_view(), name="api-services"),
    path("v1/figures/", views.FiguresApi.as_view(), name="api-figures"),
    path("v1/caseload/", assessments.CaseloadApi.as_view(), name="api-caseload"),
    path("v1/passports/", sharing.PassportListApi.as_view(), name="api-passports"),
    path(passport, sharing.PassportDetailApi.as_view(), name="api-passport"),
    path(passport + "immunisations/schedule/", sharing.ScheduleApi.as_view(),
         name="api-schedule"),
    path(passport + "assessments/growth/", sharing.GrowthApi.as_view(), name="api-growth"),
    path(passport + "who-has-looked/", sharing.WhoHasLookedApi.as_view(),
         name="api-who-has-looked"),
    path(passport + "grants/", sharing.GrantListApi.as_view(), name="api-grants"),
    path(passport + "grants/<uuid:grant_id>/revoke/", sharing.GrantRevokeApi.as_view(),
         name="api-grant-revoke"),
    path(passport + "share-links/", sharing.ShareLinkListApi.as_view(), name="api-share-links"),
    path(passport + "share-links/<uuid:link_id>/revoke/", sharing.ShareLinkRevokeApi.as_view(),
         name="api-share-link-revoke"),
    path(passport + "hide-now/", sharing.HideNowApi.as_view(), name="api-hide-now"),
    path(passport + "holds/", care.HoldApi.as_view(), name="api-holds"),
    path(passport + "holds/<uuid:hold_id>/", care.HoldStepApi.as_view(), name="api-hold"),
    path(passport + "corrections/", care.CorrectionListApi.as_view(), name="api-corrections"),
    path(passport + "corrections/<uuid:request_id>/done/", care.CorrectionDoneApi.as_view(),
         name="api-correction-done"),
    path(passport + "placements/<uuid:placement_id>/", care.PlacementApi.as_view(),
         name="api-placement"),
    path(passport + "care-ending/", care.CareEndingApi.as_view(), name="api-care-ending"),
    path(passport + "who-manages-sharing/", care.ControlApi.as_view(), name="api-control"),
    path("v1/break-glass/", care.BreakGlassApi.as_view(), name="api-break-glass"),
    path("v1/sign-off/", assessments.SignOffQueueApi.as_view(), name="api-sign-off"),
    path(assessment, assessments.WorkflowApi.as_view(), name="api-assessment-workflow"),
    path(assessment + "plan/", assessments.PlanActionApi.as_view(), name="api-assessment-plan"),
    path(assessment + "action-reviews/", assessments.ActionReviewApi.as_view(),
         name="api-assessment-action-reviews"),
    path(assessment + "submit/", assessments.SubmitApi.as_view(),
         name="api-assessment-submit"),
    path(assessment + "quality-review/", assessments.QualityReviewApi.as_view(),
         name="api-assessment-quality-review"),
    path(assessment + "addenda/", assessments.AddendumApi.as_view(),
         name="api-assessment-addenda"),
    path(passport + "booklet/", booklet.BookletApi.as_view(), name="api-booklet"),
    path(passport + "fhir/", exports.FhirExportApi.as_view(), name="api-fhir"),
    path("v1/immunisations/import/", imports.SystemImportApi.as_view(),
         name="api-system-import"),
    path(passport + "immunisations/imports/", imports.ImportListApi.as_view(),
         name="api-imports"),
    path(passport + "immunisations/imports/<uuid:import_id>/confirm/",
         imports.ImportConfirmApi.as_view(), name="api-import-confirm"),
    path(passport + "export/", exports.DataExportApi.as_view(), name="api-export"),
    path(passport + "contributions/", assessments.ContributionListApi.as_view(),
         name="api-contributions"),
    path(passport + "contributions/<uuid:request_id>/received/",
         assessments.ContributionReceivedApi.as_view(), name="api-contribution-received"),
    path(passport + "immunisations/catch-up/", assessments.CatchUpApi.as_view(),
         name="api-catch-up"),
    # Before the section paths, whose slugs would match it.
    path(leaver, views.LeaverSummaryApi.as_view(), name="api-leaver-summary"),
    path(leaver + "ready/", views.LeaverSummaryReadyApi.as_view(),
         name="api-leaver-summary-ready"),
    path(section, views.SectionApi.as_view(), name="api-section"),
    path(entries, views.EntryListApi.as_view(), name="api-entries"),
    path(entry, views.EntryDetailApi.as_view(), name="api-entry"),
    path(entry + "revisions/", views.EntryRevisionsApi.as_view(), name="api-entry-revisions"),
    path(entry + "not-right/", care.NotRightApi.as_view(), name="api-not-right"),
]
