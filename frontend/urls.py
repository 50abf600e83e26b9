from django.contrib.auth import views as auth_views
from django.urls import path

from frontend import (
    accounts,
    disclosure,
    identity,
    invitations,
    passkeys,
    services,
    sharing,
    twofactor,
    views,
)

passport = "p/<uuid:passport_id>/"
section = passport + "<slug:section>/"
entry = section + "<slug:type_key>/<uuid:entry_id>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", accounts.SignInView.as_view(), name="login"),
    path("accounts/sign-out-everywhere/", accounts.sign_out_everywhere,
         name="sign-out-everywhere"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password-reset/", auth_views.PasswordResetView.as_view(),
         name="password_reset"),
    path("accounts/password-reset/sent/", auth_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("webauthn/", passkeys.urls),
    path("accounts/passkeys/", passkeys.passkeys, name="passkeys"),
    path("accounts/invite/", invitations.invite, name="invite"),
    path("accounts/invitation/", invitations.accept, name="invitation-accept"),
    path("accounts/invitation/<str:token>/", invitations.open_link, name="invitation"),
    path("accounts/two-factor/", twofactor.verify, name="two-factor"),
    path("accounts/two-factor/setup/", twofactor.setup, name="two-factor-setup"),
    path("accounts/two-factor/backup-codes/", twofactor.new_backup_codes,
         name="two-factor-backup-codes"),
    path("services/", services.directory, name="services"),
    path("services/<slug:slug>/", services.service_detail, name="service"),
    path("services/<slug:slug>/save/", services.save_service, name="service-save"),
    path(passport, views.passport_overview, name="passport"),
    path(passport + "sharing/", sharing.sharing_page, name="sharing"),
    path(passport + "sharing/<uuid:grant_id>/stop/", sharing.revoke, name="sharing-revoke"),
    path(passport + "sharing/carer/", sharing.carer_view, name="carer-view"),
    path(passport + "hide-now/", disclosure.hide_now, name="hide-now"),
    path(passport + "who-has-looked/", sharing.who_has_looked, name="who-has-looked"),
    path(passport + "who-manages-sharing/", sharing.control, name="control"),
    path(passport + "reset-second-factor/", twofactor.reset_young_persons_factor,
         name="reset-second-factor"),
    path(passport + "about_me/identity/", identity.edit_identity, name="identity"),
    path(passport + "about_me/date-of-birth/", identity.change_date_of_birth,
         name="date-of-birth"),
    path(section, views.section_page, name="section"),
    path(section + "<slug:type_key>/add/", views.add_entry, name="entry-add"),
    path(entry + "edit/", views.amend_entry, name="entry-edit"),
    path(entry + "history/", views.entry_history, name="entry-history"),
    path(entry + "hold/", disclosure.hold_entry, name="entry-hold"),
]
