from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class SecurityHeadersMiddleware:
    """No copy of any page or API reply kept by the browser or a proxy: on a shared phone or a
    hostel computer, Back must not bring a passport back after sign-out (docs/architecture.md 5).
    The Content-Security-Policy comes from django-csp (settings.CONTENT_SECURITY_POLICY)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # django-csp adds the nonce only once something has read it: read it here, so every
        # response's policy carries a fresh one (pages that use it, like the admin, or not).
        str(getattr(request, "csp_nonce", ""))
        response = self.get_response(request)
        if not request.path.startswith(STATIC_PREFIX):  # static files are shared, not health
            response["Cache-Control"] = "no-store"
        return response


STATIC_PREFIX = "/" + settings.STATIC_URL.lstrip("/")


class AccountLanguageMiddleware:
    """The language chosen on the account wins over the browser's: a young person on
    a shared phone in a hostel gets her own language when she signs in, and only then."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user and user.is_authenticated else ""
        if language and language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
