from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class SecurityHeadersMiddleware:
    """No copy of any page or API reply kept by the browser or a proxy: on a shared phone or a
    hostel computer, Back must not bring a passport back after sign-out (DESIGN.md 5). The
    Content-Security-Policy comes from django-csp (settings.CONTENT_SECURITY_POLICY)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # django-csp adds the nonce only once something has read it: read it here, so every
        # response's policy carries a fresh one (pages that use it, like the admin, or not).
        str(getattr(request, "csp_nonce", ""))
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        return response
