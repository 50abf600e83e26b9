from django.urls import path

from api import views

section = "v1/passports/<uuid:passport_id>/<slug:section>/"
entries = section + "<slug:type_key>/"
entry = entries + "<uuid:entry_id>/"

urlpatterns = [
    path("v1/services/", views.ServiceListApi.as_view(), name="api-services"),
    path(section, views.SectionApi.as_view(), name="api-section"),
    path(entries, views.EntryListApi.as_view(), name="api-entries"),
    path(entry, views.EntryDetailApi.as_view(), name="api-entry"),
    path(entry + "revisions/", views.EntryRevisionsApi.as_view(), name="api-entry-revisions"),
]
