"""The second-factor pages: set up an authenticator (QR code), verify, backup codes; and the
middleware that keeps anyone who needs a second factor out of everything else until they pass
it."""

from collections.abc import Callable
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from frontend.forms import Form
from passport.access.passports import get_passport_for_user
from passport.access.policy import Action, Basis
from passport.accounts import sessions, twofactor
from passport.models import Authenticator

# Reachable before the second factor, by URL name (never by path prefix: a new URL under an
# open prefix must not become open by accident): signing in and out, the second-factor pages,
# password reset, invitations, checking a passkey, and reading the public directory.
OPEN_URL_NAMES = frozenset({
    "login", "logout", "two-factor", "two-factor-setup", "password_reset",
    "password_reset_done", "password_reset_confirm", "password_reset_complete", "invitation",
    "recovery-use", "invitation-open", "share-open-posted",
    "invitation-accept",
    "services", "service", "api-services", "share-viewer", "share-open", "share-booklet",
    "api-schema", "api-docs",  # public reference, off in production unless HP_API_DOCS
    "manifest", "service-worker", "offline", "quick-exit", "set-language", "accessibility",
    "privacy", "contact", "source", "source-archive",
    "otp_webauthn:credential-authentication-begin",
    "otp_webauthn:credential-authentication-complete", "otp_webauthn:js-i18n-catalog",
})


def is_open(request: HttpRequest) -> bool:
    if request.path.startswith(settings.STATIC_URL if settings.STATIC_URL.startswith("/")
                               else "/" + settings.STATIC_URL):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return True  # nothing there: the 404 page shows nothing
    return match.view_name in OPEN_URL_NAMES


def problem(code: str, title: str, status: int) -> JsonResponse:
    """An RFC 9457 problem document, for API requests the middlewares stop."""
    return JsonResponse({"type": f"https://healthpassport.example/problems/{code}",
                         "title": title, "status": status},
                        status=status, content_type="application/problem+json")


class SecondFactorRequiredMiddleware:
    """After OTPMiddleware: a signed-in user who needs a second factor and has not passed it
    in this session reaches nothing but the open pages. Pages redirect to the second-factor
    page; the API answers 403 (no token or API path gets around it)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (user.is_authenticated and not twofactor.is_verified(request)
                and twofactor.needs_second_factor(user) and not is_open(request)):
            if request.path.startswith("/api/"):
                return problem("second_factor_required",
                               _("Sign in with your second factor first."), 403)
            return redirect(f"{reverse('two-factor')}?{urlencode({'next': request.path})}")
        return self.get_response(request)


class CodeForm(Form):
    code = forms.CharField(
        label=gettext_lazy("Code"), max_length=20,
        help_text=gettext_lazy("The 6-digit code from your authenticator app, or one of your "
                               "backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                      "inputmode": "numeric", "autocapitalize": "none"}))


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return "/"


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    if not twofactor.has_second_factor(request.user):
        return redirect(f"{reverse('two-factor-setup')}?{urlencode({'next': _next(request)})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.do_verify(request, form.cleaned_data["code"]):
            return redirect(_next(request))
        form.add_error("code", _("That code did not work. Codes change every 30 seconds, and "
                                 "each works only once."))
    return render(request, "frontend/two_factor_verify.html",
                  {"form": form, "next": _next(request)}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    # Replacing an authenticator needs the current one first.
    if twofactor.has_second_factor(request.user) and not twofactor.is_verified(request):
        return redirect(f"{reverse('two-factor')}?{urlencode({'next': request.path})}")
    device = None
    if request.method == "POST":
        device = Authenticator.objects.filter(user=request.user, confirmed=False,
                                              pk=request.POST.get("device")).first()
    device = device or twofactor.do_start_totp(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = twofactor.do_confirm_totp(request, device, form.cleaned_data["code"])
        if codes is not None:
            return render(request, "frontend/backup_codes.html",
                          {"codes": codes, "next": _next(request)})
        form.add_error("code", _("That code did not work. Check the time on your phone, and "
                                 "type the code shown now."))
    return render(request, "frontend/two_factor_setup.html", {
        "form": form, "device": device, "next": _next(request),
        "qr": segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#000",
                                                                   light="#fff"),
        "secret": _grouped(device),
    }, status=400 if form.errors else 200)


def _grouped(device: Authenticator) -> str:
    from base64 import b32encode

    text = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


@login_required
@require_http_methods(["POST"])
def new_backup_codes(request: HttpRequest) -> HttpResponse:
    if not twofactor.is_verified(request):
        return redirect(reverse("two-factor"))
    codes = twofactor.do_new_backup_codes(request)
    return render(request, "frontend/backup_codes.html", {"codes": codes, "next": "/"})


class SessionLimitsMiddleware:
    """Ends a session that has been idle too long, has lasted too long, or was ended by "sign
    out everywhere". Pages go to the sign-in page, saying why; the API answers 401."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and sessions.expired(request):
            logout(request)
            if request.path.startswith("/api/"):
                return problem("session_ended", _("Your session has ended. Sign in again."), 401)
            return redirect(f"{reverse('login')}?{urlencode({'ended': '1'})}")
        return self.get_response(request)


class ResetConfirmForm(Form):
    confirmed = forms.BooleanField(label=gettext_lazy(
        "I have confirmed who they are, in person or on a video call"))


@login_required
@require_http_methods(["GET", "POST"])
def reset_young_persons_factor(request: HttpRequest, passport_id) -> HttpResponse:
    """For her health team: reset a young person's lost second factor."""
    reach = get_passport_for_user(request.user, passport_id, "about_me", Action.WRITE)
    owner = reach.passport.owner
    if reach.basis_for("about_me", Action.WRITE) is not Basis.HEALTH_TEAM or owner is None:
        raise PermissionDenied
    form = ResetConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        twofactor.do_reset_second_factor(request.user, owner, reach.passport)
        messages.success(request, _("Their second factor is reset: they can sign in with "
                                    "their password and set up a new one."))
        return redirect("passport", passport_id=passport_id)
    return render(request, "frontend/reset_second_factor.html",
                  {"reach": reach, "form": form, "has_factor": twofactor.has_second_factor(owner)},
                  status=400 if form.errors else 200)
