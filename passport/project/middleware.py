import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from passport.encryption.crypto import key_scope

logger = logging.getLogger("passport.database")


class KeyScopeMiddleware:
    """Unwrapped data keys live for one request and are dropped when it ends: one of the three
    edges that open the key scope (docs/architecture.md 7)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with key_scope(fresh=True):
            return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """When the database cannot answer (PostgreSQL restarting, a disk full), say so cleanly:
    503 with Retry-After, an RFC 9457 problem document for the API and a plain page for people;
    never a stack trace or a half-done write (every write is one transaction, rolled back).
    The next request opens a fresh connection (CONN_HEALTH_CHECKS), so the app recovers by
    itself when the database is back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        from django.db import InterfaceError, OperationalError

        if isinstance(exception, OperationalError | InterfaceError):  # away, locked, disk full
            return unavailable(request)
        return None


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. A database that went away mid-request is usually met by a middleware (the
    session, the account's language) before any view, where process_exception never sees it;
    Django calls this with the exception still being handled, so it too answers 503."""
    import sys

    from django.db import InterfaceError, OperationalError
    from django.views import defaults

    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return unavailable(request)
    return defaults.server_error(request)


def unavailable(request: HttpRequest) -> HttpResponse:
    from django.http import JsonResponse
    from django.shortcuts import render
    from django.utils.translation import gettext as _

    logger.error("database unavailable for a request")
    if request.path.startswith("/api/"):
        response = JsonResponse({
            "type": "https://healthpassport.example/problems/database_unavailable",
            "title": _("The service cannot reach its records just now. Try again in a moment."),
            "status": 503}, status=503, content_type="application/problem+json")
    else:
        try:
            response = render(request, "503.html", status=503)
        except Exception:  # the page itself needs nothing from the database; be safe anyway
            response = HttpResponse(_("The service cannot reach its records just now. Try "
                                      "again in a moment."), status=503,
                                    content_type="text/plain; charset=utf-8")
    response["Retry-After"] = "5"
    return response


FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST",
                     "HTTP_X_FORWARDED_PORT", "HTTP_FORWARDED")


class TrustedProxyMiddleware:
    """How the client connected (its address, HTTPS) is believed only from a load balancer:
    with no proxy configured (HP_PROXY_COUNT=0) forwarded headers are dropped from every
    request, and with one they are kept only when the connection comes from an address in
    HP_PROXY_ADDRESSES. A client that reaches the app directly and says "X-Forwarded-Proto:
    https" is not taken for a secure connection, nor its X-Forwarded-For for its address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        from django.conf import settings

        self.get_response = get_response
        self.count = settings.HP_PROXY_COUNT
        self.networks = [_network(a) for a in settings.HP_PROXY_ADDRESSES]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.count <= 0 or not self._from_proxy(request.META.get("REMOTE_ADDR", "")):
            for name in FORWARDED_HEADERS:
                request.META.pop(name, None)
        return self.get_response(request)

    def _from_proxy(self, address: str) -> bool:
        import ipaddress

        try:
            peer = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(peer in network for network in self.networks if network is not None)


def _network(text: str):
    import ipaddress

    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None
