"""`Authorization: Token <secret>`: a personal API token or a connected system's credential
(passport/accounts/tokens.py). No CSRF for it (no cookie rides along); the browser session keeps
it."""

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from passport.access import capabilities
from passport.accounts import tokens


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send one token after the word Token."))
        token = tokens.authenticate(header[1].decode(errors="replace"))
        if token is None:
            raise exceptions.AuthenticationFailed(_("This token is not valid, or has expired "
                                                    "or been revoked."))
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class NotAnIntegration:
    """A connected system submits immunisation records and reads nothing: every endpoint
    refuses it except the import (which names ForIntegrations instead)."""

    def has_permission(self, request, view) -> bool:
        return not capabilities.is_connected_system(getattr(request, "user", None))

    def has_object_permission(self, request, view, obj) -> bool:
        return self.has_permission(request, view)
