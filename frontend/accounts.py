"""Signing in and out: the sign-in page (with "stay signed in" for young people on their own
phone), "sign out everywhere"."""

import time

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, PasswordResetConfirmView
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from passport import sessions, tokens
from passport.net import client_ip


class SignInForm(AuthenticationForm):
    stay_signed_in = forms.BooleanField(
        label=_("Keep me signed in on this phone (only if it is yours)"), required=False)


# Beyond the per-account lockout: sign-in attempts from one address, whatever the usernames,
# in fixed 10-minute windows counted in the shared cache table (so across processes). The
# limit is high on purpose: a hostel or a school shares one address, and must not be locked
# out by one person; it stops one machine trying thousands of accounts.
ADDRESS_LIMIT, ADDRESS_WINDOW = 300, 600


def too_many_from(request: HttpRequest) -> bool:
    now = int(time.time())
    window = now - now % ADDRESS_WINDOW
    key = f"signin:{client_ip(request)}:{window}"
    count = (cache.get(key) or 0) + 1
    cache.set(key, count, timeout=window + ADDRESS_WINDOW - now + 1)
    return count > ADDRESS_LIMIT


class SignInView(LoginView):
    form_class = SignInForm

    def post(self, request, *args, **kwargs):
        if too_many_from(request):
            return render(request, "registration/busy.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)  # Django gives the session a new key here
        sessions.start(self.request, stay_signed_in=form.cleaned_data["stay_signed_in"])
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"ended": self.request.GET.get("ended")}


@login_required
@require_http_methods(["GET", "POST"])
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        sessions.do_sign_out_everywhere(request)
        return redirect("login")
    return render(request, "frontend/sign_out_everywhere.html")


class NewPasswordView(PasswordResetConfirmView):
    """Setting a new password from the emailed link ends her API tokens too (her sessions end
    with the old password): a token made by whoever had the old one must not outlive it."""

    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        tokens.end_all(form.user)
        return response
