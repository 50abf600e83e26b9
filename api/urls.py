from django.urls import path

from api import views

entry = "v1/passports/<uuid:passport_id>/conditions/<uuid:entry_id>/"

urlpatterns = [
    path("v1/passports/<uuid:passport_id>/conditions/", views.ConditionListApi.as_view(),
         name="api-conditions"),
    path(entry, views.ConditionDetailApi.as_view(), name="api-condition"),
    path(entry + "revisions/", views.ConditionRevisionsApi.as_view(),
         name="api-condition-revisions"),
]
