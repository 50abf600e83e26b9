from django.urls import path

from api import assessments, booklet, exports, schema, views

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
]
