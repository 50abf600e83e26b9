"""The app shell: manifest, service worker, offline page, quick exit, sign-out that clears
the device, the language menu, and the pages anyone may read (privacy notice, accessibility
statement, contact details)."""

from django.conf import settings
from django.contrib.auth import get_user_model, logout
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from passport.access import capabilities
from passport.accounts import twofactor
from passport.records.erasure import retention_ends

# Where quick exit goes: an ordinary site nobody would wonder about (docs/architecture.md 5).
NEUTRAL_SITE = "https://www.bbc.co.uk/weather"
# Every copy this site left on the device: cached pages, the offline copy, storage, cookies.
# Quick exit wipes it all; an ordinary sign-out keeps the cookies (the session one is ended
# anyway), so the device stays one she has signed in on (frontend.accounts: a paused account
# still opens on it).
CLEAR_SITE_DATA = '"cache", "storage", "cookies"'
CLEAR_SIGNED_OUT = '"cache", "storage"'


def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest, in her language: a neutral name on the home screen."""
    icons = [{"src": static(f"frontend/icons/icon-{n}.png"), "sizes": f"{n}x{n}",
              "type": "image/png", "purpose": "any"} for n in (192, 512)]
    icons += [{"src": static(f"frontend/icons/maskable-{n}.png"), "sizes": f"{n}x{n}",
               "type": "image/png", "purpose": "maskable"} for n in (192, 512)]
    response = JsonResponse({
        "name": _("My Health"), "short_name": _("My Health"), "id": "/", "start_url": "/",
        "scope": "/", "display": "standalone", "background_color": "#ffffff",
        "theme_color": "#005eb8", "lang": translation.get_language(),
        "dir": "rtl" if translation.get_language_bidi() else "ltr", "icons": icons,
    }, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


def service_worker(request: HttpRequest) -> HttpResponse:
    response = render(request, "frontend/sw.js", {
        "static_prefix": settings.STATIC_URL, "version": SW_VERSION,
        "shell": [static("frontend/site.css"), static("frontend/app.js"), "/offline/"],
        "icon": static("frontend/icons/icon-192.png"),
    }, content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response


SW_VERSION = "2"  # 2: reminders (push and notificationclick)


def offline(request: HttpRequest) -> HttpResponse:
    # Served from the cache when a page cannot be reached, whoever is signed in then: it tells
    # the service worker neither to keep nor to forget her copy ("on" and "off" both would be
    # a guess).
    return render(request, "frontend/offline.html", {"offline_copy": "unchanged"})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/accessibility.html", _service())


def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice, for everyone; a young person signed in also reads until when her
    own passport is kept (not before her second factor, where she has one: the page is open to
    a session that has passed only the password)."""
    context = _service()
    user = request.user
    if capabilities.is_young_person(user) and (
            twofactor.is_verified(request) or not twofactor.needs_second_factor(user)):
        from frontend.young_person import own_reach

        reach = own_reach(request.user)
        if reach is not None:
            context["reach"] = reach
            born = reach.passport.born
            if born:
                context["kept_until"] = retention_ends(born, reach.passport.care_ended_on)
    return render(request, "frontend/privacy.html", context)


def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/contact.html", _service())


def _service() -> dict:
    return {"service": settings.SERVICE_DETAILS,
            "service_is_demo": settings.SERVICE_DETAILS_ARE_DEMO}


@csrf_exempt
@require_http_methods(["GET", "POST"])
def quick_exit(request: HttpRequest) -> HttpResponse:
    """One tap: off to a neutral site, signed out, everything this site stored on the device
    wiped. The page's script leaves first (replacing the history entry: no Back) and signs out
    with a beacon; without JavaScript the button posts here.

    Only a POST signs out: a GET (any link, an image on another site) just goes to the
    neutral site. No CSRF token is asked for: quick exit must work on a page left open for
    hours, and the session cookie is SameSite=Lax, so another site's form cannot send it."""
    if request.method == "GET":
        return redirect(NEUTRAL_SITE)
    logout(request)
    beacon = request.headers.get("Sec-Fetch-Dest") == "empty"  # sendBeacon or fetch
    # The form without JavaScript: a page that moves on at once (the policy's form-action
    # 'self' would stop a redirect to another site after a form post).
    response = HttpResponse(status=204) if beacon else render(request, "frontend/left.html")
    response["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


class SignOutView(auth_views.LogoutView):
    """Signing out deletes every cached page and the offline copy (Clear-Site-Data; the
    page's script does the same where the header is not supported)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = CLEAR_SIGNED_OUT
        return response


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language menu: remembered on the account (and for this browser until sign-in)."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()},
                                           require_https=request.is_secure()):
        next_url = "/"
    response = redirect(next_url)
    if language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            get_user_model().objects.filter(pk=request.user.pk).update(language=language)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax",
                            secure=request.is_secure(), max_age=365 * 24 * 3600)
    return response
