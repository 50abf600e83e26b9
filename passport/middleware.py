from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from passport.crypto import key_scope


class KeyScopeMiddleware:
    """Unwrapped data keys live for one request and are dropped when it ends."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with key_scope():
            return self.get_response(request)
