"""The client's address, as far as it can be trusted.

Behind N proxies that each append the address they saw to X-Forwarded-For, the client is the
N-th entry from the right: anything further left was written by the client and may be forged.
With no proxies (HP_PROXY_COUNT=0, the default) the header is ignored altogether.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    proxies = settings.HP_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if proxies <= 0:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
             if part.strip()]
    found = chain[-proxies] if len(chain) >= proxies else remote
    try:
        return str(ipaddress.ip_address(found))
    except ValueError:  # a proxy that wrote something else: fall back to the connection
        return remote
