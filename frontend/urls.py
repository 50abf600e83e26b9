from django.contrib.auth import views as auth_views
from django.urls import path

from frontend import views

entry = "p/<uuid:passport_id>/conditions/<uuid:entry_id>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("p/<uuid:passport_id>/conditions/", views.conditions, name="conditions"),
    path(entry + "edit/", views.amend_condition, name="condition-edit"),
    path(entry + "history/", views.condition_history, name="condition-history"),
]
