"""Throttling per user and per address. Counts live in the shared cache (the
database cache table), so every worker and machine sees the same ones. The address is the
one passport.operations.net trusts (the real client behind HP_PROXY_COUNT proxies, not a forged
X-Forwarded-For)."""

from rest_framework.throttling import SimpleRateThrottle

from passport.operations.net import client_ip


class AddressRateThrottle(SimpleRateThrottle):
    """Every request from one address, signed in or not."""

    scope = "address"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


class UserRateThrottle(SimpleRateThrottle):
    """Every request of one account (sessions and tokens alike); nobody: by address."""

    scope = "user"

    def get_cache_key(self, request, view):
        user = getattr(request, "user", None)
        ident = user.pk if user is not None and user.is_authenticated else client_ip(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
