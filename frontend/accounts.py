"""Signing in and out: the sign-in page (with "stay signed in" for young people on their own
phone), "sign out everywhere"."""

import hashlib
import unicodedata

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, PasswordChangeView, PasswordResetConfirmView
from django.core import signing
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from passport.accounts import counters, sessions, tokens
from passport.models import User
from passport.operations.net import client_ip


class SignInForm(AuthenticationForm):
    stay_signed_in = forms.BooleanField(
        label=_("Keep me signed in on this phone (only if it is yours)"), required=False)


# Beyond the per-account lockout: sign-in attempts from one address, whatever the usernames,
# in fixed 10-minute windows counted in the database (so across servers,
# passport.accounts.counters).
# The limit is high on purpose: a hostel or a school shares one address, and must not be
# locked out by one person; it stops one machine trying thousands of accounts.
ADDRESS_LIMIT, ADDRESS_WINDOW = 300, 600
# And per account, whatever the addresses (django-axes counts username and address together,
# so a thousand addresses would get five tries each): 20 failures an hour from devices the
# account has not signed in on pause it for them until the hour is out. A device she has
# signed in on before (a signed cookie says so) is never paused, so an attacker spreading
# tries cannot lock her out of her own phone (decision 0027).
ACCOUNT_LIMIT, ACCOUNT_WINDOW = 20, 3600
KNOWN_DEVICE_COOKIE = ("__Host-" if settings.SESSION_COOKIE_SECURE else "") + "hp_known"
KNOWN_DEVICE_SALT = "passport.known-device"
KNOWN_DEVICE_DAYS = 400
KNOWN_PER_DEVICE = 5  # a shared family computer: a few accounts, newest kept


def too_many_from(request: HttpRequest) -> bool:
    return counters.bump(f"address:{client_ip(request)}", ADDRESS_WINDOW) > ADDRESS_LIMIT


def _account_key(username: str) -> str:
    """The account a username names, as sign-in reads it (NFKC, as Django's form does: a
    username typed in full-width letters is the same username), whatever its case."""
    return f"account:{unicodedata.normalize('NFKC', username).strip().casefold()[:150]}"


def _device_key(request: HttpRequest, account) -> str:
    """A known device's own count: a copied cookie is not a licence to guess."""
    cookie = request.COOKIES.get(KNOWN_DEVICE_COOKIE, "")
    return f"device:{account}:{hashlib.sha256(cookie.encode()).hexdigest()[:24]}"


def known_accounts(request: HttpRequest) -> list[str]:
    """The accounts that have signed in on this device (ids from a signed cookie)."""
    try:
        found = signing.loads(request.COOKIES.get(KNOWN_DEVICE_COOKIE, ""),
                              salt=KNOWN_DEVICE_SALT, max_age=KNOWN_DEVICE_DAYS * 86400)
    except signing.BadSignature:
        return []
    return [str(pk) for pk in found] if isinstance(found, list) else []


def _remember_device(request: HttpRequest, response: HttpResponse, user: User) -> None:
    ids = [pk for pk in known_accounts(request) if pk != str(user.pk)] + [str(user.pk)]
    response.set_cookie(
        KNOWN_DEVICE_COOKIE, signing.dumps(ids[-KNOWN_PER_DEVICE:], salt=KNOWN_DEVICE_SALT),
        max_age=KNOWN_DEVICE_DAYS * 86400, secure=settings.SESSION_COOKIE_SECURE,
        httponly=True, samesite="Lax")


class SignInView(LoginView):
    form_class = SignInForm

    def post(self, request, *args, **kwargs):
        if too_many_from(request):
            return render(request, "registration/busy.html", status=429)
        username = unicodedata.normalize("NFKC", request.POST.get("username", "")).strip()
        account = (User.objects.filter(username__iexact=username)
                   .values_list("pk", flat=True).first())
        known = account is not None and str(account) in known_accounts(request)
        key = _device_key(request, account) if known else _account_key(username)
        if counters.count(key, ACCOUNT_WINDOW) >= ACCOUNT_LIMIT:
            return render(request, "registration/account_paused.html", status=429)
        response = super().post(request, *args, **kwargs)
        if response.status_code != 302:  # a failed try: counted for the account or device
            counters.bump(key, ACCOUNT_WINDOW)
        return response

    def form_valid(self, form):
        response = super().form_valid(form)  # Django gives the session a new key here
        sessions.start(self.request, stay_signed_in=form.cleaned_data["stay_signed_in"])
        _remember_device(self.request, response, form.get_user())
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"ended": self.request.GET.get("ended")}


@login_required
@require_http_methods(["GET", "POST"])
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """Where she is signed in (each device, ended one at a time), and signing out everywhere."""
    if request.method == "POST":
        sessions.do_sign_out_everywhere(request)
        return redirect("login")
    this_one = request.session.get(sessions.LISTED)
    return render(request, "frontend/sign_out_everywhere.html", {
        "signed_in": sessions.listed(request.user), "this_one": this_one})


@login_required
@require_POST
def end_session(request: HttpRequest, session_id) -> HttpResponse:
    if str(session_id) == request.session.get(sessions.LISTED):
        return redirect("sign-out-everywhere")  # this one: the Sign out button does that
    if sessions.do_end_session(request.user, session_id):
        messages.success(request, _("That device is signed out."))
    return redirect("sign-out-everywhere")


class NewPasswordView(PasswordResetConfirmView):
    """Setting a new password from the emailed link ends her API tokens too (her sessions end
    with the old password): a token made by whoever had the old one must not outlive it."""

    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        tokens.end_all(form.user)
        sessions.end_all_listed(form.user)  # and her list, and her phones' reminders
        return response


# Wrong current passwords on "change my password": whoever has her session (a phone left
# unlocked) must not be able to guess the password itself from there.
CHANGE_LIMIT, CHANGE_WINDOW = 5, 3600


class ChangePasswordView(PasswordChangeView):
    """A new password, knowing the current one. Every other session of hers ends, and every API
    token, as with a reset; this one stays signed in. Five wrong current passwords an hour,
    then no more tries (not even checked)."""

    template_name = "registration/password_change.html"
    success_url = reverse_lazy("settings")

    def post(self, request, *args, **kwargs):
        key = f"password-change:{request.user.pk}"
        if counters.count(key, CHANGE_WINDOW) >= CHANGE_LIMIT:
            form = self.get_form_class()(request.user)  # unbound: no password is checked
            return self.render_to_response(self.get_context_data(form=form, locked=_(
                "Too many wrong passwords. Try again in an hour, or ask for a code to set a "
                "new one.")), status=400)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if "old_password" in form.errors:  # a wrong current password, not a typo in the new
            counters.bump(f"password-change:{self.request.user.pk}", CHANGE_WINDOW)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        sessions.do_password_changed(self.request)
        messages.success(self.request, _("Your password is changed. Anywhere else you were "
                                         "signed in is signed out."))
        return response
