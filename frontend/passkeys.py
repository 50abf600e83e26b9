"""Passkeys (WebAuthn) as a second factor, through django-otp-webauthn. Its own check refuses
to register a passkey from a session that has not passed the user's existing second factor;
our middleware keeps unverified sessions away from registration altogether."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)


class PasskeyAsSecondFactorView(CompleteCredentialAuthenticationView):
    """As with a code: a new session key once the second factor is passed."""

    def complete_auth(self, device):
        user = super().complete_auth(device)
        self.request.session.cycle_key()
        return user


urls = include(([
    path("registration/begin/", BeginCredentialRegistrationView.as_view(),
         name="credential-registration-begin"),
    path("registration/complete/", CompleteCredentialRegistrationView.as_view(),
         name="credential-registration-complete"),
    path("authentication/begin/", BeginCredentialAuthenticationView.as_view(),
         name="credential-authentication-begin"),
    path("authentication/complete/", PasskeyAsSecondFactorView.as_view(),
         name="credential-authentication-complete"),
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
         name="js-i18n-catalog"),
], "otp_webauthn"))


@login_required
def passkeys(request: HttpRequest) -> HttpResponse:
    """The user's passkeys, and a button to add one (where the browser supports it)."""
    mine = WebAuthnCredential.objects.filter(user=request.user, confirmed=True)
    return render(request, "frontend/passkeys.html", {"passkeys": mine})
